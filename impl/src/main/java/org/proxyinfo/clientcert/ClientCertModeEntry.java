package org.proxyinfo.clientcert;

import java.util.List;

import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.ext.HelloContext;
import org.proxyinfo.ext.TlsExtension;
import org.proxyinfo.proxyinfo.ProxyInfo;
import org.proxyinfo.proxyinfo.ProxyInfoCodec;
import org.proxyinfo.proxyinfo.ProxyInfoExtension;
import org.proxyinfo.proxyinfo.ProxyInfoFlag;
import org.proxyinfo.proxyinfo.SignedProxyInfo2;
import org.proxyinfo.wire.TlsFatalAlert;

/**
 * The proxy_info entry of the extension table in DEC-23 mode (a DEVIATION (DEC-23), impl/CLIENTCERT.md):
 * <ul>
 *   <li>origin server configured for DEC-23 ({@link #server}): reads a {@code proxy_to_server} ProxyInfo in the
 *       ClientHello, issues a fresh nonce for this session and answers with {@code server_to_proxy} + nonce
 *       ({@link ServerNonce}); a {@code client_to_proxy} offer is not answered (DEC-19);</li>
 *   <li>the proxy's session #2 ({@link #upstream}): offers the proxy's {@code proxy_to_server} ProxyInfo and keeps
 *       the nonce of the server's answer.</li>
 * </ul>
 * {@link HelloContext#extra} keys (server side): {@link #KEY_PROXY_TO_SERVER} the decoded proxy_to_server,
 * {@link #KEY_NONCE} the nonce issued.
 */
public final class ClientCertModeEntry implements TlsExtension {
    public static final int KEY_PROXY_TO_SERVER = -0x23_0001;
    public static final int KEY_NONCE = -0x23_0002;

    private final int type;
    private final ClientCertModeServer server;
    private final byte[] offer;
    private volatile byte[] nonce;

    private ClientCertModeEntry(int codePoint, ClientCertModeServer server, byte[] offer) {
        this.type = ProxyInfoExtension.checkExtensionType(codePoint);
        this.server = server;
        this.offer = offer;
    }

    /** The DEC-23 origin server's entry (one per server; per-connection state lives in the HelloContext). */
    public static ClientCertModeEntry server(int codePoint, ClientCertModeServer server) {
        return new ClientCertModeEntry(codePoint, server, null);
    }

    /** The entry of one session #2 of a proxy: offers this proxy_to_server ProxyInfo, keeps the server's nonce. */
    public static ClientCertModeEntry upstream(int codePoint, SignedProxyInfo2 proxyToServer) {
        return new ClientCertModeEntry(codePoint, null, ProxyInfoCodec.encode(proxyToServer));
    }

    /** Session #2: the nonce of the server's server_to_proxy answer (DEC-23), or null. */
    public byte[] nonce() {
        byte[] n = nonce;
        return n == null ? null : n.clone();
    }

    @Override public int type() { return type; }

    @Override public String name() { return "proxy_info"; }

    @Override
    public byte[] produceClientHello(HelloContext ctx) {
        return offer == null ? null : offer.clone();
    }

    @Override
    public void consumeClientHello(HelloContext ctx, byte[] data) throws TlsFatalAlert {
        ProxyInfo info = data.length == 0 ? ProxyInfo.clientToProxy() : new ProxyInfoCodec().decode(data);
        if (info.flag() == ProxyInfoFlag.PROXY_TO_SERVER && server != null) {
            ctx.extra.put(KEY_PROXY_TO_SERVER, info);
            ctx.extra.put(KEY_NONCE, server.freshNonce());
        } else if (info.flag() != ProxyInfoFlag.CLIENT_TO_PROXY) {
            throw new TlsFatalAlert(AlertDescription.ILLEGAL_PARAMETER, "DEC-3",
                    "ClientHello.proxy_info: flag " + info.flag() + " does not belong in a ClientHello");
        }
    }

    @Override
    public byte[] produceServerHello(HelloContext ctx) {
        Object n = ctx.extra.get(KEY_NONCE);
        return n instanceof byte[] ? ServerNonce.encode((byte[]) n) : null; // DEC-23; DEC-19 for a client_to_proxy offer
    }

    @Override
    public void consumeServerHello(HelloContext ctx, byte[] data) throws TlsFatalAlert {
        nonce = ServerNonce.decode(data);
    }

    /** The proxy certificate list of the proxy_to_server ProxyInfo this connection received (server side), or empty. */
    public static List<byte[]> proxyToServerChain(HelloContext ctx) {
        Object o = ctx.extra.get(KEY_PROXY_TO_SERVER);
        return o instanceof SignedProxyInfo2 s ? s.proxyCertificateList() : List.of();
    }

    /** The nonce this server issued on this connection (server side), or null. */
    public static byte[] issuedNonce(HelloContext ctx) {
        Object n = ctx.extra.get(KEY_NONCE);
        return n instanceof byte[] ? ((byte[]) n).clone() : null;
    }
}
