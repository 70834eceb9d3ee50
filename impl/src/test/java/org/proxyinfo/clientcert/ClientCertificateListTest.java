package org.proxyinfo.clientcert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.pki.Pem;
import org.proxyinfo.role.Certificates;
import org.proxyinfo.wire.TlsFatalAlert;

/**
 * DEC-23, RFC5246-7.4.2: the ASN.1Cert lists of the client-certificate mode (the client's chain that the proxy parses
 * for its CertificateVerify key, 01-R15) are DER only, as every other certificate_list of this stack: PEM or Base64
 * text inside an entry is refused with bad_certificate. (Before, the mode had its own {@code Der.parse} on the JDK's
 * CertificateFactory, which also takes PEM text; it now calls {@link Certificates#parse(List, String, String)} as
 * {@link ClientCertModeProxy#onClientAuthentication} does.)
 */
class ClientCertificateListTest {
    /** What {@link ClientCertModeProxy#onClientAuthentication} parses the client's chain with. */
    static List<X509Certificate> parse(List<byte[]> ders) throws TlsFatalAlert {
        return Certificates.parse(ders, "DEC-23", "the client's certificate_list");
    }

    @Test
    @DisplayName("DEC-23: a client_certificate_list entry is DER only; PEM or Base64 text inside it is bad_certificate")
    void derOnly() throws Exception {
        X509Certificate leaf = ClientCertModeTest.PKI.serverEcdsa().chain().get(0);
        byte[] der = leaf.getEncoded();
        assertEquals(leaf, parse(List.of(der)).get(0));
        byte[] pem = Pem.encode("CERTIFICATE", der).getBytes(StandardCharsets.US_ASCII);
        TlsFatalAlert e = assertThrows(TlsFatalAlert.class, () -> parse(List.of(pem)));
        assertEquals(AlertDescription.BAD_CERTIFICATE, e.alert(), e.getMessage());
        assertTrue(e.getMessage().contains("DER"), e.getMessage());
        byte[] b64 = java.util.Base64.getEncoder().encode(der);
        assertThrows(TlsFatalAlert.class, () -> parse(List.of(der, b64)));
    }
}
