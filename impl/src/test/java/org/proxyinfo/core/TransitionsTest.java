package org.proxyinfo.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The transition table (one place, RFC5246-7.3 message flow) and its use by the cores. */
class TransitionsTest {
    static final int[] ALL = {Transitions.HELLO_REQUEST, Transitions.CLIENT_HELLO, Transitions.SERVER_HELLO,
        Transitions.CERTIFICATE, Transitions.SERVER_KEY_EXCHANGE, Transitions.SERVER_HELLO_DONE,
        Transitions.CLIENT_KEY_EXCHANGE, Transitions.FINISHED, Transitions.CHANGE_CIPHER_SPEC,
        Transitions.APPLICATION_DATA, 13, 15};

    @Test
    void clientFlowIsTheRfcFlow() {
        int[][] flow = {
            {Transitions.C_WAIT_SERVER_HELLO, Transitions.SERVER_HELLO},
            {Transitions.C_WAIT_CERTIFICATE, Transitions.CERTIFICATE},
            {Transitions.C_WAIT_SERVER_KEY_EXCHANGE, Transitions.SERVER_KEY_EXCHANGE},
            {Transitions.C_WAIT_SERVER_HELLO_DONE, Transitions.SERVER_HELLO_DONE},
            {Transitions.C_WAIT_CHANGE_CIPHER_SPEC, Transitions.CHANGE_CIPHER_SPEC},
            {Transitions.C_WAIT_FINISHED, Transitions.FINISHED},
        };
        for (int[] step : flow) {
            for (int t : ALL) {
                assertEquals(t == step[1], Transitions.legal(Transitions.ROLE_CLIENT, step[0], t),
                        Transitions.stateName(Transitions.ROLE_CLIENT, step[0]) + " / " + Transitions.messageName(t));
            }
        }
        for (int t : ALL) {
            assertFalse(Transitions.legal(Transitions.ROLE_CLIENT, Transitions.C_START, t), "client START receives nothing");
            assertFalse(Transitions.legal(Transitions.ROLE_CLIENT, Transitions.C_SEND_KEY_EXCHANGE, t));
            assertFalse(Transitions.legal(Transitions.ROLE_CLIENT, Transitions.C_FAILED, t));
        }
        assertTrue(Transitions.legal(Transitions.ROLE_CLIENT, Transitions.C_ESTABLISHED, Transitions.APPLICATION_DATA));
        assertTrue(Transitions.legal(Transitions.ROLE_CLIENT, Transitions.C_ESTABLISHED, Transitions.HELLO_REQUEST));
        assertFalse(Transitions.legal(Transitions.ROLE_CLIENT, Transitions.C_ESTABLISHED, Transitions.FINISHED));
    }

    @Test
    void serverFlowIsTheRfcFlow() {
        int[][] flow = {
            {Transitions.S_WAIT_CLIENT_HELLO, Transitions.CLIENT_HELLO},
            {Transitions.S_WAIT_CLIENT_KEY_EXCHANGE, Transitions.CLIENT_KEY_EXCHANGE},
            {Transitions.S_WAIT_CHANGE_CIPHER_SPEC, Transitions.CHANGE_CIPHER_SPEC},
            {Transitions.S_WAIT_FINISHED, Transitions.FINISHED},
        };
        for (int[] step : flow) {
            for (int t : ALL) {
                assertEquals(t == step[1], Transitions.legal(Transitions.ROLE_SERVER, step[0], t));
            }
        }
        // Application data before the handshake finished is out of order (RFC5246-7.4 / DEC-21).
        assertFalse(Transitions.legal(Transitions.ROLE_SERVER, Transitions.S_WAIT_FINISHED, Transitions.APPLICATION_DATA));
        assertTrue(Transitions.legal(Transitions.ROLE_SERVER, Transitions.S_ESTABLISHED, Transitions.CLIENT_HELLO));
    }

    @Test
    void helloRequestIsIgnoredOnlyWhileNegotiating() {
        assertTrue(Transitions.ignored(Transitions.ROLE_CLIENT, Transitions.C_WAIT_CERTIFICATE, Transitions.HELLO_REQUEST));
        assertFalse(Transitions.ignored(Transitions.ROLE_CLIENT, Transitions.C_ESTABLISHED, Transitions.HELLO_REQUEST));
        assertFalse(Transitions.ignored(Transitions.ROLE_SERVER, Transitions.S_WAIT_FINISHED, Transitions.HELLO_REQUEST));
        assertFalse(Transitions.ignored(Transitions.ROLE_CLIENT, Transitions.C_WAIT_CERTIFICATE, Transitions.FINISHED));
    }

    @Test
    void clientCoreReleasesKeyMaterialOnlyAfterBothVerifications() {
        ClientHandshake c = new ClientHandshake(false, true);
        assertEquals(ClientHandshake.NO_ALERT, c.onClientHelloSent());
        assertEquals(ClientHandshake.NO_ALERT, c.onServerHello(0x0303, true, true, true, true, true, false));
        assertFalse(c.mayReleaseKeyMaterial(null));
        assertEquals(ClientHandshake.NO_ALERT, c.onCertificateVerified(true, ClientHandshake.NO_ALERT, true));
        assertFalse(c.mayReleaseKeyMaterial(null));
        assertEquals(ClientHandshake.NO_ALERT, c.onServerKeyExchange(true, true, true, true));
        assertFalse(c.mayReleaseKeyMaterial(null), "not before ServerHelloDone");
        assertEquals(ClientHandshake.NO_ALERT, c.onServerHelloDone());
        assertTrue(c.mayReleaseKeyMaterial(null));
        assertEquals(ClientHandshake.NO_ALERT, c.onKeyMaterialSent(null));
        assertEquals(ClientHandshake.NO_ALERT, c.onChangeCipherSpec());
        assertFalse(c.isEstablished());
        assertEquals(ClientHandshake.NO_ALERT, c.onServerFinished(true));
        assertTrue(c.isEstablished());
    }

    @Test
    void clientCoreAlerts() {
        ClientHandshake c = new ClientHandshake(false, true);
        c.onClientHelloSent();
        assertEquals(AlertDescription.PROTOCOL_VERSION, c.onServerHello(0x0302, true, true, true, true, true, false));
        assertEquals(Transitions.C_FAILED, c.state());

        c = new ClientHandshake(false, true);
        c.onClientHelloSent();
        assertEquals(AlertDescription.UNSUPPORTED_EXTENSION, c.onServerHello(0x0303, true, true, true, true, true, true));
        assertEquals("DEC-13", c.failedRequirement());

        c = new ClientHandshake(false, true);
        c.onClientHelloSent();
        assertEquals(AlertDescription.HANDSHAKE_FAILURE, c.onServerHello(0x0303, true, true, true, true, false, false));
        assertEquals("RFC7627-5.3", c.failedRequirement());

        c = new ClientHandshake(false, true);
        c.onClientHelloSent();
        c.onServerHello(0x0303, true, true, true, true, true, false);
        assertEquals(AlertDescription.UNKNOWN_CA, c.onCertificateVerified(false, AlertDescription.UNKNOWN_CA, false));
        assertFalse(c.mayReleaseKeyMaterial(null));

        c = new ClientHandshake(false, true);
        c.onClientHelloSent();
        c.onServerHello(0x0303, true, true, true, true, true, false);
        c.onCertificateVerified(true, ClientHandshake.NO_ALERT, true);
        assertEquals(AlertDescription.DECRYPT_ERROR, c.onServerKeyExchange(true, true, false, true));
        // DEC-21: nothing is processed after a failure, and the first alert stays the only one
        assertEquals(AlertDescription.DECRYPT_ERROR, c.onMessage(Transitions.SERVER_HELLO_DONE), "no message after failure");
        assertEquals(Transitions.C_FAILED, c.state());
        assertEquals(1, c.fatalAlerts());

        c = new ClientHandshake(false, true);
        c.onClientHelloSent();
        c.onServerHello(0x0303, true, true, true, true, true, false);
        c.onCertificateVerified(true, ClientHandshake.NO_ALERT, true);
        assertEquals(AlertDescription.ILLEGAL_PARAMETER, c.onServerKeyExchange(true, true, true, false));
        assertEquals("RFC8422-5.11", c.failedRequirement());
    }

    @Test
    void clientCoreWithProxyInfoWaitsForTheCheck() {
        ClientHandshake c = new ClientHandshake(true, true);
        c.onClientHelloSent();
        assertEquals(ClientHandshake.NO_ALERT, c.onServerHello(0x0303, true, true, true, true, true, true));
        assertTrue(c.proxyInfoReceived());
        c.onCertificateVerified(true, ClientHandshake.NO_ALERT, false);
        c.onServerKeyExchange(true, true, true, true);
        c.onServerHelloDone();
        ProxyInfoDecision d = new ProxyInfoDecision();
        assertFalse(c.mayReleaseKeyMaterial(d), "DEC-8: ProxyInfo not yet checked");
        d.serverHello(true, true);
        d.hop(true, true, true, true, true, AlertDescription.BAD_CERTIFICATE, true);
        assertEquals(ClientHandshake.NO_ALERT, c.onProxyInfoChecked(d, null));
        assertTrue(c.mayReleaseKeyMaterial(d));
        assertFalse(c.mayReleaseKeyMaterial(null), "DEC-8: proxied, key material only with the ACCEPTED decision in hand");
    }

    @Test
    void clientCoreConsumesARefusedDecisionWithItsAlert() {
        ClientHandshake c = new ClientHandshake(true, true);
        c.onClientHelloSent();
        c.onServerHello(0x0303, true, true, true, true, true, true);
        c.onCertificateVerified(true, ClientHandshake.NO_ALERT, false);
        c.onServerKeyExchange(true, true, true, true);
        c.onServerHelloDone();
        ProxyInfoDecision d = new ProxyInfoDecision();
        d.serverHello(true, true);
        d.hop(true, true, false, true, true, AlertDescription.BAD_CERTIFICATE, true);
        assertEquals(AlertDescription.DECRYPT_ERROR, c.onProxyInfoChecked(d, "DEC-8"), "DEC-8 !ok branch: the decision's alert");
        assertFalse(c.mayReleaseKeyMaterial(d));
        // DEC-21: the one fatal alert is handed out once, whoever asks again
        assertEquals(AlertDescription.DECRYPT_ERROR, c.fatalAlertToSend(AlertDescription.INTERNAL_ERROR, "DEC-21"));
        assertEquals(ClientHandshake.NO_ALERT, c.fatalAlertToSend(AlertDescription.DECODE_ERROR, "DEC-21"));
        ClientHandshake undecided = new ClientHandshake(true, true);
        undecided.onClientHelloSent();
        undecided.onServerHello(0x0303, true, true, true, true, true, true);
        undecided.onCertificateVerified(true, ClientHandshake.NO_ALERT, false);
        undecided.onServerKeyExchange(true, true, true, true);
        undecided.onServerHelloDone();
        ProxyInfoDecision pending = new ProxyInfoDecision();
        pending.serverHello(true, true);
        assertEquals(AlertDescription.INTERNAL_ERROR, undecided.onProxyInfoChecked(pending, null),
                "a decision still waiting for hops is not ACCEPTED");
    }

    @Test
    void serverCoreAlerts() {
        ServerHandshake s = new ServerHandshake(true, 0xFFA5, false);
        assertEquals(AlertDescription.PROTOCOL_VERSION, s.onClientHello(0x0302, true, true, true, true, true, true));
        s = new ServerHandshake(true, 0xFFA5, false);
        assertEquals(AlertDescription.HANDSHAKE_FAILURE, s.onClientHello(0x0303, true, true, false, true, true, true));
        s = new ServerHandshake(true, 0xFFA5, false);
        assertEquals(AlertDescription.HANDSHAKE_FAILURE, s.onClientHello(0x0303, true, true, true, false, true, true));
        s = new ServerHandshake(true, 0xFFA5, false);
        assertEquals(AlertDescription.HANDSHAKE_FAILURE, s.onClientHello(0x0303, true, false, true, true, true, true));
        s = new ServerHandshake(true, 0xFFA5, false);
        assertEquals(AlertDescription.ILLEGAL_PARAMETER, s.onClientHello(0x0303, false, true, true, true, true, true));
        s = new ServerHandshake(true, 0xFFA5, false);
        assertEquals(ServerHandshake.NO_ALERT, s.onClientHello(0x0304, true, true, true, true, true, true), "TLS 1.3 client answered with 1.2");
        s.onServerFlightSent();
        s.onClientKeyExchange(true);
        s.onChangeCipherSpec();
        assertEquals(AlertDescription.DECRYPT_ERROR, s.onClientFinished(false));
        assertFalse(s.isEstablished());
    }

    @Test
    void proxyNeverAnswersSession1BeforeSession2IsFinished() {
        ProxyHandshake p = new ProxyHandshake(ProxyHandshake.POLICY_REFUSE, 0xFFA5);
        p.onClientHello(true);
        assertFalse(p.maySendServerHello(), "DEC-14");
        assertEquals(AlertDescription.INTERNAL_ERROR, new ProxyHandshake(ProxyHandshake.POLICY_REFUSE, 0xFFA5).onServerHelloQueued());
        p.onUpstreamEstablished(true);
        assertFalse(p.maySendServerHello(), "DEC-5/DEC-14: the client that offered proxy_info is owed an assertion first");
        assertTrue(p.maySignAssertion(true, true, true));
        assertFalse(p.maySignAssertion(false, false, false), "DEC-15: only about its own session #2");
        assertFalse(p.maySignAssertion(true, true, false), "DEC-5: not with another session's server_random");
        assertFalse(p.maySignAssertion(true, false, true), "DEC-5: not with another chain");
        assertEquals(ProxyHandshake.NO_ALERT, p.onAssertionSigned(true, true, true));
        assertTrue(p.maySendServerHello());
        assertEquals(ProxyHandshake.NO_ALERT, p.onServerHelloQueued());
        assertFalse(p.mayRelay());
        assertEquals(ProxyHandshake.NO_ALERT, p.onDownstreamEstablished());
        assertTrue(p.mayRelay(), "DEC-18");
    }

    @Test
    void proxyPolicyForClientsWithoutTheExtension() {
        ProxyHandshake refuse = new ProxyHandshake(ProxyHandshake.POLICY_REFUSE, 0xFFA5);
        assertEquals(AlertDescription.HANDSHAKE_FAILURE, refuse.onClientHello(false), "DEC-17 refuse");
        assertEquals("DEC-17", refuse.failedRequirement());
        ProxyHandshake mint = new ProxyHandshake(ProxyHandshake.POLICY_MINT, 0xFFA5);
        assertEquals(ProxyHandshake.NO_ALERT, mint.onClientHello(false));
        assertFalse(mint.mayMint(), "mint only after session #2 (DEC-14)");
        mint.onUpstreamEstablished(true);
        assertTrue(mint.mayMint());
        assertFalse(mint.maySignAssertion(true, true, true), "no assertion when minting");
        assertTrue(mint.maySendServerHello());
        ProxyHandshake aware = new ProxyHandshake(ProxyHandshake.POLICY_MINT, 0xFFA5);
        aware.onClientHello(true);
        aware.onUpstreamEstablished(true);
        assertFalse(aware.mayMint(), "00-R10/01-R11: never mint for a client that offered proxy_info");
    }

    @Test
    void dec19AndDec16FollowTheConfiguredCodePoint() {
        // DEC-19 with any code point (issue 10 finding 5): the guard is the configured type, not the default one
        ServerHandshake ordinary = new ServerHandshake(true, 0xFF10, false);
        assertFalse(ordinary.mayAnswerExtension(0xFF10, true, true), "an ordinary server never echoes proxy_info at 0xFF10");
        assertTrue(ordinary.mayAnswerExtension(0xFFA5, true, true), "0xFFA5 is just another extension here");
        ServerHandshake asserting = new ServerHandshake(true, 0xFF10, true);
        assertTrue(asserting.mayAnswerExtension(0xFF10, true, true));
        ProxyHandshake p = new ProxyHandshake(ProxyHandshake.POLICY_REFUSE, 0xFF10);
        assertEquals(ProxyHandshake.PROCESSED, p.extensionDisposition(0xFF10));
        assertEquals(ProxyHandshake.DROPPED, p.extensionDisposition(0xFFA5));
        assertFalse(p.mayCarryUpstream(0xFFA5));
    }

    @Test
    void coreStateIsPrivateAndConfigurationFinal() {
        // issue 10 finding 4: no other writer than the core; configuration fixed at construction
        for (Class<?> k : new Class<?>[] {ClientHandshake.class, ServerHandshake.class, ProxyHandshake.class, ProxyInfoDecision.class}) {
            for (java.lang.reflect.Field f : k.getDeclaredFields()) {
                int m = f.getModifiers();
                boolean constant = java.lang.reflect.Modifier.isStatic(m) && java.lang.reflect.Modifier.isFinal(m);
                assertTrue(constant || java.lang.reflect.Modifier.isPrivate(m), k.getSimpleName() + "." + f.getName() + " is not private");
            }
        }
        for (String[] cfg : new String[][] {{"ClientHandshake", "offeredProxyInfo"}, {"ClientHandshake", "requireExtendedMasterSecret"},
                {"ServerHandshake", "proxyInfoType"}, {"ServerHandshake", "assertsProxyInfo"},
                {"ServerHandshake", "requireExtendedMasterSecret"}, {"ProxyHandshake", "policy"}, {"ProxyHandshake", "proxyInfoType"}}) {
            try {
                java.lang.reflect.Field f = Class.forName("org.proxyinfo.core." + cfg[0]).getDeclaredField(cfg[1]);
                assertTrue(java.lang.reflect.Modifier.isFinal(f.getModifiers()), cfg[0] + "." + cfg[1] + " is not final");
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(cfg[0] + "." + cfg[1] + " missing", e);
            }
        }
    }

    @Test
    void proxyUpstreamValidationAndFailures() {
        ProxyHandshake p = new ProxyHandshake(ProxyHandshake.POLICY_REFUSE, 0xFFA5);
        p.onClientHello(true);
        assertEquals(AlertDescription.HANDSHAKE_FAILURE, p.onUpstreamEstablished(false), "DEC-15");
        assertFalse(p.maySendServerHello());
        ProxyHandshake q = new ProxyHandshake(ProxyHandshake.POLICY_REFUSE, 0xFFA5);
        q.onClientHello(true);
        assertEquals(AlertDescription.INTERNAL_ERROR, q.onUpstreamFailed(false));
        assertEquals(ProxyHandshake.FORWARDED, q.extensionDisposition(0));
        assertEquals(ProxyHandshake.PROCESSED, q.extensionDisposition(0xFFA5));
        assertEquals(ProxyHandshake.DROPPED, q.extensionDisposition(16), "DEC-16: ALPN dropped");
        assertFalse(q.mayCarryUpstream(16), "DEC-16: a dropped extension never goes upstream");
        assertTrue(q.mayCarryUpstream(0) && q.mayCarryUpstream(0xFFA5) && q.mayCarryUpstream(23));
    }
}
