package org.proxyinfo.wire;

/**
 * SignatureAndHashAlgorithm pairs (RFC 5246 §7.4.1.4.1), written with their RFC 8446 §4.2.3
 * SignatureScheme code points (the same two bytes in TLS 1.2; rsa_pss_rsae_* per RFC 8446 §4.2.3
 * as used in TLS 1.2 by RFC 8446 §1.3 updates).
 */
public final class SignatureScheme {
    private SignatureScheme() { }

    public static final int RSA_PKCS1_SHA256 = 0x0401;
    public static final int ECDSA_SECP256R1_SHA256 = 0x0403;
    public static final int RSA_PSS_RSAE_SHA256 = 0x0804;
    /**
     * RFC5246-7.4.1.4.1 defaults for a ClientHello without signature_algorithms: {sha1,rsa} and
     * {sha1,ecdsa}. A server uses them only for such a client; never offered, never accepted by our client.
     */
    public static final int RSA_PKCS1_SHA1 = 0x0201;
    public static final int ECDSA_SHA1 = 0x0203;

    /** Our preference order. */
    public static final int[] SUPPORTED = {ECDSA_SECP256R1_SHA256, RSA_PSS_RSAE_SHA256, RSA_PKCS1_SHA256};

    public static boolean isSupported(int s) {
        return s == RSA_PKCS1_SHA256 || s == ECDSA_SECP256R1_SHA256 || s == RSA_PSS_RSAE_SHA256;
    }

    public static boolean isEcdsa(int s) {
        return s == ECDSA_SECP256R1_SHA256;
    }

    public static boolean isRsa(int s) {
        return s == RSA_PKCS1_SHA256 || s == RSA_PSS_RSAE_SHA256;
    }

    public static String name(int s) {
        switch (s) {
            case RSA_PKCS1_SHA256: return "rsa_pkcs1_sha256";
            case ECDSA_SECP256R1_SHA256: return "ecdsa_secp256r1_sha256";
            case RSA_PSS_RSAE_SHA256: return "rsa_pss_rsae_sha256";
            case 0x0501: return "rsa_pkcs1_sha384";
            case 0x0503: return "ecdsa_secp384r1_sha384";
            case 0x0805: return "rsa_pss_rsae_sha384";
            case 0x0201: return "rsa_pkcs1_sha1";
            case 0x0203: return "ecdsa_sha1";
            default: return String.format("scheme(0x%04x)", s);
        }
    }
}
