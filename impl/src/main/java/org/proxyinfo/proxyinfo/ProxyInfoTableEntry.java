package org.proxyinfo.proxyinfo;

import org.proxyinfo.ext.HelloContext;
import org.proxyinfo.ext.TlsExtension;
import org.proxyinfo.wire.TlsFatalAlert;

/**
 * The proxy_info entry of the extension table ({@code ExtensionTable.DEFAULT.with(new ProxyInfoTableEntry(type))}).
 * <ul>
 *   <li>Client (and the proxy on its upstream session, draft §3 proxy step 2): offers an empty
 *       {@code client_to_proxy} ProxyInfo (DEC-3).</li>
 *   <li>Proxy on session #1: reads the client's ProxyInfo (decode errors are fatal, DEC-21) and
 *       answers with the signed assertion the proxy role put in {@link HelloContext#extra} under
 *       this type, or nothing (a minting proxy, DEC-17).</li>
 *   <li>An ordinary server does not have this entry and never echoes proxy_info (DEC-19).</li>
 *   <li>The client keeps the ServerHello data raw; it is decoded and checked after
 *       ServerKeyExchange (DEC-8) by {@link ProxyInfoClientCheck}.</li>
 * </ul>
 * {@link HelloContext#extra} keys: {@code type} = the ServerHello extension_data to send (byte[]);
 * {@code -type} = the client's decoded ProxyInfo (server side).
 */
public final class ProxyInfoTableEntry implements TlsExtension {
    private final int type;
    private final ProxyInfoCodec codec;
    private final boolean emptyOffer;

    /** The DEC-3 offer: a one-byte {@code client_to_proxy} ProxyInfo. */
    public ProxyInfoTableEntry(int codePoint) {
        this(codePoint, false);
    }

    /**
     * @param emptyOffer offer the extension with empty extension_data instead (interop: OpenSSL's
     *                   {@code -serverinfo} server refuses a non-empty ClientHello extension with
     *                   decode_error; our proxy reads empty as client_to_proxy)
     */
    public ProxyInfoTableEntry(int codePoint, boolean emptyOffer) {
        this.type = ProxyInfoExtension.checkExtensionType(codePoint);
        this.codec = new ProxyInfoCodec();
        this.emptyOffer = emptyOffer;
    }

    @Override public int type() { return type; }

    @Override public String name() { return "proxy_info"; }

    @Override
    public byte[] produceClientHello(HelloContext ctx) {
        return emptyOffer ? new byte[0] : ProxyInfoCodec.encode(ProxyInfo.clientToProxy());
    }

    /**
     * An empty extension_data is read as {@code client_to_proxy}: generic TLS tools can offer an
     * extension only empty ({@code openssl s_client -serverinfo 65360}), and an empty body is what
     * draft -00 called the "empty" ProxyInfo. Interpretation, documented in impl/PROXY.md; anything
     * else goes through the DEC-3 codec (decode_error / illegal_parameter).
     */
    @Override
    public void consumeClientHello(HelloContext ctx, byte[] data) throws TlsFatalAlert {
        ctx.extra.put(-type, data.length == 0 ? ProxyInfo.clientToProxy() : codec.decodeFromClientHello(data));
    }

    @Override
    public byte[] produceServerHello(HelloContext ctx) {
        Object data = ctx.extra.get(type);
        return data instanceof byte[] ? ((byte[]) data).clone() : null;
    }

    @Override
    public void consumeServerHello(HelloContext ctx, byte[] data) {
        // kept raw by the client role and checked after ServerKeyExchange (DEC-8)
    }
}
