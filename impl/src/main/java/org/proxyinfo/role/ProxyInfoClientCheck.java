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
        ProxyInfoVerification v = new ProxyInfoVerifier(crypto, mode, offered, checks, upstreamPolicy, trace, role, leg)
                .verify(decision, true, spi, chain, f.serverName, f.clientRandom, f.serverRandom);
        last = v;
        lastAssertion = spi;
        return v.describe().stripTrailing();
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

    /** What the last accepted check found (null before, or if it refused). */
    public ProxyInfoVerification verification() { return last; }

    /** The last accepted assertion, as decoded (a proxy nests it unchanged, DEC-15). */
    public SignedProxyInfo assertion() { return lastAssertion; }
}
