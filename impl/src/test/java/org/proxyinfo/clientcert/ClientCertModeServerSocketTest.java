package org.proxyinfo.clientcert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.proxyinfo.adversary.ClientCertAdversary;
import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.core.ServerHandshake;
import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.ext.ExtensionTable;
import org.proxyinfo.pki.CertificateValidator;
import org.proxyinfo.pki.Credential;
import org.proxyinfo.pki.RevocationPolicy;
import org.proxyinfo.pki.TestPki;
import org.proxyinfo.proxyinfo.ProxyInfo;
import org.proxyinfo.role.ServerCredential;
import org.proxyinfo.role.SocketTransport;
import org.proxyinfo.role.SupplementalDataSource;
import org.proxyinfo.role.TlsClient;
import org.proxyinfo.role.TlsConfig;
import org.proxyinfo.role.TlsConnection;
import org.proxyinfo.role.TlsServer;

/**
 * DEC-23 over real sockets, the origin server's side (01-R14, 01-R16): our {@link TlsServer} configured for the
 * client-certificate mode, and the proxy's session #2 as our real {@link TlsClient} (proxy_to_server in its
 * ClientHello, the proxy's certificate and CertificateVerify, the client's chain and ProxyCertVerify in a
 * SupplementalData before its Certificate). The client's ProxyCertVerify is made by {@link ClientCertModeClient}
 * with the client's real key over session #2's real server_random and the nonce the server really sent, and
 * passes the proxy's {@link ClientCertModeProxy} first (01-R15). What is not here: session #1 (the client's own
 * TLS connection to the proxy); the client's CertificateVerify on it is a real signature over a stand-in
 * transcript. The adversaries change what the proxy's host sends, and each is refused with its alert.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientCertModeServerSocketTest {
    static final TestPki PKI = ClientCertModeTest.PKI;
    static final int CP = org.proxyinfo.wire.ExtensionType.PROXY_INFO_DEFAULT; // DEC-2
    static final int ECDSA = BcTlsCrypto.SCHEME_ECDSA_SECP256R1_SHA256;
    final BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());

    ClientCertModeServer mode() {
        return new ClientCertModeServer(crypto,
                new CertificateValidator(PKI.clientTrust(), ClientCertModeTest.CLOCK, RevocationPolicy.DEFAULT, List.of()),
                new CertificateValidator(PKI.proxyTrust(), ClientCertModeTest.CLOCK, RevocationPolicy.DEFAULT, List.of()));
    }

    TlsConfig origin(ClientCertModeServer mode) {
        Credential s = PKI.serverEcdsa();
        return new TlsConfig(crypto).clock(ClientCertModeTest.CLOCK).credential(new ServerCredential(s.privateKey(), s.chain()))
                .clientAuth(ServerHandshake.CLIENT_AUTH_NEED, PKI.clientTrust(), RevocationPolicy.DEFAULT, List.of())
                .clientCertMode(mode).proxyInfoType(CP)
                .extensions(ExtensionTable.DEFAULT.with(ClientCertModeEntry.server(CP, mode)));
    }

    /** What the honest proxy's host hands session #2: the client's entry, after 01-R15 passed on session #1. */
    SupplementalDataSource honest(ClientCertModeEntry entry, Credential proxy, byte[][] captured) {
        return serverRandom -> {
            byte[] nonce = entry.nonce();
            byte[] fromClient = ClientCertModeClient.supplementalData(crypto, ClientCertModeTest.own(PKI.clientEcdsa()), ECDSA,
                    ClientCertModeTest.clientMaySign(true), serverRandom, serverRandom, nonce, proxy.chainDer(),
                    proxy.chainDer().get(0));
            byte[] transcript1 = crypto.random(300); // stand-in for session #1's transcript (this test runs session #2 alone)
            byte[] cv = crypto.sign(PKI.clientEcdsa().privateKey(), ECDSA, transcript1);
            byte[] forwarded = new ClientCertModeProxy().onClientAuthentication(PKI.clientEcdsa().chainDer(), fromClient,
                    crypto.verify(PKI.clientEcdsa().leaf().getPublicKey(), ECDSA, transcript1, cv));
            if (captured != null) {
                captured[0] = forwarded;
            }
            return forwarded;
        };
    }

    record Run(TlsConnection session2, TlsConnection server) { }

    Run run(ClientCertModeServer mode, Credential proxy, java.util.function.Function<ClientCertModeEntry, SupplementalDataSource> source)
            throws Exception {
        ClientCertModeEntry entry = ClientCertModeEntry.upstream(CP,
                ProxyToServer.sign(crypto, proxy.privateKey(), ECDSA, proxy.chainDer(), ProxyInfo.clientToProxy()));
        TlsConfig session2 = new TlsConfig(crypto).clock(ClientCertModeTest.CLOCK)
                .trustAnchors(PKI.webTrust(), RevocationPolicy.DEFAULT, PKI.webCrls())
                .extensions(ExtensionTable.DEFAULT.with(entry)).proxyInfoType(CP)
                .clientCertificate(new ServerCredential(proxy.privateKey(), proxy.chain()))
                .supplementalData(source.apply(entry));
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            TlsConfig originCfg = origin(mode);
            CompletableFuture<TlsConnection> server = CompletableFuture.supplyAsync(() -> {
                try {
                    Socket s = ss.accept();
                    s.setSoTimeout(10_000);
                    return new TlsServer(originCfg).accept(new SocketTransport(s));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            Socket sock = new Socket(InetAddress.getLoopbackAddress(), ss.getLocalPort());
            sock.setSoTimeout(10_000);
            TlsConnection c = new TlsClient(session2).connect(new SocketTransport(sock), TestPki.ORIGIN_HOST);
            TlsConnection srv = server.get(30, TimeUnit.SECONDS);
            sock.close();
            return new Run(c, srv);
        }
    }

    @Test
    @DisplayName("DEC-23, 01-R16 over sockets: the server accepts the client identity an accepted proxy forwards with the client's ProxyCertVerify over its nonce")
    void honestRunEstablished() throws Exception {
        Run r = run(mode(), PKI.proxy(), e -> honest(e, PKI.proxy(), null));
        assertTrue(r.session2().isEstablished(), r.session2().failureSummary());
        assertTrue(r.server().isEstablished(), r.server().failureSummary());
        assertNotNull(r.server().forwardedClient(), "the server records the forwarded client identity");
        assertEquals(PKI.clientEcdsa().leaf().getSubjectX500Principal().getName(), r.server().forwardedClient());
    }

    @Test
    @DisplayName("adversary 01-R16 over sockets: the proxy's host forwards the client's chain without the client's ProxyCertVerify: decrypt_error")
    void chainWithoutClientSignature() throws Exception {
        Run r = run(mode(), PKI.proxy(), e -> serverRandom -> ClientCertAdversary.forwardChainWithoutClientSignature(crypto,
                honest(e, PKI.proxy(), null).supplementalData(serverRandom), PKI.proxy().privateKey(), ECDSA, serverRandom,
                e.nonce(), PKI.proxy().chainDer().get(0)));
        assertRefused(r, AlertDescription.DECRYPT_ERROR);
    }

    @Test
    @DisplayName("adversary 01-R16 over sockets: a ProxyCertVerify replayed from an earlier session (old nonce): decrypt_error")
    void replayedProxyCertVerify() throws Exception {
        ClientCertModeServer mode = mode();
        byte[][] earlier = new byte[1][];
        Run first = run(mode, PKI.proxy(), e -> honest(e, PKI.proxy(), earlier));
        assertTrue(first.server().isEstablished(), first.server().failureSummary());
        Run r = run(mode, PKI.proxy(), e -> serverRandom -> ClientCertAdversary.replayProxyCertVerify(earlier[0]));
        assertRefused(r, AlertDescription.DECRYPT_ERROR);
    }

    @Test
    @DisplayName("adversary 01-R16 over sockets: a proxy the server does not accept: access_denied")
    void unacceptedProxy() throws Exception {
        Run r = run(mode(), PKI.proxyUntrusted(), e -> honest(e, PKI.proxyUntrusted(), null));
        assertRefused(r, AlertDescription.ACCESS_DENIED);
    }

    @Test
    @DisplayName("DEC-23: a SupplementalData to a server not in the mode is unexpected_message; the mode's server without one refuses an anonymous proxy")
    void supplementalDataOnlyInTheMode() throws Exception {
        // the origin without DEC-23 (client auth need, ordinary proxy_info handling): the SupplementalData is out of place
        ClientCertModeServer mode = mode();
        ClientCertModeEntry entry = ClientCertModeEntry.upstream(CP,
                ProxyToServer.sign(crypto, PKI.proxy().privateKey(), ECDSA, PKI.proxy().chainDer(), ProxyInfo.clientToProxy()));
        Credential s = PKI.serverEcdsa();
        TlsConfig plainNeed = new TlsConfig(crypto).clock(ClientCertModeTest.CLOCK).credential(new ServerCredential(s.privateKey(), s.chain()))
                .clientAuth(ServerHandshake.CLIENT_AUTH_NEED, PKI.clientTrust(), RevocationPolicy.DEFAULT, List.of());
        TlsConfig session2 = new TlsConfig(crypto).clock(ClientCertModeTest.CLOCK)
                .trustAnchors(PKI.webTrust(), RevocationPolicy.DEFAULT, PKI.webCrls())
                .extensions(ExtensionTable.DEFAULT.with(entry)).proxyInfoType(CP)
                .clientCertificate(new ServerCredential(PKI.clientEcdsa().privateKey(), PKI.clientEcdsa().chain()))
                .supplementalData(sr -> new ClientCertSupplement(PKI.clientEcdsa().chainDer(), ECDSA, new byte[8]).encode());
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<TlsConnection> server = CompletableFuture.supplyAsync(() -> {
                try {
                    Socket sk = ss.accept();
                    sk.setSoTimeout(10_000);
                    return new TlsServer(plainNeed).accept(new SocketTransport(sk));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            Socket sock = new Socket(InetAddress.getLoopbackAddress(), ss.getLocalPort());
            sock.setSoTimeout(10_000);
            TlsConnection c = new TlsClient(session2).connect(new SocketTransport(sock), TestPki.ORIGIN_HOST);
            TlsConnection srv = server.get(30, TimeUnit.SECONDS);
            sock.close();
            assertFalse(srv.isEstablished());
            assertEquals(AlertDescription.UNEXPECTED_MESSAGE, srv.alertSent(), srv.failureSummary());
            assertFalse(c.isEstablished());
            assertNull(entry.nonce(), "an origin not in DEC-23 mode sends no nonce (DEC-19: no proxy_info answer)");
        }
        assertNotNull(mode);
    }

    static void assertRefused(Run r, int alert) {
        assertFalse(r.server().isEstablished(), "the server must refuse");
        assertEquals(alert, r.server().alertSent(), r.server().failureSummary());
        assertEquals("01-R16", r.server().failureRequirement(), r.server().failureSummary());
        assertNull(r.server().forwardedClient());
        assertFalse(r.session2().isEstablished());
        assertEquals(alert, r.session2().alertReceived(), r.session2().failureSummary());
    }
}
