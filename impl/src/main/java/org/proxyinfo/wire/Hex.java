package org.proxyinfo.wire;

/** Lower-case hex for traces and logs. */
public final class Hex {
    private Hex() { }

    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    public static String of(byte[] b) {
        if (b == null) {
            return null;
        }
        char[] out = new char[b.length * 2];
        for (int i = 0; i < b.length; i++) {
            out[2 * i] = DIGITS[(b[i] >> 4) & 0xf];
            out[2 * i + 1] = DIGITS[b[i] & 0xf];
        }
        return new String(out);
    }

    public static byte[] parse(String s) {
        String t = s.replaceAll("\\s", "");
        if (t.length() % 2 != 0) {
            throw new IllegalArgumentException("odd-length hex");
        }
        byte[] out = new byte[t.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(t.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
