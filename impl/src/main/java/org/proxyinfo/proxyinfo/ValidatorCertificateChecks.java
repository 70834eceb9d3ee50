package org.proxyinfo.proxyinfo;

import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.pki.CertificateValidator;
import org.proxyinfo.pki.RevocationPolicy;
import org.proxyinfo.pki.ValidationResult;
import org.proxyinfo.wire.TlsFatalAlert;

/**
 * {@link ProxyInfoCertificateChecks} on the project's {@link CertificateValidator} (package
 * {@code pki}: JDK PKIX, RFC 6125 host names, KU/EKU, CRL revocation), with the two trust stores
 * DEC-9 keeps apart: proxy trust anchors / pinned proxy keys decide who may intercept, the web trust
 * store decides who the origin server is. A certificate valid in the web PKI is not an acceptable
 * proxy.
 *
 * <p>Revocation (DEC-10, 01-R9), how this class reads it:
 * <ul>
 *   <li>{@code revocation_checking_performed} false: the client applies its policy
 *       ({@code require | prefer | off}) with the CRLs it was given;</li>
 *   <li>{@code revocation_checking_performed} true: the proxy's check stands in for the data the
 *       client lacks, so {@code require} is relaxed to {@code prefer}; the client still checks
 *       whatever its own CRLs cover, so a certificate it knows to be revoked is refused anyway;</li>
 *   <li>proxy chains (DEC-9, DEC-12) are checked for revocation under {@code prefer} when the
 *       policy is not {@code off}: DEC-10's policy is about the origin server's chain.</li>
 * </ul>
 */
public final class ValidatorCertificateChecks implements ProxyInfoCertificateChecks {
    private final CertificateValidator proxies;
    private final CertificateValidator web;
    private final CertificateValidator webWhenProxyChecked;
    private final CertificateValidator webPathOnly;
    private final RevocationPolicy policy;

    /**
     * @param proxyTrustAnchors     DEC-9 proxy trust anchors (may be empty)
     * @param pinnedProxySpkiSha256 DEC-9 pinned proxy keys: SHA-256 of SubjectPublicKeyInfo (may be empty)
     * @param webTrustAnchors       the client's own trust store for origin servers (DEC-10)
     * @param policy                DEC-10 revocation policy (default prefer)
     * @param crls                  the revocation data the client has
     * @param clock                 the time certificates are checked at
     */
    public ValidatorCertificateChecks(List<X509Certificate> proxyTrustAnchors, List<byte[]> pinnedProxySpkiSha256,
                                      List<X509Certificate> webTrustAnchors, RevocationPolicy policy,
                                      List<X509CRL> crls, Clock clock) {
        this.policy = policy;
        RevocationPolicy relaxed = policy == RevocationPolicy.OFF ? RevocationPolicy.OFF : RevocationPolicy.PREFER;
        this.proxies = new CertificateValidator(proxyTrustAnchors, pinnedProxySpkiSha256, clock, relaxed, crls);
        this.web = new CertificateValidator(webTrustAnchors, clock, policy, crls);
        this.webWhenProxyChecked = new CertificateValidator(webTrustAnchors, clock, relaxed, crls);
        this.webPathOnly = new CertificateValidator(webTrustAnchors, clock, RevocationPolicy.OFF, List.of());
    }

    @Override
    public Outcome acceptableProxy(List<X509Certificate> chain) {
        List<byte[]> der;
        try {
            der = der(chain);
        } catch (GeneralSecurityException e) {
            return Outcome.fail(AlertDescription.ACCESS_DENIED, "DEC-9: the proxy certificate cannot be encoded: "
                    + e.getMessage());
        }
        try {
            ValidationResult r = proxies.validateProxy(der);
            return Outcome.pass("DEC-9: acceptable proxy: " + r.summary(), null);
        } catch (TlsFatalAlert e) {
            return Outcome.fail(AlertDescription.ACCESS_DENIED, "DEC-9: " + e.getMessage() + webNote(der));
        }
    }

    /** For a person reading the refusal: say so when the refused proxy is valid in the web PKI. */
    private String webNote(List<byte[]> der) {
        try {
            webPathOnly.validateProxy(der);
            return " (this certificate is valid in the web PKI, which does not make it an acceptable proxy)";
        } catch (TlsFatalAlert e) {
            return "";
        }
    }

    @Override
    public Outcome originServer(List<X509Certificate> chain, String intendedHost, boolean revocationCheckingPerformed) {
        List<byte[]> der;
        try {
            der = der(chain);
        } catch (GeneralSecurityException e) {
            return Outcome.fail(AlertDescription.BAD_CERTIFICATE, "DEC-10: the server certificate cannot be encoded: "
                    + e.getMessage());
        }
        CertificateValidator v = revocationCheckingPerformed ? webWhenProxyChecked : web;
        String reliance = revocationCheckingPerformed && policy != RevocationPolicy.OFF
                ? " (the proxy reported revocation_checking_performed = true, so policy " + policy.label()
                        + " applies as prefer: the client checked what its own CRLs cover)"
                : "";
        try {
            ValidationResult r = v.validateServer(der, intendedHost);
            String revocation = r.revocationPolicy().label() + ": " + r.revocationStatus() + reliance
                    + (r.revocationDetails().isEmpty() ? "" : "; " + String.join("; ", r.revocationDetails()));
            return Outcome.pass("DEC-10: " + r.summary(), revocation);
        } catch (TlsFatalAlert e) {
            String revocation = e.alert() == AlertDescription.CERTIFICATE_REVOKED
                    || e.alert() == AlertDescription.CERTIFICATE_UNKNOWN
                    ? "checked by the client with CRLs, policy " + v.policy().label() + reliance : null;
            return Outcome.fail(e.alert(), "DEC-10 [" + e.requirementId() + "]: " + e.getMessage(), revocation);
        }
    }

    private static List<byte[]> der(List<X509Certificate> chain) throws GeneralSecurityException {
        List<byte[]> out = new ArrayList<>(chain.size());
        for (X509Certificate c : chain) {
            out.add(c.getEncoded());
        }
        return out;
    }
}
