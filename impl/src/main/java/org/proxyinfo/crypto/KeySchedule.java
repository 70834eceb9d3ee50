package org.proxyinfo.crypto;

import java.util.Arrays;

/**
 * The TLS 1.2 key schedule for the project's AEAD suites, straight from the RFC formulas, on a
 * {@link TlsCrypto}'s PRF:
 * <ul>
 * <li>master_secret = PRF(pre_master_secret, "master secret", ClientHello.random +
 *     ServerHello.random)[0..47] (RFC 5246 §8.1);</li>
 * <li>extended master_secret = PRF(pre_master_secret, "extended master secret",
 *     session_hash)[0..47] (RFC 7627 §4), session_hash = Hash(handshake messages up to and
 *     including ClientKeyExchange);</li>
 * <li>key_block = PRF(master_secret, "key expansion", server_random + client_random)
 *     (RFC 5246 §6.3), split for AEAD suites (no MAC keys) into client_write_key,
 *     server_write_key, client_write_IV, server_write_IV with the 4-byte implicit IVs ("salt")
 *     of RFC 5288 §3;</li>
 * <li>verify_data = PRF(master_secret, finished_label, Hash(handshake_messages))[0..11]
 *     (RFC 5246 §7.4.9), finished_label "client finished" / "server finished".</li>
 * </ul>
 * The PRF hash is the suite's: SHA-256 for the *_SHA256 suites, SHA-384 for *_SHA384.
 */
public final class KeySchedule {

    public static final int MASTER_SECRET_LENGTH = 48;
    public static final int VERIFY_DATA_LENGTH = 12;
    /** RFC 5288 §3: the implicit part of the GCM nonce ("salt"). */
    public static final int GCM_FIXED_IV_LENGTH = 4;
    /** RFC 5288 §3: the explicit part sent in each record. */
    public static final int GCM_RECORD_IV_LENGTH = 8;

    public static final String LABEL_MASTER_SECRET = "master secret";
    public static final String LABEL_EXTENDED_MASTER_SECRET = "extended master secret";
    public static final String LABEL_KEY_EXPANSION = "key expansion";
    public static final String LABEL_CLIENT_FINISHED = "client finished";
    public static final String LABEL_SERVER_FINISHED = "server finished";

    private final TlsCrypto crypto;
    private final String prfHash;

    /** prfHash: "SHA-256" or "SHA-384", the cipher suite's PRF hash. */
    public KeySchedule(TlsCrypto crypto, String prfHash) {
        if (!"SHA-256".equals(prfHash) && !"SHA-384".equals(prfHash)) {
            throw new IllegalArgumentException("PRF hash must be SHA-256 or SHA-384, got " + prfHash);
        }
        this.crypto = crypto;
        this.prfHash = prfHash;
    }

    public String prfHash() { return prfHash; }

    /** Hash of the handshake messages with the PRF hash (session_hash, Finished input). */
    public byte[] transcriptHash(byte[] handshakeMessages) {
        return crypto.hash(prfHash, handshakeMessages);
    }

    /** RFC 5246 §8.1. */
    public byte[] masterSecret(byte[] preMasterSecret, byte[] clientRandom, byte[] serverRandom) {
        checkRandom("client_random", clientRandom);
        checkRandom("server_random", serverRandom);
        return crypto.prf(prfHash, preMasterSecret, LABEL_MASTER_SECRET,
                concat(clientRandom, serverRandom), MASTER_SECRET_LENGTH);
    }

    /** RFC 7627 §4: the session hash replaces the randoms. */
    public byte[] extendedMasterSecret(byte[] preMasterSecret, byte[] sessionHash) {
        if (sessionHash == null || sessionHash.length == 0) {
            throw new IllegalArgumentException("extended master secret needs the session_hash");
        }
        return crypto.prf(prfHash, preMasterSecret, LABEL_EXTENDED_MASTER_SECRET, sessionHash,
                MASTER_SECRET_LENGTH);
    }

    /** RFC 5246 §6.3: note the seed order, server_random first. */
    public byte[] keyBlock(byte[] masterSecret, byte[] clientRandom, byte[] serverRandom, int length) {
        checkMaster(masterSecret);
        checkRandom("client_random", clientRandom);
        checkRandom("server_random", serverRandom);
        return crypto.prf(prfHash, masterSecret, LABEL_KEY_EXPANSION,
                concat(serverRandom, clientRandom), length);
    }

    /**
     * The AES-GCM connection keys (RFC 5246 §6.3 with mac_key_length = 0, RFC 5288 §3:
     * fixed_iv_length = 4). keyLength: 16 (AES-128-GCM) or 32 (AES-256-GCM).
     */
    public GcmKeys gcmKeys(byte[] masterSecret, byte[] clientRandom, byte[] serverRandom, int keyLength) {
        if (keyLength != 16 && keyLength != 32) {
            throw new IllegalArgumentException("AES-GCM key length must be 16 or 32");
        }
        byte[] kb = keyBlock(masterSecret, clientRandom, serverRandom,
                2 * keyLength + 2 * GCM_FIXED_IV_LENGTH);
        int o = 0;
        byte[] cwk = Arrays.copyOfRange(kb, o, o += keyLength);
        byte[] swk = Arrays.copyOfRange(kb, o, o += keyLength);
        byte[] civ = Arrays.copyOfRange(kb, o, o += GCM_FIXED_IV_LENGTH);
        byte[] siv = Arrays.copyOfRange(kb, o, o + GCM_FIXED_IV_LENGTH);
        return new GcmKeys(cwk, swk, civ, siv);
    }

    /** RFC 5246 §7.4.9: verify_data for the client's (client=true) or the server's Finished. */
    public byte[] verifyData(byte[] masterSecret, boolean client, byte[] handshakeHash) {
        checkMaster(masterSecret);
        return crypto.prf(prfHash, masterSecret, client ? LABEL_CLIENT_FINISHED : LABEL_SERVER_FINISHED,
                handshakeHash, VERIFY_DATA_LENGTH);
    }

    /** Constant-time comparison for received verify_data (RFC 5246 §7.4.9: mismatch is decrypt_error). */
    public static boolean verifyDataEquals(byte[] expected, byte[] received) {
        return received != null && java.security.MessageDigest.isEqual(expected, received);
    }

    /** The 12-byte GCM nonce of a record: salt (implicit IV) || nonce_explicit (RFC 5288 §3). */
    public static byte[] gcmNonce(byte[] fixedIv, byte[] explicitNonce) {
        if (fixedIv.length != GCM_FIXED_IV_LENGTH || explicitNonce.length != GCM_RECORD_IV_LENGTH) {
            throw new IllegalArgumentException("GCM nonce = 4-byte salt || 8-byte explicit nonce");
        }
        return concat(fixedIv, explicitNonce);
    }

    /** Connection keys of an AES-GCM suite. */
    public static final class GcmKeys {
        private final byte[] clientWriteKey;
        private final byte[] serverWriteKey;
        private final byte[] clientWriteIv;
        private final byte[] serverWriteIv;

        public GcmKeys(byte[] clientWriteKey, byte[] serverWriteKey, byte[] clientWriteIv, byte[] serverWriteIv) {
            this.clientWriteKey = clientWriteKey;
            this.serverWriteKey = serverWriteKey;
            this.clientWriteIv = clientWriteIv;
            this.serverWriteIv = serverWriteIv;
        }

        public byte[] clientWriteKey() { return clientWriteKey.clone(); }
        public byte[] serverWriteKey() { return serverWriteKey.clone(); }
        /** 4-byte implicit IV (salt) for records the client writes. */
        public byte[] clientWriteIv() { return clientWriteIv.clone(); }
        /** 4-byte implicit IV (salt) for records the server writes. */
        public byte[] serverWriteIv() { return serverWriteIv.clone(); }
    }

    private static void checkRandom(String name, byte[] r) {
        if (r == null || r.length != 32) {
            throw new IllegalArgumentException(name + " must be 32 bytes (RFC 5246 §7.4.1.2)");
        }
    }

    private static void checkMaster(byte[] m) {
        if (m == null || m.length != MASTER_SECRET_LENGTH) {
            throw new IllegalArgumentException("master_secret must be 48 bytes (RFC 5246 §8.1)");
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
