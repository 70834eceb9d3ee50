package org.proxyinfo.trace;

import org.proxyinfo.wire.Hex;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code trace import}: turns a packet capture of one TLS 1.2 session plus its NSS key log into a
 * trace (run.source = "import", leg "direct", roles client and server). tshark does the TCP
 * reassembly, record parsing and decryption ({@code tshark -T json -x --no-duplicate-keys}); this
 * class walks its JSON, rebuilds each direction's handshake stream from the records (so handshake
 * messages split over or packed into records get exact raw bytes and record boundaries), and emits
 * one 'sent' event by the sender and one 'received' event by the peer per message, the secrets from
 * the key log, Running/Commit claims inferred from the completed handshake, and the outcome.
 */
public final class PcapImporter {

    /** Why an import could not be done, for people. */
    public static final class ImportException extends Exception {
        public ImportException(String message) {
            super(message);
        }
    }

    private final String tshark;
    private final long timeoutSeconds;

    public PcapImporter() {
        this("tshark", 60);
    }

    public PcapImporter(String tsharkCommand, long timeoutSeconds) {
        this.tshark = tsharkCommand;
        this.timeoutSeconds = timeoutSeconds;
    }

    private List<String> extraArgs = List.of();
    private int codePoint = RunInfo.DEFAULT_PROXY_INFO_CODE_POINT;

    /**
     * Extra tshark arguments placed before the importer's own, e.g. {@code -d tcp.port==8444,tls} for TLS on a
     * port Wireshark does not know (issue 16 finding 5).
     */
    public PcapImporter tsharkArgs(List<String> args) {
        this.extraArgs = List.copyOf(args);
        return this;
    }

    /** The proxy_info code point of the captured run (DEC-2; default 65360; 65445 for captures made with the first default). */
    public PcapImporter codePoint(int cp) {
        this.codePoint = cp;
        return this;
    }

    public Trace importCapture(Path pcap, Path keylog, String softwareVersion) throws ImportException {
        if (!Files.isRegularFile(pcap)) {
            throw new ImportException(pcap + ": no such capture file");
        }
        if (!Files.isRegularFile(keylog)) {
            throw new ImportException(keylog + ": no such key log file (write one with SSLKEYLOGFILE or openssl s_client -keylogfile)");
        }
        Map<String, String> keys;
        try {
            keys = NssKeyLog.read(keylog);
        } catch (IOException e) {
            throw new ImportException(keylog + ": cannot read the key log (" + e.getMessage() + ")");
        }
        String version = run(List.of(tshark, "--version")).lines().findFirst().orElse("tshark").trim();
        if (version.endsWith(".")) {
            version = version.substring(0, version.length() - 1);
        }
        // Application data is read from tshark's generic "data" layer, so the dissectors that would claim the
        // decrypted bytes for themselves (HTTP for a GET through the proxy, HTTP/2) are switched off.
        List<String> cmd = new java.util.ArrayList<>(List.of(tshark, "-r", pcap.toString()));
        cmd.addAll(extraArgs);
        cmd.addAll(List.of("-o", "tls.keylog_file:" + keylog.toAbsolutePath(),
                "--disable-protocol", "http", "--disable-protocol", "http2",
                "-T", "json", "-x", "--no-duplicate-keys", "-Y", "tls"));
        String json = run(cmd);
        JsonNode packets;
        try {
            packets = TraceJson.parse(json.isBlank() ? "[]" : json);
        } catch (IOException e) {
            throw new ImportException("tshark's JSON output could not be parsed: " + e.getMessage());
        }
        String dissectedBy = softwareVersion + " trace import, dissected by " + version;
        return MessageFields.withProxyInfoCodePoint(codePoint, () -> build(packets, keys, pcap.getFileName().toString(),
                dissectedBy, codePoint));
    }

    private String run(List<String> command) throws ImportException {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("tshark", ".out");
            err = Files.createTempFile("tshark", ".err");
            Process p;
            try {
                p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            } catch (IOException e) {
                throw new ImportException("cannot run " + command.get(0) + " (" + e.getMessage()
                        + "); install Wireshark's tshark (Debian: apt-get install tshark)");
            }
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new ImportException(command.get(0) + " did not finish within " + timeoutSeconds + " s");
            }
            if (p.exitValue() != 0) {
                throw new ImportException(command.get(0) + " failed (exit " + p.exitValue() + "): "
                        + Files.readString(err, StandardCharsets.UTF_8).trim());
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ImportException("cannot run tshark: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImportException("interrupted while running tshark");
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a temp file left behind is harmless
            }
        }
    }

    /** One direction of the TCP stream. */
    private static final class Direction {
        final String role;
        final String peer;
        final ByteArrayOutputStream handshake = new ByteArrayOutputStream();
        final List<Integer> recordStarts = new ArrayList<>(); // offsets in handshake where a record began
        int consumed; // bytes of handshake already emitted as messages
        boolean encrypted; // ChangeCipherSpec sent: later records are protected

        Direction(String role, String peer) {
            this.role = role;
            this.peer = peer;
        }
    }

    /** Builds the trace from tshark's packets (testable without tshark). */
    static Trace build(JsonNode packets, Map<String, String> keys, String scenario, String softwareVersion)
            throws ImportException {
        return build(packets, keys, scenario, softwareVersion, RunInfo.DEFAULT_PROXY_INFO_CODE_POINT);
    }

    static Trace build(JsonNode packets, Map<String, String> keys, String scenario, String softwareVersion, int codePoint)
            throws ImportException {
        JsonTraceWriter w = new JsonTraceWriter(new RunInfo("import", softwareVersion, List.of("client", "server"))
                .proxyInfoCodePoint(codePoint).scenario(scenario).architecture("DIRECT").signingMode(null).rngSeed(null).clock(null));
        String clientEndpoint = null;
        String stream = null;
        Direction client = new Direction("client", "server");
        Direction server = new Direction("server", "client");
        Session s = new Session();
        for (JsonNode packet : packets) {
            JsonNode layers = packet.path("_source").path("layers");
            String tcpStream = layers.path("tcp").path("tcp.stream").asText();
            String src = layers.path("ip").path("ip.src").asText(layers.path("ipv6").path("ipv6.src").asText())
                    + ":" + layers.path("tcp").path("tcp.srcport").asText();
            List<JsonNode> data = list(layers.get("data"));
            int dataIndex = 0;
            for (RecordView view : recordViews(layers, src.equals(clientEndpoint) ? client : server)) {
                JsonNode rec = view.rec();
                int contentType = view.contentType();
                if (clientEndpoint == null) {
                    if (contentType == 22 && firstHandshakeType(rec) == 1) {
                        clientEndpoint = src;
                        stream = tcpStream;
                    } else {
                        continue; // wait for the ClientHello that starts the session
                    }
                }
                if (!tcpStream.equals(stream)) {
                    continue; // only the first TLS session of the capture
                }
                Direction dir = src.equals(clientEndpoint) ? client : server;
                byte[] record = view.record();
                byte[] fragment = record.length >= 5 ? java.util.Arrays.copyOfRange(record, 5, record.length) : new byte[0];
                switch (contentType) {
                    case 22 -> {
                        byte[] plain = fragment;
                        if (dir.encrypted) {
                            List<JsonNode> hs = rawList(rec.get("tls.handshake_raw"));
                            // Decrypted, tshark dissects the plaintext (objects under tls.handshake, bytes
                            // from a separate decrypted buffer); undecrypted it shows the ciphertext as an
                            // opaque "Encrypted Handshake Message" (tls.handshake is an empty string).
                            JsonNode dissected = rec.get("tls.handshake");
                            boolean decrypted = dissected != null && (dissected.isObject()
                                    || (dissected.isArray() && dissected.size() > 0 && dissected.get(0).isObject()));
                            if (hs.isEmpty() || !decrypted) {
                                throw new ImportException("cannot decrypt the " + dir.role + "'s encrypted handshake record"
                                        + " (tshark found no key): the key log needs the CLIENT_RANDOM line for client_random "
                                        + (s.clientRandom == null ? "?" : s.clientRandom));
                            }
                            ByteArrayOutputStream buf = new ByteArrayOutputStream();
                            for (JsonNode h : hs) {
                                buf.writeBytes(Hex.decode(h.get(0).asText()));
                            }
                            plain = buf.toByteArray();
                        }
                        dir.recordStarts.add(dir.handshake.size());
                        dir.handshake.writeBytes(plain);
                        emitHandshakeMessages(w, dir, s);
                    }
                    case 20 -> {
                        w.message(dir.role, "direct", "sent", "change_cipher_spec", "change_cipher_spec",
                                Map.of(), fragment, List.of(0));
                        w.message(dir.peer, "direct", "received", "change_cipher_spec", "change_cipher_spec",
                                Map.of(), fragment, List.of(0));
                        dir.encrypted = true;
                    }
                    case 21 -> {
                        byte[] alert = fragment;
                        JsonNode am = rec.path("tls.alert_message");
                        if (dir.encrypted) {
                            if (!am.has("tls.alert_message.desc")) {
                                throw new ImportException("cannot decrypt an alert from the " + dir.role);
                            }
                            alert = new byte[] {(byte) am.path("tls.alert_message.level").asInt(),
                                    (byte) am.path("tls.alert_message.desc").asInt()};
                        }
                        Map<String, Object> f = new LinkedHashMap<>();
                        if (alert.length == 2) {
                            f.put("level", alert[0] == 2 ? "fatal" : alert[0] == 1 ? "warning" : String.valueOf(alert[0]));
                            f.put("description", MessageFields.alertName(alert[1] & 0xff));
                        }
                        String alertName = alert.length == 2 ? MessageFields.alertName(alert[1] & 0xff) : "alert";
                        emitProtected(w, dir, "alert", alertName, f, alert);
                        if (alert.length == 2 && alert[0] == 2 && !s.finished(client, server)) {
                            s.abort = new String[] {dir.role, MessageFields.alertName(alert[1] & 0xff)};
                        }
                    }
                    case 23 -> {
                        byte[] plain;
                        if (dataIndex < data.size() && data.get(dataIndex).has("data.data")) {
                            plain = Hex.decode(data.get(dataIndex).path("data.data").asText());
                            dataIndex++;
                        } else {
                            throw new ImportException("cannot decrypt application data from the " + dir.role
                                    + ": is the key log the one of this capture?");
                        }
                        if (!s.secretClaimed.contains(dir.role) && s.finished(client, server)) {
                            s.secretClaimed.add(dir.role);
                            w.claim(dir.role, "direct", "Secret", Map.of("what", "application_data", "peer", dir.peer,
                                    "x-inferred", "the capture shows this role sending application data after the handshake"));
                        }
                        emitProtected(w, dir, "application_data", "application_data", Map.of("length", plain.length), plain);
                    }
                    default -> { }
                }
            }
        }
        if (clientEndpoint == null) {
            throw new ImportException("no TLS ClientHello found in the capture: is it a TLS session (tshark decodes"
                    + " TLS only on known ports; use the standard port or add -d tcp.port==N,tls)?");
        }
        if (client.consumed < client.handshake.size() || server.consumed < server.handshake.size()) {
            throw new ImportException("the capture ends inside a handshake message (truncated capture?)");
        }
        if (s.clientRandom != null) {
            w.secret("client", "direct", "client_random", Hex.decode(s.clientRandom));
        }
        if (s.serverRandom != null) {
            w.secret("server", "direct", "server_random", Hex.decode(s.serverRandom));
        }
        if (s.clientRandom != null && keys.containsKey(s.clientRandom)) {
            w.secret("client", "direct", "master_secret", Hex.decode(keys.get(s.clientRandom)));
        }
        if (s.finished(client, server)) {
            w.outcome("client", "direct", true, null, null, null, "handshake completed (both Finished seen in the capture)");
            w.outcome("server", "direct", true, null, null, null, "handshake completed (both Finished seen in the capture)");
        } else if (s.abort != null) {
            for (String role : List.of("client", "server")) {
                w.outcome(role, "direct", false, s.abort[1], s.abort[0], null,
                        "the " + s.abort[0] + " sent a fatal " + s.abort[1] + " alert before the handshake completed");
            }
        } else {
            for (String role : List.of("client", "server")) {
                w.outcome(role, "direct", false, null, null, null,
                        "the capture ends before the handshake completed and shows no alert (connection closed or capture cut)");
            }
        }
        return w.toTrace();
    }

    /** What the import learns about the session on the way. */
    private static final class Session {
        String clientRandom;
        String serverRandom;
        String version;
        String cipherSuite;
        String serverName;
        String serverCertSha256;
        int finishedClient;
        int finishedServer;
        String[] abort;
        final java.util.Set<String> secretClaimed = new java.util.HashSet<>();

        boolean finished(Direction client, Direction server) {
            return finishedClient > 0 && finishedServer > 0;
        }
    }

    private static void emitProtected(JsonTraceWriter w, Direction dir, String contentType, String name,
                                      Map<String, Object> fields, byte[] plain) {
        if (dir.encrypted) {
            sentAndReceivedEncrypted(w, dir, contentType, name, fields, plain);
        } else {
            w.message(dir.role, "direct", "sent", contentType, name, fields, plain, List.of(0));
            w.message(dir.peer, "direct", "received", contentType, name, fields, plain, List.of(0));
        }
    }

    private static void sentAndReceivedEncrypted(JsonTraceWriter w, Direction dir, String contentType, String name,
                                                 Map<String, Object> fields, byte[] plain) {
        w.message(dir.role, "direct", "sent", contentType, name, fields, plain, List.of(0), true);
        w.message(dir.peer, "direct", "received", contentType, name, fields, plain, List.of(0), true);
    }

    private static void emitHandshakeMessages(JsonTraceWriter w, Direction dir, Session s) {
        byte[] all = dir.handshake.toByteArray();
        while (all.length - dir.consumed >= 4) {
            int start = dir.consumed;
            int len = ((all[start + 1] & 0xff) << 16) | ((all[start + 2] & 0xff) << 8) | (all[start + 3] & 0xff);
            if (all.length - start < 4 + len) {
                return; // the rest comes in a later record
            }
            byte[] msg = java.util.Arrays.copyOfRange(all, start, start + 4 + len);
            List<Integer> bounds = new ArrayList<>();
            for (int b : dir.recordStarts) {
                if (b >= start && b < start + msg.length) {
                    bounds.add(b - start);
                }
            }
            dir.consumed = start + msg.length;
            String name = MessageFields.handshakeName(msg[0] & 0xff);
            Map<String, Object> fields = MessageFields.handshake(msg);
            learn(s, name, fields, dir);
            w.message(dir.role, "direct", "sent", "handshake", name, fields, msg, bounds, dir.encrypted);
            w.message(dir.peer, "direct", "received", "handshake", name, fields, msg, bounds, dir.encrypted);
            if (name.equals("finished")) {
                claimsAfterFinished(w, s, dir);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void learn(Session s, String name, Map<String, Object> fields, Direction dir) {
        switch (name) {
            case "client_hello" -> {
                s.clientRandom = (String) fields.get("random");
                Object exts = fields.get("extensions");
                if (exts instanceof List<?> list) {
                    for (Object o : list) {
                        Map<String, Object> e = (Map<String, Object>) o;
                        if ("server_name".equals(e.get("type"))) {
                            s.serverName = (String) e.get("host_name");
                        }
                    }
                }
            }
            case "server_hello" -> {
                s.serverRandom = (String) fields.get("random");
                s.version = (String) fields.get("server_version");
                s.cipherSuite = (String) fields.get("cipher_suite");
            }
            case "certificate" -> {
                if (dir.role.equals("server") && fields.get("certificate_list") instanceof List<?> certs && !certs.isEmpty()) {
                    s.serverCertSha256 = (String) ((Map<String, Object>) certs.get(0)).get("sha256");
                }
            }
            case "finished" -> {
                if (dir.role.equals("client")) s.finishedClient++;
                else s.finishedServer++;
            }
            default -> { }
        }
    }

    /**
     * Claims inferred from the wire: the server's Running once it has sent its Finished, the
     * client's Commit once it has received the server's Finished (the capture cannot show that the
     * client verified it; 'x-inferred' says so).
     */
    private static void claimsAfterFinished(JsonTraceWriter w, Session s, Direction dir) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("client_random", s.clientRandom);
        p.put("server_random", s.serverRandom);
        p.put("version", s.version);
        p.put("cipher_suite", s.cipherSuite);
        p.put("server_cert_sha256", s.serverCertSha256);
        if (dir.role.equals("server")) {
            p.put("peer", "anonymous");
            w.claim("server", "direct", "Running", withInferred(p, "the server sent its Finished"));
            if (s.finishedClient > 0) {
                Map<String, Object> c = new LinkedHashMap<>(p);
                c.remove("peer");
                c.put("server_name", s.serverName);
                w.claim("client", "direct", "Commit", withInferred(c, "the client received the server's Finished"));
            }
        }
    }

    private static Map<String, Object> withInferred(Map<String, Object> params, String why) {
        Map<String, Object> out = new LinkedHashMap<>(params);
        out.put("x-inferred", "from the capture: " + why);
        return out;
    }

    /** A JSON value that tshark writes as an object or, with duplicates merged, an array of them. */
    /** One TLS record of a packet: tshark's dissection of it, its content type and its raw bytes. */
    private record RecordView(JsonNode rec, int contentType, byte[] record) { }

    /**
     * The records of one packet. Normally tshark's. But Wireshark dissects extension type 0xFFA5 (65445, this
     * project's default proxy_info code point, DEC-2) as draft QUIC transport parameters, marks the proxy's
     * ServerHello malformed and drops the rest of that segment's records (Certificate, ServerKeyExchange, ...).
     * For such a packet in the plaintext part of the handshake the records are read from the TCP payload here
     * (RFC 5246 §6.2.1 framing), so the import does not depend on how Wireshark reads our extension.
     */
    private static List<RecordView> recordViews(JsonNode layers, Direction dir) {
        List<RecordView> out = new ArrayList<>();
        String payload = layers.path("tcp").path("tcp.payload").asText("");
        if (layers.has("_ws.malformed") && !dir.encrypted && !payload.isEmpty()) {
            byte[] b = Hex.decode(payload.replace(":", ""));
            int p = 0;
            while (p + 5 <= b.length) {
                int len = ((b[p + 3] & 0xff) << 8) | (b[p + 4] & 0xff);
                if (p + 5 + len > b.length) {
                    break; // a record continued in the next segment: left to tshark's reassembly
                }
                out.add(new RecordView(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(),
                        b[p] & 0xff, java.util.Arrays.copyOfRange(b, p, p + 5 + len)));
                p += 5 + len;
            }
            if (p == b.length && !out.isEmpty()) {
                return out;
            }
            out.clear();
        }
        for (JsonNode tls : list(layers.get("tls"))) {
            List<JsonNode> records = list(tls.get("tls.record"));
            List<JsonNode> recordRaws = rawList(tls.get("tls.record_raw"));
            for (int i = 0; i < records.size(); i++) {
                JsonNode rec = records.get(i);
                if (!rec.isObject()) {
                    continue;
                }
                byte[] record = i < recordRaws.size() ? Hex.decode(recordRaws.get(i).get(0).asText()) : new byte[0];
                out.add(new RecordView(rec, rec.path("tls.record.content_type").asInt(-1), record));
            }
        }
        return out;
    }

    private static List<JsonNode> list(JsonNode n) {
        List<JsonNode> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (n.isArray()) {
            n.forEach(out::add);
        } else {
            out.add(n);
        }
        return out;
    }

    /** A *_raw value: ["hex", offset, length, mask, type] or an array of those. */
    private static List<JsonNode> rawList(JsonNode n) {
        List<JsonNode> out = new ArrayList<>();
        if (n == null || !n.isArray() || n.isEmpty()) {
            return out;
        }
        if (n.get(0).isTextual()) {
            out.add(n);
        } else {
            n.forEach(out::add);
        }
        return out;
    }

    private static int firstHandshakeType(JsonNode rec) {
        List<JsonNode> hs = rawList(rec.get("tls.handshake_raw"));
        if (hs.isEmpty()) {
            return -1;
        }
        String hex = hs.get(0).get(0).asText();
        return hex.length() >= 2 ? Integer.parseInt(hex.substring(0, 2), 16) : -1;
    }
}
