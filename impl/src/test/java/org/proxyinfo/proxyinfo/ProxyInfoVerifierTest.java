package org.proxyinfo.proxyinfo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.crypto.TlsCrypto;
import org.proxyinfo.pki.Credential;
import org.proxyinfo.pki.RevocationPolicy;
import org.proxyinfo.pki.TestPki;
import org.proxyinfo.trace.TraceSink;
import org.proxyinfo.wire.TlsFatalAlert;

/**
 * DEC-8..13: the client's ProxyInfo check with real keys (EC P-256, RSA-2048), real X.509
 * certificates and CRLs ({@link ProxyInfoTestPki}) and real signatures (BcTlsCrypto). One test per
 * refusal path, each asserting the alert and the requirement ID.
 */
class ProxyInfoVerifierTest {
    private static final String HOST = ProxyInfoFixtures.HOST;
    private static final List<Integer> OFFERED = List.of(0x0403, 0x0804, 0x0401);
    private static final ConnectionSecurityParameters GOOD = new ConnectionSecurityParameters(0x0303, 0xC02B, 0);

    private final TestPki pki = ProxyInfoFixtures.pki();
    private final TlsCrypto crypto = new BcTlsCrypto(new SecureRandom());
    private final byte[] cr1 = random(1);
    private final byte[] sr1 = random(2);
    private final byte[] sr2 = random(3);

    private static byte[] random(int seed) {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) seed);
        b[0] = (byte) 0x66;
        return b;
    }

    // ------------------------------------------------------------------ helpers

    /** What the proxy would send: its assertion about session #2, signed for session #1 (cr, sr). */
    private SignedProxyInfo assertion(SigningMode mode, PrivateKey key, byte[] cr, byte[] sr,
                                      ConnectionSecurityParameters cp, Credential upstream,
                                      boolean revocationChecked, ProxyInfo next) throws TlsFatalAlert {
        return new ProxyInfoSigner(crypto, mode).sign(key, OFFERED, cr, sr, cp, upstream.chainDer(), sr2,
                revocationChecked, next);
    }

    private SignedProxyInfo oneHop(SigningMode mode, Credential upstream) throws TlsFatalAlert {
        return assertion(mode, pki.proxy().privateKey(), cr1, sr1, GOOD, upstream, false, ProxyInfo.endOfChain());
    }

    private ProxyInfoVerifier verifier(SigningMode mode, ProxyInfoCertificateChecks checks, TraceSink trace) {
        return new ProxyInfoVerifier(crypto, mode, OFFERED, checks, UpstreamPolicy.defaults(), trace);
    }

    private ProxyInfoVerifier verifier(SigningMode mode) {
        return verifier(mode, ProxyInfoFixtures.checks(), TraceSink.NONE);
    }

    /** Goes through the wire first, as a client would: encode, decode from a ServerHello, verify. */
    private ProxyInfoVerification verifyOnWire(ProxyInfoVerifier v, SignedProxyInfo sent, List<X509Certificate> s1Chain,
                                               String host) throws TlsFatalAlert {
        SignedProxyInfo received = new ProxyInfoCodec().decodeFromServerHello(ProxyInfoCodec.encode(sent));
        return v.verify(true, received, s1Chain, host, cr1, sr1);
    }

    private static TlsFatalAlert refused(int alert, String requirement, Executable e) {
        TlsFatalAlert a = assertThrows(TlsFatalAlert.class, e);
        assertEquals(AlertDescription.name(alert), a.alertName(), a.describe());
        assertEquals(requirement, a.requirementId(), a.describe());
        assertFalse(a.getMessage().isBlank());
        return a;
    }

    /** Records trace check events, to show that checks are traced in DEC-8 order. */
    private static final class CheckLog implements TraceSink {
        final List<String> ids = new ArrayList<>();
        final List<Boolean> results = new ArrayList<>();

        @Override public void message(String r, String l, String d, String c, String m, Map<String, Object> f,
                                      byte[] raw, List<Integer> b) { }
        @Override public void transition(String r, String l, String f, String t, String tr) { }
        @Override public void check(String r, String l, String id, String what, boolean passed, String detail) {
            ids.add(id);
            results.add(passed);
        }
        @Override public void claim(String r, String l, String c, Map<String, Object> p) { }
        @Override public void secret(String r, String l, String n, byte[] v) { }
        @Override public void outcome(String r, String l, boolean e, String a, String s, String id, String m) { }
    }

    // ------------------------------------------------------------------ acceptance

    @Test
    @DisplayName("DEC-8: a trusted proxy's bound assertion about www.example.com over TLS 1.2 ECDHE-GCM is accepted")
    void acceptsTrustedProxyBound() throws Exception {
        CheckLog log = new CheckLog();
        ProxyInfoVerification r = verifyOnWire(verifier(SigningMode.BOUND, ProxyInfoFixtures.checks(), log),
                oneHop(SigningMode.BOUND, pki.serverEcdsa()), pki.proxy().chain(), HOST);
        assertTrue(r.proxied());
        assertEquals(1, r.hops().size());
        ProxyInfoVerification.Hop h = r.hops().get(0);
        assertTrue(h.carriesOrigin());
        assertTrue(h.carriedSubject().contains(TestPki.ORIGIN_HOST), h.carriedSubject());
        assertTrue(h.proxySubject().contains(TestPki.PROXY_HOST), h.proxySubject());
        assertEquals(GOOD, h.connectionParameters());
        assertTrue(h.revocation().startsWith("prefer: CHECKED_ALL_GOOD"), h.revocation());
        assertEquals(List.of("DEC-13", "DEC-9", "DEC-5", "DEC-8", "DEC-10", "DEC-11"), log.ids);
        assertFalse(log.results.contains(false));
        assertEquals("0xC02B", r.upstreamForTrace().get(0).get("cipher_suite"));
        assertTrue(r.describe().contains(TestPki.PROXY_HOST), r.describe());
    }

    @Test
    @DisplayName("DEC-9: a proxy whose key is pinned is acceptable without any proxy trust anchor (RSA key, rsa_pss_rsae_sha256)")
    void acceptsPinnedRsaProxy() throws Exception {
        // any key can be pinned as a proxy (DEC-9); here an RSA key, so the assertion uses rsa_pss_rsae_sha256
        ValidatorCertificateChecks pinned = new ValidatorCertificateChecks(List.of(),
                List.of(TestPki.spkiSha256(pki.serverRsa().publicKey())), pki.webTrust(), RevocationPolicy.OFF,
                List.of(), ProxyInfoFixtures.CLOCK);
        SignedProxyInfo a = assertion(SigningMode.BOUND, pki.serverRsa().privateKey(), cr1, sr1, GOOD, pki.serverEcdsa(), false,
                ProxyInfo.endOfChain());
        assertEquals(0x0804, a.signature().signatureScheme()); // first offered scheme that fits an RSA key
        ProxyInfoVerification r = verifyOnWire(verifier(SigningMode.BOUND, pinned, TraceSink.NONE), a,
                List.of(pki.serverRsa().leaf()), HOST);
        assertTrue(r.hops().get(0).revocation().startsWith("off"));
    }

    // ------------------------------------------------------------------ DEC-9

    @Test
    @DisplayName("DEC-9: a proxy valid in the web PKI but not under a proxy trust anchor is refused with access_denied")
    void refusesUntrustedProxy() throws Exception {
        SignedProxyInfo a = assertion(SigningMode.BOUND, pki.proxyWebIssued().privateKey(), cr1, sr1, GOOD, pki.serverEcdsa(), false,
                ProxyInfo.endOfChain());
        TlsFatalAlert e = refused(AlertDescription.ACCESS_DENIED, "DEC-9",
                () -> verifyOnWire(verifier(SigningMode.BOUND), a, pki.proxyWebIssued().chain(), HOST));
        assertTrue(e.getMessage().contains("valid in the web PKI"), e.getMessage());
    }

    @Test
    @DisplayName("DEC-9: a proxy certificate from a CA nobody trusts is access_denied")
    void refusesProxyFromUnknownCa() throws Exception {
        SignedProxyInfo a = assertion(SigningMode.BOUND, pki.proxyUntrusted().privateKey(), cr1, sr1, GOOD,
                pki.serverEcdsa(), false, ProxyInfo.endOfChain());
        TlsFatalAlert e = refused(AlertDescription.ACCESS_DENIED, "DEC-9",
                () -> verifyOnWire(verifier(SigningMode.BOUND), a, pki.proxyUntrusted().chain(), HOST));
        assertFalse(e.getMessage().contains("valid in the web PKI"), e.getMessage());
    }

    @Test
    @DisplayName("DEC-9: with neither proxy anchors nor pins, no proxy is acceptable")
    void refusesWhenNoProxyTrustConfigured() throws Exception {
        ValidatorCertificateChecks none = new ValidatorCertificateChecks(List.of(), List.of(), pki.webTrust(),
                RevocationPolicy.PREFER, List.of(), ProxyInfoFixtures.CLOCK);
        refused(AlertDescription.ACCESS_DENIED, "DEC-9", () -> verifyOnWire(verifier(SigningMode.BOUND, none,
                TraceSink.NONE), oneHop(SigningMode.BOUND, pki.serverEcdsa()), pki.proxy().chain(), HOST));
    }

    @Test
    @DisplayName("DEC-8: the first failing check wins: an untrusted proxy with a forged signature gets access_denied, not decrypt_error")
    void firstFailureWins() throws Exception {
        SignedProxyInfo forged = tamperSignature(oneHop(SigningMode.BOUND, pki.serverEcdsa()));
        refused(AlertDescription.ACCESS_DENIED, "DEC-9",
                () -> verifyOnWire(verifier(SigningMode.BOUND), forged, pki.proxyWebIssued().chain(), HOST));
        // a wrong host (DEC-10) and a weak suite (DEC-11): DEC-10 comes first
        SignedProxyInfo both = assertion(SigningMode.BOUND, pki.proxy().privateKey(), cr1, sr1,
                new ConnectionSecurityParameters(0x0303, 0xC013, 0), pki.serverWrongHost(), false, ProxyInfo.endOfChain());
        refused(AlertDescription.BAD_CERTIFICATE, "DEC-10",
                () -> verifyOnWire(verifier(SigningMode.BOUND), both, pki.proxy().chain(), HOST));
    }

    // ------------------------------------------------------------------ signature (DEC-5, DEC-8(2))

    private static SignedProxyInfo tamperSignature(SignedProxyInfo s) {
        byte[] sig = s.signature().signature();
        sig[sig.length / 2] ^= 0x01;
        return new SignedProxyInfo(s.connectionParameters(), s.serverCertificateList(), s.serverRandom(),
                s.revocationCheckingPerformed(), s.nextProxyInfo(), new DigitallySigned(s.signature().signatureScheme(), sig));
    }

    @Test
    @DisplayName("DEC-8(2)/DEC-21: a forged signature (one bit flipped) is decrypt_error")
    void refusesForgedSignature() throws Exception {
        SignedProxyInfo forged = tamperSignature(oneHop(SigningMode.BOUND, pki.serverEcdsa()));
        refused(AlertDescription.DECRYPT_ERROR, "DEC-8",
                () -> verifyOnWire(verifier(SigningMode.BOUND), forged, pki.proxy().chain(), HOST));
    }

    @Test
    @DisplayName("DEC-8(2): an assertion signed by another trusted proxy's key is decrypt_error for proxy1's session")
    void refusesSignatureByOtherKey() throws Exception {
        SignedProxyInfo byProxy2 = assertion(SigningMode.BOUND, pki.proxyB().privateKey(), cr1, sr1, GOOD, pki.serverEcdsa(), false,
                ProxyInfo.endOfChain());
        refused(AlertDescription.DECRYPT_ERROR, "DEC-8",
                () -> verifyOnWire(verifier(SigningMode.BOUND), byProxy2, pki.proxy().chain(), HOST));
    }

    @Test
    @DisplayName("DEC-8(2): changing a signed field (the carried chain) after signing is decrypt_error")
    void refusesModifiedField() throws Exception {
        SignedProxyInfo s = oneHop(SigningMode.BOUND, pki.serverEcdsa());
        SignedProxyInfo swapped = new SignedProxyInfo(s.connectionParameters(), pki.serverWrongHost().chainDer(), s.serverRandom(),
                s.revocationCheckingPerformed(), s.nextProxyInfo(), s.signature());
        refused(AlertDescription.DECRYPT_ERROR, "DEC-8",
                () -> verifyOnWire(verifier(SigningMode.BOUND), swapped, pki.proxy().chain(), TestPki.OTHER_HOST));
    }

    @Test
    @DisplayName("DEC-5: a SignatureScheme the client did not offer is illegal_parameter")
    void refusesUnofferedScheme() throws Exception {
        SignedProxyInfo s = new ProxyInfoSigner(crypto, SigningMode.BOUND).sign(pki.proxy().privateKey(), List.of(0x0403),
                cr1, sr1, GOOD, pki.serverEcdsa().chainDer(), sr2, false, ProxyInfo.endOfChain());
        ProxyInfoVerifier rsaOnly = new ProxyInfoVerifier(crypto, SigningMode.BOUND, List.of(0x0804, 0x0401),
                ProxyInfoFixtures.checks(), UpstreamPolicy.defaults(), TraceSink.NONE);
        refused(AlertDescription.ILLEGAL_PARAMETER, "DEC-5",
                () -> verifyOnWire(rsaOnly, s, pki.proxy().chain(), HOST));
    }

    // ------------------------------------------------------------------ replay (DEC-5 modes)

    @Test
    @DisplayName("DEC-5 draft-literal: an assertion replayed from another session is ACCEPTED (the draft's literal reading lets it through)")
    void replayAcceptedUnderDraftLiteral_theDraftsLiteralReadingLetsItThrough() throws Exception {
        byte[] otherCr = random(0x41);
        byte[] otherSr = random(0x42);
        SignedProxyInfo captured = assertion(SigningMode.DRAFT_LITERAL, pki.proxy().privateKey(), otherCr, otherSr, GOOD,
                pki.serverEcdsa(), false, ProxyInfo.endOfChain());
        ProxyInfoVerification r = verifyOnWire(verifier(SigningMode.DRAFT_LITERAL), captured, pki.proxy().chain(), HOST);
        assertTrue(r.proxied());
        assertTrue(r.describe().contains("replayable"), r.describe());
    }

    @Test
    @DisplayName("DEVIATION (DEC-5) bound: the same replay from another session is decrypt_error")
    void replayRefusedUnderBound() throws Exception {
        SignedProxyInfo captured = assertion(SigningMode.BOUND, pki.proxy().privateKey(), random(0x41), random(0x42), GOOD,
                pki.serverEcdsa(), false, ProxyInfo.endOfChain());
        refused(AlertDescription.DECRYPT_ERROR, "DEC-8",
                () -> verifyOnWire(verifier(SigningMode.BOUND), captured, pki.proxy().chain(), HOST));
    }

    @Test
    @DisplayName("DEC-5: the modes do not mix: a draft-literal assertion does not verify under bound, nor the reverse")
    void modesDoNotMix() throws Exception {
        refused(AlertDescription.DECRYPT_ERROR, "DEC-8", () -> verifyOnWire(verifier(SigningMode.BOUND),
                oneHop(SigningMode.DRAFT_LITERAL, pki.serverEcdsa()), pki.proxy().chain(), HOST));
        refused(AlertDescription.DECRYPT_ERROR, "DEC-8", () -> verifyOnWire(verifier(SigningMode.DRAFT_LITERAL),
                oneHop(SigningMode.BOUND, pki.serverEcdsa()), pki.proxy().chain(), HOST));
    }

    // ------------------------------------------------------------------ DEC-10

    @Test
    @DisplayName("DEC-10 (RFC6125-6.4): a server certificate for another host is bad_certificate")
    void refusesServerForOtherHost() throws Exception {
        TlsFatalAlert e = refused(AlertDescription.BAD_CERTIFICATE, "DEC-10", () -> verifyOnWire(
                verifier(SigningMode.BOUND), oneHop(SigningMode.BOUND, pki.serverWrongHost()), pki.proxy().chain(), HOST));
        assertTrue(e.getMessage().contains(TestPki.OTHER_HOST) && e.getMessage().contains(HOST), e.getMessage());
    }

    @Test
    @DisplayName("DEC-10: a leaf for the origin host minted by an interception CA the client does not trust is unknown_ca")
    void refusesUnknownCa() throws Exception {
        refused(AlertDescription.UNKNOWN_CA, "DEC-10", () -> verifyOnWire(verifier(SigningMode.BOUND),
                oneHop(SigningMode.BOUND, ProxyInfoFixtures.mintedOrigin()), pki.proxy().chain(), HOST));
    }

    @Test
    @DisplayName("DEC-10: an expired server certificate is certificate_expired")
    void refusesExpired() throws Exception {
        refused(AlertDescription.CERTIFICATE_EXPIRED, "DEC-10", () -> verifyOnWire(verifier(SigningMode.BOUND),
                oneHop(SigningMode.BOUND, pki.serverExpired()), pki.proxy().chain(), HOST));
    }

    @Test
    @DisplayName("DEC-10: an empty server_certificate_list is bad_certificate")
    void refusesEmptyServerList() throws Exception {
        SignedProxyInfo s = new ProxyInfoSigner(crypto, SigningMode.BOUND).sign(pki.proxy().privateKey(), OFFERED, cr1, sr1,
                GOOD, List.of(), sr2, false, ProxyInfo.endOfChain());
        refused(AlertDescription.BAD_CERTIFICATE, "DEC-10",
                () -> verifyOnWire(verifier(SigningMode.BOUND), s, pki.proxy().chain(), HOST));
    }

    @Test
    @DisplayName("DEC-10/00-R8/01-R9: revocation_checking_performed=false and a CRL revoking the server: certificate_revoked"
            + " (00-R8 is -00's wording of 01-R9: the client checks revocation itself when the proxy did not)")
    void refusesRevoked() throws Exception {
        TlsFatalAlert e = refused(AlertDescription.CERTIFICATE_REVOKED, "DEC-10", () -> verifyOnWire(
                verifier(SigningMode.BOUND), oneHop(SigningMode.BOUND, pki.serverRevoked()), pki.proxy().chain(), HOST));
        assertTrue(e.getMessage().contains("revoked"), e.getMessage());
    }

    @Test
    @DisplayName("DEC-10: revocation policy off lets the revoked chain through, and the result says revocation was off")
    void revocationPolicyOff() throws Exception {
        ProxyInfoVerifier off = verifier(SigningMode.BOUND,
                ProxyInfoFixtures.checks(RevocationPolicy.OFF, List.of(pki.intermediateCrl())), TraceSink.NONE);
        ProxyInfoVerification r = verifyOnWire(off, oneHop(SigningMode.BOUND, pki.serverRevoked()), pki.proxy().chain(), HOST);
        assertTrue(r.hops().get(0).revocation().startsWith("off: NOT_CHECKED_POLICY_OFF"), r.hops().get(0).revocation());
    }

    @Test
    @DisplayName("DEC-10/01-R9: revocation_checking_performed=true does not override a CRL the client holds: still certificate_revoked")
    void proxyClaimDoesNotOverrideClientCrl() throws Exception {
        SignedProxyInfo proxyChecked = assertion(SigningMode.BOUND, pki.proxy().privateKey(), cr1, sr1, GOOD,
                pki.serverRevoked(), true, ProxyInfo.endOfChain());
        refused(AlertDescription.CERTIFICATE_REVOKED, "DEC-10",
                () -> verifyOnWire(verifier(SigningMode.BOUND), proxyChecked, pki.proxy().chain(), HOST));
    }

    @Test
    @DisplayName("DEC-10: policy require without data is certificate_unknown, unless the proxy reports it checked (then prefer); with data it passes")
    void revocationRequireAndPrefer() throws Exception {
        ProxyInfoVerifier require = verifier(SigningMode.BOUND, ProxyInfoFixtures.checks(RevocationPolicy.REQUIRE, List.of()),
                TraceSink.NONE);
        refused(AlertDescription.CERTIFICATE_UNKNOWN, "DEC-10",
                () -> verifyOnWire(require, oneHop(SigningMode.BOUND, pki.serverEcdsa()), pki.proxy().chain(), HOST));
        SignedProxyInfo proxyChecked = assertion(SigningMode.BOUND, pki.proxy().privateKey(), cr1, sr1, GOOD,
                pki.serverEcdsa(), true, ProxyInfo.endOfChain());
        ProxyInfoVerification relied = verifyOnWire(require, proxyChecked, pki.proxy().chain(), HOST);
        String rev = relied.hops().get(0).revocation();
        assertTrue(rev.startsWith("prefer: NO_DATA") && rev.contains("revocation_checking_performed = true"), rev);
        assertTrue(relied.hops().get(0).revocationCheckingPerformed());

        ProxyInfoVerifier requireWithData = verifier(SigningMode.BOUND,
                ProxyInfoFixtures.checks(RevocationPolicy.REQUIRE, pki.webCrls()), TraceSink.NONE);
        ProxyInfoVerification r = verifyOnWire(requireWithData, oneHop(SigningMode.BOUND, pki.serverEcdsa()),
                pki.proxy().chain(), HOST);
        assertTrue(r.hops().get(0).revocation().startsWith("require: CHECKED_ALL_GOOD"), r.hops().get(0).revocation());
        ProxyInfoVerifier prefer = verifier(SigningMode.BOUND, ProxyInfoFixtures.checks(RevocationPolicy.PREFER, List.of()),
                TraceSink.NONE);
        ProxyInfoVerification p = verifyOnWire(prefer, oneHop(SigningMode.BOUND, pki.serverEcdsa()), pki.proxy().chain(), HOST);
        assertTrue(p.hops().get(0).revocation().startsWith("prefer: NO_DATA"), p.hops().get(0).revocation());
    }

    // ------------------------------------------------------------------ DEC-11

    @Test
    @DisplayName("DEC-11: a CBC upstream suite (TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA) is insufficient_security")
    void refusesCbcSuite() throws Exception {
        SignedProxyInfo s = assertion(SigningMode.BOUND, pki.proxy().privateKey(), cr1, sr1,
                new ConnectionSecurityParameters(0x0303, 0xC013, 0), pki.serverEcdsa(), false, ProxyInfo.endOfChain());
        refused(AlertDescription.INSUFFICIENT_SECURITY, "DEC-11",
                () -> verifyOnWire(verifier(SigningMode.BOUND), s, pki.proxy().chain(), HOST));
    }

    @Test
    @DisplayName("DEC-11: an upstream TLS 1.0 session is insufficient_security")
    void refusesTls10() throws Exception {
        SignedProxyInfo s = assertion(SigningMode.BOUND, pki.proxy().privateKey(), cr1, sr1,
                new ConnectionSecurityParameters(0x0301, 0xC02B, 0), pki.serverEcdsa(), false, ProxyInfo.endOfChain());
        refused(AlertDescription.INSUFFICIENT_SECURITY, "DEC-11",
                () -> verifyOnWire(verifier(SigningMode.BOUND), s, pki.proxy().chain(), HOST));
    }

    @Test
    @DisplayName("DEC-11: upstream compression (DEFLATE) and a non-ECDHE AEAD suite are insufficient_security")
    void refusesCompressionAndStaticRsa() throws Exception {
        for (ConnectionSecurityParameters cp : List.of(new ConnectionSecurityParameters(0x0303, 0xC02B, 1),
                new ConnectionSecurityParameters(0x0303, 0x009C, 0))) {
            SignedProxyInfo s = assertion(SigningMode.BOUND, pki.proxy().privateKey(), cr1, sr1, cp, pki.serverEcdsa(), false,
                    ProxyInfo.endOfChain());
            refused(AlertDescription.INSUFFICIENT_SECURITY, "DEC-11",
                    () -> verifyOnWire(verifier(SigningMode.BOUND), s, pki.proxy().chain(), HOST));
        }
    }

    // ------------------------------------------------------------------ DEC-12 hops

    /** proxy1 (client side) -> proxy2 -> server: proxy2 signs first, proxy1 nests it unchanged (DEC-15). */
    private SignedProxyInfo twoHops(SigningMode mode, PrivateKey hop2Key, Credential hop1Carries,
                                    Credential origin) throws TlsFatalAlert {
        // hop 2 was signed on session #2 (proxy1 <-> proxy2) with that session's randoms
        SignedProxyInfo hop2 = assertion(mode, hop2Key, random(0x21), random(0x22), GOOD, origin, false,
                ProxyInfo.endOfChain());
        return assertion(mode, pki.proxy().privateKey(), cr1, sr1, GOOD, hop1Carries, false, hop2);
    }

    @Test
    @DisplayName("DEC-12: two trusted proxies under draft-literal: accepted, one summary per hop, only the last list checked as the server")
    void acceptsTwoHopsDraftLiteral() throws Exception {
        CheckLog log = new CheckLog();
        ProxyInfoVerification r = verifyOnWire(verifier(SigningMode.DRAFT_LITERAL, ProxyInfoFixtures.checks(), log),
                twoHops(SigningMode.DRAFT_LITERAL, pki.proxyB().privateKey(), pki.proxyB(), pki.serverEcdsa()), pki.proxy().chain(), HOST);
        assertEquals(2, r.hops().size());
        assertFalse(r.hops().get(0).carriesOrigin());
        assertTrue(r.hops().get(0).carriedSubject().contains(TestPki.PROXY_B_HOST));
        assertNull(r.hops().get(0).revocation());
        assertTrue(r.hops().get(1).carriesOrigin());
        assertTrue(r.hops().get(1).proxySubject().contains(TestPki.PROXY_B_HOST));
        assertEquals(List.of("DEC-13", "DEC-9", "DEC-5", "DEC-8", "DEC-12", "DEC-11", "DEC-5", "DEC-12", "DEC-10",
                "DEC-11"), log.ids);
        assertEquals(2, r.upstreamForTrace().size());
    }

    @Test
    @DisplayName("DEC-12: a second hop that lies (signed by a key other than hop 1's reported end-entity key) is decrypt_error")
    void refusesLyingSecondHop() throws Exception {
        // hop 1 reports proxy-b's chain, but hop 2's assertion is signed with the first proxy's own key
        // (a key the client trusts as a proxy, just not the one hop 1 vouched for)
        SignedProxyInfo lie = twoHops(SigningMode.DRAFT_LITERAL, pki.proxy().privateKey(), pki.proxyB(), pki.serverEcdsa());
        TlsFatalAlert e = refused(AlertDescription.DECRYPT_ERROR, "DEC-12",
                () -> verifyOnWire(verifier(SigningMode.DRAFT_LITERAL), lie, pki.proxy().chain(), HOST));
        assertTrue(e.getMessage().contains("hop 2"), e.getMessage());
    }

    @Test
    @DisplayName("DEC-12: an intermediate hop whose carried list is not an acceptable proxy is access_denied")
    void refusesUntrustedIntermediate() throws Exception {
        SignedProxyInfo viaEvil = twoHops(SigningMode.DRAFT_LITERAL, pki.proxyWebIssued().privateKey(), pki.proxyWebIssued(), pki.serverEcdsa());
        refused(AlertDescription.ACCESS_DENIED, "DEC-12",
                () -> verifyOnWire(verifier(SigningMode.DRAFT_LITERAL), viaEvil, pki.proxy().chain(), HOST));
    }

    @Test
    @DisplayName("DEC-12: the last hop's chain is the one checked as the origin: a wrong host there is bad_certificate")
    void secondHopChainIsTheOrigin() throws Exception {
        SignedProxyInfo s = twoHops(SigningMode.DRAFT_LITERAL, pki.proxyB().privateKey(), pki.proxyB(), pki.serverWrongHost());
        refused(AlertDescription.BAD_CERTIFICATE, "DEC-10",
                () -> verifyOnWire(verifier(SigningMode.DRAFT_LITERAL), s, pki.proxy().chain(), HOST));
    }

    /** Two hops where hop 2 signed session #2 with the given client_random (bound mode). */
    private SignedProxyInfo twoHopsBound(byte[] session2ClientRandom) throws TlsFatalAlert {
        // hop 2 signs its own session #2: client_random as sent by proxy 1, server_random = sr2, which is
        // hop 1's server_random field (the assertion helper puts sr2 there)
        SignedProxyInfo hop2 = assertion(SigningMode.BOUND, pki.proxyB().privateKey(), session2ClientRandom, sr2, GOOD,
                pki.serverEcdsa(), false, ProxyInfo.endOfChain());
        return assertion(SigningMode.BOUND, pki.proxy().privateKey(), cr1, sr1, GOOD, pki.proxyB(), false, hop2);
    }

    @Test
    @DisplayName("DEC-5/DEC-12 reconciliation (project choice): under bound, a hop whose session carried the client's client_random verifies over cr1 || previous hop's server_random")
    void boundModeVerifiesNestedHopWhenClientRandomTravelsUpstream() throws Exception {
        ProxyInfoVerification r = verifyOnWire(verifier(SigningMode.BOUND), twoHopsBound(cr1), pki.proxy().chain(), HOST);
        assertEquals(2, r.hops().size());
        assertTrue(r.hops().get(1).carriesOrigin());
    }

    @Test
    @DisplayName("DEC-5/DEC-12 reconciliation: under bound, a hop that did not forward the client_random is refused (decrypt_error [DEC-12])")
    void boundModeRefusesNestedHopWithoutForwardedClientRandom() throws Exception {
        TlsFatalAlert e = refused(AlertDescription.DECRYPT_ERROR, "DEC-12",
                () -> verifyOnWire(verifier(SigningMode.BOUND), twoHopsBound(random(0x21)), pki.proxy().chain(), HOST));
        assertTrue(e.getMessage().contains("client_random"), e.getMessage());
    }

    // ------------------------------------------------------------------ mutations

    @Test
    @DisplayName("DEC-8/DEC-21: 400 random byte changes to a valid assertion on the wire: each is refused with a fatal alert or leaves the signed fields unchanged")
    void mutatedAssertionsNeverAcceptChangedFields() throws Exception {
        java.util.Random rnd = new java.util.Random(0x5EED_0003L);
        SignedProxyInfo original = twoHops(SigningMode.DRAFT_LITERAL, pki.proxyB().privateKey(), pki.proxyB(),
                pki.serverEcdsa());
        byte[] wire = ProxyInfoCodec.encode(original);
        ProxyInfoVerifier v = verifier(SigningMode.DRAFT_LITERAL);
        assertTrue(v.verify(true, new ProxyInfoCodec().decodeFromServerHello(wire), pki.proxy().chain(), HOST, cr1, sr1)
                .proxied());
        int refusedCount = 0;
        for (int i = 0; i < 400; i++) {
            byte[] m = wire.clone();
            int at = rnd.nextInt(m.length);
            m[at] = (byte) (m[at] ^ (1 + rnd.nextInt(255)));
            try {
                SignedProxyInfo decoded = new ProxyInfoCodec().decodeFromServerHello(m);
                v.verify(true, decoded, pki.proxy().chain(), HOST, cr1, sr1);
                // accepted: only possible if nothing signed changed (e.g. a malleable signature encoding)
                assertArrayEquals(original.encodedFields(), decoded.encodedFields(), "byte " + at + " changed, accepted");
            } catch (TlsFatalAlert e) {
                refusedCount++;
                assertTrue(e.requirementId() != null && !e.requirementId().isEmpty(), e.describe());
            }
        }
        assertTrue(refusedCount >= 390, "only " + refusedCount + " of 400 mutations refused");
    }

    // ------------------------------------------------------------------ DEC-13

    @Test
    @DisplayName("DEC-13: proxy_info in a ServerHello when the client did not offer it is unsupported_extension")
    void refusesUnsolicitedExtension() throws Exception {
        SignedProxyInfo s = oneHop(SigningMode.BOUND, pki.serverEcdsa());
        refused(AlertDescription.UNSUPPORTED_EXTENSION, "DEC-13",
                () -> verifier(SigningMode.BOUND).verify(false, s, pki.proxy().chain(), HOST, cr1, sr1));
    }

    @Test
    @DisplayName("DEC-13: without proxy_info the session-#1 certificate must be the intended server: the real server passes, a silent proxy does not")
    void plainTls() throws Exception {
        ProxyInfoVerification r = verifier(SigningMode.BOUND).verify(true, null, pki.serverEcdsa().chain(), HOST, cr1, sr1);
        assertFalse(r.proxied());
        // an intercepting proxy that does not announce itself shows its own certificate: refused
        TlsFatalAlert e = refused(AlertDescription.UNKNOWN_CA, "DEC-13",
                () -> verifier(SigningMode.BOUND).verify(true, null, pki.proxy().chain(), HOST, cr1, sr1));
        assertTrue(e.getMessage().startsWith("the client refuses the session: no proxy_info"), e.getMessage());
        refused(AlertDescription.BAD_CERTIFICATE, "DEC-13",
                () -> verifier(SigningMode.BOUND).verify(false, null, pki.serverWrongHost().chain(), HOST, cr1, sr1));
    }
}
