package org.proxyinfo.trace;

import org.proxyinfo.wire.Hex;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A display decoder for TLS 1.2 handshake messages seen in captures (used by {@code trace import}):
 * turns the bytes into the RFC 5246 field names a trace uses. It is not the protocol codec (that is
 * org.proxyinfo.wire); it never decides anything and, on bytes it cannot follow, returns what it has
 * decoded plus {@code "undecoded": hex}.
 */
public final class MessageFields {
    private MessageFields() { }

    /** RFC 5246 §7.4 / RFC 5077 names of handshake types. */
    public static String handshakeName(int type) {
        return switch (type) {
            case 0 -> "hello_request";
            case 1 -> "client_hello";
            case 2 -> "server_hello";
            case 4 -> "new_session_ticket";
            case 11 -> "certificate";
            case 12 -> "server_key_exchange";
            case 13 -> "certificate_request";
            case 14 -> "server_hello_done";
            case 15 -> "certificate_verify";
            case 16 -> "client_key_exchange";
            case 20 -> "finished";
            case 22 -> "certificate_status";
            default -> "handshake_" + type;
        };
    }

    /** IANA names of the suites this project meets; others as 0xNNNN. */
    public static String cipherSuiteName(int code) {
        return switch (code) {
            case 0xc02b -> "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
            case 0xc02c -> "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";
            case 0xc02f -> "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";
            case 0xc030 -> "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384";
            case 0xcca8 -> "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256";
            case 0xcca9 -> "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256";
            case 0xc009 -> "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA";
            case 0xc013 -> "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA";
            case 0x009c -> "TLS_RSA_WITH_AES_128_GCM_SHA256";
            case 0x009d -> "TLS_RSA_WITH_AES_256_GCM_SHA384";
            case 0x002f -> "TLS_RSA_WITH_AES_128_CBC_SHA";
            case 0x00ff -> "TLS_EMPTY_RENEGOTIATION_INFO_SCSV";
            default -> String.format("0x%04x", code);
        };
    }

    public static String versionName(int v) {
        return switch (v) {
            case 0x0300 -> "SSLv3";
            case 0x0301 -> "TLSv1.0";
            case 0x0302 -> "TLSv1.1";
            case 0x0303 -> "TLSv1.2";
            case 0x0304 -> "TLSv1.3";
            default -> String.format("0x%04x", v);
        };
    }

    private static final ThreadLocal<Integer> PROXY_INFO = ThreadLocal.withInitial(() -> RunInfo.DEFAULT_PROXY_INFO_CODE_POINT);

    /** Something that decodes, with {@code codePoint} named proxy_info (DEC-2: the code point is configurable). */
    public interface Decoding<T, E extends Exception> {
        T get() throws E;
    }

    /** Runs {@code body} with another proxy_info code point named proxy_info (e.g. 65445 for old captures). */
    public static <T, E extends Exception> T withProxyInfoCodePoint(int codePoint, Decoding<T, E> body) throws E {
        Integer old = PROXY_INFO.get();
        PROXY_INFO.set(codePoint);
        try {
            return body.get();
        } finally {
            PROXY_INFO.set(old);
        }
    }

    public static String extensionName(int type) {
        if (type == PROXY_INFO.get()) {
            return "proxy_info";
        }
        return switch (type) {
            case 0 -> "server_name";
            case 5 -> "status_request";
            case 10 -> "supported_groups";
            case 11 -> "ec_point_formats";
            case 13 -> "signature_algorithms";
            case 16 -> "application_layer_protocol_negotiation";
            case 22 -> "encrypt_then_mac";
            case 23 -> "extended_master_secret";
            case 35 -> "session_ticket";
            case 65281 -> "renegotiation_info";
            case 65360 -> "proxy_info"; // DEC-2 default code point (0xFF50)
            case 65445 -> "proxy_info"; // DEC-2 first default (0xFFA5): traces made with it stay readable
            default -> "extension_" + type;
        };
    }

    public static String groupName(int g) {
        return switch (g) {
            case 23 -> "secp256r1";
            case 24 -> "secp384r1";
            case 25 -> "secp521r1";
            case 29 -> "x25519";
            case 30 -> "x448";
            default -> String.format("0x%04x", g);
        };
    }

    /** RFC 5246 §7.2 alert description names. */
    public static String alertName(int d) {
        return switch (d) {
            case 0 -> "close_notify";
            case 10 -> "unexpected_message";
            case 20 -> "bad_record_mac";
            case 22 -> "record_overflow";
            case 40 -> "handshake_failure";
            case 42 -> "bad_certificate";
            case 43 -> "unsupported_certificate";
            case 44 -> "certificate_revoked";
            case 45 -> "certificate_expired";
            case 46 -> "certificate_unknown";
            case 47 -> "illegal_parameter";
            case 48 -> "unknown_ca";
            case 49 -> "access_denied";
            case 50 -> "decode_error";
            case 51 -> "decrypt_error";
            case 70 -> "protocol_version";
            case 71 -> "insufficient_security";
            case 80 -> "internal_error";
            case 90 -> "user_canceled";
            case 100 -> "no_renegotiation";
            case 110 -> "unsupported_extension";
            default -> "alert_" + d;
        };
    }

    public static String sha256Hex(byte[] data) {
        try {
            return Hex.encode(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** Decoded fields of one whole handshake message (header included). */
    public static Map<String, Object> handshake(byte[] msg) {
        Map<String, Object> f = new LinkedHashMap<>();
        Cursor c = new Cursor(msg, 4);
        try {
            switch (msg[0] & 0xff) {
                case 1 -> {
                    f.put("client_version", versionName(c.u16()));
                    f.put("random", Hex.encode(c.bytes(32)));
                    f.put("session_id", Hex.encode(c.bytes(c.u8())));
                    List<String> suites = new ArrayList<>();
                    Cursor s = c.sub(c.u16());
                    while (s.more()) suites.add(cipherSuiteName(s.u16()));
                    f.put("cipher_suites", suites);
                    f.put("compression_methods", Hex.encode(c.bytes(c.u8())));
                    if (c.more()) f.put("extensions", extensions(c.sub(c.u16())));
                }
                case 2 -> {
                    f.put("server_version", versionName(c.u16()));
                    f.put("random", Hex.encode(c.bytes(32)));
                    f.put("session_id", Hex.encode(c.bytes(c.u8())));
                    f.put("cipher_suite", cipherSuiteName(c.u16()));
                    f.put("compression_method", c.u8());
                    if (c.more()) f.put("extensions", extensions(c.sub(c.u16())));
                }
                case 11 -> {
                    List<Map<String, Object>> certs = new ArrayList<>();
                    Cursor list = c.sub(c.u24());
                    while (list.more()) {
                        byte[] der = list.bytes(list.u24());
                        Map<String, Object> cert = new LinkedHashMap<>();
                        cert.put("sha256", sha256Hex(der));
                        cert.put("der", Hex.encode(der));
                        certs.add(cert);
                    }
                    f.put("certificate_list", certs);
                }
                case 12 -> { // ECDHE params (RFC 4492 §5.4) and the signature
                    int curveType = c.u8();
                    f.put("curve_type", curveType == 3 ? "named_curve" : String.valueOf(curveType));
                    if (curveType == 3) {
                        f.put("named_curve", groupName(c.u16()));
                        f.put("public", Hex.encode(c.bytes(c.u8())));
                        f.put("signature_algorithm", String.format("0x%04x", c.u16()));
                        f.put("signature", Hex.encode(c.bytes(c.u16())));
                    }
                }
                case 16 -> f.put("exchange_keys", Hex.encode(c.bytes(msg.length - 4)));
                case 20 -> f.put("verify_data", Hex.encode(c.bytes(msg.length - 4)));
                case 4 -> {
                    f.put("ticket_lifetime_hint", c.u32());
                    f.put("ticket", Hex.encode(c.bytes(c.u16())));
                }
                default -> f.put("body", Hex.encode(c.bytes(msg.length - 4)));
            }
            if (c.more()) {
                f.put("undecoded", Hex.encode(c.bytes(c.remaining())));
            }
        } catch (IndexOutOfBoundsException e) {
            f.put("undecoded", Hex.encode(msg));
            f.put("note", "message shorter than its fields say; shown undecoded");
        }
        return f;
    }

    private static List<Map<String, Object>> extensions(Cursor c) {
        List<Map<String, Object>> out = new ArrayList<>();
        while (c.more()) {
            int type = c.u16();
            byte[] data = c.bytes(c.u16());
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("type", extensionName(type));
            e.put("data", Hex.encode(data));
            if (type == 0 && data.length > 5) { // server_name: list, type host_name, name
                e.put("host_name", new String(data, 5, data.length - 5, java.nio.charset.StandardCharsets.US_ASCII));
            }
            out.add(e);
        }
        return out;
    }

    /** Reads big-endian fields with bounds checks. */
    private static final class Cursor {
        private final byte[] b;
        private int p;
        private final int end;

        Cursor(byte[] b, int start) {
            this(b, start, b.length);
        }

        Cursor(byte[] b, int start, int end) {
            this.b = b;
            this.p = start;
            this.end = end;
        }

        boolean more() { return p < end; }

        int remaining() { return end - p; }

        int u8() { need(1); return b[p++] & 0xff; }

        int u16() { return (u8() << 8) | u8(); }

        int u24() { return (u8() << 16) | (u8() << 8) | u8(); }

        long u32() { return ((long) u16() << 16) | u16(); }

        byte[] bytes(int n) {
            need(n);
            byte[] out = java.util.Arrays.copyOfRange(b, p, p + n);
            p += n;
            return out;
        }

        Cursor sub(int n) {
            need(n);
            Cursor s = new Cursor(b, p, p + n);
            p += n;
            return s;
        }

        private void need(int n) {
            if (n < 0 || p + n > end) throw new IndexOutOfBoundsException("need " + n + " bytes at " + p);
        }
    }
}
