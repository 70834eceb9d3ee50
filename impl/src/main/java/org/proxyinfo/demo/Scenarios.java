package org.proxyinfo.demo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

import org.proxyinfo.core.ProxyHandshake;
import org.proxyinfo.proxyinfo.SigningMode;
import org.proxyinfo.adversary.Attack;

import static org.proxyinfo.demo.Scenario.Expectation.accepted;
import static org.proxyinfo.demo.Scenario.Expectation.acceptedInsecure;
import static org.proxyinfo.demo.Scenario.Expectation.attackUndetected;
import static org.proxyinfo.demo.Scenario.Expectation.refusedBy;

/** The scenario registry ({@code demo --list}); the first one is the demo's default. */
public final class Scenarios {
    public static final String DEFAULT = "proxied";

    private static final List<Scenario> ALL;

    static {
        List<Scenario> l = new ArrayList<>();
        l.add(s("proxied", "Honest proxy, one hop: the client verifies the proxy (DEC-9) and its signed report on the upstream"
                + " session (DEC-8..11) and accepts", "PI-BOUND", Scenario.Topology.ONE_HOP, accepted(), x -> { }));
        l.add(s("direct", "Plain TLS, no proxy: the client offers proxy_info, the server ignores it (DEC-19), the client"
                + " checks the server as usual (DEC-13)", "DIRECT", Scenario.Topology.DIRECT, accepted(), x -> { }));
        l.add(s("proxied-two-hops", "Honest proxies A and B: the client sees both hops and checks each (DEC-12), bound"
                + " signatures verified with the forwarded client_random", "PI-BOUND", Scenario.Topology.TWO_HOPS, accepted(),
                x -> { }));
        l.add(s("proxied-draft-literal", "Honest proxy with the draft's literal signature (fields only, not bound to the"
                + " session)", "PI-01", Scenario.Topology.ONE_HOP, accepted(), x -> x.signingMode = SigningMode.DRAFT_LITERAL));
        l.add(s("untrusted-proxy", "Attack: a proxy whose certificate no proxy trust anchor vouches for: access_denied",
                "PI-BOUND", Scenario.Topology.ONE_HOP, refusedBy("client", "access_denied", "DEC-9"),
                x -> x.proxyIdentity = Scenario.ProxyIdentity.UNTRUSTED));
        l.add(s("web-issued-proxy", "Attack: a proxy with a certificate valid in the web PKI, which is not an acceptable"
                + " proxy: access_denied", "PI-BOUND", Scenario.Topology.ONE_HOP, refusedBy("client", "access_denied", "DEC-9"),
                x -> x.proxyIdentity = Scenario.ProxyIdentity.WEB_ISSUED));
        l.add(s("wrong-host-origin", "The origin shows a certificate for another host: the honest proxy refuses the upstream"
                + " (DEC-15, 01-R6)", "PI-BOUND", Scenario.Topology.ONE_HOP,
                refusedBy("proxy", "handshake_failure", "DEC-15"), x -> x.originIdentity = Scenario.OriginIdentity.WRONG_HOST));
        l.add(s("wrong-host-lax-proxy", "Attack: a proxy that skips upstream validation relays a server certificate for"
                + " another host; the client checks the reported chain: bad_certificate", "PI-BOUND", Scenario.Topology.ONE_HOP,
                refusedBy("client", "bad_certificate", "DEC-10"), x -> {
                    x.originIdentity = Scenario.OriginIdentity.WRONG_HOST;
                    x.stagedA.add(Attack.SKIP_UPSTREAM_VALIDATION);
                }));
        l.add(s("weak-upstream-suite", "The upstream session uses a suite below the client's policy (here: 128-bit AES"
                + " where the client requires 256-bit): insufficient_security", "PI-BOUND", Scenario.Topology.ONE_HOP,
                refusedBy("client", "insufficient_security", "DEC-11"), x -> {
                    x.originOnly128BitSuites = true;
                    x.clientRequires256BitUpstream = true;
                }));
        l.add(s("forged-signature", "Attack: the assertion's signature does not verify with the proxy's key: decrypt_error",
                "PI-BOUND", Scenario.Topology.ONE_HOP, refusedBy("client", "decrypt_error", "DEC-8"),
                x -> x.stagedA.add(Attack.FORGE_SIGNATURE)));
        l.add(s("replay-draft-literal", "Attack: the proxy replays the assertion of an earlier session; under the draft's"
                + " literal signature the client cannot tell and accepts", "PI-01", Scenario.Topology.ONE_HOP,
                attackUndetected(), x -> {
                    x.signingMode = SigningMode.DRAFT_LITERAL;
                    x.sessions = 2;
                    x.stagedA.add(Attack.REPLAY_FIRST_ASSERTION);
                }));
        l.add(s("replay-bound", "Attack: the same replay under bound signing (DEVIATION (DEC-5)): the signature covers"
                + " this session's randoms, so decrypt_error", "PI-BOUND", Scenario.Topology.ONE_HOP,
                refusedBy("client", "decrypt_error", "DEC-8"), x -> {
                    x.signingMode = SigningMode.BOUND;
                    x.sessions = 2;
                    x.stagedA.add(Attack.REPLAY_FIRST_ASSERTION);
                }));
        l.add(s("minting-proxy", "Attack: a proxy ignores the client's proxy_info and mints a certificate for the origin"
                + " (00-R10/01-R11 broken); the client does not trust the mint CA: unknown_ca", "MINT", Scenario.Topology.ONE_HOP,
                refusedBy("client", "unknown_ca", "DEC-10"), x -> {
                    x.proxyPolicy = ProxyHandshake.POLICY_MINT;
                    x.stagedA.add(Attack.MINT_FOR_EVERYONE);
                }));
        l.add(s("legacy-client-refused", "A client without proxy_info meets a proxy with policy refuse (the default):"
                + " handshake_failure", "PI-BOUND", Scenario.Topology.ONE_HOP,
                refusedBy("proxy", "handshake_failure", "DEC-17"), x -> x.clientOffersProxyInfo = false));
        l.add(s("legacy-client-mint", "INSECURE status quo: a client without proxy_info that trusts the proxy's mint CA"
                + " accepts a minted certificate and never learns of the proxy (DEC-17 mint)", "MINT", Scenario.Topology.ONE_HOP,
                acceptedInsecure(), x -> {
                    x.clientOffersProxyInfo = false;
                    x.clientTrustsMintCa = true;
                    x.proxyPolicy = ProxyHandshake.POLICY_MINT;
                }));
        l.add(s("second-hop-lies", "Attack: proxy B reports another upstream suite than it signed; the honest proxy A"
                + " detects it (DEC-15) and refuses the client", "PI-BOUND", Scenario.Topology.TWO_HOPS,
                refusedBy("proxy-A", "handshake_failure", "DEC-15"),
                x -> x.stagedB.add(Attack.ALTER_ASSERTION_AFTER_SIGNING)));
        l.add(s("untrusted-second-proxy", "Proxy B's certificate chains to no proxy anchor: the honest proxy A refuses its"
                + " upstream (DEC-15 applies DEC-9 to the upstream proxy)", "PI-BOUND", Scenario.Topology.TWO_HOPS,
                refusedBy("proxy-A", "handshake_failure", "DEC-15"), x -> x.farProxyIdentity = Scenario.ProxyIdentity.UNTRUSTED));
        l.add(s("second-hop-lies-lax-first-hop", "Attack: proxy B lies as above and proxy A passes it on unchecked; the"
                + " client checks hop 2 itself: decrypt_error", "PI-BOUND", Scenario.Topology.TWO_HOPS,
                refusedBy("client", "decrypt_error", "DEC-12"), x -> {
                    x.stagedA.add(Attack.SKIP_UPSTREAM_VALIDATION);
                    x.stagedB.add(Attack.ALTER_ASSERTION_AFTER_SIGNING);
                }));
        l.add(s("hop-keeps-own-client-random", "Proxy A opens session #2 with its own client_random instead of the"
                + " client's: under bound, hop 2's signature cannot be bound to the client's session: decrypt_error",
                "PI-BOUND", Scenario.Topology.TWO_HOPS, refusedBy("client", "decrypt_error", "DEC-12"), x -> {
                    x.signingMode = SigningMode.BOUND;
                    x.stagedA.add(Attack.KEEP_OWN_CLIENT_RANDOM);
                }));
        l.add(s("upstream-unreachable", "Nothing listens at the upstream address: the proxy tells the client with a fatal"
                + " alert naming the upstream (internal_error)", "PI-BOUND", Scenario.Topology.ONE_HOP,
                refusedBy("proxy", "internal_error", "DEC-14"), x -> x.upstreamUnreachable = true));
        ALL = Collections.unmodifiableList(l);
    }

    private Scenarios() { }

    private static Scenario s(String name, String description, String architecture, Scenario.Topology topology,
                              Scenario.Expectation expected, Consumer<Scenario> setup) {
        Scenario sc = new Scenario(name, description, architecture, topology, expected);
        setup.accept(sc);
        return sc;
    }

    /** Every scenario, the default first. */
    public static List<Scenario> all() {
        return ALL;
    }

    /** The scenario of that name; IllegalArgumentException listing the names otherwise. */
    public static Scenario byName(String name) {
        for (Scenario s : ALL) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        List<String> names = new ArrayList<>();
        ALL.forEach(s -> names.add(s.name()));
        throw new IllegalArgumentException("no scenario '" + name + "'; the scenarios are: " + String.join(", ", names));
    }
}
