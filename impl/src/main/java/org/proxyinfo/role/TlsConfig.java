package org.proxyinfo.role;

import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.proxyinfo.crypto.TlsCrypto;
import org.proxyinfo.ext.ExtensionTable;
import org.proxyinfo.pki.CertificateValidator;
import org.proxyinfo.pki.RevocationPolicy;
import org.proxyinfo.trace.TraceSink;
import org.proxyinfo.wire.CipherSuite;
import org.proxyinfo.wire.NamedGroup;
import org.proxyinfo.wire.SignatureScheme;

/**
 * Configuration of one role: what it offers, what it trusts, what it proves with, and where its
 * randomness, time and trace come from (DESIGN.md "Determinism"). Fluent setters; defaults are
 * the full supported lists.
 */
public final class TlsConfig {
    TlsCrypto crypto;
    Clock clock = Clock.systemUTC();
    TraceSink trace = TraceSink.NONE;
    String roleName;
    String leg = "direct";
    int[] cipherSuites = CipherSuite.SUPPORTED.clone();
    int[] groups = NamedGroup.SUPPORTED.clone();
    int[] signatureSchemes = SignatureScheme.SUPPORTED.clone();
    boolean requireExtendedMasterSecret = true;
    boolean offerExtendedMasterSecret = true;
    ExtensionTable extensions = ExtensionTable.DEFAULT;
    CertificateVerifier verifier;
    ProxyInfoCheck proxyInfoCheck;
    /** DEC-2: the proxy_info code point of this run (any value --code-point allows); DEC-19 guards it. */
    int proxyInfoType = org.proxyinfo.proxyinfo.ProxyInfoExtension.DEFAULT_EXTENSION_TYPE;
    /** DEC-16 (client end of a proxy's session #2): which extension types the ClientHello may carry; null = all. */
    java.util.function.IntPredicate clientHelloExtensionFilter;
    /** DEC-22 (01-R1): the session this ClientHello offers is decided by a proxy's coupling (null: a full session #2). */
    TlsConfig offerSession(SessionCache.Session s) {
        this.offerDecided = true;
        this.decidedOffer = s;
        return this;
    }

    /** The host's tap on outgoing handshake bytes (null: none; only the adversary sets one). */
    HandshakeTap tap;
    final List<ServerCredential> credentials = new ArrayList<>();
    /** DEC-22: this role's bounded session cache (default 1024 entries, 2 hours); null: no resumption. */
    SessionCache sessions = new SessionCache();
    /** DEC-22 (01-R1): a proxy's session #2 offers exactly the session its coupling decided (null: none). */
    boolean offerDecided;
    SessionCache.Session decidedOffer;
    int maxFragment = 1 << 14;
    int timeoutMillis = 10_000;

    public TlsConfig(TlsCrypto crypto) {
        this.crypto = crypto;
    }

    public TlsConfig clock(Clock c) { this.clock = c; return this; }

    public TlsConfig trace(TraceSink t) { this.trace = t; return this; }

    /** Role name in traces ("client", "server", "proxy-A"); defaults to the role. */
    public TlsConfig roleName(String n) { this.roleName = n; return this; }

    public TlsConfig leg(String l) { this.leg = l; return this; }

    public TlsConfig cipherSuites(int... s) {
        for (int x : s) {
            if (!CipherSuite.isSupported(x)) {
                throw new IllegalArgumentException("unsupported cipher suite " + CipherSuite.name(x));
            }
        }
        this.cipherSuites = s.clone();
        return this;
    }

    public TlsConfig groups(int... g) {
        for (int x : g) {
            if (!NamedGroup.isSupported(x)) {
                throw new IllegalArgumentException("unsupported group " + NamedGroup.name(x));
            }
        }
        this.groups = g.clone();
        return this;
    }

    public TlsConfig signatureSchemes(int... s) { this.signatureSchemes = s.clone(); return this; }

    public TlsConfig requireExtendedMasterSecret(boolean b) { this.requireExtendedMasterSecret = b; return this; }

    /** Offer (client) or accept (server) extended_master_secret, RFC 7627; default true. */
    public TlsConfig offerExtendedMasterSecret(boolean b) { this.offerExtendedMasterSecret = b; return this; }

    public TlsConfig extensions(ExtensionTable t) { this.extensions = t; return this; }

    /**
     * Client: trust these anchors (DEC-10): PKIX path validation with the pki package's validator
     * at this configuration's clock, revocation per the policy with these CRLs, RFC 6125 names.
     * Set the clock first if it is not the system clock.
     */
    public TlsConfig trustAnchors(List<X509Certificate> anchors, RevocationPolicy revocation, List<X509CRL> crls) {
        this.verifier = CertificateVerifier.pkix(new CertificateValidator(anchors, clock, revocation, crls));
        return this;
    }

    /** Client: how the server chain and name are checked (DEC-10); {@link #trustAnchors} is the usual way. */
    public TlsConfig verifier(CertificateVerifier v) { this.verifier = v; return this; }

    /** Client: the proxy_info checks (DEC-8, DEC-9); the extension table must offer the extension too. */
    public TlsConfig proxyInfoCheck(ProxyInfoCheck p) { this.proxyInfoCheck = p; return this; }

    /** DEC-2: the proxy_info code point of this run; an ordinary server never echoes it (DEC-19). */
    public TlsConfig proxyInfoType(int codePoint) {
        this.proxyInfoType = org.proxyinfo.proxyinfo.ProxyInfoExtension.checkExtensionType(codePoint);
        return this;
    }

    /** DEC-16: a proxy's session #2 carries only the extension types its core allows upstream. */
    TlsConfig clientHelloExtensionFilter(java.util.function.IntPredicate allowed) {
        this.clientHelloExtensionFilter = allowed;
        return this;
    }

    /** The host's tap on outgoing handshake bytes (see {@link HandshakeTap}); honest roles have none. */
    TlsConfig tap(HandshakeTap t) {
        this.tap = t;
        return this;
    }

    /** Server: one key and chain; add an EC and an RSA credential to serve all four suites. */
    public TlsConfig credential(ServerCredential c) { this.credentials.add(c); return this; }

    /**
     * DEC-22: the role's session cache (one cache may serve every connection of a role); null turns
     * resumption off: a server then gives no session_id, a client offers none.
     */
    public TlsConfig sessionCache(SessionCache cache) { this.sessions = cache; return this; }

    public SessionCache sessionCache() { return sessions; }

    /** Largest record fragment we send (tests use small values to spread messages over records). */
    public TlsConfig maxFragment(int n) { this.maxFragment = n; return this; }

    /** Socket/in-memory read timeout in milliseconds: a silent peer ends the connection. */
    public TlsConfig timeoutMillis(int ms) { this.timeoutMillis = ms; return this; }

    public TlsCrypto crypto() { return crypto; }

    public Clock clock() { return clock; }

    public TraceSink trace() { return trace; }

    public int timeoutMillis() { return timeoutMillis; }
}
