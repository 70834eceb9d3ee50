package org.proxyinfo.clientcert;

import java.util.Arrays;

import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.wire.TlsFatalAlert;
import org.proxyinfo.wire.TlsReader;

/**
 * DEVIATION (DEC-23): the origin server's {@code server_to_proxy} ProxyInfo, in the ServerHello's proxy_info
 * extension on session #2, carries a fresh 32-byte nonce (the draft's server_to_proxy body is empty):
 * <pre>
 *   uint8  flag = 3 (server_to_proxy, DEC-3)
 *   opaque nonce[32]
 * </pre>
 * 33 bytes in all; any other length is decode_error, any other flag illegal_parameter (DEC-21).
 */
public final class ServerNonce {
    public static final int FLAG_SERVER_TO_PROXY = 3;
    public static final int NONCE_LENGTH = 32;

    private ServerNonce() { }

    /** The extension_data of the server's proxy_info (DEC-23). */
    public static byte[] encode(byte[] nonce) {
        if (nonce.length != NONCE_LENGTH) {
            throw new IllegalArgumentException("a DEC-23 nonce is 32 bytes, not " + nonce.length);
        }
        byte[] out = new byte[1 + NONCE_LENGTH];
        out[0] = FLAG_SERVER_TO_PROXY;
        System.arraycopy(nonce, 0, out, 1, NONCE_LENGTH);
        return out;
    }

    /** The nonce in a server's proxy_info extension_data; strict (DEC-21). */
    public static byte[] decode(byte[] extensionData) throws TlsFatalAlert {
        TlsReader r = new TlsReader(extensionData, "server_to_proxy ProxyInfo (DEC-23)");
        int flag = r.u8("flag");
        if (flag != FLAG_SERVER_TO_PROXY) {
            throw new TlsFatalAlert(AlertDescription.ILLEGAL_PARAMETER, "DEC-23",
                    "the server's proxy_info is flag " + flag + ", not server_to_proxy(3) with a nonce (DEC-23)");
        }
        byte[] nonce = r.bytes(NONCE_LENGTH, "nonce");
        r.expectEnd("server_to_proxy ProxyInfo (DEC-23)");
        return Arrays.copyOf(nonce, NONCE_LENGTH);
    }
}
