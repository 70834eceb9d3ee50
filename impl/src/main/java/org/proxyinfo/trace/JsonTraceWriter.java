package org.proxyinfo.trace;

import org.proxyinfo.wire.Hex;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@link TraceSink} that records a run as a JSON trace (traces/schema/trace.schema.json).
 *
 * Thread-safe: a proxy's two legs report concurrently; each event gets its sequence number under
 * the writer's lock, so {@code seq} is the order in which events reached the writer. The output is
 * deterministic: fixed key order per event kind, sorted keys inside free-form maps, no wall-clock
 * time, {@code \n} line ends; with a seeded TlsCrypto and a fixed clock two runs give the same bytes.
 */
public final class JsonTraceWriter implements TraceSink {
    private final RunInfo run;
    private final List<ObjectNode> events = new ArrayList<>();

    public JsonTraceWriter(RunInfo run) {
        this.run = run;
    }

    private ObjectNode start(String kind, String role, String leg) {
        ObjectNode e = TraceJson.NODES.objectNode();
        e.put("seq", events.size());
        e.put("kind", kind);
        e.put("role", role);
        e.put("leg", leg);
        return e;
    }

    @Override
    public void message(String role, String leg, String direction, String contentType, String messageName,
                        Map<String, Object> fields, byte[] raw, List<Integer> recordBoundaries) {
        message(role, leg, direction, contentType, messageName, fields, raw, recordBoundaries, false);
    }

    /**
     * As {@link #message}, and {@code encrypted}: the message was protected by the record layer
     * (after ChangeCipherSpec); {@code raw} is its plaintext. Written as {@code "encrypted": true}.
     */
    public synchronized void message(String role, String leg, String direction, String contentType, String messageName,
                                     Map<String, Object> fields, byte[] raw, List<Integer> recordBoundaries,
                                     boolean encrypted) {
        ObjectNode e = start("message", role, leg);
        e.put("direction", direction);
        e.put("contentType", contentType);
        e.put("messageName", messageName);
        e.set("fields", fields == null ? TraceJson.NODES.objectNode() : TraceJson.toNode(fields));
        e.put("raw", Hex.encode(raw));
        ArrayNode bounds = e.putArray("recordBoundaries");
        if (recordBoundaries != null) {
            recordBoundaries.forEach(bounds::add);
        }
        if (encrypted) {
            e.put("encrypted", true);
        }
        events.add(e);
    }

    @Override
    public synchronized void transition(String role, String leg, String from, String to, String trigger) {
        ObjectNode e = start("transition", role, leg);
        e.put("from", from);
        e.put("to", to);
        e.put("trigger", trigger);
        events.add(e);
    }

    @Override
    public synchronized void check(String role, String leg, String requirementId, String what, boolean passed, String detail) {
        ObjectNode e = start("check", role, leg);
        e.put("requirementId", requirementId);
        e.put("what", what);
        e.put("passed", passed);
        e.put("detail", detail);
        events.add(e);
    }

    @Override
    public synchronized void claim(String role, String leg, String claim, Map<String, Object> params) {
        ObjectNode e = start("claim", role, leg);
        e.put("claim", claim);
        e.set("params", params == null ? TraceJson.NODES.objectNode() : TraceJson.toNode(params));
        events.add(e);
    }

    /** Records a TEST-ONLY secret; the event carries {@code testOnly: true}. */
    @Override
    public synchronized void secret(String role, String leg, String name, byte[] value) {
        ObjectNode e = start("secret", role, leg);
        e.put("name", name);
        e.put("value", Hex.encode(value));
        e.put("testOnly", true);
        events.add(e);
    }

    @Override
    public synchronized void outcome(String role, String leg, boolean established, String alert, String sentBy,
                                     String requirementId, String message) {
        ObjectNode e = start("outcome", role, leg);
        e.put("established", established);
        e.put("alert", alert);
        e.put("sentBy", sentBy);
        e.put("requirementId", requirementId);
        e.put("message", message);
        events.add(e);
    }

    /** Number of events recorded so far. */
    public synchronized int size() {
        return events.size();
    }

    /** The whole trace as a JSON tree (a snapshot). */
    public synchronized ObjectNode toJsonTree() {
        ObjectNode root = TraceJson.NODES.objectNode();
        root.put("schemaVersion", TraceJson.SCHEMA_VERSION);
        root.set("run", run.toJson());
        ArrayNode arr = root.putArray("events");
        events.forEach(e -> arr.add(e.deepCopy()));
        return root;
    }

    /** The trace as deterministic pretty-printed JSON. */
    public String toJson() {
        return TraceJson.pretty(toJsonTree());
    }

    /** The trace as a {@link Trace} (a snapshot). */
    public Trace toTrace() {
        return Trace.fromJson(toJsonTree());
    }

    /** Writes the trace to {@code file} (UTF-8), creating parent directories. */
    public void writeTo(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, toJson(), StandardCharsets.UTF_8);
    }
}
