package org.proxyinfo.wire;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** RFC 5246 §7.4.2 Certificate: {@code ASN.1Cert certificate_list<0..2^24-1>}, sender's certificate first. */
public final class Certificate {
    public final List<byte[]> certificateList;

    public Certificate(List<byte[]> certificateList) {
        this.certificateList = certificateList;
    }

    public byte[] encode() {
        TlsWriter w = new TlsWriter().startVector(3);
        for (byte[] der : certificateList) {
            w.vector(3, der);
        }
        return w.endVector().toByteArray();
    }

    public static Certificate decode(byte[] body) throws TlsFatalAlert {
        TlsReader r = new TlsReader(body, "Certificate");
        TlsReader list = r.sub(3, 0, 0xffffff, "certificate_list");
        r.expectEnd("certificate_list");
        List<byte[]> out = new ArrayList<>();
        while (!list.isEmpty()) {
            out.add(list.vector(3, 1, 0xffffff, "ASN.1Cert"));
        }
        return new Certificate(out);
    }

    private static String sha256(byte[] der) {
        try {
            return Hex.of(java.security.MessageDigest.getInstance("SHA-256").digest(der));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    public Map<String, Object> fields() {
        Map<String, Object> f = new LinkedHashMap<>();
        List<Map<String, Object>> certs = new ArrayList<>();
        for (byte[] c : certificateList) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("sha256", sha256(c));
            one.put("der", Hex.of(c));
            certs.add(one);
        }
        f.put("certificate_list", certs);
        return f;
    }
}
