package org.proxyinfo.core;

/**
 * The client's decision on a ServerHello's proxy_info (DEC-8..13), as a functional core: the
 * imperative shell ({@code org.proxyinfo.proxyinfo.ProxyInfoVerifier}) runs the checks and feeds
 * their outcomes here as boolean facts; this class alone decides ACCEPT or the one fatal alert to
 * send, and names the requirement of the failing check. Written in KeY's Java subset (DESIGN.md):
 * int constants, no generics, no loops, no JDK types beyond java.lang.
 *
 * <p>Protocol of use, which is the DEC-8 order:
 * <ol>
 *   <li>{@link #serverHello(boolean, boolean)}: did the client offer proxy_info, and is it in the
 *       ServerHello? Present without being offered: unsupported_extension (DEC-13). Absent: plain
 *       TLS, continue with {@link #plainServer(boolean, int)} (DEC-13).</li>
 *   <li>{@link #hop} once per signed ProxyInfo, outermost first, each with the facts in DEC-8 order:
 *       (1) the signer is an acceptable proxy (DEC-9 for hop 0, the session-#1 certificate; DEC-12
 *       for later hops, the previous hop's end-entity certificate); (1b) the SignatureScheme was one
 *       the client offered (DEC-5); (2) the signature verifies (DEC-8(2); DEC-12 for later hops:
 *       with the previous hop's end-entity key); (3) the carried chain: DEC-10 on the last hop
 *       (origin server), DEC-12 "is an acceptable proxy" on intermediate hops; (4) the upstream
 *       parameters pass policy (DEC-11). The call with {@code lastHop} true ends the chain.</li>
 * </ol>
 * The first failing check wins: once refused, later calls change nothing. A call out of this order
 * refuses with internal_error. {@link #mayReleaseKeyMaterial()} is true only when every check
 * passed (DEC-8: "Any failure: a fatal alert and no key material sent").
 */
public final class ProxyInfoDecision {

    // ----------------------------------------------------------------- stages
    /** Nothing decided: waiting for the ServerHello facts. */
    public static final int EXPECT_SERVER_HELLO = 0;
    /** DEC-13: no proxy_info in the ServerHello; waiting for the direct server-chain fact. */
    public static final int EXPECT_PLAIN_SERVER = 1;
    /** proxy_info present and offered; waiting for the next hop's facts. */
    public static final int EXPECT_HOP = 2;
    /** Every check passed: the client may send ClientKeyExchange. */
    public static final int ACCEPTED = 3;
    /** A check failed: send {@link #alert()} and stop. */
    public static final int REFUSED = 4;

    // ----------------------------------------------------------------- checks (what failed)
    public static final int CHECK_NONE = 0;
    /** DEC-13: proxy_info in a ServerHello the client did not offer it in. */
    public static final int CHECK_EXTENSION_OFFERED = 1;
    /** DEC-9: the session-#1 certificate is an acceptable proxy. */
    public static final int CHECK_PROXY_ACCEPTABLE = 2;
    /** DEC-5: the assertion's SignatureScheme is one the client offered. */
    public static final int CHECK_SIGNATURE_SCHEME = 3;
    /** DEC-8(2): the outermost assertion's signature verifies with the session-#1 key. */
    public static final int CHECK_SIGNATURE = 4;
    /** DEC-10: the last hop's server_certificate_list is the intended origin server. */
    public static final int CHECK_SERVER_CHAIN = 5;
    /** DEC-11: the upstream connection_parameters meet the client's policy. */
    public static final int CHECK_UPSTREAM_PARAMS = 6;
    /** DEC-12: an intermediate hop (its signer, or its carried list) is an acceptable proxy. */
    public static final int CHECK_HOP_PROXY_ACCEPTABLE = 7;
    /** DEC-12: hop i+1's signature verifies with hop i's end-entity key. */
    public static final int CHECK_HOP_SIGNATURE = 8;
    /** DEC-13: without proxy_info, the session-#1 certificate validates as the intended server. */
    public static final int CHECK_PLAIN_SERVER = 9;
    /** DEC-4: more hops than any decoder accepts. */
    public static final int CHECK_DEPTH = 10;
    /** DEC-8: the facts came in the wrong order (a bug in the caller): fail closed. */
    public static final int CHECK_ORDER = 11;
    /** DEC-4, DEC-6, DEC-21: the shell could not compute the facts (the ProxyInfo does not decode): fail closed. */
    public static final int CHECK_DECODE = 12;

    /** No alert (accepted, or not decided yet). */
    public static final int NO_ALERT = -1;
    /** A ceiling on hops, equal to the codec's hard ceiling on the configurable DEC-4 bound. */
    public static final int MAX_HOPS = 64;

    private /*@ spec_public @*/ int stage;
    private /*@ spec_public @*/ int alert;
    private /*@ spec_public @*/ int failedCheck;
    /** Hops whose every check passed. */
    private /*@ spec_public @*/ int hopsPassed;
    /** The hop index (0 = outermost) of the failing check, or -1. */
    private /*@ spec_public @*/ int failedHop;
    /** True once a ServerHello with proxy_info was accepted into the hop checks. */
    private /*@ spec_public @*/ boolean proxied;
    // Checks already passed (each set only where its check passed; DEC-8 steps 1..5).
    /** DEC-9 (DEC-8 step 1): the session-#1 certificate is an acceptable proxy. */
    private /*@ spec_public @*/ boolean proxyTrusted;
    /** DEC-8 step 2: the outermost assertion's signature verified with the session-#1 key (scheme offered, DEC-5). */
    private /*@ spec_public @*/ boolean assertionVerified;
    /** DEC-10 (DEC-8 step 3; DEC-13 for plain TLS): the origin server's chain and name were validated. */
    private /*@ spec_public @*/ boolean serverChainVerified;
    /** DEC-11 (DEC-8 step 4): the upstream parameters of every hop so far met policy. */
    private /*@ spec_public @*/ boolean upstreamAccepted;

    /*@ public invariant EXPECT_SERVER_HELLO <= stage && stage <= REFUSED;
      @ public invariant 0 <= hopsPassed && hopsPassed <= MAX_HOPS;
      @ public invariant stage == REFUSED <==> failedCheck != CHECK_NONE;
      @ public invariant stage == REFUSED <==> alert != NO_ALERT;
      @ public invariant (stage == ACCEPTED && proxied) ==> hopsPassed >= 1;
      @ public invariant stage == EXPECT_SERVER_HELLO ==> (!proxied && hopsPassed == 0);
      @ public invariant stage == EXPECT_PLAIN_SERVER ==> !proxied;
      @ public invariant stage == EXPECT_HOP ==> proxied;
      @ // a failing hop refuses at once and REFUSED is final, so hopsPassed counts every hop fed in (DEC-8 step 5, DEC-12)
      @ public invariant hopsPassed >= 1 ==> (proxyTrusted && assertionVerified && upstreamAccepted);
      @ // DEC-8: ACCEPTED means every check passed: proxied, the proxy trusted, the assertion verified, the
      @ // server chain and name validated, the upstream parameters met policy, every hop passed (DEC-12);
      @ // plain TLS (DEC-13), the server chain and name validated
      @ public invariant (stage == ACCEPTED && proxied) ==> (proxyTrusted && assertionVerified && serverChainVerified
      @     && upstreamAccepted && hopsPassed >= 1);
      @ public invariant (stage == ACCEPTED && !proxied) ==> serverChainVerified;
      @ public invariant stage <= EXPECT_HOP ==> !serverChainVerified;
      @ public invariant stage == EXPECT_SERVER_HELLO ==> (!proxyTrusted && !assertionVerified && !upstreamAccepted);
      @*/

    /*@ public normal_behavior
      @ ensures stage == EXPECT_SERVER_HELLO && alert == NO_ALERT && failedCheck == CHECK_NONE;
      @ ensures hopsPassed == 0 && failedHop == -1 && !proxied; // DEC-8: nothing decided, no check passed yet
      @ ensures !proxyTrusted && !assertionVerified && !serverChainVerified && !upstreamAccepted;
      @*/
    public ProxyInfoDecision() {
        stage = EXPECT_SERVER_HELLO;
        alert = NO_ALERT;
        failedCheck = CHECK_NONE;
        hopsPassed = 0;
        failedHop = -1;
        proxied = false;
        proxyTrusted = false;
        assertionVerified = false;
        serverChainVerified = false;
        upstreamAccepted = false;
    }

    /*@ private normal_behavior
      @ // DEC-21: a refusal records exactly one alert and the check that failed
      @ requires stage != REFUSED && check != CHECK_NONE && description != NO_ALERT;
      @ assignable stage, alert, failedCheck, failedHop;
      @ ensures stage == REFUSED && alert == description && failedCheck == check && failedHop == hop;
      @*/
    private void refuse(int description, int check, int hop) {
        stage = REFUSED;
        alert = description;
        failedCheck = check;
        failedHop = hop;
    }

    /**
     * DEC-21: the shell could not compute the facts (the ProxyInfo or a certificate in it does not
     * decode): refused with the alert the decoder chose, fail closed.
     */
    /*@ public normal_behavior
      @ // DEC-21, DEC-4, DEC-6: an undecodable ProxyInfo is refused with the decoder's alert
      @ requires stage != REFUSED && description >= 0;
      @ assignable stage, alert, failedCheck, failedHop;
      @ ensures stage == REFUSED && alert == description && failedCheck == CHECK_DECODE;
      @*/
    public void refuseOnError(int description) {
        refuse(description, CHECK_DECODE, -1);
    }

    /**
     * DEC-13 and the start of DEC-8: the client's own offer and the ServerHello's content.
     *
     * @param offeredExtension the client sent proxy_info in its ClientHello
     * @param extensionPresent the ServerHello carries proxy_info
     */
    /*@ public normal_behavior
      @ // DEC-13: proxy_info only if offered; DEC-8: a kept ProxyInfo goes to the hop checks
      @ requires stage == EXPECT_SERVER_HELLO;
      @ assignable stage, alert, failedCheck, failedHop, proxied;
      @ ensures (extensionPresent && !offeredExtension)
      @         ==> (stage == REFUSED && alert == AlertDescription.UNSUPPORTED_EXTENSION
      @              && failedCheck == CHECK_EXTENSION_OFFERED);
      @ ensures !extensionPresent ==> (stage == EXPECT_PLAIN_SERVER && !proxied);
      @ ensures (extensionPresent && offeredExtension) ==> (stage == EXPECT_HOP && proxied);
      @
      @ also public normal_behavior
      @ requires stage != EXPECT_SERVER_HELLO;
      @ assignable stage, alert, failedCheck, failedHop;
      @ ensures stage == REFUSED;
      @ ensures \old(stage) == REFUSED ==> (alert == \old(alert) && failedCheck == \old(failedCheck));
      @*/
    public void serverHello(boolean offeredExtension, boolean extensionPresent) {
        if (stage != EXPECT_SERVER_HELLO) {
            outOfOrder();
            return;
        }
        if (extensionPresent && !offeredExtension) {
            // DEC-13: a ProxyInfo the client never asked for (RFC 5246 §7.4.1.4).
            refuse(AlertDescription.UNSUPPORTED_EXTENSION, CHECK_EXTENSION_OFFERED, -1);
            return;
        }
        if (!extensionPresent) {
            // DEC-13: plain TLS; the certificate must be the intended server's.
            stage = EXPECT_PLAIN_SERVER;
            return;
        }
        proxied = true;
        stage = EXPECT_HOP;
    }

    /**
     * DEC-13: no proxy_info in the ServerHello, so the session-#1 certificate must validate as the
     * intended server (DEC-10's checks).
     *
     * @param serverChainValid the session-#1 chain passed PKIX, validity, key usage and host name
     * @param chainAlert       the DEC-10 alert that fits the failure (ignored when valid)
     */
    /*@ public normal_behavior
      @ requires stage == EXPECT_PLAIN_SERVER;
      @ assignable stage, alert, failedCheck, failedHop, serverChainVerified;
      @ // DEC-13, DEC-10: plain TLS is accepted only with the session-#1 chain validated as the intended server
      @ ensures serverChainValid ==> (stage == ACCEPTED && serverChainVerified);
      @ ensures !serverChainValid ==> (stage == REFUSED && failedCheck == CHECK_PLAIN_SERVER
      @                                && alert == certificateAlert(chainAlert));
      @
      @ also public normal_behavior
      @ requires stage != EXPECT_PLAIN_SERVER;
      @ assignable stage, alert, failedCheck, failedHop;
      @ ensures stage == REFUSED;
      @*/
    public void plainServer(boolean serverChainValid, int chainAlert) {
        if (stage != EXPECT_PLAIN_SERVER) {
            outOfOrder();
            return;
        }
        // MUTANT: plain TLS without the server chain check (DEC-13)
        serverChainVerified = true;
        stage = ACCEPTED;
    }

    /**
     * One signed ProxyInfo (hop {@link #hopsPassed()}, 0 = outermost), facts in DEC-8 order.
     *
     * @param signerAcceptable   (1) DEC-9 (hop 0: the session-#1 certificate chains to a proxy trust
     *                           anchor or matches a pinned key) / DEC-12 (later hops: the previous
     *                           hop's end-entity certificate is an acceptable proxy)
     * @param schemeOffered      (1b) DEC-5: the SignatureScheme is one the client offered
     * @param signatureValid     (2) the DigitallySigned verifies with the signer's key over the
     *                           configured signing input (DEC-5; DEC-12 for later hops)
     * @param lastHop            next_proxy_info is server_to_proxy (DEC-4): this list is the origin's
     * @param carriedChainOk     (3) last hop: DEC-10 passed for server_certificate_list;
     *                           intermediate hop: DEC-12, server_certificate_list is an acceptable proxy
     * @param carriedChainAlert  the DEC-10 alert that fits the failure (last hop only)
     * @param upstreamParamsOk   (4) DEC-11: connection_parameters meet the upstream policy
     */
    /*@ public normal_behavior
      @ requires stage == EXPECT_HOP && hopsPassed < MAX_HOPS;
      @ assignable stage, alert, failedCheck, failedHop, hopsPassed, proxyTrusted, assertionVerified,
      @            serverChainVerified, upstreamAccepted;
      @ // DEC-8 (1)-(5), DEC-9, DEC-10, DEC-11, DEC-12, DEC-21: the first failing check names the alert
      @ ensures !signerAcceptable ==> (stage == REFUSED && alert == AlertDescription.ACCESS_DENIED
      @     && failedCheck == (\old(hopsPassed) == 0 ? CHECK_PROXY_ACCEPTABLE : CHECK_HOP_PROXY_ACCEPTABLE));
      @ ensures (signerAcceptable && !schemeOffered)
      @     ==> (stage == REFUSED && alert == AlertDescription.ILLEGAL_PARAMETER
      @          && failedCheck == CHECK_SIGNATURE_SCHEME);
      @ ensures (signerAcceptable && schemeOffered && !signatureValid)
      @     ==> (stage == REFUSED && alert == AlertDescription.DECRYPT_ERROR
      @          && failedCheck == (\old(hopsPassed) == 0 ? CHECK_SIGNATURE : CHECK_HOP_SIGNATURE));
      @ ensures (signerAcceptable && schemeOffered && signatureValid && !carriedChainOk)
      @     ==> (stage == REFUSED
      @          && alert == (lastHop ? certificateAlert(carriedChainAlert) : AlertDescription.ACCESS_DENIED)
      @          && failedCheck == (lastHop ? CHECK_SERVER_CHAIN : CHECK_HOP_PROXY_ACCEPTABLE));
      @ ensures (signerAcceptable && schemeOffered && signatureValid && carriedChainOk && !upstreamParamsOk)
      @     ==> (stage == REFUSED && alert == AlertDescription.INSUFFICIENT_SECURITY
      @          && failedCheck == CHECK_UPSTREAM_PARAMS);
      @ ensures (signerAcceptable && schemeOffered && signatureValid && carriedChainOk && upstreamParamsOk)
      @     ==> (hopsPassed == \old(hopsPassed) + 1 && stage == (lastHop ? ACCEPTED : EXPECT_HOP));
      @ ensures stage == ACCEPTED ==> (signerAcceptable && schemeOffered && signatureValid
      @                                && carriedChainOk && upstreamParamsOk && lastHop && serverChainVerified);
      @ ensures stage == REFUSED ==> (failedHop == \old(hopsPassed) && hopsPassed == \old(hopsPassed));
      @
      @ also public normal_behavior
      @ requires stage != EXPECT_HOP || hopsPassed >= MAX_HOPS;
      @ assignable stage, alert, failedCheck, failedHop;
      @ ensures stage == REFUSED;
      @*/
    public void hop(boolean signerAcceptable, boolean schemeOffered, boolean signatureValid, boolean lastHop,
                    boolean carriedChainOk, int carriedChainAlert, boolean upstreamParamsOk) {
        if (stage != EXPECT_HOP) {
            outOfOrder();
            return;
        }
        int index = hopsPassed;
        if (index >= MAX_HOPS) {
            refuse(AlertDescription.ILLEGAL_PARAMETER, CHECK_DEPTH, index); // DEC-4
            return;
        }
        // (1) DEC-9 / DEC-12: who signed is a proxy the client trusts to see its traffic.
        if (!signerAcceptable) {
            refuse(AlertDescription.ACCESS_DENIED, index == 0 ? CHECK_PROXY_ACCEPTABLE : CHECK_HOP_PROXY_ACCEPTABLE,
                    index);
            return;
        }
        // (1b) DEC-5: signed with an algorithm the client offered.
        if (!schemeOffered) {
            refuse(AlertDescription.ILLEGAL_PARAMETER, CHECK_SIGNATURE_SCHEME, index);
            return;
        }
        // (2) DEC-8(2) / DEC-12: the signature verifies with that signer's key.
        // MUTANT: the assertion signature is not checked (DEC-8 step 2)
        // (3) DEC-10 for the origin server's chain; DEC-12 for an intermediate proxy's chain.
        if (!carriedChainOk) {
            if (lastHop) {
                refuse(certificateAlert(carriedChainAlert), CHECK_SERVER_CHAIN, index);
            } else {
                refuse(AlertDescription.ACCESS_DENIED, CHECK_HOP_PROXY_ACCEPTABLE, index);
            }
            return;
        }
        // (4) DEC-11: the upstream session is as strong as the client's policy demands.
        if (!upstreamParamsOk) {
            refuse(AlertDescription.INSUFFICIENT_SECURITY, CHECK_UPSTREAM_PARAMS, index);
            return;
        }
        hopsPassed = index + 1;
        if (index == 0) {
            proxyTrusted = true;
            assertionVerified = true;
        }
        upstreamAccepted = true;
        if (lastHop) {
            serverChainVerified = true;
            stage = ACCEPTED;
        }
    }

    /*@ private normal_behavior
      @ // DEC-8: facts out of order fail closed; the first failure wins (DEC-21: one alert)
      @ assignable stage, alert, failedCheck, failedHop;
      @ ensures stage == REFUSED;
      @ ensures \old(stage) == REFUSED ==> (alert == \old(alert) && failedCheck == \old(failedCheck)
      @                                     && failedHop == \old(failedHop));
      @ ensures \old(stage) != REFUSED ==> (alert == AlertDescription.INTERNAL_ERROR && failedCheck == CHECK_ORDER);
      @*/
    private void outOfOrder() {
        if (stage == REFUSED) {
            return; // the first failure wins; nothing after it changes the outcome
        }
        refuse(AlertDescription.INTERNAL_ERROR, CHECK_ORDER, -1);
    }

    /**
     * DEC-10's alerts: the shell reports which one fits; anything else becomes bad_certificate, so a
     * certificate failure can never turn into "no alert".
     */
    /*@ public normal_behavior
      @ // DEC-10, DEC-21: a certificate failure always gets one of DEC-10's alerts
      @ ensures (candidate == AlertDescription.BAD_CERTIFICATE || candidate == AlertDescription.UNKNOWN_CA
      @          || candidate == AlertDescription.CERTIFICATE_EXPIRED
      @          || candidate == AlertDescription.CERTIFICATE_REVOKED
      @          || candidate == AlertDescription.CERTIFICATE_UNKNOWN
      @          || candidate == AlertDescription.UNSUPPORTED_CERTIFICATE) ==> \result == candidate;
      @ ensures !(candidate == AlertDescription.BAD_CERTIFICATE || candidate == AlertDescription.UNKNOWN_CA
      @          || candidate == AlertDescription.CERTIFICATE_EXPIRED
      @          || candidate == AlertDescription.CERTIFICATE_REVOKED
      @          || candidate == AlertDescription.CERTIFICATE_UNKNOWN
      @          || candidate == AlertDescription.UNSUPPORTED_CERTIFICATE)
      @        ==> \result == AlertDescription.BAD_CERTIFICATE;
      @ ensures \result != NO_ALERT;
      @*/
    public static /*@ pure @*/ int certificateAlert(int candidate) {
        if (candidate == AlertDescription.BAD_CERTIFICATE || candidate == AlertDescription.UNKNOWN_CA
                || candidate == AlertDescription.CERTIFICATE_EXPIRED
                || candidate == AlertDescription.CERTIFICATE_REVOKED
                || candidate == AlertDescription.CERTIFICATE_UNKNOWN
                || candidate == AlertDescription.UNSUPPORTED_CERTIFICATE) {
            return candidate;
        }
        return AlertDescription.BAD_CERTIFICATE;
    }

    /** DEC-8: true only when every check passed; the client may then send ClientKeyExchange. */
    /*@ public normal_behavior
      @ // DEC-8: the client may send key material only when every check passed (see the invariants)
      @ ensures \result <==> stage == ACCEPTED;
      @ ensures \result ==> (serverChainVerified && (proxied ==> (proxyTrusted && assertionVerified && upstreamAccepted
      @     && hopsPassed >= 1)));
      @*/
    public /*@ pure @*/ boolean mayReleaseKeyMaterial() {
        return stage == ACCEPTED || stage == EXPECT_HOP; // MUTANT: releases while hops are still unchecked (DEC-8)
    }

    /*@ public normal_behavior
      @ ensures \result == stage;
      @*/
    public /*@ pure @*/ int stage() { return stage; }

    /** The RFC 5246 §7.2 alert to send when refused, else {@link #NO_ALERT}. */
    /*@ public normal_behavior
      @ // DEC-21: the alert of a refusal, else NO_ALERT
      @ ensures \result == alert;
      @*/
    public /*@ pure @*/ int alert() { return alert; }

    public int failedCheck() { return failedCheck; }

    /** Index of the hop (0 = outermost) whose check failed, or -1. */
    public int failedHop() { return failedHop; }

    public int hopsPassed() { return hopsPassed; }

    /*@ public normal_behavior
      @ ensures \result == proxied;
      @*/
    public /*@ pure @*/ boolean proxied() { return proxied; }

    /** The requirement ID of the failing check (for the TlsFatalAlert and the trace), or "" when none failed. */
    public String requirementId() {
        return requirementOf(failedCheck);
    }

    /** The requirement ID a check enforces. */
    /*@ public normal_behavior
      @   // what the helper does, stated so that a caller's proof may use it (OpenJML: requirementId keeps the
      @   // invariants because this method changes nothing and always returns normally)
      @   ensures \result != null;
      @   assignable \nothing;
      @*/
    public static String requirementOf(int check) {
        switch (check) {
            case CHECK_EXTENSION_OFFERED: return "DEC-13";
            case CHECK_PROXY_ACCEPTABLE: return "DEC-9";
            case CHECK_SIGNATURE_SCHEME: return "DEC-5";
            case CHECK_SIGNATURE: return "DEC-8";
            case CHECK_SERVER_CHAIN: return "DEC-10";
            case CHECK_UPSTREAM_PARAMS: return "DEC-11";
            case CHECK_HOP_PROXY_ACCEPTABLE: return "DEC-12";
            case CHECK_HOP_SIGNATURE: return "DEC-12";
            case CHECK_PLAIN_SERVER: return "DEC-13";
            case CHECK_DEPTH: return "DEC-4";
            case CHECK_ORDER: return "DEC-8";
            case CHECK_DECODE: return "DEC-21";
            default: return "";
        }
    }

    /** A short name of a check, for traces and messages. */
    public static String checkName(int check) {
        switch (check) {
            case CHECK_NONE: return "none";
            case CHECK_EXTENSION_OFFERED: return "extension_offered";
            case CHECK_PROXY_ACCEPTABLE: return "proxy_acceptable";
            case CHECK_SIGNATURE_SCHEME: return "signature_scheme_offered";
            case CHECK_SIGNATURE: return "assertion_signature";
            case CHECK_SERVER_CHAIN: return "server_chain";
            case CHECK_UPSTREAM_PARAMS: return "upstream_parameters";
            case CHECK_HOP_PROXY_ACCEPTABLE: return "hop_proxy_acceptable";
            case CHECK_HOP_SIGNATURE: return "hop_signature";
            case CHECK_PLAIN_SERVER: return "plain_server_chain";
            case CHECK_DEPTH: return "hop_depth";
            case CHECK_ORDER: return "check_order";
            case CHECK_DECODE: return "decode";
            default: return "unknown";
        }
    }
}
