package org.proxyinfo.record;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.wire.HandshakeMessage;
import org.proxyinfo.wire.TlsFatalAlert;

/**
 * Reassembles handshake messages from handshake-record fragments (RFC5246-6.2.1: messages may be
 * split over records and several may share one record), and remembers where records began so a
 * trace can show the record boundaries of each message.
 */
public final class HandshakeAssembler {
    /** Largest handshake message we accept (a certificate chain of a few KB fits many times). */
    public static final int MAX_MESSAGE = 1 << 17;

    private byte[] buf = new byte[0];
    private final List<Integer> recordStarts = new ArrayList<>();

    public void add(byte[] fragment) {
        recordStarts.add(buf.length);
        byte[] n = new byte[buf.length + fragment.length];
        System.arraycopy(buf, 0, n, 0, buf.length);
        System.arraycopy(fragment, 0, n, buf.length, fragment.length);
        buf = n;
    }

    /** True when a message has been started but not completed (then no other content type may come, RFC5246-6.2.1). */
    public boolean hasPartial() {
        return buf.length > 0;
    }

    /** One complete message, or null if more records are needed. */
    public Framed next() throws TlsFatalAlert {
        if (buf.length < 4) {
            return null;
        }
        int type = buf[0] & 0xff;
        int len = ((buf[1] & 0xff) << 16) | ((buf[2] & 0xff) << 8) | (buf[3] & 0xff);
        if (len > MAX_MESSAGE) {
            throw new TlsFatalAlert(AlertDescription.DECODE_ERROR, "RFC5246-7.4",
                    "handshake message of " + len + " bytes exceeds this implementation's limit of " + MAX_MESSAGE);
        }
        if (buf.length < 4 + len) {
            return null;
        }
        byte[] body = new byte[len];
        System.arraycopy(buf, 4, body, 0, len);
        byte[] encoded = new byte[4 + len];
        System.arraycopy(buf, 0, encoded, 0, 4 + len);
        List<Integer> starts = new ArrayList<>();
        List<Integer> rest = new ArrayList<>();
        for (int s : recordStarts) {
            if (s < 4 + len) {
                starts.add(s);
            } else {
                rest.add(s - (4 + len));
            }
        }
        byte[] remaining = new byte[buf.length - 4 - len];
        System.arraycopy(buf, 4 + len, remaining, 0, remaining.length);
        buf = remaining;
        recordStarts.clear();
        if (remaining.length > 0 && (rest.isEmpty() || rest.get(0) != 0)) {
            recordStarts.add(0); // the rest of the current record
        }
        recordStarts.addAll(rest);
        if (starts.isEmpty() || starts.get(0) != 0) {
            starts.add(0, 0);
        }
        return new Framed(new HandshakeMessage(type, body), encoded, starts);
    }

    /** A reassembled message with its exact bytes and the offsets where records began. */
    public static final class Framed {
        public final HandshakeMessage message;
        public final byte[] encoded;
        public final List<Integer> recordStarts;

        Framed(HandshakeMessage message, byte[] encoded, List<Integer> recordStarts) {
            this.message = message;
            this.encoded = encoded;
            this.recordStarts = recordStarts;
        }
    }
}
