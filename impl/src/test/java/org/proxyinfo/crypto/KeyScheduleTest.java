package org.proxyinfo.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.proxyinfo.wire.Hex.parse;

import java.security.SecureRandom;
import java.util.Arrays;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The TLS 1.2 key schedule, end to end against a published trace: "The Illustrated TLS 1.2
 * Connection" (tls12.xargs.org, TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, PRF SHA-256): x25519 keys ->
 * premaster -> master secret -> key block -> client Finished verify_data. The AES-GCM split and the
 * extended master secret have no published TLS 1.2 trace; they are checked against an independent
 * P_hash on the JDK's HMAC ({@link JcaPrf}) following the RFC formulas.
 */
class KeyScheduleTest {
    static final byte[] CLIENT_RANDOM = parse("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    static final byte[] SERVER_RANDOM = parse("707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f");
    static final byte[] MASTER = parse("916abf9da55973e13614ae0a3f5d3f37b023ba129aee02cc9134338127cd7049"
            + "781c8e19fc1eb2a7387ac06ae237344c");

    final BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());
    final KeySchedule ks = new KeySchedule(crypto, "SHA-256");

    @Test
    @DisplayName("RFC5246-8.1 master secret and RFC5246-6.3 key block: tls12.xargs.org trace")
    void publishedTrace() throws Exception {
        TlsCrypto.KeyShare client = crypto.keyShareFromPrivate(BcTlsCrypto.GROUP_X25519,
                parse("202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"));
        byte[] premaster = client.agree(parse("9fd7ad6dcff4298dd3f96d5b1b2af910a0535b1488d7f8fabb349a982880b615"));
        byte[] master = ks.masterSecret(premaster, CLIENT_RANDOM, SERVER_RANDOM);
        assertArrayEquals(MASTER, master);

        // CBC-SHA suite: mac keys 2x20, enc keys 2x16, IVs 2x16 = 104 bytes
        byte[] kb = ks.keyBlock(master, CLIENT_RANDOM, SERVER_RANDOM, 104);
        assertArrayEquals(parse("1b7d117c7d5f690bc263cae8ef60af0f1878acc2"), Arrays.copyOfRange(kb, 0, 20));
        assertArrayEquals(parse("2ad8bdd8c601a617126f63540eb20906f781fad2"), Arrays.copyOfRange(kb, 20, 40));
        assertArrayEquals(parse("f656d037b173ef3e11169f27231a84b6"), Arrays.copyOfRange(kb, 40, 56));
        assertArrayEquals(parse("752a18e7a9fcb7cbcdd8f98dd8f769eb"), Arrays.copyOfRange(kb, 56, 72));
        assertArrayEquals(parse("a0d2550c9238eebfef5c32251abb67d6"), Arrays.copyOfRange(kb, 72, 88));
        assertArrayEquals(parse("434528db4937d540d393135e06a11bb8"), Arrays.copyOfRange(kb, 88, 104));
    }

    @Test
    @DisplayName("RFC5246-7.4.9 client Finished verify_data: tls12.xargs.org (handshake hash 061dda..)")
    void clientFinished() {
        byte[] hh = parse("061dda04b3c2217ff73bd79b9cf88a2bb6ec505404aac8722db03ef417b54cb4");
        assertArrayEquals(parse("cf919626f1360c536aaad73a"), ks.verifyData(MASTER, true, hh));
        byte[] server = ks.verifyData(MASTER, false, hh);
        assertEquals(12, server.length);
        assertFalse(Arrays.equals(server, ks.verifyData(MASTER, true, hh)), "labels must differ");
        assertTrue(KeySchedule.verifyDataEquals(parse("cf919626f1360c536aaad73a"), ks.verifyData(MASTER, true, hh)));
        assertFalse(KeySchedule.verifyDataEquals(parse("cf919626f1360c536aaad73b"), ks.verifyData(MASTER, true, hh)));
        assertFalse(KeySchedule.verifyDataEquals(parse("cf91"), null));
    }

    @Test
    @DisplayName("RFC5288-3 AES-128/256-GCM split: keys then 4-byte implicit IVs, from key_block order")
    void gcmSplit() throws Exception {
        for (int keyLen : new int[] {16, 32}) {
            String hash = keyLen == 16 ? "SHA-256" : "SHA-384";
            String mac = keyLen == 16 ? "HmacSHA256" : "HmacSHA384";
            KeySchedule k = new KeySchedule(crypto, hash);
            KeySchedule.GcmKeys g = k.gcmKeys(MASTER, CLIENT_RANDOM, SERVER_RANDOM, keyLen);
            byte[] ref = JcaPrf.prf(mac, MASTER, "key expansion", JcaPrf.concat(SERVER_RANDOM, CLIENT_RANDOM),
                    2 * keyLen + 8);
            assertArrayEquals(Arrays.copyOfRange(ref, 0, keyLen), g.clientWriteKey());
            assertArrayEquals(Arrays.copyOfRange(ref, keyLen, 2 * keyLen), g.serverWriteKey());
            assertArrayEquals(Arrays.copyOfRange(ref, 2 * keyLen, 2 * keyLen + 4), g.clientWriteIv());
            assertArrayEquals(Arrays.copyOfRange(ref, 2 * keyLen + 4, 2 * keyLen + 8), g.serverWriteIv());
        }
        // With SHA-256 the split is a prefix of the published trace's key block reinterpreted.
        KeySchedule.GcmKeys g = ks.gcmKeys(MASTER, CLIENT_RANDOM, SERVER_RANDOM, 16);
        assertArrayEquals(parse("1b7d117c7d5f690bc263cae8ef60af0f"), g.clientWriteKey());
        // RFC5288-3: nonce = client_write_IV (key block bytes 32..35) || explicit nonce, as literals (issue 10 finding 10)
        assertArrayEquals(parse("0eb20906"), g.clientWriteIv());
        assertArrayEquals(parse("0eb209060000000000000001"), KeySchedule.gcmNonce(g.clientWriteIv(), parse("0000000000000001")));
    }

    @Test
    @DisplayName("RFC7627-4 extended master secret: label \"extended master secret\", seed = session_hash")
    void extendedMasterSecret() throws Exception {
        byte[] premaster = parse("df4a291baa1eb7cfa6934b29b474baad2697e29f1f920dcc77c8a0a088447624");
        byte[] sessionHash = crypto.hash("SHA-256", parse("0102030405"));
        byte[] ems = ks.extendedMasterSecret(premaster, sessionHash);
        assertArrayEquals(JcaPrf.prf("HmacSHA256", premaster, "extended master secret", sessionHash, 48), ems);
        assertFalse(Arrays.equals(ems, ks.masterSecret(premaster, CLIENT_RANDOM, SERVER_RANDOM)));
        KeySchedule k384 = new KeySchedule(crypto, "SHA-384");
        byte[] sh384 = crypto.hash("SHA-384", parse("0102030405"));
        assertArrayEquals(JcaPrf.prf("HmacSHA384", premaster, "extended master secret", sh384, 48),
                k384.extendedMasterSecret(premaster, sh384));
        assertArrayEquals(sh384, k384.transcriptHash(parse("0102030405")));
    }

    @Test
    @DisplayName("bad inputs are programming errors: wrong random / master length, unknown hash")
    void badInputs() {
        assertThrows(IllegalArgumentException.class, () -> new KeySchedule(crypto, "SHA-1"));
        assertThrows(IllegalArgumentException.class, () -> ks.masterSecret(new byte[48], new byte[31], SERVER_RANDOM));
        assertThrows(IllegalArgumentException.class, () -> ks.keyBlock(new byte[47], CLIENT_RANDOM, SERVER_RANDOM, 40));
        assertThrows(IllegalArgumentException.class, () -> ks.gcmKeys(MASTER, CLIENT_RANDOM, SERVER_RANDOM, 24));
        assertThrows(IllegalArgumentException.class, () -> ks.extendedMasterSecret(new byte[32], new byte[0]));
    }
}
