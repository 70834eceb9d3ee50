package org.proxyinfo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxyinfo.trace.Trace;
import org.proxyinfo.trace.TraceValidator;

import picocli.CommandLine;

/**
 * Issue #4 part 2: `server --trace` (a real server process) and `client --trace` over loopback
 * write traces that validate against the schema (TraceValidator, JSON Schema 2020-12), with the
 * Running and Commit claims, and `trace merge` of the two is valid too.
 */
class RoleTraceTest {
    @TempDir Path tmp;

    private int run(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return new CommandLine(new Main()).execute(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    @DisplayName("server --trace (separate process) and client --trace: schema-valid traces with Running/Commit, and a valid merge")
    void clientAndServerWriteTraces() throws Exception {
        Path pki = CheckCommandTest.reference().resolve("pki");
        Path serverTrace = tmp.resolve("server.json");
        Path clientTrace = tmp.resolve("client.json");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process server = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "server", "--port", "0", "--pki", pki.toString(), "--trace", serverTrace.toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader log = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String port = null;
            Pattern listening = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
            for (String line; port == null && (line = log.readLine()) != null; ) {
                Matcher m = listening.matcher(line);
                if (m.find()) port = m.group(1);
            }
            assertNotNull(port, "the server did not say where it listens");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertEquals(0, run(out, err, "client", "--connect", "127.0.0.1:" + port, "--host", "localhost",
                    "--pki", pki.toString(), "--trace", clientTrace.toString()), err.toString());
            long deadline = System.currentTimeMillis() + 10_000; // the server rewrites its trace after each connection
            while (System.currentTimeMillis() < deadline
                    && !(Files.exists(tmp.resolve("server-1.json")) && Files.readString(tmp.resolve("server-1.json")).contains("close_notify"))) {
                Thread.sleep(50);
            }
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
        TraceValidator.assertValid(clientTrace);
        serverTrace = tmp.resolve("server-1.json"); // issue 16: one trace per connection, server.json is their index
        TraceValidator.assertValid(serverTrace);
        Trace c = Trace.read(clientTrace);
        Trace s = Trace.read(serverTrace);
        assertTrue(c.events().stream().anyMatch(e -> e.kind().equals("claim") && "Commit".equals(e.text("claim"))), "client Commit");
        assertTrue(s.events().stream().anyMatch(e -> e.kind().equals("claim") && "Running".equals(e.text("claim"))), "server Running");
        Path merged = tmp.resolve("merged.json");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, run(out, new ByteArrayOutputStream(), "trace", "merge", clientTrace.toString(), serverTrace.toString(),
                "--out", merged.toString()));
        TraceValidator.assertValid(merged);
        assertEquals(c.events().size() + s.events().size(), Trace.read(merged).events().size());
        assertEquals(List.of("client", "server"), Trace.read(merged).roles());
    }
}
