package org.proxyinfo.wire;

/**
 * The four ECDHE + AES-GCM cipher suites of this implementation (RFC 5289 §3.2, RFC 5288) and
 * what each one fixes: key length, PRF hash and the certificate/signature type it needs.
 */
public final class CipherSuite {
    private CipherSuite() { }

    public static final int TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 = 0xC02B;
    public static final int TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 = 0xC02C;
    public static final int TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 = 0xC02F;
    public static final int TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 = 0xC030;
    /** RFC 5746 §3.3 signalling cipher suite value. */
    public static final int TLS_EMPTY_RENEGOTIATION_INFO_SCSV = 0x00FF;

    /** Our preference order (also what a client offers by default). */
    public static final int[] SUPPORTED = {
        TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    };

    public static boolean isSupported(int s) {
        return s == TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 || s == TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384
                || s == TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 || s == TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384;
    }

    public static boolean isEcdsa(int s) {
        return s == TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 || s == TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384;
    }

    public static boolean isRsa(int s) {
        return s == TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 || s == TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384;
    }

    /** AES key length in bytes. */
    public static int keyLength(int s) {
        return (s == TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 || s == TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) ? 32 : 16;
    }

    /** PRF and handshake hash (RFC 5246 §5, RFC 5289 §3.2). */
    public static String prfHash(int s) {
        return keyLength(s) == 32 ? "SHA-384" : "SHA-256";
    }

    /** RFC 5288 §3: salt (fixed IV part) length. */
    public static final int GCM_FIXED_IV_LENGTH = 4;
    public static final int GCM_EXPLICIT_NONCE_LENGTH = 8;
    public static final int GCM_TAG_LENGTH = 16;

    public static String name(int s) {
        switch (s) {
            case TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: return "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
            case TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: return "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";
            case TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: return "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";
            case TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: return "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384";
            case TLS_EMPTY_RENEGOTIATION_INFO_SCSV: return "TLS_EMPTY_RENEGOTIATION_INFO_SCSV";
            default: return String.format("suite(0x%04x)", s);
        }
    }

    public static int fromName(String name) {
        for (int s : SUPPORTED) {
            if (name(s).equalsIgnoreCase(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown or unsupported cipher suite '" + name + "'");
    }
}
