package org.proxyinfo.ext;

import org.proxyinfo.wire.ExtensionType;
import org.proxyinfo.wire.TlsFatalAlert;
import org.proxyinfo.wire.TlsReader;

/**
 * renegotiation_info (RFC 5746 §3.2): {@code opaque renegotiated_connection<0..255>}. This
 * implementation does initial handshakes only (DEC-20), so the value sent is always empty and a
 * non-empty value from the peer is refused by the core (RFC5746-3.4 client, RFC5746-3.6 server:
 * handshake_failure). The server also treats TLS_EMPTY_RENEGOTIATION_INFO_SCSV as the extension.
 */
public final class RenegotiationInfoExtension implements TlsExtension {
    private static final byte[] EMPTY = {0};

    @Override public int type() { return ExtensionType.RENEGOTIATION_INFO; }

    @Override public String name() { return "renegotiation_info"; }

    @Override
    public byte[] produceClientHello(HelloContext ctx) {
        return EMPTY.clone();
    }

    @Override
    public void consumeClientHello(HelloContext ctx, byte[] data) throws TlsFatalAlert {
        consume(ctx, data, "ClientHello");
    }

    @Override
    public byte[] produceServerHello(HelloContext ctx) {
        return ctx.peerRenegotiationInfo ? EMPTY.clone() : null;
    }

    @Override
    public void consumeServerHello(HelloContext ctx, byte[] data) throws TlsFatalAlert {
        consume(ctx, data, "ServerHello");
    }

    private static void consume(HelloContext ctx, byte[] data, String where) throws TlsFatalAlert {
        TlsReader r = new TlsReader(data, where + " renegotiation_info");
        byte[] conn = r.vector(1, 0, 255, "renegotiated_connection");
        r.expectEnd("renegotiated_connection");
        ctx.peerRenegotiationInfo = true;
        ctx.peerRenegotiationInfoEmpty = conn.length == 0;
    }
}
