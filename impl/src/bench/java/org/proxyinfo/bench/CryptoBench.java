package org.proxyinfo.bench;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.crypto.TlsCrypto;

/**
 * Bouncy Castle lightweight API vs the JCA (SunJCE / SunEC / SunRsaSign), per primitive, through
 * {@link BcTlsCrypto}'s own code paths (so conversions and validation are included). The results
 * decide {@code BcTlsCrypto.Choices.MEASURED}; numbers and command are in impl/CRYPTO.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CryptoBench {

    @Param({"BC", "JCA"})
    public String provider;

    private BcTlsCrypto crypto;
    private TlsCrypto.Aead aead128;
    private TlsCrypto.Aead aead256;
    private byte[] record = new byte[16384];
    private final byte[] inPlace = new byte[16384 + 16];
    private byte[] aad = new byte[13];
    private byte[] nonce = new byte[12];
    private long seq;
    private byte[] sealed128;
    private byte[] sealed256;
    private byte[] peerX25519;
    private byte[] peerP256;
    private KeyPair ec;
    private KeyPair rsa;
    private byte[] toSign = new byte[32 + 32 + 100]; // ServerKeyExchange-sized input
    private byte[] ecdsaSig;
    private byte[] rsaPkcs1Sig;
    private byte[] rsaPssSig;

    @Setup
    public void setup() throws Exception {
        BcTlsCrypto.Choices c = "BC".equals(provider) ? BcTlsCrypto.Choices.ALL_BC : BcTlsCrypto.Choices.ALL_JCA;
        crypto = new BcTlsCrypto(new SecureRandom(), c);
        SecureRandom r = new SecureRandom();
        r.nextBytes(record);
        r.nextBytes(aad);
        r.nextBytes(toSign);
        aead128 = crypto.aesGcm(crypto.random(16));
        aead256 = crypto.aesGcm(crypto.random(32));
        sealed128 = aead128.seal(nonce, aad, record);
        sealed256 = aead256.seal(nonce, aad, record);
        seq = 1;
        peerX25519 = crypto.generateKeyShare(BcTlsCrypto.GROUP_X25519).publicValue();
        peerP256 = crypto.generateKeyShare(BcTlsCrypto.GROUP_SECP256R1).publicValue();
        KeyPairGenerator eg = KeyPairGenerator.getInstance("EC");
        eg.initialize(new ECGenParameterSpec("secp256r1"));
        ec = eg.generateKeyPair();
        KeyPairGenerator rg = KeyPairGenerator.getInstance("RSA");
        rg.initialize(2048);
        rsa = rg.generateKeyPair();
        ecdsaSig = crypto.sign(ec.getPrivate(), BcTlsCrypto.SCHEME_ECDSA_SECP256R1_SHA256, toSign);
        rsaPkcs1Sig = crypto.sign(rsa.getPrivate(), BcTlsCrypto.SCHEME_RSA_PKCS1_SHA256, toSign);
        rsaPssSig = crypto.sign(rsa.getPrivate(), BcTlsCrypto.SCHEME_RSA_PSS_RSAE_SHA256, toSign);
    }

    /** A fresh nonce per seal: SunJCE (correctly) refuses to encrypt twice under one (key, nonce). */
    private byte[] nextNonce() {
        long s = seq++;
        byte[] n = nonce.clone();
        for (int i = 0; i < 8; i++) {
            n[11 - i] = (byte) (s >>> (8 * i));
        }
        return n;
    }

    @Benchmark
    public byte[] aes128GcmSeal16k() {
        return aead128.seal(nextNonce(), aad, record);
    }

    @Benchmark
    public byte[] aes128GcmOpen16k() throws Exception {
        return aead128.open(nonce, aad, sealed128);
    }

    /**
     * One record's AEAD work in the record layer's way (issue #14: the relay does this once more per record): sealed
     * into a buffer and opened in place there, through the in-place {@code Aead} methods, no arrays.
     */
    @Benchmark
    public int aes128GcmSealOpen16kInPlace() throws Exception {
        byte[] n = nextNonce();
        int sealedLength = aead128.seal(n, aad, record, 0, record.length, inPlace, 0);
        return aead128.open(n, aad, inPlace, 0, sealedLength, inPlace, 0);
    }

    @Benchmark
    public byte[] aes256GcmSeal16k() {
        return aead256.seal(nextNonce(), aad, record);
    }

    @Benchmark
    public byte[] aes256GcmOpen16k() throws Exception {
        return aead256.open(nonce, aad, sealed256);
    }

    @Benchmark
    public byte[] x25519KeygenAgree() throws Exception {
        TlsCrypto.KeyShare k = crypto.generateKeyShare(BcTlsCrypto.GROUP_X25519);
        k.publicValue();
        return k.agree(peerX25519);
    }

    @Benchmark
    public byte[] p256KeygenAgree() throws Exception {
        TlsCrypto.KeyShare k = crypto.generateKeyShare(BcTlsCrypto.GROUP_SECP256R1);
        k.publicValue();
        return k.agree(peerP256);
    }

    /** BC: RFC 6979 deterministic k via BcTlsCrypto; JCA: SunEC SHA256withECDSA (random k), for reference. */
    @Benchmark
    public byte[] ecdsaP256Sign() throws Exception {
        if ("BC".equals(provider)) {
            return crypto.sign(ec.getPrivate(), BcTlsCrypto.SCHEME_ECDSA_SECP256R1_SHA256, toSign);
        }
        Signature s = Signature.getInstance("SHA256withECDSA", "SunEC");
        s.initSign(ec.getPrivate());
        s.update(toSign);
        return s.sign();
    }

    @Benchmark
    public boolean ecdsaP256Verify() {
        return crypto.verify(ec.getPublic(), BcTlsCrypto.SCHEME_ECDSA_SECP256R1_SHA256, toSign, ecdsaSig);
    }

    @Benchmark
    public byte[] rsa2048Pkcs1Sign() throws Exception {
        return crypto.sign(rsa.getPrivate(), BcTlsCrypto.SCHEME_RSA_PKCS1_SHA256, toSign);
    }

    @Benchmark
    public byte[] rsa2048PssSign() throws Exception {
        return crypto.sign(rsa.getPrivate(), BcTlsCrypto.SCHEME_RSA_PSS_RSAE_SHA256, toSign);
    }

    @Benchmark
    public boolean rsa2048Pkcs1Verify() {
        return crypto.verify(rsa.getPublic(), BcTlsCrypto.SCHEME_RSA_PKCS1_SHA256, toSign, rsaPkcs1Sig);
    }

    @Benchmark
    public boolean rsa2048PssVerify() {
        return crypto.verify(rsa.getPublic(), BcTlsCrypto.SCHEME_RSA_PSS_RSAE_SHA256, toSign, rsaPssSig);
    }
}
