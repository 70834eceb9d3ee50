package org.proxyinfo.role;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.wire.CipherSuite;
import org.proxyinfo.wire.NamedGroup;

/**
 * Interop with OpenSSL (the `openssl` command on this machine) over loopback: our client against
 * {@code openssl s_server -www} (HTTP GET answered with its status page), and {@code openssl
 * s_client} against our server (application data both ways). The openssl process is killed in
 * {@link #killPeer()}.
 */
class OpenSslInteropTest {
    @TempDir
    static Path dir;
    private Process peer;
    private int threadsBefore;
    private int socketsBefore;

    @BeforeAll
    static void writePem() throws Exception {
        write(dir.resolve("ca.pem"), TestCredentials.CA);
        write(dir.resolve("ec-cert.pem"), TestCredentials.EC.chain.get(0));
        write(dir.resolve("intermediate.pem"), TestCredentials.EC.chain.get(1));
        write(dir.resolve("ec-key.pem"), TestCredentials.EC.privateKey);
        write(dir.resolve("rsa-cert.pem"), TestCredentials.RSA.chain.get(0));
        write(dir.resolve("rsa-key.pem"), TestCredentials.RSA.privateKey);
    }

    private static void write(Path p, Object o) throws IOException {
        if (o instanceof java.security.PrivateKey) {
            // PKCS#8 "PRIVATE KEY", which every openssl 3 reads.
            String b64 = java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(((java.security.PrivateKey) o).getEncoded());
            Files.writeString(p, "-----BEGIN PRIVATE KEY-----\n" + b64 + "\n-----END PRIVATE KEY-----\n");
            return;
        }
        try (Writer w = Files.newBufferedWriter(p); JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(o);
        }
    }

    @BeforeEach
    void countThreads() {
        threadsBefore = Leaks.threads();
        socketsBefore = Leaks.openSockets();
    }

    @AfterEach
    void killPeer() throws Exception {
        if (peer != null) {
            peer.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        Leaks.assertNoThreadLeak(threadsBefore);
        Leaks.assertNoSocketLeak(socketsBefore);
    }

    static String opensslName(int suite) {
        switch (suite) {
            case CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: return "ECDHE-ECDSA-AES128-GCM-SHA256";
            case CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: return "ECDHE-ECDSA-AES256-GCM-SHA384";
            case CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: return "ECDHE-RSA-AES128-GCM-SHA256";
            case CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: return "ECDHE-RSA-AES256-GCM-SHA384";
            default: throw new IllegalArgumentException();
        }
    }

    static String opensslGroup(int g) {
        return g == NamedGroup.X25519 ? "X25519" : "P-256";
    }

    /** RFC8422-5.1: an ECDSA suite needs P-256 in supported_groups (the certificate's curve). */
    static String offeredGroups(String suite, String group) {
        StringBuilder b = new StringBuilder();
        for (int g : InMemoryHandshakeTest.offer(suite, group)) {
            b.append(b.length() == 0 ? "" : ":").append(opensslGroup(g));
        }
        return b.toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Process start(List<String> cmd) throws IOException {
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    @ParameterizedTest(name = "our client -> openssl s_server: {0} / {1}")
    @CsvSource({
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, secp256r1",
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, x25519",
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, x25519",
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, secp256r1",
    })
    void ourClientAgainstOpenSslServer(String suiteName, String groupName) throws Exception {
        int suite = CipherSuite.fromName(suiteName);
        int group = NamedGroup.fromName(groupName);
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_server", "-accept", "127.0.0.1:" + port, "-tls1_2", "-www",
                "-cert", dir.resolve("rsa-cert.pem").toString(), "-key", dir.resolve("rsa-key.pem").toString(),
                "-dcert", dir.resolve("ec-cert.pem").toString(), "-dkey", dir.resolve("ec-key.pem").toString(),
                "-cert_chain", dir.resolve("intermediate.pem").toString(), "-dcert_chain", dir.resolve("intermediate.pem").toString(),
                "-cipher", opensslName(suite), "-groups", opensslGroup(group)));
        peer = start(cmd);
        Socket sock = connectWhenUp(port, peer);
        TlsConfig cfg = new TlsConfig(new BcTlsCrypto(new SecureRandom())).verifier(TestCredentials.verifier())
                .cipherSuites(suite).groups(InMemoryHandshakeTest.offer(suiteName, groupName));
        TlsConnection c = new TlsClient(cfg).connect(new SocketTransport(sock), TestCredentials.HOST);
        assertTrue(c.isEstablished(), c.failureSummary());
        assertEquals(group, c.namedGroup());
        c.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        String page = new String(c.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertTrue(page.startsWith("HTTP/1.0 200 ok"), page);
        // s_server -www reports the negotiated cipher in its page: proof it decrypted our request.
        assertTrue(page.contains(opensslName(suite)), page);
        c.close();
        assertTrue(sock.isClosed());
    }

    private static Socket connectWhenUp(int port, Process p) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            if (!p.isAlive()) {
                throw new AssertionError("openssl s_server exited: " + new String(p.getInputStream().readAllBytes()));
            }
            try {
                Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
                s.setSoTimeout(5000);
                return s;
            } catch (IOException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    @ParameterizedTest(name = "openssl s_client -> our server: {0} / {1}")
    @CsvSource({
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, x25519",
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, secp256r1",
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, secp256r1",
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, x25519",
    })
    void openSslClientAgainstOurServer(String suiteName, String groupName) throws Exception {
        int suite = CipherSuite.fromName(suiteName);
        int group = NamedGroup.fromName(groupName);
        TlsConfig cfg = new TlsConfig(new BcTlsCrypto(new SecureRandom()))
                .credential(TestCredentials.EC).credential(TestCredentials.RSA).cipherSuites(suite).groups(group);
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<TlsConnection> server = CompletableFuture.supplyAsync(() -> {
                try {
                    Socket s = ss.accept();
                    s.setSoTimeout(10_000);
                    TlsConnection c = new TlsServer(cfg).accept(new SocketTransport(s));
                    if (c.isEstablished()) {
                        String line = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.US_ASCII)).readLine();
                        c.write(("echo: " + line + "\n").getBytes(StandardCharsets.US_ASCII));
                        c.close();
                    }
                    return c;
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            peer = start(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + ss.getLocalPort(), "-tls1_2",
                    "-servername", TestCredentials.HOST, "-verify_hostname", TestCredentials.HOST,
                    "-CAfile", dir.resolve("ca.pem").toString(), "-verify_return_error", "-ign_eof",
                    "-cipher", opensslName(suite), "-groups", offeredGroups(suiteName, groupName)));
            peer.getOutputStream().write("hello from openssl\n".getBytes(StandardCharsets.US_ASCII));
            peer.getOutputStream().flush();
            TlsConnection c = server.get(15, TimeUnit.SECONDS);
            assertTrue(peer.waitFor(15, TimeUnit.SECONDS), "openssl s_client did not exit after close_notify");
            String out = new String(peer.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(c.isEstablished(), c.failureSummary() + "\n" + out);
            assertEquals(group, c.namedGroup());
            assertTrue(out.contains("echo: hello from openssl"), out);
            assertTrue(out.contains("Verify return code: 0 (ok)"), out);
            assertTrue(out.contains("Cipher    : " + opensslName(suite)) || out.contains("Cipher is " + opensslName(suite)), out);
            assertTrue(out.contains("Extended master secret: yes"), out);
            assertTrue(c.transport().isClosed());
        }
    }

    @ParameterizedTest(name = "signature scheme {0}: our client -> openssl s_server and openssl s_client -> our server")
    @CsvSource({
        "ecdsa_secp256r1_sha256, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        "rsa_pss_rsae_sha256, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "rsa_pkcs1_sha256, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    })
    void everySignatureScheme(String schemeName, String suiteName) throws Exception {
        int scheme = schemeCode(schemeName);
        int suite = CipherSuite.fromName(suiteName);
        // Our client offers only this scheme (RFC5246-7.4.1.4.1): the server must sign with it.
        int port = freePort();
        peer = start(List.of("openssl", "s_server", "-accept", "127.0.0.1:" + port, "-tls1_2", "-www",
                "-cert", dir.resolve("rsa-cert.pem").toString(), "-key", dir.resolve("rsa-key.pem").toString(),
                "-dcert", dir.resolve("ec-cert.pem").toString(), "-dkey", dir.resolve("ec-key.pem").toString(),
                "-cert_chain", dir.resolve("intermediate.pem").toString(), "-dcert_chain", dir.resolve("intermediate.pem").toString()));
        Socket sock = connectWhenUp(port, peer);
        TlsConfig cfg = new TlsConfig(new BcTlsCrypto(new SecureRandom())).verifier(TestCredentials.verifier())
                .cipherSuites(suite).signatureSchemes(scheme);
        TlsConnection c = new TlsClient(cfg).connect(new SocketTransport(sock), TestCredentials.HOST);
        assertTrue(c.isEstablished(), c.failureSummary());
        assertEquals(scheme, c.signatureScheme());
        c.close();
        peer.destroyForcibly().waitFor(5, TimeUnit.SECONDS);

        // openssl s_client offers only this scheme: our server must sign with it.
        TlsConfig scfg = new TlsConfig(new BcTlsCrypto(new SecureRandom()))
                .credential(TestCredentials.EC).credential(TestCredentials.RSA).cipherSuites(suite);
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<TlsConnection> server = CompletableFuture.supplyAsync(() -> {
                try {
                    Socket s = ss.accept();
                    TlsConnection sc = new TlsServer(scfg).accept(new SocketTransport(s));
                    sc.close();
                    return sc;
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            peer = start(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + ss.getLocalPort(), "-tls1_2",
                    "-servername", TestCredentials.HOST, "-CAfile", dir.resolve("ca.pem").toString(), "-verify_return_error",
                    "-sigalgs", schemeName));
            peer.getOutputStream().close();
            TlsConnection sc = server.get(15, TimeUnit.SECONDS);
            assertTrue(peer.waitFor(15, TimeUnit.SECONDS));
            String out = new String(peer.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(sc.isEstablished(), sc.failureSummary() + "\n" + out);
            assertEquals(scheme, sc.signatureScheme());
            assertTrue(out.contains("Verify return code: 0 (ok)"), out);
        }
    }

    static int schemeCode(String name) {
        for (int s : org.proxyinfo.wire.SignatureScheme.SUPPORTED) {
            if (org.proxyinfo.wire.SignatureScheme.name(s).equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException(name);
    }

    /** RFC5246-E.1: openssl's default (TLS 1.3 preferred) gets TLS 1.2 from our server; no downgrade alarm. */
    @org.junit.jupiter.api.Test
    void openSslDefaultClientNegotiatesTls12() throws Exception {
        TlsConfig cfg = new TlsConfig(new BcTlsCrypto(new SecureRandom())).credential(TestCredentials.EC).credential(TestCredentials.RSA);
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<TlsConnection> server = CompletableFuture.supplyAsync(() -> {
                try {
                    TlsConnection sc = new TlsServer(cfg).accept(new SocketTransport(ss.accept()));
                    sc.close();
                    return sc;
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            peer = start(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + ss.getLocalPort(),
                    "-servername", TestCredentials.HOST, "-verify_hostname", TestCredentials.HOST,
                    "-CAfile", dir.resolve("ca.pem").toString(), "-verify_return_error"));
            peer.getOutputStream().close();
            TlsConnection sc = server.get(15, TimeUnit.SECONDS);
            assertTrue(peer.waitFor(15, TimeUnit.SECONDS));
            String out = new String(peer.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(sc.isEstablished(), sc.failureSummary() + "\n" + out);
            assertTrue(out.contains("Protocol  : TLSv1.2"), out);
            assertTrue(out.contains("Verify return code: 0 (ok)"), out);
        }
    }

    /** RFC5246-E.1: a TLS 1.3-capable openssl s_server (defaults) answers our TLS 1.2-only ClientHello with TLS 1.2. */
    @org.junit.jupiter.api.Test
    void ourClientAgainstDefaultOpenSslServer() throws Exception {
        int port = freePort();
        peer = start(List.of("openssl", "s_server", "-accept", "127.0.0.1:" + port, "-www",
                "-cert", dir.resolve("ec-cert.pem").toString(), "-key", dir.resolve("ec-key.pem").toString(),
                "-cert_chain", dir.resolve("intermediate.pem").toString()));
        Socket sock = connectWhenUp(port, peer);
        TlsConfig cfg = new TlsConfig(new BcTlsCrypto(new SecureRandom())).verifier(TestCredentials.verifier());
        TlsConnection c = new TlsClient(cfg).connect(new SocketTransport(sock), TestCredentials.HOST);
        assertTrue(c.isEstablished(), c.failureSummary());
        c.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        String page = new String(c.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertTrue(page.contains("Protocol  : TLSv1.2"), page);
        c.close();
    }
}
