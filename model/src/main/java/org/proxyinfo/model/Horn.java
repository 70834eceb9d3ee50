package org.proxyinfo.model;

import com.microsoft.z3.BoolExpr;
import com.microsoft.z3.Context;
import com.microsoft.z3.Expr;
import com.microsoft.z3.Fixedpoint;
import com.microsoft.z3.Params;
import com.microsoft.z3.Z3Exception;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An unbounded argument for C3 and C1 relayed under PI-BOUND (issue 11, optional item): the
 * protocol abstraction of {@code promela/dy.pml} (TLS 1.2 ECDHE, DEC-5 bound mode, DEC-5a tags)
 * as ProVerif-style constrained Horn clauses, solved by Z3's Spacer engine (Fixedpoint API).
 *
 * <p>Messages are terms of free constructors (Z3 algebraic datatypes): nonces and DH exponents are
 * names carrying the session that created them ({@code crC(i)}, {@code srS(s)}, {@code xP1(j)}: one
 * integer per session, unbounded), signatures, Finished MACs and ciphertexts are facts of typed
 * knowledge predicates ({@code knSKE}, {@code knPI}, {@code knFC}, {@code knFS}, {@code knEnc}):
 * a message is its typed components (pair/project implicit, as in dy.pml's typed universe). The
 * attacker's knowledge is the least fixpoint of the Dolev-Yao rules (forge a signature with a key it
 * holds, a Finished or decryption with a DH key it can compute from its own exponent, replay and
 * splice any fact: facts are persistent) and of the honest roles, each an unbounded family of
 * sessions: "if the attacker knows what a role receives, it knows what the role sends".
 *
 * <p>Correspondences (C1 relayed, C1 strict, DEC-5) use Blanchet's event argument with one
 * excluded event: every predicate carries the parameters {@code e0..en} of an arbitrary event
 * instance; the honest clauses after the "running" event are enabled only for instances different
 * from {@code e}; the query asks for a "commit" whose parameters are {@code e}. If some trace had a
 * commit without a matching running, the clauses with {@code e} := that commit's parameters derive
 * it (every event of that trace differs from e), so the query is reachable; UNSAT (unreachable)
 * therefore proves non-injective agreement for every number of sessions. See model/README.md "Horn
 * clauses".
 *
 * <p>Verdicts: Spacer's UNSAT (query unreachable) = HOLDS, SAT = VIOLATED (with Z3's derivation;
 * it may be a false attack of the over-approximation), anything else (unknown, timeout, exception)
 * = UNKNOWN, which the tests treat as a failure.
 */
public final class Horn {
    public enum Status { HOLDS, VIOLATED, UNKNOWN }

    /** prop: C3, C1R, C1RS, DEC5, C1S, PUBLIC; arch DIRECT or PI-BOUND; threat none, corrupt, misissue; mutant "" or NoDEC9, NoDEC5, NoDEC10, NoDEC15, NoFinishedCheck, NoUpstreamFinishedCheck, or several joined by "+". */
    public record Check(String prop, String arch, String threat, String mutant, boolean sanity) {
        public String key() {
            return prop + (sanity ? " sanity" : "") + " | " + arch + " | " + threat + " | " + (mutant.isEmpty() ? "-" : mutant);
        }
    }

    public record Result(Check check, Status status, String detail, List<String> derivation, long millis) {}

    // ------------------------------------------------------------------ the clause text

    private final Check c;
    private final boolean pi;
    private final String[] exclSorts;
    private final StringBuilder out = new StringBuilder();

    private Horn(Check c) {
        this.c = c;
        this.pi = c.arch().equals("PI-BOUND");
        this.exclSorts = switch (c.prop()) {
            case "C1R" -> new String[] {"Nonce", "Nonce", "Exp", "Exp", "Nonce", "Cert", "Int"};  // P's running (session #1 + assertion)
            case "C1RS" -> new String[] {"Nonce", "Nonce", "Exp", "Exp"};                           // S's running (session #2)
            case "DEC5" -> new String[] {"Nonce", "Nonce", "Nonce", "Cert", "Int"};                 // P's assertion
            case "C1S" -> new String[] {"Nonce", "Nonce", "Exp", "Exp", "Bool"};                    // S's running (direct)
            default -> new String[0];
        };
    }

    /** the excluded event's parameters, prefixed to every predicate */
    private String ex() {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < exclSorts.length; k++) b.append(" e").append(k);
        return b.toString();
    }

    /** an atom: predicate applied to the excluded event's parameters and args */
    private String a(String pred, String args) {
        String e = ex();
        if (e.isEmpty() && args.isEmpty()) return pred;
        return "(" + pred + e + (args.isEmpty() ? "" : " " + args) + ")";
    }

    /** the event gate: the honest event's parameters differ from the excluded one */
    private String gate(String prop, String... params) {
        if (!c.prop().equals(prop)) return "true";
        if (params.length != exclSorts.length) throw new IllegalStateException(prop + ": " + params.length + " gate parameters, " + exclSorts.length + " excluded");
        StringBuilder b = new StringBuilder("(not (and");
        for (int k = 0; k < params.length; k++) b.append(" (= e").append(k).append(' ').append(params[k]).append(')');
        return b.append("))").toString();
    }

    /** the check's mutant removes this check ("NoDEC10+NoDEC15": both) */
    private boolean has(String mutant) {
        return java.util.Arrays.asList(c.mutant().split("\\+")).contains(mutant);
    }

    /** the query's commit is the excluded event (property), or another one (sanity: the gates leave honest commits) */
    private String excluded(String same) {
        return c.sanity() ? "(not " + same + ")" : same;
    }

    private void rule(String head, String... body) {
        if (body.length == 0) out.append("(rule ").append(head).append(")\n");
        else out.append("(rule (=> (and ").append(String.join(" ", body)).append(") ").append(head).append("))\n");
    }

    private void rel(String name, String sorts) {
        String e = String.join(" ", exclSorts);
        out.append("(declare-rel ").append(name).append(" (").append(e).append(e.isEmpty() || sorts.isEmpty() ? "" : " ").append(sorts).append("))\n");
    }

    /** the whole clause set of one check, in Z3's fixedpoint (muZ) SMT-LIB format, with its query relation "goal" */
    public static String clauses(Check c) {
        Horn h = new Horn(c);
        h.build();
        return h.out.toString();
    }

    private void build() {
        boolean corrupt = c.threat().equals("corrupt"), misissue = c.threat().equals("misissue");
        String off = pi ? "true" : "false";   // the client offers proxy_info in PI-BOUND only
        out.append("; ").append(c.key()).append("\n");
        // terms: free constructors; names carry the (unbounded) session that created them
        out.append("(declare-datatypes ((Nonce 0) (Exp 0) (Key 0) (Cert 0) (Host 0)) (\n"
                + " ((nA) (nNone) (crC (crC_i Int)) (srS (srS_i Int)) (crP (crP_i Int)) (srP (srP_i Int)))\n"
                + " ((xA) (xNone) (xC (xC_i Int)) (xS (xS_i Int)) (xP1 (xP1_i Int)) (xP2 (xP2_i Int)))\n"
                + " ((kS) (kP) (kA))\n"
                + " ((cS) (cP) (cA) (cAS) (cNone))\n"
                + " ((hS) (hP) (hA))))\n");
        // certificates: key, name, web CA (cAS: misissued for S's name with the attacker's key)
        out.append("(define-fun key ((c Cert)) Key (ite (= c cS) kS (ite (= c cP) kP kA)))\n");
        out.append("(define-fun name ((c Cert)) Host (ite (or (= c cS) (= c cAS)) hS (ite (= c cP) hP hA)))\n");
        out.append("(define-fun webok ((c Cert)) Bool (or (= c cS) (= c cA) (= c cAS)))\n");
        // attacker knowledge (typed), honest states, events
        rel("knN", "Nonce"); rel("knX", "Exp"); rel("knE", "Exp"); rel("knK", "Key"); rel("knC", "Cert");
        rel("knDH", "Exp Exp");
        rel("knSKE", "Key Nonce Nonce Exp");
        rel("knPI", "Key Nonce Nonce Nonce Cert Int");
        String fin = "Nonce Nonce Exp Exp Bool Host Nonce Cert Int";
        rel("knFC", fin); rel("knFS", fin);
        rel("knEnc", "Exp Exp Int"); rel("knData", "Int");
        rel("stC", "Int Nonce Exp Nonce Cert Int");
        rel("kmPI", "Nonce Nonce Nonce Cert Int");
        rel("commitC", "Nonce Nonce Exp Exp Bool Nonce Cert Int");
        rel("stS", "Int Nonce Bool Host");
        rel("stP1", "Int Nonce Host"); rel("stP2", "Int Nonce Host Nonce Exp Cert"); rel("stP3", "Int Nonce Host Nonce Exp Cert");
        rel("stP4", "Int Nonce Host Nonce Exp Cert Exp");
        rel("runP", "Nonce Nonce Exp Exp Nonce Cert Int Nonce Exp Exp");
        out.append("(declare-rel goal ())\n");
        for (String v : new String[] {"i", "j", "s", "d", "psu"}) out.append("(declare-var ").append(v).append(" Int)\n");
        for (String v : new String[] {"n", "cr", "sr", "cr1", "sr2", "cr2", "pcr", "psr", "psr2"}) out.append("(declare-var ").append(v).append(" Nonce)\n");
        for (String v : new String[] {"x", "y", "gx", "gy", "gx1", "gx2", "gy2"}) out.append("(declare-var ").append(v).append(" Exp)\n");
        for (String v : new String[] {"ca", "c2", "pch"}) out.append("(declare-var ").append(v).append(" Cert)\n");
        out.append("(declare-var k Key)\n(declare-var h Host)\n(declare-var o Bool)\n");
        for (int k = 0; k < exclSorts.length; k++) out.append("(declare-var e").append(k).append(' ').append(exclSorts[k]).append(")\n");

        // ---- the attacker (Dolev-Yao): its own names, keys, certificates
        rule(a("knN", "nA"));                                   // its own nonce
        rule(a("knE", "xA"));                                   // its own DH exponent
        rule(a("knX", "x"), a("knE", "x"));                     // DH: g^x from an exponent it knows
        rule(a("knK", "kA"));                                   // its own signing key
        if (corrupt) { rule(a("knK", "kS")); rule(a("knK", "kP")); }   // corrupted long-term keys (from the start)
        rule(a("knC", "cS")); rule(a("knC", "cP")); rule(a("knC", "cA"));   // certificates are public
        if (misissue) rule(a("knC", "cAS"));                    // web-CA misissuance: a certificate for S's name, key kA
        // DH: the key of a leg from its own exponent and the other share (g^xy = (g^y)^x)
        rule(a("knDH", "x y"), a("knE", "x"), a("knX", "y"));
        rule(a("knDH", "x y"), a("knE", "y"), a("knX", "x"));
        // sign with a key it holds: a ServerKeyExchange, an assertion of its choice (DEC-5a tag: two predicates)
        rule(a("knSKE", "k cr sr gy"), a("knK", "k"), a("knN", "cr"), a("knN", "sr"), a("knX", "gy"));
        rule(a("knPI", "k cr sr sr2 pch psu"), a("knK", "k"), a("knN", "cr"), a("knN", "sr"), a("knN", "sr2"), a("knC", "pch"), "(or (= psu 1) (= psu 2))");
        // a Finished (either side) over any transcript, with a leg key it can compute
        rule(a("knFC", "cr sr gx gy o h psr2 pch psu"), a("knDH", "gx gy"), a("knN", "cr"), a("knN", "sr"));
        rule(a("knFS", "cr sr gx gy o h psr2 pch psu"), a("knDH", "gx gy"), a("knN", "cr"), a("knN", "sr"));
        // decrypt with a leg key it can compute
        rule(a("knData", "d"), a("knEnc", "x y d"), a("knDH", "x y"));
        rule(a("knEnc", "x y d"), a("knData", "d"), a("knDH", "x y"));   // encrypt what it knows (P's relay as an oracle)

        // ---- client C, sessions i (means host S)
        rule(a("knN", "(crC i)"));                                                         // ClientHello(cr, offer, S)
        rule(a("stC", "i sr gy nNone cNone 0"), a("knN", "sr"), a("knX", "gy"), a("knC", "ca"),   // DEC-13 plain validation
                "(= (name ca) hS)", "(webok ca)", a("knSKE", "(key ca) (crC i) sr gy"));
        if (pi) {
            String dec9 = has("NoDEC9") ? "(or (= ca cP) (webok ca))" : "(= ca cP)";
            String dec5 = has("NoDEC5") ? "true" : "(and (= pcr (crC i)) (= psr sr))";
            String dec10 = has("NoDEC10") ? "true" : "(and (= (name pch) hS) (webok pch))";
            String[] accepts = {a("knN", "sr"), a("knX", "gy"), a("knC", "ca"), dec9,        // DEC-9, then DEC-8: signatures with its key
                    a("knSKE", "(key ca) (crC i) sr gy"), a("knPI", "(key ca) pcr psr psr2 pch psu"), dec5,
                    dec10, "(= psu 1)"};                                                        // DEC-10, DEC-11
            rule(a("kmPI", "(crC i) sr psr2 pch psu"), accepts);     // event: key material after accepting this assertion
            rule(a("stC", "i sr gy psr2 pch psu"), accepts);
        }
        rule(a("knX", "(xC i)"), a("stC", "i sr gy psr2 pch psu"));                                    // ClientKeyExchange
        rule(a("knFC", "(crC i) sr (xC i) gy " + off + " hS psr2 pch psu"), a("stC", "i sr gy psr2 pch psu"));   // its Finished
        String finS = has("NoFinishedCheck") ? "true" : a("knFS", "(crC i) sr (xC i) gy " + off + " hS psr2 pch psu");
        rule(a("commitC", "(crC i) sr (xC i) gy " + off + " psr2 pch psu"), a("stC", "i sr gy psr2 pch psu"), finS);   // server Finished: Commit
        rule(a("knEnc", "(xC i) gy i"), a("stC", "i sr gy psr2 pch psu"), finS);                                       // data(i) under the leg key

        // ---- origin server S, sessions s
        rule(a("stS", "s cr o h"), a("knN", "cr"));                                                 // ClientHello(cr, any offer, any SNI)
        rule(a("knN", "(srS s)"), a("stS", "s cr o h"));                                            // ServerHello
        rule(a("knX", "(xS s)"), a("stS", "s cr o h"));
        rule(a("knSKE", "kS cr (srS s) (xS s)"), a("stS", "s cr o h"));                              // SKE = sig_kS(SKE, cr, sr, gy)
        rule(a("knFS", "cr (srS s) gx (xS s) o h nNone cNone 0"), a("stS", "s cr o h"), a("knX", "gx"),   // Running_S, its Finished
                a("knFC", "cr (srS s) gx (xS s) o h nNone cNone 0"),
                gate("C1RS", "cr", "(srS s)", "gx", "(xS s)"), gate("C1S", "cr", "(srS s)", "gx", "(xS s)", "o"));

        // ---- proxy P, runs j (PI-BOUND): session #2 to host h, then session #1 with the assertion
        if (pi) {
            String dec15 = has("NoDEC15") ? "true" : "(and (= (name c2) h) (webok c2))";
            rule(a("stP1", "j cr1 h"), a("knN", "cr1"), "(or (= h hS) (= h hA))");                                    // ClientHello #1 (offer, SNI h)
            rule(a("knN", "(crP j)"), a("stP1", "j cr1 h"));                                                          // ClientHello #2 to h
            rule(a("stP2", "j cr1 h sr2 gy2 c2"), a("stP1", "j cr1 h"), a("knN", "sr2"), a("knX", "gy2"), a("knC", "c2"),   // DEC-15
                    dec15, a("knSKE", "(key c2) (crP j) sr2 gy2"));
            rule(a("knX", "(xP2 j)"), a("stP2", "j cr1 h sr2 gy2 c2"));
            rule(a("knFC", "(crP j) sr2 (xP2 j) gy2 false h nNone cNone 0"), a("stP2", "j cr1 h sr2 gy2 c2"));
            String fin2 = has("NoUpstreamFinishedCheck") ? "true" : a("knFS", "(crP j) sr2 (xP2 j) gy2 false h nNone cNone 0");
            rule(a("stP3", "j cr1 h sr2 gy2 c2"), a("stP2", "j cr1 h sr2 gy2 c2"),                                 // S's Finished #2
                    fin2, gate("DEC5", "cr1", "(srP j)", "sr2", "c2", "1"));
            rule(a("knN", "(srP j)"), a("stP3", "j cr1 h sr2 gy2 c2"));                                            // ServerHello #1
            rule(a("knX", "(xP1 j)"), a("stP3", "j cr1 h sr2 gy2 c2"));
            rule(a("knSKE", "kP cr1 (srP j) (xP1 j)"), a("stP3", "j cr1 h sr2 gy2 c2"));
            rule(a("knPI", "kP cr1 (srP j) sr2 c2 1"), a("stP3", "j cr1 h sr2 gy2 c2"));                          // assertion sig_kP(PI, cr1, sr1, sr2, chain, suite)
            rule(a("stP4", "j cr1 h sr2 gy2 c2 gx1"), a("stP3", "j cr1 h sr2 gy2 c2"), a("knX", "gx1"),               // client Finished #1: Running_P
                    a("knFC", "cr1 (srP j) gx1 (xP1 j) true h sr2 c2 1"), gate("C1R", "cr1", "(srP j)", "gx1", "(xP1 j)", "sr2", "c2", "1"));
            rule(a("runP", "cr1 (srP j) gx1 (xP1 j) sr2 c2 1 (crP j) (xP2 j) gy2"), a("stP4", "j cr1 h sr2 gy2 c2 gx1"));
            rule(a("knFS", "cr1 (srP j) gx1 (xP1 j) true h sr2 c2 1"), a("stP4", "j cr1 h sr2 gy2 c2 gx1"));
            rule(a("knEnc", "(xP2 j) gy2 d"), a("stP4", "j cr1 h sr2 gy2 c2 gx1"), a("knEnc", "gx1 (xP1 j) d"));  // relay data upstream
        }

        // ---- the query (goal) of the property, or of its sanity run (the antecedent, reachable)
        String commitPi = a("commitC", "cr sr gx gy true psr2 pch psu");
        switch (c.prop()) {
            case "C3" -> {
                if (!c.sanity()) rule("goal", a("knData", "d"));
                else if (pi) rule("goal", commitPi, "(not (= psr2 nNone))");               // data sent through an assertion
                else rule("goal", a("commitC", "cr sr gx gy false psr2 pch psu"));
            }
            case "C1R" -> rule("goal", commitPi, "(not (= psr2 nNone))",
                    excluded("(and (= e0 cr) (= e1 sr) (= e2 gx) (= e3 gy) (= e4 psr2) (= e5 pch) (= e6 psu))"));
            case "C1RS" -> {
                String both = commitPi + " (not (= psr2 nNone)) " + a("runP", "cr sr gx gy psr2 pch psu cr2 gx2 gy2");
                if (c.sanity()) rule("goal", both, "(not (and (= e0 cr2) (= e1 psr2) (= e2 gx2) (= e3 gy2)))", "(= pch cS)");
                else {
                    rule("goal", both, "(and (= e0 cr2) (= e1 psr2) (= e2 gx2) (= e3 gy2))");
                    rule("goal", both, "(not (= pch cS))");   // no S running is under another certificate than S's own
                }
            }
            case "DEC5" -> rule("goal", a("kmPI", "cr sr psr2 pch psu"),
                    excluded("(and (= e0 cr) (= e1 sr) (= e2 psr2) (= e3 pch) (= e4 psu))"));
            case "C1S" -> rule("goal", a("commitC", "cr sr gx gy o nNone cNone 0"),
                    excluded("(and (= e0 cr) (= e1 sr) (= e2 gx) (= e3 gy) (= e4 o))"));
            case "PUBLIC" -> rule("goal", a("knN", "(srS s)"), a("knX", "(xS s)"));   // the attacker learns S's public values
            default -> throw new IllegalArgumentException(c.prop());
        }
        out.append("(query goal)\n");
    }

    // ------------------------------------------------------------------ solving

    /** Decides one check with Spacer; UNKNOWN on Z3's unknown, a timeout (interrupt) or an exception. */
    public static Result run(Check check, long timeoutMillis) {
        return solve(check, clauses(check), timeoutMillis);
    }

    /** Solves a clause text in Z3's fixedpoint format with one query (package-private: the tests feed it broken text). */
    static Result solve(Check check, String text, long timeoutMillis) {
        long t0 = System.nanoTime();
        try (Context ctx = new Context()) {
            Fixedpoint fp = ctx.mkFixedpoint();
            Params p = ctx.mkParams();
            p.add("engine", "spacer");
            fp.setParameters(p);
            BoolExpr[] queries = fp.ParseString(text);
            if (queries.length != 1) return new Result(check, Status.UNKNOWN, "parse: " + queries.length + " queries", List.of(), ms(t0));
            Thread watchdog = new Thread(() -> {
                try { Thread.sleep(timeoutMillis); ctx.interrupt(); } catch (InterruptedException ignored) { }
            });
            watchdog.setDaemon(true);
            watchdog.start();
            com.microsoft.z3.Status s;
            try {
                s = fp.query(queries[0]);
            } catch (Z3Exception e) {
                s = com.microsoft.z3.Status.UNKNOWN;
            } finally {
                watchdog.interrupt();
                try { watchdog.join(); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
            }
            long millis = ms(t0);
            if (millis >= timeoutMillis) return new Result(check, Status.UNKNOWN, "timeout after " + timeoutMillis + " ms", List.of(), millis);
            int skip = new Horn(check).exclSorts.length;
            return switch (s) {
                case UNSATISFIABLE -> new Result(check, Status.HOLDS, "unsat: goal unreachable", List.of(), millis);
                case SATISFIABLE -> new Result(check, Status.VIOLATED, "sat: goal reachable", derivation(fp.getAnswer(), skip), millis);
                default -> new Result(check, Status.UNKNOWN, "unknown: " + fp.getReasonUnknown(), List.of(), millis);
            };
        } catch (Z3Exception | UnsatisfiedLinkError e) {
            return new Result(check, Status.UNKNOWN, "exception: " + e, List.of(), ms(t0));
        }
    }

    /** The loaded native Z3's version (loading it is the check that the native library works on this machine). */
    public static String z3Version() {
        return com.microsoft.z3.Version.getFullVersion();
    }

    private static long ms(long t0) { return (System.nanoTime() - t0) / 1_000_000; }

    /**
     * The ground facts of Spacer's refutation (its hyper-resolution proof), premises before
     * conclusions, without the excluded event's parameters (the first {@code skip} arguments).
     */
    static List<String> derivation(Expr<?> proof, int skip) {
        Set<String> facts = new LinkedHashSet<>();
        collect(proof, facts, new java.util.HashSet<>(), skip);
        return new ArrayList<>(facts);
    }

    private static void collect(Expr<?> e, Set<String> facts, Set<Expr<?>> seen, int skip) {
        if (e == null || !seen.add(e) || !e.isApp()) return;
        for (Expr<?> arg : e.getArgs()) collect(arg, facts, seen, skip);
        String name = e.getFuncDecl().getName().toString();
        if (!(name.startsWith("kn") || name.startsWith("st") || name.equals("commitC") || name.equals("kmPI") || name.equals("runP"))) return;
        Expr<?>[] args = e.getArgs();
        if (!e.isBool() || e.getFuncDecl().getDomainSize() != args.length || args.length < skip) return;
        StringBuilder b = new StringBuilder("(").append(name);
        for (int k = 0; k < args.length; k++) {
            if (!isGround(args[k])) return;
            if (k >= skip) b.append(' ').append(args[k].toString().replaceAll("\\s+", " "));
        }
        facts.add(b.append(')').toString());
    }

    private static boolean isGround(Expr<?> e) {
        if (e.isVar() || e.isQuantifier()) return false;
        if (!e.isApp()) return true;
        for (Expr<?> arg : e.getArgs()) if (!isGround(arg)) return false;
        return true;
    }
    // ------------------------------------------------------------------ evidence

    /** The verdict table (no times: measurements are printed by the test, not written to compared files). */
    public static String markdown(List<Result> results) {
        StringBuilder b = new StringBuilder();
        b.append("# Horn clauses (Z3 Spacer): verdicts for unboundedly many sessions\n\n");
        b.append("Solver: ").append(z3Version()).append(", engine spacer.\n\n");
        b.append("Generated by `HornTest` from `model/src/main/java/org/proxyinfo/model/Horn.java` (the clause text of every check is ")
                .append("`Horn.clauses(check)`). Regenerate with `-Dmodel.update=true`; the build compares this file. Times are ")
                .append("measurements: printed by the test, not written here. Reading: model/README.md \"Horn clauses\".\n\n");
        b.append("HOLDS = Spacer proved the goal unreachable (UNSAT) for every number of sessions of every role: a sound ")
                .append("over-approximation for secrecy and non-injective agreement. VIOLATED = the goal is derivable (SAT); the ")
                .append("derivation is printed by the test and may be a false attack of the abstraction. UNKNOWN never appears here: ")
                .append("it fails the test. A `sanity` row asks for the property's antecedent (the commit through an assertion, ")
                .append("a commit other than the excluded one, a public value): VIOLATED there means it is reachable, so the HOLDS ")
                .append("beside it is not vacuous.\n\n");
        b.append("| property | architecture | threat | mutant | sanity | verdict |\n|---|---|---|---|---|---|\n");
        for (Result r : results) {
            Check c = r.check();
            b.append("| ").append(c.prop()).append(" | ").append(c.arch()).append(" | ").append(c.threat()).append(" | ")
                    .append(c.mutant().isEmpty() ? "-" : c.mutant()).append(" | ").append(c.sanity() ? "sanity" : "").append(" | ")
                    .append(r.status()).append(" |\n");
        }
        return b.toString();
    }
}
