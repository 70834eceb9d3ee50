package org.proxyinfo.proxyinfo;

/**
 * draft-01 §3.1 {@code ProxyInfo}: a {@link ProxyInfoFlag} (DEC-3) followed by the select arm for
 * that flag. Four shapes: {@link Empty} (client_to_proxy, server_to_proxy: zero-length body),
 * {@link SignedProxyInfo} (proxy_to_client) and {@link SignedProxyInfo2} (proxy_to_server).
 * Values are immutable and compare by content; {@link ProxyInfoCodec} encodes and decodes them.
 */
public sealed interface ProxyInfo permits ProxyInfo.Empty, SignedProxyInfo, SignedProxyInfo2 {

    ProxyInfoFlag flag();

    /**
     * Number of signed ProxyInfo structures on the nesting path, i.e. proxy hops: 0 for an
     * {@link Empty}, 1 + depth(next_proxy_info) for a signed one. DEC-4 bounds this (default 4).
     */
    int depth();

    /** The ClientHello content: {@code client_to_proxy}, zero-length body. */
    static ProxyInfo clientToProxy() { return Empty.CLIENT_TO_PROXY; }

    /** DEC-4: the {@code next_proxy_info} that says "the next hop is not a proxy". */
    static ProxyInfo endOfChain() { return Empty.SERVER_TO_PROXY; }

    /** A flag whose select arm is {@code /* zero length body *}{@code /}. */
    record Empty(ProxyInfoFlag flag) implements ProxyInfo {
        static final Empty CLIENT_TO_PROXY = new Empty(ProxyInfoFlag.CLIENT_TO_PROXY);
        static final Empty SERVER_TO_PROXY = new Empty(ProxyInfoFlag.SERVER_TO_PROXY);

        public Empty {
            if (flag.hasBody()) {
                throw new IllegalArgumentException(flag + " has a signed body, not a zero-length one");
            }
        }

        @Override
        public int depth() { return 0; }

        @Override
        public String toString() { return flag.wireName(); }
    }
}
