package org.proxyinfo.cli;

import org.proxyinfo.trace.PcapImporter;
import org.proxyinfo.trace.SequenceSvg;
import org.proxyinfo.trace.SequenceText;
import org.proxyinfo.trace.Trace;
import org.proxyinfo.trace.TraceDiff;
import org.proxyinfo.trace.TraceFormatException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code proxyinfo trace ...}: read, compare, draw and import JSON traces
 * (traces/schema/trace.schema.json, traces/README.md).
 * Exit codes: 0 success (for diff: equal), 1 diff found a difference, 2 a file could not be read
 * or written, or the import failed.
 */
@Command(name = "trace",
        description = "Show, compare, draw and import JSON traces (see traces/README.md).",
        mixinStandardHelpOptions = true,
        subcommands = {TraceCommand.Show.class, TraceCommand.Diff.class, TraceCommand.Render.class,
                TraceCommand.Import.class, TraceCommand.Merge.class, TraceCommand.KeyLog.class, TraceCommand.Pcap.class,
                TraceCommand.Regenerate.class})
public final class TraceCommand implements Runnable {
    static final int OK = 0;
    static final int DIFFERENT = 1;
    static final int FAILED = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** "proxyinfo 0.1.0" from Main's version string. */
    static String softwareVersion() {
        Command c = Main.class.getAnnotation(Command.class);
        String v = c != null && c.version().length > 0 ? c.version()[0] : "proxyinfo";
        int paren = v.indexOf(" (");
        return paren > 0 ? v.substring(0, paren) : v;
    }

    static Trace readOrReport(Path file, PrintWriter err) {
        java.util.List<Path> listed = indexFiles(file);
        if (listed != null) {
            err.println(file + " is an index of " + listed.size() + " connection trace(s), not a trace: "
                    + (listed.isEmpty() ? "no connection has finished yet." : "give one of "
                    + String.join(", ", listed.stream().map(Path::toString).toList()) + ", or merge one with the client's: "
                    + "proxyinfo trace merge client.json " + file + " ... --out run.json"));
            err.flush();
            return null;
        }
        try {
            return Trace.read(file);
        } catch (TraceFormatException e) {
            err.println("Cannot read the trace " + e.getMessage());
            err.println("A trace is a JSON file written by the proxyinfo roles, the model or `trace import`"
                    + " (schema: traces/schema/trace.schema.json).");
            err.flush();
            return null;
        }
    }

    /** The connection files of an index ({@code --trace} of a server or proxy), or null if FILE is not an index. */
    static java.util.List<Path> indexFiles(Path file) {
        try {
            com.fasterxml.jackson.databind.JsonNode root = org.proxyinfo.trace.TraceJson.parse(
                    org.proxyinfo.io.TextFiles.read(file, org.proxyinfo.io.TextFiles.TRACE_LIMIT, "a trace"));
            return org.proxyinfo.trace.ConnectionTraces.isIndex(root) ? org.proxyinfo.trace.ConnectionTraces.files(file, root) : null;
        } catch (IOException | RuntimeException e) {
            return null; // not readable as JSON: Trace.read says why
        }
    }

    static boolean write(Path out, String content, PrintWriter err) {
        try {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(out, content, StandardCharsets.UTF_8);
            return true;
        } catch (IOException e) {
            err.println("Cannot write " + out + ": " + e.getMessage());
            err.flush();
            return false;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print a trace as a message-sequence view: one column per role, arrows per message,"
                    + " checks (+ passed, X failed), claims (*), secrets (k) and outcomes inline, a summary at the end.")
    static final class Show implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "FILE", description = "the trace (JSON)") Path file;
        @Option(names = "--no-transitions", description = "leave out the state transitions") boolean noTransitions;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            Trace t = readOrReport(file, err);
            if (t == null) {
                return FAILED;
            }
            PrintWriter out = spec.commandLine().getOut();
            out.print(SequenceText.render(t, !noTransitions));
            out.flush();
            return OK;
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true,
            description = {"Compare two traces and print where B first departs from A: each party's events message by message and"
                    + " field by field, ignoring randoms, keys, signatures, raw bytes and timings (--exact keeps them).",
                    "Exit 0 if equal, 1 if different, 2 if a file cannot be read."})
    static final class Diff implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Parameters(index = "0", paramLabel = "A", description = "the first trace (JSON)") Path a;
        @Parameters(index = "1", paramLabel = "B", description = "the second trace (JSON), compared with A") Path b;
        @Option(names = "--events-only", description = "with --exact: ignore the run metadata (software version, configuration)")
        boolean eventsOnly;
        @Option(names = "--exact", description = "compare everything, byte for byte, in order: randoms, keys, signatures, raw"
                + " bytes and the run metadata too (default: per party, message by message and field by field, without those)")
        boolean exact;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            Trace ta = readOrReport(a, err);
            Trace tb = ta == null ? null : readOrReport(b, err);
            if (ta == null || tb == null) {
                return FAILED;
            }
            if (!exact) {
                org.proxyinfo.trace.SemanticDiff.Result sr = org.proxyinfo.trace.SemanticDiff.compare(ta, tb, label(ta, a), label(tb, b));
                PrintWriter out = spec.commandLine().getOut();
                out.print(org.proxyinfo.trace.SemanticDiff.report(sr));
                out.flush();
                return sr.equal() ? OK : DIFFERENT;
            }
            TraceDiff.Result r = TraceDiff.compare(ta, tb, eventsOnly);
            PrintWriter out = spec.commandLine().getOut();
            out.print(TraceDiff.report(r, a.toString(), b.toString()));
            out.flush();
            return r.equal() ? OK : DIFFERENT;
        }
    }

    /** A trace's name for people: its scenario, else its file name. */
    static String label(Trace t, Path f) {
        String s = t.run().path("scenario").asText("");
        return s.isEmpty() ? f.getFileName().toString() : s;
    }

    @Command(name = "render", mixinStandardHelpOptions = true,
            description = "Write a self-contained HTML page with an SVG sequence diagram of the trace"
                    + " (open it in any browser; it loads nothing from elsewhere).")
    static final class Render implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "FILE", description = "the trace (JSON)") Path file;
        @Option(names = "--out", required = true, paramLabel = "F.html", description = "the HTML file to write") Path out;
        @Option(names = "--no-transitions", description = "leave out the state transitions") boolean noTransitions;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            Trace t = readOrReport(file, err);
            if (t == null || !write(out, SequenceSvg.html(t, !noTransitions), err)) {
                return FAILED;
            }
            spec.commandLine().getOut().println("Wrote " + out + " (" + t.events().size() + " events); open it in a browser.");
            spec.commandLine().getOut().flush();
            return OK;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Turn a capture of a TLS 1.2 session and its NSS key log into a trace (needs tshark).")
    static final class Import implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "CAPTURE.pcap", description = "a packet capture (pcap or pcapng) of one TLS connection") Path pcap;
        @Option(names = "--keylog", required = true, paramLabel = "FILE",
                description = "NSS key log (CLIENT_RANDOM lines), e.g. from SSLKEYLOGFILE or openssl s_client -keylogfile")
        Path keylog;
        @Option(names = "--out", paramLabel = "F.json", description = "where to write the trace (default: print it)") Path out;
        @Option(names = "--tshark", paramLabel = "CMD", defaultValue = "tshark", description = "tshark command (default: ${DEFAULT-VALUE})")
        String tshark;
        @Option(names = "--tshark-arg", paramLabel = "ARG", description = "an extra tshark argument, repeatable, e.g."
                + " --tshark-arg=-d --tshark-arg=tcp.port==8444,tls for TLS on a port Wireshark does not know")
        List<String> tsharkArgs = new ArrayList<>();
        @Option(names = "--code-point", defaultValue = "65360", paramLabel = "N",
                description = "proxy_info ExtensionType of the captured run (DEC-2; default ${DEFAULT-VALUE}; 65445 for captures"
                        + " made with the first default)")
        int codePoint;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            Trace t;
            try {
                t = new PcapImporter(tshark, 120).tsharkArgs(tsharkArgs).codePoint(codePoint)
                        .importCapture(pcap, keylog, softwareVersion());
            } catch (PcapImporter.ImportException e) {
                err.println("Import failed: " + e.getMessage());
                err.flush();
                return FAILED;
            }
            if (out == null) {
                spec.commandLine().getOut().print(t.toJson());
                spec.commandLine().getOut().flush();
                return OK;
            }
            if (!write(out, t.toJson(), err)) {
                return FAILED;
            }
            long messages = t.events().stream().filter(e -> e.kind().equals("message")).count() / 2;
            spec.commandLine().getOut().println("Wrote " + out + ": " + messages + " messages, " + t.events().size()
                    + " events. Next: proxyinfo trace show " + out);
            spec.commandLine().getOut().flush();
            return OK;
        }
    }

    @Command(name = "keylog", mixinStandardHelpOptions = true,
            description = "Write the NSS key log (CLIENT_RANDOM lines) of a trace's test-only secrets, so that"
                    + " Wireshark or tshark can decrypt a capture of the same run.")
    static final class KeyLog implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "FILE", description = "the trace (JSON)") Path file;
        @Option(names = "--out", required = true, paramLabel = "KEYLOG", description = "key log file to append to") Path out;
        @Option(names = "--leg", paramLabel = "LEG", description = "only this leg (direct, session1, session2, ...); needed when"
                + " two legs share a client_random, as a proxy's two sessions do (DEC-12)") String leg;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            Trace t = readOrReport(file, err);
            if (t == null) {
                return FAILED;
            }
            List<String> all = org.proxyinfo.trace.TracePcap.legs(t);
            if (leg != null && !all.contains(leg)) {
                err.println("The trace has no leg '" + leg + "'; its legs: " + String.join(", ", all) + ".");
                err.flush();
                return FAILED;
            }
            java.util.Set<String> clash = org.proxyinfo.trace.TracePcap.clashingLegs(t, all);
            if (leg == null && !clash.isEmpty()) {
                // a key log line is keyed by client_random alone; the proxy opens session #2 with the client's
                // client_random (DEC-12), so one file would give one leg's secrets to the other (issue 16 finding 4)
                err.println("The legs " + String.join(" and ", clash) + " share a client_random (the proxy forwards the"
                        + " client's client_random on session #2, DEC-12), and a key log line is keyed by client_random alone:"
                        + " one file cannot hold both. Write one key log per leg: "
                        + String.join("; ", clash.stream().map(l -> "trace keylog " + file + " --leg " + l + " --out " + l + ".keylog")
                        .toList()) + ".");
                err.flush();
                return FAILED;
            }
            int lines;
            try {
                lines = new org.proxyinfo.trace.NssKeyLog(out).addFrom(leg == null ? t : t.forLeg(leg));
            } catch (IOException | IllegalArgumentException e) {
                err.println("Cannot write the key log " + out + ": " + e.getMessage());
                err.flush();
                return FAILED;
            }
            if (lines == 0) {
                err.println("The trace has no client_random + master_secret secret events: nothing to write."
                        + " Record secrets (test only) to get a key log.");
                err.flush();
                return FAILED;
            }
            spec.commandLine().getOut().println("Wrote " + lines + " CLIENT_RANDOM line(s) to " + out
                    + "; use it with: tshark -o tls.keylog_file:" + out + " -r CAPTURE");
            spec.commandLine().getOut().flush();
            return OK;
        }
    }

    @Command(name = "merge", mixinStandardHelpOptions = true,
            description = {"Merge per-leg or per-role traces of one run into one trace (ordered by sequence;"
                    + " each 'received' message after its 'sent').",
                    "Traces of a live run (client, proxy, server written by separate processes) are reconciled by their hello"
                    + " randoms: an index (the --trace file of a server or proxy) gives the connection that matches, legs take"
                    + " the proxy's names, and traces of different connections are refused with the reason (exit 2)."})
    static final class Merge implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "FILE", arity = "2..*", description = "the per-leg traces (JSON) of one run, two or more") List<Path> files;
        @Option(names = "--out", required = true, paramLabel = "F.json") Path out;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            List<Trace> traces = new ArrayList<>();
            List<Object> live = new ArrayList<>();
            boolean anyIndex = false;
            for (Path f : files) {
                List<Path> listed = indexFiles(f);
                if (listed != null) {
                    anyIndex = true;
                    List<org.proxyinfo.trace.LiveMerge.Input> conns = new ArrayList<>();
                    for (Path c : listed) {
                        Trace t = readOrReport(c, err);
                        if (t == null) {
                            return FAILED;
                        }
                        conns.add(new org.proxyinfo.trace.LiveMerge.Input(c.toString(), t));
                    }
                    live.add(new org.proxyinfo.trace.LiveMerge.IndexInput(f.toString(), conns));
                    continue;
                }
                Trace t = readOrReport(f, err);
                if (t == null) {
                    return FAILED;
                }
                traces.add(t);
                live.add(new org.proxyinfo.trace.LiveMerge.Input(f.toString(), t));
            }
            Trace merged;
            if (anyIndex || !oneWriter(traces)) {
                // traces written by separate processes (a live run): one connection, reconciled by the randoms
                try {
                    merged = org.proxyinfo.trace.LiveMerge.merge(live);
                } catch (org.proxyinfo.trace.LiveMerge.Refused e) {
                    err.println("Not merged: " + e.getMessage());
                    err.flush();
                    return FAILED;
                }
            } else {
                merged = Trace.merge(traces);
            }
            if (!write(out, merged.toJson(), err)) {
                return FAILED;
            }
            spec.commandLine().getOut().println("Wrote " + out + " (" + merged.events().size() + " events from "
                    + files.size() + " traces).");
            spec.commandLine().getOut().flush();
            return OK;
        }
    }

    /** True if dir (or the nearest existing parent) lies inside a git work tree, so that a `git diff` hint makes sense. */
    static boolean insideGitWorkTree(Path dir) {
        for (Path d = dir.toAbsolutePath().normalize(); d != null; d = d.getParent()) {
            if (Files.exists(d.resolve(".git"))) {
                return true;
            }
        }
        return false;
    }

    /** Per-leg files of one writer (RoleTraces.writeTo) number their events from one counter: all seqs distinct. */
    static boolean oneWriter(List<Trace> traces) {
        java.util.Set<Long> seqs = new java.util.HashSet<>();
        for (Trace t : traces) {
            for (Trace.Event e : t.events()) {
                if (!seqs.add(e.seq())) return false;
            }
        }
        return true;
    }

    @Command(name = "pcap", mixinStandardHelpOptions = true,
            description = {"Write a pcapng capture of a trace's legs with their TLS secrets embedded (a Decryption Secrets"
                    + " Block, as editcap --inject-secrets makes): the one file opens decrypted in Wireshark.",
                    "Each leg is one TCP connection to port 443; records after ChangeCipherSpec are sealed again under the"
                    + " leg's keys (the plaintexts and keys are the run's, the ciphertext bytes are not). Needs the trace's"
                    + " test-only secret events."})
    static final class Pcap implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "FILE", description = "the trace (JSON)") Path file;
        @Option(names = "--out", required = true, paramLabel = "F.pcapng") Path out;
        @Option(names = "--leg", split = ",", paramLabel = "LEG", description = "only these legs (default: all; legs that share"
                + " a client_random need separate files)") List<String> legs;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            Trace t = readOrReport(file, err);
            if (t == null) {
                return FAILED;
            }
            List<String> all = org.proxyinfo.trace.TracePcap.legs(t);
            List<String> chosen = legs == null ? all : legs;
            for (String l : chosen) {
                if (!all.contains(l)) {
                    err.println("The trace has no leg '" + l + "'; its legs: " + String.join(", ", all) + ".");
                    err.flush();
                    return FAILED;
                }
            }
            java.util.Set<String> clash = org.proxyinfo.trace.TracePcap.clashingLegs(t, chosen);
            if (!clash.isEmpty()) {
                err.println("The legs " + String.join(" and ", clash) + " share a client_random (DEC-12: the proxy forwards the"
                        + " client's), and Wireshark finds TLS 1.2 keys by client_random alone, so one capture cannot decrypt"
                        + " both. Write one file per leg: " + String.join("; ", clash.stream()
                        .map(l -> "trace pcap " + file + " --leg " + l + " --out " + l + ".pcapng").toList()) + ".");
                err.flush();
                return FAILED;
            }
            byte[] bytes;
            try {
                bytes = org.proxyinfo.trace.TracePcap.write(t, chosen);
            } catch (org.proxyinfo.wire.TlsFatalAlert | RuntimeException e) {
                err.println("Cannot rebuild a capture of " + file + ": " + e.getMessage());
                err.flush();
                return FAILED;
            }
            try {
                Path parent = out.toAbsolutePath().getParent();
                if (parent != null) Files.createDirectories(parent);
                Files.write(out, bytes);
            } catch (IOException e) {
                err.println("Cannot write " + out + ": " + e.getMessage());
                err.flush();
                return FAILED;
            }
            long keyed = org.proxyinfo.trace.TracePcap.legSecrets(t).keySet().stream().filter(chosen::contains).count();
            spec.commandLine().getOut().println("Wrote " + out + ": " + chosen.size() + " leg(s) (" + String.join(", ", chosen)
                    + "), TLS secrets for " + keyed + " embedded. Open it in Wireshark, or: tshark -r " + out
                    + " -Y tls -O tls");
            spec.commandLine().getOut().flush();
            return OK;
        }
    }

    @Command(name = "regenerate", mixinStandardHelpOptions = true,
            description = "Rebuild the deterministic reference traces (seeded randomness, fixed clock, the committed test PKI)"
                    + " and their NSS key logs into DIR. `trace regenerate --out traces/reference` must leave git clean.")
    static final class Regenerate implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Option(names = "--out", required = true, paramLabel = "DIR", description = "where to write NAME.json and NAME.keylog")
        Path out;
        @Option(names = "--pki", paramLabel = "DIR",
                description = "the committed test PKI to load (default: traces/reference/pki, i.e. OUT/pki if it exists)")
        Path pki;
        @Option(names = "--only", split = ",", paramLabel = "NAME", description = "only these reference runs")
        List<String> only;
        @Option(names = "--list", description = "list the reference runs and exit") boolean list;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            PrintWriter o = spec.commandLine().getOut();
            if (list) {
                for (org.proxyinfo.reference.ReferenceTraces.Entry e : org.proxyinfo.reference.ReferenceTraces.all()) {
                    o.println(e.name() + "  " + e.description());
                }
                o.flush();
                return OK;
            }
            if (only != null) {
                java.util.Set<String> known = new java.util.TreeSet<>();
                org.proxyinfo.reference.ReferenceTraces.all().forEach(e -> known.add(e.name()));
                List<String> unknown = only.stream().map(String::trim).filter(n -> !known.contains(n)).toList();
                if (!unknown.isEmpty()) {
                    err.println("No reference run named " + String.join(", ", unknown) + "; `trace regenerate --list` names the "
                            + known.size() + " runs.");
                    err.flush();
                    return 2;
                }
            }
            Path pkiDir = pki;
            if (pkiDir == null) {
                pkiDir = Files.isDirectory(out.resolve("pki")) ? out.resolve("pki") : Path.of("traces/reference/pki");
            }
            if (!Files.isDirectory(pkiDir)) {
                err.println("No test PKI at " + pkiDir + ". The reference traces use the committed one (traces/reference/pki);"
                        + " pass --pki DIR, or write it with: proxyinfo pki --out " + pkiDir);
                err.flush();
                return FAILED;
            }
            List<Path> files;
            try {
                files = org.proxyinfo.reference.ReferenceTraces.regenerate(pkiDir, out, only);
            } catch (IOException e) {
                err.println("Regenerating the reference traces failed: " + e.getMessage());
                err.flush();
                return FAILED;
            }
            long traces = files.stream().filter(f -> f.toString().endsWith(".json")).count();
            o.println("Wrote " + traces + " reference traces and " + (files.size() - traces) + " NSS key logs (one per leg) to " + out
                    + " from the PKI in " + pkiDir + "." + (insideGitWorkTree(out)
                            ? " Compare with the committed ones: git diff --stat " + out
                            : " Compare them with the repository's traces/reference (e.g. diff -r " + out + " traces/reference)."));
            o.flush();
            return OK;
        }
    }
}
