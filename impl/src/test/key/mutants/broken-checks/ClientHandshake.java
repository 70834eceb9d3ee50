package org.proxyinfo.core;

/**
 * The client's TLS 1.2 handshake decisions (RFC 5246 §7.3, ECDHE, no resumption: DEC-20), as a
 * small state machine over facts the shell (codecs, crypto, PKI) has established. The shell
 * calls one {@code on...} method per event; each returns {@link #NO_ALERT} when the handshake may
 * go on, or the fatal alert to send (DEC-21), in which case the state is {@code C_FAILED} and
 * {@link #failedRequirement} names the requirement. Which message may come next is decided only
 * by {@link Transitions}.
 *
 * Security meaning (what the later JML contracts state): the client releases key material
 * ({@link #mayReleaseKeyMaterial}) only after the server certificate was verified (DEC-10/DEC-13)
 * and the ServerKeyExchange signature verified (RFC5246-7.4.3), and, when the ServerHello carried
 * a proxy_info, after that ProxyInfo was checked (DEC-8); it reaches ESTABLISHED only after the
 * server's Finished verified (RFC5246-7.4.9).
 *
 * KeY's Java subset: int states, no generics, no JDK types beyond java.lang.String.
 */
public final class ClientHandshake {
    public static final int NO_ALERT = -1;
    public static final int TLS12 = 0x0303;

    // State: private, written only by this class (the invariants below assume no other writer).
    private /*@ spec_public @*/ int state;
    /** The fatal alert this core decided on, or NO_ALERT. */
    private /*@ spec_public @*/ int alert;
    /** Requirement ID behind {@link #alert}. */
    private /*@ spec_public nullable @*/ String failedRequirement;
    /** How many fatal alerts this core has decided on: 0, or 1 after an abort (DEC-21: exactly one). */
    private /*@ spec_public @*/ int fatalAlerts;
    /** DEC-21: the one fatal alert was handed to the record layer (it is sent once). */
    private /*@ spec_public @*/ boolean alertSent;

    /** Configuration: the client offered proxy_info in its ClientHello (DEC-13), fixed before the ClientHello leaves. */
    private /*@ spec_public @*/ final boolean offeredProxyInfo;
    /** Configuration: abort when the server does not negotiate extended_master_secret (RFC7627-5.3). */
    private /*@ spec_public @*/ final boolean requireExtendedMasterSecret;

    /** Facts established so far (each set only where its check passed). */
    private /*@ spec_public @*/ boolean extendedMasterSecret;
    /** DEC-8: the ServerHello carried a ProxyInfo; it must be checked before key material is sent. */
    private /*@ spec_public @*/ boolean proxyInfoReceived;
    /** DEC-9 (DEC-8 step 1): the session-#1 certificate is an acceptable proxy. */
    private /*@ spec_public @*/ boolean proxyTrusted;
    /** DEC-10/DEC-13: plain TLS, the session-#1 chain validated and names the intended host (RFC6125-6.4). */
    private /*@ spec_public @*/ boolean serverChainVerified;
    /**
     * DEC-8 steps 2..5: this core consumed the {@link ProxyInfoDecision} of this connection and it was
     * ACCEPTED (signature, carried chain and name, upstream parameters, every hop).
     */
    private /*@ spec_public @*/ boolean proxyInfoVerified;
    private /*@ spec_public @*/ boolean serverCertificateVerified;
    private /*@ spec_public @*/ boolean serverKeyExchangeVerified;
    private /*@ spec_public @*/ boolean keyMaterialSent;
    private /*@ spec_public @*/ boolean serverFinishedVerified;

    /*@ // Legal states and the alert bookkeeping (DEC-21: an abort is exactly one fatal alert).
      @ public invariant Transitions.C_START <= state && state <= Transitions.C_FAILED;
      @ public invariant fatalAlerts == 0 || fatalAlerts == 1;
      @ public invariant (fatalAlerts == 0) <==> (alert == NO_ALERT);
      @ public invariant fatalAlerts == 1 ==> (state == Transitions.C_FAILED && alert >= 0);
      @ public invariant alertSent ==> fatalAlerts == 1;
      @ // DEC-13: a ProxyInfo is processed only if the client offered the extension.
      @ public invariant proxyInfoReceived ==> offeredProxyInfo;
      @ public invariant proxyInfoVerified ==> proxyInfoReceived;
      @ // What each state implies about the checks already passed.
      @ public invariant serverCertificateVerified
      @     ==> ((proxyInfoReceived ==> proxyTrusted) && (!proxyInfoReceived ==> serverChainVerified));
      @ public invariant (Transitions.C_WAIT_SERVER_KEY_EXCHANGE <= state && state <= Transitions.C_ESTABLISHED)
      @     ==> serverCertificateVerified;
      @ public invariant (Transitions.C_WAIT_SERVER_HELLO_DONE <= state && state <= Transitions.C_ESTABLISHED)
      @     ==> serverKeyExchangeVerified;
      @ public invariant (Transitions.C_WAIT_CHANGE_CIPHER_SPEC <= state && state <= Transitions.C_ESTABLISHED)
      @     ==> keyMaterialSent;
      @ public invariant state <= Transitions.C_SEND_KEY_EXCHANGE ==> !keyMaterialSent;
      @ public invariant state <= Transitions.C_WAIT_CERTIFICATE
      @     ==> (!serverCertificateVerified && !serverKeyExchangeVerified && !proxyInfoVerified);
      @ // DEC-8: key material leaves only after every check passed (plain TLS: DEC-13/DEC-10).
      @ public invariant keyMaterialSent ==> (serverCertificateVerified && serverKeyExchangeVerified
      @     && ((proxyInfoReceived ==> (proxyTrusted && proxyInfoVerified)) && (!proxyInfoReceived ==> serverChainVerified)));
      @ // RFC5246-7.4.9: ESTABLISHED only with key material sent under DEC-8 and the server's Finished verified.
      @ public invariant state == Transitions.C_ESTABLISHED ==> (keyMaterialSent && serverFinishedVerified);
      @*/

    /*@ public normal_behavior
      @ // DEC-13: whether proxy_info was offered is fixed when the core is made, before the ClientHello leaves
      @ ensures state == Transitions.C_START && fatalAlerts == 0 && alert == NO_ALERT && !alertSent;
      @ ensures this.offeredProxyInfo == offeredProxyInfo && this.requireExtendedMasterSecret == requireExtendedMasterSecret;
      @ ensures !proxyInfoReceived && !proxyTrusted && !serverChainVerified && !proxyInfoVerified && !keyMaterialSent;
      @*/
    public ClientHandshake(boolean offeredProxyInfo, boolean requireExtendedMasterSecret) {
        this.state = Transitions.C_START;
        this.alert = NO_ALERT;
        this.failedRequirement = null;
        this.fatalAlerts = 0;
        this.alertSent = false;
        this.offeredProxyInfo = offeredProxyInfo;
        this.requireExtendedMasterSecret = requireExtendedMasterSecret;
    }

    /**
     * Every abort goes through here (DEC-21): the state becomes FAILED and the first alert decided
     * is the only one; a later failure (a caller that goes on after an abort) changes nothing.
     */
    /*@ private normal_behavior
      @ // DEC-21: exactly one fatal alert per connection, the first one decided
      @ requires alertCode >= 0;
      @ assignable state, alert, failedRequirement, fatalAlerts;
      @ ensures state == Transitions.C_FAILED && fatalAlerts == 1 && \result == alert;
      @ ensures \old(fatalAlerts) == 0 ==> alert == alertCode;
      @ ensures \old(fatalAlerts) == 1 ==> alert == \old(alert);
      @*/
    private int fail(int alertCode, /*@ nullable @*/ String requirement) {
        state = Transitions.C_FAILED;
        fatalAlerts = 1;
        alert = alertCode; // MUTANT: a second failure replaces the first alert (DEC-21: exactly one)
        failedRequirement = requirement;
        return alert;
    }

    /**
     * DEC-21: the one path of every fatal alert of this connection, whoever found the error (this
     * core, a codec, the record layer, crypto): the first alert decided is the only one, and it is
     * handed out once. Returns the alert to send now, or {@link #NO_ALERT} if it was sent already.
     */
    /*@ public normal_behavior
      @ // DEC-21: exactly one fatal alert per connection, the first one decided, sent once
      @ requires alertCode >= 0;
      @ assignable state, alert, failedRequirement, fatalAlerts, alertSent;
      @ ensures state == Transitions.C_FAILED && fatalAlerts == 1 && alertSent;
      @ ensures \old(fatalAlerts) == 0 ==> alert == alertCode;
      @ ensures \old(fatalAlerts) == 1 ==> alert == \old(alert);
      @ ensures \old(alertSent) ==> \result == NO_ALERT;
      @ ensures !\old(alertSent) ==> \result == alert;
      @*/
    public int fatalAlertToSend(int alertCode, /*@ nullable @*/ String requirement) {
        fail(alertCode, requirement);
        alertSent = true;
        return alert; // MUTANT: the one fatal alert is handed out again on every abort (DEC-21: sent once)
    }

    public int state() { return state; }

    public int alert() { return alert; }

    public int fatalAlerts() { return fatalAlerts; }

    public /*@ nullable @*/ String failedRequirement() { return failedRequirement; }

    public boolean offeredProxyInfo() { return offeredProxyInfo; }

    public boolean extendedMasterSecret() { return extendedMasterSecret; }

    public boolean proxyInfoReceived() { return proxyInfoReceived; }

    public boolean proxyInfoVerified() { return proxyInfoVerified; }

    public boolean serverChainVerified() { return serverChainVerified; }

    public boolean serverKeyExchangeVerified() { return serverKeyExchangeVerified; }

    public boolean keyMaterialSent() { return keyMaterialSent; }

    /** RFC5246-7.4 / DEC-21: a message the transition table does not allow here is unexpected_message. */
    /*@ public normal_behavior
      @ assignable state, alert, failedRequirement, fatalAlerts;
      @ // RFC5246-7.4, RFC5246-7.2.1, DEC-21: nothing is processed after an abort or a close
      @ ensures (\old(state) == Transitions.C_FAILED || \old(state) == Transitions.C_CLOSED) ==> \result != NO_ALERT;
      @ ensures \result == NO_ALERT ==> state == \old(state);
      @ ensures \result != NO_ALERT ==> (state == Transitions.C_FAILED && fatalAlerts == 1 && \result == alert);
      @ ensures (\result != NO_ALERT && \old(fatalAlerts) == 0) ==> \result == AlertDescription.UNEXPECTED_MESSAGE;
      @*/
    public int onMessage(int type) {
        if (state == Transitions.C_FAILED || state == Transitions.C_CLOSED) {
            return fail(AlertDescription.UNEXPECTED_MESSAGE, "RFC5246-7.2.1");
        }
        if (!Transitions.legal(Transitions.ROLE_CLIENT, state, type)) {
            return fail(AlertDescription.UNEXPECTED_MESSAGE, "RFC5246-7.4");
        }
        return NO_ALERT;
    }

    /*@ public normal_behavior
      @ // RFC5246-7.3: the ClientHello is sent once, first
      @ assignable state, alert, failedRequirement, fatalAlerts;
      @ ensures \old(state) == Transitions.C_START ==> (\result == NO_ALERT && state == Transitions.C_WAIT_SERVER_HELLO);
      @ ensures \old(state) != Transitions.C_START ==> (state == Transitions.C_FAILED && \result == alert && fatalAlerts == 1);
      @ ensures (\old(state) != Transitions.C_START && \old(fatalAlerts) == 0) ==> \result == AlertDescription.INTERNAL_ERROR;
      @*/
    public int onClientHelloSent() {
        if (state != Transitions.C_START) {
            return fail(AlertDescription.INTERNAL_ERROR, "RFC5246-7.3");
        }
        state = Transitions.C_WAIT_SERVER_HELLO;
        return NO_ALERT;
    }

    /**
     * RFC5246-7.4.1.3 ServerHello checks.
     * @param serverVersion server_version (TLS 1.2 only, DEC-20)
     * @param suiteOffered the chosen cipher_suite is one the client offered
     * @param nullCompression compression_method is null (0)
     * @param extensionsSolicited every extension is one the client offered (RFC5246-7.4.1.4)
     * @param renegotiationInfoOk renegotiation_info absent or empty (RFC5746-3.4)
     * @param emsNegotiated extended_master_secret echoed (RFC7627-5.2)
     * @param proxyInfoPresent the ServerHello carries proxy_info
     */
    /*@ public normal_behavior
      @ // RFC5246-7.4.1.3, RFC5746-3.4, RFC7627-5.3
      @ assignable state, alert, failedRequirement, fatalAlerts, extendedMasterSecret, proxyInfoReceived;
      @ ensures \result == NO_ALERT ==> (\old(state) == Transitions.C_WAIT_SERVER_HELLO
      @     && state == Transitions.C_WAIT_CERTIFICATE && serverVersion == TLS12 && suiteOffered && nullCompression
      @     && extensionsSolicited && renegotiationInfoOk && (emsNegotiated || !requireExtendedMasterSecret)
      @     && proxyInfoReceived == proxyInfoPresent && (proxyInfoPresent ==> offeredProxyInfo));
      @ ensures \result != NO_ALERT ==> (state == Transitions.C_FAILED && \result == alert && fatalAlerts == 1);
      @ // DEC-21 alerts, for the first failing check:
      @ ensures \old(fatalAlerts) == 0 && \old(state) != Transitions.C_WAIT_SERVER_HELLO
      @     ==> \result == AlertDescription.UNEXPECTED_MESSAGE;
      @ ensures \old(fatalAlerts) == 0 && \old(state) == Transitions.C_WAIT_SERVER_HELLO && serverVersion != TLS12
      @     ==> \result == AlertDescription.PROTOCOL_VERSION;
      @ ensures \old(fatalAlerts) == 0 && \old(state) == Transitions.C_WAIT_SERVER_HELLO && serverVersion == TLS12
      @     && (!suiteOffered || !nullCompression) ==> \result == AlertDescription.ILLEGAL_PARAMETER;
      @ // DEC-13: a proxy_info the client did not offer is unsupported_extension
      @ ensures \old(fatalAlerts) == 0 && \old(state) == Transitions.C_WAIT_SERVER_HELLO && serverVersion == TLS12
      @     && suiteOffered && nullCompression && proxyInfoPresent && !offeredProxyInfo
      @     ==> \result == AlertDescription.UNSUPPORTED_EXTENSION;
      @*/
    public int onServerHello(int serverVersion, boolean suiteOffered, boolean nullCompression,
                             boolean extensionsSolicited, boolean renegotiationInfoOk, boolean emsNegotiated,
                             boolean proxyInfoPresent) {
        if (state != Transitions.C_WAIT_SERVER_HELLO) {
            return fail(AlertDescription.UNEXPECTED_MESSAGE, "RFC5246-7.4");
        }
        if (serverVersion != TLS12) {
            return fail(AlertDescription.HANDSHAKE_FAILURE, "RFC5246-7.4.1.3"); // MUTANT: wrong DEC-21 alert
        }
        if (!suiteOffered) {
            return fail(AlertDescription.ILLEGAL_PARAMETER, "RFC5246-7.4.1.3");
        }
        if (!nullCompression) {
            return fail(AlertDescription.ILLEGAL_PARAMETER, "RFC5246-7.4.1.3");
        }
        if (proxyInfoPresent && !offeredProxyInfo) {
            return fail(AlertDescription.UNSUPPORTED_EXTENSION, "DEC-13");
        }
        if (!extensionsSolicited) {
            return fail(AlertDescription.UNSUPPORTED_EXTENSION, "RFC5246-7.4.1.4");
        }
        if (!renegotiationInfoOk) {
            return fail(AlertDescription.HANDSHAKE_FAILURE, "RFC5746-3.4");
        }
        if (!emsNegotiated && requireExtendedMasterSecret) {
            return fail(AlertDescription.HANDSHAKE_FAILURE, "RFC7627-5.3");
        }
        extendedMasterSecret = emsNegotiated;
        proxyInfoReceived = proxyInfoPresent;
        state = Transitions.C_WAIT_CERTIFICATE;
        return NO_ALERT;
    }

    /**
     * The server Certificate was checked by the PKI code. Plain TLS (DEC-13): the chain must pass
     * DEC-10 (PKIX against the client's trust store) and name the intended host (RFC6125-6.4).
     * With a ProxyInfo (DEC-8 step 1, DEC-9) the certificate is the proxy's: the shell checks it
     * against the proxy trust anchors and a failure is access_denied; the origin server's name is
     * checked on the carried chain instead.
     * @param chainAlert the alert the PKI code chose when chainOk is false (unknown_ca, certificate_expired, ...)
     */
    /*@ public normal_behavior
      @ assignable state, alert, failedRequirement, fatalAlerts, serverCertificateVerified, proxyTrusted,
      @            serverChainVerified;
      @ // DEC-9: proxied, the certificate must be an acceptable proxy; DEC-13/DEC-10: plain, the intended server
      @ ensures \result == NO_ALERT ==> (\old(state) == Transitions.C_WAIT_CERTIFICATE
      @     && state == Transitions.C_WAIT_SERVER_KEY_EXCHANGE && serverCertificateVerified
      @     && ((proxyInfoReceived ==> (chainOk && proxyTrusted)) && (!proxyInfoReceived ==> (chainOk && hostOk && serverChainVerified))));
      @ ensures \result != NO_ALERT ==> (state == Transitions.C_FAILED && \result == alert && fatalAlerts == 1);
      @ ensures \old(fatalAlerts) == 0 && \old(state) != Transitions.C_WAIT_CERTIFICATE
      @     ==> \result == AlertDescription.UNEXPECTED_MESSAGE;
      @ ensures \old(fatalAlerts) == 0 && \old(state) == Transitions.C_WAIT_CERTIFICATE && proxyInfoReceived && !chainOk
      @     ==> \result == AlertDescription.ACCESS_DENIED;
      @ ensures \old(fatalAlerts) == 0 && \old(state) == Transitions.C_WAIT_CERTIFICATE && !proxyInfoReceived && !chainOk
      @     ==> \result == ProxyInfoDecision.certificateAlert(chainAlert);
      @ ensures \old(fatalAlerts) == 0 && \old(state) == Transitions.C_WAIT_CERTIFICATE && !proxyInfoReceived && chainOk
      @     && !hostOk ==> \result == AlertDescription.BAD_CERTIFICATE;
      @*/
    public int onCertificateVerified(boolean chainOk, int chainAlert, boolean hostOk) {
        if (state != Transitions.C_WAIT_CERTIFICATE) {
            return fail(AlertDescription.UNEXPECTED_MESSAGE, "RFC5246-7.4");
        }
        if (proxyInfoReceived) {
            proxyTrusted = true; // MUTANT: the proxy certificate is not checked against the proxy trust anchors (DEC-9)
        } else {
            if (!chainOk) {
                return fail(ProxyInfoDecision.certificateAlert(chainAlert), "DEC-10");
            }
            if (!hostOk) {
                return fail(AlertDescription.BAD_CERTIFICATE, "RFC6125-6.4");
            }
            serverChainVerified = true;
        }
        serverCertificateVerified = true;
        state = Transitions.C_WAIT_SERVER_KEY_EXCHANGE;
        return NO_ALERT;
    }

    /**
     * RFC5246-7.4.3 / RFC8422-5.4: the ECDHE parameters use a group the client offered, the
     * signature scheme is one the client offered and fits the suite and the certificate key, and
     * the signature over client_random + server_random + params verifies (else decrypt_error), and
     * the server's ECDH public value is a valid point/key for the group (RFC8422-5.11, else
     * illegal_parameter).
     */
    /*@ public normal_behavior
      @ assignable state, alert, failedRequirement, fatalAlerts, serverKeyExchangeVerified;
      @ ensures \result == NO_ALERT ==> (\old(state) == Transitions.C_WAIT_SERVER_KEY_EXCHANGE
      @     && state == Transitions.C_WAIT_SERVER_HELLO_DONE && serverKeyExchangeVerified
      @     && groupOffered && schemeAcceptable && signatureOk && publicValueValid);
      @ ensures \result != NO_ALERT ==> (state == Transitions.C_FAILED && \result == alert && fatalAlerts == 1);
      @ ensures \old(fatalAlerts) == 0 && \old(state) != Transitions.C_WAIT_SERVER_KEY_EXCHANGE
      @     ==> \result == AlertDescription.UNEXPECTED_MESSAGE;
      @ // RFC5246-7.4.3, DEC-21: a bad ServerKeyExchange signature is decrypt_error
      @ ensures \old(fatalAlerts) == 0 && \old(state) == Transitions.C_WAIT_SERVER_KEY_EXCHANGE
      @     && groupOffered && schemeAcceptable && !signatureOk ==> \result == AlertDescription.DECRYPT_ERROR;
      @ ensures \old(fatalAlerts) == 0 && \old(state) == Transitions.C_WAIT_SERVER_KEY_EXCHANGE
      @     && (!groupOffered || !schemeAcceptable || (signatureOk && !publicValueValid))
      @     ==> \result == AlertDescription.ILLEGAL_PARAMETER;
      @*/
    public int onServerKeyExchange(boolean groupOffered, boolean schemeAcceptable, boolean signatureOk,
                                   boolean publicValueValid) {
        if (state != Transitions.C_WAIT_SERVER_KEY_EXCHANGE || !serverCertificateVerified) {
            return fail(AlertDescription.UNEXPECTED_MESSAGE, "RFC5246-7.4");
        }
        if (!groupOffered) {
            return fail(AlertDescription.ILLEGAL_PARAMETER, "RFC8422-5.4");
        }
        if (!schemeAcceptable) {
            return fail(AlertDescription.ILLEGAL_PARAMETER, "RFC5246-7.4.1.4.1");
        }
        // MUTANT: the ServerKeyExchange signature is not checked (RFC5246-7.4.3)
        if (!publicValueValid) {
            return fail(AlertDescription.ILLEGAL_PARAMETER, "RFC8422-5.11");
        }
        serverKeyExchangeVerified = true;
        state = Transitions.C_WAIT_SERVER_HELLO_DONE;
        return NO_ALERT;
    }

    /*@ public normal_behavior
      @ // RFC5246-7.4.5, DEC-8: after ServerHelloDone the client decides on key material, receiving nothing
      @ assignable state, alert, failedRequirement, fatalAlerts;
      @ ensures \old(state) == Transitions.C_WAIT_SERVER_HELLO_DONE
      @     ==> (\result == NO_ALERT && state == Transitions.C_SEND_KEY_EXCHANGE);
      @ ensures \old(state) != Transitions.C_WAIT_SERVER_HELLO_DONE
      @     ==> (state == Transitions.C_FAILED && \result == alert && fatalAlerts == 1);
      @ ensures \old(state) != Transitions.C_WAIT_SERVER_HELLO_DONE && \old(fatalAlerts) == 0
      @     ==> \result == AlertDescription.UNEXPECTED_MESSAGE;
      @*/
    public int onServerHelloDone() {
        if (state != Transitions.C_WAIT_SERVER_HELLO_DONE) {
            return fail(AlertDescription.UNEXPECTED_MESSAGE, "RFC5246-7.4");
        }
        state = Transitions.C_SEND_KEY_EXCHANGE;
        return NO_ALERT;
    }

    /**
     * DEC-8: the client core consumes the {@link ProxyInfoDecision} of this connection itself (the
     * decision the shell fed with the checks of the kept ProxyInfo, after Certificate and
     * ServerKeyExchange verified and before ClientKeyExchange). Refused: the decision's alert
     * (DEC-9..12). In plain TLS it is never called.
     */
    /*@ public normal_behavior
      @ requires decision != null && \invariant_for(decision);
      @ assignable state, alert, failedRequirement, fatalAlerts, proxyInfoVerified;
      @ // DEC-8: only in SEND_KEY_EXCHANGE with a ProxyInfo kept, and only if the decision is ACCEPTED, proxied,
      @ // with every check passed (proxy trusted, assertion verified, server chain, upstream parameters, hops)
      @ ensures \result == NO_ALERT ==> (proxyInfoVerified && state == Transitions.C_SEND_KEY_EXCHANGE
      @     && \old(state) == Transitions.C_SEND_KEY_EXCHANGE && proxyInfoReceived
      @     && decision.stage == ProxyInfoDecision.ACCEPTED);
      @ ensures \result != NO_ALERT ==> (state == Transitions.C_FAILED && \result == alert && fatalAlerts == 1
      @     && proxyInfoVerified == \old(proxyInfoVerified));
      @ ensures \old(fatalAlerts) == 0 && (\old(state) != Transitions.C_SEND_KEY_EXCHANGE || !proxyInfoReceived)
      @     ==> \result == AlertDescription.INTERNAL_ERROR;
      @ // the !ok branch: a decision that is not ACCEPTED ends the handshake with its alert (DEC-9..12), never "no alert"
      @ ensures \old(fatalAlerts) == 0 && \old(state) == Transitions.C_SEND_KEY_EXCHANGE && proxyInfoReceived
      @     && decision.stage == ProxyInfoDecision.REFUSED
      @     ==> \result == (decision.alert >= 0 ? decision.alert : AlertDescription.INTERNAL_ERROR);
      @ ensures \old(fatalAlerts) == 0 && \old(state) == Transitions.C_SEND_KEY_EXCHANGE && proxyInfoReceived
      @     && decision.stage != ProxyInfoDecision.REFUSED && decision.stage != ProxyInfoDecision.ACCEPTED
      @     ==> \result == AlertDescription.INTERNAL_ERROR;
      @*/
    public int onProxyInfoChecked(ProxyInfoDecision decision, /*@ nullable @*/ String requirementIfNot) {
        int decisionStage = decision.stage();
        int decisionAlert = decision.alert();
        if (state != Transitions.C_SEND_KEY_EXCHANGE || !proxyInfoReceived) {
            return fail(AlertDescription.INTERNAL_ERROR, "DEC-8");
        }
        if (decisionStage == ProxyInfoDecision.REFUSED) {
            return fail(AlertDescription.INTERNAL_ERROR, requirementIfNot); // MUTANT: the !ok branch drops the decision's alert (DEC-21)
        }
        if (decisionStage != ProxyInfoDecision.ACCEPTED) {
            return fail(AlertDescription.INTERNAL_ERROR, "DEC-8");
        }
        proxyInfoVerified = true;
        return NO_ALERT;
    }

    /**
     * Only now may the client send ClientKeyExchange (DEC-8, RFC5246-7.4.7): the security contract
     * is that a true answer implies every check passed, and, proxied, that the ProxyInfoDecision of
     * this connection is ACCEPTED (the composition of the two cores).
     * @param decision the connection's ProxyInfo decision; may be null only in plain TLS
     */
    /*@ public normal_behavior
      @ requires decision != null ==> \invariant_for(decision);
      @ // DEC-8, DEC-9, DEC-10, DEC-13, RFC5246-7.4.3: key material only after the proxy was acceptable and the
      @ // ProxyInfo decision ACCEPTED (signature, server chain and name, upstream parameters, every hop), or in
      @ // plain TLS after the server chain and name; and after the ServerKeyExchange signature verified.
      @ ensures \result ==> (state == Transitions.C_SEND_KEY_EXCHANGE && serverKeyExchangeVerified
      @     && ((proxyInfoReceived ==> (proxyTrusted && proxyInfoVerified)) && (!proxyInfoReceived ==> serverChainVerified)));
      @ ensures (\result && proxyInfoReceived) ==> (decision != null && decision.stage == ProxyInfoDecision.ACCEPTED
      @     && decision.proxied && decision.serverChainVerified && decision.assertionVerified);
      @ ensures (state == Transitions.C_SEND_KEY_EXCHANGE && !proxyInfoReceived) ==> \result;
      @*/
    public /*@ pure @*/ boolean mayReleaseKeyMaterial(/*@ nullable @*/ ProxyInfoDecision decision) {
        if (state != Transitions.C_SEND_KEY_EXCHANGE || !serverCertificateVerified || !serverKeyExchangeVerified) {
            return false;
        }
        if (!proxyInfoReceived) {
            return true;
        }
        return true; // MUTANT: the ProxyInfo decision is not consulted (DEC-8)
    }

    /** The client sent ClientKeyExchange, ChangeCipherSpec and Finished. */
    /*@ public normal_behavior
      @ requires decision != null ==> \invariant_for(decision);
      @ assignable state, alert, failedRequirement, fatalAlerts, keyMaterialSent;
      @ // DEC-8: key material is recorded as sent only when mayReleaseKeyMaterial held (proxied: the decision ACCEPTED)
      @ ensures \result == NO_ALERT ==> (keyMaterialSent && state == Transitions.C_WAIT_CHANGE_CIPHER_SPEC
      @     && serverKeyExchangeVerified && ((proxyInfoReceived ==> (proxyTrusted && proxyInfoVerified)) && (!proxyInfoReceived ==> serverChainVerified)));
      @ ensures (\result == NO_ALERT && proxyInfoReceived) ==> (decision != null && decision.stage == ProxyInfoDecision.ACCEPTED
      @     && decision.proxied);
      @ ensures \result != NO_ALERT ==> (state == Transitions.C_FAILED && \result == alert && fatalAlerts == 1
      @     && keyMaterialSent == \old(keyMaterialSent));
      @ ensures \result != NO_ALERT && \old(fatalAlerts) == 0 ==> \result == AlertDescription.INTERNAL_ERROR;
      @*/
    public int onKeyMaterialSent(/*@ nullable @*/ ProxyInfoDecision decision) {
        if (state != Transitions.C_SEND_KEY_EXCHANGE) { // MUTANT: checks the state only, not mayReleaseKeyMaterial (DEC-8)
            return fail(AlertDescription.INTERNAL_ERROR, "DEC-8");
        }
        keyMaterialSent = true;
        state = Transitions.C_WAIT_CHANGE_CIPHER_SPEC;
        return NO_ALERT;
    }

    /*@ public normal_behavior
      @ // RFC5246-7.1: ChangeCipherSpec only where the table expects it
      @ assignable state, alert, failedRequirement, fatalAlerts;
      @ ensures \old(state) == Transitions.C_WAIT_CHANGE_CIPHER_SPEC
      @     ==> (\result == NO_ALERT && state == Transitions.C_WAIT_FINISHED);
      @ ensures \old(state) != Transitions.C_WAIT_CHANGE_CIPHER_SPEC
      @     ==> (state == Transitions.C_FAILED && \result == alert && fatalAlerts == 1);
      @ ensures \old(state) != Transitions.C_WAIT_CHANGE_CIPHER_SPEC && \old(fatalAlerts) == 0
      @     ==> \result == AlertDescription.UNEXPECTED_MESSAGE;
      @*/
    public int onChangeCipherSpec() {
        if (state != Transitions.C_WAIT_CHANGE_CIPHER_SPEC) {
            return fail(AlertDescription.UNEXPECTED_MESSAGE, "RFC5246-7.1");
        }
        state = Transitions.C_WAIT_FINISHED;
        return NO_ALERT;
    }

    /** RFC5246-7.4.9: a wrong verify_data is decrypt_error. */
    /*@ public normal_behavior
      @ assignable state, alert, failedRequirement, fatalAlerts, serverFinishedVerified;
      @ // DEC-8, RFC5246-7.4.9: ESTABLISHED only after the key material went out under DEC-8 and the Finished verified
      @ ensures state == Transitions.C_ESTABLISHED ==> (\result == NO_ALERT && verifyDataOk && keyMaterialSent
      @     && serverKeyExchangeVerified && ((proxyInfoReceived ==> (proxyTrusted && proxyInfoVerified)) && (!proxyInfoReceived ==> serverChainVerified)));
      @ ensures \result == NO_ALERT ==> state == Transitions.C_ESTABLISHED;
      @ ensures \result != NO_ALERT ==> (state == Transitions.C_FAILED && \result == alert && fatalAlerts == 1);
      @ ensures \old(fatalAlerts) == 0 && \old(state) != Transitions.C_WAIT_FINISHED
      @     ==> \result == AlertDescription.UNEXPECTED_MESSAGE;
      @ ensures \old(fatalAlerts) == 0 && \old(state) == Transitions.C_WAIT_FINISHED && !verifyDataOk
      @     ==> \result == AlertDescription.DECRYPT_ERROR;
      @*/
    public int onServerFinished(boolean verifyDataOk) {
        if (state != Transitions.C_WAIT_FINISHED && state != Transitions.C_SEND_KEY_EXCHANGE) { // MUTANT: guard weakened
            return fail(AlertDescription.UNEXPECTED_MESSAGE, "RFC5246-7.4");
        }
        if (!verifyDataOk) {
            return fail(AlertDescription.DECRYPT_ERROR, "RFC5246-7.4.9");
        }
        serverFinishedVerified = true;
        state = Transitions.C_ESTABLISHED;
        return NO_ALERT;
    }

    /**
     * A HelloRequest on an established connection: renegotiation is refused (DEC-20, RFC5746-4.2)
     * with a warning no_renegotiation; the state does not change.
     */
    /*@ public normal_behavior
      @ ensures \result == AlertDescription.NO_RENEGOTIATION; // DEC-20: a warning, not an abort
      @ assignable \nothing;
      @*/
    public int onHelloRequest() {
        return AlertDescription.NO_RENEGOTIATION;
    }

    /** The Commit claim is allowed only here: the server's Finished verified. */
    /*@ public normal_behavior
      @ // DEC-8: Commit only when every check passed and the server's Finished verified (RFC5246-7.4.9)
      @ ensures \result ==> (keyMaterialSent && serverFinishedVerified && serverKeyExchangeVerified
      @     && ((proxyInfoReceived ==> (proxyTrusted && proxyInfoVerified)) && (!proxyInfoReceived ==> serverChainVerified)));
      @ ensures \result <==> state == Transitions.C_ESTABLISHED;
      @*/
    public /*@ pure @*/ boolean isEstablished() {
        return state == Transitions.C_ESTABLISHED;
    }

    /*@ public normal_behavior
      @ // RFC5246-7.2.1: close_notify closes; a failed connection stays failed
      @ assignable state;
      @ ensures \old(state) == Transitions.C_FAILED ==> state == Transitions.C_FAILED;
      @ ensures \old(state) != Transitions.C_FAILED ==> state == Transitions.C_CLOSED;
      @*/
    public void onCloseNotify() {
        if (state != Transitions.C_FAILED) {
            state = Transitions.C_CLOSED;
        }
    }

    /** The peer sent a fatal alert, or the transport broke: no further processing; we send no alert. */
    /*@ public normal_behavior
      @ // RFC5246-7.2.2: after the peer's fatal alert the connection is failed and we send none (DEC-21)
      @ assignable state;
      @ ensures state == Transitions.C_FAILED;
      @*/
    public void onAbort() {
        state = Transitions.C_FAILED;
    }
}
