package org.proxyinfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
 * ({@code draft-digest.md}, {@code decisions.md}, {@code claims.md}; the RFCs and the sections cited
 * by ID in {@code references.md}); the catalogue {@code proofs/traceability/requirements.tsv} must list
 * exactly the draft, decision and claim IDs, and every ID that any committed text file uses must
 * resolve there (the build fails otherwise).
 *
 * How a citation is read (the same rules for coverage and for resolution):
 * <ul>
 *   <li>an ID standing alone ({@code DEC-14}, {@code 01-R6}, {@code C1}, {@code RFC5246-7.4.1.2}) names that ID;</li>
 *   <li>a range ({@code DEC-8..13}, {@code 01-R1..R4}, {@code 01-R1..01-R4}, {@code C1-C3}, {@code R1 to R11},
 *       {@code RFC5246-7.4.4..7.4.8}) must have both ends defined, and covers nothing: a test that covers each
 *       member names each member;</li>
 *   <li>an ID with more letters or digits attached ({@code 00-R3a}, {@code RS1b}, {@code C1S}) is a name of its own
 *       and must be defined as one (the property names of {@code claims.md} count);</li>
 *   <li>an ID inside an identifier ({@code C2_ClientAuth}, {@code PROP_C1R}, {@code NoDEC9}, {@code PROP_DEC8},
 *       {@code DEC5A}) must name a defined ID; a hyphenless {@code DECn} is {@code DEC-n};</li>
 *   <li>every {@code "requirementId"} value of a JSON file (the traces) is exactly one defined ID;</li>
 *   <li>every RFC number ({@code RFC 5246}, {@code RFC5246-...}) is listed in {@code references.md}, and every
 *       section cited by ID is listed with it.</li>
 * </ul>
 *
 * Coverage: an in-scope requirement (catalogue scope "in scope ...") must be named, alone, by at least one
 * test, JML contract or model property; main-code comments alone do not count, nor ranges. The
 * RFC sections are references, shown in the matrix but not required to be covered.
 *
 * Evidence: the full matrix (counts and the first place with its line) is written to
 * {@code target/evidence/traceability/matrix-full.md}; the committed {@code proofs/traceability/matrix.md}
 * holds only what changes when coverage changes (which kinds of place name each ID) and is compared with
 * the regenerated one; {@code -Devidence.update=true} rewrites it.
 */
class TraceabilityMatrixTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path SPEC = ROOT.resolve("proofs/spec");
    private static final Path REFERENCES = SPEC.resolve("references.md");
    private static final Path CATALOGUE = ROOT.resolve("proofs/traceability/requirements.tsv");
    private static final Path MATRIX = ROOT.resolve("proofs/traceability/matrix.md");
    private static final Path MATRIX_FULL = ROOT.resolve("impl/target/evidence/traceability/matrix-full.md");

    /** Where coverage is counted (main code, contracts, the model, tests); each must exist. */
    static final String[] SCANNED = {"impl/src", "model/src"};
    /** KeY's mutants are copies of core classes with one change: their comments repeat main code, so they cover nothing. */
    private static final String MUTANT_COPIES = "impl/src/test/key/mutants/";
    /** Folders the resolution check does not walk: version control and build output. */
    private static final Set<String> NOT_WALKED = Set.of(".git", "target", "node_modules");

    /**
     * The one place outside the repository a committed file may point to: the folder beside the clone where CI
     * finds OpenJML. The project's specification is proofs/spec, never that folder (spelled in parts so this
     * file does not cite it).
     */
    private static final String BESIDE = "sha" + "red";
    private static final Pattern OUTSIDE = Pattern.compile("(?<![\\w.-])" + BESIDE + "(?=/|\"\\))");
    private static final Pattern OUTSIDE_ALLOWED = Pattern.compile("^(?:/tools/openjml|\"\\)\\.resolve\\(\"tools/openjml)");

    private static final String ID = "DEC-\\d+|0[01]-R\\d+|RS\\d+|B\\d+|[CRGA]\\d+";
    /** Any project requirement ID: decisions, draft requirements (-00, -01, babu-00) and claims. */
    static final Pattern ANY_ID = Pattern.compile("(?<![\\w-])((?:" + ID + ")[A-Za-z0-9]*)");
    private static final Pattern IN_IDENTIFIER = Pattern.compile("(?<=_)((?:" + ID + ")[A-Za-z0-9]*)");
    private static final Pattern HYPHENLESS_DEC = Pattern.compile("(?<![A-Z0-9-])DEC(\\d+)([aA](?![a-z]))?");
    private static final Pattern RANGE = Pattern.compile("(?<![\\w-])(" + ID + "[a-z]?)(\\.\\.|\u2013| to |-)"
            + "(" + ID + "[a-z]?|R\\d+|\\d+[a-z]?)(?![\\w-])");
    static final Pattern RFC_ID = Pattern.compile("(?<![\\w-])RFC(\\d{4})-(\\d+(?:\\.\\d+)*)(?:\\.\\.(\\d+(?:\\.\\d+)*))?(?![\\w]|\\.\\d)");
    private static final Pattern RFC_NUMBER = Pattern.compile("(?<![\\w-])RFC ?(\\d{3,5})(?!\\d)");
    private static final Pattern REQUIREMENT_ID_VALUE = Pattern.compile("\"requirementId\"\\s*:\\s*\"([^\"]*)\"");
    /** Runs of 40 or more base64 or hex characters ([A-Za-z0-9+/=]) are data (certificates, keys, randoms), not text. */
    private static final int DATA_RUN = 40;
    /** The Alloy API's class names (A4Solution, A4Reporter, ...) are not claim A4. */
    private static final Pattern ALLOY_API = Pattern.compile("A4[A-Z][A-Za-z]*");

    enum Place { CODE, CONTRACT, MODEL, TEST }

    record Requirement(String id, String kind, String source, String text, String scope) {
        boolean inScope() { return scope.startsWith("in scope"); }
    }

    /** What proofs/spec defines: the IDs, the property names that are not claims of their own, the RFC sections. */
    record Spec(TreeSet<String> ids, Set<String> variants, Map<String, Set<String>> rfcSections) {
        boolean defines(String token) {
            return ids.contains(token) || variants.contains(token.toUpperCase(Locale.ROOT));
        }
    }

    /** One citation in one line. */
    record Cite(String id, boolean counts) { }

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

    static Spec spec() throws IOException {
        TreeSet<String> ids = specIds();
        Set<String> variants = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\| ([A-Z]{1,2}\\d+[A-Z]+) \\| ([A-Z]{1,2}\\d+) \\|").matcher(Files.readString(SPEC.resolve("claims.md")));
        while (m.find()) {
            assertTrue(ids.contains(m.group(2)), "claims.md: property name " + m.group(1) + " is of " + m.group(2) + ", which is no claim");
            variants.add(m.group(1));
        }
        Map<String, Set<String>> rfc = new TreeMap<>();
        m = Pattern.compile("(?m)^\\| RFC ?(\\d{3,5}) \\| [^|]+ \\| ([^|]*) \\|").matcher(Files.readString(REFERENCES));
        while (m.find()) {
            Set<String> sections = new TreeSet<>();
            for (String s : m.group(2).split(",")) {
                if (!s.isBlank() && !s.trim().equals("-")) {
                    sections.add(s.trim());
                }
            }
            rfc.put(m.group(1), sections);
        }
        assertFalse(rfc.isEmpty(), REFERENCES + " lists no RFC");
        return new Spec(ids, variants, rfc);
    }

    /** Blanks out the data runs (at least {@link #DATA_RUN} characters), keeping every other character where it was; linear time. */
    static String text(String line) {
        char[] c = null;
        int run = 0;
        for (int i = 0; i <= line.length(); i++) {
            char ch = i < line.length() ? line.charAt(i) : ' ';
            boolean data = ch < 128 && (Character.isLetterOrDigit(ch) || ch == '+' || ch == '/' || ch == '=');
            if (data) {
                run++;
                continue;
            }
            if (run >= DATA_RUN) {
                if (c == null) {
                    c = line.toCharArray();
                }
                java.util.Arrays.fill(c, i - run, i, ' ');
            }
            run = 0;
        }
        return c == null ? line : new String(c);
    }

    /** Can this line cite a project ID at all (a digit after C, R, G, A, B or S, or "DEC")? A cheap test before the patterns. */
    static boolean mayCite(String line) {
        for (int i = 1; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch >= '0' && ch <= '9') {
                char before = line.charAt(i - 1);
                if (before == 'C' || before == 'R' || before == 'G' || before == 'A' || before == 'B' || before == 'S') {
                    return true;
                }
            }
        }
        return line.contains("DEC");
    }

    /** The end of a range as its own ID: DEC-8..13 is DEC-13, 01-R1..R4 is 01-R4, 00-R1..00-R3 is 00-R3. */
    static String rangeEnd(String head, String tail) {
        if (tail.matches("\\d+[a-z]?")) {
            return head.replaceAll("\\d+[a-z]?$", "") + tail;
        }
        if (tail.matches("R\\d+") && head.matches("0[01]-R\\d+")) {
            return head.substring(0, 3) + tail;
        }
        return tail;
    }

    /**
     * Every citation of a project ID in one line: the ID as written (to be resolved) and whether it counts as naming
     * that ID (only an ID standing alone does; ranges, longer names and identifiers do not).
     */
    static List<Cite> cites(String raw) {
        return citesInText(text(raw));
    }

    private static List<Cite> citesInText(String line) {
        List<Cite> out = new ArrayList<>();
        if (!mayCite(line)) {
            return out;
        }
        boolean[] inRange = new boolean[line.length()];
        Matcher r = RANGE.matcher(line);
        while (r.find()) {
            String sep = r.group(2);
            boolean claimHead = r.group(1).matches("[CRGAB]\\d+|RS\\d+");
            boolean fullTail = r.group(3).matches("(?:" + ID + ")[a-z]?") && !(r.group(3).matches("R\\d+") && !claimHead);
            if (sep.equals("-") && !(claimHead && fullTail)) {
                continue;
            }
            if (sep.equals(" to ") && !fullTail) {
                continue;
            }
            out.add(new Cite(r.group(1), false));
            out.add(new Cite(rangeEnd(r.group(1), r.group(3)), false));
            for (int i = r.start(); i < r.end(); i++) {
                inRange[i] = true;
            }
        }
        Matcher m = ANY_ID.matcher(line);
        while (m.find()) {
            if (inRange[m.start()] || ALLOY_API.matcher(m.group(1)).matches()) {
                continue;
            }
            int end = m.end();
            boolean alone = end == line.length() || !(Character.isLetterOrDigit(line.charAt(end)) || line.charAt(end) == '_')
                    && !(line.charAt(end) == '.' && end + 1 < line.length() && Character.isDigit(line.charAt(end + 1)));
            out.add(new Cite(m.group(1), alone));
        }
        m = IN_IDENTIFIER.matcher(line);
        while (m.find()) {
            out.add(new Cite(m.group(1), false));
        }
        m = HYPHENLESS_DEC.matcher(line);
        while (m.find()) {
            out.add(new Cite("DEC-" + m.group(1) + (m.group(2) == null ? "" : "a"), false));
        }
        return out;
    }

    /** The RFC sections cited by ID in one line: "RFCnnnn-s", and whether the citation counts (a range does not). */
    static List<Cite> rfcCites(String raw) {
        return rfcCitesInText(text(raw));
    }

    private static List<Cite> rfcCitesInText(String line) {
        List<Cite> out = new ArrayList<>();
        if (!line.contains("RFC")) {
            return out;
        }
        Matcher m = RFC_ID.matcher(line);
        while (m.find()) {
            out.add(new Cite("RFC" + m.group(1) + "-" + m.group(2), m.group(3) == null));
            if (m.group(3) != null) {
                out.add(new Cite("RFC" + m.group(1) + "-" + m.group(3), false));
            }
        }
        return out;
    }

    /** What is wrong with one line of one file (empty when every citation in it resolves in proofs/spec). */
    static List<String> problems(Spec spec, String where, String raw) {
        List<String> out = new ArrayList<>();
        problems(spec, () -> where, raw, out);
        return out;
    }

    /** As above, adding to {@code out}; {@code where} is asked only when there is a problem (this runs on every line). */
    static void problems(Spec spec, java.util.function.Supplier<String> place, String raw, List<String> out) {
        boolean cite = mayCite(raw);
        boolean rfcs = raw.contains("RFC");
        boolean beside = raw.contains(BESIDE);
        boolean values = raw.contains("requirementId");
        if (!cite && !rfcs && !beside && !values) {
            return;
        }
        String where = place.get();
        String line = text(raw);
        for (Cite c : citesInText(line)) {
            if (!spec.defines(c.id())) {
                out.add(where + " names " + c.id());
            }
        }
        for (Cite c : rfcCitesInText(line)) {
            String[] p = c.id().substring(3).split("-", 2);
            Set<String> sections = spec.rfcSections().get(p[0]);
            if (sections != null && !sections.contains(p[1])) {
                out.add(where + " cites " + c.id() + ": section " + p[1] + " is not listed for RFC " + p[0] + " in proofs/spec/references.md");
            }
        }
        Matcher n = RFC_NUMBER.matcher(line);
        while (rfcs && n.find()) {
            if (!spec.rfcSections().containsKey(n.group(1))) {
                out.add(where + " cites RFC " + n.group(1) + ", which proofs/spec/references.md does not list");
            }
        }
        Matcher o = OUTSIDE.matcher(line);
        while (beside && o.find()) {
            if (!OUTSIDE_ALLOWED.matcher(line.substring(o.end())).find()) {
                out.add(where + " points to the folder beside the clone ('" + line.substring(Math.max(0, o.start() - 3),
                        Math.min(line.length(), o.end() + 12)) + "'), which users do not have; only the OpenJML tool"
                        + " path (tools/openjml) may be named there, the specification is proofs/spec");
            }
        }
        Matcher v = REQUIREMENT_ID_VALUE.matcher(raw);
        while (values && v.find()) {
            String id = v.group(1);
            Matcher rfc = Pattern.compile("RFC(\\d{4})-(\\d+(?:\\.\\d+)*)").matcher(id);
            boolean ok = rfc.matches() ? spec.rfcSections().getOrDefault(rfc.group(1), Set.of()).contains(rfc.group(2))
                    : spec.ids().contains(id);
            if (!ok) {
                out.add(where + " has requirementId '" + id + "', which is not one ID defined in proofs/spec");
            }
        }
    }

    /** The committed text files under {@code base} (binary files, version control and build output left out). */
    static List<Path> textFiles(Path base) throws IOException {
        List<Path> out = new ArrayList<>();
        Files.walkFileTree(base, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return !dir.equals(base) && NOT_WALKED.contains(dir.getFileName().toString())
                        ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && !NOT_WALKED.contains(file.getFileName().toString())) {
                    out.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        out.sort(null);
        return out;
    }

    /** The lines of a text file; null for a binary file (a NUL byte, or not UTF-8). */
    static List<String> lines(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        for (byte b : bytes) {
            if (b == 0) {
                return null;
            }
        }
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            return s.lines().toList();
        } catch (CharacterCodingException e) {
            return null;
        }
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
    void everyScannedFolderExists() {
        List<String> missing = Stream.of(SCANNED).filter(d -> !Files.isDirectory(ROOT.resolve(d))).toList();
        assertTrue(missing.isEmpty(), "the traceability matrix would silently skip " + missing
                + ": fix SCANNED in TraceabilityMatrixTest to the folders that hold code, contracts, model and tests");
    }

    @Test
    void everyIdUsedAnywhereInTheRepositoryResolvesInProofsSpec() throws IOException {
        Spec spec = spec();
        List<String> unresolved = new ArrayList<>();
        for (Path file : textFiles(ROOT)) {
            if (file.endsWith("TraceabilityMatrixTest.java")) {
                continue;
            }
            List<String> lines = lines(file);
            if (lines == null) {
                continue;
            }
            Path rel = ROOT.relativize(file);
            for (int i = 0; i < lines.size(); i++) {
                int lineNo = i + 1;
                problems(spec, () -> rel + ":" + lineNo, lines.get(i), unresolved);
            }
        }
        assertTrue(unresolved.isEmpty(), unresolved.size() + " citations resolve nowhere in proofs/spec (define the ID there,"
                + " list the RFC or section in proofs/spec/references.md, or fix the citation):\n  " + String.join("\n  ", unresolved));
    }

    @Test
    void unresolvedIdIsDetected() {
        List<String> found = cites("guarded by DEC-24 and 01-R17 (claim R12)").stream().map(Cite::id).toList();
        assertEquals(List.of("DEC-24", "01-R17", "R12"), found);
    }

    /** The blind spots a reviewer's probes found, each a line the checks must refuse (or, for the last ones, accept). */
    @Test
    void everyFormOfCitationIsChecked() throws IOException {
        Spec spec = spec();
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("a trace's requirementId", "      \"requirementId\": \"DEC-99\",");
        refused.put("a trace's free-text requirementId", "      \"requirementId\": \"the proxy's check\",");
        refused.put("a suffixed draft ID", "see 00-R3a");
        refused.put("a suffixed claim", "RS1b holds");
        refused.put("a hyphenless mutant name", "mutant NoDEC24 breaks it");
        refused.put("a hyphenless property name", "PROP_DEC31 = ...");
        refused.put("a claim inside an identifier", "pred PROP_C9 { }");
        refused.put("a range's undefined end", "DEC-20..29");
        refused.put("an RFC number not listed", "RFC5264-7.4.1.4.1");
        refused.put("an RFC section not listed", "RFC5246-7.4.1.4.9");
        refused.put("an RFC in prose not listed", "as RFC 9999 says");
        refused.put("the spec beside the clone", "see ../" + BESIDE + "/spec/decisions.md");
        refused.put("another folder beside the clone", "ROOT.resolveSibling(\"" + BESIDE + "\").resolve(\"spec\")");
        for (Map.Entry<String, String> e : refused.entrySet()) {
            assertFalse(problems(spec, "probe", e.getValue()).isEmpty(), e.getKey() + " was not refused: " + e.getValue());
        }
        for (String ok : List.of("OpenJML from ../" + BESIDE + "/tools/openjml/openjml",
                "ROOT.resolveSibling(\"" + BESIDE + "\").resolve(\"tools/openjml/openjml\")",
                "      \"requirementId\": \"RFC5246-7.4.1.2\",", "01-R1..R4, DEC-8..13, C1-C3, R1 to R11", "C2_ClientAuth NoDEC9 DEC5A C1S",
                "A4Solution", "MIIBkTCB+zCCAWSgAwIBAgIUR3/C1+x9c0aAbCdEfGhIjKlMnOpQrStUvWxYz0123456789")) {
            assertEquals(List.of(), problems(spec, "probe", ok), ok);
        }
    }

    /** Ranges name their ends for resolution only: "00-R1..R3" is not a citation of claim R3, nor of 00-R1. */
    @Test
    void aRangeCoversNothing() {
        assertEquals(List.of(new Cite("00-R1", false), new Cite("00-R3", false)), cites("(00-R1..R3)"));
        assertEquals(List.of(new Cite("01-R1", false), new Cite("01-R4", false)), cites("01-R1..R4"));
        assertEquals(List.of(new Cite("DEC-8", false), new Cite("DEC-13", false)), cites("DEC-8..13"));
        assertEquals(List.of(new Cite("C1", false), new Cite("C3", false)), cites("C1-C3"));
        assertEquals(List.of(new Cite("RFC5246-7.4.4", false), new Cite("RFC5246-7.4.8", false)), rfcCites("RFC5246-7.4.4..7.4.8"));
        assertEquals(List.of(new Cite("00-R5", true), new Cite("01-R6", true)), cites("00-R5/01-R6"));
        assertEquals(List.of(new Cite("DEC-5a", true)), cites("DEC-5a"));
    }

    @Test
    void printsTheMatrixAndTheCommittedMatrixIsCurrent() throws IOException {
        Map<String, Requirement> cat = catalogue();
        Map<String, Map<Place, List<String>>> hits = new TreeMap<>();

        for (String dir : SCANNED) {
            Path base = ROOT.resolve(dir);
            assertTrue(Files.isDirectory(base), dir + " does not exist: the matrix would skip it (fix SCANNED)");
            for (Path file : textFiles(base)) {
                Path rel = ROOT.relativize(file);
                String relText = rel.toString().replace('\\', '/');
                if (relText.endsWith("TraceabilityMatrixTest.java") || relText.startsWith(MUTANT_COPIES) && relText.endsWith(".java")) {
                    continue;
                }
                List<String> lines = lines(file);
                if (lines == null) {
                    continue;
                }
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    String where = rel + ":" + (i + 1);
                    Place place = placeOf(rel, line);
                    String clean = text(line);
                    List<Cite> named = new ArrayList<>(citesInText(clean));
                    named.addAll(rfcCitesInText(clean));
                    for (String id : named.stream().filter(Cite::counts).map(Cite::id).distinct().toList()) {
                        if (cat.containsKey(id) || id.startsWith("RFC")) {
                            hits.computeIfAbsent(id, k -> new TreeMap<>()).computeIfAbsent(place, k -> new ArrayList<>()).add(where);
                        }
                    }
                }
            }
        }

        StringBuilder md = new StringBuilder();
        md.append("# Traceability matrix (full)\n\n")
          .append("Written by `mvn verify` (impl's TraceabilityMatrixTest): for every requirement ID, how many places\n")
          .append("in main code, JML contracts, the model and tests name it, and the first of them.\n")
          .append("The IDs are defined in proofs/spec/ (draft-digest.md, decisions.md, claims.md, references.md).\n\n")
          .append("| id | kind | scope | code | contracts | model | tests | first place |\n|---|---|---|---|---|---|---|---|\n");
        StringBuilder committed = new StringBuilder();
        committed.append("# Traceability matrix\n\n")
          .append("Checked by `mvn verify` (impl's TraceabilityMatrixTest), which fails when this file differs from what\n")
          .append("the sources say; `-Devidence.update=true` rewrites it. For every requirement ID (defined in\n")
          .append("`proofs/spec/`: `draft-digest.md`, `decisions.md`, `claims.md`; RFC sections as the code cites them,\n")
          .append("listed in `references.md`): its scope, and whether main code, JML contracts, the model and tests name\n")
          .append("it (x) or not (-). An ID counts where it stands alone: a range (`DEC-8..13`, `01-R1..R4`) names no\n")
          .append("member. The build fails when an in-scope requirement is named by no test, contract or model\n")
          .append("property (code comments alone do not count); RFC sections are references and need not be.\n")
          .append("Counts and the places themselves: `impl/target/evidence/traceability/matrix-full.md` after a build.\n\n")
          .append("| id | kind | scope | code | contracts | model | tests |\n|---|---|---|---|---|---|---|\n");
        StringBuilder summary = new StringBuilder("\nTraceability matrix (code/contracts/model/tests per requirement ID):\n");
        TreeSet<String> allIds = new TreeSet<>(cat.keySet());
        allIds.addAll(hits.keySet());
        List<String> uncovered = new ArrayList<>();
        int outOfScope = 0;
        int references = 0;
        for (String id : allIds) {
            Map<Place, List<String>> h = hits.getOrDefault(id, Map.of());
            int code = h.getOrDefault(Place.CODE, List.of()).size();
            int contract = h.getOrDefault(Place.CONTRACT, List.of()).size();
            int model = h.getOrDefault(Place.MODEL, List.of()).size();
            int test = h.getOrDefault(Place.TEST, List.of()).size();
            String first = h.values().stream().flatMap(List::stream).findFirst().orElse("(not named anywhere yet)");
            boolean rfc = !cat.containsKey(id);
            String kind = rfc ? "rfc" : cat.get(id).kind();
            String scope = rfc ? "reference (proofs/spec/references.md)" : cat.get(id).scope();
            boolean in = !rfc && cat.get(id).inScope();
            committed.append("| ").append(id).append(" | ").append(kind).append(" | ").append(scope).append(" | ")
              .append(code > 0 ? "x" : "-").append(" | ").append(contract > 0 ? "x" : "-").append(" | ")
              .append(model > 0 ? "x" : "-").append(" | ").append(test > 0 ? "x" : "-").append(" |\n");
            if (rfc) {
                references++;
            } else if (!in) {
                outOfScope++;
            } else if (contract + model + test == 0) {
                uncovered.add(id + (code > 0 ? " (named only in main code: " + h.get(Place.CODE).get(0) + ")" : " (named nowhere)"));
            }
            md.append("| ").append(id).append(" | ").append(kind).append(" | ").append(scope).append(" | ").append(code).append(" | ")
              .append(contract).append(" | ").append(model).append(" | ").append(test).append(" | ")
              .append(first).append(" |\n");
            summary.append(String.format("  %-18s %-8s code %3d  contracts %3d  model %3d  tests %3d%s%n",
                    id, kind, code, contract, model, test, in ? "" : "  (" + scope + ")"));
        }
        summary.append(String.format("  %d IDs: %d RFC sections cited (references), %d out of scope or planned (reason shown),"
                + " %d in scope and named by no test, contract or model property.%n", allIds.size(), references, outOfScope,
                uncovered.size()));
        Files.createDirectories(MATRIX_FULL.getParent());
        Files.writeString(MATRIX_FULL, md.toString(), StandardCharsets.UTF_8);
        System.out.print(summary);
        if (!uncovered.isEmpty()) {
            fail(uncovered.size() + " in-scope requirements are covered by no test, JML contract or model property (a main-code"
                    + " comment or a range does not count):\n  " + String.join("\n  ", uncovered)
                    + "\nFor each: write or find a test that exercises it and name the ID there, alone (not in a range), with a"
                    + " sentence on how it covers it; or, if the project does not enforce it, say so in proofs/spec and give it"
                    + " its reason in the scope column of proofs/traceability/requirements.tsv.");
        }
        Evidence.check(MATRIX, MATRIX_FULL.resolveSibling("matrix.md"), committed.toString(), s -> s);
    }
}
