package org.proxyinfo.conformance;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * DEVIATION (DEC-23), a proxy that LEARNS the client-certificate mode (impl/CLIENTCERT.md, "How the proxy learns the
 * need"): it abandons an ordinary session #2 at the origin's CertificateRequest, before answering it, and opens a second
 * session #2 in the mode on the same leg. The model has one session #2 per client round, so {@link ModelMapping} takes
 * the abandoned attempt out of the trace the model sees, but only when the trace shows it was harmless (fail closed):
 * <ul>
 * <li>the proxy ended it with a fatal alert of its own (outcome, requirement DEC-23);</li>
 * <li>the proxy sent nothing on it but its ClientHello and that alert: no Certificate, SupplementalData,
 *     ClientKeyExchange, CertificateVerify, ChangeCipherSpec, Finished or application data;</li>
 * <li>the origin asked for a client certificate on it (the proxy received a CertificateRequest);</li>
 * <li>it ended before the proxy sent any session-#1 ServerHello;</li>
 * <li>a session #2 in the mode follows (a proxy ClientHello with a proxy_to_server ProxyInfo, flag 2);</li>
 * <li>the origin's side of it (found by the same ClientHello bytes) ended without Running or Commit.</li>
 * </ul>
 * Otherwise the trace stays as it is and each failed condition is a violation (the run is not admitted).
 */
final class AbandonedSession2 {
    private AbandonedSession2() { }

    /** The trace the model sees and the violations found (both unchanged / empty when nothing was abandoned). */
    record Result(JsonNode trace, List<String> violations) { }

    private static final Set<String> ONLY_HELLO_AND_ALERT = Set.of("client_hello");

    /** The bytes of a trace's hex field, or null when it is empty or not hex (then nothing matches it). */
    private static byte[] hex(String h) {
        return h == null || h.isEmpty() ? null : ModelMapping.hex(h);
    }

    static Result strip(JsonNode trace) {
        List<JsonNode> events = new ArrayList<>();
        trace.path("events").forEach(events::add);
        Set<Integer> drop = new HashSet<>();
        List<String> violations = new ArrayList<>();
        int attemptStart = -1;
        for (int i = 0; i < events.size(); i++) {
            JsonNode e = events.get(i);
            if (!"proxy".equals(e.path("role").asText()) || !"session2".equals(e.path("leg").asText())) {
                continue;
            }
            String kind = e.path("kind").asText();
            if ("message".equals(kind) && "sent".equals(e.path("direction").asText()) && "client_hello".equals(e.path("messageName").asText())) {
                attemptStart = i;
            }
            if (!"outcome".equals(kind) || e.path("established").asBoolean(true) || attemptStart < 0
                    || !"DEC-23".equals(e.path("requirementId").asText()) || !"proxy".equals(e.path("sentBy").asText())) {
                continue;
            }
            // a session #2 the proxy itself ended under DEC-23: is it an abandoned first attempt, and harmless?
            String at = "event " + e.path("seq").asText("?");
            int start = attemptStart;
            attemptStart = -1;
            List<String> why = new ArrayList<>();
            boolean requested = false;
            byte[] hello = null;
            for (int j = start; j <= i; j++) {
                JsonNode x = events.get(j);
                if (!"proxy".equals(x.path("role").asText()) || !"session2".equals(x.path("leg").asText())
                        || !"message".equals(x.path("kind").asText())) {
                    continue;
                }
                String name = x.path("messageName").asText();
                boolean sent = "sent".equals(x.path("direction").asText());
                if (!sent && "certificate_request".equals(name)) {
                    requested = true;
                }
                if (sent && "client_hello".equals(name) && hello == null) {
                    hello = hex(x.path("raw").asText(""));
                } else if (sent && !"alert".equals(x.path("contentType").asText()) && !ONLY_HELLO_AND_ALERT.contains(name)) {
                    why.add("the proxy sent " + name + " (event " + x.path("seq").asText("?") + ") on the session #2 it abandoned");
                }
            }
            if (!requested) {
                why.add("the origin sent no CertificateRequest on the abandoned session #2");
            }
            boolean modeFollows = false;
            for (int j = 0; j < events.size(); j++) {
                JsonNode x = events.get(j);
                if (!"proxy".equals(x.path("role").asText()) || !"message".equals(x.path("kind").asText())
                        || !"sent".equals(x.path("direction").asText())) {
                    continue;
                }
                if (j < i && "session1".equals(x.path("leg").asText()) && "server_hello".equals(x.path("messageName").asText())) {
                    why.add("the proxy sent its session-#1 ServerHello (event " + x.path("seq").asText("?")
                            + ") before the session #2 it abandoned had ended");
                }
                if (j > i && "session2".equals(x.path("leg").asText()) && "client_hello".equals(x.path("messageName").asText())) {
                    for (JsonNode ext : x.path("fields").path("extensions")) {
                        if (ext.isObject() && "proxy_info".equals(ext.path("type").asText()) && ext.path("data").asText("").startsWith("02")) {
                            modeFollows = true;
                        }
                    }
                }
            }
            if (!modeFollows) {
                why.add("no session #2 in the client-certificate mode (proxy_to_server) follows the abandoned one");
            }
            // the origin's side: from the ClientHello it received with these bytes to its next outcome
            Set<Integer> server = new HashSet<>();
            boolean serverEnded = false;
            int from = -1;
            for (int j = 0; j < events.size() && hello != null; j++) {
                JsonNode x = events.get(j);
                if (!"server".equals(x.path("role").asText()) || !"session2".equals(x.path("leg").asText())) {
                    continue;
                }
                if (from < 0 && "message".equals(x.path("kind").asText()) && "received".equals(x.path("direction").asText())
                        && "client_hello".equals(x.path("messageName").asText())
                        && java.util.Arrays.equals(hello, hex(x.path("raw").asText("")))) {
                    from = j;
                }
                if (from < 0) {
                    continue;
                }
                server.add(j);
                if ("claim".equals(x.path("kind").asText())) {
                    why.add("the origin claimed " + x.path("claim").asText() + " (event " + x.path("seq").asText("?")
                            + ") on the session #2 the proxy abandoned");
                }
                if ("outcome".equals(x.path("kind").asText())) {
                    serverEnded = !x.path("established").asBoolean(true);
                    break;
                }
            }
            if (!serverEnded) {
                why.add("the origin's side of the abandoned session #2 is not in the trace, or did not end unestablished");
            }
            if (!why.isEmpty()) {
                for (String w : why) {
                    violations.add("DEC-23: session #2 abandoned at " + at + " cannot be set aside: " + w);
                }
                continue;
            }
            for (int j = start; j <= i; j++) {
                if ("proxy".equals(events.get(j).path("role").asText()) && "session2".equals(events.get(j).path("leg").asText())) {
                    drop.add(j);
                }
            }
            drop.addAll(server);
        }
        if (drop.isEmpty()) {
            return new Result(trace, List.copyOf(violations));
        }
        ObjectNode copy = (ObjectNode) trace.deepCopy();
        ArrayNode kept = copy.arrayNode();
        for (int i = 0; i < events.size(); i++) {
            if (!drop.contains(i)) {
                kept.add(events.get(i));
            }
        }
        copy.set("events", kept);
        return new Result(copy, List.copyOf(violations));
    }
}
