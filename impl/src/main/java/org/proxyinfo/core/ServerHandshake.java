package org.proxyinfo.core;

/**
 * The server's TLS 1.2 handshake decisions (RFC 5246 §7.3, ECDHE, optional client authentication
 * (RFC 5246 §7.4.4, 7.4.6, 7.4.8), no resumption or renegotiation: DEC-20), as a small state
 * machine over facts from the shell.
 * Each {@code on...} method returns {@link #NO_ALERT} or the fatal alert to send (DEC-21), and
 * then the state is {@code S_FAILED} and {@link #failedRequirement} names the requirement.
 *
 * Security meaning: the server reaches ESTABLISHED (and may signal Running) only after a
 * ClientHello it could serve, a key exchange and a verified client Finished (RFC5246-7.4.9).
 * DEC-19: an ordinary server ignores proxy_info and never echoes it ({@link #mayAnswerExtension}).
 * Client authentication (issue 13): a client counts as authenticated
 * ({@link #isClientAuthenticated}) only if its chain validated against the server's client trust
 * store and its CertificateVerify verified over this transcript; a server whose policy is
 * {@link #CLIENT_AUTH_NEED} gets past ClientKeyExchange only with both (else handshake_failure for
 * no certificate, the PKI's alert for a bad chain, decrypt_error for a bad signature).
 *
 * KeY's Java subset: int states, no generics, no JDK types beyond java.lang.String.
 */
public final class ServerHandshake {
    public static final int NO_ALERT = -1;
    public static final int TLS12 = 0x0303;
    /** Client authentication policy (RFC5246-7.4.4): do not ask for a client certificate. */
    public static final int CLIENT_AUTH_NONE = 0;
    /** Ask; a client without a certificate goes on unauthenticated (RFC5246-7.4.6 "at its discretion"). */
    public static final int CLIENT_AUTH_WANT = 1;
    /** Ask, and refuse a client without an authenticated certificate (handshake_failure, RFC5246-7.4.6). */
    public static final int CLIENT_AUTH_NEED = 2;

    // State: private, written only by this class (the invariants below assume no other writer).
    private /*@ spec_public @*/ int state;
    private /*@ spec_public @*/ int alert;
    private /*@ spec_public nullable @*/ String failedRequirement;
    /** How many fatal alerts this core has decided on: 0, or 1 after an abort (DEC-21: exactly one). */
    private /*@ spec_public @*/ int fatalAlerts;
    /** DEC-21: the one fatal alert was handed to the record layer (it is sent once). */
    private /*@ spec_public @*/ boolean alertSent;

    /** Configuration: refuse clients that do not offer extended_master_secret (RFC7627-5.3). */
    private /*@ spec_public @*/ final boolean requireExtendedMasterSecret;
    /** Configuration: the proxy_info ExtensionType configured for this run (DEC-2, any code point), which an ordinary server never echoes (DEC-19). */
    private /*@ spec_public @*/ final int proxyInfoType;
    /**
     * Configuration: this server end is the proxy's session #1, which answers proxy_info with its own
     * signed assertion (draft §3, DEC-5). False for every ordinary server (DEC-19).
     */
    private /*@ spec_public @*/ final boolean assertsProxyInfo;
    /**
     * Configuration: {@link #CLIENT_AUTH_NONE}, {@link #CLIENT_AUTH_WANT} or {@link #CLIENT_AUTH_NEED} (RFC5246-7.4.4),
     * fixed before the server flight: when the core is made, or (a proxy's session #1 only, DEVIATION (DEC-23)) once
     * after the ClientHello by {@link #onClientAuthLearned}.
     */
    private /*@ spec_public @*/ int clientAuth;

    private /*@ spec_public @*/ boolean extendedMasterSecret;
    /** The ClientHello was acceptable (RFC5246-7.4.1.2 checks and a common suite, group and scheme). */
    private /*@ spec_public @*/ boolean clientHelloAccepted;
    private /*@ spec_public @*/ boolean clientKeyExchangeVerified;
    private /*@ spec_public @*/ boolean clientFinishedVerified;
    /** RFC5246-7.4.6: the client sent a non-empty Certificate whose chain validated against the client trust store. */
    private /*@ spec_public @*/ boolean clientChainValidated;
    /** RFC5246-7.4.8: the client's CertificateVerify verified with its certificate's key over this transcript. */
    private /*@ spec_public @*/ boolean clientCertificateVerifyVerified;

    /*@ public invariant Transitions.S_WAIT_CLIENT_HELLO <= state && state <= Transitions.S_WAIT_CERTIFICATE_VERIFY;
      @ public invariant CLIENT_AUTH_NONE <= clientAuth && clientAuth <= CLIENT_AUTH_NEED;
      @ public invariant fatalAlerts == 0 || fatalAlerts == 1;
      @ public invariant (fatalAlerts == 0) <==> (alert == NO_ALERT);
      @ public invariant fatalAlerts == 1 ==> (state == Transitions.S_FAILED && alert >= 0);
      @ public invariant alertSent ==> fatalAlerts == 1;
      @ // What each state implies about the checks already passed.
      @ public invariant (Transitions.S_SEND_FLIGHT <= state && state <= Transitions.S_ESTABLISHED) ==> clientHelloAccepted;
      @ public invariant (Transitions.S_WAIT_CHANGE_CIPHER_SPEC <= state && state <= Transitions.S_ESTABLISHED)
      @     ==> clientKeyExchangeVerified;
      @ // RFC5246-7.4.9: the server is ESTABLISHED (and signals Running) only after the client's Finished verified
      @ public invariant (state == Transitions.S_SEND_FINISHED || state == Transitions.S_ESTABLISHED) ==> clientFinishedVerified;
      @ // RFC5246-7.4.6, 7.4.8: the client-authentication states
      @ public invariant (state == Transitions.S_WAIT_CLIENT_CERTIFICATE || state == Transitions.S_WAIT_CERTIFICATE_VERIFY)
      @     ==> clientHelloAccepted;
      @ public invariant state == Transitions.S_WAIT_CERTIFICATE_VERIFY ==> (clientKeyExchangeVerified && clientChainValidated);
      @ public invariant clientCertificateVerifyVerified ==> clientChainValidated;
      @ // RFC5246-7.4.8: a client certificate is never used without its CertificateVerify
      @ public invariant (clientChainValidated && Transitions.S_WAIT_CHANGE_CIPHER_SPEC <= state && state <= Transitions.S_ESTABLISHED)
      @     ==> clientCertificateVerifyVerified;
      @ // RFC5246-7.4.6: a "need" server goes past the client's certificate only with a validated chain
      @ public invariant (clientAuth == CLIENT_AUTH_NEED && state == Transitions.S_WAIT_CLIENT_KEY_EXCHANGE) ==> clientChainValidated;
      @ public invariant (clientAuth == CLIENT_AUTH_NEED && Transitions.S_WAIT_CHANGE_CIPHER_SPEC <= state
      @     && state <= Transitions.S_ESTABLISHED) ==> (clientChainValidated && clientCertificateVerifyVerified);
      @*/

    /**
     * @param proxyInfoType the proxy_info code point of this run (DEC-2: configurable, {@code --code-point})
     * @param assertsProxyInfo true only for the proxy's session #1 (or a server configured to assert); DEC-19
     */
    /*@ public normal_behavior
      @ // DEC-19, DEC-2: the configured proxy_info code point (any), fixed for the connection
      @ ensures state == Transitions.S_WAIT_CLIENT_HELLO && fatalAlerts == 0 && alert == NO_ALERT && !alertSent;
      @ ensures this.requireExtendedMasterSecret == requireExtendedMasterSecret;
      @ ensures this.proxyInfoType == proxyInfoType && this.assertsProxyInfo == assertsProxyInfo;
      @ ensures clientAuth == CLIENT_AUTH_NONE && !clientChainValidated && !clientCertificateVerifyVerified;
      @*/
    public ServerHandshake(boolean requireExtendedMasterSecret, int proxyInfoType, boolean assertsProxyInfo) {
        this.state = Transitions.S_WAIT_CLIENT_HELLO;
        this.alert = NO_ALERT;
        this.failedRequirement = null;
        this.fatalAlerts = 0;
        this.alertSent = false;
        this.requireExtendedMasterSecret = requireExtendedMasterSecret;
        this.proxyInfoType = proxyInfoType;
        this.assertsProxyInfo = assertsProxyInfo;
        this.clientAuth = CLIENT_AUTH_NONE;
    }

    /**
     * @param clientAuth the client authentication policy (RFC5246-7.4.4), fixed before the ClientHello is processed
     */
    /*@ public normal_behavior
      @ // RFC5246-7.4.4: the client authentication policy is fixed when the core is made
      @ requires CLIENT_AUTH_NONE <= clientAuth && clientAuth <= CLIENT_AUTH_NEED;
      @ ensures state == Transitions.S_WAIT_CLIENT_HELLO && fatalAlerts == 0 && alert == NO_ALERT && !alertSent;
      @ ensures this.requireExtendedMasterSecret == requireExtendedMasterSecret;
      @ ensures this.proxyInfoType == proxyInfoType && this.assertsProxyInfo == assertsProxyInfo;
      @ ensures this.clientAuth == clientAuth && !clientChainValidated && !clientCertificateVerifyVerified;
      @*/
    public ServerHandshake(boolean requireExtendedMasterSecret, int proxyInfoType, boolean assertsProxyInfo, int clientAuth) {
        this.state = Transitions.S_WAIT_CLIENT_HELLO;
        this.alert = NO_ALERT;
        this.failedRequirement = null;
        this.fatalAlerts = 0;
        this.alertSent = false;
        this.requireExtendedMasterSecret = requireExtendedMasterSecret;
        this.proxyInfoType = proxyInfoType;
        this.assertsProxyInfo = assertsProxyInfo;
        this.clientAuth = clientAuth;
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
      @ ensures state == Transitions.S_FAILED && fatalAlerts == 1 && alertSent;
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

    public boolean extendedMasterSecret() { return extendedMasterSecret; }

    public int proxyInfoType() { return proxyInfoType; }

    public boolean assertsProxyInfo() { return assertsProxyInfo; }

    public int clientAuth() { return clientAuth; }

    /** Every abort goes through here (DEC-21): FAILED, and the first alert decided is the only one. */
    /*@ private normal_behavior
      @ // DEC-21: exactly one fatal alert per connection, the first one decided
      @ requires alertCode >= 0;
      @ assignable state, alert, failedRequirement, fatalAlerts;
      @ ensures state == Transitions.S_FAILED && fatalAlerts == 1 && \result == alert;
      @ ensures \old(fatalAlerts) == 0 ==> alert == alertCode;
      @ ensures \old(fatalAlerts) == 1 ==> alert == \old(alert);
      @*/
    private int fail(int alertCode, /*@ nullable @*/ String requirement) {
        state = Transitions.S_FAILED;
        if (fatalAlerts == 0) {
            fatalAlerts = 1;
            alert = alertCode;
            failedRequirement = requirement;
        }
        return alert;
    }

    /** RFC5246-7.4 / DEC-21: a message the transition table does not allow here is unexpected_message. */
    /*@ public normal_behavior
      @ assignable state, alert, failedRequirement, fatalAlerts;
      @ // RFC5246-7.4, RFC5246-7.2.1, DEC-21: nothing is processed after an abort or a close
      @ ensures (\old(state) == Transitions.S_FAILED || \old(state) == Transitions.S_CLOSED) ==> \result != NO_ALERT;
      @ ensures \result == NO_ALERT ==> state == \old(state);
      @ ensures \result != NO_ALERT ==> (state == Transitions.S_FAILED && fatalAlerts == 1 && \result == alert);
      @ ensures (\result != NO_ALERT && \old(fatalAlerts) == 0) ==> \result == AlertDescription.UNEXPECTED_MESSAGE;
      @*/
    public int onMessage(int type) {
        if (state == Transitions.S_FAILED || state == Transitions.S_CLOSED) {
            return fail(AlertDescription.UNEXPECTED_MESSAGE, "RFC5246-7.2.1");
        }
        if (!Transitions.legal(Transitions.ROLE_SERVER, state, type)) {
            return fail(AlertDescription.UNEXPECTED_MESSAGE, "RFC5246-7.4");
        }
        return NO_ALERT;
    }

    /**
     * RFC5246-7.4.1.2 ClientHello checks and negotiation outcome.
     * @param clientVersion client_version; TLS 1.2 or higher is answered with TLS 1.2 (RFC5246-E.1), lower is refused (DEC-20)
     * @param nullCompressionOffered compression_methods contains null (RFC5246-7.4.1.2 MUST)
     * @param renegotiationInfoOk SCSV or an empty renegotiation_info (RFC5746-3.6); a non-empty one is handshake_failure
     * @param commonSuite a suite both sides support, usable with the server's key
     * @param commonGroup a group both sides support (RFC8422-5.1)
     * @param commonSignatureScheme a signature scheme the client accepts for the server's key
     * @param emsOffered extended_master_secret offered (RFC7627-5.1)
     */
    /*@ public normal_behavior
      @ // RFC5246-7.4.1.2, RFC5746-3.6, RFC7627-5.3, DEC-21
      @ assignable state, alert, failedRequirement, fatalAlerts, extendedMasterSecret, clientHelloAccepted;
      @ ensures \result == NO_ALERT ==> (\old(state) == Transitions.S_WAIT_CLIENT_HELLO && state == Transitions.S_SEND_FLIGHT
      @     && clientHelloAccepted && clientVersion >= TLS12 && nullCompressionOffered && renegotiationInfoOk
      @     && commonSuite && commonGroup && commonSignatureScheme && (emsOffered || !requireExtendedMasterSecret));
      @ ensures \result != NO_ALERT ==> (state == Transitions.S_FAILED && \result == alert && fatalAlerts == 1);
      @ ensures \old(fatalAlerts) == 0 && \old(state) != Transitions.S_WAIT_CLIENT_HELLO
      @     ==> \result == AlertDescription.UNEXPECTED_MESSAGE;
      @ // DEC-20, RFC5246-E.1: below TLS 1.2 is protocol_version
      @ ensures \old(fatalAlerts) == 0 && \old(state) == Transitions.S_WAIT_CLIENT_HELLO && clientVersion < TLS12
      @     ==> \result == AlertDescription.PROTOCOL_VERSION;
      @ ensures \old(fatalAlerts) == 0 && \old(state) == Transitions.S_WAIT_CLIENT_HELLO && clientVersion >= TLS12
      @     && !nullCompressionOffered ==> \result == AlertDescription.ILLEGAL_PARAMETER;
      @ ensures \old(fatalAlerts) == 0 && \old(state) == Transitions.S_WAIT_CLIENT_HELLO && clientVersion >= TLS12
      @     && nullCompressionOffered && !(renegotiationInfoOk && commonSuite && commonGroup && commonSignatureScheme
      @     && (emsOffered || !requireExtendedMasterSecret)) ==> \result == AlertDescription.HANDSHAKE_FAILURE;
      @*/
    public int onClientHello(int clientVersion, boolean nullCompressionOffered, boolean renegotiationInfoOk,
                             boolean commonSuite, boolean commonGroup, boolean commonSignatureScheme,
                             boolean emsOffered) {
        if (state != Transitions.S_WAIT_CLIENT_HELLO) {
            return fail(AlertDescription.UNEXPECTED_MESSAGE, "RFC5246-7.4");
        }
        if (clientVersion < TLS12) {
            return fail(AlertDescription.PROTOCOL_VERSION, "RFC5246-E.1");
        }
        if (!nullCompressionOffered) {
            return fail(AlertDescription.ILLEGAL_PARAMETER, "RFC5246-7.4.1.2");
        }
        if (!renegotiationInfoOk) {
            return fail(AlertDescription.HANDSHAKE_FAILURE, "RFC5746-3.6");
        }
        if (!commonSuite) {
            return fail(AlertDescription.HANDSHAKE_FAILURE, "RFC5246-7.4.1.3");
        }
        if (!commonGroup) {
            return fail(AlertDescription.HANDSHAKE_FAILURE, "RFC8422-5.1");
        }
        if (!commonSignatureScheme) {
            return fail(AlertDescription.HANDSHAKE_FAILURE, "RFC5246-7.4.1.4.1");
        }
        if (!emsOffered && requireExtendedMasterSecret) {
            return fail(AlertDescription.HANDSHAKE_FAILURE, "RFC7627-5.3");
        }
        extendedMasterSecret = emsOffered;
        clientHelloAccepted = true;
        state = Transitions.S_SEND_FLIGHT;
        return NO_ALERT;
    }

    /**
     * DEC-19: may the ServerHello answer an extension of this type? A server answers only extensions
     * the client offered and it implements (RFC5246-7.4.1.4); an ordinary server never answers
     * proxy_info, only the proxy's session #1 does ({@link #assertsProxyInfo}).
     */
    /*@ public normal_behavior
      @ // DEC-19: an ordinary server never echoes proxy_info; RFC5246-7.4.1.4: only offered extensions are answered
      @ ensures \result ==> (offeredByClient && implemented);
      @ ensures (\result && type == proxyInfoType) ==> assertsProxyInfo;
      @ ensures (offeredByClient && implemented && (type != proxyInfoType || assertsProxyInfo)) ==> \result;
      @ // DEC-19 with any configured code point: an ordinary server never answers the configured proxy_info type
      @ ensures (!assertsProxyInfo && type == proxyInfoType) ==> !\result;
      @*/
    public /*@ pure @*/ boolean mayAnswerExtension(int type, boolean offeredByClient, boolean implemented) {
        return offeredByClient && implemented && (type != proxyInfoType || assertsProxyInfo);
    }

    /**
     * ServerHello, Certificate, ServerKeyExchange, (CertificateRequest when {@link #mayRequestClientCertificate}),
     * ServerHelloDone were sent.
     */
    /*@ public normal_behavior
      @ // RFC5246-7.3: the server flight only after an accepted ClientHello; RFC5246-7.4.6: then the client's Certificate if asked
      @ assignable state, alert, failedRequirement, fatalAlerts;
      @ ensures \old(state) == Transitions.S_SEND_FLIGHT
      @     ==> (\result == NO_ALERT && clientHelloAccepted && state == (clientAuth != CLIENT_AUTH_NONE
      @         ? Transitions.S_WAIT_CLIENT_CERTIFICATE : Transitions.S_WAIT_CLIENT_KEY_EXCHANGE));
      @ ensures \old(state) != Transitions.S_SEND_FLIGHT ==> (state == Transitions.S_FAILED && \result == alert && fatalAlerts == 1);
      @ ensures \old(state) != Transitions.S_SEND_FLIGHT && \old(fatalAlerts) == 0 ==> \result == AlertDescription.INTERNAL_ERROR;
      @*/
    public int onServerFlightSent() {
        if (state != Transitions.S_SEND_FLIGHT) {
            return fail(AlertDescription.INTERNAL_ERROR, "RFC5246-7.3");
        }
        if (clientAuth != CLIENT_AUTH_NONE) {
            state = Transitions.S_WAIT_CLIENT_CERTIFICATE;
        } else {
            state = Transitions.S_WAIT_CLIENT_KEY_EXCHANGE;
        }
        return NO_ALERT;
    }

    /**
     * DEVIATION (DEC-23): a proxy's session #1 learns only after the ClientHello whether it asks the client for a
     * certificate (its session #2 is held in the client-certificate mode, impl/CLIENTCERT.md). The policy may be set
     * once, from none, after an accepted ClientHello and before the server flight (no CertificateRequest can have gone
     * out), and only on a server end that asserts proxy_info (the proxy's session #1); otherwise internal_error.
     */
    /*@ public normal_behavior
      @ // RFC5246-7.4.4, DEC-23: the policy is fixed before the server flight; a proxy's session #1 sets it once
      @ requires CLIENT_AUTH_NONE <= policy && policy <= CLIENT_AUTH_NEED;
      @ assignable clientAuth, state, alert, failedRequirement, fatalAlerts;
      @ ensures (\old(state) == Transitions.S_SEND_FLIGHT && assertsProxyInfo && \old(clientAuth) == CLIENT_AUTH_NONE)
      @     ==> (\result == NO_ALERT && clientAuth == policy && state == Transitions.S_SEND_FLIGHT);
      @ ensures !(\old(state) == Transitions.S_SEND_FLIGHT && assertsProxyInfo && \old(clientAuth) == CLIENT_AUTH_NONE)
      @     ==> (clientAuth == \old(clientAuth) && state == Transitions.S_FAILED && \result == alert && fatalAlerts == 1);
      @ ensures !(\old(state) == Transitions.S_SEND_FLIGHT && assertsProxyInfo && \old(clientAuth) == CLIENT_AUTH_NONE)
      @     && \old(fatalAlerts) == 0 ==> \result == AlertDescription.INTERNAL_ERROR;
      @*/
    public int onClientAuthLearned(int policy) {
        if (state != Transitions.S_SEND_FLIGHT || !assertsProxyInfo || clientAuth != CLIENT_AUTH_NONE) {
            return fail(AlertDescription.INTERNAL_ERROR, "DEC-23");
        }
        clientAuth = policy;
        return NO_ALERT;
    }

    /** Does the server flight carry a CertificateRequest (RFC5246-7.4.4)? Exactly when the policy asks. */
    /*@ public normal_behavior
      @ // RFC5246-7.4.4: a CertificateRequest only when the policy asks, only in the server flight
      @ ensures \result <==> (clientAuth != CLIENT_AUTH_NONE && state == Transitions.S_SEND_FLIGHT);
      @*/
    public /*@ pure @*/ boolean mayRequestClientCertificate() {
        return clientAuth != CLIENT_AUTH_NONE && state == Transitions.S_SEND_FLIGHT;
    }

    /**
     * RFC5246-7.4.6: the client sent an empty Certificate (it has no fitting certificate). A
     * {@link #CLIENT_AUTH_WANT} server goes on with an unauthenticated client; a
     * {@link #CLIENT_AUTH_NEED} server refuses with handshake_failure.
     */
    /*@ public normal_behavior
      @ assignable state, alert, failedRequirement, fatalAlerts;
      @ // RFC5246-7.4.6: "need" refuses a client without a certificate with handshake_failure
      @ ensures \result == NO_ALERT ==> (\old(state) == Transitions.S_WAIT_CLIENT_CERTIFICATE
      @     && state == Transitions.S_WAIT_CLIENT_KEY_EXCHANGE && clientAuth != CLIENT_AUTH_NEED);
      @ ensures \result != NO_ALERT ==> (state == Transitions.S_FAILED && \result == alert && fatalAlerts == 1);
      @ ensures \old(fatalAlerts) == 0 && \old(state) != Transitions.S_WAIT_CLIENT_CERTIFICATE
      @     ==> \result == AlertDescription.UNEXPECTED_MESSAGE;
      @ ensures \old(fatalAlerts) == 0 && \old(state) == Transitions.S_WAIT_CLIENT_CERTIFICATE
      @     && clientAuth == CLIENT_AUTH_NEED ==> \result == AlertDescription.HANDSHAKE_FAILURE;
      @*/
    public int onEmptyClientCertificate() {
        if (state != Transitions.S_WAIT_CLIENT_CERTIFICATE) {
            return fail(AlertDescription.UNEXPECTED_MESSAGE, "RFC5246-7.4");
        }
        if (clientAuth == CLIENT_AUTH_NEED) {
            return fail(AlertDescription.HANDSHAKE_FAILURE, "RFC5246-7.4.6");
        }
        state = Transitions.S_WAIT_CLIENT_KEY_EXCHANGE;
        return NO_ALERT;
    }

    /**
     * RFC5246-7.4.6: the client's non-empty Certificate, checked by the PKI code against the client
     * trust store (PKIX, validity, revocation, EKU clientAuth).
     * @param chainOk the chain validated
     * @param chainAlert the alert the PKI code chose when chainOk is false
     */
    /*@ public normal_behavior
      @ assignable state, alert, failedRequirement, fatalAlerts, clientChainValidated;
      @ // RFC5246-7.4.6: a client chain is accepted only if it validated against the client trust store
      @ ensures \result == NO_ALERT ==> (\old(state) == Transitions.S_WAIT_CLIENT_CERTIFICATE
      @     && state == Transitions.S_WAIT_CLIENT_KEY_EXCHANGE && chainOk && clientChainValidated);
      @ ensures \result != NO_ALERT ==> (state == Transitions.S_FAILED && \result == alert && fatalAlerts == 1);
      @ ensures \old(fatalAlerts) == 0 && \old(state) != Transitions.S_WAIT_CLIENT_CERTIFICATE
      @     ==> \result == AlertDescription.UNEXPECTED_MESSAGE;
      @ ensures \old(fatalAlerts) == 0 && \old(state) == Transitions.S_WAIT_CLIENT_CERTIFICATE && !chainOk
      @     ==> \result == ProxyInfoDecision.certificateAlert(chainAlert);
      @*/
    public int onClientCertificate(boolean chainOk, int chainAlert) {
        if (state != Transitions.S_WAIT_CLIENT_CERTIFICATE) {
            return fail(AlertDescription.UNEXPECTED_MESSAGE, "RFC5246-7.4");
        }
        if (!chainOk) {
            return fail(ProxyInfoDecision.certificateAlert(chainAlert), "RFC5246-7.4.6");
        }
        clientChainValidated = true;
        state = Transitions.S_WAIT_CLIENT_KEY_EXCHANGE;
        return NO_ALERT;
    }

    /**
     * RFC5246-7.4.8: the client's CertificateVerify. The signature scheme must be one the server
     * offered in its CertificateRequest and fit the certificate's key (else illegal_parameter), and
     * the signature over every handshake message before it must verify (else decrypt_error).
     */
    /*@ public normal_behavior
      @ assignable state, alert, failedRequirement, fatalAlerts, clientCertificateVerifyVerified;
      @ // RFC5246-7.4.8: the client is authenticated only with its signature over this transcript verified
      @ ensures \result == NO_ALERT ==> (\old(state) == Transitions.S_WAIT_CERTIFICATE_VERIFY && schemeAcceptable
      @     && signatureOk && clientCertificateVerifyVerified && clientChainValidated
      @     && state == Transitions.S_WAIT_CHANGE_CIPHER_SPEC);
      @ ensures \result != NO_ALERT ==> (state == Transitions.S_FAILED && \result == alert && fatalAlerts == 1
      @     && clientCertificateVerifyVerified == \old(clientCertificateVerifyVerified));
      @ ensures \old(fatalAlerts) == 0 && \old(state) != Transitions.S_WAIT_CERTIFICATE_VERIFY
      @     ==> \result == AlertDescription.UNEXPECTED_MESSAGE;
      @ ensures \old(fatalAlerts) == 0 && \old(state) == Transitions.S_WAIT_CERTIFICATE_VERIFY && !schemeAcceptable
      @     ==> \result == AlertDescription.ILLEGAL_PARAMETER;
      @ ensures \old(fatalAlerts) == 0 && \old(state) == Transitions.S_WAIT_CERTIFICATE_VERIFY && schemeAcceptable
      @     && !signatureOk ==> \result == AlertDescription.DECRYPT_ERROR;
      @*/
    public int onCertificateVerify(boolean schemeAcceptable, boolean signatureOk) {
        if (state != Transitions.S_WAIT_CERTIFICATE_VERIFY) {
            return fail(AlertDescription.UNEXPECTED_MESSAGE, "RFC5246-7.4");
        }
        if (!schemeAcceptable) {
            return fail(AlertDescription.ILLEGAL_PARAMETER, "RFC5246-7.4.1.4.1");
        }
        if (!signatureOk) {
            return fail(AlertDescription.DECRYPT_ERROR, "RFC5246-7.4.8");
        }
        clientCertificateVerifyVerified = true;
        state = Transitions.S_WAIT_CHANGE_CIPHER_SPEC;
        return NO_ALERT;
    }

    /** Is the client authenticated (RFC5246-7.4.6, 7.4.8)? What the server may tell its application. */
    /*@ public normal_behavior
      @ // RFC5246-7.4.8: authenticated only if the chain validated and the CertificateVerify verified over this transcript
      @ ensures \result <==> (clientChainValidated && clientCertificateVerifyVerified);
      @*/
    public /*@ pure @*/ boolean isClientAuthenticated() {
        return clientChainValidated && clientCertificateVerifyVerified;
    }

    /** RFC8422-5.7: the client's ECDH public value was valid for the group (else illegal_parameter). */
    /*@ public normal_behavior
      @ // RFC8422-5.7, DEC-21: an invalid ECDH public value is illegal_parameter
      @ assignable state, alert, failedRequirement, fatalAlerts, clientKeyExchangeVerified;
      @ ensures \result == NO_ALERT ==> (\old(state) == Transitions.S_WAIT_CLIENT_KEY_EXCHANGE && publicValueValid
      @     && clientKeyExchangeVerified && state == (clientChainValidated
      @         ? Transitions.S_WAIT_CERTIFICATE_VERIFY : Transitions.S_WAIT_CHANGE_CIPHER_SPEC));
      @ ensures \result != NO_ALERT ==> (state == Transitions.S_FAILED && \result == alert && fatalAlerts == 1);
      @ ensures \old(fatalAlerts) == 0 && \old(state) != Transitions.S_WAIT_CLIENT_KEY_EXCHANGE
      @     ==> \result == AlertDescription.UNEXPECTED_MESSAGE;
      @ ensures \old(fatalAlerts) == 0 && \old(state) == Transitions.S_WAIT_CLIENT_KEY_EXCHANGE && !publicValueValid
      @     ==> \result == AlertDescription.ILLEGAL_PARAMETER;
      @*/
    public int onClientKeyExchange(boolean publicValueValid) {
        if (state != Transitions.S_WAIT_CLIENT_KEY_EXCHANGE) {
            return fail(AlertDescription.UNEXPECTED_MESSAGE, "RFC5246-7.4");
        }
        if (!publicValueValid) {
            return fail(AlertDescription.ILLEGAL_PARAMETER, "RFC8422-5.7");
        }
        clientKeyExchangeVerified = true;
        if (clientChainValidated) {
            state = Transitions.S_WAIT_CERTIFICATE_VERIFY; // RFC5246-7.4.8: a certificate with signing capability is followed by CertificateVerify
        } else {
            state = Transitions.S_WAIT_CHANGE_CIPHER_SPEC;
        }
        return NO_ALERT;
    }

    /*@ public normal_behavior
      @ // RFC5246-7.1: ChangeCipherSpec only where the table expects it
      @ assignable state, alert, failedRequirement, fatalAlerts;
      @ ensures \old(state) == Transitions.S_WAIT_CHANGE_CIPHER_SPEC
      @     ==> (\result == NO_ALERT && state == Transitions.S_WAIT_FINISHED);
      @ ensures \old(state) != Transitions.S_WAIT_CHANGE_CIPHER_SPEC
      @     ==> (state == Transitions.S_FAILED && \result == alert && fatalAlerts == 1);
      @ ensures \old(state) != Transitions.S_WAIT_CHANGE_CIPHER_SPEC && \old(fatalAlerts) == 0
      @     ==> \result == AlertDescription.UNEXPECTED_MESSAGE;
      @*/
    public int onChangeCipherSpec() {
        if (state != Transitions.S_WAIT_CHANGE_CIPHER_SPEC) {
            return fail(AlertDescription.UNEXPECTED_MESSAGE, "RFC5246-7.1");
        }
        state = Transitions.S_WAIT_FINISHED;
        return NO_ALERT;
    }

    /** RFC5246-7.4.9: a wrong verify_data is decrypt_error. */
    /*@ public normal_behavior
      @ assignable state, alert, failedRequirement, fatalAlerts, clientFinishedVerified;
      @ ensures \result == NO_ALERT ==> (\old(state) == Transitions.S_WAIT_FINISHED && verifyDataOk
      @     && clientFinishedVerified && state == Transitions.S_SEND_FINISHED);
      @ ensures \result != NO_ALERT ==> (state == Transitions.S_FAILED && \result == alert && fatalAlerts == 1);
      @ ensures \old(fatalAlerts) == 0 && \old(state) != Transitions.S_WAIT_FINISHED
      @     ==> \result == AlertDescription.UNEXPECTED_MESSAGE;
      @ // RFC5246-7.4.9, DEC-21: a wrong verify_data is decrypt_error
      @ ensures \old(fatalAlerts) == 0 && \old(state) == Transitions.S_WAIT_FINISHED && !verifyDataOk
      @     ==> \result == AlertDescription.DECRYPT_ERROR;
      @*/
    public int onClientFinished(boolean verifyDataOk) {
        if (state != Transitions.S_WAIT_FINISHED) {
            return fail(AlertDescription.UNEXPECTED_MESSAGE, "RFC5246-7.4");
        }
        if (!verifyDataOk) {
            return fail(AlertDescription.DECRYPT_ERROR, "RFC5246-7.4.9");
        }
        clientFinishedVerified = true;
        state = Transitions.S_SEND_FINISHED;
        return NO_ALERT;
    }

    /** ChangeCipherSpec and Finished sent: established; the Running claim is allowed from here. */
    /*@ public normal_behavior
      @ assignable state, alert, failedRequirement, fatalAlerts;
      @ // RFC5246-7.4.9: ESTABLISHED only after a ClientHello we could serve, a valid key exchange and the client's Finished
      @ ensures \result == NO_ALERT ==> (state == Transitions.S_ESTABLISHED && \old(state) == Transitions.S_SEND_FINISHED
      @     && clientHelloAccepted && clientKeyExchangeVerified && clientFinishedVerified);
      @ ensures \result != NO_ALERT ==> (state == Transitions.S_FAILED && \result == alert && fatalAlerts == 1);
      @ ensures \result != NO_ALERT && \old(fatalAlerts) == 0 ==> \result == AlertDescription.INTERNAL_ERROR;
      @*/
    public int onFinishedSent() {
        if (state != Transitions.S_SEND_FINISHED || !clientFinishedVerified) {
            return fail(AlertDescription.INTERNAL_ERROR, "RFC5246-7.3");
        }
        state = Transitions.S_ESTABLISHED;
        return NO_ALERT;
    }

    /**
     * A ClientHello on an established connection: renegotiation is refused (DEC-20) with a
     * warning no_renegotiation (RFC5246-7.2.2); the state does not change.
     */
    /*@ public normal_behavior
      @ ensures \result == AlertDescription.NO_RENEGOTIATION; // DEC-20: a warning, not an abort
      @ assignable \nothing;
      @*/
    public int onClientHelloWhileEstablished() {
        return AlertDescription.NO_RENEGOTIATION;
    }

    /*@ public normal_behavior
      @ // RFC5246-7.4.9: Running only after the client's Finished verified
      @ ensures \result ==> (clientHelloAccepted && clientKeyExchangeVerified && clientFinishedVerified);
      @ // RFC5246-7.4.6, 7.4.8: a "need" server is established only with an authenticated client
      @ ensures (\result && clientAuth == CLIENT_AUTH_NEED) ==> (clientChainValidated && clientCertificateVerifyVerified);
      @ ensures \result <==> state == Transitions.S_ESTABLISHED;
      @*/
    public /*@ pure @*/ boolean isEstablished() {
        return state == Transitions.S_ESTABLISHED;
    }

    /*@ public normal_behavior
      @ // RFC5246-7.2.1: close_notify closes; a failed connection stays failed
      @ assignable state;
      @ ensures \old(state) == Transitions.S_FAILED ==> state == Transitions.S_FAILED;
      @ ensures \old(state) != Transitions.S_FAILED ==> state == Transitions.S_CLOSED;
      @*/
    public void onCloseNotify() {
        if (state != Transitions.S_FAILED) {
            state = Transitions.S_CLOSED;
        }
    }

    /** The peer sent a fatal alert, or the transport broke: no further processing; we send no alert. */
    /*@ public normal_behavior
      @ // RFC5246-7.2.2: after the peer's fatal alert the connection is failed and we send none (DEC-21)
      @ assignable state;
      @ ensures state == Transitions.S_FAILED;
      @*/
    public void onAbort() {
        state = Transitions.S_FAILED;
    }
}
