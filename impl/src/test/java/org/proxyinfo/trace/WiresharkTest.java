package org.proxyinfo.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 findings 4 and 5: the tools implementers already use. tshark reads a capture of every
 * reference run and of a live proxied run with no malformed packet and no expert error (DEC-2's
 * code point 65360; 65445 was read as quic_transport_parameters); {@code trace pcap} writes a
 * pcapng that tshark decrypts from its embedded secrets alone; key logs per leg; SSLKEYLOGFILE;
 * {@code trace import} with the new code point and extra tshark arguments.
 */
class WiresharkTest {
    @TempDir Path tmp;

    static Path reference() {
        return TraceValidator.schemaFile().getParent().getParent().resolve("reference");
    }

    private static String tsharkProblems(Path capture, Path dir, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-r", capture.toString()));
        cmd.addAll(List.of(extra));
        cmd.addAll(List.of("-Y", "_ws.malformed || _ws.expert.severity == error"));
        Procs.Result r = Procs.run(cmd, dir, 120);
        assertEquals(0, r.exit(), r.err());
        return r.out().trim();
    }

    @Test
    @Timeout(600)
    @DisplayName("DEC-2 / finding 5: a capture of every reference run (trace pcap, per leg) has no malformed packet and no expert error in tshark")
    void everyReferenceRunDissectsCleanly() throws Exception {
        assertTrue(Procs.installed("tshark"), "tshark is not installed; .ci/run installs it");
        List<Path> files;
        try (Stream<Path> s = Files.list(reference())) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertTrue(files.size() >= 20, "reference traces: " + files);
        List<String> bad = new ArrayList<>();
        int captures = 0;
        for (Path f : files) {
            Trace t = Trace.read(f);
            assertEquals(65360, t.run().path("configuration").path("proxyInfoCodePoint").asInt(), f + ": DEC-2 default");
            for (String leg : TracePcap.legs(t)) {
                Path cap = tmp.resolve(f.getFileName() + "." + leg + ".pcapng");
                Cli c = Cli.run("trace", "pcap", f.toString(), "--leg", leg, "--out", cap.toString());
                assertEquals(0, c.exit(), c.err());
                captures++;
                String problems = tsharkProblems(cap, tmp);
                if (!problems.isEmpty()) bad.add(f.getFileName() + " " + leg + ": " + problems);
            }
        }
        assertTrue(captures >= 30, "captures: " + captures);
        assertEquals(List.of(), bad);
    }

    @Test
    @DisplayName("finding 4: trace pcap writes a pcapng with a Decryption Secrets Block; tshark decrypts the application data with no key log option")
    void pcapCarriesItsSecrets() throws Exception {
        assertTrue(Procs.installed("tshark"), "tshark is not installed");
        Path cap = tmp.resolve("direct.pcapng");
        Cli c = Cli.run("trace", "pcap", reference().resolve("direct.json").toString(), "--out", cap.toString());
        assertEquals(0, c.exit(), c.err());
        Procs.Result r = Procs.run(List.of("tshark", "-r", cap.toString(), "-Y", "http.request", "-T", "fields",
                "-e", "http.request.method", "-e", "http.request.uri"), tmp, 60);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("GET\t/"), "decrypted GET: " + r.out() + r.err());
        // editcap sees the same secrets block
        Procs.Result dsb = Procs.run(List.of("capinfos", cap.toString()), tmp, 60);
        assertTrue(dsb.out().contains("secrets") || dsb.out().contains("Secrets"), dsb.out());
        // the two legs of a proxied run share the client_random (DEC-12): one capture is refused, per leg works
        Cli both = Cli.run("trace", "pcap", reference().resolve("proxied.json").toString(), "--out", tmp.resolve("p.pcapng").toString());
        assertEquals(2, both.exit());
        assertTrue(both.err().contains("--leg session2"), both.err());
    }

    @Test
    @DisplayName("finding 4: trace keylog refuses to mix legs that share a client_random and writes one key log per leg with --leg")
    void keyLogPerLeg() throws Exception {
        Path proxied = reference().resolve("proxied.json");
        Cli mixed = Cli.run("trace", "keylog", proxied.toString(), "--out", tmp.resolve("all.keylog").toString());
        assertEquals(2, mixed.exit(), mixed.out());
        assertTrue(mixed.err().contains("share a client_random"), mixed.err());
        for (String leg : List.of("session1", "session2")) {
            Cli c = Cli.run("trace", "keylog", proxied.toString(), "--leg", leg, "--out", tmp.resolve(leg + ".keylog").toString());
            assertEquals(0, c.exit(), c.err());
            assertEquals(Files.readString(reference().resolve("proxied." + leg + ".keylog")), Files.readString(tmp.resolve(leg + ".keylog")));
        }
        assertNotEquals(Files.readString(tmp.resolve("session1.keylog")), Files.readString(tmp.resolve("session2.keylog")));
    }

    @Test
    @Timeout(300)
    @DisplayName("findings 4, 5: a live proxied run captured by tshark: SSLKEYLOGFILE from client and proxy decrypts both sessions, no malformed packet,"
            + " and trace import takes the new code point and extra tshark arguments")
    void liveProxiedRun() throws Exception {
        assertTrue(Procs.installed("tshark"), "tshark is not installed");
        Path clientKeys = tmp.resolve("client.keylog");
        Path proxyKeys = tmp.resolve("proxy.keylog");
        try (LiveRun live = new LiveRun(tmp)) {
            live.start(Map.of("SSLKEYLOGFILE", proxyKeys.toString()));
            Path cap = tmp.resolve("live.pcapng");
            Path tsErr = tmp.resolve("tshark.err");
            Process tshark = new ProcessBuilder("tshark", "-i", "lo", "-w", cap.toString(), "-f",
                    "tcp port " + live.proxyPort + " or tcp port " + live.serverPort)
                    .redirectOutput(tmp.resolve("tshark.out").toFile()).redirectError(tsErr.toFile()).start();
            try {
                Procs.awaitText(tsErr, "Capturing on", 20_000, tshark);
                Procs.Result c = live.client("client.json", Map.of("SSLKEYLOGFILE", clientKeys.toString()));
                assertEquals(0, c.exit(), c.err());
                live.awaitConnections(1);
                Thread.sleep(500);
            } finally {
                tshark.destroy();
                tshark.waitFor(10, TimeUnit.SECONDS);
                if (tshark.isAlive()) Procs.kill(tshark);
            }
            assertEquals(1, NssKeyLog.read(clientKeys).size(), "client: one session");
            assertEquals(1, NssKeyLog.read(proxyKeys).size(), "proxy: its session #2");
            String cr = NssKeyLog.read(clientKeys).keySet().iterator().next();
            assertEquals(TracePcap.legSecrets(Trace.read(tmp.resolve("client.json"))).get("session1")[1],
                    NssKeyLog.read(clientKeys).get(cr), "the client's line is its master secret");
            String[] ports = {"-d", "tcp.port==" + live.proxyPort + ",tls", "-d", "tcp.port==" + live.serverPort + ",tls"};
            assertEquals("", tsharkProblems(cap, tmp, ports));
            // decrypted: the GET on session #1 with the client's key log, on session #2 with the proxy's
            for (Path keys : List.of(clientKeys, proxyKeys)) {
                List<String> cmd = new ArrayList<>(List.of("tshark", "-r", cap.toString(), "-o", "tls.keylog_file:" + keys));
                cmd.addAll(List.of(ports));
                cmd.addAll(List.of("-Y", "http.request", "-T", "fields", "-e", "tcp.dstport"));
                Procs.Result r = Procs.run(cmd, tmp, 60);
                assertTrue(r.out().contains(String.valueOf(keys == clientKeys ? live.proxyPort : live.serverPort)),
                        keys + ": " + r.out() + r.err());
            }
            Path imported = tmp.resolve("imported.json");
            Cli imp = Cli.run("trace", "import", cap.toString(), "--keylog", clientKeys.toString(), "--code-point", "65360",
                    "--tshark-arg=-d", "--tshark-arg=tcp.port==" + live.proxyPort + ",tls", "--out", imported.toString());
            assertEquals(0, imp.exit(), imp.err());
            TraceValidator.assertValid(imported);
            Trace t = Trace.read(imported);
            assertTrue(t.events().stream().anyMatch(e -> "server_hello".equals(e.text("messageName"))
                    && e.node("fields").toString().contains("\"proxy_info\"")), "the proxy's ServerHello carries proxy_info");
        }
    }
}
