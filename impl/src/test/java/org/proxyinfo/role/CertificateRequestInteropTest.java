package org.proxyinfo.role;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.pki.Pem;

/**
 * RFC5246-7.4.4 / RFC5246-7.4.6: a server that merely <em>asks</em> for a client certificate
 * (an optional CertificateRequest) must not break our client. A client without a certificate
 * answers with an empty Certificate and the server decides by its policy. Real peers:
 * {@code openssl s_server -verify 1} and a default {@code gnutls-serv} (which asks by default).
 * Issue 13: before the fix our client aborted with unexpected_message ("received
 * unknown_handshake_type").
 */
class CertificateRequestInteropTest {
    @TempDir
    static Path dir;
    private Process peer;
    private int threadsBefore;
    private int socketsBefore;

    @BeforeAll
    static void writePem() throws Exception {
        Pem.writeCertificates(dir.resolve("ec-chain.pem"), TestCredentials.PKI.serverEcdsa().chain());
        Pem.writeCertificates(dir.resolve("ec-leaf.pem"), TestCredentials.PKI.serverEcdsa().chain().subList(0, 1));
        Pem.writeCertificates(dir.resolve("intermediate.pem"), TestCredentials.PKI.serverEcdsa().chain().subList(1, 2));
        Pem.writePrivateKey(dir.resolve("ec-key.pem"), TestCredentials.PKI.serverEcdsa().privateKey());
        // gnutls reads an EC key only in the SEC1 form with its curve ("EC PRIVATE KEY"): let openssl convert it.
        Process p = new ProcessBuilder("openssl", "ec", "-in", dir.resolve("ec-key.pem").toString(),
                "-out", dir.resolve("ec-key-sec1.pem").toString()).redirectErrorStream(true).start();
        assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @BeforeEach
    void countThreads() {
        threadsBefore = Leaks.threads();
        socketsBefore = Leaks.openSockets();
    }

    @AfterEach
    void killPeer() throws Exception {
        if (peer != null) {
            peer.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        Leaks.assertNoThreadLeak(threadsBefore);
        Leaks.assertNoSocketLeak(socketsBefore);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static Socket connectWhenUp(int port, Process p) throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        while (true) {
            if (!p.isAlive()) {
                throw new AssertionError("peer exited: " + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            try {
                Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
                s.setSoTimeout(10_000);
                return s;
            } catch (IOException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    private TlsConnection connect(int port, RecordingTrace trace) throws Exception {
        Socket sock = connectWhenUp(port, peer);
        TlsConfig cfg = new TlsConfig(new BcTlsCrypto(new SecureRandom())).verifier(TestCredentials.verifier()).trace(trace);
        return new TlsClient(cfg).connect(new SocketTransport(sock), TestCredentials.HOST);
    }

    /** The client saw the CertificateRequest and answered with an empty Certificate before its key exchange. */
    private static void assertAnsweredEmpty(RecordingTrace trace) {
        List<String> msgs = new ArrayList<>();
        synchronized (trace.events) {
            for (String e : trace.events) {
                if (e.startsWith("message client ")) {
                    msgs.add(e.substring("message client ".length()));
                }
            }
        }
        int cr = msgs.indexOf("received certificate_request");
        int done = msgs.indexOf("received server_hello_done");
        int cert = msgs.indexOf("sent certificate");
        int cke = msgs.indexOf("sent client_key_exchange");
        assertTrue(cr >= 0 && cr < done, msgs.toString());
        assertTrue(done < cert && cert < cke, "RFC5246-7.4.6: Certificate right after ServerHelloDone: " + msgs);
        assertTrue(!msgs.contains("sent certificate_verify"), "no CertificateVerify without a certificate (RFC5246-7.4.8): " + msgs);
        assertTrue(trace.has("check client RFC5246-7.4.6 true"), trace.events.toString());
    }

    @Test
    void ourClientWithoutCertificateAgainstOpenSslVerify1() throws Exception {
        int port = freePort();
        peer = new ProcessBuilder(List.of("openssl", "s_server", "-accept", "127.0.0.1:" + port, "-tls1_2", "-www",
                "-verify", "1", "-cert", dir.resolve("ec-leaf.pem").toString(), "-key", dir.resolve("ec-key.pem").toString(),
                "-cert_chain", dir.resolve("intermediate.pem").toString()))
                .redirectErrorStream(true).start();
        RecordingTrace trace = new RecordingTrace();
        TlsConnection c = connect(port, trace);
        assertTrue(c.isEstablished(), c.failureSummary());
        assertAnsweredEmpty(trace);
        c.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        String page = new String(c.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertTrue(page.startsWith("HTTP/1.0 200 ok"), page);
        c.close();
    }

    @Test
    void ourClientWithoutCertificateAgainstDefaultGnutlsServ() throws Exception {
        int port = freePort();
        peer = new ProcessBuilder(List.of("gnutls-serv", "--port", String.valueOf(port),
                "--x509certfile", dir.resolve("ec-chain.pem").toString(), "--x509keyfile", dir.resolve("ec-key-sec1.pem").toString()))
                .redirectErrorStream(true).start();
        RecordingTrace trace = new RecordingTrace();
        TlsConnection c = connect(port, trace);
        assertTrue(c.isEstablished(), c.failureSummary());
        assertAnsweredEmpty(trace);
        c.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        String page = new String(c.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertTrue(page.startsWith("HTTP/1.0 200 OK"), page);
        assertEquals(true, page.contains("TLS1.2"), page);
        c.close();
    }
}
