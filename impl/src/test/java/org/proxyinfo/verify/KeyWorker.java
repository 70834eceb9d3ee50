package org.proxyinfo.verify;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One of the build's KeY processes (issue 10: every contract proved from scratch in the build, in
 * under 2 minutes on 2 cores). {@link KeyContractsTest} starts {@link #parts()} of them side by side
 * (one per core, because one KeY environment proves on one thread); each loads the core itself and
 * takes its share of the contracts (or of the mutant folders), and writes what it found to a result
 * file the test reads. KeY's own verdicts are taken as they are: the test decides pass or fail.
 *
 * <pre>
 *   KeyWorker OUT contracts PART PARTS SCRATCH SAVE_DIR REPLAY_ALL ONLY|- [BUDGET GROUP...]
 *        take share PART of the core's contracts; with SCRATCH=true prove them from scratch first (saving each
 *        proof in SAVE_DIR; ONLY: comma-separated key prefixes to prove), then check each committed proof: one
 *        that is the very proof just made from scratch (same text but for KeY's user, version and time lines)
 *        needs no replay; any other (REPLAY_ALL=true: every one) is replayed. Then, in the same process (KeY's
 *        rule base is loaded once per process, the most expensive load), check the mutant GROUPs, if any
 *   KeyWorker OUT mutants BUDGET GROUP...    check these mutant groups (see KeyContractsTest#mutantGroups: a group is
 *        one or more folders joined by the path separator, checked in one KeY load)
 *   KeyWorker OUT profile [ONLY]            by hand: prove (these) contracts from scratch in one process, nothing else;
 *        the log has each proof's nodes, rule applications, obligation-creation and total CPU and wall time
 * </pre>
 *
 * Result lines (tab-separated): {@code C key} every contract the core has; {@code P} a proof from
 * scratch and {@code R} a replay or the check that the committed proof equals the one from scratch
 * ({@code key type method closed nodes millis ruleApps stepLimit file}); {@code M folder} a mutant
 * folder checked, {@code F message} a mutant failure; {@code N count} committed proofs refused on broken code.
 */
final class KeyWorker {

    /** How many KeY processes share the work: {@code -Dkey.processes} (2 in the build: one per core). */
    static int parts() {
        return Math.max(1, Integer.getInteger("key.processes", 2));
    }

    private KeyWorker() { }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        List<String> lines = new ArrayList<>();
        if (args[1].equals("contracts")) {
            contracts(Integer.parseInt(args[2]), Integer.parseInt(args[3]), Boolean.parseBoolean(args[4]),
                    Path.of(args[5]), Boolean.parseBoolean(args[6]), args[7].equals("-") ? List.of() : List.of(args[7].split(",")), lines);
            if (args.length > 8) {
                mutants(Integer.parseInt(args[8]), List.of(args).subList(9, args.length), lines);
                phase("checked the mutants");
            }
        } else if (args[1].equals("profile")) { // by hand only: where the CPU of proving from scratch goes, per contract
            try (KeyProver.Session session = new KeyProver.Session(KeyContractsTest.CORE.toFile())) {
                phase("loaded the core");
                List<String> only = args.length > 2 ? List.of(args[2].split(",")) : List.of();
                // -Dkey.strategy=K=V,K=V;K=V: one round per variant (";"); a first round "" warms the JVM up
                for (String variant : System.getProperty("key.strategy", "").split(";", -1)) {
                    KeyProver.strategyOverride = variant;
                    System.out.println("KeY strategy variant: " + (variant.isEmpty() ? "the build's" : variant));
                    Map<String, KeyProver.Result> proved = session.prove(k -> only.isEmpty() || only.stream().anyMatch(k::startsWith),
                            null, KeyProver.MAX_STEPS);
                    proved.values().forEach(r -> lines.add(line("P", r)));
                    phase("proved " + proved.size() + " contracts from scratch");
                }
            }
        } else if (args[1].equals("mutants")) {
            mutants(Integer.parseInt(args[2]), List.of(args).subList(3, args.length), lines);
            phase("checked the mutants");
        } else {
            throw new IllegalArgumentException("KeyWorker OUT contracts|mutants ...: " + String.join(" ", args));
        }
        Files.write(out, lines, StandardCharsets.UTF_8);
        System.exit(0); // KeY leaves non-daemon threads behind
    }

    static void mutants(int budget, List<String> folders, List<String> lines) throws Exception {
        int refused = 0;
        for (String group : folders) { // a group: folders that break disjoint classes, one KeY load for all of them
            List<Path> paths = java.util.Arrays.stream(group.split(java.io.File.pathSeparator)).map(Path::of).toList();
            for (Map.Entry<Path, KeyContractsTest.MutantOutcome> e : KeyContractsTest.checkMutantGroup(paths, budget).entrySet()) {
                e.getValue().failures().forEach(f -> lines.add("F\t" + f.replace('\t', ' ').replace('\n', ' ')));
                refused += e.getValue().replaysRefused();
                lines.add("M\t" + e.getKey().getFileName());
            }
        }
        lines.add("N\t" + refused);
    }

    static void contracts(int part, int parts, boolean scratch, Path saveDir, boolean replayAll, List<String> only,
                          List<String> lines) throws Exception {
        try (KeyProver.Session session = new KeyProver.Session(KeyContractsTest.CORE.toFile())) {
            for (String key : session.contracts.keySet()) {
                lines.add("C\t" + key);
            }
            phase("loaded the core");
            Set<String> mine = share(List.copyOf(session.contracts.keySet()), part, parts, committedNodes());
            Map<String, KeyProver.Result> proved = session.prove(k -> scratch && mine.contains(k)
                    && (only.isEmpty() || only.stream().anyMatch(k::startsWith)), saveDir.toFile(), KeyProver.MAX_STEPS);
            for (KeyProver.Result r : proved.values()) {
                lines.add(line("P", r));
            }
            phase("proved " + proved.size() + " contracts from scratch");
            for (String key : mine) {
                Object[] c = session.contracts.get(key);
                String file = KeyProver.proofFileName(key);
                Path committed = KeyContractsTest.PROOFS.resolve(file);
                String type = ((de.uka.ilkd.key.java.abstraction.KeYJavaType) c[0]).getFullName();
                if (!Files.exists(committed)) {
                    continue; // the test reports the missing file
                }
                KeyProver.Result fresh = proved.get(key);
                if (!replayAll && fresh != null && fresh.closed()
                        && KeyProver.sameProof(saveDir.resolve(file), committed)) {
                    // the committed proof is, rule for rule, the closed proof auto mode just made from today's source
                    lines.add(line("R", new KeyProver.Result(key, type, KeyProver.methodOf(key), true, fresh.nodes(), 0,
                            file + " (equals the proof from scratch)")));
                    continue;
                }
                KeyProver.Replay r = session.replay(committed.toFile());
                lines.add(line("R", new KeyProver.Result(key, type, KeyProver.methodOf(key), r.closed() && !r.errors(), r.nodes(),
                        r.millis(), file + (r.closed() && !r.errors() ? "" : r.errors() ? " (" + r.message() + ")" : " (open after replay)"))));
            }
            phase("checked the committed proofs");
        }
    }

    private static long lastCpu;
    private static long lastWall = System.nanoTime();

    /**
     * Prints this process's CPU time (user+sys, as the JVM counts it) and wall time since the last phase: a
     * measurement for the log only, never for a file the build compares.
     */
    static void phase(String what) {
        long cpu = ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(-1L);
        long wall = System.nanoTime();
        System.out.printf("KeY process: %s: %d ms CPU, %d ms wall (total %d ms CPU)%n", what, cpu - lastCpu,
                (wall - lastWall) / 1_000_000, cpu);
        lastCpu = cpu;
        lastWall = wall;
    }

    /**
     * This part's contracts: the contracts sorted by their committed proof size (largest first; a new
     * contract counts as the largest), each given to the part with the least work so far. Every part
     * computes the same split from the same core and results.csv.
     */
    static Set<String> share(List<String> keys, int part, int parts, Map<String, Integer> committed) {
        // the proofs KeyProver proves last (WARM_LAST, Transitions::legal) cost about twice as much CPU per node as the
        // others even once the JIT is warm (12.8 s for 7584 nodes, idle, 5 Dec 2026): they count double
        Map<String, Integer> nodes = new HashMap<>();
        committed.forEach((k, n) -> nodes.put(k, KeyProver.Session.warmLast(k) ? 2 * n : n));
        int unknown = nodes.values().stream().mapToInt(Integer::intValue).max().orElse(1);
        List<String> sorted = new ArrayList<>(keys);
        sorted.sort(Comparator.<String>comparingInt(k -> nodes.getOrDefault(k, unknown)).reversed().thenComparing(k -> k));
        long[] load = new long[parts];
        Set<String> mine = new LinkedHashSet<>();
        for (String k : sorted) {
            int least = 0;
            for (int p = 1; p < parts; p++) {
                if (load[p] < load[least]) {
                    least = p;
                }
            }
            load[least] += nodes.getOrDefault(k, unknown);
            if (least == part) {
                mine.add(k);
            }
        }
        return mine;
    }

    static Map<String, Integer> committedNodes() throws IOException {
        Map<String, Integer> nodes = new HashMap<>();
        Path csv = KeyContractsTest.PROOFS.resolve("results.csv");
        if (!Files.exists(csv)) {
            return nodes;
        }
        List<String[]> rows = org.proxyinfo.report.Csv.parse(Files.readString(csv));
        int key = List.of(rows.get(0)).indexOf("contract");
        int n = List.of(rows.get(0)).indexOf("proof_nodes");
        for (String[] r : rows.subList(1, rows.size())) {
            if (key >= 0 && n >= 0 && r.length > Math.max(key, n)) {
                nodes.put(r[key], Integer.parseInt(r[n].trim()));
            }
        }
        return nodes;
    }

    static String line(String kind, KeyProver.Result r) {
        return String.join("\t", kind, r.contract(), r.type(), r.method(), String.valueOf(r.closed()), String.valueOf(r.nodes()),
                String.valueOf(r.millis()), String.valueOf(r.ruleApps()), String.valueOf(r.stepLimit()),
                r.proofFile() == null ? "-" : r.proofFile());
    }

    static KeyProver.Result parse(String[] f) {
        return new KeyProver.Result(f[1], f[2], f[3], Boolean.parseBoolean(f[4]), Integer.parseInt(f[5]), Long.parseLong(f[6]),
                f[9].equals("-") ? null : f[9], Integer.parseInt(f[7]), Boolean.parseBoolean(f[8]));
    }

    /** A started worker: its process, result file and log. */
    record Started(Process process, Path out, Path log) { }

    /** Starts a worker JVM on this JVM's class path; its output goes to a log file the test prints. */
    static Started start(String name, List<String> args) throws IOException {
        Path dir = KeyContractsTest.ROOT.resolve("impl/target/key-workers");
        Files.createDirectories(dir);
        Path out = dir.resolve(name + ".tsv");
        Path log = dir.resolve(name + ".log");
        Files.deleteIfExists(out);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xss8m", "-Xmx3g", "-Djava.awt.headless=true",
                // issue 10: a KeY process's from-scratch run spent about 58 s of its ~115 s compiling KeY with C2
                // (-XX:+CITime); shallower inlining cuts that to about 19 s and the process to about 90 s; the
                // throughput collector gained a few seconds over the default one (proofs/key/README.md, "The JIT was
                // half of the time")
                "-XX:+UseParallelGC", "-XX:MaxInlineLevel=6", "-XX:InlineSmallCode=500", "-XX:FreqInlineSize=100",
                // side by side, two KeY processes would read and write the same ~/.key/proof-settings.json (one read
                // it half-written and failed): each starts from KeY's defaults, which KeyProver then sets as it needs
                "-Dkey.disregardSettings=true",
                "-cp", System.getProperty("java.class.path")));
        if (Boolean.getBoolean("key.debug")) {
            command.add("-Dkey.debug=true");
        }
        command.add(KeyWorker.class.getName());
        command.add(out.toString());
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .directory(KeyContractsTest.ROOT.resolve("impl").toFile()).start();
        return new Started(p, out, log);
    }

    /** Waits for every worker, copies its log to this JVM's output, and returns its result lines. */
    static List<String[]> finish(List<Started> workers, long minutes, PrintStream logTo) throws Exception {
        List<String[]> lines = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes);
            for (Started w : workers) {
                long left = Math.max(1, deadline - System.nanoTime());
                if (!w.process().waitFor(left, TimeUnit.NANOSECONDS)) {
                    problems.add(w.out().getFileName() + ": KeY did not finish within " + minutes + " minutes");
                    continue;
                }
                if (Files.exists(w.log())) {
                    logTo.print(Files.readString(w.log(), StandardCharsets.UTF_8));
                }
                if (w.process().exitValue() != 0 || !Files.exists(w.out())) {
                    problems.add(w.out().getFileName() + ": the KeY process failed (exit " + w.process().exitValue()
                            + "); its output is in " + w.log());
                    continue;
                }
                for (String l : Files.readAllLines(w.out(), StandardCharsets.UTF_8)) {
                    lines.add(l.split("\t", -1));
                }
            }
        } finally { // also when the test is interrupted: leave no KeY process behind
            for (Started w : workers) {
                w.process().descendants().forEach(ProcessHandle::destroyForcibly);
                w.process().destroyForcibly();
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(String.join("\n", problems));
        }
        return lines;
    }
}
