package org.proxyinfo.learn;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import net.automatalib.automata.transducers.impl.compact.CompactMealy;
import net.automatalib.words.Alphabet;
import net.automatalib.words.impl.Alphabets;
import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.core.ClientHandshake;
import org.proxyinfo.core.ProxyHandshake;
import org.proxyinfo.core.ProxyInfoDecision;
import org.proxyinfo.core.ServerHandshake;
import org.proxyinfo.core.Transitions;
import org.proxyinfo.wire.ExtensionType;

/**
 * The specification machines: Mealy machines over the learner's alphabet generated, at build time,
 * by driving the proved cores ({@code core.ServerHandshake}, {@code core.ProxyHandshake}, which ask
 * {@code core.Transitions}) the way the role shells call them, with every fact honest (the learner's
 * mapper computes correct keys and Finished). So the machine follows whatever the transition table
 * and the cores' guards say today: a change there changes the specification, and the learned
 * machine of the role must follow.
 *
 * What the shells add around the cores is written out here, and only that: which flight a role
 * sends when its core is in a sending state (S_SEND_FLIGHT, S_SEND_FINISHED), the echo
 * application on an established connection, a fatal alert for every core refusal followed by the
 * close (DEC-21), the warning no_renegotiation for a renegotiation request (DEC-20), and a close
 * without an alert after the peer's fatal alert (RFC5246-7.2.2).
 */
public final class SpecMachines {
    private SpecMachines() { }

    /** One connection of a server-side endpoint, driven through its cores. */
    interface Endpoint {
        String step(String input);

        /** Everything that decides the future behaviour (the cores' states). */
        String key();
    }

    /** Our server: ServerHandshake (an ordinary server, DEC-19). */
    public static CompactMealy<String, String> ourServer(List<String> inputs) {
        return explore(inputs, () -> new ServerSide(false, true));
    }

    /** The proxy's session #1: ServerHandshake asserting proxy_info plus ProxyHandshake under policy refuse (DEC-17). */
    public static CompactMealy<String, String> proxySession1(List<String> inputs) {
        return explore(inputs, () -> new ServerSide(true, true));
    }

    /** The proxy's session #1 when its upstream cannot be reached: DEC-14/DEC-15, no ServerHello without session #2. */
    public static CompactMealy<String, String> proxySession1NoUpstream(List<String> inputs) {
        return explore(inputs, () -> new ServerSide(true, false));
    }

    /**
     * Our client (offering proxy_info, DEC-8..13) with an echo application: ClientHandshake. The
     * ClientHello is sent at connection start (the reset), so the machine starts in WAIT_SERVER_HELLO.
     */
    public static CompactMealy<String, String> ourClient(List<String> inputs) {
        return explore(inputs, () -> new ClientSide(false));
    }

    /**
     * The proxy's session #2 seen from the origin (the learner): ClientHandshake driven as TlsClient drives it
     * for the proxy (offering proxy_info upstream, the proxy's upstream check, DEC-8, DEC-15), after
     * ProxyHandshake admitted an honest client that offered proxy_info (DEC-17). When session #2 is finished the
     * proxy asks ProxyHandshake (DEC-14 session #2 established and validated, DEC-5 its own assertion signed,
     * the ServerHello of session #1 queued, session #1 established) and then relays (DEC-18): the honest
     * client behind it echoes, so application data from the origin comes back. Like our client, the
     * ClientHello is sent at connection start (the reset).
     */
    public static CompactMealy<String, String> proxySession2(List<String> inputs) {
        return explore(inputs, () -> new ClientSide(true));
    }

    static CompactMealy<String, String> explore(List<String> inputs, Supplier<Endpoint> fresh) {
        Alphabet<String> alphabet = Alphabets.fromList(inputs);
        CompactMealy<String, String> m = new CompactMealy<>(alphabet);
        Map<String, Integer> states = new HashMap<>();
        Map<Integer, List<String>> access = new HashMap<>();
        Deque<Integer> todo = new ArrayDeque<>();
        int init = m.addInitialState();
        states.put(fresh.get().key(), init);
        access.put(init, List.of());
        todo.add(init);
        while (!todo.isEmpty()) {
            int s = todo.poll();
            for (String a : inputs) {
                Endpoint e = fresh.get();
                for (String w : access.get(s)) {
                    e.step(w);
                }
                String out = e.step(a);
                Integer t = states.get(e.key());
                if (t == null) {
                    t = m.addState();
                    states.put(e.key(), t);
                    List<String> w = new ArrayList<>(access.get(s));
                    w.add(a);
                    access.put(t, w);
                    todo.add(t);
                }
                m.setTransition(s, a, (int) t, out);
            }
        }
        return m;
    }

    static int messageType(String input) {
        switch (input) {
            case Symbols.CLIENT_HELLO:
            case Symbols.CLIENT_HELLO_PROXY_INFO: return Transitions.CLIENT_HELLO;
            case Symbols.SERVER_HELLO:
            case Symbols.SERVER_HELLO_PI_VALID:
            case Symbols.SERVER_HELLO_PI_FORGED:
            case Symbols.SERVER_HELLO_PI_REPLAYED:
            case Symbols.SERVER_HELLO_PI_MALFORMED:
            case Symbols.SERVER_HELLO_PI_SERVER_TO_PROXY: return Transitions.SERVER_HELLO;
            case Symbols.CERTIFICATE: return Transitions.CERTIFICATE;
            case Symbols.SERVER_KEY_EXCHANGE: return Transitions.SERVER_KEY_EXCHANGE;
            case Symbols.SERVER_HELLO_DONE: return Transitions.SERVER_HELLO_DONE;
            case Symbols.CLIENT_KEY_EXCHANGE: return Transitions.CLIENT_KEY_EXCHANGE;
            case Symbols.FINISHED: return Transitions.FINISHED;
            case Symbols.CHANGE_CIPHER_SPEC: return Transitions.CHANGE_CIPHER_SPEC;
            case Symbols.APPLICATION_DATA: return Transitions.APPLICATION_DATA;
            default: throw new IllegalArgumentException("no message type for " + input);
        }
    }

    /** Server side: our server, or the proxy's session #1 (the same TlsServer shell with the proxy's hooks). */
    static final class ServerSide implements Endpoint {
        final boolean proxy;
        /** The origin answers (session #2 can be established); false: the TCP connection is refused. */
        final boolean upstreamReachable;
        final ServerHandshake server;
        final ProxyHandshake proxyCore = new ProxyHandshake(ProxyHandshake.POLICY_REFUSE, ExtensionType.PROXY_INFO_DEFAULT);
        boolean closed;

        ServerSide(boolean proxy, boolean upstreamReachable) {
            this.proxy = proxy;
            this.upstreamReachable = upstreamReachable;
            // DEC-19: only the proxy's session #1 answers proxy_info
            server = new ServerHandshake(false, ExtensionType.PROXY_INFO_DEFAULT, proxy);
        }

        @Override public String key() {
            return closed ? "closed" : server.state() + "/" + (proxy ? proxyCore.state() : -1);
        }

        private String fatal(int alert) {
            closed = true;
            return Symbols.alert("fatal", AlertDescription.name(alert)) + " " + Symbols.CLOSED;
        }

        @Override public String step(String input) {
            if (closed) {
                return Symbols.CLOSED;
            }
            if (input.equals(Symbols.ALERT_FATAL)) {
                // RFC5246-7.2.2: the peer's fatal alert ends the connection; we send none (DEC-21)
                server.onAbort();
                proxyCore.onAbort();
                closed = true;
                return Symbols.CLOSED;
            }
            int type = messageType(input);
            if (server.state() == Transitions.S_ESTABLISHED && type == Transitions.APPLICATION_DATA) {
                // the echo application (our server), or the relay to the echoing origin (DEC-18)
                return !proxy || proxyCore.mayRelay() ? Symbols.APPLICATION_DATA : fatal(AlertDescription.INTERNAL_ERROR);
            }
            int alert = server.onMessage(type); // RFC5246-7.4: the transition table
            if (alert != ServerHandshake.NO_ALERT) {
                return fatal(alert);
            }
            if (server.state() == Transitions.S_ESTABLISHED) {
                // DEC-20: a renegotiating ClientHello gets the warning no_renegotiation, state unchanged
                return Symbols.alert("warning", AlertDescription.name(server.onClientHelloWhileEstablished()));
            }
            switch (type) {
                case Transitions.CLIENT_HELLO: {
                    boolean offered = input.equals(Symbols.CLIENT_HELLO_PROXY_INFO);
                    alert = server.onClientHello(ServerHandshake.TLS12, true, true, true, true, true, true);
                    if (alert != ServerHandshake.NO_ALERT) {
                        return fatal(alert);
                    }
                    if (proxy) {
                        // DEC-17 admission, DEC-14 session #2 first, DEC-15 validated, DEC-5 own assertion
                        alert = proxyCore.onClientHello(offered);
                        if (alert == ProxyHandshake.NO_ALERT) {
                            alert = upstreamReachable ? proxyCore.onUpstreamEstablished(true) : proxyCore.onUpstreamFailed(false);
                        }
                        if (alert == ProxyHandshake.NO_ALERT && proxyCore.maySignAssertion(true, true, true)) {
                            alert = proxyCore.onAssertionSigned(true, true, true);
                        }
                        if (alert != ProxyHandshake.NO_ALERT) {
                            return fatal(alert);
                        }
                    }
                    boolean answersProxyInfo = server.mayAnswerExtension(server.proxyInfoType(), offered, proxy);
                    if (proxy) {
                        alert = proxyCore.onServerHelloQueued(); // DEC-14: asked before the flight is queued
                    }
                    if (alert == ServerHandshake.NO_ALERT) {
                        alert = server.onServerFlightSent();
                    }
                    if (alert != ServerHandshake.NO_ALERT) {
                        return fatal(alert);
                    }
                    return (answersProxyInfo ? Symbols.SERVER_HELLO_PROXY_INFO : Symbols.SERVER_HELLO) + " "
                            + Symbols.CERTIFICATE + " " + Symbols.SERVER_KEY_EXCHANGE + " " + Symbols.SERVER_HELLO_DONE;
                }
                case Transitions.CLIENT_KEY_EXCHANGE:
                    alert = server.onClientKeyExchange(true);
                    return alert != ServerHandshake.NO_ALERT ? fatal(alert) : Symbols.TIMEOUT;
                case Transitions.CHANGE_CIPHER_SPEC:
                    alert = server.onChangeCipherSpec();
                    return alert != ServerHandshake.NO_ALERT ? fatal(alert) : Symbols.TIMEOUT;
                case Transitions.FINISHED:
                    alert = server.onClientFinished(true);
                    if (alert == ServerHandshake.NO_ALERT) {
                        alert = server.onFinishedSent();
                    }
                    if (alert == ServerHandshake.NO_ALERT && proxy) {
                        alert = proxyCore.onDownstreamEstablished(); // DEC-18: relaying from here
                    }
                    return alert != ServerHandshake.NO_ALERT ? fatal(alert)
                            : Symbols.CHANGE_CIPHER_SPEC + " " + Symbols.FINISHED;
                default:
                    // the table allowed a message the shell model does not know: the spec must be extended
                    throw new IllegalStateException("Transitions allows " + Transitions.messageName(type) + " in server state "
                            + Transitions.stateName(Transitions.ROLE_SERVER, server.state()) + "; SpecMachines has no shell step for it");
            }
        }
    }

    /**
     * Client side: ClientHandshake driven as TlsClient drives it. The facts the shell computes are
     * honest for everything the learner's mapper sends (the certificate that fits the ServerHello,
     * a ServerKeyExchange signed with its key over this session's randoms, correct Finished),
     * except the assertion, whose check (ProxyInfoVerifier, DEC-8) fails as DEC-21 says:
     * a signature that does not verify (forged, or replayed with another client_random) is
     * decrypt_error, an undecodable one decode_error.
     */
    static final class ClientSide implements Endpoint {
        final ClientHandshake client = new ClientHandshake(true, false);
        /** The proxy's core around session #2, or null for our client on its own. */
        final ProxyHandshake proxyCore;
        String assertion;
        boolean closed;

        ClientSide(boolean proxy) {
            if (proxy) {
                // DEC-17: the honest client behind the proxy offered proxy_info, so session #2 is opened (DEC-14)
                proxyCore = new ProxyHandshake(ProxyHandshake.POLICY_REFUSE, ExtensionType.PROXY_INFO_DEFAULT);
                if (proxyCore.onClientHello(true) != ProxyHandshake.NO_ALERT) {
                    throw new IllegalStateException("ProxyHandshake refuses a client that offers proxy_info");
                }
            } else {
                proxyCore = null;
            }
            client.onClientHelloSent();
        }

        @Override public String key() {
            return closed ? "closed" : client.state() + "/" + assertion + (proxyCore == null ? "" : "/" + proxyCore.state());
        }

        private String fatal(int alert) {
            closed = true;
            if (proxyCore != null) {
                proxyCore.onUpstreamFailed(true); // DEC-14: session #1 is not answered (its client gets the alert)
            }
            return Symbols.alert("fatal", AlertDescription.name(alert)) + " " + Symbols.CLOSED;
        }

        static int assertionAlert(String serverHello) {
            switch (serverHello) {
                case Symbols.SERVER_HELLO_PI_VALID: return ClientHandshake.NO_ALERT;
                case Symbols.SERVER_HELLO_PI_MALFORMED: return AlertDescription.DECODE_ERROR;
                // DEC-3: only proxy_to_client belongs in a ServerHello
                case Symbols.SERVER_HELLO_PI_SERVER_TO_PROXY: return AlertDescription.ILLEGAL_PARAMETER;
                default: return AlertDescription.DECRYPT_ERROR;
            }
        }

        /**
         * DEC-14, DEC-15, DEC-5, DEC-18: what the proxy asks its core once session #2 is finished, all facts honest
         * (the learner's chain is the origin's, or a proxy's whose assertion was checked); the honest client then
         * finishes session #1 and the relay starts. Nothing of it shows on session #2.
         */
        private String upstreamFinished() {
            int alert = proxyCore.onUpstreamEstablished(true);
            if (alert == ProxyHandshake.NO_ALERT && proxyCore.maySignAssertion(true, true, true)) {
                alert = proxyCore.onAssertionSigned(true, true, true);
            }
            if (alert == ProxyHandshake.NO_ALERT) {
                alert = proxyCore.onServerHelloQueued();
            }
            if (alert == ProxyHandshake.NO_ALERT) {
                alert = proxyCore.onDownstreamEstablished();
            }
            if (alert != ProxyHandshake.NO_ALERT || !proxyCore.mayRelay()) {
                throw new IllegalStateException("ProxyHandshake refuses an honest session #2 (alert " + alert
                        + ", state " + ProxyHandshake.stateName(proxyCore.state()) + "): SpecMachines has no step for it");
            }
            return Symbols.TIMEOUT;
        }

        @Override public String step(String input) {
            if (closed) {
                return Symbols.CLOSED;
            }
            if (input.equals(Symbols.ALERT_FATAL)) {
                client.onAbort(); // RFC5246-7.2.2
                if (proxyCore != null) {
                    proxyCore.onAbort();
                }
                closed = true;
                return Symbols.CLOSED;
            }
            int type = messageType(input);
            if (client.state() == Transitions.C_ESTABLISHED && type == Transitions.APPLICATION_DATA) {
                // the echo application, or (DEC-18) the proxy's relay to the echoing client behind it
                return proxyCore == null || proxyCore.mayRelay() ? Symbols.APPLICATION_DATA : fatal(AlertDescription.INTERNAL_ERROR);
            }
            int alert = client.onMessage(type); // RFC5246-7.4: the transition table
            if (alert != ClientHandshake.NO_ALERT) {
                return fatal(alert);
            }
            switch (type) {
                case Transitions.SERVER_HELLO:
                    assertion = input.equals(Symbols.SERVER_HELLO) ? null : input;
                    alert = client.onServerHello(ClientHandshake.TLS12, true, true, true, true, true, assertion != null);
                    return alert != ClientHandshake.NO_ALERT ? fatal(alert) : Symbols.TIMEOUT;
                case Transitions.CERTIFICATE: {
                    // the fact the PKI code computes: after an assertion the certificate is the proxy's and passes the
                    // proxy trust anchors; after server_to_proxy it is the origin's, which is no proxy's (DEC-9)
                    boolean chainOk = !Symbols.SERVER_HELLO_PI_SERVER_TO_PROXY.equals(assertion);
                    alert = client.onCertificateVerified(chainOk, ClientHandshake.NO_ALERT, true);
                    return alert != ClientHandshake.NO_ALERT ? fatal(alert) : Symbols.TIMEOUT;
                }
                case Transitions.SERVER_KEY_EXCHANGE:
                    alert = client.onServerKeyExchange(true, true, true, true);
                    return alert != ClientHandshake.NO_ALERT ? fatal(alert) : Symbols.TIMEOUT;
                case Transitions.SERVER_HELLO_DONE:
                    alert = client.onServerHelloDone();
                    ProxyInfoDecision decision = null;
                    if (alert == ClientHandshake.NO_ALERT && client.proxyInfoReceived()) {
                        // DEC-8: checked before any key material leaves; the decision core as TlsClient drives it
                        decision = new ProxyInfoDecision();
                        decision.serverHello(true, true);
                        int a = assertionAlert(assertion);
                        if (a == ClientHandshake.NO_ALERT) {
                            decision.hop(true, true, true, true, true, ProxyInfoDecision.NO_ALERT, true);
                        } else {
                            decision.refuseOnError(a);
                        }
                        alert = client.onProxyInfoChecked(decision, "DEC-8");
                    }
                    if (alert == ClientHandshake.NO_ALERT) {
                        alert = client.onKeyMaterialSent(decision);
                    }
                    return alert != ClientHandshake.NO_ALERT ? fatal(alert)
                            : Symbols.CLIENT_KEY_EXCHANGE + " " + Symbols.CHANGE_CIPHER_SPEC + " " + Symbols.FINISHED;
                case Transitions.CHANGE_CIPHER_SPEC:
                    alert = client.onChangeCipherSpec();
                    return alert != ClientHandshake.NO_ALERT ? fatal(alert) : Symbols.TIMEOUT;
                case Transitions.FINISHED:
                    alert = client.onServerFinished(true);
                    return alert != ClientHandshake.NO_ALERT ? fatal(alert) : proxyCore != null ? upstreamFinished() : Symbols.TIMEOUT;
                default:
                    throw new IllegalStateException("Transitions allows " + Transitions.messageName(type) + " in client state "
                            + Transitions.stateName(Transitions.ROLE_CLIENT, client.state()) + "; SpecMachines has no shell step for it");
            }
        }
    }
}
