package org.proxyinfo.role;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.core.ProxyInfoDecision;
import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.pki.RevocationPolicy;
import org.proxyinfo.pki.TestPki;
import org.proxyinfo.proxyinfo.ConnectionSecurityParameters;
import org.proxyinfo.proxyinfo.ProxyInfo;
import org.proxyinfo.proxyinfo.ProxyInfoCodec;
import org.proxyinfo.proxyinfo.ProxyInfoExtension;
import org.proxyinfo.proxyinfo.ProxyInfoSigner;
import org.proxyinfo.proxyinfo.SignedProxyInfo;
import org.proxyinfo.proxyinfo.SigningMode;
import org.proxyinfo.proxyinfo.UpstreamPolicy;
import org.proxyinfo.proxyinfo.ValidatorCertificateChecks;
import org.proxyinfo.wire.ProtocolVersion;
import org.proxyinfo.wire.SignatureScheme;
import org.proxyinfo.wire.TlsFatalAlert;

/**
 * DEC-13 through {@link ProxyInfoClientCheck#check}: whether the client offered proxy_info is a fact of the connection
 * ({@link ProxyInfoCheck.Facts#offeredProxyInfo}), not a constant, so the decision's DEC-13 branch
 * ({@code ProxyInfoDecision.serverHello}: present without an offer is unsupported_extension) can fire on this path.
 * The assertion is an honest one (the test PKI's proxy over its origin), so the offer is the only difference.
 */
class ProxyInfoOfferFactTest {
    static final TestPki PKI = TestCredentials.PKI;
    final BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());

    ProxyInfoClientCheck check() {
        return new ProxyInfoClientCheck(crypto, SigningMode.BOUND, 0xFF50, new ValidatorCertificateChecks(PKI.proxyTrust(),
                List.of(), PKI.webTrust(), RevocationPolicy.DEFAULT, PKI.webCrls(), Clock.systemUTC()),
                UpstreamPolicy.defaults(), null, "client", "session1", ProxyInfoCodec.DEFAULT_MAX_DEPTH);
    }

    ProxyInfoCheck.Facts facts(boolean offeredProxyInfo) throws TlsFatalAlert {
        byte[] clientRandom = crypto.random(32);
        byte[] serverRandom = crypto.random(32);
        List<Integer> offered = new ArrayList<>();
        for (int s : SignatureScheme.SUPPORTED) {
            offered.add(s);
        }
        SignedProxyInfo spi = new ProxyInfoSigner(crypto, SigningMode.BOUND).sign(PKI.proxy().privateKey(), offered, clientRandom,
                serverRandom, new ConnectionSecurityParameters(ProtocolVersion.TLS12, 0xC02B, 0), PKI.serverEcdsa().chainDer(),
                crypto.random(32), false, ProxyInfo.endOfChain());
        return new ProxyInfoCheck.Facts(ProxyInfoExtension.encodeForServerHello(spi, 0), clientRandom, serverRandom,
                PKI.proxy().chainDer(), TestCredentials.HOST, SignatureScheme.SUPPORTED, null, offeredProxyInfo);
    }

    @Test
    @DisplayName("DEC-13: an honest assertion the client offered proxy_info for is accepted (control)")
    void offeredAccepted() throws Exception {
        ProxyInfoDecision decision = new ProxyInfoDecision();
        check().check(facts(true), decision);
        assertEquals(ProxyInfoDecision.ACCEPTED, decision.stage());
    }

    @Test
    @DisplayName("DEC-13: the same assertion, proxy_info not offered on this connection: unsupported_extension, the decision refuses")
    void notOfferedRefused() throws Exception {
        ProxyInfoDecision decision = new ProxyInfoDecision();
        ProxyInfoCheck.Facts f = facts(false);
        TlsFatalAlert e = assertThrows(TlsFatalAlert.class, () -> check().check(f, decision));
        assertEquals(AlertDescription.UNSUPPORTED_EXTENSION, e.alert(), e.getMessage());
        assertEquals("DEC-13", e.requirementId());
        assertEquals(ProxyInfoDecision.REFUSED, decision.stage());
        assertEquals(AlertDescription.UNSUPPORTED_EXTENSION, decision.alert());
    }
}
