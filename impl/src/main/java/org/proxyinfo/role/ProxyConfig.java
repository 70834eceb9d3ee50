package org.proxyinfo.role;

import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;

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
    /**
     * Fault injection for this package's tests only (ProxyAssertionFactsTest): wraps the proxy's own upstream
     * ProxyInfo check, to show that the proxy's core refuses to sign when that check misreports what it accepted.
     * Package-private, with no public setting: neither the adversary nor the command line can reach it
     * (NoAttackSwitchTest looks at the public settings).
     */
    java.util.function.UnaryOperator<ProxyInfoCheck> faultyUpstreamCheckForTests;
    /**
     * DEC-22: the proxy's session caches, one for session #1 (each entry linked to the session #2 it was made
     * with, 01-R1..R4) and one for session #2; null turns resumption off on that side.
     */
    SessionCache session1Cache = new SessionCache();
    SessionCache session2Cache = new SessionCache();
    /** What this proxy's host does to session #1's handshake bytes on their way out (null: nothing). */
    HandshakeTap session1Tap;
    HandshakeTap session2Tap;
    /**
     * DEVIATION (DEC-23): how this proxy meets an origin that wants a client certificate (impl/CLIENTCERT.md,
     * "How the proxy learns the need"). Default {@link ClientCertMode#LEARN}, what DEC-23 describes.
     */
    ClientCertMode clientCertMode = ClientCertMode.LEARN;
    /** DEC-23 LEARN: the per-origin memory ("remember per origin that certificates are required"); null: none. */
    OriginMemory originMemory = new OriginMemory();

    /**
     * DEVIATION (DEC-23), the proxy's client-certificate mode setting.
     * <ul>
     *   <li>{@link #OFF}: an ordinary proxy; a CertificateRequest on session #2 is answered with an empty Certificate
     *       (R7), the origin decides.</li>
     *   <li>{@link #LEARN} (default): for a client that offered client_cert_mode (and proxy_info), the proxy learns the
     *       need from session #2's CertificateRequest, abandons that session #2 before answering it and opens a second
     *       session #2 in the mode; it remembers the origin ({@code host:port}) and later goes to the mode from the
     *       start. A client that does not offer the mode sees an ordinary proxy.</li>
     *   <li>{@link #ALWAYS}: every origin of this proxy is in the mode (DEC-23's "remember per origin", configured);
     *       only clients offering proxy_info and client_cert_mode are served.</li>
     * </ul>
     */
    public enum ClientCertMode {
        OFF, LEARN, ALWAYS;

        /** The CLI spelling: off, learn, always (and the old boolean spellings true = always, false = off). */
        public static ClientCertMode parse(String s) {
            switch (s == null ? "" : s.toLowerCase(java.util.Locale.ROOT)) {
                case "off": case "false": return OFF;
                case "learn": return LEARN;
                case "always": case "true": return ALWAYS;
                default: throw new IllegalArgumentException("--client-cert-mode must be off, learn or always (DEC-23), not '" + s + "'");
            }
        }

        public String configName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public ProxyConfig(TlsCrypto crypto, ServerCredential credential) {
        this.crypto = crypto;
        this.credential = credential;
    }

    public ProxyConfig clock(Clock c) { this.clock = c; return this; }

    /** DEC-22: the session-#1 and session-#2 caches (size and lifetime: {@link SessionCache}); null: no resumption. */
    public ProxyConfig sessionCaches(SessionCache session1, SessionCache session2) {
        this.session1Cache = session1;
        this.session2Cache = session2;
        return this;
    }

    public ProxyConfig trace(TraceSink t) { this.trace = t; return this; }

    public TraceSink trace() { return trace; }

    /** Role name in traces: "proxy", or "proxy-A"/"proxy-B" for nested proxies; and its two legs. */
    /** The trace name of session #2's leg. */
    public String upstreamLegName() { return upstreamLeg; }

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

    /**
     * A fixed upstream (host:port); without it (SNI mode) the upstream is the client's SNI host on
     * the port the client connected to (the port it meant; an intercepting proxy keeps it).
     */
    public ProxyConfig upstream(String host, int port) {
        this.upstreamHost = host;
        this.upstreamPort = port;
        this.upstreamFixed = host != null;
        return this;
    }

    public ProxyConfig cipherSuites(int... s) { this.cipherSuites = s.clone(); return this; }

    public ProxyConfig groups(int... g) { this.groups = g.clone(); return this; }

    /**
     * Limits: concurrent connections, handshake timeout (per read, and the deadline for each leg's
     * whole handshake: a client dripping bytes is cut off, HOSTILE.md), relay idle timeout, and the
     * most bytes the relay moves per write (records move from session to session without a buffer
     * of their own, issue #14).
     */
    public ProxyConfig limits(int maxConnections, int handshakeTimeoutMillis, int idleTimeoutMillis, int relayBufferSize) {
        if (maxConnections < 1 || handshakeTimeoutMillis < 1 || idleTimeoutMillis < 1 || relayBufferSize < 1) {
            throw new IllegalArgumentException("proxy limits must be at least 1: maxConnections " + maxConnections
                    + ", handshakeTimeoutMillis " + handshakeTimeoutMillis + ", idleTimeoutMillis " + idleTimeoutMillis
                    + ", relayBufferSize " + relayBufferSize);
        }
        this.maxConnections = maxConnections;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
        this.idleTimeoutMillis = idleTimeoutMillis;
        this.relayBufferSize = relayBufferSize;
        return this;
    }

    public ProxyConfig connectTimeoutMillis(int ms) { this.connectTimeoutMillis = ms; return this; }

    /**
     * The host this proxy runs on: every handshake message of session #1 passes through this tap
     * after the proxy's cores decided and before it enters the transcript and the wire. Null (the
     * default) leaves the bytes alone; the adversary package uses it for a compromised host.
     */
    public ProxyConfig session1Tap(HandshakeTap tap) { this.session1Tap = tap; return this; }

    /**
     * The same host's tap on session #2's handshake messages (e.g. the SupplementalData a DEVIATION (DEC-23) proxy
     * forwards). Null (the default) leaves the bytes alone; only the adversary package sets one.
     */
    public ProxyConfig session2Tap(HandshakeTap tap) { this.session2Tap = tap; return this; }

    /**
     * DEVIATION (DEC-23), the client-certificate mode (impl/CLIENTCERT.md): this proxy's upstream origins want client
     * certificates through it (DEC-23's "remember per origin", here configured). Session #2 offers a proxy_to_server
     * ProxyInfo and is held at ServerHelloDone; session #1 asks the client for its certificate and a ProxyCertVerify
     * and is finished only after session #2 completed (01-R15). Serves only clients that offer proxy_info and
     * client_cert_mode, and only origins in the mode (else handshake_failure); no resumption in this mode.
     */
    public ProxyConfig clientCertMode(boolean on) { this.clientCertMode = on ? ClientCertMode.ALWAYS : ClientCertMode.OFF; return this; }

    /** DEVIATION (DEC-23): OFF, LEARN (default) or ALWAYS ({@link ClientCertMode}). */
    public ProxyConfig clientCertMode(ClientCertMode mode) {
        if (mode == null) {
            throw new IllegalArgumentException("the client-certificate mode is off, learn or always (DEC-23)");
        }
        this.clientCertMode = mode;
        return this;
    }

    public ClientCertMode clientCertMode() { return clientCertMode; }

    /** DEC-23 LEARN: the per-origin memory (size and lifetime: {@link OriginMemory}); null: learn anew every time. */
    public ProxyConfig originMemory(OriginMemory memory) { this.originMemory = memory; return this; }

    public OriginMemory originMemory() { return originMemory; }

    public String roleName() { return roleName; }

    public int maxConnections() { return maxConnections; }

    public int policy() { return policy; }

    public SigningMode signingMode() { return signingMode; }

    /** The proxy's session-#1 key and chain (an adversary on the proxy's host has them too). */
    public ServerCredential credential() { return credential; }

    public TlsCrypto crypto() { return crypto; }

    public int codePoint() { return codePoint; }

}
