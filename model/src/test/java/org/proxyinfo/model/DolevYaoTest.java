package org.proxyinfo.model;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Dolev-Yao model in time (issue #11 item 1), decided by SPIN ({@link DolevYao}): C1 strict
 * (C1S) and relayed (C1R, injective agreement with time), C3 secrecy, forward secrecy (FS), DEC-8's
 * order (DEC8: no key material before DEC-9, the session-#1 signatures, DEC-5, DEC-10, DEC-11
 * hold), DEC-5a (no SKE accepted as an assertion and the reverse), R5 (a stripped or added offer is
 * detected), BIND (DEC-5: an assertion accepted under the proxy's key states the facts of this session
 * #1's proxy run, when key material leaves), in DIRECT, PI-00, PI-01 (the drafts' assertions and literal
 * proxy trust; PI-00+DEC9 and PI-01+DEC9 with DEC-9's anchor, to isolate DEC-5) and PI-BOUND, under no
 * threat, key corruption at any step (corrupt) and web-CA misissuance (misissue); C1S over two client
 * runs (injectivity). Every expected HOLDS has a sanity run whose antecedent is reachable, every
 * expected violation has a trail, every mutant (NoDEC9, NoDEC5, NoDEC10, NoDEC11, NoFinishedCheck,
 * NoDomainSeparation, NoClientFreshness) breaks a property that holds without it. UNKNOWN (timeout,
 * depth limit, memory, parse failure, spin missing) fails. -Dmodel.bound=deep (-Pmodel-deep) uses two
 * server sessions for every check, BIND under every threat, and C1R over two client runs in PI-BOUND
 * (not compared with the committed table).
 */
class DolevYaoTest {
    static final String H = "HOLDS", V = "VIOLATED";
    static final boolean DEEP = "deep".equals(System.getProperty("model.bound"));
    static final DolevYao.Sessions BOUND = DEEP ? new DolevYao.Sessions(1, 1, 2, 10000) : DolevYao.DEFAULT;
    static final long TIMEOUT = Long.getLong("dy.timeout", DEEP ? 600 : 120);

    record Expect(DolevYao.Check check, String verdict, String why) {}
    static final List<Expect> EXPECT = new ArrayList<>();
    static final List<DolevYao.Result> RESULTS = new ArrayList<>();

    static void cell(String prop, String arch, String threat, String verdict, String why) {
        cell(prop, arch, threat, verdict, why, BOUND);
    }

    static void cell(String prop, String arch, String threat, String verdict, String why, DolevYao.Sessions b) {
        DolevYao.Check c = new DolevYao.Check(prop, arch, threat, "", false, b);
        EXPECT.add(new Expect(c, verdict, why));
        if (verdict.equals(H))   // sanity: the antecedent is reachable (its "never" assertion is violated)
            EXPECT.add(new Expect(new DolevYao.Check(prop, arch, threat, "", true, b), V, "sanity of " + prop + ": antecedent reachable"));
    }

    /** Two client runs: DIRECT with two server runs; PI-BOUND (deep only) with two proxy and two server runs. */
    static final DolevYao.Sessions CLIENTS2_DIRECT = new DolevYao.Sessions(2, 1, 2, 10000);
    static final DolevYao.Sessions CLIENTS2_PI = new DolevYao.Sessions(2, 2, 2, 10000);

    /** BIND needs two proxy runs (one to splice from); deep: two server runs as well, with no threat (under
     *  corruption PI-BOUND's BIND already stores 3.3 million states at 1/2/1, so the threatened rows keep 1/2/1). */
    static final DolevYao.Sessions SPLICE = DEEP ? DolevYao.TWO : DolevYao.SPLICE;

    static DolevYao.Sessions splice(String threat) { return threat.equals("none") ? SPLICE : DolevYao.SPLICE; }

    static void mutant(String m, String prop, String arch, String threat, DolevYao.Sessions b, String why) {
        EXPECT.add(new Expect(new DolevYao.Check(prop, arch, threat, m, false, b), V, why));
    }

    static {
        String D = "DIRECT", P = "PI-BOUND";
        for (String t : new String[] {"none", "corrupt", "misissue"}) {
            boolean none = t.equals("none"), cor = t.equals("corrupt");
            cell("C1S", D, t, none ? H : V, "C1 strict with time: " + (none ? "holds" : cor ? "kS corrupted before the session" : "misissued cert for S"));
            cell("C3", D, t, none ? H : V, "C3 secrecy");
            cell("FS", D, t, cor || none ? H : V, "forward secrecy: a leak needs a corruption before the Commit");
            cell("DEC8", D, t, H, "DEC-13 plain validation passes before key material");
            cell("C1S", P, t, V, "C1 strict: any TLS-terminating proxy violates it (by design)");
            cell("C1R", P, t, none ? H : V, "C1 relayed (injective agreement through the announced proxy)");
            cell("C3", P, t, none ? H : V, "C3 secrecy through the proxy");
            cell("FS", P, t, cor || none ? H : V, "forward secrecy through the proxy");
            cell("DEC8", P, t, H, "DEC-8 order: every check holds before key material");
            cell("DEC5A", P, t, H, "DEC-5a domain separation");
            cell("R5", P, t, H, "R5: a stripped offer is detected (Finished)");
            // BIND under corruption and misissuance only in the deep bound (3.3M states for PI-BOUND/corrupt; the
            // threats add attacker power, so the splice found without them is found with them)
            if (none || DEEP)
                cell("BIND", P, t, H, "DEC-5 bound mode: an assertion under P's key is about this session #1's proxy run", splice(t));
            // the drafts' own assertions (DEC-1: -00 and -01 as written; DEC-5 draft-literal; literal proxy trust)
            for (String r : new String[] {"PI-00", "PI-01"}) {
                cell("C1S", r, t, V, "C1 strict: any TLS-terminating proxy violates it (by design)");
                cell("C1R", r, t, V, "C1 relayed: the attacker's own web certificate is an acceptable proxy (literal trust, no DEC-9)");
                cell("C3", r, t, V, "C3: the attacker, accepted as a proxy, reads the data");
                cell("FS", r, t, V, "forward secrecy: the data leaks with no key corrupted");
                cell("DEC8", r, t, H, "the draft's checks (literal trust, signature, chain, policy) hold before key material");
                cell("R5", r, t, H, "R5: a stripped offer is detected (Finished)");
                if (none || DEEP)
                    cell("BIND", r, t, V, "unbound assertion: another proxy run's assertion spliced into this session #1 before key material", splice(t));
            }
            if (none) {
                // the same assertions with DEC-9's anchor: the splice still passes every check before key material
                // leaves (BIND), but the Finished over the transcript (which carries the assertion) stops the Commit
                for (String r : new String[] {"PI-00+DEC9", "PI-01+DEC9"}) {
                    cell("C1R", r, t, H, "C1 relayed: the spliced assertion is in the client's transcript, P's Finished differs", SPLICE);
                    cell("C3", r, t, H, "C3: no Commit with the attacker", SPLICE);
                    cell("BIND", r, t, V, "the splice passes the draft's checks: key material leaves under a false assertion", SPLICE);
                }
            }
        }
        DolevYao.Sessions two = DEEP ? new DolevYao.Sessions(1, 2, 2, 10000) : DolevYao.TWO;
        mutant("NoDEC9", "DEC8", P, "none", BOUND, "DEC-9: the attacker's web certificate accepted as a proxy");
        mutant("NoDEC9", "C1R", P, "none", BOUND, "DEC-9: C1 relayed broken by an attacker proxy");
        mutant("NoDEC9", "C3", P, "none", BOUND, "DEC-9: the attacker proxy reads the data");
        mutant("NoDEC5", "DEC8", P, "none", two, "DEC-5: an assertion of another session of P replayed");
        mutant("NoDEC10", "DEC8", P, "none", BOUND, "DEC-10: P sent upstream to the attacker's host (SNI changed)");
        mutant("NoDEC11", "DEC8", P, "corrupt", BOUND, "DEC-11: a weak upstream suite in an assertion signed with a corrupted kP");
        mutant("NoFinishedCheck", "R5", P, "none", BOUND, "Finished: the offer stripped towards S goes unnoticed");
        mutant("NoFinishedCheck", "C1S", "DIRECT", "none", BOUND, "Finished: Commit before S ran (agreement with time)");
        mutant("NoDomainSeparation", "DEC5A", P, "none", BOUND, "DEC-5a: P's SKE accepted as its assertion");
        mutant("NoDEC5", "BIND", P, "none", SPLICE, "DEC-5: without the binding check the splice of the drafts goes through in PI-BOUND");
        // two client runs, so that injective agreement can fail (a Commit agreeing with a responder run another
        // Commit already agreed with); the sanity run reaches two Commits; NoClientFreshness (the second run reuses
        // the first run's random and DH share) lets the attacker replay the whole server side into it
        cell("C1S", "DIRECT", "none", H, "C1 strict, injective over two client runs", CLIENTS2_DIRECT);
        mutant("NoClientFreshness", "C1S", "DIRECT", "none", CLIENTS2_DIRECT, "injectivity: a replayed server flight and Finished commit a second client run");
        if (DEEP) {   // two relayed Commits need two proxy and two server runs (6.6M states, about 84 s CPU)
            cell("C1R", P, "none", H, "C1 relayed, injective over two client runs", CLIENTS2_PI);
            mutant("NoClientFreshness", "C1R", P, "none", CLIENTS2_PI, "injectivity: a second client run commits on a responder run already agreed with");
        }
    }

    @BeforeAll
    static void decide() {
        String missing = DolevYao.toolsMissing();
        assertNull(missing, missing);   // fails, never skips: run .ci/setup
        // each check is its own spin/gcc/pan run in its own temporary directory: decided on the table's threads
        // (-Dmodel.threads), in EXPECT's order for the committed table and the log
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(VerdictTable.threads());
        List<java.util.concurrent.Future<DolevYao.Result>> futures = new ArrayList<>();
        for (Expect e : EXPECT) futures.add(pool.submit(() -> DolevYao.run(e.check(), TIMEOUT)));
        pool.shutdown();
        for (int i = 0; i < EXPECT.size(); i++) {
            Expect e = EXPECT.get(i);
            DolevYao.Result r;
            try {
                r = futures.get(i).get();
            } catch (InterruptedException | java.util.concurrent.ExecutionException x) {
                throw new AssertionError("DY check " + e.check().key() + " did not finish: " + x, x);
            }
            RESULTS.add(r);
            System.out.printf("DY %-60s %-8s states %d depth %d mem %.1f MB %d ms %s%n", e.check().key(), r.status(), r.states(),
                    r.depthReached(), r.memoryMB(), r.millis(), r.detail());
            if (r.status() == DolevYao.Status.VIOLATED && !e.check().sanity())
                System.out.println("   trail: " + String.join(" ; ", r.trail()));
        }
    }

    @TestFactory
    @DisplayName("every check (C1S, C1R, C3, FS, DEC-8, DEC-5a, R5; DEC-9, DEC-5, DEC-10, DEC-11 mutants) has its expected verdict")
    List<DynamicTest> everyCheck() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int k = 0; k < EXPECT.size(); k++) {
            Expect e = EXPECT.get(k);
            DolevYao.Result r = RESULTS.get(k);
            tests.add(DynamicTest.dynamicTest(e.check().key() + ": " + e.verdict() + " (" + e.why() + ")", () -> {
                assertTrue(r.status() != DolevYao.Status.UNKNOWN, "UNKNOWN is a failure: " + r.detail());
                assertEquals(e.verdict(), r.status().name(), e.why());
                if (r.status() == DolevYao.Status.VIOLATED) assertFalse(r.trail().isEmpty(), "a violation needs its trail");
            }));
        }
        return tests;
    }

    /** The client checks of DEC-8's order, as the trail names them. */
    static final java.util.regex.Pattern CLIENT_CHECK = java.util.regex.Pattern.compile("C (DEC-9|DEC-5 binding|DEC-10|DEC-11|DEC-13)[ :].*");

    @Test
    @DisplayName("a counterexample's trail gives each client check with its result, names a removed check's mutant, and ends at the violation")
    void trailsGiveEachCheckWithItsResult() {
        java.util.Set<String> mutantsSeen = new java.util.TreeSet<>();
        for (int k = 0; k < EXPECT.size(); k++) {
            DolevYao.Check c = EXPECT.get(k).check();
            DolevYao.Result r = RESULTS.get(k);
            if (r.status() != DolevYao.Status.VIOLATED || c.sanity()) continue;
            List<String> t = r.trail();
            assertTrue(t.get(t.size() - 1).contains("assertion violated"), c.key() + ": nothing after the violation belongs to the trail: " + t);
            for (String ev : t) {
                java.util.regex.Matcher m = CLIENT_CHECK.matcher(ev);
                if (!m.matches()) continue;
                assertTrue(ev.endsWith(": passed") || ev.endsWith(": refused") || ev.contains("(mutant "),
                        c.key() + ": a check's event says how it ended: " + ev);
                String removed = switch (m.group(1)) {
                    case "DEC-9" -> "NoDEC9";
                    case "DEC-5 binding" -> "NoDEC5";
                    case "DEC-10" -> "NoDEC10";
                    case "DEC-11" -> "NoDEC11";
                    default -> "-"; // DEC-13 has no mutant
                };
                if (c.mutant().equals(removed)) {
                    assertTrue(ev.contains("(mutant " + removed), c.key() + ": the trail says the check is the mutant's: " + ev);
                    mutantsSeen.add(removed);
                } else {
                    assertFalse(ev.contains("(mutant "), c.key() + ": " + ev);
                }
            }
        }
        assertEquals(java.util.Set.of("NoDEC5", "NoDEC9", "NoDEC10", "NoDEC11"), mutantsSeen,
                "the NoDEC9, NoDEC5, NoDEC10 and NoDEC11 trails reach their mutant's check");
    }

    @Test
    @DisplayName("every mutant's property HOLDS without the mutant in the same setting (tightness)")
    void mutantsAreTight() {
        for (Expect e : EXPECT) {
            if (e.check().mutant().isEmpty()) continue;
            boolean base = EXPECT.stream().anyMatch(b -> b.check().mutant().isEmpty() && !b.check().sanity() && b.verdict().equals(H)
                    && b.check().prop().equals(e.check().prop()) && b.check().arch().equals(e.check().arch())
                    && b.check().threat().equals(e.check().threat()));
            assertTrue(base, e.check().key() + ": the property must hold without the mutant");
        }
    }

    @Test
    @DisplayName("UNKNOWN, never a verdict: a depth limit the search reaches, and a timeout (the process is killed)")
    void unknownIsNotAVerdict() {
        DolevYao.Check shallow = new DolevYao.Check("C1R", "PI-BOUND", "none", "", false, new DolevYao.Sessions(1, 1, 1, 20));
        DolevYao.Result r = DolevYao.run(shallow, TIMEOUT);
        assertEquals(DolevYao.Status.UNKNOWN, r.status(), r.detail());
        DolevYao.Check slow = new DolevYao.Check("C1R", "PI-BOUND", "none", "", false, BOUND);
        r = DolevYao.run(slow, 0);
        assertEquals(DolevYao.Status.UNKNOWN, r.status(), r.detail());
        assertTrue(r.detail().startsWith("timeout"), r.detail());
    }

    @Test
    @DisplayName("UNKNOWN, never a verdict: pan's memory limit reached (it says 'Search not completed' and 'errors: 0')")
    void memoryLimitIsNotAVerdict() {
        // The BIND check under NoDEC5 is VIOLATED with room to search (verdicts.md); with 9 MB pan stops early,
        // prints errors: 0 and leaves no trail, which must not read as HOLDS.
        DolevYao.Check c = new DolevYao.Check("BIND", "PI-BOUND", "none", "NoDEC5", false, DolevYao.SPLICE);
        DolevYao.Result r = DolevYao.run(c, TIMEOUT, 9);
        assertEquals(DolevYao.Status.UNKNOWN, r.status(), "states " + r.states() + " " + r.detail());
        assertTrue(r.detail().contains("memory"), r.detail());
    }

    @Test
    @DisplayName("proofs/model/dy/verdicts.md is what this build generated (regenerate with -Dmodel.update=true)")
    void committedTable() throws Exception {
        if (DEEP) return;
        String now = DolevYao.markdown(RESULTS, "default: " + BOUND.describe() + "; NoDEC5 on DEC8: " + DolevYao.TWO.describe()
                + "; BIND and the +DEC9 rows: " + DolevYao.SPLICE.describe() + "; two client runs: " + CLIENTS2_DIRECT.describe());
        Path out = Path.of(System.getProperty("evidence.dir", "target/evidence/model")).toAbsolutePath().resolve("dy");
        Files.createDirectories(out);
        Files.writeString(out.resolve("verdicts.md"), now);
        Path committed = Path.of(System.getProperty("proofs.dir", "../proofs/model")).resolve("dy").resolve("verdicts.md");
        if (Verdicts.updating()) {
            Files.createDirectories(committed.getParent());
            Files.writeString(committed, now);
            return;
        }
        assertTrue(Files.exists(committed) && Files.readString(committed).equals(now),
                "proofs/model/dy/verdicts.md differs from " + out.resolve("verdicts.md") + " (review, then run with -Dmodel.update=true and commit)");
    }
}
