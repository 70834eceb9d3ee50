package org.proxyinfo.model;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides every cell claim x architecture x threat setting with the Alloy model, plus a sanity
 * run for every HOLDS (the honest scenario is reachable and satisfies the property) and the
 * tightness mutants. Nothing here knows an expected verdict: every verdict is what SAT4J said.
 */
public final class VerdictTable {
    public enum Status { HOLDS, VIOLATED, NA }

    public record Cell(Claim claim, Arch arch, ThreatSetting threat, Status status, String naReason,
                       long millis, long peakBytes, Boolean sanity, long sanityMillis, String traceFile, Instance instance,
                       int vars, int clauses, int cexSessions, String reliedOn) {
        public String key() { return claim.id + "|" + arch.id + "|" + threat.id; }

        /**
         * R10/R11 (reliance, claims.md "Precision"): a HOLDS cell is confirmed iff a mutant of the named party's
         * checks breaks it ({@code reliedOn}, set by the sweep: that mutant, or "" if none does); "pending" before
         * the sweep.
         */
        public String claimVerdict() {
            if (status == Status.NA) return "n/a";
            if (claim.polarity == Claim.Polarity.RELIANCE && status == Status.HOLDS)
                return reliedOn == null ? "pending" : reliedOn.isEmpty() ? "refuted" : "confirmed";
            return claim.confirmed(status == Status.HOLDS) ? "confirmed" : "refuted";
        }

        Cell withReliedOn(String mutant) {
            return new Cell(claim, arch, threat, status, naReason, millis, peakBytes, sanity, sanityMillis, traceFile, instance,
                    vars, clauses, cexSessions, mutant);
        }
    }

    public record MutantResult(Tightness t, boolean baseHolds, boolean counterexample, long millis, long peakBytes,
                               String traceFile, Instance instance) {
        public boolean asExpected() { return baseHolds && counterexample == t.expectCounterexample(); }
    }

    public final Bound bound;
    public final Map<String, Cell> cells = new LinkedHashMap<>();
    public final List<MutantResult> mutants = new ArrayList<>();
    /**
     * Generated tightness (issue #11 item 4): for every HOLDS cell, the first mutant of
     * {@link Tightness#sweep()} (one per MUST/DEC check of the model, read from config.als) whose
     * removal gives a counterexample, or "" when no single removed check breaks the cell.
     */
    public final Map<String, String> tightBy = new LinkedHashMap<>();
    public long sweepMillis;
    public long totalMillis;
    public long parseMillis;
    /** {@link #driverHash(Bound)} of the driver this table was decided from (set by {@link #compute}). */
    String driverHash;

    private VerdictTable(Bound bound) { this.bound = bound; }

    /** Counterexamples are searched again from this many sessions up, so that the written trace is a smallest one. */
    static final int MIN_SESSIONS = 2;

    static String label(String prefix, Claim c, Arch a, ThreatSetting t) {
        return prefix + "_" + c.id + "_" + a.atom + "_" + labelPart(t);
    }

    /** How a threat setting ends a command's label (Alloy names take no '-'). */
    static String labelPart(ThreatSetting t) {
        return t.id.replace('-', '_');
    }

    static String cfg(Arch a, ThreatSetting t, String mutant) {
        return "(Cfg.arch = " + a.cfgAtom() + " and Cfg.threat = " + t.alloySet() + " and "
                + (mutant == null ? "no Cfg.mut" : "Cfg.mut = " + mutant)
                + (a.twoHop() ? " and DepthLimit.hops = " + TWO_HOP_DEPTH_LIMIT : "") + ")";
    }

    /**
     * DEC-4's limit in the PI-BOUND-2HOP column: 2, the honest chain's length, so that within the column's 3 assertions
     * the limit is in force (a chain of 3 that reaches the client is refused; TwoHop decides the limit itself, the
     * default 4 at 5 assertions). It also keeps every committed chain within the two hops the properties read
     * ({@code lastHop} in properties.als looks at most one nested assertion deep).
     */
    public static final int TWO_HOP_DEPTH_LIMIT = 2;

    /** The sanity run of a PI-BOUND-2HOP threat setting: the client commits to the honest chain P then P2 to S. */
    static String chainLabel(ThreatSetting t) { return "h_" + Arch.PIBOUND2HOP.atom + "_" + labelPart(t); }

    /**
     * PI-BOUND-2HOP, per threat setting: is the honest two-hop chain (TwoHop.HONEST_CHAIN: the client commits to a
     * session whose chain is P, then P2, then the real server S, hop 1 nesting hop 2's assertion) accepted in some run?
     * Every such run must be satisfiable, or the column would speak about a setting in which two hops never occur.
     */
    public final Map<ThreatSetting, Boolean> twoHopChain = new LinkedHashMap<>();

    /**
     * PI-BOUND-2HOP, per trust-mismatch setting (issue #11 finding 5, {@link ThreatSetting#trustMismatch()}): is the refusal
     * reachable? There the honest chain must NOT be accepted ({@link #twoHopChain} false, as DEC-12 or DEC-15 requires), and
     * this run shows it is not so vacuously: the chain reaches the party whose trust store lacks P2's anchor, and that
     * party refuses it ({@link #refusal(ThreatSetting)}).
     */
    public final Map<ThreatSetting, Boolean> twoHopRefusal = new LinkedHashMap<>();

    /** The refusal run of a trust-mismatch setting. */
    static String refusalLabel(ThreatSetting t) { return "r_" + Arch.PIBOUND2HOP.atom + "_" + labelPart(t); }

    /**
     * What the refusal run of a trust-mismatch setting asks for. hop2-untrusted-client (DEC-12 with the client's own anchors,
     * DEC-9): P accepted P2 and nests P2's assertion unchanged, hop 1's list is P2's certificate under P2's anchor, the client
     * receives that chain from P and does not accept the session. hop2-untrusted-proxy (DEC-15 with P's own anchors): P2
     * answers P's session #2 with its assertion under its own identity, and P does not accept that session (so it answers
     * the client with no chain through P2).
     */
    static String refusal(ThreatSetting t) {
        return switch (t) {
            case HOP2_UNTRUSTED_CLIENT -> "(some x: cl.C - Accepted | x.sv = P and x.link.sv = P2 and x.link in Accepted and x.pinfo.by = P"
                    + " and x.pinfo.next.by = P2 and x.pinfo.next = x.link.pinfo and x.pinfo.srvCert.issuer = kProxyCA2)";
            case HOP2_UNTRUSTED_PROXY -> "(some y: cl.P - Accepted | y.sv = P2 and (link.y).cl = C and y.pinfo.by = P2 and y.cert.issuer = kProxyCA2"
                    + " and y.pinfo.signer = y.cert.key and not upstreamRefused[y])";
            default -> throw new IllegalArgumentException("not a trust-mismatch setting: " + t.id);
        };
    }

    /**
     * -Dmodel.instances=DIR (the build sets target/alloy-instances): each counterexample also as Alloy
     * instance XML, which the Alloy visualiser opens (File > Open in the visualiser; theme
     * alloy/proxyinfo.thm). Not committed evidence: the XML names the temporary model directory.
     */
    static void writeInstance(AlloyWorld.Outcome o, String jsonFile) {
        String dir = System.getProperty("model.instances", "");
        if (dir.isBlank() || o == null || !o.satisfiable()) return;
        try {
            Files.createDirectories(Path.of(dir));
            o.solution().writeXML(Path.of(dir, jsonFile.replaceAll("\\.json$", ".xml")).toString(),
                    java.util.List.of(), java.util.Map.of());
        } catch (Exception | Error e) {
            // The XML is a convenience for the Alloy visualiser, not evidence (the JSON trace is): a
            // writer failure (Alloy 6.2's A4SolutionWriter throws on some static-model solutions) is
            // reported and the table goes on.
            System.out.println("note: Alloy instance XML of " + jsonFile + " not written (" + e.getMessage()
                    + "); the counterexample trace itself is written.");
        }
    }

    /** The driver module: one check and one sanity run per decided cell, one check per mutant. */
    static String driver(Bound b) {
        StringBuilder sb = new StringBuilder();
        for (Claim c : Claim.values())
            for (Arch a : Arch.values())
                for (ThreatSetting t : ThreatSetting.values()) {
                    if (c.notApplicable(a, t) != null) continue;
                    String scope = " " + b.command(a, t) + "\n";
                    sb.append("check ").append(label("k", c, a, t)).append(" { ").append(cfg(a, t, null))
                            .append(" implies ").append(c.property).append(" }").append(scope);
                    for (int n = MIN_SESSIONS; n < b.sess(a); n++)   // smaller scopes: the smallest counterexample is the one written
                        sb.append("check ").append(label("k" + n, c, a, t)).append(" { ").append(cfg(a, t, null))
                                .append(" implies ").append(c.property).append(" } ").append(b.command(a, n, t)).append('\n');
                    sb.append("run ").append(label("s", c, a, t)).append(" { ").append(cfg(a, t, null))
                            .append(" and ").append(c.sanity)
                            .append(c.polarity == Claim.Polarity.EXISTENTIAL ? "" : " and " + c.property)
                            .append(" }").append(scope);
                }
        for (ThreatSetting t : ThreatSetting.values())
            if (t.notApplicable(Arch.PIBOUND2HOP) == null)
                sb.append("run ").append(chainLabel(t)).append(" { ").append(cfg(Arch.PIBOUND2HOP, t, null)).append(" and ")
                        .append(TwoHop.HONEST_CHAIN).append(" } ").append(b.command(Arch.PIBOUND2HOP, t)).append('\n');
        for (ThreatSetting t : ThreatSetting.values())
            if (t.trustMismatch())
                sb.append("run ").append(refusalLabel(t)).append(" { ").append(cfg(Arch.PIBOUND2HOP, t, null)).append(" and ")
                        .append(refusal(t)).append(" } ").append(b.command(Arch.PIBOUND2HOP, t)).append('\n');
        for (Tightness m : Tightness.ALL) {
            sb.append("check ").append("m_").append(m.id()).append(" { ").append(cfg(m.arch(), m.threat(), m.mutant()))
                    .append(" implies ").append(m.claim().property).append(" } ").append(b.command(m.arch(), m.threat())).append('\n');
            for (int n = MIN_SESSIONS; n < b.sess(m.arch()); n++)
                sb.append("check ").append("m").append(n).append("_").append(m.id()).append(" { ").append(cfg(m.arch(), m.threat(), m.mutant()))
                        .append(" implies ").append(m.claim().property).append(" } ").append(b.command(m.arch(), n, m.threat())).append('\n');
        }
        return sb.toString();
    }

    /**
     * SHA-256 of {@link #driver(Bound)}: the commands (configurations, properties, sanity runs, mutants, scopes) that the
     * Java side generates over the model files. {@link AlloyWorld#sourceHash()} covers the .als files; this covers what
     * is asked of them, so a table is tied to both (issue #11: the deep table carries the hashes the build checks).
     */
    public static String driverHash(Bound b) { return sha256(driver(b)); }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * -Dmodel.threads=N: the table is decided on N threads, each with its own parsed copy of the model (Alloy's
     * worlds and SAT4J solvers are not shared between threads). Default: the machine's cores, at most 4. Every
     * check is still one SAT4J run; only the order in which they finish changes, not a verdict, and the cells are
     * written in the same order as with one thread. With more than one thread a check's peak heap is only
     * indicative (the threads share the JVM's heap and reset its peak counters); the SAT problem size (variables,
     * clauses) stays exact and is the measure of a check's memory. -Dmodel.threads=1 gives the single-thread
     * figures.
     */
    static int threads() {
        int cores = Runtime.getRuntime().availableProcessors();
        return Math.max(1, Integer.getInteger("model.threads", Math.min(cores, 4)));
    }

    /**
     * N parsed copies of one driver (each parsed by its own thread, from its own driver file), handed out one per
     * task; a world is used by one thread at a time.
     */
    static final class Worlds {
        private final java.util.concurrent.BlockingQueue<AlloyWorld> free = new java.util.concurrent.LinkedBlockingQueue<>();
        final AlloyWorld first;
        final int size;

        Worlds(String name, String driver, int n) throws IOException {
            size = n;
            List<Task<AlloyWorld>> parses = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String copy = i == 0 ? name : name + "_t" + i;
                parses.add(unused -> AlloyWorld.load(copy, driver));
            }
            List<AlloyWorld> ws = n == 1 ? List.of(AlloyWorld.load(name, driver)) : inThreads(parses, () -> null);
            first = ws.get(0);
            free.addAll(ws);
        }

        interface Task<T> { T run(AlloyWorld w) throws IOException; }

        /** Runs every task on the copies, {@code size} at a time; the results in the tasks' order. */
        <T> List<T> all(List<Task<T>> tasks) throws IOException {
            if (size == 1) {
                List<T> out = new ArrayList<>();
                for (Task<T> t : tasks) out.add(t.run(first));
                return out;
            }
            return inThreads(tasks, free::take);
        }

        interface Source { AlloyWorld take() throws InterruptedException; }

        /** Runs the tasks on {@code size} threads, each with a world from {@code source} (null: none); results in order. */
        private <T> List<T> inThreads(List<Task<T>> tasks, Source source) throws IOException {
            java.util.concurrent.ExecutorService ex = java.util.concurrent.Executors.newFixedThreadPool(size, r -> {
                Thread th = new Thread(r, "alloy-table");
                th.setDaemon(true);
                return th;
            });
            try {
                List<java.util.concurrent.Future<T>> fs = new ArrayList<>();
                for (Task<T> t : tasks)
                    fs.add(ex.submit(() -> {
                        AlloyWorld w = source.take();
                        try {
                            return t.run(w);
                        } finally {
                            if (w != null) free.add(w);
                        }
                    }));
                List<T> out = new ArrayList<>();
                for (java.util.concurrent.Future<T> f : fs) out.add(f.get());
                return out;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while deciding the table", e);
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof IOException io) throw io;
                if (c instanceof RuntimeException re) throw re;
                if (c instanceof Error er) throw er;
                throw new IOException(c);
            } finally {
                ex.shutdownNow();
            }
        }
    }

    /** Computes the whole table. {@code traceDir} (may be null) receives the counterexample traces. */
    public static VerdictTable compute(Bound b, Path traceDir, PrintStream log) throws IOException {
        VerdictTable vt = new VerdictTable(b);
        long t0 = System.nanoTime();
        int n = threads();
        String driver = driver(b);
        vt.driverHash = sha256(driver);   // what driverHash(b) gives, from the very text the table is decided from
        Worlds ws = new Worlds("verdicts_" + b.id, driver, n);
        vt.parseMillis = (System.nanoTime() - t0) / 1_000_000;
        log.printf("model parsed with %d commands in %d ms (%d cop%s, one per thread); bound: %s%n", ws.first.module().getAllCommands().size(),
                vt.parseMillis, n, n == 1 ? "y" : "ies", b.describe());
        if (traceDir != null) Files.createDirectories(traceDir);
        List<Worlds.Task<Cell>> cellTasks = new ArrayList<>();
        for (Claim c : Claim.values())
            for (Arch a : Arch.values())
                for (ThreatSetting t : ThreatSetting.values())
                    cellTasks.add(w -> decide(w, b, c, a, t, traceDir, log));
        for (Cell cell : ws.all(cellTasks)) vt.cells.put(cell.key(), cell);
        for (ThreatSetting t : ThreatSetting.values())
            if (t.notApplicable(Arch.PIBOUND2HOP) == null) {
                AlloyWorld.Outcome o = ws.first.execute(chainLabel(t));
                vt.twoHopChain.put(t, o.satisfiable());
                log.printf("%-4s %-9s %-17s honest two-hop chain (C-P-P2-S) accepted: %s %5d ms %6d vars %7d clauses%n", "-", Arch.PIBOUND2HOP.id,
                        t.id, o.satisfiable() ? (t.trustMismatch() ? "SAT (accepted against DEC-12/DEC-15!)" : "SAT")
                                : t.trustMismatch() ? "UNSAT (refused, as DEC-12/DEC-15 require)" : "UNSAT (the column never sees two hops!)",
                        o.millis(), o.totalVars(), o.clauses());
                if (t.trustMismatch()) {
                    AlloyWorld.Outcome r = ws.first.execute(refusalLabel(t));
                    vt.twoHopRefusal.put(t, r.satisfiable());
                    log.printf("%-4s %-9s %-17s the chain reaches the party that lacks P2's anchor and is refused: %s %5d ms %6d vars %7d clauses%n", "-",
                            Arch.PIBOUND2HOP.id, t.id, r.satisfiable() ? "SAT" : "UNSAT (the refusal is vacuous!)", r.millis(), r.totalVars(), r.clauses());
                }
            }
        List<Worlds.Task<MutantResult>> mutantTasks = new ArrayList<>();
        for (Tightness m : Tightness.ALL) mutantTasks.add(w -> vt.mutant(w, b, m, traceDir, log));
        vt.mutants.addAll(ws.all(mutantTasks));
        vt.sweep(b, log, n);
        vt.totalMillis = (System.nanoTime() - t0) / 1_000_000;
        log.printf("verdict table: %d cells, %d mutants, %d ms in all%n", vt.cells.size(), vt.mutants.size(), vt.totalMillis);
        return vt;
    }

    /** One cell: the smallest counterexample or witness, else the full bound and the sanity run. */
    static Cell decide(AlloyWorld w, Bound b, Claim c, Arch a, ThreatSetting t, Path traceDir, PrintStream log) throws IOException {
        String na = c.notApplicable(a, t);
        if (na != null) return new Cell(c, a, t, Status.NA, na, 0, 0, null, 0, null, null, 0, 0, 0, null);
        // smallest scope first: a counterexample with 2 sessions is a counterexample; only
        // if there is none is the full bound checked (and then, if needed, the sizes between)
        AlloyWorld.Outcome o = w.execute(label("k" + MIN_SESSIONS, c, a, t));
        long ms = o.millis();
        int cexSessions = MIN_SESSIONS;
        if (!o.satisfiable()) {
            AlloyWorld.Outcome full = w.execute(label("k", c, a, t));
            ms += full.millis();
            cexSessions = b.sess(a);
            if (full.satisfiable())
                for (int n = MIN_SESSIONS + 1; n < b.sess(a); n++) {
                    AlloyWorld.Outcome m = w.execute(label("k" + n, c, a, t));
                    ms += m.millis();
                    if (m.satisfiable()) { full = m; cexSessions = n; break; }
                }
            o = full;
        }
        boolean cex = o.satisfiable();
        boolean existential = c.polarity == Claim.Polarity.EXISTENTIAL;
        Status st = existential ? (cex ? Status.HOLDS : Status.VIOLATED) : (cex ? Status.VIOLATED : Status.HOLDS);
        Boolean sanity = null;
        long sms = 0;
        if (!cex) {   // no counterexample: the scenario must be reachable (no vacuous HOLDS)
            AlloyWorld.Outcome s = w.execute(label("s", c, a, t));
            sanity = s.satisfiable();
            sms = s.millis();
            cexSessions = 0;
        }
        if (sanity != null && !sanity) {   // the antecedent never occurs: no verdict, not a HOLDS
            Cell vacuous = new Cell(c, a, t, Status.NA,
                    "vacuous: the property's antecedent (" + c.sanity + ") never occurs in this setting within the bound ("
                            + b.sess(a) + " sessions; sanity run UNSAT)",
                    ms, o.peakBytes(), sanity, sms, null, null, o.totalVars(), o.clauses(), 0, null);
            log.printf("%-4s %-9s %-17s N/A (vacuous: %s unsatisfiable)%n", c.id, a.id, t.id, c.sanity);
            return vacuous;
        }
        String file = null;
        Instance inst = null;
        if (cex) {
            AlloyWorld.Outcome smallest = o;
            inst = Instance.read(w, smallest.solution());
            file = (existential ? "witness_" : "cex_") + c.id + "_" + a.id + "_" + t.id + ".json";
            if (traceDir != null)
                Files.writeString(traceDir.resolve(file), TraceWriter.pretty(TraceWriter.trace(inst, c.id,
                        (existential ? "witness " : "counterexample ") + c.property + " " + a.id + " " + t.id, t.id)));
            writeInstance(smallest, file);
        }
        Cell cell = new Cell(c, a, t, st, null, ms, o.peakBytes(), sanity, sms, file, inst, o.totalVars(), o.clauses(), cexSessions, null);
        log.printf("%-4s %-9s %-17s %-8s (%s) claim %-9s bound [%s] %5d ms %5d MB peak heap %6d vars %7d clauses%s%n", c.id, a.id, t.id, st,
                c.property, cell.claimVerdict(), cex ? b.scope(a, cexSessions) : b.scope(a), ms, o.peakBytes() >> 20, o.totalVars(), o.clauses(),
                sanity == null ? "" : "  sanity " + (sanity ? "SAT" : "UNSAT (VACUOUS!)") + " " + sms + " ms");
        return cell;
    }

    /** One tightness mutant: the smallest counterexample first, then the full bound. */
    MutantResult mutant(AlloyWorld w, Bound b, Tightness m, Path traceDir, PrintStream log) throws IOException {
        AlloyWorld.Outcome o = null;
        long mms = 0;
        for (int n = MIN_SESSIONS; n < b.sess(m.arch()) && (o == null || !o.satisfiable()); n++) {   // smallest counterexample first
            o = w.execute("m" + n + "_" + m.id());
            mms += o.millis();
        }
        if (o == null || !o.satisfiable()) {
            o = w.execute("m_" + m.id());
            mms += o.millis();
        }
        Cell base = cells.get(m.claim().id + "|" + m.arch().id + "|" + m.threat().id);
        boolean baseHolds = base != null && base.status() == Status.HOLDS;
        Instance inst = null;
        String file = null;
        if (o.satisfiable()) {
            inst = Instance.read(w, o.solution());
            file = "mutant_" + m.id() + "_" + m.claim().id + "_" + m.arch().id + "_" + m.threat().id + ".json";
            writeInstance(o, file);
            if (traceDir != null)
                Files.writeString(traceDir.resolve(file), TraceWriter.pretty(TraceWriter.trace(inst, m.claim().id,
                        "tightness mutant " + m.id() + " (" + m.requirement() + " removed) " + m.arch().id + " " + m.threat().id, m.threat().id)));
        }
        MutantResult r = new MutantResult(m, baseHolds, o.satisfiable(), mms, o.peakBytes(), file, inst);
        log.printf("mutant %-3s %-3s %-9s %-17s without %-22s -> %s (%s) %d ms%n", m.id(), m.claim().id, m.arch().id, m.threat().id,
                m.requirement(), o.satisfiable() ? "COUNTEREXAMPLE" : "no counterexample", r.asExpected() ? "as expected" : "UNEXPECTED", mms);
        return r;
    }

    /**
     * The generated tightness sweep. Every mutant relaxes one check (a disjunct "mutant[X] or
     * check"), so a cell that HOLDS with all of them removed at once holds with any one removed:
     * one check then marks it as untouched. Otherwise each mutant is tried alone (2 sessions
     * first, then the full bound) until one gives a counterexample.
     */
    void sweep(Bound b, PrintStream log, int threads) throws IOException {
        long t0 = System.nanoTime();
        StringBuilder sb = new StringBuilder();
        List<Cell> holds = new ArrayList<>();
        for (Cell c : cells.values()) {
            if (c.status() != Status.HOLDS || c.claim().polarity == Claim.Polarity.EXISTENTIAL) continue;
            holds.add(c);
            List<Tightness.Check> checks = checksFor(c.claim());
            String all = "(" + String.join(" + ", checks.stream().map(Tightness.Check::atom).toList()) + ")";
            Arch a = c.arch();
            sweepCheck(sb, "ta", c, all, b.command(a, c.threat()));
            for (Tightness.Check m : checks)
                for (String sc : new String[]{"2", "f"})
                    sweepCheck(sb, "t" + sc + m.atom(), c, m.atom(), sc.equals("2") ? b.command(a, MIN_SESSIONS, c.threat()) : b.command(a, c.threat()));
            // 2 sessions: the whole list (also for a list of one, the proxy's checks of R11); full bound: its halves ("ta" is the whole)
            sweepCheck(sb, groupLabel("2", 0, checks.size()), c, all, b.command(a, MIN_SESSIONS, c.threat()));
            for (int[] g : groups(checks.size())) {
                if (g[0] == 0 && g[1] == checks.size()) continue;
                String atoms = "(" + String.join(" + ", checks.subList(g[0], g[1]).stream().map(Tightness.Check::atom).toList()) + ")";
                sweepCheck(sb, groupLabel("f", g[0], g[1]), c, atoms, b.command(a, c.threat()));
            }
        }
        Worlds ws = new Worlds("sweep_" + b.id, sb.toString(), threads);
        List<Worlds.Task<String>> tasks = new ArrayList<>();
        for (Cell c : holds) tasks.add(w -> firstBreaking(w, c, checksFor(c.claim())));
        List<String> found = ws.all(tasks);
        int untouched = 0, reliance = 0;
        for (int i = 0; i < holds.size(); i++) {
            Cell c = holds.get(i);
            if (found.get(i).isEmpty()) untouched++;
            tightBy.put(c.key(), found.get(i));
            if (c.claim().polarity == Claim.Polarity.RELIANCE) {   // R10/R11: the claim verdict is the reliance answer
                cells.put(c.key(), c.withReliedOn(found.get(i)));
                reliance++;
                log.printf("%-4s %-9s %-17s HOLDS    reliance on the %s's checks: %s -> claim %s%n", c.claim().id, c.arch().id, c.threat().id,
                        c.claim().namedParty(), found.get(i).isEmpty() ? "none breaks it" : found.get(i), cells.get(c.key()).claimVerdict());
            }
        }
        sweepMillis = (System.nanoTime() - t0) / 1_000_000;
        log.printf("tightness sweep: %d HOLDS cells (%d of them R10/R11 reliance, swept over the named party's checks only), %d mutants"
                + " (one per check in config.als), %d cells no single mutant breaks, %d ms%n",
                holds.size(), reliance, Tightness.sweep().size(), untouched, sweepMillis);
    }

    /** One sweep command: HOLDS cell c's property with the mutants {@code removed} (an atom or a sum of atoms) on. */
    private static void sweepCheck(StringBuilder sb, String prefix, Cell c, String removed, String command) {
        sb.append("check ").append(label(prefix, c.claim(), c.arch(), c.threat())).append(" { ").append(cfg(c.arch(), c.threat(), removed))
                .append(" implies ").append(c.claim().property).append(" } ").append(command).append('\n');
    }

    /**
     * The mutants a HOLDS cell is swept with: every check of config.als ({@link Tightness#sweep()}), except for R10
     * and R11 (reliance), whose cells are swept with the named party's checks only ({@link Claim#namedChecks()}),
     * in config.als order: the first of them that breaks the cell is the one the table names, and the claim verdict.
     */
    static List<Tightness.Check> checksFor(Claim c) {
        List<Tightness.Check> all = Tightness.sweep();
        if (c.namedChecks() == null) return all;
        List<Tightness.Check> named = all.stream().filter(m -> c.namedChecks().contains(m.atom())).toList();
        if (named.size() != c.namedChecks().size())
            throw new IllegalStateException(c.id + ": named checks " + c.namedChecks() + " are not all Mutant atoms of config.als");
        return named;
    }

    /**
     * The first single removed check (in config.als's order) that breaks a HOLDS cell at 2 sessions, else the first
     * that breaks it at the full bound, or "": the answer trying every mutant in order would give (at 2 sessions, then
     * at the full bound), found with fewer checks. Every mutant only relaxes a check, so removing a group of checks at
     * once admits every instance that removing one of them admits: a group whose removal gives no counterexample holds
     * no breaking mutant. "ta" is the whole list at the full bound. At 2 sessions (cheap checks) the whole list is
     * tried once, then each mutant in order; at the full bound, where a check without a counterexample is the costly
     * kind, only groups that break are split in halves ({@link #groups}) down to single mutants.
     */
    static String firstBreaking(AlloyWorld w, Cell c, List<Tightness.Check> checks) {
        if (!w.execute(label("ta", c.claim(), c.arch(), c.threat())).satisfiable()) return "";
        if (w.execute(label(groupLabel("2", 0, checks.size()), c.claim(), c.arch(), c.threat())).satisfiable())
            for (Tightness.Check m : checks)
                if (w.execute(label("t2" + m.atom(), c.claim(), c.arch(), c.threat())).satisfiable()) return m.atom();
        int i = firstIn(w, c, checks, "f", 0, checks.size(), Boolean.TRUE);
        return i < 0 ? "" : checks.get(i).atom();
    }

    /** The first index in [lo, hi) whose mutant alone breaks the cell at scope sc, or -1; {@code known}: the group's answer if known. */
    private static int firstIn(AlloyWorld w, Cell c, List<Tightness.Check> checks, String sc, int lo, int hi, Boolean known) {
        if (hi - lo == 1)
            return w.execute(label("t" + sc + checks.get(lo).atom(), c.claim(), c.arch(), c.threat())).satisfiable() ? lo : -1;
        boolean breaks = known != null ? known : w.execute(label(groupLabel(sc, lo, hi), c.claim(), c.arch(), c.threat())).satisfiable();
        if (!breaks) return -1;
        int mid = (lo + hi) / 2;
        int left = firstIn(w, c, checks, sc, lo, mid, null);
        return left >= 0 ? left : firstIn(w, c, checks, sc, mid, hi, null);
    }

    /** The groups {@link #firstIn} may check: [lo, hi) of the halving of [0, n), every one of two or more mutants. */
    static List<int[]> groups(int n) {
        List<int[]> out = new ArrayList<>();
        java.util.ArrayDeque<int[]> todo = new java.util.ArrayDeque<>();
        todo.add(new int[]{0, n});
        while (!todo.isEmpty()) {
            int[] g = todo.poll();
            if (g[1] - g[0] < 2) continue;
            out.add(g);
            int mid = (g[0] + g[1]) / 2;
            todo.add(new int[]{g[0], mid});
            todo.add(new int[]{mid, g[1]});
        }
        return out;
    }

    static String groupLabel(String sc, int lo, int hi) { return "tg" + sc + "_" + lo + "_" + hi; }

    public Cell cell(Claim c, Arch a, ThreatSetting t) { return cells.get(c.id + "|" + a.id + "|" + t.id); }

    // ---- output ----------------------------------------------------------------------------

    public ObjectNode toJson() {
        ObjectNode root = TraceWriter.JSON.createObjectNode();
        root.put("generatedBy", TraceWriter.SOFTWARE + ", org.proxyinfo.model.VerdictTable");
        root.put("profile", bound.id);
        root.put("bound", bound.describe());
        root.put("alloyScope", bound.scope());
        root.put("twoHopBound", bound.describe(Arch.PIBOUND2HOP));
        root.put("twoHopAlloyScope", bound.command(Arch.PIBOUND2HOP) + "; DEC-4 limit " + TWO_HOP_DEPTH_LIMIT);
        ObjectNode chains = root.putObject("twoHopChainAccepted");
        twoHopChain.forEach((t, sat) -> chains.put(t.id, sat));
        root.put("modelSourceHash", AlloyWorld.sourceHash());
        root.put("driverHash", driverHash);
        root.put("polarity", "C, G and A claims: the property is the claim (HOLDS confirms). R claims: the property is the guarantee "
                + "the claim says is lost (VIOLATED confirms). G4 is existential: checked through G4_NoAcceptedLie; a counterexample is "
                + "the witness, so HOLDS confirms.");
        ArrayNode cl = root.putArray("claims");
        for (Claim c : Claim.values())
            cl.addObject().put("id", c.id).put("text", c.text).put("property", c.property).put("polarity", c.polarity.name());
        ArrayNode th = root.putArray("threatSettings");
        for (ThreatSetting t : ThreatSetting.values()) th.addObject().put("id", t.id).put("alloy", t.alloySet()).put("description", t.description);
        ArrayNode ar = root.putArray("architectures");
        for (Arch a : Arch.values()) ar.addObject().put("id", a.id).put("description", a.description);
        ArrayNode out = root.putArray("cells");
        for (Cell c : cells.values()) {
            ObjectNode o = out.addObject();
            o.put("claim", c.claim().id);
            o.put("architecture", c.arch().id);
            o.put("threat", c.threat().id);
            o.put("property", c.claim().property);
            o.put("propertyVerdict", c.status() == Status.NA ? "N/A" : c.status().name());
            o.put("claimVerdict", c.claimVerdict());
            if (c.status() == Status.NA) {
                o.put("reason", c.naReason());
                continue;
            }
            if (c.status() == Status.HOLDS && c.claim().polarity != Claim.Polarity.EXISTENTIAL)
                o.put("evidence", "no counterexample within the bound");
            else if (c.claim().polarity == Claim.Polarity.EXISTENTIAL)
                o.put("evidence", c.status() == Status.HOLDS ? "witness (counterexample to G4_NoAcceptedLie)" : "no witness within the bound");
            else o.put("evidence", "counterexample");
            o.put("bound", bound.scope(c.arch()));
            if (c.sanity() != null) o.put("sanitySatisfiable", c.sanity());
            if (tightBy.containsKey(c.key()) && c.claim().polarity == Claim.Polarity.RELIANCE) {
                o.put("relianceChecks", "the " + c.claim().namedParty() + "'s checks: " + String.join(", ", c.claim().namedChecks()));
                o.put("brokenByMutant", tightBy.get(c.key()).isEmpty()
                        ? "none (no single removed check of the " + c.claim().namedParty() + "'s breaks it)" : tightBy.get(c.key()));
            } else if (tightBy.containsKey(c.key()))
                o.put("brokenByMutant", tightBy.get(c.key()).isEmpty() ? "none (no single removed check breaks it)" : tightBy.get(c.key()));
            if (c.traceFile() != null) {
                o.put("trace", "traces/" + c.traceFile());
                o.put("traceSessions", c.cexSessions());
            }
            o.put("millis", c.millis() + c.sanityMillis());
            o.put("peakHeapMB", c.peakBytes() >> 20);
            o.put("satVars", c.vars());
            o.put("satClauses", c.clauses());
        }
        ArrayNode mu = root.putArray("mutants");
        for (MutantResult m : mutants) {
            ObjectNode o = mu.addObject();
            o.put("id", m.t().id());
            o.put("claim", m.t().claim().id);
            o.put("architecture", m.t().arch().id);
            o.put("threat", m.t().threat().id);
            o.put("removed", m.t().removed());
            o.put("requirement", m.t().requirement());
            o.put("alloyMutant", m.t().mutant());
            o.put("unmutatedHolds", m.baseHolds());
            o.put("expectCounterexample", m.t().expectCounterexample());
            o.put("counterexample", m.counterexample());
            if (m.traceFile() != null) o.put("trace", "traces/" + m.traceFile());
            o.put("millis", m.millis());
        }
        ObjectNode tot = root.putObject("totals");
        tot.put("cells", cells.size());
        tot.put("decided", cells.values().stream().filter(c -> c.status() != Status.NA).count());
        tot.put("notApplicable", cells.values().stream().filter(c -> c.status() == Status.NA).count());
        tot.put("holdsUntouchedByAnyMutant", tightBy.values().stream().filter(String::isEmpty).count());
        tot.put("parseMillis", parseMillis);
        tot.put("sweepMillis", sweepMillis);
        tot.put("totalMillis", totalMillis);
        return root;
    }

    String sym(Cell c) {
        switch (c.status()) {
            case NA: return "n/a";
            case HOLDS:
                if (c.claim().polarity == Claim.Polarity.RELIANCE)
                    return "**HOLDS** (≤" + bound.sess(c.arch()) + " sessions) · " + c.claimVerdict()
                            + ("".equals(tightBy.get(c.key())) ? " †" : " (relies on: " + tightBy.get(c.key()) + ")");
                return "**HOLDS**" + (c.claim().polarity == Claim.Polarity.EXISTENTIAL ? " (witness)" : " (≤" + bound.sess(c.arch()) + " sessions)")
                    + " · " + c.claimVerdict()
                    + ("".equals(tightBy.get(c.key())) ? " ‡" : tightBy.containsKey(c.key()) ? " (" + tightBy.get(c.key()) + ")" : "");
            default: return (c.claim().polarity == Claim.Polarity.EXISTENTIAL ? "VIOLATED (no witness, ≤" + bound.sess(c.arch()) + " sessions)" : "VIOLATED")
                    + " · " + c.claimVerdict();
        }
    }

    public String toMarkdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("# Verdict table (generated; do not edit)\n\n");
        sb.append("Generated by `org.proxyinfo.model.VerdictTable` from the Alloy model in `model/src/main/resources/alloy/` ")
                .append("(profile `").append(bound.id).append("`). Every HOLDS is bounded: ").append(bound.describe())
                .append(" (Alloy `").append(bound.scope()).append("`). Each HOLDS has a satisfiable sanity run; each VIOLATED ")
                .append("has a counterexample trace under `traces/`.\n\n");
        sb.append("Polarity: C, G and A claims are checked as themselves; R claims through the guarantee they say is lost, so ")
                .append("VIOLATED *confirms* an R claim. G4 (\"a proxy can lie\") is existential: HOLDS means a witness exists.\n\n");
        sb.append(POLARITY_RULES);
        sb.append("## Summary: is the claim confirmed? (per architecture, over its threat settings)\n\n");
        sb.append("| claim |");
        for (Arch a : Arch.values()) sb.append(' ').append(a.id).append(" |");
        sb.append("\n|---|");
        for (Arch a : Arch.values()) sb.append("---|");
        sb.append('\n');
        for (Claim c : Claim.values()) {
            sb.append("| ").append(c.id).append(" |");
            for (Arch a : Arch.values()) {
                List<String> conf = new ArrayList<>(), ref = new ArrayList<>();
                for (ThreatSetting t : ThreatSetting.values()) {
                    Cell x = cell(c, a, t);
                    if (x.status() == Status.NA) continue;
                    (x.claimVerdict().equals("confirmed") ? conf : ref).add(t.id);
                }
                String s;
                if (conf.isEmpty() && ref.isEmpty()) s = "n/a";
                else if (ref.isEmpty()) s = "confirmed (all)";
                else if (conf.isEmpty()) s = "refuted (all)";
                else s = "confirmed: " + String.join(", ", conf) + "; refuted: " + String.join(", ", ref);
                sb.append(' ').append(s).append(" |");
            }
            sb.append('\n');
        }
        for (Arch a : Arch.values()) {
            sb.append("\n## ").append(a.id).append("\n\n").append(a.description).append("\n\n");
            if (a.twoHop())
                sb.append("Bound of this column: ").append(bound.describe(a)).append(" (Alloy `").append(bound.command(a))
                        .append("`). Chains of at most 3 assertions; DEC-4 refuses more than ").append(TWO_HOP_DEPTH_LIMIT).append(".\n\n");
            sb.append("| claim (property) |");
            List<ThreatSetting> ts = new ArrayList<>();
            for (ThreatSetting t : ThreatSetting.values()) if (t.notApplicable(a) == null) ts.add(t);
            for (ThreatSetting t : ts) sb.append(' ').append(t.id).append(" |");
            sb.append("\n|---|");
            for (int i = 0; i < ts.size(); i++) sb.append("---|");
            sb.append('\n');
            for (Claim c : Claim.values()) {
                sb.append("| ").append(c.id).append(" (`").append(c.property).append("`) |");
                for (ThreatSetting t : ts) {
                    Cell x = cell(c, a, t);
                    String s = sym(x);
                    if (x.traceFile() != null) s += " [trace](traces/" + x.traceFile() + ")";
                    sb.append(' ').append(s).append(" |");
                }
                sb.append('\n');
            }
            if (a.twoHop()) {   // the column's own sanity run: two hops do occur in every setting
                sb.append("| sanity: the client commits to the honest chain C-P-P2-S (hop 1 nests hop 2) |");
                for (ThreatSetting t : ts)
                    sb.append(' ').append(!t.trustMismatch() ? (Boolean.TRUE.equals(twoHopChain.get(t)) ? "SAT" : "**UNSAT**")
                            : Boolean.TRUE.equals(twoHopChain.get(t)) ? "**SAT (accepted against DEC-12/DEC-15)**"
                            : "UNSAT: refused, as " + (t == ThreatSetting.HOP2_UNTRUSTED_CLIENT ? "DEC-12 (client's anchors)" : "DEC-15 (P's anchors)")
                            + " requires; refusal reached: " + (Boolean.TRUE.equals(twoHopRefusal.get(t)) ? "SAT" : "**UNSAT**")).append(" |");
                sb.append('\n');
            }
        }
        sb.append("\nThreat settings:\n\n");
        for (ThreatSetting t : ThreatSetting.values()) sb.append("- `").append(t.id).append("`: ").append(t.description).append('\n');
        sb.append("\nn/a reasons:\n\n");
        Map<String, List<String>> reasons = new LinkedHashMap<>();
        for (Cell c : cells.values())
            if (c.status() == Status.NA) reasons.computeIfAbsent(c.naReason(), k -> new ArrayList<>()).add(c.claim().id + "/" + c.arch().id + "/" + c.threat().id);
        for (Map.Entry<String, List<String>> e : reasons.entrySet())
            sb.append("- ").append(e.getKey()).append(" (").append(e.getValue().size()).append(" cells)\n");
        sb.append("\n## Tightness mutants\n\n| id | claim | architecture | threat | check removed | requirement | unmutated | with the check removed |\n|---|---|---|---|---|---|---|---|\n");
        for (MutantResult m : mutants)
            sb.append("| ").append(m.t().id()).append(" | ").append(m.t().claim().id).append(" | ").append(m.t().arch().id).append(" | ")
                    .append(m.t().threat().id).append(" | ").append(m.t().removed()).append(" | ").append(m.t().requirement()).append(" | ")
                    .append(m.baseHolds() ? "HOLDS" : "VIOLATED").append(" | ")
                    .append(m.counterexample() ? "counterexample [trace](traces/" + m.traceFile() + ")" : "no counterexample")
                    .append(m.t().expectCounterexample() ? "" : " (probe)").append(" |\n");
        sb.append("\nTotal: ").append(cells.size()).append(" cells (").append(cells.values().stream().filter(c -> c.status() != Status.NA).count())
                .append(" decided), ").append(mutants.size()).append(" mutants. Times and memory of the generating run are measurements, not evidence: "
                + "they are written to measurements.json beside the generated table (model/target/evidence/model/), not committed.\n");
        return sb.toString();
    }

    /** The summary's polarity rules, written beside the table (issue #11). */
    static final String POLARITY_RULES = """
            Rules of the summary (claims.md "Precision"):

            - A cell is HOLDS only with a satisfiable sanity run whose antecedent is forced; a property whose
              antecedent never occurs in a setting is n/a ("vacuous"), never HOLDS.
            - Summary per architecture: "confirmed (all)" / "refuted (all)" when every decided threat setting
              agrees, otherwise the settings on each side are listed.
            - R claims are modal ("any proxy *may* ..."): an R claim is confirmed for an architecture when some
              threat setting allowed there confirms it; the summary lists which.
            - C1 has two rows: C1S (strict: the client's session is the server's own) and C1 (relayed: agreement
              with the server through the accepted proxy; proxied architectures only).
            - G1 is the conjunction of everything DIRECT guarantees (C1 strict, C2, C3, R5, R6, R8, R9).
            - Tightness: each HOLDS cell names in parentheses the first check (config.als `Mutant`) whose removal
              breaks it; ‡ marks a HOLDS cell that no single removed check breaks.
            - R10 and R11 are about reliance: "the proxy relies on the client" (R10), "the server relies on the
              proxy" (R11) to stop a man in the middle on the client-proxy (R10) or proxy-server (R11) leg. They are
              decided with the attacker on that leg and every party checking (net-c, net-cs for R10; net-s, net-cs
              for R11), and, as before, with the named party's checks skipped by the threat setting (careless-client,
              careless-proxy). A HOLDS cell is swept with the named party's checks only (R10: the client's DEC-8/DEC-9
              checks NoServerCertCheck, NoDEC9, NoDEC10, NoDEC11, NoDEC12, NoDEC5Bind; R11: the proxy's DEC-15
              validation NoProxyValidation): it is confirmed, "(relies on: mutant)", when removing one of them lets the
              man in the middle through, and refuted, †, when none does (someone else's check stops it). A VIOLATED cell
              confirms the claim: the man in the middle gets through even the named party's checks (or with them
              skipped), so nothing else stops it.

            """;

    /** Fields of {@link #toJson()} that are measurements of the generating run (times, memory), not evidence. */
    static final java.util.Set<String> MEASUREMENTS = java.util.Set.of("millis", "peakHeapMB", "parseMillis", "totalMillis", "sweepMillis");

    /** The table without measurements: what is committed and compared (the same on every run of the same model). */
    public ObjectNode toEvidenceJson() {
        ObjectNode root = toJson();
        stripMeasurements(root);
        return root;
    }

    private static void stripMeasurements(com.fasterxml.jackson.databind.JsonNode n) {
        if (n instanceof ObjectNode o) {
            o.remove(MEASUREMENTS);
            o.forEach(VerdictTable::stripMeasurements);
        } else if (n instanceof ArrayNode a) {
            a.forEach(VerdictTable::stripMeasurements);
        }
    }

    /**
     * Writes verdicts.json and verdicts.md (evidence, no measurements) and measurements.json (the
     * same table with times and memory) into dir; the traces go to dir/traces.
     */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("verdicts.json"), TraceWriter.pretty(toEvidenceJson()));
        Files.writeString(dir.resolve("verdicts.md"), toMarkdown());
        Files.writeString(dir.resolve("measurements.json"), TraceWriter.pretty(toJson()));
    }
}
