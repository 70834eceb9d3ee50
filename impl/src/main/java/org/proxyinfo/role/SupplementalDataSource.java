package org.proxyinfo.role;

import org.proxyinfo.wire.TlsFatalAlert;

/**
 * DEC-23 (a proxy's session #2): the SupplementalData body (RFC 4680) a client sends before its Certificate,
 * computed once the server's ServerHello (its random and nonce) is known. A refusal is the alert to end with.
 */
@FunctionalInterface
public interface SupplementalDataSource {
    byte[] supplementalData(byte[] serverRandom) throws TlsFatalAlert;

    /** As {@link #supplementalData(byte[])}, given the session #2 it is asked on (a proxy holds it there, DEC-23). */
    default byte[] supplementalData(TlsConnection session2, byte[] serverRandom) throws TlsFatalAlert {
        return supplementalData(serverRandom);
    }
}
