package org.proxyinfo.wire;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RFC 5246 §7.4.8 CertificateVerify: {@code digitally-signed struct { opaque
 * handshake_messages[handshake_messages_length]; }}, i.e. a SignatureAndHashAlgorithm and an
 * {@code opaque signature<0..2^16-1>} over every handshake message from ClientHello up to (not
 * including) this one.
 */
public final class CertificateVerify {
    public final int signatureScheme;
    public final byte[] signature;

    public CertificateVerify(int signatureScheme, byte[] signature) {
        this.signatureScheme = signatureScheme;
        this.signature = signature.clone();
    }

    public byte[] encode() {
        return new TlsWriter().u16(signatureScheme).vector(2, signature).toByteArray();
    }

    public static CertificateVerify decode(byte[] body) throws TlsFatalAlert {
        TlsReader r = new TlsReader(body, "CertificateVerify");
        int scheme = r.u16("signature_algorithm");
        byte[] sig = r.vector(2, 0, 0xffff, "signature");
        r.expectEnd("CertificateVerify");
        return new CertificateVerify(scheme, sig);
    }

    public Map<String, Object> fields() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("signature_algorithm", String.format("0x%04x", signatureScheme));
        f.put("signature", Hex.of(signature));
        return f;
    }
}
