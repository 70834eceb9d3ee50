package org.proxyinfo.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import edu.mit.csail.sdg.alloy4.A4Reporter;
import edu.mit.csail.sdg.ast.Command;
import edu.mit.csail.sdg.ast.Module;
import edu.mit.csail.sdg.parser.CompUtil;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue #16 item 7: the model opens in the Alloy Analyzer with named commands per claim and architecture. */
class AnalyzerEntryTest {
    @TempDir Path tmp;

    @Test
    @DisplayName("analyzer.als is the generated entry file (regenerate: java -cp ... org.proxyinfo.model.AnalyzerEntry)")
    void committedEntryIsCurrent() throws Exception {
        Path committed = Path.of(System.getProperty("user.dir")).resolve("src/main/resources/alloy/" + AnalyzerEntry.FILE);
        if (!Files.exists(committed)) committed = Path.of("model/src/main/resources/alloy/" + AnalyzerEntry.FILE);
        assertEquals(AnalyzerEntry.text(), Files.readString(committed),
                "analyzer.als is stale: run org.proxyinfo.model.AnalyzerEntry and commit the file");
    }

    @Test
    @DisplayName("analyzer.als parses with the model next to it and has a named check and sanity run per claim and architecture (DIRECT included)")
    void entryParsesWithNamedCommands() throws Exception {
        Path dir = AlloyWorld.writeModel(tmp.resolve("alloy"), null, null);
        assertTrue(Files.exists(dir.resolve("proxyinfo.thm")), "the theme ships with the model");
        Module m = CompUtil.parseEverything_fromFile(A4Reporter.NOP, null, dir.resolve(AnalyzerEntry.FILE).toString());
        java.util.Set<String> labels = new java.util.HashSet<>();
        for (Command c : m.getAllCommands()) labels.add(c.label);
        for (Claim c : Claim.values())
            for (Arch a : Arch.values()) {
                if (AnalyzerEntry.threatFor(c, a) == null) continue;
                assertTrue(labels.contains(AnalyzerEntry.label("", c, a)), "check " + AnalyzerEntry.label("", c, a));
                assertTrue(labels.contains(AnalyzerEntry.label("sanity_", c, a)), "run " + AnalyzerEntry.label("sanity_", c, a));
            }
        assertTrue(labels.contains("C1_DIRECT"), labels.toString());
        // one command solved as the Analyzer would: C1 holds in PI-BOUND under net-cs at the default bound
        AlloyWorld w = AlloyWorld.load("entry_probe", "check C1_probe { " + VerdictTable.cfg(Arch.PIBOUND, ThreatSetting.NET_CS, null)
                + " implies C1_ServerAgreement } " + Bound.DEFAULT.command() + "\n");
        assertTrue(!w.execute("C1_probe").satisfiable(), "C1 PI-BOUND net-cs: no counterexample");
    }

    @Test
    @DisplayName("a conformance module written for the Analyzer is self-contained: it parses from its directory")
    void conformanceModuleSelfContained() throws Exception {
        Path driver = AlloyWorld.writeModel(tmp.resolve("out"), "check_demo", "run admit { some Sess } for 2\n");
        Module m = CompUtil.parseEverything_fromFile(A4Reporter.NOP, null, driver.toString());
        assertEquals("admit", m.getAllCommands().get(0).label);
    }
}
