package org.proxyinfo.model;

import java.util.List;

/**
 * The threat settings of claims.md and issue #5 item 2 (rows within each architecture). Each is
 * a set of Alloy {@code Threat} atoms. The Dolev-Yao attacker always exists (it holds its own
 * key and a web certificate for its own domain, and connects where it likes); the settings say
 * where it can intercept and what it corrupted.
 */
public enum ThreatSetting {
    NET_C("net-c", List.of("NetLeg1"), "attacker on the client-proxy leg (DIRECT/CONSENT: on the client's leg)"),
    NET_S("net-s", List.of("NetLeg2"), "attacker on the proxy-server leg"),
    NET_CS("net-cs", List.of("NetLeg1", "NetLeg2"), "attacker on both legs"),
    CARELESS_CLIENT("careless-client", List.of("NetLeg1", "CarelessClient"), "attacker on the client's leg; the client does not check certificates"),
    CARELESS_PROXY("careless-proxy", List.of("NetLeg2", "CarelessProxy"), "attacker on the proxy-server leg; the proxy does not check its upstream certificate (reports truthfully)"),
    PROXY_LIES("proxy-lies", List.of("NetLeg1", "NetLeg2", "ProxyLies"), "the proxy lies in its assertion, degrades its upstream leg and edits traffic; attacker on both legs"),
    PROXY_COMPROMISED("proxy-compromised", List.of("NetLeg1", "NetLeg2", "ProxyCompromised"), "the proxy's private keys are known to the attacker; attacker on both legs"),
    CA_LEAKED("ca-leaked", List.of("NetLeg1", "CALeaked"), "the proxy CA key leaked (MINT: the root in the client's store; PI-BOUND: the DEC-9 proxy trust anchor; PI-BOUND-2HOP: P's anchor, not P2's); attacker on the client's leg, proxy possibly bypassed"),
    // two hops only (issue #11 item 5): the second proxy P2's own threats (config.als Hop2Careless, Hop2Lies)
    HOP2_CARELESS("hop2-careless", List.of("NetLeg2", "Hop2Careless"), "PI-BOUND-2HOP only: attacker on the upstream legs (P-P2 and P2-server); the second proxy P2 does not check its upstream certificate (reports truthfully); P checks"),
    HOP2_LIES("hop2-lies", List.of("NetLeg1", "NetLeg2", "Hop2Lies"), "PI-BOUND-2HOP only: the second proxy P2 lies in its assertion, degrades its upstream leg and edits traffic; P is honest; attacker on every leg"),
    // two hops only (issue #11 finding 5): trust that differs between hops. Configurations of honest parties, not attacker
    // powers (config.als Hop2UntrustedByClient, Hop2UntrustedByProxy); the attacker is the network on every leg, as in hop2-lies
    HOP2_UNTRUSTED_CLIENT("hop2-untrusted-client", List.of("NetLeg1", "NetLeg2"), "Hop2UntrustedByClient", "PI-BOUND-2HOP only: every party honest, but the client's proxy trust anchors (DEC-9) lack P2's anchor (configuration sig Hop2UntrustedByClient), which P's have (DEC-15): by DEC-12 the client must refuse the chain C-P-P2-S; attacker on every leg"),
    HOP2_UNTRUSTED_PROXY("hop2-untrusted-proxy", List.of("NetLeg1", "NetLeg2"), "Hop2UntrustedByProxy", "PI-BOUND-2HOP only: every party honest, but P's proxy trust anchors (DEC-15) lack P2's anchor (configuration sig Hop2UntrustedByProxy), which the client's have (DEC-9): P must refuse P2's assertion, so no chain through P2 reaches the client; attacker on every leg");

    public final String id;
    public final List<String> atoms;
    public final String description;
    /**
     * The configuration sig of a trust-mismatch setting (config.als Hop2UntrustedByClient / Hop2UntrustedByProxy: present,
     * scope exactly 1, only in this setting's commands; {@link TwoHop#present(ThreatSetting)}), or null. Not a Threat atom.
     */
    public final String trustAtom;

    ThreatSetting(String id, List<String> atoms, String description) { this(id, atoms, null, description); }

    ThreatSetting(String id, List<String> atoms, String trustAtom, String description) {
        this.id = id;
        this.atoms = atoms;
        this.trustAtom = trustAtom;
        this.description = description;
    }

    /** Why this setting does not exist in the architecture, or null if it does. */
    public String notApplicable(Arch a) {
        if (trustMismatch() && !a.twoHop())
            return "a trust-store configuration about the second proxy P2's anchor, which only PI-BOUND-2HOP has";
        if (hop2Only() && !a.twoHop()) return "a threat to the second proxy P2, which only PI-BOUND-2HOP has";
        switch (this) {
            case NET_S: case NET_CS:
                return a == Arch.DIRECT ? "DIRECT has a single leg (row net-c)" : null;
            case CARELESS_PROXY:
                return a.proxied() ? null : "no TLS-terminating proxy that could check an upstream leg";
            case PROXY_LIES: case PROXY_COMPROMISED:
                return a == Arch.DIRECT ? "no proxy" : null;
            case CA_LEAKED:
                return (a == Arch.MINT || a.bound()) ? null
                        : "no proxy CA in this architecture (" + (a == Arch.DIRECT || a == Arch.CONSENT ? "no minting proxy" : "literal proxy trust is the web PKI; see proxy-compromised") + ")";
            default:
                return null;
        }
    }

    /** The settings of the second proxy P2 (PI-BOUND-2HOP only). */
    public boolean hop2Only() { return this == HOP2_CARELESS || this == HOP2_LIES || trustMismatch(); }

    /**
     * Issue #11 finding 5: one party's proxy trust store lacks P2's anchor. The honest two-hop chain is then refused, as
     * DEC-12 (the client) or DEC-15 (P) requires: the column's chain sanity run is UNSAT by design, and the refusal run
     * ({@link VerdictTable#twoHopRefusal}) shows the chain does reach the refusing party.
     */
    public boolean trustMismatch() { return trustAtom != null; }

    public String alloySet() { return String.join(" + ", atoms); }

    public static ThreatSetting byId(String id) {
        for (ThreatSetting t : values()) if (t.id.equals(id)) return t;
        throw new IllegalArgumentException("unknown threat setting: " + id);
    }
}
