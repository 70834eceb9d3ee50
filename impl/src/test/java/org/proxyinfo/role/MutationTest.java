package org.proxyinfo.role;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.crypto.DeterministicRandom;

/**
 * Seeded byte mutations of real first flights (DEC-21): whatever the peer's bytes, a role ends
 * with a protocol alert (or a clean handshake) and never with internal_error, which would mean a
 * codec or role bug let an exception through.
 */
class MutationTest {
    static final Clock CLOCK = Clock.fixed(Instant.now(), ZoneOffset.UTC);

    static byte[] mutate(byte[] valid, Random rnd) {
        byte[] b = valid.clone();
        int n = 1 + rnd.nextInt(3);
        for (int i = 0; i < n; i++) {
            int pos = rnd.nextInt(b.length);
            switch (rnd.nextInt(3)) {
                case 0: b[pos] ^= (byte) (1 << rnd.nextInt(8)); break;
                case 1: b[pos] = (byte) rnd.nextInt(256); break;
                default: b[pos] = (byte) (rnd.nextBoolean() ? 0 : 0xff); break;
            }
        }
        if (rnd.nextInt(10) == 0) {
            b = java.util.Arrays.copyOf(b, rnd.nextInt(b.length)); // truncation
        }
        return b;
    }

    @Test
    @DisplayName("DEC-21 mutated ClientHellos: our server never fails with internal_error")
    void mutatedClientHellos() throws Exception {
        byte[] valid = BadInputTest.record(22, 0x0301, BadInputTest.handshake(1, BadInputTest.goodClientHello()));
        TlsConfig cfg = new TlsConfig(new BcTlsCrypto(new SecureRandom())).credential(TestCredentials.EC).credential(TestCredentials.RSA);
        Random rnd = new Random(20261126L);
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            for (int i = 0; i < 400; i++) {
                byte[] bad = mutate(valid, rnd);
                InMemoryTransport[] pair = InMemoryTransport.pair(2000);
                CompletableFuture<TlsConnection> s = CompletableFuture.supplyAsync(() -> new TlsServer(cfg).accept(pair[1]), ex);
                pair[0].output().write(bad);
                pair[0].close();
                TlsConnection c = s.get(10, TimeUnit.SECONDS);
                assertNotEquals(AlertDescription.INTERNAL_ERROR, c.alertSent(), "mutation " + i + ": " + c.failureSummary());
                assertFalse(c.isEstablished());
                assertTrue(c.transport().isClosed());
            }
        } finally {
            ex.shutdownNow();
        }
    }

    @Test
    @DisplayName("DEC-21 mutated server flights (ServerHello..ServerHelloDone): our client never fails with internal_error")
    void mutatedServerFlights() throws Exception {
        // 1. Record a real server flight for a deterministic client.
        AtomicReference<byte[]> flight = new AtomicReference<>();
        InMemoryTransport[] pair = InMemoryTransport.pair(5000);
        Transport capturing = new IntegrityTest.Tamper(pair[1], bytes -> {
            flight.set(bytes);
            return bytes;
        });
        TlsConfig server = new TlsConfig(new BcTlsCrypto(new SecureRandom())).credential(TestCredentials.EC).clock(CLOCK);
        CompletableFuture<TlsConnection> s = CompletableFuture.supplyAsync(() -> new TlsServer(server).accept(capturing));
        TlsConnection ok = new TlsClient(client()).connect(pair[0], TestCredentials.HOST);
        assertTrue(ok.isEstablished(), ok.failureSummary());
        ok.close();
        s.get(10, TimeUnit.SECONDS).close();

        // 2. Replay it (first unchanged, as the sanity check that the replay is valid), then
        //    mutated, to fresh clients that send the same ClientHello.
        Random rnd = new Random(4242L);
        ExecutorService ex = Executors.newSingleThreadExecutor();
        int signatureCaught = 0;
        try {
            for (int i = -1; i < 300; i++) {
                byte[] bad = i < 0 ? flight.get() : mutate(flight.get(), rnd);
                RecordingTrace trace = new RecordingTrace();
                InMemoryTransport[] p = InMemoryTransport.pair(2000);
                CompletableFuture<Void> peer = CompletableFuture.runAsync(() -> {
                    try {
                        InputStream in = p[1].input();
                        byte[] h = in.readNBytes(5);
                        in.readNBytes(((h[3] & 0xff) << 8) | (h[4] & 0xff));
                        OutputStream out = p[1].output();
                        out.write(bad);
                        p[1].close();
                    } catch (Exception e) {
                        p[1].close();
                    }
                }, ex);
                TlsConnection c = new TlsClient(client().trace(trace)).connect(p[0], TestCredentials.HOST);
                peer.get(10, TimeUnit.SECONDS);
                if (i < 0) {
                    assertTrue(trace.has("message client sent client_key_exchange"), "the unchanged replay must verify");
                    continue;
                }
                assertNotEquals(AlertDescription.INTERNAL_ERROR, c.alertSent(), "mutation " + i + ": " + c.failureSummary());
                assertFalse(c.isEstablished());
                if (c.alertSent() == AlertDescription.DECRYPT_ERROR) {
                    signatureCaught++;
                }
            }
        } finally {
            ex.shutdownNow();
        }
        assertTrue(signatureCaught > 0, "some mutations must be caught by the ServerKeyExchange signature (RFC5246-7.4.3)");
    }

    private static TlsConfig client() {
        return new TlsConfig(new BcTlsCrypto(DeterministicRandom.fromLabel("mutation client"))).clock(CLOCK)
                .verifier(TestCredentials.verifier());
    }
}
