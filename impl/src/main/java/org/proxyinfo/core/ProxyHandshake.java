package org.proxyinfo.core;

/**
 * The proxy's ordering decisions across its two sessions (draft §3; filled by the proxy issue).
 * What is fixed already is the DEC-14 guard: the proxy never answers session #1 (no ServerHello)
 * before session #2 is finished, i.e. before the upstream server's Finished verified.
 *
 * KeY's Java subset: int states, no generics, no JDK types beyond java.lang.String.
 */
public final class ProxyHandshake {
    public static final int NO_ALERT = -1;

    /** Waiting for the client's ClientHello on session #1. */
    public static final int P_WAIT_CLIENT_HELLO = 0;
    /** ClientHello received; session #2 with the origin is running. */
    public static final int P_UPSTREAM_HANDSHAKE = 1;
    /** Session #2 finished (upstream Finished verified); session #1 may be answered (DEC-14). */
    public static final int P_UPSTREAM_ESTABLISHED = 2;
    /** Session #1 handshake running (proxy acts as the server). */
    public static final int P_DOWNSTREAM_HANDSHAKE = 3;
    /** Both sessions established: relaying (DEC-18). */
    public static final int P_RELAYING = 4;
    public static final int P_CLOSED = 5;
    public static final int P_FAILED = 6;

    public int state;
    public int alert;
    public String failedRequirement;
    public boolean upstreamFinished;

    public ProxyHandshake() {
        state = P_WAIT_CLIENT_HELLO;
        alert = NO_ALERT;
        failedRequirement = null;
    }

    private int fail(int alertCode, String requirement) {
        state = P_FAILED;
        alert = alertCode;
        failedRequirement = requirement;
        return alertCode;
    }

    public int onClientHello() {
        if (state != P_WAIT_CLIENT_HELLO) {
            return fail(AlertDescription.UNEXPECTED_MESSAGE, "RFC5246-7.4");
        }
        state = P_UPSTREAM_HANDSHAKE;
        return NO_ALERT;
    }

    public int onUpstreamEstablished() {
        if (state != P_UPSTREAM_HANDSHAKE) {
            return fail(AlertDescription.INTERNAL_ERROR, "DEC-14");
        }
        upstreamFinished = true;
        state = P_UPSTREAM_ESTABLISHED;
        return NO_ALERT;
    }

    /** DEC-14: session #1's ServerHello may be sent only once session #2 is finished. */
    public boolean maySendServerHello() {
        return state == P_UPSTREAM_ESTABLISHED && upstreamFinished;
    }

    public int onServerHelloSent() {
        if (!maySendServerHello()) {
            return fail(AlertDescription.INTERNAL_ERROR, "DEC-14");
        }
        state = P_DOWNSTREAM_HANDSHAKE;
        return NO_ALERT;
    }

    public int onDownstreamEstablished() {
        if (state != P_DOWNSTREAM_HANDSHAKE) {
            return fail(AlertDescription.INTERNAL_ERROR, "RFC5246-7.3");
        }
        state = P_RELAYING;
        return NO_ALERT;
    }

    public void onAbort() {
        state = P_FAILED;
    }

    public static String stateName(int state) {
        switch (state) {
            case P_WAIT_CLIENT_HELLO: return "WAIT_CLIENT_HELLO";
            case P_UPSTREAM_HANDSHAKE: return "UPSTREAM_HANDSHAKE";
            case P_UPSTREAM_ESTABLISHED: return "UPSTREAM_ESTABLISHED";
            case P_DOWNSTREAM_HANDSHAKE: return "DOWNSTREAM_HANDSHAKE";
            case P_RELAYING: return "RELAYING";
            case P_CLOSED: return "CLOSED";
            case P_FAILED: return "FAILED";
            default: return "UNKNOWN";
        }
    }
}
