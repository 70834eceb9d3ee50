package org.proxyinfo.adversary;

import java.security.PrivateKey;
import java.util.List;

import org.proxyinfo.clientcert.ClientCertSupplement;
import org.proxyinfo.clientcert.ProxyCertVerify;
import org.proxyinfo.crypto.TlsCrypto;
import org.proxyinfo.wire.TlsFatalAlert;

/**
 * Adversaries against DEC-23 (issue 13), outside the honest roles: each one changes what travels on the wire
 * (the SupplementalData a dishonest proxy forwards, the client's CertificateVerify bytes) or is a proxy the
 * server's operator never accepted. Each must be refused with the alert DEC-23 names:
 * <ul>
 *   <li>{@link #forwardChainWithoutClientSignature}: a proxy forwards the client's chain with a ProxyCertVerify
 *       it made itself (it holds no key of the client): the server refuses, decrypt_error (01-R16);</li>
 *   <li>{@link #replayProxyCertVerify}: a ProxyCertVerify the client made for an earlier session (old nonce) is
 *       forwarded on a new session #2: decrypt_error (01-R16, the nonce is the server's own per session);</li>
 *   <li>{@link #corruptCertificateVerify}: the client's CertificateVerify on session #1 does not verify: the proxy
 *       abandons both sessions, decrypt_error (01-R15);</li>
 *   <li>an unaccepted proxy (a proxy certificate outside the server's accepted proxies, e.g. the test PKI's
 *       {@code proxyUntrusted}): access_denied (01-R16).</li>
 * </ul>
 */
public final class ClientCertAdversary {
    private ClientCertAdversary() { }

    /** The client's chain, with a ProxyCertVerify signed by someone else's key (the proxy's own). */
    public static byte[] forwardChainWithoutClientSignature(TlsCrypto crypto, byte[] honestSupplement, PrivateKey notTheClientsKey,
                                                            int scheme, byte[] serverRandom, byte[] nonce, byte[] proxyCertificateDer)
            throws TlsFatalAlert {
        ClientCertSupplement s = ClientCertSupplement.decode(honestSupplement);
        byte[] forged = ProxyCertVerify.sign(crypto, notTheClientsKey, scheme, serverRandom, nonce, proxyCertificateDer);
        return new ClientCertSupplement(s.clientCertificateList, scheme, forged).encode();
    }

    /** An earlier session's SupplementalData, unchanged: its ProxyCertVerify covers that session's nonce. */
    public static byte[] replayProxyCertVerify(byte[] earlierSupplement) {
        return earlierSupplement.clone();
    }

    /** The client's CertificateVerify signature with one byte flipped on the wire. */
    public static byte[] corruptCertificateVerify(byte[] signature) {
        byte[] s = signature.clone();
        s[s.length / 2] ^= 0x5a;
        return s;
    }

    /** The client's chain dropped from the forwarded entry, replaced by another (e.g. an untrusted) chain. */
    public static byte[] substituteChain(byte[] honestSupplement, List<byte[]> otherChain) throws TlsFatalAlert {
        ClientCertSupplement s = ClientCertSupplement.decode(honestSupplement);
        return new ClientCertSupplement(otherChain, s.signatureScheme, s.proxyCertVerify).encode();
    }
}
