package org.proxyinfo.role;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.ext.ExtensionTable;
import org.proxyinfo.ext.HelloContext;
import org.proxyinfo.wire.CipherSuite;
import org.proxyinfo.wire.ClientHello;
import org.proxyinfo.wire.Extension;
import org.proxyinfo.wire.ExtensionType;
import org.proxyinfo.wire.HandshakeMessage;
import org.proxyinfo.wire.HandshakeType;
import org.proxyinfo.wire.NamedGroup;
import org.proxyinfo.wire.ServerHello;
import org.proxyinfo.wire.SignatureScheme;
import org.proxyinfo.wire.TlsWriter;

/**
 * Bad input over raw loopback sockets (DEC-21): truncated, oversized, out-of-order and garbage
 * records and messages get exactly one fatal alert of the right kind, the connection closes, no
 * exception reaches the caller, and no thread or socket is left behind.
 */
class BadInputTest {
    private int threadsBefore;
    private int socketsBefore;
    private ServerSocket listener;

    @BeforeEach
    void setUp() throws IOException {
        threadsBefore = Leaks.threads();
        socketsBefore = Leaks.openSockets();
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void tearDown() throws Exception {
        listener.close();
        Leaks.assertNoThreadLeak(threadsBefore);
        Leaks.assertNoSocketLeak(socketsBefore);
    }

    // ---- helpers -----------------------------------------------------------------------------

    static byte[] record(int type, int version, byte[] body) {
        return new TlsWriter().u8(type).u16(version).vector(2, body).toByteArray();
    }

    static byte[] handshake(int type, byte[] body) {
        return new HandshakeMessage(type, body).encoded();
    }

    /** A well-formed ClientHello body as our client would send it, with the given version/suites/groups. */
    static byte[] clientHello(int version, int[] suites, int[] groups) {
        HelloContext ctx = new HelloContext();
        ctx.serverName = TestCredentials.HOST;
        ctx.groups = groups;
        ctx.signatureSchemes = SignatureScheme.SUPPORTED;
        List<Extension> ext = ExtensionTable.DEFAULT.produceClientHello(ctx);
        return new ClientHello(version, new byte[32], new byte[0], suites, new byte[] {0}, ext).encode();
    }

    static byte[] goodClientHello() {
        return clientHello(0x0303, CipherSuite.SUPPORTED, NamedGroup.SUPPORTED);
    }

    private CompletableFuture<TlsConnection> serveOnce() {
        TlsConfig cfg = new TlsConfig(new BcTlsCrypto(new SecureRandom())).timeoutMillis(5000)
                .credential(TestCredentials.EC).credential(TestCredentials.RSA);
        return CompletableFuture.supplyAsync(() -> {
            try {
                Socket s = listener.accept();
                s.setSoTimeout(5000);
                return new TlsServer(cfg).accept(new SocketTransport(s));
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
    }

    /**
     * Sends raw bytes to our server (optionally half-closing), then expects exactly one plaintext
     * fatal alert with the given description and the end of the stream.
     */
    private void expectServerAlert(byte[] bytes, boolean halfClose, int alert, String requirementPrefix) throws Exception {
        CompletableFuture<TlsConnection> server = serveOnce();
        try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
            raw.setSoTimeout(5000);
            raw.getOutputStream().write(bytes);
            raw.getOutputStream().flush();
            if (halfClose) {
                raw.shutdownOutput();
            }
            byte[] got = readAlertRecords(raw.getInputStream());
            assertArrayEquals(new byte[] {21, 3, 3, 0, 2, 2, (byte) alert}, got,
                    "expected fatal " + AlertDescription.name(alert));
        }
        TlsConnection c = server.get(10, TimeUnit.SECONDS); // returned, did not throw
        assertFalse(c.isEstablished());
        assertEquals(alert, c.alertSent(), c.failureSummary());
        assertTrue(c.failureRequirement().startsWith(requirementPrefix), c.failureRequirement());
        assertTrue(c.transport().isClosed(), "server socket closed");
    }

    /** Everything the peer sends until it closes (the alert record, and then EOF). */
    private static byte[] readAlertRecords(InputStream in) throws IOException {
        byte[] all = in.readAllBytes(); // ends only when the server closed its socket
        // A ServerHello flight may precede the alert for messages after ClientHello: keep the last record.
        int pos = 0;
        int last = -1;
        while (pos + 5 <= all.length) {
            last = pos;
            pos += 5 + (((all[pos + 3] & 0xff) << 8) | (all[pos + 4] & 0xff));
        }
        if (last < 0) {
            return all;
        }
        byte[] out = new byte[all.length - last];
        System.arraycopy(all, last, out, 0, out.length);
        return out;
    }

    // ---- our server receives bad bytes ------------------------------------------------------

    @Test
    @DisplayName("DEC-21 truncated record (stream ends mid-record) -> decode_error")
    void truncatedRecord() throws Exception {
        byte[] full = record(22, 0x0301, handshake(HandshakeType.CLIENT_HELLO, goodClientHello()));
        byte[] cut = new byte[full.length - 20];
        System.arraycopy(full, 0, cut, 0, cut.length);
        expectServerAlert(cut, true, AlertDescription.DECODE_ERROR, "RFC5246-6.2.1");
    }

    @Test
    @DisplayName("DEC-21 truncated handshake message (stream ends mid-message) -> decode_error")
    void truncatedHandshakeMessage() throws Exception {
        byte[] msg = handshake(HandshakeType.CLIENT_HELLO, goodClientHello());
        byte[] half = new byte[msg.length / 2];
        System.arraycopy(msg, 0, half, 0, half.length);
        expectServerAlert(record(22, 0x0301, half), true, AlertDescription.DECODE_ERROR, "RFC5246-6.2.1");
    }

    @Test
    @DisplayName("RFC5246-7.4.1.2 malformed ClientHello (vector length past the end) -> decode_error")
    void malformedClientHello() throws Exception {
        byte[] body = goodClientHello();
        body[2 + 32 + 1] = (byte) 0xff; // cipher_suites length high byte: claims far more than present
        expectServerAlert(record(22, 0x0301, handshake(HandshakeType.CLIENT_HELLO, body)), false,
                AlertDescription.DECODE_ERROR, "RFC5246-4");
    }

    @Test
    @DisplayName("RFC5246-6.2.1 oversized plaintext record (2^14 + 1) -> record_overflow")
    void oversizedRecord() throws Exception {
        byte[] header = {22, 3, 1, (byte) 0x40, 0x01};
        expectServerAlert(header, false, AlertDescription.RECORD_OVERFLOW, "RFC5246-6.2.1");
    }

    @Test
    @DisplayName("RFC5246-7.4 Finished before ClientHello (out of order) -> unexpected_message")
    void outOfOrderMessage() throws Exception {
        expectServerAlert(record(22, 0x0303, handshake(HandshakeType.FINISHED, new byte[12])), false,
                AlertDescription.UNEXPECTED_MESSAGE, "RFC5246-7.4");
    }

    @Test
    @DisplayName("RFC5246-7.1 ChangeCipherSpec before ClientHello -> unexpected_message")
    void earlyChangeCipherSpec() throws Exception {
        expectServerAlert(record(20, 0x0303, new byte[] {1}), false, AlertDescription.UNEXPECTED_MESSAGE, "RFC5246-7.4");
    }

    @Test
    @DisplayName("RFC5246-6 garbage (an HTTP request on the TLS port) -> unexpected_message")
    void garbage() throws Exception {
        expectServerAlert("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII), false,
                AlertDescription.UNEXPECTED_MESSAGE, "RFC5246-6");
    }

    @Test
    @DisplayName("RFC5246-6.2.1 record with a non-TLS version -> decode_error")
    void garbageRecordVersion() throws Exception {
        expectServerAlert(record(22, 0x0101, handshake(HandshakeType.CLIENT_HELLO, goodClientHello())), false,
                AlertDescription.DECODE_ERROR, "RFC5246-6.2.1");
    }

    @Test
    @DisplayName("RFC5246-E.1 / DEC-20 ClientHello for TLS 1.1 -> protocol_version")
    void unsupportedVersion() throws Exception {
        expectServerAlert(record(22, 0x0301, handshake(HandshakeType.CLIENT_HELLO,
                clientHello(0x0302, CipherSuite.SUPPORTED, NamedGroup.SUPPORTED))), false,
                AlertDescription.PROTOCOL_VERSION, "RFC5246-E.1");
    }

    @Test
    @DisplayName("RFC5246-7.4.1.3 no common cipher suite -> handshake_failure")
    void noCommonSuite() throws Exception {
        expectServerAlert(record(22, 0x0301, handshake(HandshakeType.CLIENT_HELLO,
                clientHello(0x0303, new int[] {0x002f, 0x009c}, NamedGroup.SUPPORTED))), false,
                AlertDescription.HANDSHAKE_FAILURE, "RFC5246-7.4.1.3");
    }

    @Test
    @DisplayName("RFC8422-5.1 no common group -> handshake_failure")
    void noCommonGroup() throws Exception {
        expectServerAlert(record(22, 0x0301, handshake(HandshakeType.CLIENT_HELLO,
                clientHello(0x0303, new int[] {CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}, new int[] {0x0018}))), false,
                AlertDescription.HANDSHAKE_FAILURE, "RFC8422-5.1");
    }

    @Test
    @DisplayName("RFC8422-5.11 server: ClientKeyExchange with an invalid x25519 point -> illegal_parameter")
    void invalidClientPoint() throws Exception {
        byte[] ch = record(22, 0x0301, handshake(HandshakeType.CLIENT_HELLO,
                clientHello(0x0303, CipherSuite.SUPPORTED, new int[] {NamedGroup.X25519, NamedGroup.SECP256R1})));
        byte[] cke = record(22, 0x0303, handshake(HandshakeType.CLIENT_KEY_EXCHANGE,
                new org.proxyinfo.wire.ClientKeyExchange(new byte[32]).encode()));
        byte[] both = new byte[ch.length + cke.length];
        System.arraycopy(ch, 0, both, 0, ch.length);
        System.arraycopy(cke, 0, both, ch.length, cke.length);
        expectServerAlert(both, false, AlertDescription.ILLEGAL_PARAMETER, "RFC8422-5.7");
    }

    @Test
    @DisplayName("RFC5746-3.6 non-empty renegotiation_info on an initial handshake -> handshake_failure")
    void renegotiationInfoNotEmpty() throws Exception {
        HelloContext ctx = new HelloContext();
        ctx.groups = NamedGroup.SUPPORTED;
        ctx.signatureSchemes = SignatureScheme.SUPPORTED;
        List<Extension> ext = new ArrayList<>(ExtensionTable.DEFAULT.produceClientHello(ctx));
        ext.removeIf(e -> e.type == ExtensionType.RENEGOTIATION_INFO);
        ext.add(new Extension(ExtensionType.RENEGOTIATION_INFO, new byte[] {12, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}));
        byte[] body = new ClientHello(0x0303, new byte[32], new byte[0], CipherSuite.SUPPORTED, new byte[] {0}, ext).encode();
        expectServerAlert(record(22, 0x0301, handshake(HandshakeType.CLIENT_HELLO, body)), false,
                AlertDescription.HANDSHAKE_FAILURE, "RFC5746-3.6");
    }

    @Test
    @DisplayName("RFC5246-6.2.3.3 tampered application-data record -> bad_record_mac (encrypted alert)")
    void badRecordMac() throws Exception {
        CompletableFuture<TlsConnection> server = serveOnce();
        TlsConfig cfg = new TlsConfig(new BcTlsCrypto(new SecureRandom())).verifier(TestCredentials.verifier());
        Socket sock = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
        sock.setSoTimeout(5000);
        TlsConnection client = new TlsClient(cfg).connect(new SocketTransport(sock), TestCredentials.HOST);
        assertTrue(client.isEstablished(), client.failureSummary());
        TlsConnection s = server.get(10, TimeUnit.SECONDS);
        assertTrue(s.isEstablished());
        // An application_data record whose "ciphertext" is random: the GCM tag cannot verify.
        byte[] junk = new byte[40];
        new SecureRandom().nextBytes(junk);
        sock.getOutputStream().write(record(23, 0x0303, junk));
        sock.getOutputStream().flush();
        assertEquals(-1, s.read(new byte[10], 0, 10)); // the server refuses, does not throw
        assertEquals(AlertDescription.BAD_RECORD_MAC, s.alertSent());
        assertTrue(s.transport().isClosed());
        assertEquals(-1, client.read(new byte[10], 0, 10));
        assertEquals(AlertDescription.BAD_RECORD_MAC, client.alertReceived(), "the client decrypted the server's alert");
        client.close();
        assertTrue(sock.isClosed());
    }

    // ---- our client receives bad bytes --------------------------------------------------------

    /** Runs our client against a raw server that answers the ClientHello with {@code reply}. */
    private TlsConnection clientAgainst(byte[] reply) throws Exception {
        CompletableFuture<byte[]> rawServer = CompletableFuture.supplyAsync(() -> {
            try (Socket s = listener.accept()) {
                s.setSoTimeout(5000);
                InputStream in = s.getInputStream();
                byte[] header = in.readNBytes(5);
                in.readNBytes(((header[3] & 0xff) << 8) | (header[4] & 0xff));
                OutputStream out = s.getOutputStream();
                out.write(reply);
                out.flush();
                return in.readAllBytes(); // the client's alert, until it closes
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        TlsConfig cfg = new TlsConfig(new BcTlsCrypto(new SecureRandom())).verifier(TestCredentials.verifier());
        Socket sock = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
        sock.setSoTimeout(5000);
        TlsConnection c = new TlsClient(cfg).connect(new SocketTransport(sock), TestCredentials.HOST);
        byte[] alert = rawServer.get(10, TimeUnit.SECONDS);
        assertFalse(c.isEstablished());
        assertTrue(sock.isClosed());
        assertArrayEquals(new byte[] {21, 3, 3, 0, 2, 2, (byte) c.alertSent()}, alert);
        return c;
    }

    static byte[] serverHello(int version, int suite) {
        List<Extension> ext = List.of(new Extension(ExtensionType.EXTENDED_MASTER_SECRET, new byte[0]),
                new Extension(ExtensionType.RENEGOTIATION_INFO, new byte[] {0}));
        return new ServerHello(version, new byte[32], new byte[0], suite, 0, ext).encode();
    }

    @Test
    @DisplayName("RFC5246-7.4.1.3 client: ServerHello with TLS 1.1 -> protocol_version")
    void clientRefusesOldServerVersion() throws Exception {
        TlsConnection c = clientAgainst(record(22, 0x0302, handshake(HandshakeType.SERVER_HELLO,
                serverHello(0x0302, CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256))));
        assertEquals(AlertDescription.PROTOCOL_VERSION, c.alertSent(), c.failureSummary());
    }

    @Test
    @DisplayName("RFC5246-7.4.1.1 client: a HelloRequest during the handshake is ignored (the next message decides)")
    void clientIgnoresHelloRequestDuringHandshake() throws Exception {
        byte[] helloRequest = handshake(HandshakeType.HELLO_REQUEST, new byte[0]);
        byte[] sh = handshake(HandshakeType.SERVER_HELLO, serverHello(0x0302, CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256));
        byte[] both = new byte[helloRequest.length + sh.length];
        System.arraycopy(helloRequest, 0, both, 0, helloRequest.length);
        System.arraycopy(sh, 0, both, helloRequest.length, sh.length);
        TlsConnection c = clientAgainst(record(22, 0x0303, both));
        assertEquals(AlertDescription.PROTOCOL_VERSION, c.alertSent(), c.failureSummary());
    }

    @Test
    @DisplayName("RFC8422-5.11 client: a correctly signed but invalid x25519 point (all zero, small order) -> illegal_parameter")
    void clientRefusesInvalidServerPoint() throws Exception {
        CompletableFuture<byte[]> rawServer = CompletableFuture.supplyAsync(() -> {
            try (Socket s = listener.accept()) {
                s.setSoTimeout(5000);
                InputStream in = s.getInputStream();
                byte[] h = in.readNBytes(5);
                byte[] msg = in.readNBytes(((h[3] & 0xff) << 8) | (h[4] & 0xff));
                ClientHello ch = ClientHello.decode(java.util.Arrays.copyOfRange(msg, 4, msg.length));
                byte[] serverRandom = new byte[32];
                byte[] point = new byte[32]; // x25519 all-zero: a small-order point (RFC 7748 section 6.1)
                byte[] params = org.proxyinfo.wire.ServerKeyExchange.params(NamedGroup.X25519, point);
                byte[] sig = new BcTlsCrypto(new SecureRandom()).sign(TestCredentials.EC.privateKey, SignatureScheme.ECDSA_SECP256R1_SHA256,
                        org.proxyinfo.wire.ServerKeyExchange.signedInput(ch.random, serverRandom, params));
                List<Extension> ext = List.of(new Extension(ExtensionType.EXTENDED_MASTER_SECRET, new byte[0]),
                        new Extension(ExtensionType.RENEGOTIATION_INFO, new byte[] {0}));
                java.io.ByteArrayOutputStream flight = new java.io.ByteArrayOutputStream();
                flight.write(handshake(HandshakeType.SERVER_HELLO, new ServerHello(0x0303, serverRandom, new byte[0],
                        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, 0, ext).encode()));
                List<byte[]> ders = new ArrayList<>();
                for (java.security.cert.X509Certificate x : TestCredentials.EC.chain) {
                    ders.add(x.getEncoded());
                }
                flight.write(handshake(HandshakeType.CERTIFICATE, new org.proxyinfo.wire.Certificate(ders).encode()));
                flight.write(handshake(HandshakeType.SERVER_KEY_EXCHANGE, new org.proxyinfo.wire.ServerKeyExchange(
                        NamedGroup.X25519, point, SignatureScheme.ECDSA_SECP256R1_SHA256, sig).encode()));
                flight.write(handshake(HandshakeType.SERVER_HELLO_DONE, new byte[0]));
                s.getOutputStream().write(record(22, 0x0303, flight.toByteArray()));
                s.getOutputStream().flush();
                return in.readAllBytes();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        RecordingTrace trace = new RecordingTrace();
        TlsConfig cfg = new TlsConfig(new BcTlsCrypto(new SecureRandom())).verifier(TestCredentials.verifier()).trace(trace);
        Socket sock = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
        sock.setSoTimeout(5000);
        TlsConnection c = new TlsClient(cfg).connect(new SocketTransport(sock), TestCredentials.HOST);
        byte[] alert = rawServer.get(10, TimeUnit.SECONDS);
        assertTrue(trace.has("check client RFC5246-7.4.3 true"), "the signature itself verified");
        assertEquals(AlertDescription.ILLEGAL_PARAMETER, c.alertSent(), c.failureSummary());
        assertEquals("RFC8422-5.11", c.failureRequirement());
        assertArrayEquals(new byte[] {21, 3, 3, 0, 2, 2, (byte) AlertDescription.ILLEGAL_PARAMETER}, alert);
        assertFalse(trace.has("message client sent client_key_exchange"));
    }

    @Test
    @DisplayName("RFC5246-7.4.1.3 client: ServerHello choosing a suite it did not offer -> illegal_parameter")
    void clientRefusesUnofferedSuite() throws Exception {
        TlsConnection c = clientAgainst(record(22, 0x0303, handshake(HandshakeType.SERVER_HELLO,
                serverHello(0x0303, 0x002f))));
        assertEquals(AlertDescription.ILLEGAL_PARAMETER, c.alertSent(), c.failureSummary());
    }

    @Test
    @DisplayName("RFC5246-7.4 client: Certificate instead of ServerHello -> unexpected_message")
    void clientRefusesOutOfOrder() throws Exception {
        TlsConnection c = clientAgainst(record(22, 0x0303, handshake(HandshakeType.CERTIFICATE, new byte[] {0, 0, 0})));
        assertEquals(AlertDescription.UNEXPECTED_MESSAGE, c.alertSent(), c.failureSummary());
    }

    @Test
    @DisplayName("RFC5246-6.2.1 client: oversized record -> record_overflow")
    void clientRefusesOversizedRecord() throws Exception {
        TlsConnection c = clientAgainst(new byte[] {22, 3, 3, (byte) 0x7f, (byte) 0xff});
        assertEquals(AlertDescription.RECORD_OVERFLOW, c.alertSent(), c.failureSummary());
    }

    @Test
    @DisplayName("RFC5246-7.4.1.3 client: truncated ServerHello body -> decode_error")
    void clientRefusesTruncatedServerHello() throws Exception {
        byte[] sh = serverHello(0x0303, CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256);
        byte[] cut = new byte[20];
        System.arraycopy(sh, 0, cut, 0, cut.length);
        TlsConnection c = clientAgainst(record(22, 0x0303, handshake(HandshakeType.SERVER_HELLO, cut)));
        assertEquals(AlertDescription.DECODE_ERROR, c.alertSent(), c.failureSummary());
    }

    @Test
    @DisplayName("RFC5246-7.4.1.4 client: unsolicited ServerHello extension -> unsupported_extension")
    void clientRefusesUnsolicitedExtension() throws Exception {
        List<Extension> ext = List.of(new Extension(ExtensionType.EXTENDED_MASTER_SECRET, new byte[0]),
                new Extension(0xff50, new byte[] {1}));
        byte[] sh = new ServerHello(0x0303, new byte[32], new byte[0], CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, 0, ext).encode();
        TlsConnection c = clientAgainst(record(22, 0x0303, handshake(HandshakeType.SERVER_HELLO, sh)));
        assertEquals(AlertDescription.UNSUPPORTED_EXTENSION, c.alertSent(), c.failureSummary());
    }

    @Test
    @DisplayName("RFC5246-7.2 a fatal alert from the server ends our client cleanly")
    void clientHandlesPeerAlert() throws Exception {
        CompletableFuture<Void> rawServer = CompletableFuture.runAsync(() -> {
            try (Socket s = listener.accept()) {
                s.getInputStream().readNBytes(5);
                s.getOutputStream().write(new byte[] {21, 3, 3, 0, 2, 2, 40});
                s.getOutputStream().flush();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        TlsConfig cfg = new TlsConfig(new BcTlsCrypto(new SecureRandom())).verifier(TestCredentials.verifier());
        Socket sock = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
        sock.setSoTimeout(5000);
        TlsConnection c = new TlsClient(cfg).connect(new SocketTransport(sock), TestCredentials.HOST);
        rawServer.get(10, TimeUnit.SECONDS);
        assertFalse(c.isEstablished());
        assertEquals(AlertDescription.HANDSHAKE_FAILURE, c.alertReceived());
        assertEquals(-1, c.alertSent(), "no alert is sent in reply to a fatal alert");
        assertTrue(sock.isClosed());
    }
}
