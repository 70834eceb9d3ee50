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
        l.add(s("proxy-reports-other-host", "Attack: the proxy's host, with the proxy's key, reports the server chain of"
                + " another host instead of the origin's it validated; the client checks the reported chain: bad_certificate",
                "PI-BOUND", Scenario.Topology.ONE_HOP, refusedBy("client", "bad_certificate", "DEC-10"),
                x -> x.stagedA.add(Attack.REPORT_OTHER_SERVER_CHAIN)));
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
        l.add(s("first-hop-alters-second-hop", "Attack: proxy A's host changes what hop 2 reported (another upstream suite)"
                + " and signs its own assertion over the change with A's key; the client verifies hop 2 itself: decrypt_error",
                "PI-BOUND", Scenario.Topology.TWO_HOPS, refusedBy("client", "decrypt_error", "DEC-12"),
                x -> x.stagedA.add(Attack.ALTER_HOP2_REPORT)));
        l.add(s("resumed-direct", "DEC-22: the client resumes its session with the origin by session ID (RFC 5246"
                + " abbreviated handshake, extended_master_secret kept)", "DIRECT", Scenario.Topology.DIRECT, accepted(),
                x -> {
                    x.sessions = 2;
                    x.clientResumes = true;
                    x.expectResumed = Boolean.TRUE;
                }));
        l.add(s("resumed-proxied", "DEC-22 (01-R1, 01-R2): a known session-#1 ID makes the proxy resume the linked session #2"
                + " with the server, then session #1; its ServerHello carries a fresh signed ProxyInfo, checked with the cached"
                + " proxy key and chain", "PI-BOUND", Scenario.Topology.ONE_HOP, accepted(), x -> {
                    x.sessions = 2;
                    x.clientResumes = true;
                    x.expectResumed = Boolean.TRUE;
                }));
        l.add(s("resumption-declined", "DEC-22 (01-R3, 01-R4): the server declines the linked session #2, so the proxy runs a"
                + " full session #2 and then a full session #1", "PI-BOUND", Scenario.Topology.ONE_HOP, accepted(), x -> {
                    x.sessions = 2;
                    x.clientResumes = true;
                    x.originForgetsSessions = true;
                    x.expectResumed = Boolean.FALSE;
                }));
        l.add(s("resumption-unknown-id", "DEC-22: the client offers a session-#1 ID the proxy does not know: nothing is offered"
                + " upstream, both sessions are full", "PI-BOUND", Scenario.Topology.ONE_HOP, accepted(), x -> {
                    x.sessions = 2;
                    x.clientResumes = true;
                    x.proxyForgetsSessions = true;
                    x.expectResumed = Boolean.FALSE;
                }));
        l.add(s("resumed-chain-changed", "Attack: on resumption the proxy reports another server chain than the cached session's,"
                + " signed with its own key: illegal_parameter (DEC-22)", "PI-BOUND", Scenario.Topology.ONE_HOP,
                refusedBy("client", "illegal_parameter", "DEC-22"), x -> {
                    x.sessions = 2;
                    x.clientResumes = true;
                    x.stagedA.add(Attack.CHANGE_CHAIN_ON_RESUMPTION);
                }));
        l.add(s("resumed-without-proxy-info", "Attack: a resumed proxied session whose ServerHello carries no ProxyInfo:"
                + " handshake_failure (DEC-22)", "PI-BOUND", Scenario.Topology.ONE_HOP,
                refusedBy("client", "handshake_failure", "DEC-22"), x -> {
                    x.sessions = 2;
                    x.clientResumes = true;
                    x.stagedA.add(Attack.STRIP_PROXY_INFO_ON_RESUMPTION);
                }));
        l.add(s("resumed-over-full-session2", "Attack: the proxy's host resumes the client's session #1 itself over a FULL"
                + " session #2 with the origin (01-R2 broken, DEC-22); its fresh ProxyInfo verifies with the cached key and"
                + " reports the cached chain, so the client cannot tell (RS1 under proxy-lies)", "PI-BOUND",
                Scenario.Topology.ONE_HOP, attackUndetected(), x -> {
                    x.sessions = 2;
                    x.clientResumes = true;
                    x.expectResumed = Boolean.TRUE;
                    x.expectOriginResumed = Boolean.FALSE;
                    x.stagedA.add(Attack.RESUME_OVER_FULL_SESSION2);
                    x.undetectedBecause = "The client cannot tell: on the abbreviated handshake it checks what DEC-22 gives it"
                            + " (the fresh ProxyInfo verifies with the cached proxy key and is bound to this session's randoms,"
                            + " it reports the cached server chain and parameters within its DEC-11 policy), and nothing in a"
                            + " ProxyInfo says whether session #2 was resumed (its server_random is fresh either way). 01-R2"
                            + " rests on the proxy's honesty (G4): the model decides this as claim RS1 under proxy-lies,"
                            + " VIOLATED in PI-BOUND (proofs/model/verdicts.md row RS1; counterexample"
                            + " proofs/model/traces/cex_RS1_PI-BOUND_proxy-lies.json).";
                }));
        l.add(s("upstream-unreachable", "Nothing listens at the upstream address: the proxy tells the client with a fatal"
                + " alert naming the upstream (internal_error)", "PI-BOUND", Scenario.Topology.ONE_HOP,
                refusedBy("proxy", "internal_error", "DEC-14"), x -> x.upstreamUnreachable = true));
        // Issue 13: client certificates (RFC5246-7.4.4, 7.4.6, 7.4.8) and what an ordinary intercepting proxy does with
        // them (R7: interception takes from the server its authentication of the client).
        l.add(s("direct-client-auth", "Plain TLS with client authentication: the origin requires a client certificate"
                + " (need) and authenticates the client by its chain and CertificateVerify", "DIRECT", Scenario.Topology.DIRECT,
                accepted(), x -> {
                    x.originClientAuth = org.proxyinfo.core.ServerHandshake.CLIENT_AUTH_NEED;
                    x.clientHasCertificate = true;
                }));
        l.add(s("proxy-meets-optional-client-auth", "R7: the origin only asks for a client certificate (want); the proxy"
                + " cannot pass the client's authentication on, answers with an empty Certificate, and the origin serves an"
                + " anonymous client although the client holds a certificate", "PI-BOUND", Scenario.Topology.ONE_HOP, accepted(),
                x -> {
                    x.originClientAuth = org.proxyinfo.core.ServerHandshake.CLIENT_AUTH_WANT;
                    x.clientHasCertificate = true;
                }));
        l.add(s("proxy-meets-required-client-auth", "R7: the origin requires a client certificate (need); the proxy"
                + " cannot provide the client's, the origin refuses session #2 and the proxy ends session #1 with"
                + " handshake_failure", "PI-BOUND", Scenario.Topology.ONE_HOP, refusedBy("proxy", "handshake_failure", "DEC-15"),
                x -> {
                    x.originClientAuth = org.proxyinfo.core.ServerHandshake.CLIENT_AUTH_NEED;
                    x.clientHasCertificate = true;
                }));
        l.add(s("proxied-client-cert-mode", "DEVIATION (DEC-23): the client-certificate mode (01-R14, 01-R15, 01-R16); the origin"
                + " requires a client certificate through the proxy; the proxy holds session #2 at ServerHelloDone, verifies"
                + " the client's CertificateVerify on session #1 (01-R15) and forwards its chain and ProxyCertVerify; the"
                + " origin checks both over its own nonce and accepts the proxy (01-R16)", "PI-BOUND-CC", Scenario.Topology.ONE_HOP,
                accepted(), x -> {
                    x.originClientAuth = org.proxyinfo.core.ServerHandshake.CLIENT_AUTH_NEED;
                    x.clientHasCertificate = true;
                    x.clientCertMode = true;
                }));
        l.add(s("proxied-client-cert-mode-learned", "DEVIATION (DEC-23): the proxy is not configured for the client-certificate"
                + " mode; its first session #2 meets the origin's CertificateRequest, the proxy abandons it before answering"
                + " (handshake_failure: no Certificate, no key material upstream), opens a second session #2 in the mode and"
                + " remembers the origin; then as proxied-client-cert-mode", "PI-BOUND-CC", Scenario.Topology.ONE_HOP,
                accepted(), x -> {
                    clientCertMode(x);
                    x.clientCertModeLearned = true;
                }));
        // Issue 13: the DEC-23 adversaries (adversary.ClientCertAdversary around the real roles); each refused with the alert
        // DEC-23 names
        l.add(s("client-cert-chain-without-client-signature", "Attack (DEVIATION (DEC-23)): the proxy's host forwards the"
                + " client's chain with a ProxyCertVerify made with the proxy's own key; the origin checks the client's signature"
                + " over its own nonce: decrypt_error (01-R16)", "PI-BOUND-CC", Scenario.Topology.ONE_HOP,
                refusedBy("server", "decrypt_error", "01-R16"), x -> {
                    clientCertMode(x);
                    x.stagedA.add(Attack.DEC23_FORWARD_WITHOUT_CLIENT_SIGNATURE);
                }));
        l.add(s("client-cert-replayed-proxy-cert-verify", "Attack (DEVIATION (DEC-23)): on the second session the proxy's host"
                + " replays the first session's client chain and ProxyCertVerify (signed over an old nonce): decrypt_error"
                + " (01-R16)", "PI-BOUND-CC", Scenario.Topology.ONE_HOP, refusedBy("server", "decrypt_error", "01-R16"), x -> {
                    clientCertMode(x);
                    x.sessions = 2;
                    x.stagedA.add(Attack.DEC23_REPLAY_PROXY_CERT_VERIFY);
                }));
        l.add(s("client-cert-verify-fails", "Attack (DEVIATION (DEC-23)): the client's CertificateVerify is corrupted on its"
                + " host; the proxy checks it on session #1 and abandons both sessions: decrypt_error (01-R15)", "PI-BOUND-CC",
                Scenario.Topology.ONE_HOP, refusedBy("proxy", "decrypt_error", "01-R15"), x -> {
                    clientCertMode(x);
                    x.clientHostCorruptsCertificateVerify = true;
                }));
        l.add(s("client-cert-unaccepted-proxy", "DEVIATION (DEC-23): the origin accepts client identities only through proxies"
                + " it accepts, and this proxy is not one of them: access_denied (01-R16); session #1 is never finished",
                "PI-BOUND-CC", Scenario.Topology.ONE_HOP, refusedBy("server", "access_denied", "01-R16"), x -> {
                    clientCertMode(x);
                    x.originRejectsProxy = true;
                }));
        ALL = Collections.unmodifiableList(l);
    }

    private Scenarios() { }

    /** DEC-23: the origin requires a client certificate through the proxy, both in the client-certificate mode. */
    private static void clientCertMode(Scenario x) {
        x.originClientAuth = org.proxyinfo.core.ServerHandshake.CLIENT_AUTH_NEED;
        x.clientHasCertificate = true;
        x.clientCertMode = true;
    }

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
