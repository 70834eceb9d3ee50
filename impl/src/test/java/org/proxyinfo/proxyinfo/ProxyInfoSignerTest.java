package org.proxyinfo.proxyinfo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.pki.Credential;
import org.proxyinfo.pki.TestPki;
import org.proxyinfo.wire.TlsFatalAlert;

/** DEC-5: signed input in both modes, scheme choice, and signatures checked by an independent implementation. */
class ProxyInfoSignerTest {
    private final TestPki pki = ProxyInfoFixtures.pki();
    private final BcTlsCrypto bc = new BcTlsCrypto(new SecureRandom());
    private final JcaTestCrypto jca = new JcaTestCrypto();
    private static final ConnectionSecurityParameters CP = new ConnectionSecurityParameters(0x0303, 0xC02F, 0);

    private static byte[] filled(int v) {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) v);
        return b;
    }

    @Test
    @DisplayName("DEC-5a: bound input is 64 x 0x20 || 'TLS 1.2 proxy_info assertion, bound' || 0x00 || client_random || server_random || fields; draft-literal is the fields only")
    void signedInputLayout() {
        byte[] fields = {9, 8, 7};
        byte[] bound = SigningMode.BOUND.signedInput(filled(1), filled(2), fields);
        byte[] context = "TLS 1.2 proxy_info assertion, bound".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int p = 64 + context.length + 1;
        assertEquals(p + 67, bound.length);
        byte[] spaces = new byte[64];
        Arrays.fill(spaces, (byte) 0x20);
        assertArrayEquals(spaces, Arrays.copyOfRange(bound, 0, 64));
        assertArrayEquals(context, Arrays.copyOfRange(bound, 64, 64 + context.length));
        assertEquals(0, bound[64 + context.length]);
        assertArrayEquals(filled(1), Arrays.copyOfRange(bound, p, p + 32));
        assertArrayEquals(filled(2), Arrays.copyOfRange(bound, p + 32, p + 64));
        assertArrayEquals(fields, Arrays.copyOfRange(bound, p + 64, p + 67));
        assertEquals("TLS 1.2 proxy_info assertion, bound", SigningMode.BOUND.context());
        assertEquals(null, SigningMode.DRAFT_LITERAL.context());
        assertArrayEquals(fields, SigningMode.DRAFT_LITERAL.signedInput(null, null, fields));
        assertThrows(IllegalArgumentException.class, () -> SigningMode.BOUND.signedInput(null, filled(2), fields));
        assertThrows(IllegalArgumentException.class, () -> SigningMode.BOUND.signedInput(new byte[31], filled(2), fields));
    }

    @Test
    @DisplayName("DEC-5a: a ServerKeyExchange signature (client_random || server_random || params) never verifies as a bound assertion, nor the reverse")
    void serverKeyExchangeAndAssertionAreNotConfusable() throws Exception {
        Credential signer = pki.proxy();
        SignedProxyInfo honest = new ProxyInfoSigner(bc, SigningMode.BOUND).sign(signer.privateKey(), List.of(0x0403), filled(1),
                filled(2), CP, pki.serverEcdsa().chainDer(), filled(3), true, ProxyInfo.endOfChain());
        byte[] fields = honest.encodedFields();
        // a ServerKeyExchange-layout signature over the same three parts
        byte[] skeSig = bc.sign(signer.privateKey(), 0x0403,
                org.proxyinfo.wire.ServerKeyExchange.signedInput(filled(1), filled(2), fields));
        SignedProxyInfo offered = new SignedProxyInfo(CP, pki.serverEcdsa().chainDer(), filled(3), true, ProxyInfo.endOfChain(),
                new DigitallySigned(0x0403, skeSig));
        assertFalse(ProxyInfoSigner.verify(bc, SigningMode.BOUND, signer.publicKey(), filled(1), filled(2), offered),
                "a ServerKeyExchange signature accepted as an assertion signature");
        // the reverse: the assertion's signature offered as a ServerKeyExchange signature over those bytes
        assertFalse(bc.verify(signer.publicKey(), 0x0403,
                org.proxyinfo.wire.ServerKeyExchange.signedInput(filled(1), filled(2), fields), honest.signature().signature()),
                "an assertion signature accepted as a ServerKeyExchange signature");
    }

    @Test
    @DisplayName("DEC-5: configuration names are 'bound' (default deviation) and 'draft-literal'")
    void configNames() {
        assertEquals(SigningMode.BOUND, SigningMode.fromConfig("bound"));
        assertEquals(SigningMode.DRAFT_LITERAL, SigningMode.fromConfig("draft-literal"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SigningMode.fromConfig("literal"));
        assertTrue(e.getMessage().contains("bound, draft-literal"));
            }

    @Test
    @DisplayName("DEC-5: the scheme is the client's first offered one that fits the key; none fitting is handshake_failure")
    void schemeChoice() throws Exception {
        assertEquals(0x0403, ProxyInfoSigner.chooseScheme(List.of(0x0804, 0x0403), pki.proxy().privateKey()));
        assertEquals(0x0401, ProxyInfoSigner.chooseScheme(List.of(0x0401, 0x0804), pki.serverRsa().privateKey()));
        assertEquals(0x0804, ProxyInfoSigner.chooseScheme(List.of(0x0403, 0x0804, 0x0401), pki.serverRsa().privateKey()));
        TlsFatalAlert e = assertThrows(TlsFatalAlert.class,
                () -> ProxyInfoSigner.chooseScheme(List.of(0x0804, 0x0401, 0x0201), pki.proxy().privateKey()));
        assertEquals(AlertDescription.HANDSHAKE_FAILURE, e.alert());
        assertEquals("DEC-5", e.requirementId());
        assertThrows(TlsFatalAlert.class, () -> ProxyInfoSigner.chooseScheme(List.of(), pki.proxy().privateKey()));
    }

    @Test
    @DisplayName("DEC-5: BcTlsCrypto signatures over the exact signed input verify with the JDK's own Signature, all three schemes, both modes")
    void crossImplementationVerification() throws Exception {
        for (SigningMode mode : SigningMode.values()) {
            for (Credential signer : List.of(pki.proxy(), pki.serverRsa())) {
                for (int scheme : signer == pki.proxy() ? new int[] {0x0403} : new int[] {0x0804, 0x0401}) {
                    SignedProxyInfo s = new ProxyInfoSigner(bc, mode).sign(signer.privateKey(), List.of(scheme), filled(1),
                            filled(2), CP, pki.serverEcdsa().chainDer(), filled(3), true, ProxyInfo.endOfChain());
                    assertEquals(scheme, s.signature().signatureScheme());
                    byte[] input = mode.signedInput(filled(1), filled(2), s.encodedFields());
                    assertTrue(jca.verify(signer.publicKey(), scheme, input, s.signature().signature()),
                            mode + " " + Integer.toHexString(scheme));
                    assertTrue(ProxyInfoSigner.verify(bc, mode, signer.publicKey(), filled(1), filled(2), s));
                    // a different session (bound) or different fields (both) must not verify
                    boolean otherSession = ProxyInfoSigner.verify(bc, mode, signer.publicKey(), filled(4), filled(2), s);
                    assertEquals(mode == SigningMode.DRAFT_LITERAL, otherSession, mode.configName());
                    assertFalse(ProxyInfoSigner.verify(bc, mode, pki.proxyB().publicKey(), filled(1), filled(2), s));
                }
            }
        }
    }

    @Test
    @DisplayName("DEC-5: the JDK signs, BcTlsCrypto verifies (the other direction)")
    void jdkSignsBcVerifies() throws Exception {
        SignedProxyInfo s = new ProxyInfoSigner(jca, SigningMode.BOUND).sign(pki.proxy().privateKey(), List.of(0x0403),
                filled(1), filled(2), CP, pki.serverEcdsa().chainDer(), filled(3), false, ProxyInfo.endOfChain());
        assertTrue(ProxyInfoSigner.verify(bc, SigningMode.BOUND, pki.proxy().publicKey(), filled(1), filled(2), s));
    }

    @Test
    @DisplayName("DEC-5: a scheme that does not fit the verifying key is a failed verification, not an exception")
    void mismatchedKeyTypeIsFalse() throws Exception {
        SignedProxyInfo s = new ProxyInfoSigner(bc, SigningMode.BOUND).sign(pki.proxy().privateKey(), List.of(0x0403),
                filled(1), filled(2), CP, pki.serverEcdsa().chainDer(), filled(3), false, ProxyInfo.endOfChain());
        assertFalse(ProxyInfoSigner.verify(bc, SigningMode.BOUND, pki.serverRsa().publicKey(), filled(1), filled(2), s));
    }
}
