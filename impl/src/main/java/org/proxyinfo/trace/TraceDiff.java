package org.proxyinfo.trace;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/**
 * {@code trace diff}: compares two traces and reports the first divergence, field by field.
 * The run metadata is compared first (unless ignored), then the events in order; for the first
 * event that differs every differing field is listed with its JSON path and both values.
 */
public final class TraceDiff {

    /** One differing field: its JSON path, and the value in A and in B ("(absent)" if missing). */
    public record FieldDifference(String path, String a, String b) { }

    /**
     * The result: empty lists when the traces are equal. {@code eventIndex} is the index of the
     * first differing event (-1 when the events agree).
     */
    public record Result(List<FieldDifference> run, int eventIndex, List<FieldDifference> event,
                         Trace.Event eventA, Trace.Event eventB) {
        public boolean equal() {
            return run.isEmpty() && eventIndex < 0;
        }
    }

    private TraceDiff() { }

    public static Result compare(Trace a, Trace b, boolean eventsOnly) {
        List<FieldDifference> run = new ArrayList<>();
        if (!eventsOnly) {
            if (!a.schemaVersion().equals(b.schemaVersion())) {
                run.add(new FieldDifference("/schemaVersion", a.schemaVersion(), b.schemaVersion()));
            }
            compare("/run", a.run(), b.run(), run);
        }
        int n = Math.min(a.events().size(), b.events().size());
        for (int i = 0; i < n; i++) {
            List<FieldDifference> diffs = new ArrayList<>();
            compare("", a.events().get(i).json(), b.events().get(i).json(), diffs);
            if (!diffs.isEmpty()) {
                return new Result(run, i, diffs, a.events().get(i), b.events().get(i));
            }
        }
        if (a.events().size() != b.events().size()) {
            boolean aLonger = a.events().size() > b.events().size();
            Trace.Event extra = (aLonger ? a : b).events().get(n);
            List<FieldDifference> diffs = List.of(new FieldDifference("(event)",
                    aLonger ? describe(extra) : "(no more events)", aLonger ? "(no more events)" : describe(extra)));
            return new Result(run, n, diffs, aLonger ? extra : null, aLonger ? null : extra);
        }
        return new Result(run, -1, List.of(), null, null);
    }

    static void compare(String path, JsonNode a, JsonNode b, List<FieldDifference> out) {
        if (a == null || b == null) {
            if (a != b) {
                out.add(new FieldDifference(path, show(a), show(b)));
            }
            return;
        }
        if (a.isObject() && b.isObject()) {
            TreeSet<String> keys = new TreeSet<>();
            a.fieldNames().forEachRemaining(keys::add);
            b.fieldNames().forEachRemaining(keys::add);
            // report in A's key order first (the schema's field order), then B-only keys
            List<String> ordered = new ArrayList<>();
            a.fieldNames().forEachRemaining(ordered::add);
            for (String k : keys) {
                if (!ordered.contains(k)) ordered.add(k);
            }
            for (String k : ordered) {
                compare(path + "/" + k, a.get(k), b.get(k), out);
            }
            return;
        }
        if (a.isArray() && b.isArray()) {
            Iterator<JsonNode> ia = a.elements();
            Iterator<JsonNode> ib = b.elements();
            int i = 0;
            while (ia.hasNext() || ib.hasNext()) {
                compare(path + "/" + i, ia.hasNext() ? ia.next() : null, ib.hasNext() ? ib.next() : null, out);
                i++;
            }
            return;
        }
        if (!a.equals(b)) {
            out.add(new FieldDifference(path, show(a), show(b)));
        }
    }

    private static String show(JsonNode n) {
        if (n == null) return "(absent)";
        String s = n.isTextual() ? n.asText() : n.toString();
        return s.length() > 200 ? s.substring(0, 200) + "... (" + s.length() + " chars)" : s;
    }

    static String describe(Trace.Event e) {
        String what = switch (e.kind()) {
            case "message" -> e.text("direction") + " " + e.text("messageName");
            case "transition" -> e.text("from") + " -> " + e.text("to");
            case "check" -> e.text("requirementId") + (e.flag("passed") ? " passed" : " FAILED");
            case "claim" -> e.text("claim");
            case "secret" -> e.text("name");
            case "outcome" -> e.flag("established") ? "established" : "alert " + e.text("alert");
            default -> "";
        };
        return "seq " + e.seq() + " " + e.kind() + " " + e.role() + "/" + e.leg() + " " + what;
    }

    /** The report for people. */
    public static String report(Result r, String nameA, String nameB) {
        if (r.equal()) {
            return "The traces are equal (" + nameA + ", " + nameB + ").\n";
        }
        StringBuilder sb = new StringBuilder();
        sb.append("--- A: ").append(nameA).append('\n').append("+++ B: ").append(nameB).append('\n');
        if (!r.run().isEmpty()) {
            sb.append("\nRun metadata differs:\n");
            appendFields(sb, r.run());
        }
        if (r.eventIndex() >= 0) {
            sb.append("\nFirst divergence at event #").append(r.eventIndex()).append(":\n");
            sb.append("  A: ").append(r.eventA() == null ? "(no more events)" : describe(r.eventA())).append('\n');
            sb.append("  B: ").append(r.eventB() == null ? "(no more events)" : describe(r.eventB())).append('\n');
            if (r.eventA() != null && r.eventB() != null) {
                sb.append("Fields that differ:\n");
                appendFields(sb, r.event());
            }
        } else {
            sb.append("\nThe events are equal.\n");
        }
        return sb.toString();
    }

    private static void appendFields(StringBuilder sb, List<FieldDifference> diffs) {
        for (FieldDifference d : diffs) {
            sb.append("  ").append(d.path()).append('\n');
            sb.append("    A: ").append(d.a()).append('\n');
            sb.append("    B: ").append(d.b()).append('\n');
        }
    }
}
