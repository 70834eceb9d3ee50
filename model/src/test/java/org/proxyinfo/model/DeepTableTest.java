package org.proxyinfo.model;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deep table (-Pmodel-deep, proofs/model/deep/) must come from the model source this build
 * has (issue #11 item 6): a committed deep verdicts.json carries modelSourceHash, which must equal
 * the current one; evidence without a hash (the v1 partial log) must be flagged stale by a
 * STALE.md beside it. Runs in the default build; it decides nothing itself.
 */
class DeepTableTest {
    static Path deep() {
        return Path.of(System.getProperty("proofs.dir", "../proofs/model")).resolve("deep");
    }

    @Test
    @DisplayName("a committed deep table was made from this model source, or is flagged stale")
    void deepTableMatchesModelSource() throws Exception {
        Path dir = deep();
        if (!Files.isDirectory(dir)) return;
        Path json = dir.resolve("verdicts.json");
        if (Files.exists(json)) {
            JsonNode t = TraceWriter.JSON.readTree(json.toFile());
            assertEquals(AlloyWorld.sourceHash(), t.path("modelSourceHash").asText(),
                    "proofs/model/deep/verdicts.json was made from another model source: rerun -Pmodel-deep -Dmodel.update=true and commit it");
        } else {
            try (var s = Files.list(dir)) {
                if (s.findAny().isPresent())
                    assertTrue(Files.exists(dir.resolve("STALE.md")),
                            "proofs/model/deep/ holds evidence without a model source hash: it must say it is stale (STALE.md)");
            }
        }
    }
}
