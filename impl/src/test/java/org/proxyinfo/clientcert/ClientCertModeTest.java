package org.proxyinfo.clientcert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.proxyinfo.adversary.ClientCertAdversary;
import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.core.ClientCertMode;
import org.proxyinfo.core.ClientHandshake;
import org.proxyinfo.core.ProxyInfoDecision;
import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.pki.CertificateValidator;
import org.proxyinfo.pki.Credential;
import org.proxyinfo.pki.RevocationPolicy;
import org.proxyinfo.pki.TestPki;
import org.proxyinfo.reference.ReferenceTraces;
import org.proxyinfo.role.ServerCredential;
import org.proxyinfo.wire.TlsFatalAlert;

/**
 * DEC-23 (issue 13), 01-R14..01-R16: the client-certificate mode's encodings and each role's decision, with
 * real keys of the committed test PKI and real signatures. The honest exchange is accepted by the server; each
 * adversary of {@link ClientCertAdversary} is refused with the alert DEC-23 names. (Component level: the roles
 * do not yet run this mode over sockets, see impl/CLIENTCERT.md "Status".)
 */
class ClientCertModeTest {
    static final TestPki PKI;
    static {
        try {
            PKI = TestPki.read(Path.of("..", "traces", "reference", "pki"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
    static final Clock CLOCK = Clock.fixed(ReferenceTraces.INSTANT, ZoneOffset.UTC);
    static final int ECDSA = BcTlsCrypto.SCHEME_ECDSA_SECP256R1_SHA256;
    final BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());

    ClientCertModeServer server(List<java.security.cert.X509Certificate> acceptedProxies) {
        return new ClientCertModeServer(crypto,
                new CertificateValidator(PKI.clientTrust(), CLOCK, RevocationPolicy.DEFAULT, List.of()),
                new CertificateValidator(acceptedProxies, CLOCK, RevocationPolicy.DEFAULT, List.of()));
    }

    /** A client core that authenticated a proxy (DEC-9) and consumed an ACCEPTED ProxyInfo decision (DEC-8). */
    static boolean clientMaySign(boolean proxyInfoAccepted) {
        ClientHandshake c = new ClientHandshake(true, true);
        c.onClientHelloSent();
        c.onServerHello(0x0303, true, true, true, true, true, true);
        c.onCertificateVerified(true, ClientHandshake.NO_ALERT, true);
        c.onServerKeyExchange(true, true, true, true);
        c.onCertificateRequest();
        c.onServerHelloDone();
        ProxyInfoDecision d = new ProxyInfoDecision();
        d.serverHello(true, true);
        d.hop(true, true, proxyInfoAccepted, true, true, ProxyInfoDecision.NO_ALERT, true);
        c.onProxyInfoChecked(d, proxyInfoAccepted ? null : "DEC-8");
        return c.maySignCertificateVerify(d);
    }

    static ServerCredential own(Credential c) {
        return new ServerCredential(c.privateKey(), c.chain());
    }

    final byte[] serverRandom2 = crypto.random(32);

    byte[] proxyCert() {
        return PKI.proxy().chainDer().get(0);
    }

    byte[] honestSupplement(byte[] nonce) throws TlsFatalAlert {
        return ClientCertModeClient.supplementalData(crypto, own(PKI.clientEcdsa()), ECDSA, clientMaySign(true), serverRandom2,
                serverRandom2, nonce, PKI.proxy().chainDer(), proxyCert());
    }

    @Test
    @DisplayName("DEC-23 encodings: server_to_proxy with nonce, SupplementalData entry round trip; malformed is decode_error (DEC-21)")
    void encodings() throws Exception {
        byte[] nonce = crypto.random(32);
        byte[] ext = ServerNonce.encode(nonce);
        assertEquals(33, ext.length);
        assertEquals(3, ext[0]);
        assertArrayEquals(nonce, ServerNonce.decode(ext));
        assertEquals(AlertDescription.DECODE_ERROR, assertThrows(TlsFatalAlert.class, () -> ServerNonce.decode(new byte[] {3})).alert());
        byte[] wrongFlag = ext.clone();
        wrongFlag[0] = 1;
        assertEquals(AlertDescription.ILLEGAL_PARAMETER, assertThrows(TlsFatalAlert.class, () -> ServerNonce.decode(wrongFlag)).alert());

        byte[] body = honestSupplement(nonce);
        ClientCertSupplement s = ClientCertSupplement.decode(body);
        assertArrayEquals(body, s.encode());
        assertEquals(PKI.clientEcdsa().chainDer().size(), s.clientCertificateList.size());
        byte[] truncated = java.util.Arrays.copyOf(body, body.length - 1);
        assertEquals(AlertDescription.DECODE_ERROR, assertThrows(TlsFatalAlert.class, () -> ClientCertSupplement.decode(truncated)).alert());
        // RFC 4680: an entry of another type is skipped; without the DEC-23 entry: decode_error
        byte[] otherOnly = {0, 0, 5, 0x12, 0x34, 0, 1, 0x00};
        assertEquals(AlertDescription.DECODE_ERROR, assertThrows(TlsFatalAlert.class, () -> ClientCertSupplement.decode(otherOnly)).alert());
    }

    @Test
    @DisplayName("DEC-23, 01-R16: the honest exchange (client signs over session #2's server_random, the server's nonce, the proxy certificate) is accepted")
    void honestExchangeAccepted() throws Exception {
        ClientCertModeServer srv = server(PKI.proxyTrust());
        byte[] nonce = srv.freshNonce();
        // 01-R15: the proxy's session #1 verifies the client's CertificateVerify (there: ServerHandshake.onCertificateVerify)
        // before anything is forwarded; ClientCertModeProxy takes that verdict
        byte[] transcript1 = crypto.random(200);
        byte[] cv = crypto.sign(PKI.clientEcdsa().privateKey(), ECDSA, transcript1);
        boolean cvOk = crypto.verify(PKI.clientEcdsa().leaf().getPublicKey(), ECDSA, transcript1, cv);
        ClientCertModeProxy proxy = new ClientCertModeProxy();
        byte[] forwarded = proxy.onClientAuthentication(PKI.clientEcdsa().chainDer(), honestSupplement(nonce), cvOk);
        assertTrue(proxy.core().mayForwardClientIdentity());
        assertFalse(proxy.core().mayFinishDownstream(), "session #1 finishes only after session #2 completed");
        ClientCertModeServer.Verdict v = srv.decide(forwarded, PKI.proxy().chainDer(), PKI.proxy().chainDer(), true, serverRandom2, nonce);
        assertTrue(v.clientSubject().contains("client"), v.clientSubject());
        assertEquals(ClientCertMode.NO_ALERT, proxy.core().onUpstreamCompleted(true));
        assertTrue(proxy.core().mayFinishDownstream());
    }

    @Test
    @DisplayName("DEC-23: the client never signs a ProxyCertVerify for a refused ProxyInfo decision, another server_random or another proxy certificate")
    void clientSignsOnlyForAuthenticatedPeers() throws Exception {
        byte[] nonce = crypto.random(32);
        assertFalse(clientMaySign(false));
        assertEquals(AlertDescription.INTERNAL_ERROR, assertThrows(TlsFatalAlert.class, () -> ClientCertModeClient.supplementalData(
                crypto, own(PKI.clientEcdsa()), ECDSA, clientMaySign(false), serverRandom2, serverRandom2, nonce,
                PKI.proxy().chainDer(), proxyCert())).alert());
        assertThrows(TlsFatalAlert.class, () -> ClientCertModeClient.supplementalData(crypto, own(PKI.clientEcdsa()), ECDSA,
                true, serverRandom2, crypto.random(32), nonce, PKI.proxy().chainDer(), proxyCert()));
        assertThrows(TlsFatalAlert.class, () -> ClientCertModeClient.supplementalData(crypto, own(PKI.clientEcdsa()), ECDSA,
                true, serverRandom2, serverRandom2, nonce, PKI.proxy().chainDer(), PKI.proxyB().chainDer().get(0)));
        assertThrows(TlsFatalAlert.class, () -> ClientCertModeClient.supplementalData(crypto, own(PKI.clientEcdsa()), ECDSA,
                true, serverRandom2, serverRandom2, new byte[31], PKI.proxy().chainDer(), proxyCert()));
    }

    @Test
    @DisplayName("adversary 01-R16: a proxy forwards the client's chain without the client's ProxyCertVerify: decrypt_error")
    void chainWithoutClientSignatureRefused() throws Exception {
        ClientCertModeServer srv = server(PKI.proxyTrust());
        byte[] nonce = srv.freshNonce();
        byte[] forged = ClientCertAdversary.forwardChainWithoutClientSignature(crypto, honestSupplement(nonce),
                PKI.proxy().privateKey(), ECDSA, serverRandom2, nonce, proxyCert());
        TlsFatalAlert e = assertThrows(TlsFatalAlert.class,
                () -> srv.decide(forged, PKI.proxy().chainDer(), PKI.proxy().chainDer(), true, serverRandom2, nonce));
        assertEquals(AlertDescription.DECRYPT_ERROR, e.alert());
        assertEquals("01-R16", e.requirementId());
    }

    @Test
    @DisplayName("adversary 01-R16: a replayed ProxyCertVerify over an old nonce: decrypt_error")
    void replayedOldNonceRefused() throws Exception {
        ClientCertModeServer srv = server(PKI.proxyTrust());
        byte[] oldNonce = srv.freshNonce();
        byte[] earlier = honestSupplement(oldNonce);
        srv.decide(earlier, PKI.proxy().chainDer(), PKI.proxy().chainDer(), true, serverRandom2, oldNonce); // accepted then
        byte[] newNonce = srv.freshNonce();
        TlsFatalAlert e = assertThrows(TlsFatalAlert.class, () -> srv.decide(ClientCertAdversary.replayProxyCertVerify(earlier),
                PKI.proxy().chainDer(), PKI.proxy().chainDer(), true, serverRandom2, newNonce));
        assertEquals(AlertDescription.DECRYPT_ERROR, e.alert());
    }

    @Test
    @DisplayName("adversary 01-R15: the client's CertificateVerify fails on session #1: the proxy abandons both sessions, decrypt_error")
    void failingCertificateVerifyAbandonsBothSessions() throws Exception {
        byte[] transcript1 = crypto.random(200);
        byte[] cv = ClientCertAdversary.corruptCertificateVerify(crypto.sign(PKI.clientEcdsa().privateKey(), ECDSA, transcript1));
        boolean cvOk = crypto.verify(PKI.clientEcdsa().leaf().getPublicKey(), ECDSA, transcript1, cv);
        assertFalse(cvOk, "the corrupted CertificateVerify does not verify");
        ClientCertModeProxy proxy = new ClientCertModeProxy();
        TlsFatalAlert e = assertThrows(TlsFatalAlert.class, () -> proxy.onClientAuthentication(PKI.clientEcdsa().chainDer(),
                honestSupplement(crypto.random(32)), cvOk));
        assertEquals(AlertDescription.DECRYPT_ERROR, e.alert());
        assertEquals("01-R15", e.requirementId());
        assertEquals(AlertDescription.DECRYPT_ERROR, proxy.alertForBothSessions());
        assertFalse(proxy.core().mayForwardClientIdentity(), "01-R15: nothing of the client goes upstream");
        assertFalse(proxy.core().mayFinishDownstream());
        // and without a ProxyCertVerify at all: bad_certificate
        ClientCertModeProxy noSupplement = new ClientCertModeProxy();
        byte[] goodCv = crypto.sign(PKI.clientEcdsa().privateKey(), ECDSA, transcript1);
        boolean goodCvOk = crypto.verify(PKI.clientEcdsa().leaf().getPublicKey(), ECDSA, transcript1, goodCv);
        assertEquals(AlertDescription.BAD_CERTIFICATE, assertThrows(TlsFatalAlert.class, () -> noSupplement.onClientAuthentication(
                PKI.clientEcdsa().chainDer(), null, goodCvOk)).alert());
    }

    @Test
    @DisplayName("01-R16: the alert TlsServer sends at once for an unaccepted proxy is the one ClientCertMode.serverDecision gives without proxy_accepted, whatever else holds")
    void unacceptedProxyAlertIsTheCoresAlert() {
        for (int i = 0; i < 8; i++) {
            assertEquals(ClientCertModeServer.UNACCEPTED_PROXY_ALERT,
                    ClientCertMode.serverDecision(false, (i & 1) != 0, (i & 2) != 0, (i & 4) != 0), "facts " + i);
        }
    }

    @Test
    @DisplayName("adversary 01-R16: a proxy the server does not accept: access_denied")
    void unacceptedProxyRefused() throws Exception {
        ClientCertModeServer srv = server(PKI.proxyTrust());
        byte[] nonce = srv.freshNonce();
        byte[] untrustedCert = PKI.proxyUntrusted().chainDer().get(0);
        byte[] body = ClientCertModeClient.supplementalData(crypto, own(PKI.clientEcdsa()), ECDSA, true, serverRandom2,
                serverRandom2, nonce, PKI.proxyUntrusted().chainDer(), untrustedCert);
        TlsFatalAlert e = assertThrows(TlsFatalAlert.class, () -> srv.decide(body, PKI.proxyUntrusted().chainDer(),
                PKI.proxyUntrusted().chainDer(), true, serverRandom2, nonce));
        assertEquals(AlertDescription.ACCESS_DENIED, e.alert());
        // a proxy whose session-#2 certificate is not the one in its proxy_to_server ProxyInfo: access_denied too
        assertEquals(AlertDescription.ACCESS_DENIED, assertThrows(TlsFatalAlert.class, () -> srv.decide(honestSupplement(nonce),
                PKI.proxy().chainDer(), PKI.proxyB().chainDer(), true, serverRandom2, nonce)).alert());
    }

    @Test
    @DisplayName("adversary 01-R16: a client chain outside the server's client trust: bad_certificate; the proxy's own signature failing: decrypt_error")
    void untrustedClientChainRefused() throws Exception {
        ClientCertModeServer srv = server(PKI.proxyTrust());
        byte[] nonce = srv.freshNonce();
        byte[] other = ClientCertAdversary.substituteChain(honestSupplement(nonce), PKI.clientUntrusted().chainDer());
        assertEquals(AlertDescription.BAD_CERTIFICATE, assertThrows(TlsFatalAlert.class, () -> srv.decide(other,
                PKI.proxy().chainDer(), PKI.proxy().chainDer(), true, serverRandom2, nonce)).alert());
        assertEquals(AlertDescription.DECRYPT_ERROR, assertThrows(TlsFatalAlert.class, () -> srv.decide(honestSupplement(nonce),
                PKI.proxy().chainDer(), PKI.proxy().chainDer(), false, serverRandom2, nonce)).alert());
    }

    @Test
    @DisplayName("DEC-23 core: the server decision's alert order (ClientCertMode.serverDecision)")
    void serverDecisionTable() {
        for (int i = 0; i < 16; i++) {
            boolean a = (i & 1) != 0, b = (i & 2) != 0, c = (i & 4) != 0, d = (i & 8) != 0;
            int expected = !a ? AlertDescription.ACCESS_DENIED : !b ? AlertDescription.DECRYPT_ERROR
                    : !c ? AlertDescription.BAD_CERTIFICATE : !d ? AlertDescription.DECRYPT_ERROR : ClientCertMode.NO_ALERT;
            assertEquals(expected, ClientCertMode.serverDecision(a, b, c, d));
        }
    }
    @Test
    @DisplayName("DEC-23: the hex examples in impl/CLIENTCERT.md are what the codecs produce")
    void documentedExamplesMatchTheCodecs() throws Exception {
        String doc = java.nio.file.Files.readString(Path.of("CLIENTCERT.md")).replaceAll("\\s+", " ");
        byte[] nonce = new byte[32];
        byte[] sr = new byte[32];
        for (int i = 0; i < 32; i++) {
            nonce[i] = (byte) i;
            sr[i] = (byte) (0x20 + i);
        }
        assertTrue(doc.contains(spaced(ServerNonce.encode(nonce))), "server_to_proxy example");
        byte[] cert = {0x30, 0x03, 0x02, 0x01, 0x01};
        byte[] input = ProxyCertVerify.signedInput(sr, nonce, cert);
        byte[] prefix = java.util.Arrays.copyOf(input, input.length - 3 - cert.length);
        assertTrue(doc.contains(spaced(prefix)), "ProxyCertVerify signed input example");
        byte[] body = new ClientCertSupplement(List.of(cert), ECDSA, new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef}).encode();
        String hex = spaced(body);
        assertEquals("00 00 17 ff 14 00 13 00 00 08 00 00 05 30 03 02 01 01 04 03 00 04 de ad be ef", hex);
        assertTrue(doc.replaceAll(" [a-z][^0-9]*?(?= [0-9a-f]{2} | *$)", " ").contains("00 00 17") && doc.contains("ff 14 00 13")
                && doc.contains("00 00 08 00 00 05 30 03 02 01 01") && doc.contains("04 03 00 04 de ad be ef"), "SupplementalData example");
    }

    static String spaced(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(s.length() == 0 ? "" : " ").append(String.format("%02x", x & 0xff));
        }
        return s.toString();
    }
}
