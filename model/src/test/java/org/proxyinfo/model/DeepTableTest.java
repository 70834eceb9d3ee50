package org.proxyinfo.model;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deep table (-Pmodel-deep, proofs/model/deep/) must come from the model this build has (issue #11, "Done when"): a
 * committed deep verdicts.json carries modelSourceHash (the .als files) and driverHash (the commands the Java side
 * generates at the deep bound), which must equal the current ones; evidence without them (the v1 partial log) must be
 * flagged stale by a STALE.md beside it. And the two tables must agree where a larger bound can only agree: every
 * scope of the default bound is inside the deep bound, so a counterexample (or witness) the default table found is in
 * the deep one too. Runs in the default build; it decides nothing itself.
 */
class DeepTableTest {
    /** The committed default table's directory (proofs/model). */
    static Path proofs() {
        return Path.of(System.getProperty("proofs.dir", "../proofs/model"));
    }

    static Path deep() {
        return proofs().resolve("deep");
    }

    /** {@link VerdictTableTest#verdictCells} of a committed verdicts.json. */
    static Map<String, String> cells(Path json) throws java.io.IOException {
        return VerdictTableTest.verdictCells(TraceWriter.JSON.readTree(json.toFile()));
    }

    @Test
    @DisplayName("a committed deep table was made from this model source and this driver, or is flagged stale")
    void deepTableMatchesModelSource() throws Exception {
        Path dir = deep();
        if (!Files.isDirectory(dir)) return;
        Path json = dir.resolve("verdicts.json");
        if (Files.exists(json)) {
            JsonNode t = TraceWriter.JSON.readTree(json.toFile());
            assertEquals(AlloyWorld.sourceHash(), t.path("modelSourceHash").asText(),
                    "proofs/model/deep/verdicts.json was made from other .als files: rerun -Pmodel-deep -Dmodel.update=true and commit it");
            assertEquals(VerdictTable.driverHash(Bound.DEEP), t.path("driverHash").asText(),
                    "proofs/model/deep/verdicts.json was made from other commands (claims, settings, mutants or scopes changed in the"
                            + " Java driver): rerun -Pmodel-deep -Dmodel.update=true and commit it");
            assertTrue(Files.exists(dir.resolve("measurements.json")), "the deep table is committed with its times (measurements.json)");
            assertTrue(Files.notExists(dir.resolve("STALE.md")), "a current deep table must not be marked stale");
        } else {
            try (var s = Files.list(dir)) {
                if (s.findAny().isPresent())
                    assertTrue(Files.exists(dir.resolve("STALE.md")),
                            "proofs/model/deep/ holds evidence without a model source hash: it must say it is stale (STALE.md)");
            }
        }
    }

    /** The property verdict of a {@link VerdictTableTest#verdictCells} value ("HOLDS/confirmed", "N/A/n/a", ...). */
    static String verdict(String cell) {
        return cell.startsWith("N/A") ? "N/A" : cell.substring(0, cell.indexOf('/'));
    }

    /** The cells whose property verdict differs between the default and the deep table, as "CLAIM|ARCH|THREAT|default|deep". */
    static java.util.TreeSet<String> differences(Map<String, String> defCells, Map<String, String> deepCells) {
        java.util.TreeSet<String> out = new java.util.TreeSet<>();
        for (String k : defCells.keySet()) {
            if (k.startsWith("mutant ") || !deepCells.containsKey(k)) continue;
            String d = verdict(defCells.get(k)), p = verdict(deepCells.get(k));
            if (!d.equals(p)) out.add(k + "|" + d + "|" + p);
        }
        return out;
    }

    @Test
    @DisplayName("model/README's \"Deep and default bounds\" lists exactly the cells whose verdict the deep bound changes")
    void readmeListsTheDifferences() throws Exception {
        Path json = deep().resolve("verdicts.json");
        if (!Files.exists(json)) return;
        java.util.TreeSet<String> now = differences(cells(proofs().resolve("verdicts.json")), cells(json));
        String readme = Files.readString(Path.of(System.getProperty("user.dir")).resolve("README.md"));
        int at = readme.indexOf("\n### Deep and default bounds");
        assertTrue(at >= 0, "model/README.md has a section \"### Deep and default bounds\"");
        int end = readme.indexOf("\n#", at + 5);
        java.util.TreeSet<String> listed = new java.util.TreeSet<>();
        for (String line : readme.substring(at, end < 0 ? readme.length() : end).split("\n")) {
            String[] f = line.split("\\|");
            // | claim | architecture | threat | default | deep | ... (the header and the separator row are not cells)
            if (f.length < 6 || f[1].isBlank() || f[1].contains("---") || f[1].trim().equals("claim")) continue;
            listed.add(f[1].trim() + "|" + f[2].trim() + "|" + f[3].trim() + "|" + f[4].trim() + "|" + f[5].trim().split(" ")[0]);
        }
        // the counterexamples the deep bound adds are evidence like the default ones: schema-valid traces
        JsonNode deepTable = TraceWriter.JSON.readTree(json.toFile());
        for (JsonNode c : deepTable.path("cells"))
            if (now.stream().anyMatch(d -> d.startsWith(c.path("claim").asText() + "|" + c.path("architecture").asText() + "|"
                    + c.path("threat").asText() + "|"))) {
                Path tr = deep().resolve(c.path("trace").asText());
                assertTrue(Files.exists(tr), "the deep table's trace " + tr + " is committed");
                var errs = SchemaValidator.validate(TraceWriter.JSON.readTree(tr.toFile()));
                assertTrue(errs.isEmpty(), tr + ": " + errs);
            }
        assertEquals(now, listed, "the cells whose verdict differs between proofs/model/verdicts.json and proofs/model/deep/verdicts.json"
                + " must be the rows of model/README.md's \"Deep and default bounds\" table (claim | architecture | threat | default | deep ...)");
    }

    @Test
    @DisplayName("the deep table agrees with the default one: what the smaller bound found, the larger finds too")
    void deepTableExtendsTheDefaultOne() throws Exception {
        Path json = deep().resolve("verdicts.json");
        if (!Files.exists(json)) return;
        Map<String, String> deepCells = cells(json);
        Map<String, String> defCells = cells(proofs().resolve("verdicts.json"));
        assertEquals(defCells.keySet(), deepCells.keySet(), "the two tables have the same cells and mutants");
        List<String> bad = new ArrayList<>();
        for (Claim c : Claim.values())
            for (Arch a : Arch.values())
                for (ThreatSetting t : ThreatSetting.values()) {
                    String k = c.id + "|" + a.id + "|" + t.id;
                    String d = verdict(defCells.get(k)), p = verdict(deepCells.get(k));
                    // found at the small bound: a counterexample (VIOLATED, or HOLDS for the existential G4)
                    String found = c.polarity == Claim.Polarity.EXISTENTIAL ? "HOLDS" : "VIOLATED";
                    if (d.equals(found) && !p.equals(found)) bad.add(k + ": default " + d + ", deep " + p);
                    // n/a by definition (not vacuous) is the same at every bound
                    if (c.notApplicable(a, t) != null && !(d.equals("N/A") && p.equals("N/A"))) bad.add(k + ": n/a by definition, but " + d + "/" + p);
                }
        for (String k : defCells.keySet())
            if (k.startsWith("mutant ") && defCells.get(k).equals("true") && !deepCells.get(k).equals("true"))
                bad.add(k + ": a counterexample at the default bound, none at the deep one");
        assertTrue(bad.isEmpty(), "the deep table loses what the default bound found (a larger scope contains every smaller one):\n  "
                + String.join("\n  ", bad));
    }
}
