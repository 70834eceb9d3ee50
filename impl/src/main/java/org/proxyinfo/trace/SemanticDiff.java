package org.proxyinfo.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code trace diff} without {@code --exact} (issue 16 finding 3): where does run B depart from run A
 * in what the parties did, not in the bytes two runs never share?
 *
 * <ul>
 *   <li>Aligned per role and leg: each party's own events are compared in order, so two runs whose
 *       parties interleave differently still line up, message by message and field by field.</li>
 *   <li>Ignored: secret events; {@code raw} and {@code recordBoundaries} (bytes that embed randoms, keys and
 *       signatures); the fields and parameters {@code random}, {@code client_random}, {@code server_random},
 *       {@code session_id}, {@code public}, {@code exchange_keys}, {@code signature}, {@code verify_data};
 *       the proxy_info extension's bytes (they hold a signature and the upstream server_random; what the
 *       client made of them is compared through its checks); producer {@code x-} fields; hex runs of 16
 *       or more digits in texts (keys and hashes quoted in details); the run metadata.</li>
 *   <li>The first divergence is the earliest (by B's order) first difference over all parties, said for
 *       people: "forged-signature departs from proxied at the client's DEC-8 check (1): FAILED hop 1:
 *       assertion signature; then decrypt_error".</li>
 * </ul>
 */
public final class SemanticDiff {
    static final Set<String> IGNORED = Set.of("random", "client_random", "server_random", "session_id", "public",
            "exchange_keys", "signature", "verify_data", "raw", "recordBoundaries", "seq");

    /** The answer: equal, or the headline and the differing fields. */
    public record Result(boolean equal, String headline, List<TraceDiff.FieldDifference> fields, List<String> perParty) { }

    private SemanticDiff() { }

    public static Result compare(Trace a, Trace b, String nameA, String nameB) {
        Map<String, List<Trace.Event>> pa = parties(a);
        Map<String, List<Trace.Event>> pb = parties(b);
        Set<String> keys = new LinkedHashSet<>(pb.keySet());
        keys.addAll(pa.keySet());
        Trace.Event firstB = null;
        Trace.Event firstA = null;
        String firstKey = null;
        long bestSeq = Long.MAX_VALUE;
        List<TraceDiff.FieldDifference> bestFields = List.of();
        java.util.TreeMap<Long, String> perParty = new java.util.TreeMap<>();
        for (String k : keys) {
            List<Trace.Event> ea = pa.getOrDefault(k, List.of());
            List<Trace.Event> eb = pb.getOrDefault(k, List.of());
            int n = Math.max(ea.size(), eb.size());
            for (int i = 0; i < n; i++) {
                Trace.Event x = i < ea.size() ? ea.get(i) : null;
                Trace.Event y = i < eb.size() ? eb.get(i) : null;
                JsonNode nx = x == null ? null : normalize(x.json());
                JsonNode ny = y == null ? null : normalize(y.json());
                if (nx != null && nx.equals(ny)) continue;
                long at = y != null ? y.seq() : (x != null ? x.seq() : Long.MAX_VALUE);
                perParty.put(at, headline(x, y, a, b, nameA, nameB));
                if (at < bestSeq) {
                    bestSeq = at;
                    firstA = x;
                    firstB = y;
                    firstKey = k;
                    List<TraceDiff.FieldDifference> f = new ArrayList<>();
                    TraceDiff.compare("", nx, ny, f);
                    bestFields = f;
                }
                break;
            }
        }
        if (firstKey == null) {
            return new Result(true, nameB + " and " + nameA + " are equal apart from randoms, keys, signatures, bytes and timings"
                    + " (trace diff --exact compares those too).", List.of(), List.of());
        }
        return new Result(false, headline(firstA, firstB, a, b, nameA, nameB), bestFields, List.copyOf(perParty.values()));
    }

    private static String headline(Trace.Event firstA, Trace.Event firstB, Trace a, Trace b, String nameA, String nameB) {
        Trace.Event at = firstB != null ? firstB : firstA;
        StringBuilder h = new StringBuilder();
        h.append(nameB).append(" departs from ").append(nameA).append(" at the ").append(at.role()).append("'s ")
                .append(what(at, firstB != null ? b : a));
        if (firstB == null) {
            h.append(", which ").append(nameB).append(" does not have (its ").append(at.role()).append(" on ").append(at.leg())
                    .append(" stops earlier)");
        } else if (firstA == null) {
            h.append(", which ").append(nameA).append(" does not have");
        }
        String end = ending(b, at.role(), at.leg());
        if (end != null) h.append("; then ").append(end);
        return h.toString();
    }

    /** Party = role and leg, each party's events in order. */
    private static Map<String, List<Trace.Event>> parties(Trace t) {
        Map<String, List<Trace.Event>> out = new LinkedHashMap<>();
        for (Trace.Event e : t.events()) {
            if ("secret".equals(e.kind())) continue;
            out.computeIfAbsent(e.role() + " on " + e.leg(), k -> new ArrayList<>()).add(e);
        }
        return out;
    }

    /** "DEC-8 check (1): FAILED hop 1: assertion signature" or "sent server_hello". */
    private static String what(Trace.Event e, Trace in) {
        switch (e.kind()) {
            case "check": {
                int n = 0;
                for (Trace.Event o : in.events()) {
                    if (o.kind().equals("check") && o.role().equals(e.role())
                            && java.util.Objects.equals(o.text("requirementId"), e.text("requirementId"))) {
                        n++;
                        if (o.seq() == e.seq()) break;
                    }
                }
                return e.text("requirementId") + " check (" + n + "): " + (e.flag("passed") ? "passed " : "FAILED ") + e.text("what");
            }
            case "message":
                return e.text("direction") + " " + SequenceLayout.messageLabel(e) + " on " + e.leg();
            case "outcome":
                return "outcome on " + e.leg() + ": " + SequenceLayout.outcomeText(e);
            case "claim":
                return e.text("claim") + " claim on " + e.leg();
            case "transition":
                return "transition " + e.text("from") + " -> " + e.text("to");
            default:
                return e.kind();
        }
    }

    /** How the role's leg ended in that trace, when it did not simply establish: the alert. */
    private static String ending(Trace t, String role, String leg) {
        for (Trace.Event e : t.events()) {
            if (e.kind().equals("outcome") && e.role().equals(role) && e.leg().equals(leg) && !e.flag("established")) {
                return e.text("alert") != null ? e.text("alert") + (e.text("sentBy") != null ? " (sent by " + e.text("sentBy") + ")" : "")
                        : "failed without an alert";
            }
        }
        return null;
    }

    static JsonNode normalize(JsonNode n) {
        if (n == null) return null;
        if (n.isObject()) {
            ObjectNode out = TraceJson.NODES.objectNode();
            boolean proxyInfo = n.has("type") && "proxy_info".equals(n.get("type").asText());
            n.fields().forEachRemaining(f -> {
                String k = f.getKey();
                if (IGNORED.contains(k) || k.startsWith("x-")) return;
                if (proxyInfo && k.equals("data")) return;
                out.set(k, normalize(f.getValue()));
            });
            return out;
        }
        if (n.isArray()) {
            ArrayNode out = TraceJson.NODES.arrayNode();
            n.forEach(x -> out.add(normalize(x)));
            return out;
        }
        if (n.isTextual()) {
            return TextNode.valueOf(n.asText().replaceAll("[0-9a-fA-F]{16,}", "<hex>"));
        }
        return n;
    }

    /** The report for people. */
    public static String report(Result r) {
        StringBuilder sb = new StringBuilder(r.headline()).append('\n');
        if (r.perParty().size() > 1) {
            sb.append("Where each party departs, in order:\n");
            r.perParty().forEach(p -> sb.append("  ").append(p).append('\n'));
        }
        if (!r.equal() && !r.fields().isEmpty()) {
            sb.append("Fields that differ (randoms, keys, signatures and bytes ignored; --exact keeps them):\n");
            for (TraceDiff.FieldDifference d : r.fields()) {
                sb.append("  ").append(d.path().isEmpty() ? "(event)" : d.path()).append('\n');
                sb.append("    A: ").append(d.a()).append('\n');
                sb.append("    B: ").append(d.b()).append('\n');
            }
        }
        return sb.toString();
    }
}
