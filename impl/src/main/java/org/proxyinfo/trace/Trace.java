package org.proxyinfo.trace;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A trace read back: the schema version, the {@code run} metadata and the ordered events.
 * Reading checks the structure the tools rely on (schema major version 1, every event with
 * seq/kind/role/leg, strictly increasing seq); full schema validation is the tests' job
 * (TraceValidator).
 */
public record Trace(String schemaVersion, ObjectNode run, List<Event> events) {

    /** One event: the common fields, and the whole JSON object for the kind-specific ones. */
    public record Event(long seq, String kind, String role, String leg, ObjectNode json) {
        /** A kind-specific text field, or null when absent or JSON null. */
        public String text(String field) {
            JsonNode n = json.get(field);
            return n == null || n.isNull() ? null : n.isValueNode() ? n.asText() : n.toString();
        }

        public boolean flag(String field) {
            JsonNode n = json.get(field);
            return n != null && n.asBoolean(false);
        }

        public JsonNode node(String field) {
            return json.get(field);
        }

        /** The same event with another sequence number. */
        public Event withSeq(long newSeq) {
            ObjectNode copy = json.deepCopy();
            copy.put("seq", newSeq);
            return new Event(newSeq, kind, role, leg, reorder(copy));
        }

        /** Key of a message event for matching a 'sent' with the peer's 'received'. */
        String messageKey() {
            return leg + "|" + text("contentType") + "|" + text("messageName") + "|" + text("raw");
        }

        boolean isMessage(String direction) {
            return "message".equals(kind) && direction.equals(text("direction"));
        }

        private static ObjectNode reorder(ObjectNode node) {
            ObjectNode out = TraceJson.NODES.objectNode();
            for (String first : List.of("seq", "kind", "role", "leg")) {
                if (node.has(first)) out.set(first, node.get(first));
            }
            node.fields().forEachRemaining(e -> {
                if (!out.has(e.getKey())) out.set(e.getKey(), e.getValue());
            });
            return out;
        }
    }

    public Trace {
        events = List.copyOf(events);
    }

    public static Trace read(Path file) throws TraceFormatException {
        String text;
        try {
            // a regular file of at most TRACE_LIMIT bytes of UTF-8 (impl/HOSTILE.md, section 4)
            text = org.proxyinfo.io.TextFiles.read(file, org.proxyinfo.io.TextFiles.TRACE_LIMIT, "a trace");
        } catch (IOException e) {
            throw new TraceFormatException(e.getMessage().startsWith(file.toString()) ? e.getMessage()
                    : file + ": cannot read (" + e.getMessage() + ")");
        }
        try {
            return parse(text);
        } catch (TraceFormatException e) {
            throw new TraceFormatException(file + ": " + e.getMessage());
        }
    }

    public static Trace parse(String json) throws TraceFormatException {
        JsonNode root;
        try {
            root = TraceJson.parse(json);
        } catch (JsonProcessingException e) {
            throw new TraceFormatException("not JSON: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " at line " + e.getLocation().getLineNr() : ""));
        }
        return checked(root);
    }

    /** For trees this code built itself (always well-formed). */
    static Trace fromJson(JsonNode root) {
        try {
            return checked(root);
        } catch (TraceFormatException e) {
            throw new IllegalStateException("the trace writer built an ill-formed trace: " + e.getMessage());
        }
    }

    private static Trace checked(JsonNode root) throws TraceFormatException {
        if (root == null || !root.isObject()) {
            throw new TraceFormatException("a trace is a JSON object with schemaVersion, run and events");
        }
        JsonNode version = root.get("schemaVersion");
        if (version == null || !version.isTextual() || !version.asText().matches("1\\.[0-9]+")) {
            throw new TraceFormatException("schemaVersion must be 1.x, a string (this tool reads trace schema 1), found "
                    + (version == null ? "none" : version.isNumber() ? "the number " + version + ": write it as \""
                    + (version.asText().contains(".") ? version.asText() : version.asText() + ".0") + "\"" : version.toString()));
        }
        JsonNode run = root.get("run");
        if (run == null || !run.isObject()) {
            throw new TraceFormatException("missing the run object (source, softwareVersion, roles, configuration)");
        }
        JsonNode evs = root.get("events");
        if (evs == null || !evs.isArray()) {
            throw new TraceFormatException("missing the events array");
        }
        List<Event> events = new ArrayList<>();
        long last = -1;
        for (int i = 0; i < evs.size(); i++) {
            JsonNode e = evs.get(i);
            if (!e.isObject()) {
                throw new TraceFormatException("event #" + i + " is not an object");
            }
            for (String f : List.of("seq", "kind", "role", "leg")) {
                if (!e.hasNonNull(f)) {
                    throw new TraceFormatException("event #" + i + " has no " + f);
                }
            }
            if (!e.get("seq").canConvertToLong()) {
                throw new TraceFormatException("event #" + i + ": seq is not an integer");
            }
            long seq = e.get("seq").asLong();
            if (seq <= last) {
                throw new TraceFormatException("event #" + i + ": seq " + seq + " does not follow " + last
                        + " (sequence numbers must strictly increase)");
            }
            last = seq;
            events.add(new Event(seq, e.get("kind").asText(), e.get("role").asText(), e.get("leg").asText(),
                    (ObjectNode) e.deepCopy()));
        }
        return new Trace(version.asText(), (ObjectNode) run.deepCopy(), events);
    }

    /** Roles in lifeline order: run.roles first, then any other role that appears in an event. */
    public List<String> roles() {
        Set<String> out = new LinkedHashSet<>();
        JsonNode r = run.get("roles");
        if (r != null && r.isArray()) {
            r.forEach(n -> out.add(n.asText()));
        }
        for (Event e : events) {
            out.add(e.role());
        }
        return List.copyOf(out);
    }

    public String source() {
        JsonNode s = run.get("source");
        return s == null ? "?" : s.asText();
    }

    /** The events of one leg only (same run metadata, same sequence numbers). */
    public Trace forLeg(String leg) {
        return new Trace(schemaVersion, run, events.stream().filter(e -> e.leg().equals(leg)).toList());
    }

    /**
     * What identifies one TLS session across the traces of its two ends: the hello randoms
     * (RFC5246-7.4.1.2). {@code serverRandom} is null when no ServerHello was seen.
     */
    public record LegKey(String clientRandom, String serverRandom) {
        /** The same session: equal client_random, and equal server_random when both are known. */
        public boolean sameSession(LegKey o) {
            return clientRandom != null && clientRandom.equals(o.clientRandom)
                    && (serverRandom == null || o.serverRandom == null || serverRandom.equals(o.serverRandom));
        }

        public String shortText() {
            return "client_random " + SequenceLayout.abbreviate(clientRandom) + ", server_random "
                    + (serverRandom == null ? "(none)" : SequenceLayout.abbreviate(serverRandom));
        }
    }

    /** Per leg (in order of appearance), the randoms of its ClientHello and ServerHello, sent or received. */
    public Map<String, LegKey> legKeys() {
        Map<String, String[]> raw = new java.util.LinkedHashMap<>();
        for (Event e : events) {
            if (!"message".equals(e.kind()) || e.node("fields") == null) continue;
            String name = e.text("messageName");
            int i = "client_hello".equals(name) ? 0 : "server_hello".equals(name) ? 1 : -1;
            JsonNode r = e.node("fields").get("random");
            if (i < 0 || r == null || !r.isTextual() || r.asText().isEmpty()) continue;
            String[] k = raw.computeIfAbsent(e.leg(), x -> new String[2]);
            if (k[i] == null) k[i] = r.asText();
        }
        Map<String, LegKey> out = new java.util.LinkedHashMap<>();
        raw.forEach((leg, k) -> {
            if (k[0] != null) out.put(leg, new LegKey(k[0], k[1]));
        });
        return out;
    }

    /** The same trace with legs renamed ({@code names}: old name to new; others kept). */
    public Trace renameLegs(Map<String, String> names) {
        List<Event> out = new ArrayList<>();
        for (Event e : events) {
            String to = names.get(e.leg());
            if (to == null || to.equals(e.leg())) {
                out.add(e);
            } else {
                ObjectNode copy = e.json().deepCopy();
                copy.put("leg", to);
                out.add(new Event(e.seq(), e.kind(), e.role(), to, copy));
            }
        }
        return new Trace(schemaVersion, run, out);
    }

    /** The same events with other run metadata. */
    public Trace withRun(ObjectNode newRun) {
        return new Trace(schemaVersion, newRun, events);
    }

    public ObjectNode toJsonTree() {
        ObjectNode root = TraceJson.NODES.objectNode();
        root.put("schemaVersion", schemaVersion);
        root.set("run", run.deepCopy());
        ArrayNode arr = root.putArray("events");
        events.forEach(e -> arr.add(e.json().deepCopy()));
        return root;
    }

    public String toJson() {
        return TraceJson.pretty(toJsonTree());
    }

    public void writeTo(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, toJson(), StandardCharsets.UTF_8);
    }

    /**
     * Merges per-leg (or per-role) traces of one run into one trace, ordered by sequence number.
     * When the inputs' sequence numbers come from one writer (all distinct) the result is simply
     * sorted by seq. When they were numbered independently (e.g. three processes), the merge keeps
     * each input's own order and places every 'received' message after the peer's matching 'sent'
     * message (same leg, content type, name and bytes), breaking ties by seq and then input order.
     * The merged events are renumbered 0, 1, 2, ...; the run metadata is the first input's, with the
     * union of the roles.
     */
    public static Trace merge(List<Trace> inputs) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("nothing to merge");
        }
        List<Event> merged = new ArrayList<>();
        Set<Long> seqs = new HashSet<>();
        boolean distinct = true;
        for (Trace t : inputs) {
            for (Event e : t.events()) {
                distinct &= seqs.add(e.seq());
            }
        }
        if (distinct) {
            inputs.forEach(t -> merged.addAll(t.events()));
            merged.sort(Comparator.comparingLong(Event::seq));
        } else {
            causalMerge(inputs, merged);
        }
        List<Event> renumbered = new ArrayList<>();
        for (int i = 0; i < merged.size(); i++) {
            renumbered.add(merged.get(i).withSeq(i));
        }
        ObjectNode run = inputs.get(0).run().deepCopy();
        Set<String> roles = new LinkedHashSet<>();
        inputs.forEach(t -> roles.addAll(t.roles()));
        List<String> ordered = new ArrayList<>(roles);
        ordered.sort(Comparator.comparingInt(Trace::lifelineRank)); // stable: proxies keep their order
        ArrayNode roleArray = run.putArray("roles");
        ordered.forEach(roleArray::add);
        return new Trace(inputs.get(0).schemaVersion(), run, renumbered);
    }

    private static int lifelineRank(String role) {
        if (role.startsWith("client")) return 0;
        if (role.startsWith("attacker")) return 3;
        if (role.startsWith("server")) return 2;
        return 1;
    }

    private static void causalMerge(List<Trace> inputs, List<Event> out) {
        int n = inputs.size();
        int[] pos = new int[n];
        Map<String, Integer> sentPool = new HashMap<>(); // emitted 'sent' messages not yet matched
        while (true) {
            int best = -1;
            int fallback = -1;
            for (int i = 0; i < n; i++) {
                List<Event> evs = inputs.get(i).events();
                if (pos[i] >= evs.size()) continue;
                Event head = evs.get(pos[i]);
                if (fallback < 0 || head.seq() < inputs.get(fallback).events().get(pos[fallback]).seq()) {
                    fallback = i;
                }
                if (head.isMessage("received") && sentPool.getOrDefault(head.messageKey(), 0) == 0
                        && pendingSent(inputs, pos, i, head.messageKey())) {
                    continue; // wait for the peer's 'sent'
                }
                if (best < 0 || head.seq() < inputs.get(best).events().get(pos[best]).seq()) {
                    best = i;
                }
            }
            if (fallback < 0) return;
            int pick = best >= 0 ? best : fallback;
            Event e = inputs.get(pick).events().get(pos[pick]++);
            if (e.isMessage("sent")) {
                sentPool.merge(e.messageKey(), 1, Integer::sum);
            } else if (e.isMessage("received")) {
                sentPool.computeIfPresent(e.messageKey(), (k, v) -> v > 1 ? v - 1 : null);
            }
            out.add(e);
        }
    }

    private static boolean pendingSent(List<Trace> inputs, int[] pos, int except, String key) {
        for (int i = 0; i < inputs.size(); i++) {
            if (i == except) continue;
            List<Event> evs = inputs.get(i).events();
            for (int j = pos[i]; j < evs.size(); j++) {
                if (evs.get(j).isMessage("sent") && evs.get(j).messageKey().equals(key)) return true;
            }
        }
        return false;
    }
}
