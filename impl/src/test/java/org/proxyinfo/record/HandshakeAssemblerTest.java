package org.proxyinfo.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.wire.TlsFatalAlert;

/** Handshake reassembly (RFC5246-6.2.1) in linear time and bounded memory (issue #14, HOSTILE.md). */
class HandshakeAssemblerTest {

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    @DisplayName("a 2^17-byte handshake message as 1-byte fragments: linear copying (the old assembler copied ~8 GiB)")
    void oneByteFragmentsAreLinear() throws TlsFatalAlert {
        int body = HandshakeAssembler.MAX_MESSAGE;
        byte[] msg = new byte[4 + body];
        msg[0] = 11;
        msg[1] = (byte) (body >>> 16);
        msg[2] = (byte) (body >>> 8);
        msg[3] = (byte) body;
        for (int i = 4; i < msg.length; i++) {
            msg[i] = (byte) i;
        }
        HandshakeAssembler a = new HandshakeAssembler();
        long before = allocatedBytes();
        HandshakeAssembler.Framed f = null;
        for (int i = 0; i < msg.length; i++) {
            a.add(msg, i, 1);
            f = a.next();
            if (i < msg.length - 1) {
                assertNull(f);
            }
        }
        long allocated = allocatedBytes() - before;
        assertTrue(f != null, "message reassembled");
        assertArrayEquals(msg, f.encoded);
        assertEquals(msg.length, f.recordStarts.size(), "one record start per fragment");
        assertEquals(msg.length - 1, f.recordStarts.get(f.recordStarts.size() - 1));
        assertFalse(a.hasPartial());
        // the message itself (twice: encoded and body), the buffer's doublings and the record starts: a few MB;
        // a quadratic assembler allocates ~2^34 bytes here
        assertTrue(allocated < 32L << 20, "allocated " + allocated + " bytes for a " + msg.length + "-byte message");
    }

    @Test
    @DisplayName("several messages in one record, a message over records: record starts as before")
    void boundaries() throws TlsFatalAlert {
        HandshakeAssembler a = new HandshakeAssembler();
        // record 1: message A (4+2) and the first 3 bytes of B; record 2: the rest of B (4+4) and C (4+0)
        a.add(new byte[] {1, 0, 0, 2, 9, 9, 2, 0, 0});
        HandshakeAssembler.Framed fa = a.next();
        assertArrayEquals(new byte[] {1, 0, 0, 2, 9, 9}, fa.encoded);
        assertEquals(List.of(0), fa.recordStarts);
        assertNull(a.next());
        assertTrue(a.hasPartial());
        a.add(new byte[] {4, 1, 2, 3, 4, 14, 0, 0, 0});
        HandshakeAssembler.Framed fb = a.next();
        assertArrayEquals(new byte[] {2, 0, 0, 4, 1, 2, 3, 4}, fb.encoded);
        assertEquals(List.of(0, 3), fb.recordStarts);
        HandshakeAssembler.Framed fc = a.next();
        assertEquals(14, fc.message.type);
        assertEquals(List.of(0), fc.recordStarts);
        assertNull(a.next());
        assertFalse(a.hasPartial());
    }

    @Test
    @DisplayName("a header announcing more than the limit is refused at once, before its body is buffered (decode_error)")
    void oversizedHeaderRefusedEarly() {
        HandshakeAssembler a = new HandshakeAssembler(1000);
        TlsFatalAlert e = assertThrows(TlsFatalAlert.class, () -> a.add(new byte[] {1, 0, 3, (byte) 0xe9}));
        assertEquals(AlertDescription.DECODE_ERROR, e.alert());
        assertTrue(e.getMessage().contains("limit of 1000"), e.getMessage());
    }

    @Test
    @DisplayName("many small messages through one assembler: the buffer stays small (compaction)")
    void compaction() throws TlsFatalAlert {
        HandshakeAssembler a = new HandshakeAssembler();
        byte[] rec = new byte[300];
        for (int i = 0; i < rec.length; i += 6) {
            rec[i] = 1;
            rec[i + 3] = 2;
        }
        int got = 0;
        for (int r = 0; r < 10_000; r++) {
            a.add(rec, r % 2 == 0 ? 0 : 0, rec.length);
            while (a.next() != null) {
                got++;
            }
        }
        assertEquals(10_000 * 50, got);
        assertFalse(a.hasPartial());
    }
}
