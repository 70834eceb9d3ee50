package org.proxyinfo.wire;

/** RFC 5246 §7.4 HandshakeType wire values and their RFC names (used in traces). */
public final class HandshakeType {
    private HandshakeType() { }

    public static final int HELLO_REQUEST = 0;
    public static final int CLIENT_HELLO = 1;
    public static final int SERVER_HELLO = 2;
    public static final int CERTIFICATE = 11;
    public static final int SERVER_KEY_EXCHANGE = 12;
    public static final int CERTIFICATE_REQUEST = 13;
    public static final int SERVER_HELLO_DONE = 14;
    public static final int CERTIFICATE_VERIFY = 15;
    public static final int CLIENT_KEY_EXCHANGE = 16;
    public static final int FINISHED = 20;
    /** RFC 4680 (DEC-23 carries the client's chain and ProxyCertVerify in it). */
    public static final int SUPPLEMENTAL_DATA = 23;

    public static String name(int type) {
        switch (type) {
            case HELLO_REQUEST: return "hello_request";
            case CLIENT_HELLO: return "client_hello";
            case SERVER_HELLO: return "server_hello";
            case CERTIFICATE: return "certificate";
            case SERVER_KEY_EXCHANGE: return "server_key_exchange";
            case CERTIFICATE_REQUEST: return "certificate_request";
            case SERVER_HELLO_DONE: return "server_hello_done";
            case CERTIFICATE_VERIFY: return "certificate_verify";
            case CLIENT_KEY_EXCHANGE: return "client_key_exchange";
            case FINISHED: return "finished";
            case SUPPLEMENTAL_DATA: return "supplemental_data";
            default: return "unknown_handshake_type(" + type + ")";
        }
    }
}
