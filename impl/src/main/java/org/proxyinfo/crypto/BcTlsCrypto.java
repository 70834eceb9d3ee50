package org.proxyinfo.crypto;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.agreement.ECDHBasicAgreement;
import org.bouncycastle.crypto.agreement.X25519Agreement;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.engines.RSABlindedEngine;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.DSADigestSigner;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.PSSSigner;
import org.bouncycastle.crypto.signers.RSADigestSigner;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.util.BigIntegers;
import org.bouncycastle.util.Memoable;
import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.wire.TlsFatalAlert;

/**
 * The project's {@link TlsCrypto}: Bouncy Castle primitives, with the JCA (SunJCE, SunEC,
 * SunRsaSign) used instead for a primitive where it measured faster. This class is the single
 * place that decides which provider serves which primitive: see {@link Choices#MEASURED} and
 * {@code impl/CRYPTO.md} (numbers, command, reasons).
 *
 * <p>What is fixed regardless of speed:
 * <ul>
 * <li>ECDSA signing is RFC 6979 deterministic (BC {@link HMacDSAKCalculator}); SunEC in Java 17
 *     has no deterministic ECDSA, so it cannot be chosen for signing (reference traces must be
 *     byte-identical).</li>
 * <li>Peer ECDHE values are validated by this class before any provider sees them
 *     (RFC 8422 §5.11 / RFC 7748 §6.1): wrong length, not an uncompressed point, not on the curve,
 *     all-zero X25519 result: fatal {@code illegal_parameter}.</li>
 * <li>{@link #verify} answers false, never throws, for a bad signature, a malformed encoding or a
 *     key of the wrong type.</li>
 * </ul>
 *
 * <p>Thread safety: the instance may be shared; {@link TlsCrypto.Aead} and
 * {@link TlsCrypto.KeyShare} objects are for one connection direction / one handshake.
 */
public final class BcTlsCrypto implements TlsCrypto {

    /** Wire values (RFC 8422 §5.1.1, RFC 7748; RFC 8446 §4.2.3 SignatureScheme), defined once in {@code wire} (issue 10). */
    public static final int GROUP_SECP256R1 = org.proxyinfo.wire.NamedGroup.SECP256R1;
    public static final int GROUP_X25519 = org.proxyinfo.wire.NamedGroup.X25519;
    public static final int SCHEME_RSA_PKCS1_SHA256 = org.proxyinfo.wire.SignatureScheme.RSA_PKCS1_SHA256;
    public static final int SCHEME_ECDSA_SECP256R1_SHA256 = org.proxyinfo.wire.SignatureScheme.ECDSA_SECP256R1_SHA256;
    /** RFC5246-7.4.1.4.1 defaults ({sha1,rsa}, {sha1,ecdsa}) for a client without signature_algorithms. */
    public static final int SCHEME_RSA_PKCS1_SHA1 = org.proxyinfo.wire.SignatureScheme.RSA_PKCS1_SHA1;
    public static final int SCHEME_ECDSA_SHA1 = org.proxyinfo.wire.SignatureScheme.ECDSA_SHA1;
    public static final int SCHEME_RSA_PSS_RSAE_SHA256 = org.proxyinfo.wire.SignatureScheme.RSA_PSS_RSAE_SHA256;

    /** Which implementation serves a primitive. */
    public enum Provider { BC, JCA }

    /**
     * The per-primitive provider choice. {@link #MEASURED} is what the project uses; the others
     * exist so that the benchmark and the cross-provider tests can run both sides through the same
     * code paths.
     */
    public static final class Choices {
        public final Provider aesGcm;
        public final Provider x25519;
        public final Provider p256;
        public final Provider ecdsaVerify;
        public final Provider rsaSign;
        public final Provider rsaVerify;

        public Choices(Provider aesGcm, Provider x25519, Provider p256, Provider ecdsaVerify,
                       Provider rsaSign, Provider rsaVerify) {
            this.aesGcm = aesGcm;
            this.x25519 = x25519;
            this.p256 = p256;
            this.ecdsaVerify = ecdsaVerify;
            this.rsaSign = rsaSign;
            this.rsaVerify = rsaVerify;
        }

        /** Everything on Bouncy Castle's lightweight API. */
        public static final Choices ALL_BC = new Choices(Provider.BC, Provider.BC, Provider.BC,
                Provider.BC, Provider.BC, Provider.BC);
        /** Everything the JCA can do on the JDK providers (ECDSA signing stays BC, see class doc). */
        public static final Choices ALL_JCA = new Choices(Provider.JCA, Provider.JCA, Provider.JCA,
                Provider.JCA, Provider.JCA, Provider.JCA);
        /**
         * The measured winners (impl/CRYPTO.md, "Measurements"; rule: the JCA replaces BC only
         * where it was at least 2x faster in every run). AES-GCM: SunJCE (AES-NI/CLMUL intrinsics,
         * 11-48x faster on 16 KiB records). x25519, P-256 ECDHE, ECDSA verify: BC (3.7-17x faster
         * than SunEC). RSA-2048 sign/verify: no consistent winner within the noise (both are
         * BigInteger CRT), so BC. ECDSA signing is BC regardless (RFC 6979).
         */
        public static final Choices MEASURED = new Choices(Provider.JCA, Provider.BC, Provider.BC,
                Provider.BC, Provider.BC, Provider.BC);

        @Override
        public String toString() {
            return "aesGcm=" + aesGcm + " x25519=" + x25519 + " p256=" + p256
                    + " ecdsaVerify=" + ecdsaVerify + " rsaSign=" + rsaSign + " rsaVerify=" + rsaVerify;
        }
    }

    private static final X9ECParameters P256_X9 = CustomNamedCurves.getByName("secp256r1");
    private static final ECDomainParameters P256 = new ECDomainParameters(P256_X9);
    private static final BigInteger X25519_P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));

    private final SecureRandom random;
    private final Choices choices;
    private final KeyParamCache cache = new KeyParamCache();

    public BcTlsCrypto(SecureRandom random) {
        this(random, Choices.MEASURED);
    }

    public BcTlsCrypto(SecureRandom random, Choices choices) {
        if (random == null || choices == null) {
            throw new IllegalArgumentException("BcTlsCrypto needs a SecureRandom and provider choices");
        }
        this.random = random;
        this.choices = choices;
    }

    public Choices choices() { return choices; }

    /** The random source (the same object every primitive of this instance draws from). */
    public SecureRandom secureRandom() { return random; }

    // ------------------------------------------------------------------ random, hash, PRF

    @Override
    public byte[] random(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    @Override
    public byte[] hash(String algorithm, byte[] data) {
        Digest d = digest(algorithm);
        d.update(data, 0, data.length);
        byte[] out = new byte[d.getDigestSize()];
        d.doFinal(out, 0);
        return out;
    }

    @Override
    public RunningHash runningHash(String algorithm) {
        Digest running = digest(algorithm);
        return new RunningHash() {
            @Override
            public void update(byte[] b, int off, int len) {
                running.update(b, off, len);
            }

            @Override
            public byte[] digest() {
                Digest copy = (Digest) ((Memoable) running).copy(); // SHA256Digest, SHA384Digest: the state so far
                byte[] out = new byte[copy.getDigestSize()];
                copy.doFinal(out, 0);
                return out;
            }
        };
    }

    private static Digest digest(String algorithm) {
        switch (algorithm) {
            case "SHA-256": return new SHA256Digest();
            case "SHA-384": return new SHA384Digest();
            default: throw new IllegalArgumentException("unsupported hash " + algorithm
                    + " (TLS 1.2 AEAD suites use SHA-256 or SHA-384)");
        }
    }

    /**
     * RFC 5246 §5: PRF(secret, label, seed) = P_hash(secret, label + seed), where
     * P_hash(secret, seed) = HMAC_hash(secret, A(1) + seed) + HMAC_hash(secret, A(2) + seed) + ...,
     * A(0) = seed, A(i) = HMAC_hash(secret, A(i-1)); output truncated to length.
     */
    @Override
    public byte[] prf(String hashAlgorithm, byte[] secret, String label, byte[] seed, int length) {
        if (length < 0) {
            throw new IllegalArgumentException("PRF length must be non-negative");
        }
        byte[] labelBytes = label.getBytes(StandardCharsets.US_ASCII);
        byte[] labelSeed = new byte[labelBytes.length + seed.length];
        System.arraycopy(labelBytes, 0, labelSeed, 0, labelBytes.length);
        System.arraycopy(seed, 0, labelSeed, labelBytes.length, seed.length);

        HMac mac = new HMac(digest(hashAlgorithm));
        mac.init(new KeyParameter(secret));
        int h = mac.getMacSize();
        byte[] a = labelSeed;
        byte[] out = new byte[length];
        byte[] block = new byte[h];
        int off = 0;
        while (off < length) {
            // A(i) = HMAC(secret, A(i-1))
            mac.update(a, 0, a.length);
            byte[] next = new byte[h];
            mac.doFinal(next, 0);
            a = next;
            // HMAC(secret, A(i) + seed)
            mac.update(a, 0, a.length);
            mac.update(labelSeed, 0, labelSeed.length);
            mac.doFinal(block, 0);
            int n = Math.min(h, length - off);
            System.arraycopy(block, 0, out, off, n);
            off += n;
        }
        return out;
    }

    // ------------------------------------------------------------------ AES-GCM

    @Override
    public Aead aesGcm(byte[] key) {
        if (key == null || (key.length != 16 && key.length != 32)) {
            throw new IllegalArgumentException("AES-GCM key must be 16 or 32 bytes (RFC 5288)");
        }
        return choices.aesGcm == Provider.JCA ? new JcaGcm(key) : new BcGcm(key);
    }

    private static final int TAG = 16;

    private static TlsFatalAlert badRecordMac(Throwable cause) {
        // RFC 5246 §6.2.3.3: "If the decryption fails, a fatal bad_record_mac alert MUST be generated."
        return new TlsFatalAlert(AlertDescription.BAD_RECORD_MAC, "RFC5246-6.2.3.3",
                "AEAD record did not authenticate (tag mismatch or truncated ciphertext); the record"
                        + " was altered or keys differ", cause);
    }

    private static void checkNonce(byte[] nonce) {
        if (nonce == null || nonce.length != 12) {
            throw new IllegalArgumentException("AES-GCM nonce must be 12 bytes (RFC 5288 §3: salt[4] || explicit[8])");
        }
    }

    private static final class BcGcm implements Aead {
        private final KeyParameter key;
        private final GCMModeCipher cipher = GCMBlockCipher.newInstance(AESEngine.newInstance());

        BcGcm(byte[] key) { this.key = new KeyParameter(key.clone()); }

        @Override
        public byte[] seal(byte[] nonce, byte[] aad, byte[] plaintext) {
            checkNonce(nonce);
            try {
                cipher.init(true, new AEADParameters(key, TAG * 8, nonce, aad));
            } catch (IllegalArgumentException e) {
                // BC refuses to encrypt twice under one (key, nonce), as SunJCE does: a record-layer bug.
                throw new IllegalStateException("AES-GCM encryption refused: " + e.getMessage(), e);
            }
            byte[] out = new byte[cipher.getOutputSize(plaintext.length)];
            int n = cipher.processBytes(plaintext, 0, plaintext.length, out, 0);
            try {
                n += cipher.doFinal(out, n);
            } catch (InvalidCipherTextException e) {
                throw new IllegalStateException("AES-GCM encryption failed", e);
            }
            return n == out.length ? out : Arrays.copyOf(out, n);
        }

        @Override
        public byte[] open(byte[] nonce, byte[] aad, byte[] ciphertext) throws TlsFatalAlert {
            checkNonce(nonce);
            if (ciphertext.length < TAG) {
                throw badRecordMac(null);
            }
            cipher.init(false, new AEADParameters(key, TAG * 8, nonce, aad));
            byte[] out = new byte[cipher.getOutputSize(ciphertext.length)];
            int n = cipher.processBytes(ciphertext, 0, ciphertext.length, out, 0);
            try {
                n += cipher.doFinal(out, n);
            } catch (InvalidCipherTextException e) {
                throw badRecordMac(e);
            }
            return n == out.length ? out : Arrays.copyOf(out, n);
        }
    }

    private static final class JcaGcm implements Aead {
        private final SecretKeySpec key;
        private final Cipher enc;
        private final Cipher dec;

        JcaGcm(byte[] key) {
            this.key = new SecretKeySpec(key.clone(), "AES");
            try {
                this.enc = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
                this.dec = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("SunJCE AES/GCM/NoPadding unavailable", e);
            }
        }

        @Override
        public byte[] seal(byte[] nonce, byte[] aad, byte[] plaintext) {
            checkNonce(nonce);
            try {
                enc.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG * 8, nonce));
                enc.updateAAD(aad);
                return enc.doFinal(plaintext);
            } catch (GeneralSecurityException e) {
                // SunJCE refuses a repeated (key, nonce) pair for encryption; TLS never repeats one.
                throw new IllegalStateException("AES-GCM encryption failed: " + e.getMessage(), e);
            }
        }

        @Override
        public byte[] open(byte[] nonce, byte[] aad, byte[] ciphertext) throws TlsFatalAlert {
            checkNonce(nonce);
            if (ciphertext.length < TAG) {
                throw badRecordMac(null);
            }
            try {
                dec.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG * 8, nonce));
                dec.updateAAD(aad);
                return dec.doFinal(ciphertext);
            } catch (AEADBadTagException e) {
                throw badRecordMac(e);
            } catch (GeneralSecurityException e) {
                throw badRecordMac(e);
            }
        }

        /** In place / into a caller's buffer: no intermediate arrays (issue #14). */
        @Override
        public int seal(byte[] nonce, byte[] aad, byte[] in, int inOff, int len, byte[] out, int outOff) {
            checkNonce(nonce);
            try {
                enc.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG * 8, nonce));
                enc.updateAAD(aad);
                return enc.doFinal(in, inOff, len, out, outOff);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-GCM encryption failed: " + e.getMessage(), e);
            }
        }

        @Override
        public int open(byte[] nonce, byte[] aad, byte[] in, int inOff, int len, byte[] out, int outOff) throws TlsFatalAlert {
            checkNonce(nonce);
            if (len < TAG) {
                throw badRecordMac(null);
            }
            try {
                dec.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG * 8, nonce));
                dec.updateAAD(aad);
                return dec.doFinal(in, inOff, len, out, outOff);
            } catch (GeneralSecurityException e) {
                throw badRecordMac(e);
            }
        }
    }

    // ------------------------------------------------------------------ ECDHE key shares

    @Override
    public KeyShare generateKeyShare(int namedGroup) throws TlsFatalAlert {
        switch (namedGroup) {
            case GROUP_X25519:
                return choices.x25519 == Provider.JCA ? JcaX25519.generate(random) : BcX25519.generate(random);
            case GROUP_SECP256R1:
                return choices.p256 == Provider.JCA ? JcaP256.generate(random) : BcP256.generate(random);
            default:
                throw new TlsFatalAlert(AlertDescription.ILLEGAL_PARAMETER, "RFC8422-5.1.1",
                        "named group 0x" + Integer.toHexString(namedGroup)
                                + " is not supported (only x25519 0x001d and secp256r1 0x0017)");
        }
    }

    /**
     * A key share from a known private value, for known-answer tests and trace replay only
     * (x25519: the 32-byte scalar as in RFC 7748; secp256r1: the 32-byte big-endian scalar).
     */
    public KeyShare keyShareFromPrivate(int namedGroup, byte[] privateValue) throws TlsFatalAlert {
        switch (namedGroup) {
            case GROUP_X25519:
                if (privateValue.length != 32) {
                    throw new IllegalArgumentException("x25519 private value must be 32 bytes");
                }
                return new BcX25519(new X25519PrivateKeyParameters(privateValue, 0));
            case GROUP_SECP256R1: {
                BigInteger d = new BigInteger(1, privateValue);
                if (d.signum() == 0 || d.compareTo(P256.getN()) >= 0) {
                    throw new IllegalArgumentException("secp256r1 private value out of range");
                }
                ECPrivateKeyParameters priv = new ECPrivateKeyParameters(d, P256);
                ECPublicKeyParameters pub = new ECPublicKeyParameters(P256.getG().multiply(d).normalize(), P256);
                return new BcP256(priv, pub);
            }
            default:
                throw new TlsFatalAlert(AlertDescription.ILLEGAL_PARAMETER, "RFC8422-5.1.1",
                        "named group 0x" + Integer.toHexString(namedGroup) + " is not supported");
        }
    }

    private static TlsFatalAlert badPeerValue(String requirementId, String what) {
        return new TlsFatalAlert(AlertDescription.ILLEGAL_PARAMETER, requirementId, what);
    }

    private static byte[] checkX25519Peer(byte[] peer) throws TlsFatalAlert {
        if (peer == null || peer.length != 32) {
            throw badPeerValue("RFC8422-5.11", "x25519 public value must be 32 bytes, got "
                    + (peer == null ? 0 : peer.length));
        }
        return peer;
    }

    private static byte[] checkNotAllZero(byte[] shared) throws TlsFatalAlert {
        int acc = 0;
        for (byte b : shared) {
            acc |= b;
        }
        if (acc == 0) {
            // RFC 7748 §6.1: "check whether the result is all zeros ... and abort if so".
            throw badPeerValue("RFC7748-6.1", "x25519 shared secret is all zero: the peer sent a"
                    + " small-order public value");
        }
        return shared;
    }

    /** Decodes and validates an uncompressed P-256 point (RFC 8422 §5.11, §5.4.1). */
    private static org.bouncycastle.math.ec.ECPoint decodeP256Peer(byte[] peer) throws TlsFatalAlert {
        if (peer == null || peer.length != 65 || peer[0] != 0x04) {
            throw badPeerValue("RFC8422-5.11", "secp256r1 public value must be a 65-byte uncompressed"
                    + " point (0x04 || x || y), got " + (peer == null ? 0 : peer.length) + " bytes"
                    + (peer != null && peer.length > 0 ? " starting 0x" + Integer.toHexString(peer[0] & 0xff) : ""));
        }
        ECCurve curve = P256.getCurve();
        org.bouncycastle.math.ec.ECPoint q;
        try {
            q = curve.decodePoint(peer);
        } catch (RuntimeException e) {
            throw badPeerValue("RFC8422-5.11", "secp256r1 public value is not a point on the curve");
        }
        if (q.isInfinity() || !q.isValid()) {
            throw badPeerValue("RFC8422-5.11", "secp256r1 public value is not a valid curve point");
        }
        return q.normalize();
    }

    private static final class BcX25519 implements KeyShare {
        private final X25519PrivateKeyParameters priv;

        BcX25519(X25519PrivateKeyParameters priv) { this.priv = priv; }

        static KeyShare generate(SecureRandom random) {
            return new BcX25519(new X25519PrivateKeyParameters(random));
        }

        @Override public int namedGroup() { return GROUP_X25519; }
        @Override public byte[] publicValue() { return priv.generatePublicKey().getEncoded(); }
        @Override public byte[] privateValue() { return priv.getEncoded(); }

        @Override
        public byte[] agree(byte[] peerPublicValue) throws TlsFatalAlert {
            checkX25519Peer(peerPublicValue);
            X25519Agreement ka = new X25519Agreement();
            ka.init(priv);
            byte[] out = new byte[ka.getAgreementSize()];
            try {
                ka.calculateAgreement(new X25519PublicKeyParameters(peerPublicValue, 0), out, 0);
            } catch (IllegalStateException e) {
                // BC refuses an all-zero result itself.
                throw badPeerValue("RFC7748-6.1", "x25519 shared secret is all zero: the peer sent a"
                        + " small-order public value");
            }
            return checkNotAllZero(out);
        }
    }

    private static final class JcaX25519 implements KeyShare {
        private final XECPrivateKey priv;
        private final XECPublicKey pub;

        JcaX25519(KeyPair kp) {
            this.priv = (XECPrivateKey) kp.getPrivate();
            this.pub = (XECPublicKey) kp.getPublic();
        }

        static KeyShare generate(SecureRandom random) {
            try {
                KeyPairGenerator g = KeyPairGenerator.getInstance("XDH", "SunEC");
                g.initialize(NamedParameterSpec.X25519, random);
                return new JcaX25519(g.generateKeyPair());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("SunEC X25519 unavailable", e);
            }
        }

        @Override public int namedGroup() { return GROUP_X25519; }

        @Override
        public byte[] publicValue() {
            return littleEndian32(pub.getU());
        }

        @Override
        public byte[] privateValue() {
            return priv.getScalar().orElseThrow().clone();
        }

        @Override
        public byte[] agree(byte[] peerPublicValue) throws TlsFatalAlert {
            checkX25519Peer(peerPublicValue);
            // RFC 7748 §5: decodeUCoordinate masks the top bit; non-canonical values are reduced.
            byte[] be = new byte[32];
            for (int i = 0; i < 32; i++) {
                be[i] = peerPublicValue[31 - i];
            }
            be[0] &= 0x7f;
            BigInteger u = new BigInteger(1, be).mod(X25519_P);
            byte[] shared;
            try {
                KeyFactory kf = KeyFactory.getInstance("XDH", "SunEC");
                PublicKey peer = kf.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, u));
                KeyAgreement ka = KeyAgreement.getInstance("XDH", "SunEC");
                ka.init(priv);
                ka.doPhase(peer, true);
                shared = ka.generateSecret();
            } catch (GeneralSecurityException e) {
                // SunEC refuses small-order points ("Point has small order").
                throw badPeerValue("RFC7748-6.1", "x25519 agreement refused the peer value: " + e.getMessage());
            }
            return checkNotAllZero(shared);
        }

        private static byte[] littleEndian32(BigInteger v) {
            byte[] be = BigIntegers.asUnsignedByteArray(32, v);
            byte[] le = new byte[32];
            for (int i = 0; i < 32; i++) {
                le[i] = be[31 - i];
            }
            return le;
        }
    }

    private static final class BcP256 implements KeyShare {
        private final ECPrivateKeyParameters priv;
        private final ECPublicKeyParameters pub;

        BcP256(ECPrivateKeyParameters priv, ECPublicKeyParameters pub) {
            this.priv = priv;
            this.pub = pub;
        }

        static KeyShare generate(SecureRandom random) {
            ECKeyPairGenerator g = new ECKeyPairGenerator();
            g.init(new ECKeyGenerationParameters(P256, random));
            AsymmetricCipherKeyPair kp = g.generateKeyPair();
            return new BcP256((ECPrivateKeyParameters) kp.getPrivate(), (ECPublicKeyParameters) kp.getPublic());
        }

        @Override public int namedGroup() { return GROUP_SECP256R1; }
        @Override public byte[] publicValue() { return pub.getQ().getEncoded(false); }
        @Override public byte[] privateValue() { return BigIntegers.asUnsignedByteArray(32, priv.getD()); }

        @Override
        public byte[] agree(byte[] peerPublicValue) throws TlsFatalAlert {
            org.bouncycastle.math.ec.ECPoint q = decodeP256Peer(peerPublicValue);
            ECDHBasicAgreement ka = new ECDHBasicAgreement();
            ka.init(priv);
            BigInteger z;
            try {
                z = ka.calculateAgreement(new ECPublicKeyParameters(q, P256));
            } catch (RuntimeException e) {
                throw badPeerValue("RFC8422-5.11", "secp256r1 agreement failed: " + e.getMessage());
            }
            // RFC 8422 §5.10: the premaster secret is the x-coordinate, fixed length (32 bytes).
            return BigIntegers.asUnsignedByteArray(32, z);
        }
    }

    private static final class JcaP256 implements KeyShare {
        private final ECPrivateKey priv;
        private final ECPublicKey pub;

        JcaP256(KeyPair kp) {
            this.priv = (ECPrivateKey) kp.getPrivate();
            this.pub = (ECPublicKey) kp.getPublic();
        }

        static KeyShare generate(SecureRandom random) {
            try {
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC", "SunEC");
                g.initialize(new ECGenParameterSpec("secp256r1"), random);
                return new JcaP256(g.generateKeyPair());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("SunEC secp256r1 unavailable", e);
            }
        }

        @Override public int namedGroup() { return GROUP_SECP256R1; }

        @Override
        public byte[] publicValue() {
            ECPoint w = pub.getW();
            byte[] out = new byte[65];
            out[0] = 0x04;
            System.arraycopy(BigIntegers.asUnsignedByteArray(32, w.getAffineX()), 0, out, 1, 32);
            System.arraycopy(BigIntegers.asUnsignedByteArray(32, w.getAffineY()), 0, out, 33, 32);
            return out;
        }

        @Override
        public byte[] privateValue() { return BigIntegers.asUnsignedByteArray(32, priv.getS()); }

        @Override
        public byte[] agree(byte[] peerPublicValue) throws TlsFatalAlert {
            org.bouncycastle.math.ec.ECPoint q = decodeP256Peer(peerPublicValue);
            try {
                ECParameterSpec params = priv.getParams();
                ECPoint w = new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
                PublicKey peer = KeyFactory.getInstance("EC", "SunEC").generatePublic(new ECPublicKeySpec(w, params));
                KeyAgreement ka = KeyAgreement.getInstance("ECDH", "SunEC");
                ka.init(priv);
                ka.doPhase(peer, true);
                return ka.generateSecret();
            } catch (GeneralSecurityException e) {
                throw badPeerValue("RFC8422-5.11", "secp256r1 agreement refused the peer value: " + e.getMessage());
            }
        }
    }

    // ------------------------------------------------------------------ signatures

    private static TlsFatalAlert signFailure(String message, Throwable cause) {
        // The signer picks the scheme (RFC 5246 §7.4.1.4.1); a mismatch is our own configuration error.
        return new TlsFatalAlert(AlertDescription.INTERNAL_ERROR, "RFC5246-7.4.1.4.1", message, cause);
    }

    @Override
    public byte[] sign(PrivateKey key, int signatureScheme, byte[] data) throws TlsFatalAlert {
        if (key == null) {
            throw signFailure("no private key to sign with", null);
        }
        switch (signatureScheme) {
            case SCHEME_ECDSA_SECP256R1_SHA256: {
                if (!(key instanceof ECPrivateKey) && !"EC".equals(key.getAlgorithm())) {
                    throw signFailure("ecdsa_secp256r1_sha256 needs an EC private key, got " + key.getAlgorithm(), null);
                }
                // Always BC: RFC 6979 deterministic k (see class doc).
                ECPrivateKeyParameters p = (ECPrivateKeyParameters) bcPrivate(key);
                DSADigestSigner s = new DSADigestSigner(
                        new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest())), new SHA256Digest());
                s.init(true, p);
                s.update(data, 0, data.length);
                return s.generateSignature();
            }
            case SCHEME_RSA_PKCS1_SHA256:
            case SCHEME_RSA_PSS_RSAE_SHA256: {
                if (!(key instanceof RSAPrivateKey)) {
                    throw signFailure("scheme 0x" + Integer.toHexString(signatureScheme)
                            + " needs an RSA private key, got " + key.getAlgorithm(), null);
                }
                boolean pss = signatureScheme == SCHEME_RSA_PSS_RSAE_SHA256;
                try {
                    if (choices.rsaSign == Provider.JCA) {
                        Signature s = jcaRsaSignature(pss);
                        s.initSign(key, random);
                        s.update(data);
                        return s.sign();
                    }
                    RSAKeyParameters p = (RSAKeyParameters) bcPrivate(key);
                    if (pss) {
                        PSSSigner s = new PSSSigner(new RSABlindedEngine(), new SHA256Digest(), 32);
                        s.init(true, new ParametersWithRandom(p, random));
                        s.update(data, 0, data.length);
                        return s.generateSignature();
                    }
                    RSADigestSigner s = new RSADigestSigner(new SHA256Digest());
                    s.init(true, new ParametersWithRandom(p, random));
                    s.update(data, 0, data.length);
                    return s.generateSignature();
                } catch (GeneralSecurityException | CryptoException e) {
                    throw signFailure("RSA signing failed: " + e.getMessage(), e);
                }
            }
            case SCHEME_ECDSA_SHA1: {
                // RFC5246-7.4.1.4.1 default for a client without signature_algorithms; BC, RFC 6979 k.
                if (!(key instanceof ECPrivateKey) && !"EC".equals(key.getAlgorithm())) {
                    throw signFailure("ecdsa_sha1 needs an EC private key, got " + key.getAlgorithm(), null);
                }
                DSADigestSigner s = new DSADigestSigner(
                        new ECDSASigner(new HMacDSAKCalculator(new SHA1Digest())), new SHA1Digest());
                s.init(true, bcPrivate(key));
                s.update(data, 0, data.length);
                try {
                    return s.generateSignature();
                } catch (RuntimeException e) {
                    throw signFailure("ECDSA-SHA1 signing failed: " + e.getMessage(), e);
                }
            }
            case SCHEME_RSA_PKCS1_SHA1: {
                if (!(key instanceof RSAPrivateKey)) {
                    throw signFailure("rsa_pkcs1_sha1 needs an RSA private key, got " + key.getAlgorithm(), null);
                }
                RSADigestSigner s = new RSADigestSigner(new SHA1Digest());
                s.init(true, new ParametersWithRandom(bcPrivate(key), random));
                s.update(data, 0, data.length);
                try {
                    return s.generateSignature();
                } catch (CryptoException e) {
                    throw signFailure("RSA-SHA1 signing failed: " + e.getMessage(), e);
                }
            }
            default:
                throw signFailure("signature scheme 0x" + Integer.toHexString(signatureScheme)
                        + " is not supported for signing (0x0403, 0x0401, 0x0804, and 0x0203, 0x0201 as RFC 5246"
                        + " defaults, are)", null);
        }
    }

    private static Signature jcaRsaSignature(boolean pss) throws GeneralSecurityException {
        if (pss) {
            Signature s = Signature.getInstance("RSASSA-PSS", "SunRsaSign");
            // RFC 8446 §4.2.3: MGF1 with the same hash, salt length = hash length.
            s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
            return s;
        }
        return Signature.getInstance("SHA256withRSA", "SunRsaSign");
    }

    @Override
    public boolean verify(PublicKey key, int signatureScheme, byte[] data, byte[] signature) {
        if (key == null || data == null || signature == null) {
            return false;
        }
        try {
            switch (signatureScheme) {
                case SCHEME_ECDSA_SECP256R1_SHA256: {
                    if (!(key instanceof ECPublicKey)) {
                        return false;
                    }
                    if (choices.ecdsaVerify == Provider.JCA) {
                        Signature s = Signature.getInstance("SHA256withECDSA", "SunEC");
                        s.initVerify(key);
                        s.update(data);
                        return s.verify(signature);
                    }
                    AsymmetricKeyParameter p = bcPublic(key);
                    if (!(p instanceof ECPublicKeyParameters)) {
                        return false;
                    }
                    DSADigestSigner s = new DSADigestSigner(new ECDSASigner(), new SHA256Digest());
                    s.init(false, p);
                    s.update(data, 0, data.length);
                    return s.verifySignature(signature);
                }
                case SCHEME_RSA_PKCS1_SHA256:
                case SCHEME_RSA_PSS_RSAE_SHA256: {
                    if (!(key instanceof RSAPublicKey)) {
                        return false;
                    }
                    boolean pss = signatureScheme == SCHEME_RSA_PSS_RSAE_SHA256;
                    if (choices.rsaVerify == Provider.JCA) {
                        Signature s = jcaRsaSignature(pss);
                        s.initVerify(key);
                        s.update(data);
                        return s.verify(signature);
                    }
                    AsymmetricKeyParameter p = bcPublic(key);
                    if (!(p instanceof RSAKeyParameters)) {
                        return false;
                    }
                    if (pss) {
                        PSSSigner s = new PSSSigner(new RSABlindedEngine(), new SHA256Digest(), 32);
                        s.init(false, p);
                        s.update(data, 0, data.length);
                        return s.verifySignature(signature);
                    }
                    RSADigestSigner s = new RSADigestSigner(new SHA256Digest());
                    s.init(false, p);
                    s.update(data, 0, data.length);
                    return s.verifySignature(signature);
                }
                case SCHEME_ECDSA_SHA1: {
                    AsymmetricKeyParameter p = key instanceof ECPublicKey ? bcPublic(key) : null;
                    if (!(p instanceof ECPublicKeyParameters)) {
                        return false;
                    }
                    DSADigestSigner s = new DSADigestSigner(new ECDSASigner(), new SHA1Digest());
                    s.init(false, p);
                    s.update(data, 0, data.length);
                    return s.verifySignature(signature);
                }
                case SCHEME_RSA_PKCS1_SHA1: {
                    AsymmetricKeyParameter p = key instanceof RSAPublicKey ? bcPublic(key) : null;
                    if (!(p instanceof RSAKeyParameters)) {
                        return false;
                    }
                    RSADigestSigner s = new RSADigestSigner(new SHA1Digest());
                    s.init(false, p);
                    s.update(data, 0, data.length);
                    return s.verifySignature(signature);
                }
                default:
                    return false;
            }
        } catch (Exception e) {
            // TlsCrypto contract: a malformed signature or unusable key is simply "does not verify".
            return false;
        }
    }

    // ------------------------------------------------------------------ JCA key -> BC parameters

    private AsymmetricKeyParameter bcPrivate(java.security.Key key) throws TlsFatalAlert {
        AsymmetricKeyParameter p = cache.get(key);
        if (p != null) {
            return p;
        }
        try {
            p = onCustomCurve(PrivateKeyFactory.createKey(key.getEncoded()));
        } catch (Exception e) {
            throw signFailure("cannot use private key (" + key.getAlgorithm() + "): " + e.getMessage(), e);
        }
        cache.put(key, p);
        return p;
    }

    private AsymmetricKeyParameter bcPublic(PublicKey key) throws java.io.IOException {
        AsymmetricKeyParameter p = cache.get(key);
        if (p != null) {
            return p;
        }
        p = onCustomCurve(PublicKeyFactory.createKey(key.getEncoded()));
        cache.put(key, p);
        return p;
    }

    /** P-256 keys parsed from X.509/PKCS#8 use BC's generic curve; move them to the fast SecP256R1 one. */
    private static AsymmetricKeyParameter onCustomCurve(AsymmetricKeyParameter p) {
        if (p instanceof ECPrivateKeyParameters) {
            ECPrivateKeyParameters k = (ECPrivateKeyParameters) p;
            if (k.getParameters().getCurve().equals(P256.getCurve())) {
                return new ECPrivateKeyParameters(k.getD(), P256);
            }
        } else if (p instanceof ECPublicKeyParameters) {
            ECPublicKeyParameters k = (ECPublicKeyParameters) p;
            if (k.getParameters().getCurve().equals(P256.getCurve())) {
                return new ECPublicKeyParameters(P256.getCurve().decodePoint(k.getQ().getEncoded(false)), P256);
            }
        }
        return p;
    }

    /**
     * A two-entry identity cache of JCA key -> BC parameters: a server signs every handshake with
     * the same key object, a client verifies with a fresh one each time; re-parsing the encoding
     * costs more than a P-256 verify.
     */
    private static final class KeyParamCache {
        private java.security.Key k1;
        private AsymmetricKeyParameter p1;
        private java.security.Key k2;
        private AsymmetricKeyParameter p2;

        synchronized AsymmetricKeyParameter get(java.security.Key k) {
            if (k == k1) {
                return p1;
            }
            if (k == k2) {
                return p2;
            }
            return null;
        }

        synchronized void put(java.security.Key k, AsymmetricKeyParameter p) {
            k2 = k1;
            p2 = p1;
            k1 = k;
            p1 = p;
        }
    }
}
