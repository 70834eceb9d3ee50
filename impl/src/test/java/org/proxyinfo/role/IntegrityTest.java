package org.proxyinfo.role;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.wire.ClientHello;
import org.proxyinfo.wire.HandshakeType;

/**
 * Handshake integrity and renegotiation refusal with a man in the middle on the in-memory
 * transport: a changed ClientHello is caught by Finished (RFC5246-7.4.9), and renegotiation
 * requests are refused with no_renegotiation (DEC-20, RFC5746) without ending the connection.
 */
class IntegrityTest {

    /** A transport that lets a test rewrite what the client sends (first write only). */
    static final class Tamper implements Transport {
        private final Transport inner;
        private final java.util.function.UnaryOperator<byte[]> firstWrite;
        private boolean done;

        Tamper(Transport inner, java.util.function.UnaryOperator<byte[]> firstWrite) {
            this.inner = inner;
            this.firstWrite = firstWrite;
        }

        @Override public InputStream input() { return inner.input(); }

        @Override public OutputStream output() {
            return new OutputStream() {
                @Override public void write(int b) throws IOException {
                    inner.output().write(b);
                }

                @Override public void write(byte[] b, int off, int len) throws IOException {
                    byte[] data = java.util.Arrays.copyOfRange(b, off, off + len);
                    if (!done) {
                        done = true;
                        data = firstWrite.apply(data);
                    }
                    inner.output().write(data, 0, data.length);
                }
            };
        }

        @Override public String describe() { return "tampered " + inner.describe(); }

        @Override public void close() { inner.close(); }

        @Override public boolean isClosed() { return inner.isClosed(); }
    }

    @Test
    @DisplayName("RFC5246-7.4.9 a ClientHello changed in transit (suite list reordered) -> server Finished check fails: decrypt_error")
    void tamperedClientHelloIsCaughtByFinished() throws Exception {
        // Without extended_master_secret the keys do not depend on the transcript, so both sides
        // can decrypt each other's Finished and the transcript mismatch shows as decrypt_error.
        TlsConfig client = new TlsConfig(new BcTlsCrypto(new SecureRandom())).verifier(TestCredentials.verifier())
                .offerExtendedMasterSecret(false).requireExtendedMasterSecret(false);
        TlsConfig server = new TlsConfig(new BcTlsCrypto(new SecureRandom())).credential(TestCredentials.EC)
                .credential(TestCredentials.RSA).requireExtendedMasterSecret(false);
        InMemoryTransport[] pair = InMemoryTransport.pair(5000);
        Transport tampered = new Tamper(pair[0], IntegrityTest::swapFirstTwoSuites);
        CompletableFuture<TlsConnection> s = CompletableFuture.supplyAsync(() -> new TlsServer(server).accept(pair[1]));
        TlsConnection c = new TlsClient(client).connect(tampered, TestCredentials.HOST);
        TlsConnection sc = s.get(10, TimeUnit.SECONDS);
        assertFalse(c.isEstablished());
        assertFalse(sc.isEstablished());
        assertEquals(AlertDescription.DECRYPT_ERROR, sc.alertSent(), sc.failureSummary());
        assertEquals("RFC5246-7.4.9", sc.failureRequirement());
        assertEquals(AlertDescription.DECRYPT_ERROR, c.alertReceived());
    }

    static byte[] swapFirstTwoSuites(byte[] bytes) {
        // record header 5 + handshake header 4 + version 2 + random 32 + session_id 1 + suites length 2
        int firstSuite = 5 + 4 + 2 + 32 + 1 + 2;
        byte[] b = bytes.clone();
        byte t0 = b[firstSuite];
        byte t1 = b[firstSuite + 1];
        b[firstSuite] = b[firstSuite + 2];
        b[firstSuite + 1] = b[firstSuite + 3];
        b[firstSuite + 2] = t0;
        b[firstSuite + 3] = t1;
        return b;
    }

    @Test
    @DisplayName("RFC7627-4 with extended_master_secret the same tampering changes the keys: bad_record_mac")
    void tamperedClientHelloWithEmsChangesTheKeys() throws Exception {
        TlsConfig client = new TlsConfig(new BcTlsCrypto(new SecureRandom())).verifier(TestCredentials.verifier());
        TlsConfig server = new TlsConfig(new BcTlsCrypto(new SecureRandom())).credential(TestCredentials.EC);
        InMemoryTransport[] pair = InMemoryTransport.pair(5000);
        CompletableFuture<TlsConnection> s = CompletableFuture.supplyAsync(() -> new TlsServer(server).accept(pair[1]));
        TlsConnection c = new TlsClient(client).connect(new Tamper(pair[0], IntegrityTest::swapFirstTwoSuites), TestCredentials.HOST);
        TlsConnection sc = s.get(10, TimeUnit.SECONDS);
        assertFalse(c.isEstablished());
        assertEquals(AlertDescription.BAD_RECORD_MAC, sc.alertSent(), sc.failureSummary());
    }

    @Test
    @DisplayName("RFC5246-7.4.3 a changed client_random is caught by the ServerKeyExchange signature: decrypt_error, no key material")
    void tamperedClientRandomIsCaughtBySignature() throws Exception {
        RecordingTrace ct = new RecordingTrace();
        TlsConfig client = new TlsConfig(new BcTlsCrypto(new SecureRandom())).verifier(TestCredentials.verifier()).trace(ct);
        TlsConfig server = new TlsConfig(new BcTlsCrypto(new SecureRandom())).credential(TestCredentials.EC);
        InMemoryTransport[] pair = InMemoryTransport.pair(5000);
        Transport tampered = new Tamper(pair[0], bytes -> {
            byte[] b = bytes.clone();
            b[5 + 4 + 2 + 31] ^= 1; // last byte of client_random
            return b;
        });
        CompletableFuture<TlsConnection> s = CompletableFuture.supplyAsync(() -> new TlsServer(server).accept(pair[1]));
        TlsConnection c = new TlsClient(client).connect(tampered, TestCredentials.HOST);
        TlsConnection sc = s.get(10, TimeUnit.SECONDS);
        assertEquals(AlertDescription.DECRYPT_ERROR, c.alertSent(), c.failureSummary());
        assertEquals("RFC5246-7.4.3", c.failureRequirement());
        assertEquals(AlertDescription.DECRYPT_ERROR, sc.alertReceived());
        assertFalse(ct.has("message client sent client_key_exchange"), "DEC-8: no key material");
    }

    @Test
    @DisplayName("DEC-20 / RFC5746 renegotiation refused both ways with warning no_renegotiation; data still flows"
            + " (RFC5746-4: the server refuses the client's new ClientHello; RFC5746-4.2: the client refuses a HelloRequest)")
    void renegotiationIsRefused() throws Exception {
        RecordingTrace ct = new RecordingTrace();
        RecordingTrace st = new RecordingTrace();
        TlsConnection[] cs = InMemoryHandshakeTest.run(InMemoryHandshakeTest.clientConfig(ct),
                InMemoryHandshakeTest.serverConfig(st), TestCredentials.HOST);
        TlsConnection c = cs[0];
        TlsConnection s = cs[1];
        assertTrue(c.isEstablished() && s.isEstablished());

        // Server -> client: HelloRequest, then data.
        s.sendHandshake(HandshakeType.HELLO_REQUEST, new byte[0], java.util.Map.of());
        s.flush();
        s.write("after hello_request".getBytes(StandardCharsets.US_ASCII));
        byte[] got = c.getInputStream().readNBytes(19);
        assertArrayEquals("after hello_request".getBytes(StandardCharsets.US_ASCII), got);
        assertTrue(ct.has("message client sent no_renegotiation"));

        // Client -> server: a new ClientHello (encrypted), then data.
        byte[] ch = new ClientHello(0x0303, new byte[32], new byte[0], new int[] {0xC02B}, new byte[] {0},
                java.util.List.of()).encode();
        c.sendHandshake(HandshakeType.CLIENT_HELLO, ch, java.util.Map.of());
        c.flush();
        c.write("after client_hello".getBytes(StandardCharsets.US_ASCII));
        got = s.getInputStream().readNBytes(18);
        assertArrayEquals("after client_hello".getBytes(StandardCharsets.US_ASCII), got);
        assertTrue(st.has("message server sent no_renegotiation"));
        assertTrue(st.has("message server received no_renegotiation"));
        assertTrue(c.isEstablished() && !c.isClosed() && !s.isClosed());
        c.close();
        s.close();
    }
}
