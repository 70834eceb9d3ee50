package org.proxyinfo.pki;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXCertPathValidatorResult;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.wire.TlsFatalAlert;

/**
 * Certificate chain validation for the client and the proxy.
 *
 * <p><b>As the server for host H</b> ({@link #validateServer}, DEC-10, DEC-13, DEC-15): RFC 5280
 * §6 path validation against this validator's trust anchors at the clock's time (the JDK's
 * {@code CertPathValidator("PKIX")}), then the leaf's key usage (digitalSignature: every suite
 * we negotiate is ECDHE with a signed ServerKeyExchange) and extended key usage (serverAuth, when
 * the extension is present), then RFC 6125 / RFC 2818 host-name matching ({@link HostnameMatcher}),
 * then revocation per the {@link RevocationPolicy} with the given CRLs.
 * Alerts: no path to an anchor: {@code unknown_ca}; expired or not yet valid:
 * {@code certificate_expired}; wrong host, bad KU/EKU, bad signature, malformed:
 * {@code bad_certificate}; listed in a CRL: {@code certificate_revoked}; revocation status
 * unknown under policy require: {@code certificate_unknown}.
 *
 * <p><b>As an acceptable proxy</b> ({@link #validateProxy}, DEC-9): the leaf's key is pinned, or
 * the chain passes the same path, KU/EKU and revocation checks against the <i>proxy</i> trust
 * anchors this validator was built with. No host-name check (the proxy is not the origin).
 * Every failure is {@code access_denied} [DEC-9], with the underlying reason in the message.
 *
 * <p>Why the JDK's PKIX validator and not Bouncy Castle's: it needs no JCA provider registration
 * (BC's PKIX runs only through the "BC" provider, a process-wide setting other code would see), it
 * is the validator SunJSSE itself uses (so our accept/refuse matches a real peer's), and it
 * reports structured reasons ({@link BasicReason}, {@link PKIXReason}) that map one-to-one onto
 * DEC-10's alerts. Revocation is done here rather than by the JDK's checker because the JDK
 * insists on CRL distribution points / OCSP settings and cannot report per certificate what was
 * checked, which the trace needs.
 *
 * <p>CRL support: complete, direct CRLs (issuer = the certificate's issuer), signature verified
 * with the issuer's key, current at the clock's time (thisUpdate &lt;= now &lt;= nextUpdate). A CRL
 * with a critical extension we do not understand (delta CRLs, issuing distribution points) is not
 * used.
 */
public final class CertificateValidator {

    private final Set<TrustAnchor> anchors;
    private final List<X509Certificate> anchorCerts;
    private final Set<String> pinnedSpkiSha256;
    private final Clock clock;
    private final RevocationPolicy policy;
    private final List<X509CRL> crls;

    /**
     * anchors: the trust anchors (web roots for servers, proxy CAs for proxies); crls may be empty.
     */
    public CertificateValidator(Collection<X509Certificate> anchors, Clock clock, RevocationPolicy policy,
                                Collection<X509CRL> crls) {
        this(anchors, List.of(), clock, policy, crls);
    }

    /**
     * pinnedSpkiSha256: SHA-256 of the SubjectPublicKeyInfo of keys accepted as proxies without a
     * path (DEC-9 "matches a pinned key"); only {@link #validateProxy} uses them.
     */
    public CertificateValidator(Collection<X509Certificate> anchors, Collection<byte[]> pinnedSpkiSha256, Clock clock,
                                RevocationPolicy policy, Collection<X509CRL> crls) {
        if (clock == null || policy == null) {
            throw new IllegalArgumentException("a validator needs a clock and a revocation policy");
        }
        this.anchors = new HashSet<>();
        this.anchorCerts = new ArrayList<>(anchors);
        for (X509Certificate a : anchors) {
            this.anchors.add(new TrustAnchor(a, null));
        }
        this.pinnedSpkiSha256 = new HashSet<>();
        for (byte[] pin : pinnedSpkiSha256) {
            this.pinnedSpkiSha256.add(HexFormat.of().formatHex(pin));
        }
        this.clock = clock;
        this.policy = policy;
        this.crls = crls == null ? List.of() : new ArrayList<>(crls);
    }

    public RevocationPolicy policy() { return policy; }

    /** The trust anchors' certificates, in configuration order (a server names them in its CertificateRequest). */
    public List<X509Certificate> anchors() { return java.util.Collections.unmodifiableList(anchorCerts); }

    // ---------------------------------------------------------------- server

    /**
     * DEC-10: validate certificate_list (DER, leaf first) as the server for host (the client's
     * SNI / intended host).
     */
    public ValidationResult validateServer(List<byte[]> chainDer, String host) throws TlsFatalAlert {
        List<X509Certificate> chain = parse(chainDer, AlertDescription.BAD_CERTIFICATE, "DEC-10");
        if (anchors.isEmpty()) {
            throw new TlsFatalAlert(AlertDescription.UNKNOWN_CA, "DEC-10",
                    "no trust anchors configured: cannot validate the server's chain (configure a trust store)");
        }
        Path p = pkix(chain);
        checkLeafUsage(chain.get(0), AlertDescription.BAD_CERTIFICATE, "RFC5280-4.2.1.3");
        String matched;
        try {
            matched = HostnameMatcher.match(chain.get(0), host);
        } catch (CertificateParsingException e) {
            throw new TlsFatalAlert(AlertDescription.BAD_CERTIFICATE, "RFC6125-6.4",
                    "the server certificate's subjectAltName cannot be decoded: " + e.getMessage());
        }
        if (matched == null) {
            boolean ip = HostnameMatcher.isIpLiteral(host);
            List<String> names;
            try {
                names = ip ? HostnameMatcher.ipAddresses(chain.get(0)) : HostnameMatcher.dnsNames(chain.get(0));
            } catch (CertificateParsingException e) {
                names = List.of();
            }
            throw new TlsFatalAlert(AlertDescription.BAD_CERTIFICATE, ip ? "RFC2818-3.1" : "RFC6125-6.4",
                    "the server certificate is not for '" + host + "': its " + (ip ? "IP address" : "DNS")
                            + " subjectAltNames are " + names + (ip ? "" : " (the subject CN is not used)"));
        }
        Revocation r = revocation(p, AlertDescription.CERTIFICATE_REVOKED, "DEC-10");
        return new ValidationResult(p.path, "anchor " + p.anchorName, matched, policy, r.status, r.details);
    }

    // ---------------------------------------------------------------- client (issue 13)

    /**
     * RFC5246-7.4.6: validate a client's certificate_list (DER, leaf first) against this
     * validator's anchors (the server's client trust store): PKIX path, validity, revocation, and
     * a leaf usable for signing as a TLS client (keyUsage digitalSignature, extendedKeyUsage
     * clientAuth when present). No name is matched: which client it is, is the application's business.
     */
    public ValidationResult validateClient(List<byte[]> chainDer) throws TlsFatalAlert {
        List<X509Certificate> chain = parse(chainDer, AlertDescription.BAD_CERTIFICATE, "RFC5246-7.4.6");
        if (anchors.isEmpty()) {
            throw new TlsFatalAlert(AlertDescription.UNKNOWN_CA, "RFC5246-7.4.6",
                    "no client trust anchors configured: cannot validate the client's chain (configure --client-ca)");
        }
        Path p = pkix(chain);
        checkLeafUsage(chain.get(0), AlertDescription.BAD_CERTIFICATE, "RFC5280-4.2.1.3", "1.3.6.1.5.5.7.3.2", "clientAuth");
        Revocation r = revocation(p, AlertDescription.CERTIFICATE_REVOKED, "RFC5246-7.4.6");
        return new ValidationResult(p.path, "client anchor " + p.anchorName, null, policy, r.status, r.details);
    }

    // ---------------------------------------------------------------- proxy

    /** DEC-9: is this session-#1 certificate_list an acceptable proxy? Failure: access_denied. */
    public ValidationResult validateProxy(List<byte[]> chainDer) throws TlsFatalAlert {
        List<X509Certificate> chain = parse(chainDer, AlertDescription.ACCESS_DENIED, "DEC-9");
        String pin = HexFormat.of().formatHex(TestPki.spkiSha256(chain.get(0).getPublicKey()));
        if (pinnedSpkiSha256.contains(pin)) {
            return new ValidationResult(new ArrayList<>(List.of(chain.get(0))), "pinned key sha256:" + pin, null,
                    policy, ValidationResult.RevocationStatus.NOT_APPLICABLE_PINNED,
                    List.of("accepted by pin; no path, no revocation check"));
        }
        if (anchors.isEmpty()) {
            throw new TlsFatalAlert(AlertDescription.ACCESS_DENIED, "DEC-9",
                    "the proxy's certificate is not pinned and no proxy trust anchors are configured;"
                            + " a certificate valid in the web PKI is not an acceptable proxy");
        }
        try {
            Path p = pkix(chain);
            checkLeafUsage(chain.get(0), AlertDescription.BAD_CERTIFICATE, "RFC5280-4.2.1.3");
            Revocation r = revocation(p, AlertDescription.CERTIFICATE_REVOKED, "DEC-10");
            return new ValidationResult(p.path, "proxy anchor " + p.anchorName, null, policy, r.status, r.details);
        } catch (TlsFatalAlert e) {
            throw new TlsFatalAlert(AlertDescription.ACCESS_DENIED, "DEC-9",
                    "not an acceptable proxy (" + e.alertName() + " [" + e.requirementId() + "]: " + e.getMessage()
                            + "); a proxy must chain to a configured proxy trust anchor or match a pinned key", e);
        }
    }

    // ---------------------------------------------------------------- steps

    private static List<X509Certificate> parse(List<byte[]> chainDer, int alert, String req) throws TlsFatalAlert {
        if (chainDer == null || chainDer.isEmpty()) {
            throw new TlsFatalAlert(alert, req, "the peer sent an empty certificate_list");
        }
        List<X509Certificate> out = new ArrayList<>();
        for (int i = 0; i < chainDer.size(); i++) {
            try {
                out.add(Pem.certificate(chainDer.get(i)));
            } catch (IOException e) {
                throw new TlsFatalAlert(alert, req, "certificate " + i + " of the chain is malformed: " + e.getMessage());
            }
        }
        return out;
    }

    private static final class Path {
        final List<X509Certificate> path;
        final X509Certificate anchor;
        final String anchorName;

        Path(List<X509Certificate> path, TrustAnchor anchor) {
            this.path = path;
            this.anchor = anchor.getTrustedCert();
            this.anchorName = this.anchor.getSubjectX500Principal().getName();
        }
    }

    /** RFC 5280 §6 with the JDK validator; revocation off here (done by {@link #revocation}). */
    private Path pkix(List<X509Certificate> chain) throws TlsFatalAlert {
        // A peer may include the root itself; the path handed to the validator ends below the anchor.
        List<X509Certificate> path = new ArrayList<>(chain);
        while (path.size() > 1 && isAnchor(path.get(path.size() - 1))) {
            path.remove(path.size() - 1);
        }
        Date now = Date.from(clock.instant());
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            CertPath cp = cf.generateCertPath(path);
            PKIXParameters params = new PKIXParameters(anchors);
            params.setDate(now);
            params.setRevocationEnabled(false);
            PKIXCertPathValidatorResult res = (PKIXCertPathValidatorResult) CertPathValidator.getInstance("PKIX")
                    .validate(cp, params);
            return new Path(path, res.getTrustAnchor());
        } catch (CertPathValidatorException e) {
            throw mapPkix(e, path, now);
        } catch (GeneralSecurityException e) {
            throw new TlsFatalAlert(AlertDescription.BAD_CERTIFICATE, "RFC5280-6",
                    "certificate path could not be processed: " + e.getMessage());
        }
    }

    private boolean isAnchor(X509Certificate c) {
        for (X509Certificate a : anchorCerts) {
            if (a.equals(c)) {
                return true;
            }
        }
        return false;
    }

    private static TlsFatalAlert mapPkix(CertPathValidatorException e, List<X509Certificate> path, Date now) {
        CertPathValidatorException.Reason reason = e.getReason();
        int index = e.getIndex();
        String which = index >= 0 && index < path.size()
                ? "certificate " + index + " (" + path.get(index).getSubjectX500Principal().getName() + ")"
                : "the chain";
        if (reason == BasicReason.EXPIRED || reason == BasicReason.NOT_YET_VALID) {
            X509Certificate c = index >= 0 && index < path.size() ? path.get(index) : path.get(0);
            return new TlsFatalAlert(AlertDescription.CERTIFICATE_EXPIRED, "RFC5280-6",
                    which + (reason == BasicReason.EXPIRED ? " expired on " + c.getNotAfter().toInstant()
                            : " is not valid before " + c.getNotBefore().toInstant())
                            + " (validation time " + now.toInstant() + ")");
        }
        if (reason == PKIXReason.NO_TRUST_ANCHOR || reason == PKIXReason.NAME_CHAINING) {
            return new TlsFatalAlert(AlertDescription.UNKNOWN_CA, "RFC5280-6",
                    "the chain does not lead to a trusted anchor (" + e.getMessage() + "); issuer of the last"
                            + " certificate: " + path.get(path.size() - 1).getIssuerX500Principal().getName());
        }
        if (reason == BasicReason.INVALID_SIGNATURE) {
            return new TlsFatalAlert(AlertDescription.BAD_CERTIFICATE, "RFC5280-6",
                    which + " has a signature that does not verify with its issuer's key");
        }
        return new TlsFatalAlert(AlertDescription.BAD_CERTIFICATE, "RFC5280-6",
                which + " failed path validation (" + reason + "): " + e.getMessage());
    }

    /**
     * The leaf signs the ServerKeyExchange (ECDHE), so digitalSignature is required when keyUsage
     * is present (RFC 5280 §4.2.1.3, RFC 8422 §5.3); extendedKeyUsage, when present, must allow
     * serverAuth or anyExtendedKeyUsage (RFC 5280 §4.2.1.12).
     */
    private static void checkLeafUsage(X509Certificate leaf, int alert, String req) throws TlsFatalAlert {
        checkLeafUsage(leaf, alert, req, "1.3.6.1.5.5.7.3.1", "serverAuth");
    }

    private static void checkLeafUsage(X509Certificate leaf, int alert, String req, String ekuOid, String ekuName)
            throws TlsFatalAlert {
        boolean[] ku = leaf.getKeyUsage();
        if (ku != null && (ku.length == 0 || !ku[0])) {
            throw new TlsFatalAlert(alert, req,
                    "the leaf certificate's keyUsage does not allow digitalSignature, needed to sign the handshake");
        }
        try {
            List<String> eku = leaf.getExtendedKeyUsage();
            if (eku != null && !eku.contains(ekuOid) && !eku.contains("2.5.29.37.0")) {
                throw new TlsFatalAlert(alert, "RFC5280-4.2.1.12",
                        "the leaf certificate's extendedKeyUsage " + eku + " does not include " + ekuName);
            }
        } catch (CertificateParsingException e) {
            throw new TlsFatalAlert(alert, "RFC5280-4.2.1.12", "the leaf's extendedKeyUsage cannot be decoded");
        }
    }

    private static final class Revocation {
        final ValidationResult.RevocationStatus status;
        final List<String> details;

        Revocation(ValidationResult.RevocationStatus status, List<String> details) {
            this.status = status;
            this.details = details;
        }
    }

    /** DEC-10 revocation: each certificate of the path against its issuer's CRL. */
    private Revocation revocation(Path p, int revokedAlert, String req) throws TlsFatalAlert {
        List<String> details = new ArrayList<>();
        if (policy == RevocationPolicy.OFF) {
            details.add("revocation policy off: not checked");
            return new Revocation(ValidationResult.RevocationStatus.NOT_CHECKED_POLICY_OFF, details);
        }
        Date now = Date.from(clock.instant());
        int checked = 0;
        for (int i = 0; i < p.path.size(); i++) {
            X509Certificate cert = p.path.get(i);
            X509Certificate issuer = i + 1 < p.path.size() ? p.path.get(i + 1) : p.anchor;
            String name = cert.getSubjectX500Principal().getName();
            String why = null;
            X509CRL used = null;
            for (X509CRL crl : crls) {
                if (!crl.getIssuerX500Principal().equals(cert.getIssuerX500Principal())) {
                    continue;
                }
                String problem = crlProblem(crl, issuer.getPublicKey(), issuer, now);
                if (problem != null) {
                    why = problem;
                    continue;
                }
                used = crl;
                break;
            }
            if (used == null) {
                String msg = name + ": no usable CRL from " + cert.getIssuerX500Principal().getName()
                        + (why != null ? " (" + why + ")" : "");
                if (policy == RevocationPolicy.REQUIRE) {
                    throw new TlsFatalAlert(AlertDescription.CERTIFICATE_UNKNOWN, req,
                            "revocation status unknown under policy require: " + msg);
                }
                details.add(msg);
                continue;
            }
            X509CRLEntry entry = used.getRevokedCertificate(cert);
            if (entry != null) {
                throw new TlsFatalAlert(revokedAlert, req, name + " (serial " + cert.getSerialNumber().toString(16)
                        + ") is revoked: listed in the CRL of " + used.getIssuerX500Principal().getName()
                        + " since " + entry.getRevocationDate().toInstant()
                        + (entry.getRevocationReason() != null ? ", reason " + entry.getRevocationReason() : ""));
            }
            checked++;
            details.add(name + ": not revoked (CRL of " + used.getIssuerX500Principal().getName() + ", thisUpdate "
                    + used.getThisUpdate().toInstant() + ")");
        }
        ValidationResult.RevocationStatus st = checked == p.path.size() ? ValidationResult.RevocationStatus.CHECKED_ALL_GOOD
                : checked == 0 ? ValidationResult.RevocationStatus.NO_DATA : ValidationResult.RevocationStatus.CHECKED_PARTIAL;
        return new Revocation(st, details);
    }

    private static String crlProblem(X509CRL crl, PublicKey issuerKey, X509Certificate issuer, Date now) {
        boolean[] ku = issuer.getKeyUsage();
        if (ku != null && (ku.length < 7 || !ku[6])) {
            return "issuer's keyUsage lacks cRLSign";
        }
        try {
            crl.verify(issuerKey);
        } catch (GeneralSecurityException e) {
            return "CRL signature does not verify with the issuer's key";
        }
        if (crl.getThisUpdate().after(now)) {
            return "CRL not yet valid (thisUpdate " + crl.getThisUpdate().toInstant() + ")";
        }
        if (crl.getNextUpdate() != null && crl.getNextUpdate().before(now)) {
            return "CRL is stale (nextUpdate " + crl.getNextUpdate().toInstant() + ")";
        }
        Set<String> crit = crl.getCriticalExtensionOIDs();
        if (crit != null && !crit.isEmpty()) {
            return "CRL has critical extensions " + crit + " (delta / partitioned CRLs are not supported)";
        }
        return null;
    }

    /** SHA-256 SPKI pins of certificates, e.g. for a pinned proxy. */
    public static List<byte[]> pinsOf(Collection<X509Certificate> certs) {
        List<byte[]> out = new ArrayList<>();
        for (X509Certificate c : certs) {
            out.add(TestPki.spkiSha256(c.getPublicKey()));
        }
        return out;
    }

}
