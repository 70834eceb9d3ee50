package org.proxyinfo.role;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.core.ServerHandshake;
import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.pki.Credential;
import org.proxyinfo.pki.Pem;
import org.proxyinfo.pki.RevocationPolicy;
import org.proxyinfo.pki.TestPki;

/**
 * Plain TLS 1.2 client authentication (RFC5246-7.4.4, 7.4.6, 7.4.8; issue 13) against real peers,
 * both ways: our client with a certificate against {@code openssl s_server -Verify 1}, SunJSSE
 * and BCJSSE servers with {@code setNeedClientAuth(true)}; {@code openssl s_client -cert -key},
 * SunJSSE and BCJSSE clients against our server with policy need. Plus the refusals of our own
 * server: no certificate under need (handshake_failure), a chain from an untrusted CA (unknown_ca).
 */
class ClientAuthInteropTest {
    static final TestPki PKI = TestCredentials.PKI;
    @TempDir
    static Path dir;
    private Process peer;
    private int threadsBefore;
    private int socketsBefore;

    @BeforeAll
    static void writePem() throws Exception {
        Pem.writeCertificates(dir.resolve("ec-leaf.pem"), PKI.serverEcdsa().chain().subList(0, 1));
        Pem.writeCertificates(dir.resolve("intermediate.pem"), PKI.serverEcdsa().chain().subList(1, 2));
        Pem.writePrivateKey(dir.resolve("ec-key.pem"), PKI.serverEcdsa().privateKey());
        Pem.writeCertificates(dir.resolve("web-ca.pem"), PKI.webTrust());
        Pem.writeCertificates(dir.resolve("client-ca.pem"), PKI.clientTrust());
        for (String k : List.of("ecdsa", "rsa")) {
            Credential c = k.equals("ecdsa") ? PKI.clientEcdsa() : PKI.clientRsa();
            Pem.writeCertificates(dir.resolve("client-" + k + ".pem"), c.chain());
            Pem.writePrivateKey(dir.resolve("client-" + k + "-key.pem"), c.privateKey());
        }
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

    static ServerCredential client(String kind) {
        return TestCredentials.of(kind.equals("ecdsa") ? PKI.clientEcdsa() : PKI.clientRsa());
    }

    static TlsConfig clientConfig(ServerCredential own, RecordingTrace trace) {
        TlsConfig cfg = new TlsConfig(new BcTlsCrypto(new SecureRandom())).verifier(TestCredentials.verifier()).trace(trace);
        return own == null ? cfg : cfg.clientCertificate(own);
    }

    static TlsConfig serverConfig(int policy, RecordingTrace trace) {
        return new TlsConfig(new BcTlsCrypto(new SecureRandom())).credential(TestCredentials.EC).credential(TestCredentials.RSA)
                .trace(trace).clientAuth(policy, PKI.clientTrust(), RevocationPolicy.DEFAULT, List.of());
    }

    // ------------------------------------------------------------------ our client -> openssl

    @ParameterizedTest(name = "our client ({0} certificate) -> openssl s_server -Verify 1")
    @ValueSource(strings = {"ecdsa", "rsa"})
    void ourClientWithCertificateAgainstOpenSslVerify(String kind) throws Exception {
        int port = CertificateRequestInteropTest.freePort();
        peer = new ProcessBuilder(List.of("openssl", "s_server", "-accept", "127.0.0.1:" + port, "-tls1_2", "-www",
                "-Verify", "1", "-verify_return_error", "-CAfile", dir.resolve("client-ca.pem").toString(),
                "-cert", dir.resolve("ec-leaf.pem").toString(), "-key", dir.resolve("ec-key.pem").toString(),
                "-cert_chain", dir.resolve("intermediate.pem").toString())).redirectErrorStream(true).start();
        Socket sock = CertificateRequestInteropTest.connectWhenUp(port, peer);
        RecordingTrace trace = new RecordingTrace();
        TlsConnection c = new TlsClient(clientConfig(client(kind), trace)).connect(new SocketTransport(sock), TestCredentials.HOST);
        assertTrue(c.isEstablished(), c.failureSummary());
        assertTrue(trace.has("message client sent certificate_verify"), trace.events.toString());
        c.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        String page = new String(c.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertTrue(page.startsWith("HTTP/1.0 200 ok"), page);
        // s_server -www prints the verified client certificate's subject on its status page.
        assertTrue(page.contains(TestPki.CLIENT_NAME), page);
        c.close();
    }

    @Test
    void ourClientWithoutCertificateIsRefusedByOpenSslVerify() throws Exception {
        int port = CertificateRequestInteropTest.freePort();
        peer = new ProcessBuilder(List.of("openssl", "s_server", "-accept", "127.0.0.1:" + port, "-tls1_2", "-www",
                "-Verify", "1", "-verify_return_error", "-CAfile", dir.resolve("client-ca.pem").toString(),
                "-cert", dir.resolve("ec-leaf.pem").toString(), "-key", dir.resolve("ec-key.pem").toString(),
                "-cert_chain", dir.resolve("intermediate.pem").toString())).redirectErrorStream(true).start();
        Socket sock = CertificateRequestInteropTest.connectWhenUp(port, peer);
        TlsConnection c = new TlsClient(clientConfig(null, new RecordingTrace())).connect(new SocketTransport(sock), TestCredentials.HOST);
        assertFalse(c.isEstablished());
        // RFC5246-7.4.6: the server that requires a certificate refuses the empty one with a fatal alert.
        assertTrue(c.alertReceived() >= 0, c.failureSummary());
    }

    // ------------------------------------------------------------------ openssl -> our server

    @ParameterizedTest(name = "openssl s_client -cert ({0}) -> our server (client auth need)")
    @ValueSource(strings = {"ecdsa", "rsa"})
    void openSslClientWithCertificateAgainstOurServer(String kind) throws Exception {
        RecordingTrace trace = new RecordingTrace();
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<TlsConnection> server = serve(ss, serverConfig(ServerHandshake.CLIENT_AUTH_NEED, trace));
            peer = new ProcessBuilder(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + ss.getLocalPort(), "-tls1_2",
                    "-servername", TestCredentials.HOST, "-CAfile", dir.resolve("web-ca.pem").toString(), "-verify_return_error",
                    "-ign_eof", "-cert", dir.resolve("client-" + kind + ".pem").toString(),
                    "-key", dir.resolve("client-" + kind + "-key.pem").toString())).redirectErrorStream(true).start();
            peer.getOutputStream().write("hello from openssl\n".getBytes(StandardCharsets.US_ASCII));
            peer.getOutputStream().flush();
            TlsConnection c = server.get(20, TimeUnit.SECONDS);
            assertTrue(c.isEstablished(), c.failureSummary());
            assertTrue(c.clientAuthenticated());
            assertEquals("CN=" + TestPki.CLIENT_NAME, c.peerCertificates().get(0).getSubjectX500Principal().getName());
            String out = new String(peer.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(out.contains("echo: hello from openssl"), out);
            assertTrue(trace.has("check server RFC5246-7.4.8 true"), trace.events.toString());
        }
    }

    @Test
    void openSslClientWithoutCertificateIsRefusedByOurNeedServer() throws Exception {
        RecordingTrace trace = new RecordingTrace();
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<TlsConnection> server = serve(ss, serverConfig(ServerHandshake.CLIENT_AUTH_NEED, trace));
            peer = new ProcessBuilder(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + ss.getLocalPort(), "-tls1_2",
                    "-servername", TestCredentials.HOST, "-CAfile", dir.resolve("web-ca.pem").toString(), "-ign_eof"))
                    .redirectErrorStream(true).start();
            peer.getOutputStream().close();
            TlsConnection c = server.get(20, TimeUnit.SECONDS);
            assertFalse(c.isEstablished());
            assertEquals(AlertDescription.HANDSHAKE_FAILURE, c.alertSent(), c.failureSummary());
            assertEquals("RFC5246-7.4.6", c.failureRequirement());
            String out = new String(peer.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(out.contains("handshake failure"), out);
        }
    }

    private CompletableFuture<TlsConnection> serve(ServerSocket ss, TlsConfig cfg) {
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

    // ------------------------------------------------------------------ JSSE both ways

    static Stream<Arguments> jssePeers() {
        Provider bc = new BouncyCastleJsseProvider();
        return Stream.of(Arguments.of("SunJSSE", null, "ecdsa"), Arguments.of("SunJSSE", null, "rsa"),
                Arguments.of("BCJSSE", bc, "ecdsa"), Arguments.of("BCJSSE", bc, "rsa"));
    }

    /** A JSSE context with our server credentials (or a client credential) and the given trust anchor. */
    static SSLContext jsse(Provider provider, Credential own, List<java.security.cert.X509Certificate> trust) throws Exception {
        SSLContext ctx = provider == null ? SSLContext.getInstance("TLSv1.2") : SSLContext.getInstance("TLSv1.2", provider);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("own", own.privateKey(), "pw".toCharArray(), own.chain().toArray(new Certificate[0]));
        KeyManagerFactory kmf = provider == null ? KeyManagerFactory.getInstance("PKIX") : KeyManagerFactory.getInstance("PKIX", provider);
        kmf.init(ks, "pw".toCharArray());
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        for (int i = 0; i < trust.size(); i++) {
            ts.setCertificateEntry("ca" + i, trust.get(i));
        }
        TrustManagerFactory tmf = provider == null ? TrustManagerFactory.getInstance("PKIX") : TrustManagerFactory.getInstance("PKIX", provider);
        tmf.init(ts);
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
        return ctx;
    }

    @ParameterizedTest(name = "our client ({2} certificate) -> {0} server with setNeedClientAuth")
    @MethodSource("jssePeers")
    void ourClientAgainstJsseNeedClientAuth(String name, Provider provider, String kind) throws Exception {
        SSLContext ctx = jsse(provider, PKI.serverEcdsa(), PKI.clientTrust());
        try (SSLServerSocket ss = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ss.setEnabledProtocols(new String[] {"TLSv1.2"});
            ss.setNeedClientAuth(true);
            CompletableFuture<String> jsse = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) ss.accept()) {
                    s.setSoTimeout(5000);
                    String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
                    OutputStream o = s.getOutputStream();
                    o.write(("echo: " + line + "\n").getBytes(StandardCharsets.US_ASCII));
                    o.flush();
                    return ((java.security.cert.X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
                } catch (Exception e) {
                    return "peer failed: " + e;
                }
            });
            Socket sock = new Socket(InetAddress.getLoopbackAddress(), ss.getLocalPort());
            sock.setSoTimeout(5000);
            TlsConnection c = new TlsClient(clientConfig(client(kind), new RecordingTrace())).connect(new SocketTransport(sock), TestCredentials.HOST);
            assertTrue(c.isEstablished(), c.failureSummary());
            c.write("hello\n".getBytes(StandardCharsets.US_ASCII));
            String reply = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            assertEquals("echo: hello", reply);
            assertEquals("CN=" + TestPki.CLIENT_NAME, jsse.get(10, TimeUnit.SECONDS), name + " saw our client certificate");
            c.close();
        }
    }

    @ParameterizedTest(name = "{0} client ({2} certificate) -> our server (client auth need)")
    @MethodSource("jssePeers")
    void jsseClientAgainstOurNeedServer(String name, Provider provider, String kind) throws Exception {
        RecordingTrace trace = new RecordingTrace();
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<TlsConnection> server = serve(ss, serverConfig(ServerHandshake.CLIENT_AUTH_NEED, trace));
            SSLContext ctx = jsse(provider, kind.equals("ecdsa") ? PKI.clientEcdsa() : PKI.clientRsa(), PKI.webTrust());
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), ss.getLocalPort())) {
                s.setSoTimeout(5000);
                s.startHandshake();
                s.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                String reply = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
                assertEquals("echo: hello", reply);
            }
            TlsConnection c = server.get(10, TimeUnit.SECONDS);
            assertTrue(c.isEstablished(), c.failureSummary());
            assertTrue(c.clientAuthenticated(), name);
            assertTrue(trace.has("message server received certificate_verify"), trace.events.toString());
        }
    }

    // ------------------------------------------------------------------ our client -> our server

    private static TlsConnection[] inMemory(TlsConfig clientCfg, TlsConfig serverCfg) throws Exception {
        InMemoryTransport[] pair = InMemoryTransport.pair(5000);
        CompletableFuture<TlsConnection> server = CompletableFuture.supplyAsync(() -> new TlsServer(serverCfg).accept(pair[1]));
        TlsConnection c = new TlsClient(clientCfg).connect(pair[0], TestCredentials.HOST);
        TlsConnection s = server.get(10, TimeUnit.SECONDS);
        c.close();
        s.close();
        return new TlsConnection[] {c, s};
    }

    @ParameterizedTest(name = "our client ({0}) -> our server need: authenticated")
    @ValueSource(strings = {"ecdsa", "rsa"})
    void ourClientAgainstOurNeedServer(String kind) throws Exception {
        RecordingTrace trace = new RecordingTrace();
        TlsConnection[] cs = inMemory(clientConfig(client(kind), trace), serverConfig(ServerHandshake.CLIENT_AUTH_NEED, trace));
        assertTrue(cs[0].isEstablished(), cs[0].failureSummary());
        assertTrue(cs[1].isEstablished(), cs[1].failureSummary());
        assertTrue(cs[1].clientAuthenticated());
        assertTrue(trace.has("transition server WAIT_CERTIFICATE_VERIFY->WAIT_CHANGE_CIPHER_SPEC"), trace.events.toString());
    }

    @Test
    void wantServerLetsAClientWithoutCertificateInUnauthenticated() throws Exception {
        TlsConnection[] cs = inMemory(clientConfig(null, new RecordingTrace()), serverConfig(ServerHandshake.CLIENT_AUTH_WANT, new RecordingTrace()));
        assertTrue(cs[1].isEstablished(), cs[1].failureSummary());
        assertFalse(cs[1].clientAuthenticated());
    }

    @Test
    void needServerRefusesAClientWithoutCertificate() throws Exception {
        TlsConnection[] cs = inMemory(clientConfig(null, new RecordingTrace()), serverConfig(ServerHandshake.CLIENT_AUTH_NEED, new RecordingTrace()));
        assertFalse(cs[1].isEstablished());
        assertEquals(AlertDescription.HANDSHAKE_FAILURE, cs[1].alertSent(), cs[1].failureSummary());
        assertEquals(AlertDescription.HANDSHAKE_FAILURE, cs[0].alertReceived(), cs[0].failureSummary());
    }

    @Test
    void serverRefusesAClientChainFromAnUntrustedCa() throws Exception {
        TlsConnection[] cs = inMemory(clientConfig(TestCredentials.of(PKI.clientUntrusted()), new RecordingTrace()),
                serverConfig(ServerHandshake.CLIENT_AUTH_WANT, new RecordingTrace()));
        assertFalse(cs[1].isEstablished());
        assertEquals(AlertDescription.UNKNOWN_CA, cs[1].alertSent(), cs[1].failureSummary());
        assertEquals("RFC5246-7.4.6", cs[1].failureRequirement());
    }

    @Test
    void aServerCertificateIsNoClientCertificate() throws Exception {
        // The web server leaf chains to a root the server does not trust for clients, and its EKU is serverAuth only.
        TlsConfig server = new TlsConfig(new BcTlsCrypto(new SecureRandom())).credential(TestCredentials.EC)
                .clientAuth(ServerHandshake.CLIENT_AUTH_NEED, PKI.webTrust(), RevocationPolicy.OFF, List.of())
                .clock(Clock.systemUTC());
        TlsConnection[] cs = inMemory(clientConfig(TestCredentials.EC, new RecordingTrace()), server);
        assertFalse(cs[1].isEstablished());
        assertEquals(AlertDescription.BAD_CERTIFICATE, cs[1].alertSent(), cs[1].failureSummary());
    }
}
