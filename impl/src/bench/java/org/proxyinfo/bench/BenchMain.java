package org.proxyinfo.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Runs JMH with the command-line arguments (as {@code org.openjdk.jmh.Main} does), then prints
 * every ratio with its error, one line per goal of issue #14 with PASS or FALLS SHORT, and writes
 * everything, with a description of the machine and the commit, to
 * {@code impl/target/bench/results.json} (or {@code -Dbench.out=FILE}).
 *
 * <p>A ratio's error is propagated from the two JMH scores' 99.9 % confidence half-widths
 * (relative errors added in quadrature). A goal counts only if both of its scores were measured
 * with at least 2 forks and 5 measurement iterations; otherwise its line says NOT MEASURED.
 * PASS means the ratio meets the goal; when the ratio minus its error does not, the line says so
 * ("within the error").
 */
public final class BenchMain {
    private BenchMain() { }

    static final int MIN_FORKS = 2;
    static final int MIN_ITERATIONS = 5;

    /** One benchmark's result. */
    record Score(String key, double score, double error, String unit, int forks, int iterations, Double allocBytes) {
        boolean trusted() {
            return forks >= MIN_FORKS && iterations >= MIN_ITERATIONS;
        }
    }

    /** A ratio a / b with its error. */
    record Ratio(String what, Score a, Score b, double value, double error) { }

    /** A goal: ratio value must be &gt;= (or &lt;= when {@code atMost}) the bound. */
    record Goal(String what, Ratio ratio, double bound, boolean atMost) {
        String verdict() {
            if (ratio == null) {
                return "NOT MEASURED";
            }
            if (!ratio.a().trusted() || !ratio.b().trusted()) {
                return "NOT MEASURED (needs -f " + MIN_FORKS + " -i " + MIN_ITERATIONS + " or more)";
            }
            boolean meets = atMost ? ratio.value() <= bound : ratio.value() >= bound;
            boolean surely = atMost ? ratio.value() + ratio.error() <= bound : ratio.value() - ratio.error() >= bound;
            return meets ? (surely ? "PASS" : "PASS (within the error)") : (surely ? "FALLS SHORT (within the error)" : "FALLS SHORT");
        }
    }

    public static void main(String[] args) throws Exception {
        String loadBefore = loadAverage();
        Instant started = Instant.now();
        CommandLineOptions opts = new CommandLineOptions(args);
        Collection<RunResult> results = new Runner(opts).run();
        Map<String, Score> s = new LinkedHashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark().replaceAll(".*\\.(\\w+Bench)\\.", "$1.");
            String param = "";
            for (String k : r.getParams().getParamsKeys()) {
                param = r.getParams().getParam(k);
            }
            String key = name + (param.isEmpty() ? "" : "[" + param + "]");
            Result<?> primary = r.getPrimaryResult();
            Result<?> a = r.getSecondaryResults().get("gc.alloc.rate.norm");
            double err = primary.getScoreError();
            s.put(key, new Score(key, primary.getScore(), Double.isNaN(err) ? 0 : err, primary.getScoreUnit(),
                    r.getParams().getForks(), r.getParams().getMeasurement().getCount(), a == null ? null : a.getScore()));
        }
        String loadAfter = loadAverage();

        List<Ratio> ratios = new ArrayList<>();
        Ratio hsSun = ratio(ratios, s, "HandshakeBench.handshake[ours]", "HandshakeBench.handshake[sunjsse]", "full handshakes/s ours / SunJSSE");
        ratio(ratios, s, "HandshakeBench.handshake[ours]", "HandshakeBench.handshake[bcjsse]", "full handshakes/s ours / BCJSSE");
        ratio(ratios, s, "HandshakeBench.handshake[ours-norevocation]", "HandshakeBench.handshake[sunjsse]",
                "handshakes/s ours (no CRL check, as JSSE) / SunJSSE");
        ratio(ratios, s, "HandshakeBench.handshake[ours]", "HandshakeFloorBench.publicKeyFloor",
                "handshake rate / public-key floor rate");
        Ratio proxied = ratio(ratios, s, "ProxyHandshakeBench.handshake[proxied]", "ProxyHandshakeBench.handshake[direct]",
                "proxied / direct handshakes/s");
        Ratio bulkSun = ratio(ratios, s, "BulkBench.echo64k[ours-direct]", "BulkBench.echo64k[sunjsse-direct]", "bulk echo ours / SunJSSE");
        ratio(ratios, s, "BulkBench.echo64k[ours-direct]", "BulkBench.echo64k[bcjsse-direct]", "bulk echo ours / BCJSSE");
        Ratio relay = ratio(ratios, s, "BulkBench.echo64k[ours-proxied]", "BulkBench.echo64k[ours-direct]", "relay (bulk through the proxy) / direct");
        Ratio alloc = allocRatio(ratios, s, "BulkBench.echo64k[ours-direct]", "BulkBench.echo64k[sunjsse-direct]",
                "allocation per 64 KiB echo ours / SunJSSE");

        List<Goal> goals = List.of(
                new Goal("bulk echo ours / SunJSSE >= 1.0", bulkSun, 1.0, false),
                new Goal("relay / direct >= 0.9", relay, 0.9, false),
                new Goal("allocation per 64 KiB echo <= 2 x SunJSSE's", alloc, 2.0, true),
                new Goal("proxied / direct handshakes >= 0.45", proxied, 0.45, false),
                new Goal("full handshakes ours / SunJSSE >= 3", hsSun, 3.0, false));

        System.out.println();
        System.out.println("Scores (JMH, error = 99.9 % confidence half-width):");
        for (Score x : s.values()) {
            System.out.printf(Locale.ROOT, "  %-50s %10.1f ± %-8.1f %s  (%d forks x %d iterations)%s%n", x.key(), x.score(), x.error(), x.unit(),
                    x.forks(), x.iterations(), x.allocBytes() == null ? "" : String.format(Locale.ROOT, ", %.0f KB/op allocated", x.allocBytes() / 1024));
        }
        System.out.println("Ratios (higher = ours faster, except allocation):");
        for (Ratio r : ratios) {
            System.out.printf(Locale.ROOT, "  %-55s %6.2f ± %.2f%n", r.what(), r.value(), r.error());
        }
        System.out.println("Goals (issue #14):");
        for (Goal g : goals) {
            System.out.printf(Locale.ROOT, "  %-50s %s  %s%n", g.what(), g.ratio() == null ? "   -" :
                    String.format(Locale.ROOT, "%6.2f ± %.2f", g.ratio().value(), g.ratio().error()), g.verdict());
        }
        Path out = Path.of(System.getProperty("bench.out", "target/bench/results.json"));
        write(out, s, ratios, goals, args, started, loadBefore, loadAfter);
        System.out.println("Written: " + out.toAbsolutePath());
    }

    private static Ratio ratio(List<Ratio> list, Map<String, Score> s, String a, String b, String what) {
        Score x = s.get(a);
        Score y = s.get(b);
        if (x == null || y == null || y.score() == 0) {
            return null;
        }
        double v = x.score() / y.score();
        double e = v * Math.sqrt(sq(x.error() / x.score()) + sq(y.error() / y.score()));
        Ratio r = new Ratio(what, x, y, v, e);
        list.add(r);
        return r;
    }

    /** Allocation per operation: JMH's gc profiler gives no error for the normalised rate; it is stable (±1 %). */
    private static Ratio allocRatio(List<Ratio> list, Map<String, Score> s, String a, String b, String what) {
        Score x = s.get(a);
        Score y = s.get(b);
        if (x == null || y == null || x.allocBytes() == null || y.allocBytes() == null || y.allocBytes() == 0) {
            return null;
        }
        double v = x.allocBytes() / y.allocBytes();
        Ratio r = new Ratio(what, x, y, v, v * 0.02);
        list.add(r);
        return r;
    }

    private static double sq(double d) {
        return d * d;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return String.valueOf(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    private static String memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return "unknown";
    }

    private static String commit() {
        String c = System.getProperty("bench.commit");
        if (c != null && !c.isEmpty()) {
            return c;
        }
        try {
            Process p = new ProcessBuilder("git", "describe", "--always", "--dirty", "--abbrev=40").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 ? out : "unknown";
        } catch (IOException | InterruptedException e) {
            return "unknown";
        }
    }

    private static void write(Path file, Map<String, Score> s, List<Ratio> ratios, List<Goal> goals, String[] args,
                              Instant started, String loadBefore, String loadAfter) throws IOException {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = m.createObjectNode();
        root.put("started", started.toString());
        root.put("finished", Instant.now().toString());
        root.put("commit", commit());
        root.put("jmhArguments", String.join(" ", args));
        ObjectNode machine = root.putObject("machine");
        machine.put("cpu", cpuModel());
        machine.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        machine.put("memory", memTotal());
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        machine.put("loadAverageBefore", loadBefore);
        machine.put("loadAverageAfter", loadAfter);
        ArrayNode scores = root.putArray("scores");
        for (Score x : s.values()) {
            ObjectNode o = scores.addObject();
            o.put("benchmark", x.key());
            o.put("score", x.score());
            o.put("error", x.error());
            o.put("unit", x.unit());
            o.put("forks", x.forks());
            o.put("measurementIterations", x.iterations());
            if (x.allocBytes() != null) {
                o.put("allocatedBytesPerOp", x.allocBytes());
            }
        }
        ArrayNode rs = root.putArray("ratios");
        for (Ratio r : ratios) {
            ObjectNode o = rs.addObject();
            o.put("ratio", r.what());
            o.put("value", r.value());
            o.put("error", r.error());
            o.put("numerator", r.a().key());
            o.put("denominator", r.b().key());
        }
        ArrayNode gs = root.putArray("goals");
        for (Goal g : goals) {
            ObjectNode o = gs.addObject();
            o.put("goal", g.what());
            if (g.ratio() != null) {
                o.put("value", g.ratio().value());
                o.put("error", g.ratio().error());
            }
            o.put("verdict", g.verdict());
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        m.writeValue(file.toFile(), root);
    }
}
