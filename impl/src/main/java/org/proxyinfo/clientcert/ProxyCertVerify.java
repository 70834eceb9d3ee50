package org.proxyinfo.clientcert;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Arrays;

import org.proxyinfo.crypto.TlsCrypto;
import org.proxyinfo.wire.TlsFatalAlert;
import org.proxyinfo.wire.TlsWriter;

/**
 * DEVIATION (DEC-23): the client's ProxyCertVerify, its signature over session #2's server_random, the
 * origin server's nonce and the proxy's certificate. Signed input, domain-separated as DEC-5a does for the
 * assertion (the client's key also signs its session-#1 CertificateVerify, RFC5246-7.4.8):
 * <pre>
 *   64 bytes of 0x20
 *   "TLS 1.2 proxy_info ProxyCertVerify, DEC-23"   (ASCII, 42 bytes)
 *   0x00
 *   server_random[32]                                (session #2's ServerHello.random)
 *   nonce[32]                                        (the server's DEC-23 nonce of that session)
 *   opaque proxy_certificate&lt;1..2^24-1&gt;             (the proxy's end-entity certificate, DER)
 * </pre>
 * The signature is an RFC 5246 digitally-signed: SignatureAndHashAlgorithm (uint16) and opaque signature&lt;0..2^16-1&gt;.
 */
public final class ProxyCertVerify {
    public static final String CONTEXT = "TLS 1.2 proxy_info ProxyCertVerify, DEC-23";

    private ProxyCertVerify() { }

    public static byte[] signedInput(byte[] serverRandom, byte[] nonce, byte[] proxyCertificateDer) {
        if (serverRandom.length != 32 || nonce.length != ServerNonce.NONCE_LENGTH || proxyCertificateDer.length == 0) {
            throw new IllegalArgumentException("ProxyCertVerify needs a 32-byte server_random, a 32-byte nonce and a certificate");
        }
        byte[] pad = new byte[64];
        Arrays.fill(pad, (byte) 0x20);
        return new TlsWriter().bytes(pad).bytes(CONTEXT.getBytes(StandardCharsets.US_ASCII)).u8(0)
                .bytes(serverRandom).bytes(nonce).vector(3, proxyCertificateDer).toByteArray();
    }

    public static byte[] sign(TlsCrypto crypto, PrivateKey clientKey, int scheme, byte[] serverRandom, byte[] nonce,
                              byte[] proxyCertificateDer) throws TlsFatalAlert {
        return crypto.sign(clientKey, scheme, signedInput(serverRandom, nonce, proxyCertificateDer));
    }

    /** True iff the signature verifies; false (never an exception) for a bad one or malformed inputs. */
    public static boolean verify(TlsCrypto crypto, PublicKey clientKey, int scheme, byte[] signature, byte[] serverRandom,
                                 byte[] nonce, byte[] proxyCertificateDer) {
        if (serverRandom == null || nonce == null || proxyCertificateDer == null || serverRandom.length != 32
                || nonce.length != ServerNonce.NONCE_LENGTH || proxyCertificateDer.length == 0) {
            return false;
        }
        return crypto.verify(clientKey, scheme, signedInput(serverRandom, nonce, proxyCertificateDer), signature);
    }
}
