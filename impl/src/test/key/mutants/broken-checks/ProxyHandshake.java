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
 *   <li>DEVIATION (DEC-23) from DEC-14, the client-certificate mode: session #2 may instead be <em>held</em> at
 *       ServerHelloDone ({@link #onUpstreamHeld}: its server authenticated and its chain validated, a
 *       CertificateRequest and the origin's nonce received, for a client that offered proxy_info); session #1's
 *       ServerHello may then go out before session #2's Finished, but session #1 is established (and relaying
 *       starts) only after the held session #2 completed ({@link #onHeldUpstreamCompleted}).</li>
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

    // State: private, written only by this class (the invariants below assume no other writer).
    private /*@ spec_public @*/ int state;
    private /*@ spec_public @*/ int alert;
    private /*@ spec_public nullable @*/ String failedRequirement;
    /** How many fatal alerts this core has decided on: 0, or 1 after an abort (DEC-21: exactly one). */
    private /*@ spec_public @*/ int fatalAlerts;
    /** DEC-21: the one fatal alert of session #1 was handed to the record layer (it is sent once). */
    private /*@ spec_public @*/ boolean alertSent;
    private /*@ spec_public @*/ boolean upstreamFinished;
    /** DEC-15: the shell validated session #2's chain and host (or the upstream proxy and its assertion). */
    private /*@ spec_public @*/ boolean upstreamValidated;
    /** The client offered proxy_info in its ClientHello. */
    private /*@ spec_public @*/ boolean clientOfferedProxyInfo;
    /** DEC-17 policy mint applies to this connection: a minted certificate, no assertion (INSECURE). */
    private /*@ spec_public @*/ boolean minting;
    /**
     * DEVIATION (DEC-23): session #2 is held at ServerHelloDone (server authenticated, chain validated, a
     * CertificateRequest and the origin's nonce received) for the client-certificate mode.
     */
    private /*@ spec_public @*/ boolean upstreamHeld;
    /** An assertion about session #2 was signed for this connection. */
    private /*@ spec_public @*/ boolean assertionSigned;
    /** DEC-5: what the signed assertion carries is this proxy's own session #2: its connection parameters, ... */
    private /*@ spec_public @*/ boolean signedOwnParameters;
    /** ... its server certificate chain, ... */
    private /*@ spec_public @*/ boolean signedOwnChain;
    /** ... and its server_random. */
    private /*@ spec_public @*/ boolean signedOwnServerRandom;
    /** Configuration: DEC-17 policy for clients without proxy_info. */
    private /*@ spec_public @*/ final int policy;
    /** Configuration: the proxy_info code point of this run (DEC-2, any value {@code --code-point} allows). */
    private /*@ spec_public @*/ final int proxyInfoType;

    /*@ public invariant P_WAIT_CLIENT_HELLO <= state && state <= P_FAILED;
      @ public invariant fatalAlerts == 0 || fatalAlerts == 1;
      @ public invariant (fatalAlerts == 0) <==> (alert == NO_ALERT);
      @ public invariant fatalAlerts == 1 ==> (state == P_FAILED && alert >= 0);
      @ public invariant alertSent ==> fatalAlerts == 1;
      @ // DEC-17, 00-R10, 01-R11: minting only under policy mint and never for a client that offered proxy_info
      @ public invariant minting ==> (policy == POLICY_MINT && !clientOfferedProxyInfo);
      @ // DEC-14, DEC-15: past UPSTREAM_HANDSHAKE, session #2 is finished and validated, or (DEVIATION (DEC-23))
      @ // validated and held at ServerHelloDone for the client-certificate mode
      @ public invariant (P_UPSTREAM_ESTABLISHED <= state && state <= P_CLOSED)
      @     ==> ((upstreamFinished || upstreamHeld) && upstreamValidated);
      @ public invariant upstreamFinished ==> upstreamValidated;
      @ // DEC-23: only for a client that offered proxy_info, never when minting
      @ public invariant upstreamHeld ==> (upstreamValidated && clientOfferedProxyInfo && !minting);
      @ // DEC-18, DEC-23: relaying only over a finished session #2 (a held one completed first)
      @ public invariant (P_RELAYING <= state && state <= P_CLOSED) ==> upstreamFinished;
      @ // DEC-14: session #1 was answered only with what the client is owed (an assertion, or a minted certificate)
      @ public invariant (P_DOWNSTREAM_HANDSHAKE <= state && state <= P_CLOSED) ==> (assertionSigned || minting);
      @ // DEC-5, DEC-15: the proxy signed only an assertion about its own, finished and validated session #2,
      @ // for a client that offered proxy_info, never when minting
      @ public invariant assertionSigned ==> ((upstreamFinished || upstreamHeld) && upstreamValidated && clientOfferedProxyInfo && !minting
      @     && signedOwnParameters && signedOwnChain && signedOwnServerRandom);
      @ public invariant state <= P_UPSTREAM_HANDSHAKE ==> (!upstreamFinished && !upstreamHeld && !assertionSigned);
      @*/

    /*@ public normal_behavior
      @ // DEC-17: policy refuse or mint (INSECURE); DEC-2: the configured code point; nothing decided yet
      @ ensures state == P_WAIT_CLIENT_HELLO && fatalAlerts == 0 && !alertSent && this.policy == policy;
      @ ensures this.proxyInfoType == proxyInfoType;
      @ ensures !upstreamFinished && !upstreamHeld && !assertionSigned && !minting;
      @*/
    public ProxyHandshake(int policy, int proxyInfoType) {
        this.policy = policy;
        this.proxyInfoType = proxyInfoType;
        state = P_WAIT_CLIENT_HELLO;
        alert = NO_ALERT;
        failedRequirement = null;
        fatalAlerts = 0;
        alertSent = false;
    }

    /**
     * DEC-21: the one path of every fatal alert on session #1, whoever found the error: the first
     * alert decided is the only one, handed out once. Returns the alert to send now, or
     * {@link #NO_ALERT} if it was sent already.
     */
    /*@ public normal_behavior
      @ // DEC-21: exactly one fatal alert per connection, the first one decided, sent once
      @ requires alertCode >= 0;
      @ assignable state, alert, failedRequirement, fatalAlerts, alertSent;
      @ ensures state == P_FAILED && fatalAlerts == 1 && alertSent;
      @ ensures \old(fatalAlerts) == 0 ==> alert == alertCode;
      @ ensures \old(fatalAlerts) == 1 ==> alert == \old(alert);
      @ ensures \old(alertSent) ==> \result == NO_ALERT;
      @ ensures !\old(alertSent) ==> \result == alert;
      @*/
    public int fatalAlertToSend(int alertCode, /*@ nullable @*/ String requirement) {
        fail(alertCode, requirement);
        if (alertSent) {
            return NO_ALERT;
        }
        alertSent = true;
        return alert;
    }

    public int state() { return state; }

    public int alert() { return alert; }

    public int fatalAlerts() { return fatalAlerts; }

    public /*@ nullable @*/ String failedRequirement() { return failedRequirement; }

    public boolean minting() { return minting; }

    public int policy() { return policy; }

    public int proxyInfoType() { return proxyInfoType; }

    /*@ private normal_behavior
      @ // DEC-21: exactly one fatal alert per connection, the first one decided
      @ requires alertCode >= 0;
      @ assignable state, alert, failedRequirement, fatalAlerts;
      @ ensures state == P_FAILED && fatalAlerts == 1 && \result == alert;
      @ ensures \old(fatalAlerts) == 0 ==> alert == alertCode;
      @ ensures \old(fatalAlerts) == 1 ==> alert == \old(alert);
      @*/
    private int fail(int alertCode, /*@ nullable @*/ String requirement) {
        state = P_FAILED;
        if (fatalAlerts == 0) {
            fatalAlerts = 1;
            alert = alertCode;
            failedRequirement = requirement;
        }
        return alert;
    }

    /**
     * DEC-17: admits the ClientHello. Without proxy_info: refused with handshake_failure under
     * policy refuse, or admitted for minting under policy mint (INSECURE).
     */
    /*@ public normal_behavior
      @ // DEC-17, 00-R10, 01-R11: a client without proxy_info is refused (handshake_failure) unless policy mint
      @ assignable state, alert, failedRequirement, fatalAlerts, clientOfferedProxyInfo, minting;
      @ ensures \result == NO_ALERT ==> (\old(state) == P_WAIT_CLIENT_HELLO && state == P_UPSTREAM_HANDSHAKE
      @     && clientOfferedProxyInfo == offeredProxyInfo && minting == !offeredProxyInfo
      @     && (!offeredProxyInfo ==> policy == POLICY_MINT));
      @ ensures \result != NO_ALERT ==> (state == P_FAILED && \result == alert && fatalAlerts == 1);
      @ ensures \old(fatalAlerts) == 0 && \old(state) != P_WAIT_CLIENT_HELLO ==> \result == AlertDescription.UNEXPECTED_MESSAGE;
      @ ensures \old(fatalAlerts) == 0 && \old(state) == P_WAIT_CLIENT_HELLO && !offeredProxyInfo && policy != POLICY_MINT
      @     ==> \result == AlertDescription.HANDSHAKE_FAILURE;
      @*/
    public int onClientHello(boolean offeredProxyInfo) {
        if (state != P_WAIT_CLIENT_HELLO) {
            return fail(AlertDescription.UNEXPECTED_MESSAGE, "RFC5246-7.4");
        }
        if (!offeredProxyInfo && policy != POLICY_MINT) {
            return fail(AlertDescription.HANDSHAKE_FAILURE, "DEC-17");
        }
        clientOfferedProxyInfo = offeredProxyInfo;
        minting = policy == POLICY_MINT; // MUTANT: mints for proxy_info clients too (DEC-17, 00-R10)
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
    /*@ public normal_behavior
      @ // DEC-16, 00-R7, 01-R8: every client extension gets exactly one disposition; proxy_info (at the configured
      @ // code point, DEC-2, DEC-19) is processed, never forwarded; what the proxy does not understand is dropped
      @ ensures \result == FORWARDED || \result == PROCESSED || \result == DROPPED;
      @ ensures \result == FORWARDED <==> type == EXT_SERVER_NAME;
      @ ensures type == proxyInfoType && type != EXT_SERVER_NAME ==> \result == PROCESSED;
      @ ensures \result == PROCESSED ==> (type == EXT_SUPPORTED_GROUPS || type == EXT_EC_POINT_FORMATS
      @     || type == EXT_SIGNATURE_ALGORITHMS || type == EXT_EXTENDED_MASTER_SECRET || type == EXT_RENEGOTIATION_INFO
      @     || type == proxyInfoType);
      @*/
    public /*@ pure @*/ int extensionDisposition(int type) {
        if (type == EXT_SERVER_NAME || type == proxyInfoType) { // MUTANT: proxy_info forwarded as is (DEC-16, 00-R7)
            return FORWARDED;
        }
        if (type == EXT_SUPPORTED_GROUPS || type == EXT_EC_POINT_FORMATS || type == EXT_SIGNATURE_ALGORITHMS
                || type == EXT_EXTENDED_MASTER_SECRET || type == EXT_RENEGOTIATION_INFO || type == proxyInfoType) {
            return PROCESSED;
        }
        return DROPPED;
    }

    /**
     * DEC-16: may the upstream ClientHello (session #2) carry an extension of this type? Only what is
     * forwarded (server_name: the same host) or processed (negotiated anew on session #2; proxy_info
     * offered anew); a dropped extension never goes upstream.
     */
    /*@ public normal_behavior
      @ // DEC-16, 00-R7, 01-R8: the upstream ClientHello carries no extension the proxy drops
      @ ensures \result ==> (type == EXT_SERVER_NAME || type == EXT_SUPPORTED_GROUPS || type == EXT_EC_POINT_FORMATS
      @     || type == EXT_SIGNATURE_ALGORITHMS || type == EXT_EXTENDED_MASTER_SECRET || type == EXT_RENEGOTIATION_INFO
      @     || type == proxyInfoType);
      @ ensures (type == EXT_SERVER_NAME || type == proxyInfoType) ==> \result;
      @*/
    public /*@ pure @*/ boolean mayCarryUpstream(int type) {
        return true; // MUTANT: dropped extensions go upstream too (DEC-16)
    }

    /**
     * DEC-14 / DEC-15: session #2's Finished verified; {@code validated} = the shell validated the
     * upstream chain and host (or the upstream proxy and the chain in its assertion).
     */
    /*@ public normal_behavior
      @ // DEC-14, DEC-15: session #2 counts as finished only from UPSTREAM_HANDSHAKE and only if validated
      @ assignable state, alert, failedRequirement, fatalAlerts, upstreamFinished, upstreamValidated;
      @ ensures \result == NO_ALERT ==> (\old(state) == P_UPSTREAM_HANDSHAKE && validated
      @     && state == P_UPSTREAM_ESTABLISHED && upstreamFinished && upstreamValidated);
      @ ensures \result != NO_ALERT ==> (state == P_FAILED && \result == alert && fatalAlerts == 1
      @     && upstreamFinished == \old(upstreamFinished));
      @ ensures \old(fatalAlerts) == 0 && \old(state) != P_UPSTREAM_HANDSHAKE ==> \result == AlertDescription.INTERNAL_ERROR;
      @ ensures \old(fatalAlerts) == 0 && \old(state) == P_UPSTREAM_HANDSHAKE && !validated
      @     ==> \result == AlertDescription.HANDSHAKE_FAILURE;
      @*/
    public int onUpstreamEstablished(boolean validated) {
        if (state != P_UPSTREAM_HANDSHAKE) {
            return fail(AlertDescription.INTERNAL_ERROR, "DEC-14");
        }
        upstreamFinished = true; // MUTANT: an unvalidated upstream counts as finished (DEC-15)
        upstreamValidated = true;
        state = P_UPSTREAM_ESTABLISHED;
        return NO_ALERT;
    }

    /**
     * DEC-15: session #2 failed. {@code reachable}: the upstream answered but the handshake was
     * refused (by it or by the proxy's validation) → handshake_failure; unreachable (no TCP
     * connection, timeout) → internal_error (RFC 5246 §7.2.2: "unrelated to the peer").
     */
    /*@ public normal_behavior
      @ // DEC-15, DEC-21: a failed upstream ends session #1 with one fatal alert
      @ assignable state, alert, failedRequirement, fatalAlerts;
      @ ensures state == P_FAILED && \result == alert && fatalAlerts == 1;
      @ ensures \old(fatalAlerts) == 0 ==> \result == (reachable ? AlertDescription.HANDSHAKE_FAILURE
      @                                                           : AlertDescription.INTERNAL_ERROR);
      @*/
    public int onUpstreamFailed(boolean reachable) {
        if (reachable) {
            return fail(AlertDescription.HANDSHAKE_FAILURE, "DEC-15");
        }
        return fail(AlertDescription.INTERNAL_ERROR, "DEC-14");
    }

    /**
     * DEVIATION (DEC-23) from DEC-14: session #2 is held at ServerHelloDone for the client-certificate mode. Facts
     * from this session #2: {@code validated} its chain is the one the proxy's verifier accepted for the intended
     * host (DEC-15) and its ServerKeyExchange verified (the client core reached the point where it may sign);
     * {@code certificateRequested} the origin sent a CertificateRequest; {@code nonceReceived} the origin's
     * server_to_proxy ProxyInfo carried a 32-byte nonce. Only for a client that offered proxy_info, never when minting.
     */
    /*@ public normal_behavior
      @ // DEC-23, DEC-14, DEC-15: session #2 may be held (not finished) only validated, with a CertificateRequest and the
      @ // origin's nonce, for a client that offered proxy_info; else one fatal alert (DEC-21)
      @ assignable state, alert, failedRequirement, fatalAlerts, upstreamHeld, upstreamValidated;
      @ ensures \result == NO_ALERT ==> (\old(state) == P_UPSTREAM_HANDSHAKE && validated && certificateRequested
      @     && nonceReceived && clientOfferedProxyInfo && !minting && state == P_UPSTREAM_ESTABLISHED && upstreamHeld
      @     && upstreamValidated && !upstreamFinished);
      @ ensures \result != NO_ALERT ==> (state == P_FAILED && \result == alert && fatalAlerts == 1
      @     && upstreamHeld == \old(upstreamHeld));
      @ ensures \old(fatalAlerts) == 0 && (\old(state) != P_UPSTREAM_HANDSHAKE || !clientOfferedProxyInfo || minting)
      @     ==> \result == AlertDescription.INTERNAL_ERROR;
      @ ensures \old(fatalAlerts) == 0 && \old(state) == P_UPSTREAM_HANDSHAKE && clientOfferedProxyInfo && !minting
      @     && !(validated && certificateRequested && nonceReceived) ==> \result == AlertDescription.HANDSHAKE_FAILURE;
      @*/
    public int onUpstreamHeld(boolean validated, boolean certificateRequested, boolean nonceReceived) {
        if (state != P_UPSTREAM_HANDSHAKE || !clientOfferedProxyInfo || minting) {
            return fail(AlertDescription.INTERNAL_ERROR, "DEC-23");
        }
        if (!validated) {
            return fail(AlertDescription.HANDSHAKE_FAILURE, "DEC-15");
        }
        if (!certificateRequested || !nonceReceived) {
            return fail(AlertDescription.HANDSHAKE_FAILURE, "DEC-23");
        }
        upstreamValidated = true;
        upstreamHeld = true;
        state = P_UPSTREAM_ESTABLISHED;
        return NO_ALERT;
    }

    /**
     * DEC-23, 01-R15: the held session #2 ended: {@code completed} its Finished verified (the origin accepted the
     * forwarded client identity). Only then may session #1 be finished and established.
     */
    /*@ public normal_behavior
      @ // DEC-23, 01-R15: session #1 is established only over a completed session #2; a held session #2 that failed
      @ // ends session #1 too (handshake_failure)
      @ assignable state, alert, failedRequirement, fatalAlerts, upstreamFinished;
      @ ensures \result == NO_ALERT ==> (\old(state) == P_DOWNSTREAM_HANDSHAKE && \old(upstreamHeld) && completed
      @     && upstreamFinished && state == P_DOWNSTREAM_HANDSHAKE);
      @ ensures \result != NO_ALERT ==> (state == P_FAILED && \result == alert && fatalAlerts == 1
      @     && upstreamFinished == \old(upstreamFinished));
      @ ensures \old(fatalAlerts) == 0 && !(\old(state) == P_DOWNSTREAM_HANDSHAKE && \old(upstreamHeld))
      @     ==> \result == AlertDescription.INTERNAL_ERROR;
      @ ensures \old(fatalAlerts) == 0 && \old(state) == P_DOWNSTREAM_HANDSHAKE && \old(upstreamHeld) && !completed
      @     ==> \result == AlertDescription.HANDSHAKE_FAILURE;
      @*/
    public int onHeldUpstreamCompleted(boolean completed) {
        if (state != P_DOWNSTREAM_HANDSHAKE || !upstreamHeld) {
            return fail(AlertDescription.INTERNAL_ERROR, "DEC-23");
        }
        if (!completed) {
            return fail(AlertDescription.HANDSHAKE_FAILURE, "01-R15");
        }
        upstreamFinished = true;
        return NO_ALERT;
    }

    /** DEC-23: is session #2 held at ServerHelloDone (the client-certificate mode)? */
    /*@ public normal_behavior
      @ // DEC-23: the shell takes session #1's client authentication for the origin only while session #2 is held
      @ ensures \result <==> upstreamHeld;
      @*/
    public /*@ pure @*/ boolean isUpstreamHeld() {
        return upstreamHeld;
    }

    /**
     * DEC-5 / DEC-15: may the proxy sign an assertion now? Only about its own validated session #2
     * (the fields are session #2's parameters, chain and server_random), only for a client that
     * offered proxy_info, never when minting.
     */
    /*@ public normal_behavior
      @ // DEC-5, DEC-14, DEC-15, DEC-17: sign only about its own finished (DEVIATION (DEC-23): or held), validated
      @ // session #2 (its parameters, chain and server_random), only for a client that offered proxy_info, never when minting
      @ ensures \result ==> (state == P_UPSTREAM_ESTABLISHED && (upstreamFinished || upstreamHeld) && upstreamValidated
      @     && clientOfferedProxyInfo && !minting && ownParameters && ownChain && ownServerRandom);
      @ ensures (state == P_UPSTREAM_ESTABLISHED && clientOfferedProxyInfo && !minting
      @     && ownParameters && ownChain && ownServerRandom) ==> \result;
      @*/
    public /*@ pure @*/ boolean maySignAssertion(boolean ownParameters, boolean ownChain, boolean ownServerRandom) {
        return state == P_UPSTREAM_ESTABLISHED && (upstreamFinished || upstreamHeld) && upstreamValidated
                && clientOfferedProxyInfo && !minting && ownParameters && ownChain; // MUTANT: any server_random (DEC-5)
    }

    /*@ public normal_behavior
      @ // DEC-5, DEC-15: an assertion is recorded as signed only when maySignAssertion held
      @ assignable state, alert, failedRequirement, fatalAlerts, assertionSigned, signedOwnParameters, signedOwnChain,
      @            signedOwnServerRandom;
      @ ensures \result == NO_ALERT ==> (assertionSigned && state == P_UPSTREAM_ESTABLISHED
      @     && (upstreamFinished || upstreamHeld) && upstreamValidated && clientOfferedProxyInfo && !minting && ownParameters && ownChain && ownServerRandom);
      @ ensures \result != NO_ALERT ==> (state == P_FAILED && \result == alert && fatalAlerts == 1
      @     && assertionSigned == \old(assertionSigned));
      @ ensures \result != NO_ALERT && \old(fatalAlerts) == 0 ==> \result == AlertDescription.INTERNAL_ERROR;
      @*/
    public int onAssertionSigned(boolean ownParameters, boolean ownChain, boolean ownServerRandom) {
        if (!maySignAssertion(ownParameters, ownChain, ownServerRandom)) {
            return fail(AlertDescription.INTERNAL_ERROR, "DEC-15");
        }
        signedOwnParameters = true;
        signedOwnChain = true;
        signedOwnServerRandom = true;
        assertionSigned = true;
        return NO_ALERT;
    }

    /** DEC-17 / 00-R10 / 01-R11: a certificate is minted only under policy mint and only for a client without proxy_info. */
    /*@ public normal_behavior
      @ // DEC-17, DEC-14, 00-R10, 01-R11
      @ ensures \result ==> (policy == POLICY_MINT && !clientOfferedProxyInfo && upstreamFinished && upstreamValidated);
      @*/
    public /*@ pure @*/ boolean mayMint() {
        return minting && policy == POLICY_MINT && !clientOfferedProxyInfo && state == P_UPSTREAM_ESTABLISHED;
    }

    /**
     * DEC-14: session #1's ServerHello may be sent only once session #2 is finished (and validated,
     * DEC-15), and with what the client is owed: an assertion if it offered proxy_info, a minted
     * certificate under mint.
     */
    /*@ public normal_behavior
      @ // DEC-14, DEC-15: never answer session #1 before session #2 is finished (DEVIATION (DEC-23): or held at
      @ // ServerHelloDone for the client-certificate mode) and validated; DEC-5, DEC-17: and only with the signed
      @ // assertion about session #2 (or, under mint, a minted certificate)
      @ ensures \result ==> (state == P_UPSTREAM_ESTABLISHED && (upstreamFinished || upstreamHeld) && upstreamValidated
      @     && (assertionSigned || minting));
      @ ensures \result && upstreamHeld ==> (assertionSigned && clientOfferedProxyInfo && !minting);
      @ ensures \result ==> (clientOfferedProxyInfo ==> (assertionSigned && signedOwnParameters && signedOwnChain
      @     && signedOwnServerRandom));
      @*/
    public /*@ pure @*/ boolean maySendServerHello() {
        return (state == P_UPSTREAM_HANDSHAKE || state == P_UPSTREAM_ESTABLISHED) // MUTANT: before session #2 finished (DEC-14)
                && (assertionSigned || minting);
    }

    /**
     * DEC-14: asked BEFORE session #1's ServerHello is queued; NO_ALERT means it may be queued now
     * (and the proxy is then in DOWNSTREAM_HANDSHAKE), else the alert to send instead of it.
     */
    /*@ public normal_behavior
      @ // DEC-14: the ServerHello of session #1 may be queued only when maySendServerHello holds
      @ assignable state, alert, failedRequirement, fatalAlerts;
      @ ensures \result == NO_ALERT ==> (\old(state) == P_UPSTREAM_ESTABLISHED && (\old(upstreamFinished) || \old(upstreamHeld))
      @     && \old(upstreamValidated) && (\old(assertionSigned) || \old(minting)));
      @ ensures \result == NO_ALERT ==> (state == P_DOWNSTREAM_HANDSHAKE && (upstreamFinished || upstreamHeld)
      @     && upstreamValidated && (assertionSigned || minting));
      @ ensures \result != NO_ALERT ==> (state == P_FAILED && \result == alert && fatalAlerts == 1);
      @ ensures \result != NO_ALERT && \old(fatalAlerts) == 0 ==> \result == AlertDescription.INTERNAL_ERROR;
      @*/
    public int onServerHelloQueued() {
        if (state != P_UPSTREAM_ESTABLISHED && state != P_UPSTREAM_HANDSHAKE) { // MUTANT: ServerHello queued before session #2 finished (DEC-14 order)
            return fail(AlertDescription.INTERNAL_ERROR, "DEC-14");
        }
        state = P_DOWNSTREAM_HANDSHAKE;
        return NO_ALERT;
    }

    /*@ public normal_behavior
      @ // RFC5246-7.3, DEC-18: relaying only after session #1 completes on top of a finished session #2
      @ // (DEC-23: a held session #2 completed first)
      @ assignable state, alert, failedRequirement, fatalAlerts;
      @ ensures \result == NO_ALERT ==> (\old(state) == P_DOWNSTREAM_HANDSHAKE && state == P_RELAYING && upstreamFinished);
      @ ensures \result != NO_ALERT ==> (state == P_FAILED && \result == alert && fatalAlerts == 1);
      @ ensures \result != NO_ALERT && \old(fatalAlerts) == 0 ==> \result == AlertDescription.INTERNAL_ERROR;
      @*/
    public int onDownstreamEstablished() {
        if (state != P_DOWNSTREAM_HANDSHAKE || !upstreamFinished) {
            return fail(AlertDescription.INTERNAL_ERROR, "RFC5246-7.3");
        }
        state = P_RELAYING;
        return NO_ALERT;
    }

    /** DEC-18: application data is relayed only while both sessions are established. */
    /*@ public normal_behavior
      @ // DEC-18, DEC-14: relay only with both sessions established (session #2 finished and validated)
      @ ensures \result <==> state == P_RELAYING;
      @ ensures \result ==> (upstreamFinished && upstreamValidated && (assertionSigned || minting));
      @*/
    public /*@ pure @*/ boolean mayRelay() {
        return state == P_RELAYING;
    }

    /** Either side closed (close_notify, EOF or an error while relaying). */
    /*@ public normal_behavior
      @ // DEC-18: a relaying connection closes; other states are unchanged
      @ assignable state;
      @ ensures \old(state) == P_RELAYING ==> state == P_CLOSED;
      @ ensures \old(state) != P_RELAYING ==> state == \old(state);
      @*/
    public void onRelayClosed() {
        if (state == P_RELAYING) {
            state = P_CLOSED;
        }
    }

    /*@ public normal_behavior
      @ // RFC5246-7.2.2: after a peer's alert or a broken transport: failed, and no alert of ours (DEC-21)
      @ assignable state;
      @ ensures \old(state) == P_CLOSED ==> state == P_CLOSED;
      @ ensures \old(state) != P_CLOSED ==> state == P_FAILED;
      @*/
    public void onAbort() {
        if (state != P_CLOSED) {
            state = P_FAILED;
        }
    }

    /** State names for traces (the `transition` event's from/to). */
    /*@ public normal_behavior
      @   // what the helper does, stated so that a caller's proof may use it (OpenJML: Transitions.stateName
      @   // returns this String; without a contract its result was an unconstrained String)
      @   ensures \result != null;
      @   assignable \nothing;
      @*/
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
