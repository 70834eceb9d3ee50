package org.proxyinfo.model;

import edu.mit.csail.sdg.alloy4.A4Reporter;
import edu.mit.csail.sdg.ast.Command;
import edu.mit.csail.sdg.ast.Expr;
import edu.mit.csail.sdg.ast.Module;
import edu.mit.csail.sdg.parser.CompUtil;
import edu.mit.csail.sdg.translator.A4Options;
import edu.mit.csail.sdg.translator.A4Solution;
import edu.mit.csail.sdg.translator.TranslateAlloyToKodkod;
import kodkod.engine.satlab.SATFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Alloy 6 model (sources under {@code model/src/main/resources/alloy/}, one file per
 * concern) loaded through the Alloy Java API with SAT4J. A driver module holding the commands
 * is generated per use and parsed together with the model; each command is one SAT problem.
 */
public final class AlloyWorld {
    /** The model's files, in dependency order. */
    public static final List<String> FILES = List.of(
            "config.als", "principals.als", "tls.als", "attacker.als", "proxyinfo.als", "refusal.als", "proxy.als", "resumption.als",
            "arch_direct.als", "arch_mint.als", "arch_pi.als", "arch_pi00.als", "arch_pi01.als",
            "arch_pibound.als", "arch_consent.als", "properties.als");

    /** Opens every module, so the driver can name any sig, field or predicate. */
    public static final String OPENS = "open config\nopen principals\nopen tls\nopen attacker\nopen proxyinfo\n"
            + "open proxy\nopen resumption\nopen refusal\nopen arch_pi\nopen properties\n";

    private static Path modelDir;
    /** -Dmodel.gc=true: collect garbage before each command (slower; the peak heap then excludes earlier garbage). */
    static final boolean GC_BEFORE_EACH = Boolean.getBoolean("model.gc");

    /** The outcome of one command. */
    public record Outcome(String label, boolean check, boolean satisfiable, A4Solution solution,
                          long millis, long peakBytes, int primaryVars, int totalVars, int clauses) {}

    /** Captures the size of the SAT problem Kodkod hands to SAT4J. */
    private static final class SizeReporter extends A4Reporter {
        int primaryVars, totalVars, clauses;

        @Override
        public void solve(int step, int primaryVars, int totalVars, int clauses) {
            this.primaryVars = primaryVars;
            this.totalVars = totalVars;
            this.clauses = clauses;
        }
    }

    private final Module world;
    private final Map<String, Command> commands = new LinkedHashMap<>();
    private final A4Options options;

    private AlloyWorld(Module world) {
        this.world = world;
        for (Command c : world.getAllCommands()) commands.put(c.label, c);
        options = new A4Options();
        options.solver = SATFactory.get("sat4j");
        options.skolemDepth = 1;
    }

    /**
     * SHA-256 over the model's sources (FILES, in order, each name then its bytes): recorded with
     * every verdict table so that a table, the deep one in particular, can be checked against the
     * model it came from (issue #11 item 6).
     */
    public static String sourceHash() {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            for (String f : FILES) {
                try (InputStream in = AlloyWorld.class.getResourceAsStream("/alloy/" + f)) {
                    if (in == null) throw new IllegalStateException("model file missing from classpath: alloy/" + f);
                    md.update(f.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    md.update(in.readAllBytes());
                }
            }
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies the model sources out of the classpath once per JVM (they live in the jar). */
    public static synchronized Path modelDir() {
        if (modelDir != null) return modelDir;
        try {
            Path dir = Files.createTempDirectory("proxyinfo-alloy");
            for (String f : FILES) {
                try (InputStream in = AlloyWorld.class.getResourceAsStream("/alloy/" + f)) {
                    if (in == null) throw new IllegalStateException("model file missing from classpath: alloy/" + f);
                    Files.copy(in, dir.resolve(f));
                }
            }
            modelDir = dir;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {   // leave no temp files behind
                try (var files = Files.list(dir)) {
                    for (Path p : (Iterable<Path>) files::iterator) Files.deleteIfExists(p);
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // best effort at JVM exit
                }
            }));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the Alloy model to a temp dir", e);
        }
    }

    /**
     * Writes the model's sources, the Analyzer entry file and the visualiser theme into {@code dir},
     * plus, if {@code driverName} is not null, a module of that name with {@code driverBody}: a
     * self-contained directory the Alloy Analyzer opens as it is (issue #16 item 7).
     */
    public static Path writeModel(Path dir, String driverName, String driverBody) throws IOException {
        Files.createDirectories(dir);
        java.util.List<String> all = new java.util.ArrayList<>(FILES);
        all.add(AnalyzerEntry.FILE);
        all.add("proxyinfo.thm");
        for (String f : all) {
            try (InputStream in = AlloyWorld.class.getResourceAsStream("/alloy/" + f)) {
                if (in == null) throw new IOException("model file missing from classpath: alloy/" + f);
                Files.copy(in, dir.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (driverName == null) return dir;
        Path driver = dir.resolve(driverName + ".als");
        Files.writeString(driver, module(driverName, driverBody));
        return driver;
    }

    /** A complete driver module: header, the opens of the whole model, then the body. */
    public static String module(String driverName, String driverBody) {
        return "module " + driverName + "\n" + OPENS + driverBody;
    }

    /** Parses the model plus a driver module whose body (commands, predicates) is given. */
    public static AlloyWorld load(String driverName, String driverBody) {
        Path dir = modelDir();
        Path driver = dir.resolve(driverName + ".als");
        try {
            Files.writeString(driver, module(driverName, driverBody));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Module m = CompUtil.parseEverything_fromFile(A4Reporter.NOP, null, driver.toString());
        return new AlloyWorld(m);
    }

    public Module module() { return world; }

    public boolean has(String label) { return commands.containsKey(label); }

    /** Solves one command; measures wall time and the peak heap used while solving. */
    public Outcome execute(String label) {
        Command cmd = commands.get(label);
        if (cmd == null) throw new IllegalArgumentException("no such command in the driver: " + label);
        List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans();
        if (GC_BEFORE_EACH) System.gc();   // so that the peak below is this check's, not earlier garbage
        for (MemoryPoolMXBean p : pools) if (p.getType() == MemoryType.HEAP) p.resetPeakUsage();
        long t0 = System.nanoTime();
        SizeReporter rep = new SizeReporter();
        A4Solution sol = TranslateAlloyToKodkod.execute_command(rep, world.getAllReachableSigs(), cmd, options);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        long peak = 0;
        for (MemoryPoolMXBean p : pools) if (p.getType() == MemoryType.HEAP) peak += p.getPeakUsage().getUsed();
        return new Outcome(label, cmd.check, sol.satisfiable(), sol, ms, peak, rep.primaryVars, rep.totalVars, rep.clauses);
    }

    /**
     * Which of the formulas {@code properties} (Alloy text in the driver's context, keyed by name) can be false in an
     * instance of the run command {@code run}: the same answers as one check "run's formula implies p" per property
     * (true: no counterexample within run's scope), with fewer SAT problems. {@code first} is an instance of {@code run}
     * already found (its Outcome). Each round: every property still open that is false in the latest instance is
     * violated (that instance is its counterexample); then one SAT problem asks for an instance of {@code run} in which
     * some property still open is false: UNSAT means all of them hold, SAT gives the next instance, which settles at
     * least one more. So a run needs one SAT problem per round (at most one more than the number of violated
     * properties) instead of one per property. The solver's and the evaluator's answers are definite or throw (a
     * throw is never a pass: the caller treats it as a failure).
     */
    public Map<String, Boolean> holdOn(String run, Outcome first, Map<String, String> properties) {
        Command base = commands.get(run);
        if (base == null || base.check) throw new IllegalArgumentException("no such run command in the driver: " + run);
        if (!first.satisfiable()) throw new IllegalArgumentException(run + " has no instance: properties hold vacuously, which is not an answer");
        Map<String, Expr> open = new LinkedHashMap<>();
        for (Map.Entry<String, String> p : properties.entrySet()) open.put(p.getKey(), expr(p.getValue()));
        Map<String, Boolean> out = new LinkedHashMap<>();
        A4Solution inst = first.solution();
        for (boolean fromSolver = false; ; fromSolver = true) {
            int settled = 0;
            for (java.util.Iterator<Map.Entry<String, Expr>> it = open.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Expr> p = it.next();
                Object v = inst.eval(p.getValue());
                if (!(v instanceof Boolean b)) throw new IllegalStateException("property " + p.getKey() + " evaluated to " + v + ", not a truth value");
                if (!b) {
                    out.put(p.getKey(), false);
                    it.remove();
                    settled++;
                }
            }
            // an instance asked for "some open property false" that falsifies none is not an answer
            if (fromSolver && settled == 0) throw new IllegalStateException("the solver's instance falsifies none of the open properties " + open.keySet());
            if (open.isEmpty()) break;
            Expr someFails = null;
            for (Expr e : open.values()) someFails = someFails == null ? e.not() : someFails.or(e.not());
            A4Solution next = TranslateAlloyToKodkod.execute_command(A4Reporter.NOP, world.getAllReachableSigs(),
                    base.change(base.formula.and(someFails)), options);
            if (!next.satisfiable()) {
                for (String k : open.keySet()) out.put(k, true);
                break;
            }
            inst = next;
        }
        Map<String, Boolean> ordered = new LinkedHashMap<>();
        for (String k : properties.keySet()) ordered.put(k, out.get(k));
        return ordered;
    }

    /** Parses an expression in the driver's context (for reading a solution). */
    public Expr expr(String text) {
        return CompUtil.parseOneExpression_fromString(world, text);
    }
}
