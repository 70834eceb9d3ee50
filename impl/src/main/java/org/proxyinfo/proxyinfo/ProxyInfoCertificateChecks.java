package org.proxyinfo.proxyinfo;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The two certificate questions the client's ProxyInfo check asks (the seam between
 * {@link ProxyInfoVerifier} and a PKIX implementation). Implementations answer with an
 * {@link Outcome}, never by throwing: the verifier turns outcomes into facts for
 * {@code org.proxyinfo.core.ProxyInfoDecision}.
 */
public interface ProxyInfoCertificateChecks {

    /**
     * DEC-9: is this chain (end-entity first) an acceptable proxy? Only if it chains to a
     * configured proxy trust anchor or its end-entity key is pinned; a chain that is merely valid in
     * the web PKI is not.
     */
    Outcome acceptableProxy(List<X509Certificate> chain);

    /**
     * DEC-10: is this chain (end-entity first) the intended origin server? PKIX against the client's
     * own trust store at the configured time, key usage, host name (RFC 6125, RFC 2818 §3.1), and
     * revocation per the client's policy given the proxy's {@code revocation_checking_performed}.
     */
    Outcome originServer(List<X509Certificate> chain, String intendedHost, boolean revocationCheckingPerformed);

    /**
     * The answer to one question.
     *
     * @param passed     the check passed
     * @param alert      on failure, the RFC 5246 alert that fits (DEC-9: access_denied; DEC-10:
     *                   bad_certificate, unknown_ca, certificate_expired, certificate_revoked, ...)
     * @param detail     a sentence for people and the trace (what was checked, what was found)
     * @param revocation what was done about revocation (DEC-10 says the trace records it), or null
     */
    record Outcome(boolean passed, int alert, String detail, String revocation) {
        public static Outcome pass(String detail, String revocation) {
            return new Outcome(true, -1, detail, revocation);
        }

        public static Outcome fail(int alert, String detail) {
            return new Outcome(false, alert, detail, null);
        }

        public static Outcome fail(int alert, String detail, String revocation) {
            return new Outcome(false, alert, detail, revocation);
        }
    }
}
