package org.proxyinfo.wire;

import java.io.ByteArrayOutputStream;

/**
 * Writer for the RFC 5246 §4 presentation language. Vectors are written with
 * {@link #startVector(int)} / {@link #endVector()} so nested structures need no
 * pre-computed lengths; a length that does not fit its prefix is a programming error.
 */
public final class TlsWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final int[] marks = new int[32];
    private final int[] markWidths = new int[32];
    private int depth;

    public TlsWriter u8(int v) { out.write(v); return this; }

    public TlsWriter u16(int v) { out.write(v >>> 8); out.write(v); return this; }

    public TlsWriter u24(int v) { out.write(v >>> 16); out.write(v >>> 8); out.write(v); return this; }

    public TlsWriter bytes(byte[] b) { out.write(b, 0, b.length); return this; }

    /** {@code opaque<..>} with a 1-, 2- or 3-byte length prefix. */
    public TlsWriter vector(int lengthBytes, byte[] body) {
        int max = (1 << (8 * lengthBytes)) - 1;
        if (body.length > max) {
            throw new IllegalArgumentException(body.length + " bytes do not fit a " + lengthBytes + "-byte length");
        }
        switch (lengthBytes) {
            case 1: u8(body.length); break;
            case 2: u16(body.length); break;
            case 3: u24(body.length); break;
            default: throw new IllegalArgumentException("length prefix of " + lengthBytes + " bytes");
        }
        return bytes(body);
    }

    /** Opens a vector whose length is patched in by {@link #endVector}. */
    public TlsWriter startVector(int lengthBytes) {
        marks[depth] = out.size();
        markWidths[depth] = lengthBytes;
        depth++;
        for (int i = 0; i < lengthBytes; i++) {
            out.write(0);
        }
        return this;
    }

    public TlsWriter endVector() {
        depth--;
        int start = marks[depth];
        int width = markWidths[depth];
        byte[] all = out.toByteArray();
        int len = all.length - start - width;
        if (len > (1 << (8 * width)) - 1) {
            throw new IllegalArgumentException(len + " bytes do not fit a " + width + "-byte length");
        }
        for (int i = 0; i < width; i++) {
            all[start + i] = (byte) (len >>> (8 * (width - 1 - i)));
        }
        out.reset();
        out.write(all, 0, all.length);
        return this;
    }

    public int size() { return out.size(); }

    public byte[] toByteArray() {
        if (depth != 0) {
            throw new IllegalStateException(depth + " vectors still open");
        }
        return out.toByteArray();
    }
}
