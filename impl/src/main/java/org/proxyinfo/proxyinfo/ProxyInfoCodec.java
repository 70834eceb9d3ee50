package org.proxyinfo.proxyinfo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.wire.TlsFatalAlert;
import org.proxyinfo.wire.TlsReader;
import org.proxyinfo.wire.TlsWriter;

/**
 * Encoder and decoder for {@code ProxyInfo} (draft-01 §3.1, DEC-1..7). A ProxyInfo is not itself
 * length-prefixed: {@code flag (uint8) || select arm}; a nested {@code next_proxy_info} follows its
 * parent's {@code revocation_checking_performed} inline. The encoding is canonical (fixed-width
 * lengths), so {@code encode(decode(b))} equals {@code b}, which is what lets the verifier
 * re-encode the signed fields.
 *
 * <p>Errors (DEC-21): a flag outside 0..3 or a Boolean outside 0/1 is {@code illegal_parameter}
 * (DEC-3, DEC-7); a flag that does not belong where it appears (a nested {@code client_to_proxy},
 * a top-level zero-length flag followed by bytes, a non-{@code proxy_to_client} in a ServerHello) is
 * {@code illegal_parameter}; nesting deeper than {@link #maxDepth()} is {@code illegal_parameter}
 * (DEC-4); everything malformed (truncation, a length that over- or under-runs, an empty ASN.1Cert,
 * trailing bytes) is {@code decode_error}.
 */
public final class ProxyInfoCodec {
    /** DEC-4 default bound on the number of nested signed ProxyInfo structures (proxy hops). */
    public static final int DEFAULT_MAX_DEPTH = 4;
    /** A hard ceiling on the configurable bound, so decoding never recurses without limit. */
    public static final int MAX_CONFIGURABLE_DEPTH = 64;

    private static final int MAX_U24 = 0xFFFFFF;

    private final int maxDepth;

    /** A codec with the DEC-4 default depth bound of 4. */
    public ProxyInfoCodec() {
        this(DEFAULT_MAX_DEPTH);
    }

    /** A codec accepting at most {@code maxDepth} nested signed ProxyInfo structures (DEC-4, configurable). */
    public ProxyInfoCodec(int maxDepth) {
        if (maxDepth < 1 || maxDepth > MAX_CONFIGURABLE_DEPTH) {
            throw new IllegalArgumentException("proxy_info nesting depth must be 1.." + MAX_CONFIGURABLE_DEPTH
                    + " (DEC-4), not " + maxDepth);
        }
        this.maxDepth = maxDepth;
    }

    public int maxDepth() { return maxDepth; }

    // ------------------------------------------------------------------ encoding

    /** The bytes of one ProxyInfo: the extension_data of proxy_info (ProxyInfoExtension, DEC-2). */
    public static byte[] encode(ProxyInfo info) {
        TlsWriter w = new TlsWriter();
        write(w, info);
        return w.toByteArray();
    }

    static void write(TlsWriter w, ProxyInfo info) {
        w.u8(info.flag().wireValue());
        if (info instanceof SignedProxyInfo s) {
            s.encodeBody(w);
        } else if (info instanceof SignedProxyInfo2 s2) {
            s2.encodeBody(w);
        }
        // Empty: zero-length body.
    }

    /** {@code ASN.1Cert list<0..2^24-1>} with {@code ASN.1Cert = opaque<1..2^24-1>}: DEVIATION (DEC-6). */
    static void writeCertificateList(TlsWriter w, List<byte[]> certs) {
        w.startVector(3);
        for (byte[] c : certs) {
            w.vector(3, c);
        }
        w.endVector();
    }

    // ------------------------------------------------------------------ decoding

    /**
     * Decodes a ProxyInfo with any top-level flag (nested flags must still fit their position).
     * Used for tests and tools; roles use {@link #decodeFromServerHello} / {@link #decodeFromClientHello}.
     */
    public ProxyInfo decode(byte[] extensionData) throws TlsFatalAlert {
        TlsReader r = new TlsReader(extensionData, "proxy_info");
        ProxyInfo info = read(r, 0, Position.TOP);
        expectEndOfExtension(r, info);
        return info;
    }

    /**
     * The proxy_info extension_data of a ServerHello: only {@code proxy_to_client} belongs there
     * (draft-01 §3.1, DEC-3; an ordinary server never echoes the extension, DEC-19).
     */
    public SignedProxyInfo decodeFromServerHello(byte[] extensionData) throws TlsFatalAlert {
        TlsReader r = new TlsReader(extensionData, "ServerHello.proxy_info");
        int flagValue = r.u8("ProxyInfoFlag");
        ProxyInfoFlag flag = ProxyInfoFlag.fromWire(flagValue, "ServerHello.proxy_info");
        if (flag != ProxyInfoFlag.PROXY_TO_CLIENT) {
            throw new TlsFatalAlert(AlertDescription.ILLEGAL_PARAMETER, "DEC-3",
                    "ServerHello.proxy_info: flag " + flag + " does not belong in a ServerHello; only proxy_to_client"
                            + " carries the proxy's signed assertion");
        }
        SignedProxyInfo info = readSigned(r, 1);
        expectEndOfExtension(r, info);
        return info;
    }

    /**
     * The proxy_info extension_data of a ClientHello: {@code client_to_proxy} with a zero-length body
     * (draft-01 §3.1). {@code proxy_to_server} (client-certificate mode, DEC-23) is read only by an origin in
     * that mode (clientcert/ClientCertModeEntry) and refused here with illegal_parameter.
     */
    public ProxyInfo decodeFromClientHello(byte[] extensionData) throws TlsFatalAlert {
        TlsReader r = new TlsReader(extensionData, "ClientHello.proxy_info");
        int flagValue = r.u8("ProxyInfoFlag");
        ProxyInfoFlag flag = ProxyInfoFlag.fromWire(flagValue, "ClientHello.proxy_info");
        if (flag != ProxyInfoFlag.CLIENT_TO_PROXY) {
            throw new TlsFatalAlert(AlertDescription.ILLEGAL_PARAMETER, "DEC-3",
                    "ClientHello.proxy_info: flag " + flag + " does not belong in a ClientHello; a client offers"
                            + " the extension with client_to_proxy (proxy_to_server is the client-certificate mode's, DEC-23,"
                            + " and only an origin in that mode reads it)");
        }
        expectEndOfExtension(r, ProxyInfo.clientToProxy());
        return ProxyInfo.clientToProxy();
    }

    private static void expectEndOfExtension(TlsReader r, ProxyInfo info) throws TlsFatalAlert {
        if (!info.flag().hasBody() && !r.isEmpty()) {
            throw new TlsFatalAlert(AlertDescription.ILLEGAL_PARAMETER, "DEC-3",
                    "proxy_info: " + info.flag() + " has a zero-length body (draft-01 §3.1) but " + r.remaining()
                            + " more bytes follow");
        }
        r.expectEnd("ProxyInfo");
    }

    /** Where a ProxyInfo appears, which decides the flags allowed there. */
    private enum Position {
        TOP,
        /** next_proxy_info of proxy_to_client: a further hop or server_to_proxy (DEC-4). */
        AFTER_PROXY_TO_CLIENT,
        /** next_proxy_info of proxy_to_server: the client's client_to_proxy or a further proxy_to_server. */
        AFTER_PROXY_TO_SERVER
    }

    /** @param enclosing number of signed ProxyInfo structures already open above this one */
    private ProxyInfo read(TlsReader r, int enclosing, Position position) throws TlsFatalAlert {
        int flagValue = r.u8("ProxyInfoFlag");
        ProxyInfoFlag flag = ProxyInfoFlag.fromWire(flagValue, "proxy_info at nesting depth " + enclosing);
        checkPosition(flag, position, enclosing);
        switch (flag) {
            case PROXY_TO_CLIENT:
                return readSigned(r, enclosing + 1);
            case PROXY_TO_SERVER:
                return readSigned2(r, enclosing + 1);
            case CLIENT_TO_PROXY:
                return ProxyInfo.clientToProxy();
            case SERVER_TO_PROXY:
            default:
                return ProxyInfo.endOfChain();
        }
    }

    private static void checkPosition(ProxyInfoFlag flag, Position position, int enclosing) throws TlsFatalAlert {
        boolean ok;
        String allowed;
        switch (position) {
            case AFTER_PROXY_TO_CLIENT:
                ok = flag == ProxyInfoFlag.PROXY_TO_CLIENT || flag == ProxyInfoFlag.SERVER_TO_PROXY;
                allowed = "proxy_to_client (a further proxy) or server_to_proxy (the next hop is the server, DEC-4)";
                break;
            case AFTER_PROXY_TO_SERVER:
                ok = flag == ProxyInfoFlag.CLIENT_TO_PROXY || flag == ProxyInfoFlag.PROXY_TO_SERVER;
                allowed = "client_to_proxy or proxy_to_server";
                break;
            case TOP:
            default:
                return;
        }
        if (!ok) {
            throw new TlsFatalAlert(AlertDescription.ILLEGAL_PARAMETER, "DEC-4",
                    "next_proxy_info at nesting depth " + enclosing + " has flag " + flag + "; only " + allowed
                            + " may appear there");
        }
    }

    private void checkDepth(int depth) throws TlsFatalAlert {
        if (depth > maxDepth) {
            throw new TlsFatalAlert(AlertDescription.ILLEGAL_PARAMETER, "DEC-4",
                    "proxy_info nests " + depth + " or more signed assertions; at most " + maxDepth
                            + " proxy hops are accepted (DEC-4, configurable)");
        }
    }

    /** The proxy_to_client arm; the flag byte has been read. {@code depth} counts this structure. */
    private SignedProxyInfo readSigned(TlsReader r, int depth) throws TlsFatalAlert {
        checkDepth(depth);
        ConnectionSecurityParameters cp = ConnectionSecurityParameters.decode(r);
        List<byte[]> certs = readCertificateList(r, "server_certificate_list");
        byte[] serverRandom = r.bytes(SignedProxyInfo.RANDOM_LENGTH, "server_random");
        boolean revocation = readBoolean(r, "revocation_checking_performed");
        ProxyInfo next = read(r, depth, Position.AFTER_PROXY_TO_CLIENT);
        DigitallySigned sig = DigitallySigned.decode(r);
        return new SignedProxyInfo(cp, certs, serverRandom, revocation, next, sig);
    }

    /** The proxy_to_server arm (client-certificate mode, decoded for completeness). */
    private SignedProxyInfo2 readSigned2(TlsReader r, int depth) throws TlsFatalAlert {
        checkDepth(depth);
        List<byte[]> certs = readCertificateList(r, "proxy_certificate_list");
        ProxyInfo next = read(r, depth, Position.AFTER_PROXY_TO_SERVER);
        DigitallySigned sig = DigitallySigned.decode(r);
        return new SignedProxyInfo2(certs, next, sig);
    }

    /** DEC-7: uint8, 0 = false, 1 = true, anything else illegal_parameter. */
    private static boolean readBoolean(TlsReader r, String field) throws TlsFatalAlert {
        int v = r.u8(field);
        if (v > 1) {
            throw new TlsFatalAlert(AlertDescription.ILLEGAL_PARAMETER, "DEC-7",
                    "proxy_info: " + field + " is " + v + "; a Boolean is 0 (false) or 1 (true)");
        }
        return v == 1;
    }

    /** DEVIATION (DEC-6): {@code ASN.1Cert list<0..2^24-1>}, each {@code opaque<1..2^24-1>}. */
    private static List<byte[]> readCertificateList(TlsReader r, String field) throws TlsFatalAlert {
        TlsReader list = r.sub(3, 0, MAX_U24, field);
        List<byte[]> certs = new ArrayList<>();
        while (!list.isEmpty()) {
            int len = list.u24(field + "[" + certs.size() + "] length");
            if (len == 0) {
                throw new TlsFatalAlert(AlertDescription.DECODE_ERROR, "DEC-6",
                        "proxy_info: " + field + "[" + certs.size() + "] is empty; ASN.1Cert is opaque<1..2^24-1>");
            }
            certs.add(list.bytes(len, field + "[" + certs.size() + "]"));
        }
        return certs;
    }

    static boolean sameCertificates(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }
}
