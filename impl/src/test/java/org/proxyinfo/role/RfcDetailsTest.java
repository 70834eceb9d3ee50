package org.proxyinfo.role;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.ext.ExtensionTable;
import org.proxyinfo.pki.Credential;
import org.proxyinfo.pki.Pem;
import org.proxyinfo.pki.RevocationPolicy;
import org.proxyinfo.wire.ExtensionType;

/** RFC details found in review (issue #14), each with the test that shows it. */
class RfcDetailsTest {

    @Test
    @DisplayName("RFC5246-7.4.1.4.1: without signature_algorithms our server signs ServerKeyExchange with the default {sha1,ecdsa}")
    void signatureAlgorithmsDefault() throws Exception {
        InMemoryTransport[] pair = InMemoryTransport.pair(3000);
        ScriptedPeers.Client c = new ScriptedPeers.Client();
        c.clientHelloExtensions = l -> { l.removeIf(x -> x.type == ExtensionType.SIGNATURE_ALGORITHMS); return l; };
        ScriptedPeers.Tee tee = new ScriptedPeers.Tee(pair[0].input());
        Thread peer = new Thread(() -> c.run(pair[0], tee), "scripted-client");
        peer.start();
        TlsConnection conn = new TlsServer(new TlsConfig(new BcTlsCrypto(new SecureRandom())).credential(TestCredentials.EC))
                .accept(pair[1]);
        assertTrue(conn.isEstablished(), conn.failureSummary());
        assertEquals(0x0203, conn.signatureScheme(), "ecdsa_sha1");
        assertEquals(0x0203, c.skeScheme, "the scripted client verified an ecdsa_sha1 ServerKeyExchange");
        conn.close();
        peer.join(10_000);
    }

    @Test
    @DisplayName("BcTlsCrypto: ecdsa_sha1 and rsa_pkcs1_sha1 signatures verify with the JDK's SHA1withECDSA / SHA1withRSA")
    void sha1SchemesAgreeWithJca() throws Exception {
        BcTlsCrypto bc = new BcTlsCrypto(new SecureRandom());
        byte[] data = "RFC 5246 7.4.1.4.1".getBytes(StandardCharsets.US_ASCII);
        Credential ec = TestCredentials.PKI.serverEcdsa();
        Signature v = Signature.getInstance("SHA1withECDSA");
        v.initVerify(ec.publicKey());
        v.update(data);
        assertTrue(v.verify(bc.sign(ec.privateKey(), 0x0203, data)));
        assertTrue(bc.verify(ec.publicKey(), 0x0203, data, bc.sign(ec.privateKey(), 0x0203, data)));
        Credential rsa = TestCredentials.PKI.serverRsa();
        Signature r = Signature.getInstance("SHA1withRSA");
        r.initVerify(rsa.publicKey());
        r.update(data);
        assertTrue(r.verify(bc.sign(rsa.privateKey(), 0x0201, data)));
        assertFalse(bc.verify(rsa.publicKey(), 0x0201, "other".getBytes(StandardCharsets.US_ASCII), bc.sign(rsa.privateKey(), 0x0201, data)));
    }

    @Test
    @DisplayName("TlsConfig.trustAnchors does not capture the clock: a later .clock() applies to validation")
    void trustAnchorsUseTheLaterClock() throws Exception {
        try (ProxyFixture.EchoOrigin origin = new ProxyFixture.EchoOrigin(0)) {
            Clock future = Clock.fixed(Instant.parse("2050-01-01T00:00:00Z"), ZoneOffset.UTC);
            TlsConfig cfg = new TlsConfig(new BcTlsCrypto(new SecureRandom()))
                    .trustAnchors(TestCredentials.PKI.webTrust(), RevocationPolicy.OFF, List.of())
                    .clock(future);
            TlsConnection conn = new TlsClient(cfg).connect(SocketTransport.connect("127.0.0.1", origin.port(), 3000),
                    TestCredentials.HOST);
            assertFalse(conn.isEstablished(), "validated at 2050, the origin certificate has expired");
            assertEquals(AlertDescription.CERTIFICATE_EXPIRED, conn.alertSent(), conn.failureSummary());
            // the same configuration with the system clock set later again: accepted
            TlsConfig now = new TlsConfig(new BcTlsCrypto(new SecureRandom())).clock(future)
                    .trustAnchors(TestCredentials.PKI.webTrust(), RevocationPolicy.OFF, List.of()).clock(Clock.systemUTC());
            TlsConnection ok = new TlsClient(now).connect(SocketTransport.connect("127.0.0.1", origin.port(), 3000),
                    TestCredentials.HOST);
            assertTrue(ok.isEstablished(), ok.failureSummary());
            ok.close();
        }
    }

    @Test
    @DisplayName("no Base64/PEM inside an ASN.1Cert: Pem.certificate takes one exact DER SEQUENCE only")
    void derOnly() throws Exception {
        byte[] der = TestCredentials.PKI.serverEcdsa().chain().get(0).getEncoded();
        X509Certificate ok = Pem.certificate(der);
        assertEquals(TestCredentials.PKI.serverEcdsa().chain().get(0), ok);
        byte[] pem = Pem.encode("CERTIFICATE", der).getBytes(StandardCharsets.US_ASCII);
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> Pem.certificate(pem));
        assertTrue(e.getMessage().contains("PEM"), e.getMessage());
        byte[] b64 = java.util.Base64.getEncoder().encode(der);
        assertThrows(java.io.IOException.class, () -> Pem.certificate(b64));
        assertThrows(java.io.IOException.class, () -> Pem.certificate(java.util.Arrays.copyOf(der, der.length + 1)));
        assertThrows(java.io.IOException.class, () -> Pem.certificate(java.util.Arrays.copyOf(der, der.length - 1)));
    }

}
