package org.proxyinfo.trace;

import org.proxyinfo.wire.Hex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.pki.Credential;
import org.proxyinfo.pki.Pem;
import org.proxyinfo.pki.RevocationPolicy;
import org.proxyinfo.pki.TestPki;
import org.proxyinfo.proxyinfo.ProxyInfoCodec;
import org.proxyinfo.proxyinfo.ProxyInfoSigner;
import org.proxyinfo.proxyinfo.SignedProxyInfo;
import org.proxyinfo.proxyinfo.SigningMode;
import org.proxyinfo.role.ProxyConfig;
import org.proxyinfo.role.ProxyServer;
import org.proxyinfo.role.ServerCredential;
import org.proxyinfo.role.TlsProxy;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Issue 4 part 5 on the system itself: tshark captures session #1 while {@code openssl s_client
 * -keylogfile -serverinfo 65360} talks through our proxy to an {@code openssl s_server} origin;
 * {@code trace import} turns the capture and openssl's key log into a trace of our schema. The
 * imported trace must show the proxy's ServerHello carrying proxy_info, and that extension, read
 * back from the capture with our codec, must verify as the proxy's bound assertion (DEC-5) over the
 * randoms the capture shows and report the origin's certificate: the wire, not our own trace, says so.
 */
class ProxiedCaptureImportTest {
    private static final TestPki PKI = TestPki.generateDefault();
    private static final int PROXY_INFO = 0xFF50;

    @TempDir
    Path dir;

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }


    @Test
    @DisplayName("trace import of a capture of openssl s_client (-keylogfile) through our proxy: proxy_info on the wire verifies (DEC-5, RFC5246-7.4.9)")
    void importCaptureThroughOurProxy() throws Exception {
        assertTrue(Procs.installed("tshark"), "tshark is not installed; .ci/run installs it (apt-get install tshark)");
        assertTrue(Procs.installed("openssl"), "openssl is not installed");
        Files.writeString(dir.resolve("origin.pem"), Pem.encode("CERTIFICATE", PKI.serverEcdsa().leaf().getEncoded()));
        Files.writeString(dir.resolve("intermediate.pem"), Pem.encode("CERTIFICATE", PKI.serverEcdsa().chain().get(1).getEncoded()));
        Files.writeString(dir.resolve("origin-key.pem"), Pem.encode("PRIVATE KEY", PKI.serverEcdsa().privateKey().getEncoded()));
        Files.writeString(dir.resolve("proxy-ca.pem"), Pem.encode("CERTIFICATE", PKI.proxyCa().leaf().getEncoded()));

        int originPort = freePort();
        Path pcap = dir.resolve("session1.pcap");
        Path keylog = dir.resolve("keylog.txt");
        Path originOut = dir.resolve("origin.out");
        Path clientOut = dir.resolve("client.out");
        Path tsharkErr = dir.resolve("tshark.err");
        Process origin = null;
        Process tshark = null;
        Process client = null;
        ProxyServer proxy = null;
        try {
            origin = new ProcessBuilder("openssl", "s_server", "-accept", "127.0.0.1:" + originPort,
                    "-cert", "origin.pem", "-key", "origin-key.pem", "-cert_chain", "intermediate.pem", "-www", "-tls1_2")
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(originOut.toFile()).start();
            Procs.awaitText(originOut, "ACCEPT", 10_000, origin);

            Credential own = PKI.proxy();
            ProxyConfig cfg = new ProxyConfig(new BcTlsCrypto(new SecureRandom()), new ServerCredential(own.privateKey(), own.chain()))
                    .webTrust(PKI.webTrust(), RevocationPolicy.DEFAULT, PKI.webCrls()).proxyTrust(PKI.proxyTrust())
                    .upstream("127.0.0.1", originPort).limits(8, 5_000, 5_000, 16 * 1024);
            proxy = new ProxyServer(new TlsProxy(cfg), InetAddress.getLoopbackAddress(), 0,
                    new PrintStream(OutputStream.nullOutputStream())).start();

            tshark = new ProcessBuilder("tshark", "-i", "lo", "-w", pcap.toString(), "-f", "tcp port " + proxy.port())
                    .directory(dir.toFile()).redirectOutput(dir.resolve("tshark.out").toFile())
                    .redirectError(tsharkErr.toFile()).start();
            Procs.awaitText(tsharkErr, "Capturing on", 20_000, tshark);
            Thread.sleep(300);

            client = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + proxy.port(),
                    "-servername", TestPki.ORIGIN_HOST, "-tls1_2", "-serverinfo", String.valueOf(PROXY_INFO),
                    "-CAfile", "proxy-ca.pem", "-keylogfile", keylog.toString(), "-ign_eof")
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(clientOut.toFile()).start();
            try (OutputStream stdin = client.getOutputStream()) {
                stdin.write(("GET / HTTP/1.0\r\nHost: " + TestPki.ORIGIN_HOST + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            assertTrue(client.waitFor(20, TimeUnit.SECONDS), "s_client did not finish");
            assertTrue(Files.readString(clientOut, StandardCharsets.ISO_8859_1).contains("HTTP/1.0 200 ok"),
                    "the GET went through the proxy: " + Files.readString(clientOut, StandardCharsets.ISO_8859_1));
            Thread.sleep(300);
            tshark.destroy(); // SIGTERM: tshark finishes the file
            assertTrue(tshark.waitFor(10, TimeUnit.SECONDS), "tshark did not stop");
        } finally {
            if (proxy != null) {
                proxy.close();
            }
            for (Process p : new Process[] {client, tshark, origin}) {
                if (p != null && p.isAlive()) {
                    Procs.kill(p);
                }
            }
        }

        Path out = dir.resolve("imported.json");
        if (System.getenv("PROXYINFO_KEEP_CAPTURE") != null) {
            Path keep = Path.of(System.getenv("PROXYINFO_KEEP_CAPTURE"));
            Files.createDirectories(keep);
            for (Path f : List.of(pcap, keylog, clientOut)) {
                Files.copy(f, keep.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Cli r = Cli.run("trace", "import", pcap.toString(), "--keylog", keylog.toString(), "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        TraceValidator.assertValid(out);
        Trace t = Trace.read(out);
        assertEquals("import", t.source());

        List<Trace.Event> handshake = t.events().stream().filter(e -> e.isMessage("sent"))
                .filter(e -> "handshake".equals(e.text("contentType"))).toList();
        List<String> names = handshake.stream().map(e -> e.text("messageName")).toList();
        assertEquals(List.of("client_hello", "server_hello", "certificate", "server_key_exchange", "server_hello_done",
                "client_key_exchange", "finished", "finished"), names, "session #1 in order");
        assertTrue(handshake.get(6).flag("encrypted") && handshake.get(7).flag("encrypted"), "both Finished decrypted");

        // The master secret of the key log is the one the import used (it decrypted the Finished messages).
        Map<String, String> keys = NssKeyLog.read(keylog);
        String clientRandom = handshake.get(0).node("fields").get("random").asText();
        assertTrue(keys.containsKey(clientRandom), "ClientHello.random is in openssl's key log");

        // The proxy's ServerHello carries proxy_info; read it back from the capture with our codec.
        JsonNode serverHello = handshake.get(1).node("fields");
        String serverRandom = serverHello.get("random").asText();
        JsonNode ext = null;
        for (JsonNode e : serverHello.get("extensions")) {
            if ("proxy_info".equals(e.get("type").asText())) {
                ext = e;
            }
        }
        assertTrue(ext != null, "the proxy's ServerHello carries proxy_info (65360): " + serverHello);
        SignedProxyInfo spi = new ProxyInfoCodec().decodeFromServerHello(Hex.decode(ext.get("data").asText()));
        assertTrue(ProxyInfoSigner.verify(new BcTlsCrypto(new SecureRandom()), SigningMode.BOUND, PKI.proxy().publicKey(),
                Hex.decode(clientRandom), Hex.decode(serverRandom), spi),
                "DEC-5: the captured assertion verifies with the proxy's key over the captured session-#1 randoms");
        assertArrayEquals(PKI.serverEcdsa().leaf().getEncoded(), spi.serverCertificateList().get(0),
                "the assertion reports the origin's certificate");
        // The certificate on session #1 is the proxy's own (00-R10/01-R11: no minting for a proxy_info client).
        Trace.Event cert = handshake.get(2);
        assertEquals(Hex.encode(PKI.proxy().leaf().getEncoded()),
                cert.node("fields").get("certificate_list").get(0).get("der").asText());
    }
}
