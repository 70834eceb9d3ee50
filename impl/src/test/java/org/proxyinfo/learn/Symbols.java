package org.proxyinfo.learn;

import java.util.List;

/**
 * The abstract alphabet of the learned machines (RFC 5246 names). Inputs are what the learner's
 * mapper sends; outputs are what it saw in answer, space separated, in order.
 */
public final class Symbols {
    private Symbols() { }

    // Inputs sent to a server-side endpoint (our server, the proxy's session #1, openssl, SunJSSE).
    public static final String CLIENT_HELLO = "client_hello";
    /** ClientHello with the proxy_info request (client_to_proxy) at the DEC-2 code point. */
    public static final String CLIENT_HELLO_PROXY_INFO = "client_hello+proxy_info";
    public static final String CLIENT_KEY_EXCHANGE = "client_key_exchange";
    public static final String CHANGE_CIPHER_SPEC = "change_cipher_spec";
    public static final String FINISHED = "finished";
    public static final String APPLICATION_DATA = "application_data";
    /** A fatal handshake_failure alert from the learner. */
    public static final String ALERT_FATAL = "alert(fatal)";
    // The other side's handshake messages, sent in the wrong direction.
    public static final String SERVER_HELLO = "server_hello";
    public static final String CERTIFICATE = "certificate";
    public static final String SERVER_KEY_EXCHANGE = "server_key_exchange";
    public static final String SERVER_HELLO_DONE = "server_hello_done";

    // Outputs besides message names.
    public static final String SERVER_HELLO_PROXY_INFO = "server_hello+proxy_info";
    /** The peer closed the connection (EOF or reset); every later input is answered with it too. */
    public static final String CLOSED = "closed";
    /** The peer said nothing and waits for more input. */
    public static final String TIMEOUT = "TIMEOUT";
    /** The peer was still busy when the step's time ran out (never expected: a hang). */
    public static final String BUSY = "BUSY";

    public static String alert(String level, String description) {
        return "alert(" + level + "," + description + ")";
    }

    /** The alphabet for a server-side endpoint: both sides' handshake messages, CCS, data, an alert. */
    public static List<String> serverSideInputs(boolean withProxyInfo) {
        return withProxyInfo
                ? List.of(CLIENT_HELLO, CLIENT_HELLO_PROXY_INFO, CLIENT_KEY_EXCHANGE, CHANGE_CIPHER_SPEC, FINISHED,
                        APPLICATION_DATA, ALERT_FATAL, SERVER_HELLO, CERTIFICATE, SERVER_KEY_EXCHANGE, SERVER_HELLO_DONE)
                : List.of(CLIENT_HELLO, CLIENT_KEY_EXCHANGE, CHANGE_CIPHER_SPEC, FINISHED,
                        APPLICATION_DATA, ALERT_FATAL, SERVER_HELLO, CERTIFICATE, SERVER_KEY_EXCHANGE, SERVER_HELLO_DONE);
    }
}
