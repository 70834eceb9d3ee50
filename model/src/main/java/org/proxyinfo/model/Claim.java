package org.proxyinfo.model;

import java.util.EnumSet;
import java.util.Set;

/**
 * The claims of claims.md, each checked through one named property of properties.als.
 * Polarity (claims.md): for C, G and A claims the property is the claim; for R claims it is the
 * guarantee the claim says is lost (VIOLATED confirms the claim). G4 says a proxy CAN lie: it is
 * existential, decided by checking G4_NoAcceptedLie; a counterexample is the witness. R10 and R11 are about
 * reliance (claims.md "Precision"): where the property (no man in the middle gets through) HOLDS, the claim is
 * confirmed iff removing one of the named party's checks ({@link #namedChecks()}, mutants of config.als) breaks
 * it, and the table names that mutant; a VIOLATED cell confirms it (the man in the middle gets through even
 * the named party's checks, or, in the careless-client/careless-proxy rows, with them skipped).
 */
public enum Claim {
    C1S("C1S", "C1 strict: the client and the server it meant agree on one session (same randoms, parameters, server key).", "C1S_Strict", "pre_C1S", Polarity.IS_CLAIM),
    C1("C1", "C1 relayed: the client strongly authenticates the server through a CA it trusts, through the proxy it accepted (DIRECT, CONSENT: no proxy, agreement with the server's own session).", "C1_ServerAgreement", "pre_C1", Polarity.IS_CLAIM),
    C2("C2", "The server may authenticate the client (client certificates).", "C2_ClientAuth", "pre_C2", Polarity.IS_CLAIM),
    C3("C3", "An on-path box without trusted keys can only slow or drop connections.", "C3_NetworkBlind", "pre_C3", Polarity.IS_CLAIM),
    R1("R1", "The client cannot authenticate the server any more strongly than the weakest proxy allows.", "R1_ServerAliveness", "pre_R1", Polarity.LOSS),
    R2("R2", "The client may not even know that a proxy is there.", "R2_ProxyAwareness", "pre_R2", Polarity.LOSS),
    R3("R3", "Any proxy may degrade the security of the connection arbitrarily.", "R3_NoDegradation", "pre_R3", Polarity.LOSS),
    R4("R4", "A leaked proxy CA key lets anyone impersonate any server to that client.", "R4_NoImpersonation", "pre_R4", Polarity.LOSS),
    R5("R5", "Any proxy may prevent the use of protocol features and extensions.", "R5_FeaturesPreserved", "pre_R5", Polarity.LOSS),
    R6("R6", "Any proxy can both read and modify the plaintext.", "R6_PlaintextEndToEnd", "pre_R6", Polarity.LOSS),
    R7("R7", "The server cannot authenticate the client at all; client certificates stop working.", "R7_ClientAuth", "pre_R7", Polarity.LOSS),
    R8("R8", "The server cannot authenticate the proxy at all.", "R8_ServerAuthenticatesProxy", "pre_R8", Polarity.LOSS),
    R9("R9", "The server probably cannot detect a proxy downgrade.", "R9_NoUndetectedDowngrade", "pre_R9", Polarity.LOSS),
    R10("R10", "The proxy relies on the client to stop a proxy-to-client man in the middle.", "R10_NoPCMitM", "pre_R10", Polarity.RELIANCE),
    R11("R11", "The server relies on the proxy to stop a server-to-proxy man in the middle.", "R11_NoSPMitM", "pre_R11", Polarity.RELIANCE),
    G1("G1", "Using the extension keeps the security that TLS provides (every guarantee DIRECT gives: C1 strict, C2, C3, R5, R6, R8, R9).", "G1_KeepsTLS", "pre_G1", Polarity.IS_CLAIM),
    G2("G2", "The client is aware of the proxy and can authenticate and authorize it.", "G2_ProxyAuthorized", "pre_G2", Polarity.IS_CLAIM),
    G3("G3", "The client's access decision is as well informed as without a proxy.", "G3_InformedDecision", "pre_G3", Polarity.IS_CLAIM),
    G4("G4", "A proxy can lie about the upstream session; the client has to trust the proxy it accepts.", "G4_NoAcceptedLie", "pre_C1", Polarity.EXISTENTIAL),
    RS1("RS1", "A resumed session #1 implies a resumed session #2 with the same server (01-R2, 01-R4, DEC-22).", "RS1_ResumedBoth", "pre_RS1", Polarity.IS_CLAIM),
    A1("A1", "Endpoints share key material with a proxy in a way that doesn't impersonate anyone.", "A1_ConsentNoImpersonation", "pre_A1", Polarity.IS_CLAIM);

    public enum Polarity { IS_CLAIM, LOSS, EXISTENTIAL, RELIANCE }

    /**
     * R10, R11 (claims.md "Precision"): the mutants of config.als that remove the named party's checks: the
     * client's DEC-8/DEC-9 checks for R10 (DEC-13, i.e. RFC 5246 7.4.2 in MINT, DEC-9, DEC-10, DEC-11, DEC-12 and the
     * DEC-5 binding step), the proxy's DEC-15 upstream validation for R11. Null for every other claim.
     */
    public java.util.List<String> namedChecks() {
        switch (this) {
            case R10: return java.util.List.of("NoServerCertCheck", "NoDEC9", "NoDEC10", "NoDEC11", "NoDEC12", "NoDEC5Bind");
            case R11: return java.util.List.of("NoProxyValidation");
            default: return null;
        }
    }

    /** Whose checks {@link #namedChecks()} are (for the table). */
    public String namedParty() {
        return this == R10 ? "client" : this == R11 ? "proxy" : null;
    }

    public final String id;
    public final String text;
    public final String property;
    public final String sanity;
    public final Polarity polarity;

    Claim(String id, String text, String property, String sanity, Polarity polarity) {
        this.id = id;
        this.text = text;
        this.property = property;
        this.sanity = sanity;
        this.polarity = polarity;
    }

    /** Why the claim is not decided in this cell, or null if it is. */
    public String notApplicable(Arch a, ThreatSetting t) {
        String na = t.notApplicable(a);
        if (na != null) return na;
        if (a == Arch.PIBOUNDCC && !Set.of(C2, R7, R8, RS1).contains(this))
            return "PI-BOUND-CC decides what the client-certificate mode (DEC-23) changes: C2, R7, R8 (claims.md), and RS1; for the rest see PI-BOUND";
        boolean keysOrWeakEndpoint = !EnumSet.of(ThreatSetting.NET_C, ThreatSetting.NET_S, ThreatSetting.NET_CS).contains(t);
        switch (this) {
            case C3:
                return keysOrWeakEndpoint ? "C3 is about on-path boxes without trusted keys; this setting corrupts a key or an endpoint" : null;
            case R4:
                return Set.of(ThreatSetting.PROXY_COMPROMISED, ThreatSetting.CA_LEAKED).contains(t) ? null
                        : "R4 is about a leaked proxy key (rows proxy-compromised, ca-leaked)";
            case R8: case A1: case G2:
                return a == Arch.DIRECT ? "no proxy in DIRECT" : null;
            case R10:
                if (!a.proxied()) return "no proxy terminating session #1";
                return EnumSet.of(ThreatSetting.NET_C, ThreatSetting.NET_CS, ThreatSetting.CARELESS_CLIENT).contains(t) ? null
                        : "R10 is about an attacker on the client-proxy leg (rows net-c, net-cs: reliance on the client's checks; careless-client)";
            case R11:
                if (!a.proxied()) return "no proxy with an upstream leg of its own";
                return EnumSet.of(ThreatSetting.NET_S, ThreatSetting.NET_CS, ThreatSetting.CARELESS_PROXY, ThreatSetting.HOP2_CARELESS).contains(t) ? null
                        : "R11 is about an attacker on the proxy-server leg (rows net-s, net-cs: reliance on the proxy's checks; careless-proxy)";
            case G4:
                if (a == Arch.DIRECT) return "no proxy in DIRECT";
                return Set.of(ThreatSetting.PROXY_LIES, ThreatSetting.PROXY_COMPROMISED, ThreatSetting.HOP2_LIES).contains(t) ? null
                        : "G4 is about a proxy that lies (rows proxy-lies, proxy-compromised); the proxy is honest here";
            default:
                return null;
        }
    }

    /**
     * Given the property's verdict, is the claim confirmed? For RELIANCE only a VIOLATED cell is settled here
     * (confirmed); a HOLDS cell is confirmed iff one of {@link #namedChecks()} breaks it (VerdictTable's sweep).
     */
    public boolean confirmed(boolean propertyHolds) {
        return polarity == Polarity.LOSS || polarity == Polarity.RELIANCE ? !propertyHolds : propertyHolds;
    }
}
