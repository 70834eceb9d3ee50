package org.proxyinfo.model;

/** The architectures of claims.md (columns of the verdict table), with their Alloy atoms. */
public enum Arch {
    DIRECT("DIRECT", "DIRECT", "client and server, TLS 1.2, no proxy; network attacker present"),
    MINT("MINT", "MINT", "intercepting proxy minting leafs with a CA installed in the client's web store (DEC-17 mint; insecure status quo)"),
    PI00("PI-00", "PI00", "proxy_info as in draft -00: signed assertion without any session nonce; proxy trust as the draft says (web PKI)"),
    PI01("PI-01", "PI01", "proxy_info as in draft -01: adds session-#2 server_random; -01 3.2 client-certificate mode; proxy trust as the draft says"),
    PIBOUND("PI-BOUND", "PIBOUND", "this project's reading: DEVIATION (DEC-5) assertion bound to session #1, DEC-9 proxy trust anchor, DEC-8..11 checks, DEVIATION (DEC-12) hop cross-checks"),
    PIBOUNDCC("PI-BOUND-CC", "PIBOUNDCC", "PI-BOUND plus the client-certificate mode of DEC-23 (DEVIATION (DEC-23)): the client signs session #2's server_random, the server's nonce and the proxy's certificate; the server checks that signature and that the proxy is one it accepts (01-R16); decides C2, R7, R8 and RS1 only"),
    PIBOUND2HOP("PI-BOUND-2HOP", "PIBOUND2HOP", "PI-BOUND with an honest chain of two proxies, client - P - P2 - S (issue #11 item 5): P's upstream is the second proxy P2 (its own identity under its own proxy trust anchor), P2's upstream the host meant; a second honest server S2 the attacker may redirect to; DEC-12 hop cross-checks over both hops; DEC-4 limit 2 (VerdictTable.TWO_HOP_DEPTH_LIMIT); decided at the smaller two-hop bound (Bound.hop2Sess)"),
    CONSENT("CONSENT", "CONSENT", "A1 design: client runs TLS end to end with the server; both endpoints hand the proxy the session keys");

    public final String id;
    /** The name of the column in command labels (unique per column); {@link #cfgAtom()} is its Alloy {@code Cfg.arch} atom. */
    public final String atom;
    public final String description;

    Arch(String id, String atom, String description) {
        this.id = id;
        this.atom = atom;
        this.description = description;
    }

    public boolean proxied() { return this == MINT || pi(); }

    public boolean pi() { return this == PI00 || this == PI01 || bound(); }

    /** PI-BOUND, PI-BOUND-CC or PI-BOUND-2HOP: this project's reading of the extension (DEC-5 bound signing, DEC-9..12). */
    public boolean bound() { return this == PIBOUND || this == PIBOUNDCC || this == PIBOUND2HOP; }

    /**
     * PI-BOUND-2HOP: the column whose commands have the second proxy P2, the second server S2, the third leg L3 and
     * DEC-4's limit present ({@link TwoHop#PRESENT}); its Alloy architecture is PI-BOUND ({@link #cfgAtom()}).
     */
    public boolean twoHop() { return this == PIBOUND2HOP; }

    /** The {@code Cfg.arch} atom of config.als: PI-BOUND-2HOP is PI-BOUND with the two-hop atoms present. */
    public String cfgAtom() { return twoHop() ? PIBOUND.atom : atom; }

    public static Arch byId(String id) {
        for (Arch a : values()) if (a.id.equals(id) || a.atom.equals(id)) return a;
        throw new IllegalArgumentException("unknown architecture: " + id);
    }
}
