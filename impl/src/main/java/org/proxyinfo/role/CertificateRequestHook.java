package org.proxyinfo.role;

import org.proxyinfo.wire.TlsFatalAlert;

/**
 * DEVIATION (DEC-23): what a client role asks when the server's CertificateRequest arrived, after its core accepted the
 * message and before anything answers it. The proxy's session #2 uses it to learn that the origin wants a client
 * certificate ({@code TlsProxy}); throwing a {@link TlsFatalAlert} ends the handshake with that one fatal alert
 * (DEC-21), so no Certificate and no key material go to the server. An honest role's seam, not an attack switch.
 */
@FunctionalInterface
interface CertificateRequestHook {
    void onCertificateRequest(TlsConnection session) throws TlsFatalAlert;
}
