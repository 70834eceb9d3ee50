package org.proxyinfo.ext;

import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.wire.ExtensionType;
import org.proxyinfo.wire.TlsFatalAlert;
import org.proxyinfo.wire.TlsReader;

/** ec_point_formats (RFC 8422 §5.1.2): only uncompressed (0) is used, and it MUST be in the list. */
public final class EcPointFormatsExtension implements TlsExtension {
    public static final int UNCOMPRESSED = 0;
    private static final byte[] UNCOMPRESSED_ONLY = {1, UNCOMPRESSED};

    @Override public int type() { return ExtensionType.EC_POINT_FORMATS; }

    @Override public String name() { return "ec_point_formats"; }

    @Override
    public byte[] produceClientHello(HelloContext ctx) {
        return UNCOMPRESSED_ONLY.clone();
    }

    @Override
    public void consumeClientHello(HelloContext ctx, byte[] data) throws TlsFatalAlert {
        check(data, "ClientHello");
        ctx.peerPointFormatsSent = true;
    }

    @Override
    public byte[] produceServerHello(HelloContext ctx) {
        return UNCOMPRESSED_ONLY.clone();
    }

    @Override
    public void consumeServerHello(HelloContext ctx, byte[] data) throws TlsFatalAlert {
        check(data, "ServerHello");
        ctx.peerPointFormatsSent = true;
    }

    private static void check(byte[] data, String where) throws TlsFatalAlert {
        TlsReader r = new TlsReader(data, where + " ec_point_formats");
        byte[] formats = r.vector(1, 1, 0xff, "ec_point_format_list");
        r.expectEnd("ec_point_format_list");
        for (byte f : formats) {
            if (f == UNCOMPRESSED) {
                return;
            }
        }
        throw new TlsFatalAlert(AlertDescription.ILLEGAL_PARAMETER, "RFC8422-5.1.2",
                where + " ec_point_formats does not contain uncompressed");
    }
}
