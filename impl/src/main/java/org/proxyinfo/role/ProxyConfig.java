package org.proxyinfo.role;

import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.proxyinfo.core.ProxyHandshake;
import org.proxyinfo.crypto.TlsCrypto;
import org.proxyinfo.pki.Credential;
import org.proxyinfo.pki.RevocationPolicy;
import org.proxyinfo.proxyinfo.ProxyInfoCodec;
import org.proxyinfo.proxyinfo.ProxyInfoExtension;
import org.proxyinfo.proxyinfo.SigningMode;
import org.proxyinfo.trace.TraceSink;
import org.proxyinfo.wire.CipherSuite;
import org.proxyinfo.wire.NamedGroup;

/**
 * Configuration of the proxy role ({@link TlsProxy}): its session-#1 identity, its own trust for
 * session #2 (DEC-15), its policies (DEC-5 signing mode, DEC-17 clients without the extension),
 * where the upstream is, and its limits. Fluent setters; sensible defaults.
 */
public final class ProxyConfig {
    /**
     * Staged misbehaviour for the demo's attack scenarios: a proxy that breaks a rule on purpose so
     * that the client's checks can be shown catching it. Never set by the {@code proxy} command.
     */
    public enum Misbehaviour {
        /** DEC-15 broken: accepts any upstream certificate and any upstream assertion unchecked. */
        SKIP_UPSTREAM_VALIDATION,
        /** DEC-5 broken: the assertion's signature is corrupted after signing. */
        FORGE_SIGNATURE,
        /** Sends, on every later session, the assertion it made on its first session (replay). */
        REPLAY_FIRST_ASSERTION,
        /** 00-R10/01-R11 broken: mints a certificate even for a client that offered proxy_info (and sends no assertion). */
        MINT_FOR_EVERYONE,
        /** Opens session #2 with a fresh client_random instead of forwarding the client's (breaks the DEC-5/DEC-12 reconciliation). */
        KEEP_OWN_CLIENT_RANDOM,
        /** Lies about session #2: reports another cipher suite than the one it negotiated, after signing. */
        ALTER_ASSERTION_AFTER_SIGNING
    }

    TlsCrypto crypto;
    Clock clock = Clock.systemUTC();
    TraceSink trace = TraceSink.NONE;
    String roleName = "proxy";
    String downstreamLeg = "session1";
    String upstreamLeg = "session2";
    ServerCredential credential;
    Credential mintCa;
    SecureRandom mintRandom = new SecureRandom();
    int policy = ProxyHandshake.POLICY_REFUSE;
    SigningMode signingMode = SigningMode.BOUND;
    int codePoint = ProxyInfoExtension.DEFAULT_EXTENSION_TYPE;
    int maxNestingDepth = ProxyInfoCodec.DEFAULT_MAX_DEPTH;
    List<X509Certificate> webTrust = List.of();
    List<X509Certificate> proxyTrust = List.of();
    List<X509CRL> crls = List.of();
    RevocationPolicy revocation = RevocationPolicy.DEFAULT;
    String upstreamHost;
    int upstreamPort = 443;
    boolean upstreamFixed;
    int[] cipherSuites = CipherSuite.SUPPORTED.clone();
    int[] groups = NamedGroup.SUPPORTED.clone();
    int maxConnections = 64;
    int handshakeTimeoutMillis = 10_000;
    int idleTimeoutMillis = 60_000;
    int connectTimeoutMillis = 5_000;
    int relayBufferSize = 16 * 1024;
    final Set<Misbehaviour> staged = EnumSet.noneOf(Misbehaviour.class);

    public ProxyConfig(TlsCrypto crypto, ServerCredential credential) {
        this.crypto = crypto;
        this.credential = credential;
    }

    public ProxyConfig clock(Clock c) { this.clock = c; return this; }

    public ProxyConfig trace(TraceSink t) { this.trace = t; return this; }

    public TraceSink trace() { return trace; }

    /** Role name in traces: "proxy", or "proxy-A"/"proxy-B" for nested proxies; and its two legs. */
    public ProxyConfig names(String role, String downstreamLeg, String upstreamLeg) {
        this.roleName = role;
        this.downstreamLeg = downstreamLeg;
        this.upstreamLeg = upstreamLeg;
        return this;
    }

    /** DEC-17: POLICY_REFUSE (default) or POLICY_MINT (INSECURE) with the CA that mints. */
    public ProxyConfig legacyPolicy(int policy, Credential mintCa) {
        if (policy == ProxyHandshake.POLICY_MINT && mintCa == null) {
            throw new IllegalArgumentException("policy mint (DEC-17) needs a mint CA");
        }
        this.policy = policy;
        this.mintCa = mintCa;
        return this;
    }

    public ProxyConfig mintRandom(SecureRandom r) { this.mintRandom = r; return this; }

    /** DEC-5: bound (default, DEVIATION (DEC-5)) or draft-literal. */
    public ProxyConfig signingMode(SigningMode m) { this.signingMode = m; return this; }

    /** DEC-2 code point (default 65360). */
    public ProxyConfig codePoint(int cp) { this.codePoint = ProxyInfoExtension.checkExtensionType(cp); return this; }

    /** DEC-15: the proxy's own trust store for origin servers, its CRLs and revocation policy. */
    public ProxyConfig webTrust(List<X509Certificate> anchors, RevocationPolicy policy, List<X509CRL> crls) {
        this.webTrust = List.copyOf(anchors);
        this.revocation = policy;
        this.crls = List.copyOf(crls);
        return this;
    }

    /** DEC-15: the anchors an upstream proxy must chain to (as DEC-9 for the client). */
    public ProxyConfig proxyTrust(List<X509Certificate> anchors) { this.proxyTrust = List.copyOf(anchors); return this; }

    /** A fixed upstream (host:port); without it the upstream is the client's SNI host on port {@code defaultPort}. */
    public ProxyConfig upstream(String host, int port) {
        this.upstreamHost = host;
        this.upstreamPort = port;
        this.upstreamFixed = host != null;
        return this;
    }

    public ProxyConfig cipherSuites(int... s) { this.cipherSuites = s.clone(); return this; }

    public ProxyConfig groups(int... g) { this.groups = g.clone(); return this; }

    /** Limits: concurrent connections, per-read handshake timeout, relay idle timeout, relay buffer. */
    public ProxyConfig limits(int maxConnections, int handshakeTimeoutMillis, int idleTimeoutMillis, int relayBufferSize) {
        if (maxConnections < 1 || handshakeTimeoutMillis < 1 || idleTimeoutMillis < 1 || relayBufferSize < 1) {
            throw new IllegalArgumentException("proxy limits must be positive");
        }
        this.maxConnections = maxConnections;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
        this.idleTimeoutMillis = idleTimeoutMillis;
        this.relayBufferSize = relayBufferSize;
        return this;
    }

    public ProxyConfig connectTimeoutMillis(int ms) { this.connectTimeoutMillis = ms; return this; }

    /** Demo attacks only: stage one misbehaviour (see {@link Misbehaviour}). */
    public ProxyConfig stage(Misbehaviour m) { this.staged.add(m); return this; }

    public String roleName() { return roleName; }

    public int maxConnections() { return maxConnections; }

    public int policy() { return policy; }

    public SigningMode signingMode() { return signingMode; }

    public int codePoint() { return codePoint; }

    public Set<Misbehaviour> staged() { return Set.copyOf(staged); }
}
