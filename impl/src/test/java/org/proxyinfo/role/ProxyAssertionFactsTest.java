package org.proxyinfo.role;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.core.ProxyInfoDecision;
import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.pki.Credential;
import org.proxyinfo.pki.RevocationPolicy;
import org.proxyinfo.pki.TestPki;
import org.proxyinfo.wire.TlsFatalAlert;

/**
 * DEC-5, DEC-15 (S1): proxy A behind proxy B asks its core ({@code ProxyHandshake.maySignAssertion}) before it signs the
 * assertion, with facts compared against sources other than the fields it signs: session #2's ServerHello as received
 * (its handshake transcript) and the chain session #2's check accepted. Here A's upstream ProxyInfo check is the real one
 * (wrapped through the package-private fault injection ProxyConfig.faultyUpstreamCheckForTests) but reports another chain as the one it accepted (proxy B's test certificate, not the chain B presented): A must not
 * sign an assertion naming the chain session #2 used, so session #1 ends with internal_error (DEC-5) and no ServerHello.
 */
class ProxyAssertionFactsTest {
    static final TestPki PKI = TestCredentials.PKI;
    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    /** A's upstream check: its own real one, reporting {@code reported} (null: what it really accepted) as the accepted chain. */
    static ProxyInfoCheck upstreamCheck(ProxyInfoCheck real, List<byte[]> reported) {
        return new ProxyInfoCheck() {
            @Override public int extensionType() { return real.extensionType(); }
            @Override public String verifyProxyCertificate(List<byte[]> chainDer) throws TlsFatalAlert {
                return real.verifyProxyCertificate(chainDer);
            }
            @Override public String check(Facts facts, ProxyInfoDecision decision) throws TlsFatalAlert {
                return real.check(facts, decision);
            }
            @Override public List<Map<String, Object>> upstreamForTrace() { return real.upstreamForTrace(); }
            @Override public List<byte[]> acceptedProxyChain() {
                return reported != null && real.acceptedProxyChain() != null ? reported : real.acceptedProxyChain();
            }
        };
    }

    record Run(TlsConnection client, TlsProxy.Outcome proxyA) { }

    static Run run(List<byte[]> reported) throws Exception {
        Credential a = PKI.proxy();
        CompletableFuture<TlsProxy.Outcome> outcomeA = new CompletableFuture<>();
        try (ProxyFixture.EchoOrigin origin = new ProxyFixture.EchoOrigin(0);
             ProxyServer b = ProxyFixture.proxy(origin.port(), 4, 10_000, 10_000, 16 * 1024, QUIET)) {
            ProxyConfig cfg = new ProxyConfig(new BcTlsCrypto(new SecureRandom()), new ServerCredential(a.privateKey(), a.chain()))
                    .webTrust(PKI.webTrust(), RevocationPolicy.DEFAULT, PKI.webCrls()).proxyTrust(PKI.proxyTrust())
                    .upstream("127.0.0.1", b.port()).limits(4, 10_000, 10_000, 16 * 1024).connectTimeoutMillis(10_000)
                    .names("proxy-A", "session1", "session2");
            cfg.faultyUpstreamCheckForTests = real -> upstreamCheck(real, reported);
            try (ProxyServer proxyA = new ProxyServer(new TlsProxy(cfg), InetAddress.getLoopbackAddress(), 0, QUIET)
                    .onOutcome(outcomeA::complete).start()) {
                TlsConnection c = new TlsClient(ProxyFixture.client(true, 10_000))
                        .connect(SocketTransport.connect("127.0.0.1", proxyA.port(), 10_000), ProxyFixture.HOST);
                c.close();
                return new Run(c, outcomeA.get(20, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    @DisplayName("control: A's upstream check reports the chain it accepted: two hops, established")
    void honestTwoHops() throws Exception {
        Run r = run(null);
        assertTrue(r.client().isEstablished(), r.client().failureSummary());
        assertTrue(r.client().proxied());
    }

    @Test
    @DisplayName("DEC-5, DEC-15: the check accepted another chain than session #2 used: A signs nothing, internal_error [DEC-5]")
    void noAssertionAboutAChainTheCheckDidNotAccept() throws Exception {
        Run r = run(TestCredentials.PKI.proxyB().chainDer());
        assertFalse(r.client().isEstablished(), "the client is not served: " + r.client().failureSummary());
        assertEquals(AlertDescription.INTERNAL_ERROR, r.client().alertReceived(), r.client().failureSummary());
        TlsConnection s1 = r.proxyA().session1;
        assertNotNull(s1, r.proxyA().describe());
        assertEquals(AlertDescription.INTERNAL_ERROR, s1.alertSent(), r.proxyA().describe());
        assertEquals("DEC-5", s1.failureRequirement(), s1.failureSummary());
    }
}
