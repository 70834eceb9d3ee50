package org.proxyinfo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
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
    @DisplayName("Part 5/7: `demo` with no arguments = the honest proxied scenario: exit 0 and the explanation")
    void demoSucceedsAndExplains() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, run(out, err, "demo"), err.toString());
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("Who authenticated whom"), text);
        assertTrue(text.contains("hop 1: CN=proxy.proxyinfo.test reports its session to the origin CN=origin.proxyinfo.test"), text);
        assertTrue(text.contains("ACCEPTED the proxied session"), text);
        assertTrue(text.contains("Demo succeeded"), text);
    }

    @Test
    @DisplayName("the demo fails closed on the model: a run the model does not admit, or cannot check, is not a success")
    void demoFailsWhenTheModelDoesNotAdmitTheRun() {
        PrintStream oldOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            // The parties behave as the scenario expects; only the model's answer differs from a real check's.
            DemoCommand notAdmitted = new DemoCommand((trace, pki) -> new CheckCommand.Verdict(Path.of("merged.json"),
                    new org.proxyinfo.model.Conformance.Result(false, org.proxyinfo.model.Arch.PIBOUND, List.of(), Map.of(),
                            List.of(), "", null, List.of("C1: the client commits after a failed check"))));
            assertEquals(1, new CommandLine(notAdmitted).execute(), out.toString(StandardCharsets.UTF_8));
            String text = out.toString(StandardCharsets.UTF_8);
            assertTrue(text.contains("NOT ADMITTED"), text);
            assertTrue(text.contains("Demo FAILED") && text.contains("the model did not admit"), text);
            out.reset();
            DemoCommand unavailable = new DemoCommand((trace, pki) -> { throw new java.io.IOException("no model here"); });
            assertEquals(1, new CommandLine(unavailable).execute(), out.toString(StandardCharsets.UTF_8));
            text = out.toString(StandardCharsets.UTF_8);
            assertTrue(text.contains("Model check not possible: no model here") && text.contains("Demo FAILED"), text);
        } finally {
            System.setOut(oldOut);
        }
    }

    @Test
    @DisplayName("Part 5: demo --list, --attack (client refuses, exit 0 as expected), unknown scenario (exit 2), --trace-dir")
    @org.junit.jupiter.api.Timeout(600) // each demo also runs the Alloy model check, slow on a loaded machine
    void demoAttacksAndList() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, run(out, err, "demo", "--list"));
        String list = out.toString(StandardCharsets.UTF_8);
        for (org.proxyinfo.demo.Scenario s : org.proxyinfo.demo.Scenarios.all()) {
            assertTrue(list.contains(s.name()), list);
        }
        out.reset();
        Path traces = tmp.resolve("traces");
        assertEquals(0, run(out, err, "demo", "--attack", "forged-signature", "--trace-dir", traces.toString()), err.toString());
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("REFUSED with fatal alert decrypt_error [DEC-8]"), text);
        org.proxyinfo.trace.TraceValidator.assertValid(traces.resolve("forged-signature").resolve("merged.json"));
        assertTrue(Files.isRegularFile(traces.resolve("forged-signature").resolve("session2.json")));
        out.reset();
        assertEquals(0, run(out, err, "demo", "--attack", "replay-draft-literal"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("The draft's literal reading lets this attack through"));
        err.reset();
        assertEquals(2, run(out, err, "demo", "--attack", "no-such-attack"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("forged-signature"), err.toString());
    }

    /** Our proxy on a free loopback port in front of {@code upstreamPort}, with the PKI's proxy identity and trust (DEC-9, DEC-15). */
    static org.proxyinfo.role.ProxyServer startProxy(PkiDir dir, int upstreamPort, org.proxyinfo.role.ProxyConfig.ClientCertMode mode)
            throws java.io.IOException {
        org.proxyinfo.pki.Credential own = dir.proxy();
        org.proxyinfo.role.ProxyConfig cfg = new org.proxyinfo.role.ProxyConfig(
                new org.proxyinfo.crypto.BcTlsCrypto(new java.security.SecureRandom()),
                new org.proxyinfo.role.ServerCredential(own.privateKey(), own.chain()))
                .webTrust(dir.proxyUpstreamTrust(), org.proxyinfo.pki.RevocationPolicy.DEFAULT, dir.crls())
                .proxyTrust(dir.proxyProxyTrust()).upstream("127.0.0.1", upstreamPort).clientCertMode(mode);
        return new org.proxyinfo.role.ProxyServer(new org.proxyinfo.role.TlsProxy(cfg), InetAddress.getLoopbackAddress(), 0,
                new PrintStream(new ByteArrayOutputStream())).start();
    }

    @Test
    @DisplayName("Part 3: client --proxy-trust through a proxy (DEC-8..13): exit 0 and the proxied summary; without it: refused by the proxy (DEC-17); --proxy-pin (DEC-9)")
    void clientThroughProxy() throws Exception {
        Path pki = tmp.resolve("pki2");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, run(out, err, "pki", "--out", pki.toString()));
        PkiDir dir = new PkiDir(pki);
        try (HttpsServer server = new HttpsServer(new TlsServer(ServerCommand.serverConfig(dir, new RoleOptions())),
                InetAddress.getLoopbackAddress(), 0, new PrintStream(new ByteArrayOutputStream()))) {
            server.start();
            org.proxyinfo.pki.Credential own = dir.proxy();
            try (org.proxyinfo.role.ProxyServer proxy = startProxy(dir, server.port(), org.proxyinfo.role.ProxyConfig.ClientCertMode.LEARN)) {
                String at = "127.0.0.1:" + proxy.port();
                Path trace = tmp.resolve("client-trace.json");
                assertEquals(0, run(out, err, "client", "--connect", at, "--host", "origin.proxyinfo.test", "--pki", pki.toString(),
                        "--proxy-trust", "--trace", trace.toString()), err.toString());
                String text = out.toString(StandardCharsets.UTF_8);
                assertTrue(text.contains("200 OK") && text.contains("is a proxy") && text.contains("hop 1"), text);
                org.proxyinfo.trace.TraceValidator.assertValid(trace);

                err.reset();
                assertEquals(1, run(out, err, "client", "--connect", at, "--host", "origin.proxyinfo.test", "--pki", pki.toString()));
                assertTrue(err.toString(StandardCharsets.UTF_8).contains("handshake_failure"), err.toString());

                // DEC-9 by pin only: anchors that do not cover the proxy (an unrelated CA), the proxy's key pinned
                Path noAnchors = pki.resolve("ca/untrusted-ca.pem");
                String pin = java.util.HexFormat.of().formatHex(org.proxyinfo.pki.TestPki.spkiSha256(own.publicKey()));
                out.reset();
                assertEquals(0, run(out, err, "client", "--connect", at, "--host", "origin.proxyinfo.test", "--pki", pki.toString(),
                        "--proxy-trust", noAnchors.toString(), "--proxy-pin", pin), err.toString());
                err.reset();
                assertEquals(1, run(out, err, "client", "--connect", at, "--host", "origin.proxyinfo.test", "--pki", pki.toString(),
                        "--proxy-trust", noAnchors.toString()));
                assertTrue(err.toString(StandardCharsets.UTF_8).contains("access_denied"), err.toString());
            }
        }
    }

    @Test
    @DisplayName("DEC-23, 01-R14, 01-R16: client --client-cert-mode --cert --key through a proxy in the mode: the origin (server --client-auth need --client-cert-mode), requiring client"
            + " certificates, authenticates the client through the proxy (200 OK); the same client without --client-cert-mode is refused"
            + " (handshake_failure, R7); --client-cert-mode without --cert: exit 2, one line")
    @org.junit.jupiter.api.Timeout(300)
    void clientCertModeThroughProxy() throws Exception {
        Path pki = tmp.resolve("pki3");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, run(out, err, "pki", "--out", pki.toString()));
        PkiDir dir = new PkiDir(pki);
        // the origin in the mode, configured by the server command's own options (DEC-23): client certificates from the
        // PKI's client CA (server/client-trust.pem), through proxies under the PKI's proxy CA (client/proxy-trust.pem)
        ServerCommand originCommand = new ServerCommand();
        new picocli.CommandLine(originCommand).parseArgs("--port", "0", "--pki", pki.toString(), "--client-auth", "need",
                "--client-cert-mode");
        org.proxyinfo.role.TlsConfig origin = originCommand.config(dir, new PrintStream(err));
        assertTrue(origin != null, err.toString());
        try (HttpsServer server = new HttpsServer(new TlsServer(origin), InetAddress.getLoopbackAddress(), 0,
                new PrintStream(new ByteArrayOutputStream()))) {
            server.start();
            try (org.proxyinfo.role.ProxyServer proxy = startProxy(dir, server.port(), org.proxyinfo.role.ProxyConfig.ClientCertMode.ALWAYS)) {
                String at = "127.0.0.1:" + proxy.port();
                String chain = pki.resolve("client-auth/ecdsa-chain.pem").toString();
                String key = pki.resolve("client-auth/ecdsa-key.pem").toString();
                Path trace = tmp.resolve("client-cert-mode-trace.json");
                assertEquals(0, run(out, err, "client", "--connect", at, "--host", "origin.proxyinfo.test", "--pki", pki.toString(),
                        "--proxy-trust", "--cert", chain, "--key", key, "--client-cert-mode", "--trace", trace.toString()), err.toString());
                assertTrue(out.toString(StandardCharsets.UTF_8).contains("200 OK"), out.toString(StandardCharsets.UTF_8));
                org.proxyinfo.trace.TraceValidator.assertValid(trace);
                String events = Files.readString(trace);
                assertTrue(events.contains("\"type\": \"client_cert_mode\"") && events.contains("\"supplemental_data\""),
                        "the client's trace shows the offer and its SupplementalData (DEC-23):\n" + events);

                out.reset();
                err.reset();
                assertEquals(1, run(out, err, "client", "--connect", at, "--host", "origin.proxyinfo.test", "--pki", pki.toString(),
                        "--proxy-trust", "--cert", chain, "--key", key));
                assertTrue(err.toString(StandardCharsets.UTF_8).contains("handshake_failure"), err.toString());

                err.reset();
                assertEquals(2, run(out, err, "client", "--connect", at, "--host", "origin.proxyinfo.test", "--pki", pki.toString(),
                        "--proxy-trust", "--client-cert-mode"));
                String e = err.toString(StandardCharsets.UTF_8).trim();
                assertEquals(1, e.lines().count(), e);
                assertTrue(e.contains("--client-cert-mode (DEC-23) needs a client certificate"), e);
            }
        }
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
