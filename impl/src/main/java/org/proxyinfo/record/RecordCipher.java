package org.proxyinfo.record;

import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.crypto.TlsCrypto;
import org.proxyinfo.wire.CipherSuite;
import org.proxyinfo.wire.TlsFatalAlert;
import org.proxyinfo.wire.TlsWriter;

/**
 * AES-GCM record protection for one direction (RFC 5246 §6.2.3.3, RFC 5288 §3): nonce = 4-byte
 * salt (client/server_write_IV) || 8-byte explicit nonce (we send the sequence number), additional
 * data = seq_num || type || version || plaintext length. The sequence number starts at 0 after
 * each ChangeCipherSpec and increases by one per record (RFC5246-6.1).
 */
public final class RecordCipher {
    private final TlsCrypto.Aead aead;
    private final byte[] salt;
    private long sequenceNumber;

    public RecordCipher(TlsCrypto crypto, byte[] key, byte[] salt) {
        this.aead = crypto.aesGcm(key);
        this.salt = salt.clone();
    }

    public long sequenceNumber() {
        return sequenceNumber;
    }

    private void advance() throws TlsFatalAlert {
        if (sequenceNumber == -1L) {
            // RFC5246-6.1: sequence numbers MUST NOT wrap; we do not renegotiate (DEC-20), so close.
            throw new TlsFatalAlert(AlertDescription.INTERNAL_ERROR, "RFC5246-6.1", "record sequence number exhausted");
        }
        sequenceNumber++;
    }

    private static byte[] aad(long seq, int type, int version, int length) {
        return new TlsWriter().u16((int) (seq >>> 48)).u16((int) (seq >>> 32) & 0xffff).u16((int) (seq >>> 16) & 0xffff)
                .u16((int) seq & 0xffff).u8(type).u16(version).u16(length).toByteArray();
    }

    private byte[] nonce(byte[] explicit) {
        byte[] n = new byte[CipherSuite.GCM_FIXED_IV_LENGTH + CipherSuite.GCM_EXPLICIT_NONCE_LENGTH];
        System.arraycopy(salt, 0, n, 0, CipherSuite.GCM_FIXED_IV_LENGTH);
        System.arraycopy(explicit, 0, n, CipherSuite.GCM_FIXED_IV_LENGTH, CipherSuite.GCM_EXPLICIT_NONCE_LENGTH);
        return n;
    }

    /** GenericAEADCipher fragment: explicit nonce || ciphertext || tag. */
    public byte[] seal(int type, int version, byte[] plaintext) throws TlsFatalAlert {
        byte[][] parts = sealParts(type, version, plaintext);
        byte[] out = new byte[parts[0].length + parts[1].length];
        System.arraycopy(parts[0], 0, out, 0, parts[0].length);
        System.arraycopy(parts[1], 0, out, parts[0].length, parts[1].length);
        return out;
    }

    /**
     * The same fragment as {@link #seal} in its two parts, {explicit nonce, ciphertext || tag}, so the
     * record layer can write them without joining them first (one copy less per record, issue #7).
     */
    public byte[][] sealParts(int type, int version, byte[] plaintext) throws TlsFatalAlert {
        long seq = sequenceNumber;
        byte[] explicit = new byte[CipherSuite.GCM_EXPLICIT_NONCE_LENGTH];
        for (int i = 0; i < 8; i++) {
            explicit[i] = (byte) (seq >>> (56 - 8 * i));
        }
        byte[] ct = aead.seal(nonce(explicit), aad(seq, type, version, plaintext.length), plaintext);
        advance();
        return new byte[][] {explicit, ct};
    }

    /** Opens a GenericAEADCipher fragment; a short fragment or a bad tag is bad_record_mac (RFC5246-6.2.3.3). */
    public byte[] open(int type, int version, byte[] fragment) throws TlsFatalAlert {
        byte[] copy = fragment.clone();
        int n = openInPlace(type, version, copy, 0, copy.length);
        byte[] pt = new byte[n];
        System.arraycopy(copy, CipherSuite.GCM_EXPLICIT_NONCE_LENGTH, pt, 0, n);
        return pt;
    }

    // ---- the record path without per-record arrays (issue #14) --------------------------------

    private final byte[] nonceScratch = new byte[CipherSuite.GCM_FIXED_IV_LENGTH + CipherSuite.GCM_EXPLICIT_NONCE_LENGTH];
    private final byte[] aadScratch = new byte[13];

    private byte[] nonceFor(byte[] buf, int explicitOff) {
        System.arraycopy(salt, 0, nonceScratch, 0, CipherSuite.GCM_FIXED_IV_LENGTH);
        System.arraycopy(buf, explicitOff, nonceScratch, CipherSuite.GCM_FIXED_IV_LENGTH, CipherSuite.GCM_EXPLICIT_NONCE_LENGTH);
        return nonceScratch;
    }

    private byte[] aadFor(long seq, int type, int version, int length) {
        byte[] a = aadScratch;
        for (int i = 0; i < 8; i++) {
            a[i] = (byte) (seq >>> (56 - 8 * i));
        }
        a[8] = (byte) type;
        a[9] = (byte) (version >>> 8);
        a[10] = (byte) version;
        a[11] = (byte) (length >>> 8);
        a[12] = (byte) length;
        return a;
    }

    /** Bytes a sealed fragment adds to its plaintext: explicit nonce and tag. */
    public static int overhead() {
        return CipherSuite.GCM_EXPLICIT_NONCE_LENGTH + CipherSuite.GCM_TAG_LENGTH;
    }

    /**
     * Seals {@code in[inOff .. inOff+len)} into {@code out} at {@code outOff} as a GenericAEADCipher
     * fragment (explicit nonce || ciphertext || tag) without intermediate arrays; returns its length.
     */
    public int seal(int type, int version, byte[] in, int inOff, int len, byte[] out, int outOff) throws TlsFatalAlert {
        long seq = sequenceNumber;
        for (int i = 0; i < 8; i++) {
            out[outOff + i] = (byte) (seq >>> (56 - 8 * i));
        }
        int n = aead.seal(nonceFor(out, outOff), aadFor(seq, type, version, len), in, inOff, len,
                out, outOff + CipherSuite.GCM_EXPLICIT_NONCE_LENGTH);
        advance();
        return CipherSuite.GCM_EXPLICIT_NONCE_LENGTH + n;
    }

    /**
     * Opens the GenericAEADCipher fragment {@code buf[off .. off+len)} in place: the plaintext is
     * left at {@code off + 8}; returns its length. A short fragment or a bad tag is bad_record_mac
     * (RFC5246-6.2.3.3).
     */
    public int openInPlace(int type, int version, byte[] buf, int off, int len) throws TlsFatalAlert {
        int overhead = overhead();
        if (len < overhead) {
            throw new TlsFatalAlert(AlertDescription.BAD_RECORD_MAC, "RFC5246-6.2.3.3",
                    "encrypted record of " + len + " bytes is shorter than nonce and tag (" + overhead + ")");
        }
        int ctOff = off + CipherSuite.GCM_EXPLICIT_NONCE_LENGTH;
        int ctLen = len - CipherSuite.GCM_EXPLICIT_NONCE_LENGTH;
        int n = aead.open(nonceFor(buf, off), aadFor(sequenceNumber, type, version, ctLen - CipherSuite.GCM_TAG_LENGTH),
                buf, ctOff, ctLen, buf, ctOff);
        advance();
        return n;
    }
}
