package org.proxyinfo.demo;

import java.util.EnumSet;
import java.util.Set;

import org.proxyinfo.role.ProxyConfig;
import org.proxyinfo.proxyinfo.SigningMode;

/**
 * One demo scenario: the topology, how each party is set up (honest, or staging one attack), and
 * what must happen (accepted, or which party refuses with which alert and requirement ID). The
 * registry is {@link Scenarios#all()}; {@link ScenarioRunner#run} runs one over loopback.
 */
public final class Scenario {
    /** Who is on the path between the client and the origin server. */
    public enum Topology {
        /** client → server (no proxy). */
        DIRECT,
        /** client → proxy → server. */
        ONE_HOP,
        /** client → proxy A → proxy B → server. */
        TWO_HOPS;

        public int proxies() { return this == DIRECT ? 0 : this == ONE_HOP ? 1 : 2; }
    }

    /** The session-#1 certificate a proxy presents. */
    public enum ProxyIdentity {
        /** issued by the proxy CA the client trusts (DEC-9). */
        TRUSTED,
        /** issued by a CA nobody trusts. */
        UNTRUSTED,
        /** valid in the web PKI, which does not make it an acceptable proxy (DEC-9). */
        WEB_ISSUED
    }

    /** The origin server's certificate. */
    public enum OriginIdentity {
        /** ECDSA and RSA certificates for localhost, origin.proxyinfo.test, 127.0.0.1. */
        GOOD,
        /** a valid certificate for other.proxyinfo.test only. */
        WRONG_HOST
    }

    /** What must happen. */
    public static final class Expectation {
        public final boolean accepted;
        /** The fatal alert (RFC 5246 name) that ends the client's session #1, or null when accepted. */
        public final String alert;
        /** The requirement the refusing party names, or null when accepted. */
        public final String requirementId;
        /** "client", "proxy", "proxy-A", "proxy-B", or null when accepted. */
        public final String refusingParty;
        /** The accepted session is today's interception and must be labelled INSECURE (DEC-17). */
        public final boolean insecure;
        /** Accepted although an attack was staged: the draft's literal reading lets it through. */
        public final boolean attackUndetected;

        private Expectation(boolean accepted, String alert, String requirementId, String refusingParty, boolean insecure,
                            boolean attackUndetected) {
            this.accepted = accepted;
            this.alert = alert;
            this.requirementId = requirementId;
            this.refusingParty = refusingParty;
            this.insecure = insecure;
            this.attackUndetected = attackUndetected;
        }

        public static Expectation accepted() { return new Expectation(true, null, null, null, false, false); }

        public static Expectation acceptedInsecure() { return new Expectation(true, null, null, null, true, false); }

        public static Expectation attackUndetected() { return new Expectation(true, null, null, null, false, true); }

        public static Expectation refusedBy(String party, String alert, String requirementId) {
            return new Expectation(false, alert, requirementId, party, false, false);
        }

        @Override
        public String toString() {
            if (accepted) {
                return insecure ? "accepted, labelled INSECURE (DEC-17 mint)"
                        : attackUndetected ? "accepted: the attack goes through undetected" : "accepted";
            }
            return refusingParty + " refuses: " + alert + " [" + requirementId + "]";
        }
    }

    final String name;
    final String description;
    final String architecture;
    final Topology topology;
    final Expectation expected;
    SigningMode signingMode; // null: RunOptions decides (default bound)
    boolean clientOffersProxyInfo = true;
    boolean clientTrustsMintCa;
    boolean clientRequires256BitUpstream;
    int proxyPolicy = org.proxyinfo.core.ProxyHandshake.POLICY_REFUSE;
    ProxyIdentity proxyIdentity = ProxyIdentity.TRUSTED;
    ProxyIdentity farProxyIdentity = ProxyIdentity.TRUSTED;
    OriginIdentity originIdentity = OriginIdentity.GOOD;
    boolean originOnly128BitSuites;
    boolean upstreamUnreachable;
    /** Issue 13: the origin's client-authentication policy (ServerHandshake.CLIENT_AUTH_*, RFC5246-7.4.4). */
    int originClientAuth = org.proxyinfo.core.ServerHandshake.CLIENT_AUTH_NONE;
    /** Issue 13: the client holds a client certificate (the test PKI's ECDSA client leaf). */
    boolean clientHasCertificate;
    /**
     * DEC-23 (issue 13): the client-certificate mode: the origin in the mode (01-R14, 01-R16), the near proxy with
     * {@code clientCertMode} (session #2 held, 01-R15), the client offering client_cert_mode.
     */
    boolean clientCertMode;
    /**
     * DEVIATION (DEC-23) LEARN (issue 13): with {@code clientCertMode}, the near proxy is not configured for the mode but
     * learns it from the first session #2's CertificateRequest, abandons that session #2 and opens a second one in the mode.
     */
    boolean clientCertModeLearned;
    /** DEC-23 (issue 13, 01-R16): the origin in the mode accepts proxies under another CA only, not this proxy. */
    boolean originRejectsProxy;
    /** DEC-23 (issue 13, 01-R15): an adversary on the client's host corrupts its CertificateVerify (ClientCertAdversary). */
    boolean clientHostCorruptsCertificateVerify;
    int sessions = 1;
    /** DEC-22: the client keeps one session cache over the run's sessions (and so offers the first session's ID). */
    boolean clientResumes;
    /** DEC-22: the origin forgets its sessions between the client's sessions (it declines the proxy's session #2). */
    boolean originForgetsSessions;
    /** DEC-22: the near proxy forgets its session-#1 cache between the client's sessions (the client's ID is unknown). */
    boolean proxyForgetsSessions;
    /** DEC-22: whether the judged (last) session must be resumed; null: not judged. */
    Boolean expectResumed;
    /** DEC-22: whether the origin's last session (session #2) must be resumed; null: not judged. */
    Boolean expectOriginResumed;
    /** For an attack that goes through undetected: why the client cannot tell, and where the model decides it. */
    String undetectedBecause;
    final Set<org.proxyinfo.adversary.Attack> stagedA = EnumSet.noneOf(org.proxyinfo.adversary.Attack.class);
    final Set<org.proxyinfo.adversary.Attack> stagedB = EnumSet.noneOf(org.proxyinfo.adversary.Attack.class);

    Scenario(String name, String description, String architecture, Topology topology, Expectation expected) {
        this.name = name;
        this.description = description;
        this.architecture = architecture;
        this.topology = topology;
        this.expected = expected;
    }

    public String name() { return name; }

    /** One line for `demo --list`. */
    public String description() { return description; }

    /** The claims.md architecture: DIRECT, MINT, PI-01 (draft-literal), PI-BOUND. */
    public String architecture() { return architecture; }

    public Topology topology() { return topology; }

    public Expectation expected() { return expected; }

    /** The signing mode the scenario fixes, or null when the run options decide (DEC-5). */
    public SigningMode signingMode() { return signingMode; }

    public boolean clientOffersProxyInfo() { return clientOffersProxyInfo; }

    public int proxyPolicy() { return proxyPolicy; }

    /** Number of client sessions run (the replay scenarios run two; the last one is judged). */
    public int sessions() { return sessions; }

    /** DEC-22: the client resumes across the run's sessions. */
    public boolean clientResumes() { return clientResumes; }

    /** The attacks the adversary stages around the proxy next to the client (A) and the second proxy (B). */
    public Set<org.proxyinfo.adversary.Attack> stagedNearProxy() { return Set.copyOf(stagedA); }

    public Set<org.proxyinfo.adversary.Attack> stagedFarProxy() { return Set.copyOf(stagedB); }

    /** Party names in lifeline order, as in traces. */
    public java.util.List<String> roles() {
        switch (topology) {
            case DIRECT: return java.util.List.of("client", "server");
            case ONE_HOP: return java.util.List.of("client", "proxy", "server");
            default: return java.util.List.of("client", "proxy-A", "proxy-B", "server");
        }
    }

    @Override
    public String toString() { return name; }
}
