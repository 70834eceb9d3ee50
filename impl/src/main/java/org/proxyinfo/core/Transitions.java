package org.proxyinfo.core;

/**
 * The one place that says which message is legal in which handshake state (s2n-style transition
 * table, see notes/style.md). Every role asks {@link #legal} before it decodes a message; a message
 * the table does not allow is a fatal {@code unexpected_message} (RFC5246-7.4, DEC-21).
 *
 * The TLS 1.2 full handshake this implementation runs (RFC 5246 §7.3, ECDHE suites, no
 * resumption: DEC-20) has exactly one expected message per waiting state, so the table is the
 * function {@link #expected}, with one exception: a server may send an optional CertificateRequest
 * before ServerHelloDone (RFC5246-7.4.4), so a client waiting for ServerHelloDone also accepts a
 * CertificateRequest ({@link #legal}; the client core refuses a second one). A server that asks
 * for a client certificate (RFC5246-7.4.6, 7.4.8) waits in two more states,
 * {@link #S_WAIT_CLIENT_CERTIFICATE} and {@link #S_WAIT_CERTIFICATE_VERIFY}. ChangeCipherSpec and application data are not
 * handshake messages; they get the pseudo types {@link #CHANGE_CIPHER_SPEC} and
 * {@link #APPLICATION_DATA} (outside the uint8 HandshakeType range) so one table covers every
 * record a role can receive. Alerts are legal in every state and are not in the table.
 *
 * Written in KeY's Java subset (int constants, classic switch), so contracts can be proved on it.
 */
public final class Transitions {
    private Transitions() { }

    public static final int ROLE_CLIENT = 0;
    public static final int ROLE_SERVER = 1;
    public static final int ROLE_PROXY = 2;

    /** "No message is expected: the role itself must act (send its flight) next." */
    public static final int NONE = -1;

    // HandshakeType values (RFC 5246 §7.4), repeated here because core imports nothing.
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
    /** RFC 4680 SupplementalData: DEC-23 carries the client's chain and ProxyCertVerify in it, before the client's Certificate. */
    public static final int SUPPLEMENTAL_DATA = 23;
    /** Pseudo type for a ChangeCipherSpec record (RFC 5246 §7.1). */
    public static final int CHANGE_CIPHER_SPEC = 256;
    /** Pseudo type for an application_data record (RFC 5246 §10). */
    public static final int APPLICATION_DATA = 257;

    // Client states (ClientHandshake).
    public static final int C_START = 0;
    public static final int C_WAIT_SERVER_HELLO = 1;
    public static final int C_WAIT_CERTIFICATE = 2;
    public static final int C_WAIT_SERVER_KEY_EXCHANGE = 3;
    public static final int C_WAIT_SERVER_HELLO_DONE = 4;
    /** Server flight received and checked; the client decides whether to send key material (DEC-8). */
    public static final int C_SEND_KEY_EXCHANGE = 5;
    public static final int C_WAIT_CHANGE_CIPHER_SPEC = 6;
    public static final int C_WAIT_FINISHED = 7;
    public static final int C_ESTABLISHED = 8;
    public static final int C_CLOSED = 9;
    public static final int C_FAILED = 10;

    // Server states (ServerHandshake).
    public static final int S_WAIT_CLIENT_HELLO = 0;
    /** ClientHello accepted; the server sends ServerHello .. ServerHelloDone. */
    public static final int S_SEND_FLIGHT = 1;
    public static final int S_WAIT_CLIENT_KEY_EXCHANGE = 2;
    public static final int S_WAIT_CHANGE_CIPHER_SPEC = 3;
    public static final int S_WAIT_FINISHED = 4;
    /** Client Finished verified; the server sends ChangeCipherSpec and Finished. */
    public static final int S_SEND_FINISHED = 5;
    public static final int S_ESTABLISHED = 6;
    public static final int S_CLOSED = 7;
    public static final int S_FAILED = 8;
    /** RFC5246-7.4.6: the server sent a CertificateRequest and waits for the client's Certificate (maybe empty). */
    public static final int S_WAIT_CLIENT_CERTIFICATE = 9;
    /** RFC5246-7.4.8: the client sent a non-empty Certificate that validated; its CertificateVerify follows ClientKeyExchange. */
    public static final int S_WAIT_CERTIFICATE_VERIFY = 10;

    /**
     * Is a message of this type legal for this role in this state? In the established state a
     * renegotiation request (HelloRequest to a client, ClientHello to a server) is legal to
     * <em>receive</em>; the role's core then refuses it with no_renegotiation (RFC5746-4.2, DEC-20).
     */
    /*@ public normal_behavior
      @ // RFC5246-7.4: one expected message per waiting state, plus the renegotiation requests (DEC-20)
      @ ensures \result <==> ((expected(role, state) != NONE && type == expected(role, state))
      @     || (role == ROLE_CLIENT && state == C_WAIT_SERVER_HELLO_DONE && type == CERTIFICATE_REQUEST)
      @     || (role == ROLE_SERVER && state == S_WAIT_CLIENT_CERTIFICATE && type == SUPPLEMENTAL_DATA)
      @     || (role == ROLE_CLIENT && state == C_ESTABLISHED && type == HELLO_REQUEST)
      @     || (role == ROLE_SERVER && state == S_ESTABLISHED && type == CLIENT_HELLO));
      @ // RFC5246-7.2.2: nothing is processed after an abort or a close
      @ ensures (role == ROLE_CLIENT && (state == C_FAILED || state == C_CLOSED)) ==> !\result;
      @ ensures (role == ROLE_SERVER && (state == S_FAILED || state == S_CLOSED)) ==> !\result;
      @ // DEC-8: while the client decides whether to send key material it accepts no message at all
      @ ensures (role == ROLE_CLIENT && state == C_SEND_KEY_EXCHANGE) ==> !\result;
      @ // RFC5246-7.4.9: Finished only after ChangeCipherSpec; RFC5246-10: application data only when established
      @ ensures (\result && role == ROLE_CLIENT && type == FINISHED) ==> state == C_WAIT_FINISHED;
      @ ensures (\result && role == ROLE_SERVER && type == FINISHED) ==> state == S_WAIT_FINISHED;
      @ ensures (\result && role == ROLE_CLIENT && type == APPLICATION_DATA) ==> state == C_ESTABLISHED;
      @ ensures (\result && role == ROLE_SERVER && type == APPLICATION_DATA) ==> state == S_ESTABLISHED;
      @ // RFC5246-7.4.4: a CertificateRequest only between ServerKeyExchange and ServerHelloDone
      @ ensures (\result && role == ROLE_CLIENT && type == CERTIFICATE_REQUEST) ==> state == C_WAIT_SERVER_HELLO_DONE;
      @ // RFC5246-7.4.8: a CertificateVerify only from a client whose certificate the server accepted
      @ ensures (\result && role == ROLE_SERVER && type == CERTIFICATE_VERIFY) ==> state == S_WAIT_CERTIFICATE_VERIFY;
      @ // RFC 4680, DEC-23: a SupplementalData only where the client's Certificate is awaited, before it
      @ ensures (\result && role == ROLE_SERVER && type == SUPPLEMENTAL_DATA) ==> state == S_WAIT_CLIENT_CERTIFICATE;
      @*/
    public static /*@ pure @*/ boolean legal(int role, int state, int type) {
        int exp = expected(role, state);
        if (exp != NONE && type == exp) {
            return true;
        }
        if (role == ROLE_CLIENT && state == C_WAIT_SERVER_HELLO_DONE && type == CERTIFICATE_REQUEST) {
            return true;
        }
        if (role == ROLE_SERVER && state == S_WAIT_CLIENT_CERTIFICATE && type == SUPPLEMENTAL_DATA) {
            return true; // RFC 4680 (DEC-23): optional, before the client's Certificate; the shell takes it only in DEC-23 mode
        }
        if (role == ROLE_CLIENT && state == C_ESTABLISHED && type == HELLO_REQUEST) {
            return true;
        }
        if (role == ROLE_SERVER && state == S_ESTABLISHED && type == CLIENT_HELLO) {
            return true;
        }
        return false;
    }

    /**
     * Is this message legal but to be ignored? RFC5246-7.4.1.1: a HelloRequest "will be ignored by
     * the client if the client is currently negotiating a session" (it is not hashed either).
     */
    /*@ public normal_behavior
      @ // RFC5246-7.4.1.1: only a client ignores, only a HelloRequest, only while negotiating (never once established)
      @ ensures \result <==> (role == ROLE_CLIENT && type == HELLO_REQUEST
      @     && C_WAIT_SERVER_HELLO <= state && state <= C_WAIT_FINISHED);
      @*/
    public static /*@ pure @*/ boolean ignored(int role, int state, int type) {
        return role == ROLE_CLIENT && type == HELLO_REQUEST
                && state >= C_WAIT_SERVER_HELLO && state <= C_WAIT_FINISHED;
    }

    /** The one message a role waits for in a state, or {@link #NONE} when it must act itself or is done. */
    /*@ public normal_behavior
      @ // RFC5246-7.3: the full TLS 1.2 ECDHE handshake, as the one table the roles, traces and model share
      @ ensures role == ROLE_CLIENT ==> \result == (state == C_WAIT_SERVER_HELLO ? SERVER_HELLO
      @     : state == C_WAIT_CERTIFICATE ? CERTIFICATE
      @     : state == C_WAIT_SERVER_KEY_EXCHANGE ? SERVER_KEY_EXCHANGE
      @     : state == C_WAIT_SERVER_HELLO_DONE ? SERVER_HELLO_DONE
      @     : state == C_WAIT_CHANGE_CIPHER_SPEC ? CHANGE_CIPHER_SPEC
      @     : state == C_WAIT_FINISHED ? FINISHED
      @     : state == C_ESTABLISHED ? APPLICATION_DATA : NONE);
      @ ensures role == ROLE_SERVER ==> \result == (state == S_WAIT_CLIENT_HELLO ? CLIENT_HELLO
      @     : state == S_WAIT_CLIENT_CERTIFICATE ? CERTIFICATE
      @     : state == S_WAIT_CLIENT_KEY_EXCHANGE ? CLIENT_KEY_EXCHANGE
      @     : state == S_WAIT_CERTIFICATE_VERIFY ? CERTIFICATE_VERIFY
      @     : state == S_WAIT_CHANGE_CIPHER_SPEC ? CHANGE_CIPHER_SPEC
      @     : state == S_WAIT_FINISHED ? FINISHED
      @     : state == S_ESTABLISHED ? APPLICATION_DATA : NONE);
      @ ensures (role != ROLE_CLIENT && role != ROLE_SERVER) ==> \result == NONE;
      @*/
    public static /*@ pure @*/ int expected(int role, int state) {
        if (role == ROLE_CLIENT) {
            switch (state) {
                case C_WAIT_SERVER_HELLO: return SERVER_HELLO;
                case C_WAIT_CERTIFICATE: return CERTIFICATE;
                case C_WAIT_SERVER_KEY_EXCHANGE: return SERVER_KEY_EXCHANGE;
                case C_WAIT_SERVER_HELLO_DONE: return SERVER_HELLO_DONE;
                case C_WAIT_CHANGE_CIPHER_SPEC: return CHANGE_CIPHER_SPEC;
                case C_WAIT_FINISHED: return FINISHED;
                case C_ESTABLISHED: return APPLICATION_DATA;
                default: return NONE;
            }
        }
        if (role == ROLE_SERVER) {
            switch (state) {
                case S_WAIT_CLIENT_HELLO: return CLIENT_HELLO;
                case S_WAIT_CLIENT_CERTIFICATE: return CERTIFICATE;
                case S_WAIT_CLIENT_KEY_EXCHANGE: return CLIENT_KEY_EXCHANGE;
                case S_WAIT_CERTIFICATE_VERIFY: return CERTIFICATE_VERIFY;
                case S_WAIT_CHANGE_CIPHER_SPEC: return CHANGE_CIPHER_SPEC;
                case S_WAIT_FINISHED: return FINISHED;
                case S_ESTABLISHED: return APPLICATION_DATA;
                default: return NONE;
            }
        }
        return NONE;
    }

    /** State names for traces (the `transition` event's from/to). */
    public static String stateName(int role, int state) {
        if (role == ROLE_CLIENT) {
            switch (state) {
                case C_START: return "START";
                case C_WAIT_SERVER_HELLO: return "WAIT_SERVER_HELLO";
                case C_WAIT_CERTIFICATE: return "WAIT_CERTIFICATE";
                case C_WAIT_SERVER_KEY_EXCHANGE: return "WAIT_SERVER_KEY_EXCHANGE";
                case C_WAIT_SERVER_HELLO_DONE: return "WAIT_SERVER_HELLO_DONE";
                case C_SEND_KEY_EXCHANGE: return "SEND_KEY_EXCHANGE";
                case C_WAIT_CHANGE_CIPHER_SPEC: return "WAIT_CHANGE_CIPHER_SPEC";
                case C_WAIT_FINISHED: return "WAIT_FINISHED";
                case C_ESTABLISHED: return "ESTABLISHED";
                case C_CLOSED: return "CLOSED";
                case C_FAILED: return "FAILED";
                default: return "UNKNOWN";
            }
        }
        if (role == ROLE_SERVER) {
            switch (state) {
                case S_WAIT_CLIENT_HELLO: return "WAIT_CLIENT_HELLO";
                case S_SEND_FLIGHT: return "SEND_FLIGHT";
                case S_WAIT_CLIENT_KEY_EXCHANGE: return "WAIT_CLIENT_KEY_EXCHANGE";
                case S_WAIT_CHANGE_CIPHER_SPEC: return "WAIT_CHANGE_CIPHER_SPEC";
                case S_WAIT_FINISHED: return "WAIT_FINISHED";
                case S_SEND_FINISHED: return "SEND_FINISHED";
                case S_ESTABLISHED: return "ESTABLISHED";
                case S_CLOSED: return "CLOSED";
                case S_FAILED: return "FAILED";
                case S_WAIT_CLIENT_CERTIFICATE: return "WAIT_CLIENT_CERTIFICATE";
                case S_WAIT_CERTIFICATE_VERIFY: return "WAIT_CERTIFICATE_VERIFY";
                default: return "UNKNOWN";
            }
        }
        return ProxyHandshake.stateName(state);
    }

    /** Message names for traces and alerts (RFC names; pseudo types for CCS and application data). */
    public static String messageName(int type) {
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
            case CHANGE_CIPHER_SPEC: return "change_cipher_spec";
            case APPLICATION_DATA: return "application_data";
            case NONE: return "nothing";
            default: return "unknown_handshake_type";
        }
    }
}
