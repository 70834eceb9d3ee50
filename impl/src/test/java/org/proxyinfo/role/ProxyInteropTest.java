package org.proxyinfo.role;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.ext.ExtensionTable;
import org.proxyinfo.pki.Credential;
import org.proxyinfo.pki.Pem;
import org.proxyinfo.pki.RevocationPolicy;
import org.proxyinfo.pki.TestPki;
import org.proxyinfo.proxyinfo.ConnectionSecurityParameters;
import org.proxyinfo.proxyinfo.ProxyInfo;
import org.proxyinfo.proxyinfo.ProxyInfoCertificateChecks;
import org.proxyinfo.proxyinfo.ProxyInfoCodec;
import org.proxyinfo.proxyinfo.ProxyInfoSigner;
import org.proxyinfo.proxyinfo.ProxyInfoTableEntry;
import org.proxyinfo.proxyinfo.SignedProxyInfo;
import org.proxyinfo.proxyinfo.SigningMode;
import org.proxyinfo.proxyinfo.UpstreamPolicy;
import org.proxyinfo.proxyinfo.ValidatorCertificateChecks;
import org.proxyinfo.trace.JsonTraceWriter;
import org.proxyinfo.trace.RunInfo;
import org.proxyinfo.trace.Trace;
import org.proxyinfo.trace.TraceValidator;

/**
 * Part 6, interop with real stacks over loopback: {@code openssl s_client -serverinfo 65360} through
 * our proxy to an {@code openssl s_server} origin and to a SunJSSE origin (the bytes s_client prints
 * are decoded with our codec, the signature and the reported chain verified); our client against an
 * {@code openssl s_server -serverinfo FILE} that returns a forged proxy_info (refused, DEC-8).
 * DEC-19: neither real origin echoes our proxy's proxy_info offer.
 */
class ProxyInteropTest {
    static final TestPki PKI = TestCredentials.PKI;
    static final String HOST = TestPki.ORIGIN_HOST;
    static final int TYPE = 0xFF50;

    @TempDir
    static Path dir;
    private final List<Process> processes = new ArrayList<>();
    private int threadsBefore;
    private int socketsBefore;

    @BeforeAll
    static void writePem() throws Exception {
        Files.writeString(dir.resolve("origin.pem"), Pem.encode("CERTIFICATE", PKI.serverEcdsa().leaf().getEncoded()));
        Files.writeString(dir.resolve("intermediate.pem"), Pem.encode("CERTIFICATE", PKI.serverEcdsa().chain().get(1).getEncoded()));
        Files.writeString(dir.resolve("origin-key.pem"), Pem.encode("PRIVATE KEY", PKI.serverEcdsa().privateKey().getEncoded()));
        Files.writeString(dir.resolve("proxy.pem"), Pem.encode("CERTIFICATE", PKI.proxy().leaf().getEncoded()));
        Files.writeString(dir.resolve("proxy-key.pem"), Pem.encode("PRIVATE KEY", PKI.proxy().privateKey().getEncoded()));
        Files.writeString(dir.resolve("proxy-ca.pem"), Pem.encode("CERTIFICATE", PKI.proxyCa().leaf().getEncoded()));
    }


    @BeforeEach
    void counts() {
        threadsBefore = Leaks.threads();
        socketsBefore = Leaks.openSockets();
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        Leaks.assertNoThreadLeak(threadsBefore);
        Leaks.assertNoSocketLeak(socketsBefore);
    }

    private Process start(String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        processes.add(p);
        return p;
    }

    /** Waits for s_server's "ACCEPT" line (it is listening). */
    private static void awaitAccept(Process p) throws Exception {
        InputStream in = p.getInputStream();
        StringBuilder seen = new StringBuilder();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end && !seen.toString().contains("ACCEPT")) {
            if (in.available() > 0) {
                seen.append((char) in.read());
            } else {
                Thread.sleep(20);
            }
        }
        assertTrue(seen.toString().contains("ACCEPT"), "openssl s_server did not start: " + seen);
    }

    record Proxied(ProxyServer server, List<TlsProxy.Outcome> outcomes, JsonTraceWriter trace) { }

    private static Proxied proxy(int originPort) throws IOException {
        JsonTraceWriter w = new JsonTraceWriter(RunInfo.implementation("0.1.0", List.of("proxy")));
        Credential own = PKI.proxy();
        ProxyConfig cfg = new ProxyConfig(new BcTlsCrypto(new SecureRandom()), new ServerCredential(own.privateKey(), own.chain()))
                .webTrust(PKI.webTrust(), RevocationPolicy.DEFAULT, PKI.webCrls()).proxyTrust(PKI.proxyTrust())
                .upstream("127.0.0.1", originPort).trace(w).limits(8, 5_000, 5_000, 16 * 1024);
        List<TlsProxy.Outcome> outcomes = new CopyOnWriteArrayList<>();
        ProxyServer s = new ProxyServer(new TlsProxy(cfg), InetAddress.getLoopbackAddress(), 0,
                new java.io.PrintStream(OutputStream.nullOutputStream())).onOutcome(outcomes::add).start();
        return new Proxied(s, outcomes, w);
    }

    /** openssl s_client through the proxy with -serverinfo 65360; returns everything it printed. */
    private String sClient(int proxyPort) throws Exception {
        Process c = start("openssl", "s_client", "-connect", "127.0.0.1:" + proxyPort, "-servername", HOST,
                "-serverinfo", String.valueOf(TYPE), "-CAfile", dir.resolve("proxy-ca.pem").toString(), "-ign_eof");
        c.getOutputStream().write("GET / HTTP/1.0\r\nHost: origin.proxyinfo.test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        c.getOutputStream().flush();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "read failed: " + e;
            }
        });
        assertTrue(c.waitFor(20, TimeUnit.SECONDS), "s_client did not finish");
        return out.get(5, TimeUnit.SECONDS);
    }

    /** The proxy_info extension_data from s_client's "SERVERINFO FOR EXTENSION 65360" PEM block. */
    static byte[] serverInfo(String sClientOutput) {
        Matcher m = Pattern.compile("-----BEGIN SERVERINFO FOR EXTENSION " + TYPE + "-----\\s*([A-Za-z0-9+/=\\s]+?)-----END",
                Pattern.DOTALL).matcher(sClientOutput);
        assertTrue(m.find(), "s_client printed no proxy_info server info:\n" + sClientOutput);
        byte[] blob = Base64.getMimeDecoder().decode(m.group(1));
        ByteBuffer b = ByteBuffer.wrap(blob);
        assertEquals(TYPE, b.getShort() & 0xffff);
        int len = b.getShort() & 0xffff;
        assertEquals(blob.length - 4, len);
        byte[] data = new byte[len];
        b.get(data);
        return data;
    }

    /** Decodes with our codec and checks signature (bound, session-#1 randoms) and the reported chain. */
    private void checkAssertion(String out, Proxied p) throws Exception {
        byte[] data = serverInfo(out);
        SignedProxyInfo spi = new ProxyInfoCodec().decodeFromServerHello(data);
        assertEquals(1, p.outcomes().size(), "one proxied connection");
        TlsProxy.Outcome o = p.outcomes().get(0);
        assertTrue(o.session1.isEstablished() && o.session2.isEstablished(), o.describe());
        // bound (DEC-5): over session #1's randoms as both ends saw them (the handshake completed)
        assertTrue(ProxyInfoSigner.verify(new BcTlsCrypto(new SecureRandom()), SigningMode.BOUND, PKI.proxy().publicKey(),
                o.session1.clientRandom(), o.session1.serverRandom(), spi), "DEC-5 signature verifies with the proxy's key");
        assertFalse(ProxyInfoSigner.verify(new BcTlsCrypto(new SecureRandom()), SigningMode.BOUND, PKI.proxy().publicKey(),
                o.session1.clientRandom(), new byte[32], spi), "and is bound to the session's randoms");
        // the reported chain is the origin's, and passes DEC-10 for the intended host
        assertArrayEquals(PKI.serverEcdsa().leaf().getEncoded(), spi.serverCertificateList().get(0));
        ProxyInfoCertificateChecks checks = new ValidatorCertificateChecks(PKI.proxyTrust(), List.of(), PKI.webTrust(),
                RevocationPolicy.DEFAULT, PKI.webCrls(), Clock.systemUTC());
        ProxyInfoCertificateChecks.Outcome chain = checks.originServer(Certificates.parse(spi.serverCertificateList()), HOST,
                spi.revocationCheckingPerformed());
        assertTrue(chain.passed(), chain.detail());
        assertArrayEquals(o.session2.serverRandom(), spi.serverRandom(), "server_random is session #2's");
        assertEquals(new ConnectionSecurityParameters(0x0303, o.session2.cipherSuite(), 0), spi.connectionParameters());
        assertEquals(ProxyInfo.endOfChain(), spi.nextProxyInfo(), "DEC-4: the origin is not a proxy");
        // DEC-19: the real origin did not echo proxy_info on session #2
        Trace t = p.trace().toTrace();
        TraceValidator.assertValid(t.toJson());
        for (Trace.Event e : t.events()) {
            if (e.kind().equals("message") && e.leg().equals("session2") && "server_hello".equals(e.text("messageName"))
                    && "received".equals(e.text("direction"))) {
                String f = e.node("fields").toString();
                assertFalse(f.contains("proxy_info") || f.contains("65360"), "DEC-19: origin echoed proxy_info: " + f);
            }
        }
        // DEC-16: openssl's extensions we cannot answer for are dropped, and the trace says so
        assertTrue(o.extensionDispositions.stream().anyMatch(s -> s.endsWith("dropped")), o.extensionDispositions.toString());
        assertTrue(o.extensionDispositions.contains("proxy_info: processed"), o.extensionDispositions.toString());
    }

    @Test
    @DisplayName("Part 6 / DEC-5, DEC-15, DEC-16, DEC-19: openssl s_client -serverinfo 65360 -> our proxy -> openssl s_server: the printed proxy_info decodes, verifies and reports the origin's chain")
    void opensslClientThroughProxyToOpensslOrigin() throws Exception {
        int port = OpenSslInteropTest.freePort();
        Process origin = start("openssl", "s_server", "-accept", String.valueOf(port), "-cert", dir.resolve("origin.pem").toString(),
                "-key", dir.resolve("origin-key.pem").toString(), "-cert_chain", dir.resolve("intermediate.pem").toString(),
                "-www", "-tls1_2");
        awaitAccept(origin);
        Proxied p = proxy(port);
        try {
            String out = sClient(p.server().port());
            assertTrue(out.contains("HTTP/1.0 200 ok"), out);
            p.server().close();
            checkAssertion(out, p);
        } finally {
            p.server().close();
        }
    }

    @Test
    @DisplayName("Part 6 / DEC-5, DEC-15, DEC-19: openssl s_client -serverinfo 65360 -> our proxy -> SunJSSE origin")
    void opensslClientThroughProxyToSunJsseOrigin() throws Exception {
        SSLServerSocket ss = (SSLServerSocket) JsseSupport.context(null, true).getServerSocketFactory()
                .createServerSocket(0, 4, InetAddress.getLoopbackAddress());
        Thread originThread = new Thread(() -> {
            try (SSLSocket s = (SSLSocket) ss.accept()) {
                s.setSoTimeout(10_000);
                InputStream in = s.getInputStream();
                ByteArrayOutputStream head = new ByteArrayOutputStream();
                int b;
                while ((b = in.read()) >= 0) {
                    head.write(b);
                    if (head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                        break;
                    }
                }
                s.getOutputStream().write("HTTP/1.0 200 OK\r\nContent-Length: 12\r\n\r\nhello, jsse\n".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
            } catch (IOException e) {
                // the test's assertions report what went wrong
            }
        }, "jsse-origin");
        originThread.start();
        Proxied p = proxy(ss.getLocalPort());
        try {
            String out = sClient(p.server().port());
            assertTrue(out.contains("hello, jsse"), out);
            p.server().close();
            checkAssertion(out, p);
        } finally {
            p.server().close();
            ss.close();
            originThread.join(5000);
        }
    }

    @Test
    @DisplayName("Part 6 / DEC-8, DEC-21: openssl s_server -serverinfo returning a forged proxy_info (signed by another key) is refused by our client with decrypt_error, no key material sent")
    void forgedServerInfoRefusedByOurClient() throws Exception {
        // An acceptable proxy certificate (DEC-9 passes), but the assertion is signed by proxy B's key.
        SignedProxyInfo forged = new ProxyInfoSigner(new BcTlsCrypto(new SecureRandom()), SigningMode.DRAFT_LITERAL)
                .sign(PKI.proxyB().privateKey(), List.of(0x0403), null, null,
                        new ConnectionSecurityParameters(0x0303, 0xC02B, 0), PKI.serverEcdsa().chainDer(), new byte[32], false,
                        ProxyInfo.endOfChain());
        byte[] data = ProxyInfoCodec.encode(forged);
        ByteBuffer blob = ByteBuffer.allocate(4 + data.length).putShort((short) TYPE).putShort((short) data.length).put(data);
        Path info = dir.resolve("forged-serverinfo.pem");
        Files.writeString(info, Pem.encode("SERVERINFO FOR FORGED", blob.array()));
        int port = OpenSslInteropTest.freePort();
        Process srv = start("openssl", "s_server", "-accept", String.valueOf(port), "-cert", dir.resolve("proxy.pem").toString(),
                "-key", dir.resolve("proxy-key.pem").toString(), "-serverinfo", info.toString(), "-www", "-tls1_2");
        awaitAccept(srv);
        for (SigningMode mode : SigningMode.values()) {
            RecordingTrace rt = new RecordingTrace();
            BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());
            TlsConfig cfg = new TlsConfig(crypto).trace(rt).trustAnchors(PKI.webTrust(), RevocationPolicy.DEFAULT, PKI.webCrls())
                    .extensions(ExtensionTable.DEFAULT.with(new ProxyInfoTableEntry(TYPE, true))) // openssl -serverinfo wants an empty offer
                    .proxyInfoCheck(new ProxyInfoClientCheck(crypto, mode, TYPE, new ValidatorCertificateChecks(PKI.proxyTrust(),
                            List.of(), PKI.webTrust(), RevocationPolicy.DEFAULT, PKI.webCrls(), Clock.systemUTC()),
                            UpstreamPolicy.defaults(), rt, "client", "session1", 4));
            TlsConnection c = new TlsClient(cfg).connect(SocketTransport.connect("127.0.0.1", port, 5_000), HOST);
            assertFalse(c.isEstablished(), mode + ": a forged assertion was accepted");
            assertEquals(AlertDescription.DECRYPT_ERROR, c.alertSent(), mode + ": " + c.failureSummary());
            assertEquals("DEC-8", c.failureRequirement());
            assertFalse(rt.has("message client sent client_key_exchange"), "DEC-8: no key material sent");
            assertNotNull(c.failureSummary());
        }
    }
}
