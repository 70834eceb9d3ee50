package org.proxyinfo.trace;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** The traces committed under traces/ (examples, reference) conform to the schema and can be reproduced. */
class CommittedTracesTest {
    @TempDir Path tmp;

    private static Path tracesDir() {
        return TraceValidator.schemaFile().getParent().getParent();
    }

    @Test
    @DisplayName("every committed trace under traces/ validates against the schema")
    void committedTracesValidate() throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(tracesDir())) {
            files = walk.filter(p -> p.toString().endsWith(".json") && !p.getParent().getFileName().toString().equals("schema"))
                    .sorted().toList();
        }
        assertFalse(files.isEmpty(), "no committed traces found under " + tracesDir());
        for (Path f : files) {
            TraceValidator.assertValid(f);
            Trace.read(f);
        }
    }

    @Test
    @DisplayName("the complete trace examples in traces/README.md validate against the schema")
    void readmeExamplesValidate() throws Exception {
        String readme = Files.readString(tracesDir().resolve("README.md"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("```json\\n(.*?)```", java.util.regex.Pattern.DOTALL)
                .matcher(readme);
        int checked = 0;
        while (m.find()) {
            com.fasterxml.jackson.databind.JsonNode node;
            try {
                node = TraceJson.parse(m.group(1));
            } catch (com.fasterxml.jackson.core.JsonProcessingException abridged) {
                continue; // an abridged example with "..."
            }
            TraceValidator.assertValid(node);
            checked++;
        }
        assertTrue(checked >= 1, "no complete example found in traces/README.md");
    }

    @Test
    @DisplayName("the committed openssl example is what trace import makes of its committed capture and key log")
    void exampleImportIsReproducible() throws Exception {
        assertTrue(Procs.installed("tshark"), "tshark is not installed; .ci/run installs it");
        Path dir = tracesDir().resolve("examples/openssl-tls12");
        Path out = tmp.resolve("trace.json");
        Cli r = Cli.run("trace", "import", dir.resolve("capture.pcap").toString(), "--keylog",
                dir.resolve("keylog.txt").toString(), "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        TraceValidator.assertValid(out);
        // events byte for byte; the run metadata names the tshark version, which may differ
        Cli diff = Cli.run("trace", "diff", "--exact", "--events-only", dir.resolve("trace.json").toString(), out.toString());
        assertEquals(0, diff.exit(), diff.out());
        // and the key log written back from the trace's secrets is the one openssl wrote
        Path keylog = tmp.resolve("keylog.txt");
        Cli k = Cli.run("trace", "keylog", out.toString(), "--out", keylog.toString());
        assertEquals(0, k.exit(), k.err());
        assertEquals(NssKeyLog.read(dir.resolve("keylog.txt")), NssKeyLog.read(keylog));
    }
}
