package org.proxyinfo.clientcert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.pki.Credential;
import org.proxyinfo.pki.RevocationPolicy;
import org.proxyinfo.pki.TestPki;
import org.proxyinfo.role.OriginMemory;
import org.proxyinfo.role.ProxyConfig;
import org.proxyinfo.role.ServerCredential;
import org.proxyinfo.role.TlsClient;
import org.proxyinfo.role.TlsConfig;
import org.proxyinfo.role.TlsConnection;
import org.proxyinfo.role.TlsProxy;
import org.proxyinfo.role.TlsServer;
import org.proxyinfo.role.SocketTransport;
import org.proxyinfo.trace.TraceSink;

/**
 * DEVIATION (DEC-23), issue 13: the proxy LEARNS that an origin wants a client certificate from session #2's
 * CertificateRequest ({@link ProxyConfig.ClientCertMode#LEARN}), abandons that session #2 before answering it, opens a
 * second session #2 in the client-certificate mode, and remembers the origin. Real roles over loopback: our client
 * (with a certificate, offering client_cert_mode or not), our proxy, and our origin in the DEC-23 mode, which records
 * every connection it sees (its own trace: the messages it received, the alert that ended it).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClientCertModeLearnTest {
    final ClientCertModeProxySocketTest base = new ClientCertModeProxySocketTest();
    final BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());

    /** What the origin saw on one connection. */
    record OriginConnection(TlsConnection connection, List<String> received) { }

    /** What the proxy traced (requirement: what). */
    final List<String> proxyChecks = Collections.synchronizedList(new ArrayList<>());

    final class ProxyTrace implements TraceSink {
        @Override public void message(String role, String leg, String direction, String contentType, String messageName,
                                      Map<String, Object> fields, byte[] raw, List<Integer> recordBoundaries) { }
        @Override public void transition(String role, String leg, String from, String to, String trigger) { }
        @Override public void check(String role, String leg, String id, String what, boolean passed, String detail) {
            proxyChecks.add(id + ": " + what + (passed ? "" : " [FAILED]"));
        }
        @Override public void claim(String role, String leg, String claim, Map<String, Object> params) { }
        @Override public void secret(String role, String leg, String name, byte[] value) { }
        @Override public void outcome(String role, String leg, boolean established, String alert, String sentBy,
                                      String requirementId, String message) { }
    }

    static final class Recorder implements TraceSink {
        final List<String> received = Collections.synchronizedList(new ArrayList<>());
        @Override public void message(String role, String leg, String direction, String contentType, String messageName,
                                      Map<String, Object> fields, byte[] raw, List<Integer> recordBoundaries) {
            if (direction.equals("received")) {
                received.add(messageName);
            }
        }
        @Override public void transition(String role, String leg, String from, String to, String trigger) { }
        @Override public void check(String role, String leg, String id, String what, boolean passed, String detail) { }
        @Override public void claim(String role, String leg, String claim, Map<String, Object> params) { }
        @Override public void secret(String role, String leg, String name, byte[] value) { }
        @Override public void outcome(String role, String leg, boolean established, String alert, String sentBy,
                                      String requirementId, String message) { }
    }

    /** The DEC-23 origin (client auth "need"): serves connections until closed, echoing one message on each. */
    final class Origin implements AutoCloseable {
        final ServerSocket listener = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        final List<OriginConnection> seen = Collections.synchronizedList(new ArrayList<>());
        final Thread thread;

        Origin() throws Exception {
            ClientCertModeServer mode = base.mode(ClientCertModeTest.PKI.proxyTrust());
            thread = new Thread(() -> {
                while (!listener.isClosed()) {
                    try (Socket s = listener.accept()) {
                        s.setSoTimeout(20_000);
                        Recorder r = new Recorder();
                        TlsConfig cfg = base.origin(mode).trace(r).roleName("origin").leg("session2");
                        TlsConnection c = new TlsServer(cfg).accept(new SocketTransport(s));
                        seen.add(new OriginConnection(c, r.received));
                        ClientCertModeProxySocketTest.echoPing(c);
                    } catch (Exception e) {
                        // listener closed, or a connection that ended badly: the next accept decides
                    }
                }
            }, "learn-test-origin");
            thread.setDaemon(true);
            thread.start();
        }

        int port() { return listener.getLocalPort(); }

        @Override
        public void close() throws Exception {
            listener.close();
            thread.join(10_000);
        }
    }

    TlsProxy proxy(Origin origin, ProxyConfig.ClientCertMode mode) {
        Credential p = ClientCertModeTest.PKI.proxy();
        ProxyConfig pc = new ProxyConfig(crypto, new ServerCredential(p.privateKey(), p.chain())).clock(ClientCertModeTest.CLOCK)
                .webTrust(ClientCertModeTest.PKI.webTrust(), RevocationPolicy.DEFAULT, ClientCertModeTest.PKI.webCrls())
                .proxyTrust(ClientCertModeTest.PKI.proxyTrust())
                .upstream("127.0.0.1", origin.port()).limits(4, 20_000, 20_000, 16 * 1024)
                .clientCertMode(mode).trace(new ProxyTrace());
        return new TlsProxy(pc);
    }

    record Run(TlsConnection client, TlsProxy.Outcome proxy, byte[] echoed) { }

    /** One client connection through the proxy (the client offers client_cert_mode when {@code base.offerMode}). */
    Run connect(TlsProxy proxy) throws Exception {
        try (ServerSocket proxyListener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<TlsProxy.Outcome> handled = CompletableFuture.supplyAsync(() -> {
                try {
                    return proxy.handle(proxyListener.accept());
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            byte[] echoed = null;
            TlsConnection c;
            try (Socket sock = new Socket(InetAddress.getLoopbackAddress(), proxyListener.getLocalPort())) {
                sock.setSoTimeout(20_000);
                c = new TlsClient(base.client(ClientCertModeProxySocketTest.own(ClientCertModeTest.PKI.clientEcdsa())))
                        .connect(new SocketTransport(sock), TestPki.ORIGIN_HOST);
                if (c.isEstablished()) {
                    c.write(ClientCertModeProxySocketTest.PING);
                    echoed = ClientCertModeProxySocketTest.readPing(c);
                    c.close();
                }
            }
            return new Run(c, handled.get(60, TimeUnit.SECONDS), echoed);
        }
    }

    /** The origin records a connection after its handshake ended; wait for the expected count. */
    static void awaitConnections(Origin o, int n) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (o.seen.size() < n && System.nanoTime() < end) {
            Thread.sleep(20);
        }
    }

    static boolean heldThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.isAlive() && t.getName().endsWith("-session2-dec23"));
    }

    @Test
    @DisplayName("DEC-23 LEARN: the first connection learns from CertificateRequest (abandons session #2 before answering it, a second session #2 in the mode), the second goes to the mode from the start (per-origin memory); no thread or socket left")
    void learnsThenRemembers() throws Exception {
        try (Origin origin = new Origin()) {
            TlsProxy proxy = proxy(origin, ProxyConfig.ClientCertMode.LEARN);
            OriginMemory memory = proxy.config().originMemory();
            String upstream = "127.0.0.1:" + origin.port();
            assertFalse(memory.requiresClientCertificates(upstream, ClientCertModeTest.CLOCK));

            // (a) first contact: learned, via a second session #2
            Run first = connect(proxy);
            assertTrue(first.client().isEstablished(), first.client().failureSummary() + " / proxy: " + first.proxy().describe());
            assertArrayEquals(ClientCertModeProxySocketTest.PING, first.echoed(), "application data relayed both ways");
            assertEquals("learned", first.proxy().clientCertModePath);
            awaitConnections(origin, 2);
            assertEquals(2, origin.seen.size(), "the origin saw two connections: the abandoned session #2 and the one in the mode");
            OriginConnection abandoned = origin.seen.get(0);
            assertFalse(abandoned.connection().isEstablished());
            assertEquals(AlertDescription.HANDSHAKE_FAILURE, abandoned.connection().alertReceived(),
                    "the proxy ended the first session #2 with a fatal handshake_failure: " + abandoned.connection().failureSummary());
            assertEquals(List.of("client_hello", "handshake_failure"), abandoned.received(),
                    "nothing of the proxy's after its ClientHello but the fatal alert: no Certificate, no key exchange (DEC-23)");
            OriginConnection moded = origin.seen.get(1);
            assertTrue(moded.connection().isEstablished(), moded.connection().failureSummary());
            assertEquals(ClientCertModeTest.PKI.clientEcdsa().leaf().getSubjectX500Principal().getName(),
                    moded.connection().forwardedClient(), "the origin accepted the client's identity through the proxy (01-R16)");
            assertTrue(moded.received().contains("supplemental_data"), moded.received().toString());
            TlsConnection gone = first.proxy().abandonedSession2;
            assertNotNull(gone);
            assertTrue(((SocketTransport) gone.transport()).socket().isClosed(), "the abandoned session #2's socket is closed");
            assertTrue(proxyChecks.stream().anyMatch(c -> c.startsWith("DEC-23: learned from CertificateRequest")), proxyChecks.toString());
            assertTrue(proxyChecks.stream().anyMatch(c -> c.startsWith("DEC-23: core fact: ClientCertMode.proxyLearnsMode given "
                    + "client_offered_mode=true, client_offered_proxy_info=true, upstream_validated=true, certificate_requested=true,"
                    + " retried=false")), proxyChecks.toString());
            assertTrue(memory.requiresClientCertificates(upstream, ClientCertModeTest.CLOCK), "remembered after the learned success");

            // (b) the next client offering the mode: one session #2 only, in the mode from the start
            proxyChecks.clear();
            Run second = connect(proxy);
            assertTrue(second.client().isEstablished(), second.client().failureSummary() + " / proxy: " + second.proxy().describe());
            assertEquals("remembered", second.proxy().clientCertModePath);
            assertNull(second.proxy().abandonedSession2);
            awaitConnections(origin, 3);
            assertEquals(3, origin.seen.size(), "one more origin connection, not two");
            assertTrue(origin.seen.get(2).connection().isEstablished(), origin.seen.get(2).connection().failureSummary());
            assertTrue(proxyChecks.stream().anyMatch(c -> c.startsWith("DEC-23: remembered for " + upstream)), proxyChecks.toString());
            assertFalse(proxyChecks.stream().anyMatch(c -> c.contains("learned from CertificateRequest")), proxyChecks.toString());
            assertFalse(heldThreadAlive(), "no held session #2 thread outlives its connection");
        }
    }

    @Test
    @DisplayName("DEC-23 LEARN, R7: a client that does not offer client_cert_mode meets an ordinary proxy (empty Certificate, the origin refuses); nothing is remembered; OFF never retries")
    void ordinaryClientAndOffNeverLearn() throws Exception {
        try (Origin origin = new Origin()) {
            // (c) LEARN, the client offers no mode
            base.offerMode = false;
            TlsProxy learn = proxy(origin, ProxyConfig.ClientCertMode.LEARN);
            Run r = connect(learn);
            assertFalse(r.client().isEstablished());
            assertNull(r.proxy().clientCertModePath);
            assertNull(r.proxy().abandonedSession2);
            awaitConnections(origin, 1);
            assertEquals(1, origin.seen.size(), "one session #2 only");
            assertEquals(AlertDescription.HANDSHAKE_FAILURE, origin.seen.get(0).connection().alertSent(),
                    "the origin refused the empty Certificate: " + origin.seen.get(0).connection().failureSummary());
            assertTrue(origin.seen.get(0).received().contains("certificate"), "the ordinary answer: an empty Certificate (R7)");
            assertTrue(proxyChecks.stream().anyMatch(c -> c.startsWith("R7: ") && c.endsWith("[FAILED]")), proxyChecks.toString());
            assertFalse(proxyChecks.stream().anyMatch(c -> c.startsWith("DEC-23")), proxyChecks.toString());
            assertEquals(0, learn.config().originMemory().size(), "nothing remembered for an ordinary client");

            // (d) OFF, the client offers the mode: never retried
            base.offerMode = true;
            proxyChecks.clear();
            TlsProxy off = proxy(origin, ProxyConfig.ClientCertMode.OFF);
            Run o = connect(off);
            assertFalse(o.client().isEstablished());
            assertNull(o.proxy().abandonedSession2);
            awaitConnections(origin, 2);
            assertEquals(2, origin.seen.size(), "OFF: one session #2, never a second");
            assertEquals(AlertDescription.HANDSHAKE_FAILURE, origin.seen.get(1).connection().alertSent(),
                    origin.seen.get(1).connection().failureSummary());
            assertTrue(proxyChecks.stream().anyMatch(c -> c.startsWith("R7: ")), proxyChecks.toString());
            assertEquals(0, off.config().originMemory().size());
            assertFalse(heldThreadAlive());
        }
    }

    @Test
    @DisplayName("DEC-23: the proxy's mode setting parses off, learn, always (and the old true/false); LEARN is the default")
    void modeSetting() {
        assertEquals(ProxyConfig.ClientCertMode.LEARN, new ProxyConfig(crypto, null).clientCertMode());
        assertEquals(ProxyConfig.ClientCertMode.OFF, ProxyConfig.ClientCertMode.parse("off"));
        assertEquals(ProxyConfig.ClientCertMode.LEARN, ProxyConfig.ClientCertMode.parse("learn"));
        assertEquals(ProxyConfig.ClientCertMode.ALWAYS, ProxyConfig.ClientCertMode.parse("always"));
        assertEquals(ProxyConfig.ClientCertMode.ALWAYS, ProxyConfig.ClientCertMode.parse("true"));
        assertEquals(ProxyConfig.ClientCertMode.OFF, ProxyConfig.ClientCertMode.parse("false"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> ProxyConfig.ClientCertMode.parse("maybe"));
    }
}
