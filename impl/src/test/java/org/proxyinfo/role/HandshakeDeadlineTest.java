package org.proxyinfo.role;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.pki.Credential;
import org.proxyinfo.pki.RevocationPolicy;

/**
 * Hostile peers that drip bytes (issue #14, HOSTILE.md "limits"): one byte every 250 ms never
 * trips a 1 s read timeout, so only a deadline for the whole handshake ends them. Checked for our
 * server, our client and both legs of our proxy; and the proxy in SNI mode dials the port the
 * client meant (the port it reached the proxy on), not 443.
 */
class HandshakeDeadlineTest {
    static final int DRIP_MILLIS = 250;

    /** Writes {@code bytes} one at a time, DRIP_MILLIS apart, until done or the socket breaks. */
    static Thread drip(Socket s, byte[] bytes) {
        Thread t = new Thread(() -> {
            try {
                OutputStream out = s.getOutputStream();
                for (byte b : bytes) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(DRIP_MILLIS);
                }
            } catch (IOException | InterruptedException e) {
                // the role under test closed the connection: what we wanted
            }
        }, "dripper");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** A record header announcing 512 bytes of handshake, then the bytes, forever slow. */
    static byte[] slowRecord() {
        byte[] b = new byte[5 + 512];
        b[0] = 22;
        b[1] = 3;
        b[2] = 3;
        b[3] = 2;
        return b;
    }

    @Test
    @DisplayName("server: a client dripping its ClientHello is cut off at the handshake deadline, not after the whole message")
    void serverDeadline() throws Exception {
        try (ServerSocket ls = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
             Socket c = new Socket(InetAddress.getLoopbackAddress(), ls.getLocalPort())) {
            Thread d = drip(c, slowRecord());
            TlsConfig cfg = new TlsConfig(new BcTlsCrypto(new SecureRandom())).credential(TestCredentials.EC)
                    .timeoutMillis(1000).handshakeDeadlineMillis(1500);
            long t0 = System.nanoTime();
            TlsConnection conn = new TlsServer(cfg).accept(new SocketTransport(ls.accept()));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertFalse(conn.isEstablished());
            assertTrue(conn.failureSummary().contains("timed out") && conn.failureSummary().contains("1500 ms"), conn.failureSummary());
            assertTrue(ms >= 1400 && ms < 4000, "ended after " + ms + " ms");
            assertTrue(conn.isClosed());
            d.join(2000);
            assertFalse(d.isAlive(), "the dripper noticed the close");
        }
    }

    @Test
    @DisplayName("client: a server dripping its flight is cut off at the handshake deadline")
    void clientDeadline() throws Exception {
        try (ServerSocket ls = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Thread> dripper = CompletableFuture.supplyAsync(() -> {
                try {
                    Socket s = ls.accept();
                    return drip(s, slowRecord());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            TlsConfig cfg = ProxyFixture.client(false, 1000).handshakeDeadlineMillis(1500);
            long t0 = System.nanoTime();
            TlsConnection conn = new TlsClient(cfg).connect(SocketTransport.connect("127.0.0.1", ls.getLocalPort(), 1000),
                    TestCredentials.HOST);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertFalse(conn.isEstablished());
            assertTrue(conn.failureSummary().contains("timed out"), conn.failureSummary());
            assertTrue(ms >= 1400 && ms < 4000, "ended after " + ms + " ms");
            dripper.get(5, TimeUnit.SECONDS).join(2000);
        }
    }

    @Test
    @DisplayName("proxy session #1: a client dripping its ClientHello frees its slot at the proxy's handshake timeout")
    void proxyDownstreamDeadline() throws Exception {
        ProxyFixture.Log log = new ProxyFixture.Log();
        CompletableFuture<TlsProxy.Outcome> outcome = new CompletableFuture<>();
        try (ProxyFixture.EchoOrigin origin = new ProxyFixture.EchoOrigin(0);
             ProxyServer proxy = ProxyFixture.proxy(origin.port(), 4, 1500, 3000, 16 * 1024, log.stream)) {
            proxy.onOutcome(outcome::complete);
            long t0 = System.nanoTime();
            try (Socket c = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
                drip(c, slowRecord());
                TlsProxy.Outcome o = outcome.get(6, TimeUnit.SECONDS);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertNotNull(o.session1);
                assertFalse(o.session1.isEstablished());
                assertTrue(o.session1.failureSummary().contains("timed out"), o.session1.failureSummary());
                assertTrue(ms < 4000, "slot held for " + ms + " ms");
            }
            for (int i = 0; i < 50 && proxy.active() > 0; i++) {
                Thread.sleep(20); // the slot is released just after the outcome is reported
            }
            assertEquals(0, proxy.active());
        }
    }

    @Test
    @DisplayName("proxy session #2: an origin dripping its flight is cut off; the client is refused within bounded time")
    void proxyUpstreamDeadline() throws Exception {
        ProxyFixture.Log log = new ProxyFixture.Log();
        CompletableFuture<TlsProxy.Outcome> outcome = new CompletableFuture<>();
        try (ServerSocket originListener = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
             ProxyServer proxy = ProxyFixture.proxy(originListener.getLocalPort(), 4, 1500, 3000, 16 * 1024, log.stream)) {
            proxy.onOutcome(outcome::complete);
            CompletableFuture.runAsync(() -> {
                try {
                    Socket s = originListener.accept();
                    s.getInputStream().read(new byte[4096]); // the proxy's ClientHello
                    drip(s, slowRecord());
                } catch (IOException e) {
                    // test ends
                }
            });
            long t0 = System.nanoTime();
            TlsConnection conn = new TlsClient(ProxyFixture.client(true, 5000))
                    .connect(SocketTransport.connect("127.0.0.1", proxy.port(), 2000), ProxyFixture.HOST);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertFalse(conn.isEstablished());
            assertTrue(ms < 5000, "client waited " + ms + " ms");
            TlsProxy.Outcome o = outcome.get(6, TimeUnit.SECONDS);
            assertNotNull(o.session2);
            assertTrue(o.session2.failureSummary().contains("timed out"), o.session2.failureSummary());
        }
    }

    @Test
    @DisplayName("proxy in SNI mode dials the port the client meant (the port it reached the proxy on), not 443")
    void sniModeDialsTheClientsPort() throws Exception {
        try (ProxyFixture.EchoOrigin origin = new ProxyFixture.EchoOrigin(0)) {
            int port = origin.port(); // the origin listens on 127.0.0.1:port
            Credential own = ProxyFixture.PKI.proxy();
            ProxyConfig cfg = new ProxyConfig(new BcTlsCrypto(new SecureRandom()), new ServerCredential(own.privateKey(), own.chain()))
                    .webTrust(ProxyFixture.PKI.webTrust(), RevocationPolicy.DEFAULT, ProxyFixture.PKI.webCrls())
                    .proxyTrust(ProxyFixture.PKI.proxyTrust()).limits(4, 3000, 3000, 16 * 1024).connectTimeoutMillis(2000);
            // the proxy listens on the same port of another loopback address; the client means localhost:port
            InetAddress proxyAddress = InetAddress.getByName("127.0.0.2");
            try (ProxyServer proxy = new ProxyServer(new TlsProxy(cfg), proxyAddress, port, new ProxyFixture.Log().stream).start()) {
                TlsConnection conn = new TlsClient(ProxyFixture.client(true, 5000))
                        .connect(SocketTransport.connect("127.0.0.2", proxy.port(), 2000), "localhost");
                assertTrue(conn.isEstablished(), conn.failureSummary());
                assertTrue(conn.proxied());
                conn.write(new byte[] {1, 2, 3});
                byte[] back = new byte[3];
                assertEquals(3, conn.read(back, 0, 3));
                assertEquals(2, back[1]);
                conn.close();
            }
        }
    }
}
