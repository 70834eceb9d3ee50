package org.proxyinfo.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;

import org.junit.jupiter.api.Test;
import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.crypto.TlsCrypto;
import org.proxyinfo.wire.ContentType;
import org.proxyinfo.wire.HandshakeMessage;
import org.proxyinfo.wire.TlsFatalAlert;

/** RFC5246-6.2: record framing, limits, AEAD protection and sequence numbers; handshake reassembly. */
class RecordLayerTest {
    final TlsCrypto crypto = new BcTlsCrypto(new SecureRandom());
    final byte[] key = new byte[16];
    final byte[] salt = {1, 2, 3, 4};

    /** What a test writes through a record layer. */
    interface Writes {
        void to(RecordLayer w) throws Exception;
    }

    /** The wire bytes of the records {@code writes} writes, sealed under (key, salt), flushed once at the end. */
    private byte[] sealed(Writes writes) throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        RecordLayer w = new RecordLayer(new ByteArrayInputStream(new byte[0]), wire);
        w.setWriteCipher(new RecordCipher(crypto, key, salt));
        writes.to(w);
        w.flush();
        return wire.toByteArray();
    }

    private RecordLayer reader(byte[] wire) {
        return new RecordLayer(new ByteArrayInputStream(wire), new ByteArrayOutputStream());
    }

    @Test
    void fragmentsAt2To14AndRoundTripsEncrypted() throws Exception {
        byte[] data = new byte[40000];
        new SecureRandom().nextBytes(data);
        byte[] wire = sealed(w -> assertEquals(java.util.List.of(16384, 16384, 7232), w.write(ContentType.APPLICATION_DATA, data)));
        RecordLayer r = reader(wire);
        r.setReadCipher(new RecordCipher(crypto, key, salt));
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        for (int i = 0; i < 3; i++) {
            got.write(r.read().fragment());
        }
        assertNull(r.read(), "clean end of stream");
        assertArrayEquals(data, got.toByteArray());
    }

    @Test
    void recordsOutOfSequenceFailTheMac() throws Exception {
        // RFC5246-6.2.3.3: the sequence number is in the additional data; a replayed or dropped record fails.
        byte[] all = sealed(w -> {
            w.write(ContentType.APPLICATION_DATA, new byte[] {1});
            w.write(ContentType.APPLICATION_DATA, new byte[] {2});
        });
        int first = 5 + RecordCipher.overhead() + 1;
        byte[] secondOnly = java.util.Arrays.copyOfRange(all, first, all.length);
        RecordLayer r = reader(secondOnly);
        r.setReadCipher(new RecordCipher(crypto, key, salt));
        TlsFatalAlert e = assertThrows(TlsFatalAlert.class, r::read);
        assertEquals(AlertDescription.BAD_RECORD_MAC, e.alert());
    }

    @Test
    void ciphertextOverLimitIsRecordOverflow() {
        RecordLayer r = reader(new byte[] {23, 3, 3, (byte) 0x48, 0x01}); // 2^14 + 2048 + 1
        r.setReadCipher(new RecordCipher(crypto, key, salt));
        assertEquals(AlertDescription.RECORD_OVERFLOW, assertThrows(TlsFatalAlert.class, r::read).alert());
    }

    @Test
    void emptyHandshakeRecordIsDecodeError() {
        RecordLayer r = reader(new byte[] {22, 3, 3, 0, 0});
        assertEquals(AlertDescription.DECODE_ERROR, assertThrows(TlsFatalAlert.class, r::read).alert());
    }

    @Test
    void wrongVersionAfterNegotiationIsProtocolVersion() {
        RecordLayer r = reader(new byte[] {22, 3, 1, 0, 1, 0});
        r.setNegotiatedVersion(0x0303);
        assertEquals(AlertDescription.PROTOCOL_VERSION, assertThrows(TlsFatalAlert.class, r::read).alert());
    }

    @Test
    void reassemblesMessagesAcrossAndWithinRecords() throws Exception {
        byte[] a = new HandshakeMessage(2, new byte[70]).encoded();
        byte[] b = new HandshakeMessage(14, new byte[0]).encoded();
        HandshakeAssembler h = new HandshakeAssembler();
        h.add(java.util.Arrays.copyOfRange(a, 0, 3));
        assertNull(h.next());
        byte[] rest = new byte[a.length - 3 + b.length];
        System.arraycopy(a, 3, rest, 0, a.length - 3);
        System.arraycopy(b, 0, rest, a.length - 3, b.length);
        h.add(rest);
        HandshakeAssembler.Framed f1 = h.next();
        assertEquals(2, f1.message.type);
        assertArrayEquals(a, f1.encoded);
        assertEquals(java.util.List.of(0, 3), f1.recordStarts);
        HandshakeAssembler.Framed f2 = h.next();
        assertEquals(14, f2.message.type);
        assertNull(h.next());
    }
    /** A transport that hands out its bytes in the given chunk sizes (one chunk per read call), then ends. */
    private static java.io.InputStream chunked(byte[] wire, int... sizes) {
        return new java.io.InputStream() {
            int pos;
            int k;

            @Override public int read() {
                throw new AssertionError("the record layer reads blocks");
            }

            @Override public int read(byte[] b, int off, int len) {
                if (pos >= wire.length) {
                    return -1;
                }
                int n = Math.min(len, Math.min(wire.length - pos, k < sizes.length ? sizes[k++] : Integer.MAX_VALUE));
                System.arraycopy(wire, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    @Test
    void readAheadReturnsTheSameRecordsHoweverTheBytesArrive() throws Exception {
        // Issue #14 (profile 2026-12-04): the record layer reads as much as the transport has; records
        // split across reads, and several records in one read, come out exactly as one by one.
        byte[] data = new byte[3 * 16384 + 100];
        new SecureRandom().nextBytes(data);
        byte[] all = sealed(w -> {
            w.write(ContentType.APPLICATION_DATA, data);
            w.write(ContentType.APPLICATION_DATA, new byte[0]);
            w.write(ContentType.APPLICATION_DATA, new byte[] {7});
        });
        int[][] splits = {{all.length}, {1, 2, 3, 4, 5, 6, 7}, {3, 16411, 5, 1}, {2 * 16413 + 3}};
        for (int[] split : splits) {
            RecordLayer r = new RecordLayer(chunked(all, split), new ByteArrayOutputStream());
            r.setReadCipher(new RecordCipher(crypto, key, salt));
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            int records = 0;
            Record rec;
            while ((rec = r.read()) != null) {
                got.write(rec.data, rec.offset, rec.length);
                records++;
            }
            assertEquals(6, records, "records for reads of " + java.util.Arrays.toString(split));
            byte[] expected = java.util.Arrays.copyOf(data, data.length + 1);
            expected[data.length] = 7;
            assertArrayEquals(expected, got.toByteArray());
        }
    }

    @Test
    void cutShortRecordNamesThePartBeingRead() throws Exception {
        // DEC-21: the messages say which part of the record was cut, as before the read-ahead.
        byte[] header = {ContentType.HANDSHAKE, 3, 3, 0, 10};
        TlsFatalAlert inHeader = assertThrows(TlsFatalAlert.class, () -> reader(java.util.Arrays.copyOf(header, 3)).read());
        assertEquals("connection closed in the middle of a record (3 of 5 bytes)", inHeader.getMessage());
        byte[] partBody = java.util.Arrays.copyOf(header, 5 + 4);
        TlsFatalAlert inBody = assertThrows(TlsFatalAlert.class, () -> reader(partBody).read());
        assertEquals(AlertDescription.DECODE_ERROR, inBody.alert());
        assertEquals("connection closed in the middle of a record (4 of 10 bytes)", inBody.getMessage());
    }

    @Test
    void applicationDataBufferedOnlyForAWholeNonEmptyRecord() throws Exception {
        byte[] all = sealed(w -> {
            w.write(ContentType.APPLICATION_DATA, new byte[] {1});
            w.write(ContentType.APPLICATION_DATA, new byte[0]);
            w.write(ContentType.ALERT, new byte[] {1, 0});
            w.write(ContentType.APPLICATION_DATA, new byte[] {2});
        });
        int one = 5 + RecordCipher.overhead() + 1;
        // first read: the first record and 3 bytes of the second
        RecordLayer r = new RecordLayer(chunked(all, one + 3, all.length), new ByteArrayOutputStream());
        r.setReadCipher(new RecordCipher(crypto, key, salt));
        assertEquals(false, r.applicationDataBuffered(), "nothing read yet");
        assertEquals(1, r.read().byteAt(0));
        assertEquals(false, r.applicationDataBuffered(), "only part of the next header is in");
        assertEquals(0, r.read().length, "the empty record (read from the transport)");
        assertEquals(false, r.applicationDataBuffered(), "an alert is next");
        assertEquals(ContentType.ALERT, r.read().type);
        assertEquals(true, r.applicationDataBuffered(), "a whole non-empty application-data record is next");
        assertEquals(2, r.read().byteAt(0));
        assertEquals(false, r.applicationDataBuffered());
        assertNull(r.read());
        // all at once: the empty application-data record is whole but gives nothing to relay
        RecordLayer all1 = new RecordLayer(chunked(all, all.length), new ByteArrayOutputStream());
        all1.setReadCipher(new RecordCipher(crypto, key, salt));
        assertEquals(1, all1.read().byteAt(0));
        assertEquals(false, all1.applicationDataBuffered(), "an empty record is next");
    }
}
