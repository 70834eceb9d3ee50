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

    /** For people and the table. */
    public String describe() {
        return "static model, no steps; scope <= " + sess + " Sess (TLS sessions), <= " + cert + " Cert, <= " + data
                + " Data, <= " + assertion + " Assertion, <= " + clientSig + " ClientSig; one agent each of C, P, S, A";
    }

    public static Bound fromProperty() {
        return "deep".equals(System.getProperty("model.bound")) ? DEEP : DEFAULT;
    }
}
