package org.proxyinfo.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.proxyinfo.pki.CertificateValidator;
import org.proxyinfo.pki.RevocationPolicy;
import org.proxyinfo.pki.TestPki;
import org.proxyinfo.proxyinfo.ProxyInfoCodec;
import org.proxyinfo.proxyinfo.ProxyInfoExtension;
import org.proxyinfo.proxyinfo.SignedProxyInfo;
import org.proxyinfo.trace.Trace;
import org.proxyinfo.wire.Certificate;
import org.proxyinfo.wire.ClientHello;
import org.proxyinfo.wire.Extension;
import org.proxyinfo.wire.Hex;
import org.proxyinfo.wire.ServerHello;
import org.proxyinfo.wire.TlsFatalAlert;

/**
 * Issue 10: a check that constants cannot fool. For every demo scenario, the facts each proxy's core
 * was given (the trace's "core fact: ..." events) are recomputed independently from the trace's raw
 * handshake bytes: the assertion the proxy sent on session #1 against session #2 as the proxy
 * received it (DEC-5: parameters, chain, server_random), and the upstream chain against the web
 * trust store and the SNI the proxy sent upstream (DEC-15). The recomputation must equal the facts,
 * and the core's decision must follow them (DEC-14: a ServerHello only after all three held). Where
 * the adversary changed the bytes after the core decided, the trace must say so.
 */
class CoreFactsRecomputationTest {
    static final TestPki PKI = ScenarioTest.PKI;
    static final Clock CLOCK = ScenarioTest.CLOCK;
    static final Pattern FACT = Pattern.compile("core fact: ProxyHandshake\\.(\\w+) given (.*)");

    static Stream<String> names() {
        return ScenarioTest.names();
    }

    static byte[] body(Trace.Event e) {
        byte[] raw = Hex.parse(e.text("raw"));
        return Arrays.copyOfRange(raw, 4, raw.length); // handshake header: type(1) length(3)
    }

    /** The first message event matching, or null. */
    static Trace.Event message(List<Trace.Event> ev, String role, String leg, boolean legEquals, String direction, String name) {
        for (Trace.Event e : ev) {
            if ("message".equals(e.kind()) && role.equals(e.role()) && legEquals == leg.equals(e.leg())
                    && direction.equals(e.text("direction")) && name.equals(e.text("messageName"))) {
                return e;
            }
        }
        return null;
    }

    /** The events after the proxy abandoned a session #2 at CertificateRequest (DEC-23 LEARN), or all of them. */
    static List<Trace.Event> afterAbandonedSession2(List<Trace.Event> ev, String role) {
        for (int i = 0; i < ev.size(); i++) {
            Trace.Event e = ev.get(i);
            if ("outcome".equals(e.kind()) && role.equals(e.role()) && "DEC-23".equals(e.text("requirementId"))
                    && !e.flag("established") && "session2".equals(e.leg())) {
                return ev.subList(i + 1, ev.size());
            }
        }
        return ev;
    }

    /** An adversary event (role attacker, TraceSink.adversary) on the leg where the proxy sent the changed bytes. */
    static boolean adversaryActed(List<Trace.Event> ev, String leg) {
        return ev.stream().anyMatch(e -> "check".equals(e.kind()) && org.proxyinfo.trace.TraceSink.ATTACKER.equals(e.role())
                && leg.equals(e.leg())
                && e.text("what") != null && e.text("what").startsWith("ADVERSARY:"));
    }

    /** The index of the first "core fact: ProxyHandshake.CALL" event of {@code role} at or after {@code from}, or -1. */
    static int fact(List<Trace.Event> ev, int from, String role, String call) {
        for (int i = from; i < ev.size(); i++) {
            Trace.Event e = ev.get(i);
            Matcher m = e.text("what") == null ? null : FACT.matcher(e.text("what"));
            if ("check".equals(e.kind()) && role.equals(e.role()) && m != null && m.matches() && call.equals(m.group(1))) {
                return i;
            }
        }
        return -1;
    }

    static String sni(ClientHello ch) {
        Extension x = Extension.find(ch.extensions, 0);
        if (x == null) {
            return null;
        }
        int len = ((x.data[3] & 0xff) << 8) | (x.data[4] & 0xff);
        return new String(x.data, 5, len, StandardCharsets.US_ASCII);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void theFactsGivenToTheProxyCoreAreTheTracesBytes(String name) throws Exception {
        ScenarioResult r = ScenarioRunner.run(Scenarios.byName(name), RunOptions.of(PKI).clock(CLOCK).timeoutMillis(5_000));
        List<Trace.Event> ev = r.trace().events();
        int factsChecked = 0;
        for (Trace.Event f : ev) {
            Matcher m = f.text("what") == null ? null : FACT.matcher(f.text("what"));
            if (!"check".equals(f.kind()) || m == null || !m.matches()) {
                continue;
            }
            String role = f.role();
            String down = f.leg();
            String call = m.group(1);
            String given = m.group(2);
            // DEVIATION (DEC-23) LEARN: a session #2 the proxy abandoned at the origin's CertificateRequest is not the one
            // its assertion describes; the facts are about the session #2 it opened after it
            List<Trace.Event> up = afterAbandonedSession2(ev, role);
            Trace.Event upHello = message(up, role, down, false, "received", "server_hello");
            Trace.Event upCert = message(up, role, down, false, "received", "certificate");
            if (call.equals("onAssertionSigned") || call.equals("maySignAssertion")) {
                Trace.Event sent = message(ev, role, down, true, "sent", "server_hello");
                ServerHello session2 = ServerHello.decode(body(upHello));
                List<byte[]> session2Chain = Certificate.decode(body(upCert)).certificateList;
                boolean[] recomputed = {false, false, false};
                if (sent != null) {
                    ServerHello s1 = ServerHello.decode(body(sent));
                    Extension x = Extension.find(s1.extensions, ProxyInfoExtension.DEFAULT_EXTENSION_TYPE);
                    if (x != null) {
                        SignedProxyInfo spi = new ProxyInfoCodec().decodeFromServerHello(x.data);
                        recomputed[0] = spi.connectionParameters().tlsVersion() == 0x0303
                                && spi.connectionParameters().cipherSuite() == session2.cipherSuite
                                && spi.connectionParameters().compressionMethod() == 0;
                        recomputed[1] = spi.serverCertificateList().size() == session2Chain.size();
                        for (int i = 0; recomputed[1] && i < session2Chain.size(); i++) {
                            recomputed[1] = Arrays.equals(spi.serverCertificateList().get(i), session2Chain.get(i));
                        }
                        recomputed[2] = Arrays.equals(spi.serverRandom(), session2.random);
                    }
                }
                String want = "own_parameters=" + recomputed[0] + ", own_chain=" + recomputed[1]
                        + ", own_server_random=" + recomputed[2];
                boolean changedOnTheWay = sent != null && sent.node("fields").has("changed_by");
                if (changedOnTheWay) {
                    assertTrue(adversaryActed(ev, down), name + ": bytes changed after the core decided, and no ADVERSARY event");
                } else {
                    assertEquals(want, given, name + " " + role + ": facts given to " + call + " vs. recomputed from the bytes");
                }
                boolean allTrue = given.equals("own_parameters=true, own_chain=true, own_server_random=true");
                if (call.equals("maySignAssertion")) {
                    // DEC-5 (S1): the core is asked before the private-key operation; signed (onAssertionSigned follows) only
                    // with all three facts true
                    int k = ev.indexOf(f);
                    int signed = fact(ev, k + 1, role, "onAssertionSigned");
                    int askedAgain = fact(ev, k + 1, role, "maySignAssertion");
                    assertEquals(allTrue, signed >= 0 && (askedAgain < 0 || signed < askedAgain),
                            name + " " + role + ": an assertion was signed exactly when maySignAssertion allowed it");
                } else {
                    int k = ev.indexOf(f);
                    int asked = -1;
                    for (int i = fact(ev, 0, role, "maySignAssertion"); i >= 0 && i < k; i = fact(ev, i + 1, role, "maySignAssertion")) {
                        asked = i;
                    }
                    int signedBetween = asked < 0 ? -1 : fact(ev, asked + 1, role, "onAssertionSigned");
                    assertTrue(asked >= 0 && signedBetween == k,
                            name + " " + role + ": maySignAssertion was asked before this assertion was signed");
                    // DEC-14: the ServerHello was sent only with all three facts true
                    assertEquals(allTrue, sent != null, name + " " + role + ": the ServerHello follows the core's decision");
                }
                factsChecked++;
            } else if (call.equals("onUpstreamEstablished") && upCert != null && !given.isEmpty()) {
                Trace.Event upChEvent = message(ev, role, down, false, "sent", "client_hello");
                String host = sni(ClientHello.decode(body(upChEvent)));
                boolean proxiedUpstream = Extension.find(ServerHello.decode(body(upHello)).extensions,
                        ProxyInfoExtension.DEFAULT_EXTENSION_TYPE) != null;
                if (proxiedUpstream) {
                    continue; // the upstream is a proxy: its assertion's checks are the client's (DEC-8), not recomputed here
                }
                boolean valid;
                try {
                    new CertificateValidator(PKI.webTrust(), CLOCK, RevocationPolicy.DEFAULT, PKI.webCrls())
                            .validateServer(Certificate.decode(body(upCert)).certificateList, host);
                    valid = true;
                } catch (TlsFatalAlert e) {
                    valid = false;
                }
                if (adversaryActed(ev, down) && !valid) {
                    assertEquals("validated=true", given, name + ": the adversary made the proxy trust an invalid upstream");
                } else {
                    assertEquals("validated=" + valid, given, name + " " + role + ": DEC-15 fact vs. recomputed validation");
                }
                factsChecked++;
            } else if (call.equals("onClientHello")) {
                Trace.Event ch = message(ev, role, down, true, "received", "client_hello");
                boolean offered = Extension.find(ClientHello.decode(body(ch)).extensions,
                        ProxyInfoExtension.DEFAULT_EXTENSION_TYPE) != null;
                if (!adversaryActed(ev, down)) {
                    assertEquals("offered_proxy_info=" + offered, given, name + " " + role + ": DEC-17 fact vs. the ClientHello");
                }
                factsChecked++;
            }
        }
        List<String> proxies = new ArrayList<>();
        for (String role : r.trace().roles()) {
            if (role.startsWith("proxy")) {
                proxies.add(role);
            }
        }
        if (!proxies.isEmpty() && !name.equals("upstream-unreachable")) {
            assertTrue(factsChecked > 0, name + ": no core fact of the proxy was recorded");
        }
        assertFalse(factsChecked < 0);
    }
}
