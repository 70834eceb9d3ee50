package org.proxyinfo.model;

/** The architectures of claims.md (columns of the verdict table), with their Alloy atoms. */
public enum Arch {
    DIRECT("DIRECT", "DIRECT", "client and server, TLS 1.2, no proxy; network attacker present"),
    MINT("MINT", "MINT", "intercepting proxy minting leafs with a CA installed in the client's web store (DEC-17 mint; insecure status quo)"),
    PI00("PI-00", "PI00", "proxy_info as in draft -00: signed assertion without any session nonce; proxy trust as the draft says (web PKI)"),
    PI01("PI-01", "PI01", "proxy_info as in draft -01: adds session-#2 server_random; -01 3.2 client-certificate mode; proxy trust as the draft says"),
    PIBOUND("PI-BOUND", "PIBOUND", "this project's reading: DEVIATION (DEC-5) assertion bound to session #1, DEC-9 proxy trust anchor, DEC-8..11 checks, DEVIATION (DEC-12) hop cross-checks"),
    PIBOUNDCC("PI-BOUND-CC", "PIBOUNDCC", "PI-BOUND plus the client-certificate mode of DEC-23 (DEVIATION (DEC-23)): the client signs session #2's server_random, the server's nonce and the proxy's certificate; the server checks that signature and that the proxy is one it accepts (01-R16); decides C2, R7, R8 and RS1 only"),
    CONSENT("CONSENT", "CONSENT", "A1 design: client runs TLS end to end with the server; both endpoints hand the proxy the session keys");

    public final String id;
    public final String atom;
    public final String description;

    Arch(String id, String atom, String description) {
        this.id = id;
        this.atom = atom;
        this.description = description;
    }

    public boolean proxied() { return this == MINT || this == PI00 || this == PI01 || this == PIBOUND || this == PIBOUNDCC; }

    public boolean pi() { return this == PI00 || this == PI01 || this == PIBOUND || this == PIBOUNDCC; }

    /** PI-BOUND or PI-BOUND-CC: this project's reading of the extension (DEC-5 bound signing, DEC-9..12). */
    public boolean bound() { return this == PIBOUND || this == PIBOUNDCC; }

    public static Arch byId(String id) {
        for (Arch a : values()) if (a.id.equals(id) || a.atom.equals(id)) return a;
        throw new IllegalArgumentException("unknown architecture: " + id);
    }
}
