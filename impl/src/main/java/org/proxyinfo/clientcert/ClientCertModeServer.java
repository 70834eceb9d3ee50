package org.proxyinfo.clientcert;

import java.security.PublicKey;
import java.util.Arrays;
import java.util.List;

import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.core.ClientCertMode;
import org.proxyinfo.crypto.TlsCrypto;
import org.proxyinfo.pki.CertificateValidator;
import org.proxyinfo.pki.ValidationResult;
import org.proxyinfo.wire.TlsFatalAlert;

/**
 * The origin server's side of DEC-23 (01-R14, 01-R16): it issues a fresh nonce for each session #2 a proxy
 * opens ({@link #freshNonce}, sent in its server_to_proxy ProxyInfo, {@link ServerNonce}), and decides on the
 * client identity the proxy forwards ({@link #decide}): it computes the four facts from this session's bytes
 * and keys and asks {@link ClientCertMode#serverDecision} before it accepts. Failure: the alert the core
 * decided (access_denied, decrypt_error, bad_certificate), as a {@link TlsFatalAlert} naming 01-R16.
 */
public final class ClientCertModeServer {
    /**
     * 01-R16, DEC-21: the alert for a session-#2 Certificate that is not a proxy this server accepts, sent when the
     * Certificate arrives (before the proxy's CertificateVerify and the forwarded identity, whose facts
     * {@link ClientCertMode#serverDecision} also needs, exist): access_denied, which is what that decision's contract
     * gives whenever proxy_accepted is false.
     */
    public static final int UNACCEPTED_PROXY_ALERT = AlertDescription.ACCESS_DENIED;

    private final TlsCrypto crypto;
    private final CertificateValidator clientTrust;
    private final CertificateValidator acceptedProxies;

    /**
     * @param clientTrust PKIX of forwarded client chains (the server's client trust, as for RFC5246-7.4.6)
     * @param acceptedProxies the proxies this server accepts client identities from (01-R16)
     */
    public ClientCertModeServer(TlsCrypto crypto, CertificateValidator clientTrust, CertificateValidator acceptedProxies) {
        this.crypto = crypto;
        this.clientTrust = clientTrust;
        this.acceptedProxies = acceptedProxies;
    }

    /** DEC-23: a fresh 32-byte nonce for one session #2 (from the crypto's random source). */
    public byte[] freshNonce() {
        return crypto.random(ServerNonce.NONCE_LENGTH);
    }

    /**
     * 01-R16: is this session-#2 Certificate a proxy this server accepts, and the one its proxy_to_server ProxyInfo
     * names? Refusal: access_denied.
     */
    public ValidationResult validateProxy(List<byte[]> proxyChainDer, List<byte[]> proxyToServerChainDer) throws TlsFatalAlert {
        ValidationResult v = acceptedProxies.validateProxy(proxyChainDer);
        if (proxyToServerChainDer.isEmpty() || !Arrays.equals(proxyChainDer.get(0), proxyToServerChainDer.get(0))) {
            throw new TlsFatalAlert(AlertDescription.ACCESS_DENIED, "01-R16",
                    "the proxy's Certificate is not the certificate its proxy_to_server ProxyInfo names");
        }
        return v;
    }

    /** What the server decided, with the facts it gave the core (for the trace). */
    public record Verdict(String clientSubject, String facts) { }

    /**
     * 01-R16: the client identity forwarded on session #2.
     * @param supplementalData the SupplementalData body the proxy sent on session #2
     * @param proxyChainDer the proxy's session-#2 Certificate (end entity first)
     * @param proxyToServerChainDer the proxy_certificate_list of the proxy's proxy_to_server ProxyInfo
     * @param proxyCertificateVerifyOk the proxy's CertificateVerify over session #2's handshake verified (RFC5246-7.4.8)
     * @param serverRandom this session's ServerHello.random
     * @param ownNonce the nonce this server issued in this session's server_to_proxy ProxyInfo
     */
    public Verdict decide(byte[] supplementalData, List<byte[]> proxyChainDer, List<byte[]> proxyToServerChainDer,
                          boolean proxyCertificateVerifyOk, byte[] serverRandom, byte[] ownNonce) throws TlsFatalAlert {
        ClientCertSupplement s = ClientCertSupplement.decode(supplementalData); // decode_error when malformed (DEC-21)
        boolean proxyAccepted = false;
        String proxyDetail;
        try {
            acceptedProxies.validateProxy(proxyChainDer);
            proxyAccepted = !proxyChainDer.isEmpty() && !proxyToServerChainDer.isEmpty()
                    && Arrays.equals(proxyChainDer.get(0), proxyToServerChainDer.get(0));
            proxyDetail = proxyAccepted ? "accepted" : "its Certificate is not the one in its proxy_to_server ProxyInfo";
        } catch (TlsFatalAlert e) {
            proxyDetail = e.getMessage();
        }
        boolean clientChainOk = false;
        PublicKey clientKey = null;
        String clientSubject = null;
        String chainDetail;
        try {
            ValidationResult v = clientTrust.validateClient(s.clientCertificateList);
            clientChainOk = true;
            clientKey = v.leafPublicKey();
            clientSubject = v.path().get(0).getSubjectX500Principal().getName();
            chainDetail = v.summary();
        } catch (TlsFatalAlert e) {
            chainDetail = e.getMessage();
        }
        boolean proxyCertVerifyOk = clientKey != null && !proxyChainDer.isEmpty()
                && ProxyCertVerify.verify(crypto, clientKey, s.signatureScheme, s.proxyCertVerify, serverRandom, ownNonce,
                        proxyChainDer.get(0));
        String facts = "proxy_accepted=" + proxyAccepted + " (" + proxyDetail + "), proxy_signature_ok=" + proxyCertificateVerifyOk
                + ", client_chain_ok=" + clientChainOk + " (" + chainDetail + "), proxy_cert_verify_ok=" + proxyCertVerifyOk;
        int alert = ClientCertMode.serverDecision(proxyAccepted, proxyCertificateVerifyOk, clientChainOk, proxyCertVerifyOk);
        if (alert != ClientCertMode.NO_ALERT) {
            throw new TlsFatalAlert(alert, "01-R16", "DEC-23: the client identity forwarded by the proxy is refused ("
                    + AlertDescription.name(alert) + "): " + facts);
        }
        return new Verdict(clientSubject, facts);
    }
}
