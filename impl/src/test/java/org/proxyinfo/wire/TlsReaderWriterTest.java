package org.proxyinfo.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.proxyinfo.core.AlertDescription;

/** RFC5246-4: presentation-language vectors round-trip; bad lengths are decode_error (DEC-21). */
class TlsReaderWriterTest {

    @Test
    void nestedVectorsRoundTrip() throws Exception {
        byte[] encoded = new TlsWriter()
                .u8(3).u16(0x0303)
                .startVector(3).vector(2, new byte[] {1, 2, 3}).u24(0x010203).endVector()
                .toByteArray();
        assertEquals(1 + 2 + 3 + 2 + 3 + 3, encoded.length);

        TlsReader r = new TlsReader(encoded, "test");
        assertEquals(3, r.u8("a"));
        assertEquals(0x0303, r.u16("b"));
        TlsReader inner = r.sub(3, 0, (1 << 24) - 1, "inner");
        assertArrayEquals(new byte[] {1, 2, 3}, inner.vector(2, 1, 10, "v"));
        assertEquals(0x010203, inner.u24("c"));
        inner.expectEnd("inner");
        r.expectEnd("outer");
    }

    @Test
    void truncatedInputIsDecodeError() {
        TlsReader r = new TlsReader(new byte[] {0, 5, 1, 2}, "test");
        TlsFatalAlert e = assertThrows(TlsFatalAlert.class, () -> r.vector(2, 0, 100, "body"));
        assertEquals(AlertDescription.DECODE_ERROR, e.alert());
    }

    @Test
    void lengthOutsideBoundsIsDecodeError() {
        TlsReader r = new TlsReader(new byte[] {0}, "test");
        TlsFatalAlert e = assertThrows(TlsFatalAlert.class, () -> r.vector(1, 1, 10, "nonEmpty"));
        assertEquals(AlertDescription.DECODE_ERROR, e.alert());
    }

    @Test
    void trailingBytesAreDecodeError() throws Exception {
        TlsReader r = new TlsReader(new byte[] {1, 2}, "test");
        r.u8("x");
        assertThrows(TlsFatalAlert.class, () -> r.expectEnd("x"));
    }
}
