package org.proxyinfo.record;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.wire.HandshakeMessage;
import org.proxyinfo.wire.TlsFatalAlert;

/**
 * Reassembles handshake messages from handshake-record fragments (RFC5246-6.2.1: messages may be
 * split over records and several may share one record), and remembers where records began so a
 * trace can show the record boundaries of each message.
 *
 * <p>Linear time and bounded memory against a hostile peer (issue #14, {@code HOSTILE.md}): the
 * bytes live in one growable buffer with a read offset; a fragment is copied once when it arrives
 * and once when its message is taken out; the buffer doubles when it must grow and is compacted
 * only when at least half of it has been consumed, so a 128 KiB message sent as 1-byte records
 * costs about 128 KiB of copying, not 8 GiB. A message whose header announces more than the limit
 * is refused as soon as its 4-byte header is in (before the body is buffered).
 */
public final class HandshakeAssembler {
    /** Default largest handshake message we accept (a certificate chain of a few KB fits many times). */
    public static final int MAX_MESSAGE = 1 << 17;
    private static final int INITIAL_CAPACITY = 2048;
    private static final int KEEP_CAPACITY = 1 << 15;

    private final int maxMessage;
    private byte[] buf = new byte[0];
    /** Live bytes are buf[start .. end). */
    private int start;
    private int end;
    /** Absolute offsets into buf where records began, ascending; entries before recordHead are consumed. */
    private int[] recordStarts = new int[16];
    private int recordHead;
    private int recordCount;

    public HandshakeAssembler() {
        this(MAX_MESSAGE);
    }

    /** @param maxMessage largest handshake body accepted; larger: decode_error (DEC-21) */
    public HandshakeAssembler(int maxMessage) {
        if (maxMessage < 1 || maxMessage > (1 << 24) - 1) {
            throw new IllegalArgumentException("handshake message limit " + maxMessage);
        }
        this.maxMessage = maxMessage;
    }

    public int maxMessage() {
        return maxMessage;
    }

    public void add(byte[] fragment) throws TlsFatalAlert {
        add(fragment, 0, fragment.length);
    }

    /** Appends {@code fragment[off .. off+len)} (one record's handshake bytes). */
    public void add(byte[] fragment, int off, int len) throws TlsFatalAlert {
        if (len == 0) {
            return;
        }
        ensureRoom(len);
        pushRecordStart(end);
        System.arraycopy(fragment, off, buf, end, len);
        end += len;
        checkHeader();
    }

    /** Refuses an oversized message as soon as its header is complete, before its body is buffered. */
    private void checkHeader() throws TlsFatalAlert {
        if (end - start >= 4) {
            int len = ((buf[start + 1] & 0xff) << 16) | ((buf[start + 2] & 0xff) << 8) | (buf[start + 3] & 0xff);
            if (len > maxMessage) {
                throw new TlsFatalAlert(AlertDescription.DECODE_ERROR, "RFC5246-7.4",
                        "handshake message of " + len + " bytes exceeds this implementation's limit of " + maxMessage
                                + " (DEC-21; HOSTILE.md)");
            }
        }
    }

    private void ensureRoom(int len) {
        int live = end - start;
        if (end + len <= buf.length) {
            return;
        }
        int needed = live + len;
        byte[] target;
        if (needed <= buf.length / 2) {
            target = buf; // at least half consumed: compact in place (amortised against what was consumed)
        } else {
            target = new byte[Math.max(Math.max(INITIAL_CAPACITY, needed), buf.length * 2)];
        }
        System.arraycopy(buf, start, target, 0, live);
        for (int i = recordHead; i < recordHead + recordCount; i++) {
            recordStarts[i] -= start;
        }
        buf = target;
        end = live;
        start = 0;
    }

    private void pushRecordStart(int offset) {
        if (recordHead + recordCount == recordStarts.length) {
            if (recordHead > 0 && recordCount <= recordStarts.length / 2) {
                System.arraycopy(recordStarts, recordHead, recordStarts, 0, recordCount);
            } else {
                int[] n = new int[recordStarts.length * 2];
                System.arraycopy(recordStarts, recordHead, n, 0, recordCount);
                recordStarts = n;
            }
            recordHead = 0;
        }
        recordStarts[recordHead + recordCount] = offset;
        recordCount++;
    }

    /** True when a message has been started but not completed (then no other content type may come, RFC5246-6.2.1). */
    public boolean hasPartial() {
        return end > start;
    }

    /** One complete message, or null if more records are needed. */
    public Framed next() throws TlsFatalAlert {
        if (end - start < 4) {
            return null;
        }
        checkHeader();
        int type = buf[start] & 0xff;
        int len = ((buf[start + 1] & 0xff) << 16) | ((buf[start + 2] & 0xff) << 8) | (buf[start + 3] & 0xff);
        if (end - start < 4 + len) {
            return null;
        }
        int msgEnd = start + 4 + len;
        byte[] encoded = Arrays.copyOfRange(buf, start, msgEnd);
        byte[] body = Arrays.copyOfRange(buf, start + 4, msgEnd);
        List<Integer> starts = new ArrayList<>();
        while (recordCount > 0 && recordStarts[recordHead] < msgEnd) {
            starts.add(recordStarts[recordHead] - start);
            recordHead++;
            recordCount--;
        }
        if (starts.isEmpty() || starts.get(0) != 0) {
            starts.add(0, 0);
        }
        start = msgEnd;
        if (start < end && (recordCount == 0 || recordStarts[recordHead] != start)) {
            // the rest of the current record begins the next message
            recordHead--;
            recordCount++;
            recordStarts[recordHead] = start;
        }
        if (start == end) {
            start = 0;
            end = 0;
            recordHead = 0;
            recordCount = 0;
            if (buf.length > KEEP_CAPACITY) {
                buf = new byte[0]; // a big message is done: give its memory back
            }
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
