package org.proxyinfo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxyinfo.pki.PkiDir;
import org.proxyinfo.role.TlsConfig;
import org.proxyinfo.role.TlsServer;
import org.proxyinfo.trace.NssKeyLog;
import org.proxyinfo.trace.Trace;
import org.proxyinfo.trace.TraceValidator;

import picocli.CommandLine;

/** Issue #4 part 2: `--trace` on client and server over real sockets; every trace written validates against the schema. */
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
    @DisplayName("client --trace --trace-secrets and server --trace: schema-valid traces, a key log matching the trace, a valid merge")
    void clientAndServerWriteTraces() throws Exception {
        Path pki = CheckCommandTest.reference().resolve("pki");
        Path serverTrace = tmp.resolve("server.json");
        Path clientTrace = tmp.resolve("client.json");
        TraceOption serverOpt = new TraceOption();
        serverOpt.file = serverTrace;
        TlsConfig cfg = ServerCommand.serverConfig(new PkiDir(pki), new RoleOptions());
        cfg.trace(serverOpt.sink("server", "DIRECT", cfg.clock()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (HttpsServer server = new HttpsServer(new TlsServer(cfg), InetAddress.getLoopbackAddress(), 0,
                new PrintStream(new ByteArrayOutputStream()))) {
            server.start();
            assertEquals(0, run(out, err, "client", "--connect", "127.0.0.1:" + server.port(), "--host", "localhost",
                    "--pki", pki.toString(), "--trace", clientTrace.toString(), "--trace-secrets"), err.toString());
        }
        serverOpt.report(new PrintStream(new ByteArrayOutputStream()));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("trace: wrote " + clientTrace), text);

        TraceValidator.assertValid(clientTrace);
        TraceValidator.assertValid(serverTrace);
        Trace c = Trace.read(clientTrace);
        Trace s = Trace.read(serverTrace);
        assertTrue(c.events().stream().anyMatch(e -> e.kind().equals("claim") && "Commit".equals(e.text("claim"))));
        assertTrue(s.events().stream().anyMatch(e -> e.kind().equals("claim") && "Running".equals(e.text("claim"))));
        assertTrue(c.events().stream().anyMatch(e -> e.kind().equals("secret")), "--trace-secrets records secrets");
        assertFalse(s.events().stream().anyMatch(e -> e.kind().equals("secret")), "no secrets without --trace-secrets");
        assertEquals(1, NssKeyLog.read(Path.of(clientTrace + ".keylog")).size());
        assertFalse(Files.exists(Path.of(serverTrace + ".keylog")));

        Path merged = tmp.resolve("merged.json");
        out.reset();
        assertEquals(0, run(out, err, "trace", "merge", clientTrace.toString(), serverTrace.toString(), "--out", merged.toString()));
        TraceValidator.assertValid(merged);
        assertEquals(c.events().size() + s.events().size(), Trace.read(merged).events().size());
    }
}
