package org.proxyinfo.role;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.core.ServerHandshake;
import org.proxyinfo.core.Transitions;
import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.ext.HelloContext;
import org.proxyinfo.proxyinfo.ProxyInfoExtension;
import org.proxyinfo.wire.ClientHello;
import org.proxyinfo.wire.HandshakeType;
import org.proxyinfo.wire.TlsFatalAlert;

/**
 * Issue 10, findings 2 and 6 (DEC-14, DEC-21): every abort goes through the role's core, which
 * decides the one fatal alert (the first decided) and hands it out once; the alert is sent under
 * the write lock after any queued, unsent flight is discarded, so a refused ServerHello never
 * leaves ahead of the alert.
 */
class OneFatalAlertPathTest {

    /** The bytes the peer received until the connection closed. */
    static byte[] drain(InputStream in) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            int c;
            while ((c = in.read()) >= 0) {
                b.write(c);
            }
        } catch (IOException e) {
            // closed or timed out: what arrived is what counts
        }
        return b.toByteArray();
    }

    static TlsConnection serverConnection(InMemoryTransport t) {
        TlsConfig cfg = new TlsConfig(new BcTlsCrypto(new SecureRandom())).credential(TestCredentials.EC);
        TlsConnection c = new TlsConnection(cfg, t, "server", Transitions.ROLE_SERVER);
        c.serverCore = new ServerHandshake(true, ProxyInfoExtension.DEFAULT_EXTENSION_TYPE, false);
        return c;
    }

    @Test
    void anAbortDiscardsTheQueuedFlightAndSendsOnlyTheAlert() throws Exception {
        InMemoryTransport[] pair = InMemoryTransport.pair(2000);
        TlsConnection c = serverConnection(pair[1]);
        c.sendHandshake(HandshakeType.SERVER_HELLO, new byte[38], Map.of()); // queued, not flushed
        c.abort(new TlsFatalAlert(AlertDescription.HANDSHAKE_FAILURE, "DEC-14", "refused after queuing"));
        byte[] wire = drain(pair[0].input());
        assertEquals(7, wire.length, "one alert record and nothing else (the queued ServerHello was discarded)");
        assertEquals(21, wire[0], "content type alert, not handshake");
        assertEquals(2, wire[5], "fatal");
        assertEquals(AlertDescription.HANDSHAKE_FAILURE, wire[6]);
    }

    @Test
    void theAlertSentIsTheFirstTheCoreDecidedAndItIsSentOnce() throws Exception {
        InMemoryTransport[] pair = InMemoryTransport.pair(2000);
        TlsConnection c = serverConnection(pair[1]);
        // the core decides first (a ClientHello below TLS 1.2: protocol_version, DEC-20)
        assertEquals(AlertDescription.PROTOCOL_VERSION, c.serverCore.onClientHello(0x0301, true, true, true, true, true, true));
        // a later layer reports another error for the same connection, twice, from two threads
        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<?> a = CompletableFuture.runAsync(() -> {
            await(go);
            c.abort(new TlsFatalAlert(AlertDescription.INTERNAL_ERROR, "DEC-21", "relay thread 1"));
        });
        CompletableFuture<?> b = CompletableFuture.runAsync(() -> {
            await(go);
            c.abort(new TlsFatalAlert(AlertDescription.DECODE_ERROR, "DEC-21", "relay thread 2"));
        });
        go.countDown();
        a.get(5, TimeUnit.SECONDS);
        b.get(5, TimeUnit.SECONDS);
        byte[] wire = drain(pair[0].input());
        assertEquals(7, wire.length, "exactly one fatal alert on the wire (DEC-21)");
        assertEquals(AlertDescription.PROTOCOL_VERSION, wire[6], "the alert the core decided first");
        assertEquals(AlertDescription.PROTOCOL_VERSION, c.alertSent());
        assertEquals(1, c.serverCore.fatalAlerts());
    }

    static void await(CountDownLatch l) {
        try {
            l.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A hook standing for a proxy whose core refuses to answer session #1 yet (DEC-14). */
    static final class RefusingHook implements DownstreamHook {
        volatile boolean asked;

        @Override public List<ServerCredential> credentials(TlsConnection s1, ClientHello ch, HelloContext hello) { return null; }

        @Override public void afterClientHello(TlsConnection s1, ClientHello ch, HelloContext hello) { }

        @Override public ServerCredential beforeServerHello(TlsConnection s1, HelloContext hello, ServerCredential chosen,
                                                            int otherExtensionsLength) { return null; }

        @Override public void beforeServerHelloQueued(TlsConnection s1) throws TlsFatalAlert {
            asked = true;
            throw new TlsFatalAlert(AlertDescription.INTERNAL_ERROR, "DEC-14", "session #2 is not finished");
        }

        @Override public int fatalAlertToSend(int alert, String requirement) { return alert; }
    }

    @Test
    void aDec14RefusalSendsOnlyTheAlertNoServerHello() throws Exception {
        RecordingTrace ct = new RecordingTrace();
        RecordingTrace st = new RecordingTrace();
        TlsConfig server = InMemoryHandshakeTest.serverConfig(st);
        RefusingHook hook = new RefusingHook();
        InMemoryTransport[] pair = InMemoryTransport.pair(5000);
        CompletableFuture<TlsConnection> s = CompletableFuture.supplyAsync(() -> new TlsServer(server).accept(pair[1], hook));
        TlsConnection client = new TlsClient(InMemoryHandshakeTest.clientConfig(ct)).connect(pair[0], TestCredentials.HOST);
        TlsConnection srv = s.get(10, TimeUnit.SECONDS);
        assertTrue(hook.asked, "DEC-14: the proxy core is asked before the ServerHello is queued");
        assertFalse(client.isEstablished());
        assertFalse(st.has("message server sent server_hello"), "the refused ServerHello is not even traced as sent");
        assertFalse(ct.has("message client received server_hello"), "the client never sees the refused ServerHello");
        assertEquals(AlertDescription.INTERNAL_ERROR, client.alertReceived());
        assertEquals(AlertDescription.INTERNAL_ERROR, srv.alertSent());
    }
}
