package org.proxyinfo.crypto;

import java.util.HexFormat;

/** Test helper: hex with whitespace allowed. */
final class Hex {
    private Hex() { }

    static byte[] b(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }

    static String s(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
