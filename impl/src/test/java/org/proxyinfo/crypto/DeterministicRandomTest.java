package org.proxyinfo.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** DeterministicRandom: reproducible, and exactly the HMAC_DRBG its Javadoc defines. */
class DeterministicRandomTest {

    /** SP 800-90A §10.1.2 HMAC_DRBG, written from the standard on the JDK's HMAC, no BC. */
    static final class ReferenceHmacDrbg {
        private byte[] k = new byte[32];
        private byte[] v = new byte[32];

        ReferenceHmacDrbg(byte[] entropy, byte[] nonce, byte[] personalization) throws Exception {
            Arrays.fill(v, (byte) 1);
            update(JcaPrf.concat(JcaPrf.concat(entropy, nonce), personalization));
        }

        private byte[] hmac(byte[] key, byte[]... parts) throws Exception {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            for (byte[] p : parts) {
                m.update(p);
            }
            return m.doFinal();
        }

        private void update(byte[] provided) throws Exception {
            k = hmac(k, v, new byte[] {0}, provided);
            v = hmac(k, v);
            if (provided.length == 0) {
                return;
            }
            k = hmac(k, v, new byte[] {1}, provided);
            v = hmac(k, v);
        }

        byte[] generate(int n) throws Exception {
            byte[] out = new byte[n];
            for (int off = 0; off < n; off += 32) {
                v = hmac(k, v);
                System.arraycopy(v, 0, out, off, Math.min(32, n - off));
            }
            update(new byte[0]);
            return out;
        }
    }

    @Test
    @DisplayName("output equals an independent SP 800-90A HMAC_DRBG (entropy=SHA-256(label), nonce empty)")
    void matchesReferenceDrbg() throws Exception {
        byte[] seed = MessageDigest.getInstance("SHA-256").digest("trace-1".getBytes(StandardCharsets.UTF_8));
        ReferenceHmacDrbg ref = new ReferenceHmacDrbg(seed, new byte[0],
                DeterministicRandom.PERSONALIZATION.getBytes(StandardCharsets.US_ASCII));
        DeterministicRandom r = DeterministicRandom.fromLabel("trace-1");
        byte[] a = new byte[32];
        r.nextBytes(a);
        assertArrayEquals(ref.generate(32), a);
        byte[] b = new byte[100];
        r.nextBytes(b);
        assertArrayEquals(ref.generate(100), b);
    }

    @Test
    @DisplayName("same seed, same stream; different seed, different stream")
    void reproducible() {
        byte[] a = new byte[200];
        byte[] b = new byte[200];
        byte[] c = new byte[200];
        DeterministicRandom.fromLabel("x").nextBytes(a);
        DeterministicRandom.fromLabel("x").nextBytes(b);
        DeterministicRandom.fromLabel("y").nextBytes(c);
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
        byte[] big = new byte[200_000]; // crosses the 32 KiB per-request limit
        DeterministicRandom.fromSeed(new byte[32]).nextBytes(big);
        byte[] big2 = new byte[200_000];
        DeterministicRandom.fromSeed(new byte[32]).nextBytes(big2);
        assertArrayEquals(big, big2);
    }

    @Test
    void seedMustBe32Bytes() {
        assertThrows(IllegalArgumentException.class, () -> DeterministicRandom.fromSeed(new byte[16]));
    }
}
