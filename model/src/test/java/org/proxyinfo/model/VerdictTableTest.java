package org.proxyinfo.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Regenerates proofs/model/verdicts.{json,md} and the counterexample traces, and checks the
 * table: every cell decided, no vacuous HOLDS, every tightness mutant gives its counterexample,
 * the certain results (issue #5 item 7) come out, every trace fits the trace schema, and the
 * verdict cells equal the committed ones (times are not compared).
 */
class VerdictTableTest {
    static VerdictTable vt;

    @BeforeAll
    static void compute() throws Exception {
        vt = Verdicts.table();
    }

    @Test
    @DisplayName("every cell claim x architecture x threat is HOLDS, VIOLATED or N/A with a reason")
    void everyCellDecided() {
        int n = Claim.values().length * Arch.values().length * ThreatSetting.values().length;
        assertEquals(n, vt.cells.size());
        for (VerdictTable.Cell c : vt.cells.values()) {
            if (c.status() == VerdictTable.Status.NA) assertNotNull(c.naReason(), c.key());
            else if (c.status() == VerdictTable.Status.VIOLATED && c.claim().polarity != Claim.Polarity.EXISTENTIAL)
                assertNotNull(c.instance(), "VIOLATED without counterexample: " + c.key());
        }
    }

    @Test
    @DisplayName("no vacuous HOLDS: every HOLDS (and every 'no witness') has a satisfiable sanity run")
    void sanityRunsSatisfiable() {
        List<String> vacuous = new ArrayList<>();
        for (VerdictTable.Cell c : vt.cells.values())
            if (c.sanity() != null && !c.sanity() && !(c.status() == VerdictTable.Status.NA && c.naReason().startsWith("vacuous")))
                vacuous.add(c.key());
            else if (c.status() == VerdictTable.Status.HOLDS && c.claim().polarity != Claim.Polarity.EXISTENTIAL && c.sanity() == null)
                vacuous.add(c.key() + " (no sanity run)");
        assertTrue(vacuous.isEmpty(), "vacuous cells: " + vacuous);
    }

    @Test
    @DisplayName("generated tightness (issue #11): the mutant list is config.als's Mutant atoms, and every HOLDS cell was swept")
    void generatedTightnessSweep() {
        List<Tightness.Check> checks = Tightness.sweep();
        Set<String> atoms = new java.util.HashSet<>();
        for (Tightness.Check c : checks) atoms.add(c.atom());
        assertEquals(checks.size(), atoms.size(), "one mutant per check");
        assertTrue(atoms.containsAll(Set.of("NoServerCertCheck", "NoFinished", "NoCertVerify", "NoProxyValidation", "NoDEC9",
                "NoDEC10", "NoDEC11", "NoDEC12", "NoDEC5Bind", "NoPCVBinding")), atoms.toString());
        assertFalse(atoms.contains("NoServerConsent"), "CONSENT's consent is not a check the implementation enforces");
        for (VerdictTable.Cell c : vt.cells.values()) {
            boolean swept = c.status() == VerdictTable.Status.HOLDS && c.claim().polarity != Claim.Polarity.EXISTENTIAL;
            assertEquals(swept, vt.tightBy.containsKey(c.key()), c.key());
            if (swept && !vt.tightBy.get(c.key()).isEmpty()) assertTrue(atoms.contains(vt.tightBy.get(c.key())), c.key());
        }
        // what the hand-picked mutants show must be found by the sweep too
        assertEquals("NoServerCertCheck", vt.tightBy.get("C1|DIRECT|net-c"));
        assertFalse(vt.tightBy.get("C3|PI-BOUND|net-cs").isEmpty(), "C3 PI-BOUND net-cs is broken by removing a check (M10: DEC-9)");
    }

    @TestFactory
    @DisplayName("tightness mutants: the cell HOLDS, and removing its MUST/DEC gives a counterexample")
    List<DynamicTest> mutantsGiveCounterexamples() {
        assertEquals(Tightness.ALL.size(), vt.mutants.size());
        List<DynamicTest> tests = new ArrayList<>();
        for (VerdictTable.MutantResult m : vt.mutants) {
            Tightness t = m.t();
            String name = t.id() + " " + t.claim().id + " " + t.arch().id + " " + t.threat().id + " without " + t.requirement()
                    + (t.expectCounterexample() ? ": counterexample" : ": probe, no counterexample");
            tests.add(DynamicTest.dynamicTest(name, () -> {
                assertTrue(m.baseHolds(), t.id() + ": the unmutated cell must HOLD");
                assertEquals(t.expectCounterexample(), m.counterexample(), t.id() + " without " + t.requirement());
                if (m.counterexample()) assertNotNull(m.instance());
            }));
        }
        return tests;
    }

    @TestFactory
    @DisplayName("every decided cell, by claim, architecture and threat setting")
    List<DynamicTest> everyCell() {
        List<DynamicTest> tests = new ArrayList<>();
        for (VerdictTable.Cell c : vt.cells.values()) {
            if (c.status() == VerdictTable.Status.NA) continue;
            String name = c.claim().id + " " + c.arch().id + " " + c.threat().id + ": " + c.claim().property + " " + c.status()
                    + ", claim " + c.claimVerdict();
            tests.add(DynamicTest.dynamicTest(name, () -> {
                if (c.status() == VerdictTable.Status.HOLDS && c.claim().polarity != Claim.Polarity.EXISTENTIAL)
                    assertEquals(Boolean.TRUE, c.sanity(), "sanity run must be satisfiable (no vacuous HOLDS)");
                else if (c.status() == VerdictTable.Status.VIOLATED && c.claim().polarity == Claim.Polarity.EXISTENTIAL)
                    assertEquals(Boolean.TRUE, c.sanity(), "the scenario must be reachable even without a witness");
                else assertNotNull(c.instance(), "counterexample or witness instance");
            }));
        }
        return tests;
    }

    static VerdictTable.Status st(Claim c, Arch a, ThreatSetting t) { return vt.cell(c, a, t).status(); }

    @Test
    @DisplayName("C1 HOLDS in DIRECT under a network attacker (issue #5 item 7)")
    void c1HoldsInDirect() {
        assertEquals(VerdictTable.Status.HOLDS, st(Claim.C1, Arch.DIRECT, ThreatSetting.NET_C));
        assertEquals(VerdictTable.Status.HOLDS, st(Claim.C3, Arch.DIRECT, ThreatSetting.NET_C));
    }

    @Test
    @DisplayName("R2, R4 and R6 are VIOLATED (confirmed) in MINT in every setting where decided (issue #5 item 7)")
    void r2r4r6ViolatedInMint() {
        for (Claim c : new Claim[] {Claim.R2, Claim.R4, Claim.R6})
            for (ThreatSetting t : ThreatSetting.values()) {
                VerdictTable.Cell cell = vt.cell(c, Arch.MINT, t);
                if (cell.status() == VerdictTable.Status.NA) continue;
                assertEquals(VerdictTable.Status.VIOLATED, cell.status(), cell.key());
                assertEquals("confirmed", cell.claimVerdict(), cell.key());
            }
        assertEquals(VerdictTable.Status.VIOLATED, st(Claim.R4, Arch.MINT, ThreatSetting.CA_LEAKED));
    }

    @Test
    @DisplayName("R10/R11 as reliance (claims.md Precision): with checking parties the MitM is stopped; R10 PI-BOUND is confirmed by a client-check mutant, R11 MINT by the proxy's DEC-15 mutant, and every HOLDS cell's verdict is its reliance mutant")
    void r10r11AsReliance() {
        VerdictTable.Cell r10 = vt.cell(Claim.R10, Arch.PIBOUND, ThreatSetting.NET_C);
        assertEquals(VerdictTable.Status.HOLDS, r10.status(), "R10 PI-BOUND net-c: a checking client stops the MitM");
        assertEquals("confirmed", r10.claimVerdict(), "R10 PI-BOUND net-c: removing a client check lets the MitM through");
        assertTrue(Claim.R10.namedChecks().contains(vt.tightBy.get(r10.key())), "R10 PI-BOUND net-c names a client-check mutant: " + vt.tightBy.get(r10.key()));
        VerdictTable.Cell r11 = vt.cell(Claim.R11, Arch.MINT, ThreatSetting.NET_S);
        assertEquals(VerdictTable.Status.HOLDS, r11.status(), "R11 MINT net-s: a checking proxy stops the MitM");
        assertEquals("confirmed", r11.claimVerdict());
        assertEquals("NoProxyValidation", vt.tightBy.get(r11.key()));
        for (Claim c : new Claim[] {Claim.R10, Claim.R11})
            for (VerdictTable.Cell x : vt.cells.values()) {
                if (x.claim() != c || x.status() != VerdictTable.Status.HOLDS) continue;
                String m = vt.tightBy.get(x.key());
                assertNotNull(m, x.key() + " swept");
                assertTrue(m.isEmpty() || c.namedChecks().contains(m), x.key() + ": " + m + " is not a check of the " + c.namedParty());
                assertEquals(m.isEmpty() ? "refuted" : "confirmed", x.claimVerdict(), x.key());
            }
    }

    @Test
    @DisplayName("PI-BOUND-2HOP (issue #11 item 5, DEC-4, DEC-9, DEC-12, DEC-15): decided with P2, S2, L3 and DEC-4's limit present; the honest two-hop chain is accepted in every threat setting of the column; C1, C3, G3 HOLD against the network attacker; a lying second proxy is believed (C1 VIOLATED, G4 witness); P2's settings exist only there")
    void twoHopColumn() throws Exception {
        Arch h = Arch.PIBOUND2HOP;
        for (String line : VerdictTable.driver(Bound.DEFAULT).split("\n")) {
            boolean col = line.contains("_" + h.atom + "_");
            boolean present = java.util.Arrays.stream(ThreatSetting.values()).anyMatch(t -> line.contains(TwoHop.present(t)));
            assertEquals(col, present, "two-hop atoms present exactly in the column's commands: " + line);
            // issue #11 finding 5: a trust-mismatch atom is present exactly in its own setting's commands
            for (ThreatSetting t : ThreatSetting.values())
                if (t.trustMismatch()) {
                    String atom = t.trustAtom;
                    assertEquals(col && line.contains("_" + VerdictTable.labelPart(t) + " "), line.contains("exactly 1 " + atom), atom + ": " + line);
                }
            assertEquals(col, line.contains("DepthLimit.hops = " + VerdictTable.TWO_HOP_DEPTH_LIMIT), "DEC-4 limit in the column: " + line);
            if (!col && !line.isBlank()) assertTrue(line.contains(Bound.SECOND_HOP_ABSENT), "other columns keep P2 absent: " + line);
        }
        for (ThreatSetting t : ThreatSetting.values()) {
            boolean applies = t.notApplicable(h) == null;
            assertEquals(applies, vt.twoHopChain.containsKey(t), t.id);
            if (applies && !t.trustMismatch()) assertEquals(Boolean.TRUE, vt.twoHopChain.get(t), "the honest chain C-P-P2-S must be accepted in " + t.id);
            // issue #11 finding 5: where one party's trust store lacks P2's anchor the honest chain is refused (DEC-12 by the
            // client, DEC-15 by P), and the refusal is reached (the chain does arrive at the refusing party): not vacuous
            if (applies && t.trustMismatch()) {
                assertEquals(Boolean.FALSE, vt.twoHopChain.get(t), "the honest chain must be refused in " + t.id + " (DEC-12/DEC-15)");
                assertEquals(Boolean.TRUE, vt.twoHopRefusal.get(t), "the refusal must be reached in " + t.id);
            }
            assertEquals(applies && t.trustMismatch(), vt.twoHopRefusal.containsKey(t), t.id);
            if (t.hop2Only())
                for (Arch a : Arch.values()) if (!a.twoHop()) assertEquals(VerdictTable.Status.NA, st(Claim.C1, a, t), a.id + " " + t.id);
        }
        for (ThreatSetting t : new ThreatSetting[] {ThreatSetting.NET_C, ThreatSetting.NET_S, ThreatSetting.NET_CS})
            for (Claim c : new Claim[] {Claim.C1, Claim.C3, Claim.G3}) {
                VerdictTable.Cell x = vt.cell(c, h, t);
                assertEquals(VerdictTable.Status.HOLDS, x.status(), x.key());
                assertEquals(Boolean.TRUE, x.sanity(), x.key());
            }
        assertEquals(VerdictTable.Status.VIOLATED, st(Claim.C1, h, ThreatSetting.HOP2_LIES), "a lying second proxy is believed");
        assertEquals(VerdictTable.Status.HOLDS, st(Claim.G4, h, ThreatSetting.HOP2_LIES), "G4 witness with a lying P2");
        // the column's counterexample traces name it and draw the second proxy
        VerdictTable.Cell lie = vt.cell(Claim.C1, h, ThreatSetting.HOP2_LIES);
        JsonNode tr = TraceWriter.JSON.readTree(Files.readString(Verdicts.OUT.resolve("traces").resolve(lie.traceFile())));
        assertEquals(h.id, tr.path("run").path("architecture").asText());
        assertTrue(tr.path("run").path("roles").toString().contains("\"proxy-2\""), tr.path("run").path("roles").toString());
        assertTrue(tr.toString().contains("\"session3\""), "the P2-server leg is session3");
        assertTrue(vt.toJson().path("cells").toString().contains("for " + Bound.fromProperty().hop2Sess + " but " + Bound.HOP2_SCOPE_TAIL));
    }

    @Test
    @DisplayName("every counterexample and witness trace validates against traces/schema/trace.schema.json")
    void tracesFitSchema() throws Exception {
        int n = 0;
        try (var s = Files.list(Verdicts.OUT.resolve("traces"))) {
            for (var p : (Iterable<java.nio.file.Path>) s::iterator) {
                JsonNode t = TraceWriter.JSON.readTree(Files.readString(p));
                Set<ValidationMessage> errs = SchemaValidator.validate(t);
                assertTrue(errs.isEmpty(), p.getFileName() + ": " + errs);
                assertEquals("model", t.path("run").path("source").asText());
                n++;
            }
        }
        assertTrue(n > 0);
    }

    static TreeMap<String, String> verdictCells(JsonNode root) {
        TreeMap<String, String> m = new TreeMap<>();
        for (JsonNode c : root.path("cells"))
            m.put(c.path("claim").asText() + "|" + c.path("architecture").asText() + "|" + c.path("threat").asText(),
                    c.path("propertyVerdict").asText() + "/" + c.path("claimVerdict").asText());
        for (JsonNode c : root.path("mutants"))
            m.put("mutant " + c.path("id").asText(), String.valueOf(c.path("counterexample").asBoolean()));
        return m;
    }

    @Test
    @DisplayName("the regenerated verdict cells equal the committed proofs/model/verdicts.json (times excluded)")
    void committedTableMatches() throws Exception {
        TreeMap<String, String> now = verdictCells(vt.toJson());
        if (Verdicts.committedJson == null) return;   // first generation: nothing committed yet
        TreeMap<String, String> before = verdictCells(TraceWriter.JSON.readTree(Verdicts.committedJson));
        List<String> diff = new ArrayList<>();
        for (String k : now.keySet()) if (!now.get(k).equals(before.get(k))) diff.add(k + ": " + before.get(k) + " -> " + now.get(k));
        for (String k : before.keySet()) if (!now.containsKey(k)) diff.add(k + ": removed");
        if (Verdicts.updating()) return;
        assertTrue(diff.isEmpty(), "verdicts changed against the committed table (the new table is in " + Verdicts.OUT
                + "; review it, then run with -Devidence.update=true and commit proofs/model):\n" + String.join("\n", diff));
    }

    @Test
    @DisplayName("the committed proofs/model (verdicts.json, verdicts.md, traces/) equals what this build generated, measurements aside")
    void committedEvidenceIsWhatTheBuildGenerates() throws Exception {
        List<String> diff = new ArrayList<>();
        for (String f : new String[] {"verdicts.json", "verdicts.md"}) {
            java.nio.file.Path c = Verdicts.COMMITTED.resolve(f);
            if (!Files.exists(c) || !Files.readString(c).equals(Files.readString(Verdicts.OUT.resolve(f)))) diff.add(f);
        }
        TreeMap<String, String> now = new TreeMap<>(), before = new TreeMap<>();
        for (var e : new Object[][] {{Verdicts.OUT.resolve("traces"), now}, {Verdicts.COMMITTED.resolve("traces"), before}}) {
            java.nio.file.Path dir = (java.nio.file.Path) e[0];
            @SuppressWarnings("unchecked") TreeMap<String, String> m = (TreeMap<String, String>) e[1];
            if (Files.isDirectory(dir))
                try (var s = Files.list(dir)) { for (var p : (Iterable<java.nio.file.Path>) s::iterator) m.put(p.getFileName().toString(), Files.readString(p)); }
        }
        for (String k : now.keySet()) if (!now.get(k).equals(before.get(k))) diff.add("traces/" + k + (before.containsKey(k) ? " differs" : " is new"));
        for (String k : before.keySet()) if (!now.containsKey(k)) diff.add("traces/" + k + " is no longer generated");
        assertTrue(diff.isEmpty(), "proofs/model differs from what this build generated in " + Verdicts.OUT
                + " (review, then run with -Devidence.update=true and commit):\n  "
                + String.join("\n  ", diff.subList(0, Math.min(diff.size(), 20))) + (diff.size() > 20 ? "\n  ..." : ""));
    }

    @Test
    @DisplayName("budget: the default table is computed well within the 10-minute CI budget")
    void withinBudget() {
        // the deep table (-Pmodel-deep) has no budget: it is run by hand and committed with its times (proofs/model/deep/)
        org.junit.jupiter.api.Assumptions.assumeTrue(Bound.fromProperty() == Bound.DEFAULT, "the budget is the default table's");
        assertFalse(vt.totalMillis > 8 * 60_000, "verdict table took " + vt.totalMillis + " ms");
    }
}
