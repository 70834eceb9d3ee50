package org.proxyinfo.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 6: the JML contracts on the decision cores ({@code org.proxyinfo.core}) are proved by KeY
 * with integer-overflow checking on, and checked in every build.
 *
 * <ol>
 *   <li>Default build (issue 10): every contract is proved from scratch in auto mode and must close, in two KeY
 *       processes side by side ({@link KeyWorker}, one per core); then every contract must have a committed proof in
 *       {@code proofs/key/}: one that is the very proof just made (same settings and rule log) needs no replay, any
 *       other must replay closed, without errors, against the current source (a stale proof fails the build).
 *       {@code proofs/key/results.csv} is regenerated (proof nodes) and compared with the committed one.
 *       {@code -Pkey-full} ({@code -Dkey.replayAll=true}) replays every committed proof; {@code -Dkey.scratch=false}
 *       only replays them (no proof from scratch: faster, for a quick check).</li>
 *   <li>{@code -Dkey.regenerate=true}: proves every contract from scratch and saves the proofs
 *       (then replays them): {@value #HOW_TO_REGENERATE}.</li>
 *   <li>Always: every mutant in {@code impl/src/test/key/mutants/NAME/} (a copy of core class(es)
 *       with a check skipped or a guard weakened) leaves every contract its {@code EXPECT_OPEN} file
 *       names unproved: the contracts have teeth. Only the named contracts are attempted. The same
 *       KeY processes check them after the contracts (KeY's rule base is loaded once per process).</li>
 * </ol>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 30, unit = TimeUnit.MINUTES) // regenerate mode proves everything; the default build takes far less
class KeyContractsTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path CORE = ROOT.resolve("impl/src/main/java/org/proxyinfo/core");
    static final Path PROOFS = ROOT.resolve("proofs/key");
    static final Path MUTANTS = ROOT.resolve("impl/src/test/key/mutants");
    static final boolean REGENERATE = Boolean.getBoolean("key.regenerate");
    /**
     * Issue 10: the default build ({@code key.scratch=true} in impl/pom.xml) proves every contract from scratch (in
     * {@code key.processes} KeY processes, {@link KeyWorker}): loading and proving take about 90 to 110 s per process on
     * the idle 2-core machine (proofs/key/README.md). {@code -Dkey.scratch=false}: replay only.
     */
    static final boolean SCRATCH = Boolean.getBoolean("key.scratch") || REGENERATE;
    /** {@code -Dkey.replayAll=true}: replay every committed proof, also one equal to the proof from scratch. */
    static final boolean REPLAY_ALL = Boolean.getBoolean("key.replayAll") || REGENERATE || !SCRATCH;
    /** Where the build saves the proofs it makes from scratch (proofs/key itself with -Dkey.regenerate). */
    static final Path FRESH = ROOT.resolve("impl/target/key-proofs");
    /** The mutant folders' results when the contract processes checked them too (test 1), for test 2. */
    private static List<String[]> mutantLines;
    static final String HOW_TO_REGENERATE = "mvn -pl impl -am test -Dtest=KeyContractsTest -Dsurefire.failIfNoSpecifiedTests=false -Dkey.regenerate=true";
    /**
     * A mutant's proof attempt gets at least this many times the steps of the largest real proof
     * (proof nodes in results.csv), so that "open" cannot be a budget too small for a correct proof.
     */
    static final int MUTANT_BUDGET_FACTOR = 3;
    /** How many committed proofs the build replays against the broken code (each must fail to replay). */
    static final int STALE_REPLAYS = 3;
    static final Pattern REQUIREMENT_ID = Pattern.compile(
            "(?<![\\w-])(DEC-\\d+[a-z]?|0[01]-R\\d+|RFC\\d{4}-\\d+(?:\\.\\d+)*|B\\d+|[CRGA]\\d{1,2})(?![\\w])");

    @Test
    @Order(1)
    void everyContractIsProvedFromScratchAndItsProofReplaysClosed() throws Exception {
        long t0 = System.nanoTime();
        // -Dkey.only=ClientHandshake,Transitions::legal limits (re)proving to contracts with these prefixes (replay: all).
        List<String> only = List.of(System.getProperty("key.only", "").split(",")).stream().filter(x -> !x.isBlank()).toList();
        if (REGENERATE) {
            for (Path old : committedProofs()) {
                if (only.isEmpty() || only.stream().anyMatch(o -> old.getFileName().toString()
                        .startsWith(KeyProver.proofFileName(o).replace(".proof", "")))) {
                    Files.delete(old);
                }
            }
        }
        Path saveDir = REGENERATE ? PROOFS : FRESH;
        if (!REGENERATE) {
            deleteTree(FRESH);
        }
        // the mutants go to the same processes, after the contracts (one load of KeY's rule base per process), unless
        // this run regenerates the proofs (mutantsInContractProcesses)
        List<Path> mutants = List.of();
        try {
            if (mutantsInContractProcesses(REGENERATE)) {
                mutants = mutantFolders();
            }
        } catch (AssertionError missingFolder) {
            // test 2 reports it; the contracts are still proved here
        }
        int budget = mutants.isEmpty() ? 0 : mutantBudget();
        // one KeY process per core (KeY proves on one thread), each proving and checking its share
        List<KeyWorker.Started> workers = new ArrayList<>();
        for (int part = 0; part < KeyWorker.parts(); part++) {
            List<String> args = new ArrayList<>(List.of("contracts", String.valueOf(part),
                    String.valueOf(KeyWorker.parts()), String.valueOf(SCRATCH), saveDir.toString(), String.valueOf(REPLAY_ALL),
                    only.isEmpty() ? "-" : String.join(",", only)));
            if (!mutants.isEmpty()) {
                args.add(String.valueOf(budget));
                args.addAll(mutantShare(mutants, part, KeyWorker.parts()));
            }
            workers.add(KeyWorker.start("contracts-" + part, args));
        }
        List<String[]> lines = KeyWorker.finish(workers, 25, System.out); // about 2 to 2.5 minutes with the mutants, idle
        if (!mutants.isEmpty()) {
            mutantLines = lines.stream().filter(l -> List.of("M", "F", "N").contains(l[0])).toList();
        }
        TreeSet<String> contracts = new TreeSet<>();
        Map<String, KeyProver.Result> proved = new LinkedHashMap<>();
        Map<String, KeyProver.Result> replayed = new LinkedHashMap<>();
        for (String[] l : lines) {
            switch (l[0]) {
                case "C" -> contracts.add(l[1]);
                case "P" -> proved.put(l[1], KeyWorker.parse(l));
                case "R" -> replayed.put(l[1], KeyWorker.parse(l));
                case "M", "F", "N" -> { } // mutant results, for test 2
                default -> throw new AssertionError("unknown line from a KeY process: " + String.join(" ", l));
            }
        }
        assertFalse(contracts.isEmpty(), "KeY found no JML contracts in " + CORE);
        for (String core : List.of("ClientHandshake", "ServerHandshake", "ProxyHandshake", "Transitions",
                "ProxyInfoDecision", "AlertDescription")) {
            assertTrue(contracts.stream().anyMatch(k -> k.startsWith(core + "::")), "KeY loaded no contract of the decision core " + core);
        }
        if (SCRATCH) {
            report(proved, "proved from scratch");
            TreeSet<String> notTried = new TreeSet<>(contracts);
            notTried.removeIf(k -> proved.containsKey(k) || !(only.isEmpty() || only.stream().anyMatch(k::startsWith)));
            assertTrue(notTried.isEmpty(), "contracts no KeY process tried to prove: " + notTried);
            List<String> open = proved.values().stream().filter(r -> !r.closed()).map(KeyProver.Result::contract).toList();
            assertTrue(open.isEmpty(), "contracts KeY could not close from scratch: " + open);
        }

        TreeSet<String> expected = contracts.stream().map(KeyProver::proofFileName).collect(Collectors.toCollection(TreeSet::new));
        TreeSet<String> committed = committedProofs().stream().map(p -> p.getFileName().toString())
                .collect(Collectors.toCollection(TreeSet::new));
        TreeSet<String> missing = new TreeSet<>(expected);
        missing.removeAll(committed);
        TreeSet<String> extra = new TreeSet<>(committed);
        extra.removeAll(expected);
        assertTrue(missing.isEmpty() && extra.isEmpty(), "proofs/key does not match the contracts of the core: missing "
                + missing + ", without a contract " + extra + ". Run " + HOW_TO_REGENERATE);
        TreeSet<String> notReplayed = new TreeSet<>(contracts);
        notReplayed.removeAll(replayed.keySet());
        assertTrue(notReplayed.isEmpty(), "committed proofs no KeY process replayed: " + notReplayed);

        List<String> stale = new ArrayList<>();
        Map<String, KeyProver.Result> replayedOk = new LinkedHashMap<>();
        for (KeyProver.Result r : replayed.values()) {
            String file = KeyProver.proofFileName(r.contract());
            if (!r.closed()) {
                stale.add(r.proofFile());
            }
            replayedOk.put(r.contract(), new KeyProver.Result(r.contract(), r.type(), r.method(), r.closed(), r.nodes(), r.millis(), file));
        }
        report(replayedOk, "replayed");
        writeResultsCsv(replayedOk, proved);
        assertTrue(stale.isEmpty(), "KeY proofs that do not replay (the source changed since they were saved): " + stale
                + "\nRe-prove and commit them: " + HOW_TO_REGENERATE);
        checkResultsCsv(replayedOk);
        long same = replayed.values().stream().filter(r -> r.proofFile() != null && r.proofFile().contains("equals the proof from scratch")).count();
        System.out.printf("KeY: %d contracts %schecked (%d committed proofs equal the proof from scratch, %d replayed) by %d processes"
                + "%s in %d ms wall%n", contracts.size(), SCRATCH ? "proved from scratch and " : "", same, replayed.size() - same,
                KeyWorker.parts(), mutants.isEmpty() ? "" : " with " + mutants.size() + " mutant folders", (System.nanoTime() - t0) / 1_000_000);
    }

    @Test
    @Order(2)
    void mutantsLeaveTheirContractsOpen() throws Exception {
        assertTrue(Files.isDirectory(MUTANTS), "the mutants folder " + MUTANTS + " is missing: the contracts' teeth are "
                + "untested. Re-make it: python3 impl/src/test/key/make_mutants.py");
        long t0 = System.nanoTime();
        List<Path> mutants = mutantFolders();
        // -Dkey.mutants=resumption,resumed-handshake checks only these mutant folders (while working on one core)
        List<String> onlyMutants = onlyMutants();
        if (!onlyMutants.isEmpty()) {
            mutants = mutants.stream().filter(m -> onlyMutants.contains(m.getFileName().toString())).toList();
        }
        assertFalse(mutants.isEmpty(), "no mutant directory in " + MUTANTS);
        List<String[]> lines = mutantLines;
        String how = "by the contract processes (test 1)";
        if (lines == null || !onlyMutants.isEmpty()) { // test 1 did not check them (run alone, or only some folders)
            int mutantMaxSteps = mutantBudget();
            List<KeyWorker.Started> workers = new ArrayList<>();
            for (int part = 0; part < KeyWorker.parts(); part++) {
                List<String> args = new ArrayList<>(List.of("mutants", String.valueOf(mutantMaxSteps)));
                args.addAll(mutantShare(mutants, part, KeyWorker.parts()));
                if (args.size() > 2) {
                    workers.add(KeyWorker.start("mutants-" + part, args));
                }
            }
            lines = KeyWorker.finish(workers, 25, System.out);
            how = "by " + workers.size() + " processes";
        }
        List<String> failures = new ArrayList<>();
        TreeSet<String> checked = new TreeSet<>();
        int replaysRefused = 0;
        for (String[] l : lines) {
            if (l[0].equals("F")) {
                failures.add(l[1]);
            } else if (l[0].equals("N")) {
                replaysRefused += Integer.parseInt(l[1]);
            } else if (l[0].equals("M")) {
                checked.add(l[1]);
            }
        }
        TreeSet<String> unchecked = mutants.stream().map(m -> m.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        unchecked.removeAll(checked);
        assertTrue(unchecked.isEmpty(), "mutant folders no KeY process checked: " + unchecked);
        System.out.printf("KeY: %d mutant directories checked %s (%d committed proofs refused on broken code)"
                + " in %d ms wall%n", mutants.size(), how, replaysRefused, (System.nanoTime() - t0) / 1_000_000);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /**
     * Whether test 1's KeY processes check the mutants after their contracts (one rule-base load per process). Not with
     * -Dkey.regenerate: that mode deletes the committed proofs and the processes write them anew into proofs/key while
     * they run, and a mutant's stale-replay check replays committed proofs, so a process that finished its share first
     * would read the other process's proofs not yet written (skipped: fewer refused replays) or half written (a replay
     * error counted as refused). Test 2 then checks the mutants in processes of its own, after every proof is saved.
     */
    static boolean mutantsInContractProcesses(boolean regenerate) {
        return !regenerate && Files.isDirectory(MUTANTS) && Files.exists(PROOFS.resolve("results.csv")) && onlyMutants().isEmpty();
    }

    @Test
    @Order(0)
    void regeneratingKeepsTheMutantsOutOfTheContractProcesses() {
        assertFalse(mutantsInContractProcesses(true), "-Dkey.regenerate rewrites proofs/key while the contract processes run");
        assertEquals(Files.isDirectory(MUTANTS) && onlyMutants().isEmpty(), mutantsInContractProcesses(false),
                "the default build checks the mutants in the contract processes");
    }

    /**
     * The mutant groups (one KeY load each) are sound and complete: no two folders of a group break the same class, a
     * folder whose broken method another class's JML names (KeY may unfold its body there) and broken-checks stay
     * alone, and the processes' shares hold every folder exactly once. No KeY here: it checks the split only.
     */
    @Test
    @Order(0)
    void mutantGroupsShareNoClassAndEveryFolderIsCheckedOnce() throws Exception {
        List<Path> mutants = mutantFolders();
        List<List<Path>> groups = mutantGroups(mutants);
        for (List<Path> g : groups) {
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (Path m : g) {
                assertTrue(java.util.Collections.disjoint(seen, mutatedClasses(m)), "group " + g + " breaks a class twice");
                seen.addAll(mutatedClasses(m));
                assertTrue(g.size() == 1 || !(namedElsewhere(m) || m.getFileName().toString().equals("broken-checks")),
                        m.getFileName() + " must be checked alone");
            }
        }
        assertTrue(groups.size() < mutants.size(), "no two mutant folders share a KeY load: " + groups);
        List<String> shared = new ArrayList<>();
        for (int part = 0; part < 2; part++) {
            for (String group : mutantShare(mutants, part, 2)) {
                shared.addAll(List.of(group.split(java.io.File.pathSeparator)));
            }
        }
        assertTrue(shared.size() == mutants.size() && new TreeSet<>(shared).equals(
                mutants.stream().map(Path::toString).collect(Collectors.toCollection(TreeSet::new))),
                "the two processes' mutant shares do not hold every folder once: " + shared);
        // the guard that keeps a folder alone has teeth: ProxyInfoDecision.certificateAlert is named in ClientHandshake's
        // JML (its body may be unfolded there); Resumption.clientProxyInfoAlert no longer is (AbbreviatedHandshake states its table)
        Path probe = Files.createTempDirectory("mutant-probe");
        try {
            Files.writeString(probe.resolve("EXPECT_OPEN"), "ProxyInfoDecision::certificateAlert\n");
            assertTrue(namedElsewhere(probe), "ProxyInfoDecision.certificateAlert is named in no other core class's JML");
            Files.writeString(probe.resolve("EXPECT_OPEN"), "Resumption::clientProxyInfoAlert\n");
            assertFalse(namedElsewhere(probe), "Resumption.clientProxyInfoAlert is named in another core class's JML");
        } finally {
            deleteTree(probe);
        }
    }

    static List<String> onlyMutants() {
        return List.of(System.getProperty("key.mutants", "").split(",")).stream().filter(x -> !x.isBlank()).toList();
    }

    /** A mutant's step budget: {@value #MUTANT_BUDGET_FACTOR} times the largest real proof (results.csv). */
    static int mutantBudget() throws IOException {
        return MUTANT_BUDGET_FACTOR * largestRealProof();
    }

    /**
     * The mutant folders; each folder impl/src/test/key/make_mutants.py makes must be there (a missing
     * folder fails the build instead of leaving its contracts' teeth untested).
     */
    static List<Path> mutantFolders() throws IOException {
        List<Path> mutants;
        try (Stream<Path> s = Files.list(MUTANTS)) {
            mutants = s.filter(Files::isDirectory).sorted().toList();
        }
        String maker = Files.readString(MUTANTS.resolveSibling("make_mutants.py"));
        TreeSet<String> made = new TreeSet<>();
        Matcher m = Pattern.compile("(?:single\\('|base\\+')([a-z0-9-]+)[/']").matcher(maker);
        while (m.find()) {
            made.add(m.group(1));
        }
        assertFalse(made.isEmpty(), "make_mutants.py names no mutant folder");
        TreeSet<String> missing = new TreeSet<>(made);
        mutants.forEach(p -> missing.remove(p.getFileName().toString()));
        assertTrue(missing.isEmpty(), "mutant folders make_mutants.py makes are missing in " + MUTANTS + ": " + missing
                + ". Re-make them: python3 impl/src/test/key/make_mutants.py");
        return mutants;
    }

    static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted((a, b) -> b.compareTo(a)).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** What one mutant folder showed: the failures (none when every named contract stayed open for a real reason). */
    record MutantOutcome(List<String> failures, int replaysRefused) { }

    /**
     * Mutant folders that break disjoint sets of core classes share one KeY load (issue 10: a KeY load per folder, about
     * 5 s, was about half of the mutant phase), as they share one OpenJML run ({@link OpenJmlEscTest#mutantGroups}).
     * Sound for KeY because its proofs are modular (a call is proved with the callee's contract, never its body) and a
     * mutant's JML equals the core's ({@link #jmlDrift}), with one exception: KeY's query expansion unfolds the body of
     * a pure method that a specification names. So a folder joins a group only if no method it breaks is named in the
     * JML of another core class (then no other folder's contract can see its body), and the same holds for the
     * group's folders. {@code broken-checks}, the largest, stays alone. Putting all folders in one load as copies of
     * the core in packages of their own was tried and is slower (proofs/key/README.md).
     */
    static List<List<Path>> mutantGroups(List<Path> mutants) throws IOException {
        java.util.Set<Path> alone = new java.util.HashSet<>();
        for (Path mutant : mutants) {
            if (mutant.getFileName().toString().equals("broken-checks") || namedElsewhere(mutant)) {
                alone.add(mutant);
            }
        }
        return disjointGroups(mutants, alone);
    }

    /**
     * Mutant folders in groups that break disjoint sets of core classes, first fit in the given order; a folder of
     * {@code alone} gets a group of its own that no other folder joins. KeY's groups ({@link #mutantGroups}) and
     * OpenJML's ({@link OpenJmlEscTest#mutantGroups}) differ only in which folders stay alone.
     */
    static List<List<Path>> disjointGroups(List<Path> mutants, java.util.Set<Path> alone) throws IOException {
        List<List<Path>> groups = new ArrayList<>();
        List<java.util.Set<String>> classes = new ArrayList<>();
        for (Path mutant : mutants) {
            java.util.Set<String> mine = mutatedClasses(mutant);
            int g = -1;
            for (int i = 0; !alone.contains(mutant) && i < groups.size() && g < 0; i++) {
                if (classes.get(i) != null && java.util.Collections.disjoint(classes.get(i), mine)) {
                    g = i;
                }
            }
            if (g < 0) {
                groups.add(new ArrayList<>());
                classes.add(alone.contains(mutant) ? null : new java.util.HashSet<>()); // null: nothing joins this group
                g = groups.size() - 1;
            }
            groups.get(g).add(mutant);
            if (classes.get(g) != null) {
                classes.get(g).addAll(mine);
            }
        }
        return groups;
    }

    static java.util.Set<String> mutatedClasses(Path mutant) throws IOException {
        try (Stream<Path> s = Files.list(mutant)) {
            return s.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".java"))
                    .map(n -> n.substring(0, n.length() - 5)).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** Does the JML of a core class other than its own name a method this folder's EXPECT_OPEN names (breaks)? */
    static boolean namedElsewhere(Path mutant) throws IOException {
        for (String line : expectOpen(mutant)) {
            String type = line.substring(0, line.indexOf("::"));
            String method = KeyProver.methodOf(line);
            try (Stream<Path> s = Files.list(CORE)) {
                for (Path f : s.filter(p -> p.toString().endsWith(".java") && !p.getFileName().toString().equals(type + ".java")).toList()) {
                    // the JML lines themselves (not a declaration line with a /*@ pure @*/ in it, which names no call)
                    if (jml(f).stream().filter(l -> l.startsWith("@") || l.startsWith("/*@"))
                            .anyMatch(l -> Pattern.compile("\\b" + Pattern.quote(method) + "\\s*\\(").matcher(l).find())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The EXPECT_OPEN lines of a mutant: {@code Type::method}, {@code Type::method#n}, {@code Type::method(params)}. */
    static List<String> expectOpen(Path mutant) throws IOException {
        return Files.readAllLines(mutant.resolve("EXPECT_OPEN")).stream()
                .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    /**
     * This KeY process's mutant groups, each as one argument (its folders joined by the path separator): the groups
     * sorted by their estimated cost (largest first), each given to the process with the least so far. The estimate
     * is a load (as 5 contracts) plus, per contract a folder names, 1 plus its committed proof's nodes / 2000 (a
     * broken proof stops early, but the large ones stay the large ones). Every process computes the same split.
     */
    static List<String> mutantShare(List<Path> mutants, int part, int parts) throws IOException {
        Map<String, Integer> nodes = KeyWorker.committedNodes();
        List<List<Path>> groups = new ArrayList<>(mutantGroups(mutants));
        Map<List<Path>, Double> cost = new java.util.HashMap<>();
        for (List<Path> g : groups) {
            double c = 5;
            for (Path m : g) {
                for (String line : expectOpen(m)) {
                    c += 1 + nodes.entrySet().stream().filter(e -> names(line, e.getKey())).mapToInt(Map.Entry::getValue).sum() / 2000.0;
                }
            }
            cost.put(g, c);
        }
        groups.sort(java.util.Comparator.<List<Path>>comparingDouble(cost::get).reversed()
                .thenComparing(g -> g.get(0).getFileName().toString()));
        double[] load = new double[parts];
        List<String> mine = new ArrayList<>();
        List<String> named = new ArrayList<>();
        for (List<Path> g : groups) {
            int least = 0;
            for (int p = 1; p < parts; p++) {
                if (load[p] < load[least]) {
                    least = p;
                }
            }
            load[least] += cost.get(g);
            if (least == part) {
                mine.add(g.stream().map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator)));
                named.add(g.stream().map(m -> m.getFileName().toString()).collect(Collectors.joining("+")));
            }
        }
        System.out.printf("KeY: mutant groups of process %d (one KeY load each, estimated cost %.0f): %s%n", part, load[part], named);
        return mine;
    }

    /**
     * Checks one group of mutant folders ({@link #mutantGroups}: they break disjoint classes) in this JVM with one KeY
     * load (a {@link KeyWorker} process calls it): the core with every folder's classes laid over it. Each folder is
     * judged on its own: its EXPECT_OPEN contracts, its stale replays.
     */
    static Map<Path, MutantOutcome> checkMutantGroup(List<Path> group, int mutantMaxSteps) throws Exception {
        Map<Path, MutantOutcome> outcomes = new LinkedHashMap<>();
        Map<Path, List<String>> expect = new LinkedHashMap<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Path mutant : group) {
            List<String> mustStayOpen = expectOpen(mutant);
            String drift = mustStayOpen.isEmpty() ? "EXPECT_OPEN names no contract" : jmlDrift(mutant);
            if (drift == null && !java.util.Collections.disjoint(seen, mutatedClasses(mutant))) {
                drift = "breaks a class another folder of its group breaks too";
            }
            seen.addAll(mutatedClasses(mutant));
            if (drift != null) {
                outcomes.put(mutant, new MutantOutcome(List.of(mutant.getFileName() + ": " + drift), 0));
            } else {
                expect.put(mutant, mustStayOpen);
            }
        }
        if (expect.isEmpty()) {
            return outcomes;
        }
        List<Path> folders = List.copyOf(expect.keySet());
        Path work = ROOT.resolve("impl/target/key-mutants").resolve(folders.get(0).getFileName());
        copyCoreWith(folders, work);
        try (KeyProver.Session session = new KeyProver.Session(work.toFile())) {
            Map<String, KeyProver.Result> all = session.prove(k -> expect.values().stream()
                    .anyMatch(lines -> lines.stream().anyMatch(e -> names(e, k))), null, mutantMaxSteps);
            for (Map.Entry<Path, List<String>> e : expect.entrySet()) {
                Map<String, KeyProver.Result> results = new LinkedHashMap<>();
                all.forEach((k, r) -> {
                    if (e.getValue().stream().anyMatch(x -> names(x, k))) {
                        results.put(k, r);
                    }
                });
                outcomes.put(e.getKey(), judgeMutant(e.getKey(), e.getValue(), results, mutantMaxSteps, session));
            }
        }
        return outcomes;
    }

    /** What KeY's answers on one mutant folder mean: every EXPECT_OPEN contract open for a real reason, replay refused. */
    private static MutantOutcome judgeMutant(Path mutant, List<String> mustStayOpen, Map<String, KeyProver.Result> results,
                                             int mutantMaxSteps, KeyProver.Session session) throws Exception {
        List<String> failures = new ArrayList<>();
        int replaysRefused = 0;
        // Replay has teeth too: the committed proof of a contract whose method was broken must not
        // replay closed against the broken code (this is how a stale proof fails the build). A
        // failing replay costs as much as a proof, so the build tries the STALE_REPLAYS smallest.
        List<Path> candidates = new ArrayList<>();
        for (String key : results.keySet()) {
            Path committed = PROOFS.resolve(KeyProver.proofFileName(key));
            if (!results.get(key).closed() && Files.exists(committed)) {
                candidates.add(committed);
            }
        }
        candidates.sort(java.util.Comparator.comparingLong(KeyContractsTest::size));
        for (Path committed : candidates.subList(0, Math.min(STALE_REPLAYS, candidates.size()))) {
            String key = committed.getFileName().toString();
            KeyProver.Replay r = session.replay(committed.toFile());
            if (r.closed() && !r.errors()) {
                failures.add(mutant.getFileName() + ": the committed proof of " + key
                        + " replays closed on the broken code, so replay would not catch a stale proof");
            }
            replaysRefused++;
        }
        for (String expectedOpen : mustStayOpen) {
            List<KeyProver.Result> matching = results.values().stream()
                    .filter(r -> names(expectedOpen, r.contract())).toList();
            if (matching.isEmpty()) {
                failures.add(mutant.getFileName() + ": no contract named " + expectedOpen);
            } else if (matching.stream().allMatch(KeyProver.Result::closed)) {
                failures.add(mutant.getFileName() + ": " + expectedOpen + " was proved, so the contract has no teeth");
            } else if (matching.stream().noneMatch(r -> !r.closed() && !r.stepLimit())) {
                // refuted only when KeY stopped with an open goal it cannot close, not when the budget ran out
                failures.add(mutant.getFileName() + ": " + expectedOpen + " stayed open only because the step budget ("
                        + mutantMaxSteps + ") ran out, which refutes nothing");
            }
        }
        for (KeyProver.Result r : results.values()) {
            System.out.printf("KeY mutant %-20s %-50s %-6s %6d nodes %6d steps of %d %6d ms%n", mutant.getFileName(),
                    r.contract(), r.closed() ? "closed" : r.stepLimit() ? "budget" : "open", r.nodes(), r.ruleApps(),
                    mutantMaxSteps, r.millis());
        }
        return new MutantOutcome(failures, replaysRefused);
    }

    /**
     * Does an EXPECT_OPEN line name this contract? {@code Type::method} names every contract of the
     * method (all overloads; at least one must stay open), {@code Type::method#0} exactly one.
     */
    static boolean names(String line, String contractKey) {
        return contractKey.equals(line) || contractKey.startsWith(line + "#") || contractKey.startsWith(line + "(");
    }

    /**
     * A mutant must break the code, not the contract: its JML lines must equal the current core's,
     * so that a mutant copy made before a contract changed cannot pass unnoticed. Null when in sync.
     */
    static String jmlDrift(Path mutant) throws IOException {
        try (Stream<Path> s = Files.list(mutant)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".java")).toList()) {
                Path original = CORE.resolve(f.getFileName());
                if (!Files.exists(original)) {
                    return f.getFileName() + " is not a core class";
                }
                List<String> a = jml(f);
                List<String> b = jml(original);
                if (!a.equals(b)) {
                    return f.getFileName() + " has other JML than the core's; re-make the mutants from the current core: "
                            + "python3 impl/src/test/key/make_mutants.py";
                }
                if (!Files.readString(f).contains("MUTANT")) {
                    return f.getFileName() + " marks no line with MUTANT";
                }
            }
        }
        return null;
    }

    static List<String> jml(Path javaFile) throws IOException {
        return Files.readAllLines(javaFile).stream().map(String::trim)
                .filter(l -> l.startsWith("/*@") || l.startsWith("@") || l.contains("/*@")).toList();
    }

    /** Proof nodes of the largest committed real proof (proofs/key/results.csv). */
    static int largestRealProof() throws IOException {
        Path csv = PROOFS.resolve("results.csv");
        assertTrue(Files.exists(csv), "proofs/key/results.csv is missing: the mutant budget is 3x the largest real proof");
        int max = 0;
        List<String[]> rows = org.proxyinfo.report.Csv.parse(Files.readString(csv)); // RFC 4180: names may hold commas
        int nodes = List.of(rows.get(0)).indexOf("proof_nodes");
        assertTrue(nodes >= 0, "results.csv has no proof_nodes column: " + String.join(",", rows.get(0)));
        for (String[] f : rows.subList(1, rows.size())) {
            max = Math.max(max, Integer.parseInt(f[nodes].trim()));
        }
        assertTrue(max > 0, "results.csv names no proof sizes");
        return max;
    }

    static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    static List<Path> committedProofs() throws IOException {
        if (!Files.isDirectory(PROOFS)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(PROOFS)) {
            return s.filter(p -> p.toString().endsWith(".proof")).sorted().toList();
        }
    }

    /** A fresh copy of the core package with the mutant's files laid over it. */
    static void copyCoreWith(Path mutant, Path work) throws IOException {
        copyCoreWith(List.of(mutant), work);
    }

    /** A fresh copy of the core package with the files of every folder of a group ({@link #disjointGroups}) laid over it. */
    static void copyCoreWith(List<Path> group, Path work) throws IOException {
        deleteTree(work);
        Files.createDirectories(work);
        try (Stream<Path> s = Files.list(CORE)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".java")).toList()) {
                Files.copy(f, work.resolve(f.getFileName()));
            }
        }
        for (Path mutant : group) {
            try (Stream<Path> s = Files.list(mutant)) {
                for (Path f : s.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Files.copy(f, work.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    static void report(Map<String, KeyProver.Result> results, String how) throws IOException {
        long total = 0;
        for (KeyProver.Result r : results.values()) {
            total += r.millis();
            System.out.printf("KeY %-50s %-6s %6d nodes %6d ms  %s%n", r.contract(), r.closed() ? "closed" : "OPEN",
                    r.nodes(), r.millis(), requirementIds(r));
        }
        System.out.printf("KeY: %d contracts %s, %d closed, %d ms%n", results.size(), how,
                results.values().stream().filter(KeyProver.Result::closed).count(), total);
    }

    /**
     * proofs/key/results.csv (RFC 4180): contract, requirement IDs (from its JML block), closed (the
     * committed proof replayed closed), proof nodes. The build writes it to
     * impl/target/evidence/key/results.csv and compares it with the committed file
     * ({@link org.proxyinfo.Evidence}); the replay and proof times are measurements and go to
     * impl/target/evidence/key/times.csv only.
     */
    static final Path RESULTS_GENERATED = ROOT.resolve("impl/target/evidence/key/results.csv");

    static String resultsCsv(Map<String, KeyProver.Result> replayed) throws IOException {
        StringBuilder csv = new StringBuilder("contract,requirement_ids,closed,proof_nodes\r\n");
        for (KeyProver.Result r : new java.util.TreeMap<>(replayed).values()) {
            csv.append(org.proxyinfo.Evidence.csvRow(r.contract(), requirementIds(r), String.valueOf(r.closed()), String.valueOf(r.nodes())));
        }
        return csv.toString();
    }

    static void writeResultsCsv(Map<String, KeyProver.Result> replayed, Map<String, KeyProver.Result> proved) throws IOException {
        StringBuilder times = new StringBuilder("contract,replay_ms,prove_ms\r\n");
        for (KeyProver.Result r : new java.util.TreeMap<>(replayed).values()) {
            KeyProver.Result p = proved.get(r.contract());
            times.append(org.proxyinfo.Evidence.csvRow(r.contract(), String.valueOf(r.millis()), p == null ? "" : String.valueOf(p.millis())));
        }
        Files.createDirectories(RESULTS_GENERATED.getParent());
        Files.writeString(RESULTS_GENERATED.resolveSibling("times.csv"), times.toString(), StandardCharsets.UTF_8);
        Files.writeString(RESULTS_GENERATED, resultsCsv(replayed), StandardCharsets.UTF_8);
    }

    /** Compares the generated results with the committed ones (rewrites them with -Devidence.update or -Dkey.regenerate). */
    static void checkResultsCsv(Map<String, KeyProver.Result> replayed) throws IOException {
        org.proxyinfo.Evidence.check(PROOFS.resolve("results.csv"), RESULTS_GENERATED, resultsCsv(replayed), s -> s,
                REGENERATE || org.proxyinfo.Evidence.updating());
    }

    /** The requirement IDs named in the JML block(s) right before the method's declaration. */
    static String requirementIds(KeyProver.Result r) throws IOException {
        String simpleType = r.type().replaceAll(".*\\.", "");
        Path src = CORE.resolve(simpleType + ".java");
        if (!Files.exists(src)) {
            return "";
        }
        String text = Files.readString(src);
        String name = r.method().equals("<init>") ? simpleType : r.method();
        Matcher decl = Pattern.compile("(/\\*@(?:(?!\\*/).)*?@?\\*/\\s*)+(?:public|private|protected|static|final|/\\*@[^@]*@\\*/|\\s)*[\\w\\[\\]]*\\s*\\b"
                + Pattern.quote(name) + "\\s*\\(", Pattern.DOTALL).matcher(text);
        TreeSet<String> found = new TreeSet<>();
        while (decl.find()) {
            Matcher m = REQUIREMENT_ID.matcher(decl.group());
            while (m.find()) {
                found.add(m.group(1));
            }
        }
        return String.join(" ", found);
    }
}
