package org.proxyinfo.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * DEC-8..13 decision core: every combination of facts, checked against an independent statement of
 * "the first failing check in DEC-8 order wins" and "key material only when everything passed".
 */
class ProxyInfoDecisionTest {

    private static final int[] CERT_ALERTS = {
        AlertDescription.BAD_CERTIFICATE, AlertDescription.UNKNOWN_CA, AlertDescription.CERTIFICATE_EXPIRED,
        AlertDescription.CERTIFICATE_REVOKED, AlertDescription.HANDSHAKE_FAILURE, -1};

    private static boolean bit(int mask, int i) {
        return (mask & (1 << i)) != 0;
    }

    @Test
    @DisplayName("DEC-13: proxy_info present but not offered is unsupported_extension")
    void presentButNotOffered() {
        ProxyInfoDecision d = new ProxyInfoDecision();
        d.serverHello(false, true);
        assertEquals(ProxyInfoDecision.REFUSED, d.stage());
        assertEquals(AlertDescription.UNSUPPORTED_EXTENSION, d.alert());
        assertEquals("DEC-13", d.requirementId());
        assertFalse(d.mayReleaseKeyMaterial());
        // nothing after the first failure changes it
        d.hop(true, true, true, true, true, 0, true);
        d.plainServer(true, 0);
        assertEquals(AlertDescription.UNSUPPORTED_EXTENSION, d.alert());
        assertFalse(d.mayReleaseKeyMaterial());
    }

    @Test
    @DisplayName("DEC-13: no proxy_info (offered or not) is plain TLS: the session-#1 chain must be the intended server's")
    void plainTls() {
        for (boolean offered : new boolean[] {false, true}) {
            ProxyInfoDecision ok = new ProxyInfoDecision();
            ok.serverHello(offered, false);
            assertEquals(ProxyInfoDecision.EXPECT_PLAIN_SERVER, ok.stage());
            assertFalse(ok.mayReleaseKeyMaterial());
            ok.plainServer(true, 0);
            assertTrue(ok.mayReleaseKeyMaterial());
            assertFalse(ok.proxied());

            for (int a : CERT_ALERTS) {
                ProxyInfoDecision bad = new ProxyInfoDecision();
                bad.serverHello(offered, false);
                bad.plainServer(false, a);
                assertFalse(bad.mayReleaseKeyMaterial());
                assertEquals(ProxyInfoDecision.certificateAlert(a), bad.alert());
                assertEquals("DEC-13", bad.requirementId());
                // a hop call in plain mode is a caller bug: still refused, still the first reason
                bad.hop(true, true, true, true, true, 0, true);
                assertEquals(ProxyInfoDecision.certificateAlert(a), bad.alert());
            }
        }
    }

    @Test
    @DisplayName("DEC-10/DEC-21: the carried-chain alert is one of the certificate alerts, never anything else")
    void certificateAlertIsClosed() {
        for (int a = -5; a < 256; a++) {
            int r = ProxyInfoDecision.certificateAlert(a);
            boolean certAlert = a == 42 || a == 43 || a == 44 || a == 45 || a == 46 || a == 48;
            assertEquals(certAlert ? a : AlertDescription.BAD_CERTIFICATE, r, "candidate " + a);
        }
    }

    /** The expected outcome of one hop, written independently of the class: DEC-8 order. */
    private static int[] expectedHop(int hopIndex, boolean signer, boolean scheme, boolean sig, boolean last,
                                     boolean chain, int chainAlert, boolean params) {
        if (!signer) {
            return new int[] {AlertDescription.ACCESS_DENIED,
                    hopIndex == 0 ? ProxyInfoDecision.CHECK_PROXY_ACCEPTABLE : ProxyInfoDecision.CHECK_HOP_PROXY_ACCEPTABLE};
        }
        if (!scheme) {
            return new int[] {AlertDescription.ILLEGAL_PARAMETER, ProxyInfoDecision.CHECK_SIGNATURE_SCHEME};
        }
        if (!sig) {
            return new int[] {AlertDescription.DECRYPT_ERROR,
                    hopIndex == 0 ? ProxyInfoDecision.CHECK_SIGNATURE : ProxyInfoDecision.CHECK_HOP_SIGNATURE};
        }
        if (!chain) {
            return last
                    ? new int[] {ProxyInfoDecision.certificateAlert(chainAlert), ProxyInfoDecision.CHECK_SERVER_CHAIN}
                    : new int[] {AlertDescription.ACCESS_DENIED, ProxyInfoDecision.CHECK_HOP_PROXY_ACCEPTABLE};
        }
        if (!params) {
            return new int[] {AlertDescription.INSUFFICIENT_SECURITY, ProxyInfoDecision.CHECK_UPSTREAM_PARAMS};
        }
        return null;
    }

    @Test
    @DisplayName("DEC-8: for 1 to 3 hops and every combination of facts, the first failing check in DEC-8 order decides")
    void everyCombinationFirstFailureWins() {
        int combos = 0;
        for (int hops = 1; hops <= 3; hops++) {
            // 6 boolean facts per hop (signer, scheme, sig, chain, params, +1 unused = last is structural)
            int factsPerHop = 5;
            int total = 1 << (factsPerHop * hops);
            for (int mask = 0; mask < total; mask++) {
                for (int chainAlert : new int[] {AlertDescription.UNKNOWN_CA, AlertDescription.CERTIFICATE_REVOKED}) {
                    combos++;
                    ProxyInfoDecision d = new ProxyInfoDecision();
                    d.serverHello(true, true);
                    assertTrue(d.proxied());
                    int[] expected = null;
                    int expectedHop = -1;
                    for (int h = 0; h < hops; h++) {
                        int base = h * factsPerHop;
                        boolean signer = bit(mask, base);
                        boolean scheme = bit(mask, base + 1);
                        boolean sig = bit(mask, base + 2);
                        boolean chain = bit(mask, base + 3);
                        boolean params = bit(mask, base + 4);
                        boolean last = h == hops - 1;
                        if (expected == null) {
                            expected = expectedHop(h, signer, scheme, sig, last, chain, chainAlert, params);
                            if (expected != null) {
                                expectedHop = h;
                            }
                        }
                        d.hop(signer, scheme, sig, last, chain, chainAlert, params);
                    }
                    if (expected == null) {
                        assertTrue(d.mayReleaseKeyMaterial(), "mask " + mask);
                        assertEquals(ProxyInfoDecision.ACCEPTED, d.stage());
                        assertEquals(ProxyInfoDecision.NO_ALERT, d.alert());
                        assertEquals(hops, d.hopsPassed());
                        assertEquals("", d.requirementId());
                    } else {
                        assertFalse(d.mayReleaseKeyMaterial(), "mask " + mask);
                        assertEquals(ProxyInfoDecision.REFUSED, d.stage());
                        assertEquals(expected[0], d.alert(), "mask " + mask);
                        assertEquals(expected[1], d.failedCheck(), "mask " + mask);
                        assertEquals(expectedHop, d.failedHop(), "mask " + mask);
                        assertEquals(expectedHop, d.hopsPassed());
                        assertTrue(d.requirementId().startsWith("DEC-"), d.requirementId());
                    }
                }
            }
        }
        assertEquals(2 * (32 + 1024 + 32768), combos);
    }

    @Test
    @DisplayName("DEC-8..12: the requirement ID names the failing check")
    void requirementIds() {
        assertEquals("DEC-9", ProxyInfoDecision.requirementOf(ProxyInfoDecision.CHECK_PROXY_ACCEPTABLE));
        assertEquals("DEC-5", ProxyInfoDecision.requirementOf(ProxyInfoDecision.CHECK_SIGNATURE_SCHEME));
        assertEquals("DEC-8", ProxyInfoDecision.requirementOf(ProxyInfoDecision.CHECK_SIGNATURE));
        assertEquals("DEC-10", ProxyInfoDecision.requirementOf(ProxyInfoDecision.CHECK_SERVER_CHAIN));
        assertEquals("DEC-11", ProxyInfoDecision.requirementOf(ProxyInfoDecision.CHECK_UPSTREAM_PARAMS));
        assertEquals("DEC-12", ProxyInfoDecision.requirementOf(ProxyInfoDecision.CHECK_HOP_SIGNATURE));
        assertEquals("DEC-12", ProxyInfoDecision.requirementOf(ProxyInfoDecision.CHECK_HOP_PROXY_ACCEPTABLE));
        assertEquals("DEC-13", ProxyInfoDecision.requirementOf(ProxyInfoDecision.CHECK_EXTENSION_OFFERED));
    }

    @Test
    @DisplayName("DEC-8: facts out of order fail closed with internal_error; a hop after ACCEPT revokes it")
    void outOfOrderFailsClosed() {
        ProxyInfoDecision early = new ProxyInfoDecision();
        early.hop(true, true, true, true, true, 0, true);
        assertEquals(AlertDescription.INTERNAL_ERROR, early.alert());
        assertEquals(ProxyInfoDecision.CHECK_ORDER, early.failedCheck());
        assertFalse(early.mayReleaseKeyMaterial());

        ProxyInfoDecision plainThenHop = new ProxyInfoDecision();
        plainThenHop.serverHello(true, false);
        plainThenHop.hop(true, true, true, true, true, 0, true);
        assertFalse(plainThenHop.mayReleaseKeyMaterial());

        ProxyInfoDecision twice = new ProxyInfoDecision();
        twice.serverHello(true, true);
        twice.serverHello(true, true);
        assertFalse(twice.mayReleaseKeyMaterial());
        assertEquals(AlertDescription.INTERNAL_ERROR, twice.alert());

        ProxyInfoDecision after = new ProxyInfoDecision();
        after.serverHello(true, true);
        after.hop(true, true, true, true, true, 0, true);
        assertTrue(after.mayReleaseKeyMaterial());
        after.hop(true, true, true, true, true, 0, true);
        assertFalse(after.mayReleaseKeyMaterial());

        ProxyInfoDecision proxiedThenPlain = new ProxyInfoDecision();
        proxiedThenPlain.serverHello(true, true);
        proxiedThenPlain.plainServer(true, 0);
        assertFalse(proxiedThenPlain.mayReleaseKeyMaterial());
    }

    @Test
    @DisplayName("DEC-4: more than MAX_HOPS hops are refused even if each passes")
    void hopCeiling() {
        ProxyInfoDecision d = new ProxyInfoDecision();
        d.serverHello(true, true);
        for (int i = 0; i < ProxyInfoDecision.MAX_HOPS; i++) {
            d.hop(true, true, true, false, true, 0, true);
        }
        assertEquals(ProxyInfoDecision.EXPECT_HOP, d.stage());
        d.hop(true, true, true, true, true, 0, true);
        assertFalse(d.mayReleaseKeyMaterial());
        assertEquals("DEC-4", d.requirementId());
    }
}
