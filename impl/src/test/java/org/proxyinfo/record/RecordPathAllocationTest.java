package org.proxyinfo.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.security.SecureRandom;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.wire.ContentType;

/**
 * The record path without per-record arrays (issue #14): 64 KiB sealed into the output buffer and
 * opened in place in the read buffer allocates (almost) nothing per record. The old path allocated
 * about 300 KB per 64 KiB per direction (nonce, additional data, ciphertext and plaintext arrays, a
 * copy of every fragment).
 */
class RecordPathAllocationTest {

    /** A wire in one fixed array: what the writer flushes, the reader reads; no allocation. */
    static final class Wire {
        final byte[] buf = new byte[1 << 18];
        int w;
        int r;
        final OutputStream out = new OutputStream() {
            @Override public void write(int b) { buf[w++] = (byte) b; }

            @Override public void write(byte[] b, int off, int len) {
                System.arraycopy(b, off, buf, w, len);
                w += len;
            }
        };
        final InputStream in = new InputStream() {
            @Override public int read() { return r < w ? buf[r++] & 0xff : -1; }

            @Override public int read(byte[] b, int off, int len) {
                if (r >= w) {
                    return -1;
                }
                int n = Math.min(len, w - r);
                System.arraycopy(buf, r, b, off, n);
                r += n;
                return n;
            }
        };

        void reset() {
            w = 0;
            r = 0;
        }
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    @DisplayName("64 KiB through AES-128-GCM records (seal into the output buffer, open in place): under 16 KB allocated per 64 KiB")
    void sealAndOpenInPlace() throws Exception {
        BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());
        byte[] key = new byte[16];
        byte[] salt = {1, 2, 3, 4};
        Wire wire = new Wire();
        RecordLayer writer = new RecordLayer(InputStream.nullInputStream(), wire.out);
        RecordLayer reader = new RecordLayer(wire.in, OutputStream.nullOutputStream());
        writer.setWriteCipher(new RecordCipher(crypto, key, salt));
        reader.setReadCipher(new RecordCipher(crypto, key, salt));
        byte[] data = new byte[64 * 1024];
        new SecureRandom().nextBytes(data);
        byte[] back = new byte[data.length];
        long perEcho = 0;
        for (int round = 0; round < 300; round++) {
            long before = allocated();
            wire.reset();
            writer.writeData(ContentType.APPLICATION_DATA, data, 0, data.length);
            writer.flush();
            int got = 0;
            while (got < back.length) {
                Record rec = reader.read();
                System.arraycopy(rec.data, rec.offset, back, got, rec.length);
                got += rec.length;
            }
            perEcho = allocated() - before;
        }
        assertArrayEquals(data, back);
        assertEquals(RecordLayer.MAX_PLAINTEXT, 16384);
        System.out.println("RecordPathAllocationTest: " + perEcho + " bytes allocated per 64 KiB sealed and opened (4 records)");
        assertTrue(perEcho < 16 * 1024, perEcho + " bytes allocated per 64 KiB");
    }
}
