package org.proxyinfo.role;

import java.util.List;

import org.proxyinfo.ext.HelloContext;
import org.proxyinfo.wire.ClientHello;
import org.proxyinfo.wire.TlsFatalAlert;

/**
 * How {@link TlsProxy} drives the server side of session #1 inside {@link TlsServer}: the server
 * runs RFC 5246 as usual and calls these at the three points where a proxy differs. An ordinary
 * server has no hook (DEC-19).
 */
interface DownstreamHook {
    /** After ClientHello is decoded, before negotiation: the credentials to negotiate with (proxy certificate, or a mint placeholder). */
    List<ServerCredential> credentials(TlsConnection session1, ClientHello ch, HelloContext hello) throws TlsFatalAlert;

    /** After the server core accepted the ClientHello, before any ServerHello (DEC-17, DEC-16, then session #2: DEC-14, DEC-15). */
    void afterClientHello(TlsConnection session1, ClientHello ch, HelloContext hello) throws TlsFatalAlert;

    /**
     * Session #1's randoms are known: put the proxy_info extension_data into {@code hello.extra}
     * (DEC-5) or mint (DEC-17). Returns the credential to send (a minted one), or null to keep {@code chosen}.
     */
    ServerCredential beforeServerHello(TlsConnection session1, HelloContext hello, ServerCredential chosen,
                                       int otherExtensionsLength) throws TlsFatalAlert;

    /**
     * DEC-14: asked BEFORE the ServerHello is queued; throws (the core's refusal) if session #1 may
     * not be answered yet, so that nothing of the server flight is written.
     */
    void beforeServerHelloQueued(TlsConnection session1) throws TlsFatalAlert;

    /**
     * DEC-22 (01-R2..R4): after {@link #afterClientHello} (session #2 is done): the cached session #1 to resume,
     * or null for a full session #1.
     */
    default SessionCache.Session resumeSession1(TlsConnection session1) {
        return null;
    }

    /**
     * DEVIATION (DEC-23): session #2 is held at ServerHelloDone for the client-certificate mode, so session #1 takes
     * the client's SupplementalData, Certificate and CertificateVerify for the origin (impl/CLIENTCERT.md).
     */
    default boolean clientCertMode(TlsConnection session1) {
        return false;
    }

    /**
     * DEC-23, 01-R15: the client's Certificate (possibly empty) and SupplementalData body (or null) arrived on session #1,
     * and session #1's server core decided on its CertificateVerify: {@code clientAuthenticated} is that core's verdict
     * ({@code ServerHandshake.isClientAuthenticated()} after {@code onCertificateVerify}: a requested scheme that fits the
     * leaf key, the signature over this transcript), false when no CertificateVerify can come (no chain, or one that does
     * not parse). Throws the alert that ends both sessions, else the client's identity goes to session #2.
     */
    default void onClientAuthentication(TlsConnection session1, List<byte[]> clientChainDer, byte[] supplementalData,
                                        boolean clientAuthenticated) throws TlsFatalAlert {
    }

    /** DEC-23: asked after the client's Finished verified, before session #1's ChangeCipherSpec and Finished. */
    default void beforeFinishedSent(TlsConnection session1) throws TlsFatalAlert {
    }

    /** DEC-21: session #1's fatal alert goes through the proxy's core first (see TlsConnection.AlertLatch). */
    int fatalAlertToSend(int alert, String requirement);
}
