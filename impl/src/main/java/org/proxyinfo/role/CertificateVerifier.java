package org.proxyinfo.role;

import java.security.cert.X509Certificate;
import java.util.List;

import org.proxyinfo.pki.CertificateValidator;
import org.proxyinfo.wire.TlsFatalAlert;

/**
 * How a client checks the server's chain (DEC-10): PKIX path validation against its trust store
 * at the configured time, plus host-name matching (RFC 6125, RFC 2818 §3.1). Throws the DEC-10
 * alert (unknown_ca, certificate_expired, bad_certificate, certificate_revoked, ...); on success
 * returns one line saying what was accepted and how (for the trace and the CLI summary).
 */
public interface CertificateVerifier {
    String verify(List<X509Certificate> chain, List<byte[]> chainDer, String hostName) throws TlsFatalAlert;

    /** The pki package's validator (trust anchors, clock, revocation policy and CRLs are its configuration). */
    static CertificateVerifier pkix(CertificateValidator validator) {
        return (chain, der, host) -> validator.validateServer(der, host).summary();
    }
}
