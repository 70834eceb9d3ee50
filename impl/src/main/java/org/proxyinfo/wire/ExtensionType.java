package org.proxyinfo.wire;

/** ExtensionType wire values (RFC 6066, RFC 8422, RFC 5246 §7.4.1.4.1, RFC 7627, RFC 5746). */
public final class ExtensionType {
    private ExtensionType() { }

    public static final int SERVER_NAME = 0;
    public static final int SUPPORTED_GROUPS = 10;
    public static final int EC_POINT_FORMATS = 11;
    public static final int SIGNATURE_ALGORITHMS = 13;
    public static final int EXTENDED_MASTER_SECRET = 23;
    public static final int RENEGOTIATION_INFO = 0xff01;
    /** DEC-2: proxy_info's default private-use code point (configurable; never 65281). */
    public static final int PROXY_INFO_DEFAULT = 0xff50;
    /** DEVIATION (DEC-23): client_cert_mode's private-use code point (impl/CLIENTCERT.md; RFC 8446 4.2: 65280..65535 private use). */
    public static final int CLIENT_CERT_MODE = 0xff23;

    public static String name(int t) {
        switch (t) {
            case SERVER_NAME: return "server_name";
            case SUPPORTED_GROUPS: return "supported_groups";
            case EC_POINT_FORMATS: return "ec_point_formats";
            case SIGNATURE_ALGORITHMS: return "signature_algorithms";
            case EXTENDED_MASTER_SECRET: return "extended_master_secret";
            case RENEGOTIATION_INFO: return "renegotiation_info";
            case PROXY_INFO_DEFAULT: return "proxy_info";
            case CLIENT_CERT_MODE: return "client_cert_mode";
            default: return "extension(" + t + ")";
        }
    }
}
