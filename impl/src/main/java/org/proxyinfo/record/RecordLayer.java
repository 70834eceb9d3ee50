package org.proxyinfo.record;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.wire.ContentType;
import org.proxyinfo.wire.ProtocolVersion;
import org.proxyinfo.wire.TlsFatalAlert;

/**
 * The TLS record layer (RFC 5246 §6.2): framing, size limits, fragmentation of outgoing data,
 * and AEAD protection once a {@link RecordCipher} is installed for a direction (after
 * ChangeCipherSpec). Output is collected and sent on {@link #flush()}, so a flight leaves in
 * as few TCP segments as possible.
 */
public final class RecordLayer {
    /** RFC5246-6.2.1: TLSPlaintext.length MUST NOT exceed 2^14. */
    public static final int MAX_PLAINTEXT = 1 << 14;
    /** RFC5246-6.2.3: TLSCiphertext.length MUST NOT exceed 2^14 + 2048. */
    public static final int MAX_CIPHERTEXT = MAX_PLAINTEXT + 2048;

    private final InputStream in;
    private final OutputStream out;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    private RecordCipher readCipher;
    private RecordCipher writeCipher;
    /** Once negotiated, every record must carry exactly this version (RFC5246-6.2.1, E.1). */
    private int negotiatedVersion = -1;
    private int writeVersion = ProtocolVersion.TLS12;
    private int maxFragment = MAX_PLAINTEXT;

    public RecordLayer(InputStream in, OutputStream out) {
        this.in = in;
        this.out = out;
    }

    public void setNegotiatedVersion(int version) {
        this.negotiatedVersion = version;
    }

    /** For tests that need small records (handshake messages spread over many records). */
    public void setMaxFragment(int maxFragment) {
        if (maxFragment < 1 || maxFragment > MAX_PLAINTEXT) {
            throw new IllegalArgumentException("fragment size " + maxFragment);
        }
        this.maxFragment = maxFragment;
    }

    public void setReadCipher(RecordCipher c) {
        this.readCipher = c;
    }

    public void setWriteCipher(RecordCipher c) {
        this.writeCipher = c;
    }

    public boolean readEncrypted() {
        return readCipher != null;
    }

    public boolean writeEncrypted() {
        return writeCipher != null;
    }

    /**
     * Queues data of one content type, split into records of at most 2^14 bytes (RFC5246-6.2.1).
     * Returns the sizes of the fragments written (record boundaries, for traces).
     */
    public java.util.List<Integer> write(int type, byte[] data) throws TlsFatalAlert {
        return write(type, data, 0, data.length);
    }

    /** As {@link #write(int, byte[])} for {@code data[from .. from+length)}, without copying it first. */
    public java.util.List<Integer> write(int type, byte[] data, int from, int length) throws TlsFatalAlert {
        java.util.List<Integer> sizes = new java.util.ArrayList<>();
        int off = 0;
        do {
            int n = Math.min(maxFragment, length - off);
            pending.write(type);
            pending.write(writeVersion >>> 8);
            pending.write(writeVersion);
            if (writeCipher == null) {
                pending.write(n >>> 8);
                pending.write(n);
                pending.write(data, from + off, n);
            } else {
                byte[] frag;
                if (from + off == 0 && n == data.length) {
                    frag = data; // the whole array is this fragment: the cipher only reads it
                } else {
                    frag = new byte[n];
                    System.arraycopy(data, from + off, frag, 0, n);
                }
                byte[][] body = writeCipher.sealParts(type, writeVersion, frag);
                int len = body[0].length + body[1].length;
                pending.write(len >>> 8);
                pending.write(len);
                pending.write(body[0], 0, body[0].length);
                pending.write(body[1], 0, body[1].length);
            }
            sizes.add(n);
            off += n;
        } while (off < length);
        return sizes;
    }

    public void flush() throws IOException {
        if (pending.size() > 0) {
            pending.writeTo(out);
            pending.reset();
        }
        out.flush();
    }

    /**
     * DEC-21, DEC-14: drops what is queued and not yet sent (a flight the handshake refused after
     * queuing it), so that a fatal alert leaves alone.
     */
    public void discardPending() {
        pending.reset();
    }

    /** Queues and flushes a raw byte string (for tests that speak bad bytes). */
    public void writeRaw(byte[] raw) throws IOException {
        pending.write(raw, 0, raw.length);
        flush();
    }

    /**
     * Reads one record. Returns null on a clean end of stream before any byte of a record (the
     * caller decides whether that is a truncation). Throws TlsFatalAlert for every malformed,
     * oversized or unauthenticated record (DEC-21).
     */
    public Record read() throws IOException, TlsFatalAlert {
        byte[] header = new byte[5];
        int got = readFully(header, true);
        if (got == 0) {
            return null;
        }
        int type = header[0] & 0xff;
        int version = ((header[1] & 0xff) << 8) | (header[2] & 0xff);
        int length = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
        if (!ContentType.isKnown(type)) {
            // RFC5246-6: "If a TLS implementation receives an unexpected record type, it MUST send an unexpected_message alert."
            throw new TlsFatalAlert(AlertDescription.UNEXPECTED_MESSAGE, "RFC5246-6",
                    "record of unknown content type " + type + " (not TLS, or corrupted)");
        }
        if ((version >>> 8) != 3) {
            throw new TlsFatalAlert(AlertDescription.DECODE_ERROR, "RFC5246-6.2.1",
                    String.format("record version 0x%04x is not a TLS version", version));
        }
        if (negotiatedVersion >= 0 && version != negotiatedVersion) {
            throw new TlsFatalAlert(AlertDescription.PROTOCOL_VERSION, "RFC5246-6.2.1",
                    "record version " + ProtocolVersion.name(version) + " after " + ProtocolVersion.name(negotiatedVersion)
                            + " was negotiated");
        }
        int limit = readCipher == null ? MAX_PLAINTEXT : MAX_CIPHERTEXT;
        if (length > limit) {
            throw new TlsFatalAlert(AlertDescription.RECORD_OVERFLOW, readCipher == null ? "RFC5246-6.2.1" : "RFC5246-6.2.3",
                    "record of " + length + " bytes exceeds the limit of " + limit);
        }
        byte[] body = new byte[length];
        readFully(body, false);
        byte[] fragment = body;
        if (readCipher != null) {
            fragment = readCipher.open(type, version, body);
            if (fragment.length > MAX_PLAINTEXT) {
                throw new TlsFatalAlert(AlertDescription.RECORD_OVERFLOW, "RFC5246-6.2.3",
                        "decrypted record of " + fragment.length + " bytes exceeds 2^14");
            }
        }
        if (fragment.length == 0 && type != ContentType.APPLICATION_DATA) {
            // RFC5246-6.2.1: zero-length fragments of Handshake, Alert or ChangeCipherSpec MUST NOT be sent.
            throw new TlsFatalAlert(AlertDescription.DECODE_ERROR, "RFC5246-6.2.1",
                    "empty " + ContentType.name(type) + " record");
        }
        return new Record(type, version, fragment, 5 + length);
    }

    /** Reads exactly buf.length bytes; returns 0 only for a clean EOF at offset 0 when allowed. */
    private int readFully(byte[] buf, boolean eofAtStartOk) throws IOException, TlsFatalAlert {
        int off = 0;
        while (off < buf.length) {
            int n = in.read(buf, off, buf.length - off);
            if (n < 0) {
                if (off == 0 && eofAtStartOk) {
                    return 0;
                }
                // A record cut short by the end of the stream: malformed (DEC-21).
                throw new TlsFatalAlert(AlertDescription.DECODE_ERROR, "RFC5246-6.2.1",
                        "connection closed in the middle of a record (" + off + " of " + buf.length + " bytes)");
            }
            off += n;
        }
        return off;
    }

    /** Sends one alert record and flushes (RFC5246-7.2). Never throws: a broken transport just loses the alert. */
    public void sendAlert(int level, int description) {
        try {
            write(ContentType.ALERT, new byte[] {(byte) level, (byte) description});
            flush();
        } catch (IOException | TlsFatalAlert | RuntimeException e) {
            // The peer is gone; nothing more can be said to it.
        }
    }

    /** Exposed for test helpers that need EOF detection. */
    public static void requireNotEof(int n) throws EOFException {
        if (n < 0) {
            throw new EOFException();
        }
    }
}
