package org.proxyinfo.trace;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A {@link TraceSink} that keeps one trace per role, so that a run whose roles run on different
 * threads still gives the same bytes every time: a role's events come in its own causal order
 * (its handshake thread; a proxy's two relay threads only react to what they receive, and roles
 * trace what they send before it leaves), so one role's list is the same in every run and keeps
 * the order across its legs (DEC-14: session #2 before session #1's ServerHello), and
 * {@link #merged()} interleaves the roles deterministically instead of in arrival order.
 *
 * <p>The merge is causal and "runs each party until it blocks": starting with the first role in
 * lifeline order (client, proxies, server), it takes that party's
 * events until the next one is a {@code received} message whose matching {@code sent} (same leg,
 * content type, name and bytes) has not been taken yet while the sender still has it pending;
 * then it continues with the first party in lifeline order that is not blocked. The result reads
 * like the run itself: ClientHello sent, received, the server's flight, and so on. A
 * {@code received} with no pending {@code sent} anywhere (a peer that was not traced) never
 * blocks. Events are renumbered 0, 1, 2, ... in the merged trace; each per-leg trace keeps its
 * own numbering from 0.
 *
 * <p>Reference traces (traces/README.md "Reference traces") are written through this class.
 */
public final class RoleTraces implements TraceSink {
    private final RunInfo run;
    /** One writer per role, in lifeline order (client, proxies, server, others), then by name. */
    private final Map<String, JsonTraceWriter> writers = new TreeMap<>(RoleTraces::compareKeys);

    public RoleTraces(RunInfo run) {
        this.run = run;
    }

    private static int compareKeys(String a, String b) {
        return Comparator.<String>comparingInt(RoleTraces::lifelineRank).thenComparing(k -> k).compare(a, b);
    }

    static int lifelineRank(String role) {
        if (role.startsWith("client")) return 0;
        if (role.startsWith("proxy")) return 1;
        if (role.startsWith("server")) return 2;
        return 3;
    }

    private synchronized JsonTraceWriter writer(String role, String leg) {
        return writers.computeIfAbsent(role, k -> new JsonTraceWriter(run));
    }

    @Override
    public void message(String role, String leg, String direction, String contentType, String messageName,
                        Map<String, Object> fields, byte[] raw, List<Integer> recordBoundaries) {
        writer(role, leg).message(role, leg, direction, contentType, messageName, fields, raw, recordBoundaries);
    }

    @Override
    public void transition(String role, String leg, String from, String to, String trigger) {
        writer(role, leg).transition(role, leg, from, to, trigger);
    }

    @Override
    public void check(String role, String leg, String requirementId, String what, boolean passed, String detail) {
        writer(role, leg).check(role, leg, requirementId, what, passed, detail);
    }

    /** In the stream of the role the adversary acts on, so that the merge keeps it where it happened. */
    @Override
    public void adversary(String actsOn, String leg, String requirementId, String what, String detail) {
        writer(actsOn, leg).adversary(actsOn, leg, requirementId, what, detail);
    }

    @Override
    public void claim(String role, String leg, String claim, Map<String, Object> params) {
        writer(role, leg).claim(role, leg, claim, params);
    }

    @Override
    public void secret(String role, String leg, String name, byte[] value) {
        writer(role, leg).secret(role, leg, name, value);
    }

    @Override
    public void outcome(String role, String leg, boolean established, String alert, String sentBy,
                        String requirementId, String message) {
        writer(role, leg).outcome(role, leg, established, alert, sentBy, requirementId, message);
    }

    /** The legs that have events, in order of first appearance in the merged trace. */
    public List<String> legs() {
        Set<String> out = new LinkedHashSet<>();
        merged().events().forEach(e -> out.add(e.leg()));
        return List.copyOf(out);
    }

    /** The events of one leg, as they appear in {@link #merged()} (same sequence numbers). */
    public Trace leg(String leg) {
        return merged().forLeg(leg);
    }

    /** All legs and roles in one trace, deterministically interleaved (class comment). */
    public Trace merged() {
        List<Trace> parts = new ArrayList<>();
        synchronized (this) {
            writers.values().forEach(w -> parts.add(w.toTrace()));
        }
        return mergeParts(parts);
    }

    /** Writes {@code <prefix>-<leg>.json} for every leg and {@code <prefix>.json} merged; returns the files. */
    public List<Path> writeTo(Path dir, String prefix) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String leg : legs()) {
            Path f = dir.resolve(prefix + "-" + leg + ".json");
            leg(leg).writeTo(f);
            out.add(f);
        }
        Path all = dir.resolve(prefix + ".json");
        merged().writeTo(all);
        out.add(all);
        return out;
    }

    private Trace mergeParts(List<Trace> parts) {
        List<Trace.Event> order = interleave(parts);
        List<Trace.Event> renumbered = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            renumbered.add(order.get(i).withSeq(i));
        }
        ObjectNode runJson = run.toJson();
        Set<String> roles = new LinkedHashSet<>(run.roles());
        List<String> extra = new ArrayList<>();
        for (Trace.Event e : renumbered) {
            if (!roles.contains(e.role()) && !extra.contains(e.role())) extra.add(e.role());
        }
        if (!extra.isEmpty()) {
            List<String> all = new ArrayList<>(roles);
            all.addAll(extra);
            all.sort(Comparator.comparingInt(RoleTraces::lifelineRank)); // stable
            ArrayNode arr = runJson.putArray("roles");
            all.forEach(arr::add);
        }
        return new Trace(TraceJson.SCHEMA_VERSION, runJson, renumbered);
    }

    /** The deterministic causal interleaving of per-party event lists (class comment). */
    static List<Trace.Event> interleave(List<Trace> parts) {
        int n = parts.size();
        int[] pos = new int[n];
        // 'sent' messages taken but not yet matched by the peer's 'received': key -> sender roles.
        // The sender is part of the match: on one leg both ends send identical bytes (e.g. ChangeCipherSpec),
        // and a role's own 'sent' never satisfies its own 'received'.
        Map<String, List<String>> sentTaken = new HashMap<>();
        List<Trace.Event> out = new ArrayList<>();
        int current = 0;
        while (true) {
            int pick = -1;
            if (current < n && ready(parts, pos, current, sentTaken)) {
                pick = current;
            } else {
                for (int i = 0; i < n; i++) {
                    if (ready(parts, pos, i, sentTaken)) {
                        pick = i;
                        break;
                    }
                }
            }
            if (pick < 0) {
                for (int i = 0; i < n; i++) { // cannot happen for causally recorded parties; keep going in order
                    if (pos[i] < parts.get(i).events().size()) {
                        pick = i;
                        break;
                    }
                }
            }
            if (pick < 0) {
                return out;
            }
            Trace.Event e = parts.get(pick).events().get(pos[pick]++);
            if (e.isMessage("sent")) {
                sentTaken.computeIfAbsent(e.messageKey(), k -> new ArrayList<>()).add(e.role());
            } else if (e.isMessage("received")) {
                List<String> senders = sentTaken.get(e.messageKey());
                if (senders != null) {
                    for (int i = 0; i < senders.size(); i++) {
                        if (!senders.get(i).equals(e.role())) {
                            senders.remove(i);
                            break;
                        }
                    }
                }
            }
            out.add(e);
            current = pick;
        }
    }

    private static boolean ready(List<Trace> parts, int[] pos, int i, Map<String, List<String>> sentTaken) {
        List<Trace.Event> evs = parts.get(i).events();
        if (pos[i] >= evs.size()) {
            return false;
        }
        Trace.Event head = evs.get(pos[i]);
        if (!head.isMessage("received")) {
            return true;
        }
        for (String sender : sentTaken.getOrDefault(head.messageKey(), List.of())) {
            if (!sender.equals(head.role())) {
                return true;
            }
        }
        String key = head.messageKey();
        for (int j = 0; j < parts.size(); j++) { // blocked only while another party still has the 'sent' ahead
            if (j == i) continue;
            List<Trace.Event> other = parts.get(j).events();
            for (int k = pos[j]; k < other.size(); k++) {
                if (other.get(k).isMessage("sent") && other.get(k).messageKey().equals(key)) {
                    return false;
                }
            }
        }
        return true;
    }
}
