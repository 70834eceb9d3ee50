package org.proxyinfo.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import org.proxyinfo.conformance.ModelMapping;
import org.proxyinfo.model.Claim;
import org.proxyinfo.model.Conformance;
import org.proxyinfo.pki.PkiDir;
import org.proxyinfo.trace.Trace;
import org.proxyinfo.trace.TraceFormatException;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code proxyinfo check TRACE...}: conformance of implementation traces to the Alloy model
 * (issue #5 item 5, model/README.md "Conformance"). Each trace is mapped to model facts
 * ({@link ModelMapping}, {@link Conformance}); Alloy decides (1) whether the model admits it
 * (the implementation did nothing the model forbids) and (2) which claim properties hold on it.
 * Exit 0 if every trace is admitted and every {@code --require}d property holds; 1 otherwise, a trace
 * outside the model's scope included (the model was not asked, so it is not admitted: fail closed);
 * 2 if a trace or the PKI cannot be read, or a trace shows only one party's view.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Ask the Alloy model whether it admits each trace (the implementation did nothing the model forbids)"
                + " and which claim properties (claims.md C1..A1) hold on it. Exit 0 if all are admitted (and every --require'd"
                + " property holds); 1 if one is not admitted, is outside the model's scope, or a required property does not hold;"
                + " 2 if a trace cannot be read or checked.")
public final class CheckCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "TRACE", arity = "1..*", description = "implementation traces (JSON)")
    List<Path> traces;

    @Option(names = "--pki", paramLabel = "DIR",
            description = "the test PKI the runs used, to tell the model which certificate is whose (default: traces/reference/pki)")
    Path pki;

    @Option(names = "--require", split = ",", paramLabel = "CLAIM",
            description = "claim IDs whose property must hold on every trace (e.g. C1,G3); exit 1 otherwise")
    List<String> require = new ArrayList<>();

    @Option(names = "--alloy", description = "also print the Alloy module the trace was mapped to (self-contained: it opens the model's files)")
    boolean alloy;

    @Option(names = "--alloy-out", paramLabel = "DIR",
            description = "write the model's .als files, the Analyzer entry file analyzer.als, the theme proxyinfo.thm and one module"
                    + " per trace (<trace>.als, commands admit and p_<claim>) into DIR, to open in the Alloy Analyzer")
    Path alloyOut;

    /** One trace's verdict, for the demo and the tests. */
    public record Verdict(Path file, Conformance.Result result, ModelMapping.Setting setting) {
        public Verdict(Path file, Conformance.Result result) {
            this(file, result, null);
        }
        public String summary() {
            Conformance.Result r = result;
            StringBuilder b = new StringBuilder();
            b.append(file.getFileName()).append(" (").append(r.arch().id).append(", threat ")
                    .append(r.threat().isEmpty() ? "none" : String.join("+", r.threat())).append("): ");
            if (!r.inScope()) {
                return b.append("OUT OF SCOPE: ").append(r.outOfScope()).append("; the model was not asked, so the run is NOT ADMITTED")
                        .append(" (fail closed: nothing vouches for it). Check runs the model describes (at most two proxies, legs")
                        .append(" direct or session1 to session3), e.g. the same scenario with fewer hops").toString();
            }
            if (!r.admitted()) {
                b.append("NOT ADMITTED");
                for (String v : r.violations()) {
                    b.append("\n  violation: ").append(v);
                }
                return b.toString();
            }
            b.append("admitted by the model");
            List<String> hold = new ArrayList<>();
            List<String> fail = new ArrayList<>();
            for (Map.Entry<String, Boolean> p : r.properties().entrySet()) {
                (p.getValue() ? hold : fail).add(p.getKey());
            }
            b.append("; properties holding on this run: ").append(hold.isEmpty() ? "none" : String.join(" ", hold));
            b.append("; not holding: ").append(fail.isEmpty() ? "none" : String.join(" ", fail));
            // Polarity (claims.md): an R claim says a guarantee is lost, and G4 says a proxy can lie, so for them a
            // property that does NOT hold confirms the claim. Say so, so nobody has to work it out.
            List<String> confirmedLosses = fail.stream()
                    .filter(id -> Claim.valueOf(id).polarity != Claim.Polarity.IS_CLAIM).toList();
            if (!confirmedLosses.isEmpty()) {
                b.append(" (for ").append(String.join(", ", confirmedLosses))
                        .append(" the property is the guarantee the claim says is lost, so on this run the claim is confirmed)");
            }
            return b.toString();
        }
    }

    /** Checks a trace in memory (the demo's run) with the certificate map of the PKI it ran on. */
    public static Verdict check(Trace t, org.proxyinfo.pki.TestPki pki) throws IOException {
        JsonNode tree = t.toJsonTree();
        ModelMapping.Mapped m = ModelMapping.map(pki, tree);
        String scenario = t.run().path("scenario").asText("run");
        return new Verdict(Path.of(scenario + ".json"), quietly(() -> new Conformance(m.certs()).check(m.trace())), m.setting());
    }

    /** Checks one trace file against the model with the certificate map of {@code pkiDir}. */
    public static Verdict check(Path file, Path pkiDir) throws IOException, TraceFormatException {
        Trace t = Trace.read(file); // the structural checks and a clear message for a bad file
        return check(file, t.toJsonTree(), pkiDir);
    }

    /** Checks a trace (already read) against the model with the certificate map of {@code pkiDir}. */
    public static Verdict check(Path file, JsonNode tree, Path pkiDir) throws IOException {
        return verdict(file, tree, pkiDir, true);
    }

    /** The mapping and the model check of one trace; {@code quiet}: Alloy's SLF4J lines kept off stderr ({@link #quietly}). */
    private static Verdict verdict(Path file, JsonNode tree, Path pkiDir, boolean quiet) throws IOException {
        ModelMapping.Mapped m = ModelMapping.map(new PkiDir(pkiDir), tree);
        java.util.function.Supplier<Conformance.Result> model = () -> new Conformance(m.certs()).check(m.trace());
        return new Verdict(file, quiet ? quietly(model) : model.get(), m.setting());
    }

    /**
     * Runs an Alloy call with the "SLF4J: no binding" lines of Alloy's embedded slf4j 1.x kept off
     * stderr (they are not for people); anything else on stderr passes through.
     */
    static <T> T quietly(java.util.function.Supplier<T> call) {
        java.io.PrintStream old = System.err;
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        synchronized (CheckCommand.class) {
            System.setErr(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
            try {
                return call.get();
            } finally {
                System.setErr(old);
                for (String line : buf.toString(java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                    if (!line.isBlank() && !line.startsWith("SLF4J:")) {
                        old.println(line);
                    }
                }
            }
        }
    }

    /**
     * Checks every trace on {@code threads} threads (each check is one Conformance with its own parsed model): for
     * each trace its Verdict, the reason it cannot be checked (a String), or the exception reading or checking it
     * raised. The caller prints the results in the order the traces were given.
     */
    private java.util.Map<Path, Object> checkAll(Path pkiDir, int threads) {
        java.util.concurrent.ExecutorService ex = java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "check");
            t.setDaemon(true);
            return t;
        });
        try {
            java.util.Map<Path, java.util.concurrent.Future<Object>> fs = new java.util.LinkedHashMap<>();
            for (Path f : traces) {
                fs.put(f, ex.submit(() -> {
                    try {
                        Trace t = Trace.read(f);
                        String why = org.proxyinfo.trace.LiveMerge.uncheckable(t);
                        if (why != null) return why;
                        return verdict(f, t.toJsonTree(), pkiDir, false); // the whole batch runs quietly
                    } catch (Exception e) {
                        return e;
                    }
                }));
            }
            java.util.Map<Path, Object> out = new java.util.HashMap<>();
            for (java.util.Map.Entry<Path, java.util.concurrent.Future<Object>> e : fs.entrySet()) {
                try {
                    out.put(e.getKey(), e.getValue().get());
                } catch (java.util.concurrent.ExecutionException x) {
                    // an Error from the solver or the mapping: this trace is not checked, never admitted
                    out.put(e.getKey(), new IOException("the check failed: " + x.getCause(), x.getCause()));
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                    out.put(e.getKey(), new IOException("interrupted"));
                }
            }
            return out;
        } finally {
            ex.shutdownNow();
        }
    }

    static Path defaultPki() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path p = dir.resolve("traces/reference/pki");
            if (Files.isDirectory(p)) return p;
            dir = dir.getParent();
        }
        return Path.of("traces/reference/pki");
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> unknownClaims = new ArrayList<>();
        for (String id : require) {
            if (java.util.Arrays.stream(Claim.values()).noneMatch(c -> c.id.equals(id.trim()))) {
                unknownClaims.add(id.trim());
            }
        }
        if (!unknownClaims.isEmpty()) {
            err.println("--require: no claim " + String.join(", ", unknownClaims) + "; the claims are "
                    + java.util.Arrays.stream(Claim.values()).map(c -> c.id).collect(java.util.stream.Collectors.joining(", "))
                    + " (proofs/spec/claims.md).");
            err.flush();
            return 2;
        }
        Path pkiDir = pki != null ? pki : defaultPki();
        if (!Files.isDirectory(pkiDir)) {
            err.println("No test PKI at " + pkiDir + ": pass --pki DIR (the PKI the run used), e.g. traces/reference/pki.");
            err.flush();
            return 2;
        }
        for (Path f : traces) {
            if (!Files.isRegularFile(f)) {
                err.println("Cannot read the trace " + f + ": no such file (give the JSON trace a run wrote, e.g. with --trace-dir or --trace).");
                err.flush();
                return 2;
            }
        }
        int worst = 0;
        List<String> outOfScope = new ArrayList<>();
        java.util.Set<Claim> named = java.util.EnumSet.noneOf(Claim.class);
        java.util.Map<Path, Object> checked = java.util.Map.of();
        if (traces.size() > 1) {
            int threads = Math.min(traces.size(), Math.min(4, Runtime.getRuntime().availableProcessors()));
            out.println("Checking " + traces.size() + " traces against the Alloy model, " + threads + " at a time (Alloy solves a SAT"
                    + " problem per trace and property; each trace takes 5-30 seconds)...");
            out.flush();
            checked = quietly(() -> checkAll(pkiDir, threads));
        }
        for (Path f : traces) {
            Verdict v;
            try {
                Object c = checked.get(f);
                if (c instanceof Exception e) throw e;
                // issue 16: never report an architecture the trace does not show (a client's view of a proxied
                // session is not DIRECT); such a trace is refused with the reason and what to do instead
                Trace one = c == null ? Trace.read(f) : null; // one trace: read once, for both the check below and the model
                String why = one != null ? org.proxyinfo.trace.LiveMerge.uncheckable(one) : c instanceof String w ? w : null;
                if (why != null) {
                    err.println(f.getFileName() + ": not checked: " + why);
                    err.flush();
                    return 2;
                }
                if (c == null) {
                    // The model check takes several seconds (Alloy builds and solves the SAT problem): say so first.
                    out.println("Checking " + f.getFileName() + " against the Alloy model (Alloy solves a SAT problem; this takes"
                            + " 5-30 seconds)...");
                    out.flush();
                    v = check(f, one.toJsonTree(), pkiDir);
                } else {
                    v = (Verdict) c;
                }
            } catch (TraceFormatException e) {
                err.println("Cannot read the trace " + e.getMessage());
                err.flush();
                return 2;
            } catch (IOException e) {
                err.println("Cannot check " + f + ": " + e.getMessage());
                err.flush();
                return 2;
            } catch (Exception e) {
                err.println("Cannot check " + f + ": " + e);
                err.flush();
                return 2;
            }
            Conformance.Result r = v.result();
            out.println(v.summary());
            ModelMapping.Setting setting = v.setting();
            if (setting != null && !setting.atoms().isEmpty() && r.inScope()) {
                out.println("  checked in the model's threat setting " + setting.threat() + ", derived from the trace: " + setting.why());
            }
            if (r.admitted()) {
                for (Claim c : Claim.values()) {
                    Boolean h = r.holds(c);
                    if (h == null) continue;
                    // The same words as proofs/model/verdicts.md: the property HOLDS or is VIOLATED, and so the claim is
                    // confirmed or refuted (on this run); the claim is named in words the first time it appears.
                    String name = named.add(c) ? c.id + " (\"" + c.text.replaceAll("\\.$", "") + "\")" : c.id;
                    out.println("  " + name + ": property " + c.property + " " + (h ? "HOLDS" : "VIOLATED") + " on this run, so the claim is "
                            + (c.confirmed(h) ? "confirmed" : "refuted") + " here"
                            + (c.polarity == Claim.Polarity.LOSS ? " (an R claim says this guarantee is lost)" : ""));
                }
            }
            for (String n : r.notes()) {
                out.println("  note: " + n);
            }
            if (!r.inScope()) {
                outOfScope.add(f.getFileName().toString());
            }
            if (!r.admitted()) {
                worst = 1; // out of scope included: a verdict the model did not give is a failure, never a pass
            }
            for (String id : require) {
                Boolean h = r.holds(Claim.valueOf(id.trim()));
                if (!r.inScope()) {
                    out.println("  REQUIRED: the property of " + id.trim() + " was not checked on this run (out of scope)");
                    worst = 1;
                } else if (h == null || !h) {
                    out.println("  REQUIRED: the property of " + id.trim() + " does not hold on this run");
                    worst = 1;
                }
            }
            String module = "check_" + f.getFileName().toString().replaceAll("\\.json$", "").replaceAll("[^A-Za-z0-9_]", "_");
            if (alloy) {
                out.println(org.proxyinfo.model.AlloyWorld.module(module, r.alloy()));
            }
            if (alloyOut != null && !r.alloy().isEmpty()) {
                try {
                    Path written = org.proxyinfo.model.AlloyWorld.writeModel(alloyOut, module, r.alloy());
                    out.println("  Alloy module written to " + written + " (open it in the Alloy Analyzer; run `admit`)");
                } catch (IOException e) {
                    err.println("Cannot write the Alloy module to " + alloyOut + ": " + e.getMessage());
                    err.flush();
                    return 2;
                }
            }
        }
        if (!outOfScope.isEmpty()) {
            out.println(outOfScope.size() + " trace(s) outside the model's abstraction (not checked, so not admitted): "
                    + String.join(", ", outOfScope) + "; see model/README.md \"Not modelled\".");
        }
        out.println(worst == 0 ? "All traces admitted by the model." : "Some traces are not admitted (or outside the model's scope) or a required"
                + " property fails (see above); rerun with --alloy to see the facts given to the model.");
        out.flush();
        return worst;
    }
}
