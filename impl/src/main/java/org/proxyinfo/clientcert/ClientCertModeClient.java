package org.proxyinfo.clientcert;

import java.util.Arrays;
import java.util.List;

import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.core.ClientCertMode;
import org.proxyinfo.crypto.TlsCrypto;
import org.proxyinfo.role.Certificates;
import org.proxyinfo.role.ServerCredential;
import org.proxyinfo.wire.TlsFatalAlert;

/**
 * The client's side of DEC-23: it signs a ProxyCertVerify (and builds the SupplementalData that carries it
 * with its chain) only when {@link ClientCertMode#maySignProxyCertVerify} says so, with facts from this
 * connection: its own core's {@code maySignCertificateVerify(decision)} (DEC-8, DEC-9, DEC-10), the
 * server_random of the assertion that decision accepted, the nonce's length, and the session-#1 certificate.
 */
public final class ClientCertModeClient {
    private ClientCertModeClient() { }

    /**
     * @param maySignCertificateVerify {@code ClientHandshake.maySignCertificateVerify(decision)} of this connection
     * @param assertedServerRandom the server_random in the ProxyInfo assertion the decision accepted
     * @param serverRandomToSign the server_random the proxy says to sign (session #2's)
     * @param nonce the server's nonce as the proxy passed it on
     * @param session1ChainDer the session-#1 chain this connection's ProxyInfo check accepted as hop 1's signer (DEC-9;
     *        {@code ProxyInfoCheck.acceptedProxyChain}), empty when it names none
     * @param proxyCertificateToSign the proxy certificate to sign: the leaf of the session-#1 Certificate as received
     */
    public static byte[] supplementalData(TlsCrypto crypto, ServerCredential own, int scheme, boolean maySignCertificateVerify,
                                          byte[] assertedServerRandom, byte[] serverRandomToSign, byte[] nonce,
                                          List<byte[]> session1ChainDer, byte[] proxyCertificateToSign) throws TlsFatalAlert {
        boolean serverRandomAsserted = assertedServerRandom != null && serverRandomToSign != null
                && Arrays.equals(assertedServerRandom, serverRandomToSign);
        boolean nonceOk = nonce != null && nonce.length == ServerNonce.NONCE_LENGTH;
        boolean proxyChecked = !session1ChainDer.isEmpty() && proxyCertificateToSign != null
                && Arrays.equals(session1ChainDer.get(0), proxyCertificateToSign);
        if (!ClientCertMode.maySignProxyCertVerify(maySignCertificateVerify, serverRandomAsserted, nonceOk, proxyChecked)) {
            // DEC-21: a refusal caused by what the proxy sent (a server_random, nonce or certificate that is not the one
            // checked) is illegal_parameter; a connection that should never have come this far is internal_error
            throw new TlsFatalAlert(maySignCertificateVerify ? AlertDescription.ILLEGAL_PARAMETER : AlertDescription.INTERNAL_ERROR,
                    "DEC-23", "the client does not sign a ProxyCertVerify here: "
                    + (!maySignCertificateVerify ? "the proxy or the server was not authenticated (DEC-8, DEC-9, DEC-10)"
                    : !serverRandomAsserted ? "the server_random to sign is not the one the accepted assertion carries"
                    : !nonceOk ? "the nonce is not 32 bytes" : "the proxy certificate to sign is not the session-#1 certificate"));
        }
        byte[] sig = ProxyCertVerify.sign(crypto, own.privateKey, scheme, serverRandomToSign, nonce, proxyCertificateToSign);
        return new ClientCertSupplement(Certificates.encode(own.chain), scheme, sig).encode();
    }
}
