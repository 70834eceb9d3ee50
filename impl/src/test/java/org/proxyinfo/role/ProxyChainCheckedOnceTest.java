package org.proxyinfo.role;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.ext.ExtensionTable;
import org.proxyinfo.pki.RevocationPolicy;
import org.proxyinfo.pki.TestPki;
import org.proxyinfo.proxyinfo.ProxyInfoCertificateChecks;
import org.proxyinfo.proxyinfo.ProxyInfoCodec;
import org.proxyinfo.proxyinfo.ProxyInfoTableEntry;
import org.proxyinfo.proxyinfo.SigningMode;
import org.proxyinfo.proxyinfo.UpstreamPolicy;
import org.proxyinfo.proxyinfo.ValidatorCertificateChecks;

/**
 * Issue #14 (profile 2026-12-04): a proxied client validated the proxy's chain twice per handshake, at
 * Certificate (DEC-9) and again when the ProxyInfo check recorded DEC-9 for hop 1. It now validates it
 * once and records that outcome; the origin chain (DEC-10) is still validated by the client itself, and
 * every handshake validates again (nothing is kept between connections).
 */
class ProxyChainCheckedOnceTest {
    static final TestPki PKI = TestCredentials.PKI;

    @Test
    @DisplayName("DEC-9/DEC-10: one acceptable-proxy validation and one origin validation per proxied handshake, every handshake")
    void eachChainValidatedOncePerHandshake() throws Exception {
        ValidatorCertificateChecks real = new ValidatorCertificateChecks(PKI.proxyTrust(), List.of(), PKI.webTrust(),
                RevocationPolicy.DEFAULT, PKI.webCrls(), Clock.systemUTC());
        AtomicInteger proxyChecks = new AtomicInteger();
        AtomicInteger originChecks = new AtomicInteger();
        ProxyInfoCertificateChecks counting = new ProxyInfoCertificateChecks() {
            @Override
            public Outcome acceptableProxy(List<X509Certificate> chain) {
                proxyChecks.incrementAndGet();
                return real.acceptableProxy(chain);
            }

            @Override
            public Outcome originServer(List<X509Certificate> chain, String intendedHost, boolean revocationCheckingPerformed) {
                originChecks.incrementAndGet();
                return real.originServer(chain, intendedHost, revocationCheckingPerformed);
            }
        };
        BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());
        TlsConfig cfg = new TlsConfig(crypto).timeoutMillis(10_000)
                .trustAnchors(PKI.webTrust(), RevocationPolicy.DEFAULT, PKI.webCrls());
        cfg.extensions(ExtensionTable.DEFAULT.with(new ProxyInfoTableEntry(0xFF50))).proxyInfoCheck(new ProxyInfoClientCheck(crypto,
                SigningMode.BOUND, 0xFF50, counting, UpstreamPolicy.defaults(), null, "client", "session1",
                ProxyInfoCodec.DEFAULT_MAX_DEPTH));
        cfg.sessionCache(null); // DEC-22: full handshakes only
        try (ProxyFixture.EchoOrigin origin = new ProxyFixture.EchoOrigin(0);
             ProxyServer proxy = ProxyFixture.proxy(origin.port(), 8, 10_000, 10_000, 16 * 1024,
                     new PrintStream(OutputStream.nullOutputStream()))) {
            for (int i = 1; i <= 2; i++) {
                TlsConnection c = new TlsClient(cfg).connect(SocketTransport.connect("127.0.0.1", proxy.port(), 10_000),
                        ProxyFixture.HOST);
                assertTrue(c.isEstablished(), () -> c.failureSummary());
                assertTrue(c.proxied(), "the connection went through the proxy");
                assertTrue(c.verification().startsWith("DEC-9: acceptable proxy"), c.verification());
                c.close();
                assertEquals(i, proxyChecks.get(), "acceptable-proxy validations after " + i + " handshakes");
                assertEquals(i, originChecks.get(), "origin validations after " + i + " handshakes");
            }
        }
    }
}
