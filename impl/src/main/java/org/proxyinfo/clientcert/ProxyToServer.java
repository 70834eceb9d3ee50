package org.proxyinfo.clientcert;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.List;

import org.proxyinfo.crypto.TlsCrypto;
import org.proxyinfo.proxyinfo.DigitallySigned;
import org.proxyinfo.proxyinfo.ProxyInfo;
import org.proxyinfo.proxyinfo.SignedProxyInfo2;
import org.proxyinfo.wire.TlsFatalAlert;
import org.proxyinfo.wire.TlsWriter;

/**
 * DEVIATION (DEC-23): the proxy's {@code proxy_to_server} ProxyInfo in its session-#2 ClientHello (the draft's
 * arm, {@link SignedProxyInfo2}): its certificate list, the client's ProxyInfo nested, and its signature over
 * <pre>
 *   64 bytes of 0x20 || "TLS 1.2 proxy_info proxy_to_server, DEC-23" || 0x00 || the encoded fields
 * </pre>
 * (domain-separated as DEC-5a). The ClientHello carrying it is part of the transcript the proxy's
 * CertificateVerify signs, which binds it to this session #2.
 */
public final class ProxyToServer {
    public static final String CONTEXT = "TLS 1.2 proxy_info proxy_to_server, DEC-23";

    private ProxyToServer() { }

    static byte[] signedInput(byte[] encodedFields) {
        byte[] pad = new byte[64];
        Arrays.fill(pad, (byte) 0x20);
        return new TlsWriter().bytes(pad).bytes(CONTEXT.getBytes(StandardCharsets.US_ASCII)).u8(0).bytes(encodedFields).toByteArray();
    }

    public static SignedProxyInfo2 sign(TlsCrypto crypto, PrivateKey proxyKey, int scheme, List<byte[]> proxyChainDer,
                                        ProxyInfo clientProxyInfo) throws TlsFatalAlert {
        byte[] fields = new SignedProxyInfo2(proxyChainDer, clientProxyInfo, new DigitallySigned(scheme, new byte[0])).encodedFields();
        byte[] sig = crypto.sign(proxyKey, scheme, signedInput(fields));
        return new SignedProxyInfo2(proxyChainDer, clientProxyInfo, new DigitallySigned(scheme, sig));
    }

    /** True iff the proxy_to_server signature verifies with the given key (the proxy's certificate's). */
    public static boolean verify(TlsCrypto crypto, SignedProxyInfo2 info, PublicKey proxyKey) {
        return crypto.verify(proxyKey, info.signature().signatureScheme(), signedInput(info.encodedFields()),
                info.signature().signature());
    }
}
