package org.proxyinfo.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

import org.proxyinfo.demo.RunOptions;
import org.proxyinfo.demo.Scenario;
import org.proxyinfo.demo.ScenarioResult;
import org.proxyinfo.demo.ScenarioRunner;
import org.proxyinfo.demo.Scenarios;
import org.proxyinfo.pki.TestPki;
import org.proxyinfo.proxyinfo.SigningMode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code proxyinfo demo [--attack NAME] [--trace-dir DIR]}: a fresh test PKI, an origin server, the
 * proxy (or two) and the client on loopback; the proxied handshake and one HTTP GET; then, for a
 * person, who authenticated whom and how, the upstream session as the proxy reported it, and the
 * client's decision and why. Exit 0 when every party behaved as the scenario expects and, unless
 * {@code --no-check}, the model admitted the run's trace (fail closed: not admitted, out of the model's
 * scope, or not checkable is exit 1).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the proxied scenario on loopback (fresh test PKI, origin server, proxy, client; one HTTPS GET "
                + "through the proxy) and explain who authenticated whom, what the proxy reported about the upstream session, "
                + "and the client's decision. With --attack NAME, stage one attack and show who refuses it.",
                "Exit status 0 when every party behaved as the scenario expects and the model admitted the run (when asked),"
                + " 1 otherwise, 2 for usage errors."})
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--attack", paramLabel = "NAME", description = "Scenario to run (see --list); default: "
            + Scenarios.DEFAULT + ", the honest proxied one.")
    String attack;

    @Option(names = "--list", description = "List the scenarios and exit.")
    boolean list;

    @Option(names = "--all", description = "Run every scenario, one summary line each.")
    boolean all;

    @Option(names = "--trace-dir", paramLabel = "DIR",
            description = "Write one JSON trace per leg and a merged one to DIR/NAME/, NAME being the scenario (traces/README.md).")
    Path traceDir;

    @Option(names = "--check", negatable = true, description = "Ask the Alloy model whether it admits the run and which"
            + " claims hold on it (issue #5; takes seconds per scenario; same as `proxyinfo check` on the run's trace)."
            + " On by default for one scenario, off for --all; --no-check skips it.")
    Boolean check;

    @Option(names = "--signing", paramLabel = "MODE", defaultValue = "bound",
            description = "Assertion signing mode for scenarios that do not fix one: bound (default, DEVIATION (DEC-5)) or "
                    + "draft-literal.")
    String signing;

    /** Asks the model about one run's trace ({@link CheckCommand#check(org.proxyinfo.trace.Trace, TestPki)}). */
    @FunctionalInterface
    interface ModelCheck {
        CheckCommand.Verdict check(org.proxyinfo.trace.Trace trace, TestPki pki) throws java.io.IOException;
    }

    private final ModelCheck model;

    public DemoCommand() {
        this(CheckCommand::check);
    }

    /** For tests: another answer from the model than a real check's. */
    DemoCommand(ModelCheck model) {
        this.model = model;
    }

    @Override
    public Integer call() {
        PrintStream out = System.out;
        if (list) {
            out.println("Scenarios (demo --attack NAME):");
            for (Scenario s : Scenarios.all()) {
                out.printf("  %-32s %s%n", s.name(), s.description());
                out.printf("  %-32s expected: %s%n", "", s.expected());
            }
            return 0;
        }
        SigningMode mode;
        List<Scenario> chosen;
        try {
            mode = SigningMode.fromConfig(signing);
            chosen = all ? Scenarios.all() : List.of(Scenarios.byName(attack == null ? Scenarios.DEFAULT : attack));
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        long t0 = System.nanoTime();
        out.println("Making a fresh test PKI (web root CA -> intermediate -> origin certificates; proxy CA -> proxy certificates;"
                + " an interception CA for mint mode) ...");
        TestPki pki = TestPki.generate(new SecureRandom(), Instant.now());
        boolean checkWithModel = check != null ? check : !all;
        if (traceDir == null && !all) {
            // The main job writes the run's trace even when no directory is given, so it can be read and compared.
            try {
                traceDir = java.nio.file.Files.createTempDirectory("proxyinfo-demo-");
            } catch (java.io.IOException e) {
                System.err.println("error: cannot create a directory for the traces: " + e.getMessage()
                        + "; give one with --trace-dir DIR");
                return 2;
            }
        }
        if (traceDir != null) {
            // The traces name certificates by hash; the PKI beside them lets `check --pki` map them to the model.
            try {
                pki.writeTo(traceDir.resolve("pki"));
            } catch (java.io.IOException e) {
                System.err.println("error: cannot write the test PKI to " + traceDir.resolve("pki") + ": " + e.getMessage());
                return 2;
            }
        }
        RunOptions options = RunOptions.of(pki).signingMode(mode).traceDir(traceDir);
        int failed = 0;
        int notAdmitted = 0;
        for (Scenario s : chosen) {
            ScenarioResult r = ScenarioRunner.run(s, options);
            if (all) {
                out.printf("%-4s %-32s %s%n", r.passed() ? "ok" : "FAIL", s.name(), r.passed() ? s.expected()
                        : String.join("; ", r.mismatches()));
            } else {
                out.println();
                out.print(r.summary());
            }
            if (!r.passed()) {
                failed++;
            }
            if (checkWithModel && r.trace() != null) {
                try {
                    out.println("Checking the run's trace against the Alloy model (Alloy solves a SAT problem; 5-30 s) ...");
                    out.flush();
                    CheckCommand.Verdict v = model.check(r.trace(), pki);
                    out.println("Model check: " + v.summary());
                    // Fail closed: a run the model does not admit (or could not be asked about) is not a success.
                    if (!v.result().inScope() || !v.result().admitted()) {
                        notAdmitted++;
                        out.println("The model did not admit this run: the implementation and the model disagree. Keep the"
                                + " trace (--trace-dir) and report it with `proxyinfo check` on it.");
                    }
                } catch (java.io.IOException e) {
                    notAdmitted++;
                    out.println("Model check not possible: " + e.getMessage() + " (the run is not counted as a success;"
                            + " --no-check runs the demo without the model)");
                }
            }
        }
        if (traceDir != null) {
            out.println();
            String merged = traceDir + "/" + chosen.get(0).name() + "/merged.json";
            out.println("Traces written to " + (chosen.size() == 1 ? traceDir.resolve(chosen.get(0).name()) + "/"
                    : traceDir + "/NAME/ for each scenario NAME") + " (merged.json and one file per leg), the run's test PKI to "
                    + traceDir.resolve("pki") + ". Next:");
            out.println("  java -jar impl/target/proxyinfo.jar trace show " + merged);
            out.println("  java -jar impl/target/proxyinfo.jar check " + merged + " --pki " + traceDir + "/pki");
        }
        out.println();
        List<String> why = new java.util.ArrayList<>();
        if (failed > 0) {
            why.add(failed + " scenario(s) not as expected");
        }
        if (notAdmitted > 0) {
            why.add("the model did not admit " + notAdmitted + " run(s)");
        }
        out.printf("Demo %s in %.1f s.%s%n", why.isEmpty() ? "succeeded" : "FAILED (" + String.join("; ", why) + ")",
                (System.nanoTime() - t0) / 1e9, why.isEmpty() && !all && attack == null
                        ? " Try `demo --list` and `demo --attack forged-signature`." : "");
        return why.isEmpty() ? 0 : 1;
    }
}
