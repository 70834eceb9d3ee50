package org.proxyinfo.role;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.proxyinfo.clientcert.ClientCertModeEntry;
import org.proxyinfo.clientcert.ClientCertModeOffer;
import org.proxyinfo.clientcert.ClientCertModeProxy;
import org.proxyinfo.clientcert.ProxyToServer;
import org.proxyinfo.clientcert.ServerNonce;
import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.core.ProxyHandshake;
import org.proxyinfo.ext.ExtensionTable;
import org.proxyinfo.ext.HelloContext;
import org.proxyinfo.pki.CertificateValidator;
import org.proxyinfo.pki.Credential;
import org.proxyinfo.pki.TestPki;
import org.proxyinfo.pki.ValidationResult;
import org.proxyinfo.proxyinfo.ConnectionSecurityParameters;
import org.proxyinfo.proxyinfo.DigitallySigned;
import org.proxyinfo.proxyinfo.ProxyInfo;
import org.proxyinfo.proxyinfo.ProxyInfoCertificateChecks;
import org.proxyinfo.proxyinfo.ProxyInfoCodec;
import org.proxyinfo.proxyinfo.ProxyInfoExtension;
import org.proxyinfo.proxyinfo.ProxyInfoSigner;
import org.proxyinfo.proxyinfo.ProxyInfoTableEntry;
import org.proxyinfo.proxyinfo.SignedProxyInfo;
import org.proxyinfo.proxyinfo.UpstreamPolicy;
import org.proxyinfo.proxyinfo.ValidatorCertificateChecks;
import org.proxyinfo.trace.TraceSink;
import org.proxyinfo.wire.CipherSuite;
import org.proxyinfo.wire.ClientHello;
import org.proxyinfo.wire.Extension;
import org.proxyinfo.wire.ExtensionType;
import org.proxyinfo.wire.HandshakeType;
import org.proxyinfo.wire.ProtocolVersion;
import org.proxyinfo.wire.ServerHello;
import org.proxyinfo.wire.TlsFatalAlert;

/**
 * The proxy role (draft-01 §3, DEC-14..18; the draft's proxy steps 00-R12/01-R13): per client connection it
 * <ol>
 *   <li>accepts session #1 and reads the ClientHello (server core: RFC 5246);</li>
 *   <li>examines every client extension: forwarded, processed or dropped, traced (DEC-16, 00-R7/01-R8);</li>
 *   <li>admits the client or not: without proxy_info, policy refuse → handshake_failure, policy
 *       mint → today's interception, labelled INSECURE (DEC-17);</li>
 *   <li>opens session #2 to the SNI host (or the fixed upstream), offering proxy_info and forwarding
 *       the client's client_random (DEC-5/DEC-12 reconciliation, project choice), validates the
 *       chain and host with its own trust store, or, if the upstream is a proxy, that proxy's
 *       certificate and assertion (DEC-15, 00-R5/01-R6, 00-R9/01-R10), and finishes it (DEC-14);</li>
 *   <li>signs the assertion about session #2 with its session-#1 key over the DEC-5 input, nests
 *       the upstream's assertion unchanged as next_proxy_info (DEC-15), and answers the client;</li>
 *   <li>relays application data both ways, one thread per direction with blocking writes, so when
 *       it cannot write to one side it stops reading from the other (DEC-18).</li>
 * </ol>
 * Every decision is a {@link ProxyHandshake} call and every state change a {@code transition}
 * event of the proxy role. Errors: exactly one fatal alert on session #1 (and close_notify or an
 * alert on session #2), sockets closed, no exception escapes.
 */
public final class TlsProxy {
    private final ProxyConfig config;

    public TlsProxy(ProxyConfig config) {
        if (config.credential == null) {
            throw new IllegalArgumentException("the proxy needs its own certificate and key for session #1 (DEC-5, DEC-9)");
        }
        this.config = config;
    }

    public ProxyConfig config() { return config; }

    /** What happened on one client connection, for logs and tests. */
    public static final class Outcome {
        public TlsConnection session1;
        public TlsConnection session2;
        public String upstream;
        public boolean minted;
        public boolean relayed;
        public long bytesToServer;
        public long bytesToClient;
        public String finalState;
        public final List<String> extensionDispositions = new ArrayList<>();
        /** DEVIATION (DEC-23) LEARN: how session #2 came to the client-certificate mode: "learned", "remembered" or null. */
        public String clientCertModePath;
        /** DEC-23 LEARN: the ordinary session #2 abandoned at the origin's CertificateRequest (closed), or null. */
        public TlsConnection abandonedSession2;

        /** One line for people. */
        public String describe() {
            if (session1 == null || !session1.isEstablished()) {
                return "session #1 failed: " + (session1 == null ? "no handshake" : session1.failureSummary())
                        + (session2 != null && !session2.isEstablished() && session2.failureSummary() != null
                        ? "; session #2 to " + upstream + ": " + session2.failureSummary() : "");
            }
            return (minted ? "INSECURE minted certificate (DEC-17 mint); " : "assertion sent (DEC-5); ")
                    + "relayed " + bytesToServer + " bytes to " + upstream + " and " + bytesToClient + " bytes back";
        }
    }

    /** Runs one client connection to its end (handshakes, relay, close). Never throws; closes both sockets. */
    public Outcome handle(Socket downstream) {
        Outcome out = new Outcome();
        Conn conn = new Conn(out);
        try {
            downstream.setSoTimeout(config.handshakeTimeoutMillis);
            downstream.setTcpNoDelay(true);
        } catch (SocketException e) {
            // the socket is unusable; the handshake reports it
        }
        TlsConfig down = new TlsConfig(config.crypto).clock(config.clock).trace(config.trace).roleName(config.roleName)
                .leg(config.downstreamLeg).extensions(ExtensionTable.DEFAULT.with(new ProxyInfoTableEntry(config.codePoint)))
                .proxyInfoType(config.codePoint).tap(config.session1Tap).credential(config.credential).cipherSuites(config.cipherSuites).groups(config.groups)
                .timeoutMillis(config.handshakeTimeoutMillis).handshakeDeadlineMillis(config.handshakeTimeoutMillis).sessionCache(config.session1Cache);
        if (config.clientCertMode == ProxyConfig.ClientCertMode.ALWAYS) {
            // DEVIATION (DEC-23): session #1 answers client_cert_mode and asks for the client's certificate for the origin;
            // no resumption in this mode (a resumed session #1 would carry no client authentication)
            down.extensions(ExtensionTable.DEFAULT.with(new ProxyInfoTableEntry(config.codePoint)).with(ClientCertModeOffer.proxy()))
                    .clientAuthPolicy(org.proxyinfo.core.ServerHandshake.CLIENT_AUTH_NEED).sessionCache(null);
        } else if (config.clientCertMode == ProxyConfig.ClientCertMode.LEARN) {
            // DEVIATION (DEC-23): the mode is decided per connection after the ClientHello (learned or remembered); session
            // #1 answers client_cert_mode, asks for the client's certificate (ServerHandshake.onClientAuthLearned) and gets
            // no session_id exactly when session #2 is held in the mode (DownstreamHook.clientCertMode)
            down.extensions(ExtensionTable.DEFAULT.with(new ProxyInfoTableEntry(config.codePoint)).with(ClientCertModeOffer.proxy()));
        }
        try {
            out.session1 = new TlsServer(down).accept(new SocketTransport(downstream), conn);
            if (!out.session1.isEstablished()) {
                conn.abort("session #1 failed: " + out.session1.failureSummary());
                return out;
            }
            conn.decide(conn.core.state(), conn.core.onDownstreamEstablished(), "session #1 established", "session #1 out of order");
            if (conn.held == null) {
                conn.coupling.link(out); // DEC-22: a full session #1 is cached linked to its session #2 (01-R1..R4)
            }
            if (conn.core.mayRelay()) {
                relay(conn, out);
            }
        } catch (TlsFatalAlert e) {
            conn.abort(e.getMessage());
            if (out.session1 != null) {
                out.session1.abort(e);
            }
        } catch (RuntimeException e) {
            conn.abort("internal error: " + e);
        } finally {
            if (conn.held != null) {
                conn.held.release(); // DEC-23: a held session #2 never outlives session #1 (01-R15)
            }
            if (out.session1 != null) {
                out.session1.close();
            } else {
                AcceptLoop.closeQuietly(downstream);
            }
            if (out.session2 != null) {
                out.session2.close();
            }
            if (conn.upstreamSocket != null) {
                AcceptLoop.closeQuietly(conn.upstreamSocket);
            }
            if (conn.held != null) {
                conn.held.join(); // the held session #2's thread ends with its socket
            }
            AcceptLoop.closeQuietly(downstream);
            out.finalState = ProxyHandshake.stateName(conn.core.state());
        }
        return out;
    }

    // ---- DEC-18 relay ----------------------------------------------------------------------------

    private void relay(Conn conn, Outcome out) {
        TlsConnection c1 = out.session1;
        TlsConnection c2 = out.session2;
        setTimeout(c1, config.idleTimeoutMillis);
        setTimeout(c2, config.idleTimeoutMillis);
        Thread toClient = new Thread(() -> out.bytesToClient = pump(c2, c1), config.roleName + "-relay-to-client");
        toClient.setDaemon(true);
        toClient.start();
        out.bytesToServer = pump(c1, c2);
        // The other direction ends when its peer answers our close_notify; a peer that never does gets
        // a grace period, then both sessions are closed (no thread outlives the connection).
        try {
            toClient.join(CLOSE_GRACE_MILLIS);
            if (toClient.isAlive()) {
                c1.close();
                c2.close();
                toClient.join(5_000L);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        c1.close();
        c2.close();
        out.relayed = true;
        int before = conn.core.state();
        conn.core.onRelayClosed();
        conn.transition(before, "relay ended");
    }

    /** How long one relay direction may outlive the other (a peer that does not answer close_notify). */
    static final long CLOSE_GRACE_MILLIS = 5_000L;

    /**
     * DEC-18: reads from one session and writes to the other with a blocking write; while the write
     * blocks (the receiver does not read), this direction reads nothing more. When the source ends
     * (close_notify, error, idle timeout) the destination gets close_notify (RFC5246-7.2.1) and is
     * closed once its peer answers.
     */
    private long pump(TlsConnection from, TlsConnection to) {
        // issue #14: each record is opened in place in the source session's buffer and sealed
        // from there into the destination's output buffer; no relay buffer in between
        return from.relayAllTo(to, config.relayBufferSize);
    }

    /**
     * True if {@code host:port} is the address session #1 reached this proxy on: dialling it would make the proxy its
     * own upstream, again and again until every connection slot is taken. Compared by resolved address; a name that
     * does not resolve is left to the connect, which reports it.
     */
    private static boolean dialsItself(TlsConnection s1, String host, int port) {
        if (!(s1.transport() instanceof SocketTransport) || host == null) {
            return false;
        }
        java.net.Socket own = ((SocketTransport) s1.transport()).socket();
        if (own.getLocalPort() != port) {
            return false;
        }
        try {
            for (java.net.InetAddress a : java.net.InetAddress.getAllByName(host)) {
                if (a.equals(own.getLocalAddress())) {
                    return true;
                }
            }
        } catch (java.net.UnknownHostException e) {
            return false;
        }
        return false;
    }

    /** The local port of a session's socket (the port the client connected to), or {@code otherwise}. */
    private static int localPort(TlsConnection c, int otherwise) {
        return c.transport() instanceof SocketTransport ? ((SocketTransport) c.transport()).socket().getLocalPort() : otherwise;
    }

    private static void setTimeout(TlsConnection c, int ms) {
        if (c.transport() instanceof SocketTransport) {
            try {
                ((SocketTransport) c.transport()).socket().setSoTimeout(ms);
            } catch (SocketException e) {
                // closed already; the relay ends at once
            }
        }
    }

    // ---- one connection's decisions (the DownstreamHook) -------------------------------------------

    private final class Conn implements DownstreamHook, ProxyResumption.Checks {
        /** DEC-17 policy and DEC-2 code point are the core's final configuration. */
        final ProxyHandshake core = new ProxyHandshake(config.policy, config.codePoint);
        final Outcome out;
        final TraceSink trace = config.trace;
        Socket upstreamSocket;
        ProxyCapture capture = new ProxyCapture();
        ProxyInfoCheck upstreamCheck;
        /** The session-#2 chain the configured verifier accepted (DEC-15), compared with the chain session #2 used. */
        volatile List<byte[]> acceptedUpstreamChain;
        String intendedHost;
        /** DEC-22: the coupling of session #1 to session #2 (01-R1..R4), decided by the Resumption core. */
        final ProxyResumption coupling = new ProxyResumption(config, this);
        /** DEC-15: the verifier session #2 uses (re-asked about the cached chain when session #2 is resumed). */
        CertificateVerifier upstreamChainVerifier;

        Conn(Outcome out) {
            this.out = out;
        }

        void transition(int before, String trigger) {
            if (before != core.state()) {
                trace.transition(config.roleName, config.downstreamLeg, ProxyHandshake.stateName(before),
                        ProxyHandshake.stateName(core.state()), trigger);
            }
        }

        /**
         * Every proxy state change goes through the core and shows in the trace. Call as
         * {@code decide(core.state(), core.onX(..), ..)}: Java evaluates left to right, so {@code before}
         * is the state before the core call.
         */
        void decide(int before, int alert, String trigger, String message) throws TlsFatalAlert {
            transition(before, trigger);
            TlsConnection.require(alert, core.failedRequirement(), message);
        }

        void abort(String why) {
            int before = core.state();
            core.onAbort();
            if (before != core.state()) {
                trace.transition(config.roleName, config.downstreamLeg, ProxyHandshake.stateName(before),
                        ProxyHandshake.stateName(core.state()), why.length() > 200 ? why.substring(0, 200) : why);
            }
        }

        @Override
        public void check(String leg, String id, String what, boolean passed, String detail) {
            trace.check(config.roleName, leg, id, what, passed, detail);
        }

        boolean offered(HelloContext hello) {
            return hello.clientHelloTypes.contains(config.codePoint);
        }

        @Override
        public List<ServerCredential> credentials(TlsConnection s1, ClientHello ch, HelloContext hello) {
            if (!offered(hello) && config.policy == ProxyHandshake.POLICY_MINT) {
                // Negotiate as the minted leaf will be: ECDSA P-256, like the mint CA's key (DEC-17).
                return List.of(new ServerCredential(config.mintCa.privateKey(), config.mintCa.chain()));
            }
            return null;
        }

        @Override
        public void afterClientHello(TlsConnection s1, ClientHello ch, HelloContext hello) throws TlsFatalAlert {
            // DEC-16 (00-R7, 01-R8): every client extension examined: forwarded, processed or dropped.
            for (Extension x : ch.extensions) {
                int d = core.extensionDisposition(x.type);
                String name = x.type == config.codePoint ? "proxy_info" : ExtensionType.name(x.type);
                String how;
                switch (d) {
                    case ProxyHandshake.FORWARDED:
                        how = "forwarded: the same host_name is sent upstream";
                        break;
                    case ProxyHandshake.PROCESSED:
                        how = x.type == config.codePoint
                                ? "processed: answered with this proxy's signed assertion, and offered anew upstream"
                                : "processed: negotiated separately on each session";
                        break;
                    default:
                        how = x.type == ClientCertModeOffer.TYPE && config.clientCertMode == ProxyConfig.ClientCertMode.ALWAYS
                                ? "not carried upstream; answered on session #1 with session #2's server_random and the"
                                + " origin's nonce (DEVIATION (DEC-23))"
                                : x.type == ClientCertModeOffer.TYPE && config.clientCertMode == ProxyConfig.ClientCertMode.LEARN
                                ? "not carried upstream; answered on session #1 with session #2's server_random and the"
                                + " origin's nonce only if session #2 runs in the client-certificate mode (learned from the"
                                + " origin's CertificateRequest or remembered for the origin, DEVIATION (DEC-23))"
                                : "dropped: this proxy cannot answer for it on either session";
                        break;
                }
                out.extensionDispositions.add(name + ": " + ProxyHandshake.dispositionName(d));
                check(config.downstreamLeg, "DEC-16", "client extension " + name + " (" + x.type + ") "
                        + ProxyHandshake.dispositionName(d), true, how);
            }
            boolean offered = offered(hello);
            coreFact("DEC-17", "onClientHello", "offered_proxy_info=" + offered);
            decide(core.state(), core.onClientHello(offered), "client_hello",
                    "this proxy serves only clients that offer the proxy_info extension (policy refuse, DEC-17): the "
                            + "client offered none. Use a proxy_info-aware client, or run the proxy with --legacy mint "
                            + "(INSECURE interception)");
            check(config.downstreamLeg, "DEC-17", offered ? "client offered proxy_info" : "INSECURE: client without proxy_info,"
                    + " policy mint: a certificate for its SNI host will be minted", true,
                    offered ? "assertion mode " + config.signingMode.configName() : "today's interception (DEC-17 mint)");
            runUpstream(s1, ch, hello);
        }

        /** DEC-14/DEC-15: session #2, finished and validated before session #1 is answered. */
        private void runUpstream(TlsConnection s1, ClientHello ch, HelloContext hello) throws TlsFatalAlert {
            String sni = hello.peerServerName;
            String host = config.upstreamFixed ? config.upstreamHost : sni;
            // SNI mode: the port the client meant is the one it reached us on (an intercepting proxy
            // keeps the destination port); a fixed --upstream names its own port.
            int port = config.upstreamFixed ? config.upstreamPort : localPort(s1, config.upstreamPort);
            intendedHost = sni != null ? sni : config.upstreamHost;
            if (host == null) {
                // DEC-15: nowhere to connect, so no session #2 is opened and the core is told of no upstream failure (its
                // reachable/unreachable fact would be invented); the shell's named alert goes through the core's
                // fatalAlertToSend like every abort (DEC-21)
                throw new TlsFatalAlert(NO_UPSTREAM_ALERT, "DEC-15",
                        "the client sent no server_name and this proxy has no --upstream: it does not know where to connect");
            }
            if (sni != null && !org.proxyinfo.pki.HostnameMatcher.isDnsHostName(sni)) {
                // RFC 6066 section 3: HostName is a DNS host name; this one (control characters, spaces, ...) is neither
                // dialled (SNI routing) nor forwarded upstream and checked against a certificate (DEC-15)
                // no session #2 is opened, so the core is told of no upstream failure (its reachable fact would be
                // invented); the named alert goes through the core's fatalAlertToSend like every abort (DEC-21)
                throw new TlsFatalAlert(NO_UPSTREAM_ALERT, "DEC-15",
                        "the client's server_name '" + LogText.escape(sni) + "' is not a host name (RFC 6066 section 3: letters,"
                                + " digits and hyphens between dots): the proxy does not dial or forward it");
            }
            if (dialsItself(s1, host, port)) {
                throw new TlsFatalAlert(NO_UPSTREAM_ALERT, "DEC-15", // as above: no session #2, no core fact invented
                        "the upstream " + host + ":" + port + " is this proxy's own listening address: refused, it would loop"
                                + " through itself" + (config.upstreamFixed ? "; give --upstream the origin's address"
                                : " (SNI routing dials the client's server_name on the port the client connected to); run the"
                                + " proxy with --upstream HOST:PORT, or on another port than the origin's"));
            }
            out.upstream = host + ":" + port;
            boolean always = config.clientCertMode == ProxyConfig.ClientCertMode.ALWAYS;
            clientOffersMode = hello.clientHelloTypes.contains(ClientCertModeOffer.TYPE);
            clientOffersProxyInfo = offered(hello);
            if (always && !clientOffersMode) {
                throw new TlsFatalAlert(AlertDescription.HANDSHAKE_FAILURE, "DEC-23", "this proxy runs the client-certificate"
                        + " mode (DEC-23) and the client did not offer client_cert_mode: use a client that offers the mode"
                        + " (a client certificate and client_cert_mode, impl/CLIENTCERT.md), or a proxy not configured for it");
            }
            // DEVIATION (DEC-23) LEARN: an origin remembered as requiring client certificates goes to the mode from the start
            boolean remembered = config.clientCertMode == ProxyConfig.ClientCertMode.LEARN && clientOffersMode
                    && clientOffersProxyInfo && config.originMemory != null
                    && config.originMemory.requiresClientCertificates(out.upstream, config.clock);
            if (remembered) {
                out.clientCertModePath = "remembered";
                check(config.upstreamLeg, "DEC-23", "remembered for " + out.upstream + ": the origin requires client"
                        + " certificates, session #2 runs in the client-certificate mode from the start", true,
                        "per-origin memory (DEVIATION (DEC-23)); no first session #2");
            }
            if (!always && !remembered) {
                coupling.beforeUpstream(s1, ch, hello, out.upstream); // DEC-22 (01-R1): which session #2 to offer, if any
            }
            SocketTransport t = connectUpstream(host, port);
            if (t == null) {
                return;
            }
            TlsConfig up = upstreamConfig();
            // DEC-5/DEC-12 reconciliation (project choice): session #2 always carries the client's client_random, so
            // that a hop behind this proxy signs over it and the client can verify that hop itself. No setting changes it.
            check(config.upstreamLeg, "DEC-12", "session #2 opened with the client's client_random (DEC-5/DEC-12 "
                    + "reconciliation, project choice)", true, null);
            if (always || remembered) {
                runHeldUpstream(up, t, ch, hello);
                return;
            }
            if (config.clientCertMode == ProxyConfig.ClientCertMode.LEARN) {
                up.certificateRequestHook(this::onUpstreamCertificateRequest); // DEC-23: learn the need before answering
            }
            TlsConnection s2 = new TlsClient(up).connect(t, intendedHost, ch.random);
            out.session2 = s2;
            if (out.abandonedSession2 != null) {
                // DEVIATION (DEC-23): the abandoned session #2 (its fatal alert sent) is closed before the second one opens
                s2.close();
                AcceptLoop.closeQuietly(t.socket());
                out.session2 = null;
                acceptedUpstreamChain = null;
                capture = new ProxyCapture();
                SocketTransport t2 = connectUpstream(host, port);
                if (t2 == null) {
                    return;
                }
                runHeldUpstream(upstreamConfig(), t2, ch, hello);
                return;
            }
            if (s2.certificateRequested()) {
                // R7 (issue 13): the origin asked for a client certificate. An ordinary intercepting proxy holds no key of
                // the client, so its session-#2 client (ClientHandshake, no credential) answers with an empty Certificate;
                // the origin decides: a "want" origin serves an anonymous client, a "need" origin refuses session #2.
                check(config.upstreamLeg, "R7", "the origin asked for a client certificate; the client's authentication cannot"
                        + " be passed on through an intercepting proxy", s2.isEstablished(), s2.isEstablished()
                        ? "session #2 went on without a client certificate: the origin sees an anonymous client"
                        : "the origin refused session #2 without a client certificate");
            }
            if (!s2.isEstablished()) {
                check(config.upstreamLeg, "DEC-15", "upstream session for '" + intendedHost + "' established and validated",
                        false, s2.failureSummary());
                decide(core.state(), core.onUpstreamFailed(true), "upstream refused",
                        "the upstream session to " + host + ":" + port + " for '" + intendedHost + "' failed: "
                                + s2.failureSummary() + (s2.certificateRequested()
                                ? " (the origin asked for a client certificate: an intercepting proxy cannot pass the client's"
                                + " authentication on, R7)" : ""));
            }
            // DEC-22 (01-R2..R4): session #1 is resumed only if the server resumed the linked session #2; a resumed
            // session #2 brings no Certificate, so its cached chain is validated again (DEC-15)
            coupling.afterUpstream(s1, s2, upstreamChainVerifier, intendedHost);
            String how = s2.proxied()
                    ? "upstream is a proxy: " + s2.verification() + "; its assertion: " + s2.proxyInfoSummary()
                    : s2.verification();
            // DEC-14, DEC-15: the fact is computed from this session #2: finished, and either its chain is the very
            // chain the configured verifier accepted (plain upstream), or, behind a proxy, session #2's client core
            // consumed an ACCEPTED ProxyInfo decision about it (s2.proxied()).
            boolean validated;
            if (s2.proxied()) {
                validated = s2.isEstablished();
            } else {
                validated = s2.isEstablished() && usesAcceptedChain(s2);
            }
            check(config.upstreamLeg, "DEC-15", "upstream validated as '" + intendedHost + "'", validated, how);
            coreFact("DEC-15", "onUpstreamEstablished", "validated=" + validated);
            decide(core.state(), core.onUpstreamEstablished(validated), "session #2 established", "session #2 not usable");
        }

        /**
         * DEC-15: the chain session #2 uses is, certificate for certificate, the one the configured verifier accepted on
         * this connection (so the core is told about this chain, whatever verifier is configured).
         */
        private boolean usesAcceptedChain(TlsConnection s2) {
            return sameChain(acceptedUpstreamChain,
                    Certificates.encode(s2.peerCertificates() == null ? List.of() : s2.peerCertificates()));
        }

        /** DEC-15: a socket to the upstream, or null after the core decided the failure (unreachable). */
        private SocketTransport connectUpstream(String host, int port) throws TlsFatalAlert {
            SocketTransport t;
            try {
                t = SocketTransport.connect(host, port, config.connectTimeoutMillis);
                t.socket().setSoTimeout(config.handshakeTimeoutMillis);
            } catch (IOException e) {
                decide(core.state(), core.onUpstreamFailed(false), "upstream unreachable",
                        "the proxy cannot reach the upstream server " + host + ":" + port + " (" + e.getMessage()
                                + "); check that it is running and the proxy's --upstream");
                return null;
            }
            upstreamSocket = t.socket();
            return t;
        }

        /** Session #2's client configuration (DEC-15 verifier, DEC-16 filter, DEC-22 offer), fresh for each session #2. */
        private TlsConfig upstreamConfig() {
            TlsConfig up = new TlsConfig(config.crypto).clock(config.clock).trace(trace).roleName(config.roleName)
                    .leg(config.upstreamLeg).extensions(ExtensionTable.DEFAULT.with(new ProxyInfoTableEntry(config.codePoint)))
                    .proxyInfoType(config.codePoint).cipherSuites(config.cipherSuites).groups(config.groups)
                    .timeoutMillis(config.handshakeTimeoutMillis).handshakeDeadlineMillis(config.handshakeTimeoutMillis)
                    .tap(config.session2Tap) // the host's bytes (null: none; only an adversary sets one)
                    .clientHelloExtensionFilter(core::mayCarryUpstream); // DEC-16: the core decides what goes upstream
            // DEC-15 (00-R5/01-R6, 00-R9/01-R10): always the proxy's own trust store, host name and revocation per policy
            // (no setting replaces them); the core is told only what this validator accepted, about this chain.
            CertificateValidator validator = new CertificateValidator(config.webTrust, config.clock, config.revocation, config.crls);
            upstreamChainVerifier = (chain, der, name) -> {
                ValidationResult r = validator.validateServer(der, name);
                capture.validation = r;
                String summary = r.summary();
                acceptedUpstreamChain = List.copyOf(der); // reached only when the validator accepted
                return summary;
            };
            up.verifier(upstreamChainVerifier);
            up.sessionCache(config.session2Cache).offerSession(coupling.session2Offer()); // DEC-22 (01-R1)
            // DEC-15 applies the client's DEC-8..12 checks, with this proxy's proxy trust, to an upstream proxy's assertion
            ProxyInfoCertificateChecks checks = new ValidatorCertificateChecks(config.proxyTrust, List.of(), config.webTrust,
                    config.revocation, config.crls, config.clock);
            upstreamCheck = new ProxyInfoClientCheck(config.crypto, config.signingMode, config.codePoint, checks,
                    UpstreamPolicy.defaults(), trace, config.roleName, config.upstreamLeg, config.maxNestingDepth);
            if (config.faultyUpstreamCheckForTests != null) {
                upstreamCheck = config.faultyUpstreamCheckForTests.apply(upstreamCheck); // this package's tests only
            }
            up.proxyInfoCheck(upstreamCheck);
            return up;
        }

        /** DEC-23: the client's session-#1 ClientHello offered client_cert_mode / proxy_info. */
        boolean clientOffersMode;
        boolean clientOffersProxyInfo;

        /**
         * DEVIATION (DEC-23), a LEARN proxy's ordinary session #2 received the origin's CertificateRequest (asked by its
         * TlsClient before anything answers it). The ClientCertMode core decides with facts from this connection whether
         * the proxy abandons this session #2 (a fatal handshake_failure, DEC-21: no Certificate, no key material goes
         * upstream) and opens a second one in the client-certificate mode. Otherwise nothing changes: the ordinary
         * answer (an empty Certificate, R7).
         */
        void onUpstreamCertificateRequest(TlsConnection s2) throws TlsFatalAlert {
            // DEC-15: the chain this session #2 uses is the one the verifier accepted (its ServerKeyExchange verified
            // before the client core took the CertificateRequest)
            boolean validated = !s2.proxied() && usesAcceptedChain(s2);
            boolean requested = s2.certificateRequested();
            boolean retried = out.abandonedSession2 != null; // at most one abandoned session #2 per connection
            boolean learn = org.proxyinfo.core.ClientCertMode.proxyLearnsMode(clientOffersMode, clientOffersProxyInfo,
                    validated, requested, retried);
            if (!clientOffersMode) {
                return; // an ordinary client: the ordinary proxy (empty Certificate, R7); nothing to learn for it
            }
            check(config.downstreamLeg, "DEC-23", "core fact: ClientCertMode.proxyLearnsMode given client_offered_mode="
                    + clientOffersMode + ", client_offered_proxy_info=" + clientOffersProxyInfo + ", upstream_validated="
                    + validated + ", certificate_requested=" + requested + ", retried=" + retried, true, null);
            if (!learn) {
                return;
            }
            out.clientCertModePath = "learned";
            out.abandonedSession2 = s2;
            check(config.upstreamLeg, "DEC-23", "learned from CertificateRequest: the origin at " + out.upstream + " wants a"
                    + " client certificate; this session #2 is abandoned before answering it (handshake_failure, nothing"
                    + " of the proxy's goes upstream) and a second session #2 opens in the client-certificate mode", true,
                    "DEVIATION (DEC-23): the draft's second session #2");
            throw new TlsFatalAlert(AlertDescription.HANDSHAKE_FAILURE, "DEC-23", "session #2 abandoned at the origin's"
                    + " CertificateRequest: the proxy opens a second session #2 in the client-certificate mode (DEC-23)");
        }

        /** DEC-23: session #2 held at ServerHelloDone while session #1 runs to the client's CertificateVerify. */
        Held held;

        /**
         * DEVIATION (DEC-23) from DEC-14: session #2 offers a proxy_to_server ProxyInfo (this proxy's certificate, the
         * client's ProxyInfo nested) and runs on its own thread until it would send its SupplementalData, right after
         * the origin's ServerHelloDone; there it is held. The ProxyHandshake core is asked ({@code onUpstreamHeld})
         * with facts from this session #2 before session #1 is answered.
         */
        private void runHeldUpstream(TlsConfig up, SocketTransport t, ClientHello ch, HelloContext hello)
                throws TlsFatalAlert {
            ServerCredential own = config.credential;
            int scheme = own.isEc() ? org.proxyinfo.crypto.BcTlsCrypto.SCHEME_ECDSA_SECP256R1_SHA256
                    : org.proxyinfo.crypto.BcTlsCrypto.SCHEME_RSA_PSS_RSAE_SHA256;
            ClientCertModeEntry entry = ClientCertModeEntry.upstream(config.codePoint, ProxyToServer.sign(config.crypto,
                    own.privateKey, scheme, Certificates.encode(own.chain), ProxyInfo.clientToProxy()));
            Held h = new Held(entry, new ClientCertModeProxy());
            held = h;
            up.extensions(ExtensionTable.DEFAULT.with(entry)).proxyInfoCheck(null).sessionCache(null)
                    .clientCertificate(own).supplementalData(h);
            check(config.upstreamLeg, "DEC-23", "session #2 offers proxy_to_server (this proxy's certificate, the client's"
                    + " ProxyInfo nested) for the client-certificate mode", true, null);
            TlsClient client = new TlsClient(up);
            byte[] random = ch.random;
            h.thread = new Thread(() -> h.done.complete(client.connect(t, intendedHost, random)),
                    config.roleName + "-session2-dec23");
            h.thread.setDaemon(true);
            h.thread.start();
            TlsConnection s2;
            try {
                java.util.concurrent.CompletableFuture.anyOf(h.heldAt, h.done).get(config.handshakeTimeoutMillis,
                        java.util.concurrent.TimeUnit.MILLISECONDS);
                s2 = h.heldAt.isDone() ? h.heldAt.getNow(null) : h.done.getNow(null);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                s2 = null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                s2 = null;
            }
            out.session2 = s2;
            if (s2 == null || (!h.heldAt.isDone() && !s2.isEstablished())) {
                check(config.upstreamLeg, "DEC-15", "upstream session for '" + intendedHost + "' reached ServerHelloDone", false,
                        s2 == null ? "no answer in time" : s2.failureSummary());
                decide(core.state(), core.onUpstreamFailed(true), "upstream refused", "the upstream session to "
                        + out.upstream + " for '" + intendedHost + "' failed: " + (s2 == null ? "no answer within the"
                        + " handshake timeout" : s2.failureSummary()));
            }
            // DEC-15, DEC-23: facts from this session #2: its chain is the one the verifier accepted (the client core
            // verified its ServerKeyExchange before it could reach the SupplementalData), a CertificateRequest, a nonce
            boolean validated = h.heldAt.isDone() && usesAcceptedChain(s2);
            boolean requested = s2.certificateRequested();
            byte[] nonce = entry.nonce();
            boolean nonceOk = nonce != null && nonce.length == ServerNonce.NONCE_LENGTH;
            check(config.upstreamLeg, "DEC-15", "upstream validated as '" + intendedHost + "'", validated, s2.verification());
            check(config.upstreamLeg, "DEC-23", "the origin asked for a client certificate and sent a nonce", requested && nonceOk,
                    h.heldAt.isDone() ? "session #2 held at ServerHelloDone" : "session #2 completed without a"
                    + " CertificateRequest: the origin is not in the client-certificate mode");
            coreFact("DEC-23", "onUpstreamHeld", "validated=" + validated + ", certificate_requested=" + requested
                    + ", nonce_received=" + nonceOk);
            if (!(requested && nonceOk) && "remembered".equals(out.clientCertModePath) && config.originMemory != null) {
                config.originMemory.forget(out.upstream); // DEC-23: the origin no longer runs the mode; learn anew next time
            }
            decide(core.state(), core.onUpstreamHeld(validated, requested, nonceOk), "session #2 held at server_hello_done",
                    "session #2 cannot carry the client's certificate (DEC-23): " + (validated ? "the origin at " + out.upstream
                    + " is not in the client-certificate mode (no CertificateRequest or no nonce)" : "upstream not validated"));
            // DEC-23: session #1's ServerHello carries session #2's server_random and the origin's nonce (client_cert_mode)
            hello.extra.put(ClientCertModeOffer.TYPE, ClientCertModeOffer.encodeServerHello(s2.serverRandom(), nonce));
        }

        @Override
        public boolean clientCertMode(TlsConnection s1) {
            return held != null && core.isUpstreamHeld();
        }

        @Override
        public void onClientAuthentication(TlsConnection s1, List<byte[]> clientChainDer, byte[] supplementalData,
                                           boolean clientAuthenticated) throws TlsFatalAlert {
            // 01-R15: the proxy's ClientCertMode core decides, on session #1's server core's verdict about the client's
            // CertificateVerify; a refusal ends session #2 with its alert
            try {
                byte[] forward = held.mode.onClientAuthentication(clientChainDer, supplementalData, clientAuthenticated);
                check(config.downstreamLeg, "01-R15", "the client's CertificateVerify verified; its chain and ProxyCertVerify"
                        + " go to the origin", true, null);
                held.forward.complete(forward);
                // session #1 waits here until session #2 ended: one thread acts at a time, so the proxy's random stream
                // and its trace keep one order (byte-exact reference traces); the client's ChangeCipherSpec and Finished
                // wait in the socket meanwhile
                try {
                    held.done.get(config.handshakeTimeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                    // beforeFinishedSent reports a session #2 that did not end in time
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } catch (TlsFatalAlert e) {
                check(config.downstreamLeg, "01-R15", "the client's CertificateVerify verified; its chain and ProxyCertVerify"
                        + " go to the origin", false, e.getMessage());
                held.forward.completeExceptionally(e);
                held.join();
                throw e;
            }
        }

        @Override
        public void beforeFinishedSent(TlsConnection s1) throws TlsFatalAlert {
            if (held == null) {
                return;
            }
            // DEC-23, 01-R15: session #1 is finished only after the held session #2 completed with the forwarded identity
            TlsConnection s2;
            try {
                s2 = held.done.get(config.handshakeTimeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                s2 = null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                s2 = null;
            }
            if (s2 != null) {
                out.session2 = s2;
            }
            boolean completed = s2 != null && s2.isEstablished();
            check(config.upstreamLeg, "01-R15", "session #2 completed with the client's identity", completed,
                    s2 == null ? "no answer within the handshake timeout" : completed ? s2.verification() : s2.failureSummary());
            coreFact("01-R15", "onHeldUpstreamCompleted", "completed=" + completed);
            int modeAlert = held.mode.core().onUpstreamCompleted(completed);
            decide(core.state(), core.onHeldUpstreamCompleted(completed), "session #2 established",
                    "the origin refused the client's identity on session #2 ("
                            + (s2 == null ? "no answer" : s2.failureSummary()) + "): both sessions end (01-R15)");
            if (modeAlert != org.proxyinfo.core.ClientCertMode.NO_ALERT || !held.mode.core().mayFinishDownstream()) {
                throw new TlsFatalAlert(AlertDescription.INTERNAL_ERROR, "01-R15", "the DEC-23 core does not let session #1 finish");
            }
            if ("learned".equals(out.clientCertModePath) && config.originMemory != null) {
                // DEVIATION (DEC-23) LEARN: remembered after a learned success (not on the CertificateRequest alone)
                config.originMemory.remember(out.upstream, config.clock);
                check(config.upstreamLeg, "DEC-23", "remembered " + out.upstream + " as requiring client certificates: later"
                        + " clients offering the mode go to the client-certificate mode from the start", true,
                        "per-origin memory, at most " + config.originMemory.capacity() + " origins for "
                        + config.originMemory.lifetime());
            }
        }

        @Override
        public ServerCredential beforeServerHello(TlsConnection s1, HelloContext hello, ServerCredential chosen,
                                                  int otherExtensionsLength) throws TlsFatalAlert {
            TlsConnection s2 = out.session2;
            if (core.minting()) {
                if (!core.mayMint()) {
                    throw new TlsFatalAlert(AlertDescription.INTERNAL_ERROR, "DEC-17", "minting not allowed here");
                }
                String host = intendedHost;
                Credential minted = TestPki.mintLeaf(config.mintCa, host, config.clock, config.mintRandom);
                out.minted = true;
                check(config.downstreamLeg, "DEC-17", "INSECURE: minted a certificate for " + host
                        + " signed by the proxy's mint CA (today's interception)", true,
                        "the client cannot tell this proxy from " + host + " unless it distrusts the mint CA");
                return new ServerCredential(minted.privateKey(), minted.chain());
            }
            // DEC-5: the assertion about session #2, signed with the session-#1 key.
            ConnectionSecurityParameters params = new ConnectionSecurityParameters(ProtocolVersion.TLS12, s2.cipherSuite(), 0);
            List<byte[]> chainDer = Certificates.encode(s2.peerCertificates());
            byte[] session2Random = s2.serverRandom();
            // DEC-15: the upstream proxy's assertion as session #2 received it (its ServerHello's proxy_info), nested unchanged
            SignedProxyInfo upstreamAssertion = s2.proxied() && s2.peerProxyInfo != null
                    ? new ProxyInfoCodec(config.maxNestingDepth).decodeFromServerHello(s2.peerProxyInfo) : null;
            ProxyInfo next = upstreamAssertion != null ? upstreamAssertion : ProxyInfo.endOfChain(); // DEC-15 nest unchanged, DEC-4 end
            // 00-R4/01-R5 (MAY): the flag says the proxy really checked revocation of the whole chain (DEC-15).
            boolean revocationChecked = capture.validation != null && capture.validation.revocationCheckingPerformed()
                    && upstreamAssertion == null;
            List<Integer> offered = new ArrayList<>();
            for (int s : hello.peerSignatureSchemes == null ? new int[0] : hello.peerSignatureSchemes) {
                offered.add(s);
            }
            // DEC-5, DEC-15: what this proxy's own session #2 is, from sources other than the fields it is about to sign:
            // the ServerHello session #2 received (decoded from session #2's handshake transcript, the bytes its Finished
            // covers) and the chain session #2's check accepted (the configured verifier's; behind an upstream proxy, the
            // chain its ProxyInfo check accepted as hop 1's signer). The core is asked before the private-key operation.
            ServerHello received = receivedServerHello(s2);
            List<byte[]> acceptedChain = s2.proxied() ? upstreamCheck.acceptedProxyChain() : acceptedUpstreamChain;
            boolean ownParameters = sameParameters(params, received);
            boolean ownChain = sameChain(chainDer, acceptedChain);
            boolean ownServerRandom = received != null && java.util.Arrays.equals(session2Random, received.random);
            coreFact("DEC-5", "maySignAssertion", "own_parameters=" + ownParameters + ", own_chain=" + ownChain
                    + ", own_server_random=" + ownServerRandom);
            if (!core.maySignAssertion(ownParameters, ownChain, ownServerRandom)) {
                throw new TlsFatalAlert(AlertDescription.INTERNAL_ERROR, "DEC-5", "no assertion signed: the fields to sign are not"
                        + " this proxy's own validated session #2 (own_parameters=" + ownParameters + ", own_chain=" + ownChain
                        + ", own_server_random=" + ownServerRandom + "; DEC-5, DEC-15)");
            }
            SignedProxyInfo spi = new ProxyInfoSigner(config.crypto, config.signingMode).sign(config.credential.privateKey,
                    offered, s1.clientRandom, s1.serverRandom, params, chainDer, session2Random, revocationChecked, next);
            byte[] data = ProxyInfoExtension.encodeForServerHello(spi, otherExtensionsLength); // DEC-6 size check
            // DEC-5, DEC-15: the core releases the assertion only if the bytes about to be sent carry this proxy's own
            // session #2: decoded from those bytes, compared with the same independent sources as above.
            SignedProxyInfo sent = new ProxyInfoCodec(config.maxNestingDepth).decodeFromServerHello(data);
            boolean sentOwnParameters = sameParameters(sent.connectionParameters(), received);
            boolean sentOwnChain = sameChain(sent.serverCertificateList(), acceptedChain);
            boolean sentOwnServerRandom = received != null && java.util.Arrays.equals(sent.serverRandom(), received.random);
            coreFact("DEC-5", "onAssertionSigned", "own_parameters=" + sentOwnParameters + ", own_chain=" + sentOwnChain
                    + ", own_server_random=" + sentOwnServerRandom);
            decide(core.state(), core.onAssertionSigned(sentOwnParameters, sentOwnChain, sentOwnServerRandom), "assertion signed",
                    "the assertion does not describe this proxy's own session #2 (DEC-5, DEC-15)");
            check(config.downstreamLeg, "DEC-5", "assertion about session #2 signed (" + config.signingMode.configName()
                    + (config.signingMode.context() != null ? ", context '" + config.signingMode.context() + "', DEC-5a" : "") + ")",
                    true, params + ", " + s2.peerCertificates().get(0).getSubjectX500Principal().getName()
                            + (upstreamAssertion != null ? ", nesting the upstream proxy's assertion (DEC-15)" : "")
                            + ", revocation_checking_performed=" + revocationChecked);
            hello.extra.put(config.codePoint, data);
            return null;
        }

        /** DEC-5: session #2's ServerHello as received, decoded from its handshake transcript; null if none is there. */
        private ServerHello receivedServerHello(TlsConnection s2) throws TlsFatalAlert {
            byte[] t = s2.transcriptBytes();
            int i = 0;
            while (i + 4 <= t.length) {
                int length = ((t[i + 1] & 0xff) << 16) | ((t[i + 2] & 0xff) << 8) | (t[i + 3] & 0xff);
                if (i + 4 + length > t.length) {
                    return null;
                }
                if ((t[i] & 0xff) == HandshakeType.SERVER_HELLO) {
                    return ServerHello.decode(java.util.Arrays.copyOfRange(t, i + 4, i + 4 + length));
                }
                i += 4 + length;
            }
            return null;
        }

        /** DEC-5: connection_parameters that are session #2's ServerHello's version, suite and compression. */
        private boolean sameParameters(ConnectionSecurityParameters p, ServerHello received) {
            return received != null && p.tlsVersion() == received.serverVersion && p.cipherSuite() == received.cipherSuite
                    && p.compressionMethod() == received.compressionMethod;
        }

        /** DEC-5, DEC-15: the same non-empty chain, certificate for certificate. */
        private boolean sameChain(List<byte[]> a, List<byte[]> b) {
            boolean same = a != null && b != null && !a.isEmpty() && a.size() == b.size();
            for (int i = 0; same && i < a.size(); i++) {
                same = java.util.Arrays.equals(a.get(i), b.get(i));
            }
            return same;
        }

        /**
         * The facts a core call is given, in the trace ("core fact: ProxyHandshake.call given a=b, ..."), so that an
         * independent recomputation from the trace's raw bytes can compare them (issue 10).
         */
        void coreFact(String requirement, String call, String facts) {
            check(config.downstreamLeg, requirement, "core fact: ProxyHandshake." + call + " given " + facts, true, null);
        }

        @Override
        public SessionCache.Session resumeSession1(TlsConnection s1) {
            return held != null ? null : coupling.session1ToResume();
        }

        @Override
        public void beforeServerHelloQueued(TlsConnection s1) throws TlsFatalAlert {
            // DEC-14: asked before anything of session #1's flight is queued; a refusal sends only the alert
            decide(core.state(), core.onServerHelloQueued(), "server_hello",
                    "ServerHello before session #2 was finished and validated (DEC-14)");
        }

        @Override
        public int fatalAlertToSend(int alert, String requirement) {
            int before = core.state();
            int toSend = core.fatalAlertToSend(alert, requirement);
            transition(before, "fatal alert " + org.proxyinfo.core.AlertDescription.name(core.alert()));
            return toSend;
        }
    }

    /**
     * DEC-15, DEC-21: the alert when the client sent no server_name and no --upstream is configured, so there is no
     * upstream to connect to (handshake_failure: this client cannot be served by this proxy; the same alert the core
     * gives a session #2 that was refused).
     */
    static final int NO_UPSTREAM_ALERT = AlertDescription.HANDSHAKE_FAILURE;

    /**
     * DEC-23: the hand-over between session #1 (this connection's thread) and the held session #2 (its own thread):
     * session #2 announces it reached the point of its SupplementalData ({@link #heldAt}) and waits there for what
     * session #1's 01-R15 decision forwards ({@link #forward}), or for the alert that ends it too.
     */
    private final class Held implements SupplementalDataSource {
        final ClientCertModeEntry entry;
        final ClientCertModeProxy mode;
        final java.util.concurrent.CompletableFuture<TlsConnection> heldAt = new java.util.concurrent.CompletableFuture<>();
        final java.util.concurrent.CompletableFuture<byte[]> forward = new java.util.concurrent.CompletableFuture<>();
        final java.util.concurrent.CompletableFuture<TlsConnection> done = new java.util.concurrent.CompletableFuture<>();
        Thread thread;

        Held(ClientCertModeEntry entry, ClientCertModeProxy mode) {
            this.entry = entry;
            this.mode = mode;
        }

        @Override
        public byte[] supplementalData(byte[] serverRandom) throws TlsFatalAlert {
            throw new TlsFatalAlert(AlertDescription.INTERNAL_ERROR, "DEC-23", "a held session #2 is asked with its connection");
        }

        @Override
        public byte[] supplementalData(TlsConnection session2, byte[] serverRandom) throws TlsFatalAlert {
            heldAt.complete(session2);
            try {
                return forward.get(config.handshakeTimeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof TlsFatalAlert a) {
                    // 01-R15: the same alert ends session #2
                    throw new TlsFatalAlert(a.alert(), "01-R15", "session #1's client authentication failed: " + a.getMessage());
                }
                throw new TlsFatalAlert(AlertDescription.INTERNAL_ERROR, "01-R15", "session #1 ended: " + e.getCause());
            } catch (java.util.concurrent.TimeoutException e) {
                throw new TlsFatalAlert(AlertDescription.INTERNAL_ERROR, "01-R15",
                        "the client did not authenticate on session #1 within the handshake timeout");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TlsFatalAlert(AlertDescription.INTERNAL_ERROR, "01-R15", "interrupted");
            }
        }

        /** Session #2 ends with session #1 when it did not get its forward; waits for its thread. */
        void release() {
            forward.completeExceptionally(new TlsFatalAlert(AlertDescription.HANDSHAKE_FAILURE, "01-R15",
                    "session #1 ended before the client authenticated"));
            try {
                if (thread != null) {
                    thread.join(Math.min(2_000L, config.handshakeTimeoutMillis)); // time to send its alert
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void join() {
            try {
                if (thread != null) {
                    thread.join(config.handshakeTimeoutMillis);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Where the upstream validator leaves its result (DEC-15 revocation_checking_performed). */
    private static final class ProxyCapture {
        volatile ValidationResult validation;
    }

    /** For logs: the subject of a chain's end entity. */
    static String subject(List<X509Certificate> chain) {
        return chain.isEmpty() ? "(none)" : chain.get(0).getSubjectX500Principal().getName();
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
