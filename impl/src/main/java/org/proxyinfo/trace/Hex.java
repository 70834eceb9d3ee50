package org.proxyinfo.trace;

/** Lower-case hex, two digits per byte, no separators: the one spelling of bytes in traces. */
public final class Hex {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex() { }

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

    /** Decodes hex (either case; ':' and whitespace are ignored, as tshark and openssl print them). */
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
