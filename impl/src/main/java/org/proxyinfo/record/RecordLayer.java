package org.proxyinfo.record;

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
    /** Records waiting for {@link #flush()}: wbuf[0 .. wpos). Built in place (issue #14). */
    private byte[] wbuf = new byte[0];
    private int wpos;
    /**
     * Bytes read from the transport and not yet returned as records: rbuf[rpos .. rend). Records are
     * parsed and (under a cipher) decrypted in place here. Each transport read asks for all the room
     * left, so one read can bring several records (one system call per 64 KiB echo instead of two
     * per record: header, then body; profile 2026-12-04 in BENCHMARKS.md). Allocated at the first read.
     */
    private byte[] rbuf = new byte[0];
    private int rpos;
    private int rend;
    /** Room for two records of the largest size, so a record never has to wait for room. */
    static final int READ_BUFFER = 2 * (5 + MAX_CIPHERTEXT);
    private static final int KEEP_WRITE_BUFFER = 4 * (5 + MAX_CIPHERTEXT);

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
            writeRecord(type, data, from + off, n);
            sizes.add(n);
            off += n;
        } while (off < length);
        return sizes;
    }

    /**
     * As {@link #write(int, byte[], int, int)} without the list of sizes: the application-data path
     * (issue #14). Each record is built in the output buffer; under a cipher the fragment is sealed
     * straight from {@code data} into it (no intermediate arrays). Returns the number of records.
     */
    public int writeData(int type, byte[] data, int from, int length) throws TlsFatalAlert {
        int off = 0;
        int records = 0;
        do {
            int n = Math.min(maxFragment, length - off);
            writeRecord(type, data, from + off, n);
            records++;
            off += n;
        } while (off < length);
        return records;
    }

    private void writeRecord(int type, byte[] data, int from, int n) throws TlsFatalAlert {
        int body = writeCipher == null ? n : n + RecordCipher.overhead();
        ensureWrite(5 + body);
        byte[] w = wbuf;
        int p = wpos;
        w[p] = (byte) type;
        w[p + 1] = (byte) (writeVersion >>> 8);
        w[p + 2] = (byte) writeVersion;
        if (writeCipher == null) {
            System.arraycopy(data, from, w, p + 5, n);
        } else {
            body = writeCipher.seal(type, writeVersion, data, from, n, w, p + 5);
        }
        w[p + 3] = (byte) (body >>> 8);
        w[p + 4] = (byte) body;
        wpos = p + 5 + body;
    }

    private void ensureWrite(int more) {
        if (wpos + more > wbuf.length) {
            byte[] n = new byte[Math.max(wpos + more, Math.max(wbuf.length * 2, 1024))];
            System.arraycopy(wbuf, 0, n, 0, wpos);
            wbuf = n;
        }
    }

    public void flush() throws IOException {
        if (wpos > 0) {
            out.write(wbuf, 0, wpos);
            wpos = 0;
            if (wbuf.length > KEEP_WRITE_BUFFER) {
                wbuf = new byte[0]; // a big flight is out: give its memory back
            }
        }
        out.flush();
    }

    /**
     * DEC-21, DEC-14: drops what is queued and not yet sent (a flight the handshake refused after
     * queuing it), so that a fatal alert leaves alone.
     */
    public void discardPending() {
        wpos = 0;
    }

    /** Queues and flushes a raw byte string (for tests that speak bad bytes). */
    public void writeRaw(byte[] raw) throws IOException {
        ensureWrite(raw.length);
        System.arraycopy(raw, 0, wbuf, wpos, raw.length);
        wpos += raw.length;
        flush();
    }

    /**
     * Reads one record into this layer's read buffer and, under a cipher, opens it there in place.
     * The returned {@link Record} is a view valid until the next call (no array per record, issue
     * #14). Returns null on a clean end of stream before any byte of a record (the caller decides
     * whether that is a truncation). Throws TlsFatalAlert for every malformed, oversized or
     * unauthenticated record (DEC-21).
     */
    public Record read() throws IOException, TlsFatalAlert {
        if (rbuf.length == 0) {
            rbuf = new byte[READ_BUFFER];
        }
        if (!buffer(5, 0, true)) {
            return null;
        }
        byte[] b = rbuf;
        int h = rpos;
        int type = b[h] & 0xff;
        int version = ((b[h + 1] & 0xff) << 8) | (b[h + 2] & 0xff);
        int length = fragmentLength(h);
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
        buffer(5 + length, 5, false);
        h = rpos; // buffering may have moved the record to the front of rbuf
        rpos = h + 5 + length; // consumed: the view returned below stays valid until the next read()
        int fragOff = h + 5;
        int fragLen = length;
        if (readCipher != null) {
            fragLen = readCipher.openInPlace(type, version, b, h + 5, length);
            fragOff = h + 5 + RecordCipher.overhead() - org.proxyinfo.wire.CipherSuite.GCM_TAG_LENGTH;
            if (fragLen > MAX_PLAINTEXT) {
                throw new TlsFatalAlert(AlertDescription.RECORD_OVERFLOW, "RFC5246-6.2.3",
                        "decrypted record of " + fragLen + " bytes exceeds 2^14");
            }
        }
        if (fragLen == 0 && type != ContentType.APPLICATION_DATA) {
            // RFC5246-6.2.1: zero-length fragments of Handshake, Alert or ChangeCipherSpec MUST NOT be sent.
            throw new TlsFatalAlert(AlertDescription.DECODE_ERROR, "RFC5246-6.2.1",
                    "empty " + ContentType.name(type) + " record");
        }
        return new Record(type, version, b, fragOff, fragLen, 5 + length);
    }

    /**
     * True when a whole application-data record with a non-empty fragment is buffered, so that the
     * next {@link #read()} returns data (or fails) without waiting for the transport. The proxy's
     * relay uses it to send the records it already has in one write (issue #14).
     */
    public boolean applicationDataBuffered() {
        int have = rend - rpos;
        if (have < 5 || (rbuf[rpos] & 0xff) != ContentType.APPLICATION_DATA) {
            return false;
        }
        int length = fragmentLength(rpos);
        int empty = readCipher == null ? 0 : RecordCipher.overhead();
        return length > empty && have >= 5 + length;
    }

    /** The length field of the record header buffered at rbuf[h .. h + 5) (RFC5246-6.2.1). */
    private int fragmentLength(int h) {
        return ((rbuf[h + 3] & 0xff) << 8) | (rbuf[h + 4] & 0xff);
    }

    /**
     * Makes at least {@code need} bytes available at rbuf[rpos ..), reading as much as the transport
     * has (up to the room left) per read. {@code counted} bytes of them (the header, once read) are not
     * counted in the message of a cut-short record, which names the part being read (header or
     * fragment) as before the read-ahead. Returns false only for a clean end of stream before any
     * byte of a record, when allowed.
     */
    private boolean buffer(int need, int counted, boolean eofAtStartOk) throws IOException, TlsFatalAlert {
        if (rend - rpos >= need) {
            return true;
        }
        if (rpos + need > rbuf.length) {
            int have = rend - rpos;
            System.arraycopy(rbuf, rpos, rbuf, 0, have);
            rpos = 0;
            rend = have;
        } else if (rpos == rend) {
            rpos = 0;
            rend = 0;
        }
        while (rend - rpos < need) {
            int n = in.read(rbuf, rend, rbuf.length - rend);
            if (n < 0) {
                int done = rend - rpos - counted;
                if (done == 0 && eofAtStartOk) {
                    return false;
                }
                // A record cut short by the end of the stream: malformed (DEC-21).
                throw new TlsFatalAlert(AlertDescription.DECODE_ERROR, "RFC5246-6.2.1",
                        "connection closed in the middle of a record (" + done + " of " + (need - counted) + " bytes)");
            }
            rend += n;
        }
        return true;
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
