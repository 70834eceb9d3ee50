package org.proxyinfo.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.proxyinfo.core.AlertDescription;

/** RFC5246-7.4 message codecs: round trips and malformed input (decode_error, DEC-21). */
class WireCodecTest {

    @Test
    void clientHelloRoundTrip() throws Exception {
        ClientHello ch = new ClientHello(0x0303, new byte[32], new byte[] {1, 2}, new int[] {0xC02B, 0xC030}, new byte[] {0},
                List.of(new Extension(23, new byte[0]), new Extension(0xff01, new byte[] {0})));
        ClientHello back = ClientHello.decode(ch.encode());
        assertArrayEquals(ch.encode(), back.encode());
        assertEquals(2, back.extensions.size());
        assertEquals(0xC030, back.cipherSuites[1]);
    }

    @Test
    void clientHelloWithoutExtensionsIsAccepted() throws Exception {
        ClientHello ch = new ClientHello(0x0303, new byte[32], new byte[0], new int[] {0xC02B}, new byte[] {0}, List.of());
        assertEquals(0, ClientHello.decode(ch.encode()).extensions.size());
    }

    @Test
    void duplicateExtensionIsDecodeError() {
        ClientHello ch = new ClientHello(0x0303, new byte[32], new byte[0], new int[] {0xC02B}, new byte[] {0},
                List.of(new Extension(23, new byte[0]), new Extension(23, new byte[0])));
        TlsFatalAlert e = assertThrows(TlsFatalAlert.class, () -> ClientHello.decode(ch.encode()));
        assertEquals(AlertDescription.DECODE_ERROR, e.alert());
        assertEquals("RFC5246-7.4.1.4", e.requirementId());
    }

    @Test
    void oddCipherSuiteLengthIsDecodeError() {
        byte[] body = new TlsWriter().u16(0x0303).bytes(new byte[32]).vector(1, new byte[0]).vector(2, new byte[] {(byte) 0xC0, 0x2B, 0})
                .vector(1, new byte[] {0}).toByteArray();
        assertEquals(AlertDescription.DECODE_ERROR, assertThrows(TlsFatalAlert.class, () -> ClientHello.decode(body)).alert());
    }

    @Test
    void serverHelloAndKeyExchangeRoundTrip() throws Exception {
        ServerHello sh = new ServerHello(0x0303, new byte[32], new byte[0], 0xC02F, 0, List.of(new Extension(23, new byte[0])));
        assertArrayEquals(sh.encode(), ServerHello.decode(sh.encode()).encode());
        ServerKeyExchange ske = new ServerKeyExchange(0x001d, new byte[32], 0x0804, new byte[256]);
        ServerKeyExchange back = ServerKeyExchange.decode(ske.encode());
        assertEquals(0x0804, back.signatureScheme);
        assertArrayEquals(ske.encode(), back.encode());
    }

    @Test
    void explicitCurveIsIllegalParameter() {
        byte[] body = new TlsWriter().u8(1).u16(0).toByteArray();
        assertEquals(AlertDescription.ILLEGAL_PARAMETER, assertThrows(TlsFatalAlert.class, () -> ServerKeyExchange.decode(body)).alert());
    }

    @Test
    void certificateListRoundTripAndEmptyCertIsDecodeError() throws Exception {
        Certificate c = new Certificate(List.of(new byte[] {1, 2, 3}, new byte[] {4}));
        assertEquals(2, Certificate.decode(c.encode()).certificateList.size());
        byte[] emptyCert = new TlsWriter().startVector(3).vector(3, new byte[0]).endVector().toByteArray();
        assertEquals(AlertDescription.DECODE_ERROR, assertThrows(TlsFatalAlert.class, () -> Certificate.decode(emptyCert)).alert());
    }

    @Test
    void finishedAndDoneLengths() throws Exception {
        assertEquals(AlertDescription.DECODE_ERROR, assertThrows(TlsFatalAlert.class, () -> Finished.decode(new byte[11])).alert());
        assertEquals(AlertDescription.DECODE_ERROR, assertThrows(TlsFatalAlert.class, () -> ServerHelloDone.decode(new byte[1])).alert());
        assertEquals(AlertDescription.DECODE_ERROR,
                assertThrows(TlsFatalAlert.class, () -> ClientKeyExchange.decode(new byte[] {5, 1, 2})).alert());
    }
}
