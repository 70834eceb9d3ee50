package org.proxyinfo.role;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.crypto.BcTlsCrypto;

/**
 * DEC-22 rules of our client and server, in memory: RFC 7627 section 5.3 (EMS) both ways, the
 * cache lifetime, and the client's host rule. Each case runs a full handshake, then a second one
 * with the same configurations (and so the same caches).
 */
class ResumptionRulesTest {
    /** A clock the test moves forward. */
    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }

        @Override public Clock withZone(java.time.ZoneId zone) { return this; }

        @Override public Instant instant() { return now; }
    }

    static TlsConfig server() {
        return new TlsConfig(new BcTlsCrypto(new SecureRandom())).credential(TestCredentials.EC).credential(TestCredentials.RSA);
    }

    static TlsConfig client() {
        return new TlsConfig(new BcTlsCrypto(new SecureRandom())).verifier(TestCredentials.verifier());
    }

    @Test
    @DisplayName("RFC7627-5.3: an EMS session offered by a ClientHello without EMS: the server aborts (handshake_failure)")
    void emsDowngradeAborts() throws Exception {
        TlsConfig s = server().requireExtendedMasterSecret(false);
        TlsConfig c = client();
        TlsConnection[] first = InMemoryHandshakeTest.run(c, s, TestCredentials.HOST);
        assertTrue(first[0].isEstablished() && first[0].extendedMasterSecret());
        c.offerExtendedMasterSecret(false).requireExtendedMasterSecret(false);
        TlsConnection[] second = InMemoryHandshakeTest.run(c, s, TestCredentials.HOST);
        assertFalse(second[1].isEstablished());
        assertEquals(AlertDescription.HANDSHAKE_FAILURE, second[1].alertSent());
        assertEquals("RFC7627-5.3", second[1].failureRequirement());
        assertFalse(second[0].isEstablished());
    }

    @Test
    @DisplayName("RFC7627-5.3: a session made without EMS is not resumed (full handshake)")
    void noEmsSessionIsNotResumed() throws Exception {
        TlsConfig s = server().requireExtendedMasterSecret(false).offerExtendedMasterSecret(false);
        TlsConfig c = client().requireExtendedMasterSecret(false);
        TlsConnection[] first = InMemoryHandshakeTest.run(c, s, TestCredentials.HOST);
        assertTrue(first[0].isEstablished());
        assertFalse(first[0].extendedMasterSecret());
        TlsConnection[] second = InMemoryHandshakeTest.run(c, s, TestCredentials.HOST);
        assertTrue(second[0].isEstablished(), second[0].failureSummary());
        assertFalse(second[0].resumed());
        assertFalse(second[1].resumed());
        assertNotEquals(first[0].sessionId(), second[0].sessionId());
    }

    @Test
    @DisplayName("DEC-22: the cache lifetime ran out on the server: full handshake, and the client drops its stale entry")
    void lifetimeOver() throws Exception {
        MovableClock clock = new MovableClock();
        TlsConfig s = server().clock(clock).sessionCache(new SessionCache(16, Duration.ofHours(2)));
        TlsConfig c = client();
        TlsConnection[] first = InMemoryHandshakeTest.run(c, s, TestCredentials.HOST);
        assertTrue(first[1].isEstablished());
        TlsConnection[] resumed = InMemoryHandshakeTest.run(c, s, TestCredentials.HOST);
        assertTrue(resumed[0].resumed() && resumed[1].resumed(), "within the lifetime: resumed");
        clock.now = clock.now.plus(Duration.ofHours(2)).plusSeconds(1);
        TlsConnection[] later = InMemoryHandshakeTest.run(c, s, TestCredentials.HOST);
        assertTrue(later[0].isEstablished(), later[0].failureSummary());
        assertFalse(later[0].resumed());
        assertFalse(later[1].resumed());
        assertNotEquals(first[0].sessionId(), later[0].sessionId());
    }

    @Test
    @DisplayName("DEC-22: the client resumes only for the same intended host")
    void otherHostGetsAFullHandshake() throws Exception {
        TlsConfig s = server();
        TlsConfig c = client();
        TlsConnection[] first = InMemoryHandshakeTest.run(c, s, TestCredentials.HOST);
        assertTrue(first[0].isEstablished());
        TlsConnection[] other = InMemoryHandshakeTest.run(c, s, org.proxyinfo.pki.TestPki.ORIGIN_HOST);
        assertTrue(other[0].isEstablished(), other[0].failureSummary());
        assertFalse(other[0].resumed(), "another intended host: the cached session is not offered");
        TlsConnection[] again = InMemoryHandshakeTest.run(c, s, TestCredentials.HOST);
        assertTrue(again[0].resumed(), "the first host's session is still cached");
        assertEquals(first[0].sessionId(), again[0].sessionId());
    }
}
