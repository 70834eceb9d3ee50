package org.proxyinfo.trace;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * trace import on a real capture: tshark captures loopback while openssl s_server and s_client
 * (TLS 1.2, ECDHE-ECDSA-AES128-GCM-SHA256, key log) exchange a line; the imported trace must show
 * the handshake in order with exact bytes. Exactness is checked independently of tshark: the
 * ClientHello random and master secret against openssl's key log, the Certificate against the PEM
 * file, and both Finished messages against verify_data recomputed with the TLS 1.2 PRF over the
 * imported handshake messages (RFC5246-7.4.9), which only matches if every raw byte is right.
 */
class PcapImportTest {
    private static final String SUITE = "ECDHE-ECDSA-AES128-GCM-SHA256";
    @TempDir Path tmp;

    @Test
    @DisplayName("import of an openssl TLS 1.2 session captured with tshark: messages in order, exact bytes (RFC5246-7.4.9)")
    void importRealCapture() throws Exception {
        assertTrue(Procs.installed("tshark"), "tshark is not installed; .ci/run installs it (apt-get install tshark)");
        assertTrue(Procs.installed("openssl"), "openssl is not installed");
        Procs.Result keygen = Procs.run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "1",
                "-subj", "/CN=localhost"), tmp, 30);
        assertEquals(0, keygen.exit(), keygen.err());
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path pcap = tmp.resolve("session.pcap");
        Path keylog = tmp.resolve("keylog.txt");
        Path tsharkErr = tmp.resolve("tshark.err");
        Path serverOut = tmp.resolve("server.out");
        Path clientOut = tmp.resolve("client.out");
        Process tshark = null;
        Process server = null;
        Process client = null;
        try {
            tshark = new ProcessBuilder("tshark", "-i", "lo", "-w", pcap.toString(), "-f", "tcp port " + port)
                    .directory(tmp.toFile()).redirectOutput(tmp.resolve("tshark.out").toFile())
                    .redirectError(tsharkErr.toFile()).start();
            Procs.awaitText(tsharkErr, "Capturing on", 20_000, tshark);
            Thread.sleep(300); // the capture is live once tshark says so; give the filter a moment
            server = new ProcessBuilder("openssl", "s_server", "-accept", "127.0.0.1:" + port, "-cert", "cert.pem",
                    "-key", "key.pem", "-tls1_2", "-cipher", SUITE, "-naccept", "1", "-rev")
                    .directory(tmp.toFile()).redirectErrorStream(true).redirectOutput(serverOut.toFile()).start();
            Procs.awaitText(serverOut, "ACCEPT", 10_000, server);
            client = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername", "localhost",
                    "-tls1_2", "-cipher", SUITE, "-keylogfile", keylog.toString())
                    .directory(tmp.toFile()).redirectErrorStream(true).redirectOutput(clientOut.toFile()).start();
            OutputStream stdin = client.getOutputStream();
            stdin.write("hello proxyinfo\n".getBytes(StandardCharsets.US_ASCII));
            stdin.flush();
            Procs.awaitText(clientOut, "ofniyxorp olleh", 10_000, client); // s_server -rev answers reversed
            stdin.close(); // EOF: s_client sends close_notify and exits
            assertTrue(client.waitFor(10, TimeUnit.SECONDS), "s_client did not exit");
            assertTrue(server.waitFor(10, TimeUnit.SECONDS), "s_server did not exit after its one connection");
            Thread.sleep(300);
            tshark.destroy(); // SIGTERM: tshark finishes the file
            assertTrue(tshark.waitFor(10, TimeUnit.SECONDS), "tshark did not stop");
        } finally {
            for (Process p : new Process[] {client, server, tshark}) {
                if (p != null && p.isAlive()) {
                    Procs.kill(p);
                }
            }
        }
        assertTrue(Files.size(pcap) > 0, "empty capture");
        Map<String, String> keys = NssKeyLog.read(keylog);
        assertEquals(1, keys.size(), "one CLIENT_RANDOM line from s_client");

        Path out = tmp.resolve("imported.json");
        Cli r = Cli.run("trace", "import", pcap.toString(), "--keylog", keylog.toString(), "--out", out.toString());
        if (r.exit() != 0) { // keep the evidence for a person to look at
            Path keep = Path.of(System.getProperty("java.io.tmpdir"), "proxyinfo-import-failure");
            Files.createDirectories(keep);
            for (Path f : List.of(pcap, keylog, serverOut, clientOut)) {
                Files.copy(f, keep.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        assertEquals(0, r.exit(), r.err() + " (capture and key log kept in java.io.tmpdir/proxyinfo-import-failure)");
        TraceValidator.assertValid(out);
        Trace t = Trace.read(out);
        assertEquals("import", t.source());
        assertEquals(List.of("client", "server"), t.roles());

        // the handshake in order, each message once as 'sent'
        List<Trace.Event> sent = t.events().stream().filter(e -> e.isMessage("sent")).toList();
        List<Trace.Event> handshake = sent.stream().filter(e -> "handshake".equals(e.text("contentType"))).toList();
        List<String> names = handshake.stream().map(e -> e.text("messageName")).toList();
        List<String> expected = List.of("client_hello", "server_hello", "certificate", "server_key_exchange",
                "server_hello_done", "client_key_exchange", "finished", "finished");
        assertEquals(expected, names.stream().filter(expected::contains).toList(), "handshake order: " + names);
        assertEquals("client", handshake.get(0).role());
        assertEquals("server", handshake.get(1).role());
        // every message is also 'received' by the peer
        assertEquals(sent.size(), t.events().stream().filter(e -> e.isMessage("received")).count());

        // ClientHello: the random and the master secret are the ones openssl wrote to its key log
        Trace.Event ch = handshake.get(0);
        String clientRandom = ch.node("fields").get("random").asText();
        assertTrue(keys.containsKey(clientRandom), "ClientHello.random is in the key log");
        assertEquals(clientRandom, Hex.encode(Arrays.copyOfRange(Hex.decode(ch.text("raw")), 6, 38)));
        assertEquals("localhost", ch.node("fields").get("extensions").get(0).get("host_name").asText());
        assertEquals(keys.get(clientRandom), secret(t, "master_secret"));
        assertEquals("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", handshake.get(1).node("fields").get("cipher_suite").asText());

        // Certificate: the DER of openssl's cert.pem
        X509Certificate pem;
        try (InputStream in = Files.newInputStream(tmp.resolve("cert.pem"))) {
            pem = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        Trace.Event cert = handshake.stream().filter(e -> e.text("messageName").equals("certificate")).findFirst().orElseThrow();
        assertEquals(Hex.encode(pem.getEncoded()), cert.node("fields").get("certificate_list").get(0).get("der").asText());
        String certSha = MessageFields.sha256Hex(pem.getEncoded());

        // Finished (decrypted): verify_data = PRF(master_secret, label, SHA-256(handshake messages))[0..11]
        byte[] master = Hex.decode(keys.get(clientRandom));
        ByteArrayOutputStream transcript = new ByteArrayOutputStream();
        int finishedSeen = 0;
        for (Trace.Event e : handshake) {
            byte[] raw = Hex.decode(e.text("raw"));
            if (e.text("messageName").equals("finished")) {
                assertTrue(e.flag("encrypted"), "Finished was protected");
                assertEquals(16, raw.length);
                String label = e.role().equals("client") ? "client finished" : "server finished";
                byte[] hash = MessageDigest.getInstance("SHA-256").digest(transcript.toByteArray());
                byte[] verify = prf(master, label, hash, 12);
                assertEquals(Hex.encode(verify), Hex.encode(Arrays.copyOfRange(raw, 4, 16)),
                        e.role() + " Finished matches the recomputed verify_data");
                finishedSeen++;
            }
            transcript.writeBytes(raw);
            assertEquals(List.of(0), listOf(e.node("recordBoundaries")), "one record per message in this capture");
        }
        assertEquals(2, finishedSeen);

        // application data, decrypted
        List<String> data = sent.stream().filter(e -> "application_data".equals(e.text("contentType")))
                .map(e -> new String(Hex.decode(e.text("raw")), StandardCharsets.US_ASCII)).toList();
        assertEquals(List.of("hello proxyinfo\n", "ofniyxorp olleh\n"), data);

        // claims inferred from the wire, and the outcome
        Trace.Event commit = t.events().stream().filter(e -> "Commit".equals(e.text("claim"))).findFirst().orElseThrow();
        assertEquals(certSha, commit.node("params").get("server_cert_sha256").asText());
        assertEquals("localhost", commit.node("params").get("server_name").asText());
        assertTrue(t.events().stream().anyMatch(e -> "outcome".equals(e.kind()) && e.role().equals("client") && e.flag("established")));

        // deterministic: importing again gives the same file
        Path again = tmp.resolve("again.json");
        assertEquals(0, Cli.run("trace", "import", pcap.toString(), "--keylog", keylog.toString(), "--out", again.toString()).exit());
        assertEquals(0, Cli.run("trace", "diff", out.toString(), again.toString()).exit());

        // show draws it
        Cli show = Cli.run("trace", "show", out.toString());
        assertTrue(show.out().contains("|<- server_key_exchange --|"), show.out());

        // a wrong key log: the import says what is missing instead of producing a wrong trace
        Path wrong = tmp.resolve("wrong.txt");
        Files.writeString(wrong, "CLIENT_RANDOM " + "00".repeat(32) + " " + "11".repeat(48) + "\n");
        Cli bad = Cli.run("trace", "import", pcap.toString(), "--keylog", wrong.toString());
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("cannot decrypt") && bad.err().contains(clientRandom), bad.err());
    }

    private static List<Integer> listOf(JsonNode arr) {
        List<Integer> out = new ArrayList<>();
        arr.forEach(n -> out.add(n.asInt()));
        return out;
    }

    private static String secret(Trace t, String name) {
        return t.events().stream().filter(e -> "secret".equals(e.kind()) && name.equals(e.text("name")))
                .map(e -> e.text("value")).findFirst().orElseThrow();
    }

    /** TLS 1.2 PRF with SHA-256 (RFC 5246 §5), written here so the check does not share code with the importer. */
    static byte[] prf(byte[] secret, String label, byte[] seed, int length) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        byte[] labelSeed = new byte[label.length() + seed.length];
        System.arraycopy(label.getBytes(StandardCharsets.US_ASCII), 0, labelSeed, 0, label.length());
        System.arraycopy(seed, 0, labelSeed, label.length(), seed.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] a = labelSeed;
        while (out.size() < length) {
            a = mac.doFinal(a);
            mac.update(a);
            out.writeBytes(mac.doFinal(labelSeed));
        }
        return Arrays.copyOf(out.toByteArray(), length);
    }
}
