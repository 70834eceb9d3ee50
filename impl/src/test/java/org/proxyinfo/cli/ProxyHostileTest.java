package org.proxyinfo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.pki.Credential;
import org.proxyinfo.pki.PkiDir;
import org.proxyinfo.pki.RevocationPolicy;
import org.proxyinfo.proxyinfo.SigningMode;
import org.proxyinfo.proxyinfo.UpstreamPolicy;
import org.proxyinfo.role.Leaks;
import org.proxyinfo.role.ProxyConfig;
import org.proxyinfo.role.ProxyServer;
import org.proxyinfo.role.ServerCredential;
import org.proxyinfo.role.SocketTransport;
import org.proxyinfo.role.TlsClient;
import org.proxyinfo.role.TlsConfig;
import org.proxyinfo.role.TlsConnection;
import org.proxyinfo.role.TlsProxy;
import org.proxyinfo.role.TlsServer;
import org.proxyinfo.trace.TraceSink;

/**
 * The proxy against a hostile client (hostile-user review): a server_name meant for the operator's terminal, and a
 * client that makes an SNI-routing proxy dial itself.
 */
class ProxyHostileTest {
    @TempDir
    Path tmp;
    Path pki;
    PkiDir dir;
    final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

    @BeforeEach
    void makePki() {
        pki = tmp.resolve("pki");
        assertEquals(0, CliRoughEdgesTest.run("pki", "--out", pki.toString()).exit());
        dir = new PkiDir(pki);
    }

    String log() {
        return logBytes.toString(StandardCharsets.UTF_8);
    }

    /** Our proxy on a free loopback port: SNI routing when {@code upstreamPort} is 0, else 127.0.0.1:upstreamPort. */
    ProxyServer proxy(int upstreamPort) throws IOException {
        Credential own = dir.proxy();
        ProxyConfig cfg = new ProxyConfig(new BcTlsCrypto(new SecureRandom()), new ServerCredential(own.privateKey(), own.chain()))
                .webTrust(dir.proxyUpstreamTrust(), RevocationPolicy.DEFAULT, dir.crls()).proxyTrust(dir.proxyProxyTrust())
                .limits(8, 2000, 10_000, 16384);
        if (upstreamPort != 0) {
            cfg.upstream("127.0.0.1", upstreamPort);
        }
        return new ProxyServer(new TlsProxy(cfg), InetAddress.getLoopbackAddress(), 0, log).start();
    }

    /** A client offering proxy_info (DEC-13) that trusts the PKI's proxy CA, as `client --proxy-trust` does. */
    TlsConfig proxyClient() throws IOException {
        RevocationPolicy policy = RevocationPolicy.parse("prefer");
        TlsConfig cfg = ClientCommand.clientConfig(dir, policy, new RoleOptions());
        ClientCommand.addProxyInfo(cfg, dir, null, List.of(), policy, SigningMode.fromConfig("bound"), UpstreamPolicy.defaults(),
                65360, TraceSink.NONE, false);
        return cfg;
    }

    static boolean control(int ch) {
        return HttpsServerHostileTest.control(ch);
    }

    /** Waits up to 10 s for {@code n} finished connections. */
    static void awaitHandled(ProxyServer p, int n) throws InterruptedException {
        long end = System.currentTimeMillis() + 10_000;
        while (p.handled() < n && System.currentTimeMillis() < end) {
            Thread.sleep(20);
        }
    }

    @Test
    @DisplayName("#5 a server_name with control characters is not a host name (RFC 6066 section 3): the proxy refuses it with"
            + " handshake_failure before dialling or forwarding it, and its log shows it escaped")
    void controlCharactersInServerName() throws Exception {
        String evil = "evil\u001b[31m\r.localhost";
        ByteArrayOutputStream originLog = new ByteArrayOutputStream();
        try (HttpsServer origin = new HttpsServer(new TlsServer(ServerCommand.serverConfig(dir, new RoleOptions())),
                InetAddress.getLoopbackAddress(), 0, new PrintStream(originLog, true, StandardCharsets.UTF_8))) {
            origin.start();
            for (int upstream : new int[] {0, origin.port()}) { // SNI routing, then a fixed --upstream
                try (ProxyServer proxy = proxy(upstream)) {
                    TlsConnection c = new TlsClient(proxyClient()).connect(
                            SocketTransport.connect("127.0.0.1", proxy.port(), 10_000), evil);
                    assertFalse(c.isEstablished());
                    assertEquals(AlertDescription.HANDSHAKE_FAILURE, c.alertReceived(), c.failureSummary());
                    awaitHandled(proxy, 1);
                }
            }
        }
        String text = log();
        assertFalse(text.chars().anyMatch(ProxyHostileTest::control), "a control character in the proxy's log:\n" + text);
        assertTrue(text.contains("evil\\x1b[31m\\r.localhost") && text.contains("is not a host name"), text);
        assertEquals("", originLog.toString(StandardCharsets.UTF_8), "the proxy forwarded the name to the origin");
    }

    @Test
    @DisplayName("#8 SNI routing without --upstream, the client names the proxy's own host and port: the proxy refuses to"
            + " dial itself (handshake_failure, one log line), one connection, not a loop through every slot; nothing leaks")
    void proxyDoesNotDialItself() throws Exception {
        int threads = Leaks.threads();
        int sockets = Leaks.openSockets();
        try (ProxyServer proxy = proxy(0)) {
            CliRoughEdgesTest.Run r = CliRoughEdgesTest.run("client", "--connect", "127.0.0.1:" + proxy.port(), "--host",
                    "localhost", "--pki", pki.toString(), "--proxy-trust");
            assertEquals(1, r.exit(), r.all());
            assertTrue(r.err().contains("handshake_failure"), r.err());
            awaitHandled(proxy, 1);
            Thread.sleep(500);
            assertEquals(1, proxy.handled(), "connections the proxy handled (a loop makes many):\n" + log());
            assertEquals(0, proxy.refusedOverLimit(), log());
            assertTrue(log().contains("is this proxy's own listening address"), log());
        }
        Leaks.assertNoThreadLeak(threads);
        Leaks.assertNoSocketLeak(sockets);
    }
}
