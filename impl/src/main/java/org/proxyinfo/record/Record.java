package org.proxyinfo.record;

/** One received record after decryption: content type, record version, plaintext fragment. */
public final class Record {
    public final int type;
    public final int version;
    public final byte[] fragment;
    /** Bytes of the record as they came off the wire (header + possibly encrypted fragment). */
    public final int wireLength;

    public Record(int type, int version, byte[] fragment, int wireLength) {
        this.type = type;
        this.version = version;
        this.fragment = fragment;
        this.wireLength = wireLength;
    }
}
