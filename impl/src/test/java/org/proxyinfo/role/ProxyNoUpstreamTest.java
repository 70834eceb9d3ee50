package org.proxyinfo.role;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.pki.Credential;
import org.proxyinfo.pki.RevocationPolicy;
import org.proxyinfo.pki.TestPki;

/**
 * DEC-15, DEC-21 (F5): a proxy in SNI mode (no --upstream) and a client that sends no server_name: the proxy does not know
 * where to connect. It refuses session #1 with handshake_failure naming DEC-15, opens no session #2, and its core is
 * not told that an upstream was reached (there was none): the refusal is the shell's named alert, not a core fact.
 */
class ProxyNoUpstreamTest {
    static final TestPki PKI = TestCredentials.PKI;

    @Test
    @DisplayName("DEC-15: no server_name and no --upstream: handshake_failure [DEC-15], no session #2")
    void noUpstreamKnown() throws Exception {
        Credential own = PKI.proxy();
        ProxyConfig cfg = new ProxyConfig(new BcTlsCrypto(new SecureRandom()), new ServerCredential(own.privateKey(), own.chain()))
                .webTrust(PKI.webTrust(), RevocationPolicy.DEFAULT, PKI.webCrls()).proxyTrust(PKI.proxyTrust())
                .limits(4, 10_000, 10_000, 16 * 1024).connectTimeoutMillis(10_000);
        CompletableFuture<TlsProxy.Outcome> outcome = new CompletableFuture<>();
        try (ProxyServer proxy = new ProxyServer(new TlsProxy(cfg), InetAddress.getLoopbackAddress(), 0,
                new PrintStream(OutputStream.nullOutputStream())).onOutcome(outcome::complete).start()) {
            TlsConnection c = new TlsClient(ProxyFixture.client(true, 10_000))
                    .connect(SocketTransport.connect("127.0.0.1", proxy.port(), 10_000), null);
            c.close();
            assertFalse(c.isEstablished());
            assertEquals(AlertDescription.HANDSHAKE_FAILURE, c.alertReceived(), c.failureSummary());
            TlsProxy.Outcome o = outcome.get(20, TimeUnit.SECONDS);
            assertNotNull(o.session1, o.describe());
            assertEquals(AlertDescription.HANDSHAKE_FAILURE, o.session1.alertSent(), o.describe());
            assertEquals("DEC-15", o.session1.failureRequirement(), o.session1.failureSummary());
            assertNull(o.session2, "no session #2 without an upstream");
            assertEquals("FAILED", o.finalState, o.describe());
        }
    }
}
