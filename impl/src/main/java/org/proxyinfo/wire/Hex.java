package org.proxyinfo.wire;

/**
 * The project's one hex helper: lower-case hex, two digits per byte, no separators (the one
 * spelling of bytes in traces, logs and tests); decoding accepts either case and ignores ':' and
 * whitespace, as tshark and openssl print them.
 */
public final class Hex {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex() { }

    /** Hex of the bytes; null for null. */
    public static String of(byte[] b) {
        return b == null ? null : encode(b);
    }

    /** Hex of the bytes; "" for null (trace fields are never null). */
    public static String encode(byte[] bytes) {
        if (bytes == null) {
            return "";
        }
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = DIGITS[(bytes[i] >> 4) & 0xf];
            out[2 * i + 1] = DIGITS[bytes[i] & 0xf];
        }
        return new String(out);
    }

    /** Same as {@link #decode}. */
    public static byte[] parse(String s) {
        return decode(s);
    }

    /** Decodes hex (either case; ':' and whitespace are ignored). */
    public static byte[] decode(String hex) {
        StringBuilder clean = new StringBuilder(hex.length());
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            if (c != ':' && !Character.isWhitespace(c)) {
                clean.append(c);
            }
        }
        if (clean.length() % 2 != 0) {
            throw new IllegalArgumentException("odd number of hex digits: " + clean.length());
        }
        byte[] out = new byte[clean.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(clean.charAt(2 * i), 16);
            int lo = Character.digit(clean.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("not a hex digit near position " + (2 * i));
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }
}
