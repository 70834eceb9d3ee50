package org.proxyinfo.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Conformance (issue #5 item 5): implementation-style and model traces checked against the model. */
class ConformanceTest {
    static final String SERVER_CERT = "5e".repeat(32), PROXY_CERT = "9a".repeat(32);
    static final Map<String, Conformance.CertModel> CERTS = Map.of(
            SERVER_CERT, new Conformance.CertModel("nS", "kS", "kWebCA"),
            PROXY_CERT, new Conformance.CertModel("nP", "kP", "kProxyCA"));

    static JsonNode honest() throws Exception {
        try (InputStream in = ConformanceTest.class.getResourceAsStream("/traces/honest-pi-bound.json")) {
            return TraceWriter.JSON.readTree(in);
        }
    }

    @Test
    @DisplayName("honest PI-BOUND run (hand-written, schema-valid): admitted; C1, C3, G2, G3 hold on it; R2 guarantee holds; R6 guarantee does not (the proxy reads)")
    void honestPiBoundTrace() throws Exception {
        JsonNode t = honest();
        assertTrue(SchemaValidator.validate(t).isEmpty(), SchemaValidator.validate(t).toString());
        Conformance.Result r = new Conformance(CERTS).check(t);
        assertTrue(r.admitted(), "the model must admit the honest run:\n" + r.alloy());
        assertTrue(r.notes().isEmpty(), r.notes().toString());
        assertTrue(r.holds(Claim.C1), "C1 on the honest trace");
        assertTrue(r.holds(Claim.C3), "C3 on the honest trace");
        assertTrue(r.holds(Claim.G2), "G2 on the honest trace");
        assertTrue(r.holds(Claim.G3), "G3 on the honest trace");
        assertTrue(r.holds(Claim.R2), "R2's guarantee (proxy announced) on the honest trace");
        assertFalse(r.holds(Claim.R6), "R6's guarantee cannot hold: the proxy reads the plaintext");
    }

    /** The honest run in the implementation's field layout (impl MessageFields): extensions as
     *  {type, data, host_name} objects, proxy_info not decoded in ServerHello, only in the Commit. */
    static ObjectNode implementationStyle() throws Exception {
        ObjectNode t = (ObjectNode) honest();
        for (JsonNode e : t.path("events")) {
            if (!e.path("kind").asText().equals("message")) continue;
            ObjectNode f = (ObjectNode) e.path("fields");
            if (!f.has("extensions")) continue;
            com.fasterxml.jackson.databind.node.ArrayNode exts = TraceWriter.JSON.createArrayNode();
            for (JsonNode x : f.path("extensions")) {
                ObjectNode o = exts.addObject().put("type", x.asText()).put("data", "");
                if (x.asText().equals("server_name")) o.put("host_name", f.path("server_name").asText());
            }
            if (f.has("proxy_info")) exts.addObject().put("type", "proxy_info").put("data", "00");
            f.remove("server_name");
            f.remove("proxy_info");
            f.set("extensions", exts);
        }
        return t;
    }

    @Test
    @DisplayName("honest PI-BOUND run in the implementation's field layout (proxy_info known from the Commit's upstream): admitted; C1, G3 hold")
    void implementationLayout() throws Exception {
        ObjectNode t = implementationStyle();
        assertTrue(SchemaValidator.validate(t).isEmpty(), SchemaValidator.validate(t).toString());
        Conformance.Result r = new Conformance(CERTS).check(t);
        assertTrue(r.admitted(), r.alloy());
        assertEquals(List.of("the assertion on session1 is not decoded in the trace; its signer is taken from the client's own signature check"),
                r.notes());
        assertTrue(r.holds(Claim.C1));
        assertTrue(r.holds(Claim.G3));
        assertTrue(r.alloy().contains(".pinfo.up = "), "the upstream server_random must be tied to session #2:\n" + r.alloy());
    }

    @Test
    @DisplayName("DEC-9: a client that commits to a proxy certificate outside the proxy trust anchor is not admitted in PI-BOUND")
    void dec9ViolationNotAdmitted() throws Exception {
        Conformance.Result r = new Conformance(Map.of(
                SERVER_CERT, new Conformance.CertModel("nS", "kS", "kWebCA"),
                PROXY_CERT, new Conformance.CertModel("nP", "kP", "kWebCA"))).check(honest());
        assertFalse(r.admitted(), "a Commit after a failed DEC-9 check must be rejected by the model");
    }

    @Test
    @DisplayName("G4 / DEC-11: an honest proxy whose upstream is weak but whose assertion says AEAD is not admitted (the model's honest proxy is truthful)")
    void untruthfulAssertionNotAdmitted() throws Exception {
        ObjectNode t = (ObjectNode) honest();
        for (JsonNode e : t.path("events"))
            if (e.path("leg").asText().equals("session2") && e.path("messageName").asText().equals("server_hello"))
                ((ObjectNode) e.path("fields")).put("cipher_suite", "TLS_RSA_WITH_RC4_128_SHA");
        Conformance.Result r = new Conformance(CERTS).check(t);
        assertFalse(r.admitted());
    }

    @Test
    @DisplayName("the properties holding on a run (AlloyWorld.holdOn, a few SAT problems) are the answers of the module's per-claim checks p_<claim>, one SAT problem each")
    void holdOnEqualsOneCheckPerClaim() throws Exception {
        // the honest PI-BOUND run: some properties hold on it and some do not (R claims), so both answers are compared
        Conformance.Result r = new Conformance(CERTS).check(honest());
        assertTrue(r.admitted(), r.violations().toString());
        AlloyWorld w = AlloyWorld.load("holdon_equal", r.alloy());
        int holding = 0;
        for (Claim c : Claim.values()) {
            boolean holds = !w.execute("p_" + c.id).satisfiable();
            assertEquals(holds, r.holds(c), c.id);
            if (holds) holding++;
        }
        assertTrue(holding > 0 && holding < Claim.values().length, "both answers occur on the run: " + holding + " hold");
    }

    @Test
    @DisplayName("model counterexamples (MINT R2/R4/R6, DIRECT C1 careless client, PI-00 C3, RS1 (DEC-22) in PI-00 and in PI-BOUND with a lying proxy, PI-BOUND-2HOP C1 with a lying P2 and R9 with a lying P): admitted, and their property fails on them")
    void counterexampleTraces() throws Exception {
        VerdictTable vt = Verdicts.table();
        List<VerdictTable.Cell> cells = List.of(
                vt.cell(Claim.R6, Arch.MINT, ThreatSetting.NET_C),
                vt.cell(Claim.R2, Arch.MINT, ThreatSetting.NET_CS),
                vt.cell(Claim.R4, Arch.MINT, ThreatSetting.CA_LEAKED),
                vt.cell(Claim.C1, Arch.DIRECT, ThreatSetting.CARELESS_CLIENT),
                vt.cell(Claim.C3, Arch.PI00, ThreatSetting.NET_C),
                vt.cell(Claim.RS1, Arch.PI00, ThreatSetting.NET_CS),
                vt.cell(Claim.RS1, Arch.PIBOUND, ThreatSetting.PROXY_LIES),
                // issue #11 item 5: the two-proxy column's traces (roles proxy-2, server-2, leg session3) are checked in the
                // two-hop model: a lying second proxy (C1), a lying first proxy degrading the leg between the proxies (R9)
                vt.cell(Claim.C1, Arch.PIBOUND2HOP, ThreatSetting.HOP2_LIES),
                vt.cell(Claim.R9, Arch.PIBOUND2HOP, ThreatSetting.PROXY_LIES));
        for (VerdictTable.Cell c : cells) {
            assertEquals(VerdictTable.Status.VIOLATED, c.status(), c.key());
            assertNotNull(c.instance(), c.key());
            JsonNode trace = TraceWriter.trace(c.instance(), c.claim().id, "conformance " + c.key(), c.threat().id);
            assertTrue(SchemaValidator.validate(trace).isEmpty(), c.key() + " " + SchemaValidator.validate(trace));
            Conformance.Result r = new Conformance().check(trace);
            assertTrue(r.admitted(), c.key() + " must be admitted:\n" + r.alloy());
            assertFalse(r.holds(c.claim()), c.key() + ": " + c.claim().property + " must fail on its own counterexample");
        }
    }

    @Test
    @DisplayName("issue #11 item 5: a run with two proxies is checked in the two-hop model (P2 present); three proxies or a fourth leg are OUT OF SCOPE, Alloy not asked, not 'admitted'")
    void twoProxiesInScopeThreeOutOfScope() throws Exception {
        ObjectNode t = (ObjectNode) honest();
        assertTrue(Conformance.outOfScope(t) == null, "the honest one-proxy run is in scope");
        assertFalse(Conformance.twoHop(t), "one proxy: the verdict table's model (second-hop atoms absent)");
        assertTrue(new Conformance(CERTS).check(t).alloy().contains(Bound.SECOND_HOP_ABSENT), "one proxy: second-hop atoms at scope 0");
        com.fasterxml.jackson.databind.node.ArrayNode roles = ((ObjectNode) t.get("run")).putArray("roles");
        roles.add("client").add("proxy-A").add("proxy-B").add("server");
        assertTrue(Conformance.outOfScope(t) == null, "two proxies are in scope");
        assertTrue(Conformance.twoHop(t));
        Conformance.Result two = new Conformance(CERTS).check(t);
        assertTrue(two.inScope());
        assertTrue(two.alloy().contains("exactly 1 P2") && two.alloy().contains("DepthLimit.hops = "), two.alloy());
        roles.add("proxy-C");
        Conformance.Result r = new Conformance(CERTS).check(t);
        assertFalse(r.inScope());
        assertFalse(r.admitted());
        assertTrue(r.outOfScope().contains("two proxy agents"), r.outOfScope());
        assertTrue(r.properties().isEmpty());
        ObjectNode four = (ObjectNode) honest();
        ((ObjectNode) four.get("events").get(0)).put("leg", "session4");
        assertFalse(new Conformance(CERTS).check(four).inScope(), "a fourth leg is out of scope");
    }

    @Test
    @DisplayName("DEC-11 policy is configuration: an upstream AEAD suite outside the run's named client policy is WEAKSUITE to the model")
    void upstreamSuiteOutsideNamedPolicyIsWeak() throws Exception {
        ObjectNode t = (ObjectNode) honest();
        ((ObjectNode) t.get("run").get("configuration")).putObject("policies").putObject("upstream")
                .putArray("cipherSuites").add("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256_NOT_USED");
        Conformance.Result r = new Conformance(CERTS).check(t);
        assertTrue(r.alloy().contains("asuite = WEAKSUITE"), r.alloy());
        assertFalse(r.admitted(), "the client committed to an upstream suite its policy forbids: the model must reject it\n" + r.alloy());
    }

    // ---- a conformance verdict fails closed: what the checker cannot read is a refusal, never a pass ----

    /** The honest run with the client's DEC-9 check logged as failed (seq 17), the client still committing: NOT ADMITTED (DEC-8). */
    static ObjectNode dec9FailedThenCommit() throws Exception {
        ObjectNode t = (ObjectNode) honest();
        for (JsonNode e : t.path("events")) if (e.path("seq").asInt() == 17) ((ObjectNode) e).put("passed", false);
        return t;
    }

    @Test
    @DisplayName("fail closed: a trace with no events (so no TLS session) is NOT ADMITTED, and no claim is reported holding on it")
    void emptyTraceNotAdmitted() throws Exception {
        ObjectNode t = (ObjectNode) honest();
        t.putArray("events");
        Conformance.Result r = new Conformance(CERTS).check(t);
        assertFalse(r.admitted(), "a run that shows nothing is no evidence of conformance: " + r.violations());
        assertTrue(r.inScope(), r.outOfScope());
        assertTrue(r.properties().isEmpty(), "vacuous properties must not be reported: " + r.properties());
        assertTrue(r.violations().stream().anyMatch(v -> v.contains("no TLS session")), r.violations().toString());
    }

    @Test
    @DisplayName("DEC-8/DEC-9 fail closed: the honest run with the client's DEC-9 check failed and a Commit anyway is NOT ADMITTED (the control of the cases below)")
    void dec9FailedThenCommitNotAdmitted() throws Exception {
        Conformance.Result r = new Conformance(CERTS).check(dec9FailedThenCommit());
        assertFalse(r.admitted());
        assertTrue(r.violations().stream().anyMatch(v -> v.startsWith("DEC-8: client committed")), r.violations().toString());
    }

    /**
     * The same doctored run (DEC-9 failed, client commits) with one thing the checker used to read past: each must still be
     * NOT ADMITTED, with a violation that names what could not be read. An unknown role was the attacker (who may do anything),
     * an unresolvable or unknown session, an unknown kind or claim, a direction or established flag that is not the schema's
     * made the event vanish.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource({
        "role 'alice' for the client (events and run.roles), alice",
        "failed check with x-session 'nope', nope",
        "failed check on leg 'session-1', session-1",
        "failed check of kind 'verification', verification",
        "failed check moved to session2 where the client is neither end, neither end",
        "client Commit claim spelled 'Comit', Comit",
        "client's outcome without an established flag, established",
        "client's application data with direction 'transmitted', transmitted",
    })
    void unreadableEventsRefused(String what, String named) throws Exception {
        ObjectNode t = dec9FailedThenCommit();
        for (JsonNode j : t.path("events")) {
            ObjectNode e = (ObjectNode) j;
            boolean client = e.path("role").asText().equals("client");
            boolean dec9 = e.path("seq").asInt() == 17;
            switch (named) {
                case "alice" -> { if (client) e.put("role", "alice"); }
                case "nope" -> { if (dec9) e.put("x-session", "nope"); }
                case "session-1" -> { if (dec9) e.put("leg", "session-1"); }
                case "verification" -> { if (dec9) e.put("kind", "verification"); }
                case "neither end" -> { if (dec9) e.put("leg", "session2"); }
                case "Comit" -> { if (client && e.path("claim").asText().equals("Commit")) e.put("claim", "Comit"); }
                case "established" -> { if (client && e.path("kind").asText().equals("outcome")) e.remove("established"); }
                case "transmitted" -> { if (client && e.path("messageName").asText().equals("application_data")) e.put("direction", "transmitted"); }
                default -> throw new AssertionError(named);
            }
        }
        if (named.equals("alice")) ((com.fasterxml.jackson.databind.node.ArrayNode) t.path("run").path("roles")).set(0, "alice");
        Conformance.Result r = new Conformance(CERTS).check(t);
        assertFalse(r.admitted(), what + " must not be admitted: " + r.violations());
        assertTrue(r.properties().isEmpty(), r.properties().toString());
        assertTrue(r.violations().stream().anyMatch(v -> v.contains(named)), what + ": the violation must name it: " + r.violations());
    }

    @Test
    @DisplayName("fail closed: the honest run with one unknown role, kind, leg or claim and nothing else wrong is NOT ADMITTED either")
    void unknownVocabularyAloneRefused() throws Exception {
        ObjectNode t = (ObjectNode) honest();
        ((ObjectNode) t.path("events").get(26)).put("kind", "verification");   // the client's Secret claim, which constrains nothing
        Conformance.Result r = new Conformance(CERTS).check(t);
        assertFalse(r.admitted(), r.violations().toString());
        assertTrue(r.violations().stream().anyMatch(v -> v.contains("'verification'") && v.contains("message, transition, check, claim, secret, outcome")),
                r.violations().toString());
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "source {0}: a session missing one end is NOT ADMITTED")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"implementation", "import", "model", "capture"})
    @DisplayName("fail closed: a session whose ClientHello has no sender or no receiver in the trace is NOT ADMITTED, whatever the trace's source")
    void sessionMissingAnEndRefused(String source) throws Exception {
        // the client's view alone (the proxy's and the server's events dropped)
        ObjectNode t = (ObjectNode) honest();
        ((ObjectNode) t.get("run")).put("source", source);
        com.fasterxml.jackson.databind.node.ArrayNode kept = t.putArray("events");
        for (JsonNode e : ((ObjectNode) honest()).path("events")) if (e.path("role").asText().equals("client")) kept.add(e);
        Conformance.Result r = new Conformance(CERTS).check(t);
        assertFalse(r.admitted(), "the client's view alone: " + r.notes());
        assertTrue(r.violations().stream().anyMatch(v -> v.contains("no receiver of its ClientHello")), r.violations().toString());
        // the merged run with only the proxy's received ClientHello on session #1 missing
        ObjectNode u = (ObjectNode) honest();
        ((ObjectNode) u.get("run")).put("source", source);
        ((com.fasterxml.jackson.databind.node.ArrayNode) u.get("events")).remove(12);
        assertEquals("client_hello", ((ObjectNode) honest()).path("events").get(12).path("messageName").asText());
        Conformance.Result q = new Conformance(CERTS).check(u);
        assertFalse(q.admitted(), q.notes().toString());
        assertTrue(q.violations().stream().anyMatch(v -> v.contains("no receiver of its ClientHello")), q.violations().toString());
    }

    @Test
    @DisplayName("a trace does not describe itself: a certificate's x-model does not override the caller's certificate map")
    void certificateMapOverTraceAnnotation() throws Exception {
        ObjectNode t = (ObjectNode) honest();
        for (JsonNode e : t.path("events"))
            if (e.path("messageName").asText().equals("certificate") && e.path("leg").asText().equals("session1"))
                ((ObjectNode) e.path("fields").path("certificate_list").get(0)).putObject("x-model").put("subj", "nS").put("key", "kS").put("issuer", "kWebCA");
        Conformance.Result r = new Conformance(CERTS).check(t);
        // s1 is session #1 (the honest run opens session #2 first)
        assertTrue(r.alloy().contains("s1.cert.subj = nP and s1.cert.key = kP and s1.cert.issuer = kProxyCA"),
                "the proxy's certificate is what the map says, not what the trace says it is: " + r.alloy());
        assertFalse(r.alloy().contains("s1.cert.key = kS"), r.alloy());
    }
}
