package org.proxyinfo.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;

/**
 * Issue 18: OpenJML's extended static checker (ESC) checks the same JML contracts on the decision
 * cores ({@code org.proxyinfo.core}) that KeY proves ({@link KeyContractsTest}), with overflow-safe
 * code math ({@code --code-math=safe}, the counterpart of KeY's integer-overflow checking).
 *
 * <p>The contracts checked cover: the client releases key material and reaches ESTABLISHED only after
 * every ProxyInfo check passed (DEC-8, DEC-9, DEC-10, DEC-11, DEC-12, DEC-13, RFC5246-7.4.3,
 * RFC5246-7.4.9); the proxy answers session #1 only after session #2 and signs only about its own
 * session #2 (DEC-14, DEC-15, DEC-5, DEC-17); an ordinary server never echoes proxy_info and refuses
 * TLS below 1.2 (DEC-19, DEC-20); every abort emits exactly one fatal alert, the one DEC-21 assigns;
 * one transition table (RFC5246-7.4, RFC5246-7.2.2).
 *
 * <ol>
 *   <li>{@link #everyCoreMethodIsValid()}: OpenJML ESC on every class in the core folder (listed, not
 *       named here). Every method must be reported valid: an invalid, timed-out, infeasible, errored
 *       or skipped method fails the test, and so does a method of the compiled core that OpenJML did
 *       not report at all (an unknown answer is a failure). The result per method is written as
 *       RFC 4180 CSV to {@code impl/target/openjml/results.csv} (with times) and compared with the
 *       committed {@code proofs/openjml/results.csv} (without times): {@value #HOW_TO_UPDATE}.</li>
 *   <li>{@link #everyMutantIsInvalid()}: every mutant folder in {@code impl/src/test/key/mutants/}
 *       (KeY's mutants: copies of core classes with a check removed, a guard weakened or a wrong
 *       alert) is laid over a copy of the core, and every method its {@code EXPECT_OPEN} names must
 *       be reported INVALID (a counterexample, not a timeout) by OpenJML: the contracts have teeth
 *       under both checkers.</li>
 * </ol>
 *
 * <p>OpenJML is found via {@code -Dopenjml=PATH}, the environment variable {@code OPENJML}, then
 * {@code ../shared/tools/openjml/openjml} beside the repository, then {@code openjml} on PATH. Where
 * none exists the tests are reported SKIPPED (never passed) with how to get it: {@value #HOW_TO_GET};
 * with the environment variable {@code OPENJML_REQUIRED} set they fail instead ({@code .ci/run} sets it when
 * {@code CI=true}, when {@code OPENJML} is set, or when OpenJML is beside the repository).
 * The core runs and the mutant runs are started together ({@link #AT_A_TIME} at a time) in {@link #startOpenJml()}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 25, unit = TimeUnit.MINUTES)
class OpenJmlEscTest {

    static final Path ROOT = KeyContractsTest.ROOT;
    static final Path CORE = KeyContractsTest.CORE;
    static final Path MUTANTS = KeyContractsTest.MUTANTS;
    static final Path OUT = ROOT.resolve("impl/target/openjml");
    static final Path FRESH_CSV = OUT.resolve("results.csv");
    static final Path MUTANTS_CSV = OUT.resolve("mutants.csv");
    static final Path COMMITTED_CSV = ROOT.resolve("proofs/openjml/results.csv");
    static final String PACKAGE = "org.proxyinfo.core";
    static final boolean UPDATE = Boolean.getBoolean("openjml.update");
    static final String HOW_TO_UPDATE = "mvn -B -pl impl -am test -Dtest=OpenJmlEscTest"
            + " -Dsurefire.failIfNoSpecifiedTests=false -Dopenjml.update=true, then commit proofs/openjml/results.csv";
    static final String HOW_TO_GET = "get OpenJML 0.21 or later for your platform from the official releases,"
            + " https://github.com/OpenJML/OpenJML/releases (unzip; it brings its own JDK and z3), or build it as"
            + " proofs/openjml/README.md describes; then run the build with OPENJML=/path/to/openjml"
            + " (or -Dopenjml=/path/to/openjml), or put the openjml script on PATH";
    /** The options of the check; {@code impl/openjml-esc.sh} uses the same. */
    static final List<String> ESC = List.of("--esc", "--code-math=safe", "--spec-math=bigint", "--progress",
            "--show-skipped", "--show-summary");
    /** Mutants: stop a method's proof at its first counterexample (a mutant needs one). */
    static final List<String> ESC_MUTANT = List.of("--esc-max-warnings=1");
    /** Whole-run bound (OpenJML's own --timeout is not used: see proofs/openjml/README.md). */
    static final long RUN_LIMIT_MINUTES = 20; // a loaded shared machine took 7.5 minutes; a quiet one about 2

    static final Pattern STARTING = Pattern.compile("^Starting proof of (.+?) with prover (\\S+)\\s*$");
    static final Pattern COMPLETED = Pattern.compile("^Completed proof of (.+?) with prover \\S+ - (.+?)(?: \\[([0-9.]+) secs\\])?\\s*$");
    static final Pattern SKIPPING = Pattern.compile("^Skipping proof of (.+?)(?: \\((.*)\\))?\\s*$");
    static final Pattern VERIFY = Pattern.compile("^(.+?\\.(?:java|jml)):(\\d+): verify: (.*)$");
    static final Pattern ERROR = Pattern.compile("^(.+?):(\\d+): error: (.*)$");
    static final Pattern TIMES = Pattern.compile("(?m)^(\\d+)m([0-9.,]+)s (\\d+)m([0-9.,]+)s$");
    static final Pattern SUMMARY = Pattern.compile("^\\s*(Valid|Invalid|Infeasible|Timeout|Error|Skipped|TOTAL METHODS):\\s*(\\d+)\\s*$");

    /** One method's outcome: "valid", "invalid" (a counterexample), or what else OpenJML said. */
    record MethodResult(String type, String signature, String result, double seconds, List<String> warnings) {
        boolean valid() { return result.equals("valid") && warnings.isEmpty(); }
        boolean invalid() { return result.equals("invalid"); }
        String key() { return type + "." + signature; }
    }

    /** One OpenJML run: its command, exit status, output, and the methods parsed from it. */
    record Run(String name, List<String> command, int exit, String output, long millis, long cpuMillis,
               Map<String, MethodResult> methods, Map<String, Integer> summary, List<String> errors) { }

    static Path openjml;
    static final java.util.concurrent.atomic.AtomicLong cpuTotal = new java.util.concurrent.atomic.AtomicLong();
    static ExecutorService pool;
    static long startedAt;
    /** The core is checked by three OpenJML runs side by side, each proving the methods of its share of the classes. */
    static final List<Future<Run>> coreRuns = new ArrayList<>();
    /**
     * The first two core runs' classes, about a third of the proof time each (per-method times of 5 Dec 2026:
     * ClientHandshake 63 s, ServerHandshake 45 s, ProxyHandshake 40 s, AbbreviatedHandshake 37 s, ProxyInfoDecision
     * 27 s, ClientCertMode 14 s, the rest 3 to 8 s); the third run proves every other core class, so a new class is
     * never left out. Most of a run's wall time is OpenJML sleeping one second per method (proofs/openjml/README.md),
     * so three shorter runs side by side finish sooner than two longer ones.
     */
    static final List<List<String>> CORE_PARTS = List.of(
            List.of("ClientHandshake", "Transitions", "AlertDescription", "Resumption"),
            List.of("ServerHandshake", "AbbreviatedHandshake"));
    /** OpenJML processes at a time (see {@link #startOpenJml()}). */
    static final int AT_A_TIME = 4;
    static final String EXCLUDED = "skipped (excluded by -method)";
    static final Map<Path, Future<Run>> mutantRuns = new LinkedHashMap<>();
    static final java.util.concurrent.atomic.AtomicLong lastEnd = new java.util.concurrent.atomic.AtomicLong();

    /** Where OpenJML is; null when it is nowhere (the tests then skip). */
    static Path locate() {
        List<String> candidates = new ArrayList<>();
        String prop = System.getProperty("openjml");
        if (prop != null && !prop.isBlank()) {
            candidates.add(prop);
        }
        String env = System.getenv("OPENJML");
        if (env != null && !env.isBlank()) {
            candidates.add(env);
        }
        candidates.add(ROOT.resolveSibling("shared").resolve("tools/openjml/openjml").toString());
        for (String c : candidates) {
            Path p = Path.of(c);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p.toAbsolutePath();
            }
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = dir.isEmpty() ? null : Path.of(dir, "openjml");
            if (p != null && Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    @BeforeAll
    static void startOpenJml() throws IOException {
        openjml = locate();
        if (openjml == null) {
            return;
        }
        Files.createDirectories(OUT);
        startedAt = System.nanoTime();
        // Four OpenJML processes at a time on 2 cores: each waits for z3 or its own start-up much of the time (two at a
        // time used 2 cores only two thirds of the step: 335 s CPU in 252 s wall; three at a time, with two core runs,
        // 204 s CPU in 142 s wall, 5 Dec 2026).
        pool = Executors.newFixedThreadPool(AT_A_TIME);
        List<Path> coreFiles = javaFiles(CORE);
        List<String> rest = coreFiles.stream().map(f -> f.getFileName().toString().replace(".java", ""))
                .filter(c -> CORE_PARTS.stream().noneMatch(p -> p.contains(c))).toList();
        List<List<String>> parts = new ArrayList<>(CORE_PARTS);
        parts.add(rest);
        for (List<String> part : parts) {
            List<String> options = new ArrayList<>(ESC);
            options.add("--method=" + part.stream().map(c -> PACKAGE + "." + c + ".*").collect(Collectors.joining(",")));
            String name = "core " + (char) ('A' + coreRuns.size());
            coreRuns.add(pool.submit(() -> run(name, coreFiles, options, OUT.resolve("classes-" + name.replace(' ', '-')))));
        }
        for (List<Path> group : mutantGroups(mutantDirs())) {
            String name = group.stream().map(m -> m.getFileName().toString()).collect(Collectors.joining("+"));
            Path work = ROOT.resolve("impl/target/openjml-mutants").resolve("group-" + group.get(0).getFileName());
            KeyContractsTest.copyCoreWith(group, work);
            List<String> options = new ArrayList<>(ESC);
            options.addAll(ESC_MUTANT);
            // Only the methods the mutants broke are proved; the other classes are read for their contracts.
            List<String> patterns = new ArrayList<>();
            for (Path mutant : group) {
                patterns.addAll(KeyContractsTest.expectOpen(mutant).stream().map(OpenJmlEscTest::methodPattern).toList());
            }
            options.add("--method=" + patterns.stream().distinct().collect(Collectors.joining(",")));
            List<Path> files = javaFiles(work);
            Future<Run> run = pool.submit(() -> run("mutant " + name, files, options,
                    OUT.resolve("classes-group-" + group.get(0).getFileName())));
            for (Path mutant : group) {
                mutantRuns.put(mutant, run);
            }
        }
        pool.shutdown();
    }

    /**
     * Mutant folders that break disjoint sets of core classes share one OpenJML run (each run pays OpenJML's start-up,
     * about 10 s of CPU, and the step has a 4-minute budget, issue 18). Sound because ESC is modular: a method is
     * proved against the contracts of what it calls, never their bodies, and a mutant's JML equals the core's
     * ({@link KeyContractsTest#jmlDrift}), so a mutation in one class cannot make a method of another class invalid.
     * {@code broken-checks}, the largest, runs alone so that it does not lengthen the step's longest run.
     */
    static List<List<Path>> mutantGroups(List<Path> mutants) throws IOException {
        return KeyContractsTest.disjointGroups(mutants, mutants.stream()
                .filter(m -> m.getFileName().toString().equals("broken-checks")).collect(Collectors.toSet()));
    }

    @AfterAll
    static void stopOpenJml() throws InterruptedException {
        if (pool != null) {
            pool.shutdownNow();
            pool.awaitTermination(30, TimeUnit.SECONDS);
            if (lastEnd.get() != 0) {
                System.out.printf("OpenJML: the whole step (%d core runs and %d mutant run(s) for %d mutant folders, %d at a time)"
                        + " took %d ms wall, %d ms CPU%n", coreRuns.size(), new java.util.HashSet<>(mutantRuns.values()).size(), mutantRuns.size(),
                        AT_A_TIME,
                        (lastEnd.get() - startedAt) / 1_000_000, cpuTotal.get());
            }
        }
    }

    static void assumeOpenJml() {
        if (openjml == null && System.getenv("OPENJML_REQUIRED") != null) { // CI (.ci/run): a result is claimed
            fail("OpenJML is required here (OPENJML_REQUIRED is set) but was not found at -Dopenjml, $OPENJML, "
                    + ROOT.resolveSibling("shared").resolve("tools/openjml/openjml") + " or on PATH: " + HOW_TO_GET);
        }
        String why = "OpenJML not found (looked at -Dopenjml, $OPENJML, " + ROOT.resolveSibling("shared").resolve("tools/openjml/openjml")
                + ", PATH), so this test is SKIPPED and no OpenJML result is claimed by this run (KeyContractsTest still"
                + " proves the contracts). To check them with OpenJML: " + HOW_TO_GET;
        if (openjml == null) {
            System.out.println(why); // on the build's output too, not only in the surefire report
        }
        Assumptions.assumeTrue(openjml != null, why);
    }

    /**
     * Every method of every core class is valid under OpenJML ESC (contracts of DEC-5, DEC-8 to DEC-15,
     * DEC-17, DEC-19, DEC-20, DEC-21 and the RFC 5246 transition table), and proofs/openjml/results.csv
     * lists exactly what this run found.
     */
    @Test
    @Order(1)
    void everyCoreMethodIsValid() throws Exception {
        assumeOpenJml();
        List<Run> runs = new ArrayList<>();
        for (Future<Run> f : coreRuns) {
            runs.add(f.get());
        }
        Map<String, MethodResult> methods = new TreeMap<>();
        List<String> runFailures = new ArrayList<>();
        for (Run run : runs) {
            report(run);
            assertTrue(run.errors().isEmpty(), "OpenJML reported errors (the core did not parse or type-check for it):\n"
                    + String.join("\n", run.errors()) + hint(run));
            long excluded = 0;
            for (MethodResult m : run.methods().values()) {
                if (m.result().startsWith(EXCLUDED)) {
                    excluded++; // the other run proves it
                } else if (methods.put(m.key(), m) != null) {
                    runFailures.add(m.key() + ": checked by both core runs");
                }
            }
            Integer total = run.summary().get("TOTAL METHODS");
            Integer valid = run.summary().get("Valid");
            if (total == null || valid == null || total != run.methods().size() || valid + excluded != total) {
                runFailures.add("OpenJML's summary of " + run.name() + " is not 'every method it proved valid': " + run.summary()
                        + " for " + run.methods().size() + " methods parsed, " + excluded + " left to the other run");
            }
            if (run.exit() != 0) {
                runFailures.add(run.name() + ": OpenJML exited with status " + run.exit() + " (0 means every method verified)");
            }
        }
        Run run = runs.get(0);
        assertFalse(methods.isEmpty(), "OpenJML reported no method at all; its output:\n" + tail(run.output()));

        // Every constructor and method of the compiled core must have an answer from OpenJML.
        TreeSet<String> declared = declaredMethods();
        TreeSet<String> unanswered = new TreeSet<>(declared);
        unanswered.removeAll(methods.keySet());
        TreeSet<String> unknown = new TreeSet<>(methods.keySet());
        unknown.removeAll(declared);

        writeCsv(FRESH_CSV, methods.values(), true);
        List<List<String>> fresh = readCsv(FRESH_CSV);
        assertEquals(List.of("class", "method", "requirement_ids", "result", "time_s"), fresh.get(0),
                "header of " + FRESH_CSV);
        assertEquals(methods.size() + 1, fresh.size(), FRESH_CSV + " does not read back row for row");
        for (List<String> row : fresh) {
            assertEquals(5, row.size(), FRESH_CSV + ": a row with another number of fields: " + row);
        }
        List<List<String>> expected = fresh.stream().map(r -> r.subList(0, 4)).toList();
        if (UPDATE) {
            writeCsv(COMMITTED_CSV, methods.values(), false);
            System.out.println("OpenJML: wrote " + ROOT.relativize(COMMITTED_CSV) + "; commit it");
        }

        List<String> failures = new ArrayList<>();
        for (MethodResult m : methods.values()) {
            if (!m.valid()) {
                failures.add(m.key() + ": " + m.result() + (m.warnings().isEmpty() ? "" : "\n    "
                        + String.join("\n    ", m.warnings())));
            }
        }
        for (String m : unanswered) {
            failures.add(m + ": OpenJML gave no answer for this method of the compiled core (not checked)");
        }
        failures.addAll(runFailures);
        assertTrue(failures.isEmpty(), "OpenJML ESC did not find every core method valid:\n" + String.join("\n", failures)
                + (unknown.isEmpty() ? "" : "\n(reported but not found by reflection: " + unknown + ")") + hint(run));
        assertTrue(unknown.isEmpty(), "OpenJML reported methods the compiled core does not declare (a name this test"
                + " cannot match): " + unknown);

        assertTrue(Files.exists(COMMITTED_CSV), ROOT.relativize(COMMITTED_CSV) + " is missing: " + HOW_TO_UPDATE);
        List<List<String>> committed = readCsv(COMMITTED_CSV);
        if (!committed.equals(expected)) {
            TreeSet<String> a = committed.stream().map(r -> String.join(" | ", r)).collect(Collectors.toCollection(TreeSet::new));
            TreeSet<String> b = expected.stream().map(r -> String.join(" | ", r)).collect(Collectors.toCollection(TreeSet::new));
            TreeSet<String> gone = new TreeSet<>(a);
            gone.removeAll(b);
            TreeSet<String> added = new TreeSet<>(b);
            added.removeAll(a);
            fail(ROOT.relativize(COMMITTED_CSV) + " differs from this run (" + ROOT.relativize(FRESH_CSV) + ").\n  only committed: "
                    + gone + "\n  only in this run: " + added + (gone.isEmpty() && added.isEmpty() ? "\n  (order differs)" : "")
                    + "\nUpdate it: " + HOW_TO_UPDATE);
        }
    }

    /**
     * Teeth: every method a mutant breaks (EXPECT_OPEN: key material without the DEC-8 decision, an
     * untrusted proxy accepted against DEC-9, session #1 answered early against DEC-14, proxy_info
     * echoed against DEC-19, a second alert against DEC-21, ...) is reported INVALID by OpenJML.
     */
    @Test
    @Order(2)
    void everyMutantIsInvalid() throws Exception {
        assumeOpenJml();
        assertFalse(mutantRuns.isEmpty(), "no mutant folder in " + MUTANTS);
        List<String> failures = new ArrayList<>();
        List<MethodResult> all = new ArrayList<>();
        List<String> mutantNames = new ArrayList<>();
        java.util.Set<Run> reported = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Map.Entry<Path, Future<Run>> e : mutantRuns.entrySet()) {
            Path mutant = e.getKey();
            String name = mutant.getFileName().toString();
            String drift = KeyContractsTest.jmlDrift(mutant);
            if (drift != null) {
                failures.add(name + ": " + drift);
            }
            Run run = e.getValue().get();
            if (reported.add(run)) {
                report(run);
            }
            if (!run.errors().isEmpty()) {
                failures.add(name + ": OpenJML reported errors:\n" + String.join("\n", run.errors()) + hint(run));
                continue;
            }
            for (MethodResult m : run.methods().values()) {
                if (m.result().startsWith("skipped (excluded by -method)")) {
                    continue; // methods the mutant did not break: not asked
                }
                if (KeyContractsTest.expectOpen(mutant).stream().noneMatch(l -> names(l, m))) {
                    continue; // a method another mutant of this shared run broke: listed under that mutant
                }
                all.add(m);
                mutantNames.add(name);
            }
            for (String line : KeyContractsTest.expectOpen(mutant)) {
                List<MethodResult> matching = run.methods().values().stream().filter(m -> names(line, m)).toList();
                if (matching.isEmpty()) {
                    failures.add(name + ": " + line + " was not checked by OpenJML (no such method, or skipped)");
                } else if (matching.stream().noneMatch(MethodResult::invalid)) {
                    failures.add(name + ": " + line + " was not found invalid by OpenJML ("
                            + matching.stream().map(MethodResult::result).collect(Collectors.joining(", "))
                            + "), so the contract has no teeth under OpenJML");
                }
            }
        }
        StringBuilder csv = new StringBuilder("mutant,class,method,result,time_s\r\n");
        for (int i = 0; i < all.size(); i++) {
            MethodResult m = all.get(i);
            csv.append(csvRow(mutantNames.get(i), m.type(), m.signature(), m.result(),
                    String.format(java.util.Locale.ROOT, "%.2f", m.seconds())));
        }
        Files.writeString(MUTANTS_CSV, csv.toString(), StandardCharsets.UTF_8);
        assertEquals(all.size() + 1, readCsv(MUTANTS_CSV).size(), MUTANTS_CSV + " does not read back row for row");
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /**
     * Runs without OpenJML: the reading of OpenJML's output calls only "no warnings" valid, a
     * counterexample invalid, and a timeout, an unknown answer or a skipped method neither; the CSV
     * it writes (signatures with commas) reads back field for field.
     */
    @Test
    @Order(0)
    void onlyAPositiveAnswerCountsAsValid() throws Exception {
        String out = String.join("\n",
                "Starting proof of org.proxyinfo.core.A.ok(int,@Nullable String) with prover z3_4_8",
                "Completed proof of org.proxyinfo.core.A.ok(int,@Nullable String) with prover z3_4_8 - no warnings [1.50 secs]",
                "Starting proof of org.proxyinfo.core.A.bad() with prover z3_4_8",
                "org.proxyinfo.core.A.bad Method assertions are INVALID",
                "A.java:9: verify: The prover cannot establish an assertion (Postcondition: A.java:3:) in method bad",
                "A.java:3: verify: Associated declaration: A.java:9:",
                "Completed proof of org.proxyinfo.core.A.bad() with prover z3_4_8 - with warnings [2.00 secs]",
                "Starting proof of org.proxyinfo.core.A.slow(boolean) with prover z3_4_8",
                "A.java:20: verify: Validity is unknown - time or memory limit reached: : Aborted proof: \"timeout\"",
                "Completed proof of org.proxyinfo.core.A.slow(boolean) with prover z3_4_8 - TIMEOUT [7.13 secs]",
                "Starting proof of org.proxyinfo.core.A.odd() with prover z3_4_8",
                "A.java:30: verify: Validity is unknown",
                "Completed proof of org.proxyinfo.core.A.odd() with prover z3_4_8 - with warnings [1.00 secs]",
                "Skipping proof of org.proxyinfo.core.A.A() (excluded by -method)",
                "Starting proof of org.proxyinfo.core.A.lost() with prover z3_4_8",
                "  Valid:        1", " TOTAL METHODS: 5");
        Run run = parse("unit", List.of(), 6, out, 0);
        Map<String, String> results = new TreeMap<>();
        run.methods().values().forEach(m -> results.put(m.key(), m.result()));
        assertEquals(Map.of("A.ok(int,String)", "valid", "A.bad()", "invalid", "A.slow(boolean)", "timeout",
                "A.odd()", "invalid?", "A.A()", "skipped (excluded by -method)"), results);
        assertEquals(List.of("A.ok(int,String)"), run.methods().values().stream().filter(MethodResult::valid)
                .map(MethodResult::key).toList());
        assertEquals(List.of("the proof of org.proxyinfo.core.A.lost() never completed"), run.errors());
        assertEquals(Map.of("Valid", 1, "TOTAL METHODS", 5), run.summary());
        assertTrue(names("A::bad#0", run.methods().get("A.bad()")) && names("A::ok(int,String)", run.methods().get("A.ok(int,String)"))
                && !names("A::ok(int)", run.methods().get("A.ok(int,String)")));

        Path csv = OUT.resolve("unit.csv");
        writeCsv(csv, List.of(new MethodResult("X", "m(int,String)", "valid", 1.5, List.of()),
                new MethodResult("X", "q\"uote()", "invalid", 0, List.of())), true);
        List<List<String>> back = readCsv(csv);
        assertEquals(List.of("X", "m(int,String)", "", "valid", "1.50"), back.get(1));
        assertEquals("q\"uote()", back.get(2).get(1));
    }

    // ---------------------------------------------------------------------------------------------

    static Run run(String name, List<Path> files, List<String> options, Path classes) throws Exception {
        Files.createDirectories(classes);
        List<String> command = new ArrayList<>();
        // Through bash, whose `times` then prints the CPU time of OpenJML and its z3 processes (the machine is shared,
        // so the wall time alone says little).
        command.addAll(List.of("bash", "-c", "\"$@\"; rc=$?; times; exit $rc", "openjml"));
        command.add(openjml.toString());
        command.addAll(options);
        files.forEach(f -> command.add(f.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).directory(ROOT.toFile());
        // The shared wrapper writes class files to OPENJML_OUT (else a fresh temporary folder) and unpacks
        // itself into OPENJML_CACHE (else ~/.cache): keep both writable and out of the way.
        pb.environment().putIfAbsent("OPENJML_OUT", classes.toString());
        if (!pb.environment().containsKey("OPENJML_CACHE") && !writableCacheHome()) {
            pb.environment().put("OPENJML_CACHE", OUT.resolve("cache").toString());
        }
        long t0 = System.nanoTime();
        Process p = pb.start();
        byte[] bytes;
        ExecutorService drain = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "openjml-output");
            t.setDaemon(true);
            return t;
        });
        Future<byte[]> reader = drain.submit(() -> p.getInputStream().readAllBytes());
        drain.shutdown();
        try {
            if (!p.waitFor(RUN_LIMIT_MINUTES, TimeUnit.MINUTES)) {
                throw new AssertionError("OpenJML (" + name + ") did not finish within " + RUN_LIMIT_MINUTES
                        + " minutes and was stopped: no answer is a failure");
            }
        } finally { // also when the test is interrupted (its timeout): leave no OpenJML or z3 process behind
            if (p.isAlive()) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
        bytes = reader.get(30, TimeUnit.SECONDS);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        lastEnd.accumulateAndGet(System.nanoTime(), Math::max);
        String output = new String(bytes, StandardCharsets.UTF_8);
        Files.writeString(OUT.resolve(name.replace(' ', '-') + ".log"), output, StandardCharsets.UTF_8);
        Run run = parse(name, command, p.exitValue(), output, millis);
        cpuTotal.addAndGet(Math.max(0, run.cpuMillis()));
        return run;
    }

    static boolean writableCacheHome() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        Path probe = base;
        while (probe != null && !Files.exists(probe)) {
            probe = probe.getParent();
        }
        return probe != null && Files.isWritable(probe);
    }

    /** Parses OpenJML's --progress output: each method's start, its warnings, and how it completed. */
    static Run parse(String name, List<String> command, int exit, String output, long millis) {
        Map<String, MethodResult> methods = new TreeMap<>();
        Map<String, Integer> summary = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        String current = null;
        List<String> warnings = new ArrayList<>();
        for (String line : output.split("\\R")) {
            Matcher m;
            if ((m = STARTING.matcher(line)).matches()) {
                current = m.group(1);
                warnings = new ArrayList<>();
            } else if ((m = COMPLETED.matcher(line)).matches()) {
                String[] ts = split(m.group(1));
                String how = m.group(2).trim();
                String result = how.equals("no warnings") ? "valid" : how.equals("with warnings") ? "invalid" : how.toLowerCase();
                if (!m.group(1).equals(current)) {
                    result = "unattributed (" + how + ")";
                }
                if (result.equals("invalid") && warnings.stream().noneMatch(w -> w.contains("cannot establish"))) {
                    result = "invalid?"; // warnings, but no counterexample: e.g. an unknown answer
                }
                double secs = m.group(3) == null ? 0 : Double.parseDouble(m.group(3));
                put(methods, new MethodResult(ts[0], ts[1], result, secs, List.copyOf(warnings)));
                current = null;
            } else if ((m = SKIPPING.matcher(line)).matches()) {
                String[] ts = split(m.group(1));
                put(methods, new MethodResult(ts[0], ts[1], "skipped" + (m.group(2) == null ? "" : " (" + m.group(2) + ")"),
                        0, List.of()));
            } else if ((m = VERIFY.matcher(line)).matches()) {
                if (!m.group(3).startsWith("Associated declaration")) {
                    Path where = Path.of(m.group(1)).toAbsolutePath();
                    warnings.add((where.startsWith(ROOT) ? ROOT.relativize(where) : where) + ":" + m.group(2) + ": " + m.group(3));
                }
                if (current == null) {
                    errors.add("a warning outside any method's proof: " + line);
                }
            } else if ((m = ERROR.matcher(line)).matches() || line.startsWith("error:") || line.contains("Exception in thread")
                    || line.contains("AssertionError")) {
                errors.add(line);
            } else if ((m = SUMMARY.matcher(line)).matches()) {
                summary.put(m.group(1), Integer.parseInt(m.group(2)));
            }
        }
        if (current != null) {
            errors.add("the proof of " + current + " never completed");
        }
        long cpu = -1;
        Matcher t = TIMES.matcher(output);
        while (t.find()) { // the last line of `times`: user and system time of the children
            cpu = Math.round((Long.parseLong(t.group(1)) * 60 + Double.parseDouble(t.group(2).replace(',', '.'))
                    + Long.parseLong(t.group(3)) * 60 + Double.parseDouble(t.group(4).replace(',', '.'))) * 1000);
        }
        return new Run(name, command, exit, output, millis, cpu, methods, summary, errors);
    }

    static void put(Map<String, MethodResult> methods, MethodResult r) {
        MethodResult old = methods.put(r.key(), r);
        if (old != null) { // reported twice: keep the worse answer
            methods.put(r.key(), old.valid() ? r : old);
        }
    }

    /**
     * "org.proxyinfo.core.ClientHandshake.fail(int,@Nullable String)" → {"ClientHandshake",
     * "fail(int,String)"}: class relative to the package (nested classes as Outer.Inner), and the
     * signature with simple parameter types, without annotations or type arguments.
     */
    static String[] split(String qualified) {
        int paren = qualified.indexOf('(');
        String head = paren < 0 ? qualified : qualified.substring(0, paren);
        String params = paren < 0 ? "" : qualified.substring(paren + 1, qualified.lastIndexOf(')'));
        int dot = head.lastIndexOf('.');
        String type = head.substring(0, dot);
        if (type.startsWith(PACKAGE + ".")) {
            type = type.substring(PACKAGE.length() + 1);
        }
        String method = head.substring(dot + 1);
        return new String[] {type, method + "(" + normaliseParams(params) + ")"};
    }

    static String normaliseParams(String params) {
        String p = params.replaceAll("@[\\w.]+(\\([^)]*\\))?\\s*", "");
        String prev;
        do { // drop type arguments, nested ones too
            prev = p;
            p = p.replaceAll("<[^<>]*>", "");
        } while (!p.equals(prev));
        return Arrays.stream(p.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> s.replace("...", "[]").replaceAll(".*\\.", ""))
                .collect(Collectors.joining(","));
    }

    /** Constructors and methods the compiled core declares, named as {@link #split} names OpenJML's. */
    static TreeSet<String> declaredMethods() throws Exception {
        TreeSet<String> out = new TreeSet<>();
        for (Path f : javaFiles(CORE)) {
            String simple = f.getFileName().toString().replace(".java", "");
            addDeclared(Class.forName(PACKAGE + "." + simple), out);
        }
        return out;
    }

    static void addDeclared(Class<?> c, TreeSet<String> out) {
        if (c.isAnonymousClass() || c.isSynthetic()) {
            return;
        }
        String type = c.getName().substring(PACKAGE.length() + 1).replace('$', '.');
        for (Constructor<?> k : c.getDeclaredConstructors()) {
            if (!k.isSynthetic()) {
                out.add(type + "." + c.getSimpleName() + "(" + params(k) + ")");
            }
        }
        for (Method m : c.getDeclaredMethods()) {
            if (!m.isSynthetic() && !m.isBridge() && !(c.isEnum() && Modifier.isStatic(m.getModifiers())
                    && (m.getName().equals("values") || m.getName().equals("valueOf")))) {
                out.add(type + "." + m.getName() + "(" + params(m) + ")");
            }
        }
        for (Class<?> inner : c.getDeclaredClasses()) {
            addDeclared(inner, out);
        }
    }

    static String params(Executable e) {
        return Arrays.stream(e.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(","));
    }

    static List<Path> javaFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }

    static List<Path> mutantDirs() throws IOException {
        if (!Files.isDirectory(MUTANTS)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(MUTANTS)) {
            return s.filter(Files::isDirectory).sorted().toList();
        }
    }


    /** OpenJML's --method pattern for an EXPECT_OPEN line: the fully qualified method name (all overloads). */
    static String methodPattern(String line) {
        String type = line.substring(0, line.indexOf("::"));
        return PACKAGE + "." + type.replace('$', '.') + "." + KeyProver.methodOf(line);
    }

    /**
     * Does an EXPECT_OPEN line name this method? KeY's contract number ({@code #n}) does not apply
     * (OpenJML checks all of a method's contracts together); parameter types, if given, must match.
     */
    static boolean names(String line, MethodResult m) {
        String type = line.substring(0, line.indexOf("::"));
        String rest = line.substring(line.indexOf("::") + 2).replaceAll("#.*", "");
        String method = KeyProver.methodOf(line);
        if (!m.type().equals(type) || !m.signature().startsWith(method + "(")) {
            return false;
        }
        return !rest.contains("(") || m.signature().equals(method + "(" + normaliseParams(
                rest.substring(rest.indexOf('(') + 1, rest.lastIndexOf(')'))) + ")");
    }

    /** The requirement IDs in the JML block before the method (as KeY's results.csv names them). */
    static String requirementIds(MethodResult m) throws IOException {
        String method = m.signature().substring(0, m.signature().indexOf('('));
        String simpleType = m.type().replaceAll(".*\\.", "");
        return KeyContractsTest.requirementIds(new KeyProver.Result("", PACKAGE + "." + simpleType,
                method.equals(simpleType) ? "<init>" : method, true, 0, 0, ""));
    }

    /**
     * RFC 4180 CSV, CRLF line ends: class, method (signature; quoted, it has commas), requirement IDs,
     * result, and with {@code times} the time OpenJML reported for the method.
     */
    static void writeCsv(Path file, java.util.Collection<MethodResult> results, boolean times) throws IOException {
        StringBuilder csv = new StringBuilder(times ? csvRow("class", "method", "requirement_ids", "result", "time_s")
                : csvRow("class", "method", "requirement_ids", "result"));
        for (MethodResult m : results) {
            String ids = requirementIds(m);
            csv.append(times ? csvRow(m.type(), m.signature(), ids, m.result(), String.format(java.util.Locale.ROOT, "%.2f", m.seconds()))
                    : csvRow(m.type(), m.signature(), ids, m.result()));
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, csv.toString(), StandardCharsets.UTF_8);
    }

    static String csvRow(String... fields) {
        return Arrays.stream(fields).map(OpenJmlEscTest::csvField).collect(Collectors.joining(",")) + "\r\n";
    }

    static String csvField(String f) {
        return f.matches("[^,\"\r\n]*") ? f : "\"" + f.replace("\"", "\"\"") + "\"";
    }

    /** Reads a CSV file back with a real CSV parser (Jackson's): the proof that what we wrote is valid CSV. */
    static List<List<String>> readCsv(Path file) throws IOException {
        CsvMapper mapper = CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY).build();
        List<List<String>> rows = new ArrayList<>();
        try (MappingIterator<String[]> it = mapper.readerFor(String[].class).readValues(file.toFile())) {
            while (it.hasNext()) {
                rows.add(List.of(it.next()));
            }
        }
        return rows;
    }

    static void report(Run run) {
        long valid = run.methods().values().stream().filter(MethodResult::valid).count();
        long invalid = run.methods().values().stream().filter(MethodResult::invalid).count();
        for (MethodResult m : run.methods().values()) {
            if (!m.result().startsWith("skipped (excluded by -method)")) {
                System.out.printf("OpenJML %-8s %-22s %-62s %-8s %6.2f s%n", run.name().startsWith("mutant") ? "mutant" : "core",
                        m.type(), m.signature(), m.result(), m.seconds());
            }
        }
        System.out.printf("OpenJML %s: %d methods answered, %d valid, %d invalid, %d other; summary %s; exit %d;"
                + " %d ms wall, %d ms CPU (OpenJML and z3)%n", run.name(), run.methods().size(), valid, invalid,
                run.methods().size() - valid - invalid, run.summary(), run.exit(), run.millis(), run.cpuMillis());
    }

    static String hint(Run run) {
        String out = run.output();
        String h = "\n(command: " + String.join(" ", run.command()) + "; output in " + ROOT.relativize(OUT) + ")";
        if (out.contains("xz") && (out.contains("not found") || out.contains("Cannot exec"))) {
            h += "\nThe OpenJML wrapper needs xz to unpack itself: apt-get install xz-utils";
        }
        return h;
    }

    static String tail(String s) {
        return s.length() <= 4000 ? s : "..." + s.substring(s.length() - 4000);
    }
}
