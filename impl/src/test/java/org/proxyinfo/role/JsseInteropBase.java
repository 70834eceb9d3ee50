package org.proxyinfo.role;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.wire.CipherSuite;
import org.proxyinfo.wire.NamedGroup;

/**
 * Interop with a JSSE provider (SunJSSE, BCJSSE) over loopback sockets, both directions,
 * application data both ways; the subclasses name the provider.
 */
abstract class JsseInteropBase {
    /** null = SunJSSE (the JDK default). */
    abstract java.security.Provider provider();

    abstract String peerName();

    private int threadsBefore;
    private int socketsBefore;

    @BeforeEach
    void countThreads() {
        threadsBefore = Leaks.threads();
        socketsBefore = Leaks.openSockets();
    }

    @AfterEach
    void noThreadLeak() throws Exception {
        Leaks.assertNoThreadLeak(threadsBefore);
        Leaks.assertNoSocketLeak(socketsBefore);
    }

    @ParameterizedTest(name = "our client -> JSSE server: {0} / {1}")
    @CsvSource({
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, x25519",
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, secp256r1",
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, secp256r1",
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, x25519",
    })
    void ourClientAgainstJsseServer(String suite, String group) throws Exception {
        SSLContext ctx = JsseSupport.context(provider(), true);
        try (SSLServerSocket ss = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ss.setEnabledProtocols(new String[] {"TLSv1.2"});
            CompletableFuture<String> peer = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) ss.accept()) {
                    s.setSoTimeout(5000);
                    BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                    String line = r.readLine();
                    OutputStream o = s.getOutputStream();
                    o.write(("echo: " + line + "\n").getBytes(StandardCharsets.US_ASCII));
                    o.flush();
                    return s.getSession().getCipherSuite() + " " + s.getSession().getProtocol();
                } catch (Exception e) {
                    return "peer failed: " + e;
                }
            });
            TlsConfig cfg = new TlsConfig(new BcTlsCrypto(new SecureRandom())).verifier(TestCredentials.verifier())
                    .cipherSuites(CipherSuite.fromName(suite)).groups(InMemoryHandshakeTest.offer(suite, group));
            Socket sock = new Socket(InetAddress.getLoopbackAddress(), ss.getLocalPort());
            sock.setSoTimeout(5000);
            TlsConnection c = new TlsClient(cfg).connect(new SocketTransport(sock), TestCredentials.HOST);
            assertTrue(c.isEstablished(), c.failureSummary());
            c.write("hello SunJSSE\n".getBytes(StandardCharsets.US_ASCII));
            String reply = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            assertEquals("echo: hello SunJSSE", reply);
            assertEquals(suite + " TLSv1.2", peer.get(10, TimeUnit.SECONDS));
            assertEquals(NamedGroup.fromName(group), c.namedGroup());
            c.close();
            assertTrue(sock.isClosed());
        }
    }

    @ParameterizedTest(name = "JSSE client -> our server: {0} / {1}")
    @CsvSource({
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, secp256r1",
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, x25519",
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, x25519",
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, secp256r1",
    })
    void jsseClientAgainstOurServer(String suite, String group) throws Exception {
        TlsConfig cfg = new TlsConfig(new BcTlsCrypto(new SecureRandom()))
                .credential(TestCredentials.EC).credential(TestCredentials.RSA)
                .cipherSuites(CipherSuite.fromName(suite)).groups(NamedGroup.fromName(group));
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<TlsConnection> server = CompletableFuture.supplyAsync(() -> {
                try {
                    Socket s = ss.accept();
                    s.setSoTimeout(5000);
                    TlsConnection c = new TlsServer(cfg).accept(new SocketTransport(s));
                    if (c.isEstablished()) {
                        String line = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.US_ASCII)).readLine();
                        c.write(("echo: " + line + "\n").getBytes(StandardCharsets.US_ASCII));
                    }
                    return c;
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            SSLContext ctx = JsseSupport.context(provider(), false);
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), ss.getLocalPort())) {
                s.setSoTimeout(5000);
                SSLParameters p = s.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                p.setServerNames(List.of(new SNIHostName(TestCredentials.HOST)));
                s.setSSLParameters(p);
                s.startHandshake();
                assertEquals("TLSv1.2", s.getSession().getProtocol());
                assertEquals(suite, s.getSession().getCipherSuite());
                s.getOutputStream().write("hello from SunJSSE\n".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                String reply = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
                assertEquals("echo: hello from SunJSSE", reply);
            }
            TlsConnection c = server.get(10, TimeUnit.SECONDS);
            assertTrue(c.isEstablished(), c.failureSummary());
            assertEquals(NamedGroup.fromName(group), c.namedGroup());
            assertEquals(TestCredentials.HOST, c.serverName());
            c.close();
            assertTrue(c.transport().isClosed());
        }
    }

    /** RFC5246-E.1: a client that prefers TLS 1.3 (default JSSE "TLS" context) gets TLS 1.2 from our server. */
    @org.junit.jupiter.api.Test
    void tls13CapableClientNegotiatesTls12WithOurServer() throws Exception {
        TlsConfig cfg = new TlsConfig(new BcTlsCrypto(new SecureRandom())).credential(TestCredentials.EC).credential(TestCredentials.RSA);
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<TlsConnection> server = CompletableFuture.supplyAsync(() -> {
                try {
                    Socket s = ss.accept();
                    TlsConnection c = new TlsServer(cfg).accept(new SocketTransport(s));
                    if (c.isEstablished()) {
                        c.write("ok\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    return c;
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            SSLContext ctx = provider() == null ? SSLContext.getInstance("TLS") : SSLContext.getInstance("TLS", provider());
            ctx.init(null, JsseSupport.trustManagers(provider()), new SecureRandom());
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), ss.getLocalPort())) {
                s.setSoTimeout(5000);
                assertTrue(java.util.Arrays.asList(s.getEnabledProtocols()).contains("TLSv1.3"), "the peer offers TLS 1.3");
                SSLParameters p = s.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                p.setServerNames(List.of(new SNIHostName(TestCredentials.HOST)));
                s.setSSLParameters(p);
                s.startHandshake();
                assertEquals("TLSv1.2", s.getSession().getProtocol());
                assertEquals("ok", new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine());
            }
            TlsConnection c = server.get(10, TimeUnit.SECONDS);
            assertTrue(c.isEstablished(), c.failureSummary());
            c.close();
        }
    }
}
