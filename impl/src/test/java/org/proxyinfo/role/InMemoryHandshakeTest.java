package org.proxyinfo.role;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.crypto.DeterministicRandom;
import org.proxyinfo.wire.CipherSuite;
import org.proxyinfo.wire.NamedGroup;

/** Our client against our server over the in-memory transport: every suite x group, app data both ways (RFC5246-7.3). */
class InMemoryHandshakeTest {

    static TlsConfig serverConfig(RecordingTrace t) {
        return new TlsConfig(new BcTlsCrypto(new SecureRandom())).trace(t)
                .credential(TestCredentials.EC).credential(TestCredentials.RSA);
    }

    static TlsConfig clientConfig(RecordingTrace t) {
        return new TlsConfig(new BcTlsCrypto(new SecureRandom())).trace(t).verifier(TestCredentials.verifier());
    }

    static TlsConnection[] run(TlsConfig client, TlsConfig server, String host) throws Exception {
        InMemoryTransport[] pair = InMemoryTransport.pair(5000);
        CompletableFuture<TlsConnection> s = CompletableFuture.supplyAsync(() -> new TlsServer(server).accept(pair[1]));
        TlsConnection c = new TlsClient(client).connect(pair[0], host);
        return new TlsConnection[] {c, s.get(10, TimeUnit.SECONDS)};
    }

    /**
     * The groups a client offers to get {@code group}: with an ECDSA suite secp256r1 must be in
     * supported_groups as well, because it also names the certificate's curve (RFC8422-5.1); both
     * our server and SunJSSE prefer x25519, so x25519 is still what is negotiated.
     */
    static int[] offer(String suite, String group) {
        int g = NamedGroup.fromName(group);
        if (CipherSuite.isEcdsa(CipherSuite.fromName(suite)) && g == NamedGroup.X25519) {
            return new int[] {NamedGroup.X25519, NamedGroup.SECP256R1};
        }
        return new int[] {g};
    }

    @ParameterizedTest(name = "RFC5246-7.3 handshake {0} over {1}")
    @CsvSource({
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, x25519",
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, secp256r1",
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, secp256r1",
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, x25519",
    })
    void everySuiteAndGroup(String suite, String group) throws Exception {
        RecordingTrace ct = new RecordingTrace();
        RecordingTrace st = new RecordingTrace();
        TlsConnection[] cs = run(clientConfig(ct).cipherSuites(CipherSuite.fromName(suite)).groups(offer(suite, group)),
                serverConfig(st), TestCredentials.HOST);
        TlsConnection c = cs[0];
        TlsConnection s = cs[1];
        assertTrue(c.isEstablished(), () -> "client: " + c.failureSummary());
        assertTrue(s.isEstablished(), () -> "server: " + s.failureSummary());
        assertEquals(CipherSuite.fromName(suite), c.cipherSuite());
        assertEquals(NamedGroup.fromName(group), s.namedGroup());
        assertTrue(c.extendedMasterSecret());
        assertEquals(TestCredentials.HOST, s.serverName());

        byte[] ping = "ping from the client".getBytes(StandardCharsets.US_ASCII);
        c.write(ping);
        byte[] got = new byte[ping.length];
        assertEquals(ping.length, s.getInputStream().readNBytes(got, 0, got.length));
        assertArrayEquals(ping, got);
        byte[] big = new byte[40000]; // more than two records (RFC5246-6.2.1 fragmentation)
        new SecureRandom().nextBytes(big);
        s.write(big);
        assertArrayEquals(big, c.getInputStream().readNBytes(big.length));

        c.close();
        assertEquals(-1, s.getInputStream().read()); // close_notify (RFC5246-7.2.1)
        s.close();
        assertTrue(ct.has("claim client Commit"));
        assertTrue(st.has("claim server Running"));
        assertTrue(ct.has("transition client WAIT_FINISHED->ESTABLISHED"));
        assertTrue(c.verification().contains("name localhost"), c.verification());
    }

    @Test
    void handshakeMessagesSpreadOverTinyRecordsAreReassembled() throws Exception {
        TlsConnection[] cs = run(clientConfig(new RecordingTrace()).maxFragment(7), serverConfig(new RecordingTrace()).maxFragment(5),
                TestCredentials.HOST);
        assertTrue(cs[0].isEstablished(), cs[0].failureSummary());
        assertTrue(cs[1].isEstablished(), cs[1].failureSummary());
        cs[0].close();
        cs[1].close();
    }

    /** A fixed instant inside the committed test PKI's validity (base 2026-01-01 + 10 years). */
    static final java.time.Instant FIXED_NOW = java.time.Instant.parse("2026-06-01T12:00:00Z");

    @Test
    void seededRandomnessGivesTheSameHandshakeBytes() throws Exception {
        byte[][] randoms = new byte[4][];
        for (int i = 0; i < 2; i++) {
            TlsConfig client = new TlsConfig(new BcTlsCrypto(DeterministicRandom.fromLabel("client")))
                    .clock(java.time.Clock.fixed(FIXED_NOW, java.time.ZoneOffset.UTC))
                    .trustAnchors(TestCredentials.PKI.webTrust(), org.proxyinfo.pki.RevocationPolicy.DEFAULT, TestCredentials.PKI.webCrls());
            TlsConfig server = new TlsConfig(new BcTlsCrypto(DeterministicRandom.fromLabel("server")))
                    .credential(TestCredentials.EC).clock(java.time.Clock.fixed(FIXED_NOW, java.time.ZoneOffset.UTC));
            TlsConnection[] cs = run(client, server, TestCredentials.HOST);
            assertTrue(cs[0].isEstablished(), cs[0].failureSummary());
            randoms[i] = cs[1].serverRandom();
            randoms[2 + i] = cs[0].clientRandom();
            cs[0].close();
            cs[1].close();
        }
        assertArrayEquals(randoms[0], randoms[1]);
        assertArrayEquals(randoms[2], randoms[3]);
    }

    @Test
    void theConfiguredClockIsTheValidationTime() throws Exception {
        // DEC-10 at the configuration's time: in 2040 the committed server leaves (10 years from 2026) have expired.
        TlsConfig client = new TlsConfig(new BcTlsCrypto(new SecureRandom()))
                .clock(java.time.Clock.fixed(java.time.Instant.parse("2040-01-01T00:00:00Z"), java.time.ZoneOffset.UTC))
                .trustAnchors(TestCredentials.PKI.webTrust(), org.proxyinfo.pki.RevocationPolicy.DEFAULT, TestCredentials.PKI.webCrls());
        TlsConnection[] cs = run(client, serverConfig(new RecordingTrace()), TestCredentials.HOST);
        assertEquals(AlertDescription.CERTIFICATE_EXPIRED, cs[0].alertSent(), cs[0].failureSummary());
    }

    @Test
    void wrongHostNameIsRefusedAndNoKeyMaterialIsSent() throws Exception {
        RecordingTrace ct = new RecordingTrace();
        RecordingTrace st = new RecordingTrace();
        TlsConnection[] cs = run(clientConfig(ct), serverConfig(st), "other.proxyinfo.test");
        assertFalse(cs[0].isEstablished());
        assertFalse(cs[1].isEstablished());
        assertEquals(AlertDescription.BAD_CERTIFICATE, cs[0].alertSent());
        assertEquals(AlertDescription.BAD_CERTIFICATE, cs[1].alertReceived());
        assertFalse(ct.has("message client sent client_key_exchange"), "DEC-8: no key material after a failed check");
        assertNull(cs[1].failureRequirement());
        assertTrue(cs[0].transport().isClosed());
        assertTrue(cs[1].transport().isClosed());
    }

    @Test
    void noCommonSuiteIsHandshakeFailure() throws Exception {
        TlsConfig server = new TlsConfig(new BcTlsCrypto(new SecureRandom())).credential(TestCredentials.RSA);
        TlsConnection[] cs = run(clientConfig(new RecordingTrace()).cipherSuites(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256),
                server, TestCredentials.HOST);
        assertEquals(AlertDescription.HANDSHAKE_FAILURE, cs[1].alertSent());
        assertEquals(AlertDescription.HANDSHAKE_FAILURE, cs[0].alertReceived());
    }

    @ParameterizedTest(name = "DEC-10 server certificate {0} -> client sends {1}")
    @CsvSource({
        "expired, certificate_expired",
        "notYetValid, certificate_expired",
        "wrongHost, bad_certificate",
        "revoked, certificate_revoked",
        "untrusted, unknown_ca",
    })
    void badServerCertificatesGetTheirDec10Alert(String which, String alertName) throws Exception {
        org.proxyinfo.pki.TestPki pki = TestCredentials.PKI;
        org.proxyinfo.pki.Credential cred;
        switch (which) {
            case "expired": cred = pki.serverExpired(); break;
            case "notYetValid": cred = pki.serverNotYetValid(); break;
            case "wrongHost": cred = pki.serverWrongHost(); break;
            case "revoked": cred = pki.serverRevoked(); break;
            default: cred = pki.proxyUntrusted(); break;
        }
        RecordingTrace ct = new RecordingTrace();
        TlsConfig server = new TlsConfig(new BcTlsCrypto(new SecureRandom())).credential(TestCredentials.of(cred));
        TlsConnection[] cs = run(clientConfig(ct), server,
                which.equals("untrusted") ? "proxy.proxyinfo.test" : TestCredentials.HOST);
        assertFalse(cs[0].isEstablished());
        assertEquals(alertName, AlertDescription.name(cs[0].alertSent()), cs[0].failureSummary());
        assertEquals(cs[0].alertSent(), cs[1].alertReceived());
        assertFalse(ct.has("message client sent client_key_exchange"), "DEC-8/DEC-10: no key material");
    }
}
