package org.proxyinfo.core;

/**
 * The proxy's decisions across its two sessions (draft §3, DEC-14..18). The proxy role
 * ({@code role.TlsProxy}) feeds facts in and does only what this class allows:
 * <ul>
 *   <li>DEC-17: a client without proxy_info is refused (policy refuse, handshake_failure) or, under
 *       policy mint (INSECURE, today's interception), gets a minted certificate and no assertion;
 *       a client that offered proxy_info is never minted for (00-R10 / 01-R11);</li>
 *   <li>DEC-16: every client extension gets a disposition: forwarded, processed or dropped
 *       (00-R7 / 01-R8), {@link #extensionDisposition};</li>
 *   <li>DEC-14: session #1's ServerHello is sent only after session #2 is finished;</li>
 *   <li>DEC-15: session #2 is used only if the proxy validated the upstream (chain and host, or the
 *       upstream proxy and the chain inside its assertion); a failed or unreachable upstream ends
 *       session #1 with a fatal alert;</li>
 *   <li>DEC-5 / DEC-15: the proxy signs an assertion only about its own, validated session #2,
 *       and only for a client that offered proxy_info;</li>
 *   <li>DEC-18: relaying starts only when both sessions are established.</li>
 * </ul>
 *
 * KeY's Java subset: int states, no generics, no JDK types beyond java.lang.String.
 */
public final class ProxyHandshake {
    public static final int NO_ALERT = -1;

    /** Waiting for the client's ClientHello on session #1. */
    public static final int P_WAIT_CLIENT_HELLO = 0;
    /** ClientHello received and admitted (DEC-17); session #2 with the origin is running. */
    public static final int P_UPSTREAM_HANDSHAKE = 1;
    /** Session #2 finished and validated (DEC-14, DEC-15); session #1 may be answered. */
    public static final int P_UPSTREAM_ESTABLISHED = 2;
    /** Session #1 ServerHello sent; session #1 handshake running (proxy acts as the server). */
    public static final int P_DOWNSTREAM_HANDSHAKE = 3;
    /** Both sessions established: relaying (DEC-18). */
    public static final int P_RELAYING = 4;
    public static final int P_CLOSED = 5;
    public static final int P_FAILED = 6;

    /** DEC-17 policies for clients without proxy_info. */
    public static final int POLICY_REFUSE = 0;
    /** INSECURE: today's interception (a minted certificate for the SNI host). */
    public static final int POLICY_MINT = 1;

    /** DEC-16 dispositions of a client extension. */
    public static final int FORWARDED = 0;
    public static final int PROCESSED = 1;
    public static final int DROPPED = 2;

    // ExtensionType values (RFC 5246 §7.4.1.4 registry), repeated because core imports nothing.
    public static final int EXT_SERVER_NAME = 0;
    public static final int EXT_SUPPORTED_GROUPS = 10;
    public static final int EXT_EC_POINT_FORMATS = 11;
    public static final int EXT_SIGNATURE_ALGORITHMS = 13;
    public static final int EXT_EXTENDED_MASTER_SECRET = 23;
    public static final int EXT_RENEGOTIATION_INFO = 0xff01;

    public int state;
    public int alert;
    public String failedRequirement;
    public boolean upstreamFinished;
    /** DEC-15: the shell validated session #2's chain and host (or the upstream proxy and its assertion). */
    public boolean upstreamValidated;
    /** The client offered proxy_info in its ClientHello. */
    public boolean clientOfferedProxyInfo;
    /** DEC-17 policy mint applies to this connection: a minted certificate, no assertion (INSECURE). */
    public boolean minting;
    /** An assertion about session #2 was signed for this connection. */
    public boolean assertionSigned;
    public final int policy;

    public ProxyHandshake() {
        this(POLICY_REFUSE);
    }

    public ProxyHandshake(int policy) {
        this.policy = policy;
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

    /** A ClientHello with proxy_info (the session-#1 server core has accepted it). */
    public int onClientHello() {
        return onClientHello(true);
    }

    /**
     * DEC-17: admits the ClientHello. Without proxy_info: refused with handshake_failure under
     * policy refuse, or admitted for minting under policy mint (INSECURE).
     */
    public int onClientHello(boolean offeredProxyInfo) {
        if (state != P_WAIT_CLIENT_HELLO) {
            return fail(AlertDescription.UNEXPECTED_MESSAGE, "RFC5246-7.4");
        }
        clientOfferedProxyInfo = offeredProxyInfo;
        if (!offeredProxyInfo) {
            if (policy != POLICY_MINT) {
                return fail(AlertDescription.HANDSHAKE_FAILURE, "DEC-17");
            }
            minting = true;
        }
        state = P_UPSTREAM_HANDSHAKE;
        return NO_ALERT;
    }

    /**
     * DEC-16 (00-R7, 01-R8): what the proxy does with a client extension. server_name is forwarded
     * (the same host name goes upstream); the extensions this implementation understands are
     * processed per session (each session negotiates its own groups, signature schemes, EMS,
     * renegotiation_info; proxy_info is answered with the proxy's own assertion and offered
     * upstream anew); everything else is dropped (the proxy could not answer for it).
     */
    public static int extensionDisposition(int type, int proxyInfoType) {
        if (type == EXT_SERVER_NAME) {
            return FORWARDED;
        }
        if (type == EXT_SUPPORTED_GROUPS || type == EXT_EC_POINT_FORMATS || type == EXT_SIGNATURE_ALGORITHMS
                || type == EXT_EXTENDED_MASTER_SECRET || type == EXT_RENEGOTIATION_INFO || type == proxyInfoType) {
            return PROCESSED;
        }
        return DROPPED;
    }

    /** Session #2 finished; same as {@link #onUpstreamEstablished(boolean)} with a validated upstream. */
    public int onUpstreamEstablished() {
        return onUpstreamEstablished(true);
    }

    /**
     * DEC-14 / DEC-15: session #2's Finished verified; {@code validated} = the shell validated the
     * upstream chain and host (or the upstream proxy and the chain in its assertion).
     */
    public int onUpstreamEstablished(boolean validated) {
        if (state != P_UPSTREAM_HANDSHAKE) {
            return fail(AlertDescription.INTERNAL_ERROR, "DEC-14");
        }
        if (!validated) {
            return fail(AlertDescription.HANDSHAKE_FAILURE, "DEC-15");
        }
        upstreamFinished = true;
        upstreamValidated = true;
        state = P_UPSTREAM_ESTABLISHED;
        return NO_ALERT;
    }

    /**
     * DEC-15: session #2 failed. {@code reachable}: the upstream answered but the handshake was
     * refused (by it or by the proxy's validation) → handshake_failure; unreachable (no TCP
     * connection, timeout) → internal_error (RFC 5246 §7.2.2: "unrelated to the peer").
     */
    public int onUpstreamFailed(boolean reachable) {
        if (reachable) {
            return fail(AlertDescription.HANDSHAKE_FAILURE, "DEC-15");
        }
        return fail(AlertDescription.INTERNAL_ERROR, "DEC-14");
    }

    /**
     * DEC-5 / DEC-15: may the proxy sign an assertion now? Only about its own validated session #2
     * ({@code aboutOwnSession2}: the fields are session #2's parameters, chain and server_random),
     * only for a client that offered proxy_info, never when minting.
     */
    public boolean maySignAssertion(boolean aboutOwnSession2) {
        return state == P_UPSTREAM_ESTABLISHED && upstreamFinished && upstreamValidated
                && clientOfferedProxyInfo && !minting && aboutOwnSession2;
    }

    public int onAssertionSigned(boolean aboutOwnSession2) {
        if (!maySignAssertion(aboutOwnSession2)) {
            return fail(AlertDescription.INTERNAL_ERROR, "DEC-15");
        }
        assertionSigned = true;
        return NO_ALERT;
    }

    /** DEC-17 / 00-R10 / 01-R11: a certificate is minted only under policy mint and only for a client without proxy_info. */
    public boolean mayMint() {
        return minting && policy == POLICY_MINT && !clientOfferedProxyInfo && state == P_UPSTREAM_ESTABLISHED;
    }

    /**
     * DEC-14: session #1's ServerHello may be sent only once session #2 is finished (and validated,
     * DEC-15), and with what the client is owed: an assertion if it offered proxy_info, a minted
     * certificate under mint.
     */
    public boolean maySendServerHello() {
        return state == P_UPSTREAM_ESTABLISHED && upstreamFinished && upstreamValidated
                && (assertionSigned || minting);
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

    /** DEC-18: application data is relayed only while both sessions are established. */
    public boolean mayRelay() {
        return state == P_RELAYING;
    }

    /** Either side closed (close_notify, EOF or an error while relaying). */
    public void onRelayClosed() {
        if (state == P_RELAYING) {
            state = P_CLOSED;
        }
    }

    public void onAbort() {
        if (state != P_CLOSED) {
            state = P_FAILED;
        }
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

    public static String dispositionName(int disposition) {
        switch (disposition) {
            case FORWARDED: return "forwarded";
            case PROCESSED: return "processed";
            case DROPPED: return "dropped";
            default: return "unknown";
        }
    }
}
