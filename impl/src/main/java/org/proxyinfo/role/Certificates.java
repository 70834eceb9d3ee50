package org.proxyinfo.role;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.crypto.TlsCrypto;
import org.proxyinfo.wire.Hex;
import org.proxyinfo.wire.TlsFatalAlert;

/**
 * DER certificate lists to X.509 objects and back: the one place where a certificate_list (RFC5246-7.4.2) or the
 * DEC-23 client_certificate_list is parsed, DER only ({@link org.proxyinfo.pki.Pem#certificate}).
 */
public final class Certificates {
    private Certificates() { }

    static List<X509Certificate> parse(List<byte[]> ders) throws TlsFatalAlert {
        return parse(ders, "RFC5246-7.4.2", "the peer's certificate_list");
    }

    /** Parses each entry as one DER X.509 certificate; otherwise bad_certificate naming {@code requirement} and {@code what}. */
    public static List<X509Certificate> parse(List<byte[]> ders, String requirement, String what) throws TlsFatalAlert {
        List<X509Certificate> out = new ArrayList<>();
        try {
            for (byte[] der : ders) {
                out.add(org.proxyinfo.pki.Pem.certificate(der)); // DER only (no Base64/PEM inside an ASN.1Cert)
            }
        } catch (java.io.IOException | ClassCastException e) {
            throw new TlsFatalAlert(AlertDescription.BAD_CERTIFICATE, requirement,
                    what + " holds a certificate that does not parse as X.509: " + e.getMessage());
        }
        return out;
    }

    public static List<byte[]> encode(List<X509Certificate> chain) {
        List<byte[]> out = new ArrayList<>();
        for (X509Certificate c : chain) {
            try {
                out.add(c.getEncoded());
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException("cannot encode our own certificate", e);
            }
        }
        return out;
    }

    static String sha256(TlsCrypto crypto, X509Certificate c) {
        try {
            return Hex.of(crypto.hash("SHA-256", c.getEncoded()));
        } catch (CertificateEncodingException e) {
            return null;
        }
    }
}
