package org.proxyinfo.role;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

import org.proxyinfo.wire.TlsFatalAlert;

/**
 * How a client checks the server's chain (DEC-10): PKIX path validation against its trust store
 * at a given time, plus host-name matching (RFC 6125). Implemented over the pki package's
 * validator; throws the DEC-10 alert (unknown_ca, certificate_expired, bad_certificate, ...).
 */
public interface CertificateVerifier {
    void verify(List<X509Certificate> chain, String hostName, Instant now) throws TlsFatalAlert;
}
