package org.proxyinfo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxyinfo.pki.PkiDir;
import org.proxyinfo.role.TlsServer;

import picocli.CommandLine;

/**
 * Issue 17 findings 4 and 5: every rough edge of the command line, as the jar's main runs it
 * ({@link Main#commandLine()}): exit code, one line saying what is wrong, never a stack trace.
 */
class CliRoughEdgesTest {
    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {
        String all() { return out + err; }
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int exit = Main.commandLine().execute(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** An error case: the exit code, the one line naming the problem, and no stack trace. */
    static void rejects(int exit, String expected, String... args) {
        Run r = run(args);
        assertEquals(exit, r.exit(), String.join(" ", args) + "\n" + r.all());
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
        assertFalse(r.all().contains("\tat ") || r.all().contains("Exception:"), "stack trace for " + String.join(" ", args) + ":\n" + r.all());
        List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
        assertTrue(lines.size() <= 2, "one line (plus where the help is), got:\n" + r.err());
        assertTrue(lines.stream().allMatch(l -> l.length() <= 400), "a short line, got " + r.err().length() + " characters");
    }

    @Test
    @DisplayName("ports out of range: client --connect 127.0.0.1:99999, server --port 99999 / -5, proxy --port 70000")
    void portsOutOfRange() {
        rejects(2, "port 99999 is not a TCP port", "client", "--connect", "127.0.0.1:99999", "--host", "localhost", "--pki", tmp.toString());
        rejects(2, "--port 99999 is not a TCP port", "server", "--port", "99999", "--pki", tmp.toString());
        rejects(2, "--port -5 is not a TCP port", "server", "--port", "-5", "--pki", tmp.toString());
        rejects(2, "--port 70000 is not a TCP port", "proxy", "--port", "70000", "--pki", tmp.toString());
        rejects(2, "'abc' is not an int", "server", "--port", "abc", "--pki", tmp.toString());
        rejects(2, "must be HOST:PORT", "client", "--connect", "127.0.0.1", "--host", "localhost", "--pki", tmp.toString());
    }

    @Test
    @DisplayName("DEC-23: proxy --client-cert-mode takes off, learn or always; anything else: one line, exit 2")
    void proxyClientCertModeValidated() {
        rejects(2, "--client-cert-mode must be off, learn or always (DEC-23), not 'maybe'", "proxy", "--port", "8444",
                "--pki", tmp.toString(), "--client-cert-mode", "maybe");
    }

    @Test
    @DisplayName("DEC-2: --code-point outside 0-65535 (an ExtensionType is 16 bits) in client, proxy and server: one line, exit 2")
    void codePointOutOfRange() {
        rejects(2, "--code-point 70000 is not a TLS ExtensionType", "client", "--connect", "127.0.0.1:8443", "--host", "localhost",
                "--pki", tmp.toString(), "--code-point", "70000");
        rejects(2, "--code-point -1 is not a TLS ExtensionType", "proxy", "--port", "8444", "--pki", tmp.toString(),
                "--code-point", "-1");
        rejects(2, "--code-point 65536 is not a TLS ExtensionType", "server", "--port", "0", "--pki", tmp.toString(),
                "--client-cert-mode", "--client-auth", "need", "--code-point", "65536");
    }

    @Test
    @DisplayName("DEC-23: server --client-cert-mode is for an origin that requires client certificates: without --client-auth need,"
            + " one line, exit 2")
    void serverClientCertModeNeedsNeed() {
        rejects(2, "--client-cert-mode (DEC-23) is for an origin that requires client certificates: add --client-auth need",
                "server", "--port", "0", "--pki", tmp.toString(), "--client-cert-mode");
        rejects(2, "add --client-auth need", "server", "--port", "0", "--pki", tmp.toString(), "--client-cert-mode",
                "--client-auth", "want");
    }

    @Test
    @DisplayName("pki --out a file (/etc/passwd) or an impossible place: one line, exit 2")
    void pkiOutIsAFile() throws Exception {
        rejects(2, "is a file, not a directory", "pki", "--out", "/etc/passwd");
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        rejects(2, "is a file, not a directory", "pki", "--out", file.toString());
        rejects(2, "cannot write the test PKI", "pki", "--out", file.resolve("below").toString());
    }

    @Test
    @DisplayName("--host is checked before use: 70,000 characters, a 300-character label, an underscore")
    void hostValidated() {
        rejects(2, "at most 253", "client", "--connect", "127.0.0.1:1", "--host", "a".repeat(70_000), "--pki", tmp.toString());
        rejects(2, "at most 63", "client", "--connect", "127.0.0.1:1", "--host", "b".repeat(200) + ".example", "--pki", tmp.toString());
        rejects(2, "not a host name", "client", "--connect", "127.0.0.1:1", "--host", "bad_name.example", "--pki", tmp.toString());
        rejects(2, "empty label", "client", "--connect", "127.0.0.1:1", "--host", "a..example", "--pki", tmp.toString());
        assertEquals(null, Validate.hostName("--host", "origin.proxyinfo.test"));
        assertEquals(null, Validate.hostName("--host", "127.0.0.1"));
        assertEquals(null, Validate.hostName("--host", "x".repeat(63) + ".example"));
    }

    @Test
    @DisplayName("check --require Z9 fails at once, before the model check")
    void checkRequireUnknownClaim() throws Exception {
        Path trace = Path.of("..", "traces", "reference", "direct.json").toAbsolutePath().normalize();
        long t0 = System.nanoTime();
        rejects(2, "no claim Z9", "check", trace.toString(), "--require", "C1,Z9");
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 3_000, "rejected before Alloy runs");
        rejects(2, "no such file", "check", tmp.resolve("missing.json").toString());
    }

    @Test
    @DisplayName("-V prints the version (top level and every subcommand); no subcommand prints the help and exits 0")
    void versionAndHelp() {
        for (String[] args : new String[][] {{"-V"}, {"--version"}, {"client", "-V"}, {"trace", "show", "-V"}}) {
            Run r = run(args);
            assertEquals(0, r.exit(), String.join(" ", args));
            assertTrue(r.out().contains("proxyinfo 0.1.0"), String.join(" ", args) + ": " + r.all());
        }
        Run r = run();
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("Usage: proxyinfo") && r.out().contains("demo") && r.out().contains("check"), r.all());
        rejects(2, "Unmatched argument", "nosuchcommand");
    }

    @Test
    @DisplayName("trace regenerate --only nosuch exits non-zero and names the known runs; no git diff hint outside a repository")
    @org.junit.jupiter.api.Timeout(600) // Alloy and real handshakes; the machine may be loaded
    void regenerateOnlyUnknownAndGitHint() throws Exception {
        rejects(2, "No reference run named nosuch", "trace", "regenerate", "--only", "nosuch", "--out", tmp.toString());
        Path pki = Path.of("..", "traces", "reference", "pki").toAbsolutePath().normalize();
        Path out = Files.createTempDirectory(Path.of("/tmp"), "proxyinfo-regenerate-");   // outside any git work tree
        try {
            Run r = run("trace", "regenerate", "--only", "direct", "--pki", pki.toString(), "--out", out.toString());
            assertEquals(0, r.exit(), r.all());
            assertFalse(r.out().contains("git diff"), r.out());
            assertTrue(r.out().contains("diff -r"), r.out());
        } finally {
            try (var s = Files.walk(out)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    @DisplayName("one metavariable style (UPPERCASE or a|b choices), and every positional is documented")
    void metavariablesConsistent() {
        List<String> bad = new ArrayList<>();
        walk(Main.commandLine(), bad);
        assertTrue(bad.isEmpty(), String.join("\n", bad));
    }

    private static void walk(CommandLine cl, List<String> bad) {
        CommandLine.Model.CommandSpec spec = cl.getCommandSpec();
        for (CommandLine.Model.OptionSpec o : spec.options()) {
            if (o.arity().max() == 0) {
                continue;
            }
            String label = o.paramLabel();
            if (!label.matches("[A-Z][A-Z0-9_:]*(\\.[a-z]+)?|[a-z0-9-]+(\\|[a-z0-9-]+)+")) {
                bad.add(spec.qualifiedName() + " " + o.longestName() + ": metavariable '" + label + "'");
            }
        }
        for (CommandLine.Model.PositionalParamSpec p : spec.positionalParameters()) {
            if (p.description().length == 0 || String.join(" ", p.description()).isBlank()) {
                bad.add(spec.qualifiedName() + ": positional " + p.paramLabel() + " has no description");
            }
            if (!p.paramLabel().matches("[A-Z][A-Z0-9_:]*(\\.[a-z]+)?")) {
                bad.add(spec.qualifiedName() + ": positional metavariable '" + p.paramLabel() + "'");
            }
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            walk(sub, bad);
        }
    }

    @Test
    @DisplayName("a proxy that refuses because its upstream failed DEC-15: the hint does not say 'add --proxy-trust' when it was given")
    @org.junit.jupiter.api.Timeout(600) // Alloy and real handshakes; the machine may be loaded
    void hintForDec15Refusal() throws Exception {
        Path pki = tmp.resolve("pki");
        assertEquals(0, run("pki", "--out", pki.toString()).exit());
        PkiDir dir = new PkiDir(pki);
        try (HttpsServer server = new HttpsServer(new TlsServer(ServerCommand.serverConfig(dir, new RoleOptions())),
                InetAddress.getLoopbackAddress(), 0, new PrintStream(new ByteArrayOutputStream()))) {
            server.start();
            org.proxyinfo.pki.Credential own = dir.proxy();
            // The proxy's own trust store does not cover the origin: its DEC-15 validation of session #2 fails.
            org.proxyinfo.role.ProxyConfig cfg = new org.proxyinfo.role.ProxyConfig(
                    new org.proxyinfo.crypto.BcTlsCrypto(new java.security.SecureRandom()),
                    new org.proxyinfo.role.ServerCredential(own.privateKey(), own.chain()))
                    .webTrust(org.proxyinfo.pki.Pem.readCertificates(pki.resolve("ca/untrusted-ca.pem")),
                            org.proxyinfo.pki.RevocationPolicy.DEFAULT, dir.crls())
                    .proxyTrust(dir.proxyProxyTrust()).upstream("127.0.0.1", server.port());
            try (org.proxyinfo.role.ProxyServer proxy = new org.proxyinfo.role.ProxyServer(new org.proxyinfo.role.TlsProxy(cfg),
                    InetAddress.getLoopbackAddress(), 0, new PrintStream(new ByteArrayOutputStream())).start()) {
                Run r = run("client", "--connect", "127.0.0.1:" + proxy.port(), "--host", "origin.proxyinfo.test", "--pki",
                        pki.toString(), "--proxy-trust");
                assertEquals(1, r.exit(), r.all());
                assertTrue(r.err().contains("handshake_failure"), r.err());
                assertFalse(r.err().contains("add --proxy-trust"), r.err());
                assertTrue(r.err().contains("DEC-15"), r.err());
            }
        }
    }

    @Test
    @DisplayName("demo output: forged-signature's refusal once, no 'DEC-9: DEC-9', no raw maps, no literal <scenario>, progress before the model check")
    @org.junit.jupiter.api.Timeout(600) // Alloy and real handshakes; the machine may be loaded
    void demoOutputIsForPeople() {
        Run r = run("demo", "--attack", "forged-signature", "--no-check", "--trace-dir", tmp.resolve("t").toString());
        assertEquals(0, r.exit(), r.all());
        int n = r.out().split("does not verify with the key", -1).length - 1;
        assertEquals(1, n, "the refusal is printed once:\n" + r.out());
        assertFalse(r.out().contains("<scenario>"), r.out());
        assertTrue(r.out().contains(tmp.resolve("t").resolve("forged-signature") + "/"), r.out());

        r = run("demo", "--attack", "proxied");
        assertEquals(0, r.exit(), r.all());
        assertFalse(r.out().contains("DEC-9: DEC-9"), r.out());
        assertFalse(r.out().matches("(?s).*\\{\\w+=.*"), "a raw map in:\n" + r.out());
        assertTrue(r.out().contains("Checking the run's trace against the Alloy model"), r.out());
        assertTrue(r.out().indexOf("Checking the run's trace") < r.out().indexOf("Model check:"), r.out());
    }

    @Test
    @DisplayName("check: progress line before Alloy, claims named in words the first time, confirmed/refuted as in verdicts.md")
    @org.junit.jupiter.api.Timeout(600) // Alloy and real handshakes; the machine may be loaded
    void checkSpeaksLikeTheVerdictTable() {
        Path trace = Path.of("..", "traces", "reference", "direct.json").toAbsolutePath().normalize();
        Path pki = Path.of("..", "traces", "reference", "pki").toAbsolutePath().normalize();
        Run r = run("check", trace.toString(), "--pki", pki.toString());
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().startsWith("Checking direct.json against the Alloy model"), r.out());
        // each claim by its ID and words (issue 11: C1 has a strict row C1S and the relayed row C1)
        assertTrue(r.out().contains("C1S (\"C1 strict:") && r.out().contains("C1 (\"C1 relayed: the client strongly authenticates the server"),
                r.out());
        assertTrue(r.out().contains("so the claim is confirmed"), r.out());
        assertFalse(r.out().contains(": holds on this run"), r.out());
        assertNotEquals(-1, r.out().indexOf("HOLDS"));
    }
}
