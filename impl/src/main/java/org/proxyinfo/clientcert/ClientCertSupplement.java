package org.proxyinfo.clientcert;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.wire.Hex;
import org.proxyinfo.wire.TlsFatalAlert;
import org.proxyinfo.wire.TlsReader;
import org.proxyinfo.wire.TlsWriter;

/**
 * DEVIATION (DEC-23): the carrier of the client's chain and ProxyCertVerify, a SupplementalData handshake
 * message (RFC 4680 section 3, HandshakeType supplemental_data(23), sent before the Certificate) with one
 * entry of a private-use SupplementalDataType:
 * <pre>
 *   struct {
 *       SupplementalDataEntry supp_data&lt;1..2^24-1&gt;;     (RFC 4680)
 *   } SupplementalData;
 *   struct {
 *       uint16 supp_data_type = 0xFF14;                 (65300, RFC 4680 private use 65280..65535)
 *       uint16 supp_data_length;
 *       ASN.1Cert client_certificate_list&lt;1..2^24-1&gt;;  (end entity first, ASN.1Cert = opaque&lt;1..2^24-1&gt;)
 *       uint16 signature_algorithm;                     (ProxyCertVerify, RFC 5246 digitally-signed)
 *       opaque signature&lt;0..2^16-1&gt;;
 *   } ClientCertEntry;
 * </pre>
 * The client sends it on session #1; the proxy forwards the same entry on session #2. Entries of other types
 * are skipped (RFC 4680); a missing DEC-23 entry, a duplicate, or trailing bytes are decode_error.
 */
public final class ClientCertSupplement {
    /** HandshakeType supplemental_data (RFC 4680). */
    public static final int HANDSHAKE_TYPE = 23;
    /** SupplementalDataType of the DEC-23 entry (private use). */
    public static final int ENTRY_TYPE = 0xFF14;

    public final List<byte[]> clientCertificateList;
    public final int signatureScheme;
    public final byte[] proxyCertVerify;

    public ClientCertSupplement(List<byte[]> clientCertificateList, int signatureScheme, byte[] proxyCertVerify) {
        if (clientCertificateList.isEmpty()) {
            throw new IllegalArgumentException("a DEC-23 entry carries the client's chain (at least its end entity)");
        }
        List<byte[]> copy = new ArrayList<>();
        for (byte[] c : clientCertificateList) {
            copy.add(c.clone());
        }
        this.clientCertificateList = List.copyOf(copy);
        this.signatureScheme = signatureScheme;
        this.proxyCertVerify = proxyCertVerify.clone();
    }

    /** The SupplementalData handshake body (without the 4-byte handshake header). */
    public byte[] encode() {
        TlsWriter entry = new TlsWriter();
        entry.startVector(3);
        for (byte[] c : clientCertificateList) {
            entry.vector(3, c);
        }
        entry.endVector();
        entry.u16(signatureScheme).vector(2, proxyCertVerify);
        byte[] data = entry.toByteArray();
        if (data.length > 0xFFFF) {
            throw new IllegalArgumentException("the DEC-23 entry exceeds supp_data_length's 65535 bytes: a shorter client chain");
        }
        return new TlsWriter().startVector(3).u16(ENTRY_TYPE).vector(2, data).endVector().toByteArray();
    }

    /** Decodes a SupplementalData body; strict (DEC-21: malformed is decode_error). */
    public static ClientCertSupplement decode(byte[] body) throws TlsFatalAlert {
        TlsReader all = new TlsReader(body, "SupplementalData (RFC 4680, DEC-23)");
        TlsReader entries = all.sub(3, 1, 0xFFFFFF, "supp_data");
        all.expectEnd("SupplementalData");
        ClientCertSupplement found = null;
        while (!entries.isEmpty()) {
            int type = entries.u16("supp_data_type");
            TlsReader data = entries.sub(2, 0, 0xFFFF, "supp_data");
            if (type != ENTRY_TYPE) {
                continue; // RFC 4680: an entry of a type we do not know is skipped
            }
            if (found != null) {
                throw new TlsFatalAlert(AlertDescription.DECODE_ERROR, "DEC-23", "two DEC-23 entries in one SupplementalData");
            }
            TlsReader certs = data.sub(3, 1, 0xFFFFFF, "client_certificate_list");
            List<byte[]> list = new ArrayList<>();
            while (!certs.isEmpty()) {
                list.add(certs.vector(3, 1, 0xFFFFFF, "ASN.1Cert"));
            }
            int scheme = data.u16("signature_algorithm");
            byte[] sig = data.vector(2, 0, 0xFFFF, "signature");
            data.expectEnd("DEC-23 entry");
            found = new ClientCertSupplement(list, scheme, sig);
        }
        if (found == null) {
            throw new TlsFatalAlert(AlertDescription.DECODE_ERROR, "DEC-23",
                    "SupplementalData without the DEC-23 entry (type 0xFF14): no client chain and ProxyCertVerify");
        }
        return found;
    }

    /** Trace fields. */
    public Map<String, Object> fields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("supp_data_type", "0xff14 (DEC-23 client certificate, DEVIATION)");
        m.put("client_certificate_list", clientCertificateList.size() + " certificates");
        m.put("proxy_cert_verify.algorithm", signatureScheme);
        m.put("proxy_cert_verify.signature", Hex.of(proxyCertVerify));
        return m;
    }
}
