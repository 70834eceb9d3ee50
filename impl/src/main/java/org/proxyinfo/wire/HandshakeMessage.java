package org.proxyinfo.wire;

/**
 * One handshake message as it goes into the handshake hash: {@code HandshakeType msg_type;
 * uint24 length; body} (RFC 5246 §7.4).
 */
public final class HandshakeMessage {
    public final int type;
    public final byte[] body;

    public HandshakeMessage(int type, byte[] body) {
        this.type = type;
        this.body = body;
    }

    /** The framed bytes (header + body). */
    public byte[] encoded() {
        return new TlsWriter().u8(type).vector(3, body).toByteArray();
    }

    public String name() {
        return HandshakeType.name(type);
    }
}
