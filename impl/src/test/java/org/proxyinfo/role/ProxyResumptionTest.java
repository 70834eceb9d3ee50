package org.proxyinfo.role;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.pki.Credential;
import org.proxyinfo.pki.RevocationPolicy;
import org.proxyinfo.trace.TraceSink;

/**
 * DEC-22 through the proxy (the draft's 01-R1..R4, 00-R1..R3): real sockets, our client, our proxy and our
 * origin server, each with its session cache. The proxy offers the linked session-#2 ID only for a known
 * session-#1 ID (01-R1), resumes session #1 only when the server resumed session #2 (01-R2), and when the
 * server declines it runs a full session #2 and a full session #1 (01-R3, 01-R4). The client re-checks the
 * fresh ProxyInfo of every abbreviated handshake against the cached session (DEC-22).
 */
class ProxyResumptionTest {
    static final String HOST = ProxyFixture.HOST;

    /** The proxy's checks, as "leg requirement what". */
    static final class Checks implements TraceSink {
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        @Override public void message(String role, String leg, String direction, String contentType, String messageName,
                                      Map<String, Object> fields, byte[] raw, List<Integer> recordBoundaries) { }

        @Override public void transition(String role, String leg, String from, String to, String trigger) { }

        @Override public void check(String role, String leg, String requirementId, String what, boolean passed, String detail) {
            lines.add(leg + " " + requirementId + " " + what);
        }

        @Override public void claim(String role, String leg, String claim, Map<String, Object> params) { }

        @Override public void secret(String role, String leg, String name, byte[] value) { }

        @Override public void outcome(String role, String leg, boolean established, String alert, String sentBy,
                                      String requirementId, String message) { }

        boolean has(String fragment) {
            synchronized (lines) {
                return lines.stream().anyMatch(l -> l.contains(fragment));
            }
        }

        void clear() {
            lines.clear();
        }
    }

    SessionCache originCache;
    ServerSocket originListener;
    Thread originThread;
    final List<TlsConnection> originConnections = Collections.synchronizedList(new ArrayList<>());
    Checks proxyChecks;
    ProxyServer proxy;
    SessionCache proxySession1Cache;
    private int threadsBefore;

    @BeforeEach
    void start() throws IOException {
        threadsBefore = Leaks.threads();
        originCache = new SessionCache();
        TlsConfig ocfg = new TlsConfig(new BcTlsCrypto(new SecureRandom())).credential(TestCredentials.EC)
                .credential(TestCredentials.RSA).sessionCache(originCache);
        originListener = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        originThread = new Thread(() -> {
            while (!originListener.isClosed()) {
                try (Socket s = originListener.accept()) {
                    s.setSoTimeout(10_000);
                    TlsConnection c = new TlsServer(ocfg).accept(new SocketTransport(s));
                    originConnections.add(c);
                    byte[] buf = new byte[256];
                    int n;
                    while (c.isEstablished() && (n = c.read(buf, 0, buf.length)) >= 0) {
                        c.write(buf, 0, n);
                    }
                    c.close();
                } catch (IOException e) {
                    // the listener closed, or the peer went away
                }
            }
        }, "origin");
        originThread.setDaemon(true);
        originThread.start();
        proxy = newProxy();
    }

    ProxyServer newProxy() throws IOException {
        proxyChecks = new Checks();
        proxySession1Cache = new SessionCache();
        Credential own = ProxyFixture.PKI.proxy();
        ProxyConfig cfg = new ProxyConfig(new BcTlsCrypto(new SecureRandom()), new ServerCredential(own.privateKey(), own.chain()))
                .webTrust(ProxyFixture.PKI.webTrust(), RevocationPolicy.DEFAULT, ProxyFixture.PKI.webCrls())
                .proxyTrust(ProxyFixture.PKI.proxyTrust()).upstream("127.0.0.1", originListener.getLocalPort())
                .trace(proxyChecks).sessionCaches(proxySession1Cache, new SessionCache());
        return new ProxyServer(new TlsProxy(cfg), InetAddress.getLoopbackAddress(), 0, new java.io.PrintStream(
                java.io.OutputStream.nullOutputStream())).start();
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        originListener.close();
        originThread.join(5000);
        Leaks.assertNoThreadLeak(threadsBefore);
    }

    /** One connection through the proxy: handshake, one echoed line, close. */
    TlsConnection connect(TlsConfig client) throws Exception {
        int before = originConnections.size();
        Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        s.setSoTimeout(10_000);
        TlsConnection c = new TlsClient(client).connect(new SocketTransport(s), HOST);
        assertTrue(c.isEstablished(), c.failureSummary());
        assertTrue(c.proxied(), "the proxy announced itself (DEC-8)");
        c.write("ping\n".getBytes(StandardCharsets.US_ASCII));
        byte[] b = new byte[5];
        int got = 0;
        while (got < 5) {
            int n = c.read(b, got, 5 - got);
            assertTrue(n > 0, "echo through the proxy");
            got += n;
        }
        assertEquals("ping\n", new String(b, StandardCharsets.US_ASCII));
        c.close();
        long deadline = System.currentTimeMillis() + 5000;
        while (originConnections.size() == before && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        return c;
    }

    TlsConnection lastOrigin() {
        return originConnections.get(originConnections.size() - 1);
    }

    @Test
    @DisplayName("01-R1, 01-R2, 00-R1, 00-R2, 00-R3: a known session-#1 ID resumes session #2 with the server, then session #1; fresh ProxyInfo (DEC-22)")
    void resumedProxied() throws Exception {
        TlsConfig client = ProxyFixture.client(true, 10_000);
        TlsConnection full = connect(client);
        assertFalse(full.resumed());
        TlsConnection originFull = lastOrigin();
        assertFalse(originFull.resumed());
        proxyChecks.clear();

        TlsConnection resumed = connect(client);
        assertTrue(resumed.resumed(), "the client resumed session #1");
        assertEquals(full.sessionId(), resumed.sessionId());
        assertTrue(resumed.proxyInfoSummary().contains("verifies"), resumed.proxyInfoSummary());
        TlsConnection origin = lastOrigin();
        assertTrue(origin.resumed(), "the origin resumed session #2 (01-R1)");
        assertEquals(originFull.sessionId(), origin.sessionId());
        assertTrue(proxyChecks.has("01-R1 the client offers known session " + full.sessionId()), proxyChecks.lines.toString());
        assertTrue(proxyChecks.has("01-R2 the server resumed session #2"), proxyChecks.lines.toString());
        assertNotEquals(java.util.HexFormat.of().formatHex(full.peerProxyInfo()),
                java.util.HexFormat.of().formatHex(resumed.peerProxyInfo()), "a fresh signed ProxyInfo on the abbreviated handshake");
    }

    @Test
    @DisplayName("01-R3, 01-R4: the server declines session #2, so session #2 and session #1 are both full")
    void serverDeclinesSoBothFull() throws Exception {
        TlsConfig client = ProxyFixture.client(true, 10_000);
        TlsConnection full = connect(client);
        originCache.clear(); // the origin forgets: it declines the linked session #2
        proxyChecks.clear();

        TlsConnection second = connect(client);
        assertFalse(second.resumed(), "01-R4: no resumption with the client after the server declined");
        assertNotEquals(full.sessionId(), second.sessionId());
        assertFalse(lastOrigin().resumed());
        assertTrue(proxyChecks.has("01-R1 the client offers known session " + full.sessionId()), proxyChecks.lines.toString());
        assertTrue(proxyChecks.has("01-R4 the server declined session #2"), proxyChecks.lines.toString());

        TlsConnection third = connect(client); // the new pair of sessions is linked and resumable again
        assertTrue(third.resumed());
        assertEquals(second.sessionId(), third.sessionId());
        assertTrue(lastOrigin().resumed());
    }

    @Test
    @DisplayName("DEC-22: a client that offers a session-#1 ID the proxy does not know gets full sessions; session #2 offers no ID")
    void clientOffersUnknownId() throws Exception {
        TlsConfig client = ProxyFixture.client(true, 10_000);
        TlsConnection first = connect(client);
        proxySession1Cache.clear(); // the proxy forgets session #1: the client's ID is unknown to it
        proxyChecks.clear();
        TlsConnection second = connect(client);
        assertFalse(second.resumed());
        assertNotEquals(first.sessionId(), second.sessionId());
        assertFalse(lastOrigin().resumed(), "01-R1: nothing offered upstream for an unknown session #1");
        assertTrue(proxyChecks.has("01-R1 session #2 offers no session_id"), proxyChecks.lines.toString());
    }

    @Test
    @DisplayName("DEC-22: the proxy caches are bounded; a session-#1 entry evicted means full sessions")
    void evictedEntryMeansFull() throws Exception {
        SessionCache c = new SessionCache(1, java.time.Duration.ofMinutes(1));
        java.time.Clock clock = java.time.Clock.systemUTC();
        SessionCache.Session a = new SessionCache.Session(new byte[] {1}, new byte[48], 0xC02B, true, HOST, clock.instant(),
                List.of(), false, null, null, null);
        SessionCache.Session b = new SessionCache.Session(new byte[] {2}, new byte[48], 0xC02B, true, HOST, clock.instant(),
                List.of(), false, null, null, null);
        c.put("a", a);
        c.put("b", b);
        assertEquals(1, c.size());
        assertEquals(null, c.get("a", clock));
        assertEquals(b, c.get("b", clock));
        java.time.Clock later = java.time.Clock.offset(clock, java.time.Duration.ofMinutes(2));
        assertEquals(null, c.get("b", later), "an entry past its lifetime is not resumed");
        assertEquals(0, c.size());
    }
}
