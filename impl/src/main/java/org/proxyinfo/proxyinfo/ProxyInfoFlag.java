package org.proxyinfo.proxyinfo;

import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.wire.TlsFatalAlert;

/**
 * {@code enum { client_to_proxy, proxy_to_client, proxy_to_server, server_to_proxy } ProxyInfoFlag}
 * (draft-01 §3.1). DEC-3: a uint8, the first byte of every {@code ProxyInfo}, values in declaration
 * order; any other value is fatal {@code illegal_parameter}.
 */
public enum ProxyInfoFlag {
    /** In the client's ClientHello: zero-length body. */
    CLIENT_TO_PROXY(0, "client_to_proxy", false),
    /** In the proxy's ServerHello on session #1: a {@link SignedProxyInfo}. */
    PROXY_TO_CLIENT(1, "proxy_to_client", true),
    /** Client-certificate mode (draft-01 §3.2, deferred by DEC-20): a {@link SignedProxyInfo2}. */
    PROXY_TO_SERVER(2, "proxy_to_server", true),
    /** Zero-length body; as a {@code next_proxy_info} it means "the next hop is not a proxy" (DEC-4). */
    SERVER_TO_PROXY(3, "server_to_proxy", false);

    private final int wireValue;
    private final String wireName;
    private final boolean hasBody;

    ProxyInfoFlag(int wireValue, String wireName, boolean hasBody) {
        this.wireValue = wireValue;
        this.wireName = wireName;
        this.hasBody = hasBody;
    }

    /** The uint8 on the wire (DEC-3). */
    public int wireValue() { return wireValue; }

    /** The draft's spelling, as used in traces. */
    public String wireName() { return wireName; }

    /** True for proxy_to_client and proxy_to_server, whose select arm is a signed struct. */
    public boolean hasBody() { return hasBody; }

    /** DEC-3: the flag for a wire value, fatal illegal_parameter for anything outside 0..3. */
    public static ProxyInfoFlag fromWire(int value, String where) throws TlsFatalAlert {
        for (ProxyInfoFlag f : values()) {
            if (f.wireValue == value) {
                return f;
            }
        }
        throw new TlsFatalAlert(AlertDescription.ILLEGAL_PARAMETER, "DEC-3",
                where + ": ProxyInfoFlag " + value + " is not one of client_to_proxy(0), proxy_to_client(1),"
                        + " proxy_to_server(2), server_to_proxy(3)");
    }

    @Override
    public String toString() { return wireName; }
}
