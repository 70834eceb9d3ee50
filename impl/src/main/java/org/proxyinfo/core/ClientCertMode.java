package org.proxyinfo.core;

/**
 * DEC-23, the client-certificate mode through a proxy (draft -01 section 3.2), as three small
 * decisions over facts the imperative shell computes from this connection
 * ({@code org.proxyinfo.clientcert}). Every encoding of the mode is a DEVIATION (DEC-23), see
 * {@code impl/CLIENTCERT.md}.
 *
 * <ul>
 *   <li><b>client</b> ({@link #maySignProxyCertVerify}): the client signs a ProxyCertVerify only where
 *       it may sign its own CertificateVerify ({@code ClientHandshake.maySignCertificateVerify}: a
 *       proxy that passed DEC-9 and an ACCEPTED ProxyInfo decision, which includes the origin's chain
 *       and name, DEC-10), and only over the session-#2 server_random that accepted assertion carries,
 *       a 32-byte nonce, and the session-#1 certificate it checked.</li>
 *   <li><b>proxy</b> (an instance, one per client connection; 01-R15): the proxy forwards a client
 *       identity to the server (completes session #2 with it) only after the client's CertificateVerify
 *       on session #1 verified with the key of the chain it forwards and the client sent a ProxyCertVerify;
 *       on a failure it abandons both sessions, with the one alert decided here.</li>
 *   <li><b>server</b> ({@link #serverDecision}; 01-R14, 01-R16): the server accepts a proxied client
 *       only if the proxy is one it accepts, the proxy's own signature verified, the client's chain
 *       validated against its client trust, and the client's ProxyCertVerify verified over the
 *       server's own nonce of this session; otherwise access_denied, decrypt_error, bad_certificate or
 *       decrypt_error, in that order.</li>
 * </ul>
 *
 * KeY's Java subset (DESIGN.md): int constants, no JDK types beyond java.lang.
 */
public final class ClientCertMode {
    public static final int NO_ALERT = -1;

    /** Proxy: waiting for the client's Certificate, CertificateVerify and ProxyCertVerify on session #1. */
    public static final int P_WAIT_CLIENT = 0;
    /** Proxy: the client's identity may go to the server (01-R15 passed). */
    public static final int P_FORWARD = 1;
    /** Proxy: session #2 completed with the forwarded identity. */
    public static final int P_UPSTREAM_DONE = 2;
    /** Proxy: both sessions abandoned (01-R15), with {@link #alert}. */
    public static final int P_ABORTED = 3;

    private /*@ spec_public @*/ int state;
    private /*@ spec_public @*/ int alert;
    private /*@ spec_public @*/ int fatalAlerts;
    /** 01-R15: the client's session-#1 CertificateVerify verified with the leaf key of the chain it sent. */
    private /*@ spec_public @*/ boolean clientCertificateVerifyOk;
    /** DEC-23: the client sent a ProxyCertVerify (in its SupplementalData) to be forwarded. */
    private /*@ spec_public @*/ boolean proxyCertVerifyReceived;

    /*@ public invariant P_WAIT_CLIENT <= state && state <= P_ABORTED;
      @ public invariant fatalAlerts == 0 || fatalAlerts == 1;
      @ public invariant (fatalAlerts == 0) <==> (alert == NO_ALERT);
      @ // DEC-21: an abort is exactly one fatal alert, on both sessions (01-R15)
      @ public invariant (state == P_ABORTED) <==> (fatalAlerts == 1);
      @ public invariant fatalAlerts == 1 ==> alert >= 0;
      @ // 01-R15: a client identity goes upstream only after its CertificateVerify verified on session #1
      @ public invariant (state == P_FORWARD || state == P_UPSTREAM_DONE)
      @     ==> (clientCertificateVerifyOk && proxyCertVerifyReceived);
      @*/

    /*@ public normal_behavior
      @ ensures state == P_WAIT_CLIENT && fatalAlerts == 0 && alert == NO_ALERT;
      @ ensures !clientCertificateVerifyOk && !proxyCertVerifyReceived;
      @*/
    public ClientCertMode() {
        this.state = P_WAIT_CLIENT;
        this.alert = NO_ALERT;
        this.fatalAlerts = 0;
        this.clientCertificateVerifyOk = false;
        this.proxyCertVerifyReceived = false;
    }

    public int state() { return state; }

    public int alert() { return alert; }

    /*@ private normal_behavior
      @ // DEC-21, 01-R15: one fatal alert, the first decided, ends both sessions
      @ requires alertCode >= 0;
      @ assignable state, alert, fatalAlerts;
      @ ensures state == P_ABORTED && fatalAlerts == 1 && \result == alert;
      @ ensures \old(fatalAlerts) == 0 ==> alert == alertCode;
      @ ensures \old(fatalAlerts) == 1 ==> alert == \old(alert);
      @*/
    private int fail(int alertCode) {
        state = P_ABORTED;
        if (fatalAlerts == 0) {
            fatalAlerts = 1;
            alert = alertCode;
        }
        return alert;
    }

    /**
     * Proxy, 01-R15: the client's session-#1 Certificate, CertificateVerify and SupplementalData arrived.
     * @param clientChainPresent the client sent a non-empty Certificate
     * @param proxyCertVerifyPresent the client's SupplementalData carried a ProxyCertVerify entry
     * @param certificateVerifyOk the client's CertificateVerify verified over session #1's transcript with its leaf key
     */
    /*@ public normal_behavior
      @ // 01-R15, DEC-23: the client's identity is forwarded only after its CertificateVerify verified; else both
      @ // sessions are abandoned with one alert (DEC-21): bad_certificate without a chain or ProxyCertVerify,
      @ // decrypt_error for a CertificateVerify that does not verify
      @ assignable state, alert, fatalAlerts, clientCertificateVerifyOk, proxyCertVerifyReceived;
      @ ensures \result == NO_ALERT ==> (\old(state) == P_WAIT_CLIENT && state == P_FORWARD && clientChainPresent
      @     && proxyCertVerifyPresent && certificateVerifyOk && clientCertificateVerifyOk && proxyCertVerifyReceived);
      @ ensures \result != NO_ALERT ==> (state == P_ABORTED && \result == alert && fatalAlerts == 1);
      @ ensures \old(fatalAlerts) == 0 && \old(state) != P_WAIT_CLIENT ==> \result == AlertDescription.UNEXPECTED_MESSAGE;
      @ ensures \old(fatalAlerts) == 0 && \old(state) == P_WAIT_CLIENT && !(clientChainPresent && proxyCertVerifyPresent)
      @     ==> \result == AlertDescription.BAD_CERTIFICATE;
      @ ensures \old(fatalAlerts) == 0 && \old(state) == P_WAIT_CLIENT && clientChainPresent && proxyCertVerifyPresent
      @     && !certificateVerifyOk ==> \result == AlertDescription.DECRYPT_ERROR;
      @*/
    public int onClientAuthentication(boolean clientChainPresent, boolean proxyCertVerifyPresent, boolean certificateVerifyOk) {
        if (state != P_WAIT_CLIENT) {
            return fail(AlertDescription.UNEXPECTED_MESSAGE);
        }
        if (!clientChainPresent || !proxyCertVerifyPresent) {
            return fail(AlertDescription.BAD_CERTIFICATE);
        }
        if (!certificateVerifyOk) {
            return fail(AlertDescription.DECRYPT_ERROR);
        }
        clientCertificateVerifyOk = true;
        proxyCertVerifyReceived = true;
        state = P_FORWARD;
        return NO_ALERT;
    }

    /** Proxy, 01-R15: may session #2 go on with the client's identity (SupplementalData, Certificate, CertificateVerify)? */
    /*@ public normal_behavior
      @ // 01-R15: never a client identity whose session-#1 CertificateVerify failed
      @ ensures \result ==> (state == P_FORWARD && clientCertificateVerifyOk && proxyCertVerifyReceived);
      @ ensures state == P_FORWARD ==> \result;
      @*/
    public /*@ pure @*/ boolean mayForwardClientIdentity() {
        return state == P_FORWARD && clientCertificateVerifyOk && proxyCertVerifyReceived;
    }

    /** Proxy: session #2 completed (its Finished verified) with the forwarded identity; or it failed. */
    /*@ public normal_behavior
      @ assignable state, alert, fatalAlerts;
      @ ensures \result == NO_ALERT ==> (\old(state) == P_FORWARD && upstreamEstablished && state == P_UPSTREAM_DONE
      @     && clientCertificateVerifyOk);
      @ ensures \result != NO_ALERT ==> (state == P_ABORTED && \result == alert && fatalAlerts == 1);
      @ ensures \old(fatalAlerts) == 0 && \old(state) != P_FORWARD ==> \result == AlertDescription.INTERNAL_ERROR;
      @ // 01-R15: a server that refused the forwarded identity ends session #1 too
      @ ensures \old(fatalAlerts) == 0 && \old(state) == P_FORWARD && !upstreamEstablished
      @     ==> \result == AlertDescription.HANDSHAKE_FAILURE;
      @*/
    public int onUpstreamCompleted(boolean upstreamEstablished) {
        if (state != P_FORWARD) {
            return fail(AlertDescription.INTERNAL_ERROR);
        }
        if (!upstreamEstablished) {
            return fail(AlertDescription.HANDSHAKE_FAILURE);
        }
        state = P_UPSTREAM_DONE;
        return NO_ALERT;
    }

    /** Proxy: may session #1 be finished (the proxy's Finished to the client)? Only over a completed session #2. */
    /*@ public normal_behavior
      @ // DEC-23, 01-R15: session #1 is finished only over a session #2 completed with a verified client identity
      @ ensures \result <==> (state == P_UPSTREAM_DONE);
      @ ensures \result ==> clientCertificateVerifyOk;
      @*/
    public /*@ pure @*/ boolean mayFinishDownstream() {
        return state == P_UPSTREAM_DONE;
    }

    /**
     * Client, DEC-23: may the client sign a ProxyCertVerify?
     * @param maySignCertificateVerify {@code ClientHandshake.maySignCertificateVerify(decision)} for this connection
     *        (DEC-8 composition: the proxy passed DEC-9 and the ProxyInfo decision, with the origin's chain, is ACCEPTED)
     * @param serverRandomAsserted the server_random to sign is the one the accepted assertion carries (session #2's)
     * @param nonceWellFormed the server's nonce, as the proxy passed it on, is 32 bytes
     * @param proxyCertificateChecked the proxy certificate to sign is the session-#1 certificate DEC-9 accepted
     */
    /*@ public normal_behavior
      @ // DEC-23, DEC-9, DEC-10: the client signs only for a proxy that passed DEC-9 and a server it validated
      @ ensures \result <==> (maySignCertificateVerify && serverRandomAsserted && nonceWellFormed && proxyCertificateChecked);
      @*/
    public static /*@ pure @*/ boolean maySignProxyCertVerify(boolean maySignCertificateVerify, boolean serverRandomAsserted,
                                                          boolean nonceWellFormed, boolean proxyCertificateChecked) {
        return maySignCertificateVerify && serverRandomAsserted && nonceWellFormed && proxyCertificateChecked;
    }

    /**
     * Proxy, DEC-23 ("the proxy learns that the server wants a client certificate from CertificateRequest on session
     * #2"): may the proxy abandon this ordinary session #2 at the origin's CertificateRequest, before answering it
     * (no Certificate, no key material goes upstream), and open a second session #2 in the client-certificate mode?
     * @param clientOfferedMode the client's session-#1 ClientHello carried client_cert_mode (it holds a certificate)
     * @param clientOfferedProxyInfo the client's session-#1 ClientHello carried proxy_info (never when minting, DEC-17)
     * @param upstreamValidated this session #2's chain is the one the proxy's verifier accepted for the intended host
     *        and its ServerKeyExchange verified (DEC-15)
     * @param certificateRequested this session #2 received a CertificateRequest (RFC5246-7.4.4)
     * @param retried a session #2 of this client connection was abandoned already (at most one retry)
     */
    /*@ public normal_behavior
      @ // DEC-23, DEC-15, DEC-17: learned from a validated session #2's CertificateRequest, for a client offering the
      @ // mode and proxy_info; at most one second session #2 per client connection
      @ ensures \result <==> (clientOfferedMode && clientOfferedProxyInfo && upstreamValidated && certificateRequested && !retried);
      @*/
    public static /*@ pure @*/ boolean proxyLearnsMode(boolean clientOfferedMode, boolean clientOfferedProxyInfo,
                                                   boolean upstreamValidated, boolean certificateRequested, boolean retried) {
        if (retried) {
            return false;
        }
        return clientOfferedMode && clientOfferedProxyInfo && upstreamValidated && certificateRequested;
    }

    /**
     * Server, 01-R14 and 01-R16: does the server accept the client identity the proxy forwarded on session #2?
     * @param proxyAccepted the proxy's session-#2 certificate validated against the server's accepted-proxy trust
     *        and is the certificate in its proxy_to_server ProxyInfo
     * @param proxySignatureOk the proxy's own CertificateVerify over session #2's handshake verified
     * @param clientChainOk the forwarded client chain validated (PKIX) against the server's client trust
     * @param proxyCertVerifyOk the client's ProxyCertVerify verified with that chain's leaf key over this
     *        session's server_random, the server's own nonce of this session, and the proxy's certificate
     * @return NO_ALERT, or the fatal alert (DEC-21)
     */
    /*@ public normal_behavior
      @ // 01-R14, 01-R16, DEC-23: a proxied client is accepted only if its chain, its signature over this session's nonce
      @ // and the proxy's acceptability all passed
      @ ensures (\result == NO_ALERT) <==> (proxyAccepted && proxySignatureOk && clientChainOk && proxyCertVerifyOk);
      @ ensures !proxyAccepted ==> \result == AlertDescription.ACCESS_DENIED;
      @ ensures proxyAccepted && !proxySignatureOk ==> \result == AlertDescription.DECRYPT_ERROR;
      @ ensures proxyAccepted && proxySignatureOk && !clientChainOk ==> \result == AlertDescription.BAD_CERTIFICATE;
      @ ensures proxyAccepted && proxySignatureOk && clientChainOk && !proxyCertVerifyOk
      @     ==> \result == AlertDescription.DECRYPT_ERROR;
      @*/
    public static /*@ pure @*/ int serverDecision(boolean proxyAccepted, boolean proxySignatureOk, boolean clientChainOk,
                                                  boolean proxyCertVerifyOk) {
        if (!proxyAccepted) {
            return AlertDescription.ACCESS_DENIED;
        }
        if (!proxySignatureOk) {
            return AlertDescription.DECRYPT_ERROR;
        }
        if (!clientChainOk) {
            return AlertDescription.BAD_CERTIFICATE;
        }
        if (!proxyCertVerifyOk) {
            return AlertDescription.DECRYPT_ERROR;
        }
        return NO_ALERT;
    }
}
