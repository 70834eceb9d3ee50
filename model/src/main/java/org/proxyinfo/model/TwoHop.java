package org.proxyinfo.model;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue #11 item 5: the model with two honest proxies. The verdict table keeps one proxy agent (the
 * second-hop atoms have scope 0 there, {@link Bound#SECOND_HOP_ABSENT}); these runs give the second
 * proxy P2 (identity nP2, key kP2, its own proxy trust anchor kProxyCA2, which the client and P are
 * configured with: DEC-9 via DEC-12 and DEC-15), the second honest server S2 (nS2, kS2, a web
 * certificate; where the attacker is on a leg it may redirect a connection there), the third leg L3
 * (P2-server) and the DEC-4 depth limit (a parameter, {@code DepthLimit.hops}) exactly one atom each.
 *
 * <p>Each run is one SAT problem. A {@code run} passes when it is satisfiable (the scenario exists), a
 * {@code check} when it has no counterexample; anything else, an exception included, is a failure,
 * never a pass. Bound: {@link #SCOPE} (3 assertions, so chains of at most 3: the DEC-4 limit is a
 * parameter decided at 1, 2 and 3), and for DEC-4's default limit 4 only, {@link #SCOPE_DEC4_DEFAULT} (5
 * assertions: a chain of 5 reaches the client and is refused, a chain of 4 is accepted).
 */
public final class TwoHop {
    private TwoHop() { }

    /** The second-hop atoms present (exactly one each; P2's threats are lone, chosen by Cfg.threat). */
    public static final String PRESENT = ", exactly 1 P2, exactly 1 S2, exactly 1 nP2, exactly 1 nS2, exactly 1 kP2, exactly 1 kS2,"
            + " exactly 1 kProxyCA2, exactly 1 L3, 1 Hop2Lies, 1 Hop2Careless, exactly 1 DepthLimit" + Bound.TRUST_SPLIT_ABSENT;

    /**
     * {@link #PRESENT} for a threat setting: a trust-mismatch setting (issue #11 finding 5, {@link ThreatSetting#trustMismatch()})
     * gives its config.als sig (Hop2UntrustedByClient or Hop2UntrustedByProxy) exactly 1; every other command keeps both at 0.
     */
    public static String present(ThreatSetting t) {
        return t == null || t.trustAtom == null ? PRESENT : PRESENT.replace(", 0 " + t.trustAtom, ", exactly 1 " + t.trustAtom);
    }

    /** Sessions: the honest chain is 3 (client-P, P-P2, P2-server); one more for an attacker's leg or a second client session. */
    public static final int SESSIONS = 4;

    /** The bound of every two-hop command. */
    public static final String SCOPE = scopeFor(null);

    /**
     * The bound of DEC-4's default-limit commands only (limit 4, chains of 5): 5 assertions, otherwise {@link #SCOPE}.
     * Chains longer than P's and P2's are possible because the attacker (with the leaked proxy CA key, on the upstream
     * legs) can add acceptable hops.
     */
    public static final String SCOPE_DEC4_DEFAULT = "for " + SESSIONS + " but 7 Cert, 3 Data, 5 Assertion, 0 ClientSig" + PRESENT;

    /** What a command expects: a satisfiable run, or a check without counterexample. */
    public enum Kind { RUN_SAT, CHECK_HOLDS, REPORT }

    /** One two-hop command: its label, what it asserts, the requirement and claim IDs it decides, and the Alloy body. */
    public record Spec(String label, Kind kind, String ids, String meaning, String body, String scope) {
        Spec(String label, Kind kind, String ids, String meaning, String body) { this(label, kind, ids, meaning, body, SCOPE); }

        String command() {
            return (kind == Kind.RUN_SAT ? "run " : "check ") + label + " { " + body + " } " + scope + "\n";
        }
    }

    /** The outcome of one command. */
    public record Result(Spec spec, boolean satisfiable, long millis, int vars, int clauses) {
        public boolean passed() { return spec.kind() == Kind.REPORT || (spec.kind() == Kind.RUN_SAT ? satisfiable : !satisfiable); }
    }

    /** PI-BOUND (the implementation's architecture, DEC-5 bound, DEC-9..12), threat atoms, no mutant, DEC-4 limit. */
    static String cfg(String threat, int depth) { return cfgMut(threat, depth, null); }

    /** {@link #cfg(String, int)} with one mutant (a tightness run: it must give a counterexample); null: none. */
    static String cfgMut(String threat, int depth, String mutant) {
        return "(Cfg.arch = PIBOUND and Cfg.threat = " + threat + " and " + (mutant == null ? "no Cfg.mut" : "Cfg.mut = " + mutant)
                + " and DepthLimit.hops = " + depth + ")";
    }

    /** The bound of a setting's two-hop commands: {@link #SCOPE}, with a trust-mismatch setting's atom present (issue #11 finding 5). */
    static String scopeFor(ThreatSetting t) { return "for " + SESSIONS + " but " + Bound.HOP2_SCOPE_TAIL + present(t); }

    static final ThreatSetting UNTRUSTED_CLIENT = ThreatSetting.HOP2_UNTRUSTED_CLIENT, UNTRUSTED_PROXY = ThreatSetting.HOP2_UNTRUSTED_PROXY;

    /** The client commits to a session whose chain is P (hop 1) then P2 (hop 2) ending at the real server S. */
    static final String HONEST_CHAIN = "(some x: commits | x.sv = P and x.link.sv = P2 and x.link.link.sv = S"
            + " and x.pinfo.by = P and x.pinfo.next.by = P2 and x.pinfo.next = x.link.pinfo and no x.pinfo.next.next)";

    /** The commands, in the order they are decided. */
    public static final List<Spec> SPECS = List.of(
            new Spec("two_hop_honest", Kind.RUN_SAT, "DEC-12 DEC-15 DEC-9 DEC-14 DEC-4 C1 C3",
                    "sanity: the client accepts an honest two-hop chain in PI-BOUND (hop 1 nests hop 2's assertion unchanged,"
                            + " DEC-15; hop 1's end-entity key verifies hop 2, DEC-12), within DEC-4's limit 2, and C1 and C3 hold on it",
                    cfg("none", 2) + " and " + HONEST_CHAIN + " and C1_ServerAgreement and C3_NetworkBlind"),
            new Spec("two_hop_net_C1", Kind.CHECK_HOLDS, "C1 DEC-12 DEC-15 DEC-9 DEC-10",
                    "C1 (relayed agreement with the real server) holds with two honest proxies and the attacker on all three legs"
                            + " (it may also redirect a connection to the second honest server S2)",
                    cfg("NetLeg1 + NetLeg2", 2) + " implies C1_ServerAgreement"),
            new Spec("two_hop_net_C3", Kind.CHECK_HOLDS, "C3 DEC-12 DEC-15 DEC-9 DEC-10",
                    "C3 (the network learns and changes nothing) holds with two honest proxies and the attacker on all three legs",
                    cfg("NetLeg1 + NetLeg2", 2) + " implies C3_NetworkBlind"),
            new Spec("two_hop_net_G3", Kind.CHECK_HOLDS, "G3 DEC-12 DEC-10 DEC-11",
                    "G3 (informed decision: the certificate, version and suite the client sees are the real server's) holds with two"
                            + " honest proxies and the attacker on all three legs",
                    cfg("NetLeg1 + NetLeg2", 2) + " implies G3_InformedDecision"),
            new Spec("two_hop_hop2_lies_C1", Kind.REPORT, "C1 G4 DEC-15",
                    "finding, reported either way: does C1 survive a lying second proxy (Hop2Lies) behind an honest first one?",
                    cfg("Hop2Lies", 2) + " implies C1_ServerAgreement"),
            new Spec("dec4_limit_2", Kind.CHECK_HOLDS, "DEC-4",
                    "DEC-4: with the limit 2, no client commits to a chain of more than 2 assertions, even where a third acceptable"
                            + " hop exists (the attacker with the leaked proxy CA key on the upstream legs)",
                    cfg("NetLeg2 + CALeaked", 2) + " implies (all x: commits | #(x.pinfo.*nesting) <= 2)"),
            new Spec("dec4_deeper_offered", Kind.RUN_SAT, "DEC-4",
                    "sanity of the above: a chain of 3 assertions reaches the client in that setting (so the check is not vacuous)",
                    cfg("NetLeg2 + CALeaked", 2) + " and (some x: cl.C | #(x.pinfo.*nesting) = 3)"),
            new Spec("dec4_limit_3_accepts_3", Kind.RUN_SAT, "DEC-4",
                    "tightness: with the limit raised to 3 the client does commit to such a chain, so the limit is what refuses it",
                    cfg("NetLeg2 + CALeaked", 3) + " and (some x: commits | #(x.pinfo.*nesting) = 3)"),
            new Spec("dec4_limit_1_refuses_two_hops", Kind.CHECK_HOLDS, "DEC-4",
                    "DEC-4 as a parameter: with the limit 1 the honest two-hop chain is never accepted",
                    cfg("none", 1) + " implies (all x: commits | no x.pinfo.next)"),
            new Spec("dec4_limit_1_offered", Kind.RUN_SAT, "DEC-4",
                    "sanity of the above: with the limit 1 the honest two-hop chain is still offered to the client",
                    cfg("none", 1) + " and (some x: cl.C | x.sv = P and some x.pinfo.next)"),
            // DEC-4's default limit 4, at a bound of 5 assertions (these commands only)
            new Spec("dec4_limit_4", Kind.CHECK_HOLDS, "DEC-4",
                    "DEC-4 at its default limit 4 (5 assertions in scope): no client commits to a chain of more than 4 assertions,"
                            + " even where a longer one reaches it (the attacker with the leaked proxy CA key on the upstream legs)",
                    cfg("NetLeg2 + CALeaked", 4) + " implies (all x: commits | #(x.pinfo.*nesting) <= 4)", SCOPE_DEC4_DEFAULT),
            new Spec("dec4_limit_4_deeper_offered", Kind.RUN_SAT, "DEC-4",
                    "sanity of the above: a chain of 5 assertions reaches the client in that setting (so the check is not vacuous)",
                    cfg("NetLeg2 + CALeaked", 4) + " and (some x: cl.C | #(x.pinfo.*nesting) = 5)", SCOPE_DEC4_DEFAULT),
            new Spec("dec4_limit_4_accepts_4", Kind.RUN_SAT, "DEC-4",
                    "tightness: with the default limit 4 the client does commit to a chain of 4 (every DEC-12 check passes)",
                    cfg("NetLeg2 + CALeaked", 4) + " and (some x: commits | #(x.pinfo.*nesting) = 4)", SCOPE_DEC4_DEFAULT),
            new Spec("dec4_limit_5_accepts_5", Kind.RUN_SAT, "DEC-4",
                    "tightness: with the limit raised to 5 the client commits to the chain of 5, so the limit 4 is what refuses it",
                    cfg("NetLeg2 + CALeaked", 5) + " and (some x: commits | #(x.pinfo.*nesting) = 5)", SCOPE_DEC4_DEFAULT),
            // issue #11 finding 5: per-party proxy trust stores (principals.als clientProxyAnchors, pProxyAnchors)
            new Spec("trust_client_own_anchors", Kind.CHECK_HOLDS, "DEC-9 DEC-12",
                    "hop2-untrusted-client (the client's anchors lack P2's, P's have it; attacker on every leg): the client commits to no"
                            + " chain with a hop whose certificate is not under the client's own proxy trust anchors (TrustClientOwnAnchors)",
                    cfg(UNTRUSTED_CLIENT.alloySet(), 2) + " implies TrustClientOwnAnchors", scopeFor(UNTRUSTED_CLIENT)),
            new Spec("trust_client_refusal_reached", Kind.RUN_SAT, "DEC-9 DEC-12 DEC-15",
                    "sanity of the above: P accepts P2 and the client receives the honest chain C-P-P2-S (hop 1's list P2's certificate"
                            + " under P2's anchor) and refuses it",
                    cfg(UNTRUSTED_CLIENT.alloySet(), 2) + " and " + VerdictTable.refusal(UNTRUSTED_CLIENT), scopeFor(UNTRUSTED_CLIENT)),
            new Spec("trust_client_mutant_NoDEC12", Kind.RUN_SAT, "DEC-12",
                    "tightness: without the client's DEC-12 check of nested hops (mutant NoDEC12) the client commits to a chain whose hop 2"
                            + " is under an anchor it does not have (TrustClientOwnAnchors breaks)",
                    cfgMut(UNTRUSTED_CLIENT.alloySet(), 2, "NoDEC12") + " and not TrustClientOwnAnchors", scopeFor(UNTRUSTED_CLIENT)),
            new Spec("trust_proxy_own_anchors", Kind.CHECK_HOLDS, "DEC-15 DEC-9",
                    "hop2-untrusted-proxy (P's anchors lack P2's, the client's have it; attacker on every leg): P nests no assertion whose"
                            + " signer no certificate under P's own proxy trust anchors certifies (TrustProxyOwnAnchors)",
                    cfg(UNTRUSTED_PROXY.alloySet(), 2) + " implies TrustProxyOwnAnchors", scopeFor(UNTRUSTED_PROXY)),
            new Spec("trust_proxy_no_chain_to_client", Kind.CHECK_HOLDS, "DEC-15 DEC-12",
                    "hop2-untrusted-proxy: no chain through P reaches the client (no session of the client's with P carries a nested assertion)",
                    cfg(UNTRUSTED_PROXY.alloySet(), 2) + " implies (all x: cl.C | x.sv = P implies no x.pinfo.next)", scopeFor(UNTRUSTED_PROXY)),
            new Spec("trust_proxy_refusal_reached", Kind.RUN_SAT, "DEC-15",
                    "sanity of the above: P2 answers P's session #2 with its assertion under its own identity and anchor, and P refuses it",
                    cfg(UNTRUSTED_PROXY.alloySet(), 2) + " and " + VerdictTable.refusal(UNTRUSTED_PROXY), scopeFor(UNTRUSTED_PROXY)),
            new Spec("trust_proxy_mutant_NoProxyValidation", Kind.RUN_SAT, "DEC-15",
                    "tightness: without P's upstream validation (mutant NoProxyValidation, which removes its DEC-15 anchor check) P nests"
                            + " P2's assertion though P2 is under an anchor P does not have (TrustProxyOwnAnchors breaks)",
                    cfgMut(UNTRUSTED_PROXY.alloySet(), 2, "NoProxyValidation") + " and not TrustProxyOwnAnchors", scopeFor(UNTRUSTED_PROXY)));

    /** The driver module of every two-hop command. */
    public static String driver() {
        StringBuilder sb = new StringBuilder();
        for (Spec s : SPECS) sb.append(s.command());
        return sb.toString();
    }

    /** Decides every command; prints one line each (label, verdict, time, SAT size). */
    public static List<Result> decide(PrintStream log) {
        long t0 = System.nanoTime();
        AlloyWorld w = AlloyWorld.load("two_hop", driver());
        log.printf("two-hop model parsed in %d ms; bound: %s (DEC-4 default-limit commands: %s)%n", (System.nanoTime() - t0) / 1_000_000,
                SCOPE, SCOPE_DEC4_DEFAULT);
        List<Result> out = new ArrayList<>();
        for (Spec s : SPECS) {
            AlloyWorld.Outcome o = w.execute(s.label());
            Result r = new Result(s, o.satisfiable(), o.millis(), o.totalVars(), o.clauses());
            out.add(r);
            log.printf("%-32s %-11s %-5s %s [%s] %6d ms %6d vars %7d clauses%n", s.label(), s.kind(),
                    s.kind() == Kind.REPORT ? "-" : r.passed() ? "PASS" : "FAIL", o.satisfiable() ? "SAT" : "UNSAT", s.ids(), o.millis(), o.totalVars(), o.clauses());
        }
        return out;
    }

    public static void main(String[] args) {
        List<Result> rs = decide(System.out);
        if (rs.stream().anyMatch(r -> !r.passed())) System.exit(1);
    }
}
