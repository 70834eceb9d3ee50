package org.proxyinfo.ext;

import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.wire.ExtensionType;
import org.proxyinfo.wire.TlsFatalAlert;

/** extended_master_secret (RFC 7627 §5.1): empty extension_data in both hellos. */
public final class ExtendedMasterSecretExtension implements TlsExtension {
    @Override public int type() { return ExtensionType.EXTENDED_MASTER_SECRET; }

    @Override public String name() { return "extended_master_secret"; }

    @Override
    public byte[] produceClientHello(HelloContext ctx) {
        return ctx.offerExtendedMasterSecret ? new byte[0] : null;
    }

    @Override
    public void consumeClientHello(HelloContext ctx, byte[] data) throws TlsFatalAlert {
        requireEmpty(data, "ClientHello");
        ctx.peerExtendedMasterSecret = true;
    }

    @Override
    public byte[] produceServerHello(HelloContext ctx) {
        return ctx.peerExtendedMasterSecret && ctx.offerExtendedMasterSecret ? new byte[0] : null;
    }

    @Override
    public void consumeServerHello(HelloContext ctx, byte[] data) throws TlsFatalAlert {
        requireEmpty(data, "ServerHello");
        ctx.peerExtendedMasterSecret = true;
    }

    private static void requireEmpty(byte[] data, String where) throws TlsFatalAlert {
        if (data.length != 0) {
            throw new TlsFatalAlert(AlertDescription.DECODE_ERROR, "RFC7627-5.1",
                    where + " extended_master_secret must be empty, has " + data.length + " bytes");
        }
    }
}
