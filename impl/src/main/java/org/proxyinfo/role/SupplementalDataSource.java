package org.proxyinfo.role;

import org.proxyinfo.wire.TlsFatalAlert;

/**
 * DEC-23 (a proxy's session #2): the SupplementalData body (RFC 4680) a client sends before its Certificate,
 * computed once the server's ServerHello (its random and nonce) is known. A refusal is the alert to end with.
 */
@FunctionalInterface
public interface SupplementalDataSource {
    byte[] supplementalData(byte[] serverRandom) throws TlsFatalAlert;
}
