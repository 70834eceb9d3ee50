package org.proxyinfo.role;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.crypto.TlsCrypto;
import org.proxyinfo.proxyinfo.ProxyInfoCertificateChecks;
import org.proxyinfo.proxyinfo.ProxyInfoCodec;
import org.proxyinfo.proxyinfo.ProxyInfoVerification;
import org.proxyinfo.proxyinfo.ProxyInfoVerifier;
import org.proxyinfo.proxyinfo.SignedProxyInfo;
import org.proxyinfo.proxyinfo.SigningMode;
import org.proxyinfo.proxyinfo.UpstreamPolicy;
import org.proxyinfo.trace.TraceSink;
import org.proxyinfo.wire.TlsFatalAlert;

/**
 * The real {@link ProxyInfoCheck} (the draft's client steps 00-R11/01-R12): DEC-9 on the session-#1 certificate, then the whole DEC-8 order
 * through {@link ProxyInfoVerifier} (which feeds {@code core.ProxyInfoDecision}). Used by the client
 * and by a proxy on its upstream session when the upstream is itself a proxy (DEC-15).
 *
 * One instance per connection: it keeps the last verification (the hops for the Commit claim's
 * {@code upstream} list, and, for a proxy, the upstream assertion to nest unchanged).
 */
public final class ProxyInfoClientCheck implements ProxyInfoCheck {
    private final TlsCrypto crypto;
    private final SigningMode mode;
    private final int codePoint;
    private final ProxyInfoCertificateChecks checks;
    private final UpstreamPolicy upstreamPolicy;
    private final TraceSink trace;
    private final String role;
    private final String leg;
    private final int maxDepth;
    private volatile ProxyInfoVerification last;
    private volatile SignedProxyInfo lastAssertion;
    private volatile List<byte[]> acceptedProxyChain;
    private volatile int resumedHops;

    public ProxyInfoClientCheck(TlsCrypto crypto, SigningMode mode, int codePoint, ProxyInfoCertificateChecks checks,
                                UpstreamPolicy upstreamPolicy, TraceSink trace, String role, String leg, int maxDepth) {
        this.crypto = crypto;
        this.mode = mode;
        this.codePoint = codePoint;
        this.checks = checks;
        this.upstreamPolicy = upstreamPolicy;
        this.trace = trace == null ? TraceSink.NONE : trace;
        this.role = role;
        this.leg = leg;
        this.maxDepth = maxDepth;
    }

    @Override public int extensionType() { return codePoint; }

    public SigningMode mode() { return mode; }

    /** DEC-9: access_denied unless the chain is an acceptable proxy (proxy trust anchor or pinned key). */
    @Override
    public String verifyProxyCertificate(List<byte[]> chainDer) throws TlsFatalAlert {
        ProxyInfoCertificateChecks.Outcome o = checks.acceptableProxy(Certificates.parse(chainDer));
        if (!o.passed()) {
            throw new TlsFatalAlert(AlertDescription.ACCESS_DENIED, "DEC-9",
                    "the certificate of the proxy that answered is not an acceptable proxy: " + o.detail());
        }
        return o.detail();
    }

    /** DEC-8 steps 2..5 (the verifier re-records DEC-9 for hop 1 so the trace shows the whole order). */
    @Override
    public String check(Facts f, org.proxyinfo.core.ProxyInfoDecision decision) throws TlsFatalAlert {
        SignedProxyInfo spi = new ProxyInfoCodec(maxDepth).decodeFromServerHello(f.proxyInfo);
        List<Integer> offered = new ArrayList<>();
        for (int s : f.offeredSignatureSchemes) {
            offered.add(s);
        }
        List<X509Certificate> chain = Certificates.parse(f.proxyChainDer);
        ProxyInfoCertificateChecks hopChecks = f.proxyCertificateAccepted == null ? checks
                : session1Accepted(chain, f.proxyCertificateAccepted);
        ProxyInfoVerification v = new ProxyInfoVerifier(crypto, mode, offered, hopChecks, upstreamPolicy, trace, role, leg)
                .verify(decision, f.offeredProxyInfo, spi, chain, f.serverName, f.clientRandom, f.serverRandom);
        last = v;
        lastAssertion = spi;
        acceptedProxyChain = Certificates.encode(chain); // hop 1's signer, as the verifier accepted it (DEC-9, DEC-8)
        return v.describe().stripTrailing();
    }

    @Override
    public List<byte[]> acceptedProxyChain() { return acceptedProxyChain; }

    /**
     * DEC-9 for hop 1 was decided on this very chain earlier in this handshake ({@link #verifyProxyCertificate}
     * at the Certificate message, with its revocation check; it passed, or the handshake would have ended):
     * the verifier records that outcome instead of validating the same chain a second time (issue #14: the
     * proxied handshake's profile of 2026-12-04 showed the client validating the proxy's chain twice). Only
     * the session-#1 chain object parsed for this check is answered so; every other question (DEC-10 for
     * the origin, DEC-12 for a next proxy) goes to {@code checks}. Nothing is kept beyond this call.
     */
    private ProxyInfoCertificateChecks session1Accepted(List<X509Certificate> session1Chain, String detail) {
        return new ProxyInfoCertificateChecks() {
            @Override
            public Outcome acceptableProxy(List<X509Certificate> chain) {
                return chain == session1Chain ? Outcome.pass(detail, null) : checks.acceptableProxy(chain);
            }

            @Override
            public Outcome originServer(List<X509Certificate> chain, String intendedHost, boolean revocationCheckingPerformed) {
                return checks.originServer(chain, intendedHost, revocationCheckingPerformed);
            }
        };
    }

    /**
     * The Commit {@code upstream} list, with version and cipher_suite in the vocabulary of the
     * Running claims ("TLSv1.2", the suite's RFC name), so a client's hop entry and the upstream
     * server's Running claim compare field by field (agreement, claims C1/G3).
     */
    @Override
    public List<Map<String, Object>> upstreamForTrace() {
        ProxyInfoVerification v = last;
        if (v == null) {
            return null;
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (ProxyInfoVerification.Hop h : v.hops()) {
            Map<String, Object> m = new java.util.LinkedHashMap<>(h.toTraceMap());
            m.put("version", h.connectionParameters().tlsVersion() == 0x0303 ? "TLSv1.2"
                    : String.format("0x%04X", h.connectionParameters().tlsVersion()));
            m.put("cipher_suite", org.proxyinfo.wire.CipherSuite.name(h.connectionParameters().cipherSuite()));
            out.add(m);
        }
        return out;
    }

    /**
     * DEC-22: the fresh ProxyInfo of an abbreviated handshake against the cached session's: hop 1's
     * signature over this connection's randoms (DEC-5/5a mode) with the cached proxy key; every hop's
     * server_certificate_list byte for byte the cached one (nested hops included; their own signatures
     * were checked when the session was made, DEC-12); every hop's parameters under DEC-11.
     */
    @Override
    public Recheck recheck(byte[] fresh, byte[] cached, List<byte[]> cachedProxyChainDer, byte[] clientRandom,
                           byte[] serverRandom) throws TlsFatalAlert {
        ProxyInfoCodec codec = new ProxyInfoCodec(maxDepth);
        SignedProxyInfo now = codec.decodeFromServerHello(fresh);
        SignedProxyInfo then = codec.decodeFromServerHello(cached);
        List<X509Certificate> proxyChain = Certificates.parse(cachedProxyChainDer);
        boolean sig = org.proxyinfo.proxyinfo.ProxyInfoSigner.verify(crypto, mode, proxyChain.get(0).getPublicKey(),
                clientRandom, serverRandom, now);
        boolean same = true;
        String params = null;
        List<Map<String, Object>> upstream = new ArrayList<>();
        String signer = Certificates.sha256(crypto, proxyChain.get(0));
        SignedProxyInfo a = now;
        SignedProxyInfo b = then;
        while (a != null) {
            same &= b != null && sameList(a.serverCertificateList(), b.serverCertificateList());
            String v = upstreamPolicy.violation(a.connectionParameters());
            params = params != null ? params : v;
            List<X509Certificate> carried = Certificates.parse(a.serverCertificateList());
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("proxy_cert_sha256", signer);
            m.put("version", a.connectionParameters().tlsVersion() == 0x0303 ? "TLSv1.2"
                    : String.format("0x%04X", a.connectionParameters().tlsVersion()));
            m.put("cipher_suite", org.proxyinfo.wire.CipherSuite.name(a.connectionParameters().cipherSuite()));
            m.put("server_random", org.proxyinfo.wire.Hex.of(a.serverRandom()));
            m.put("server_cert_sha256", carried.isEmpty() ? "" : Certificates.sha256(crypto, carried.get(0)));
            upstream.add(m);
            signer = carried.isEmpty() ? "" : Certificates.sha256(crypto, carried.get(0));
            a = a.nextHop();
            b = b == null ? null : b.nextHop();
        }
        same &= b == null;
        String detail = "signature with the cached proxy key " + (sig ? "verifies" : "does NOT verify")
                + "; reported server chain " + (same ? "is the cached one" : "CHANGED since the session was made")
                + "; upstream parameters " + (params == null ? "meet the policy (DEC-11)" : "refused: " + params);
        resumedHops = upstream.size();
        // DEC-22: the cached proxy chain is the one accepted for this connection only if every fact of the re-check held
        // (otherwise the resumption core refuses and nothing is signed about it)
        acceptedProxyChain = sig && same && params == null ? List.copyOf(cachedProxyChainDer) : null;
        return new Recheck(sig, same, params == null, upstream, detail);
    }

    private static boolean sameList(List<byte[]> x, List<byte[]> y) {
        if (x.size() != y.size()) {
            return false;
        }
        for (int i = 0; i < x.size(); i++) {
            if (!java.util.Arrays.equals(x.get(i), y.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** DEC-22: how many hops the last re-check of a resumed proxied session saw. */
    public int resumedHops() { return resumedHops; }

    /** What the last accepted check found (null before, or if it refused). */
    public ProxyInfoVerification verification() { return last; }

    /** The last accepted assertion, as decoded (a proxy nests it unchanged, DEC-15). */
    public SignedProxyInfo assertion() { return lastAssertion; }
}
