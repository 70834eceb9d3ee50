package org.proxyinfo.trace;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Feeds a TraceSink the event sequence of a PI-BOUND run (client, proxy, server; DEC-14 order:
 * session #2 first), as the roles will. Message bodies are deterministic filler with correct
 * handshake headers; real bytes are covered by the import test.
 */
final class SampleTraces {
    static final byte[] CLIENT_RANDOM_1 = filled(32, 0x11);
    static final byte[] SERVER_RANDOM_1 = filled(32, 0x22);
    static final byte[] CLIENT_RANDOM_2 = filled(32, 0x33);
    static final byte[] SERVER_RANDOM_2 = filled(32, 0x44);

    private SampleTraces() { }

    static RunInfo run() {
        return RunInfo.implementation("0.1.0", List.of("client", "proxy", "server"))
                .scenario("pi-bound-honest-proxy").architecture("PI-BOUND")
                .signingMode("bound").proxyInfoCodePoint(65360).rngSeed(new byte[] {0, 1, 2, 3})
                .clock(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC))
                .config("serverName", "origin.test").config("versions", List.of("TLSv1.2"))
                .policy("revocation", "prefer").policy("clientsWithoutExtension", "refuse");
    }

    static byte[] filled(int n, int b) {
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = (byte) (b + i);
        }
        return out;
    }

    static byte[] handshake(int type, int bodyLength, int fill) {
        byte[] out = new byte[4 + bodyLength];
        out[0] = (byte) type;
        out[1] = (byte) (bodyLength >> 16);
        out[2] = (byte) (bodyLength >> 8);
        out[3] = (byte) bodyLength;
        for (int i = 0; i < bodyLength; i++) {
            out[4 + i] = (byte) (fill * 7 + i);
        }
        return out;
    }

    /** Both directions of one message: sender's 'sent', receiver's 'received'. */
    static void msg(TraceSink sink, String from, String to, String leg, String name, int type, Map<String, Object> fields) {
        byte[] raw = type < 0 ? new byte[] {1} : handshake(type, 40 + type, type);
        String contentType = type < 0 ? "change_cipher_spec" : "handshake";
        sink.message(from, leg, "sent", contentType, name, fields, raw, List.of(0));
        sink.message(to, leg, "received", contentType, name, fields, raw, List.of(0));
    }

    static void handshakeLeg(TraceSink sink, String client, String server, String leg, byte[] cr, byte[] sr, String sni) {
        Map<String, Object> ch = new HashMap<>(); // deliberately unordered: the writer must sort
        ch.put("random", cr);
        ch.put("client_version", "TLSv1.2");
        ch.put("cipher_suites", List.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"));
        ch.put("extensions", Map.of("server_name", sni, "proxy_info", Map.of("flag", "client_to_proxy")));
        sink.transition(client, leg, "START", "WAIT_SERVER_HELLO", "client_hello");
        msg(sink, client, server, leg, "client_hello", 1, ch);
        msg(sink, server, client, leg, "server_hello", 2, Map.of("random", sr, "cipher_suite", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"));
        msg(sink, server, client, leg, "certificate", 11, Map.of("certificate_list", List.of("3082")));
        msg(sink, server, client, leg, "server_key_exchange", 12, Map.of("named_curve", "x25519"));
        msg(sink, server, client, leg, "server_hello_done", 14, Map.of());
        sink.check(client, leg, "RFC6125-6.4", "server certificate names " + sni, true, "dNSName " + sni);
        msg(sink, client, server, leg, "client_key_exchange", 16, Map.of());
        sink.secret(client, leg, "master_secret", filled(48, 0x55));
        msg(sink, client, server, leg, "change_cipher_spec", -1, Map.of());
        msg(sink, client, server, leg, "finished", 20, Map.of("verify_data", filled(12, 1)));
        msg(sink, server, client, leg, "change_cipher_spec", -1, Map.of());
        msg(sink, server, client, leg, "finished", 20, Map.of("verify_data", filled(12, 2)));
    }

    /** A complete honest PI-BOUND run. */
    static void honestRun(TraceSink sink) {
        handshakeLeg(sink, "proxy", "server", "session2", CLIENT_RANDOM_2, SERVER_RANDOM_2, "origin.test");
        sink.claim("server", "session2", "Running", params(CLIENT_RANDOM_2, SERVER_RANDOM_2, "peer", "anonymous"));
        sink.claim("proxy", "session2", "Commit", params(CLIENT_RANDOM_2, SERVER_RANDOM_2, "server_name", "origin.test"));
        sink.outcome("proxy", "session2", true, null, null, null, "session #2 established (DEC-14: before session #1 ServerHello)");
        handshakeLeg(sink, "client", "proxy", "session1", CLIENT_RANDOM_1, SERVER_RANDOM_1, "origin.test");
        sink.check("client", "session1", "DEC-9", "proxy certificate chains to a proxy trust anchor", true, "");
        sink.check("client", "session1", "DEC-5", "SignedProxyInfo signature (bound mode)", true, "");
        sink.claim("proxy", "session1", "Running", params(CLIENT_RANDOM_1, SERVER_RANDOM_1, "peer", "anonymous"));
        Map<String, Object> commit = params(CLIENT_RANDOM_1, SERVER_RANDOM_1, "server_name", "origin.test");
        commit.put("upstream", List.of(Map.of("proxy_cert_sha256", filled(32, 0x66), "version", "TLSv1.2",
                "cipher_suite", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "server_random", SERVER_RANDOM_2,
                "server_cert_sha256", filled(32, 0x77))));
        sink.claim("client", "session1", "Commit", commit);
        sink.claim("client", "session1", "Secret", Map.of("what", "application_data", "peer", "server"));
        sink.outcome("client", "session1", true, null, null, null, "established through proxy");
    }

    /** The same run where the client refuses the proxy (DEC-9, access_denied). */
    static void refusedRun(TraceSink sink) {
        handshakeLeg(sink, "proxy", "server", "session2", CLIENT_RANDOM_2, SERVER_RANDOM_2, "origin.test");
        sink.outcome("proxy", "session2", true, null, null, null, "session #2 established");
        sink.transition("client", "session1", "START", "WAIT_SERVER_HELLO", "client_hello");
        msg(sink, "client", "proxy", "session1", "client_hello", 1, Map.of("random", CLIENT_RANDOM_1));
        msg(sink, "proxy", "client", "session1", "server_hello", 2, Map.of("random", SERVER_RANDOM_1));
        sink.check("client", "session1", "DEC-9", "proxy certificate chains to a proxy trust anchor", false,
                "CN=evil-proxy is not under any configured proxy trust anchor");
        sink.outcome("client", "session1", false, "access_denied", "client", "DEC-9",
                "the proxy's certificate is not an acceptable proxy; no key material sent");
    }

    static Map<String, Object> params(byte[] cr, byte[] sr, String extraKey, String extraValue) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("client_random", cr);
        p.put("server_random", sr);
        p.put("version", "TLSv1.2");
        p.put("cipher_suite", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        p.put("server_cert_sha256", filled(32, 0x77));
        p.put(extraKey, extraValue);
        return p;
    }
}
