package org.proxyinfo.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Dolev-Yao attacker in time (issue #11 item 1), decided by SPIN: runs the Promela model
 * {@code promela/dy.pml} (a resource, so it ships in the jar) once per (architecture, threat
 * setting, mutant, property, sanity) with {@code spin -a -D...}, compiles the verifier with
 * {@code gcc -O0 -DSAFETY -DCOLLAPSE} (exhaustive: never BITSTATE or hash-compact, which are
 * approximate; COLLAPSE compression is lossless; -O0 because compiling pan.c with -O2 takes longer
 * than the searches of the default bound) and runs {@code ./pan -m<depth> -w20 -E -n} (-E: a
 * process left waiting for a dropped message is not an error; only assertions are) in a
 * temporary directory that is deleted afterwards.
 *
 * <p>Verdicts: HOLDS only if pan printed "errors: 0", the search completed (no "max search depth
 * too small", no "out of memory", no "search not completed") and its statistics were parsed;
 * VIOLATED only with "errors: 1" and a trail file; anything else (timeout, missing tool, parse
 * failure) is UNKNOWN, which every test treats as a failure.
 */
public final class DolevYao {
    public enum Status { HOLDS, VIOLATED, UNKNOWN }

    /** Sessions of the client, the proxy and the origin server, and pan's depth limit. */
    public record Sessions(int nc, int np, int ns, int depth) {
        public String describe() { return nc + " C, " + np + " P, " + ns + " S sessions; depth limit " + depth; }
    }

    public static final Sessions DEFAULT = new Sessions(1, 1, 1, 10000);
    /** Two proxy and two server sessions: replays across sessions of the proxy (NoDEC5 needs it). */
    public static final Sessions TWO = new Sessions(1, 2, 2, 10000);
    /** Two proxy sessions, one server session: the smallest bound where an assertion can be spliced from one
     *  proxy run into another (the BIND checks; the second run may go upstream to the attacker's host). */
    public static final Sessions SPLICE = new Sessions(1, 2, 1, 10000);

    /** One check. arch: DIRECT, PI-00, PI-01, PI-00+DEC9, PI-01+DEC9 or PI-BOUND; threat: none, corrupt, misissue; mutant: "" or a define. */
    public record Check(String prop, String arch, String threat, String mutant, boolean sanity, Sessions bound) {
        public String key() {
            return prop + (sanity ? " sanity" : "") + " | " + arch + " | " + threat + " | " + (mutant.isEmpty() ? "-" : mutant);
        }

        List<String> defines() {
            List<String> d = new ArrayList<>();
            switch (arch) {
                case "DIRECT" -> { }
                case "PI-BOUND" -> d.add("-DARCH_PI");
                case "PI-00" -> { d.add("-DARCH_PI"); d.add("-DREV00"); }   // the assertion of draft -00 (DEC-1, DEC-5 draft-literal)
                case "PI-01" -> { d.add("-DARCH_PI"); d.add("-DREV01"); }   // the assertion of draft -01
                // the drafts' assertions with DEC-9's proxy trust anchor: isolates what DEC-5's binding adds
                case "PI-00+DEC9" -> { d.add("-DARCH_PI"); d.add("-DREV00"); d.add("-DANCHOR"); }
                case "PI-01+DEC9" -> { d.add("-DARCH_PI"); d.add("-DREV01"); d.add("-DANCHOR"); }
                default -> throw new IllegalArgumentException("architecture " + arch);
            }
            if (threat.equals("corrupt")) d.add("-DTHREAT_CORRUPT");
            if (threat.equals("misissue")) d.add("-DTHREAT_MISISSUE");
            d.add("-DPROP_" + prop);
            if (sanity) d.add("-DSANITY");
            if (!mutant.isEmpty()) d.add("-D" + mutant);
            d.add("-DNC=" + bound.nc());
            d.add("-DNP=" + bound.np());
            d.add("-DNS=" + bound.ns());
            return d;
        }
    }

    /** The outcome of one check, with its measurements (states, depth, memory, time). */
    public record Result(Check check, Status status, long states, int depthReached, double memoryMB, long millis,
                         List<String> trail, String detail) {}

    private DolevYao() {}

    /** The model source, from the classpath. */
    public static String model() throws IOException {
        try (InputStream in = DolevYao.class.getResourceAsStream("/promela/dy.pml")) {
            if (in == null) throw new IOException("promela/dy.pml is not on the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Whether spin and gcc can be run; null if so, else a one-line reason. */
    public static String toolsMissing() {
        for (String tool : new String[] {"spin", "gcc"}) {
            try {
                Process p = new ProcessBuilder(tool, tool.equals("spin") ? "-V" : "--version").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (!p.waitFor(30, TimeUnit.SECONDS)) { p.destroyForcibly(); return tool + " did not answer"; }
            } catch (IOException | InterruptedException e) {
                return tool + " is not installed: run .ci/setup (it installs spin and gcc)";
            }
        }
        return null;
    }

    static final Pattern ERRORS = Pattern.compile("errors: (\\d+)");
    static final Pattern STATES = Pattern.compile("(\\d+) states, stored");
    static final Pattern DEPTH = Pattern.compile("depth reached (\\d+)");
    static final Pattern MEMORY = Pattern.compile("([\\d.]+)\\s+total actual memory usage");

    /** pan's memory limit (MB) for every check of the table. */
    static final int MEMORY_LIMIT_MB = 2048;

    /** Runs one check; never throws for a failed run (it is UNKNOWN with the reason). */
    public static Result run(Check c, long timeoutSeconds) {
        return run(c, timeoutSeconds, MEMORY_LIMIT_MB);
    }

    /** {@link #run(Check, long)} with pan's memory limit in MB (tests use a small one). */
    static Result run(Check c, long timeoutSeconds, int memoryLimitMB) {
        long t0 = System.nanoTime();
        Path dir = null;
        try {
            dir = Files.createTempDirectory("dy-spin");
            Files.writeString(dir.resolve("dy.pml"), model());
            List<String> spin = new ArrayList<>(List.of("spin", "-a"));
            spin.addAll(c.defines());
            spin.add("dy.pml");
            Out o = exec(dir, spin, timeoutSeconds);
            if (o.timedOut) return unknown(c, t0, "timeout after " + timeoutSeconds + " s (spin -a)");
            if (o.rc != 0) return unknown(c, t0, "spin -a failed: " + o.text);
            o = exec(dir, List.of("gcc", "-O0", "-DSAFETY", "-DCOLLAPSE", "-DMEMLIM=" + memoryLimitMB, "-w", "-o", "pan", "pan.c"), timeoutSeconds);
            if (o.timedOut) return unknown(c, t0, "timeout after " + timeoutSeconds + " s (gcc)");
            if (o.rc != 0) return unknown(c, t0, "gcc failed: " + o.text);
            o = exec(dir, List.of("./pan", "-m" + c.bound().depth(), "-w20", "-E", "-n"), timeoutSeconds);
            String out = o.text;
            if (o.timedOut) return unknown(c, t0, "timeout after " + timeoutSeconds + " s");
            if (o.rc != 0) return unknown(c, t0, "pan exited with " + o.rc + ": " + out);
            // pan's messages differ in case between versions ("Warning: Search not completed"): compared in lower case.
            String lower = out.toLowerCase(java.util.Locale.ROOT);
            if (lower.contains("reached -dmemlim bound")) return unknown(c, t0, "pan: memory limit reached (" + memoryLimitMB + " MB)");
            for (String bad : new String[] {"max search depth too small", "out of memory", "aborted"})
                if (lower.contains(bad)) return unknown(c, t0, "pan: " + bad);
            // pan also says "Search not completed" when it stops at the first counterexample; only a search without
            // one must have been completed.
            boolean incomplete = lower.contains("search not completed");
            Matcher e = ERRORS.matcher(out), s = STATES.matcher(out), d = DEPTH.matcher(out), m = MEMORY.matcher(out);
            if (!(e.find() && s.find() && d.find() && m.find())) return unknown(c, t0, "pan output not parsed: " + out);
            int errors = Integer.parseInt(e.group(1));
            long states = Long.parseLong(s.group(1));
            int depth = Integer.parseInt(d.group(1));
            double mem = Double.parseDouble(m.group(1));
            if (depth >= c.bound().depth()) return unknown(c, t0, "depth limit reached");
            boolean trail = Files.exists(dir.resolve("dy.pml.trail"));
            if (errors == 0 && !trail && incomplete) return unknown(c, t0, "pan: search not completed, no counterexample");
            if (errors == 0 && !trail)
                return new Result(c, Status.HOLDS, states, depth, mem, ms(t0), List.of(), "");
            if (errors == 1 && trail) {
                List<String> replay = new ArrayList<>(List.of("spin", "-t"));
                replay.addAll(c.defines());
                replay.add("dy.pml");
                Out t = exec(dir, replay, timeoutSeconds);
                if (t.timedOut) return unknown(c, t0, "timeout after " + timeoutSeconds + " s (trail replay)");
                List<String> events = new ArrayList<>();
                for (String line : t.text.split("\n")) {
                    String l = line.strip();
                    if (l.startsWith("EV ")) events.add(l.substring(3));
                    else if (l.contains("assertion violated")) {
                        events.add(l.replaceAll("\\s+", " "));
                        break; // the replay goes on after the violation; the counterexample ends here
                    }
                }
                if (events.stream().noneMatch(x -> x.contains("assertion violated")))
                    return unknown(c, t0, "the trail does not replay to the assertion: " + t.text);
                return new Result(c, Status.VIOLATED, states, depth, mem, ms(t0), events, "");
            }
            return unknown(c, t0, "errors: " + errors + ", trail: " + trail);
        } catch (IOException e) {
            return unknown(c, t0, e.toString());
        } finally {
            if (dir != null) delete(dir);
        }
    }

    private static long ms(long t0) { return (System.nanoTime() - t0) / 1_000_000; }

    private static Result unknown(Check c, long t0, String why) {
        return new Result(c, Status.UNKNOWN, -1, -1, -1, ms(t0), List.of(), why);
    }

    private record Out(int rc, String text, boolean timedOut) {}

    /** Runs a command in dir; kills it (and its children) on timeout. */
    private static Out exec(Path dir, List<String> cmd, long timeoutSeconds) throws IOException {
        Path log = dir.resolve("out-" + System.nanoTime() + ".txt");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                return new Out(-1, "", true);
            }
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Out(-1, "", true);
        }
        return new Out(p.exitValue(), Files.readString(log), false);
    }

    private static void delete(Path dir) {
        try (var s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> { try { Files.delete(p); } catch (IOException ignored) { } });
        } catch (IOException ignored) {
        }
    }

    /** The verdict table (evidence: no times, no state counts that could vary with the tool build). */
    public static String markdown(List<Result> results, String boundName) {
        StringBuilder b = new StringBuilder();
        b.append("# Dolev-Yao model in time (SPIN): verdicts\n\n");
        b.append("Generated by `DolevYaoTest` from `model/src/main/resources/promela/dy.pml` (bound: ").append(boundName)
                .append("). Regenerate with `-Dmodel.update=true`; the build compares this file. Times, states and memory are ")
                .append("measurements: printed by the test, not written here.\n\n");
        b.append("A `sanity` row asserts that the property's antecedent never occurs: VIOLATED there means the antecedent ")
                .append("(the honest Commit, the key material, the accepted assertion) is reachable, so the HOLDS beside it is not vacuous.\n\n");
        b.append("Against the Alloy table (`proofs/model/verdicts.md`), PI-00 and PI-01: no cell disagrees. C1S is refuted in both; ")
                .append("C1R and C3 are VIOLATED here (one attacker on every link, like the table's net-cs) because the drafts' literal ")
                .append("proxy trust accepts the attacker's web certificate, as in the table's net-c and net-cs cells; the table's C1 HOLDS ")
                .append("under net-s matches the `+DEC9` rows (a spliced assertion does not reach the Commit: the Finished covers it). ")
                .append("BIND (key material leaves under another proxy run's assertion) needs time and has no Alloy cell; the Alloy row R5 ")
                .append("(a proxy may drop extensions) is another property than R5 here (a stripped or added offer is detected). ")
                .append("Reasons: model/README.md, \"Model v2: status\".\n\n");
        b.append("| property | architecture | threat | mutant | sanity | verdict | bound |\n|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            Check c = r.check();
            b.append("| ").append(c.prop()).append(" | ").append(c.arch()).append(" | ").append(c.threat()).append(" | ")
                    .append(c.mutant().isEmpty() ? "-" : c.mutant()).append(" | ").append(c.sanity() ? "sanity" : "").append(" | ")
                    .append(r.status()).append(" | ").append(c.bound().describe()).append(" |\n");
        }
        return b.toString();
    }
}
