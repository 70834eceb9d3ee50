package org.proxyinfo.core;

/**
 * The server's TLS 1.2 handshake decisions (RFC 5246 §7.3, ECDHE, no client authentication, no
 * resumption or renegotiation: DEC-20), as a small state machine over facts from the shell.
 * Each {@code on...} method returns {@link #NO_ALERT} or the fatal alert to send (DEC-21), and
 * then the state is {@code S_FAILED} and {@link #failedRequirement} names the requirement.
 *
 * Security meaning: the server reaches ESTABLISHED (and may signal Running) only after a
 * ClientHello it could serve, a key exchange and a verified client Finished (RFC5246-7.4.9).
 * DEC-19: a plain server ignores proxy_info; nothing here depends on it.
 *
 * KeY's Java subset: int states, no generics, no JDK types beyond java.lang.String.
 */
public final class ServerHandshake {
    public static final int NO_ALERT = -1;
    public static final int TLS12 = 0x0303;

    public int state;
    public int alert;
    public String failedRequirement;

    /** Configuration: refuse clients that do not offer extended_master_secret (RFC7627-5.3). */
    public boolean requireExtendedMasterSecret;

    public boolean extendedMasterSecret;
    public boolean clientFinishedVerified;

    public ServerHandshake(boolean requireExtendedMasterSecret) {
        this.state = Transitions.S_WAIT_CLIENT_HELLO;
        this.alert = NO_ALERT;
        this.failedRequirement = null;
        this.requireExtendedMasterSecret = requireExtendedMasterSecret;
    }

    private int fail(int alertCode, String requirement) {
        state = Transitions.S_FAILED;
        alert = alertCode;
        failedRequirement = requirement;
        return alertCode;
    }

    /** RFC5246-7.4 / DEC-21: a message the transition table does not allow here is unexpected_message. */
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
        state = Transitions.S_SEND_FLIGHT;
        return NO_ALERT;
    }

    /** ServerHello, Certificate, ServerKeyExchange, ServerHelloDone were sent. */
    public int onServerFlightSent() {
        if (state != Transitions.S_SEND_FLIGHT) {
            return fail(AlertDescription.INTERNAL_ERROR, "RFC5246-7.3");
        }
        state = Transitions.S_WAIT_CLIENT_KEY_EXCHANGE;
        return NO_ALERT;
    }

    /** RFC8422-5.7: the client's ECDH public value was valid for the group (else illegal_parameter). */
    public int onClientKeyExchange(boolean publicValueValid) {
        if (state != Transitions.S_WAIT_CLIENT_KEY_EXCHANGE) {
            return fail(AlertDescription.UNEXPECTED_MESSAGE, "RFC5246-7.4");
        }
        if (!publicValueValid) {
            return fail(AlertDescription.ILLEGAL_PARAMETER, "RFC8422-5.7");
        }
        state = Transitions.S_WAIT_CHANGE_CIPHER_SPEC;
        return NO_ALERT;
    }

    public int onChangeCipherSpec() {
        if (state != Transitions.S_WAIT_CHANGE_CIPHER_SPEC) {
            return fail(AlertDescription.UNEXPECTED_MESSAGE, "RFC5246-7.1");
        }
        state = Transitions.S_WAIT_FINISHED;
        return NO_ALERT;
    }

    /** RFC5246-7.4.9: a wrong verify_data is decrypt_error. */
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
    public int onClientHelloWhileEstablished() {
        return AlertDescription.NO_RENEGOTIATION;
    }

    public boolean isEstablished() {
        return state == Transitions.S_ESTABLISHED;
    }

    public void onCloseNotify() {
        if (state != Transitions.S_FAILED) {
            state = Transitions.S_CLOSED;
        }
    }

    public void onAbort() {
        state = Transitions.S_FAILED;
    }
}
