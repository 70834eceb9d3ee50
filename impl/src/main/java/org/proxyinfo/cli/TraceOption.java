package org.proxyinfo.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.proxyinfo.trace.LegTraces;
import org.proxyinfo.trace.NssKeyLog;
import org.proxyinfo.trace.RunInfo;
import org.proxyinfo.trace.Trace;
import org.proxyinfo.trace.TraceSink;

import picocli.CommandLine.Option;

/**
 * {@code --trace FILE} and {@code --trace-secrets} for the roles (issue #4 part 2): the role
 * records its run as a JSON trace (traces/schema/trace.schema.json). The file is rewritten each
 * time a connection's outcome is known (so a server that is killed leaves a complete file for
 * every finished connection). Secrets are left out unless {@code --trace-secrets} (TEST ONLY),
 * which also writes the NSS key log beside the trace ({@code FILE.keylog} for Wireshark).
 * Merge the traces of a client, proxy and server with {@code proxyinfo trace merge}.
 */
final class TraceOption {
    @Option(names = "--trace", paramLabel = "FILE",
            description = "Write this role's run as a JSON trace to FILE (rewritten after every connection; schema: traces/schema).")
    Path file;

    @Option(names = "--trace-secrets",
            description = "Also record the sessions' secrets in the trace and write FILE.keylog (NSS key log). TEST ONLY.")
    boolean secrets;

    private LegTraces traces;
    private String problem;

    /** The sink the role's configuration should use: {@link TraceSink#NONE} without --trace. */
    TraceSink sink(String role, String architecture, Clock clock) {
        if (file == null) {
            return TraceSink.NONE;
        }
        RunInfo run = RunInfo.implementation("0.1.0", List.of(role)).architecture(architecture).signingMode(null)
                .rngSeed(null).clock(clock).scenario("cli " + role);
        traces = new LegTraces(run);
        LegTraces t = traces;
        return new TraceSink() {
            @Override public void message(String r, String leg, String direction, String contentType, String name,
                                          Map<String, Object> fields, byte[] raw, List<Integer> bounds) {
                t.message(r, leg, direction, contentType, name, fields, raw, bounds);
            }
            @Override public void transition(String r, String leg, String from, String to, String trigger) {
                t.transition(r, leg, from, to, trigger);
            }
            @Override public void check(String r, String leg, String id, String what, boolean passed, String detail) {
                t.check(r, leg, id, what, passed, detail);
            }
            @Override public void claim(String r, String leg, String claim, Map<String, Object> params) {
                t.claim(r, leg, claim, params);
            }
            @Override public void secret(String r, String leg, String name, byte[] value) {
                if (secrets) {
                    t.secret(r, leg, name, value);
                }
            }
            @Override public void outcome(String r, String leg, boolean established, String alert, String sentBy,
                                          String requirementId, String message) {
                t.outcome(r, leg, established, alert, sentBy, requirementId, message);
                write();
            }
        };
    }

    /** Writes the trace (and key log) now; remembers a failure for {@link #report}. */
    synchronized void write() {
        if (traces == null) {
            return;
        }
        try {
            Trace t = traces.merged();
            t.writeTo(file);
            if (secrets) {
                Path keylog = Path.of(file + ".keylog");
                Files.deleteIfExists(keylog);
                new NssKeyLog(keylog).addFrom(t);
            }
            problem = null;
        } catch (IOException e) {
            problem = "cannot write the trace " + file + ": " + e.getMessage();
        }
    }

    /** Final write, and one line for people saying where the trace is (or why it is not). */
    void report(PrintStream out) {
        if (traces == null) {
            return;
        }
        write();
        if (problem != null) {
            out.println("trace: " + problem);
        } else {
            out.println("trace: wrote " + file + (secrets ? " and " + file + ".keylog (TEST ONLY: session secrets)" : "")
                    + "; view it with: proxyinfo trace show " + file);
        }
    }
}
