package org.proxyinfo.core;

/**
 * DEC-22: the resumption decisions (session IDs only, RFC 5246 section 7.4.1.2; the EMS rules of
 * RFC 7627 section 5.3; the draft's proxy rules 01-R1..R4, which are stronger than 00-R1..R3), as
 * pure functions of facts the shell computed from this connection and its session caches. The
 * roles ask these before they act: the server before it echoes a session_id, the client before
 * it accepts an abbreviated handshake, the proxy before it offers a session-#2 ID upstream and
 * before it resumes session #1.
 *
 * KeY's Java subset: static int/boolean functions, no JDK types.
 */
public final class Resumption {
    private Resumption() { }

    public static final int NO_ALERT = -1;
    /** A full handshake (RFC 5246 section 7.3 Figure 1). */
    public static final int FULL = 0;
    /** An abbreviated handshake on a cached session (RFC 5246 section 7.3 Figure 2). */
    public static final int RESUME = 1;

    /**
     * Server (and a proxy's session #1 before the coupling): may the ClientHello's session_id be
     * resumed? Only a cached session of this server whose lifetime has not run out, for the same
     * server_name, whose cipher suite the client offers again, and only when the original session
     * and this ClientHello both have extended_master_secret (RFC7627-5.3: no EMS in the original
     * or in the new hello: a full handshake).
     */
    /*@ public normal_behavior
      @ // RFC5246-7.4.1.2, RFC7627-5.3, DEC-22: resume only a known, unexpired session of the same host and suite, with EMS
      @ ensures \result == RESUME <==> (cached && unexpired && sameHost && suiteOffered && originalEms && emsOffered);
      @ ensures \result == RESUME || \result == FULL;
      @*/
    public static /*@ pure @*/ int serverDecision(boolean cached, boolean unexpired, boolean sameHost, boolean suiteOffered,
                                                  boolean originalEms, boolean emsOffered) {
        if (cached && unexpired && sameHost && suiteOffered && originalEms && emsOffered) {
            return RESUME;
        }
        return FULL;
    }

    /**
     * RFC7627-5.3: "If the original session used the extended_master_secret extension but the new
     * ClientHello does not contain it, the server MUST abort the abbreviated handshake." Any other
     * case: no alert (a full handshake or a resumption).
     */
    /*@ public normal_behavior
      @ // RFC7627-5.3: an EMS session resumed by a hello without EMS is a handshake_failure
      @ ensures \result == ((cached && unexpired && sameHost && suiteOffered && originalEms && !emsOffered)
      @     ? AlertDescription.HANDSHAKE_FAILURE : NO_ALERT);
      @*/
    public static /*@ pure @*/ int serverAlert(boolean cached, boolean unexpired, boolean sameHost, boolean suiteOffered,
                                               boolean originalEms, boolean emsOffered) {
        if (cached && unexpired && sameHost && suiteOffered && originalEms && !emsOffered) {
            return AlertDescription.HANDSHAKE_FAILURE;
        }
        return NO_ALERT;
    }

    /**
     * Client: the ServerHello echoed the session_id the client offered, so the server resumes
     * (RFC5246-7.4.1.3). The client accepts only the cached session's parameters: TLS 1.2, the
     * cached cipher suite and compression (illegal_parameter), only extensions it offered,
     * renegotiation_info empty, the same EMS state as the original session (RFC7627-5.3, both ways:
     * handshake_failure), and a ProxyInfo exactly when the cached session was proxied (DEC-22: a
     * missing ProxyInfo on a resumed proxied session is handshake_failure; a ProxyInfo on a
     * resumed direct session is illegal_parameter, project reading of DEC-22/DEC-13).
     */
    /*@ public normal_behavior
      @ // RFC5246-7.4.1.3, RFC7627-5.3, DEC-22
      @ ensures \result == NO_ALERT <==> (versionOk && suiteSame && compressionSame && extensionsSolicited && renegotiationInfoOk
      @     && originalEms == emsNegotiated && cachedProxied == proxyInfoPresent);
      @ ensures !versionOk ==> \result == AlertDescription.PROTOCOL_VERSION;
      @ ensures \result == NO_ALERT || \result >= 0;
      @ ensures versionOk && (!suiteSame || !compressionSame) ==> \result == AlertDescription.ILLEGAL_PARAMETER;
      @ // RFC5246-7.4.1.4, RFC5746-3.4: as in a full handshake
      @ ensures versionOk && suiteSame && compressionSame && !extensionsSolicited ==> \result == AlertDescription.UNSUPPORTED_EXTENSION;
      @ ensures versionOk && suiteSame && compressionSame && extensionsSolicited && !renegotiationInfoOk
      @     ==> \result == AlertDescription.HANDSHAKE_FAILURE;
      @ ensures versionOk && suiteSame && compressionSame && extensionsSolicited && renegotiationInfoOk
      @     && originalEms != emsNegotiated ==> \result == AlertDescription.HANDSHAKE_FAILURE;
      @ // DEC-22: a resumed proxied session without ProxyInfo is handshake_failure
      @ ensures versionOk && suiteSame && compressionSame && extensionsSolicited && renegotiationInfoOk
      @     && originalEms == emsNegotiated && cachedProxied && !proxyInfoPresent ==> \result == AlertDescription.HANDSHAKE_FAILURE;
      @ ensures versionOk && suiteSame && compressionSame && extensionsSolicited && renegotiationInfoOk
      @     && originalEms == emsNegotiated && !cachedProxied && proxyInfoPresent ==> \result == AlertDescription.ILLEGAL_PARAMETER;
      @*/
    public static /*@ pure @*/ int clientServerHelloAlert(boolean versionOk, boolean suiteSame, boolean compressionSame,
                                                          boolean extensionsSolicited, boolean renegotiationInfoOk,
                                                          boolean originalEms, boolean emsNegotiated,
                                                          boolean cachedProxied, boolean proxyInfoPresent) {
        if (!versionOk) {
            return AlertDescription.PROTOCOL_VERSION;
        }
        if (!suiteSame || !compressionSame) {
            return AlertDescription.ILLEGAL_PARAMETER;
        }
        if (!extensionsSolicited) {
            return AlertDescription.UNSUPPORTED_EXTENSION;
        }
        if (!renegotiationInfoOk) {
            return AlertDescription.HANDSHAKE_FAILURE;
        }
        if (originalEms != emsNegotiated) {
            return AlertDescription.HANDSHAKE_FAILURE;
        }
        if (cachedProxied && !proxyInfoPresent) {
            return AlertDescription.HANDSHAKE_FAILURE;
        }
        if (!cachedProxied && proxyInfoPresent) {
            return AlertDescription.ILLEGAL_PARAMETER;
        }
        return NO_ALERT;
    }

    /**
     * Client, abbreviated handshake of a proxied session (DEC-22): the fresh ProxyInfo of this
     * ServerHello is accepted only if its signature (over this connection's randoms, DEC-5/5a)
     * verifies with the proxy key of the cached session (decrypt_error), the reported server chain
     * is the cached one, byte for byte, every hop included (illegal_parameter), and the reported
     * upstream parameters still pass the client's policy (DEC-11: insufficient_security).
     */
    /*@ public normal_behavior
      @ // DEC-22, DEC-8, DEC-11: a resumed proxied session keeps the cached proxy key and the cached server chain
      @ ensures \result == NO_ALERT <==> (signatureOk && chainUnchanged && parametersOk);
      @ ensures !signatureOk ==> \result == AlertDescription.DECRYPT_ERROR;
      @ ensures signatureOk && !chainUnchanged ==> \result == AlertDescription.ILLEGAL_PARAMETER;
      @ ensures signatureOk && chainUnchanged && !parametersOk ==> \result == AlertDescription.INSUFFICIENT_SECURITY;
      @*/
    public static /*@ pure @*/ int clientProxyInfoAlert(boolean signatureOk, boolean chainUnchanged, boolean parametersOk) {
        if (!signatureOk) {
            return AlertDescription.DECRYPT_ERROR;
        }
        if (!chainUnchanged) {
            return AlertDescription.ILLEGAL_PARAMETER;
        }
        if (!parametersOk) {
            return AlertDescription.INSUFFICIENT_SECURITY;
        }
        return NO_ALERT;
    }

    /**
     * Proxy, 01-R1 (00-R1, 00-R3): offer the server the session-#2 ID linked to the session-#1 ID
     * the client offered, only when that session #1 could be resumed with the client (its
     * {@link #serverDecision} is RESUME) and the linked session #2 is still cached for the same
     * upstream host. Otherwise session #2 offers no ID (a full session #2): the proxy never
     * resumes session #2 for a client that gets a full session #1 (DEC-22: "nor the reverse").
     */
    /*@ public normal_behavior
      @ // 01-R1, 00-R1, 00-R3, DEC-22
      @ ensures \result <==> (session1Decision == RESUME && linkedCached && sameUpstreamHost);
      @*/
    public static /*@ pure @*/ boolean proxyOffersLinkedSession(int session1Decision, boolean linkedCached,
                                                                boolean sameUpstreamHost) {
        return session1Decision == RESUME && linkedCached && sameUpstreamHost;
    }

    /**
     * Proxy, 01-R2..R4 (00-R2): session #1 is resumed only if the proxy offered the linked session-#2
     * ID and the server resumed exactly that session (its ServerHello echoed the offered ID, with the
     * same server: the cached upstream host and chain). If the server declined, session #2 was a
     * full handshake and session #1 is full too (01-R3, 01-R4).
     */
    /*@ public normal_behavior
      @ // 01-R2, 00-R2: resumed with the client only if the server resumed the linked session #2 with the same server
      @ ensures \result == RESUME <==> (offeredLinked && session2Resumed && sameServer);
      @ ensures \result == RESUME || \result == FULL;
      @ // 01-R3, 01-R4: the server declined (a full session #2): session #1 is never resumed
      @ ensures !session2Resumed ==> \result == FULL;
      @*/
    public static /*@ pure @*/ int proxySession1Decision(boolean offeredLinked, boolean session2Resumed, boolean sameServer) {
        if (offeredLinked && session2Resumed && sameServer) {
            return RESUME;
        }
        return FULL;
    }
}
