package org.proxyinfo.trace;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a trace into the rows of a message-sequence diagram, shared by {@code trace show} (text)
 * and {@code trace render} (SVG): one arrow per message (a 'sent' event joined with the peer's
 * matching 'received' event), one note per transition, check, claim or secret, one outcome box per
 * outcome event.
 */
public final class SequenceLayout {

    public enum Kind { ARROW, TRANSITION, CHECK, CLAIM, SECRET, OUTCOME }

    /**
     * One row. For arrows {@code from}/{@code to} are lifeline indices (-1: unknown peer, drawn from
     * or to the edge); for notes {@code from} is the lifeline of the role that made it.
     */
    public record Row(Kind kind, int from, int to, String leg, String label, String detail, boolean bad, long seq) {
        /** A field the trace leaves out or sets to null (a secret without its value) is drawn as empty, never a crash. */
        public Row {
            label = label == null ? "" : label;
            detail = detail == null ? "" : detail;
        }
    }

    private final List<String> roles;
    private final List<Row> rows;

    private SequenceLayout(List<String> roles, List<Row> rows) {
        this.roles = roles;
        this.rows = rows;
    }

    public List<String> roles() {
        return roles;
    }

    public List<Row> rows() {
        return rows;
    }

    public static SequenceLayout of(Trace trace) {
        List<String> roles = trace.roles();
        List<Trace.Event> events = trace.events();
        Map<String, Set<String>> legRoles = new java.util.HashMap<>();
        for (Trace.Event e : events) {
            legRoles.computeIfAbsent(e.leg(), k -> new LinkedHashSet<>()).add(e.role());
        }
        Set<Integer> consumed = new HashSet<>();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            Trace.Event e = events.get(i);
            int me = lifeline(roles, e.role());
            switch (e.kind()) {
                case "message" -> {
                    if (consumed.contains(i)) {
                        continue;
                    }
                    String label = messageLabel(e);
                    // alerts are drawn as failures, except the orderly close_notify (RFC5246-7.2.1)
                    boolean alert = "alert".equals(e.text("contentType")) && !label.endsWith("close_notify");
                    if ("sent".equals(e.text("direction"))) {
                        int receiver = -1;
                        for (int j = i + 1; j < events.size(); j++) {
                            Trace.Event r = events.get(j);
                            if (!consumed.contains(j) && r.isMessage("received") && !r.role().equals(e.role())
                                    && r.messageKey().equals(e.messageKey())) {
                                consumed.add(j);
                                receiver = lifeline(roles, r.role());
                                break;
                            }
                        }
                        if (receiver < 0) {
                            receiver = lifeline(roles, otherRole(legRoles.get(e.leg()), e.role()));
                        }
                        rows.add(new Row(Kind.ARROW, me, receiver, e.leg(), label, rawSummary(e), alert, e.seq()));
                    } else {
                        int sender = lifeline(roles, otherRole(legRoles.get(e.leg()), e.role()));
                        rows.add(new Row(Kind.ARROW, sender, me, e.leg(), label, rawSummary(e), alert, e.seq()));
                    }
                }
                case "transition" -> rows.add(new Row(Kind.TRANSITION, me, me, e.leg(),
                        e.text("from") + " -> " + e.text("to"), "on " + e.text("trigger"), false, e.seq()));
                case "check" -> rows.add(new Row(Kind.CHECK, me, me, e.leg(),
                        (e.flag("passed") ? "ok " : "FAILED ") + e.text("requirementId") + ": " + e.text("what"),
                        e.text("detail") == null ? "" : e.text("detail"), !e.flag("passed"), e.seq()));
                case "claim" -> rows.add(new Row(Kind.CLAIM, me, me, e.leg(),
                        e.text("claim") + "(" + params(e.node("params")) + ")",
                        e.node("params") != null && e.node("params").has("x-inferred") ? "inferred" : "", false, e.seq()));
                case "secret" -> rows.add(new Row(Kind.SECRET, me, me, e.leg(),
                        "secret " + e.text("name") + " (test only)", e.text("value") == null ? "(no value in the trace)"
                                : abbreviate(e.text("value")), false, e.seq()));
                case "outcome" -> rows.add(new Row(Kind.OUTCOME, me, me, e.leg(), outcomeText(e),
                        e.text("message") == null ? "" : e.text("message"), !e.flag("established"), e.seq()));
                default -> rows.add(new Row(Kind.TRANSITION, me, me, e.leg(), e.kind(), "", false, e.seq()));
            }
        }
        return new SequenceLayout(roles, rows);
    }

    /** "established" or "ABORTED: access_denied sent by client (DEC-9)". */
    public static String outcomeText(Trace.Event e) {
        if (e.flag("established")) {
            String closed = e.text("alert") == null ? ""
                    : ", then closed with " + e.text("alert") + (e.text("sentBy") != null ? " sent by " + e.text("sentBy") : "");
            return e.role() + " on " + e.leg() + ": established" + closed;
        }
        if (e.text("alert") == null) {
            return e.role() + " on " + e.leg() + ": FAILED without an alert";
        }
        return e.role() + " on " + e.leg() + ": ABORTED, alert " + e.text("alert")
                + (e.text("sentBy") != null ? " sent by " + e.text("sentBy") : "")
                + (e.text("requirementId") != null ? " (" + e.text("requirementId") + ")" : "");
    }

    /**
     * The lifeline of a role, -1 when unknown (null: a single-role trace has no peer on the leg; the
     * arrow is drawn from or to the edge). Issue 16 finding 1: List.of(...).indexOf(null) throws.
     */
    private static int lifeline(List<String> roles, String role) {
        return role == null ? -1 : roles.indexOf(role);
    }

    private static String otherRole(Set<String> onLeg, String role) {
        if (onLeg == null) {
            return null;
        }
        String other = null;
        for (String r : onLeg) {
            if (!r.equals(role)) {
                if (other != null) {
                    return null; // more than two parties on the leg: unknown
                }
                other = r;
            }
        }
        return other;
    }

    static String messageLabel(Trace.Event e) {
        String name = e.text("messageName");
        if ("alert".equals(e.text("contentType"))) {
            JsonNode d = e.node("fields") == null ? null : e.node("fields").get("description");
            String description = d != null && d.isTextual() ? d.asText() : name;
            name = "alert".equals(description) ? "alert" : "alert " + description;
        }
        return e.flag("encrypted") ? name + " (encrypted)" : name;
    }

    private static String rawSummary(Trace.Event e) {
        String raw = e.text("raw");
        return raw == null ? "" : (raw.length() / 2) + " bytes";
    }

    static String params(JsonNode params) {
        if (params == null || !params.isObject()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        params.fields().forEachRemaining(p -> {
            if (p.getKey().startsWith("x-")) {
                return; // producer extensions (e.g. x-inferred) are not parameters of the claim
            }
            if (sb.length() > 0) {
                sb.append(", ");
            }
            JsonNode v = p.getValue();
            String text;
            if (v.isArray()) {
                text = "[" + v.size() + " hop" + (v.size() == 1 ? "" : "s") + "]";
            } else if (v.isObject()) {
                text = "{...}";
            } else {
                text = abbreviate(v.asText());
            }
            sb.append(p.getKey()).append('=').append(text);
        });
        return sb.toString();
    }

    /** Long hex values shortened to their first 8 digits. */
    static String abbreviate(String s) {
        if (s != null && s.length() > 16 && s.matches("[0-9a-f]+")) {
            return s.substring(0, 8) + "..";
        }
        return s;
    }
}
