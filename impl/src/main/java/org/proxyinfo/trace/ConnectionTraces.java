package org.proxyinfo.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The traces of a long-running role (server, proxy): one trace file per connection (for the proxy:
 * per session pair, both legs) and an index. Issue 16 finding 2: one file that accumulated every
 * connection let {@code trace merge} mix connections.
 *
 * <p>{@code --trace proxy.json} writes {@code proxy-1.json}, {@code proxy-2.json}, ... (one per
 * connection, numbered in the order they finish) and {@code proxy.json}, the index: for each
 * connection its file, and for each leg the hello randoms by which {@code trace merge} finds the
 * matching traces of the other roles ({@link Trace#legKeys()}). The index is rewritten after each
 * connection.
 *
 * <p>Events are routed by the thread that handles the connection (an inheritable thread-local, so
 * the proxy's relay threads, started by the connection's thread, write to the same trace);
 * {@link #finish()} is called on that thread when the connection is over.
 */
public final class ConnectionTraces implements TraceSink {
    /** The index's format marker; an index is not a trace (traces/README.md "Live runs"). */
    public static final String INDEX_VERSION = "1.0";

    private final Path index;
    private final String role;
    private final Supplier<RunInfo> run;
    private final InheritableThreadLocal<JsonTraceWriter> current = new InheritableThreadLocal<>();
    private final ArrayNode connections = TraceJson.NODES.arrayNode();
    private int finished;

    public ConnectionTraces(Path index, String role, Supplier<RunInfo> run) {
        this.index = index;
        this.role = role;
        this.run = run;
    }

    /** {@code dir/proxy-3.json} for index {@code dir/proxy.json} and connection 3. */
    public static Path connectionFile(Path index, int n) {
        String name = index.getFileName().toString();
        String stem = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        return index.resolveSibling(stem + "-" + n + ".json");
    }

    private JsonTraceWriter writer() {
        JsonTraceWriter w = current.get();
        if (w == null) {
            w = new JsonTraceWriter(run.get());
            current.set(w);
        }
        return w;
    }

    /**
     * Ends the current thread's connection: writes its trace and rewrites the index. Returns the
     * trace file, or null when the connection recorded nothing.
     */
    public Path finish() throws IOException {
        JsonTraceWriter w = current.get();
        current.remove();
        if (w == null || w.size() == 0) {
            return null;
        }
        Trace t = w.toTrace();
        synchronized (this) {
            int n = ++finished;
            Path file = connectionFile(index, n);
            t.writeTo(file);
            ObjectNode entry = connections.addObject();
            entry.put("connection", n);
            entry.put("file", file.getFileName().toString());
            ArrayNode legs = entry.putArray("legs");
            for (Map.Entry<String, Trace.LegKey> k : t.legKeys().entrySet()) {
                ObjectNode l = legs.addObject();
                l.put("leg", k.getKey());
                l.put("client_random", k.getValue().clientRandom());
                l.put("server_random", k.getValue().serverRandom());
            }
            ArrayNode outcomes = entry.putArray("outcomes");
            t.events().stream().filter(e -> e.kind().equals("outcome"))
                    .forEach(e -> outcomes.add(SequenceLayout.outcomeText(e)));
            writeIndex();
            return file;
        }
    }

    private void writeIndex() throws IOException {
        ObjectNode root = TraceJson.NODES.objectNode();
        root.put("traceIndex", INDEX_VERSION);
        root.put("role", role);
        root.put("note", "One trace per connection. Merge one connection's traces with: proxyinfo trace merge CLIENT.json "
                + index.getFileName() + " ... --out RUN.json (merge picks the connection by its hello randoms).");
        root.set("connections", connections.deepCopy());
        Path tmp = index.resolveSibling(index.getFileName() + ".tmp");
        Files.writeString(tmp, TraceJson.pretty(root), StandardCharsets.UTF_8);
        Files.move(tmp, index, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Whether a JSON file is such an index (not a trace). */
    public static boolean isIndex(JsonNode root) {
        return root != null && root.isObject() && root.has("traceIndex");
    }

    /** The connection trace files an index lists, resolved beside it. */
    public static List<Path> files(Path indexFile, JsonNode root) {
        return java.util.stream.StreamSupport.stream(root.path("connections").spliterator(), false)
                .map(c -> indexFile.resolveSibling(c.path("file").asText())).toList();
    }

    @Override
    public void message(String role, String leg, String direction, String contentType, String messageName,
                        Map<String, Object> fields, byte[] raw, List<Integer> recordBoundaries) {
        writer().message(role, leg, direction, contentType, messageName, fields, raw, recordBoundaries);
    }

    @Override
    public void transition(String role, String leg, String from, String to, String trigger) {
        writer().transition(role, leg, from, to, trigger);
    }

    @Override
    public void check(String role, String leg, String requirementId, String what, boolean passed, String detail) {
        writer().check(role, leg, requirementId, what, passed, detail);
    }

    @Override
    public void adversary(String actsOn, String leg, String requirementId, String what, String detail) {
        writer().adversary(actsOn, leg, requirementId, what, detail);
    }

    @Override
    public void claim(String role, String leg, String claim, Map<String, Object> params) {
        writer().claim(role, leg, claim, params);
    }

    @Override
    public void secret(String role, String leg, String name, byte[] value) {
        writer().secret(role, leg, name, value);
    }

    @Override
    public void outcome(String role, String leg, boolean established, String alert, String sentBy,
                        String requirementId, String message) {
        writer().outcome(role, leg, established, alert, sentBy, requirementId, message);
    }
}
