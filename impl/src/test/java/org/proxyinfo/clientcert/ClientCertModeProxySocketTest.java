package org.proxyinfo.clientcert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.core.ServerHandshake;
import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.ext.ExtensionTable;
import org.proxyinfo.pki.CertificateValidator;
import org.proxyinfo.pki.Credential;
import org.proxyinfo.pki.RevocationPolicy;
import org.proxyinfo.pki.TestPki;
import org.proxyinfo.proxyinfo.ProxyInfoCodec;
import org.proxyinfo.proxyinfo.ProxyInfoTableEntry;
import org.proxyinfo.proxyinfo.SigningMode;
import org.proxyinfo.proxyinfo.UpstreamPolicy;
import org.proxyinfo.proxyinfo.ValidatorCertificateChecks;
import org.proxyinfo.role.ProxyConfig;
import org.proxyinfo.role.ProxyInfoClientCheck;
import org.proxyinfo.role.ServerCredential;
import org.proxyinfo.role.SocketTransport;
import org.proxyinfo.role.TlsClient;
import org.proxyinfo.role.TlsConfig;
import org.proxyinfo.role.TlsConnection;
import org.proxyinfo.role.TlsProxy;
import org.proxyinfo.role.TlsServer;

/**
 * DEC-23 end to end over loopback sockets (01-R14, 01-R15, 01-R16): our client with a client certificate, our proxy
 * in the client-certificate mode (session #2 held at ServerHelloDone while session #1 runs to the client's
 * CertificateVerify), and our origin server in the mode. All three are the real roles; the adversaries are a client
 * that presents a certificate whose key it does not hold, and an origin that does not accept this proxy.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ClientCertModeProxySocketTest {
    static final TestPki PKI = ClientCertModeTest.PKI;
    static final int CP = org.proxyinfo.wire.ExtensionType.PROXY_INFO_DEFAULT; // DEC-2
    final BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());
    static final byte[] PING = "ping over DEC-23".getBytes(StandardCharsets.US_ASCII);

    ClientCertModeServer mode(List<X509Certificate> acceptedProxies) {
        return new ClientCertModeServer(crypto,
                new CertificateValidator(PKI.clientTrust(), ClientCertModeTest.CLOCK, RevocationPolicy.DEFAULT, List.of()),
                new CertificateValidator(acceptedProxies, ClientCertModeTest.CLOCK, RevocationPolicy.DEFAULT, List.of()));
    }

    TlsConfig origin(ClientCertModeServer mode) {
        Credential s = PKI.serverEcdsa();
        return new TlsConfig(crypto).clock(ClientCertModeTest.CLOCK).credential(new ServerCredential(s.privateKey(), s.chain()))
                .clientAuth(ServerHandshake.CLIENT_AUTH_NEED, PKI.clientTrust(), RevocationPolicy.DEFAULT, List.of())
                .clientCertMode(mode).proxyInfoType(CP).timeoutMillis(20_000)
                .extensions(ExtensionTable.DEFAULT.with(ClientCertModeEntry.server(CP, mode)));
    }

    boolean offerMode = true;

    TlsConfig client(ServerCredential own) {
        ProxyInfoClientCheck check = new ProxyInfoClientCheck(crypto, SigningMode.BOUND, CP,
                new ValidatorCertificateChecks(PKI.proxyTrust(), List.of(), PKI.webTrust(), RevocationPolicy.DEFAULT,
                        PKI.webCrls(), ClientCertModeTest.CLOCK),
                UpstreamPolicy.defaults(), null, "client", "session1", ProxyInfoCodec.DEFAULT_MAX_DEPTH);
        return new TlsConfig(crypto).clock(ClientCertModeTest.CLOCK).timeoutMillis(20_000)
                .trustAnchors(PKI.webTrust(), RevocationPolicy.DEFAULT, PKI.webCrls())
                .extensions(offerMode ? ExtensionTable.DEFAULT.with(new ProxyInfoTableEntry(CP)).with(ClientCertModeOffer.client())
                        : ExtensionTable.DEFAULT.with(new ProxyInfoTableEntry(CP)))
                .proxyInfoCheck(check).clientCertificate(own);
    }

    record Run(TlsConnection client, TlsProxy.Outcome proxy, TlsConnection origin, byte[] echoed) { }

    Run run(ClientCertModeServer mode, ServerCredential clientOwn) throws Exception {
        Credential p = PKI.proxy();
        try (ServerSocket originListener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ServerSocket proxyListener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            TlsConfig originCfg = origin(mode);
            CompletableFuture<TlsConnection> origin = CompletableFuture.supplyAsync(() -> {
                try (Socket s = originListener.accept()) {
                    s.setSoTimeout(20_000);
                    TlsConnection c = new TlsServer(originCfg).accept(new SocketTransport(s));
                    echoPing(c);
                    return c;
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            ProxyConfig pc = new ProxyConfig(crypto, new ServerCredential(p.privateKey(), p.chain())).clock(ClientCertModeTest.CLOCK)
                    .webTrust(PKI.webTrust(), RevocationPolicy.DEFAULT, PKI.webCrls()).proxyTrust(PKI.proxyTrust())
                    .upstream("127.0.0.1", originListener.getLocalPort()).limits(4, 20_000, 20_000, 16 * 1024)
                    .clientCertMode(true);
            TlsProxy proxy = new TlsProxy(pc);
            CompletableFuture<TlsProxy.Outcome> proxied = CompletableFuture.supplyAsync(() -> {
                try {
                    return proxy.handle(proxyListener.accept());
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            byte[] echoed = null;
            TlsConnection c;
            try (Socket sock = new Socket(InetAddress.getLoopbackAddress(), proxyListener.getLocalPort())) {
                sock.setSoTimeout(20_000);
                c = new TlsClient(client(clientOwn)).connect(new SocketTransport(sock), TestPki.ORIGIN_HOST);
                if (c.isEstablished()) {
                    c.write(PING);
                    echoed = readPing(c);
                    c.close();
                }
            }
            TlsProxy.Outcome out = proxied.get(60, TimeUnit.SECONDS);
            TlsConnection o = origin.get(60, TimeUnit.SECONDS);
            return new Run(c, out, o, echoed);
        }
    }

    static ServerCredential own(Credential c) {
        return new ServerCredential(c.privateKey(), c.chain());
    }

    @Test
    @DisplayName("DEC-23, 01-R14, 01-R15, 01-R16 end to end: client -> proxy (session #2 held) -> origin; the origin accepts the client's identity")
    void honestRunEstablished() throws Exception {
        Run r = run(mode(PKI.proxyTrust()), own(PKI.clientEcdsa()));
        assertTrue(r.client().isEstablished(), r.client().failureSummary() + " / proxy: " + r.proxy().describe());
        assertTrue(r.origin().isEstablished(), r.origin().failureSummary());
        assertTrue(r.proxy().session2.isEstablished(), r.proxy().describe());
        assertEquals(PKI.clientEcdsa().leaf().getSubjectX500Principal().getName(), r.origin().forwardedClient(),
                "the origin records the client the proxy forwarded (01-R16)");
        assertArrayEquals(PING, r.echoed(), "application data relayed both ways after both sessions completed");
        assertEquals("CLOSED", r.proxy().finalState, r.proxy().describe());
    }

    @Test
    @DisplayName("adversary 01-R15 end to end: a client whose CertificateVerify fails (a certificate whose key it does not hold): decrypt_error on both sessions")
    void failingClientCertificateVerifyAbortsBothSessions() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        ServerCredential stolen = new ServerCredential(g.generateKeyPair().getPrivate(), PKI.clientEcdsa().chain());
        Run r = run(mode(PKI.proxyTrust()), stolen);
        assertFalse(r.client().isEstablished());
        assertEquals(AlertDescription.DECRYPT_ERROR, r.client().alertReceived(), r.client().failureSummary());
        assertEquals(AlertDescription.DECRYPT_ERROR, r.proxy().session1.alertSent(), r.proxy().describe());
        assertEquals("01-R15", r.proxy().session1.failureRequirement(), r.proxy().describe());
        assertFalse(r.proxy().session2.isEstablished(), "session #2 is abandoned too (01-R15)");
        assertEquals(AlertDescription.DECRYPT_ERROR, r.proxy().session2.alertSent(), r.proxy().session2.failureSummary());
        assertFalse(r.origin().isEstablished());
        assertEquals(AlertDescription.DECRYPT_ERROR, r.origin().alertReceived(), r.origin().failureSummary());
        assertNull(r.origin().forwardedClient());
    }

    @Test
    @DisplayName("DEC-23: a client that does not offer client_cert_mode is refused by a proxy in the mode with handshake_failure, before session #2 is opened")
    void clientWithoutTheModeRefused() throws Exception {
        offerMode = false;
        try (ServerSocket originListener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ServerSocket proxyListener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Credential p = PKI.proxy();
            ProxyConfig pc = new ProxyConfig(crypto, new ServerCredential(p.privateKey(), p.chain())).clock(ClientCertModeTest.CLOCK)
                    .webTrust(PKI.webTrust(), RevocationPolicy.DEFAULT, PKI.webCrls()).proxyTrust(PKI.proxyTrust())
                    .upstream("127.0.0.1", originListener.getLocalPort()).limits(4, 20_000, 20_000, 16 * 1024).clientCertMode(true);
            CompletableFuture<TlsProxy.Outcome> proxied = CompletableFuture.supplyAsync(() -> {
                try {
                    return new TlsProxy(pc).handle(proxyListener.accept());
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            TlsConnection c;
            try (Socket sock = new Socket(InetAddress.getLoopbackAddress(), proxyListener.getLocalPort())) {
                sock.setSoTimeout(20_000);
                c = new TlsClient(client(own(PKI.clientEcdsa()))).connect(new SocketTransport(sock), TestPki.ORIGIN_HOST);
            }
            TlsProxy.Outcome out = proxied.get(60, TimeUnit.SECONDS);
            assertFalse(c.isEstablished());
            assertEquals(AlertDescription.HANDSHAKE_FAILURE, c.alertReceived(), c.failureSummary());
            assertEquals("DEC-23", out.session1.failureRequirement(), out.describe());
            assertNull(out.session2, "no session #2 for a client the mode cannot serve");
        }
    }

    @Test
    @DisplayName("adversary 01-R16 end to end: an origin that does not accept this proxy: access_denied on session #2, handshake_failure on session #1")
    void unacceptedProxy() throws Exception {
        Run r = run(mode(PKI.clientTrust()), own(PKI.clientEcdsa())); // the origin accepts proxies under another CA only
        assertFalse(r.origin().isEstablished());
        assertEquals(AlertDescription.ACCESS_DENIED, r.origin().alertSent(), r.origin().failureSummary());
        assertEquals(AlertDescription.ACCESS_DENIED, r.proxy().session2.alertReceived(), r.proxy().session2.failureSummary());
        assertFalse(r.client().isEstablished(), "session #1 is never finished over a refused session #2 (01-R15)");
        assertEquals(AlertDescription.HANDSHAKE_FAILURE, r.client().alertReceived(), r.client().failureSummary()
                + " / proxy: " + r.proxy().describe());
        assertNull(r.origin().forwardedClient());
    }

    /** An established origin connection echoes one PING (all its bytes, or nothing if the peer stops early) and closes. */
    static void echoPing(TlsConnection c) throws java.io.IOException {
        if (!c.isEstablished()) {
            return;
        }
        byte[] got = readPing(c);
        if (got.length == PING.length) {
            c.write(got, 0, got.length);
        }
        c.close();
    }

    /** Reads up to PING.length bytes from {@code c}: all of them, or what came before the peer stopped. */
    static byte[] readPing(TlsConnection c) throws java.io.IOException {
        byte[] buf = new byte[PING.length];
        int n = 0;
        while (n < buf.length) {
            int r = c.read(buf, n, buf.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return java.util.Arrays.copyOf(buf, n);
    }
}
