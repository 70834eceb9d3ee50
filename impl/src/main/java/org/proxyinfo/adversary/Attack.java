package org.proxyinfo.adversary;

/**
 * The attacks the demo stages against the client's and an honest proxy's checks. None of them is a
 * switch inside an honest role: {@link Adversary} carries each one out around a real proxy, by
 * changing the bytes its host sends (with the keys its host holds), the certificates it is told to trust, or a
 * setting an honest operator may choose as well; a proxy that skips its own checks (the model's careless-proxy) is
 * not staged, because our proxy has no way to skip them.
 */
public enum Attack {
    /**
     * A lying proxy (G4): the proxy's host, with the proxy's key, reports the server chain of another host (the
     * attacker's) instead of the one session #2 validated, signed over this session's randoms; the client checks the
     * reported chain against the host it meant (DEC-10).
     */
    REPORT_OTHER_SERVER_CHAIN,
    /** DEC-5 broken: the assertion's signature is corrupted on the proxy's host after the proxy signed it. */
    FORGE_SIGNATURE,
    /** The proxy's host sends, on every later session, the assertion the proxy made on its first session (replay). */
    REPLAY_FIRST_ASSERTION,
    /**
     * 00-R10/01-R11 broken: a proxy under policy mint configured with another proxy_info code point, so it
     * does not see the client's proxy_info and mints a certificate (and sends no assertion).
     */
    MINT_FOR_EVERYONE,
    /**
     * DEC-12: the first hop's host changes what hop 2 reported (another upstream suite; hop 2's signature left as it
     * was) and signs its own assertion over the change with the first hop's key: the client verifies hop 2 itself.
     */
    ALTER_HOP2_REPORT,
    /** The proxy's host reports another cipher suite than the one session #2 negotiated, after the proxy signed. */
    ALTER_ASSERTION_AFTER_SIGNING,
    /**
     * DEC-22: on an abbreviated handshake the proxy's host reports another server chain than the cached session's,
     * signed with the proxy's own key (a lying proxy): the client compares it with the cached chain.
     */
    CHANGE_CHAIN_ON_RESUMPTION,
    /** DEC-22: the proxy's host strips the proxy_info from a resuming ServerHello (a resumed proxied session without it). */
    STRIP_PROXY_INFO_ON_RESUMPTION,
    /**
     * DEC-22, 01-R2 broken: the proxy's host resumes session #1 itself over a FULL session #2 with the origin
     * ({@link ResumeOverFullSession2}, in front of the honest proxy); the client cannot tell (claim RS1, proxy-lies).
     */
    RESUME_OVER_FULL_SESSION2,
    /**
     * DEVIATION (DEC-23), 01-R16: the proxy's host forwards the client's chain on session #2 with a ProxyCertVerify it
     * made with the proxy's own key (the client's signature dropped): the origin refuses with decrypt_error.
     */
    DEC23_FORWARD_WITHOUT_CLIENT_SIGNATURE,
    /**
     * DEVIATION (DEC-23), 01-R16: the proxy's host replays, on a later session #2, the SupplementalData of the first
     * (its ProxyCertVerify covers that session's nonce): the origin refuses with decrypt_error.
     */
    DEC23_REPLAY_PROXY_CERT_VERIFY
}
