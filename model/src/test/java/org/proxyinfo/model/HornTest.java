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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An unbounded argument (issue 11, optional item) for C3 (secrecy of the client's data) and C1
 * relayed under PI-BOUND, with the DEC-5 binding and the DEC-9 acceptable-proxy check, as
 * ProVerif-style Horn clauses solved by Z3 Spacer ({@link Horn}): every number of sessions of the
 * client, the proxy and the origin server at once. C1 relayed is two non-injective agreements:
 * C1R (the client's Commit through an assertion has P's Running on session #1 with the same
 * randoms, shares and assertion) and C1RS (S ran the session #2 the assertion names, with that run
 * of P, under S's own certificate). DEC5: the assertion the client accepted before sending key
 * material was made by P for this session (cr1, sr1). C1S: C1 strict in DIRECT. PUBLIC: the
 * attacker learns S's server random and share (a public value: reachable).
 *
 * <p>Every expected HOLDS has a sanity run that is VIOLATED (the antecedent is reachable); every
 * mutant (NoDEC9, NoDEC5, NoDEC10+NoDEC15, NoFinishedCheck, NoUpstreamFinishedCheck) and threat (kS/kP corrupted, web-CA misissuance) that
 * should break a property does, so the encoding has teeth. UNKNOWN (Spacer's unknown, a timeout, a
 * parse failure, the native library not loading) fails the test, never passes.
 */
class HornTest {
    static final String H = "HOLDS", V = "VIOLATED";
    static final long TIMEOUT = Long.getLong("horn.timeout", 120_000);

    record Expect(Horn.Check check, String verdict, String why) {}
    static final List<Expect> EXPECT = new ArrayList<>();
    static final List<Horn.Result> RESULTS = new ArrayList<>();

    static void cell(String prop, String arch, String threat, String mutant, String verdict, String why) {
        EXPECT.add(new Expect(new Horn.Check(prop, arch, threat, mutant, false), verdict, why));
        if (verdict.equals(H))   // sanity: the antecedent is reachable
            EXPECT.add(new Expect(new Horn.Check(prop, arch, threat, mutant, true), V, "sanity of " + prop + ": antecedent reachable"));
    }

    static {
        String D = "DIRECT", P = "PI-BOUND";
        EXPECT.add(new Expect(new Horn.Check("PUBLIC", P, "none", "", true), V, "sanity: the attacker learns S's server random and share"));
        for (String t : new String[] {"none", "corrupt", "misissue"}) {
            boolean none = t.equals("none"), cor = t.equals("corrupt");
            cell("C3", P, t, "", none ? H : V, "C3 secrecy through the proxy" + (cor ? " (kS, kP corrupted)" : none ? "" : " (P validates the misissued certificate)"));
            cell("C1R", P, t, "", cor ? V : H, "C1 relayed, agreement with P on session #1 and the assertion" + (cor ? " (kP corrupted: the attacker signs as P)" : ""));
            cell("C1RS", P, t, "", none ? H : V, "C1 relayed, S ran the session #2 the assertion names" + (none ? "" : " (S impersonated to P)"));
            cell("DEC5", P, t, "", cor ? V : H, "DEC-5: the accepted assertion is P's, for this session" + (cor ? " (kP corrupted)" : ""));
            cell("C3", D, t, "", none ? H : V, "C3 secrecy, direct");
            cell("C1S", D, t, "", none ? H : V, "C1 strict, direct (non-injective agreement with S)");
        }
        cell("C3", P, "none", "NoDEC9", V, "DEC-9: the attacker's web certificate accepted as a proxy reads the data");
        cell("C1R", P, "none", "NoDEC9", V, "DEC-9: the client commits with the attacker as its proxy");
        cell("DEC5", P, "none", "NoDEC5", V, "DEC-5: an assertion of another session of P accepted before key material");
        cell("C1R", P, "none", "NoDEC5", H, "DEC-5 removed: the Finished over the assertion still stops the Commit (as in dy.pml)");
        cell("C1R", P, "none", "NoFinishedCheck", V, "the client commits without P's Finished: no Running of P");
        cell("C1S", D, "none", "NoFinishedCheck", V, "the client commits without S's Finished: no Running of S");
        cell("C3", P, "none", "NoDEC15", H, "DEC-15 removed: the client's DEC-10 check refuses the attacker's chain in the assertion");
        cell("C3", P, "none", "NoDEC10", H, "DEC-10 removed: P's DEC-15 validation, and the Finished over the SNI, still stop it");
        cell("C3", P, "none", "NoDEC10+NoDEC15", V, "DEC-10 and DEC-15 both removed: P talks to the attacker upstream, the client accepts its chain");
        cell("C1RS", P, "none", "NoDEC10+NoDEC15", V, "DEC-10 and DEC-15 both removed: the assertion names a session #2 S never ran");
        cell("C1RS", P, "none", "NoUpstreamFinishedCheck", V, "P asserts without S's Finished #2: S's Running need not precede the Commit");
    }

    @BeforeAll
    static void decide() {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(VerdictTable.threads());
        List<java.util.concurrent.Future<Horn.Result>> futures = new ArrayList<>();
        for (Expect e : EXPECT) futures.add(pool.submit(() -> Horn.run(e.check(), TIMEOUT)));
        pool.shutdown();
        for (int i = 0; i < EXPECT.size(); i++) {
            Expect e = EXPECT.get(i);
            Horn.Result r;
            try {
                r = futures.get(i).get();
            } catch (InterruptedException | java.util.concurrent.ExecutionException x) {
                throw new AssertionError("Horn check " + e.check().key() + " did not finish: " + x, x);
            }
            RESULTS.add(r);
            System.out.printf("HORN %-50s %-8s %d ms %s%n", e.check().key(), r.status(), r.millis(), r.detail());
            if (r.status() == Horn.Status.VIOLATED && !e.check().sanity())
                System.out.println("   derivation: " + String.join(" ; ", r.derivation()));
        }
    }

    @TestFactory
    @DisplayName("every check (C3, C1R, C1RS, C1S, DEC-5; DEC-9, DEC-5, Finished mutants; corrupt, misissue) has its expected verdict")
    List<DynamicTest> everyCheck() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int k = 0; k < EXPECT.size(); k++) {
            Expect e = EXPECT.get(k);
            Horn.Result r = RESULTS.get(k);
            tests.add(DynamicTest.dynamicTest(e.check().key() + ": " + e.verdict() + " (" + e.why() + ")", () -> {
                assertTrue(r.status() != Horn.Status.UNKNOWN, "UNKNOWN is a failure: " + r.detail());
                assertEquals(e.verdict(), r.status().name(), e.why());
                if (r.status() == Horn.Status.VIOLATED) assertFalse(r.derivation().isEmpty(), "a violation needs its derivation");
            }));
        }
        return tests;
    }

    @Test
    @DisplayName("every mutant that breaks a property breaks one that HOLDS without it (tightness)")
    void mutantsAreTight() {
        for (Expect e : EXPECT) {
            if (e.check().mutant().isEmpty() || !e.verdict().equals(V)) continue;
            boolean base = EXPECT.stream().anyMatch(b -> b.check().mutant().isEmpty() && !b.check().sanity() && b.verdict().equals(H)
                    && b.check().prop().equals(e.check().prop()) && b.check().arch().equals(e.check().arch())
                    && b.check().threat().equals(e.check().threat()));
            assertTrue(base, e.check().key() + ": the property must hold without the mutant");
        }
    }

    @Test
    @DisplayName("the excluded event is a parameter of every predicate, and the gates sit on the Running events only")
    void exclusionIsThreaded() {
        String c1r = Horn.clauses(new Horn.Check("C1R", "PI-BOUND", "none", "", false));
        assertTrue(c1r.contains("(declare-rel knN (Nonce Nonce Exp Exp Nonce Cert Int Nonce))"), "knN carries the excluded event");
        assertEquals(1, c1r.split("\\(not \\(and \\(= e0", -1).length - 1, "one gate (P's Running on session #1)");
        String c3 = Horn.clauses(new Horn.Check("C3", "PI-BOUND", "none", "", false));
        assertTrue(c3.contains("(declare-rel knN (Nonce))") && !c3.contains("(= e0"), "secrecy needs no excluded event");
    }

    @Test
    @DisplayName("Z3's native library (from tools.aqua:z3-turnkey) loads on this machine")
    void nativeLibraryLoads() {
        assertTrue(Horn.z3Version().startsWith("Z3 4.13"), Horn.z3Version());
    }

    @Test
    @DisplayName("UNKNOWN, never a verdict: a timeout, and a clause text Z3 cannot parse")
    void unknownIsNotAVerdict() {
        Horn.Check c = new Horn.Check("C1RS", "PI-BOUND", "none", "", false);
        Horn.Result r = Horn.run(c, 0);
        assertEquals(Horn.Status.UNKNOWN, r.status(), r.detail());
        r = Horn.solve(c, Horn.clauses(c).replace("(declare-rel goal ())", ""), TIMEOUT);
        assertEquals(Horn.Status.UNKNOWN, r.status(), r.detail());
    }

    @Test
    @DisplayName("proofs/model/horn/verdicts.md is what this build generated (regenerate with -Dmodel.update=true)")
    void committedTable() throws Exception {
        String now = Horn.markdown(RESULTS);
        Path out = Path.of(System.getProperty("evidence.dir", "target/evidence/model")).toAbsolutePath().resolve("horn");
        Files.createDirectories(out);
        Files.writeString(out.resolve("verdicts.md"), now);
        StringBuilder d = new StringBuilder("# Horn clauses: derivations of the VIOLATED checks (not compared)\n\n");
        for (Horn.Result r : RESULTS)
            if (r.status() == Horn.Status.VIOLATED) d.append("## ").append(r.check().key()).append("\n\n").append(String.join("\n", r.derivation())).append("\n\n");
        Files.writeString(out.resolve("derivations.md"), d.toString());
        Path committed = Path.of(System.getProperty("proofs.dir", "../proofs/model")).resolve("horn").resolve("verdicts.md");
        if (Verdicts.updating()) {
            Files.createDirectories(committed.getParent());
            Files.writeString(committed, now);
            return;
        }
        assertTrue(Files.exists(committed) && Files.readString(committed).equals(now),
                "proofs/model/horn/verdicts.md differs from " + out.resolve("verdicts.md") + " (review, then run with -Dmodel.update=true and commit)");
    }
}
