package org.proxyinfo.role;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.core.ClientHandshake;
import org.proxyinfo.core.ProxyHandshake;
import org.proxyinfo.core.ServerHandshake;
import org.proxyinfo.core.Transitions;
import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.demo.RunOptions;
import org.proxyinfo.demo.ScenarioResult;
import org.proxyinfo.demo.ScenarioRunner;
import org.proxyinfo.demo.Scenarios;
import org.proxyinfo.pki.TestPki;
import org.proxyinfo.trace.Trace;
import org.proxyinfo.wire.CipherSuite;

/**
 * Issue 6, part 4: the contracts KeY proves speak about the code that runs. Real handshakes (our
 * client and server over the in-memory transport, and refusals) are traced, and the trace's
 * {@code transition} events must be exactly the states the decision cores went through:
 * <ul>
 *   <li>every state name in the trace is one of the core's names ({@link Transitions#stateName});</li>
 *   <li>the transitions form one chain from the core's initial state to the state the role's live
 *       core object is in at the end;</li>
 *   <li>the chain equals the states a fresh core ("shadow") goes through when it is fed the same
 *       facts, so no state change happened outside the core and none of the core's was skipped;</li>
 *   <li>on a refusal, the alert on the wire is the one the core decided (DEC-21), once.</li>
 * </ul>
 */
class CoreTraceTest {

    /** The from/to names of the recorded transitions of one role, as a chain [first from, to, to, ...]. */
    static List<String> chain(RecordingTrace t, String role) {
        List<String> out = new ArrayList<>();
        synchronized (t.events) {
            for (String e : t.events) {
                String prefix = "transition " + role + " ";
                if (!e.startsWith(prefix)) {
                    continue;
                }
                String[] fromTo = e.substring(prefix.length()).split("->");
                if (out.isEmpty()) {
                    out.add(fromTo[0]);
                } else {
                    assertEquals(out.get(out.size() - 1), fromTo[0], "transitions do not chain: " + t.events);
                }
                out.add(fromTo[1]);
            }
        }
        return out;
    }

    static Set<String> names(int role, int last) {
        Set<String> s = new HashSet<>();
        for (int i = 0; i <= last; i++) {
            s.add(Transitions.stateName(role, i));
        }
        return s;
    }

    /**
     * What the role traced for one requirement: true iff it recorded at least one check with that ID
     * and all of them passed. The shadow core is fed these, so a refusal run drives it down the
     * refusal path by itself (issue 10 finding 10: no constants the shell could share).
     */
    static boolean traced(RecordingTrace t, String role, String requirementId) {
        boolean any = false;
        boolean all = true;
        synchronized (t.events) {
            for (String e : t.events) {
                String prefix = "check " + role + " " + requirementId + " ";
                if (e.startsWith(prefix)) {
                    any = true;
                    all &= Boolean.parseBoolean(e.substring(prefix.length()));
                }
            }
        }
        return any && all;
    }

    /** Independent of the shell's validator: the JDK's PKIX to the test web root, revocation off. */
    static boolean chainValidates(List<X509Certificate> chain) {
        try {
            PKIXParameters p = new PKIXParameters(Set.of(new TrustAnchor(TestCredentials.CA, null)));
            p.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(chain), p);
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** RFC 6125, recomputed here: one of the leaf's DNS names is the host. */
    static boolean namesHost(X509Certificate leaf, String host) {
        try {
            if (leaf.getSubjectAlternativeNames() != null) {
                for (List<?> san : leaf.getSubjectAlternativeNames()) {
                    if (Integer.valueOf(2).equals(san.get(0)) && host.equalsIgnoreCase(String.valueOf(san.get(1)))) {
                        return true;
                    }
                }
            }
        } catch (java.security.cert.CertificateParsingException e) {
            return false;
        }
        return false;
    }

    /** Records the shadow core's state after each call, as the trace does (only changes). */
    static final class Shadow {
        final int role;
        final java.util.function.IntSupplier state;
        final List<String> states = new ArrayList<>();
        Shadow(int role, java.util.function.IntSupplier state) {
            this.role = role;
            this.state = state;
            states.add(Transitions.stateName(role, state.getAsInt()));
        }
        /** Called with a core call's result, i.e. after the call: records the state it left the core in. */
        int at(int result) {
            String name = Transitions.stateName(role, state.getAsInt());
            if (!states.get(states.size() - 1).equals(name)) {
                states.add(name);
            }
            return result;
        }
    }

    /**
     * The client core fed with this connection's facts: the certificate facts recomputed from the
     * chain it received (and compared with what the shell traced), the others as the shell traced them.
     */
    static List<String> clientPath(RecordingTrace ct, TlsConnection c, String host) {
        boolean chainOk = chainValidates(c.peerCertificates());
        boolean hostOk = !c.peerCertificates().isEmpty() && namesHost(c.peerCertificates().get(0), host);
        assertEquals(chainOk, traced(ct, "client", "DEC-10"), "DEC-10: the client traced the chain fact this test recomputes");
        assertEquals(hostOk, traced(ct, "client", "RFC6125-6.4"), "RFC6125-6.4: the client traced the host fact this test recomputes");
        ClientHandshake k = new ClientHandshake(false, true);
        Shadow s = new Shadow(Transitions.ROLE_CLIENT, () -> k.state());
        s.at(k.onClientHelloSent());
        s.at(k.onMessage(Transitions.SERVER_HELLO));
        s.at(k.onServerHello(ClientHandshake.TLS12, traced(ct, "client", "RFC5246-7.4.1.3"), true,
                traced(ct, "client", "RFC5246-7.4.1.4"), traced(ct, "client", "RFC5746-3.4"),
                traced(ct, "client", "RFC7627-5.2"), false));
        s.at(k.onMessage(Transitions.CERTIFICATE));
        if (s.at(k.onCertificateVerified(chainOk, chainOk ? ClientHandshake.NO_ALERT : AlertDescription.BAD_CERTIFICATE, hostOk))
                != ClientHandshake.NO_ALERT) {
            return s.states;
        }
        s.at(k.onMessage(Transitions.SERVER_KEY_EXCHANGE));
        s.at(k.onServerKeyExchange(traced(ct, "client", "RFC8422-5.4"), traced(ct, "client", "RFC5246-7.4.1.4.1"),
                traced(ct, "client", "RFC5246-7.4.3"), traced(ct, "client", "RFC8422-5.11")));
        s.at(k.onMessage(Transitions.SERVER_HELLO_DONE));
        s.at(k.onServerHelloDone());
        assertTrue(k.mayReleaseKeyMaterial(null));
        s.at(k.onKeyMaterialSent(null));
        s.at(k.onMessage(Transitions.CHANGE_CIPHER_SPEC));
        s.at(k.onChangeCipherSpec());
        s.at(k.onMessage(Transitions.FINISHED));
        s.at(k.onServerFinished(traced(ct, "client", "RFC5246-7.4.9")));
        assertTrue(k.isEstablished());
        return s.states;
    }

    static List<String> serverHappyPath() {
        ServerHandshake k = new ServerHandshake(true, org.proxyinfo.proxyinfo.ProxyInfoExtension.DEFAULT_EXTENSION_TYPE, false);
        Shadow s = new Shadow(Transitions.ROLE_SERVER, () -> k.state());
        s.at(k.onMessage(Transitions.CLIENT_HELLO));
        s.at(k.onClientHello(ServerHandshake.TLS12, true, true, true, true, true, true));
        s.at(k.onServerFlightSent());
        s.at(k.onMessage(Transitions.CLIENT_KEY_EXCHANGE));
        s.at(k.onClientKeyExchange(true));
        s.at(k.onMessage(Transitions.CHANGE_CIPHER_SPEC));
        s.at(k.onChangeCipherSpec());
        s.at(k.onMessage(Transitions.FINISHED));
        s.at(k.onClientFinished(true));
        s.at(k.onFinishedSent());
        assertTrue(k.isEstablished());
        return s.states;
    }

    @Test
    void establishedHandshakeFollowsTheCoresExactly() throws Exception {
        RecordingTrace ct = new RecordingTrace();
        RecordingTrace st = new RecordingTrace();
        TlsConnection[] cs = InMemoryHandshakeTest.run(InMemoryHandshakeTest.clientConfig(ct),
                InMemoryHandshakeTest.serverConfig(st), TestCredentials.HOST);
        assertTrue(cs[0].isEstablished(), cs[0].failureSummary());
        assertTrue(cs[1].isEstablished(), cs[1].failureSummary());

        List<String> client = chain(ct, "client");
        List<String> server = chain(st, "server");
        assertTrue(names(Transitions.ROLE_CLIENT, Transitions.C_FAILED).containsAll(client), client.toString());
        assertTrue(names(Transitions.ROLE_SERVER, Transitions.S_FAILED).containsAll(server), server.toString());
        assertEquals(clientPath(ct, cs[0], TestCredentials.HOST), client, "client trace vs. the client core's states");
        assertEquals(serverHappyPath(), server, "server trace vs. the server core's states");
        // The live core objects the roles consulted end where the traces end.
        assertEquals(Transitions.stateName(Transitions.ROLE_CLIENT, cs[0].clientCore.state()), client.get(client.size() - 1));
        assertEquals(Transitions.stateName(Transitions.ROLE_SERVER, cs[1].serverCore.state()), server.get(server.size() - 1));
        assertTrue(cs[0].clientCore.keyMaterialSent() && cs[0].clientCore.serverChainVerified()
                && cs[0].clientCore.serverKeyExchangeVerified(), "DEC-8/DEC-13 facts of the live client core");
        assertEquals(0, cs[0].clientCore.fatalAlerts());
        assertEquals(0, cs[1].serverCore.fatalAlerts());
    }

    @Test
    void wrongHostRefusalFollowsTheClientCoreAndSendsItsOneAlert() throws Exception {
        RecordingTrace ct = new RecordingTrace();
        RecordingTrace st = new RecordingTrace();
        TlsConnection[] cs = InMemoryHandshakeTest.run(InMemoryHandshakeTest.clientConfig(ct),
                InMemoryHandshakeTest.serverConfig(st), "other.proxyinfo.test");
        assertFalse(cs[0].isEstablished());

        // the facts recomputed from this connection drive the shadow into the refusal (RFC6125-6.4)
        List<String> shadow = clientPath(ct, cs[0], "other.proxyinfo.test");
        assertEquals("FAILED", shadow.get(shadow.size() - 1), "the recomputed host fact alone refuses: " + shadow);

        List<String> client = chain(ct, "client");
        assertEquals(shadow, client, "client trace vs. the client core's states");
        ClientHandshake live = cs[0].clientCore;
        assertEquals(Transitions.C_FAILED, live.state());
        assertEquals(1, live.fatalAlerts(), "DEC-21: exactly one fatal alert");
        assertEquals(live.alert(), cs[0].alertSent(), "the alert on the wire is the core's");
        assertEquals(live.alert(), cs[1].alertReceived());
        assertFalse(live.keyMaterialSent(), "DEC-8: no key material after a failed check");
        assertFalse(ct.has("message client sent client_key_exchange"));

        // The server saw the client's alert: its core was aborted, from the state it was waiting in.
        List<String> server = chain(st, "server");
        assertEquals("FAILED", server.get(server.size() - 1));
        assertEquals(0, cs[1].serverCore.fatalAlerts(), "the server sends no alert of its own after the peer's");
    }

    @Test
    void noCommonSuiteRefusalFollowsTheServerCore() throws Exception {
        RecordingTrace ct = new RecordingTrace();
        RecordingTrace st = new RecordingTrace();
        TlsConfig server = new TlsConfig(new BcTlsCrypto(new SecureRandom())).trace(st).credential(TestCredentials.RSA);
        TlsConnection[] cs = InMemoryHandshakeTest.run(
                InMemoryHandshakeTest.clientConfig(ct).cipherSuites(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256),
                server, TestCredentials.HOST);

        // commonSuite recomputed from the two configurations: the client offers only an ECDSA suite, the server holds
        // only an RSA key (RFC5246-7.4.1.3); the shell's traced fact must agree
        boolean commonSuite = false;
        for (int suite : new int[] {CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256}) {
            commonSuite |= CipherSuite.isRsa(suite);
        }
        assertEquals(commonSuite, traced(st, "server", "RFC5246-7.4.1.3"), "the server traced the suite fact this test recomputes");
        ServerHandshake k = new ServerHandshake(true, org.proxyinfo.proxyinfo.ProxyInfoExtension.DEFAULT_EXTENSION_TYPE, false);
        Shadow s = new Shadow(Transitions.ROLE_SERVER, () -> k.state());
        s.at(k.onMessage(Transitions.CLIENT_HELLO));
        int alert = s.at(k.onClientHello(ServerHandshake.TLS12, true, true, commonSuite, true, true, true));
        assertEquals(AlertDescription.HANDSHAKE_FAILURE, alert);

        assertEquals(s.states, chain(st, "server"), "server trace vs. the server core's states");
        ServerHandshake live = cs[1].serverCore;
        assertEquals(1, live.fatalAlerts(), "DEC-21: exactly one fatal alert");
        assertEquals(live.alert(), cs[1].alertSent());
        assertEquals(live.alert(), cs[0].alertReceived());
        List<String> client = chain(ct, "client");
        assertEquals(List.of("START", "WAIT_SERVER_HELLO", "FAILED"), client);
        assertEquals(0, cs[0].clientCore.fatalAlerts());
    }

    /**
     * The proxy (DEC-14): in the honest one-hop scenario the proxy's own transitions are exactly the
     * states a fresh ProxyHandshake goes through, and session #1's ServerHello leaves only after the
     * core reached UPSTREAM_ESTABLISHED.
     */
    @Test
    void proxiedRunFollowsTheProxyCore() {
        ScenarioResult r = ScenarioRunner.run(Scenarios.byName("proxied"), RunOptions.of(TestPki.generateDefault()));
        assertTrue(r.passed(), r.summary());

        ProxyHandshake k = new ProxyHandshake(ProxyHandshake.POLICY_REFUSE, org.proxyinfo.proxyinfo.ProxyInfoExtension.DEFAULT_EXTENSION_TYPE);
        Shadow s = new Shadow(Transitions.ROLE_PROXY, () -> k.state());
        s.at(k.onClientHello(true));
        s.at(k.onUpstreamEstablished(true));
        s.at(k.onAssertionSigned(true, true, true));
        assertTrue(k.maySendServerHello());
        s.at(k.onServerHelloQueued());
        s.at(k.onDownstreamEstablished());
        assertTrue(k.mayRelay());

        Set<String> proxyOnly = Set.of("UPSTREAM_HANDSHAKE", "UPSTREAM_ESTABLISHED", "DOWNSTREAM_HANDSHAKE", "RELAYING");
        List<String> proxyStates = new ArrayList<>();
        int upstreamEstablished = -1;
        int serverHelloToClient = -1;
        List<Trace.Event> ev = r.trace().events();
        for (int i = 0; i < ev.size(); i++) {
            Trace.Event e = ev.get(i);
            if (e.kind().equals("transition") && e.role().equals("proxy") && proxyOnly.contains(e.text("to"))) {
                proxyStates.add(e.text("to"));
                if (e.text("to").equals("UPSTREAM_ESTABLISHED")) {
                    upstreamEstablished = i;
                }
            }
            if (e.kind().equals("message") && e.role().equals("proxy") && "session1".equals(e.leg())
                    && "sent".equals(e.text("direction")) && "server_hello".equals(e.text("messageName"))) {
                serverHelloToClient = i;
            }
        }
        assertEquals(s.states.subList(1, s.states.size()), proxyStates, "proxy trace vs. the proxy core's states");
        assertTrue(upstreamEstablished >= 0 && serverHelloToClient > upstreamEstablished,
                "DEC-14: the core reached UPSTREAM_ESTABLISHED before session #1's ServerHello was sent");
    }
}
