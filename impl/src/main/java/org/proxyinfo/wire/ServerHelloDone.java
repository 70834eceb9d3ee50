package org.proxyinfo.wire;

/** RFC 5246 §7.4.5 ServerHelloDone: an empty body. */
public final class ServerHelloDone {
    private ServerHelloDone() { }

    public static byte[] encode() {
        return new byte[0];
    }

    public static void decode(byte[] body) throws TlsFatalAlert {
        new TlsReader(body, "ServerHelloDone").expectEnd("ServerHelloDone (must be empty)");
    }
}
