package org.proxyinfo.core;

/**
 * The abbreviated TLS 1.2 handshake on a cached session (RFC 5246 section 7.3 Figure 2, DEC-22),
 * for the client and the server end, as a small state machine. The full-handshake core
 * ({@link ClientHandshake} / {@link ServerHandshake}) runs up to the hellos; when the session is
 * resumed the role hands over to this core, which asks the {@link Resumption} decisions itself,
 * with facts from this connection:
 * <pre>
 *   server: DECIDE -onResumeDecided-> SEND_FINISHED -onFinishedSent-> WAIT_CHANGE_CIPHER_SPEC
 *           -> WAIT_FINISHED -onPeerFinished-> ESTABLISHED
 *   client: DECIDE -onServerHello-> [CHECK_PROXY_INFO -onProxyInfoChecked->] WAIT_CHANGE_CIPHER_SPEC
 *           -> WAIT_FINISHED -onPeerFinished-> SEND_FINISHED -onFinishedSent-> ESTABLISHED
 * </pre>
 * Which record may come in which state is {@link #expected} (this handshake's table; the full
 * handshake's is {@link Transitions}). Security meaning: ESTABLISHED only with the resumption
 * decision RESUME, the peer's Finished verified (RFC5246-7.4.9), and, for a client resuming a
 * proxied session, the fresh ProxyInfo re-verified with the cached proxy key and the cached
 * server chain (DEC-22).
 *
 * KeY's Java subset: int states, no generics, no JDK types beyond java.lang.String.
 */
public final class AbbreviatedHandshake {
    public static final int NO_ALERT = -1;

    /** Server: the resumption decision is to be asked; client: the resuming ServerHello is to be checked. */
    public static final int A_DECIDE = 20;
    /** Client, cached session proxied: the fresh ProxyInfo is to be re-verified (DEC-22). */
    public static final int A_CHECK_PROXY_INFO = 21;
    public static final int A_SEND_FINISHED = 22;
    public static final int A_WAIT_CHANGE_CIPHER_SPEC = 23;
    public static final int A_WAIT_FINISHED = 24;
    public static final int A_ESTABLISHED = 25;
    public static final int A_CLOSED = 26;
    public static final int A_FAILED = 27;

    private /*@ spec_public @*/ int state;
    private /*@ spec_public @*/ int alert;
    private /*@ spec_public nullable @*/ String failedRequirement;
    private /*@ spec_public @*/ int fatalAlerts;
    private /*@ spec_public @*/ boolean alertSent;

    /** Configuration: this is the client end. */
    private /*@ spec_public @*/ final boolean client;
    /** Client: the cached session was proxied (its ServerHello carried an accepted ProxyInfo, DEC-22). */
    private /*@ spec_public @*/ final boolean cachedProxied;

    /** The {@link Resumption} decision accepted the resumption (server: RESUME; client: the ServerHello checks). */
    private /*@ spec_public @*/ boolean resumeAccepted;
    /** Client, proxied: the fresh ProxyInfo verified with the cached proxy key, chain unchanged, DEC-11 passed. */
    private /*@ spec_public @*/ boolean proxyInfoReverified;
    private /*@ spec_public @*/ boolean peerFinishedVerified;
    private /*@ spec_public @*/ boolean finishedSent;

    /*@ public invariant A_DECIDE <= state && state <= A_FAILED;
      @ public invariant fatalAlerts == 0 || fatalAlerts == 1;
      @ public invariant (fatalAlerts == 0) <==> (alert == NO_ALERT);
      @ public invariant fatalAlerts == 1 ==> (state == A_FAILED && alert >= 0);
      @ public invariant alertSent ==> fatalAlerts == 1;
      @ public invariant !client ==> !cachedProxied;
      @ public invariant proxyInfoReverified ==> (client && cachedProxied && resumeAccepted);
      @ // DEC-22: past the decision only with the decision's RESUME (and, proxied, the ProxyInfo re-verified)
      @ public invariant (state == A_CHECK_PROXY_INFO) ==> (client && cachedProxied && resumeAccepted);
      @ public invariant (A_SEND_FINISHED <= state && state <= A_ESTABLISHED)
      @     ==> (resumeAccepted && (cachedProxied ==> proxyInfoReverified));
      @ public invariant peerFinishedVerified ==> (resumeAccepted && (cachedProxied ==> proxyInfoReverified));
      @ public invariant finishedSent ==> (resumeAccepted && (cachedProxied ==> proxyInfoReverified)
      @     && (client ==> peerFinishedVerified));
      @ public invariant (client && state == A_SEND_FINISHED) ==> peerFinishedVerified;
      @ public invariant (!client && A_WAIT_CHANGE_CIPHER_SPEC <= state && state <= A_ESTABLISHED) ==> finishedSent;
      @ // RFC5246-7.4.9: ESTABLISHED only with both Finished messages, the peer's verified
      @ public invariant state == A_ESTABLISHED ==> (peerFinishedVerified && finishedSent);
      @*/

    /*@ public normal_behavior
      @ // DEC-22: a server end never resumes a proxied session as a client does
      @ ensures state == A_DECIDE && fatalAlerts == 0 && alert == NO_ALERT && !alertSent;
      @ ensures this.client == client && this.cachedProxied == (client && cachedProxied);
      @ ensures !resumeAccepted && !proxyInfoReverified && !peerFinishedVerified && !finishedSent;
      @*/
    public AbbreviatedHandshake(boolean client, boolean cachedProxied) {
        this.state = A_DECIDE;
        this.alert = NO_ALERT;
        this.failedRequirement = null;
        this.fatalAlerts = 0;
        this.alertSent = false;
        this.client = client;
        this.cachedProxied = client && cachedProxied;
        this.resumeAccepted = false;
        this.proxyInfoReverified = false;
        this.peerFinishedVerified = false;
        this.finishedSent = false;
    }

    /*@ private normal_behavior
      @ // DEC-21: exactly one fatal alert per connection, the first one decided
      @ requires alertCode >= 0;
      @ assignable state, alert, failedRequirement, fatalAlerts;
      @ ensures state == A_FAILED && fatalAlerts == 1 && \result == alert;
      @ ensures \old(fatalAlerts) == 0 ==> alert == alertCode;
      @ ensures \old(fatalAlerts) == 1 ==> alert == \old(alert);
      @*/
    private int fail(int alertCode, /*@ nullable @*/ String requirement) {
        state = A_FAILED;
        if (fatalAlerts == 0) {
            fatalAlerts = 1;
            alert = alertCode;
            failedRequirement = requirement;
        }
        return alert;
    }

    /**
     * DEC-21: the one path of every fatal alert of this connection once it was handed over to this
     * core: the first alert decided is the only one, handed out once.
     */
    /*@ public normal_behavior
      @ // DEC-21: exactly one fatal alert per connection, the first one decided, sent once
      @ requires alertCode >= 0;
      @ assignable state, alert, failedRequirement, fatalAlerts, alertSent;
      @ ensures state == A_FAILED && fatalAlerts == 1 && alertSent;
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

    public /*@ nullable @*/ String failedRequirement() { return failedRequirement; }

    public boolean client() { return client; }

    public boolean cachedProxied() { return cachedProxied; }

    public boolean proxyInfoReverified() { return proxyInfoReverified; }

    /** The one record this end waits for in a state (RFC 5246 section 7.3 Figure 2), or {@link Transitions#NONE}. */
    /*@ public normal_behavior
      @ // RFC5246-7.3, RFC5246-7.4.9: ChangeCipherSpec, then Finished; application data only once established
      @ ensures \result == (s == A_WAIT_CHANGE_CIPHER_SPEC ? Transitions.CHANGE_CIPHER_SPEC
      @     : s == A_WAIT_FINISHED ? Transitions.FINISHED
      @     : s == A_ESTABLISHED ? Transitions.APPLICATION_DATA : Transitions.NONE);
      @*/
    public static /*@ pure @*/ int expected(int s) {
        if (s == A_WAIT_CHANGE_CIPHER_SPEC) {
            return Transitions.CHANGE_CIPHER_SPEC;
        }
        if (s == A_WAIT_FINISHED) {
            return Transitions.FINISHED;
        }
        if (s == A_ESTABLISHED) {
            return Transitions.APPLICATION_DATA;
        }
        return Transitions.NONE;
    }

    /**
     * RFC5246-7.4 / DEC-21: a record this table does not allow here is unexpected_message. Once
     * established, a renegotiation request (HelloRequest to a client, ClientHello to a server) is
     * legal to receive and refused with no_renegotiation (DEC-20, {@link #onRenegotiationRequest}).
     */
    /*@ public normal_behavior
      @ assignable state, alert, failedRequirement, fatalAlerts;
      @ // RFC5246-7.4, RFC5246-7.2.1, DEC-21: nothing is processed after an abort or a close
      @ ensures (\old(state) == A_FAILED || \old(state) == A_CLOSED) ==> \result != NO_ALERT;
      @ ensures \result == NO_ALERT ==> (state == \old(state) && (type == expected(state)
      @     || (state == A_ESTABLISHED && type == (client ? Transitions.HELLO_REQUEST : Transitions.CLIENT_HELLO))));
      @ ensures \result != NO_ALERT ==> (state == A_FAILED && fatalAlerts == 1 && \result == alert);
      @ ensures (\result != NO_ALERT && \old(fatalAlerts) == 0) ==> \result == AlertDescription.UNEXPECTED_MESSAGE;
      @*/
    public int onMessage(int type) {
        if (state == A_FAILED || state == A_CLOSED) {
            return fail(AlertDescription.UNEXPECTED_MESSAGE, "RFC5246-7.2.1");
        }
        int exp = expected(state);
        if (exp != Transitions.NONE && type == exp) {
            return NO_ALERT;
        }
        if (state == A_ESTABLISHED && type == (client ? Transitions.HELLO_REQUEST : Transitions.CLIENT_HELLO)) {
            return NO_ALERT;
        }
        return fail(AlertDescription.UNEXPECTED_MESSAGE, "RFC5246-7.4");
    }

    /**
     * Server: the role found the ClientHello's session_id in its cache; this core asks
     * {@link Resumption#serverDecision} and {@link Resumption#serverAlert} on the facts. Only RESUME
     * lets the server send ServerHello, ChangeCipherSpec and Finished; an EMS downgrade of an EMS
     * session aborts (RFC7627-5.3); any other answer here is internal_error (the role must run the
     * full handshake instead and not hand over).
     */
    /*@ public normal_behavior
      @ assignable state, alert, failedRequirement, fatalAlerts, resumeAccepted;
      @ // RFC5246-7.4.1.2, RFC7627-5.3, DEC-22: the abbreviated handshake only on the decision's RESUME
      @ // The facts of Resumption.serverDecision's RESUME and of Resumption.serverAlert's alert are named here as
      @ // their proved contracts state them (the same meaning): KeY then need not unfold the two queries, which
      @ // made this proof about three times larger (proofs/key/README.md).
      @ ensures \result == NO_ALERT ==> (state == A_SEND_FINISHED && resumeAccepted && !client && \old(state) == A_DECIDE
      @     && cached && unexpired && sameHost && suiteOffered && originalEms && emsOffered);
      @ ensures \result != NO_ALERT ==> (state == A_FAILED && fatalAlerts == 1 && \result == alert
      @     && resumeAccepted == \old(resumeAccepted));
      @ ensures \old(fatalAlerts) == 0 && \old(state) == A_DECIDE && !client
      @     && cached && unexpired && sameHost && suiteOffered && originalEms && !emsOffered
      @     ==> \result == AlertDescription.HANDSHAKE_FAILURE;
      @*/
    public int onResumeDecided(boolean cached, boolean unexpired, boolean sameHost, boolean suiteOffered,
                               boolean originalEms, boolean emsOffered) {
        if (state != A_DECIDE || client) {
            return fail(AlertDescription.INTERNAL_ERROR, "DEC-22");
        }
        int emsAlert = Resumption.serverAlert(cached, unexpired, sameHost, suiteOffered, originalEms, emsOffered);
        if (emsAlert != NO_ALERT) {
            return fail(emsAlert, "RFC7627-5.3");
        }
        // MUTANT: the server resumes without the decision's RESUME (DEC-22)
        resumeAccepted = true;
        state = A_SEND_FINISHED;
        return NO_ALERT;
    }

    /**
     * Client: the ServerHello echoed the offered session_id; this core asks
     * {@link Resumption#clientServerHelloAlert} on the facts (RFC5246-7.4.1.3, RFC7627-5.3, DEC-22).
     */
    /*@ public normal_behavior
      @ assignable state, alert, failedRequirement, fatalAlerts, resumeAccepted;
      @ ensures \result == NO_ALERT ==> (resumeAccepted && client && \old(state) == A_DECIDE
      @     && state == (cachedProxied ? A_CHECK_PROXY_INFO : A_WAIT_CHANGE_CIPHER_SPEC));
      @ ensures \result != NO_ALERT ==> (state == A_FAILED && fatalAlerts == 1 && \result == alert
      @     && resumeAccepted == \old(resumeAccepted));
      @ // In DECIDE the answer is exactly Resumption.clientServerHelloAlert's (NO_ALERT only if it accepts), named
      @ // once, as that method's proved contract states it (the same table): KeY then need not unfold the query
      @ // (run the method's body inside this proof), which made this the largest proof (proofs/key/README.md).
      @ // DEC-22: a resumed proxied session without ProxyInfo is handshake_failure
      @ ensures \old(state) == A_DECIDE && client
      @     ==> \result == (!versionOk ? AlertDescription.PROTOCOL_VERSION
      @         : !suiteSame || !compressionSame ? AlertDescription.ILLEGAL_PARAMETER
      @         : !extensionsSolicited ? AlertDescription.UNSUPPORTED_EXTENSION
      @         : !renegotiationInfoOk || originalEms != emsNegotiated ? AlertDescription.HANDSHAKE_FAILURE
      @         : cachedProxied && !proxyInfoPresent ? AlertDescription.HANDSHAKE_FAILURE
      @         : !cachedProxied && proxyInfoPresent ? AlertDescription.ILLEGAL_PARAMETER : NO_ALERT);
      @*/
    public int onServerHello(boolean versionOk, boolean suiteSame, boolean compressionSame, boolean extensionsSolicited,
                             boolean renegotiationInfoOk, boolean originalEms, boolean emsNegotiated,
                             boolean proxyInfoPresent) {
        if (state != A_DECIDE || !client) {
            return fail(AlertDescription.INTERNAL_ERROR, "DEC-22");
        }
        int a = Resumption.clientServerHelloAlert(versionOk, suiteSame, compressionSame, extensionsSolicited,
                renegotiationInfoOk, originalEms, emsNegotiated, cachedProxied, proxyInfoPresent);
        if (a != NO_ALERT) {
            // each rule named as the full handshake names it (ClientHandshake.onServerHello); DEC-22 for the proxy rules
            return fail(a, !versionOk || !suiteSame || !compressionSame ? "RFC5246-7.4.1.3"
                    : !extensionsSolicited ? "RFC5246-7.4.1.4" : !renegotiationInfoOk ? "RFC5746-3.4"
                    : originalEms != emsNegotiated ? "RFC7627-5.3" : "DEC-22");
        }
        resumeAccepted = true;
        state = cachedProxied ? A_CHECK_PROXY_INFO : A_WAIT_CHANGE_CIPHER_SPEC;
        return NO_ALERT;
    }

    /**
     * Client, cached session proxied: the fresh ProxyInfo was checked against the cached session;
     * this core asks {@link Resumption#clientProxyInfoAlert} (DEC-22: decrypt_error for a signature
     * the cached proxy key does not verify, illegal_parameter for a changed chain, DEC-11's
     * insufficient_security for parameters the policy refuses).
     */
    /*@ public normal_behavior
      @ assignable state, alert, failedRequirement, fatalAlerts, proxyInfoReverified;
      @ // DEC-22, DEC-8, DEC-11
      @ ensures \result == NO_ALERT ==> (proxyInfoReverified && state == A_WAIT_CHANGE_CIPHER_SPEC
      @     && \old(state) == A_CHECK_PROXY_INFO && signatureOk && chainUnchanged && parametersOk);
      @ ensures \result != NO_ALERT ==> (state == A_FAILED && fatalAlerts == 1 && \result == alert
      @     && proxyInfoReverified == \old(proxyInfoReverified));
      @ // In CHECK_PROXY_INFO the answer is exactly Resumption.clientProxyInfoAlert's, named as that method's proved
      @ // contract states it (the same table), as onServerHello does: KeY then need not unfold the query
      @ // (proofs/key/README.md).
      @ ensures \old(fatalAlerts) == 0 && \old(state) == A_CHECK_PROXY_INFO
      @     ==> \result == (!signatureOk ? AlertDescription.DECRYPT_ERROR
      @         : !chainUnchanged ? AlertDescription.ILLEGAL_PARAMETER
      @         : !parametersOk ? AlertDescription.INSUFFICIENT_SECURITY : NO_ALERT);
      @*/
    public int onProxyInfoChecked(boolean signatureOk, boolean chainUnchanged, boolean parametersOk) {
        if (state != A_CHECK_PROXY_INFO) {
            return fail(AlertDescription.INTERNAL_ERROR, "DEC-22");
        }
        proxyInfoReverified = true; // MUTANT: the fresh ProxyInfo is not re-checked against the cached session (DEC-22)
        state = A_WAIT_CHANGE_CIPHER_SPEC;
        return NO_ALERT;
    }

    /*@ public normal_behavior
      @ // RFC5246-7.1: ChangeCipherSpec only where the table expects it
      @ assignable state, alert, failedRequirement, fatalAlerts;
      @ ensures \old(state) == A_WAIT_CHANGE_CIPHER_SPEC ==> (\result == NO_ALERT && state == A_WAIT_FINISHED);
      @ ensures \old(state) != A_WAIT_CHANGE_CIPHER_SPEC ==> (state == A_FAILED && \result == alert && fatalAlerts == 1);
      @ ensures \old(state) != A_WAIT_CHANGE_CIPHER_SPEC && \old(fatalAlerts) == 0
      @     ==> \result == AlertDescription.UNEXPECTED_MESSAGE;
      @*/
    public int onChangeCipherSpec() {
        if (state != A_WAIT_CHANGE_CIPHER_SPEC) {
            return fail(AlertDescription.UNEXPECTED_MESSAGE, "RFC5246-7.1");
        }
        state = A_WAIT_FINISHED;
        return NO_ALERT;
    }

    /** RFC5246-7.4.9: the peer's Finished over this handshake with the cached master secret; wrong: decrypt_error. */
    /*@ public normal_behavior
      @ // RFC5246-7.4.9: a resumed session is established only with the peer's Finished verified
      @ assignable state, alert, failedRequirement, fatalAlerts, peerFinishedVerified;
      @ ensures \result == NO_ALERT ==> (verifyDataOk && peerFinishedVerified && \old(state) == A_WAIT_FINISHED
      @     && state == (client ? A_SEND_FINISHED : A_ESTABLISHED));
      @ ensures \result != NO_ALERT ==> (state == A_FAILED && \result == alert && fatalAlerts == 1);
      @ ensures \old(fatalAlerts) == 0 && \old(state) != A_WAIT_FINISHED ==> \result == AlertDescription.UNEXPECTED_MESSAGE;
      @ ensures \old(fatalAlerts) == 0 && \old(state) == A_WAIT_FINISHED && !verifyDataOk
      @     ==> \result == AlertDescription.DECRYPT_ERROR;
      @*/
    public int onPeerFinished(boolean verifyDataOk) {
        if (state != A_WAIT_FINISHED) {
            return fail(AlertDescription.UNEXPECTED_MESSAGE, "RFC5246-7.4");
        }
        peerFinishedVerified = true; // MUTANT: the peer's Finished is not verified on a resumed session (RFC5246-7.4.9)
        state = client ? A_SEND_FINISHED : A_ESTABLISHED;
        return NO_ALERT;
    }

    /**
     * May this end send its ChangeCipherSpec and Finished now? Server: right after the resuming
     * ServerHello; client: only after the server's Finished verified (and, proxied, the ProxyInfo).
     */
    /*@ public normal_behavior
      @ // DEC-22, RFC5246-7.3: Finished only on an accepted resumption
      @ ensures \result <==> state == A_SEND_FINISHED;
      @ ensures \result ==> (resumeAccepted && (cachedProxied ==> proxyInfoReverified) && (client ==> peerFinishedVerified));
      @*/
    public /*@ pure @*/ boolean maySendFinished() {
        return state == A_SEND_FINISHED;
    }

    /*@ public normal_behavior
      @ // RFC5246-7.3, DEC-22: our Finished only where maySendFinished holds
      @ assignable state, alert, failedRequirement, fatalAlerts, finishedSent;
      @ ensures \result == NO_ALERT ==> (finishedSent && \old(state) == A_SEND_FINISHED
      @     && state == (client ? A_ESTABLISHED : A_WAIT_CHANGE_CIPHER_SPEC));
      @ ensures \result != NO_ALERT ==> (state == A_FAILED && \result == alert && fatalAlerts == 1);
      @ ensures \result != NO_ALERT && \old(fatalAlerts) == 0 ==> \result == AlertDescription.INTERNAL_ERROR;
      @*/
    public int onFinishedSent() {
        if (state != A_SEND_FINISHED) {
            return fail(AlertDescription.INTERNAL_ERROR, "RFC5246-7.3");
        }
        finishedSent = true;
        state = client ? A_ESTABLISHED : A_WAIT_CHANGE_CIPHER_SPEC;
        return NO_ALERT;
    }

    /** Commit / Running on a resumed session only here. */
    /*@ public normal_behavior
      @ // DEC-22, RFC5246-7.4.9: established only on the decision's RESUME, both Finished, the peer's verified,
      @ // and for a proxied client session the fresh ProxyInfo re-verified against the cached session
      @ ensures \result ==> (resumeAccepted && peerFinishedVerified && finishedSent
      @     && (cachedProxied ==> proxyInfoReverified));
      @ ensures \result <==> state == A_ESTABLISHED;
      @*/
    public /*@ pure @*/ boolean isEstablished() {
        return state == A_ESTABLISHED;
    }

    /** DEC-20, RFC5746-4: a renegotiation request on an established session is answered with a no_renegotiation warning. */
    /*@ public normal_behavior
      @ ensures \result == AlertDescription.NO_RENEGOTIATION; // DEC-20: a warning, not an abort
      @ assignable \nothing;
      @*/
    public int onRenegotiationRequest() {
        return AlertDescription.NO_RENEGOTIATION;
    }

    /*@ public normal_behavior
      @ // RFC5246-7.2.1: close_notify closes; a failed connection stays failed
      @ assignable state;
      @ ensures \old(state) == A_FAILED ==> state == A_FAILED;
      @ ensures \old(state) != A_FAILED ==> state == A_CLOSED;
      @*/
    public void onCloseNotify() {
        if (state != A_FAILED) {
            state = A_CLOSED;
        }
    }

    /*@ public normal_behavior
      @ // RFC5246-7.2.2: after the peer's fatal alert the connection is failed and we send none (DEC-21)
      @ assignable state;
      @ ensures state == A_FAILED;
      @*/
    public void onAbort() {
        state = A_FAILED;
    }

    /** State names for traces. */
    public static String stateName(int s) {
        switch (s) {
            case A_DECIDE: return "RESUME_DECIDE";
            case A_CHECK_PROXY_INFO: return "RESUME_CHECK_PROXY_INFO";
            case A_SEND_FINISHED: return "RESUME_SEND_FINISHED";
            case A_WAIT_CHANGE_CIPHER_SPEC: return "RESUME_WAIT_CHANGE_CIPHER_SPEC";
            case A_WAIT_FINISHED: return "RESUME_WAIT_FINISHED";
            case A_ESTABLISHED: return "ESTABLISHED";
            case A_CLOSED: return "CLOSED";
            case A_FAILED: return "FAILED";
            default: return "UNKNOWN";
        }
    }
}
