package org.proxyinfo.crypto;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.SecureRandomSpi;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.prng.EntropySource;
import org.bouncycastle.crypto.prng.drbg.HMacSP800DRBG;

/**
 * A seeded, reproducible {@link SecureRandom}: HMAC_DRBG with HMAC-SHA-256 (NIST SP 800-90A
 * §10.1.2, Bouncy Castle's {@link HMacSP800DRBG}), instantiated once from a fixed 32-byte seed.
 *
 * <p>Purpose: reference traces. A {@link BcTlsCrypto} built on a {@code DeterministicRandom}
 * produces the same client/server randoms, the same ephemeral keys and the same RSA-PSS salts on
 * every run, so a handshake with a fixed clock and the committed test PKI is byte-identical
 * (DESIGN.md, "Determinism"). <b>Test and reference use only</b>: anyone who knows the seed knows
 * every key it produced.
 *
 * <p>Definition (so another implementation can reproduce the stream): entropy_input = the seed
 * (exactly 32 bytes), nonce = empty, personalization_string = ASCII
 * {@value #PERSONALIZATION}; security strength 256; no prediction resistance; each
 * {@code nextBytes} call is one or more Generate calls of at most 32768 bytes with no additional
 * input. {@code setSeed(bytes)} is a Reseed with the seed again as entropy input and the given bytes as
 * additional input (still deterministic).
 */
public final class DeterministicRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;

    /** The personalization string of the instantiation. */
    public static final String PERSONALIZATION = "proxyinfo DeterministicRandom v1";

    /** Largest request per Generate call (Bouncy Castle's limit: 2^18 bits = 32768 bytes). */
    private static final int MAX_REQUEST = 32768;

    private DeterministicRandom(Spi spi) {
        super(spi, null);
    }

    /** A stream from a 32-byte seed. */
    public static DeterministicRandom fromSeed(byte[] seed) {
        if (seed == null || seed.length != 32) {
            throw new IllegalArgumentException("DeterministicRandom needs a 32-byte seed, got "
                    + (seed == null ? "null" : seed.length + " bytes"));
        }
        return new DeterministicRandom(new Spi(seed.clone()));
    }

    /** A stream named by a label: seed = SHA-256(UTF-8 label). Traces record the label. */
    public static DeterministicRandom fromLabel(String label) {
        byte[] in = label.getBytes(StandardCharsets.UTF_8);
        SHA256Digest d = new SHA256Digest();
        d.update(in, 0, in.length);
        byte[] seed = new byte[32];
        d.doFinal(seed, 0);
        return new DeterministicRandom(new Spi(seed));
    }

    @Override
    public String getAlgorithm() {
        return "HMAC_DRBG-SHA256-deterministic";
    }

    private static final class Spi extends SecureRandomSpi {
        private static final long serialVersionUID = 1L;
        private final transient HMacSP800DRBG drbg;

        Spi(byte[] seed) {
            EntropySource fixed = new EntropySource() {
                @Override public boolean isPredictionResistant() { return false; }
                @Override public byte[] getEntropy() { return seed.clone(); }
                @Override public int entropySize() { return 256; }
            };
            drbg = new HMacSP800DRBG(new HMac(new SHA256Digest()), 256, fixed,
                    PERSONALIZATION.getBytes(StandardCharsets.US_ASCII), new byte[0]);
        }

        @Override
        protected synchronized void engineSetSeed(byte[] seed) {
            drbg.reseed(seed);
        }

        @Override
        protected synchronized void engineNextBytes(byte[] bytes) {
            int off = 0;
            while (off < bytes.length) {
                int n = Math.min(MAX_REQUEST, bytes.length - off);
                byte[] chunk = new byte[n];
                if (drbg.generate(chunk, null, false) < 0) {
                    // 2^48 requests without reseed: cannot happen in a test run; reseed to continue.
                    drbg.reseed(null);
                    drbg.generate(chunk, null, false);
                }
                System.arraycopy(chunk, 0, bytes, off, n);
                off += n;
            }
        }

        @Override
        protected byte[] engineGenerateSeed(int numBytes) {
            byte[] b = new byte[numBytes];
            engineNextBytes(b);
            return b;
        }
    }
}
