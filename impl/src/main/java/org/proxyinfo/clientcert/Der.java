package org.proxyinfo.clientcert;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.wire.TlsFatalAlert;

/** DER certificate lists to X.509 objects and back (the DEC-23 messages carry ASN.1Cert lists). */
final class Der {
    private Der() { }

    static List<X509Certificate> parse(List<byte[]> ders) throws TlsFatalAlert {
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (byte[] der : ders) {
                out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der)));
            }
        } catch (CertificateException | ClassCastException e) {
            throw new TlsFatalAlert(AlertDescription.BAD_CERTIFICATE, "DEC-23",
                    "a client_certificate_list entry does not parse as X.509: " + e.getMessage());
        }
        return out;
    }

    static List<byte[]> encode(List<X509Certificate> chain) {
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
}
