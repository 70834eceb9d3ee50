package org.proxyinfo.role;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.ext.ExtensionTable;
import org.proxyinfo.pki.RevocationPolicy;
import org.proxyinfo.pki.TestPki;
import org.proxyinfo.proxyinfo.ProxyInfoTableEntry;
import org.proxyinfo.proxyinfo.SigningMode;
import org.proxyinfo.proxyinfo.UpstreamPolicy;
import org.proxyinfo.proxyinfo.ValidatorCertificateChecks;

/**
 * The proxy's limits and failure paths over loopback: clients that vanish mid-handshake (before and
 * after session #2 exists), an unreachable upstream (fatal alert naming it), the connection limit,
 * relay backpressure (DEC-18) — and never a leaked thread or socket.
 */
class ProxyRobustnessTest {
    static final TestPki PKI = TestCredentials.PKI;
    static final String HOST = TestPki.ORIGIN_HOST;
    private int threadsBefore;
    private int socketsBefore;
    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

    @BeforeEach
    void counts() {
        threadsBefore = Leaks.threads();
        socketsBefore = Leaks.openSockets();
    }

    @AfterEach
    void noLeaks() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        Leaks.assertNoThreadLeak(threadsBefore);
        Leaks.assertNoSocketLeak(socketsBefore);
    }

    /** An origin (our server) that answers a GET with {@code bodyBytes} bytes, counting what it has written. */
    static final class Origin implements AutoCloseable {
        final ServerSocket listener = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        final AtomicLong written = new AtomicLong();
        final List<TlsConnection> connections = new CopyOnWriteArrayList<>();
        final Thread thread;

        Origin(long bodyBytes) throws IOException {
            TlsServer tls = new TlsServer(new TlsConfig(new BcTlsCrypto(new SecureRandom())).credential(TestCredentials.EC)
                    .credential(TestCredentials.RSA));
            thread = new Thread(() -> {
                while (true) {
                    try (Socket s = listener.accept()) {
                        TlsConnection c = tls.accept(new SocketTransport(s));
                        connections.add(c);
                        if (!c.isEstablished()) {
                            continue;
                        }
                        InputStream in = c.getInputStream();
                        int b;
                        int crlf = 0;
                        while (crlf < 4 && (b = in.read()) >= 0) {
                            crlf = (b == '\r' || b == '\n') ? crlf + 1 : 0;
                        }
                        byte[] chunk = new byte[16 * 1024];
                        for (long sent = 0; sent < bodyBytes; sent += chunk.length) {
                            c.write(chunk);
                            written.addAndGet(chunk.length);
                        }
                        c.close();
                    } catch (IOException e) {
                        if (listener.isClosed()) {
                            return;
                        }
                    }
                }
            }, "test-origin");
            thread.start();
        }

        int port() { return listener.getLocalPort(); }

        @Override
        public void close() throws Exception {
            listener.close();
            thread.join(10_000);
        }
    }

    ProxyServer proxy(int upstreamPort, int maxConnections, int handshakeTimeout, List<TlsProxy.Outcome> outcomes) throws IOException {
        ProxyConfig cfg = new ProxyConfig(new BcTlsCrypto(new SecureRandom()), TestCredentials.of(PKI.proxy()))
                .webTrust(PKI.webTrust(), RevocationPolicy.DEFAULT, PKI.webCrls()).proxyTrust(PKI.proxyTrust())
                .upstream("127.0.0.1", upstreamPort).limits(maxConnections, handshakeTimeout, 5_000, 16 * 1024)
                .connectTimeoutMillis(2_000);
        ProxyServer s = new ProxyServer(new TlsProxy(cfg), InetAddress.getLoopbackAddress(), 0,
                new PrintStream(OutputStream.nullOutputStream())).onOutcome(outcomes::add).start();
        open.add(0, s);
        return s;
    }

    static TlsConfig client() {
        BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());
        return new TlsConfig(crypto).trustAnchors(PKI.webTrust(), RevocationPolicy.DEFAULT, PKI.webCrls())
                .extensions(ExtensionTable.DEFAULT.with(new ProxyInfoTableEntry(0xFF50)))
                .proxyInfoCheck(new ProxyInfoClientCheck(crypto, SigningMode.BOUND, 0xFF50, new ValidatorCertificateChecks(
                        PKI.proxyTrust(), List.of(), PKI.webTrust(), RevocationPolicy.DEFAULT, PKI.webCrls(),
                        java.time.Clock.systemUTC()), UpstreamPolicy.defaults(), null, "client", "session1", 4));
    }

    static void awaitOutcomes(List<TlsProxy.Outcome> outcomes, int n) throws InterruptedException {
        for (int i = 0; i < 400 && outcomes.size() < n; i++) {
            Thread.sleep(25);
        }
        assertEquals(n, outcomes.size(), "proxy connections finished");
    }

    static void awaitIdle(ProxyServer p) throws InterruptedException {
        for (int i = 0; i < 200 && p.active() > 0; i++) {
            Thread.sleep(25);
        }
        assertEquals(0, p.active(), "every proxy connection finished");
    }

    @Test
    @DisplayName("Clients that vanish mid-handshake (silent, half a record, EOF) end their proxy connection; no leak")
    void clientsVanishingBeforeSession2() throws Exception {
        Origin origin = new Origin(10);
        open.add(origin);
        List<TlsProxy.Outcome> outcomes = new CopyOnWriteArrayList<>();
        ProxyServer p = proxy(origin.port(), 8, 500, outcomes);
        try (Socket silent = new Socket("127.0.0.1", p.port()); Socket half = new Socket("127.0.0.1", p.port());
             Socket eof = new Socket("127.0.0.1", p.port())) {
            half.getOutputStream().write(new byte[] {22, 3, 3, 0, 100, 1, 0}); // a ClientHello record cut short
            half.getOutputStream().flush();
            eof.shutdownOutput();
            Thread.sleep(1_200); // past the 500 ms handshake timeout
            awaitOutcomes(outcomes, 3);
            awaitIdle(p);
        }
        for (TlsProxy.Outcome o : outcomes) {
            assertFalse(o.session1.isEstablished());
            assertTrue(o.session2 == null, "no upstream session for a client that never finished its ClientHello");
        }
        assertTrue(origin.connections.isEmpty());
    }

    /** A transport that drops the connection as soon as the first byte from the proxy arrives. */
    static final class VanishingTransport implements Transport {
        final SocketTransport inner;

        VanishingTransport(SocketTransport inner) { this.inner = inner; }

        @Override public InputStream input() {
            return new InputStream() {
                @Override public int read() throws IOException {
                    inner.close();
                    throw new IOException("client vanished");
                }

                @Override public int read(byte[] b, int off, int len) throws IOException {
                    return read();
                }
            };
        }

        @Override public OutputStream output() { return inner.output(); }

        @Override public String describe() { return "vanishing " + inner.describe(); }

        @Override public void close() { inner.close(); }

        @Override public boolean isClosed() { return inner.isClosed(); }
    }

    @Test
    @DisplayName("A client that vanishes after its ClientHello (session #2 already established) makes the proxy close session #2 too; no leak")
    void clientVanishingAfterSession2() throws Exception {
        Origin origin = new Origin(10);
        open.add(origin);
        List<TlsProxy.Outcome> outcomes = new CopyOnWriteArrayList<>();
        ProxyServer p = proxy(origin.port(), 8, 2_000, outcomes);
        TlsConnection c = new TlsClient(client()).connect(new VanishingTransport(SocketTransport.connect("127.0.0.1", p.port(), 2_000)), HOST);
        assertFalse(c.isEstablished());
        awaitOutcomes(outcomes, 1);
        awaitIdle(p);
        TlsProxy.Outcome o = outcomes.get(0);
        assertFalse(o.session1.isEstablished());
        assertTrue(o.session2 != null && o.session2.isEstablished() && o.session2.isClosed(), "DEC-14: session #2 existed and was closed");
        for (int i = 0; i < 100 && origin.connections.isEmpty(); i++) {
            Thread.sleep(20);
        }
        assertEquals(1, origin.connections.size());
    }

    @Test
    @DisplayName("DEC-14/DEC-21: an unreachable upstream: the client gets a fatal internal_error; the proxy's message names the upstream")
    void unreachableUpstream() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        List<TlsProxy.Outcome> outcomes = new CopyOnWriteArrayList<>();
        ProxyServer p = proxy(closedPort, 8, 2_000, outcomes);
        TlsConnection c = new TlsClient(client()).connect(SocketTransport.connect("127.0.0.1", p.port(), 2_000), HOST);
        assertFalse(c.isEstablished());
        assertEquals(AlertDescription.INTERNAL_ERROR, c.alertReceived());
        awaitOutcomes(outcomes, 1);
        awaitIdle(p);
        TlsProxy.Outcome o = outcomes.get(0);
        assertEquals("DEC-14", o.session1.failureRequirement());
        assertTrue(o.session1.failureSummary().contains("127.0.0.1:" + closedPort), o.session1.failureSummary());
    }

    @Test
    @DisplayName("Connection limit: a client beyond --max-connections is closed at once and counted; the proxy keeps serving")
    void connectionLimit() throws Exception {
        Origin origin = new Origin(10);
        open.add(origin);
        List<TlsProxy.Outcome> outcomes = new CopyOnWriteArrayList<>();
        ProxyServer p = proxy(origin.port(), 1, 1_000, outcomes);
        try (Socket holder = new Socket("127.0.0.1", p.port())) {
            for (int i = 0; i < 100 && p.active() < 1; i++) {
                Thread.sleep(10);
            }
            try (Socket extra = new Socket()) {
                extra.connect(new InetSocketAddress("127.0.0.1", p.port()), 2_000);
                extra.setSoTimeout(2_000);
                assertEquals(-1, extra.getInputStream().read(), "closed at once");
            }
            assertEquals(1, p.refusedOverLimit());
        }
        awaitIdle(p);
        TlsConnection c = new TlsClient(client()).connect(SocketTransport.connect("127.0.0.1", p.port(), 2_000), HOST);
        assertTrue(c.isEstablished(), c.failureSummary());
        c.close();
        awaitIdle(p);
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"proxied-two-hops", "second-hop-lies", "legacy-client-refused",
            "upstream-unreachable", "replay-bound", "resumed-over-full-session2"})
    @DisplayName("Whole demo scenarios (origin, proxies, client) leave no thread or socket behind")
    void scenarioRunsDoNotLeak(String name) {
        org.proxyinfo.demo.ScenarioResult r = org.proxyinfo.demo.ScenarioRunner.run(org.proxyinfo.demo.Scenarios.byName(name),
                org.proxyinfo.demo.RunOptions.of(PKI).timeoutMillis(5_000));
        assertTrue(r.passed(), r.summary());
    }

    @Test
    @DisplayName("DEC-18 backpressure: while the client does not read, the proxy stops reading from the origin; then all bytes arrive intact")
    void relayBackpressure() throws Exception {
        long total = 32L * 1024 * 1024;
        Origin origin = new Origin(total);
        open.add(origin);
        List<TlsProxy.Outcome> outcomes = new CopyOnWriteArrayList<>();
        ProxyServer p = proxy(origin.port(), 8, 5_000, outcomes);
        TlsConnection c = new TlsClient(client()).connect(SocketTransport.connect("127.0.0.1", p.port(), 5_000), HOST);
        assertTrue(c.isEstablished(), c.failureSummary());
        c.write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        long last = -1;
        for (int i = 0; i < 40; i++) { // wait until the origin's writes stall
            Thread.sleep(100);
            long now = origin.written.get();
            if (now == last && now > 0) {
                break;
            }
            last = now;
        }
        long stalled = origin.written.get();
        assertTrue(stalled < total, "the origin wrote everything although nobody read: no backpressure");
        byte[] buf = new byte[64 * 1024];
        long got = 0;
        InputStream in = c.getInputStream();
        int n;
        while ((n = in.read(buf)) >= 0) {
            got += n;
        }
        assertEquals(total, got, "every byte relayed once the client reads");
        c.close();
        awaitOutcomes(outcomes, 1);
        awaitIdle(p);
        assertTrue(outcomes.get(0).relayed);
        assertEquals(total, outcomes.get(0).bytesToClient);
    }
}
