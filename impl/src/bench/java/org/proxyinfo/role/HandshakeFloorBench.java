package org.proxyinfo.role;

import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.crypto.TlsCrypto;
import org.proxyinfo.wire.NamedGroup;
import org.proxyinfo.wire.SignatureScheme;

/**
 * The floor of {@link HandshakeBench}: the public-key work of one ECDHE_ECDSA/x25519 handshake alone,
 * through our BcTlsCrypto: two x25519 key pairs and two agreements, one ECDSA P-256 sign
 * (ServerKeyExchange), one ECDSA verify for it and two for the chain (leaf by intermediate,
 * intermediate by root). No handshake can be faster than this on one core.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HandshakeFloorBench {

    /** The public-key operations of one handshake, alone (the floor). */
    @State(Scope.Thread)
    public static class Floor {
        TlsCrypto crypto;
        byte[] signed = new byte[32 + 32 + 36];
        byte[] signature;
        byte[] leafTbs;
        byte[] leafSig;
        byte[] interTbs;
        byte[] interSig;
        java.security.PublicKey interKey;
        java.security.PublicKey rootKey;

        @Setup
        public void setup() throws Exception {
            crypto = new BcTlsCrypto(new SecureRandom());
            new SecureRandom().nextBytes(signed);
            signature = crypto.sign(TestCredentials.EC.privateKey, SignatureScheme.ECDSA_SECP256R1_SHA256, signed);
            java.security.cert.X509Certificate leaf = TestCredentials.EC.chain.get(0);
            java.security.cert.X509Certificate inter = TestCredentials.EC.chain.get(1);
            leafTbs = leaf.getTBSCertificate();
            leafSig = leaf.getSignature();
            interTbs = inter.getTBSCertificate();
            interSig = inter.getSignature();
            interKey = inter.getPublicKey();
            rootKey = TestCredentials.CA.getPublicKey();
        }
    }

    @Benchmark
    public boolean publicKeyFloor(Floor f) throws Exception {
        TlsCrypto.KeyShare server = f.crypto.generateKeyShare(NamedGroup.X25519);
        byte[] sig = f.crypto.sign(TestCredentials.EC.privateKey, SignatureScheme.ECDSA_SECP256R1_SHA256, f.signed);
        boolean ok = f.crypto.verify(TestCredentials.EC.chain.get(0).getPublicKey(), SignatureScheme.ECDSA_SECP256R1_SHA256, f.signed, sig);
        ok &= f.crypto.verify(f.interKey, SignatureScheme.ECDSA_SECP256R1_SHA256, f.leafTbs, f.leafSig);
        ok &= f.crypto.verify(f.rootKey, SignatureScheme.ECDSA_SECP256R1_SHA256, f.interTbs, f.interSig);
        TlsCrypto.KeyShare client = f.crypto.generateKeyShare(NamedGroup.X25519);
        byte[] a = client.agree(server.publicValue());
        byte[] b = server.agree(client.publicValue());
        return ok && a[0] == b[0];
    }
}
