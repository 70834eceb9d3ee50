package org.proxyinfo.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.proxyinfo.wire.Hex.parse;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.crypto.BcTlsCrypto.Choices;
import org.proxyinfo.wire.TlsFatalAlert;

/**
 * Known-answer and negative tests of every primitive, run against every provider choice (all BC,
 * all JCA, the measured mix), so a provider switch in {@link Choices#MEASURED} cannot change
 * behaviour.
 */
class BcTlsCryptoTest {

    static Stream<Choices> choices() {
        return Stream.of(Choices.ALL_BC, Choices.ALL_JCA, Choices.MEASURED);
    }

    static BcTlsCrypto crypto(Choices c) {
        return new BcTlsCrypto(new SecureRandom(), c);
    }

    static KeyPair rsa;
    static KeyPair ec;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048, DeterministicRandom.fromLabel("rsa-test-key"));
        rsa = g.generateKeyPair();
        KeyPairGenerator e = KeyPairGenerator.getInstance("EC");
        e.initialize(new ECGenParameterSpec("secp256r1"));
        ec = e.generateKeyPair();
    }

    // ---------------------------------------------------------------- hash, PRF

    @ParameterizedTest
    @MethodSource("choices")
    @DisplayName("SHA-256/384 of \"abc\" (FIPS 180-2 examples)")
    void hashes(Choices c) {
        BcTlsCrypto t = crypto(c);
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(parse("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"), t.hash("SHA-256", abc));
        assertArrayEquals(parse("cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
                + "8086072ba1e7cc2358baeca134c825a7"), t.hash("SHA-384", abc));
        assertThrows(IllegalArgumentException.class, () -> t.hash("MD5", abc));
    }

    @ParameterizedTest
    @MethodSource("choices")
    @DisplayName("RFC5246-7.4.9 running transcript hash: after every piece, the hash of all pieces so far (JDK MessageDigest)")
    void runningHash(Choices c) throws Exception {
        // the FIPS 180-2 two-block message, then bytes that cross block boundaries in uneven pieces
        byte[] all = ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
                + "x".repeat(300)).getBytes(StandardCharsets.US_ASCII);
        int[] cuts = {0, 1, 56, 57, 64, 127, 128, 129, 200, all.length};
        for (String algorithm : new String[] {"SHA-256", "SHA-384"}) {
            TlsCrypto.RunningHash h = crypto(c).runningHash(algorithm);
            TlsCrypto.RunningHash byDefault = new JdkOnly().runningHash(algorithm); // TlsCrypto's default: hash all again
            for (int i = 1; i < cuts.length; i++) {
                h.update(all, cuts[i - 1], cuts[i] - cuts[i - 1]);
                byDefault.update(all, cuts[i - 1], cuts[i] - cuts[i - 1]);
                byte[] expected = java.security.MessageDigest.getInstance(algorithm).digest(Arrays.copyOf(all, cuts[i]));
                assertArrayEquals(expected, h.digest(), algorithm + " after " + cuts[i] + " bytes");
                assertArrayEquals(expected, h.digest(), algorithm + ": digest() does not end the running hash");
                assertArrayEquals(expected, byDefault.digest(), algorithm + " (default) after " + cuts[i] + " bytes");
            }
        }
        TlsCrypto.RunningHash two = crypto(c).runningHash("SHA-256");
        two.update(all, 0, 56);
        assertArrayEquals(parse("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"), two.digest());
    }

    /** Only TlsCrypto's hash, so that runningHash is the interface's default. */
    private static final class JdkOnly implements TlsCrypto {
        @Override public byte[] hash(String algorithm, byte[] data) {
            try {
                return java.security.MessageDigest.getInstance(algorithm).digest(data);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalArgumentException(e);
            }
        }
        @Override public byte[] random(int n) { throw new UnsupportedOperationException(); }
        @Override public byte[] prf(String h, byte[] secret, String label, byte[] seed, int length) { throw new UnsupportedOperationException(); }
        @Override public Aead aesGcm(byte[] key) { throw new UnsupportedOperationException(); }
        @Override public KeyShare generateKeyShare(int namedGroup) { throw new UnsupportedOperationException(); }
        @Override public byte[] sign(PrivateKey key, int scheme, byte[] data) { throw new UnsupportedOperationException(); }
        @Override public boolean verify(PublicKey key, int scheme, byte[] data, byte[] signature) { throw new UnsupportedOperationException(); }
    }

    @Test
    @DisplayName("RFC5246-5 PRF P_SHA256: IETF TLS WG test vector (tls msg03416), 100 bytes")
    void prfSha256Vector() {
        byte[] out = crypto(Choices.MEASURED).prf("SHA-256", parse("9bbe436ba940f017b17652849a71db35"), "test label",
                parse("a0ba9f936cda311827a6f796ffd5198c"), 100);
        assertArrayEquals(parse("e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a"
                + "6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab"
                + "4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff701"
                + "87347b66"), out);
    }

    @Test
    @DisplayName("RFC5246-5 PRF P_SHA384: IETF TLS WG test vector, 148 bytes")
    void prfSha384Vector() {
        byte[] out = crypto(Choices.MEASURED).prf("SHA-384", parse("b80b733d6ceefcdc71566ea48e5567df"), "test label",
                parse("cd665cf6a8447dd6ff8b27555edb7465"), 148);
        assertArrayEquals(parse("7b0c18e9ced410ed1804f2cfa34a336a1c14dffb4900bb5fd7942107e81c83cd"
                + "e9ca0faa60be9fe34f82b1233c9146a0e534cb400fed2700884f9dc236f80edd"
                + "8bfa961144c9e8d792eca722a7b32fc3d416d473ebc2c5fd4abfdad05d918425"
                + "9b5bf8cd4d90fa0d31e2dec479e4f1a26066f2eea9a69236a3e52655c9e9aee6"
                + "91c8f3a26854308d5eaa3be85e0990703d73e56f"), out);
    }

    @Test
    @DisplayName("PRF: a short output is a prefix of a long one; zero length is empty")
    void prfPrefix() {
        BcTlsCrypto t = crypto(Choices.MEASURED);
        byte[] s = parse("00112233"), seed = parse("4455");
        byte[] long1 = t.prf("SHA-256", s, "l", seed, 77);
        assertArrayEquals(Arrays.copyOf(long1, 31), t.prf("SHA-256", s, "l", seed, 31));
        assertEquals(0, t.prf("SHA-256", s, "l", seed, 0).length);
    }

    // ---------------------------------------------------------------- AES-GCM

    static final byte[] GCM_P = parse("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
            + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
    static final byte[] GCM_A = parse("feedfacedeadbeeffeedfacedeadbeefabaddad2");
    static final byte[] GCM_IV = parse("cafebabefacedbaddecaf888");

    @ParameterizedTest
    @MethodSource("choices")
    @DisplayName("AES-128-GCM: GCM spec test case 4; AES-256-GCM: test case 16")
    void gcmVectors(Choices c) throws Exception {
        BcTlsCrypto t = crypto(c);
        TlsCrypto.Aead a128 = t.aesGcm(parse("feffe9928665731c6d6a8f9467308308"));
        byte[] ct128 = parse("42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
                + "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091" + "5bc94fbc3221a5db94fae95ae7121a47");
        assertArrayEquals(ct128, a128.seal(GCM_IV, GCM_A, GCM_P));
        assertArrayEquals(GCM_P, a128.open(GCM_IV, GCM_A, ct128));

        TlsCrypto.Aead a256 = t.aesGcm(parse("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"));
        byte[] ct256 = parse("522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662" + "76fc6ece0f4e1768cddf8853bb2d551b");
        assertArrayEquals(ct256, a256.seal(GCM_IV, GCM_A, GCM_P));
        assertArrayEquals(GCM_P, a256.open(GCM_IV, GCM_A, ct256));
    }

    @ParameterizedTest
    @MethodSource("choices")
    @DisplayName("RFC5246-6.2.3.3: altered ciphertext, tag, AAD, nonce or a truncated record -> bad_record_mac")
    void gcmOpenFailures(Choices c) throws Exception {
        BcTlsCrypto t = crypto(c);
        byte[] key = t.random(16);
        TlsCrypto.Aead a = t.aesGcm(key);
        byte[] sealed = a.seal(GCM_IV, GCM_A, GCM_P);
        byte[][] bad = new byte[4][];
        bad[0] = sealed.clone();
        bad[0][0] ^= 1;
        bad[1] = sealed.clone();
        bad[1][sealed.length - 1] ^= (byte) 0x80;
        bad[2] = Arrays.copyOf(sealed, 15);
        bad[3] = new byte[0];
        for (byte[] ct : bad) {
            assertBadRecordMac(() -> a.open(GCM_IV, GCM_A, ct));
        }
        byte[] aad2 = GCM_A.clone();
        aad2[3] ^= 4;
        assertBadRecordMac(() -> a.open(GCM_IV, aad2, sealed));
        byte[] iv2 = GCM_IV.clone();
        iv2[11] ^= 1;
        assertBadRecordMac(() -> a.open(iv2, GCM_A, sealed));
        // still usable after failures, and an empty plaintext round-trips (16-byte tag only)
        assertArrayEquals(GCM_P, a.open(GCM_IV, GCM_A, sealed));
        byte[] empty = a.seal(iv2, GCM_A, new byte[0]);
        assertEquals(16, empty.length);
        assertEquals(0, a.open(iv2, GCM_A, empty).length);
    }

    @Test
    @DisplayName("BC and JCA AES-GCM produce identical records for a 16 KiB plaintext")
    void gcmCrossProvider() throws Exception {
        byte[] key = new SecureRandom().generateSeed(32);
        byte[] pt = new byte[16384];
        new SecureRandom().nextBytes(pt);
        byte[] x = crypto(Choices.ALL_BC).aesGcm(key).seal(GCM_IV, GCM_A, pt);
        byte[] y = crypto(Choices.ALL_JCA).aesGcm(key).seal(GCM_IV, GCM_A, pt);
        assertArrayEquals(x, y);
        assertArrayEquals(pt, crypto(Choices.ALL_JCA).aesGcm(key).open(GCM_IV, GCM_A, x));
        assertArrayEquals(pt, crypto(Choices.ALL_BC).aesGcm(key).open(GCM_IV, GCM_A, y));
    }

    @ParameterizedTest
    @MethodSource("choices")
    @DisplayName("sealing twice under one (key, nonce) is refused by both providers (a record-layer bug, not an alert)")
    void gcmNonceReuse(Choices c) {
        TlsCrypto.Aead a = crypto(c).aesGcm(new byte[16]);
        a.seal(GCM_IV, GCM_A, GCM_P);
        assertThrows(IllegalStateException.class, () -> a.seal(GCM_IV, GCM_A, GCM_P));
        assertThrows(IllegalArgumentException.class, () -> a.seal(new byte[8], GCM_A, GCM_P));
    }

    @Test
    void gcmKeyLength() {
        assertThrows(IllegalArgumentException.class, () -> crypto(Choices.MEASURED).aesGcm(new byte[24]));
    }

    interface Failing { void run() throws Exception; }

    static TlsFatalAlert assertAlert(int alert, String requirementId, Failing f) {
        TlsFatalAlert e = assertThrows(TlsFatalAlert.class, f::run);
        assertEquals(AlertDescription.name(alert), e.alertName(), e.describe());
        assertEquals(requirementId, e.requirementId(), e.describe());
        return e;
    }

    static void assertBadRecordMac(Failing f) {
        assertAlert(AlertDescription.BAD_RECORD_MAC, "RFC5246-6.2.3.3", f);
    }

    // ---------------------------------------------------------------- key shares

    @Test
    @DisplayName("x25519 known answer: the tls12.xargs.org trace (client key 20..3f, server public 9fd7ad..)")
    void x25519KnownAnswer() throws Exception {
        BcTlsCrypto t = crypto(Choices.MEASURED);
        TlsCrypto.KeyShare client = t.keyShareFromPrivate(BcTlsCrypto.GROUP_X25519,
                parse("202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"));
        assertArrayEquals(parse("358072d6365880d1aeea329adf9121383851ed21a28e3b75e965d0d2cd166254"), client.publicValue());
        assertArrayEquals(parse("df4a291baa1eb7cfa6934b29b474baad2697e29f1f920dcc77c8a0a088447624"),
                client.agree(parse("9fd7ad6dcff4298dd3f96d5b1b2af910a0535b1488d7f8fabb349a982880b615")));
    }

    @ParameterizedTest
    @MethodSource("choices")
    @DisplayName("ECDHE x25519 and secp256r1: both sides derive the same premaster, across providers")
    void agreement(Choices c) throws Exception {
        BcTlsCrypto t = crypto(c);
        for (int group : new int[] {BcTlsCrypto.GROUP_X25519, BcTlsCrypto.GROUP_SECP256R1}) {
            for (Choices other : new Choices[] {Choices.ALL_BC, Choices.ALL_JCA}) {
                TlsCrypto.KeyShare a = t.generateKeyShare(group);
                TlsCrypto.KeyShare bb = crypto(other).generateKeyShare(group);
                assertEquals(group, a.namedGroup());
                assertEquals(group == BcTlsCrypto.GROUP_X25519 ? 32 : 65, a.publicValue().length);
                assertEquals(32, a.privateValue().length);
                byte[] z1 = a.agree(bb.publicValue());
                byte[] z2 = bb.agree(a.publicValue());
                assertArrayEquals(z1, z2);
                assertEquals(32, z1.length);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("choices")
    @DisplayName("RFC7748-6.1: small-order x25519 peer values give an all-zero secret -> illegal_parameter")
    void x25519SmallOrder(Choices c) throws Exception {
        TlsCrypto.KeyShare a = crypto(c).generateKeyShare(BcTlsCrypto.GROUP_X25519);
        byte[] zero = new byte[32];
        byte[] one = new byte[32];
        one[0] = 1;
        // order-8 point, RFC 7748 / libsodium blocklist
        byte[] order8 = parse("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800");
        for (byte[] p : new byte[][] {zero, one, order8}) {
            assertAlert(AlertDescription.ILLEGAL_PARAMETER, "RFC7748-6.1", () -> a.agree(p));
        }
    }

    @ParameterizedTest
    @MethodSource("choices")
    @DisplayName("RFC8422-5.11: wrong-length / compressed / off-curve / infinity peer values -> illegal_parameter")
    void invalidPeerValues(Choices c) throws Exception {
        BcTlsCrypto t = crypto(c);
        TlsCrypto.KeyShare x = t.generateKeyShare(BcTlsCrypto.GROUP_X25519);
        assertAlert(AlertDescription.ILLEGAL_PARAMETER, "RFC8422-5.11", () -> x.agree(new byte[31]));
        assertAlert(AlertDescription.ILLEGAL_PARAMETER, "RFC8422-5.11", () -> x.agree(new byte[33]));
        assertAlert(AlertDescription.ILLEGAL_PARAMETER, "RFC8422-5.11", () -> x.agree(null));

        TlsCrypto.KeyShare p = t.generateKeyShare(BcTlsCrypto.GROUP_SECP256R1);
        byte[] good = t.generateKeyShare(BcTlsCrypto.GROUP_SECP256R1).publicValue();
        byte[] offCurve = good.clone();
        offCurve[64] ^= 1;
        byte[] compressed = Arrays.copyOf(good, 33);
        compressed[0] = (byte) (2 + (good[64] & 1));
        byte[] hybrid = good.clone();
        hybrid[0] = 6;
        byte[] zeros = new byte[65];
        zeros[0] = 4;
        for (byte[] v : new byte[][] {offCurve, compressed, hybrid, zeros, new byte[] {0}, Arrays.copyOf(good, 64), new byte[0]}) {
            assertAlert(AlertDescription.ILLEGAL_PARAMETER, "RFC8422-5.11", () -> p.agree(v));
        }
        // a coordinate >= p: x = p (not reduced) is invalid
        byte[] big = good.clone();
        byte[] pBytes = parse("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff");
        System.arraycopy(pBytes, 0, big, 1, 32);
        assertAlert(AlertDescription.ILLEGAL_PARAMETER, "RFC8422-5.11", () -> p.agree(big));
        assertArrayEquals(p.agree(good), p.agree(good));
    }

    @Test
    @DisplayName("unsupported named group -> illegal_parameter")
    void unsupportedGroup() {
        assertAlert(AlertDescription.ILLEGAL_PARAMETER, "RFC8422-5.1.1",
                () -> crypto(Choices.MEASURED).generateKeyShare(0x0018));
    }

    // ---------------------------------------------------------------- signatures

    static PrivateKey rfc6979Key() throws Exception {
        AlgorithmParameters ap = AlgorithmParameters.getInstance("EC");
        ap.init(new ECGenParameterSpec("secp256r1"));
        ECParameterSpec spec = ap.getParameterSpec(ECParameterSpec.class);
        return KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(
                new BigInteger("c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721", 16), spec));
    }

    static PublicKey rfc6979Pub() throws Exception {
        AlgorithmParameters ap = AlgorithmParameters.getInstance("EC");
        ap.init(new ECGenParameterSpec("secp256r1"));
        ECParameterSpec spec = ap.getParameterSpec(ECParameterSpec.class);
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(
                new BigInteger("60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6", 16),
                new BigInteger("7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299", 16)), spec));
    }

    @ParameterizedTest
    @MethodSource("choices")
    @DisplayName("ecdsa_secp256r1_sha256 is RFC 6979 deterministic: RFC 6979 A.2.5 \"sample\" (DER)")
    void ecdsaRfc6979(Choices c) throws Exception {
        BcTlsCrypto t = crypto(c);
        byte[] msg = "sample".getBytes(StandardCharsets.US_ASCII);
        byte[] sig = t.sign(rfc6979Key(), 0x0403, msg);
        assertArrayEquals(parse("3046022100efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716"
                + "022100f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8"), sig);
        assertTrue(t.verify(rfc6979Pub(), 0x0403, msg, sig));
        assertFalse(t.verify(rfc6979Pub(), 0x0403, "samplE".getBytes(StandardCharsets.US_ASCII), sig));
    }

    @ParameterizedTest
    @MethodSource("choices")
    @DisplayName("sign/verify round trips for 0x0403, 0x0401, 0x0804 across providers; tampering fails")
    void signVerify(Choices c) throws Exception {
        BcTlsCrypto t = crypto(c);
        byte[] data = t.random(200);
        Object[][] cases = {
            {0x0403, ec}, {0x0401, rsa}, {0x0804, rsa},
        };
        for (Object[] cs : cases) {
            int scheme = (Integer) cs[0];
            KeyPair kp = (KeyPair) cs[1];
            byte[] sig = t.sign(kp.getPrivate(), scheme, data);
            for (Choices v : new Choices[] {Choices.ALL_BC, Choices.ALL_JCA}) {
                assertTrue(crypto(v).verify(kp.getPublic(), scheme, data, sig), "scheme " + scheme + " " + v);
                byte[] d2 = data.clone();
                d2[7] ^= 1;
                assertFalse(crypto(v).verify(kp.getPublic(), scheme, d2, sig));
                byte[] s2 = sig.clone();
                s2[s2.length - 3] ^= 1;
                assertFalse(crypto(v).verify(kp.getPublic(), scheme, data, s2));
            }
        }
        // JCA's own signatures verify here too (independent implementation)
        java.security.Signature js = java.security.Signature.getInstance("SHA256withRSA");
        js.initSign(rsa.getPrivate());
        js.update(data);
        assertTrue(t.verify(rsa.getPublic(), 0x0401, data, js.sign()));
        java.security.Signature je = java.security.Signature.getInstance("SHA256withECDSA");
        je.initSign(ec.getPrivate());
        je.update(data);
        assertTrue(t.verify(ec.getPublic(), 0x0403, data, je.sign()));
    }

    @Test
    @DisplayName("rsa_pkcs1_sha256 is deterministic: BC and SunRsaSign give identical bytes")
    void pkcs1SameBytes() throws Exception {
        byte[] data = "to be signed".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(crypto(Choices.ALL_BC).sign(rsa.getPrivate(), 0x0401, data),
                crypto(Choices.ALL_JCA).sign(rsa.getPrivate(), 0x0401, data));
    }

    @ParameterizedTest
    @MethodSource("choices")
    @DisplayName("verify never throws: wrong key type, garbage, empty, unknown scheme -> false")
    void verifyNeverThrows(Choices c) throws Exception {
        BcTlsCrypto t = crypto(c);
        byte[] data = parse("0102");
        byte[] ecSig = t.sign(ec.getPrivate(), 0x0403, data);
        byte[] rsaSig = t.sign(rsa.getPrivate(), 0x0804, data);
        assertFalse(t.verify(rsa.getPublic(), 0x0403, data, ecSig));
        assertFalse(t.verify(ec.getPublic(), 0x0401, data, rsaSig));
        assertFalse(t.verify(ec.getPublic(), 0x0804, data, rsaSig));
        assertFalse(t.verify(rsa.getPublic(), 0x0401, data, rsaSig)); // PSS signature under PKCS#1
        assertFalse(t.verify(ec.getPublic(), 0x0403, data, new byte[0]));
        assertFalse(t.verify(ec.getPublic(), 0x0403, data, parse("3006020101020101")));
        assertFalse(t.verify(ec.getPublic(), 0x0403, data, parse("300402000200")));
        assertFalse(t.verify(rsa.getPublic(), 0x0804, data, new byte[300]));
        assertFalse(t.verify(ec.getPublic(), 0x0807, data, ecSig));
        assertFalse(t.verify(null, 0x0403, data, ecSig));
        assertFalse(t.verify(ec.getPublic(), 0x0403, data, null));
    }

    @Test
    @DisplayName("sign with a key that does not fit the scheme, or an unsupported scheme -> internal_error")
    void signMisuse() {
        BcTlsCrypto t = crypto(Choices.MEASURED);
        assertAlert(AlertDescription.INTERNAL_ERROR, "RFC5246-7.4.1.4.1", () -> t.sign(rsa.getPrivate(), 0x0403, parse("00")));
        assertAlert(AlertDescription.INTERNAL_ERROR, "RFC5246-7.4.1.4.1", () -> t.sign(ec.getPrivate(), 0x0401, parse("00")));
        assertAlert(AlertDescription.INTERNAL_ERROR, "RFC5246-7.4.1.4.1", () -> t.sign(ec.getPrivate(), 0x0807, parse("00")));
    }

    // ---------------------------------------------------------------- determinism

    @ParameterizedTest
    @MethodSource("choices")
    @DisplayName("seeded instances reproduce randoms, ephemeral keys and RSA-PSS salts byte for byte")
    void deterministic(Choices c) throws Exception {
        byte[][] run1 = run(new BcTlsCrypto(DeterministicRandom.fromLabel("det"), c));
        byte[][] run2 = run(new BcTlsCrypto(DeterministicRandom.fromLabel("det"), c));
        byte[][] run3 = run(new BcTlsCrypto(DeterministicRandom.fromLabel("other"), c));
        for (int i = 0; i < run1.length; i++) {
            assertArrayEquals(run1[i], run2[i], "item " + i);
            assertFalse(Arrays.equals(run1[i], run3[i]), "item " + i);
        }
    }

    private static byte[][] run(BcTlsCrypto t) throws Exception {
        return new byte[][] {
            t.random(32),
            t.generateKeyShare(BcTlsCrypto.GROUP_X25519).publicValue(),
            t.generateKeyShare(BcTlsCrypto.GROUP_SECP256R1).publicValue(),
            t.sign(rsa.getPrivate(), 0x0804, parse("abcd")),
            t.random(32),
        };
    }
}
