package org.proxyinfo.role;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.ext.ExtensionTable;
import org.proxyinfo.ext.HelloContext;
import org.proxyinfo.ext.TlsExtension;
import org.proxyinfo.pki.CertificateValidator;
import org.proxyinfo.pki.RevocationPolicy;
import org.proxyinfo.wire.TlsFatalAlert;

/**
 * The proxy_info hook left for the next issue: the extension joins the table in one place, the
 * client keeps the ServerHello ProxyInfo, validates the session-#1 certificate as a proxy (DEC-9)
 * and runs the check after Certificate + ServerKeyExchange and before ClientKeyExchange (DEC-8).
 * The ProxyInfo bytes here are placeholders; the codec and the real checks are the next issue's.
 */
class ProxyInfoHookTest {
    static final int TYPE = 0xFF50; // DEC-2 default code point
    static final byte[] ASSERTION = {1, 2, 3, 4};

    /** Table entry for tests: the client offers it empty; a "proxy" server answers with ASSERTION. */
    static final class PlaceholderProxyInfo implements TlsExtension {
        @Override public int type() { return TYPE; }
        @Override public String name() { return "proxy_info"; }
        @Override public byte[] produceClientHello(HelloContext ctx) { return new byte[0]; }
        @Override public void consumeClientHello(HelloContext ctx, byte[] data) { ctx.extra.put(TYPE, data); }
        @Override public byte[] produceServerHello(HelloContext ctx) { return ASSERTION.clone(); }
        @Override public void consumeServerHello(HelloContext ctx, byte[] data) { }
    }

    final List<String> calls = Collections.synchronizedList(new ArrayList<>());

    ProxyInfoCheck check(boolean accept) {
        CertificateValidator proxyTrust = new CertificateValidator(TestCredentials.PKI.proxyTrust(), Clock.systemUTC(),
                RevocationPolicy.DEFAULT, List.of());
        return new ProxyInfoCheck() {
            @Override public int extensionType() { return TYPE; }

            @Override public String verifyProxyCertificate(List<byte[]> chainDer) throws TlsFatalAlert {
                calls.add("verifyProxyCertificate");
                return proxyTrust.validateProxy(chainDer).summary();
            }

            @Override public String check(Facts f, org.proxyinfo.core.ProxyInfoDecision decision) throws TlsFatalAlert {
                calls.add("check");
                assertArrayEquals(ASSERTION, f.proxyInfo);
                assertEquals(32, f.serverRandom.length);
                if (!accept) {
                    throw new TlsFatalAlert(AlertDescription.DECRYPT_ERROR, "DEC-21", "placeholder assertion refused");
                }
                // the placeholder's facts: one hop, every check passed (the client core consumes this decision)
                decision.serverHello(true, true);
                decision.hop(true, true, true, true, true, AlertDescription.BAD_CERTIFICATE, true);
                return "placeholder accepted";
            }
        };
    }

    private TlsConnection[] run(RecordingTrace ct, boolean proxyServer, boolean accept) throws Exception {
        ExtensionTable withProxyInfo = ExtensionTable.DEFAULT.with(new PlaceholderProxyInfo());
        TlsConfig client = new TlsConfig(new BcTlsCrypto(new SecureRandom())).trace(ct).verifier(TestCredentials.verifier())
                .extensions(withProxyInfo).proxyInfoCheck(check(accept));
        TlsConfig server = new TlsConfig(new BcTlsCrypto(new SecureRandom()));
        if (proxyServer) {
            server.extensions(withProxyInfo).credential(TestCredentials.of(TestCredentials.PKI.proxy()));
        } else {
            server.credential(TestCredentials.EC).credential(TestCredentials.RSA);
        }
        return InMemoryHandshakeTest.run(client, server, TestCredentials.HOST);
    }

    @Test
    @DisplayName("DEC-8/DEC-9 ProxyInfo kept, proxy certificate checked as a proxy, check before ClientKeyExchange")
    void checkRunsBeforeKeyMaterial() throws Exception {
        RecordingTrace ct = new RecordingTrace();
        TlsConnection[] cs = run(ct, true, true);
        assertTrue(cs[0].isEstablished(), cs[0].failureSummary());
        assertEquals(List.of("verifyProxyCertificate", "check"), calls);
        List<String> ev = new ArrayList<>(ct.events);
        int ske = ev.indexOf("message client received server_key_exchange");
        int checked = ev.indexOf("check client DEC-8 true");
        int cke = ev.indexOf("message client sent client_key_exchange");
        assertTrue(ske >= 0 && ske < checked && checked < cke, ev.toString());
    }

    @Test
    @DisplayName("DEC-8 a refused ProxyInfo: fatal alert and no key material sent")
    void refusedCheckSendsNoKeyMaterial() throws Exception {
        RecordingTrace ct = new RecordingTrace();
        TlsConnection[] cs = run(ct, true, false);
        assertFalse(cs[0].isEstablished());
        assertEquals(AlertDescription.DECRYPT_ERROR, cs[0].alertSent());
        assertFalse(ct.has("message client sent client_key_exchange"));
    }

    @Test
    @DisplayName("DEC-19 a plain server ignores proxy_info; DEC-13 the client then checks the origin name as usual")
    void plainServerIgnoresProxyInfo() throws Exception {
        RecordingTrace ct = new RecordingTrace();
        TlsConnection[] cs = run(ct, false, true);
        assertTrue(cs[0].isEstablished(), cs[0].failureSummary());
        assertTrue(calls.isEmpty(), calls.toString());
        assertTrue(cs[0].verification().contains("name localhost"));
    }
}
