package org.proxyinfo.trace;

import org.proxyinfo.wire.Hex;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.crypto.KeySchedule;
import org.proxyinfo.record.RecordCipher;
import org.proxyinfo.wire.CipherSuite;
import org.proxyinfo.wire.TlsFatalAlert;

/**
 * {@code trace pcap}: a pcapng capture rebuilt from a trace, with the TLS secrets embedded in a
 * Decryption Secrets Block (pcapng, block type 0x0000000A, secrets type TLSK: an NSS key log, as
 * {@code editcap --inject-secrets tls,KEYLOG} writes), so the one file opens decrypted in Wireshark
 * (issue 16 finding 4).
 *
 * <p>Each leg becomes one TCP connection over IPv4 (link type RAW): SYN, SYN-ACK, ACK, one segment
 * per record, FIN both ways. A leg's client side is 10.0.0.1, its server 10.0.N.2 port 443 (N: the leg's
 * number). Handshake messages, ChangeCipherSpec and alerts before a side's ChangeCipherSpec are written
 * in clear; after it every record is sealed again with AES-GCM under the keys derived from the
 * leg's master_secret and randoms (RFC 5246 §6.3, RFC 5288), so Wireshark decrypts them with the
 * embedded key log exactly as it would a capture of the run. The ciphertexts are not the run's own
 * bytes (the trace keeps plaintext); the plaintexts, the keys and the record order are.
 * Secrets come from the trace's test-only {@code secret} events; legs without a master secret are
 * written in clear up to where they ended.
 */
public final class TracePcap {
    private static final int LINKTYPE_RAW = 101;
    private static final int SECRETS_TLS_KEY_LOG = 0x544c534b;
    private static final int MAX_FRAGMENT = 16384;

    private TracePcap() { }

    /** A key log line per leg: the client_random and master_secret of each leg that has both. */
    public static Map<String, String[]> legSecrets(Trace t) {
        Map<String, String[]> out = new LinkedHashMap<>();
        for (Trace.Event e : t.events()) {
            if (!"secret".equals(e.kind())) continue;
            String[] s = out.computeIfAbsent(e.leg(), k -> new String[2]);
            if ("client_random".equals(e.text("name")) && s[0] == null) s[0] = e.text("value");
            if ("master_secret".equals(e.text("name")) && s[1] == null) s[1] = e.text("value");
        }
        out.values().removeIf(s -> s[0] == null || s[1] == null);
        // the randoms the leg's hellos carry win over a role's own record of them
        Map<String, Trace.LegKey> keys = t.legKeys();
        out.forEach((leg, s) -> {
            if (keys.containsKey(leg)) s[0] = keys.get(leg).clientRandom();
        });
        return out;
    }

    /** The legs that share a client_random with another leg (a key log line cannot tell them apart). */
    public static Set<String> clashingLegs(Trace t, List<String> legs) {
        Map<String, List<String>> byRandom = new LinkedHashMap<>();
        legSecrets(t).forEach((leg, s) -> {
            if (legs.contains(leg)) byRandom.computeIfAbsent(s[0], k -> new ArrayList<>()).add(leg);
        });
        Set<String> out = new LinkedHashSet<>();
        byRandom.values().stream().filter(l -> l.size() > 1).forEach(out::addAll);
        return out;
    }

    /** The pcapng bytes of the given legs of {@code t}. */
    public static byte[] write(Trace t, List<String> legs) throws TlsFatalAlert {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(sectionHeader());
        out.writeBytes(interfaceDescription());
        StringBuilder keylog = new StringBuilder();
        Map<String, String[]> secrets = legSecrets(t);
        for (String leg : legs) {
            String[] s = secrets.get(leg);
            if (s != null) keylog.append("CLIENT_RANDOM ").append(s[0]).append(' ').append(s[1]).append('\n');
        }
        if (keylog.length() > 0) out.writeBytes(decryptionSecrets(keylog.toString().getBytes(StandardCharsets.US_ASCII)));
        long[] clock = {1_767_225_600_000_000L}; // 2026-01-01T00:00:00Z in microseconds; 1 ms per packet
        int n = 0;
        for (String leg : legs) {
            n++;
            writeLeg(t, leg, n, secrets.get(leg), out, clock);
        }
        return out.toByteArray();
    }

    private record Msg(boolean fromClient, int contentType, byte[] plain) { }

    private static int contentType(String name) {
        return switch (name) {
            case "change_cipher_spec" -> 20;
            case "alert" -> 21;
            case "handshake" -> 22;
            case "application_data" -> 23;
            default -> -1;
        };
    }

    /** The leg's messages in order, each once: every 'sent' event, and a 'received' one whose sender is not in the trace. */
    private static List<Msg> messages(Trace t, String leg) {
        List<Trace.Event> evs = t.events().stream().filter(e -> e.leg().equals(leg) && "message".equals(e.kind())).toList();
        String clientRole = null;
        String serverRole = null;
        for (Trace.Event e : evs) {
            if ("client_hello".equals(e.text("messageName"))) {
                if (e.isMessage("sent") && clientRole == null) clientRole = e.role();
                if (e.isMessage("received") && serverRole == null) serverRole = e.role();
            }
        }
        Map<String, Integer> sent = new java.util.HashMap<>();
        evs.stream().filter(e -> e.isMessage("sent")).forEach(e -> sent.merge(e.messageKey(), 1, Integer::sum));
        List<Msg> out = new ArrayList<>();
        for (Trace.Event e : evs) {
            int ct = contentType(e.text("contentType"));
            String raw = e.text("raw");
            if (ct < 0 || raw == null || raw.isEmpty()) continue;
            boolean fromClient;
            if (e.isMessage("sent")) {
                fromClient = e.role().equals(clientRole) || (clientRole == null && !e.role().equals(serverRole));
            } else {
                Integer k = sent.get(e.messageKey());
                if (k != null && k > 0) {
                    sent.put(e.messageKey(), k - 1);
                    continue; // the sender's event is in the trace
                }
                fromClient = !(e.role().equals(clientRole) || (clientRole == null && !e.role().equals(serverRole)));
            }
            out.add(new Msg(fromClient, ct, Hex.decode(raw)));
        }
        return out;
    }

    private static void writeLeg(Trace t, String leg, int n, String[] secret, ByteArrayOutputStream out, long[] clock)
            throws TlsFatalAlert {
        byte[] clientIp = {10, 0, 0, 1};
        byte[] serverIp = {10, 0, (byte) n, 2};
        int clientPort = 40000 + n;
        int serverPort = 443;
        long[] seq = {1000L * n, 500000L * n}; // client, server initial sequence numbers
        tcp(out, clock, true, clientIp, serverIp, clientPort, serverPort, seq, 0x02, new byte[0]); // SYN
        tcp(out, clock, false, clientIp, serverIp, clientPort, serverPort, seq, 0x12, new byte[0]); // SYN-ACK
        tcp(out, clock, true, clientIp, serverIp, clientPort, serverPort, seq, 0x10, new byte[0]); // ACK
        RecordCipher[] ciphers = new RecordCipher[2]; // client write, server write; set at each side's CCS
        KeySchedule.GcmKeys keys = null;
        Trace.LegKey lk = t.legKeys().get(leg);
        String suite = null;
        for (Trace.Event e : t.events()) {
            if (e.leg().equals(leg) && "server_hello".equals(e.text("messageName")) && e.node("fields") != null) {
                suite = e.node("fields").path("cipher_suite").asText(null);
                break;
            }
        }
        if (secret != null && lk != null && lk.serverRandom() != null && suite != null) {
            int s = CipherSuite.fromName(suite);
            keys = new KeySchedule(new BcTlsCrypto(new SecureRandom()), CipherSuite.prfHash(s))
                    .gcmKeys(Hex.decode(secret[1]), Hex.decode(lk.clientRandom()), Hex.decode(lk.serverRandom()),
                            CipherSuite.keyLength(s));
        }
        for (Msg m : messages(t, leg)) {
            int side = m.fromClient() ? 0 : 1;
            ByteArrayOutputStream records = new ByteArrayOutputStream();
            for (int off = 0; off < m.plain().length || off == 0; off += MAX_FRAGMENT) {
                byte[] frag = java.util.Arrays.copyOfRange(m.plain(), off, Math.min(m.plain().length, off + MAX_FRAGMENT));
                byte[] body = ciphers[side] == null ? frag : ciphers[side].seal(m.contentType(), 0x0303, frag);
                records.write(m.contentType());
                records.write(0x03);
                records.write(0x03);
                records.write(body.length >>> 8);
                records.write(body.length & 0xff);
                records.writeBytes(body);
                if (m.plain().length == 0) break;
            }
            tcp(out, clock, m.fromClient(), clientIp, serverIp, clientPort, serverPort, seq, 0x18, records.toByteArray());
            if (m.contentType() == 20 && keys != null) {
                ciphers[side] = m.fromClient()
                        ? new RecordCipher(new BcTlsCrypto(new SecureRandom()), keys.clientWriteKey(), keys.clientWriteIv())
                        : new RecordCipher(new BcTlsCrypto(new SecureRandom()), keys.serverWriteKey(), keys.serverWriteIv());
            }
        }
        tcp(out, clock, true, clientIp, serverIp, clientPort, serverPort, seq, 0x11, new byte[0]); // FIN-ACK
        tcp(out, clock, false, clientIp, serverIp, clientPort, serverPort, seq, 0x11, new byte[0]);
        tcp(out, clock, true, clientIp, serverIp, clientPort, serverPort, seq, 0x10, new byte[0]);
    }

    /** One IPv4/TCP packet as an Enhanced Packet Block; advances the sender's sequence number. */
    private static void tcp(ByteArrayOutputStream out, long[] clock, boolean fromClient, byte[] cIp, byte[] sIp, int cPort, int sPort,
                            long[] seq, int flags, byte[] payload) {
        byte[] src = fromClient ? cIp : sIp;
        byte[] dst = fromClient ? sIp : cIp;
        int me = fromClient ? 0 : 1;
        boolean syn = (flags & 0x02) != 0;
        boolean fin = (flags & 0x01) != 0;
        boolean ack = (flags & 0x10) != 0;
        ByteBuffer tcp = ByteBuffer.allocate(20 + payload.length);
        tcp.putShort((short) (fromClient ? cPort : sPort)).putShort((short) (fromClient ? sPort : cPort));
        tcp.putInt((int) seq[me]).putInt(ack ? (int) seq[1 - me] : 0);
        tcp.put((byte) 0x50).put((byte) flags).putShort((short) 65535).putShort((short) 0).putShort((short) 0);
        tcp.put(payload);
        byte[] seg = tcp.array();
        ByteBuffer pseudo = ByteBuffer.allocate(12 + seg.length);
        pseudo.put(src).put(dst).put((byte) 0).put((byte) 6).putShort((short) seg.length).put(seg);
        int sum = checksum(pseudo.array());
        seg[16] = (byte) (sum >>> 8);
        seg[17] = (byte) sum;
        ByteBuffer ip = ByteBuffer.allocate(20 + seg.length);
        ip.put((byte) 0x45).put((byte) 0).putShort((short) (20 + seg.length)).putShort((short) 0).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 6).putShort((short) 0).put(src).put(dst);
        byte[] pkt = ip.array();
        int ipSum = checksum(java.util.Arrays.copyOf(pkt, 20));
        pkt[10] = (byte) (ipSum >>> 8);
        pkt[11] = (byte) ipSum;
        System.arraycopy(seg, 0, pkt, 20, seg.length);
        seq[me] += payload.length + (syn || fin ? 1 : 0);
        out.writeBytes(enhancedPacket(clock[0], pkt));
        clock[0] += 1000;
    }

    private static int checksum(byte[] b) {
        long sum = 0;
        for (int i = 0; i < b.length; i += 2) {
            int hi = b[i] & 0xff;
            int lo = i + 1 < b.length ? b[i + 1] & 0xff : 0;
            sum += (hi << 8) | lo;
        }
        while ((sum >>> 16) != 0) sum = (sum & 0xffff) + (sum >>> 16);
        return (int) (~sum & 0xffff);
    }

    private static byte[] block(int type, byte[] body) {
        int padded = (body.length + 3) & ~3;
        ByteBuffer b = ByteBuffer.allocate(12 + padded).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(type).putInt(12 + padded).put(body);
        b.position(8 + padded);
        b.putInt(12 + padded);
        return b.array();
    }

    private static byte[] sectionHeader() {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1L);
        return block(0x0A0D0D0A, b.array());
    }

    private static byte[] interfaceDescription() {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) LINKTYPE_RAW).putShort((short) 0).putInt(0);
        return block(1, b.array());
    }

    private static byte[] decryptionSecrets(byte[] keylog) {
        int padded = (keylog.length + 3) & ~3;
        ByteBuffer b = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(SECRETS_TLS_KEY_LOG).putInt(keylog.length).put(keylog);
        return block(0x0000000A, b.array());
    }

    private static byte[] enhancedPacket(long micros, byte[] pkt) {
        int padded = (pkt.length + 3) & ~3;
        ByteBuffer b = ByteBuffer.allocate(20 + padded).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0).putInt((int) (micros >>> 32)).putInt((int) micros).putInt(pkt.length).putInt(pkt.length).put(pkt);
        return block(6, b.array());
    }

    /** The legs of a trace in order of appearance. */
    public static List<String> legs(Trace t) {
        Set<String> out = new LinkedHashSet<>();
        t.events().forEach(e -> out.add(e.leg()));
        return List.copyOf(out);
    }

    static String describe(JsonNode n) {
        return n == null ? "" : n.toString();
    }
}
