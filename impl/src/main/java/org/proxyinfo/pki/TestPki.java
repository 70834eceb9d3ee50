package org.proxyinfo.pki;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.crypto.DeterministicRandom;
import org.proxyinfo.wire.TlsFatalAlert;

/**
 * The project's test PKI (bcpkix), generated reproducibly from a seed and a base instant:
 *
 * <ul>
 * <li><b>web PKI</b>: {@code webRoot} -> {@code webIntermediate} -> server leaves for
 *     {@code localhost}, {@code origin.proxyinfo.test} and IP 127.0.0.1 (ECDSA P-256 and
 *     RSA-2048, EKU serverAuth, KU digitalSignature (+keyEncipherment for RSA));</li>
 * <li><b>negative server leaves</b>: expired, not yet valid, wrong host
 *     ({@code other.proxyinfo.test}), revoked (listed in {@link #intermediateCrl()});</li>
 * <li><b>proxy trust (DEC-9)</b>: {@code proxyCa} -> {@code proxy.proxyinfo.test} and
 *     {@code proxy-b.proxyinfo.test} (second hop of a nested chain, DEC-12); an untrusted proxy
 *     certificate from an unrelated CA, and a proxy certificate issued by the <i>web</i>
 *     intermediate (valid in the web PKI, therefore NOT an acceptable proxy: DEC-9);</li>
 * <li><b>mint CA (DEC-17, INSECURE interception mode)</b>: the CA a proxy in {@code mint} mode
 *     uses to mint a leaf for the SNI host at run time ({@link #mintLeaf}).</li>
 * <li><b>client authentication (RFC5246-7.4.6, issue 13)</b>: {@code clientCa} -> client leaves
 *     {@code CN=client.proxyinfo.test} (ECDSA P-256 and RSA-2048, EKU clientAuth, KU
 *     digitalSignature), the anchor of a server's client trust store; and a client leaf from the
 *     unrelated CA (trusted by nobody). Generated after everything else from the same random
 *     source, so the other certificates are the same bytes as before they existed.</li>
 * </ul>
 *
 * Validity is relative to the base instant: CAs and good leaves from base - 1 day for 20 / 10
 * years; expired leaf base - 2 years .. base - 1 year; not-yet-valid leaf base + 20 years ..
 * base + 21 years; the CRLs are valid base - 1 day .. base + 5 years (nextUpdate), so a clock between
 * 5 and 10 years after base sees valid leaves with stale CRLs. The default PKI
 * ({@link #generateDefault()}) uses base 2026-01-01T00:00:00Z and the seed label
 * {@value #DEFAULT_SEED_LABEL}, so it is the same on every machine.
 *
 * Certificates and CRLs are signed through {@link BcTlsCrypto} (ECDSA with RFC 6979 k,
 * RSA PKCS#1 v1.5), so with a {@link DeterministicRandom} the whole PKI is byte-identical.
 */
public final class TestPki {

    public static final String DEFAULT_SEED_LABEL = "proxyinfo test PKI v1";
    public static final Instant DEFAULT_BASE = Instant.parse("2026-01-01T00:00:00Z");

    public static final String ORIGIN_HOST = "origin.proxyinfo.test";
    public static final String OTHER_HOST = "other.proxyinfo.test";
    public static final String PROXY_HOST = "proxy.proxyinfo.test";
    public static final String PROXY_B_HOST = "proxy-b.proxyinfo.test";
    public static final String CLIENT_NAME = "client.proxyinfo.test";

    private static final Duration DAY = Duration.ofDays(1);
    private static final Duration YEAR = Duration.ofDays(365);

    private final Credential webRoot;
    private final Credential webIntermediate;
    private final Credential serverEcdsa;
    private final Credential serverRsa;
    private final Credential serverExpired;
    private final Credential serverNotYetValid;
    private final Credential serverWrongHost;
    private final Credential serverRevoked;
    private final X509CRL intermediateCrl;
    private final X509CRL rootCrl;
    private final Credential proxyCa;
    private final Credential proxy;
    private final Credential proxyB;
    private final Credential untrustedCa;
    private final Credential proxyUntrusted;
    private final Credential proxyWebIssued;
    private final Credential mintCa;
    private Credential clientCa;
    private Credential clientEcdsa;
    private Credential clientRsa;
    private Credential clientUntrusted;

    private TestPki(SecureRandom random, Instant base) throws GeneralSecurityException, IOException {
        Gen g = new Gen(random);
        Instant from = base.minus(DAY);
        webRoot = g.ca("CN=proxyinfo test web root CA,O=proxyinfo test", null, from, base.plus(YEAR.multipliedBy(20)), 1);
        webIntermediate = g.ca("CN=proxyinfo test web intermediate CA,O=proxyinfo test", webRoot, from,
                base.plus(YEAR.multipliedBy(15)), 0);
        Instant leafTo = base.plus(YEAR.multipliedBy(10));
        String[] originNames = {"localhost", ORIGIN_HOST};
        String[] ips = {"127.0.0.1"};
        serverEcdsa = g.leaf("CN=" + ORIGIN_HOST, webIntermediate, false, originNames, ips, from, leafTo);
        serverRsa = g.leaf("CN=" + ORIGIN_HOST, webIntermediate, true, originNames, ips, from, leafTo);
        serverExpired = g.leaf("CN=" + ORIGIN_HOST + " (expired)", webIntermediate, false, originNames, ips,
                base.minus(YEAR.multipliedBy(2)), base.minus(YEAR));
        serverNotYetValid = g.leaf("CN=" + ORIGIN_HOST + " (not yet valid)", webIntermediate, false, originNames, ips,
                base.plus(YEAR.multipliedBy(20)), base.plus(YEAR.multipliedBy(21)));
        serverWrongHost = g.leaf("CN=" + OTHER_HOST, webIntermediate, false, new String[] {OTHER_HOST}, new String[0],
                from, leafTo);
        serverRevoked = g.leaf("CN=" + ORIGIN_HOST + " (revoked)", webIntermediate, false, originNames, ips, from, leafTo);
        Instant crlTo = base.plus(YEAR.multipliedBy(5));
        intermediateCrl = g.crl(webIntermediate, serverRevoked.leaf().getSerialNumber(), from, crlTo);
        rootCrl = g.crl(webRoot, null, from, crlTo);

        proxyCa = g.ca("CN=proxyinfo test proxy CA (DEC-9 proxy trust anchor),O=proxyinfo test", null, from,
                base.plus(YEAR.multipliedBy(20)), 0);
        proxy = g.leaf("CN=" + PROXY_HOST, proxyCa, false, new String[] {PROXY_HOST}, new String[0], from, leafTo);
        proxyB = g.leaf("CN=" + PROXY_B_HOST, proxyCa, false, new String[] {PROXY_B_HOST}, new String[0], from, leafTo);
        untrustedCa = g.ca("CN=proxyinfo test unrelated CA (trusted by nobody),O=proxyinfo test", null, from,
                base.plus(YEAR.multipliedBy(20)), 0);
        proxyUntrusted = g.leaf("CN=" + PROXY_HOST, untrustedCa, false, new String[] {PROXY_HOST}, new String[0], from, leafTo);
        proxyWebIssued = g.leaf("CN=" + PROXY_HOST + " (web PKI)", webIntermediate, false, new String[] {PROXY_HOST},
                new String[0], from, leafTo);
        mintCa = g.ca("CN=proxyinfo test mint CA (INSECURE interception DEC-17),O=proxyinfo test", null, from,
                base.plus(YEAR.multipliedBy(20)), 0);
        // Issue 13: last, so every certificate above keeps its bytes.
        clientCa = g.ca("CN=proxyinfo test client CA (client authentication),O=proxyinfo test", null, from,
                base.plus(YEAR.multipliedBy(20)), 0);
        clientEcdsa = g.clientLeaf("CN=" + CLIENT_NAME, clientCa, false, from, leafTo);
        clientRsa = g.clientLeaf("CN=" + CLIENT_NAME, clientCa, true, from, leafTo);
        clientUntrusted = g.clientLeaf("CN=" + CLIENT_NAME + " (untrusted)", untrustedCa, false, from, leafTo);
    }

    private TestPki(Credential webRoot, Credential webIntermediate, Credential serverEcdsa, Credential serverRsa,
                    Credential serverExpired, Credential serverNotYetValid, Credential serverWrongHost, Credential serverRevoked,
                    X509CRL intermediateCrl, X509CRL rootCrl, Credential proxyCa, Credential proxy, Credential proxyB,
                    Credential untrustedCa, Credential proxyUntrusted, Credential proxyWebIssued, Credential mintCa) {
        this.webRoot = webRoot;
        this.webIntermediate = webIntermediate;
        this.serverEcdsa = serverEcdsa;
        this.serverRsa = serverRsa;
        this.serverExpired = serverExpired;
        this.serverNotYetValid = serverNotYetValid;
        this.serverWrongHost = serverWrongHost;
        this.serverRevoked = serverRevoked;
        this.intermediateCrl = intermediateCrl;
        this.rootCrl = rootCrl;
        this.proxyCa = proxyCa;
        this.proxy = proxy;
        this.proxyB = proxyB;
        this.untrustedCa = untrustedCa;
        this.proxyUntrusted = proxyUntrusted;
        this.proxyWebIssued = proxyWebIssued;
        this.mintCa = mintCa;
    }

    /**
     * A PKI read back from a directory written by {@link #writeTo} (e.g. the committed
     * traces/reference/pki), so that runs on it do not depend on this JDK's key generation.
     */
    public static TestPki read(Path dir) throws IOException {
        PkiDir d = new PkiDir(dir);
        java.util.function.Function<String, Credential> ca = name -> {
            try {
                return new Credential(Pem.readPrivateKey(d.file(name + "-key.pem")), Pem.readCertificates(d.file(name + ".pem")));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        try {
            List<X509CRL> crls = d.crls();
            TestPki pki = new TestPki(ca.apply("ca/root"), ca.apply("ca/intermediate"), d.serverEcdsa(), d.serverRsa(),
                    d.serverExpired(), d.serverNotYetValid(), d.serverWrongHost(), d.serverRevoked(), crls.get(0), crls.get(1),
                    ca.apply("ca/proxy-ca"), d.proxy(), d.proxyB(), ca.apply("ca/untrusted-ca"), d.proxyUntrusted(),
                    d.proxyWebIssued(), d.mintCa());
            if (Files.exists(dir.resolve("ca/client-ca.pem"))) {
                pki.clientCa = ca.apply("ca/client-ca");
                pki.clientEcdsa = readCredential(dir, "client-auth/ecdsa");
                pki.clientRsa = readCredential(dir, "client-auth/rsa");
                pki.clientUntrusted = readCredential(dir, "client-auth/untrusted");
            }
            return pki;
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** A PKI from the given random source and base instant. */
    public static TestPki generate(SecureRandom random, Instant base) {
        try {
            return new TestPki(random, base);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("test PKI generation failed: " + e.getMessage(), e);
        }
    }

    /** The reproducible default PKI (seed label {@value #DEFAULT_SEED_LABEL}, base 2026-01-01). */
    public static TestPki generateDefault() {
        return generate(DeterministicRandom.fromLabel(DEFAULT_SEED_LABEL), DEFAULT_BASE);
    }

    // ---------------------------------------------------------------- accessors

    public Credential webRoot() { return webRoot; }
    public Credential webIntermediate() { return webIntermediate; }
    public Credential serverEcdsa() { return serverEcdsa; }
    public Credential serverRsa() { return serverRsa; }
    public Credential serverExpired() { return serverExpired; }
    public Credential serverNotYetValid() { return serverNotYetValid; }
    public Credential serverWrongHost() { return serverWrongHost; }
    public Credential serverRevoked() { return serverRevoked; }
    /** The web intermediate's CRL: lists {@link #serverRevoked()}. */
    public X509CRL intermediateCrl() { return intermediateCrl; }
    /** The web root's CRL: lists nothing (lets policy require cover the intermediate too). */
    public X509CRL rootCrl() { return rootCrl; }
    /** Both web CRLs. */
    public List<X509CRL> webCrls() { return List.of(intermediateCrl, rootCrl); }
    public Credential proxyCa() { return proxyCa; }
    public Credential proxy() { return proxy; }
    public Credential proxyB() { return proxyB; }
    public Credential untrustedCa() { return untrustedCa; }
    public Credential proxyUntrusted() { return proxyUntrusted; }
    public Credential proxyWebIssued() { return proxyWebIssued; }
    public Credential mintCa() { return mintCa; }
    /** RFC5246-7.4.6: the anchor of a server's client trust store (null for a PKI directory written before issue 13). */
    public Credential clientCa() { return clientCa; }
    public Credential clientEcdsa() { return clientEcdsa; }
    public Credential clientRsa() { return clientRsa; }
    /** A client certificate from the unrelated CA: refused by a server trusting {@link #clientTrust()}. */
    public Credential clientUntrusted() { return clientUntrusted; }
    public List<X509Certificate> clientTrust() { return clientCa == null ? List.of() : List.of(clientCa.leaf()); }

    /** Web roots a client (and a proxy, upstream) trusts. */
    public List<X509Certificate> webTrust() { return List.of(webRoot.leaf()); }

    /** DEC-9 proxy trust anchors. */
    public List<X509Certificate> proxyTrust() { return List.of(proxyCa.leaf()); }

    // ---------------------------------------------------------------- mint mode (DEC-17)

    /**
     * DEC-17 {@code mint} mode (INSECURE: today's interception, kept to show the status quo): a
     * fresh ECDSA P-256 leaf for the SNI host, signed by the mint CA, valid from one hour before
     * to 7 days after the clock's now. host may be a DNS name or an IP literal. The returned chain
     * is [leaf, mint CA].
     */
    public static Credential mintLeaf(Credential mintCa, String host, Clock clock, SecureRandom random) {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("mint mode needs the SNI host name");
        }
        try {
            Gen g = new Gen(random);
            Instant now = clock.instant();
            boolean ip = HostnameMatcher.isIpLiteral(host);
            return g.leaf("CN=" + host + " (minted - INSECURE DEC-17)", mintCa, false,
                    ip ? new String[0] : new String[] {host}, ip ? new String[] {host} : new String[0],
                    now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(7)));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("minting a leaf for " + host + " failed: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- on disk

    /**
     * Writes the documented layout (see README.txt written alongside, and impl/CRYPTO.md "PKI
     * layout"). Private keys are unencrypted PKCS#8: test keys only.
     */
    public void writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("README.txt"), PkiDir.README, StandardCharsets.UTF_8);
        Pem.writeCertificates(dir.resolve("ca/root.pem"), List.of(webRoot.leaf()));
        Pem.writePrivateKey(dir.resolve("ca/root-key.pem"), webRoot.privateKey());
        Pem.writeCertificates(dir.resolve("ca/intermediate.pem"), List.of(webIntermediate.leaf()));
        Pem.writePrivateKey(dir.resolve("ca/intermediate-key.pem"), webIntermediate.privateKey());
        Pem.writeCertificates(dir.resolve("ca/proxy-ca.pem"), List.of(proxyCa.leaf()));
        Pem.writePrivateKey(dir.resolve("ca/proxy-ca-key.pem"), proxyCa.privateKey());
        Pem.writeCertificates(dir.resolve("ca/untrusted-ca.pem"), List.of(untrustedCa.leaf()));
        Pem.writePrivateKey(dir.resolve("ca/untrusted-ca-key.pem"), untrustedCa.privateKey());

        writeCredential(dir, "server/ecdsa", serverEcdsa);
        writeCredential(dir, "server/rsa", serverRsa);
        writeCredential(dir, "server/expired", serverExpired);
        writeCredential(dir, "server/not-yet-valid", serverNotYetValid);
        writeCredential(dir, "server/wrong-host", serverWrongHost);
        writeCredential(dir, "server/revoked", serverRevoked);

        Pem.writeCertificates(dir.resolve("client/trust.pem"), webTrust());
        Pem.writeCertificates(dir.resolve("client/proxy-trust.pem"), proxyTrust());
        Pem.writeCertificates(dir.resolve("client/mint-trust.pem"), List.of(mintCa.leaf()));

        Pem.writeCertificates(dir.resolve("proxy/chain.pem"), proxy.chain());
        Pem.writePrivateKey(dir.resolve("proxy/key.pem"), proxy.privateKey());
        writeCredential(dir, "proxy/b", proxyB);
        writeCredential(dir, "proxy/untrusted", proxyUntrusted);
        writeCredential(dir, "proxy/web-issued", proxyWebIssued);
        Pem.writeCertificates(dir.resolve("proxy/upstream-trust.pem"), webTrust());
        Pem.writeCertificates(dir.resolve("proxy/proxy-trust.pem"), proxyTrust());
        Pem.writeCertificates(dir.resolve("proxy/mint-ca.pem"), List.of(mintCa.leaf()));
        Pem.writePrivateKey(dir.resolve("proxy/mint-ca-key.pem"), mintCa.privateKey());

        if (clientCa != null) {
            Pem.writeCertificates(dir.resolve("ca/client-ca.pem"), List.of(clientCa.leaf()));
            Pem.writePrivateKey(dir.resolve("ca/client-ca-key.pem"), clientCa.privateKey());
            writeCredential(dir, "client-auth/ecdsa", clientEcdsa);
            writeCredential(dir, "client-auth/rsa", clientRsa);
            writeCredential(dir, "client-auth/untrusted", clientUntrusted);
            Pem.writeCertificates(dir.resolve("server/client-trust.pem"), clientTrust());
        }
        Pem.writeCrl(dir.resolve("crl/intermediate.crl"), intermediateCrl);
        Pem.writeCrl(dir.resolve("crl/root.crl"), rootCrl);
    }

    private static Credential readCredential(Path dir, String prefix) {
        try {
            return new Credential(Pem.readPrivateKey(dir.resolve(prefix + "-key.pem")),
                    Pem.readCertificates(dir.resolve(prefix + "-chain.pem")));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void writeCredential(Path dir, String prefix, Credential c) throws IOException {
        Pem.writeCertificates(dir.resolve(prefix + "-chain.pem"), c.chain());
        Pem.writePrivateKey(dir.resolve(prefix + "-key.pem"), c.privateKey());
    }

    // ---------------------------------------------------------------- generation

    /** Certificate and CRL generation on one random source. */
    private static final class Gen {
        private final SecureRandom random;
        private final BcTlsCrypto crypto;
        private final JcaX509ExtensionUtils ext;

        Gen(SecureRandom random) throws GeneralSecurityException {
            this.random = random;
            this.crypto = new BcTlsCrypto(random);
            this.ext = new JcaX509ExtensionUtils();
        }

        KeyPair ecKey() throws GeneralSecurityException {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC", "SunEC");
            g.initialize(new ECGenParameterSpec("secp256r1"), random);
            return g.generateKeyPair();
        }

        KeyPair rsaKey() throws GeneralSecurityException {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA", "SunRsaSign");
            g.initialize(2048, random);
            return g.generateKeyPair();
        }

        BigInteger serial() {
            byte[] b = new byte[16];
            random.nextBytes(b);
            b[0] &= 0x7f;
            b[0] |= 0x40; // positive, 16 bytes, never zero (RFC 5280 §4.1.2.2)
            return new BigInteger(b);
        }

        Credential ca(String subject, Credential issuer, Instant from, Instant to, int pathLen)
                throws GeneralSecurityException, IOException {
            KeyPair kp = ecKey();
            X500Name subj = new X500Name(subject);
            X500Name iss = issuer == null ? subj : X500Name.getInstance(issuer.leaf().getSubjectX500Principal().getEncoded());
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(iss, serial(), Date.from(from), Date.from(to),
                    subj, kp.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(pathLen));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            if (issuer != null) {
                b.addExtension(Extension.authorityKeyIdentifier, false,
                        ext.createAuthorityKeyIdentifier(issuer.leaf().getPublicKey()));
            }
            PrivateKey signer = issuer == null ? kp.getPrivate() : issuer.privateKey();
            X509Certificate cert = convert(b.build(new Signer(crypto, signer)));
            List<X509Certificate> chain = new ArrayList<>();
            chain.add(cert);
            if (issuer != null && !isSelfIssued(issuer.leaf())) {
                chain.addAll(issuer.chain());
            }
            return new Credential(kp.getPrivate(), chain);
        }

        /** A client-authentication leaf (RFC5246-7.4.6): KU digitalSignature, EKU clientAuth, no names. */
        Credential clientLeaf(String subject, Credential issuer, boolean rsa, Instant from, Instant to)
                throws GeneralSecurityException, IOException {
            KeyPair kp = rsa ? rsaKey() : ecKey();
            X500Name iss = X500Name.getInstance(issuer.leaf().getSubjectX500Principal().getEncoded());
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(iss, serial(), Date.from(from), Date.from(to),
                    new X500Name(subject), kp.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            b.addExtension(Extension.authorityKeyIdentifier, false,
                    ext.createAuthorityKeyIdentifier(issuer.leaf().getPublicKey()));
            X509Certificate cert = convert(b.build(new Signer(crypto, issuer.privateKey())));
            return new Credential(kp.getPrivate(), List.of(cert));
        }

        Credential leaf(String subject, Credential issuer, boolean rsa, String[] dnsNames, String[] ips,
                        Instant from, Instant to) throws GeneralSecurityException, IOException {
            KeyPair kp = rsa ? rsaKey() : ecKey();
            X500Name iss = X500Name.getInstance(issuer.leaf().getSubjectX500Principal().getEncoded());
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(iss, serial(), Date.from(from), Date.from(to),
                    new X500Name(subject), kp.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(rsa
                    ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment : KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            List<GeneralName> names = new ArrayList<>();
            for (String d : dnsNames) {
                names.add(new GeneralName(GeneralName.dNSName, d));
            }
            for (String ip : ips) {
                names.add(new GeneralName(GeneralName.iPAddress,
                        new DEROctetString(InetAddress.getByName(ip).getAddress())));
            }
            if (!names.isEmpty()) {
                b.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(names.toArray(new GeneralName[0])));
            }
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            b.addExtension(Extension.authorityKeyIdentifier, false,
                    ext.createAuthorityKeyIdentifier(issuer.leaf().getPublicKey()));
            X509Certificate cert = convert(b.build(new Signer(crypto, issuer.privateKey())));
            List<X509Certificate> chain = new ArrayList<>();
            chain.add(cert);
            if (!isSelfIssued(issuer.leaf())) {
                chain.addAll(issuer.chain());
            }
            return new Credential(kp.getPrivate(), chain);
        }

        X509CRL crl(Credential issuer, BigInteger revokedSerial, Instant thisUpdate, Instant nextUpdate)
                throws GeneralSecurityException, IOException {
            X500Name iss = X500Name.getInstance(issuer.leaf().getSubjectX500Principal().getEncoded());
            X509v2CRLBuilder b = new X509v2CRLBuilder(iss, Date.from(thisUpdate));
            b.setNextUpdate(Date.from(nextUpdate));
            if (revokedSerial != null) {
                b.addCRLEntry(revokedSerial, Date.from(thisUpdate), CRLReason.keyCompromise);
            }
            b.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.ONE));
            b.addExtension(Extension.authorityKeyIdentifier, false,
                    ext.createAuthorityKeyIdentifier(issuer.leaf().getPublicKey()));
            X509CRLHolder h = b.build(new Signer(crypto, issuer.privateKey()));
            return new JcaX509CRLConverter().getCRL(h);
        }

        private static X509Certificate convert(X509CertificateHolder h) throws GeneralSecurityException {
            return new JcaX509CertificateConverter().getCertificate(h);
        }
    }

    static boolean isSelfIssued(X509Certificate c) {
        return c.getSubjectX500Principal().equals(c.getIssuerX500Principal());
    }

    /**
     * A bcpkix ContentSigner on {@link BcTlsCrypto#sign}: ecdsa-with-SHA256 (RFC 6979) for EC
     * keys, sha256WithRSAEncryption (PKCS#1 v1.5) for RSA keys; deterministic either way.
     */
    private static final class Signer implements ContentSigner {
        private final BcTlsCrypto crypto;
        private final PrivateKey key;
        private final boolean ec;
        private final java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();

        Signer(BcTlsCrypto crypto, PrivateKey key) {
            this.crypto = crypto;
            this.key = key;
            this.ec = key instanceof ECPrivateKey;
        }

        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            return new DefaultSignatureAlgorithmIdentifierFinder().find(ec ? "SHA256withECDSA" : "SHA256withRSA");
        }

        @Override
        public OutputStream getOutputStream() { return buf; }

        @Override
        public byte[] getSignature() {
            try {
                return crypto.sign(key, ec ? BcTlsCrypto.SCHEME_ECDSA_SECP256R1_SHA256
                        : BcTlsCrypto.SCHEME_RSA_PKCS1_SHA256, buf.toByteArray());
            } catch (TlsFatalAlert e) {
                throw new IllegalStateException(e.describe(), e);
            }
        }
    }

    /** SHA-256 of a public key's SubjectPublicKeyInfo: the pin format of DEC-9 pinned keys. */
    public static byte[] spkiSha256(PublicKey key) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

}
