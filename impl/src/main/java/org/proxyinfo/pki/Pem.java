package org.proxyinfo.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * PEM (RFC 7468) reading and writing for what the test PKI and the CLI exchange: certificates
 * ("CERTIFICATE"), private keys (written as PKCS#8 "PRIVATE KEY"; read also as OpenSSL's
 * "EC PRIVATE KEY" / "RSA PRIVATE KEY"), and CRLs ("X509 CRL"). Keys are unencrypted: this is a
 * test PKI.
 */
public final class Pem {
    private Pem() { }

    /** One PEM block: 64-column base64 between BEGIN/END lines. */
    public static String encode(String type, byte[] der) {
        String b64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n";
    }

    /** The DER contents of every block of the given type, in order. */
    public static List<byte[]> decodeAll(String pem, String type) throws IOException {
        List<byte[]> out = new ArrayList<>();
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int from = 0;
        while (true) {
            int b = pem.indexOf(begin, from);
            if (b < 0) {
                return out;
            }
            int e = pem.indexOf(end, b);
            if (e < 0) {
                throw new IOException("PEM block '" + type + "' has no END line");
            }
            String body = pem.substring(b + begin.length(), e).replaceAll("\\s+", "");
            try {
                out.add(Base64.getDecoder().decode(body));
            } catch (IllegalArgumentException ex) {
                throw new IOException("PEM block '" + type + "' is not valid base64", ex);
            }
            from = e + end.length();
        }
    }

    // ---------------------------------------------------------------- certificates

    public static String certificates(List<X509Certificate> certs) {
        StringBuilder sb = new StringBuilder();
        for (X509Certificate c : certs) {
            try {
                sb.append(encode("CERTIFICATE", c.getEncoded()));
            } catch (CertificateException e) {
                throw new IllegalStateException("cannot encode certificate " + c.getSubjectX500Principal(), e);
            }
        }
        return sb.toString();
    }

    public static List<X509Certificate> parseCertificates(String pem) throws IOException {
        List<X509Certificate> out = new ArrayList<>();
        for (byte[] der : decodeAll(pem, "CERTIFICATE")) {
            out.add(certificate(der));
        }
        return out;
    }

    public static List<X509Certificate> readCertificates(Path file) throws IOException {
        List<X509Certificate> certs = parseCertificates(readPem(file));
        if (certs.isEmpty()) {
            throw new IOException(file + " contains no PEM CERTIFICATE block");
        }
        return certs;
    }

    public static void writeCertificates(Path file, List<X509Certificate> certs) throws IOException {
        write(file, certificates(certs));
    }

    /**
     * One DER certificate as a JDK X509Certificate. Strictly DER: the JDK's CertificateFactory would
     * also take Base64 or PEM text (and ignore bytes after the certificate); an ASN.1Cert on the wire
     * (RFC 5246 §7.4.2, DEC-6) is the DER encoding and nothing else, so anything that is not one
     * complete DER SEQUENCE with a minimal definite length is refused here.
     */
    public static X509Certificate certificate(byte[] der) throws IOException {
        requireDerSequence(der);
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new IOException("not a DER X.509 certificate: " + e.getMessage(), e);
        }
    }

    /** One DER SEQUENCE (tag 0x30, minimal definite length) that is exactly {@code b}, or IOException. */
    static void requireDerSequence(byte[] b) throws IOException {
        if (b == null || b.length < 2 || b[0] != 0x30) {
            throw new IOException("not a DER X.509 certificate: it must start with a SEQUENCE (0x30), got "
                    + (b == null || b.length == 0 ? "nothing" : String.format("0x%02x", b[0] & 0xff))
                    + (b != null && b.length > 0 && (b[0] == '-' || Character.isLetterOrDigit(b[0]))
                    ? " (text: Base64/PEM is not allowed inside an ASN.1Cert)" : ""));
        }
        int first = b[1] & 0xff;
        long length;
        int header;
        if (first < 0x80) {
            length = first;
            header = 2;
        } else {
            int n = first & 0x7f;
            if (n == 0 || n > 4 || b.length < 2 + n || b[2] == 0) {
                throw new IOException("not a DER X.509 certificate: bad or non-minimal length encoding");
            }
            length = 0;
            for (int i = 0; i < n; i++) {
                length = (length << 8) | (b[2 + i] & 0xff);
            }
            if (length < 0x80) {
                throw new IOException("not a DER X.509 certificate: non-minimal length encoding");
            }
            header = 2 + n;
        }
        if (header + length != b.length) {
            throw new IOException("not a DER X.509 certificate: the SEQUENCE is " + (header + length)
                    + " bytes but the ASN.1Cert is " + b.length);
        }
    }

    // ---------------------------------------------------------------- private keys

    /**
     * PKCS#8 "PRIVATE KEY". An EC key carries its public key inside the ECPrivateKey (RFC 5915 publicKey
     * [1]), as openssl writes it: GnuTLS refuses the form without it ("ASN1 parser: Element was not
     * found", issue 16 finding 6), and the JDK's own encoding leaves it out.
     */
    public static String privateKey(PrivateKey key) {
        return encode("PRIVATE KEY", pkcs8(key));
    }

    /** The PKCS#8 DER of a key; for EC with the public key included (see {@link #privateKey}). */
    public static byte[] pkcs8(PrivateKey key) {
        if (!(key instanceof java.security.interfaces.ECPrivateKey ec)) {
            return key.getEncoded();
        }
        try {
            org.bouncycastle.asn1.pkcs.PrivateKeyInfo info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(key.getEncoded());
            org.bouncycastle.asn1.ASN1ObjectIdentifier curve =
                    org.bouncycastle.asn1.ASN1ObjectIdentifier.getInstance(info.getPrivateKeyAlgorithm().getParameters());
            org.bouncycastle.asn1.x9.X9ECParameters params = org.bouncycastle.asn1.x9.ECNamedCurveTable.getByOID(curve);
            byte[] q = params.getG().multiply(ec.getS()).normalize().getEncoded(false);
            org.bouncycastle.asn1.sec.ECPrivateKey inner = new org.bouncycastle.asn1.sec.ECPrivateKey(
                    params.getN().bitLength(), ec.getS(), new org.bouncycastle.asn1.DERBitString(q), null);
            return new org.bouncycastle.asn1.pkcs.PrivateKeyInfo(info.getPrivateKeyAlgorithm(), inner).getEncoded("DER");
        } catch (java.io.IOException | RuntimeException e) {
            return key.getEncoded(); // a curve BC does not name: the JDK's encoding
        }
    }

    public static void writePrivateKey(Path file, PrivateKey key) throws IOException {
        write(file, privateKey(key));
    }

    /** The first private key in the text: PKCS#8, or OpenSSL's traditional EC / RSA form. */
    public static PrivateKey parsePrivateKey(String pem) throws IOException {
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
            Object o;
            while ((o = p.readObject()) != null) {
                if (o instanceof PrivateKeyInfo) {
                    return conv.getPrivateKey((PrivateKeyInfo) o);
                }
                if (o instanceof PEMKeyPair) {
                    return conv.getKeyPair((PEMKeyPair) o).getPrivate();
                }
            }
        }
        throw new IOException("no unencrypted private key (PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY) found");
    }

    public static PrivateKey readPrivateKey(Path file) throws IOException {
        String text = readPem(file);
        try {
            return parsePrivateKey(text);
        } catch (IOException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- CRLs

    public static String crl(X509CRL crl) {
        try {
            return encode("X509 CRL", crl.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode CRL", e);
        }
    }

    public static void writeCrl(Path file, X509CRL crl) throws IOException {
        write(file, crl(crl));
    }

    public static List<X509CRL> parseCrls(String pem) throws IOException {
        List<X509CRL> out = new ArrayList<>();
        for (byte[] der : decodeAll(pem, "X509 CRL")) {
            try {
                out.add((X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der)));
            } catch (GeneralSecurityException e) {
                throw new IOException("not a DER X.509 CRL: " + e.getMessage(), e);
            }
        }
        return out;
    }

    public static List<X509CRL> readCrls(Path file) throws IOException {
        List<X509CRL> crls = parseCrls(readPem(file));
        if (crls.isEmpty()) {
            throw new IOException(file + " contains no PEM X509 CRL block");
        }
        return crls;
    }

    /**
     * A PEM file's text: a regular file of at most {@link org.proxyinfo.io.TextFiles#PEM_LIMIT} bytes of text
     * (impl/HOSTILE.md, section 4); otherwise an IOException that says so, starting with the file.
     */
    public static String readPem(Path file) throws IOException {
        return org.proxyinfo.io.TextFiles.read(file, org.proxyinfo.io.TextFiles.PEM_LIMIT, "a PEM file");
    }

    private static void write(Path file, String text) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, text, StandardCharsets.US_ASCII);
    }
}
