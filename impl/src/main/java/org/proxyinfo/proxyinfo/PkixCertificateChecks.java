package org.proxyinfo.proxyinfo;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
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
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

import org.proxyinfo.core.AlertDescription;

/**
 * {@link ProxyInfoCertificateChecks} on the JDK's PKIX validator (RFC 5280 path validation) plus
 * the checks PKIX leaves to the application: host name (RFC 6125 §6.4, RFC 2818 §3.1), server key
 * usage, and CRL-based revocation per {@link RevocationPolicy} (DEC-10). Time comes from the
 * configured {@link Clock} (DESIGN.md determinism rule).
 *
 * <p>Two separate trust stores, on purpose (DEC-9): proxy trust anchors / pinned proxy keys decide
 * who may intercept; the web trust store decides who the origin server is. A certificate valid in
 * the web PKI is not an acceptable proxy.
 */
public final class PkixCertificateChecks implements ProxyInfoCertificateChecks {
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String ANY_EKU = "2.5.29.37.0";

    private final List<X509Certificate> proxyTrustAnchors;
    private final List<PublicKey> pinnedProxyKeys;
    private final List<X509Certificate> webTrustAnchors;
    private final RevocationPolicy revocationPolicy;
    private final List<X509CRL> crls;
    private final Clock clock;

    public PkixCertificateChecks(List<X509Certificate> proxyTrustAnchors, List<PublicKey> pinnedProxyKeys,
                                 List<X509Certificate> webTrustAnchors, RevocationPolicy revocationPolicy,
                                 List<X509CRL> crls, Clock clock) {
        this.proxyTrustAnchors = List.copyOf(proxyTrustAnchors);
        this.pinnedProxyKeys = List.copyOf(pinnedProxyKeys);
        this.webTrustAnchors = List.copyOf(webTrustAnchors);
        this.revocationPolicy = Objects.requireNonNull(revocationPolicy, "revocationPolicy");
        this.crls = List.copyOf(crls);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    // ------------------------------------------------------------------ DEC-9

    @Override
    public Outcome acceptableProxy(List<X509Certificate> chain) {
        if (chain.isEmpty()) {
            return Outcome.fail(AlertDescription.ACCESS_DENIED, "DEC-9: the proxy sent no certificate");
        }
        X509Certificate ee = chain.get(0);
        String who = describe(ee);
        byte[] spki = ee.getPublicKey().getEncoded();
        for (PublicKey pinned : pinnedProxyKeys) {
            if (Arrays.equals(pinned.getEncoded(), spki)) {
                return Outcome.pass("DEC-9: proxy " + who + " matches a pinned proxy key (SPKI sha256 "
                        + sha256Hex(spki) + ")", null);
            }
        }
        if (proxyTrustAnchors.isEmpty()) {
            return Outcome.fail(AlertDescription.ACCESS_DENIED, "DEC-9: proxy " + who + " is not pinned and no proxy"
                    + " trust anchor is configured, so no proxy is acceptable" + webNote(chain));
        }
        try {
            validate(chain, proxyTrustAnchors);
        } catch (CertPathValidatorException e) {
            return Outcome.fail(AlertDescription.ACCESS_DENIED, "DEC-9: proxy " + who + " does not chain to a"
                    + " configured proxy trust anchor and is not pinned (" + reason(e) + ")" + webNote(chain));
        } catch (GeneralSecurityException e) {
            return Outcome.fail(AlertDescription.ACCESS_DENIED, "DEC-9: proxy " + who + " could not be validated: "
                    + e.getMessage());
        }
        String ku = keyUsageProblem(ee, false);
        if (ku != null) {
            return Outcome.fail(AlertDescription.ACCESS_DENIED, "DEC-9: proxy " + who + ": " + ku);
        }
        return Outcome.pass("DEC-9: proxy " + who + " chains to a configured proxy trust anchor", null);
    }

    /** For the refusal message: say it when the refused proxy would have passed as a web server. */
    private String webNote(List<X509Certificate> chain) {
        if (webTrustAnchors.isEmpty()) {
            return "";
        }
        try {
            validate(chain, webTrustAnchors);
            return "; it is valid in the web PKI, which does not make it an acceptable proxy";
        } catch (GeneralSecurityException e) {
            return "";
        }
    }

    // ------------------------------------------------------------------ DEC-10

    @Override
    public Outcome originServer(List<X509Certificate> chain, String intendedHost, boolean revocationCheckingPerformed) {
        if (chain.isEmpty()) {
            return Outcome.fail(AlertDescription.BAD_CERTIFICATE, "DEC-10: the server_certificate_list is empty");
        }
        X509Certificate ee = chain.get(0);
        String who = describe(ee);
        PKIXCertPathValidatorResult result;
        try {
            result = validate(chain, webTrustAnchors);
        } catch (CertPathValidatorException e) {
            return Outcome.fail(alertFor(e), "DEC-10: server certificate " + who + " failed PKIX validation against"
                    + " the client's trust store: " + reason(e));
        } catch (GeneralSecurityException e) {
            return Outcome.fail(AlertDescription.BAD_CERTIFICATE, "DEC-10: server certificate " + who
                    + " could not be validated: " + e.getMessage());
        }
        String ku = keyUsageProblem(ee, true);
        if (ku != null) {
            return Outcome.fail(AlertDescription.BAD_CERTIFICATE, "DEC-10: server certificate " + who + ": " + ku);
        }
        String nameProblem = hostNameProblem(ee, intendedHost);
        if (nameProblem != null) {
            return Outcome.fail(AlertDescription.BAD_CERTIFICATE, "DEC-10 (RFC6125-6.4, RFC2818-3.1): " + nameProblem);
        }
        return revocation(chain, result.getTrustAnchor().getTrustedCert(), revocationCheckingPerformed, who);
    }

    private Outcome revocation(List<X509Certificate> chain, X509Certificate anchor, boolean proxyChecked, String who) {
        String ok = "DEC-10: server certificate " + who + " is valid for the intended host";
        if (revocationPolicy == RevocationPolicy.OFF) {
            return Outcome.pass(ok, "off: the client's policy skips revocation checking");
        }
        if (proxyChecked) {
            return Outcome.pass(ok, "relied on the proxy: revocation_checking_performed is true (01-R9)");
        }
        Date now = Date.from(clock.instant());
        List<String> notes = new ArrayList<>();
        int covered = 0;
        int nonAnchor = 0;
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate c = chain.get(i);
            if (isAnchor(c, anchor)) {
                break;
            }
            nonAnchor++;
            X509Certificate issuer = i + 1 < chain.size() ? chain.get(i + 1) : anchor;
            X509CRL crl = crlFor(issuer, now);
            if (crl == null) {
                notes.add("no CRL from " + issuer.getSubjectX500Principal().getName() + " for " + describe(c));
                continue;
            }
            covered++;
            X509CRLEntry entry = crl.getRevokedCertificate(c);
            if (entry != null) {
                return Outcome.fail(AlertDescription.CERTIFICATE_REVOKED, "DEC-10: certificate " + describe(c)
                        + " is revoked (CRL of " + issuer.getSubjectX500Principal().getName() + ", since "
                        + entry.getRevocationDate().toInstant() + ")",
                        "checked by the client with CRLs (revocation_checking_performed was false)");
            }
        }
        if (covered < nonAnchor && revocationPolicy == RevocationPolicy.REQUIRE) {
            return Outcome.fail(AlertDescription.CERTIFICATE_UNKNOWN, "DEC-10: revocation policy is require, the"
                    + " proxy did not check revocation, and the client has no revocation data: " + String.join("; ", notes),
                    "require: no revocation data");
        }
        String done = covered == nonAnchor
                ? "checked by the client with CRLs: " + covered + " of " + nonAnchor + " certificates covered, none revoked"
                : "prefer: " + covered + " of " + nonAnchor + " certificates covered by CRLs, none revoked; "
                        + String.join("; ", notes);
        return Outcome.pass(ok, done);
    }

    private static boolean isAnchor(X509Certificate c, X509Certificate anchor) {
        try {
            return Arrays.equals(c.getEncoded(), anchor.getEncoded());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** A CRL issued by {@code issuer}, signed by its key, current at {@code now}; null if none. */
    private X509CRL crlFor(X509Certificate issuer, Date now) {
        for (X509CRL crl : crls) {
            if (!crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
                continue;
            }
            try {
                crl.verify(issuer.getPublicKey());
            } catch (GeneralSecurityException e) {
                continue;
            }
            if (crl.getThisUpdate().after(now) || (crl.getNextUpdate() != null && crl.getNextUpdate().before(now))) {
                continue;
            }
            return crl;
        }
        return null;
    }

    // ------------------------------------------------------------------ PKIX

    private PKIXCertPathValidatorResult validate(List<X509Certificate> chain, List<X509Certificate> anchors)
            throws GeneralSecurityException {
        if (anchors.isEmpty()) {
            throw new CertPathValidatorException("no trust anchors configured", null, null, -1,
                    PKIXReason.NO_TRUST_ANCHOR);
        }
        Set<TrustAnchor> trust = new HashSet<>();
        for (X509Certificate a : anchors) {
            trust.add(new TrustAnchor(a, null));
        }
        // The path handed to PKIX excludes a trailing copy of a trust anchor (RFC 5246 §7.4.2 lets
        // the root be omitted or sent).
        List<X509Certificate> path = new ArrayList<>(chain);
        while (path.size() > 1 && containsCert(anchors, path.get(path.size() - 1))) {
            path.remove(path.size() - 1);
        }
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        CertPath cp = cf.generateCertPath(path);
        PKIXParameters params = new PKIXParameters(trust);
        params.setRevocationEnabled(false); // revocation is DEC-10's own step, with the client's CRLs
        params.setDate(Date.from(clock.instant()));
        return (PKIXCertPathValidatorResult) CertPathValidator.getInstance("PKIX").validate(cp, params);
    }

    private static boolean containsCert(List<X509Certificate> certs, X509Certificate c) {
        for (X509Certificate a : certs) {
            if (isAnchor(c, a)) {
                return true;
            }
        }
        return false;
    }

    static int alertFor(CertPathValidatorException e) {
        CertPathValidatorException.Reason r = e.getReason();
        if (r == CertPathValidatorException.BasicReason.EXPIRED
                || r == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
            return AlertDescription.CERTIFICATE_EXPIRED;
        }
        if (r == CertPathValidatorException.BasicReason.REVOKED) {
            return AlertDescription.CERTIFICATE_REVOKED;
        }
        if (r == PKIXReason.NO_TRUST_ANCHOR) {
            return AlertDescription.UNKNOWN_CA;
        }
        return AlertDescription.BAD_CERTIFICATE;
    }

    private static String reason(CertPathValidatorException e) {
        return e.getMessage() + (e.getReason() == null ? "" : " [" + e.getReason() + "]");
    }

    /** RFC 5280 §4.2.1.3/§4.2.1.12: the end-entity key must be usable for TLS signatures. */
    private static String keyUsageProblem(X509Certificate ee, boolean server) {
        boolean[] ku = ee.getKeyUsage();
        if (ku != null && !ku[0]) {
            return "keyUsage lacks digitalSignature, so the key may not sign TLS handshakes";
        }
        if (server) {
            try {
                List<String> eku = ee.getExtendedKeyUsage();
                if (eku != null && !eku.contains(SERVER_AUTH) && !eku.contains(ANY_EKU)) {
                    return "extendedKeyUsage lacks serverAuth";
                }
            } catch (CertificateParsingException e) {
                return "extendedKeyUsage cannot be parsed: " + e.getMessage();
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ RFC 6125 host names

    /** Null when the certificate names {@code host}; else a sentence naming the certificate's names. */
    static String hostNameProblem(X509Certificate ee, String host) {
        if (host == null || host.isEmpty()) {
            return "the client has no intended host name (SNI) to check the server certificate against";
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        boolean ip = isIpLiteral(h);
        List<String> dns = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        try {
            Collection<List<?>> sans = ee.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    int type = (Integer) san.get(0);
                    if (type == 2) {
                        dns.add(((String) san.get(1)).toLowerCase(Locale.ROOT));
                    } else if (type == 7) {
                        ips.add((String) san.get(1));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return "subjectAltName cannot be parsed: " + e.getMessage();
        }
        if (ip) {
            for (String candidate : ips) {
                if (sameAddress(candidate, h)) {
                    return null;
                }
            }
            return "certificate " + describe(ee) + " has no iPAddress " + host + " (its IP names: " + ips + ")";
        }
        List<String> names = dns;
        if (dns.isEmpty()) {
            // RFC 2818 §3.1: without a dNSName, the most specific Common Name is the identity.
            String cn = commonName(ee);
            names = cn == null ? List.of() : List.of(cn.toLowerCase(Locale.ROOT));
        }
        for (String name : names) {
            if (dnsMatches(name, h)) {
                return null;
            }
        }
        return "server certificate " + describe(ee) + " is for " + names + ", not for the intended host " + host;
    }

    /** RFC 6125 §6.4.3: exact match, or a wildcard that is the whole left-most label of 3+ labels. */
    static boolean dnsMatches(String pattern, String host) {
        if (pattern.endsWith(".")) {
            pattern = pattern.substring(0, pattern.length() - 1);
        }
        if (!pattern.startsWith("*.")) {
            return pattern.equals(host);
        }
        String rest = pattern.substring(2);
        if (rest.indexOf('.') < 0 || rest.contains("*")) {
            return false; // no "*.com", only one wildcard
        }
        int dot = host.indexOf('.');
        return dot > 0 && host.substring(dot + 1).equals(rest);
    }

    private static boolean isIpLiteral(String h) {
        return h.contains(":") || h.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    }

    private static boolean sameAddress(String a, String b) {
        try {
            return InetAddress.getByName(a).equals(InetAddress.getByName(b));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String commonName(X509Certificate c) {
        try {
            LdapName dn = new LdapName(c.getSubjectX500Principal().getName());
            String cn = null;
            for (Rdn rdn : dn.getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    cn = rdn.getValue().toString(); // getRdns() runs from least to most specific
                }
            }
            return cn;
        } catch (InvalidNameException e) {
            return null;
        }
    }

    static String describe(X509Certificate c) {
        return "'" + c.getSubjectX500Principal().getName() + "'";
    }

    static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
