package org.proxyinfo.pki;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;

/**
 * What an accepted chain was accepted as, for traces: the path, the leaf's key (the key that must
 * verify the peer's signatures), the anchor or pin it was accepted against, the name that matched,
 * and exactly what revocation checking was done (DEC-10).
 */
public final class ValidationResult {

    /** What revocation checking did. */
    public enum RevocationStatus {
        /** Policy off: nothing checked. */
        NOT_CHECKED_POLICY_OFF,
        /** Every certificate below the anchor was checked against a current CRL and is not listed. */
        CHECKED_ALL_GOOD,
        /** Some were checked and not listed; the others had no usable CRL (policy prefer). */
        CHECKED_PARTIAL,
        /** No usable CRL for any certificate (policy prefer). */
        NO_DATA,
        /** Accepted by a pinned key: no path, so no revocation check (DEC-9). */
        NOT_APPLICABLE_PINNED
    }

    private final List<X509Certificate> path;
    private final String acceptedBy;
    private final String matchedName;
    private final RevocationPolicy revocationPolicy;
    private final RevocationStatus revocationStatus;
    private final List<String> revocationDetails;

    ValidationResult(List<X509Certificate> path, String acceptedBy, String matchedName,
                     RevocationPolicy revocationPolicy, RevocationStatus revocationStatus,
                     List<String> revocationDetails) {
        this.path = Collections.unmodifiableList(path);
        this.acceptedBy = acceptedBy;
        this.matchedName = matchedName;
        this.revocationPolicy = revocationPolicy;
        this.revocationStatus = revocationStatus;
        this.revocationDetails = Collections.unmodifiableList(revocationDetails);
    }

    /** Always true: a rejected chain is a TlsFatalAlert, never a result. */
    public boolean accepted() { return true; }

    /** The validated path, leaf first, without the trust anchor. */
    public List<X509Certificate> path() { return path; }

    public X509Certificate leaf() { return path.get(0); }

    public PublicKey leafPublicKey() { return leaf().getPublicKey(); }

    /** "anchor CN=..." or "pinned key sha256:..." */
    public String acceptedBy() { return acceptedBy; }

    /** The presented identifier that matched the host (server validation), or null. */
    public String matchedName() { return matchedName; }

    public RevocationPolicy revocationPolicy() { return revocationPolicy; }

    public RevocationStatus revocationStatus() { return revocationStatus; }

    /** One line per certificate: which CRL covered it, or why none did. */
    public List<String> revocationDetails() { return revocationDetails; }

    /**
     * True only if every certificate below the anchor was really checked (the meaning of the
     * draft's revocation_checking_performed, DEC-15).
     */
    public boolean revocationCheckingPerformed() { return revocationStatus == RevocationStatus.CHECKED_ALL_GOOD; }

    /** One line for a trace's check event detail. */
    public String summary() {
        return "accepted " + leaf().getSubjectX500Principal().getName() + " by " + acceptedBy
                + (matchedName != null ? ", name " + matchedName : "")
                + ", revocation " + revocationPolicy.label() + ": " + revocationStatus;
    }
}
