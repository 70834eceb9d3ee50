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

    private RecordLayer reader(byte[] wire) {
        return new RecordLayer(new ByteArrayInputStream(wire), new ByteArrayOutputStream());
    }

    @Test
    void fragmentsAt2To14AndRoundTripsEncrypted() throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        RecordLayer w = new RecordLayer(new ByteArrayInputStream(new byte[0]), wire);
        w.setWriteCipher(new RecordCipher(crypto, key, salt));
        byte[] data = new byte[40000];
        new SecureRandom().nextBytes(data);
        assertEquals(java.util.List.of(16384, 16384, 7232), w.write(ContentType.APPLICATION_DATA, data));
        w.flush();
        RecordLayer r = reader(wire.toByteArray());
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
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        RecordLayer w = new RecordLayer(new ByteArrayInputStream(new byte[0]), wire);
        w.setWriteCipher(new RecordCipher(crypto, key, salt));
        w.write(ContentType.APPLICATION_DATA, new byte[] {1});
        w.flush();
        int first = wire.size();
        w.write(ContentType.APPLICATION_DATA, new byte[] {2});
        w.flush();
        byte[] all = wire.toByteArray();
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
}
