package org.proxyinfo.ext;

import org.proxyinfo.wire.TlsFatalAlert;

/**
 * One entry of the extension table (JDK {@code SSLExtension} style): its code point and its
 * producer/consumer for each hello message it appears in. A producer returns the extension_data
 * to send, or null to leave the extension out.
 */
public interface TlsExtension {
    int type();

    String name();

    /** Client side: extension_data for ClientHello, or null. */
    byte[] produceClientHello(HelloContext ctx);

    /** Server side: reads the client's extension_data. */
    void consumeClientHello(HelloContext ctx, byte[] data) throws TlsFatalAlert;

    /** Server side: extension_data for ServerHello (only called when the client sent the extension), or null. */
    byte[] produceServerHello(HelloContext ctx);

    /** Client side: reads the server's extension_data (only called for an extension the client offered). */
    void consumeServerHello(HelloContext ctx, byte[] data) throws TlsFatalAlert;
}
