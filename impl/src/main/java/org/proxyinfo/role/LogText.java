package org.proxyinfo.role;

/**
 * Text from a peer (a request line, a server_name, an alert's reason) made safe for a log a person reads in a
 * terminal: control characters a terminal acts on (0x00-0x1f such as ESC, CR and BEL; DEL; 0x80-0x9f such as CSI) and Unicode
 * format and line-separator characters (bidirectional overrides, U+2028) are written as {@code \xHH} or
 * {@code \}{@code uHHHH}, CR and LF as {@code \r} and {@code \n}; so a peer can neither forge log lines nor drive
 * the operator's terminal (impl/HOSTILE.md, section 4).
 */
public final class LogText {
    private LogText() { }

    /** {@code s} with every such character escaped; null as "null". */
    public static String escape(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int type = Character.getType(c);
            boolean unsafe = Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR;
            if (!unsafe) {
                if (b != null) {
                    b.append(c);
                }
                continue;
            }
            if (b == null) {
                b = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (c == '\r') {
                b.append("\\r");
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c <= 0xff) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        return b == null ? s : b.toString();
    }
}
