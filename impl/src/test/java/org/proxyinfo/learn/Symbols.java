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

    // Inputs sent to a client-side endpoint (our client, the proxy's session #2) besides the ones above.
    /** ServerHello with a valid proxy_info assertion: the test proxy's signature over this session (DEC-5 bound). */
    public static final String SERVER_HELLO_PI_VALID = "server_hello+proxy_info(valid)";
    /** ... signed by a key that is not the one of the proxy certificate that follows (DEC-8). */
    public static final String SERVER_HELLO_PI_FORGED = "server_hello+proxy_info(forged)";
    /** ... validly signed by the proxy, but for another client_random: an assertion captured elsewhere (DEC-5, DEC-12). */
    public static final String SERVER_HELLO_PI_REPLAYED = "server_hello+proxy_info(replayed)";
    /** ... not decodable (DEC-6). */
    public static final String SERVER_HELLO_PI_MALFORMED = "server_hello+proxy_info(malformed)";
    /**
     * ServerHello whose proxy_info is {@code server_to_proxy} with the draft's empty body (an origin that knows
     * the extension answering a proxy's offer): only proxy_to_client belongs in a ServerHello (DEC-3), so outside
     * client-certificate mode (DEC-23) it is refused like any other wrong flag.
     */
    public static final String SERVER_HELLO_PI_SERVER_TO_PROXY = "server_hello+proxy_info(server_to_proxy)";

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

    /** The alphabet for a client-side endpoint: the server's messages (four kinds of assertion), CCS, data, an alert, wrong-direction messages. */
    public static List<String> clientSideInputs() {
        return List.of(SERVER_HELLO, SERVER_HELLO_PI_VALID, SERVER_HELLO_PI_FORGED, SERVER_HELLO_PI_REPLAYED, SERVER_HELLO_PI_MALFORMED,
                CERTIFICATE, SERVER_KEY_EXCHANGE, SERVER_HELLO_DONE, CHANGE_CIPHER_SPEC, FINISHED, APPLICATION_DATA, ALERT_FATAL,
                CLIENT_HELLO, CLIENT_KEY_EXCHANGE);
    }

    /**
     * The alphabet for the proxy's session #2 (the learner is the origin): the client-side alphabet plus a
     * ServerHello with server_to_proxy; {@code full} false leaves out the wrong-direction messages and the
     * replayed and malformed assertions (they take the forged assertion's path) for the default build's time budget.
     */
    public static List<String> session2Inputs(boolean full) {
        return full
                ? List.of(SERVER_HELLO, SERVER_HELLO_PI_VALID, SERVER_HELLO_PI_FORGED, SERVER_HELLO_PI_REPLAYED, SERVER_HELLO_PI_MALFORMED,
                        SERVER_HELLO_PI_SERVER_TO_PROXY, CERTIFICATE, SERVER_KEY_EXCHANGE, SERVER_HELLO_DONE, CHANGE_CIPHER_SPEC, FINISHED,
                        APPLICATION_DATA, ALERT_FATAL, CLIENT_HELLO, CLIENT_KEY_EXCHANGE)
                : List.of(SERVER_HELLO, SERVER_HELLO_PI_VALID, SERVER_HELLO_PI_FORGED, CERTIFICATE, SERVER_KEY_EXCHANGE,
                        SERVER_HELLO_DONE, CHANGE_CIPHER_SPEC, FINISHED, APPLICATION_DATA, ALERT_FATAL);
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
