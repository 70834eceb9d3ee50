package org.proxyinfo.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.core.ProxyHandshake;
import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.crypto.DeterministicRandom;
import org.proxyinfo.crypto.TlsCrypto;
import org.proxyinfo.ext.ExtensionTable;
import org.proxyinfo.pki.Credential;
import org.proxyinfo.pki.RevocationPolicy;
import org.proxyinfo.pki.TestPki;
import org.proxyinfo.proxyinfo.ProxyInfoCodec;
import org.proxyinfo.proxyinfo.ProxyInfoExtension;
import org.proxyinfo.proxyinfo.ProxyInfoTableEntry;
import org.proxyinfo.proxyinfo.ProxyInfoVerification;
import org.proxyinfo.proxyinfo.SigningMode;
import org.proxyinfo.proxyinfo.UpstreamPolicy;
import org.proxyinfo.proxyinfo.ValidatorCertificateChecks;
import org.proxyinfo.role.ProxyConfig;
import org.proxyinfo.role.ProxyInfoClientCheck;
import org.proxyinfo.role.ProxyServer;
import org.proxyinfo.role.ServerCredential;
import org.proxyinfo.role.SessionCache;
import org.proxyinfo.role.SocketTransport;
import org.proxyinfo.role.TlsClient;
import org.proxyinfo.role.TlsConfig;
import org.proxyinfo.role.TlsConnection;
import org.proxyinfo.role.TlsProxy;
import org.proxyinfo.role.TlsServer;
import org.proxyinfo.wire.Hex;
import org.proxyinfo.trace.RoleTraces;
import org.proxyinfo.trace.RunInfo;
import org.proxyinfo.trace.Trace;
import org.proxyinfo.trace.TraceSink;
import org.proxyinfo.wire.CipherSuite;

/**
 * Runs one {@link Scenario} on loopback: an origin server (our TLS server), zero, one or two
 * proxies ({@link ProxyServer}), and our client, which does the handshake and one HTTP GET. Each
 * party has its own randomness (seeded per party when the options carry a seed) and its own trace
 * writer; the merged trace and the per-leg traces are written when a trace directory is given.
 * Never throws for anything a party does: the result says what happened.
 */
public final class ScenarioRunner {
    public static final String INTENDED_HOST = TestPki.ORIGIN_HOST;
    public static final String VERSION = "0.1.0";
    private static final int CODE_POINT = ProxyInfoExtension.DEFAULT_EXTENSION_TYPE;

    private ScenarioRunner() { }

    public static ScenarioResult run(Scenario sc, RunOptions o) {
        if (o.pki == null) {
            throw new IllegalArgumentException("RunOptions need a test PKI (TestPki.generateDefault() or a fresh one)");
        }
        return new Run(sc, o).go();
    }

    private static final class Run {
        final Scenario sc;
        final RunOptions o;
        final TestPki pki;
        final SigningMode mode;
        /** One trace per party, merged deterministically (RoleTraces): thread scheduling does not change the trace. */
        RoleTraces traces;
        int clientSessions;
        final List<TlsProxy.Outcome> proxyOutcomesA = new CopyOnWriteArrayList<>();
        final List<TlsProxy.Outcome> proxyOutcomesB = new CopyOnWriteArrayList<>();
        final ByteArrayOutputStream proxyLog = new ByteArrayOutputStream();
        final List<TlsConnection> clientConnections = new ArrayList<>();
        final List<ProxyInfoClientCheck> clientChecks = new ArrayList<>();
        String response = "";
        String clientError;
        OriginServer origin;
        /** DEC-22: the client's, the origin's and the near proxy's session-#1 caches (cleared between sessions as staged). */
        final SessionCache clientCache = new SessionCache();
        final SessionCache originCache = new SessionCache();
        SessionCache nearProxySessions;

        Run(Scenario sc, RunOptions o) {
            this.sc = sc;
            this.o = o;
            this.pki = o.pki;
            this.mode = sc.signingMode != null ? sc.signingMode : o.signingMode;
        }

        String nearProxy() { return sc.topology == Scenario.Topology.TWO_HOPS ? "proxy-A" : "proxy"; }

        String clientLeg() { return sc.topology == Scenario.Topology.DIRECT ? "direct" : "session1"; }

        String serverLeg() {
            switch (sc.topology) {
                case DIRECT: return "direct";
                case ONE_HOP: return "session2";
                default: return "session3";
            }
        }

        synchronized TraceSink writer(String role) {
            if (traces == null) {
                traces = new RoleTraces(runInfo());
            }
            return traces;
        }

        RunInfo runInfo() {
            return RunInfo.implementation(VERSION, sc.roles()).scenario(sc.name).architecture(sc.architecture)
                    .signingMode(mode.configName()).proxyInfoCodePoint(CODE_POINT).rngSeed(o.seed).clock(o.clock)
                    .config("serverName", INTENDED_HOST).config("maxNestingDepth", ProxyInfoCodec.DEFAULT_MAX_DEPTH)
                    .policy("revocation", RevocationPolicy.DEFAULT.label())
                    .policy("upstream", sc.clientRequires256BitUpstream
                            ? Map.of("versions", List.of("TLSv1.2"), "cipherSuites", List.of(
                                    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"),
                                    "compression", List.of("null"))
                            : Map.of("versions", List.of("TLSv1.2"), "cipherSuites", List.of("ECDHE with AEAD (DEC-11 default)"),
                                    "compression", List.of("null")))
                    .policy("clientsWithoutExtension", sc.proxyPolicy == ProxyHandshake.POLICY_MINT ? "mint" : "refuse")
                    .policy("proxyTrust", List.of(pki.proxyCa().leaf().getSubjectX500Principal().getName()))
                    .policy("extensions", Map.of("server_name", "forward", "supported_groups", "process",
                            "ec_point_formats", "process", "signature_algorithms", "process", "extended_master_secret", "process",
                            "renegotiation_info", "process", "proxy_info", "process", "other", "drop"));
        }

        SecureRandom random(String party) {
            return o.seed != null ? DeterministicRandom.fromLabel(Hex.encode(o.seed) + "/" + party) : new SecureRandom();
        }

        TlsCrypto crypto(String party) {
            return new BcTlsCrypto(random(party));
        }

        ScenarioResult go() {
            List<AutoCloseable> open = new ArrayList<>();
            try {
                origin = startOrigin();
                open.add(origin);
                int firstHop = origin.port();
                if (sc.topology == Scenario.Topology.TWO_HOPS) {
                    ProxyServer b = startProxy("proxy-B", "session2", "session3",
                            sc.farProxyIdentity == Scenario.ProxyIdentity.TRUSTED ? pki.proxyB() : pki.proxyUntrusted(),
                            origin.port(), sc.stagedB,
                            ProxyHandshake.POLICY_REFUSE, proxyOutcomesB);
                    open.add(0, b);
                    firstHop = b.port();
                }
                if (sc.topology != Scenario.Topology.DIRECT) {
                    int upstream = sc.upstreamUnreachable ? closedPort() : firstHop;
                    ProxyServer a = startProxy(nearProxy(), "session1", "session2", proxyCredential(), upstream, sc.stagedA,
                            sc.proxyPolicy, proxyOutcomesA);
                    open.add(0, a);
                    firstHop = a.port();
                    if (sc.stagedA.contains(org.proxyinfo.adversary.Attack.RESUME_OVER_FULL_SESSION2)) {
                        // DEC-22 (01-R2 broken): the adversary on the proxy's host, in front of the honest proxy
                        org.proxyinfo.adversary.ResumeOverFullSession2 front = startResumeOverFull(upstream, a.port());
                        open.add(0, front);
                        firstHop = front.port();
                    }
                }
                for (int i = 0; i < sc.sessions; i++) {
                    if (i > 0 && sc.originForgetsSessions) {
                        originCache.clear();
                    }
                    if (i > 0 && sc.proxyForgetsSessions && nearProxySessions != null) {
                        nearProxySessions.clear();
                    }
                    runClient(firstHop);
                    awaitQuiet(open); // every party finishes before the next session (and before closing)
                }
            } catch (IOException e) {
                clientError = "could not set up the scenario on loopback: " + e.getMessage();
            } finally {
                for (AutoCloseable c : open) { // proxies first (they wait for their connections), then the origin
                    try {
                        c.close();
                    } catch (Exception e) {
                        // closing anyway
                    }
                }
            }
            return evaluate();
        }

        /** Waits (at most 10 s) until no proxy is handling a connection, so closing cannot cut one short. */
        void awaitQuiet(List<AutoCloseable> open) {
            long deadline = System.currentTimeMillis() + 10_000L;
            for (AutoCloseable c : open) {
                if (c instanceof ProxyServer || c instanceof org.proxyinfo.adversary.ResumeOverFullSession2) {
                    while ((c instanceof ProxyServer ? ((ProxyServer) c).active()
                            : ((org.proxyinfo.adversary.ResumeOverFullSession2) c).active()) > 0
                            && System.currentTimeMillis() < deadline) {
                        try {
                            Thread.sleep(5);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }
            }
        }

        Credential proxyCredential() {
            switch (sc.proxyIdentity) {
                case UNTRUSTED: return pki.proxyUntrusted();
                case WEB_ISSUED: return pki.proxyWebIssued();
                default: return pki.proxy();
            }
        }

        static int closedPort() throws IOException {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            }
        }

        OriginServer startOrigin() throws IOException {
            TlsConfig cfg = new TlsConfig(crypto("server")).clock(o.clock).trace(writer("server")).roleName("server")
                    .leg(serverLeg()).timeoutMillis(o.timeoutMillis).sessionCache(originCache);
            if (sc.originIdentity == Scenario.OriginIdentity.WRONG_HOST) {
                cfg.credential(server(pki.serverWrongHost()));
            } else {
                cfg.credential(server(pki.serverEcdsa())).credential(server(pki.serverRsa()));
            }
            if (sc.originOnly128BitSuites) {
                cfg.cipherSuites(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256);
            }
            if (sc.originClientAuth != org.proxyinfo.core.ServerHandshake.CLIENT_AUTH_NONE) {
                cfg.clientAuth(sc.originClientAuth, clientPki().clientTrust(), RevocationPolicy.DEFAULT, List.of());
            }
            if (sc.clientCertMode) {
                // DEVIATION (DEC-23): client identities through a proxy it accepts (the test PKI's proxy CA), 01-R14, 01-R16
                org.proxyinfo.clientcert.ClientCertModeServer mode = new org.proxyinfo.clientcert.ClientCertModeServer(
                        crypto("server/dec23"),
                        new org.proxyinfo.pki.CertificateValidator(clientPki().clientTrust(), o.clock, RevocationPolicy.DEFAULT, List.of()),
                        // the proxies it accepts: the proxy CA; or (scenario client-cert-unaccepted-proxy) only another CA's
                        new org.proxyinfo.pki.CertificateValidator(sc.originRejectsProxy ? clientPki().clientTrust() : pki.proxyTrust(),
                                o.clock, RevocationPolicy.DEFAULT, List.of()));
                cfg.clientCertMode(mode).proxyInfoType(CODE_POINT)
                        .extensions(ExtensionTable.DEFAULT.with(org.proxyinfo.clientcert.ClientCertModeEntry.server(CODE_POINT, mode)));
            }
            return new OriginServer(new TlsServer(cfg));
        }

        /** Issue 13: the client-authentication part of the PKI (a PKI directory written before it has none). */
        TestPki clientPki() {
            if (pki.clientCa() == null) {
                throw new IllegalStateException("this test PKI has no client CA (written before client certificates existed);"
                        + " re-make it with `proxyinfo pki --out DIR`");
            }
            return pki;
        }

        static ServerCredential server(Credential c) {
            return new ServerCredential(c.privateKey(), c.chain());
        }

        ProxyServer startProxy(String role, String downLeg, String upLeg, Credential own, int upstreamPort,
                               Set<org.proxyinfo.adversary.Attack> staged, int policy, List<TlsProxy.Outcome> sink) throws IOException {
            ProxyConfig cfg = new ProxyConfig(crypto(role), server(own)).clock(o.clock).trace(writer(role))
                    .names(role, downLeg, upLeg).upstream("127.0.0.1", upstreamPort)
                    .webTrust(pki.webTrust(), RevocationPolicy.DEFAULT, pki.webCrls()).proxyTrust(pki.proxyTrust())
                    .signingMode(mode).codePoint(CODE_POINT).limits(16, o.timeoutMillis, o.timeoutMillis, 16 * 1024)
                    .connectTimeoutMillis(o.timeoutMillis).mintRandom(random(role + "/mint"));
            cfg.legacyPolicy(policy, policy == ProxyHandshake.POLICY_MINT ? pki.mintCa() : null);
            if (sc.clientCertMode && role.equals(nearProxy())) {
                // DEVIATION (DEC-23): configured for the mode, or learning it from session #2's CertificateRequest
                cfg.clientCertMode(sc.clientCertModeLearned ? ProxyConfig.ClientCertMode.LEARN : ProxyConfig.ClientCertMode.ALWAYS);
            }
            SessionCache session1 = new SessionCache();
            cfg.sessionCaches(session1, new SessionCache()); // DEC-22
            if (role.equals(nearProxy())) {
                nearProxySessions = session1;
            }
            if (!staged.isEmpty()) {
                // the adversary acts around the honest proxy: on its host's bytes (with its key), its trust, an operator's
                // setting; it holds a chain of its own (the test PKI's other.proxyinfo.test) to report instead of the origin's
                new org.proxyinfo.adversary.Adversary(writer(role), role, downLeg, CODE_POINT)
                        .otherServerChain(pki.serverWrongHost().chain()).stage(cfg, List.copyOf(staged));
            }
            PrintStream log = new PrintStream(proxyLog, true, StandardCharsets.UTF_8);
            return new ProxyServer(new TlsProxy(cfg), InetAddress.getLoopbackAddress(), 0, log).onOutcome(sink::add).start();
        }

        /** The adversary of RESUME_OVER_FULL_SESSION2, with what the near proxy's host holds (its key and session-#1 cache). */
        org.proxyinfo.adversary.ResumeOverFullSession2 startResumeOverFull(int upstreamPort, int honestPort) throws IOException {
            org.proxyinfo.adversary.ResumeOverFullSession2.Setup x = new org.proxyinfo.adversary.ResumeOverFullSession2.Setup();
            x.crypto = crypto(nearProxy() + "/adversary");
            x.clock = o.clock;
            x.trace = writer(nearProxy());
            x.role = nearProxy();
            x.codePoint = CODE_POINT;
            x.signingMode = mode;
            x.proxyCredential = server(proxyCredential());
            x.session1Cache = nearProxySessions;
            x.webTrust = pki.webTrust();
            x.webCrls = pki.webCrls();
            x.upstreamPort = upstreamPort;
            x.honestProxyPort = honestPort;
            x.timeoutMillis = o.timeoutMillis;
            return new org.proxyinfo.adversary.ResumeOverFullSession2(x).start();
        }

        void runClient(int port) {
            // each client session its own stream: a real client never repeats a client_random (a
            // repeated one would also make two sessions indistinguishable in the trace and the key log)
            TlsCrypto crypto = crypto(clientSessions++ == 0 ? "client" : "client/session" + clientSessions);
            List<X509Certificate> trust = new ArrayList<>(pki.webTrust());
            if (sc.clientTrustsMintCa) {
                trust.add(pki.mintCa().leaf()); // a managed device that was told to trust the interception CA
            }
            TlsConfig cfg = new TlsConfig(crypto).clock(o.clock).trace(writer("client")).roleName("client").leg(clientLeg())
                    .timeoutMillis(o.timeoutMillis).trustAnchors(trust, RevocationPolicy.DEFAULT, pki.webCrls());
            if (sc.clientHasCertificate) {
                cfg.clientCertificate(server(clientPki().clientEcdsa())); // RFC5246-7.4.6
            }
            if (sc.clientHostCorruptsCertificateVerify) {
                // the adversary on the client's host, around the honest client (DEC-23, 01-R15)
                cfg.tap(org.proxyinfo.adversary.ClientCertAdversary.corruptClientCertificateVerify(writer("client"), "client", clientLeg()));
            }
            if (sc.clientResumes) {
                cfg.sessionCache(clientCache); // DEC-22: one cache over the run's sessions
            }
            if (sc.clientOffersProxyInfo) {
                UpstreamPolicy policy = sc.clientRequires256BitUpstream
                        ? new UpstreamPolicy(Set.of(UpstreamPolicy.TLS12), Set.of(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
                        CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384), Set.of(0))
                        : UpstreamPolicy.defaults();
                ProxyInfoClientCheck check = new ProxyInfoClientCheck(crypto, mode, CODE_POINT,
                        new ValidatorCertificateChecks(pki.proxyTrust(), List.of(), pki.webTrust(), RevocationPolicy.DEFAULT,
                                pki.webCrls(), o.clock),
                        policy, writer("client"), "client", clientLeg(), ProxyInfoCodec.DEFAULT_MAX_DEPTH);
                cfg.extensions(sc.clientCertMode // DEVIATION (DEC-23): offers client_cert_mode
                        ? ExtensionTable.DEFAULT.with(new ProxyInfoTableEntry(CODE_POINT))
                                .with(org.proxyinfo.clientcert.ClientCertModeOffer.client())
                        : ExtensionTable.DEFAULT.with(new ProxyInfoTableEntry(CODE_POINT))).proxyInfoCheck(check);
                clientChecks.add(check);
            } else {
                clientChecks.add(null);
            }
            SocketTransport t;
            try {
                t = SocketTransport.connect("127.0.0.1", port, o.timeoutMillis);
            } catch (IOException e) {
                clientError = "the client cannot connect to 127.0.0.1:" + port + ": " + e.getMessage();
                return;
            }
            TlsConnection c = new TlsClient(cfg).connect(t, INTENDED_HOST);
            clientConnections.add(c);
            if (!c.isEstablished()) {
                return;
            }
            try {
                c.write(("GET / HTTP/1.1\r\nHost: " + INTENDED_HOST + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                c.getInputStream().transferTo(b);
                response = b.toString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                clientError = "the connection broke after the handshake: " + e.getMessage();
            } finally {
                c.close();
            }
        }

        // ---- judging ---------------------------------------------------------------------------

        ScenarioResult evaluate() {
            List<ScenarioResult.PartyOutcome> outcomes = new ArrayList<>();
            TlsConnection c = clientConnections.isEmpty() ? null : clientConnections.get(clientConnections.size() - 1);
            ProxyInfoClientCheck check = clientChecks.isEmpty() ? null : clientChecks.get(clientChecks.size() - 1);
            if (c != null) {
                outcomes.add(outcome("client", clientLeg(), c));
            }
            // the honest near proxy's outcome belongs to the judged session only if it served every client connection
            // (RESUME_OVER_FULL_SESSION2: the adversary in front of it served the last one itself)
            TlsProxy.Outcome a = proxyOutcomesA.size() >= clientConnections.size() ? last(proxyOutcomesA) : null;
            TlsProxy.Outcome b = last(proxyOutcomesB);
            if (a != null) {
                add(outcomes, nearProxy(), "session1", a.session1);
                add(outcomes, nearProxy(), "session2", a.session2);
            }
            if (b != null) {
                add(outcomes, "proxy-B", "session2", b.session1);
                add(outcomes, "proxy-B", "session3", b.session2);
            }
            if (origin != null && !origin.connections.isEmpty()) {
                add(outcomes, "server", serverLeg(), origin.connections.get(origin.connections.size() - 1));
            }

            List<String> mismatches = new ArrayList<>();
            Scenario.Expectation e = sc.expected;
            int hops = check != null && check.verification() != null ? check.verification().hops().size()
                    : check != null && c != null && c.resumed() ? check.resumedHops() : 0;
            if (sc.expectResumed != null && c != null && c.isEstablished() && c.resumed() != sc.expectResumed) {
                mismatches.add("expected the last session " + (sc.expectResumed ? "resumed" : "full") + " (DEC-22), but it was "
                        + (c.resumed() ? "resumed" : "full"));
            }
            TlsConnection originLast = origin != null && !origin.connections.isEmpty()
                    ? origin.connections.get(origin.connections.size() - 1) : null;
            if (sc.expectOriginResumed != null && originLast != null && originLast.isEstablished()
                    && originLast.resumed() != sc.expectOriginResumed) {
                mismatches.add("expected the origin's last session " + (sc.expectOriginResumed ? "resumed" : "full")
                        + " (DEC-22), but it was " + (originLast.resumed() ? "resumed" : "full"));
            }
            if (clientError != null) {
                mismatches.add(clientError);
            }
            if (c == null) {
                mismatches.add("the client made no TLS connection");
            } else if (e.accepted) {
                if (!c.isEstablished()) {
                    mismatches.add("expected the client to accept, but: " + c.failureSummary());
                } else if (!response.startsWith("HTTP/1.1 200")) {
                    mismatches.add("the HTTP request through the session got no 200 response");
                }
                if (c.isEstablished() && e.insecure) {
                    if (c.proxied() || a == null || !a.minted) {
                        mismatches.add("expected a minted certificate (DEC-17 mint) without proxy_info");
                    }
                } else if (c.isEstablished()) {
                    int expectedHops = e.attackUndetected ? 1 : sc.topology.proxies();
                    if (hops != expectedHops) {
                        mismatches.add("the client saw " + hops + " proxy hop(s), expected " + expectedHops);
                    }
                }
            } else {
                if (c.isEstablished()) {
                    mismatches.add("expected " + e + ", but the client accepted");
                } else if ("client".equals(e.refusingParty)) {
                    String sent = c.alertSent() < 0 ? null : AlertDescription.name(c.alertSent());
                    if (!e.alert.equals(sent) || !e.requirementId.equals(c.failureRequirement())) {
                        mismatches.add("expected the client to send " + e.alert + " [" + e.requirementId + "], but: "
                                + c.failureSummary() + " [" + c.failureRequirement() + "]");
                    }
                } else if ("server".equals(e.refusingParty)) {
                    // DEVIATION (DEC-23): the origin refuses session #2 (01-R16); the client's session #1 is never finished
                    TlsConnection srv = origin == null || origin.connections.isEmpty() ? null
                            : origin.connections.get(origin.connections.size() - 1);
                    String sent = srv == null || srv.alertSent() < 0 ? null : AlertDescription.name(srv.alertSent());
                    if (srv == null || !e.alert.equals(sent) || !e.requirementId.equals(srv.failureRequirement())) {
                        mismatches.add("expected the server to send " + e.alert + " [" + e.requirementId + "], but: "
                                + (srv == null ? "no server connection" : srv.failureSummary() + " [" + srv.failureRequirement() + "]"));
                    }
                } else {
                    String received = c.alertReceived() < 0 ? null : AlertDescription.name(c.alertReceived());
                    TlsProxy.Outcome p = "proxy-B".equals(e.refusingParty) ? b : a;
                    String req = p == null || p.session1 == null ? null : p.session1.failureRequirement();
                    if (!e.alert.equals(received) || !e.requirementId.equals(req)) {
                        mismatches.add("expected " + e.refusingParty + " to send " + e.alert + " [" + e.requirementId
                                + "], but the client " + c.failureSummary() + " and the proxy's requirement was " + req);
                    }
                }
            }
            boolean passed = mismatches.isEmpty();
            String summary = summary(c, check, a, b, outcomes, passed, mismatches);
            Trace merged = traces();
            return new ScenarioResult(sc, passed, outcomes, summary, mismatches, merged);
        }

        static TlsProxy.Outcome last(List<TlsProxy.Outcome> l) {
            return l.isEmpty() ? null : l.get(l.size() - 1);
        }

        static void add(List<ScenarioResult.PartyOutcome> out, String party, String leg, TlsConnection c) {
            if (c != null) {
                out.add(outcome(party, leg, c));
            }
        }

        static ScenarioResult.PartyOutcome outcome(String party, String leg, TlsConnection c) {
            return new ScenarioResult.PartyOutcome(party, leg, c.isEstablished(),
                    c.alertSent() < 0 ? null : AlertDescription.name(c.alertSent()),
                    c.alertReceived() < 0 || c.alertReceived() == AlertDescription.CLOSE_NOTIFY ? null
                            : AlertDescription.name(c.alertReceived()),
                    c.failureRequirement(), c.isEstablished() ? null : c.failureSummary());
        }

        String summary(TlsConnection c, ProxyInfoClientCheck check, TlsProxy.Outcome a, TlsProxy.Outcome b,
                       List<ScenarioResult.PartyOutcome> outcomes, boolean passed, List<String> mismatches) {
            StringBuilder s = new StringBuilder();
            StringBuilder upstreamText = new StringBuilder();
            s.append("Scenario ").append(sc.name).append(": ").append(sc.description).append('\n');
            s.append("Path: ").append(String.join(" -> ", sc.roles())).append(" (loopback; the client means '")
                    .append(INTENDED_HOST).append("')\n");
            if (sc.topology != Scenario.Topology.DIRECT) {
                s.append("Assertion signing (DEC-5): ").append(mode.configName()).append(mode == SigningMode.BOUND
                        ? " - signature over context '" + SigningMode.BOUND_CONTEXT + "' || this session's client_random || server_random || fields (DEVIATION (DEC-5, DEC-5a))"
                        : " - signature over the fields only, as the draft says (replayable)").append('\n');
            }
            Set<String> staged = new LinkedHashSet<>();
            sc.stagedA.forEach(m -> staged.add(nearProxy() + ": " + m));
            sc.stagedB.forEach(m -> staged.add("proxy-B: " + m));
            if (!staged.isEmpty()) {
                s.append("Adversary: ").append(String.join(", ", staged)).append('\n');
            }
            s.append('\n').append("Who authenticated whom:\n");
            if (c != null && c.isEstablished()) {
                X509Certificate peer = c.peerCertificates().get(0);
                if (c.proxied()) {
                    s.append("  - The client authenticated the proxy '").append(peer.getSubjectX500Principal().getName())
                            .append("' as an acceptable proxy (DEC-9): ").append(unprefixed(c.verification(), "DEC-9: ")).append('\n');
                    s.append("    by its ServerKeyExchange signature over both randoms and its Finished (RFC 5246).\n");
                    s.append("  - The client verified the proxy's signed report on the upstream session(s) (DEC-8, DEC-10..12).\n");
                    if (check != null && check.verification() != null) {
                        StringBuilder s0 = s;
                        s = upstreamText;
                        s.append("\nThe upstream session(s) as reported (signed by each proxy, checked by the client):\n");
                        for (ProxyInfoVerification.Hop h : check.verification().hops()) {
                            s.append("  hop ").append(h.index() + 1).append(": ").append(h.proxySubject()).append(" reports its session to ")
                                    .append(h.carriesOrigin() ? "the origin " : "the next proxy ").append(h.carriedSubject()).append('\n')
                                    .append("         TLS 1.2, ").append(CipherSuite.name(h.connectionParameters().cipherSuite()))
                                    .append(", null compression, server_random ").append(h.serverRandom(), 0, 16).append("...")
                                    .append(", revocation_checking_performed=").append(h.revocationCheckingPerformed()).append('\n');
                            if (h.revocation() != null) {
                                String rev = h.revocation();
                                s.append("         revocation (DEC-10): ").append(rev.length() > 110 ? rev.substring(0, 110) + "..." : rev)
                                        .append('\n');
                            }
                        }
                        s = s0;
                    }
                    s.append("  - Each proxy authenticated its upstream itself before answering (DEC-14, DEC-15).\n");
                } else if (a != null && a.minted) {
                    s.append("  - INSECURE (DEC-17 mint): the client accepted a certificate for '").append(INTENDED_HOST)
                            .append("' that the proxy minted with its interception CA (").append(peer.getIssuerX500Principal().getName())
                            .append("). It believes it talks to the origin; the proxy reads everything, and the client never learns of it.\n");
                    s.append("  - The proxy authenticated the origin server itself (DEC-15): ")
                            .append(a.session2 != null ? a.session2.verification() : "?").append('\n');
                } else {
                    s.append("  - The client authenticated the server directly (no proxy announced itself, DEC-13): ")
                            .append(c.verification()).append('\n');
                }
                TlsConnection originSide = origin != null && !origin.connections.isEmpty()
                        ? origin.connections.get(origin.connections.size() - 1) : null;
                if (originSide != null && originSide.forwardedClient() != null) {
                    // DEVIATION (DEC-23): the origin's session-#2 peer is the proxy; the client's identity came forwarded
                    s.append("  - The origin authenticated the client '").append(originSide.forwardedClient())
                            .append("' through the proxy '").append(originSide.peerCertificates().get(0).getSubjectX500Principal().getName())
                            .append("' (DEC-23): the client's chain (PKIX) and its ProxyCertVerify over the origin's own nonce,"
                            + " a proxy the origin accepts and its CertificateVerify (01-R16); the proxy verified the client's"
                            + " CertificateVerify on session #1 first (01-R15).\n");
                } else if (originSide != null && originSide.clientAuthenticated()) {
                    s.append("  - The origin authenticated the client '").append(originSide.peerCertificates().get(0)
                            .getSubjectX500Principal().getName()).append("' by its chain and CertificateVerify (RFC 5246 7.4.6, 7.4.8).\n");
                } else if (sc.originClientAuth != org.proxyinfo.core.ServerHandshake.CLIENT_AUTH_NONE) {
                    s.append("  - R7: the origin asked for a client certificate, but ").append(c.proxied() || a != null
                            ? "the proxy cannot pass the client's authentication on (it holds no key of the client): the origin"
                            + " serves an anonymous client, although the client holds a certificate.\n"
                            : "nobody authenticated the client.\n");
                } else {
                    s.append("  - Nobody authenticated the client (no client certificates).\n");
                }
                s.append(upstreamText);
            } else if (c != null) {
                // The reason is said once, under "The client's decision" (or the refusing party's reason) below.
                s.append("  - Nothing was accepted: ").append(c.alertSent() >= 0 ? "the client refused the session (why: below)"
                        : "the handshake was ended by the other side (why: below)").append('\n');
            }
            s.append('\n').append("Each party's end:\n");
            for (ScenarioResult.PartyOutcome p : outcomes) {
                // The client's own reason is printed once, in its decision below.
                s.append("  - ").append("client".equals(p.party()) && c != null && c.alertSent() >= 0 ? p.describeBriefly() : p.describe())
                        .append('\n');
            }
            s.append('\n').append("The client's decision: ");
            if (c == null) {
                s.append("none (no connection").append(clientError != null ? ": " + clientError : "").append(")\n");
            } else if (c.isEstablished()) {
                s.append(c.proxied() ? "ACCEPTED the proxied session" : a != null && a.minted
                        ? "ACCEPTED - INSECURE: an intercepted session it cannot recognise" : "ACCEPTED the direct session");
                s.append(response.startsWith("HTTP/1.1 200") ? "; the GET got '200 OK' through it.\n" : ".\n");
            } else if (c.alertSent() >= 0) {
                s.append("REFUSED with fatal alert ").append(AlertDescription.name(c.alertSent())).append(" [")
                        .append(c.failureRequirement()).append("]: ").append(reason(c.failureSummary())).append('\n');
                s.append("  No key material was sent (DEC-8).\n");
            } else {
                s.append("none: the ").append(sc.expected.refusingParty != null ? sc.expected.refusingParty : "peer")
                        .append(" ended the handshake: ").append(c.failureSummary()).append('\n');
                TlsProxy.Outcome p = "proxy-B".equals(sc.expected.refusingParty) ? b : a;
                if (p != null && p.session1 != null && p.session1.failureSummary() != null) {
                    s.append("  The proxy's reason: ").append(p.session1.failureSummary()).append('\n');
                }
            }
            if (sc.expected.attackUndetected && c != null && c.isEstablished() && sc.undetectedBecause != null) {
                s.append('\n').append(sc.undetectedBecause).append('\n');
            } else if (sc.expected.attackUndetected && c != null && c.isEstablished()) {
                s.append('\n').append("The draft's literal reading lets this attack through: the replayed assertion describes an")
                        .append(" earlier session #2, yet it verifies, because the signature covers only the fields.\n")
                        .append("Under bound signing (the project default, DEVIATION (DEC-5)) the same replay is refused:")
                        .append(" see scenario replay-bound.\n");
            }
            s.append('\n').append("Expected: ").append(sc.expected).append(". ");
            s.append(passed ? "Every party behaved as expected." : "NOT as expected: " + String.join("; ", mismatches)).append('\n');
            return s.toString();
        }

        Trace traces() {
            if (traces == null) {
                return null;
            }
            Trace merged = traces.merged();
            if (o.traceDir != null) {
                try {
                    Path dir = o.traceDir.resolve(sc.name);
                    Files.createDirectories(dir);
                    merged.writeTo(dir.resolve("merged.json"));
                    Set<String> legs = new LinkedHashSet<>();
                    merged.events().forEach(ev -> legs.add(ev.leg()));
                    for (String leg : legs) {
                        traces.leg(leg).writeTo(dir.resolve(leg + ".json"));
                    }
                } catch (IOException e) {
                    clientError = (clientError == null ? "" : clientError + "; ") + "could not write traces: " + e.getMessage();
                }
            }
            return merged;
        }
    }

    /** s without a leading prefix such as "DEC-9: " (so an ID is not said twice in one sentence). */
    public static String unprefixed(String s, String prefix) {
        return s != null && s.startsWith(prefix) ? s.substring(prefix.length()) : s;
    }

    /** A failure summary without its "we sent fatal alert X [ID]: " head, which the caller has just printed. */
    static String reason(String failure) {
        if (failure == null) {
            return "";
        }
        int end = failure.startsWith("we sent fatal alert ") ? failure.indexOf("]: ") : -1;
        return end > 0 ? failure.substring(end + 3) : failure;
    }

    /** A PrintStream that discards (for quiet runs). */
    static PrintStream nowhere() {
        return new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    }
}
