package org.proxyinfo.proxyinfo;

import org.proxyinfo.wire.TlsFatalAlert;
import org.proxyinfo.wire.TlsReader;
import org.proxyinfo.wire.TlsWriter;

/**
 * draft-01 §3.1 {@code ConnectionSecurityParameters} (DEC-1): what the proxy negotiated on the
 * upstream session. On the wire: {@code ProtocolVersion tls_version} (uint16),
 * {@code CipherSuite cipher_suite} (uint8[2]), {@code CompressionMethod compression_method}
 * (uint8) — 5 bytes. Values are carried as received; whether they are good enough is the
 * client's policy (DEC-11), not the codec's.
 *
 * @param tlsVersion        e.g. 0x0303 for TLS 1.2
 * @param cipherSuite       the two bytes of the CipherSuite as one 16-bit value, e.g. 0xC02B
 * @param compressionMethod 0 = null
 */
public record ConnectionSecurityParameters(int tlsVersion, int cipherSuite, int compressionMethod) {

    public static final int ENCODED_LENGTH = 5;

    public ConnectionSecurityParameters {
        if (tlsVersion < 0 || tlsVersion > 0xFFFF || cipherSuite < 0 || cipherSuite > 0xFFFF
                || compressionMethod < 0 || compressionMethod > 0xFF) {
            throw new IllegalArgumentException("ConnectionSecurityParameters out of range: " + hex(tlsVersion)
                    + ", " + hex(cipherSuite) + ", " + compressionMethod);
        }
    }

    void encode(TlsWriter w) {
        w.u16(tlsVersion).u8(cipherSuite >>> 8).u8(cipherSuite & 0xFF).u8(compressionMethod);
    }

    static ConnectionSecurityParameters decode(TlsReader r) throws TlsFatalAlert {
        int version = r.u16("connection_parameters.tls_version");
        int cs0 = r.u8("connection_parameters.cipher_suite[0]");
        int cs1 = r.u8("connection_parameters.cipher_suite[1]");
        int compression = r.u8("connection_parameters.compression_method");
        return new ConnectionSecurityParameters(version, (cs0 << 8) | cs1, compression);
    }

    private static String hex(int v) {
        return String.format("0x%04X", v);
    }

    /** For people (logs, summaries, trace details): "TLS 1.2, TLS_ECDHE_..._SHA256 (0xC02B), no compression". */
    @Override
    public String toString() {
        String version = switch (tlsVersion) {
            case 0x0303 -> "TLS 1.2";
            case 0x0302 -> "TLS 1.1";
            case 0x0301 -> "TLS 1.0";
            case 0x0300 -> "SSL 3.0";
            default -> "version " + hex(tlsVersion);
        };
        return version + ", " + org.proxyinfo.wire.CipherSuite.name(cipherSuite) + " (" + hex(cipherSuite) + "), "
                + (compressionMethod == 0 ? "no compression" : "compression method " + compressionMethod);
    }
}
