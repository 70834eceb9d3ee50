package org.proxyinfo.wire;

/** ProtocolVersion values (RFC 5246 §6.2.1, Appendix E). This implementation speaks TLS 1.2 only (DEC-20). */
public final class ProtocolVersion {
    private ProtocolVersion() { }

    public static final int TLS10 = 0x0301;
    public static final int TLS11 = 0x0302;
    public static final int TLS12 = 0x0303;

    public static String name(int v) {
        switch (v) {
            case 0x0300: return "SSLv3";
            case TLS10: return "TLSv1.0";
            case TLS11: return "TLSv1.1";
            case TLS12: return "TLSv1.2";
            case 0x0304: return "TLSv1.3";
            default: return String.format("0x%04x", v);
        }
    }
}
