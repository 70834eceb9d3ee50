package org.proxyinfo.pki;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Shared fixtures: the default test PKI (generated once per JVM) and odd certificates. */
final class Pkis {
    private Pkis() { }

    private static TestPki pki;

    static synchronized TestPki pki() {
        if (pki == null) {
            pki = TestPki.generateDefault();
        }
        return pki;
    }

    /** A time inside every good certificate's validity: base + 150 days. */
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T12:00:00Z"), ZoneOffset.UTC);

    /**
     * A leaf signed by the web intermediate with chosen extensions (null = extension absent).
     */
    static Credential oddLeaf(Integer keyUsage, KeyPurposeId eku, String... dnsNames) throws Exception {
        Credential issuer = pki().webIntermediate();
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                X500Name.getInstance(issuer.leaf().getSubjectX500Principal().getEncoded()),
                BigInteger.valueOf(System.nanoTime()), Date.from(Instant.parse("2026-01-01T00:00:00Z")),
                Date.from(Instant.parse("2030-01-01T00:00:00Z")), new X500Name("CN=odd.proxyinfo.test"), kp.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        if (keyUsage != null) {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
        }
        if (eku != null) {
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku));
        }
        if (dnsNames.length > 0) {
            GeneralName[] n = new GeneralName[dnsNames.length];
            for (int i = 0; i < n.length; i++) {
                n[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
            }
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(n));
        }
        X509Certificate c = new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.privateKey())));
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(c);
        chain.addAll(issuer.chain());
        return new Credential(kp.getPrivate(), chain);
    }
}
