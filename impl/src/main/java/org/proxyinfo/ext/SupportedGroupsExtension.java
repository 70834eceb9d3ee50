package org.proxyinfo.ext;

import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.wire.ExtensionType;
import org.proxyinfo.wire.TlsFatalAlert;
import org.proxyinfo.wire.TlsReader;
import org.proxyinfo.wire.TlsWriter;

/** supported_groups (RFC 8422 §5.1.1): {@code NamedCurve named_curve_list<2..2^16-1>}. ClientHello only. */
public final class SupportedGroupsExtension implements TlsExtension {
    @Override public int type() { return ExtensionType.SUPPORTED_GROUPS; }

    @Override public String name() { return "supported_groups"; }

    @Override
    public byte[] produceClientHello(HelloContext ctx) {
        TlsWriter w = new TlsWriter().startVector(2);
        for (int g : ctx.groups) {
            w.u16(g);
        }
        return w.endVector().toByteArray();
    }

    @Override
    public void consumeClientHello(HelloContext ctx, byte[] data) throws TlsFatalAlert {
        ctx.peerGroups = decodeU16List(data, "named_curve_list");
    }

    @Override
    public byte[] produceServerHello(HelloContext ctx) {
        return null; // RFC8422-5.2: the server does not echo supported_groups in TLS 1.2
    }

    @Override
    public void consumeServerHello(HelloContext ctx, byte[] data) throws TlsFatalAlert {
        // Not reachable: the client checks solicitation first, and TLS 1.2 servers do not send it.
    }

    static int[] decodeU16List(byte[] data, String field) throws TlsFatalAlert {
        TlsReader r = new TlsReader(data, field);
        byte[] list = r.vector(2, 2, 0xfffe, field);
        r.expectEnd(field);
        if (list.length % 2 != 0) {
            throw new TlsFatalAlert(AlertDescription.DECODE_ERROR, "RFC5246-4.3", field + " has an odd length");
        }
        int[] out = new int[list.length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((list[2 * i] & 0xff) << 8) | (list[2 * i + 1] & 0xff);
        }
        return out;
    }
}
