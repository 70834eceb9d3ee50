package org.proxyinfo.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.proxyinfo.pki.Pkis.CLOCK;
import static org.proxyinfo.pki.Pkis.pki;

import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.crypto.DeterministicRandom;
import org.proxyinfo.wire.TlsFatalAlert;

/** Every DEC-10 and DEC-9 outcome of {@link CertificateValidator}, on the generated test PKI. */
class CertificateValidatorTest {

    static CertificateValidator web(RevocationPolicy policy, List<X509CRL> crls) {
        return new CertificateValidator(pki().webTrust(), CLOCK, policy, crls);
    }

    static CertificateValidator web() {
        return web(RevocationPolicy.PREFER, pki().webCrls());
    }

    static CertificateValidator proxies() {
        return new CertificateValidator(pki().proxyTrust(), CLOCK, RevocationPolicy.PREFER, List.of());
    }

    interface Failing { void run() throws Exception; }

    static TlsFatalAlert alert(int alert, String req, Failing f) {
        TlsFatalAlert e = assertThrows(TlsFatalAlert.class, f::run);
        assertEquals(AlertDescription.name(alert), e.alertName(), e.describe());
        if (req != null) {
            assertEquals(req, e.requirementId(), e.describe());
        }
        return e;
    }

    // ---------------------------------------------------------------- DEC-10 accepted

    @Test
    @DisplayName("DEC-10: ECDSA and RSA server chains accepted for their DNS names and IP SAN; leaf key reported")
    void acceptsGoodChains() throws Exception {
        for (Credential c : new Credential[] {pki().serverEcdsa(), pki().serverRsa()}) {
            ValidationResult r = web().validateServer(c.chainDer(), TestPki.ORIGIN_HOST);
            assertTrue(r.accepted());
            assertEquals(TestPki.ORIGIN_HOST, r.matchedName());
            assertEquals(c.publicKey(), r.leafPublicKey());
            assertEquals(2, r.path().size());
            assertTrue(r.acceptedBy().contains("web root"), r.acceptedBy());
            assertEquals("localhost", web().validateServer(c.chainDer(), "localhost").matchedName());
            // RFC6125-6.4.1: case-insensitive, trailing dot ignored (issue 10 finding 10: was a literal compared with itself)
            assertEquals("localhost", web().validateServer(c.chainDer(), "LOCALHOST.").matchedName());
            assertEquals("localhost", web().validateServer(c.chainDer(), "LocalHost.").matchedName());
            assertEquals("127.0.0.1", web().validateServer(c.chainDer(), "127.0.0.1").matchedName());
        }
    }

    @Test
    @DisplayName("DEC-10: a chain that includes the root itself is accepted too")
    void rootIncluded() throws Exception {
        List<byte[]> chain = new ArrayList<>(pki().serverEcdsa().chainDer());
        chain.add(pki().webRoot().leaf().getEncoded());
        assertEquals(2, web().validateServer(chain, TestPki.ORIGIN_HOST).path().size());
    }

    // ---------------------------------------------------------------- DEC-10 refusals

    @Test
    @DisplayName("RFC6125-6.4 / RFC2818-3.1: wrong host -> bad_certificate")
    void wrongHost() {
        alert(AlertDescription.BAD_CERTIFICATE, "RFC6125-6.4",
                () -> web().validateServer(pki().serverWrongHost().chainDer(), TestPki.ORIGIN_HOST));
        alert(AlertDescription.BAD_CERTIFICATE, "RFC6125-6.4",
                () -> web().validateServer(pki().serverEcdsa().chainDer(), TestPki.OTHER_HOST));
        alert(AlertDescription.BAD_CERTIFICATE, "RFC6125-6.4",
                () -> web().validateServer(pki().serverEcdsa().chainDer(), "proxyinfo.test"));
        alert(AlertDescription.BAD_CERTIFICATE, "RFC2818-3.1",
                () -> web().validateServer(pki().serverEcdsa().chainDer(), "127.0.0.2"));
        alert(AlertDescription.BAD_CERTIFICATE, "RFC2818-3.1",
                () -> web().validateServer(pki().serverWrongHost().chainDer(), "127.0.0.1"));
        // the CN is never used: the wrong-host cert's CN is other.proxyinfo.test, its SAN too, so
        // use a cert whose CN names the host but whose SAN does not
        TlsFatalAlert e = alert(AlertDescription.BAD_CERTIFICATE, "RFC6125-6.4",
                () -> web().validateServer(Pkis.oddLeaf(KeyUsage.digitalSignature, KeyPurposeId.id_kp_serverAuth,
                        "elsewhere.proxyinfo.test").chainDer(), "odd.proxyinfo.test"));
        assertTrue(e.getMessage().contains("CN is not used"), e.getMessage());
    }

    @Test
    @DisplayName("RFC5280-6: expired and not-yet-valid leaves -> certificate_expired")
    void expiry() {
        TlsFatalAlert e = alert(AlertDescription.CERTIFICATE_EXPIRED, "RFC5280-6",
                () -> web().validateServer(pki().serverExpired().chainDer(), TestPki.ORIGIN_HOST));
        assertTrue(e.getMessage().contains("expired"), e.getMessage());
        e = alert(AlertDescription.CERTIFICATE_EXPIRED, "RFC5280-6",
                () -> web().validateServer(pki().serverNotYetValid().chainDer(), TestPki.ORIGIN_HOST));
        assertTrue(e.getMessage().contains("not valid before"), e.getMessage());
        // the good chain too, once the clock is past its end (the clock decides, not the system time)
        Clock later = Clock.fixed(Instant.parse("2037-01-01T00:00:00Z"), ZoneOffset.UTC);
        alert(AlertDescription.CERTIFICATE_EXPIRED, "RFC5280-6",
                () -> new CertificateValidator(pki().webTrust(), later, RevocationPolicy.OFF, List.of())
                        .validateServer(pki().serverEcdsa().chainDer(), TestPki.ORIGIN_HOST));
    }

    @Test
    @DisplayName("RFC5280-6: no path to a trusted anchor -> unknown_ca (unrelated CA, missing intermediate, wrong store)")
    void unknownCa() throws Exception {
        alert(AlertDescription.UNKNOWN_CA, "RFC5280-6",
                () -> web().validateServer(pki().proxyUntrusted().chainDer(), TestPki.PROXY_HOST));
        alert(AlertDescription.UNKNOWN_CA, "RFC5280-6",
                () -> web().validateServer(List.of(pki().serverEcdsa().leaf().getEncoded()), TestPki.ORIGIN_HOST));
        alert(AlertDescription.UNKNOWN_CA, "RFC5280-6",
                () -> new CertificateValidator(pki().proxyTrust(), CLOCK, RevocationPolicy.OFF, List.of())
                        .validateServer(pki().serverEcdsa().chainDer(), TestPki.ORIGIN_HOST));
        alert(AlertDescription.UNKNOWN_CA, "DEC-10",
                () -> new CertificateValidator(List.of(), CLOCK, RevocationPolicy.OFF, List.of())
                        .validateServer(pki().serverEcdsa().chainDer(), TestPki.ORIGIN_HOST));
    }

    @Test
    @DisplayName("DEC-10: a certificate from a different key under the intermediate's name -> bad_certificate")
    void forgedSignature() {
        TestPki other = TestPki.generate(DeterministicRandom.fromLabel("another PKI, same names"),
                TestPki.DEFAULT_BASE);
        // other's leaf names the same issuer DN, but was signed by a different intermediate key
        List<byte[]> chain = new ArrayList<>();
        chain.add(other.serverEcdsa().chainDer().get(0));
        chain.add(pki().webIntermediate().chainDer().get(0));
        alert(AlertDescription.BAD_CERTIFICATE, "RFC5280-6", () -> web().validateServer(chain, TestPki.ORIGIN_HOST));

        // and a CRL under the intermediate's name signed by the wrong key is not used (require -> unknown)
        CertificateValidator forgedCrl = web(RevocationPolicy.REQUIRE, List.of(other.intermediateCrl(), pki().rootCrl()));
        TlsFatalAlert e = alert(AlertDescription.CERTIFICATE_UNKNOWN, "DEC-10",
                () -> forgedCrl.validateServer(pki().serverEcdsa().chainDer(), TestPki.ORIGIN_HOST));
        assertTrue(e.getMessage().contains("does not verify"), e.getMessage());
    }

    @Test
    @DisplayName("DEC-10 malformed: empty certificate_list, garbage DER -> bad_certificate")
    void malformed() {
        alert(AlertDescription.BAD_CERTIFICATE, "DEC-10", () -> web().validateServer(List.of(), TestPki.ORIGIN_HOST));
        alert(AlertDescription.BAD_CERTIFICATE, "DEC-10",
                () -> web().validateServer(List.of(new byte[] {0x30, 0x03, 1, 2, 3}), TestPki.ORIGIN_HOST));
        byte[] truncated = java.util.Arrays.copyOf(pki().serverEcdsa().chainDer().get(0), 100);
        alert(AlertDescription.BAD_CERTIFICATE, "DEC-10", () -> web().validateServer(List.of(truncated), TestPki.ORIGIN_HOST));
    }

    @Test
    @DisplayName("RFC5280-4.2.1.3/4.2.1.12: leaf without digitalSignature or without serverAuth -> bad_certificate")
    void keyUsage() throws Exception {
        Credential noDs = Pkis.oddLeaf(KeyUsage.keyEncipherment, KeyPurposeId.id_kp_serverAuth, "odd.proxyinfo.test");
        alert(AlertDescription.BAD_CERTIFICATE, "RFC5280-4.2.1.3", () -> web().validateServer(noDs.chainDer(), "odd.proxyinfo.test"));
        Credential clientAuth = Pkis.oddLeaf(KeyUsage.digitalSignature, KeyPurposeId.id_kp_clientAuth, "odd.proxyinfo.test");
        alert(AlertDescription.BAD_CERTIFICATE, "RFC5280-4.2.1.12",
                () -> web().validateServer(clientAuth.chainDer(), "odd.proxyinfo.test"));
        // no KU / no EKU extension at all: unrestricted (RFC 5280), accepted
        Credential plain = Pkis.oddLeaf(null, null, "odd.proxyinfo.test");
        assertEquals("odd.proxyinfo.test", web(RevocationPolicy.OFF, List.of())
                .validateServer(plain.chainDer(), "odd.proxyinfo.test").matchedName());
    }

    @Test
    @DisplayName("RFC6125-6.4.3: wildcard only as the whole left-most label, one label deep")
    void wildcardCert() throws Exception {
        Credential w = Pkis.oddLeaf(KeyUsage.digitalSignature, KeyPurposeId.id_kp_serverAuth, "*.w.proxyinfo.test");
        CertificateValidator v = web(RevocationPolicy.OFF, List.of());
        assertEquals("*.w.proxyinfo.test", v.validateServer(w.chainDer(), "a.w.proxyinfo.test").matchedName());
        alert(AlertDescription.BAD_CERTIFICATE, "RFC6125-6.4", () -> v.validateServer(w.chainDer(), "a.b.w.proxyinfo.test"));
        alert(AlertDescription.BAD_CERTIFICATE, "RFC6125-6.4", () -> v.validateServer(w.chainDer(), "w.proxyinfo.test"));
        alert(AlertDescription.BAD_CERTIFICATE, "RFC6125-6.4", () -> v.validateServer(w.chainDer(), "*.w.proxyinfo.test"));
    }

    // ---------------------------------------------------------------- DEC-10 revocation

    @Test
    @DisplayName("DEC-10 revocation: revoked leaf -> certificate_revoked under prefer and require; accepted under off")
    void revoked() {
        for (RevocationPolicy p : new RevocationPolicy[] {RevocationPolicy.PREFER, RevocationPolicy.REQUIRE}) {
            TlsFatalAlert e = alert(AlertDescription.CERTIFICATE_REVOKED, "DEC-10",
                    () -> web(p, pki().webCrls()).validateServer(pki().serverRevoked().chainDer(), TestPki.ORIGIN_HOST));
            assertTrue(e.getMessage().contains("revoked"), e.getMessage());
        }
        ValidationResult off = assertNoThrow(() -> web(RevocationPolicy.OFF, pki().webCrls())
                .validateServer(pki().serverRevoked().chainDer(), TestPki.ORIGIN_HOST));
        assertEquals(ValidationResult.RevocationStatus.NOT_CHECKED_POLICY_OFF, off.revocationStatus());
        assertFalse(off.revocationCheckingPerformed());
    }

    @Test
    @DisplayName("DEC-10 revocation reporting: all checked / partial / no data / require without data")
    void revocationReport() {
        ValidationResult all = assertNoThrow(() -> web(RevocationPolicy.REQUIRE, pki().webCrls())
                .validateServer(pki().serverEcdsa().chainDer(), TestPki.ORIGIN_HOST));
        assertEquals(ValidationResult.RevocationStatus.CHECKED_ALL_GOOD, all.revocationStatus());
        assertTrue(all.revocationCheckingPerformed());
        assertEquals(2, all.revocationDetails().size());
        assertTrue(all.summary().contains("CHECKED_ALL_GOOD"), all.summary());

        ValidationResult partial = assertNoThrow(() -> web(RevocationPolicy.PREFER, List.of(pki().intermediateCrl()))
                .validateServer(pki().serverEcdsa().chainDer(), TestPki.ORIGIN_HOST));
        assertEquals(ValidationResult.RevocationStatus.CHECKED_PARTIAL, partial.revocationStatus());
        assertFalse(partial.revocationCheckingPerformed());

        ValidationResult none = assertNoThrow(() -> web(RevocationPolicy.PREFER, List.of())
                .validateServer(pki().serverEcdsa().chainDer(), TestPki.ORIGIN_HOST));
        assertEquals(ValidationResult.RevocationStatus.NO_DATA, none.revocationStatus());

        alert(AlertDescription.CERTIFICATE_UNKNOWN, "DEC-10", () -> web(RevocationPolicy.REQUIRE, List.of(pki().intermediateCrl()))
                .validateServer(pki().serverEcdsa().chainDer(), TestPki.ORIGIN_HOST));

        // a stale CRL (clock after nextUpdate) is not used: under require that is a failure
        Clock late = Clock.fixed(Instant.parse("2032-06-01T00:00:00Z"), ZoneOffset.UTC);
        TlsFatalAlert e = alert(AlertDescription.CERTIFICATE_UNKNOWN, "DEC-10",
                () -> new CertificateValidator(pki().webTrust(), late, RevocationPolicy.REQUIRE, pki().webCrls())
                        .validateServer(pki().serverEcdsa().chainDer(), TestPki.ORIGIN_HOST));
        assertTrue(e.getMessage().contains("stale"), e.getMessage());
    }

    @Test
    void policyParsing() {
        assertEquals(RevocationPolicy.REQUIRE, RevocationPolicy.parse("Require"));
        assertEquals(RevocationPolicy.PREFER, RevocationPolicy.DEFAULT);
        assertThrows(IllegalArgumentException.class, () -> RevocationPolicy.parse("sometimes"));
    }

    // ---------------------------------------------------------------- DEC-9 proxies

    @Test
    @DisplayName("DEC-9: proxy certificates from the proxy CA are acceptable proxies")
    void acceptableProxies() {
        for (Credential c : new Credential[] {pki().proxy(), pki().proxyB()}) {
            ValidationResult r = assertNoThrow(() -> proxies().validateProxy(c.chainDer()));
            assertEquals(c.publicKey(), r.leafPublicKey());
            assertTrue(r.acceptedBy().startsWith("proxy anchor"), r.acceptedBy());
            assertNull(r.matchedName());
        }
    }

    @Test
    @DisplayName("DEC-9: web-valid certificates, unrelated CAs, expired proxies -> access_denied")
    void unacceptableProxies() {
        // valid in the web PKI (even for the proxy's own name): still not a proxy
        TlsFatalAlert e = alert(AlertDescription.ACCESS_DENIED, "DEC-9", () -> proxies().validateProxy(pki().proxyWebIssued().chainDer()));
        assertTrue(e.getMessage().contains("unknown_ca"), e.getMessage());
        alert(AlertDescription.ACCESS_DENIED, "DEC-9", () -> proxies().validateProxy(pki().serverEcdsa().chainDer()));
        alert(AlertDescription.ACCESS_DENIED, "DEC-9", () -> proxies().validateProxy(pki().proxyUntrusted().chainDer()));
        alert(AlertDescription.ACCESS_DENIED, "DEC-9", () -> proxies().validateProxy(List.of()));
        Credential old = TestPki.mintLeaf(pki().proxyCa(), TestPki.PROXY_HOST,
                Clock.fixed(Instant.parse("2026-02-01T00:00:00Z"), ZoneOffset.UTC), new SecureRandom());
        e = alert(AlertDescription.ACCESS_DENIED, "DEC-9", () -> proxies().validateProxy(old.chainDer()));
        assertTrue(e.getMessage().contains("certificate_expired"), e.getMessage());
        alert(AlertDescription.ACCESS_DENIED, "DEC-9",
                () -> new CertificateValidator(List.of(), CLOCK, RevocationPolicy.OFF, List.of()).validateProxy(pki().proxy().chainDer()));
    }

    @Test
    @DisplayName("DEC-9: a pinned key is an acceptable proxy without a path; an unpinned one is not")
    void pinnedProxy() {
        List<X509Certificate> pinned = List.of(pki().proxyUntrusted().leaf());
        CertificateValidator v = new CertificateValidator(List.of(), CertificateValidator.pinsOf(pinned), CLOCK,
                RevocationPolicy.REQUIRE, List.of());
        ValidationResult r = assertNoThrow(() -> v.validateProxy(pki().proxyUntrusted().chainDer()));
        assertEquals(ValidationResult.RevocationStatus.NOT_APPLICABLE_PINNED, r.revocationStatus());
        assertTrue(r.acceptedBy().startsWith("pinned key sha256:"));
        alert(AlertDescription.ACCESS_DENIED, "DEC-9", () -> v.validateProxy(pki().proxy().chainDer()));
    }

    // ---------------------------------------------------------------- DEC-17 mint

    @Test
    @DisplayName("DEC-17 mint: a minted leaf validates only against the mint CA, for the SNI host (DNS or IP)")
    void mint() {
        Credential m = TestPki.mintLeaf(pki().mintCa(), TestPki.ORIGIN_HOST, CLOCK, new SecureRandom());
        CertificateValidator mintTrust = new CertificateValidator(List.of(pki().mintCa().leaf()), CLOCK,
                RevocationPolicy.OFF, List.of());
        assertEquals(TestPki.ORIGIN_HOST, assertNoThrow(() -> mintTrust.validateServer(m.chainDer(), TestPki.ORIGIN_HOST))
                .matchedName());
        alert(AlertDescription.UNKNOWN_CA, "RFC5280-6", () -> web().validateServer(m.chainDer(), TestPki.ORIGIN_HOST));
        alert(AlertDescription.BAD_CERTIFICATE, "RFC6125-6.4", () -> mintTrust.validateServer(m.chainDer(), TestPki.OTHER_HOST));
        Credential ip = TestPki.mintLeaf(pki().mintCa(), "127.0.0.1", CLOCK, new SecureRandom());
        assertEquals("127.0.0.1", assertNoThrow(() -> mintTrust.validateServer(ip.chainDer(), "127.0.0.1")).matchedName());
    }

    interface Supplying<T> { T get() throws Exception; }

    static <T> T assertNoThrow(Supplying<T> s) {
        try {
            return s.get();
        } catch (TlsFatalAlert e) {
            throw new AssertionError("unexpected " + e.describe(), e);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
