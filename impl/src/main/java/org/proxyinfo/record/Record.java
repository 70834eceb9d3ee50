package org.proxyinfo.record;

/**
 * One received record after decryption: content type, record version, and a view of the plaintext
 * fragment {@code data[offset .. offset+length)} inside the record layer's read buffer. The view is
 * valid until the next {@link RecordLayer#read()} (no copy per record, issue #14); {@link #fragment()}
 * copies it for callers that keep it.
 */
public final class Record {
    public final int type;
    public final int version;
    public final byte[] data;
    public final int offset;
    public final int length;
    /** Bytes of the record as they came off the wire (header + possibly encrypted fragment). */
    public final int wireLength;

    public Record(int type, int version, byte[] data, int offset, int length, int wireLength) {
        this.type = type;
        this.version = version;
        this.data = data;
        this.offset = offset;
        this.length = length;
        this.wireLength = wireLength;
    }

    public Record(int type, int version, byte[] fragment, int wireLength) {
        this(type, version, fragment, 0, fragment.length, wireLength);
    }

    /** A copy of the plaintext fragment. */
    public byte[] fragment() {
        return java.util.Arrays.copyOfRange(data, offset, offset + length);
    }

    /** Byte {@code i} of the fragment. */
    public int byteAt(int i) {
        return data[offset + i] & 0xff;
    }
}
