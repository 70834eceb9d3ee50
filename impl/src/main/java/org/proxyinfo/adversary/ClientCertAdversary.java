package org.proxyinfo.adversary;

import java.security.PrivateKey;
import java.util.List;

import org.proxyinfo.clientcert.ClientCertSupplement;
import org.proxyinfo.clientcert.ProxyCertVerify;
import org.proxyinfo.crypto.TlsCrypto;
import org.proxyinfo.role.HandshakeTap;
import org.proxyinfo.trace.TraceSink;
import org.proxyinfo.wire.CertificateVerify;
import org.proxyinfo.wire.Extension;
import org.proxyinfo.wire.HandshakeType;
import org.proxyinfo.wire.Hex;
import org.proxyinfo.wire.ServerHello;
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

    /**
     * The demo's DEC-23 adversary on a client's host (issue 13): the client's CertificateVerify leaves the host with one
     * byte of its signature flipped ({@link #corruptCertificateVerify}), after the honest client signed. The proxy must
     * abandon both sessions with decrypt_error (01-R15). Every change is a failed "ADVERSARY: ..." check of role attacker in the trace (TraceSink.adversary).
     */
    public static HandshakeTap corruptClientCertificateVerify(TraceSink trace, String role, String leg) {
        TraceSink t = trace == null ? TraceSink.NONE : trace;
        return (type, body, cr, sr) -> {
            if (type != HandshakeType.CERTIFICATE_VERIFY) {
                return body;
            }
            try {
                CertificateVerify cv = CertificateVerify.decode(body);
                t.adversary(role, leg, "01-R15", "the client's CertificateVerify signature corrupted on its host, after the"
                        + " client signed", null);
                return new CertificateVerify(cv.signatureScheme, corruptCertificateVerify(cv.signature)).encode();
            } catch (TlsFatalAlert e) {
                return body;
            }
        };
    }

    /**
     * The demo's DEC-23 adversary on a proxy's host (issue 13, 01-R16): it holds the proxy's key and changes the
     * SupplementalData the honest proxy forwards on session #2. It reads (never changes) session #1's ServerHello for
     * the server's nonce (the client_cert_mode extension: session #2's server_random || nonce). Every change is a
     * failed "ADVERSARY: ..." check of role attacker among the proxy's events (TraceSink.adversary).
     */
    public static final class OnProxyHost {
        private final TraceSink trace;
        private final String role;
        private final String leg;
        private volatile byte[] nonce;
        private volatile byte[] earlier;

        /** @param leg the proxy's session-#2 leg (where its changes are recorded) */
        public OnProxyHost(TraceSink trace, String role, String leg) {
            this.trace = trace == null ? TraceSink.NONE : trace;
            this.role = role;
            this.leg = leg;
        }

        /** Session #1: records the nonce from the proxy's ServerHello (client_cert_mode, 0xFF23); the bytes go out unchanged. */
        public HandshakeTap session1Observer() {
            return (type, body, cr, sr) -> {
                if (type == HandshakeType.SERVER_HELLO) {
                    try {
                        Extension x = Extension.find(ServerHello.decode(body).extensions,
                                org.proxyinfo.clientcert.ClientCertModeOffer.TYPE);
                        if (x != null && x.data.length == org.proxyinfo.clientcert.ClientCertModeOffer.SERVER_HELLO_LENGTH) {
                            nonce = java.util.Arrays.copyOfRange(x.data, 32, 64);
                        }
                    } catch (TlsFatalAlert e) {
                        // not a ServerHello we can read: nothing to learn
                    }
                }
                return body;
            };
        }

        /** Session #2: the client's chain with a ProxyCertVerify made with the proxy's own key over this session #2 (01-R16). */
        public HandshakeTap forwardWithoutClientSignature(TlsCrypto crypto, PrivateKey proxyKey, int scheme, byte[] proxyCertificateDer) {
            return (type, body, cr, sr) -> {
                if (type != HandshakeType.SUPPLEMENTAL_DATA || nonce == null || sr == null) {
                    return body;
                }
                try {
                    byte[] changed = forwardChainWithoutClientSignature(crypto, body, proxyKey, scheme, sr, nonce, proxyCertificateDer);
                    trace.adversary(role, leg, "01-R16", "the client's chain forwarded with a ProxyCertVerify the proxy made"
                            + " with its own key (the client's signature dropped)", "nonce " + Hex.of(nonce));
                    return changed;
                } catch (TlsFatalAlert e) {
                    return body;
                }
            };
        }

        /** Session #2: the first SupplementalData is kept; every later one is replaced by it (its ProxyCertVerify covers an old nonce). */
        public HandshakeTap replayFirst() {
            return (type, body, cr, sr) -> {
                if (type != HandshakeType.SUPPLEMENTAL_DATA) {
                    return body;
                }
                if (earlier == null) {
                    earlier = body.clone();
                    return body;
                }
                trace.adversary(role, leg, "01-R16", "replays the SupplementalData (client chain and ProxyCertVerify) of an"
                        + " earlier session #2, signed over that session's nonce", null);
                return replayProxyCertVerify(earlier);
            };
        }
    }

    /** The client's chain dropped from the forwarded entry, replaced by another (e.g. an untrusted) chain. */
    public static byte[] substituteChain(byte[] honestSupplement, List<byte[]> otherChain) throws TlsFatalAlert {
        ClientCertSupplement s = ClientCertSupplement.decode(honestSupplement);
        return new ClientCertSupplement(otherChain, s.signatureScheme, s.proxyCertVerify).encode();
    }
}
