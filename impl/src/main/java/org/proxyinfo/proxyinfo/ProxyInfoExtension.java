package org.proxyinfo.proxyinfo;

import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.wire.TlsFatalAlert;

/**
 * The proxy_info ExtensionType and the size rule of its carrier.
 *
 * <p>DEC-2 (revised): the draft's TBD1 is a private-use value, configurable, default 65360 (0xFF50), never
 * 65281 (renegotiation_info), 65445 (0xFFA5, which Wireshark reads as the draft quic_transport_parameters;
 * the first default) or 65486 (0xFFCE, encrypted_server_name). The extension_data is one encoded {@link ProxyInfo}
 * ({@code struct { ProxyInfo proxy_info; } ProxyInfoExtension}).
 *
 * <p>DEC-6: the whole ServerHello extension block ({@code Extension extensions<0..2^16-1>}) must
 * stay within 2^16-1 bytes; a proxy whose assertion does not fit aborts session #1 with fatal
 * internal_error ({@link #checkServerHelloExtensionsFit}).
 */
public final class ProxyInfoExtension {
    /** DEC-2 default code point. */
    public static final int DEFAULT_EXTENSION_TYPE = 0xFF50;
    /** renegotiation_info (RFC 5746), which the code point must never be. */
    public static final int RENEGOTIATION_INFO = 0xFF01;
    /** RFC 5246 §7.4.1.4: {@code Extension extensions<0..2^16-1>}. */
    public static final int MAX_EXTENSIONS_BLOCK = 0xFFFF;
    /** extension_type (2) + extension_data length (2). */
    public static final int EXTENSION_HEADER = 4;

    private ProxyInfoExtension() { }

    /** Code points deployed software reads as another extension (DEC-2): quic_transport_parameters (drafts), encrypted_server_name. */
    public static final int QUIC_TRANSPORT_PARAMETERS_DRAFT = 0xFFA5;
    public static final int ENCRYPTED_SERVER_NAME = 0xFFCE;

    /** DEC-2: a configured code point, refused if it is not a uint16 or is one that other software reads as another extension. */
    public static int checkExtensionType(int codePoint) {
        if (codePoint < 0 || codePoint > 0xFFFF) {
            throw new IllegalArgumentException("proxy_info code point " + codePoint + " is not a uint16 (DEC-2)");
        }
        if (codePoint == RENEGOTIATION_INFO) {
            throw new IllegalArgumentException("proxy_info code point 65281 is renegotiation_info (RFC 5746);"
                    + " choose a private-use value such as the default 65360 (DEC-2)");
        }
        if (codePoint == QUIC_TRANSPORT_PARAMETERS_DRAFT || codePoint == ENCRYPTED_SERVER_NAME) {
            throw new IllegalArgumentException("proxy_info code point " + codePoint + " is read by Wireshark and deployed"
                    + " software as " + (codePoint == ENCRYPTED_SERVER_NAME ? "encrypted_server_name" : "quic_transport_parameters")
                    + ", so captures would show malformed packets; use the default 65360 (DEC-2). Traces made with 65445"
                    + " stay readable: the trace tools take the code point from the trace");
        }
        return codePoint;
    }

    /**
     * DEC-6: the ServerHello extension block must fit {@code <0..2^16-1>}.
     *
     * @param otherExtensionsLength bytes the ServerHello's other extensions take, headers included
     * @param proxyInfoDataLength   length of the encoded ProxyInfo (the proxy_info extension_data)
     * @return the block length including proxy_info
     * @throws TlsFatalAlert internal_error [DEC-6] when it does not fit: the proxy aborts session #1
     */
    public static int checkServerHelloExtensionsFit(int otherExtensionsLength, int proxyInfoDataLength)
            throws TlsFatalAlert {
        long total = (long) otherExtensionsLength + EXTENSION_HEADER + proxyInfoDataLength;
        if (proxyInfoDataLength > 0xFFFF || total > MAX_EXTENSIONS_BLOCK) {
            throw new TlsFatalAlert(AlertDescription.INTERNAL_ERROR, "DEC-6",
                    "the proxy_info assertion is " + proxyInfoDataLength + " bytes; with the other "
                            + otherExtensionsLength + " bytes of ServerHello extensions the block would be " + total
                            + " bytes, over the 65535-byte limit of RFC 5246 §7.4.1.4. Shorten the upstream"
                            + " certificate chain or the number of proxy hops.");
        }
        return (int) total;
    }

    /**
     * The proxy's step: encode its assertion as proxy_info extension_data and check DEC-6's limit in
     * one place, so an assertion that does not fit is never sent.
     *
     * @param otherExtensionsLength bytes the ServerHello's other extensions take, headers included
     * @throws TlsFatalAlert internal_error [DEC-6] when the ServerHello extension block would exceed 2^16-1 bytes
     */
    public static byte[] encodeForServerHello(SignedProxyInfo assertion, int otherExtensionsLength)
            throws TlsFatalAlert {
        byte[] data = ProxyInfoCodec.encode(assertion);
        checkServerHelloExtensionsFit(otherExtensionsLength, data.length);
        return data;
    }
}
