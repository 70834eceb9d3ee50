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

    public int state;
    /** The fatal alert this core decided on, or NO_ALERT. */
    public int alert;
    /** Requirement ID behind {@link #alert}. */
    public String failedRequirement;

    /** Configuration: the client offered proxy_info in its ClientHello. */
    public boolean offeredProxyInfo;
    /** Configuration: abort when the server does not negotiate extended_master_secret (RFC7627-5.3). */
    public boolean requireExtendedMasterSecret;

    /** Facts established so far. */
    public boolean extendedMasterSecret;
    /** DEC-8: the ServerHello carried a ProxyInfo; it must be checked before key material is sent. */
    public boolean proxyInfoReceived;
    public boolean proxyInfoVerified;
    public boolean serverCertificateVerified;
    public boolean serverKeyExchangeVerified;
    public boolean keyMaterialSent;
    public boolean serverFinishedVerified;

    public ClientHandshake(boolean offeredProxyInfo, boolean requireExtendedMasterSecret) {
        this.state = Transitions.C_START;
        this.alert = NO_ALERT;
        this.failedRequirement = null;
        this.offeredProxyInfo = offeredProxyInfo;
        this.requireExtendedMasterSecret = requireExtendedMasterSecret;
    }

    private int fail(int alertCode, String requirement) {
        state = Transitions.C_FAILED;
        alert = alertCode;
        failedRequirement = requirement;
        return alertCode;
    }

    /** RFC5246-7.4 / DEC-21: a message the transition table does not allow here is unexpected_message. */
    public int onMessage(int type) {
        if (state == Transitions.C_FAILED || state == Transitions.C_CLOSED) {
            return fail(AlertDescription.UNEXPECTED_MESSAGE, "RFC5246-7.2.1");
        }
        if (!Transitions.legal(Transitions.ROLE_CLIENT, state, type)) {
            return fail(AlertDescription.UNEXPECTED_MESSAGE, "RFC5246-7.4");
        }
        return NO_ALERT;
    }

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
    public int onServerHello(int serverVersion, boolean suiteOffered, boolean nullCompression,
                             boolean extensionsSolicited, boolean renegotiationInfoOk, boolean emsNegotiated,
                             boolean proxyInfoPresent) {
        if (state != Transitions.C_WAIT_SERVER_HELLO) {
            return fail(AlertDescription.UNEXPECTED_MESSAGE, "RFC5246-7.4");
        }
        if (serverVersion != TLS12) {
            return fail(AlertDescription.PROTOCOL_VERSION, "RFC5246-7.4.1.3");
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
    public int onCertificateVerified(boolean chainOk, int chainAlert, boolean hostOk) {
        if (state != Transitions.C_WAIT_CERTIFICATE) {
            return fail(AlertDescription.UNEXPECTED_MESSAGE, "RFC5246-7.4");
        }
        if (proxyInfoReceived) {
            if (!chainOk) {
                return fail(AlertDescription.ACCESS_DENIED, "DEC-9");
            }
        } else {
            if (!chainOk) {
                if (chainAlert == NO_ALERT) {
                    return fail(AlertDescription.BAD_CERTIFICATE, "DEC-10");
                }
                return fail(chainAlert, "DEC-10");
            }
            if (!hostOk) {
                return fail(AlertDescription.BAD_CERTIFICATE, "RFC6125-6.4");
            }
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
        if (!signatureOk) {
            return fail(AlertDescription.DECRYPT_ERROR, "RFC5246-7.4.3");
        }
        if (!publicValueValid) {
            return fail(AlertDescription.ILLEGAL_PARAMETER, "RFC8422-5.11");
        }
        serverKeyExchangeVerified = true;
        state = Transitions.C_WAIT_SERVER_HELLO_DONE;
        return NO_ALERT;
    }

    public int onServerHelloDone() {
        if (state != Transitions.C_WAIT_SERVER_HELLO_DONE) {
            return fail(AlertDescription.UNEXPECTED_MESSAGE, "RFC5246-7.4");
        }
        state = Transitions.C_SEND_KEY_EXCHANGE;
        return NO_ALERT;
    }

    /**
     * DEC-8 hook: the kept ProxyInfo has been checked (proxy acceptable, signature, carried chain,
     * upstream parameters, hops) after Certificate and ServerKeyExchange verified and before
     * ClientKeyExchange. Filled by the proxy_info issue; in plain TLS it is never called.
     */
    public int onProxyInfoChecked(boolean ok, int alertIfNot, String requirementIfNot) {
        if (state != Transitions.C_SEND_KEY_EXCHANGE || !proxyInfoReceived) {
            return fail(AlertDescription.INTERNAL_ERROR, "DEC-8");
        }
        if (!ok) {
            return fail(alertIfNot, requirementIfNot);
        }
        proxyInfoVerified = true;
        return NO_ALERT;
    }

    /** Only now may the client send ClientKeyExchange (DEC-8, RFC5246-7.4.7). */
    public boolean mayReleaseKeyMaterial() {
        return state == Transitions.C_SEND_KEY_EXCHANGE
                && serverCertificateVerified
                && serverKeyExchangeVerified
                && (!proxyInfoReceived || proxyInfoVerified);
    }

    /** The client sent ClientKeyExchange, ChangeCipherSpec and Finished. */
    public int onKeyMaterialSent() {
        if (!mayReleaseKeyMaterial()) {
            return fail(AlertDescription.INTERNAL_ERROR, "DEC-8");
        }
        keyMaterialSent = true;
        state = Transitions.C_WAIT_CHANGE_CIPHER_SPEC;
        return NO_ALERT;
    }

    public int onChangeCipherSpec() {
        if (state != Transitions.C_WAIT_CHANGE_CIPHER_SPEC) {
            return fail(AlertDescription.UNEXPECTED_MESSAGE, "RFC5246-7.1");
        }
        state = Transitions.C_WAIT_FINISHED;
        return NO_ALERT;
    }

    /** RFC5246-7.4.9: a wrong verify_data is decrypt_error. */
    public int onServerFinished(boolean verifyDataOk) {
        if (state != Transitions.C_WAIT_FINISHED) {
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
    public int onHelloRequest() {
        return AlertDescription.NO_RENEGOTIATION;
    }

    /** The Commit claim is allowed only here: the server's Finished verified. */
    public boolean isEstablished() {
        return state == Transitions.C_ESTABLISHED;
    }

    public void onCloseNotify() {
        if (state != Transitions.C_FAILED) {
            state = Transitions.C_CLOSED;
        }
    }

    /** The peer sent a fatal alert, or the transport broke: no further processing. */
    public void onAbort() {
        state = Transitions.C_FAILED;
    }
}
