package org.proxyinfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The traceability matrix: for every requirement ID (draft digest, DEC-n, claims, and the RFC
 * sections the code cites) the places in code, JML contracts, model and tests that name it.
 * Written to {@code proofs/traceability/matrix.md} and summarised on the build's output.
 *
 * The catalogue {@code proofs/traceability/requirements.tsv} is the repository's copy of the IDs in
 * {@code shared/spec}; when {@code ../shared/spec} is present (CI, developers) it must agree.
 */
class TraceabilityMatrixTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path CATALOGUE = ROOT.resolve("proofs/traceability/requirements.tsv");
    private static final Path MATRIX = ROOT.resolve("proofs/traceability/matrix.md");
    private static final Pattern RFC_ID = Pattern.compile("(?<![\\w-])RFC(\\d{4})-(\\d+(?:\\.\\d+)*)");
    private static final Pattern ANY_DEC = Pattern.compile("(?<![\\w-])DEC-(\\d+)(?![\\w])");
    private static final String[] SCANNED = {"impl/src", "model/src", "model/alloy", "model/spin", "traces/schema"};

    enum Place { CODE, CONTRACT, MODEL, TEST }

    record Requirement(String id, String kind, String source, String text, String scope) {
        boolean inScope() { return scope.startsWith("in scope"); }
    }

    static Map<String, Requirement> catalogue() throws IOException {
        Map<String, Requirement> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(CATALOGUE, StandardCharsets.UTF_8)) {
            if (line.startsWith("#") || line.startsWith("id\t") || line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", 5);
            out.put(f[0], new Requirement(f[0], f[1], f[2], f[3], f.length > 4 ? f[4] : "in scope"));
        }
        return out;
    }

    static Pattern idPattern(String id) {
        return Pattern.compile("(?<![\\w-])" + Pattern.quote(id) + "(?![\\w]|\\.\\d)");
    }

    static Place placeOf(Path rel, String line) {
        String p = rel.toString().replace('\\', '/');
        if (p.startsWith("model/")) {
            return p.contains("/src/test/") ? Place.TEST : Place.MODEL;
        }
        if (p.contains("/src/test/")) {
            return Place.TEST;
        }
        String t = line.trim();
        if (p.contains("/org/proxyinfo/core/") && (t.startsWith("@") || t.startsWith("/*@") || t.startsWith("//@"))) {
            return Place.CONTRACT;
        }
        return Place.CODE;
    }

    @Test
    void catalogueMatchesTheSpecWhenPresent() throws IOException {
        Path spec = ROOT.resolveSibling("shared").resolve("spec");
        if (!Files.isDirectory(spec)) {
            return; // a user's clone without shared/: the committed catalogue stands
        }
        TreeSet<String> inSpec = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\| (B\\d+|0[01]-R\\d+) \\|").matcher(Files.readString(spec.resolve("draft-digest.md")));
        while (m.find()) {
            inSpec.add(m.group(1));
        }
        m = Pattern.compile("(?m)^- \\*\\*(DEC-\\d+) ").matcher(Files.readString(spec.resolve("decisions.md")));
        while (m.find()) {
            inSpec.add(m.group(1));
        }
        m = Pattern.compile("(?m)^- \\*\\*([CRGA]\\d+)\\*\\* ").matcher(Files.readString(spec.resolve("claims.md")));
        while (m.find()) {
            inSpec.add(m.group(1));
        }
        assertEquals(inSpec, new TreeSet<>(catalogue().keySet()),
                "proofs/traceability/requirements.tsv is out of date with shared/spec: add or remove the IDs shown");
    }

    @Test
    void printsTheMatrixAndEveryCitedDecisionExists() throws IOException {
        Map<String, Requirement> cat = catalogue();
        Map<String, Pattern> patterns = new LinkedHashMap<>();
        cat.keySet().forEach(id -> patterns.put(id, idPattern(id)));
        Map<String, Map<Place, List<String>>> hits = new TreeMap<>();
        List<String> unknownDecisions = new ArrayList<>();

        for (String dir : SCANNED) {
            Path base = ROOT.resolve(dir);
            if (!Files.isDirectory(base)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(base)) {
                for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)
                        .filter(f -> f.toString().matches(".*\\.(java|als|pml|json|md)$"))::iterator) {
                    Path rel = ROOT.relativize(file);
                    if (rel.toString().endsWith("TraceabilityMatrixTest.java")) {
                        continue;
                    }
                    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                    for (int i = 0; i < lines.size(); i++) {
                        String line = lines.get(i);
                        String where = rel + ":" + (i + 1);
                        Place place = placeOf(rel, line);
                        for (Map.Entry<String, Pattern> e : patterns.entrySet()) {
                            if (e.getValue().matcher(line).find()) {
                                hits.computeIfAbsent(e.getKey(), k -> new TreeMap<>())
                                        .computeIfAbsent(place, k -> new ArrayList<>()).add(where);
                            }
                        }
                        Matcher rfc = RFC_ID.matcher(line);
                        while (rfc.find()) {
                            hits.computeIfAbsent(rfc.group(), k -> new TreeMap<>())
                                    .computeIfAbsent(place, k -> new ArrayList<>()).add(where);
                        }
                        Matcher dec = ANY_DEC.matcher(line);
                        while (dec.find()) {
                            if (!cat.containsKey(dec.group())) {
                                unknownDecisions.add(where + " cites " + dec.group());
                            }
                        }
                    }
                }
            }
        }

        StringBuilder md = new StringBuilder();
        md.append("# Traceability matrix\n\n")
          .append("Regenerated by `mvn verify` (impl's TraceabilityMatrixTest): for every requirement ID, how many places\n")
          .append("in main code, JML contracts, the model and tests name it, and the first of them.\n\n")
          .append("| id | kind | scope | code | contracts | model | tests | first place |\n|---|---|---|---|---|---|---|---|\n");
        StringBuilder summary = new StringBuilder("\nTraceability matrix (code/contracts/model/tests per requirement ID):\n");
        TreeSet<String> allIds = new TreeSet<>(cat.keySet());
        allIds.addAll(hits.keySet());
        int uncovered = 0;
        int outOfScope = 0;
        for (String id : allIds) {
            Map<Place, List<String>> h = hits.getOrDefault(id, Map.of());
            int code = h.getOrDefault(Place.CODE, List.of()).size();
            int contract = h.getOrDefault(Place.CONTRACT, List.of()).size();
            int model = h.getOrDefault(Place.MODEL, List.of()).size();
            int test = h.getOrDefault(Place.TEST, List.of()).size();
            String first = h.values().stream().flatMap(List::stream).findFirst().orElse("(not named anywhere yet)");
            String kind = cat.containsKey(id) ? cat.get(id).kind() : "rfc";
            String scope = cat.containsKey(id) ? cat.get(id).scope() : "in scope";
            boolean in = scope.startsWith("in scope");
            if (!in) {
                outOfScope++;
            } else if (h.isEmpty()) {
                uncovered++;
            }
            md.append("| ").append(id).append(" | ").append(kind).append(" | ").append(scope).append(" | ").append(code).append(" | ")
              .append(contract).append(" | ").append(model).append(" | ").append(test).append(" | ")
              .append(first).append(" |\n");
            summary.append(String.format("  %-18s %-8s code %3d  contracts %3d  model %3d  tests %3d%s%n",
                    id, kind, code, contract, model, test, in ? "" : "  (" + scope + ")"));
        }
        summary.append(String.format("  %d IDs: %d out of scope (reason shown), %d in scope and not yet named in code, contracts,"
                + " model or tests.%n", allIds.size(), outOfScope, uncovered));
        Files.createDirectories(MATRIX.getParent());
        Files.writeString(MATRIX, md.toString(), StandardCharsets.UTF_8);
        System.out.print(summary);

        assertTrue(unknownDecisions.isEmpty(), "DEC IDs that decisions.md does not define: " + unknownDecisions);
    }
}
