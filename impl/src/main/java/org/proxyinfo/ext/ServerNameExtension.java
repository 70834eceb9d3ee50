package org.proxyinfo.ext;

import java.nio.charset.StandardCharsets;

import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.wire.ExtensionType;
import org.proxyinfo.wire.TlsFatalAlert;
import org.proxyinfo.wire.TlsReader;
import org.proxyinfo.wire.TlsWriter;

/** server_name (RFC 6066 §3): the host the client means; the client checks the certificate against it (DEC-10). */
public final class ServerNameExtension implements TlsExtension {
    public static final int HOST_NAME = 0;

    @Override public int type() { return ExtensionType.SERVER_NAME; }

    @Override public String name() { return "server_name"; }

    @Override
    public byte[] produceClientHello(HelloContext ctx) {
        if (ctx.serverName == null || ctx.serverName.isEmpty() || isIpLiteral(ctx.serverName)) {
            return null; // RFC6066-3: literal IP addresses are not permitted in HostName
        }
        byte[] host = ctx.serverName.getBytes(StandardCharsets.US_ASCII);
        return new TlsWriter().startVector(2).u8(HOST_NAME).vector(2, host).endVector().toByteArray();
    }

    @Override
    public void consumeClientHello(HelloContext ctx, byte[] data) throws TlsFatalAlert {
        TlsReader r = new TlsReader(data, "server_name");
        TlsReader list = r.sub(2, 1, 0xffff, "server_name_list");
        r.expectEnd("server_name_list");
        while (!list.isEmpty()) {
            int type = list.u8("name_type");
            byte[] name = list.vector(2, 1, 0xffff, "HostName");
            if (type == HOST_NAME) {
                if (ctx.peerServerName != null) {
                    throw new TlsFatalAlert(AlertDescription.ILLEGAL_PARAMETER, "RFC6066-3",
                            "server_name lists more than one host_name");
                }
                ctx.peerServerName = new String(name, StandardCharsets.US_ASCII);
            }
        }
    }

    @Override
    public byte[] produceServerHello(HelloContext ctx) {
        return null; // RFC6066-3 allows an empty echo; we send none.
    }

    @Override
    public void consumeServerHello(HelloContext ctx, byte[] data) throws TlsFatalAlert {
        if (data.length != 0) {
            throw new TlsFatalAlert(AlertDescription.DECODE_ERROR, "RFC6066-3",
                    "ServerHello server_name must be empty, has " + data.length + " bytes");
        }
    }

    static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.matches("[0-9.]+");
    }
}
