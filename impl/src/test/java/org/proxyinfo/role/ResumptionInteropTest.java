package org.proxyinfo.role;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxyinfo.crypto.BcTlsCrypto;

/**
 * DEC-22 (RFC 5246 section 7.4.1.2, section 7.3 Figure 2; RFC 7627 section 5.3): session resumption
 * by session ID with real peers, resumption actually happening and checked on both ends:
 * {@code openssl s_client -sess_out/-sess_in} against our server ("Reused"), our client against
 * {@code openssl s_server}, SunJSSE and BCJSSE servers (the peer's SSLSession is the same), and
 * SunJSSE and BCJSSE clients against our server (the same SSLSession id on the second connection).
 */
class ResumptionInteropTest {
    @TempDir
    static Path dir;
    private Process peer;
    private int threadsBefore;
    private int socketsBefore;

    @BeforeAll
    static void writePem() throws Exception {
        write(dir.resolve("ca.pem"), TestCredentials.CA);
        write(dir.resolve("ec-cert.pem"), TestCredentials.EC.chain.get(0));
        write(dir.resolve("intermediate.pem"), TestCredentials.EC.chain.get(1));
        Files.writeString(dir.resolve("ec-key.pem"), org.proxyinfo.pki.Pem.encode("PRIVATE KEY",
                TestCredentials.EC.privateKey.getEncoded()));
    }

    private static void write(Path p, Object o) throws IOException {
        try (Writer w = Files.newBufferedWriter(p); JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(o);
        }
    }

    @BeforeEach
    void count() {
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

    private static TlsConfig serverConfig() {
        return new TlsConfig(new BcTlsCrypto(new SecureRandom())).credential(TestCredentials.EC).credential(TestCredentials.RSA);
    }

    private static TlsConfig clientConfig() {
        return new TlsConfig(new BcTlsCrypto(new SecureRandom())).verifier(TestCredentials.verifier());
    }

    /** Our server answers one connection: echoes one line, closes. */
    private static CompletableFuture<TlsConnection> serveOne(ServerSocket ss, TlsConfig cfg) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                Socket s = ss.accept();
                s.setSoTimeout(10_000);
                TlsConnection c = new TlsServer(cfg).accept(new SocketTransport(s));
                if (c.isEstablished()) {
                    String line = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.US_ASCII)).readLine();
                    c.write(("echo: " + line + "\n").getBytes(StandardCharsets.US_ASCII));
                    c.close();
                }
                return c;
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
    }

    @Test
    void ourClientResumesWithOurServerOnlyForTheSameHost() throws Exception {
        TlsConfig scfg = serverConfig();
        TlsConfig ccfg = clientConfig();
        try (ServerSocket ss = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            List<TlsConnection[]> runs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                CompletableFuture<TlsConnection> server = serveOne(ss, scfg);
                Socket sock = new Socket(InetAddress.getLoopbackAddress(), ss.getLocalPort());
                TlsConnection c = new TlsClient(ccfg).connect(new SocketTransport(sock), TestCredentials.HOST);
                assertTrue(c.isEstablished(), c.failureSummary());
                c.write("ping\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals("echo: ping", new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.US_ASCII)).readLine());
                TlsConnection sc = server.get(10, TimeUnit.SECONDS);
                assertTrue(sc.isEstablished(), sc.failureSummary());
                c.close();
                runs.add(new TlsConnection[] {c, sc});
            }
            TlsConnection[] full = runs.get(0);
            TlsConnection[] resumed = runs.get(1);
            assertFalse(full[0].resumed());
            assertFalse(full[1].resumed());
            assertEquals(64, full[0].sessionId().length(), "a full handshake gets a 32-byte session_id");
            assertTrue(resumed[0].resumed(), "the client resumed");
            assertTrue(resumed[1].resumed(), "the server resumed");
            assertEquals(full[0].sessionId(), resumed[0].sessionId());
            assertEquals(full[1].sessionId(), resumed[1].sessionId());
            assertEquals(full[0].cipherSuite(), resumed[0].cipherSuite());
            assertNotEquals(java.util.HexFormat.of().formatHex(full[0].serverRandom()),
                    java.util.HexFormat.of().formatHex(resumed[0].serverRandom()), "fresh randoms on resumption");
            assertArrayEquals(full[0].peerCertificates().get(0).getEncoded(), resumed[0].peerCertificates().get(0).getEncoded());
        }
    }

    /** openssl s_client -sess_out then -sess_in against our server: the second connection says "Reused". */
    @Test
    void openSslClientResumesWithOurServer() throws Exception {
        TlsConfig cfg = serverConfig();
        Path sess = dir.resolve("openssl-session.pem");
        try (ServerSocket ss = new ServerSocket(0, 2, InetAddress.getLoopbackAddress())) {
            String[] outs = new String[2];
            TlsConnection[] servers = new TlsConnection[2];
            for (int i = 0; i < 2; i++) {
                CompletableFuture<TlsConnection> server = serveOne(ss, cfg);
                List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + ss.getLocalPort(),
                        "-tls1_2", "-servername", TestCredentials.HOST, "-CAfile", dir.resolve("ca.pem").toString(),
                        "-verify_return_error", "-ign_eof"));
                cmd.addAll(i == 0 ? List.of("-sess_out", sess.toString()) : List.of("-sess_in", sess.toString()));
                peer = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                peer.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
                peer.getOutputStream().flush();
                servers[i] = server.get(15, TimeUnit.SECONDS);
                assertTrue(peer.waitFor(15, TimeUnit.SECONDS), "openssl s_client did not exit");
                outs[i] = new String(peer.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(servers[i].isEstablished(), servers[i].failureSummary() + "\n" + outs[i]);
                assertTrue(outs[i].contains("echo: hello"), outs[i]);
            }
            assertTrue(outs[0].contains("New, TLSv1.2"), outs[0]);
            assertTrue(outs[1].contains("Reused, TLSv1.2"), outs[1]);
            assertFalse(servers[0].resumed());
            assertTrue(servers[1].resumed());
            assertEquals(servers[0].sessionId(), servers[1].sessionId());
            assertTrue(outs[1].toUpperCase().contains(servers[0].sessionId().toUpperCase()), outs[1]);
        }
    }

    /** Our client against openssl s_server: the second connection resumes (and s_server's page says it reused the session). */
    @Test
    void ourClientResumesWithOpenSslServer() throws Exception {
        int port = OpenSslInteropTest.freePort();
        peer = new ProcessBuilder(List.of("openssl", "s_server", "-accept", "127.0.0.1:" + port, "-tls1_2", "-www",
                "-cert", dir.resolve("ec-cert.pem").toString(), "-key", dir.resolve("ec-key.pem").toString(),
                "-cert_chain", dir.resolve("intermediate.pem").toString())).redirectErrorStream(true).start();
        TlsConfig cfg = clientConfig();
        String[] pages = new String[2];
        TlsConnection[] cs = new TlsConnection[2];
        for (int i = 0; i < 2; i++) {
            Socket sock = connectWhenUp(port);
            cs[i] = new TlsClient(cfg).connect(new SocketTransport(sock), TestCredentials.HOST);
            assertTrue(cs[i].isEstablished(), cs[i].failureSummary());
            cs[i].write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            pages[i] = new String(cs[i].getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(pages[i].startsWith("HTTP/1.0 200 ok"), pages[i]);
            cs[i].close();
        }
        assertFalse(cs[0].resumed());
        assertTrue(cs[1].resumed(), "our client resumed");
        assertEquals(cs[0].sessionId(), cs[1].sessionId());
        assertTrue(pages[1].contains("Reused, TLSv1.2"), pages[1]);
    }

    private static Socket connectWhenUp(int port) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            try {
                Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
                s.setSoTimeout(5000);
                return s;
            } catch (IOException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    @Test
    void ourClientResumesWithSunJsseServer() throws Exception {
        ourClientResumesWithJsseServer(null);
    }

    @Test
    void ourClientResumesWithBcJsseServer() throws Exception {
        ourClientResumesWithJsseServer(new BouncyCastleJsseProvider());
    }

    private void ourClientResumesWithJsseServer(Provider provider) throws Exception {
        SSLContext ctx = JsseSupport.context(provider, true);
        TlsConfig cfg = clientConfig();
        try (SSLServerSocket ss = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 2, InetAddress.getLoopbackAddress())) {
            ss.setEnabledProtocols(new String[] {"TLSv1.2"});
            String[] peerIds = new String[2];
            TlsConnection[] cs = new TlsConnection[2];
            for (int i = 0; i < 2; i++) {
                CompletableFuture<String> server = CompletableFuture.supplyAsync(() -> {
                    try (SSLSocket s = (SSLSocket) ss.accept()) {
                        s.setSoTimeout(5000);
                        String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
                        OutputStream o = s.getOutputStream();
                        o.write(("echo: " + line + "\n").getBytes(StandardCharsets.US_ASCII));
                        o.flush();
                        return java.util.HexFormat.of().formatHex(s.getSession().getId());
                    } catch (Exception e) {
                        return "peer failed: " + e;
                    }
                });
                Socket sock = new Socket(InetAddress.getLoopbackAddress(), ss.getLocalPort());
                sock.setSoTimeout(5000);
                cs[i] = new TlsClient(cfg).connect(new SocketTransport(sock), TestCredentials.HOST);
                assertTrue(cs[i].isEstablished(), cs[i].failureSummary());
                cs[i].write("hi\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals("echo: hi", new BufferedReader(new InputStreamReader(cs[i].getInputStream(), StandardCharsets.US_ASCII)).readLine());
                peerIds[i] = server.get(10, TimeUnit.SECONDS);
                cs[i].close();
            }
            assertFalse(cs[0].resumed());
            assertTrue(cs[1].resumed(), "our client resumed with " + (provider == null ? "SunJSSE" : provider.getName()));
            assertEquals(peerIds[0], peerIds[1], "the JSSE server resumed the same SSLSession");
            assertEquals(peerIds[0], cs[1].sessionId());
        }
    }

    @Test
    void sunJsseClientResumesWithOurServer() throws Exception {
        jsseClientResumesWithOurServer(null);
    }

    @Test
    void bcJsseClientResumesWithOurServer() throws Exception {
        jsseClientResumesWithOurServer(new BouncyCastleJsseProvider());
    }

    private void jsseClientResumesWithOurServer(Provider provider) throws Exception {
        TlsConfig cfg = serverConfig();
        SSLContext ctx = JsseSupport.context(provider, false);
        try (ServerSocket ss = new ServerSocket(0, 2, InetAddress.getLoopbackAddress())) {
            String[] ids = new String[2];
            TlsConnection[] servers = new TlsConnection[2];
            for (int i = 0; i < 2; i++) {
                CompletableFuture<TlsConnection> server = serveOne(ss, cfg);
                // a host string, not an InetAddress: a JSSE client caches its sessions by peer host and port
                try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", ss.getLocalPort())) {
                    s.setSoTimeout(5000);
                    SSLParameters p = s.getSSLParameters();
                    p.setEndpointIdentificationAlgorithm("HTTPS");
                    p.setServerNames(List.of(new SNIHostName(TestCredentials.HOST)));
                    s.setSSLParameters(p);
                    s.startHandshake();
                    ids[i] = java.util.HexFormat.of().formatHex(s.getSession().getId());
                    s.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    assertEquals("echo: hello", new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine());
                }
                servers[i] = server.get(10, TimeUnit.SECONDS);
                assertTrue(servers[i].isEstablished(), servers[i].failureSummary());
            }
            assertEquals(ids[0], ids[1], "the JSSE client got the same SSLSession id on the second connection");
            assertFalse(servers[0].resumed());
            assertTrue(servers[1].resumed(), "our server resumed");
            assertEquals(ids[0], servers[1].sessionId());
        }
    }
}
