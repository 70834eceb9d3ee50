package org.proxyinfo.proxyinfo;

import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECKey;
import java.util.List;
import java.util.Objects;

import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.crypto.TlsCrypto;
import org.proxyinfo.wire.TlsFatalAlert;

/**
 * The proxy side of DEC-5 (draft-01 §3 proxy step 4): builds a {@code proxy_to_client}
 * {@link SignedProxyInfo} about session #2 and signs it with the private key of the proxy's
 * session-#1 certificate, with a SignatureScheme the client offered in signature_algorithms that
 * fits the key. Also the matching verification primitive ({@link #verify}).
 */
public final class ProxyInfoSigner {
    /** RFC 8446 §4.2.3 code points, equal to the TLS 1.2 SignatureAndHashAlgorithm pairs. */
    public static final int ECDSA_SECP256R1_SHA256 = 0x0403;
    public static final int RSA_PSS_RSAE_SHA256 = 0x0804;
    public static final int RSA_PKCS1_SHA256 = 0x0401;

    private final TlsCrypto crypto;
    private final SigningMode mode;

    public ProxyInfoSigner(TlsCrypto crypto, SigningMode mode) {
        this.crypto = Objects.requireNonNull(crypto, "crypto");
        this.mode = Objects.requireNonNull(mode, "mode");
    }

    public SigningMode mode() { return mode; }

    /** Whether a SignatureScheme this implementation supports can be made or checked with the key. */
    public static boolean schemeFitsKey(int scheme, Key key) {
        String alg = key.getAlgorithm();
        switch (scheme) {
            case ECDSA_SECP256R1_SHA256:
                return ("EC".equals(alg) || "ECDSA".equals(alg)) && key instanceof ECKey ec
                        && ec.getParams().getCurve().getField().getFieldSize() == 256;
            case RSA_PSS_RSAE_SHA256:
            case RSA_PKCS1_SHA256:
                return "RSA".equals(alg);
            default:
                return false;
        }
    }

    /**
     * DEC-5: the first scheme in the client's signature_algorithms (its preference order) that fits
     * the proxy's key; handshake_failure when there is none, since the proxy then cannot make an
     * assertion the client can check.
     */
    public static int chooseScheme(List<Integer> clientOffered, PrivateKey key) throws TlsFatalAlert {
        for (Integer s : clientOffered) {
            if (schemeFitsKey(s, key)) {
                return s;
            }
        }
        throw new TlsFatalAlert(AlertDescription.HANDSHAKE_FAILURE, "DEC-5",
                "the client's signature_algorithms " + hexList(clientOffered) + " contain no scheme the proxy's "
                        + key.getAlgorithm() + " key can sign the proxy_info assertion with");
    }

    /**
     * Builds and signs the assertion.
     *
     * @param clientOffered            the client's signature_algorithms, in its order
     * @param session1ClientRandom     ClientHello.random of session #1 (bound mode)
     * @param session1ServerRandom     the proxy's ServerHello.random on session #1 (bound mode)
     * @param connectionParameters     what session #2 negotiated
     * @param serverCertificateList    session #2's Certificate (DER, end-entity first)
     * @param session2ServerRandom     session #2's ServerHello.random (the {@code server_random} field)
     * @param revocationCheckingPerformed true only if the proxy really checked revocation (DEC-15)
     * @param nextProxyInfo            {@link ProxyInfo#endOfChain()} or the upstream proxy's assertion, unchanged
     */
    public SignedProxyInfo sign(PrivateKey proxyKey, List<Integer> clientOffered, byte[] session1ClientRandom,
                                byte[] session1ServerRandom, ConnectionSecurityParameters connectionParameters,
                                List<byte[]> serverCertificateList, byte[] session2ServerRandom,
                                boolean revocationCheckingPerformed, ProxyInfo nextProxyInfo) throws TlsFatalAlert {
        int scheme = chooseScheme(clientOffered, proxyKey);
        byte[] fields = SignedProxyInfo.encodeFields(connectionParameters, serverCertificateList, session2ServerRandom,
                revocationCheckingPerformed, nextProxyInfo);
        byte[] input = mode.signedInput(session1ClientRandom, session1ServerRandom, fields);
        byte[] sig = crypto.sign(proxyKey, scheme, input);
        return new SignedProxyInfo(connectionParameters, serverCertificateList, session2ServerRandom,
                revocationCheckingPerformed, nextProxyInfo, new DigitallySigned(scheme, sig));
    }

    /**
     * True iff the assertion's DigitallySigned verifies with {@code signerKey} over this mode's
     * signed input. Never throws for a bad signature (TlsCrypto contract).
     */
    public static boolean verify(TlsCrypto crypto, SigningMode mode, PublicKey signerKey, byte[] clientRandom,
                                 byte[] serverRandom, SignedProxyInfo info) {
        DigitallySigned ds = info.signature();
        if (!schemeFitsKey(ds.signatureScheme(), signerKey)) {
            return false;
        }
        byte[] input = mode.signedInput(clientRandom, serverRandom, info.encodedFields());
        return crypto.verify(signerKey, ds.signatureScheme(), input, ds.signature());
    }

    static String hexList(List<Integer> schemes) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < schemes.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(String.format("0x%04X", schemes.get(i)));
        }
        return sb.append(']').toString();
    }
}
