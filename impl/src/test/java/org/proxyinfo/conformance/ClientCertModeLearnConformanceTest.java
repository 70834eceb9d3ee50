package org.proxyinfo.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * DEVIATION (DEC-23) LEARN, issue 13: what `check` does with a run whose proxy learned the client-certificate mode (it
 * abandoned an ordinary session #2 at the origin's CertificateRequest and opened a second one in the mode).
 * {@link AbandonedSession2} sets the abandoned attempt aside only when the trace shows it harmless (fail closed); the
 * committed reference trace {@code traces/reference/proxied-client-cert-mode-learned.json} is then admitted under
 * PI-BOUND-CC (its verdict: {@code CheckCommandTest.referenceTraceVerdict}; that it is a fresh run's trace:
 * {@code ReferenceTracesTest}). Doctored copies (the proxy answered on the abandoned session, the origin completed it)
 * are not set aside, and the reason reaches the model's violations. No model is solved here (cheap).
 */
class ClientCertModeLearnConformanceTest {
    static JsonNode reference;

    @BeforeAll
    static void read() throws Exception {
        reference = new ObjectMapper().readTree(Path.of("..").toAbsolutePath().normalize()
                .resolve("traces/reference/proxied-client-cert-mode-learned.json").toFile());
    }

    static long count(JsonNode t, String role, String leg, String direction, String message) {
        long n = 0;
        for (JsonNode e : t.path("events")) {
            if (role.equals(e.path("role").asText()) && leg.equals(e.path("leg").asText())
                    && direction.equals(e.path("direction").asText()) && message.equals(e.path("messageName").asText())) {
                n++;
            }
        }
        return n;
    }

    /** The index of the proxy's outcome that abandoned the first session #2 (DEC-23). */
    static int abandonedOutcome(JsonNode t) {
        int i = 0;
        for (JsonNode e : t.path("events")) {
            if ("outcome".equals(e.path("kind").asText()) && "proxy".equals(e.path("role").asText())
                    && "session2".equals(e.path("leg").asText()) && "DEC-23".equals(e.path("requirementId").asText())) {
                return i;
            }
            i++;
        }
        throw new AssertionError("the learned run has no abandoned session #2");
    }

    @Test
    @DisplayName("DEC-23 LEARN: the harmless abandoned session #2 of the learned reference run is set aside: one session #2 of the proxy and one origin connection remain, no violation")
    void harmlessAbandonedSessionSetAside() {
        assertEquals(2, count(reference, "proxy", "session2", "sent", "client_hello"), "the run has two session #2 attempts");
        AbandonedSession2.Result r = AbandonedSession2.strip(reference);
        assertEquals(java.util.List.of(), r.violations());
        assertNotSame(reference, r.trace());
        assertEquals(1, count(r.trace(), "proxy", "session2", "sent", "client_hello"));
        assertEquals(1, count(r.trace(), "server", "session2", "received", "client_hello"));
        assertEquals(0, count(r.trace(), "proxy", "session2", "sent", "handshake_failure"), "the abandoning alert is set aside too");
        assertEquals(1, count(r.trace(), "proxy", "session2", "sent", "supplemental_data"), "the session #2 in the mode stays");
    }

    @Test
    @DisplayName("DEC-23 LEARN fail closed: an abandoned session #2 on which the proxy sent a Certificate is not set aside; the reason reaches the model's violations")
    void abandonedSessionThatAnsweredNotSetAside() {
        ObjectNode t = (ObjectNode) reference.deepCopy();
        ArrayNode ev = (ArrayNode) t.path("events");
        ObjectNode cert = null;
        for (JsonNode e : ev) {
            if ("proxy".equals(e.path("role").asText()) && "session2".equals(e.path("leg").asText())
                    && "sent".equals(e.path("direction").asText()) && "certificate".equals(e.path("messageName").asText())) {
                cert = (ObjectNode) e.deepCopy();
                break;
            }
        }
        assertTrue(cert != null, "the mode's session #2 carries the proxy's Certificate");
        ev.insert(abandonedOutcome(t), cert);
        AbandonedSession2.Result r = AbandonedSession2.strip(t);
        assertSame(t, r.trace(), "nothing set aside");
        assertTrue(String.join("; ", r.violations()).contains("the proxy sent certificate"), r.violations().toString());
        ModelMapping.Mapped m = ModelMapping.map(org.proxyinfo.pki.TestPki.generateDefault(), t);
        assertTrue(m.trace().path("run").path("configuration").path("x-mapping-violations").toString()
                .contains("DEC-23: session #2 abandoned at"), m.trace().path("run").path("configuration").toString());
    }

    @Test
    @DisplayName("DEC-23 LEARN fail closed: the origin's side of the abandoned session #2 ended established, or no session #2 in the mode follows: not set aside")
    void abandonedSessionTheOriginCompletedOrNoModeNotSetAside() {
        ObjectNode t = (ObjectNode) reference.deepCopy();
        for (JsonNode e : t.path("events")) {
            if ("outcome".equals(e.path("kind").asText()) && "server".equals(e.path("role").asText())
                    && !e.path("established").asBoolean(true)) {
                ((ObjectNode) e).put("established", true);
                break;
            }
        }
        AbandonedSession2.Result r = AbandonedSession2.strip(t);
        assertSame(t, r.trace());
        assertTrue(String.join("; ", r.violations()).contains("did not end unestablished"), r.violations().toString());

        ObjectNode u = (ObjectNode) reference.deepCopy();
        for (JsonNode e : u.path("events")) {
            for (JsonNode x : e.path("fields").path("extensions")) {
                if (x.isObject() && "proxy_info".equals(x.path("type").asText()) && x.path("data").asText("").startsWith("02")) {
                    ((ObjectNode) x).put("data", "01" + x.path("data").asText().substring(2));
                }
            }
        }
        AbandonedSession2.Result s = AbandonedSession2.strip(u);
        assertSame(u, s.trace());
        assertTrue(String.join("; ", s.violations()).contains("no session #2 in the client-certificate mode"), s.violations().toString());
    }
}
