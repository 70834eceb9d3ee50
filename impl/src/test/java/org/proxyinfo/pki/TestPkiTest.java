package org.proxyinfo.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.proxyinfo.pki.Pkis.CLOCK;
import static org.proxyinfo.pki.Pkis.pki;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated PKI: its content, reproducibility, on-disk layout, and acceptance by real validators. */
class TestPkiTest {
    /** bctls logs its configuration at INFO/WARNING through java.util.logging; keep test output readable. */
    private static final java.util.logging.Logger BCJSSE_LOG = java.util.logging.Logger.getLogger("org.bouncycastle.jsse");

    static {
        BCJSSE_LOG.setLevel(java.util.logging.Level.SEVERE);
    }

    @Test
    @DisplayName("server leaves: names, IP SAN, KU, EKU, key types as specified")
    void leafContents() throws Exception {
        X509Certificate ec = pki().serverEcdsa().leaf();
        X509Certificate rsa = pki().serverRsa().leaf();
        assertTrue(ec.getPublicKey() instanceof ECPublicKey);
        assertTrue(rsa.getPublicKey() instanceof RSAPublicKey);
        assertEquals(2048, ((RSAPublicKey) rsa.getPublicKey()).getModulus().bitLength());
        for (X509Certificate c : new X509Certificate[] {ec, rsa}) {
            assertEquals(List.of("localhost", TestPki.ORIGIN_HOST), HostnameMatcher.dnsNames(c));
            assertEquals(List.of("127.0.0.1"), HostnameMatcher.ipAddresses(c));
            assertEquals(List.of("1.3.6.1.5.5.7.3.1"), c.getExtendedKeyUsage());
            assertTrue(c.getKeyUsage()[0], "digitalSignature");
            assertEquals(-1, c.getBasicConstraints());
        }
        assertFalse(ec.getKeyUsage()[2], "ECDSA leaf: no keyEncipherment");
        assertTrue(rsa.getKeyUsage()[2], "RSA leaf: keyEncipherment");
        assertEquals(List.of(TestPki.OTHER_HOST), HostnameMatcher.dnsNames(pki().serverWrongHost().leaf()));
        assertEquals(List.of(TestPki.PROXY_HOST), HostnameMatcher.dnsNames(pki().proxy().leaf()));
        assertEquals(List.of(TestPki.PROXY_B_HOST), HostnameMatcher.dnsNames(pki().proxyB().leaf()));
        assertTrue(pki().proxy().leaf().getPublicKey() instanceof ECPublicKey);
        assertEquals(2, pki().serverEcdsa().chain().size(), "chain = leaf + intermediate");
        assertEquals(1, pki().proxy().chain().size(), "proxy CA is a root: chain = leaf");
        assertTrue(pki().intermediateCrl().isRevoked(pki().serverRevoked().leaf()));
        assertFalse(pki().intermediateCrl().isRevoked(pki().serverEcdsa().leaf()));
        pki().intermediateCrl().verify(pki().webIntermediate().publicKey());
    }

    @Test
    @DisplayName("same seed and base -> byte-identical PKI (reference traces); another seed -> different keys")
    void reproducible() throws Exception {
        TestPki again = TestPki.generateDefault();
        assertArrayEquals(pki().webRoot().leaf().getEncoded(), again.webRoot().leaf().getEncoded());
        assertArrayEquals(pki().serverEcdsa().leaf().getEncoded(), again.serverEcdsa().leaf().getEncoded());
        assertArrayEquals(pki().serverRsa().leaf().getEncoded(), again.serverRsa().leaf().getEncoded());
        assertArrayEquals(pki().serverRsa().privateKey().getEncoded(), again.serverRsa().privateKey().getEncoded());
        assertArrayEquals(pki().intermediateCrl().getEncoded(), again.intermediateCrl().getEncoded());
        assertArrayEquals(pki().mintCa().privateKey().getEncoded(), again.mintCa().privateKey().getEncoded());
    }

    @Test
    @DisplayName("writeTo + PkiDir: the documented layout round-trips (certs, keys, CRLs, README)")
    void layoutRoundTrip(@TempDir Path dir) throws Exception {
        pki().writeTo(dir);
        for (String f : new String[] {"README.txt", "ca/root.pem", "ca/intermediate.pem", "server/ecdsa-chain.pem",
                "server/ecdsa-key.pem", "server/rsa-chain.pem", "server/rsa-key.pem", "client/trust.pem",
                "client/proxy-trust.pem", "proxy/chain.pem", "proxy/key.pem", "proxy/upstream-trust.pem",
                "proxy/mint-ca.pem", "proxy/mint-ca-key.pem", "crl/intermediate.crl", "crl/root.crl"}) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        }
        // every file the README names exists (the README is the layout's documentation)
        String readme = Files.readString(dir.resolve("README.txt"));
        for (String line : readme.split("\n")) {
            String first = line.trim().split("[ ,]")[0];
            if (first.matches("[a-z]+/[a-z0-9-]+\\.(pem|crl)")) {
                assertTrue(Files.isRegularFile(dir.resolve(first)), "README names " + first);
            }
        }
        PkiDir d = new PkiDir(dir);
        assertEquals(pki().webRoot().leaf(), d.webRoot());
        assertEquals(pki().serverEcdsa().chain(), d.serverEcdsa().chain());
        // issue 16: the file holds PKCS#8 with the EC public key (RFC 5915), as openssl and GnuTLS want; the same key
        assertArrayEquals(Pem.pkcs8(pki().serverEcdsa().privateKey()), d.serverEcdsa().privateKey().getEncoded());
        assertArrayEquals(pki().serverRsa().privateKey().getEncoded(), d.serverRsa().privateKey().getEncoded());
        assertEquals(pki().proxy().chain(), d.proxy().chain());
        assertEquals(pki().proxyB().leaf(), d.proxyB().leaf());
        assertEquals(pki().webTrust(), d.clientTrust());
        assertEquals(pki().proxyTrust(), d.clientProxyTrust());
        assertEquals(pki().webTrust(), d.proxyUpstreamTrust());
        assertEquals(pki().mintCa().leaf(), d.mintCa().leaf());
        assertEquals(2, d.crls().size());
        // what was read back validates like the original
        CertificateValidator v = new CertificateValidator(d.clientTrust(), CLOCK, RevocationPolicy.REQUIRE, d.crls());
        assertTrue(v.validateServer(d.serverRsa().chainDer(), TestPki.ORIGIN_HOST).revocationCheckingPerformed());
        assertEquals("certificate_revoked", assertThrows(org.proxyinfo.wire.TlsFatalAlert.class,
                () -> v.validateServer(d.serverRevoked().chainDer(), TestPki.ORIGIN_HOST)).alertName());
        IOException missing = assertThrows(IOException.class, () -> new PkiDir(dir.resolve("nope")).proxy());
        assertTrue(missing.getMessage().contains("TestPki.generateDefault().writeTo"), missing.getMessage());
    }

    @Test
    @DisplayName("Pem: multi-block parsing, OpenSSL traditional EC key form, errors name the problem")
    void pem(@TempDir Path dir) throws Exception {
        String two = Pem.certificates(pki().serverEcdsa().chain());
        assertEquals(pki().serverEcdsa().chain(), Pem.parseCertificates("junk before\n" + two + "junk after"));
        assertThrows(IOException.class, () -> Pem.parseCertificates("-----BEGIN CERTIFICATE-----\nAAAA"));
        assertThrows(IOException.class, () -> Pem.readCertificates(writeText(dir.resolve("empty.pem"), "")));
        assertThrows(IOException.class, () -> Pem.parsePrivateKey(two));
        Assumptions.assumeTrue(opensslAvailable(), "openssl not installed");
        Path k = dir.resolve("k.pem");
        Pem.writePrivateKey(k, pki().serverEcdsa().privateKey());
        Path trad = dir.resolve("trad.pem");
        run(dir, "openssl", "ec", "-in", k.toString(), "-out", trad.toString());
        assertTrue(Files.readString(trad).contains("BEGIN EC PRIVATE KEY"));
        assertEquals(((java.security.interfaces.ECPrivateKey) pki().serverEcdsa().privateKey()).getS(),
                ((java.security.interfaces.ECPrivateKey) Pem.readPrivateKey(trad)).getS());
    }

    @Test
    @DisplayName("openssl verify (an independent validator) accepts the good chains and refuses the bad ones")
    void opensslAgrees(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(opensslAvailable(), "openssl not installed");
        pki().writeTo(dir);
        String at = Long.toString(CLOCK.instant().getEpochSecond());
        assertEquals(0, verify(dir, at, "server/ecdsa-chain.pem", "-verify_hostname", TestPki.ORIGIN_HOST, "-crl_check"));
        assertEquals(0, verify(dir, at, "server/rsa-chain.pem", "-verify_ip", "127.0.0.1", "-purpose", "sslserver"));
        assertNotEquals(0, verify(dir, at, "server/revoked-chain.pem", "-crl_check"));
        assertNotEquals(0, verify(dir, at, "server/expired-chain.pem"));
        assertNotEquals(0, verify(dir, at, "server/not-yet-valid-chain.pem"));
        assertNotEquals(0, verify(dir, at, "server/wrong-host-chain.pem", "-verify_hostname", TestPki.ORIGIN_HOST));
        assertNotEquals(0, verify(dir, at, "proxy/chain.pem"));
    }

    private static int verify(Path dir, String at, String chain, String... extra) throws Exception {
        // leaf from the chain file; the intermediate from ca/ as untrusted
        Path leaf = dir.resolve("leaf-" + chain.replace('/', '_'));
        Pem.writeCertificates(leaf, List.of(Pem.readCertificates(dir.resolve(chain)).get(0)));
        List<String> cmd = new ArrayList<>(List.of("openssl", "verify", "-attime", at,
                "-CAfile", dir.resolve("ca/root.pem").toString(),
                "-untrusted", dir.resolve("ca/intermediate.pem").toString()));
        for (String e : extra) {
            cmd.add(e);
            if (e.equals("-crl_check")) {
                cmd.add("-CRLfile");
                cmd.add(dir.resolve("crl/intermediate.crl").toString());
            }
        }
        cmd.add(leaf.toString());
        return run(dir, cmd.toArray(new String[0]));
    }

    @Test
    @DisplayName("KeyStores: SunJSSE and BCJSSE servers, SunJSSE client, loopback handshakes with the test PKI (SNI + HTTPS identity)")
    void sunJsseHandshake() throws Exception {
        char[] pw = "test".toCharArray();
        for (Credential server : new Credential[] {pki().serverEcdsa(), pki().serverRsa()}) {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
            kmf.init(KeyStores.keyStore(server, pw, "PKCS12"), pw);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(KeyStores.trustStore(pki().webTrust(), "JKS"));
            SSLContext sctx = SSLContext.getInstance("TLSv1.2");
            sctx.init(kmf.getKeyManagers(), null, null);
            SSLContext cctx = SSLContext.getInstance("TLSv1.2");
            cctx.init(null, tmf.getTrustManagers(), null);

            assertEquals("hello", handshake(sctx, cctx, TestPki.ORIGIN_HOST));
            assertThrows(SSLHandshakeException.class, () -> handshake(sctx, cctx, TestPki.OTHER_HOST));
        }
        // Bouncy Castle's JSSE (bctls) as the server, SunJSSE as the client, same stores
        char[] pw2 = "test2".toCharArray();
        java.security.Provider bcjsse = new org.bouncycastle.jsse.provider.BouncyCastleJsseProvider();
        KeyManagerFactory bkmf = KeyManagerFactory.getInstance("PKIX", bcjsse);
        bkmf.init(KeyStores.keyStore(pki().serverEcdsa(), pw2, "PKCS12"), pw2);
        SSLContext bctx = SSLContext.getInstance("TLSv1.2", bcjsse);
        bctx.init(bkmf.getKeyManagers(), null, new java.security.SecureRandom());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(KeyStores.trustStore(pki().webTrust(), "PKCS12"));
        SSLContext cctx = SSLContext.getInstance("TLSv1.2");
        cctx.init(null, tmf.getTrustManagers(), null);
        assertEquals("hello", handshake(bctx, cctx, TestPki.ORIGIN_HOST));

        KeyStore trust = KeyStores.trustStore(pki().proxyTrust(), "PKCS12");
        assertTrue(trust.isCertificateEntry("anchor-0"));
    }

    /** One loopback handshake, bounded by socket timeouts; returns what the server read. */
    private static String handshake(SSLContext sctx, SSLContext cctx, String host) throws Exception {
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try (SSLServerSocket ss = (SSLServerSocket) sctx.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ss.setSoTimeout(10_000);
            Future<String> got = ex.submit(() -> {
                try (SSLSocket s = (SSLSocket) ss.accept()) {
                    s.setSoTimeout(10_000);
                    InputStream in = s.getInputStream();
                    byte[] b = new byte[5];
                    int n = 0;
                    while (n < 5) {
                        int r = in.read(b, n, 5 - n);
                        if (r < 0) {
                            break;
                        }
                        n += r;
                    }
                    return new String(b, 0, n, StandardCharsets.US_ASCII);
                } catch (IOException e) {
                    return "server: " + e.getMessage();
                }
            });
            try (Socket raw = new Socket()) {
                raw.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), ss.getLocalPort()), 10_000);
                raw.setSoTimeout(10_000);
                try (SSLSocket s = (SSLSocket) cctx.getSocketFactory().createSocket(raw, host, ss.getLocalPort(), false)) {
                    SSLParameters p = s.getSSLParameters();
                    p.setServerNames(List.of(new SNIHostName(host)));
                    p.setEndpointIdentificationAlgorithm("HTTPS");
                    s.setSSLParameters(p);
                    s.startHandshake();
                    OutputStream out = s.getOutputStream();
                    out.write("hello".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    return got.get(10, TimeUnit.SECONDS);
                }
            }
        } finally {
            ex.shutdownNow();
            ex.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static Path writeText(Path p, String s) throws IOException {
        Files.writeString(p, s);
        return p;
    }

    static boolean opensslAvailable() {
        try {
            return new ProcessBuilder("openssl", "version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    static int run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("openssl timed out: " + String.join(" ", cmd));
        }
        return p.exitValue();
    }
}
