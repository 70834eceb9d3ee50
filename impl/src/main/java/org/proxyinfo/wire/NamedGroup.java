package org.proxyinfo.wire;

/** NamedGroup (RFC 8422 §5.1.1, RFC 7748): the two ECDHE groups this implementation supports. */
public final class NamedGroup {
    private NamedGroup() { }

    public static final int SECP256R1 = 0x0017;
    public static final int X25519 = 0x001d;

    /** Our preference order. */
    public static final int[] SUPPORTED = {X25519, SECP256R1};

    public static boolean isSupported(int g) {
        return g == X25519 || g == SECP256R1;
    }

    public static String name(int g) {
        switch (g) {
            case SECP256R1: return "secp256r1";
            case X25519: return "x25519";
            case 0x0018: return "secp384r1";
            case 0x0019: return "secp521r1";
            case 0x001e: return "x448";
            default: return String.format("group(0x%04x)", g);
        }
    }

    /** Parses "x25519" / "secp256r1" (CLI and test configuration). */
    public static int fromName(String name) {
        for (int g : SUPPORTED) {
            if (name(g).equalsIgnoreCase(name)) {
                return g;
            }
        }
        throw new IllegalArgumentException("unknown or unsupported group '" + name + "' (supported: x25519, secp256r1)");
    }
}
