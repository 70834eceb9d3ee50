package org.proxyinfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * "A deviation from the draft is named as one in the code, the traces and the docs." Every decision that
 * proofs/spec/decisions.md calls a DEVIATION must be written {@code DEVIATION (DEC-n} (alone or in a list,
 * {@code DEVIATION (DEC-5, DEC-5a)}) in impl's or model's main code, in the README or impl's docs, and in the
 * traces: the reference traces or the trace schema that defines their fields.
 */
class DeviationsNamedTest {
    private static final Path ROOT = Path.of("..");
    private static final Pattern DECISION = Pattern.compile("^- \\*\\*(DEC-\\d+[a-z]?)\\b", Pattern.MULTILINE);

    /** The decisions whose text (heading and body) calls them a DEVIATION. */
    static Set<String> deviations() throws IOException {
        String text = Files.readString(ROOT.resolve("proofs/spec/decisions.md"));
        Matcher m = DECISION.matcher(text);
        List<int[]> starts = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        while (m.find()) {
            starts.add(new int[] {m.start()});
            ids.add(m.group(1));
        }
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            int end = i + 1 < ids.size() ? starts.get(i + 1)[0] : text.length();
            String block = text.substring(starts.get(i)[0], end);
            int nextSection = block.indexOf("\n## ");
            if (nextSection >= 0) {
                block = block.substring(0, nextSection);
            }
            if (block.contains("DEVIATION")) {
                out.add(ids.get(i));
            }
        }
        return out;
    }

    private static String readAll(List<Path> roots, String... suffixes) throws IOException {
        StringBuilder b = new StringBuilder();
        for (Path root : roots) {
            if (Files.isRegularFile(root)) {
                b.append(Files.readString(root)).append('\n');
                continue;
            }
            try (Stream<Path> s = Files.walk(root)) {
                for (Path p : s.filter(Files::isRegularFile).toList()) {
                    for (String suffix : suffixes) {
                        if (p.toString().endsWith(suffix)) {
                            b.append(Files.readString(p)).append('\n');
                            break;
                        }
                    }
                }
            }
        }
        return b.toString();
    }

    /** {@code DEVIATION (DEC-a, DEC-b, ...)}: every decision named inside one such parenthesis. */
    static Set<String> named(String text) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = Pattern.compile("DEVIATION \\(((?:DEC-\\d+[a-z]?)(?:,\\s*DEC-\\d+[a-z]?)*)").matcher(text);
        while (m.find()) {
            for (String id : m.group(1).split(",\\s*")) {
                out.add(id);
            }
        }
        return out;
    }

    @Test
    @DisplayName("every DEVIATION of decisions.md is named DEVIATION (DEC-n) in the code, the docs and the traces")
    void everyDeviationIsNamedEverywhere() throws IOException {
        Set<String> deviations = deviations();
        assertTrue(deviations.containsAll(Set.of("DEC-5a", "DEC-6", "DEC-12", "DEC-23")), "read from decisions.md: " + deviations);
        Set<String> code = named(readAll(List.of(ROOT.resolve("impl/src/main"), ROOT.resolve("model/src/main")), ".java", ".als", ".pml"));
        Set<String> docs = named(readAll(List.of(ROOT.resolve("README.md"), ROOT.resolve("impl"), ROOT.resolve("traces/README.md"),
                ROOT.resolve("model/README.md")), ".md"));
        Set<String> traces = named(readAll(List.of(ROOT.resolve("traces/reference"), ROOT.resolve("traces/schema")), ".json"));
        List<String> missing = new ArrayList<>();
        for (String d : deviations) {
            if (!code.contains(d)) missing.add(d + " in the code");
            if (!docs.contains(d)) missing.add(d + " in the docs");
            if (!traces.contains(d)) missing.add(d + " in the traces (reference traces or the schema of their fields)");
        }
        assertEquals(List.of(), missing, "write DEVIATION (DEC-n) where the deviation is implemented, documented and traced");
    }
}
