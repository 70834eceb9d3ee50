package org.proxyinfo.proxyinfo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.wire.TlsFatalAlert;

/**
 * DEC-1..7 codec: round trips over random structures, and one test per decoding error (DEC-21:
 * malformed = decode_error, out-of-range or misplaced value = illegal_parameter).
 */
class ProxyInfoCodecTest {

    private final ProxyInfoCodec codec = new ProxyInfoCodec();

    // ------------------------------------------------------------------ generators

    static byte[] randomBytes(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    static List<byte[]> randomChain(Random rnd) {
        int n = rnd.nextInt(4);
        List<byte[]> certs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int len = rnd.nextInt(20) == 0 ? 256 + rnd.nextInt(70_000) : 1 + rnd.nextInt(300);
            certs.add(randomBytes(rnd, len));
        }
        return certs;
    }

    static DigitallySigned randomSignature(Random rnd) {
        return new DigitallySigned(rnd.nextInt(0x10000), randomBytes(rnd, rnd.nextInt(300)));
    }

    /** A proxy_to_client chain with {@code hops} signed layers, ending in server_to_proxy (DEC-4). */
    static ProxyInfo randomToClient(Random rnd, int hops) {
        ProxyInfo next = ProxyInfo.endOfChain();
        for (int i = 0; i < hops; i++) {
            next = new SignedProxyInfo(
                    new ConnectionSecurityParameters(rnd.nextInt(0x10000), rnd.nextInt(0x10000), rnd.nextInt(0x100)),
                    randomChain(rnd), randomBytes(rnd, 32), rnd.nextBoolean(), next, randomSignature(rnd));
        }
        return next;
    }

    static ProxyInfo randomToServer(Random rnd, int hops) {
        ProxyInfo next = ProxyInfo.clientToProxy();
        for (int i = 0; i < hops; i++) {
            next = new SignedProxyInfo2(randomChain(rnd), next, randomSignature(rnd));
        }
        return next;
    }

    static ProxyInfo randomProxyInfo(Random rnd) {
        int depth = rnd.nextInt(5);
        switch (rnd.nextInt(4)) {
            case 0: return depth == 0 ? ProxyInfo.clientToProxy() : randomToServer(rnd, depth);
            case 1: return depth == 0 ? ProxyInfo.endOfChain() : randomToClient(rnd, depth);
            case 2: return randomToServer(rnd, depth);
            default: return randomToClient(rnd, depth);
        }
    }

    /** A fixed two-hop proxy_to_client assertion with small known fields, for the error tests. */
    static SignedProxyInfo sample() {
        SignedProxyInfo inner = new SignedProxyInfo(new ConnectionSecurityParameters(0x0303, 0xC02F, 0),
                List.of(new byte[] {0x30, 0x01, 0x02}), filled(32, 0x22), true, ProxyInfo.endOfChain(),
                new DigitallySigned(0x0403, filled(5, 0x55)));
        return new SignedProxyInfo(new ConnectionSecurityParameters(0x0303, 0xC02B, 0),
                List.of(new byte[] {0x30, 0x0A}, new byte[] {0x30, 0x0B, 0x0C}), filled(32, 0x11), false, inner,
                new DigitallySigned(0x0804, filled(7, 0x77)));
    }

    static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) v);
        return b;
    }

    static TlsFatalAlert expectAlert(int alert, String requirement, Executable e) {
        TlsFatalAlert a = assertThrows(TlsFatalAlert.class, e);
        assertEquals(AlertDescription.name(alert), a.alertName(), a.describe());
        if (requirement != null) {
            assertEquals(requirement, a.requirementId(), a.describe());
        }
        return a;
    }

    // ------------------------------------------------------------------ round trips

    @Test
    @DisplayName("DEC-1..7: decode(encode(x)) == x and encode(decode(b)) == b for 2000 random ProxyInfo trees of depth 0..4")
    void roundTripRandomTrees() throws Exception {
        Random rnd = new Random(0x5EED_0001L);
        int[] byDepth = new int[5];
        for (int i = 0; i < 2000; i++) {
            ProxyInfo x = randomProxyInfo(rnd);
            byDepth[x.depth()]++;
            byte[] b = ProxyInfoCodec.encode(x);
            ProxyInfo y = codec.decode(b);
            assertEquals(x, y, "iteration " + i);
            assertEquals(x.hashCode(), y.hashCode());
            assertArrayEquals(b, ProxyInfoCodec.encode(y), "iteration " + i);
            if (x instanceof SignedProxyInfo s) {
                assertEquals(x, codec.decodeFromServerHello(b));
                // the signed fields are a prefix of the body: flag || fields || DigitallySigned
                byte[] fields = s.encodedFields();
                assertArrayEquals(fields, Arrays.copyOfRange(b, 1, 1 + fields.length));
            }
        }
        for (int d = 0; d < 5; d++) {
            assertTrue(byDepth[d] > 100, "depth " + d + " generated only " + byDepth[d] + " times");
        }
    }

    @Test
    @DisplayName("DEC-3/DEC-1: exact bytes of a one-hop assertion")
    void exactEncoding() throws Exception {
        SignedProxyInfo one = new SignedProxyInfo(new ConnectionSecurityParameters(0x0303, 0xC02B, 0),
                List.of(new byte[] {(byte) 0xAA}), filled(32, 0x11), true, ProxyInfo.endOfChain(),
                new DigitallySigned(0x0403, new byte[] {(byte) 0xEE}));
        byte[] expected = concat(
                new byte[] {1},                                  // ProxyInfoFlag proxy_to_client (DEC-3)
                new byte[] {3, 3, (byte) 0xC0, 0x2B, 0},           // ConnectionSecurityParameters (DEC-1)
                new byte[] {0, 0, 4, 0, 0, 1, (byte) 0xAA},         // server_certificate_list<0..2^24-1> (DEC-6)
                filled(32, 0x11),                               // server_random
                new byte[] {1},                                  // revocation_checking_performed (DEC-7)
                new byte[] {3},                                  // next_proxy_info = server_to_proxy (DEC-4)
                new byte[] {4, 3, 0, 1, (byte) 0xEE});             // DigitallySigned (DEC-5)
        assertArrayEquals(expected, ProxyInfoCodec.encode(one));
        assertArrayEquals(new byte[] {0}, ProxyInfoCodec.encode(ProxyInfo.clientToProxy()));
        assertEquals(ProxyInfo.clientToProxy(), codec.decodeFromClientHello(new byte[] {0}));
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    // ------------------------------------------------------------------ DEC-3 flags

    @Test
    @DisplayName("DEC-3: every top-level ProxyInfoFlag value 4..255 is illegal_parameter")
    void topLevelFlagOutOfRange() {
        for (int v = 4; v <= 255; v++) {
            byte[] b = {(byte) v};
            expectAlert(AlertDescription.ILLEGAL_PARAMETER, "DEC-3", () -> codec.decode(b));
            expectAlert(AlertDescription.ILLEGAL_PARAMETER, "DEC-3", () -> codec.decodeFromServerHello(b));
            expectAlert(AlertDescription.ILLEGAL_PARAMETER, "DEC-3", () -> codec.decodeFromClientHello(b));
        }
    }

    @Test
    @DisplayName("DEC-3: every nested next_proxy_info flag value 4..255 is illegal_parameter")
    void nestedFlagOutOfRange() {
        SignedProxyInfo one = (SignedProxyInfo) randomToClient(new Random(7), 1);
        byte[] b = ProxyInfoCodec.encode(one);
        int flagOffset = 1 + one.encodedFields().length - 1; // last byte of the fields is next_proxy_info's flag
        assertEquals(3, b[flagOffset]);
        for (int v = 4; v <= 255; v++) {
            byte[] m = b.clone();
            m[flagOffset] = (byte) v;
            expectAlert(AlertDescription.ILLEGAL_PARAMETER, "DEC-3", () -> codec.decode(m));
        }
    }

    @Test
    @DisplayName("DEC-3/DEC-21: a ServerHello carrying client_to_proxy, proxy_to_server or server_to_proxy is illegal_parameter")
    void wrongFlagInServerHello() {
        for (ProxyInfo p : List.of(ProxyInfo.clientToProxy(), ProxyInfo.endOfChain(), randomToServer(new Random(3), 1))) {
            byte[] b = ProxyInfoCodec.encode(p);
            TlsFatalAlert a = expectAlert(AlertDescription.ILLEGAL_PARAMETER, "DEC-3", () -> codec.decodeFromServerHello(b));
            assertTrue(a.getMessage().contains(p.flag().wireName()), a.getMessage());
        }
    }

    @Test
    @DisplayName("DEC-3/DEC-23: a ClientHello carrying anything but client_to_proxy is illegal_parameter; proxy_to_server is"
            + " named as the DEC-23 mode's, which exists (not 'not supported, DEC-20')")
    void wrongFlagInClientHello() {
        for (ProxyInfo p : List.of(ProxyInfo.endOfChain(), randomToClient(new Random(4), 1), randomToServer(new Random(5), 1))) {
            byte[] b = ProxyInfoCodec.encode(p);
            TlsFatalAlert a = expectAlert(AlertDescription.ILLEGAL_PARAMETER, "DEC-3", () -> codec.decodeFromClientHello(b));
            assertFalse(a.getMessage().contains("not supported"), a.getMessage());
            assertTrue(a.getMessage().contains("DEC-23"), a.getMessage());
        }
    }

    @Test
    @DisplayName("DEC-3: client_to_proxy / server_to_proxy followed by a body is illegal_parameter")
    void zeroLengthFlagWithBody() {
        expectAlert(AlertDescription.ILLEGAL_PARAMETER, "DEC-3", () -> codec.decodeFromClientHello(new byte[] {0, 0}));
        expectAlert(AlertDescription.ILLEGAL_PARAMETER, "DEC-3", () -> codec.decode(new byte[] {0, 1, 2}));
        expectAlert(AlertDescription.ILLEGAL_PARAMETER, "DEC-3", () -> codec.decode(new byte[] {3, 9}));
    }

    @Test
    @DisplayName("DEC-4: a nested client_to_proxy or proxy_to_server inside proxy_to_client is illegal_parameter")
    void misplacedNestedFlag() {
        SignedProxyInfo one = (SignedProxyInfo) randomToClient(new Random(8), 1);
        byte[] b = ProxyInfoCodec.encode(one);
        int flagOffset = one.encodedFields().length;
        for (int v : new int[] {0, 2}) {
            byte[] m = b.clone();
            m[flagOffset] = (byte) v;
            expectAlert(AlertDescription.ILLEGAL_PARAMETER, "DEC-4", () -> codec.decode(m));
        }
        assertThrows(IllegalArgumentException.class, () -> new SignedProxyInfo(one.connectionParameters(),
                List.of(), filled(32, 0), false, ProxyInfo.clientToProxy(), one.signature()));
    }

    // ------------------------------------------------------------------ DEC-7 Boolean

    @Test
    @DisplayName("DEC-7: revocation_checking_performed 2..255 is illegal_parameter")
    void booleanOutOfRange() {
        SignedProxyInfo one = (SignedProxyInfo) randomToClient(new Random(9), 1);
        byte[] b = ProxyInfoCodec.encode(one);
        int boolOffset = one.encodedFields().length - 1; // just before next_proxy_info's flag
        for (int v = 2; v <= 255; v++) {
            byte[] m = b.clone();
            m[boolOffset] = (byte) v;
            expectAlert(AlertDescription.ILLEGAL_PARAMETER, "DEC-7", () -> codec.decode(m));
        }
    }

    // ------------------------------------------------------------------ DEC-4 depth

    @Test
    @DisplayName("DEC-4: 4 nested hops decode; 5 are illegal_parameter; the bound is configurable")
    void nestingLimit() throws Exception {
        Random rnd = new Random(10);
        byte[] four = ProxyInfoCodec.encode(randomToClient(rnd, 4));
        byte[] five = ProxyInfoCodec.encode(randomToClient(rnd, 5));
        assertEquals(4, codec.decodeFromServerHello(four).depth());
        expectAlert(AlertDescription.ILLEGAL_PARAMETER, "DEC-4", () -> codec.decodeFromServerHello(five));
        expectAlert(AlertDescription.ILLEGAL_PARAMETER, "DEC-4", () -> codec.decode(ProxyInfoCodec.encode(randomToServer(rnd, 5))));
        ProxyInfoCodec two = new ProxyInfoCodec(2);
        expectAlert(AlertDescription.ILLEGAL_PARAMETER, "DEC-4", () -> two.decode(ProxyInfoCodec.encode(randomToClient(rnd, 3))));
        assertEquals(5, new ProxyInfoCodec(5).decode(five).depth());
        assertThrows(IllegalArgumentException.class, () -> new ProxyInfoCodec(0));
        assertThrows(IllegalArgumentException.class, () -> new ProxyInfoCodec(1000));
    }

    @Test
    @DisplayName("DEC-4: 2000 nested proxy_to_client layers fail at the depth limit, not with a stack overflow")
    void deepGarbageIsBounded() {
        // each layer: flag 1, cp(5), list length 0 (3), random(32), bool 0, then the next layer
        int layer = 1 + 5 + 3 + 32 + 1;
        byte[] deep = new byte[layer * 2000];
        for (int i = 0; i < 2000; i++) {
            deep[i * layer] = 1;
        }
        expectAlert(AlertDescription.ILLEGAL_PARAMETER, "DEC-4", () -> codec.decode(deep));
    }

    // ------------------------------------------------------------------ malformed: decode_error

    @Test
    @DisplayName("DEC-21: truncation of a two-hop assertion at every byte boundary is decode_error")
    void truncatedAtEveryBoundary() throws Exception {
        byte[] b = ProxyInfoCodec.encode(sample());
        assertEquals(sample(), codec.decodeFromServerHello(b));
        for (int n = 0; n < b.length; n++) {
            byte[] prefix = Arrays.copyOf(b, n);
            expectAlert(AlertDescription.DECODE_ERROR, null, () -> codec.decodeFromServerHello(prefix));
            expectAlert(AlertDescription.DECODE_ERROR, null, () -> codec.decode(prefix));
        }
    }

    @Test
    @DisplayName("DEC-21: trailing bytes after a signed ProxyInfo are decode_error")
    void trailingBytes() {
        byte[] b = ProxyInfoCodec.encode(sample());
        for (int extra = 1; extra <= 3; extra++) {
            byte[] m = Arrays.copyOf(b, b.length + extra);
            expectAlert(AlertDescription.DECODE_ERROR, "RFC5246-4", () -> codec.decodeFromServerHello(m));
            expectAlert(AlertDescription.DECODE_ERROR, "RFC5246-4", () -> codec.decode(m));
        }
    }

    @Test
    @DisplayName("DEC-6: an empty ASN.1Cert (opaque<1..2^24-1>) is decode_error")
    void emptyCertificate() {
        // flag, cp, list length 3 holding one cert of length 0, random, bool, server_to_proxy, sig
        byte[] m = concat(new byte[] {1, 3, 3, (byte) 0xC0, 0x2B, 0, 0, 0, 3, 0, 0, 0}, filled(32, 1),
                new byte[] {0, 3, 4, 3, 0, 0});
        expectAlert(AlertDescription.DECODE_ERROR, "DEC-6", () -> codec.decode(m));
        assertThrows(IllegalArgumentException.class, () -> new SignedProxyInfo(
                new ConnectionSecurityParameters(0x0303, 0xC02B, 0), List.of(new byte[0]), filled(32, 0), false,
                ProxyInfo.endOfChain(), new DigitallySigned(0x0403, new byte[0])));
    }

    /** Offsets of the length fields in {@link #sample()}'s encoding, computed from the structure. */
    private static int[][] lengthFields() {
        // outer: flag(1) cp(5) -> list length at 6 (3 bytes), cert0 length at 9, cert0 (2) at 12,
        // cert1 length at 14, cert1 (3) at 17; random at 20..51, bool at 52, inner flag at 53,
        // inner cp 54..58, inner list length at 59, inner cert length at 62, cert (3) at 65..67,
        // inner random 68..99, inner bool 100, inner next flag 101, inner sig alg 102, inner sig length 104,
        // inner sig (5) 106..110, outer sig alg 111, outer sig length 113 (2 bytes), outer sig 115..121
        return new int[][] {{6, 3}, {9, 3}, {14, 3}, {59, 3}, {62, 3}, {104, 2}, {113, 2}};
    }

    @Test
    @DisplayName("RFC5246-4/DEC-6/DEC-5: every length field one too long, one too short or 1000 too long is decode_error; zero is refused")
    void lengthFieldsOffByOne() throws Exception {
        byte[] b = ProxyInfoCodec.encode(sample());
        assertEquals(122, b.length, "offsets in lengthFields() assume this layout");
        for (int[] f : lengthFields()) {
            int at = f[0];
            int width = f[1];
            int len = 0;
            for (int i = 0; i < width; i++) {
                len = (len << 8) | (b[at + i] & 0xff);
            }
            assertTrue(len > 0, "field at " + at);
            for (int delta : new int[] {+1, -1, +1000, -len}) {
                int v = len + delta;
                byte[] m = b.clone();
                for (int i = 0; i < width; i++) {
                    m[at + i] = (byte) (v >>> (8 * (width - 1 - i)));
                }
                if (delta == -len) {
                    // Length zero re-aligns the rest of the message: the decoder then reads other fields
                    // from the following bytes, which may fail as malformed or as an out-of-range value
                    // (e.g. a certificate byte landing on the Boolean, DEC-7). Either way it is refused.
                    TlsFatalAlert a = assertThrows(TlsFatalAlert.class, () -> codec.decode(m), "field at " + at);
                    assertTrue(a.alert() == AlertDescription.DECODE_ERROR
                            || a.alert() == AlertDescription.ILLEGAL_PARAMETER, a.describe());
                } else {
                    expectAlert(AlertDescription.DECODE_ERROR, null, () -> codec.decode(m));
                }
            }
        }
    }

    @Test
    @DisplayName("RFC5246-4: an empty extension_data is decode_error")
    void emptyExtension() {
        expectAlert(AlertDescription.DECODE_ERROR, null, () -> codec.decode(new byte[0]));
        expectAlert(AlertDescription.DECODE_ERROR, null, () -> codec.decodeFromServerHello(new byte[0]));
        expectAlert(AlertDescription.DECODE_ERROR, null, () -> codec.decodeFromClientHello(new byte[0]));
    }

    @Test
    @DisplayName("DEC-21: 20000 random mutations of valid encodings give a value or a TlsFatalAlert, nothing else")
    void mutationsNeverThrowAnythingElse() {
        Random rnd = new Random(0x5EED_0002L);
        int alerts = 0;
        for (int i = 0; i < 20000; i++) {
            byte[] b = ProxyInfoCodec.encode(randomToClient(rnd, 1 + rnd.nextInt(3)));
            int flips = 1 + rnd.nextInt(3);
            for (int k = 0; k < flips; k++) {
                b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
            }
            try {
                ProxyInfo p = codec.decode(b);
                assertArrayEquals(b, ProxyInfoCodec.encode(p));
            } catch (TlsFatalAlert e) {
                alerts++;
                assertTrue(e.alert() == AlertDescription.DECODE_ERROR || e.alert() == AlertDescription.ILLEGAL_PARAMETER,
                        e.describe());
            }
        }
        assertTrue(alerts > 1000, "only " + alerts + " mutations were refused");
    }

    // ------------------------------------------------------------------ DEC-2, DEC-6 extension rules

    @Test
    @DisplayName("DEC-2 (revised): default code point 65360 (0xFF50); 65281, 65445 (Wireshark: quic_transport_parameters), 65486 and non-uint16 values are refused")
    void codePoint() {
        assertEquals(65360, ProxyInfoExtension.DEFAULT_EXTENSION_TYPE);
        assertEquals(0xFFA6, ProxyInfoExtension.checkExtensionType(0xFFA6));
        assertThrows(IllegalArgumentException.class, () -> ProxyInfoExtension.checkExtensionType(65281));
        assertThrows(IllegalArgumentException.class, () -> ProxyInfoExtension.checkExtensionType(65445));
        assertThrows(IllegalArgumentException.class, () -> ProxyInfoExtension.checkExtensionType(65486));
        assertThrows(IllegalArgumentException.class, () -> ProxyInfoExtension.checkExtensionType(70000));
        assertThrows(IllegalArgumentException.class, () -> ProxyInfoExtension.checkExtensionType(-1));
    }

    @Test
    @DisplayName("DEC-6: a ServerHello extension block over 2^16-1 bytes is internal_error at the proxy")
    void extensionBlockLimit() throws Exception {
        assertEquals(65535, ProxyInfoExtension.checkServerHelloExtensionsFit(100, 65535 - 104));
        TlsFatalAlert a = expectAlert(AlertDescription.INTERNAL_ERROR, "DEC-6",
                () -> ProxyInfoExtension.checkServerHelloExtensionsFit(100, 65535 - 103));
        assertTrue(a.getMessage().contains("65535"), a.getMessage());
        // A realistic oversize assertion: a chain of three 30000-byte certificates.
        SignedProxyInfo big = new SignedProxyInfo(new ConnectionSecurityParameters(0x0303, 0xC02B, 0),
                List.of(filled(30000, 1), filled(30000, 2), filled(30000, 3)), filled(32, 0), false,
                ProxyInfo.endOfChain(), new DigitallySigned(0x0403, filled(70, 9)));
        int len = ProxyInfoCodec.encode(big).length;
        expectAlert(AlertDescription.INTERNAL_ERROR, "DEC-6", () -> ProxyInfoExtension.checkServerHelloExtensionsFit(0, len));
        expectAlert(AlertDescription.INTERNAL_ERROR, "DEC-6", () -> ProxyInfoExtension.encodeForServerHello(big, 0));
        SignedProxyInfo small = sample();
        assertArrayEquals(ProxyInfoCodec.encode(small), ProxyInfoExtension.encodeForServerHello(small, 200));
    }
}
