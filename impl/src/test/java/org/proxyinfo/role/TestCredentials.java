package org.proxyinfo.role;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.wire.TlsFatalAlert;

/**
 * Test-only credentials made once per JVM: a CA (P-256) and two server leaves for "localhost"
 * (one P-256, one RSA-2048), plus a JDK-PKIX verifier with a SAN dNSName check. Used by the role
 * tests that do not depend on the pki package.
 */
final class TestCredentials {
    static final String HOST = "localhost";
    static final X509Certificate CA;
    static final PrivateKey CA_KEY;
    static final ServerCredential EC;
    static final ServerCredential RSA;

    static {
        try {
            KeyPair ca = ec();
            CA_KEY = ca.getPrivate();
            CA = cert("CN=Test CA", ca.getPublic(), "CN=Test CA", ca.getPrivate(), true, null);
            KeyPair e = ec();
            EC = new ServerCredential(e.getPrivate(), List.of(cert("CN=" + HOST, e.getPublic(), "CN=Test CA", ca.getPrivate(), false, HOST), CA));
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            KeyPair r = g.generateKeyPair();
            RSA = new ServerCredential(r.getPrivate(), List.of(cert("CN=" + HOST, r.getPublic(), "CN=Test CA", ca.getPrivate(), false, HOST), CA));
        } catch (Exception ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private TestCredentials() { }

    static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    static X509Certificate cert(String subject, PublicKey key, String issuer, PrivateKey issuerKey, boolean ca, String dns)
            throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                BigInteger.valueOf(now.toEpochMilli()).add(BigInteger.valueOf(System.nanoTime() & 0xffff)),
                Date.from(now.minusSeconds(3600)), Date.from(now.plusSeconds(86400)), new X500Name(subject), key);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
        if (dns != null) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName, dns)));
        }
        String alg = issuerKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(alg).build(issuerKey)));
    }

    /** JDK PKIX against {@link #CA} plus an exact SAN dNSName match (test stand-in for the pki validator). */
    static CertificateVerifier verifier() {
        return (chain, host, now) -> {
            try {
                CertificateFactory cf = CertificateFactory.getInstance("X.509");
                PKIXParameters p = new PKIXParameters(Set.of(new TrustAnchor(CA, null)));
                p.setRevocationEnabled(false);
                p.setDate(Date.from(now));
                CertPathValidator.getInstance("PKIX").validate(cf.generateCertPath(chain.subList(0, 1)), p);
            } catch (Exception e) {
                throw new TlsFatalAlert(AlertDescription.UNKNOWN_CA, "DEC-10", "chain does not validate: " + e.getMessage());
            }
            try {
                for (List<?> san : chain.get(0).getSubjectAlternativeNames()) {
                    if (((Integer) san.get(0)) == 2 && host.equalsIgnoreCase((String) san.get(1))) {
                        return;
                    }
                }
            } catch (Exception e) {
                // fall through
            }
            throw new TlsFatalAlert(AlertDescription.BAD_CERTIFICATE, "RFC6125-6.4", "certificate does not name " + host);
        };
    }
}
