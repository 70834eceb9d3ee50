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

    public ProxyInfoTableEntry(int codePoint) {
        this.type = ProxyInfoExtension.checkExtensionType(codePoint);
        this.codec = new ProxyInfoCodec();
    }

    @Override public int type() { return type; }

    @Override public String name() { return "proxy_info"; }

    @Override
    public byte[] produceClientHello(HelloContext ctx) {
        return ProxyInfoCodec.encode(ProxyInfo.clientToProxy());
    }

    @Override
    public void consumeClientHello(HelloContext ctx, byte[] data) throws TlsFatalAlert {
        ctx.extra.put(-type, codec.decodeFromClientHello(data));
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
