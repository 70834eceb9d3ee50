package org.proxyinfo.model;

/**
 * The bound of every check: the model is static (no {@code var}, no steps), so the bound is the
 * scope of each signature. One SAT problem per check.
 */
public enum Bound {
    DEFAULT("default", 4, 5, 3, 2, 2),
    DEEP("deep", 6, 7, 5, 3, 3);

    public final String id;
    public final int sess, cert, data, assertion, clientSig;

    Bound(String id, int sess, int cert, int data, int assertion, int clientSig) {
        this.id = id;
        this.sess = sess;
        this.cert = cert;
        this.data = data;
        this.assertion = assertion;
        this.clientSig = clientSig;
    }

    /** The Alloy scope clause. */
    public String scope() { return scope(sess); }

    /** The same scope with fewer sessions (to find the smallest counterexample once one exists). */
    public String scope(int sessions) {
        return "for " + sessions + " but " + cert + " Cert, " + data + " Data, " + assertion + " Assertion, " + clientSig + " ClientSig";
    }

    /**
     * The two-hop atoms of the model (issue #11 item 5: the second proxy P2 with its key, identity and
     * proxy trust anchor, the second server S2, the third leg, P2's threats, the DEC-4 depth parameter)
     * at scope 0: absent from every verdict-table command, so the table's SAT problems do not grow.
     * {@link TwoHop} gives them exactly 1.
     */
    public static final String SECOND_HOP_ABSENT =
            ", 0 P2, 0 S2, 0 nP2, 0 nS2, 0 kP2, 0 kS2, 0 kProxyCA2, 0 L3, 0 Hop2Lies, 0 Hop2Careless, 0 DepthLimit";

    /** The Alloy scope of a verdict-table command: {@link #scope()} plus {@link #SECOND_HOP_ABSENT}. */
    public String command() { return command(sess); }

    /** {@link #command()} with fewer sessions. */
    public String command(int sessions) { return scope(sessions) + SECOND_HOP_ABSENT; }

    /** For people and the table. */
    public String describe() {
        return "static model, no steps; scope <= " + sess + " Sess (TLS sessions), <= " + cert + " Cert, <= " + data
                + " Data, <= " + assertion + " Assertion, <= " + clientSig + " ClientSig; one agent each of C, P, S, A";
    }

    public static Bound fromProperty() {
        return "deep".equals(System.getProperty("model.bound")) ? DEEP : DEFAULT;
    }
}
