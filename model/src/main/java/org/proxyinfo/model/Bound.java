package org.proxyinfo.model;

/**
 * The bound of every check: the model is static (no {@code var}, no steps), so the bound is the
 * scope of each signature. One SAT problem per check.
 */
public enum Bound {
    DEFAULT("default", 4, 5, 3, 2, 2, 3),
    DEEP("deep", 6, 7, 5, 3, 3, 4);

    public final String id;
    public final int sess, cert, data, assertion, clientSig;
    /**
     * Sessions of the PI-BOUND-2HOP column (issue #11 item 5). The honest chain is 3 sessions (client-P, P-P2,
     * P2-server); every further session (an attacker's leg, a replay target, a second client session) costs SAT time on
     * every check of the column, so the default build decides it at 3 and {@code -Pmodel-deep} at 4.
     */
    public final int hop2Sess;

    Bound(String id, int sess, int cert, int data, int assertion, int clientSig, int hop2Sess) {
        this.id = id;
        this.sess = sess;
        this.cert = cert;
        this.data = data;
        this.assertion = assertion;
        this.clientSig = clientSig;
        this.hop2Sess = hop2Sess;
    }

    /** The sessions of a column's full bound: {@link #hop2Sess} for PI-BOUND-2HOP, {@link #sess} otherwise. */
    public int sess(Arch a) { return a.twoHop() ? hop2Sess : sess; }

    /** The Alloy scope clause of a column (without the two-hop atoms' scopes). */
    public String scope(Arch a) { return scope(a, sess(a)); }

    /** A column's scope clause with the given sessions. PI-BOUND-2HOP: {@link #HOP2_SCOPE_TAIL}. */
    public String scope(Arch a, int sessions) {
        return a.twoHop() ? "for " + sessions + " but " + HOP2_SCOPE_TAIL : scope(sessions);
    }

    /** A column's full command scope: {@link #command()}, or for PI-BOUND-2HOP the two-hop atoms present. */
    public String command(Arch a) { return command(a, sess(a)); }

    /** {@link #command(Arch)} with the given sessions. */
    public String command(Arch a, int sessions) { return command(a, sessions, null); }

    /** A column's full command scope in a threat setting (PI-BOUND-2HOP: {@link TwoHop#present(ThreatSetting)}). */
    public String command(Arch a, ThreatSetting t) { return command(a, sess(a), t); }

    /** {@link #command(Arch, ThreatSetting)} with the given sessions. */
    public String command(Arch a, int sessions, ThreatSetting t) {
        return a.twoHop() ? scope(a, sessions) + TwoHop.present(t) : command(sessions);
    }

    /**
     * The rest of the PI-BOUND-2HOP scope (and of {@link TwoHop#SCOPE}): 7 certificates (the client's, S's, S2's, P's, P2's and
     * two the attacker makes), 3 data, 3 assertions (the honest chain of 2 plus one, so that DEC-4's limit 2 can refuse a
     * chain of 3), no client signatures (PI-BOUND has no client-certificate mode).
     */
    public static final String HOP2_SCOPE_TAIL = "7 Cert, 3 Data, 3 Assertion, 0 ClientSig";

    /** The Alloy scope clause. */
    public String scope() { return scope(sess); }

    /** The same scope with fewer sessions (to find the smallest counterexample once one exists). */
    public String scope(int sessions) {
        return "for " + sessions + " but " + cert + " Cert, " + data + " Data, " + assertion + " Assertion, " + clientSig + " ClientSig";
    }

    /**
     * The per-party trust settings' atoms ({@link ThreatSetting#trustAtom}; config.als, issue #11 finding 5) at scope 0: in
     * every command but those of the PI-BOUND-2HOP settings hop2-untrusted-client and hop2-untrusted-proxy
     * ({@link TwoHop#present(ThreatSetting)}). Computed, not a constant: declared before {@link #SECOND_HOP_ABSENT}, which uses it.
     */
    public static final String TRUST_SPLIT_ABSENT = java.util.Arrays.stream(ThreatSetting.values()).filter(ThreatSetting::trustMismatch)
            .map(t -> ", 0 " + t.trustAtom).collect(java.util.stream.Collectors.joining());

    /**
     * The two-hop atoms of the model (issue #11 item 5: the second proxy P2 with its key, identity and
     * proxy trust anchor, the second server S2, the third leg, P2's threats, the DEC-4 depth parameter)
     * at scope 0: absent from every verdict-table command, so the table's SAT problems do not grow.
     * {@link TwoHop} gives them exactly 1.
     */
    public static final String SECOND_HOP_ABSENT =
            ", 0 P2, 0 S2, 0 nP2, 0 nS2, 0 kP2, 0 kS2, 0 kProxyCA2, 0 L3, 0 Hop2Lies, 0 Hop2Careless, 0 DepthLimit" + TRUST_SPLIT_ABSENT;

    /** The Alloy scope of a verdict-table command: {@link #scope()} plus {@link #SECOND_HOP_ABSENT}. */
    public String command() { return command(sess); }

    /** {@link #command()} with fewer sessions. */
    public String command(int sessions) { return scope(sessions) + SECOND_HOP_ABSENT; }

    /** For people and the table. */
    public String describe() {
        return "static model, no steps; scope <= " + sess + " Sess (TLS sessions), <= " + cert + " Cert, <= " + data
                + " Data, <= " + assertion + " Assertion, <= " + clientSig + " ClientSig; one agent each of C, P, S, A";
    }

    /** The bound of one column, for people and the table. */
    public String describe(Arch a) {
        return a.twoHop() ? "static model, no steps; scope <= " + hop2Sess + " Sess (TLS sessions), <= 7 Cert, <= 3 Data, <= 3 Assertion,"
                + " no ClientSig; exactly one agent each of C, P, P2 (second proxy, own trust anchor), S, S2 (second server), A; DEC-4 limit "
                + VerdictTable.TWO_HOP_DEPTH_LIMIT : describe();
    }

    public static Bound fromProperty() {
        return "deep".equals(System.getProperty("model.bound")) ? DEEP : DEFAULT;
    }
}
