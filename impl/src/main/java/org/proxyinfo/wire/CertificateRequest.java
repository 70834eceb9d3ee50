package org.proxyinfo.wire;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.proxyinfo.core.AlertDescription;

/**
 * RFC 5246 §7.4.4 CertificateRequest:
 * <pre>
 * struct {
 *     ClientCertificateType certificate_types&lt;1..2^8-1&gt;;
 *     SignatureAndHashAlgorithm supported_signature_algorithms&lt;2^16-1&gt;;
 *     DistinguishedName certificate_authorities&lt;0..2^16-1&gt;;
 * } CertificateRequest;
 * opaque DistinguishedName&lt;1..2^16-1&gt;;
 * </pre>
 * supported_signature_algorithms is a list of 2-byte values, so its length must be even and,
 * RFC 5246 §7.4.1.4.1 (as for signature_algorithms), non-empty. A DistinguishedName is the DER of
 * an X.501 Name; it is kept as bytes (the client uses it only as a hint, RFC5246-7.4.6).
 */
public final class CertificateRequest {
    /** RFC 5246 §7.4.4 ClientCertificateType rsa_sign. */
    public static final int RSA_SIGN = 1;
    /** RFC 8422 §5.5 ClientCertificateType ecdsa_sign. */
    public static final int ECDSA_SIGN = 64;

    public final int[] certificateTypes;
    public final int[] supportedSignatureAlgorithms;
    public final List<byte[]> certificateAuthorities;

    public CertificateRequest(int[] certificateTypes, int[] supportedSignatureAlgorithms, List<byte[]> certificateAuthorities) {
        this.certificateTypes = certificateTypes.clone();
        this.supportedSignatureAlgorithms = supportedSignatureAlgorithms.clone();
        this.certificateAuthorities = List.copyOf(certificateAuthorities);
    }

    public byte[] encode() {
        TlsWriter w = new TlsWriter().startVector(1);
        for (int t : certificateTypes) {
            w.u8(t);
        }
        w.endVector().startVector(2);
        for (int s : supportedSignatureAlgorithms) {
            w.u16(s);
        }
        w.endVector().startVector(2);
        for (byte[] dn : certificateAuthorities) {
            w.vector(2, dn);
        }
        return w.endVector().toByteArray();
    }

    public static CertificateRequest decode(byte[] body) throws TlsFatalAlert {
        TlsReader r = new TlsReader(body, "CertificateRequest");
        byte[] types = r.vector(1, 1, 0xff, "certificate_types");
        byte[] algs = r.vector(2, 2, 0xfffe, "supported_signature_algorithms");
        if (algs.length % 2 != 0) {
            throw new TlsFatalAlert(AlertDescription.DECODE_ERROR, "RFC5246-7.4.4",
                    "CertificateRequest: supported_signature_algorithms has an odd length " + algs.length
                            + " (each SignatureAndHashAlgorithm is 2 bytes)");
        }
        TlsReader cas = r.sub(2, 0, 0xffff, "certificate_authorities");
        r.expectEnd("CertificateRequest");
        int[] t = new int[types.length];
        for (int i = 0; i < types.length; i++) {
            t[i] = types[i] & 0xff;
        }
        int[] a = new int[algs.length / 2];
        for (int i = 0; i < a.length; i++) {
            a[i] = ((algs[2 * i] & 0xff) << 8) | (algs[2 * i + 1] & 0xff);
        }
        List<byte[]> dns = new ArrayList<>();
        while (!cas.isEmpty()) {
            dns.add(cas.vector(2, 1, 0xffff, "DistinguishedName"));
        }
        return new CertificateRequest(t, a, dns);
    }

    public boolean allowsType(int type) {
        for (int t : certificateTypes) {
            if (t == type) {
                return true;
            }
        }
        return false;
    }

    public boolean allowsScheme(int scheme) {
        for (int s : supportedSignatureAlgorithms) {
            if (s == scheme) {
                return true;
            }
        }
        return false;
    }

    public static String typeName(int t) {
        switch (t) {
            case RSA_SIGN: return "rsa_sign";
            case 2: return "dss_sign";
            case 3: return "rsa_fixed_dh";
            case 4: return "dss_fixed_dh";
            case ECDSA_SIGN: return "ecdsa_sign";
            case 65: return "rsa_fixed_ecdh";
            case 66: return "ecdsa_fixed_ecdh";
            default: return "unknown(" + t + ")";
        }
    }

    /** Decoded fields for traces: type names, schemes as 0x.... (as trace.MessageFields shows them), CA names. */
    public Map<String, Object> fields() {
        Map<String, Object> f = new LinkedHashMap<>();
        List<String> types = new ArrayList<>();
        for (int t : certificateTypes) {
            types.add(typeName(t));
        }
        f.put("certificate_types", types);
        List<String> algs = new ArrayList<>();
        for (int s : supportedSignatureAlgorithms) {
            algs.add(String.format("0x%04x", s));
        }
        f.put("supported_signature_algorithms", algs);
        List<String> cas = new ArrayList<>();
        for (byte[] dn : certificateAuthorities) {
            cas.add(distinguishedName(dn));
        }
        f.put("certificate_authorities", cas);
        return f;
    }

    /** An RFC 2253 string when the bytes are a DER Name, else the hex. */
    static String distinguishedName(byte[] der) {
        try {
            return new javax.security.auth.x500.X500Principal(der).getName();
        } catch (IllegalArgumentException e) {
            return Hex.of(der);
        }
    }
}
