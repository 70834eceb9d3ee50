package org.proxyinfo.ext;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.proxyinfo.wire.Extension;
import org.proxyinfo.wire.TlsFatalAlert;

/**
 * (00-R6/01-R7: the proxy supports the commonly deployed extensions of RFC 4366 and its successors;
 * this table is where they are.)
 *
 * The extension table: one entry per extension this implementation understands. Adding an
 * extension (proxy_info, next issue) is {@code ExtensionTable.DEFAULT.with(new ProxyInfoExtension(..))};
 * nothing else in the roles changes.
 *
 * Rules it applies for every entry: a server answers only extensions the client sent
 * (RFC5246-7.4.1.4); unknown client extensions are ignored (RFC5246-7.4.1.4, DEC-19); a ServerHello
 * extension the client did not offer is reported as unsolicited to the client core, which
 * refuses it (unsupported_extension).
 */
public final class ExtensionTable {
    public static final ExtensionTable DEFAULT = new ExtensionTable(List.of(
            new ServerNameExtension(),
            new SupportedGroupsExtension(),
            new EcPointFormatsExtension(),
            new SignatureAlgorithmsExtension(),
            new ExtendedMasterSecretExtension(),
            new RenegotiationInfoExtension()));

    private final List<TlsExtension> entries;

    public ExtensionTable(List<TlsExtension> entries) {
        this.entries = Collections.unmodifiableList(new ArrayList<>(entries));
    }

    /** A table with one more entry (or the entry replacing one of the same type). */
    public ExtensionTable with(TlsExtension extra) {
        List<TlsExtension> out = new ArrayList<>();
        for (TlsExtension e : entries) {
            if (e.type() != extra.type()) {
                out.add(e);
            }
        }
        out.add(extra);
        return new ExtensionTable(out);
    }

    public List<TlsExtension> entries() {
        return entries;
    }

    public TlsExtension entry(int type) {
        for (TlsExtension e : entries) {
            if (e.type() == type) {
                return e;
            }
        }
        return null;
    }

    /** Client: the ClientHello extensions, in table order. */
    public List<Extension> produceClientHello(HelloContext ctx) {
        List<Extension> out = new ArrayList<>();
        for (TlsExtension e : entries) {
            byte[] data = e.produceClientHello(ctx);
            if (data != null) {
                out.add(new Extension(e.type(), data));
                ctx.clientHelloTypes.add(e.type());
            }
        }
        return out;
    }

    /** Server: consume every ClientHello extension we know; the rest are ignored (RFC5246-7.4.1.4). */
    public void consumeClientHello(HelloContext ctx, List<Extension> received) throws TlsFatalAlert {
        for (Extension x : received) {
            ctx.clientHelloTypes.add(x.type);
            TlsExtension e = entry(x.type);
            if (e != null) {
                e.consumeClientHello(ctx, x.data);
            }
        }
    }

    /** Server: answers only to extensions the client sent (RFC5246-7.4.1.4). */
    public List<Extension> produceServerHello(HelloContext ctx) {
        List<Extension> out = new ArrayList<>();
        for (TlsExtension e : entries) {
            if (!ctx.clientHelloTypes.contains(e.type()) && !(e instanceof RenegotiationInfoExtension && ctx.peerRenegotiationInfo)) {
                continue;
            }
            byte[] data = e.produceServerHello(ctx);
            if (data != null) {
                out.add(new Extension(e.type(), data));
            }
        }
        return out;
    }

    /**
     * Client: consume the ServerHello extensions. Returns false if the server sent an extension
     * the client did not offer (the core then refuses with unsupported_extension, RFC5246-7.4.1.4).
     */
    public boolean consumeServerHello(HelloContext ctx, List<Extension> received) throws TlsFatalAlert {
        boolean allSolicited = true;
        for (Extension x : received) {
            ctx.serverHelloTypes.add(x.type);
            TlsExtension e = entry(x.type);
            if (e == null || !ctx.clientHelloTypes.contains(x.type)) {
                allSolicited = false;
                continue;
            }
            e.consumeServerHello(ctx, x.data);
        }
        return allSolicited;
    }
}
