package org.proxyinfo.ext;

import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.wire.ExtensionType;
import org.proxyinfo.wire.TlsFatalAlert;
import org.proxyinfo.wire.TlsWriter;

/**
 * signature_algorithms (RFC 5246 §7.4.1.4.1): {@code SignatureAndHashAlgorithm
 * supported_signature_algorithms<2..2^16-2>}. ClientHello only; servers MUST NOT send it.
 */
public final class SignatureAlgorithmsExtension implements TlsExtension {
    @Override public int type() { return ExtensionType.SIGNATURE_ALGORITHMS; }

    @Override public String name() { return "signature_algorithms"; }

    @Override
    public byte[] produceClientHello(HelloContext ctx) {
        TlsWriter w = new TlsWriter().startVector(2);
        for (int s : ctx.signatureSchemes) {
            w.u16(s);
        }
        return w.endVector().toByteArray();
    }

    @Override
    public void consumeClientHello(HelloContext ctx, byte[] data) throws TlsFatalAlert {
        ctx.peerSignatureSchemes = SupportedGroupsExtension.decodeU16List(data, "supported_signature_algorithms");
    }

    @Override
    public byte[] produceServerHello(HelloContext ctx) {
        return null; // RFC5246-7.4.1.4.1: servers MUST NOT send this extension
    }

    @Override
    public void consumeServerHello(HelloContext ctx, byte[] data) throws TlsFatalAlert {
        // RFC5246-7.4.1.4.1: "Servers MUST NOT send this extension." Offering it in ClientHello does
        // not make it solicited in ServerHello (found by the deviant-trace catalogue, issue #7).
        throw new TlsFatalAlert(AlertDescription.UNSUPPORTED_EXTENSION, "RFC5246-7.4.1.4.1",
                "the server sent signature_algorithms in its ServerHello; servers must not send this extension");
    }
}
