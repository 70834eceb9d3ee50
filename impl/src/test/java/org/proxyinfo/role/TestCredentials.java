package org.proxyinfo.role;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;

import org.proxyinfo.pki.CertificateValidator;
import org.proxyinfo.pki.Credential;
import org.proxyinfo.pki.RevocationPolicy;
import org.proxyinfo.pki.TestPki;

/**
 * The committed-seed test PKI (pki package, {@link TestPki#generateDefault()}) as the role tests
 * use it: the web root as the client's trust anchor, the ECDSA and RSA origin-server credentials
 * (names localhost and origin.proxyinfo.test, chain = leaf + intermediate), and the pki
 * validator (PKIX + RFC 6125 + CRLs) as the client's verifier.
 */
final class TestCredentials {
    static final String HOST = "localhost";
    static final TestPki PKI = TestPki.generateDefault();
    static final X509Certificate CA = PKI.webRoot().leaf();
    static final ServerCredential EC = of(PKI.serverEcdsa());
    static final ServerCredential RSA = of(PKI.serverRsa());

    private TestCredentials() { }

    static ServerCredential of(Credential c) {
        return new ServerCredential(c.privateKey(), c.chain());
    }

    static PrivateKey key(Credential c) {
        return c.privateKey();
    }

    static CertificateVerifier verifier() {
        return CertificateVerifier.pkix(new CertificateValidator(PKI.webTrust(), Clock.systemUTC(),
                RevocationPolicy.DEFAULT, PKI.webCrls()));
    }
}
