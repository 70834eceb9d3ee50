package org.proxyinfo.role;

import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.proxyinfo.core.AbbreviatedHandshake;
import org.proxyinfo.core.Resumption;
import org.proxyinfo.core.ServerHandshake;
import org.proxyinfo.crypto.TlsCrypto;
import org.proxyinfo.ext.HelloContext;
import org.proxyinfo.record.RecordCipher;
import org.proxyinfo.wire.CipherSuite;
import org.proxyinfo.wire.ClientHello;
import org.proxyinfo.wire.Extension;
import org.proxyinfo.wire.ExtensionType;
import org.proxyinfo.wire.Finished;
import org.proxyinfo.wire.HandshakeType;
import org.proxyinfo.wire.Hex;
import org.proxyinfo.wire.ProtocolVersion;
import org.proxyinfo.wire.ServerHello;
import org.proxyinfo.wire.TlsFatalAlert;
import org.proxyinfo.wire.TlsWriter;

/**
 * DEC-22: the shell of session resumption by session ID (RFC 5246 section 7.3 Figure 2, section
 * 7.4.1.2) for the client and the server role: cache look-ups, the facts the {@link Resumption}
 * decisions are asked on, the hand-over from the full-handshake core to the
 * {@link AbbreviatedHandshake} core, and the abbreviated flights (ChangeCipherSpec and Finished
 * with the cached master secret and this connection's randoms, RFC 5246 section 6.3).
 */
final class Abbreviated {
    private Abbreviated() { }

    // ---- client ---------------------------------------------------------------------------------

    /** The client's cache key for this connection: the intended host and the peer it connects to (DEC-22). */
    static String clientKey(TlsConnection c) {
        return SessionCache.clientKey(c.serverName, c.transport.describe());
    }

    /**
     * The session the client offers in its ClientHello, or null: an unexpired cached session for this
     * host and peer whose cipher suite the client still offers (DEC-22, RFC5246-7.4.1.2).
     */
    static SessionCache.Session clientOffer(TlsConnection c, TlsConfig config) {
        if (config.offerDecided) {
            return config.decidedOffer; // a proxy's session #2: its coupling decided what to offer (01-R1)
        }
        if (config.sessions == null || c.serverName == null) {
            return null;
        }
        SessionCache.Session s = config.sessions.get(clientKey(c), config.clock);
        if (s == null || !HelloContext.contains(config.cipherSuites, s.cipherSuite)) {
            return null;
        }
        return s;
    }

    /**
     * The ServerHello echoed the offered session_id: the server resumes. The full-handshake core hands
     * over to the abbreviated core, which checks the ServerHello against the cached session.
     */
    static AbbreviatedHandshake clientHandOver(TlsConnection c, SessionCache.Session cached) {
        AbbreviatedHandshake core = new AbbreviatedHandshake(true, cached.proxied);
        int before = c.clientCore.state();
        c.resumedCore = core;
        c.clientCore = null;
        c.trace.transition(c.role, c.leg, org.proxyinfo.core.Transitions.stateName(c.coreRole, before),
                AbbreviatedHandshake.stateName(core.state()), "server_hello resumes session " + cached.idHex());
        c.resumedFrom = cached.idHex();
        c.sessionId = cached.id.clone();
        c.session = cached;
        return core;
    }

    static void clientServerHello(TlsConnection c, AbbreviatedHandshake core, SessionCache.Session cached, ServerHello sh,
                                  boolean solicited, boolean renegOk, boolean ems, boolean proxyInfoPresent) throws TlsFatalAlert {
        boolean versionOk = sh.serverVersion == ProtocolVersion.TLS12;
        boolean suiteSame = sh.cipherSuite == cached.cipherSuite;
        boolean compressionSame = sh.compressionMethod == 0;
        c.check("RFC5246-7.4.1.3", "resumed session keeps its cipher_suite", suiteSame,
                CipherSuite.name(sh.cipherSuite) + " (cached " + CipherSuite.name(cached.cipherSuite) + ")");
        c.check("RFC7627-5.3", "resumed session keeps its extended_master_secret state", cached.extendedMasterSecret == ems,
                "original " + cached.extendedMasterSecret + ", now " + ems);
        c.check("DEC-22", "ProxyInfo present exactly when the cached session was proxied", cached.proxied == proxyInfoPresent,
                "cached " + (cached.proxied ? "proxied" : "direct") + ", ServerHello " + (proxyInfoPresent ? "with" : "without")
                        + " proxy_info");
        int before = core.state();
        int alert = core.onServerHello(versionOk, suiteSame, compressionSame, solicited, renegOk, cached.extendedMasterSecret,
                ems, proxyInfoPresent);
        decide(c, core, before, alert, "server_hello (resumption)", "the resuming ServerHello does not fit the cached session "
                + cached.idHex() + " (suite " + CipherSuite.name(sh.cipherSuite) + ", EMS " + ems + ", proxy_info "
                + proxyInfoPresent + ")");
        c.record.setNegotiatedVersion(ProtocolVersion.TLS12);
        c.cipherSuite = cached.cipherSuite;
        c.serverRandom = sh.random;
        c.extendedMasterSecret = cached.extendedMasterSecret;
        c.trace.secret(c.role, c.leg, "server_random", sh.random);
        c.peerChain = Certificates.parse(cached.chain);
        c.verification = "resumed session " + cached.idHex() + ": its " + (cached.proxied ? "proxy" : "server")
                + " chain was validated when the session was made (" + (cached.proxied ? "DEC-9" : "DEC-10") + ")";
    }

    /**
     * Client, cached session proxied (DEC-22): the fresh ProxyInfo of this ServerHello, re-checked against the
     * cached session (no Certificate comes on an abbreviated handshake); the abbreviated core decides. Returns the
     * Commit's upstream list.
     */
    static List<Map<String, Object>> clientProxyInfo(TlsConnection c, TlsConfig config, AbbreviatedHandshake core,
                                                     SessionCache.Session cached, byte[] fresh) throws TlsFatalAlert {
        ProxyInfoCheck.Recheck r = config.proxyInfoCheck == null ? null
                : config.proxyInfoCheck.recheck(fresh, cached.proxyInfo, cached.chain, c.clientRandom, c.serverRandom);
        boolean sig = r != null && r.signatureOk();
        boolean same = r != null && r.chainUnchanged();
        boolean params = r != null && r.parametersOk();
        String detail = r != null ? r.detail() : "this client's proxy_info check cannot re-verify a resumed session";
        c.check("DEC-22", "fresh ProxyInfo verifies with the cached proxy key", sig, detail);
        c.check("DEC-22", "reported server chain is the cached one", same, null);
        c.check("DEC-11", "upstream parameters meet the policy", params, null);
        int before = core.state();
        decide(c, core, before, core.onProxyInfoChecked(sig, same, params), "proxy_info check (resumption)",
                "the resumed proxied session's ProxyInfo is refused: " + detail);
        c.proxyInfoSummary = "resumed proxied session " + cached.idHex() + ": " + detail;
        c.peerProxyInfo = fresh;
        return r.upstream();
    }

    /** Client, after the ServerHello (and ProxyInfo) checks: the server's CCS and Finished, then ours (RFC 5246 Figure 2). */
    static void clientFinish(TlsConnection c, TlsConfig config, AbbreviatedHandshake core, SessionCache.Session cached,
                             List<Map<String, Object>> upstream) throws IOException, TlsFatalAlert, PeerAlertException {
        TlsCrypto crypto = config.crypto;
        byte[] master = cached.masterSecret;
        c.trace.secret(c.role, c.leg, "master_secret", master);
        byte[][] kb = KeyMaterial.keyBlock(crypto, c.cipherSuite, master, c.clientRandom, c.serverRandom);
        expect(c, core);
        int before = core.state();
        decide(c, core, before, core.onChangeCipherSpec(), "change_cipher_spec", "ChangeCipherSpec out of order");
        c.record.setReadCipher(new RecordCipher(crypto, kb[1], kb[3]));
        TlsConnection.Incoming in = expect(c, core);
        Finished fin = Finished.decode(in.framed.message.body);
        c.traceReceived(in.framed, fin.fields());
        byte[] expected = KeyMaterial.verifyData(crypto, c.cipherSuite, master, false, c.transcriptHash());
        boolean ok = MessageDigest.isEqual(expected, fin.verifyData);
        c.addToTranscript(in.framed);
        c.check("RFC5246-7.4.9", "server Finished verify_data (resumed session " + cached.idHex() + ")", ok, Hex.of(fin.verifyData));
        before = core.state();
        decide(c, core, before, core.onPeerFinished(ok), "finished", "server Finished does not verify with the cached session");
        if (!core.maySendFinished()) {
            throw new TlsFatalAlert(org.proxyinfo.core.AlertDescription.INTERNAL_ERROR, "DEC-22", "Finished not releasable");
        }
        c.sendChangeCipherSpec();
        c.record.setWriteCipher(new RecordCipher(crypto, kb[0], kb[2]));
        byte[] vd = KeyMaterial.verifyData(crypto, c.cipherSuite, master, true, c.transcriptHash());
        Finished mine = new Finished(vd);
        c.sendHandshake(HandshakeType.FINISHED, mine.encode(), mine.fields());
        c.flush();
        before = core.state();
        decide(c, core, before, core.onFinishedSent(), "finished sent", "Finished sent out of order");
        if (core.isEstablished()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("server_name", c.serverName);
            p.put("client_random", Hex.of(c.clientRandom));
            p.put("server_random", Hex.of(c.serverRandom));
            p.put("version", "TLSv1.2");
            p.put("cipher_suite", CipherSuite.name(c.cipherSuite));
            p.put("server_cert_sha256", Certificates.sha256(crypto, c.peerChain.get(0)));
            if (upstream != null) {
                p.put("upstream", upstream);
            }
            p.put("resumed", true);
            p.put("session_id", cached.idHex());
            c.trace.claim(c.role, c.leg, "Commit", p);
            c.markEstablished();
        }
    }

    /** Client, after a full handshake: cache the session if the server gave it an ID (DEC-22). */
    static void clientStore(TlsConnection c, TlsConfig config, byte[] sessionId, byte[] master, boolean proxied,
                            byte[] proxyInfo, List<byte[]> chain) {
        if (config.sessions == null || sessionId == null || sessionId.length == 0 || c.serverName == null) {
            return;
        }
        c.session = new SessionCache.Session(sessionId, master, c.cipherSuite, c.extendedMasterSecret,
                c.serverName, config.clock.instant(), chain, proxied, proxyInfo, null, null);
        config.sessions.put(clientKey(c), c.session);
        c.check("DEC-22", "session " + Hex.of(sessionId) + " cached for " + c.serverName + " and this peer", true,
                proxied ? "proxied: the proxy key and the reported server chain are kept with it" : null);
    }

    // ---- server ---------------------------------------------------------------------------------

    /** A fresh session_id for a full handshake (RFC5246-7.4.1.3), or empty when this role keeps no cache. */
    static byte[] newSessionId(TlsConfig config) {
        return config.sessions == null ? new byte[0] : config.crypto.random(32);
    }

    /**
     * The facts of the server's decision on the ClientHello's session_id, from its cache and this
     * ClientHello; null when the hello offers no session_id or the role keeps no cache.
     */
    static final class ServerFacts {
        SessionCache.Session cached;
        boolean unexpired;
        boolean sameHost;
        boolean suiteOffered;
        boolean emsOffered;

        int decision() {
            return Resumption.serverDecision(cached != null, unexpired, sameHost, suiteOffered,
                    cached != null && cached.extendedMasterSecret, emsOffered);
        }

        int alert() {
            return Resumption.serverAlert(cached != null, unexpired, sameHost, suiteOffered,
                    cached != null && cached.extendedMasterSecret, emsOffered);
        }

        String describe() {
            if (cached == null) {
                return "unknown session_id";
            }
            List<String> why = new ArrayList<>();
            if (!unexpired) {
                why.add("lifetime over");
            }
            if (!sameHost) {
                why.add("other server_name");
            }
            if (!suiteOffered) {
                why.add("its cipher suite not offered");
            }
            if (!cached.extendedMasterSecret) {
                why.add("original session without extended_master_secret");
            }
            if (!emsOffered) {
                why.add("ClientHello without extended_master_secret");
            }
            return why.isEmpty() ? "resumable" : String.join(", ", why);
        }
    }

    static ServerFacts serverFacts(TlsConfig config, ClientHello ch, HelloContext hello) {
        if (config.sessions == null || ch.sessionId.length == 0) {
            return null;
        }
        ServerFacts f = new ServerFacts();
        f.cached = config.sessions.peek(SessionCache.serverKey(ch.sessionId));
        if (f.cached != null) {
            f.unexpired = config.sessions.unexpired(f.cached, config.clock);
            f.sameHost = java.util.Objects.equals(f.cached.serverName, hello.peerServerName);
            f.suiteOffered = ch.offersSuite(f.cached.cipherSuite) && HelloContext.contains(config.cipherSuites, f.cached.cipherSuite);
        }
        f.emsOffered = hello.peerExtendedMasterSecret && config.offerExtendedMasterSecret;
        return f;
    }

    /**
     * Server: asks the decision on the offered session_id (the role asks before it acts). FULL: returns
     * false, the full handshake goes on (with a fresh session_id). RESUME, or an EMS downgrade that must
     * abort (RFC7627-5.3): hands over to the abbreviated core and runs the abbreviated handshake;
     * returns true.
     */
    static boolean server(TlsConnection c, TlsConfig config, ClientHello ch, HelloContext hello)
            throws IOException, TlsFatalAlert, PeerAlertException {
        ServerFacts f = serverFacts(config, ch, hello);
        if (f == null) {
            return false;
        }
        int decision = f.decision();
        int alert = f.alert();
        c.check("DEC-22", "session_id " + Hex.of(ch.sessionId) + " offered: "
                + (decision == Resumption.RESUME ? "resumed" : alert != Resumption.NO_ALERT ? "abort" : "full handshake"),
                true, f.describe());
        if (decision != Resumption.RESUME && alert == Resumption.NO_ALERT) {
            return false;
        }
        SessionCache.Session cached = f.cached;
        ServerHandshake full = c.serverCore;
        AbbreviatedHandshake core = handOverServer(c, f, full);
        serverFinish(c, config, core, cached, () -> serverHelloExtensions(config, hello, full), null);
        return true;
    }

    /**
     * A proxy's session #1 (DEC-22, 01-R2): the proxy's coupling decided to resume {@code cached}; the abbreviated
     * core asks the server decision again on this ClientHello, then the ServerHello carries the proxy's fresh signed
     * ProxyInfo about session #2 (signed by the hook once this session's randoms are known) and the core of the
     * proxy is asked before it is queued (DEC-14).
     */
    static void proxyServer(TlsConnection c, TlsConfig config, ClientHello ch, HelloContext hello, DownstreamHook hook)
            throws IOException, TlsFatalAlert, PeerAlertException {
        ServerFacts f = serverFacts(config, ch, hello);
        ServerHandshake full = c.serverCore;
        AbbreviatedHandshake core = handOverServer(c, f, full);
        serverFinish(c, config, core, f.cached, () -> {
            int other = 0;
            for (Extension x : config.extensions.produceServerHello(hello)) {
                other += 4 + x.data.length;
            }
            hook.beforeServerHello(c, hello, null, other); // DEC-22: a fresh signed ProxyInfo on every ServerHello
            return serverHelloExtensions(config, hello, full);
        }, () -> hook.beforeServerHelloQueued(c));
    }

    /** The ServerHello's extensions as the full-handshake core allows them (DEC-19), without server_name (RFC6066-3). */
    private static List<Extension> serverHelloExtensions(TlsConfig config, HelloContext hello, ServerHandshake full) {
        List<Extension> ext = new ArrayList<>();
        hello.offerExtendedMasterSecret = config.offerExtendedMasterSecret;
        for (Extension x : config.extensions.produceServerHello(hello)) {
            boolean offered = hello.clientHelloTypes.contains(x.type)
                    || (x.type == ExtensionType.RENEGOTIATION_INFO && hello.peerRenegotiationInfo);
            if (x.type != ExtensionType.SERVER_NAME && full.mayAnswerExtension(x.type, offered, config.extensions.entry(x.type) != null)) {
                ext.add(x);
            }
        }
        return ext;
    }

    private static AbbreviatedHandshake handOverServer(TlsConnection c, ServerFacts f, ServerHandshake full) throws TlsFatalAlert {
        SessionCache.Session cached = f.cached;
        AbbreviatedHandshake core = new AbbreviatedHandshake(false, false);
        int before = full.state();
        c.resumedCore = core;
        c.serverCore = null;
        c.trace.transition(c.role, c.leg, org.proxyinfo.core.Transitions.stateName(c.coreRole, before),
                AbbreviatedHandshake.stateName(core.state()), "client_hello offers cached session "
                        + (cached == null ? "(unknown)" : cached.idHex()));
        before = core.state();
        decide(c, core, before, core.onResumeDecided(cached != null, f.unexpired, f.sameHost, f.suiteOffered,
                cached != null && cached.extendedMasterSecret, f.emsOffered), "resumption decided",
                "session_id cannot be resumed: " + f.describe()
                + " (RFC 7627 section 5.3: an extended_master_secret session is not resumed without it)");
        return core;
    }

    /**
     * Server (and a proxy's session #1): the resuming ServerHello with the cached session's ID and suite, its
     * ChangeCipherSpec and Finished, then the client's (RFC 5246 Figure 2). {@code beforeQueued} runs right
     * before the ServerHello is queued (the proxy's core is asked there).
     */
    static void serverFinish(TlsConnection c, TlsConfig config, AbbreviatedHandshake core, SessionCache.Session cached,
                             Extensions extensions, Step beforeQueued) throws IOException, TlsFatalAlert, PeerAlertException {
        TlsCrypto crypto = config.crypto;
        long now = config.clock.instant().getEpochSecond();
        byte[] random = new TlsWriter().u16((int) (now >>> 16) & 0xffff).u16((int) now & 0xffff)
                .bytes(crypto.random(28)).toByteArray();
        c.serverRandom = random;
        c.trace.secret(c.role, c.leg, "server_random", random);
        c.cipherSuite = cached.cipherSuite;
        c.extendedMasterSecret = cached.extendedMasterSecret;
        c.localChain = Certificates.parse(cached.chain);
        c.sessionId = cached.id.clone();
        c.resumedFrom = cached.idHex();
        c.session = cached;
        if (!core.maySendFinished()) {
            throw new TlsFatalAlert(org.proxyinfo.core.AlertDescription.INTERNAL_ERROR, "DEC-22", "resumption not decided");
        }
        List<Extension> ext = extensions.get();
        ServerHello sh = new ServerHello(ProtocolVersion.TLS12, random, cached.id, cached.cipherSuite, 0, ext);
        if (beforeQueued != null) {
            beforeQueued.run();
        }
        c.sendHandshake(HandshakeType.SERVER_HELLO, sh.encode(), sh.fields());
        c.record.setNegotiatedVersion(ProtocolVersion.TLS12);
        byte[] master = cached.masterSecret;
        c.trace.secret(c.role, c.leg, "master_secret", master);
        byte[][] kb = KeyMaterial.keyBlock(crypto, c.cipherSuite, master, c.clientRandom, c.serverRandom);
        c.sendChangeCipherSpec();
        c.record.setWriteCipher(new RecordCipher(crypto, kb[1], kb[3]));
        byte[] vd = KeyMaterial.verifyData(crypto, c.cipherSuite, master, false, c.transcriptHash());
        Finished mine = new Finished(vd);
        c.sendHandshake(HandshakeType.FINISHED, mine.encode(), mine.fields());
        c.flush();
        int before = core.state();
        decide(c, core, before, core.onFinishedSent(), "finished sent", "Finished sent out of order");
        expect(c, core);
        before = core.state();
        decide(c, core, before, core.onChangeCipherSpec(), "change_cipher_spec", "ChangeCipherSpec out of order");
        c.record.setReadCipher(new RecordCipher(crypto, kb[0], kb[2]));
        TlsConnection.Incoming in = expect(c, core);
        Finished fin = Finished.decode(in.framed.message.body);
        c.traceReceived(in.framed, fin.fields());
        byte[] expected = KeyMaterial.verifyData(crypto, c.cipherSuite, master, true, c.transcriptHash());
        boolean ok = MessageDigest.isEqual(expected, fin.verifyData);
        c.addToTranscript(in.framed);
        c.check("RFC5246-7.4.9", "client Finished verify_data (resumed session " + cached.idHex() + ")", ok, Hex.of(fin.verifyData));
        before = core.state();
        decide(c, core, before, core.onPeerFinished(ok), "finished", "client Finished does not verify with the cached session");
        if (core.isEstablished()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("client_random", Hex.of(c.clientRandom));
            p.put("server_random", Hex.of(c.serverRandom));
            p.put("version", "TLSv1.2");
            p.put("cipher_suite", CipherSuite.name(c.cipherSuite));
            p.put("server_cert_sha256", Certificates.sha256(crypto, c.localChain.get(0)));
            p.put("peer", c.serverName == null ? "anonymous client" : "anonymous client (asked for " + c.serverName + ")");
            p.put("resumed", true);
            p.put("session_id", cached.idHex());
            c.trace.claim(c.role, c.leg, "Running", p);
            c.markEstablished();
        }
    }

    /** Server, after a full handshake: cache the session under the ID its ServerHello gave (DEC-22). */
    static SessionCache.Session serverStore(TlsConnection c, TlsConfig config, byte[] master) {
        if (config.sessions == null || c.sessionId == null || c.sessionId.length == 0) {
            return null;
        }
        SessionCache.Session s = new SessionCache.Session(c.sessionId, master, c.cipherSuite, c.extendedMasterSecret,
                c.serverName, config.clock.instant(), Certificates.encode(c.localChain), false, null, null, null);
        config.sessions.put(SessionCache.serverKey(c.sessionId), s);
        c.session = s;
        return s;
    }

    /** A shell step that may refuse with a fatal alert (the proxy's core asked before the ServerHello is queued). */
    interface Step {
        void run() throws TlsFatalAlert;
    }

    /** The ServerHello's extensions, made once this session's randoms are known. */
    interface Extensions {
        List<Extension> get() throws TlsFatalAlert;
    }

    // ---- both -----------------------------------------------------------------------------------

    static TlsConnection.Incoming expect(TlsConnection c, AbbreviatedHandshake core)
            throws IOException, TlsFatalAlert, PeerAlertException {
        TlsConnection.Incoming in = c.receive();
        int before = core.state();
        int alert = core.onMessage(in.type);
        decide(c, core, before, alert, org.proxyinfo.core.Transitions.messageName(in.type),
                "received " + org.proxyinfo.core.Transitions.messageName(in.type) + " while waiting for "
                        + org.proxyinfo.core.Transitions.messageName(AbbreviatedHandshake.expected(before)));
        return in;
    }

    static void decide(TlsConnection c, AbbreviatedHandshake core, int before, int alert, String trigger, String message)
            throws TlsFatalAlert {
        c.transition(before, core.state(), trigger);
        TlsConnection.require(alert, core.failedRequirement(), message);
    }
}
