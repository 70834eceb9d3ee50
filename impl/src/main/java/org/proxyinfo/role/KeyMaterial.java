package org.proxyinfo.role;

import org.proxyinfo.crypto.KeySchedule;
import org.proxyinfo.crypto.TlsCrypto;
import org.proxyinfo.wire.CipherSuite;

/**
 * The role's view of the key schedule (crypto package {@link KeySchedule}): master secret with
 * or without extended_master_secret (RFC7627-4, RFC5246-8.1), the AES-GCM key block
 * (RFC5246-6.3, RFC5288-3) and Finished verify_data (RFC5246-7.4.9), for the negotiated suite.
 */
final class KeyMaterial {
    private KeyMaterial() { }

    static byte[] masterSecret(TlsCrypto c, int suite, byte[] pms, boolean ems, byte[] sessionHash,
                               byte[] clientRandom, byte[] serverRandom) {
        KeySchedule ks = new KeySchedule(c, CipherSuite.prfHash(suite));
        return ems ? ks.extendedMasterSecret(pms, sessionHash) : ks.masterSecret(pms, clientRandom, serverRandom);
    }

    /** {client_write_key, server_write_key, client_write_IV, server_write_IV}. */
    static byte[][] keyBlock(TlsCrypto c, int suite, byte[] master, byte[] clientRandom, byte[] serverRandom) {
        KeySchedule.GcmKeys k = new KeySchedule(c, CipherSuite.prfHash(suite))
                .gcmKeys(master, clientRandom, serverRandom, CipherSuite.keyLength(suite));
        return new byte[][] {k.clientWriteKey(), k.serverWriteKey(), k.clientWriteIv(), k.serverWriteIv()};
    }

    static byte[] verifyData(TlsCrypto c, int suite, byte[] master, boolean client, byte[] transcriptHash) {
        return new KeySchedule(c, CipherSuite.prfHash(suite)).verifyData(master, client, transcriptHash);
    }
}
