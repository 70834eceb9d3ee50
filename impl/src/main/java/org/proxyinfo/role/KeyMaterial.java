package org.proxyinfo.role;

import org.proxyinfo.crypto.TlsCrypto;
import org.proxyinfo.wire.CipherSuite;
import org.proxyinfo.wire.Finished;

/**
 * RFC 5246 §6.3, §7.4.9, §8.1 and RFC 7627 §4 key derivations, as calls on the TlsCrypto PRF.
 * master_secret = PRF(pre_master_secret, "extended master secret", session_hash)[0..47] with EMS,
 * or PRF(pre_master_secret, "master secret", client_random + server_random)[0..47] without.
 */
final class KeyMaterial {
    private KeyMaterial() { }

    static byte[] masterSecret(TlsCrypto c, int suite, byte[] pms, boolean ems, byte[] sessionHash,
                               byte[] clientRandom, byte[] serverRandom) {
        String h = CipherSuite.prfHash(suite);
        if (ems) {
            return c.prf(h, pms, "extended master secret", sessionHash, 48); // RFC7627-4
        }
        return c.prf(h, pms, "master secret", concat(clientRandom, serverRandom), 48); // RFC5246-8.1
    }

    /** RFC5246-6.3 key block for AEAD suites: client_write_key, server_write_key, client_write_IV, server_write_IV. */
    static byte[][] keyBlock(TlsCrypto c, int suite, byte[] master, byte[] clientRandom, byte[] serverRandom) {
        int k = CipherSuite.keyLength(suite);
        int iv = CipherSuite.GCM_FIXED_IV_LENGTH;
        byte[] block = c.prf(CipherSuite.prfHash(suite), master, "key expansion", concat(serverRandom, clientRandom), 2 * k + 2 * iv);
        byte[][] out = new byte[4][];
        out[0] = slice(block, 0, k);
        out[1] = slice(block, k, k);
        out[2] = slice(block, 2 * k, iv);
        out[3] = slice(block, 2 * k + iv, iv);
        return out;
    }

    /** RFC5246-7.4.9 verify_data = PRF(master_secret, finished_label, Hash(handshake_messages))[0..11]. */
    static byte[] verifyData(TlsCrypto c, int suite, byte[] master, boolean client, byte[] transcriptHash) {
        return c.prf(CipherSuite.prfHash(suite), master, client ? "client finished" : "server finished", transcriptHash,
                Finished.VERIFY_DATA_LENGTH);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] o = new byte[a.length + b.length];
        System.arraycopy(a, 0, o, 0, a.length);
        System.arraycopy(b, 0, o, a.length, b.length);
        return o;
    }

    private static byte[] slice(byte[] b, int off, int len) {
        byte[] o = new byte[len];
        System.arraycopy(b, off, o, 0, len);
        return o;
    }
}
