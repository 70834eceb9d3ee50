package org.proxyinfo.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code trace merge} of live runs (issue 16 finding 2): the traces each role wrote of its own
 * connections are reconciled into the trace of one connection through the hello randoms.
 *
 * <ul>
 *   <li>Inputs are per-connection traces or indexes ({@link ConnectionTraces}); from an index the
 *       connection is taken whose legs share both hello randoms with a leg of the other inputs.</li>
 *   <li>Traces that share no leg (no pair of randoms) are traces of different connections: refused,
 *       saying which and with which randoms.</li>
 *   <li>Legs are named by what the roles know: a proxy knows its session #1 and #2; the origin
 *       cannot tell whether its client is a proxy and writes {@code inbound}; the client writes
 *       {@code session1} when it asked for proxy_info. A leg shared with a proxy takes the proxy's
 *       name; a client and a server sharing a leg with no proxy in between are {@code direct}.</li>
 *   <li>The run metadata is the proxy's (it knows the architecture), else the client's with
 *       architecture DIRECT; the client's serverName is kept.</li>
 * </ul>
 */
public final class LiveMerge {

    /** A trace and the name of the file it came from. */
    public record Input(String name, Trace trace) { }

    /** An index and its connections. */
    public record IndexInput(String name, List<Input> connections) { }

    /** Why the inputs cannot be merged, for people. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }

    private LiveMerge() { }

    /** Chooses, renames and merges; {@code inputs} are Input or IndexInput in command-line order. */
    public static Trace merge(List<Object> inputs) throws Refused {
        List<Input> chosen = select(inputs);
        return mergeChosen(chosen);
    }

    static List<Input> select(List<Object> inputs) throws Refused {
        List<Input> fixed = new ArrayList<>();
        List<IndexInput> indexes = new ArrayList<>();
        for (Object o : inputs) {
            if (o instanceof Input i) fixed.add(i);
            else indexes.add((IndexInput) o);
        }
        if (fixed.isEmpty()) {
            throw new Refused("every input is an index of connections (" + String.join(", ", indexes.stream().map(IndexInput::name).toList())
                    + "), so nothing says which connection you mean: give the trace of one connection too (the client's,"
                    + " or one of the files an index lists, e.g. " + (indexes.isEmpty() || indexes.get(0).connections().isEmpty()
                    ? "proxy-1.json" : indexes.get(0).connections().get(0).name()) + ").");
        }
        List<Input> chosen = new ArrayList<>(fixed);
        List<IndexInput> open = new ArrayList<>(indexes);
        boolean progress = true;
        while (!open.isEmpty() && progress) {
            progress = false;
            for (IndexInput idx : new ArrayList<>(open)) {
                List<Input> matching = idx.connections().stream().filter(c -> sharesLeg(c, chosen)).toList();
                if (matching.size() > 1 && fixed.size() > 1) {
                    for (Input a : fixed) {
                        for (Input b : fixed) {
                            List<Input> ma = matching.stream().filter(c -> sharesLeg(c, List.of(a))).toList();
                            List<Input> mb = matching.stream().filter(c -> sharesLeg(c, List.of(b))).toList();
                            if (!ma.isEmpty() && !mb.isEmpty() && ma.stream().noneMatch(mb::contains)) {
                                throw new Refused(a.name() + " and " + b.name() + " are traces of a different connection: "
                                        + a.name() + " belongs with " + ma.get(0).name() + " and " + b.name() + " with "
                                        + mb.get(0).name() + " (" + a.name() + ": " + keysText(List.of(a)) + "; " + b.name() + ": "
                                        + keysText(List.of(b)) + "). Merge the traces of one connection.");
                            }
                        }
                    }
                }
                if (matching.size() > 1) {
                    throw new Refused(idx.name() + " lists " + matching.size() + " connections with the randoms of "
                            + chosen.get(0).name() + " (" + matching.stream().map(Input::name).toList()
                            + "): give the one you mean instead of the index.");
                }
                if (matching.size() == 1) {
                    chosen.add(matching.get(0));
                    open.remove(idx);
                    progress = true;
                }
            }
        }
        if (!open.isEmpty()) {
            IndexInput idx = open.get(0);
            throw new Refused("none of the " + idx.connections().size() + " connection(s) in " + idx.name()
                    + " shares a session with " + names(chosen) + " (" + keysText(chosen) + "): they are traces of a"
                    + " different connection (or of another run). Give the traces of one connection.");
        }
        // every chosen trace must be connected to the first through shared legs
        List<Input> reached = new ArrayList<>(List.of(chosen.get(0)));
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Input c : chosen) {
                if (!reached.contains(c) && sharesLeg(c, reached)) {
                    reached.add(c);
                    grew = true;
                }
            }
        }
        for (Input c : chosen) {
            if (!reached.contains(c)) {
                throw new Refused(c.name() + " and " + names(reached) + " are traces of a different connection: no TLS"
                        + " session appears in both (" + c.name() + ": " + keysText(List.of(c)) + "; " + names(reached) + ": "
                        + keysText(reached) + "). Merge the traces of one connection: the proxy and the server write one file"
                        + " per connection and an index that merge reads.");
            }
        }
        return chosen;
    }

    private static String names(List<Input> in) {
        return String.join(", ", in.stream().map(Input::name).toList());
    }

    private static String keysText(List<Input> in) {
        List<String> out = new ArrayList<>();
        for (Input i : in) {
            i.trace().legKeys().forEach((leg, k) -> out.add(leg + ": " + k.shortText()));
        }
        return out.isEmpty() ? "no hello seen" : String.join("; ", out);
    }

    private static boolean sharesLeg(Input c, List<Input> others) {
        for (Input o : others) {
            if (o == c) continue;
            for (Trace.LegKey a : c.trace().legKeys().values()) {
                for (Trace.LegKey b : o.trace().legKeys().values()) {
                    if (a.sameSession(b)) return true;
                }
            }
        }
        return false;
    }

    private static boolean isProxy(Input i) {
        return i.trace().roles().stream().anyMatch(r -> r.startsWith("proxy"));
    }

    static Trace mergeChosen(List<Input> chosen) {
        // authoritative leg names: the proxies'
        Map<Trace.LegKey, String> known = new LinkedHashMap<>();
        for (Input i : chosen) {
            if (isProxy(i)) i.trace().legKeys().forEach((leg, k) -> known.put(k, leg));
        }
        List<Trace> renamed = new ArrayList<>();
        boolean anyProxy = chosen.stream().anyMatch(LiveMerge::isProxy);
        for (Input i : chosen) {
            if (isProxy(i)) {
                renamed.add(i.trace());
                continue;
            }
            Map<String, String> names = new HashMap<>();
            i.trace().legKeys().forEach((leg, k) -> {
                String to = null;
                for (Map.Entry<Trace.LegKey, String> e : known.entrySet()) {
                    if (e.getKey().sameSession(k)) to = e.getValue();
                }
                if (to == null && !anyProxy) to = "direct";
                if (to != null) names.put(leg, to);
            });
            renamed.add(i.trace().renameLegs(names));
        }
        Trace merged = Trace.merge(renamed);
        ObjectNode run = runOf(chosen, anyProxy);
        run.set("roles", merged.run().get("roles"));
        return merged.withRun(run);
    }

    private static ObjectNode runOf(List<Input> chosen, boolean anyProxy) {
        Input base = chosen.stream().filter(LiveMerge::isProxy).findFirst()
                .orElse(chosen.stream().filter(i -> i.trace().roles().contains("client")).findFirst().orElse(chosen.get(0)));
        ObjectNode run = base.trace().run().deepCopy();
        if (!anyProxy && !run.has("architecture")) {
            run.put("architecture", "DIRECT");
        }
        for (Input i : chosen) {
            JsonNode sn = i.trace().run().path("configuration").get("serverName");
            ObjectNode conf = (ObjectNode) run.get("configuration");
            if (sn != null && conf != null && !conf.has("serverName")) {
                conf.set("serverName", sn);
            }
        }
        return reorderRun(run);
    }

    /** source, softwareVersion, scenario, architecture, property, roles, configuration: the writer's order. */
    private static ObjectNode reorderRun(ObjectNode run) {
        ObjectNode out = TraceJson.NODES.objectNode();
        for (String k : List.of("source", "softwareVersion", "scenario", "architecture", "property", "roles", "configuration")) {
            if (run.has(k)) out.set(k, run.get(k));
        }
        run.fields().forEachRemaining(e -> {
            if (!out.has(e.getKey())) out.set(e.getKey(), e.getValue());
        });
        return out;
    }

    /**
     * Why {@code check} cannot decide this trace, or null: a trace of one role's view only, or a
     * proxied leg named without a proxy, cannot be checked as an architecture it does not show
     * (issue 16 finding 2), whoever wrote it (implementation, model, import or anything else: the
     * model's {@code Conformance} refuses any session without both ends too).
     */
    public static String uncheckable(Trace t) {
        java.util.Set<String> roles = new java.util.LinkedHashSet<>();
        java.util.Set<String> legs = new java.util.LinkedHashSet<>();
        t.events().forEach(e -> {
            roles.add(e.role());
            legs.add(e.leg());
        });
        boolean proxiedLegs = legs.stream().anyMatch(l -> l.startsWith("session"));
        String merge = " Merge the traces of this connection first: proxyinfo trace merge client.json proxy.json server.json"
                + " --out run.json (the proxy and the server write an index that merge reads), then check run.json.";
        if (roles.size() == 1) {
            String role = roles.iterator().next();
            if (role.equals("client") && proxiedLegs) {
                return "this is the client's view of a proxied session (it asked for proxy_info and its leg is "
                        + String.join(", ", legs) + "); the model decides a proxied run only with the proxy's and the"
                        + " server's sides, so it is not checked as DIRECT or as anything else." + merge;
            }
            if (role.equals("client")) {
                return "this is the client's view alone; the model decides a run only with both ends of every session"
                        + " (merge it with the server's trace: proxyinfo trace merge client.json server.json --out run.json).";
            }
            if (role.equals("server")) {
                return "this is the origin server's view alone: it cannot tell whether its client was a proxy, so the"
                        + " architecture is unknown." + merge;
            }
            return "this is the " + role + "'s view alone; the model needs both ends of every session." + merge;
        }
        if (legs.contains("inbound")) {
            return "the leg 'inbound' (the origin's view) was not reconciled with its peer's leg: no other trace has its"
                    + " hello randoms." + merge;
        }
        JsonNode arch = t.run().get("architecture");
        if (proxiedLegs && (arch == null || "DIRECT".equals(arch.asText()))) {
            return "the trace has proxied legs (" + String.join(", ", legs) + ") but its run says "
                    + (arch == null ? "no architecture" : "DIRECT") + "; it is not checked as DIRECT." + merge;
        }
        return null;
    }
}
