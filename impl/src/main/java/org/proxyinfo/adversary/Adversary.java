package org.proxyinfo.adversary;

import java.util.ArrayList;
import java.util.List;

import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.core.ProxyInfoDecision;
import org.proxyinfo.proxyinfo.ConnectionSecurityParameters;
import org.proxyinfo.proxyinfo.DigitallySigned;
import org.proxyinfo.proxyinfo.ProxyInfoCodec;
import org.proxyinfo.proxyinfo.ProxyInfoSigner;
import org.proxyinfo.proxyinfo.ProxyInfoExtension;
import org.proxyinfo.proxyinfo.SignedProxyInfo;
import org.proxyinfo.role.HandshakeTap;
import org.proxyinfo.role.ProxyConfig;
import org.proxyinfo.role.ProxyInfoCheck;
import org.proxyinfo.trace.TraceSink;
import org.proxyinfo.wire.CipherSuite;
import org.proxyinfo.wire.Extension;
import org.proxyinfo.wire.HandshakeType;
import org.proxyinfo.wire.Hex;
import org.proxyinfo.wire.ServerHello;
import org.proxyinfo.wire.TlsFatalAlert;

/**
 * The demo's adversary: it stages an {@link Attack} around a real, honest {@code TlsProxy}. The
 * proxy's cores decide on facts computed from its own connections; the adversary acts outside
 * them: on the proxy's host (the handshake bytes after the proxy decided, with the proxy's key),
 * in the trust the proxy's operator gives it, or in its configuration. Every change it makes is a
 * {@code check} event of role {@code attacker} ({@link TraceSink#adversary}), named "ADVERSARY: ...", with
 * passed=false, where it happened among the proxy's events.
 */
public final class Adversary {
    private final TraceSink trace;
    private final String role;
    private final String leg;
    private final int codePoint;
    private volatile byte[] firstAssertion;

    /**
     * @param trace     where the adversary's actions are recorded (the attacked proxy's trace)
     * @param role      the attacked proxy's role name ("proxy", "proxy-A", ...)
     * @param leg       its session-#1 leg
     * @param codePoint the proxy_info code point the client uses (DEC-2)
     */
    public Adversary(TraceSink trace, String role, String leg, int codePoint) {
        this.trace = trace == null ? TraceSink.NONE : trace;
        this.role = role;
        this.leg = leg;
        this.codePoint = codePoint;
    }

    /** Stages the attacks on the proxy this configuration is for (one adversary per proxy). */
    public void stage(ProxyConfig config, List<Attack> attacks) {
        List<HandshakeTap> taps = new ArrayList<>();
        for (Attack a : attacks) {
            switch (a) {
                case SKIP_UPSTREAM_VALIDATION:
                    config.upstreamVerifier((chain, der, host) -> {
                        did("DEC-15", "upstream certificate for '" + host + "' not validated (the operator made the proxy "
                                + "trust anything)", chain.isEmpty() ? "(none)" : chain.get(0).getSubjectX500Principal().getName());
                        return "ADVERSARY: not validated";
                    });
                    config.upstreamProxyInfoCheck(new TrustAnything());
                    break;
                case FORGE_SIGNATURE:
                    taps.add(assertionTap((spi, cr, sr) -> {
                        byte[] sig = spi.signature().signature().clone();
                        sig[sig.length / 2] ^= 0x5a;
                        did("DEC-5", "assertion signature corrupted on the proxy's host, after the proxy signed", null);
                        return new SignedProxyInfo(spi.connectionParameters(), spi.serverCertificateList(), spi.serverRandom(),
                                spi.revocationCheckingPerformed(), spi.nextProxyInfo(),
                                new DigitallySigned(spi.signature().signatureScheme(), sig));
                    }));
                    break;
                case ALTER_ASSERTION_AFTER_SIGNING:
                    taps.add(assertionTap((spi, cr, sr) -> {
                        ConnectionSecurityParameters p = spi.connectionParameters();
                        int other = p.cipherSuite() == CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384
                                ? CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 : CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384;
                        did("DEC-5", "assertion reports upstream suite " + CipherSuite.name(other) + " instead of the negotiated "
                                + CipherSuite.name(p.cipherSuite()) + " (changed after the proxy signed)", null);
                        return new SignedProxyInfo(new ConnectionSecurityParameters(p.tlsVersion(), other, p.compressionMethod()),
                                spi.serverCertificateList(), spi.serverRandom(), spi.revocationCheckingPerformed(),
                                spi.nextProxyInfo(), spi.signature());
                    }));
                    break;
                case REPLAY_FIRST_ASSERTION:
                    taps.add((type, body, cr, sr) -> replay(type, body));
                    break;
                case MINT_FOR_EVERYONE:
                    int other = codePoint == 0xFFA6 ? 0xFFA7 : 0xFFA6;
                    config.codePoint(other);
                    taps.add((type, body, cr, sr) -> {
                        if (type == HandshakeType.SERVER_HELLO) {
                            did("01-R11", "the proxy was configured with proxy_info code point " + other + " instead of "
                                    + codePoint + ": it does not see the client's proxy_info and mints a certificate", null);
                        }
                        return body;
                    });
                    break;
                case KEEP_OWN_CLIENT_RANDOM:
                    config.forwardClientRandom(false);
                    taps.add((type, body, cr, sr) -> {
                        if (type == HandshakeType.SERVER_HELLO) {
                            did("DEC-12", "the proxy was configured to open session #2 with a fresh client_random instead of the"
                                    + " client's (the DEC-5/DEC-12 reconciliation not followed): a hop behind it cannot be verified", null);
                        }
                        return body;
                    });
                    break;
                case STRIP_PROXY_INFO_ON_RESUMPTION:
                    taps.add((type, body, cr, sr) -> onResumingServerHello(type, body, sh -> {
                        did("DEC-22", "proxy_info removed from the ServerHello that resumes session " + Hex.of(sh.sessionId), null);
                        List<Extension> ext = new ArrayList<>();
                        for (Extension e : sh.extensions) {
                            if (e.type != codePoint) {
                                ext.add(e);
                            }
                        }
                        return new ServerHello(sh.serverVersion, sh.random, sh.sessionId, sh.cipherSuite, sh.compressionMethod, ext)
                                .encode();
                    }));
                    break;
                case CHANGE_CHAIN_ON_RESUMPTION:
                    taps.add((type, body, cr, sr) -> onResumingServerHello(type, body, sh -> {
                        Extension x = Extension.find(sh.extensions, codePoint);
                        if (x == null) {
                            return sh.encode();
                        }
                        try {
                            SignedProxyInfo spi = new ProxyInfoCodec().decodeFromServerHello(x.data);
                            List<byte[]> chain = spi.serverCertificateList();
                            List<byte[]> changed = List.of(chain.get(chain.size() - 1)); // another chain: not the one cached
                            SignedProxyInfo lie = new ProxyInfoSigner(config.crypto(), config.signingMode()).sign(
                                    config.credential().privateKey, List.of(spi.signature().signatureScheme()), cr, sr,
                                    spi.connectionParameters(), changed, spi.serverRandom(), spi.revocationCheckingPerformed(),
                                    spi.nextProxyInfo());
                            did("DEC-22", "on resumption of session " + Hex.of(sh.sessionId) + " the proxy reports another server"
                                    + " chain (" + changed.size() + " certificate(s) instead of " + chain.size() + "), signed with its"
                                    + " own key", null);
                            return withProxyInfo(sh, lie);
                        } catch (TlsFatalAlert e) {
                            return sh.encode();
                        }
                    }));
                    break;
                case RESUME_OVER_FULL_SESSION2:
                    break; // staged in front of the proxy, not in its configuration: ResumeOverFullSession2
                case DEC23_FORWARD_WITHOUT_CLIENT_SIGNATURE:
                case DEC23_REPLAY_PROXY_CERT_VERIFY:
                    dec23(config, a, taps); // DEVIATION (DEC-23): session #2's SupplementalData on the proxy's host
                    break;
                default:
                    throw new IllegalArgumentException("unknown attack " + a);
            }
        }
        if (!taps.isEmpty()) {
            config.session1Tap((type, body, cr, sr) -> {
                byte[] b = body;
                for (HandshakeTap t : taps) {
                    b = t.outgoing(type, b, cr, sr);
                }
                return b;
            });
        }
    }

    /** DEVIATION (DEC-23): a ClientCertAdversary on this proxy's host: it reads session #1's nonce and changes session #2. */
    private void dec23(ProxyConfig config, Attack a, List<HandshakeTap> session1Taps) {
        ClientCertAdversary.OnProxyHost host = new ClientCertAdversary.OnProxyHost(trace, role, config.upstreamLegName());
        session1Taps.add(host.session1Observer());
        if (a == Attack.DEC23_REPLAY_PROXY_CERT_VERIFY) {
            config.session2Tap(host.replayFirst());
            return;
        }
        org.proxyinfo.role.ServerCredential own = config.credential();
        int scheme = own.isEc() ? org.proxyinfo.crypto.BcTlsCrypto.SCHEME_ECDSA_SECP256R1_SHA256
                : org.proxyinfo.crypto.BcTlsCrypto.SCHEME_RSA_PSS_RSAE_SHA256;
        byte[] der;
        try {
            der = own.chain.get(0).getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException("the proxy's own certificate cannot be encoded", e);
        }
        config.session2Tap(host.forwardWithoutClientSignature(config.crypto(), own.privateKey, scheme, der));
    }

    /** Session IDs this proxy's ServerHellos gave: a ServerHello with one of them resumes (DEC-22). */
    private final java.util.Set<String> seenSessionIds = java.util.concurrent.ConcurrentHashMap.newKeySet();

    interface ServerHelloChange {
        byte[] change(ServerHello sh);
    }

    /** Changes only a ServerHello that resumes a session this proxy gave earlier (its session_id was seen). */
    private byte[] onResumingServerHello(int type, byte[] body, ServerHelloChange change) {
        if (type != HandshakeType.SERVER_HELLO) {
            return body;
        }
        try {
            ServerHello sh = ServerHello.decode(body);
            if (sh.sessionId.length == 0 || seenSessionIds.add(Hex.of(sh.sessionId))) {
                return body; // a full handshake (a new session_id): left alone
            }
            return change.change(sh);
        } catch (TlsFatalAlert e) {
            return body;
        }
    }

    private void did(String requirement, String what, String detail) {
        trace.adversary(role, leg, requirement, what, detail);
    }

    interface AssertionChange {
        SignedProxyInfo change(SignedProxyInfo spi, byte[] clientRandom, byte[] serverRandom);
    }

    /** A tap that decodes the ServerHello's proxy_info, changes the assertion and re-encodes the ServerHello. */
    private HandshakeTap assertionTap(AssertionChange change) {
        return (type, body, cr, sr) -> {
            if (type != HandshakeType.SERVER_HELLO) {
                return body;
            }
            try {
                ServerHello sh = ServerHello.decode(body);
                Extension x = Extension.find(sh.extensions, codePoint);
                if (x == null) {
                    return body;
                }
                SignedProxyInfo changed = change.change(new ProxyInfoCodec().decodeFromServerHello(x.data), cr, sr);
                return withProxyInfo(sh, changed);
            } catch (TlsFatalAlert e) {
                return body;
            }
        };
    }

    private byte[] replay(int type, byte[] body) {
        if (type != HandshakeType.SERVER_HELLO) {
            return body;
        }
        try {
            ServerHello sh = ServerHello.decode(body);
            Extension x = Extension.find(sh.extensions, codePoint);
            if (x == null) {
                return body;
            }
            if (firstAssertion == null) {
                firstAssertion = x.data.clone();
                return body;
            }
            SignedProxyInfo first = new ProxyInfoCodec().decodeFromServerHello(firstAssertion);
            did("DEC-5", "replays the assertion of an earlier session", "server_random in the replayed assertion: "
                    + Hex.of(first.serverRandom()));
            return withProxyInfo(sh, first);
        } catch (TlsFatalAlert e) {
            return body;
        }
    }

    private byte[] withProxyInfo(ServerHello sh, SignedProxyInfo spi) {
        int otherLength = 0;
        for (Extension e : sh.extensions) {
            if (e.type != codePoint) {
                otherLength += 4 + e.data.length;
            }
        }
        byte[] data;
        try {
            data = ProxyInfoExtension.encodeForServerHello(spi, otherLength);
        } catch (TlsFatalAlert e) {
            throw new IllegalStateException("the adversary's assertion does not fit a ServerHello", e);
        }
        List<Extension> ext = new ArrayList<>();
        for (Extension e : sh.extensions) {
            ext.add(e.type == codePoint ? new Extension(codePoint, data) : e);
        }
        return new ServerHello(sh.serverVersion, sh.random, sh.sessionId, sh.cipherSuite, sh.compressionMethod, ext).encode();
    }

    /** DEC-15 broken: takes any upstream proxy and any assertion, telling the decision every check passed. */
    private final class TrustAnything implements ProxyInfoCheck {
        private volatile List<byte[]> taken;

        @Override public int extensionType() { return codePoint; }

        /** The chain it was handed, reported as accepted: it accepts anything. */
        @Override public List<byte[]> acceptedProxyChain() { return taken; }

        @Override public String verifyProxyCertificate(List<byte[]> chainDer) {
            did("DEC-15", "upstream proxy certificate not validated", null);
            return "ADVERSARY: upstream proxy not validated";
        }

        @Override public String check(Facts facts, ProxyInfoDecision decision) throws TlsFatalAlert {
            SignedProxyInfo spi = new ProxyInfoCodec().decodeFromServerHello(facts.proxyInfo);
            did("DEC-15", "upstream assertion not verified: the proxy's decision is told every check passed", null);
            taken = facts.proxyChainDer;
            decision.serverHello(true, true);
            for (SignedProxyInfo hop = spi; hop != null; hop = hop.nextHop()) {
                decision.hop(true, true, true, hop.nextHop() == null, true, AlertDescription.BAD_CERTIFICATE, true);
            }
            return "ADVERSARY: upstream assertion not verified";
        }
    }
}
