package org.proxyinfo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxyinfo.pki.PkiDir;
import org.proxyinfo.role.TlsServer;

import picocli.CommandLine;

/** The CLI subcommands as a person runs them (in-process): exit codes and what they print. */
class CliTest {
    @TempDir
    Path tmp;

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
    void demoSucceedsAndExplains() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, run(out, err, "demo"), err.toString());
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("HTTP/1.1 200 OK"), text);
        assertTrue(text.contains("What was verified"), text);
        assertTrue(text.contains("Demo succeeded"), text);
    }

    @Test
    void pkiThenClientAgainstServer() throws Exception {
        Path pki = tmp.resolve("pki");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, run(out, err, "pki", "--out", pki.toString()));
        assertTrue(Files.isRegularFile(pki.resolve("client/trust.pem")));
        assertTrue(Files.isRegularFile(pki.resolve("server/ecdsa-chain.pem")));

        try (HttpsServer server = new HttpsServer(new TlsServer(ServerCommand.serverConfig(new PkiDir(pki), new RoleOptions())),
                InetAddress.getLoopbackAddress(), 0, new PrintStream(new ByteArrayOutputStream()))) {
            server.start();
            String at = "127.0.0.1:" + server.port();

            out.reset();
            assertEquals(0, run(out, err, "client", "--connect", at, "--host", "localhost", "--pki", pki.toString(),
                    "--suite", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "--group", "secp256r1"), err.toString());
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("200 OK"));

            // DEC-10 / RFC6125-6.4: a name the certificate does not carry: exit 1, one line with the alert.
            out.reset();
            err.reset();
            assertEquals(1, run(out, err, "client", "--connect", at, "--host", "other.proxyinfo.test", "--pki", pki.toString()));
            String e = err.toString(StandardCharsets.UTF_8).trim();
            assertEquals(1, e.lines().count(), e);
            assertTrue(e.contains("bad_certificate") && e.contains("RFC6125-6.4"), e);
        }

        err.reset();
        assertEquals(1, run(out, err, "client", "--connect", "127.0.0.1:1", "--host", "localhost", "--pki", pki.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("nothing accepts connections"));
    }
}
