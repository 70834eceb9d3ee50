package org.proxyinfo.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 finding 6: the test PKI loads in GnuTLS and openssl as the docs (traces/README.md
 * "Other TLS tools against our roles") say, and those tools talk to our roles.
 */
class ForeignToolsPkiTest {
    @TempDir Path tmp;

    private static int freePort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private Procs.Result ourClient(Path pki, int port, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(LiveRun.java(), "-cp", System.getProperty("java.class.path"),
                org.proxyinfo.cli.Main.class.getName(), "client", "--connect", "127.0.0.1:" + port, "--host", "localhost"));
        cmd.addAll(List.of(extra));
        if (pki != null) cmd.addAll(List.of("--pki", pki.toString()));
        return Procs.run(cmd, tmp, 60);
    }

    private Process start(List<String> cmd, String log, String ready) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve(log).toFile()).start();
        if (ready != null) Procs.awaitText(tmp.resolve(log), ready, 20_000, p);
        else Thread.sleep(1500);
        return p;
    }

    @Test
    @Timeout(180)
    @DisplayName("gnutls-serv loads server/ecdsa-key.pem (PKCS#8 with its public key) and ecdsa-chain.pem; our client accepts it")
    void gnutlsServLoadsTheTestPki() throws Exception {
        assertTrue(Procs.installed("gnutls-serv"), "gnutls-bin is not installed; .ci/run installs it");
        Path pki = WiresharkTest.reference().resolve("pki");
        int port = freePort();
        Process serv = start(List.of("gnutls-serv", "--http", "--disable-client-cert", "-p", String.valueOf(port),
                "--x509certfile", pki.resolve("server/ecdsa-chain.pem").toString(),
                "--x509keyfile", pki.resolve("server/ecdsa-key.pem").toString()), "gnutls-serv.log", "listening");
        try {
            Procs.Result r = ourClient(pki, port);
            assertEquals(0, r.exit(), r.out() + r.err() + Files.readString(tmp.resolve("gnutls-serv.log")));
        } finally {
            Procs.kill(serv);
        }
    }

    @Test
    @Timeout(180)
    @DisplayName("openssl s_server -cert server/ecdsa-chain.pem -cert_chain ca/intermediate.pem sends the chain; our client with --cafile accepts it")
    void opensslServerWithCertChain() throws Exception {
        Path pki = WiresharkTest.reference().resolve("pki");
        int port = freePort();
        Process serv = start(List.of("openssl", "s_server", "-accept", String.valueOf(port), "-www", "-tls1_2",
                "-cert", pki.resolve("server/ecdsa-chain.pem").toString(),
                "-cert_chain", pki.resolve("ca/intermediate.pem").toString(),
                "-key", pki.resolve("server/ecdsa-key.pem").toString()), "s_server.log", "ACCEPT");
        try {
            Procs.Result r = ourClient(null, port, "--cafile", pki.resolve("client/trust.pem").toString());
            assertEquals(0, r.exit(), r.out() + r.err() + Files.readString(tmp.resolve("s_server.log")));
        } finally {
            Procs.kill(serv);
        }
    }

    @Test
    @Timeout(180)
    @DisplayName("gnutls-cli and openssl s_client verify our server with the PKI's trust store; our server takes --cert/--key")
    void foreignClientsAgainstOurServer() throws Exception {
        assertTrue(Procs.installed("gnutls-cli"), "gnutls-bin is not installed; .ci/run installs it");
        Path pki = WiresharkTest.reference().resolve("pki");
        Process server = start(List.of(LiveRun.java(), "-cp", System.getProperty("java.class.path"), org.proxyinfo.cli.Main.class.getName(),
                "server", "--port", "0", "--cert", pki.resolve("server/ecdsa-chain.pem").toString(),
                "--key", pki.resolve("server/ecdsa-key.pem").toString()), "server.log", "listening on");
        try {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)")
                    .matcher(Files.readString(tmp.resolve("server.log")));
            assertTrue(m.find());
            String port = m.group(1);
            Files.writeString(tmp.resolve("get.txt"), "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            Process g = new ProcessBuilder("gnutls-cli", "--x509cafile", pki.resolve("client/trust.pem").toString(),
                    "-p", port, "localhost").directory(tmp.toFile()).redirectErrorStream(true)
                    .redirectInput(tmp.resolve("get.txt").toFile()).redirectOutput(tmp.resolve("gnutls-cli.log").toFile()).start();
            assertTrue(g.waitFor(60, TimeUnit.SECONDS));
            String glog = Files.readString(tmp.resolve("gnutls-cli.log"));
            assertTrue(glog.contains("Handshake was completed") && glog.contains("HTTP/1.1 200"), glog);
            Process o = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername", "localhost",
                    "-verify_hostname", "localhost", "-CAfile", pki.resolve("client/trust.pem").toString(), "-verify_return_error",
                    "-ign_eof").directory(tmp.toFile()).redirectErrorStream(true)
                    .redirectInput(tmp.resolve("get.txt").toFile()).redirectOutput(tmp.resolve("s_client.log").toFile()).start();
            assertTrue(o.waitFor(60, TimeUnit.SECONDS));
            String olog = Files.readString(tmp.resolve("s_client.log"));
            assertTrue(olog.contains("Verify return code: 0 (ok)") && olog.contains("HTTP/1.1 200"), olog);
        } finally {
            Procs.kill(server);
        }
    }
}
