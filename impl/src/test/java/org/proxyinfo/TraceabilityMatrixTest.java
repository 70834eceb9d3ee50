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
 *
 * The IDs are defined by the project's own record of the specification in {@code proofs/spec/}
 * ({@code draft-digest.md}, {@code decisions.md}, {@code claims.md}); the catalogue
 * {@code proofs/traceability/requirements.tsv} must list exactly those IDs, and every ID that code,
 * tests, the model or the documentation uses must resolve there (the build fails otherwise).
 *
 * Evidence: the full matrix (counts and the first place with its line) is written to
 * {@code target/evidence/traceability/matrix.md}; the committed {@code proofs/traceability/matrix.md}
 * holds only what changes when coverage changes (which kinds of place name each ID, and the first
 * file) and is compared with the regenerated one; {@code -Devidence.update=true} rewrites it.
 */
class TraceabilityMatrixTest {
    /** The spec folder beside the repository that users do not have (spelled in two parts so this file does not cite it). */
    private static final String OUTSIDE_SPEC = "shared" + "/spec";


    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path SPEC = ROOT.resolve("proofs/spec");
    private static final Path CATALOGUE = ROOT.resolve("proofs/traceability/requirements.tsv");
    private static final Path MATRIX = ROOT.resolve("proofs/traceability/matrix.md");
    private static final Path MATRIX_FULL = ROOT.resolve("impl/target/evidence/traceability/matrix-full.md");
    private static final Pattern RFC_ID = Pattern.compile("(?<![\\w-])RFC(\\d{4})-(\\d+(?:\\.\\d+)*)");
    /** Any project requirement ID: decisions, draft requirements (-00, -01, babu-00) and claims. */
    static final Pattern ANY_ID = Pattern.compile("(?<![\\w-])(DEC-\\d+[a-z]?|0[01]-R\\d+|B\\d+|RS\\d+|[CRGA]\\d+)(?![\\w])");
    private static final String[] SCANNED = {"impl/src", "model/src", "model/alloy", "model/spin", "traces/schema"};
    /** Documentation a user reads: every ID named there must resolve in proofs/spec too. */
    private static final String[] DOCS = {"README.md", "impl", "model/README.md", "traces/README.md", "proofs"};

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

    /** The IDs the in-repo specification defines: table rows of the digest, bold DEC and claim items. */
    static TreeSet<String> specIds() throws IOException {
        TreeSet<String> inSpec = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\| (B\\d+|0[01]-R\\d+) \\|").matcher(Files.readString(SPEC.resolve("draft-digest.md")));
        while (m.find()) {
            inSpec.add(m.group(1));
        }
        m = Pattern.compile("(?m)^- \\*\\*(DEC-\\d+[a-z]?) ").matcher(Files.readString(SPEC.resolve("decisions.md")));
        while (m.find()) {
            inSpec.add(m.group(1));
        }
        m = Pattern.compile("(?m)^- \\*\\*([A-Z]{1,2}\\d+)\\*\\* ").matcher(Files.readString(SPEC.resolve("claims.md")));
        while (m.find()) {
            inSpec.add(m.group(1));
        }
        return inSpec;
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
    void catalogueListsExactlyTheIdsOfTheInRepoSpec() throws IOException {
        TreeSet<String> inSpec = specIds();
        assertTrue(inSpec.size() > 80, "proofs/spec defines only " + inSpec.size() + " IDs: is the record complete?");
        assertEquals(inSpec, new TreeSet<>(catalogue().keySet()),
                "proofs/traceability/requirements.tsv is out of date with proofs/spec: add or remove the IDs shown");
    }

    @Test
    void everyIdUsedInCodeModelTestsAndDocsResolvesInTheRepository() throws IOException {
        TreeSet<String> known = specIds();
        List<String> unresolved = new ArrayList<>();
        List<Path> roots = new ArrayList<>();
        for (String d : SCANNED) roots.add(ROOT.resolve(d));
        for (String d : DOCS) roots.add(ROOT.resolve(d));
        for (Path base : roots) {
            if (!Files.exists(base)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(base)) {
                for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)
                        .filter(f -> !f.toString().contains("/target/"))
                        .filter(f -> f.toString().matches(".*\\.(java|als|pml|json|md|tsv)$"))::iterator) {
                    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                    for (int i = 0; i < lines.size(); i++) {
                        String line = lines.get(i);
                        if (line.contains(OUTSIDE_SPEC) && !file.endsWith("TraceabilityMatrixTest.java")) {
                            unresolved.add(ROOT.relativize(file) + ":" + (i + 1) + " cites " + OUTSIDE_SPEC + ", which users do not have");
                        }
                        Matcher m = ANY_ID.matcher(line);
                        while (m.find()) {
                            if (!known.contains(m.group(1)) && !file.endsWith("TraceabilityMatrixTest.java")) {
                                unresolved.add(ROOT.relativize(file) + ":" + (i + 1) + " names " + m.group(1));
                            }
                        }
                    }
                }
            }
        }
        assertTrue(unresolved.isEmpty(), "IDs that resolve nowhere in proofs/spec (define them there, or fix the citation):\n  "
                + String.join("\n  ", unresolved));
    }

    @Test
    void unresolvedIdIsDetected() {
        Matcher m = ANY_ID.matcher("guarded by DEC-24 and 01-R17 (claim R12)");
        List<String> found = new ArrayList<>();
        while (m.find()) found.add(m.group(1));
        assertEquals(List.of("DEC-24", "01-R17", "R12"), found);
    }

    @Test
    void printsTheMatrixAndTheCommittedMatrixIsCurrent() throws IOException {
        Map<String, Requirement> cat = catalogue();
        Map<String, Pattern> patterns = new LinkedHashMap<>();
        cat.keySet().forEach(id -> patterns.put(id, idPattern(id)));
        Map<String, Map<Place, List<String>>> hits = new TreeMap<>();

        for (String dir : SCANNED) {
            Path base = ROOT.resolve(dir);
            if (!Files.isDirectory(base)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(base)) {
                for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()
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
                    }
                }
            }
        }

        StringBuilder md = new StringBuilder();
        md.append("# Traceability matrix (full)\n\n")
          .append("Written by `mvn verify` (impl's TraceabilityMatrixTest): for every requirement ID, how many places\n")
          .append("in main code, JML contracts, the model and tests name it, and the first of them.\n")
          .append("The IDs are defined in proofs/spec/ (draft-digest.md, decisions.md, claims.md).\n\n")
          .append("| id | kind | scope | code | contracts | model | tests | first place |\n|---|---|---|---|---|---|---|---|\n");
        StringBuilder committed = new StringBuilder();
        committed.append("# Traceability matrix\n\n")
          .append("Checked by `mvn verify` (impl's TraceabilityMatrixTest), which fails when this file differs from what\n")
          .append("the sources say; `-Devidence.update=true` rewrites it. For every requirement ID (defined in\n")
          .append("`proofs/spec/`: `draft-digest.md`, `decisions.md`, `claims.md`; RFC sections as the code cites them):\n")
          .append("its scope, and whether main code, JML contracts, the model and tests name it (x) or not (-).\n")
          .append("Counts and the places themselves: `impl/target/evidence/traceability/matrix-full.md` after a build.\n\n")
          .append("| id | kind | scope | code | contracts | model | tests |\n|---|---|---|---|---|---|---|\n");
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
            committed.append("| ").append(id).append(" | ").append(kind).append(" | ").append(scope).append(" | ")
              .append(code > 0 ? "x" : "-").append(" | ").append(contract > 0 ? "x" : "-").append(" | ")
              .append(model > 0 ? "x" : "-").append(" | ").append(test > 0 ? "x" : "-").append(" |\n");
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
        summary.append(String.format("  %d IDs: %d out of scope or planned (reason shown), %d in scope and not yet named in code,"
                + " contracts, model or tests.%n", allIds.size(), outOfScope, uncovered));
        Files.createDirectories(MATRIX_FULL.getParent());
        Files.writeString(MATRIX_FULL, md.toString(), StandardCharsets.UTF_8);
        System.out.print(summary);
        Evidence.check(MATRIX, MATRIX_FULL.resolveSibling("matrix.md"), committed.toString(), s -> s);
    }
}
