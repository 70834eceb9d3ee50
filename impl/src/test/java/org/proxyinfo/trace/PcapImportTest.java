package org.proxyinfo.trace;

import org.proxyinfo.wire.Hex;

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

    /** What a captured session left behind. */
    record Captured(Path pcap, Path keylog, Path certPem, Path serverOut, Path clientOut) { }

    /** Generates a key and self-signed certificate with openssl ("ec" P-256 or "rsa" 2048) in {@code dir}. */
    private static Path keyAndCert(Path dir, String kind) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl", "req", "-x509", "-newkey"));
        cmd.addAll(kind.equals("ec") ? List.of("ec", "-pkeyopt", "ec_paramgen_curve:P-256") : List.of("rsa:2048"));
        cmd.addAll(List.of("-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "1", "-subj", "/CN=localhost"));
        Procs.Result keygen = Procs.run(cmd, dir, 30);
        assertEquals(0, keygen.exit(), keygen.err());
        return dir.resolve("cert.pem");
    }

    /**
     * Captures one session on loopback: tshark starts first, then openssl s_server (-rev: answers
     * each line reversed) with {@code serverOptions}, then s_client sends a line, waits for the
     * answer and closes (close_notify); tshark is stopped last.
     */
    private Captured capture(Path dir, String keyKind, String cipher, List<String> serverOptions) throws Exception {
        return capture(dir, keyKind, cipher, serverOptions, false);
    }

    /**
     * As above; with {@code jsseServer} the server is the JDK's SunJSSE (an SSLServerSocket in this
     * JVM, same -rev behaviour) instead of openssl s_server.
     */
    private Captured capture(Path dir, String keyKind, String cipher, List<String> serverOptions, boolean jsseServer)
            throws Exception {
        assertTrue(Procs.installed("tshark"), "tshark is not installed; .ci/run installs it (apt-get install tshark)");
        assertTrue(Procs.installed("openssl"), "openssl is not installed");
        Files.createDirectories(dir);
        Path certPem = keyAndCert(dir, keyKind);
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path pcap = dir.resolve("session.pcap");
        Path keylog = dir.resolve("keylog.txt");
        Path tsharkErr = dir.resolve("tshark.err");
        Path serverOut = dir.resolve("server.out");
        Path clientOut = dir.resolve("client.out");
        Process tshark = null;
        Process server = null;
        Process client = null;
        JsseReverseServer jsse = null;
        try {
            tshark = new ProcessBuilder("tshark", "-i", "lo", "-w", pcap.toString(), "-f", "tcp port " + port)
                    .directory(dir.toFile()).redirectOutput(dir.resolve("tshark.out").toFile())
                    .redirectError(tsharkErr.toFile()).start();
            Procs.awaitText(tsharkErr, "Capturing on", 20_000, tshark);
            Thread.sleep(300); // the capture is live once tshark says so; give the filter a moment
            if (jsseServer) {
                jsse = new JsseReverseServer(dir, port);
                Files.writeString(serverOut, "JSSE server on " + port + "\n");
            } else {
                List<String> serverCmd = new ArrayList<>(List.of("openssl", "s_server", "-accept", "127.0.0.1:" + port,
                        "-cert", "cert.pem", "-key", "key.pem", "-tls1_2", "-cipher", cipher, "-naccept", "1", "-rev"));
                serverCmd.addAll(serverOptions);
                server = new ProcessBuilder(serverCmd)
                        .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(serverOut.toFile()).start();
                Procs.awaitText(serverOut, "ACCEPT", 10_000, server);
            }
            client = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername", "localhost",
                    "-tls1_2", "-cipher", cipher, "-keylogfile", keylog.toString())
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(clientOut.toFile()).start();
            OutputStream stdin = client.getOutputStream();
            stdin.write("hello proxyinfo\n".getBytes(StandardCharsets.US_ASCII));
            stdin.flush();
            Procs.awaitText(clientOut, "ofniyxorp olleh", 10_000, client);
            stdin.close(); // EOF: s_client sends close_notify and exits
            assertTrue(client.waitFor(10, TimeUnit.SECONDS), "s_client did not exit");
            if (jsse != null) {
                jsse.awaitDone();
            } else {
                assertTrue(server.waitFor(10, TimeUnit.SECONDS), "s_server did not exit after its one connection");
            }
            Thread.sleep(300);
            tshark.destroy(); // SIGTERM: tshark finishes the file
            assertTrue(tshark.waitFor(10, TimeUnit.SECONDS), "tshark did not stop");
        } finally {
            if (jsse != null) {
                jsse.close();
            }
            for (Process p : new Process[] {client, server, tshark}) {
                if (p != null && p.isAlive()) {
                    Procs.kill(p);
                }
            }
        }
        assertTrue(Files.size(pcap) > 0, "empty capture");
        return new Captured(pcap, keylog, certPem, serverOut, clientOut);
    }

    /** Imports through the CLI, validates, and checks order and exactness; returns the handshake 'sent' events. */
    private List<Trace.Event> importAndCheck(Captured c, String suiteName) throws Exception {
        Map<String, String> keys = NssKeyLog.read(c.keylog());
        assertEquals(1, keys.size(), "one CLIENT_RANDOM line from s_client");
        Path out = c.pcap().resolveSibling("imported.json");
        Cli r = Cli.run("trace", "import", c.pcap().toString(), "--keylog", c.keylog().toString(), "--out", out.toString());
        if (r.exit() != 0) { // keep the evidence for a person to look at
            Path keep = Path.of(System.getProperty("java.io.tmpdir"), "proxyinfo-import-failure");
            Files.createDirectories(keep);
            for (Path f : List.of(c.pcap(), c.keylog(), c.serverOut(), c.clientOut())) {
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
        assertEquals(suiteName, handshake.get(1).node("fields").get("cipher_suite").asText());

        // Certificate: the DER of openssl's cert.pem
        X509Certificate pem;
        try (InputStream in = Files.newInputStream(c.certPem())) {
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
        }
        assertEquals(2, finishedSeen);

        // application data, decrypted; close_notify both ways
        List<String> data = sent.stream().filter(e -> "application_data".equals(e.text("contentType")))
                .map(e -> new String(Hex.decode(e.text("raw")), StandardCharsets.US_ASCII)).toList();
        assertEquals(List.of("hello proxyinfo\n", "ofniyxorp olleh\n"), data);

        // claims inferred from the wire, and the outcome
        Trace.Event commit = t.events().stream().filter(e -> "Commit".equals(e.text("claim"))).findFirst().orElseThrow();
        assertEquals(certSha, commit.node("params").get("server_cert_sha256").asText());
        assertEquals("localhost", commit.node("params").get("server_name").asText());
        assertTrue(t.events().stream().anyMatch(e -> "outcome".equals(e.kind()) && e.role().equals("client") && e.flag("established")));
        return handshake;
    }

    @Test
    @DisplayName("import of an openssl TLS 1.2 ECDHE-ECDSA session captured with tshark: order, exact bytes (RFC5246-7.4.9)")
    void importRealCapture() throws Exception {
        Captured c = capture(tmp.resolve("ec"), "ec", SUITE, List.of());
        List<Trace.Event> handshake = importAndCheck(c, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        for (Trace.Event e : handshake) {
            assertEquals(List.of(0), listOf(e.node("recordBoundaries")), "openssl sends one record per message: " + e.text("messageName"));
        }
        Path out = c.pcap().resolveSibling("imported.json");
        String clientRandom = handshake.get(0).node("fields").get("random").asText();

        // deterministic: importing again gives the same file
        Path again = tmp.resolve("again.json");
        assertEquals(0, Cli.run("trace", "import", c.pcap().toString(), "--keylog", c.keylog().toString(), "--out", again.toString()).exit());
        assertEquals(0, Cli.run("trace", "diff", out.toString(), again.toString()).exit());

        // show draws it
        Cli show = Cli.run("trace", "show", out.toString());
        assertTrue(show.out().contains("|<- server_key_exchange --|"), show.out());

        // a wrong key log: the import says what is missing instead of producing a wrong trace
        Path wrong = tmp.resolve("wrong.txt");
        Files.writeString(wrong, "CLIENT_RANDOM " + "00".repeat(32) + " " + "11".repeat(48) + "\n");
        Cli bad = Cli.run("trace", "import", c.pcap().toString(), "--keylog", wrong.toString());
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("cannot decrypt") && bad.err().contains(clientRandom), bad.err());
    }

    @Test
    @DisplayName("import when a handshake message spans records (RSA certificate, max_send_frag 512): raw rebuilt, boundaries [0, 512]")
    void importSplitRecords() throws Exception {
        Captured c = capture(tmp.resolve("rsa"), "rsa", "ECDHE-RSA-AES128-GCM-SHA256", List.of("-max_send_frag", "512"));
        List<Trace.Event> handshake = importAndCheck(c, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        Trace.Event cert = handshake.stream().filter(e -> e.text("messageName").equals("certificate")).findFirst().orElseThrow();
        assertTrue(cert.text("raw").length() / 2 > 512, "the certificate message is longer than one 512-byte record");
        assertEquals(List.of(0, 512), listOf(cert.node("recordBoundaries")));
    }

    @Test
    @DisplayName("import of a session with a SunJSSE server (another real stack): order, exact bytes, one record per message")
    void importJsseServer() throws Exception {
        Captured c = capture(tmp.resolve("jsse"), "ec", SUITE, List.of(), true);
        List<Trace.Event> handshake = importAndCheck(c, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        for (Trace.Event e : handshake) {
            assertEquals(List.of(0), listOf(e.node("recordBoundaries")), e.text("messageName"));
        }
    }

    @Test
    @DisplayName("several handshake messages in one record (as some stacks send a flight): split per message, boundaries [0] then []")
    void packedRecord() throws Exception {
        // A constructed tshark packet (same JSON shape as tshark -T json -x --no-duplicate-keys) with a
        // ClientHello record, then ServerHello + ServerHelloDone packed into one record; none of the
        // available real peers packs a flight, so this shape is built here.
        byte[] ch = SampleTraces.handshake(1, 0, 0);
        ch = java.util.Arrays.copyOf(ch, 4 + 2 + 32 + 1 + 4 + 2);
        ch[3] = (byte) (ch.length - 4);
        ch[4] = 3; ch[5] = 3;
        ch[39] = 0; ch[40] = 2; ch[41] = (byte) 0xc0; ch[42] = 0x2b; ch[43] = 1; ch[44] = 0;
        byte[] sh = new byte[4 + 2 + 32 + 1 + 2 + 1];
        sh[0] = 2; sh[3] = (byte) (sh.length - 4); sh[4] = 3; sh[5] = 3; sh[39] = (byte) 0xc0; sh[40] = 0x2b;
        byte[] shd = {14, 0, 0, 0};
        byte[] packed = new byte[sh.length + shd.length];
        System.arraycopy(sh, 0, packed, 0, sh.length);
        System.arraycopy(shd, 0, packed, sh.length, shd.length);
        String json = "[" + packet("10.0.0.1", 40000, List.of(ch), 1) + "," + packet("10.0.0.2", 443, List.of(packed), 2) + "]";
        Trace t = PcapImporter.build(TraceJson.parse(json), Map.of(), "constructed", "test");
        TraceValidator.assertValid(t.toJsonTree());
        List<Trace.Event> sent = t.events().stream().filter(e -> e.isMessage("sent")).toList();
        assertEquals(List.of("client_hello", "server_hello", "server_hello_done"),
                sent.stream().map(e -> e.text("messageName")).toList());
        assertEquals(Hex.encode(sh), sent.get(1).text("raw"));
        assertEquals(Hex.encode(shd), sent.get(2).text("raw"));
        assertEquals(List.of(0), listOf(sent.get(1).node("recordBoundaries")));
        assertEquals(List.of(), listOf(sent.get(2).node("recordBoundaries")));
        assertEquals("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", sent.get(1).node("fields").get("cipher_suite").asText());
        // the capture ends before Finished: the outcome says so
        Trace.Event outcome = t.events().get(t.events().size() - 1);
        assertEquals("outcome", outcome.kind());
        assertFalse(outcome.flag("established"));
    }

    /** One packet in tshark's JSON shape carrying plaintext handshake records with the given fragments. */
    private static String packet(String ip, int port, List<byte[]> fragments, int handshakeType) {
        StringBuilder recs = new StringBuilder();
        StringBuilder raws = new StringBuilder();
        for (byte[] f : fragments) {
            String rec = "1603" + "03" + String.format("%04x", f.length) + Hex.encode(f);
            if (raws.length() > 0) { raws.append(','); recs.append(','); }
            raws.append("[\"").append(rec).append("\",0,").append(rec.length() / 2).append(",0,0]");
            recs.append("{\"tls.record.content_type\":\"22\",\"tls.handshake_raw\":[\"").append(Hex.encode(f))
                    .append("\",5,").append(f.length).append(",0,0],\"tls.handshake\":{\"tls.handshake.type\":\"")
                    .append(handshakeType).append("\"}}");
        }
        return "{\"_source\":{\"layers\":{\"ip\":{\"ip.src\":\"" + ip + "\"},\"tcp\":{\"tcp.stream\":\"0\",\"tcp.srcport\":\""
                + port + "\"},\"tls\":{\"tls.record_raw\":[" + raws + "],\"tls.record\":[" + recs + "]}}}}";
    }

    /** SunJSSE as a test peer: accepts one TLS 1.2 connection, answers one line reversed, closes. */
    static final class JsseReverseServer implements AutoCloseable {
        private final javax.net.ssl.SSLServerSocket socket;
        private final Thread thread;
        private volatile Throwable failure;

        JsseReverseServer(Path dir, int port) throws Exception {
            Procs.Result p12 = Procs.run(List.of("openssl", "pkcs12", "-export", "-in", "cert.pem", "-inkey", "key.pem",
                    "-out", "server.p12", "-passout", "pass:test"), dir, 30);
            assertEquals(0, p12.exit(), p12.err());
            java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(dir.resolve("server.p12"))) {
                ks.load(in, "test".toCharArray());
            }
            javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance("PKIX");
            kmf.init(ks, "test".toCharArray());
            javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLSv1.2");
            ctx.init(kmf.getKeyManagers(), null, null);
            socket = (javax.net.ssl.SSLServerSocket) ctx.getServerSocketFactory()
                    .createServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress());
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.setEnabledCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"});
            socket.setSoTimeout(15_000);
            thread = new Thread(() -> {
                try (javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) socket.accept()) {
                    s.setSoTimeout(15_000);
                    java.io.BufferedReader r = new java.io.BufferedReader(
                            new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                    String line = r.readLine();
                    OutputStream o = s.getOutputStream();
                    o.write((new StringBuilder(line == null ? "" : line).reverse() + "\n").getBytes(StandardCharsets.US_ASCII));
                    o.flush();
                    r.readLine(); // until the client's close_notify
                } catch (Throwable t) {
                    failure = t;
                }
            }, "jsse-reverse-server");
            thread.setDaemon(true);
            thread.start();
        }

        void awaitDone() throws InterruptedException {
            thread.join(15_000);
            assertFalse(thread.isAlive(), "JSSE server did not finish");
            if (failure != null) {
                throw new AssertionError("JSSE server failed: " + failure, failure);
            }
        }

        @Override
        public void close() throws Exception {
            socket.close();
            thread.join(5_000);
        }
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
