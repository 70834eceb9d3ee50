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
    ServerCredential clientCredential;
    int clientAuth = org.proxyinfo.core.ServerHandshake.CLIENT_AUTH_NONE;
    CertificateValidator clientValidator;
    /** DEC-22: this role's bounded session cache (default 1024 entries, 2 hours); null: no resumption. */
    SessionCache sessions = new SessionCache();
    /** DEC-22 (01-R1): a proxy's session #2 offers exactly the session its coupling decided (null: none). */
    boolean offerDecided;
    SessionCache.Session decidedOffer;
    int maxFragment = 1 << 14;
    int timeoutMillis = 10_000;
    /** Limits against hostile peers (issue #14, HOSTILE.md): defaults, each with its alert there. */
    int handshakeDeadlineMillis = 30_000;
    int maxWarningAlertsInRow = 4;
    int maxEmptyRecordsInRow = 32;
    int maxHandshakeMessage = org.proxyinfo.record.HandshakeAssembler.MAX_MESSAGE;

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
     * The clock is read at each validation, so a later {@link #clock} applies.
     */
    public TlsConfig trustAnchors(List<X509Certificate> anchors, RevocationPolicy revocation, List<X509CRL> crls) {
        // The validator reads this configuration's clock when it validates, not when this is called:
        // a later clock(...) applies (issue #14).
        this.verifier = CertificateVerifier.pkix(new CertificateValidator(anchors, new ConfigClock(), revocation, crls));
        return this;
    }

    /** This configuration's current clock, looked up at each use. */
    private final class ConfigClock extends Clock {
        @Override public java.time.ZoneId getZone() { return clock.getZone(); }

        @Override public Clock withZone(java.time.ZoneId zone) { return clock.withZone(zone); }

        @Override public java.time.Instant instant() { return clock.instant(); }

        @Override public long millis() { return clock.millis(); }
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

    /**
     * The host's tap on outgoing handshake bytes (see {@link HandshakeTap}); honest roles have none. Public for
     * {@code org.proxyinfo.adversary}, which models a compromised host around a real role (e.g. ResumeOverFullSession2,
     * or a compromised client host for DEC-23's failing CertificateVerify).
     */
    public TlsConfig tap(HandshakeTap t) {
        this.tap = t;
        return this;
    }

    /** Server: one key and chain; add an EC and an RSA credential to serve all four suites. */
    public TlsConfig credential(ServerCredential c) { this.credentials.add(c); return this; }

    /**
     * Client: the certificate and key to answer a CertificateRequest with (RFC5246-7.4.6). Without
     * one, or when it does not fit the request, the client answers with an empty Certificate.
     */
    public TlsConfig clientCertificate(ServerCredential c) { this.clientCredential = c; return this; }

    /**
     * Server: ask for a client certificate (RFC5246-7.4.4). {@code policy} is
     * {@link org.proxyinfo.core.ServerHandshake#CLIENT_AUTH_WANT} (a client without one goes on
     * unauthenticated) or {@link org.proxyinfo.core.ServerHandshake#CLIENT_AUTH_NEED} (refused with
     * handshake_failure); client chains are validated against {@code clientAnchors} (PKIX, the
     * revocation policy with these CRLs, EKU clientAuth) at this configuration's clock: set the clock first.
     */
    public TlsConfig clientAuth(int policy, List<X509Certificate> clientAnchors, RevocationPolicy revocation,
                                List<X509CRL> crls) {
        if (policy < org.proxyinfo.core.ServerHandshake.CLIENT_AUTH_NONE || policy > org.proxyinfo.core.ServerHandshake.CLIENT_AUTH_NEED) {
            throw new IllegalArgumentException("client authentication policy " + policy + " is not none (0), want (1) or need (2)");
        }
        this.clientAuth = policy;
        this.clientValidator = new CertificateValidator(clientAnchors, clock, revocation, crls);
        return this;
    }

    /** DEC-23, a proxy's session #1: ask for the client's certificate for the origin; no client trust here (01-R16). */
    TlsConfig clientAuthPolicy(int policy) {
        this.clientAuth = policy;
        return this;
    }

    /** Server, DEC-23: accepts client identities a proxy forwards (impl/CLIENTCERT.md); null: not in this mode. */
    org.proxyinfo.clientcert.ClientCertModeServer clientCertMode;
    /** Client (a proxy's session #2), DEC-23: the SupplementalData to send before its Certificate; null: none. */
    /**
     * DEVIATION (DEC-23), the proxy's session #2: asked when a CertificateRequest arrived (after the client core accepted
     * it, before anything answers it); a TlsFatalAlert it throws ends the handshake with that alert (the proxy abandons
     * an ordinary session #2 to open one in the client-certificate mode). Null: no one is asked.
     */
    CertificateRequestHook certificateRequestHook;

    TlsConfig certificateRequestHook(CertificateRequestHook hook) { this.certificateRequestHook = hook; return this; }

    SupplementalDataSource supplementalData;

    /**
     * Server: the DEC-23 client-certificate mode (01-R14, 01-R16). Use with {@link #clientAuth} need and an extension
     * table holding {@code ClientCertModeEntry.server(codePoint, mode)}.
     */
    public TlsConfig clientCertMode(org.proxyinfo.clientcert.ClientCertModeServer mode) { this.clientCertMode = mode; return this; }

    /** Client, DEC-23: what a proxy's session #2 sends as SupplementalData before its Certificate (RFC 4680). */
    public TlsConfig supplementalData(SupplementalDataSource source) { this.supplementalData = source; return this; }

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

    /**
     * The whole handshake must complete within this many milliseconds (default 30 s), however the
     * peer spaces its bytes: a peer that drips one byte just inside the read timeout is cut off
     * ("handshake timed out", no alert, like a silent peer). 0 = no deadline.
     */
    public TlsConfig handshakeDeadlineMillis(int ms) {
        if (ms < 0) {
            throw new IllegalArgumentException("handshake deadline " + ms);
        }
        this.handshakeDeadlineMillis = ms;
        return this;
    }

    /**
     * Hostile-peer limits (HOSTILE.md): warning alerts in a row (default 4) and empty records in a
     * row (default 32) before a fatal unexpected_message, and the largest handshake message (default
     * 2^17 bytes) before a fatal decode_error.
     */
    public TlsConfig recordLimits(int maxWarningAlertsInRow, int maxEmptyRecordsInRow, int maxHandshakeMessage) {
        if (maxWarningAlertsInRow < 0 || maxEmptyRecordsInRow < 0 || maxHandshakeMessage < 1) {
            throw new IllegalArgumentException("record limits must be non-negative (message limit positive)");
        }
        this.maxWarningAlertsInRow = maxWarningAlertsInRow;
        this.maxEmptyRecordsInRow = maxEmptyRecordsInRow;
        this.maxHandshakeMessage = maxHandshakeMessage;
        return this;
    }

    public TlsCrypto crypto() { return crypto; }

    public Clock clock() { return clock; }

    public TraceSink trace() { return trace; }

    public int timeoutMillis() { return timeoutMillis; }
}
