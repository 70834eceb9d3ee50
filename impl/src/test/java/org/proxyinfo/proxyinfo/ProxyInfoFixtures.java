package org.proxyinfo.proxyinfo;

import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.proxyinfo.pki.Credential;
import org.proxyinfo.pki.RevocationPolicy;
import org.proxyinfo.pki.TestPki;

/**
 * Shared test fixtures: the project's reproducible {@link TestPki} (generated once per JVM; real
 * keys, certificates and CRLs), a fixed clock inside every good certificate's and CRL's validity,
 * and the client's certificate checks built from it.
 */
final class ProxyInfoFixtures {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T12:00:00Z"), ZoneOffset.UTC);
    static final String HOST = TestPki.ORIGIN_HOST;

    private static TestPki pki;
    private static Credential mintedOrigin;

    private ProxyInfoFixtures() { }

    static synchronized TestPki pki() {
        if (pki == null) {
            pki = TestPki.generateDefault();
        }
        return pki;
    }

    /** A leaf for the origin host minted by the (INSECURE, DEC-17) mint CA, which no client trusts. */
    static synchronized Credential mintedOrigin() {
        if (mintedOrigin == null) {
            mintedOrigin = TestPki.mintLeaf(pki().mintCa(), HOST, CLOCK, new SecureRandom());
        }
        return mintedOrigin;
    }

    /** Proxy CA as the DEC-9 anchor, web root as the DEC-10 trust store. */
    static ValidatorCertificateChecks checks(RevocationPolicy policy, List<X509CRL> crls) {
        return new ValidatorCertificateChecks(pki().proxyTrust(), List.of(), pki().webTrust(), policy, crls, CLOCK);
    }

    /** The default: policy prefer with both web CRLs. */
    static ValidatorCertificateChecks checks() {
        return checks(RevocationPolicy.PREFER, pki().webCrls());
    }
}
