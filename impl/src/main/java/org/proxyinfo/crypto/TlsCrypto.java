package org.proxyinfo.crypto;

import java.security.PrivateKey;
import java.security.PublicKey;

import org.proxyinfo.wire.TlsFatalAlert;

/**
 * The one small crypto interface the TLS code uses (issue: "behind one small crypto interface").
 * Implementations decide, per primitive, between Bouncy Castle's lightweight API and the JCA;
 * {@code impl/CRYPTO.md} records which and why (measured).
 *
 * All randomness comes from the instance's random source so that a seeded instance gives
 * byte-for-byte reproducible handshakes (reference traces). ECDSA uses deterministic k
 * (RFC 6979) for the same reason.
 *
 * Identifiers are the TLS wire values: NamedGroup (RFC 8422 / RFC 7748: x25519 = 0x001d,
 * secp256r1 = 0x0017), SignatureScheme (RFC 8446 §4.2.3 code points, which for TLS 1.2 are the
 * SignatureAndHashAlgorithm pairs: ecdsa_secp256r1_sha256 = 0x0403, rsa_pkcs1_sha256 = 0x0401,
 * rsa_pss_rsae_sha256 = 0x0804), PRF hash by name ("SHA-256", "SHA-384").
 */
public interface TlsCrypto {

    /** n bytes from this instance's random source. */
    byte[] random(int n);

    /** Digest of data with "SHA-256" or "SHA-384". */
    byte[] hash(String algorithm, byte[] data);

    /**
     * A running digest ("SHA-256" or "SHA-384") of the handshake transcript: messages are added as they come, and
     * {@link RunningHash#digest()} is the hash of everything added so far, without ending it (RFC 5246 §7.4.9 and
     * §7.4.8 hash a transcript that keeps growing). The default keeps the bytes and hashes all of them again on each
     * {@code digest()}; {@code BcTlsCrypto} copies the digest's state instead (issue #14: the whole transcript was
     * hashed again for every Finished, about 7% of a proxied handshake's CPU, BENCHMARKS.md).
     */
    default RunningHash runningHash(String algorithm) {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        return new RunningHash() {
            @Override
            public void update(byte[] b, int off, int len) {
                all.write(b, off, len);
            }

            @Override
            public byte[] digest() {
                return hash(algorithm, all.toByteArray());
            }
        };
    }

    /** See {@link #runningHash(String)}. */
    interface RunningHash {
        void update(byte[] b, int off, int len);

        /** The hash of everything added so far; more may be added afterwards. */
        byte[] digest();
    }

    /** RFC 5246 §5 PRF with P_SHA256 or P_SHA384. */
    byte[] prf(String hashAlgorithm, byte[] secret, String label, byte[] seed, int length);

    /** AES-GCM (RFC 5288) with a 16- or 32-byte key. */
    Aead aesGcm(byte[] key);

    /** A fresh ephemeral key pair for an ECDHE NamedGroup; fatal illegal_parameter for unsupported groups. */
    KeyShare generateKeyShare(int namedGroup) throws TlsFatalAlert;

    /** Signature over data with a TLS SignatureScheme. */
    byte[] sign(PrivateKey key, int signatureScheme, byte[] data) throws TlsFatalAlert;

    /** True iff signature verifies; never throws for a bad signature or a mismatched key type. */
    boolean verify(PublicKey key, int signatureScheme, byte[] data, byte[] signature);

    /** AES-GCM with TLS 1.2 record framing left to the caller (nonce = 4-byte salt || 8-byte explicit). */
    interface Aead {
        byte[] seal(byte[] nonce, byte[] aad, byte[] plaintext);

        /** Fatal bad_record_mac when the tag does not verify (RFC 5246 §6.2.3.3). */
        byte[] open(byte[] nonce, byte[] aad, byte[] ciphertext) throws TlsFatalAlert;

        /**
         * Seals {@code in[inOff .. inOff+len)} into {@code out} at {@code outOff} (ciphertext || tag);
         * returns the bytes written ({@code len + 16}). {@code out} may be {@code in} at the same offset
         * (in place). The default goes through {@link #seal(byte[], byte[], byte[])} (copies); the
         * JCA implementation seals without an intermediate array (issue #14).
         */
        default int seal(byte[] nonce, byte[] aad, byte[] in, int inOff, int len, byte[] out, int outOff) {
            byte[] ct = seal(nonce, aad, java.util.Arrays.copyOfRange(in, inOff, inOff + len));
            System.arraycopy(ct, 0, out, outOff, ct.length);
            return ct.length;
        }

        /**
         * Opens {@code in[inOff .. inOff+len)} (ciphertext || tag) into {@code out} at {@code outOff};
         * returns the plaintext length. {@code out} may be {@code in} at the same offset (in place).
         * Fatal bad_record_mac as {@link #open(byte[], byte[], byte[])}.
         */
        default int open(byte[] nonce, byte[] aad, byte[] in, int inOff, int len, byte[] out, int outOff) throws TlsFatalAlert {
            byte[] pt = open(nonce, aad, java.util.Arrays.copyOfRange(in, inOff, inOff + len));
            System.arraycopy(pt, 0, out, outOff, pt.length);
            return pt.length;
        }
    }

    /** One ephemeral ECDHE key pair. */
    interface KeyShare {
        int namedGroup();

        /** The public value as it goes on the wire (x25519: 32 bytes; secp256r1: uncompressed point). */
        byte[] publicValue();

        /** The private scalar, for test-only trace secrets. */
        byte[] privateValue();

        /** Shared secret (the premaster secret). Fatal illegal_parameter for an invalid peer value. */
        byte[] agree(byte[] peerPublicValue) throws TlsFatalAlert;
    }
}
