package org.proxyinfo.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.proxyinfo.core.AlertDescription;

/**
 * Bounds-checked reader for the RFC 5246 §4 presentation language (uint8/16/24, opaque
 * vectors). Every read past the end, and every vector length outside its declared bounds, is a
 * fatal {@code decode_error} (DEC-21) naming the field, so a codec never throws anything else.
 */
public final class TlsReader {
    private final byte[] buf;
    private int pos;
    private final int end;
    private final String context;

    public TlsReader(byte[] buf, String context) {
        this(buf, 0, buf.length, context);
    }

    public TlsReader(byte[] buf, int offset, int length, String context) {
        this.buf = buf;
        this.pos = offset;
        this.end = offset + length;
        this.context = context;
    }

    public int remaining() { return end - pos; }

    public boolean isEmpty() { return pos == end; }

    public int position() { return pos; }

    private void need(int n, String field) throws TlsFatalAlert {
        if (n < 0 || end - pos < n) {
            throw new TlsFatalAlert(AlertDescription.DECODE_ERROR, "RFC5246-4",
                    context + ": " + field + " needs " + n + " bytes but only " + (end - pos) + " remain");
        }
    }

    public int u8(String field) throws TlsFatalAlert {
        need(1, field);
        return buf[pos++] & 0xff;
    }

    public int u16(String field) throws TlsFatalAlert {
        need(2, field);
        int v = ((buf[pos] & 0xff) << 8) | (buf[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    public int u24(String field) throws TlsFatalAlert {
        need(3, field);
        int v = ((buf[pos] & 0xff) << 16) | ((buf[pos + 1] & 0xff) << 8) | (buf[pos + 2] & 0xff);
        pos += 3;
        return v;
    }

    public byte[] bytes(int n, String field) throws TlsFatalAlert {
        need(n, field);
        byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return out;
    }

    /** {@code opaque field<min..max>} with a length prefix of 1, 2 or 3 bytes. */
    public byte[] vector(int lengthBytes, int min, int max, String field) throws TlsFatalAlert {
        int len;
        switch (lengthBytes) {
            case 1: len = u8(field + " length"); break;
            case 2: len = u16(field + " length"); break;
            case 3: len = u24(field + " length"); break;
            default: throw new IllegalArgumentException("length prefix of " + lengthBytes + " bytes");
        }
        if (len < min || len > max) {
            throw new TlsFatalAlert(AlertDescription.DECODE_ERROR, "RFC5246-4.3",
                    context + ": " + field + " length " + len + " outside <" + min + ".." + max + ">");
        }
        return bytes(len, field);
    }

    /** A sub-reader over a length-prefixed vector, for nested structures. */
    public TlsReader sub(int lengthBytes, int min, int max, String field) throws TlsFatalAlert {
        byte[] body = vector(lengthBytes, min, max, field);
        return new TlsReader(body, context + "." + field);
    }

    public String ascii(int n, String field) throws TlsFatalAlert {
        return new String(bytes(n, field), StandardCharsets.US_ASCII);
    }

    /** Fails with decode_error unless every byte was consumed (no trailing garbage). */
    public void expectEnd(String what) throws TlsFatalAlert {
        if (pos != end) {
            throw new TlsFatalAlert(AlertDescription.DECODE_ERROR, "RFC5246-4",
                    context + ": " + (end - pos) + " unexpected trailing bytes after " + what);
        }
    }
}
