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
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxyinfo.pki.PkiDir;
import org.proxyinfo.pki.RevocationPolicy;
import org.proxyinfo.role.Leaks;
import org.proxyinfo.role.SocketTransport;
import org.proxyinfo.role.TlsClient;
import org.proxyinfo.role.TlsConfig;
import org.proxyinfo.role.TlsConnection;
import org.proxyinfo.role.TlsServer;

/**
 * The {@code server} command's HTTPS server against hostile clients after the handshake (hostile-user review): clients
 * that drip their request, that send a bad record, and text meant for the operator's terminal. What the server does,
 * and what its log says.
 */
class HttpsServerHostileTest {
    @TempDir
    Path tmp;
    Path pki;
    final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

    @BeforeEach
    void makePki() {
        pki = tmp.resolve("pki");
        assertEquals(0, CliRoughEdgesTest.run("pki", "--out", pki.toString()).exit());
    }

    String log() {
        synchronized (logBytes) {
            return logBytes.toString(StandardCharsets.UTF_8);
        }
    }

    HttpsServer server(int headDeadlineMillis) throws IOException {
        return new HttpsServer(new TlsServer(ServerCommand.serverConfig(new PkiDir(pki), new RoleOptions())),
                InetAddress.getLoopbackAddress(), 0, log, headDeadlineMillis);
    }

    TlsConfig clientConfig() throws IOException {
        return ClientCommand.clientConfig(new PkiDir(pki), RevocationPolicy.parse("prefer"), new RoleOptions());
    }

    /** A client that completes the handshake, then sends a request head one byte every 300 ms that never ends. */
    Thread dripper(int port) throws IOException {
        TlsConnection c = new TlsClient(clientConfig()).connect(SocketTransport.connect("127.0.0.1", port, 10_000), "localhost");
        assertTrue(c.isEstablished(), c.failureSummary());
        Thread t = new Thread(() -> {
            try {
                c.write("GET / HTTP/1.1\r\nX-Pad: ".getBytes(StandardCharsets.US_ASCII));
                for (int i = 0; i < 400; i++) { // 2 minutes at most, whatever happens
                    c.write(new byte[] {'a'});
                    Thread.sleep(300);
                }
            } catch (IOException | InterruptedException e) {
                // the server cut us off: what the test wants
            } finally {
                c.close();
            }
        }, "dripper");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits up to 10 s for a log line containing {@code text}. */
    String awaitLog(String text) throws InterruptedException {
        return awaitLog(text, "\u0000");
    }

    /** The line that says how the connection from local port {@code port} ended (not its handshake line). */
    String awaitEnd(int port) throws InterruptedException {
        return awaitLog(":" + port + " ", "handshake with");
    }

    /** Waits up to 10 s for a log line containing {@code text} and not {@code not}. */
    String awaitLog(String text, String not) throws InterruptedException {
        long end = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < end) {
            for (String line : log().lines().toList()) {
                if (line.contains(text) && !line.contains(not)) {
                    return line;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no log line with '" + text + "' in:\n" + log());
    }

    @Test
    @DisplayName("#3 four clients that drip their request head hold every slot: each is cut off at the request deadline, the"
            + " log says the server is full, and an honest client is served within a bound; nothing leaks")
    void drippersDoNotLockOutHonestClients() throws Exception {
        int threads = Leaks.threads();
        int sockets = Leaks.openSockets();
        List<Thread> drippers = new ArrayList<>();
        try (HttpsServer server = server(1500)) {
            server.start();
            for (int i = 0; i < HttpsServer.MAX_CONNECTIONS; i++) {
                drippers.add(dripper(server.port()));
            }
            long t0 = System.nanoTime();
            CliRoughEdgesTest.Run r = CliRoughEdgesTest.run("client", "--connect", "127.0.0.1:" + server.port(), "--host", "localhost",
                    "--pki", pki.toString());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(0, r.exit(), r.all() + "\nserver log:\n" + log());
            assertTrue(ms < 8_000, "served after " + ms + " ms");
            awaitLog("all " + HttpsServer.MAX_CONNECTIONS + " connections are busy");
            awaitLog("sent no complete HTTP request within 1500 ms of the handshake");
            for (Thread t : drippers) {
                t.join(10_000);
                assertFalse(t.isAlive(), "a dripper was never cut off");
            }
        }
        Leaks.assertNoThreadLeak(threads);
        Leaks.assertNoSocketLeak(sockets);
    }

    /** Our client's handshake over a socket we keep, then {@code raw} written under the record layer; the socket's port. */
    int afterHandshakeSend(int port, byte[] raw) throws IOException {
        java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(10_000);
        TlsConnection c = new TlsClient(clientConfig()).connect(new SocketTransport(s), "localhost");
        assertTrue(c.isEstablished(), c.failureSummary());
        if (raw != null) {
            s.getOutputStream().write(raw);
            s.getOutputStream().flush();
        }
        return s.getLocalPort(); // the test closes nothing: the server ends the connection
    }

    static byte[] record(int type, int length) {
        byte[] r = new byte[5 + Math.min(length, 64)];
        r[0] = (byte) type;
        r[1] = 3;
        r[2] = 3;
        r[3] = (byte) (length >> 8);
        r[4] = (byte) length;
        for (int i = 5; i < r.length; i++) {
            r[i] = (byte) (i * 31);
        }
        return r;
    }

    @Test
    @DisplayName("#4 after the handshake: a bad-MAC record, an oversized record, a plaintext handshake record or an idle client"
            + " end the connection, and the server's log says what happened (the alert it sent, the deadline), not 'closed the"
            + " connection without a complete HTTP request'")
    void logSaysWhatHappenedAfterTheHandshake() throws Exception {
        try (HttpsServer server = server(2000)) {
            server.start();
            int badMac = afterHandshakeSend(server.port(), record(23, 40));
            assertTrue(awaitEnd(badMac).contains("bad_record_mac"), log());
            int oversized = afterHandshakeSend(server.port(), record(23, (1 << 14) + 2048 + 1));
            assertTrue(awaitEnd(oversized).contains("record_overflow"), log());
            byte[] hello = {22, 3, 3, 0, 4, 1, 0, 0, 0}; // a ClientHello header in plaintext after ChangeCipherSpec
            int plaintext = afterHandshakeSend(server.port(), hello);
            assertTrue(awaitEnd(plaintext).contains("bad_record_mac"), log());
            int idle = afterHandshakeSend(server.port(), null);
            assertTrue(awaitEnd(idle).contains("sent no complete HTTP request within 2000 ms"), log());
            assertFalse(log().contains("closed the connection without a complete HTTP request"), log());
        }
    }

    /** A control character a terminal acts on: 0x00-0x1f but the line end, DEL, 0x80-0x9f. */
    static boolean control(int ch) {
        return ch < 0x20 && ch != '\n' || ch == 0x7f || ch >= 0x80 && ch < 0xa0;
    }

    @Test
    @DisplayName("#5 what the peer sends is escaped in the server's log: a request line and a server_name with escape sequences,"
            + " a bare CR, BEL and a C1 CSI reach the terminal as \\x1b, \\r, \\x07, \\x9b")
    void peerTextIsEscapedInTheLog() throws Exception {
        try (HttpsServer server = server(5000)) {
            server.start();
            // the client accepts any certificate: the point is what the server logs, not what the client checks
            TlsConfig cfg = clientConfig().verifier((chain, der, host) -> "accepted without checks (test)");
            TlsConnection c = new TlsClient(cfg).connect(SocketTransport.connect("127.0.0.1", server.port(), 10_000),
                    "evil\u001b[2Jname");
            assertTrue(c.isEstablished(), c.failureSummary());
            c.write("GET /\u001b]0;owned\u0007\rserver: forged line\u009b HTTP/1.1\r\nHost: x\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            c.getInputStream().readAllBytes();
            c.close();
            awaitLog("closing with close_notify");
            String text = log();
            assertFalse(text.chars().anyMatch(HttpsServerHostileTest::control), "a control character in the log:\n" + text);
            assertTrue(text.contains("client asked for evil\\x1b[2Jname"), text);
            assertTrue(text.contains("\"GET /\\x1b]0;owned\\x07\\rserver: forged line\\x9b HTTP/1.1\""), text);
        }
    }
}
