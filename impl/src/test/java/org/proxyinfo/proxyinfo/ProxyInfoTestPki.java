package org.proxyinfo.proxyinfo;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509CRL;
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
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Test-only PKI for the ProxyInfo tests, built with bcpkix (the pki helper's TestPki was not on
 * branch crypto when these tests were written). Real keys, real X.509 certificates and CRLs:
 * <ul>
 *   <li>web PKI: root "Web Root CA" -&gt; intermediate "Web Issuing CA" -&gt; servers
 *       www.example.com, other.example.net, an expired and a revoked www.example.com; the
 *       "evil proxy" evil-proxy.example.org is a valid web server certificate from the same root;</li>
 *   <li>proxy PKI: "Corp Proxy CA" -&gt; proxy1.corp.example (EC), proxy2.corp.example (EC),
 *       proxy-rsa.corp.example (RSA);</li>
 *   <li>a self-signed www.example.com (unknown CA).</li>
 * </ul>
 * Certificates are valid 2026-01-01..2027-01-01; the clock says 2026-06-01.
 */
final class ProxyInfoTestPki {
    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Date NOT_BEFORE = Date.from(Instant.parse("2026-01-01T00:00:00Z"));
    private static final Date NOT_AFTER = Date.from(Instant.parse("2027-01-01T00:00:00Z"));

    /** A certificate chain (end-entity first, root last) with the end-entity's private key. */
    record Identity(List<X509Certificate> chain, PrivateKey key) {
        X509Certificate cert() { return chain.get(0); }

        PublicKey publicKey() { return chain.get(0).getPublicKey(); }

        List<byte[]> der() {
            List<byte[]> out = new ArrayList<>();
            for (X509Certificate c : chain) {
                try {
                    out.add(c.getEncoded());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            return out;
        }
    }

    final Identity webRoot;
    final Identity webIssuing;
    final Identity server;
    final Identity otherServer;
    final Identity expiredServer;
    final Identity revokedServer;
    final Identity selfSignedServer;
    final Identity evilProxy;
    final Identity proxyCa;
    final Identity proxy1;
    final Identity proxy2;
    final Identity proxyRsa;
    final X509CRL issuingCrl;
    final X509CRL rootCrl;

    private long serial = 1;

    private static ProxyInfoTestPki instance;

    /** One PKI per test JVM: key generation is the slow part. */
    static synchronized ProxyInfoTestPki get() {
        if (instance == null) {
            try {
                instance = new ProxyInfoTestPki();
            } catch (Exception e) {
                throw new IllegalStateException("test PKI generation failed", e);
            }
        }
        return instance;
    }

    private ProxyInfoTestPki() throws Exception {
        webRoot = ca("CN=Web Root CA,O=Test Web PKI", null);
        webIssuing = ca("CN=Web Issuing CA,O=Test Web PKI", webRoot);
        server = leaf("CN=www.example.com", "www.example.com", webIssuing, ec(), NOT_BEFORE, NOT_AFTER);
        otherServer = leaf("CN=other.example.net", "other.example.net", webIssuing, ec(), NOT_BEFORE, NOT_AFTER);
        expiredServer = leaf("CN=www.example.com,OU=expired", "www.example.com", webIssuing, ec(),
                Date.from(Instant.parse("2025-01-01T00:00:00Z")), Date.from(Instant.parse("2025-12-31T00:00:00Z")));
        revokedServer = leaf("CN=www.example.com,OU=revoked", "www.example.com", webIssuing, ec(), NOT_BEFORE, NOT_AFTER);
        KeyPair selfKp = ec();
        X509Certificate self = build("CN=www.example.com,OU=self-signed", new X500Name("CN=www.example.com,OU=self-signed"),
                selfKp.getPublic(), selfKp.getPrivate(), "SHA256withECDSA", false, "www.example.com", NOT_BEFORE, NOT_AFTER);
        selfSignedServer = new Identity(List.of(self), selfKp.getPrivate());
        evilProxy = leaf("CN=evil-proxy.example.org", "evil-proxy.example.org", webIssuing, ec(), NOT_BEFORE, NOT_AFTER);
        proxyCa = ca("CN=Corp Proxy CA,O=Corp", null);
        proxy1 = leaf("CN=proxy1.corp.example", "proxy1.corp.example", proxyCa, ec(), NOT_BEFORE, NOT_AFTER);
        proxy2 = leaf("CN=proxy2.corp.example", "proxy2.corp.example", proxyCa, ec(), NOT_BEFORE, NOT_AFTER);
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        proxyRsa = leaf("CN=proxy-rsa.corp.example", "proxy-rsa.corp.example", proxyCa, rsa.generateKeyPair(),
                NOT_BEFORE, NOT_AFTER);
        issuingCrl = crl(webIssuing, revokedServer.cert().getSerialNumber());
        rootCrl = crl(webRoot, null);
    }

    /** A checks object trusting the proxy CA for proxies and the web root for servers. */
    PkixCertificateChecks checks(RevocationPolicy revocation, List<X509CRL> crls) {
        return new PkixCertificateChecks(List.of(proxyCa.cert()), List.of(), List.of(webRoot.cert()), revocation,
                crls, CLOCK);
    }

    PkixCertificateChecks checks() {
        return checks(RevocationPolicy.PREFER, List.of(issuingCrl, rootCrl));
    }

    private static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static String sigAlg(PrivateKey k) {
        return "RSA".equals(k.getAlgorithm()) ? "SHA256withRSA" : "SHA256withECDSA";
    }

    private Identity ca(String dn, Identity issuer) throws Exception {
        KeyPair kp = ec();
        PrivateKey signer = issuer == null ? kp.getPrivate() : issuer.key();
        X500Name issuerDn = issuer == null ? new X500Name(dn) : name(issuer.cert());
        X509Certificate c = build(dn, issuerDn, kp.getPublic(), signer, sigAlg(signer), true, null, NOT_BEFORE, NOT_AFTER);
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(c);
        if (issuer != null) {
            chain.addAll(issuer.chain());
        }
        return new Identity(chain, kp.getPrivate());
    }

    private Identity leaf(String dn, String dnsName, Identity issuer, KeyPair kp, Date from, Date to) throws Exception {
        X509Certificate c = build(dn, name(issuer.cert()), kp.getPublic(), issuer.key(),
                sigAlg(issuer.key()), false, dnsName, from, to);
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(c);
        chain.addAll(issuer.chain());
        return new Identity(chain, kp.getPrivate());
    }

    /** The exact encoded name (a round trip through RFC 2253 text would reverse the RDN order). */
    private static X500Name name(X509Certificate c) {
        return X500Name.getInstance(c.getSubjectX500Principal().getEncoded());
    }

    private X509Certificate build(String subject, X500Name issuer, PublicKey key, PrivateKey signer, String alg,
                                  boolean ca, String dnsName, Date from, Date to) throws Exception {
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer,
                BigInteger.valueOf(serial++), from, to, new X500Name(subject), key);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (ca) {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } else {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
        }
        ContentSigner s = new JcaContentSignerBuilder(alg).build(signer);
        return new JcaX509CertificateConverter().getCertificate(b.build(s));
    }

    private static X509CRL crl(Identity issuer, BigInteger revokedSerial) throws Exception {
        X509v2CRLBuilder b = new X509v2CRLBuilder(name(issuer.cert()),
                Date.from(Instant.parse("2026-05-01T00:00:00Z")));
        b.setNextUpdate(Date.from(Instant.parse("2026-07-01T00:00:00Z")));
        if (revokedSerial != null) {
            b.addCRLEntry(revokedSerial, Date.from(Instant.parse("2026-04-01T00:00:00Z")), CRLReason.keyCompromise);
        }
        X509CRLHolder h = b.build(new JcaContentSignerBuilder(sigAlg(issuer.key())).build(issuer.key()));
        return new JcaX509CRLConverter().getCRL(h);
    }
}
