package org.proxyinfo.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.proxyinfo.cli.CheckCommand;
import org.proxyinfo.demo.RunOptions;
import org.proxyinfo.demo.ScenarioResult;
import org.proxyinfo.demo.ScenarioRunner;
import org.proxyinfo.demo.Scenarios;
import org.proxyinfo.model.Arch;
import org.proxyinfo.model.Claim;
import org.proxyinfo.pki.TestPki;

/**
 * Issue 13 with issue 11: `check` of the runs in which a handshake is refused because of client authentication. The
 * model's origin may refuse session #2 when it asked for a client certificate and cannot authenticate the client
 * (R7, RFC 5246 7.4.6; DEC-23 / 01-R16), and the proxy abandons both sessions when the client's CertificateVerify
 * fails (01-R15); a refused session #2 leaves session #1 inert (DEC-14). Each fresh run is admitted, under the
 * architecture its messages show, with nothing committed by the client. Test first: before the model could refuse,
 * every one of these runs was NOT ADMITTED (UNSAT: the model's origin always completed a validated session #2).
 */
class RefusalConformanceTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T12:00:00Z"), ZoneOffset.UTC);
    static TestPki pki;
    static final Map<String, JsonNode> FRESH = new LinkedHashMap<>();

    @BeforeAll
    static void run() {
        pki = TestPki.generateDefault();
    }

    static synchronized JsonNode fresh(String scenario) {
        return FRESH.computeIfAbsent(scenario, n -> {
            ScenarioResult r = ScenarioRunner.run(Scenarios.byName(n), RunOptions.of(pki).clock(CLOCK));
            assertTrue(r.passed(), r.summary());
            assertNotNull(r.trace());
            return r.trace().toJsonTree();
        });
    }

    static CheckCommand.Verdict check(JsonNode t, String name) {
        ModelMapping.Mapped m = ModelMapping.map(pki, t);
        return new CheckCommand.Verdict(Path.of(name), new org.proxyinfo.model.Conformance(m.certs()).check(m.trace()), m.setting());
    }

    /** How many times the client committed (Commit claims by the client role). */
    static int clientCommits(JsonNode t) {
        int n = 0;
        for (JsonNode e : t.path("events")) {
            if ("claim".equals(e.path("kind").asText()) && "Commit".equals(e.path("claim").asText()) && "client".equals(e.path("role").asText())) {
                n++;
            }
        }
        return n;
    }

    @ParameterizedTest(name = "{0}: admitted under {1}, {2} client Commit(s)")
    @Timeout(600)
    @CsvSource({
        "proxy-meets-required-client-auth, PI-BOUND, 0",               // R7 by running code: an ordinary proxy has no client certificate to give
        "client-cert-chain-without-client-signature, PI-BOUND-CC, 0",  // 01-R16: the forwarded ProxyCertVerify is not the client's
        "client-cert-replayed-proxy-cert-verify, PI-BOUND-CC, 1",      // 01-R16: the second session's ProxyCertVerify is over the first's nonce
        "client-cert-verify-fails, PI-BOUND-CC, 0",                    // 01-R15: the proxy abandons both sessions
        "client-cert-unaccepted-proxy, PI-BOUND-CC, 0",                // 01-R16: a proxy the origin does not accept
    })
    @DisplayName("R7, 01-R15, 01-R16 (DEC-23): a fresh refusal run is ADMITTED by the model; the refused client session commits nothing")
    void freshRefusalRunAdmitted(String scenario, String arch, int commits) {
        JsonNode t = fresh(scenario);
        assertEquals(commits, clientCommits(t), scenario + ": the refused client session never commits");
        CheckCommand.Verdict v = check(t, scenario + ".json");
        assertEquals(Arch.byId(arch), v.result().arch(), v.summary() + "\n" + v.setting());
        assertTrue(v.result().admitted(), v.summary() + "\n" + v.setting().why() + "\n" + v.result().alloy());
        // nothing committed on the refused session: the Commit-based claims hold on the run (the point is that it is admitted)
        assertTrue(v.result().holds(Claim.C1), v.summary());
        assertTrue(v.result().holds(Claim.C2), v.summary());
    }

    static ObjectNode copy(String scenario) {
        return (ObjectNode) fresh(scenario).deepCopy();
    }

    /** Renames every alert {@code from} that {@code role} sent or received on {@code leg} (and the outcomes naming it) to {@code to}. */
    static int renameAlert(ObjectNode t, String leg, String from, String to) {
        int n = 0;
        for (JsonNode e : t.path("events")) {
            if (!leg.equals(e.path("leg").asText())) continue;
            if ("alert".equals(e.path("contentType").asText()) && from.equals(e.path("messageName").asText())) {
                ((ObjectNode) e).put("messageName", to);
                n++;
            }
            if ("outcome".equals(e.path("kind").asText()) && from.equals(e.path("alert").asText())) ((ObjectNode) e).put("alert", to);
        }
        return n;
    }

    @ParameterizedTest(name = "{0}: the origin''s {1} on session #2 renamed {2}: NOT ADMITTED")
    @Timeout(600)
    @CsvSource({
        "proxy-meets-required-client-auth, handshake_failure, internal_error",    // an alert the model has no refusal for
        "proxy-meets-required-client-auth, handshake_failure, access_denied",     // 01-R16's alert without the mode, without its check
        "client-cert-unaccepted-proxy, access_denied, decrypt_error",             // the forwarded ProxyCertVerify is the client's: not derivable
        "client-cert-chain-without-client-signature, decrypt_error, handshake_failure", // a certificate was forwarded: not 7.4.6's cause
    })
    @DisplayName("fail closed (issue 13): a refusal whose alert does not match its cause in the trace's facts is NOT ADMITTED, with the reason")
    void refusalWithAnotherAlertNotAdmitted(String scenario, String from, String to) {
        ObjectNode t = copy(scenario);
        assertTrue(renameAlert(t, "session2", from, to) >= 1, "the origin's alert on session #2");
        CheckCommand.Verdict v = check(t, scenario + "-" + to + ".json");
        assertFalse(v.result().admitted(), v.summary());
        assertFalse(v.result().violations().isEmpty(), v.summary());
    }

    /**
     * The client commits on session #1 although session #2 was refused (01-R16) or abandoned (01-R15): the client's own
     * alert, failed outcome and failed checks are removed and a Commit with session #1's own parameters is added, so only the model can object (DEC-14: a
     * refused session #2 leaves session #1 inert; 01-R15: the proxy never finishes it).
     */
    @ParameterizedTest(name = "{0}: the client commits anyway: NOT ADMITTED")
    @Timeout(600)
    @CsvSource({"client-cert-unaccepted-proxy", "client-cert-verify-fails"})
    @DisplayName("DEC-14 / 01-R15 / 01-R16: a doctored refusal run in which the client still commits on session #1 is NOT ADMITTED (the model forbids it)")
    void clientCommitsAfterRefusalNotAdmitted(String scenario) {
        ObjectNode t = copy(scenario);
        com.fasterxml.jackson.databind.node.ArrayNode kept = t.arrayNode();
        String cr = null;
        String sr = null;
        String version = null;
        String suite = null;
        String certSha = null;
        for (JsonNode e : t.path("events")) {
            boolean client1 = "client".equals(e.path("role").asText()) && "session1".equals(e.path("leg").asText());
            if (client1 && "client_hello".equals(e.path("messageName").asText()) && "sent".equals(e.path("direction").asText())) {
                cr = e.path("fields").path("random").asText();
            }
            if (client1 && "server_hello".equals(e.path("messageName").asText())) {
                sr = e.path("fields").path("random").asText();
                version = e.path("fields").path("server_version").asText();
                suite = e.path("fields").path("cipher_suite").asText();
            }
            if (client1 && "certificate".equals(e.path("messageName").asText()) && "received".equals(e.path("direction").asText())) {
                certSha = e.path("fields").path("certificate_list").path(0).path("sha256").asText();
            }
            // the client's failed outcome and alert go, and so does a failed check logged under its role (the adversary that
            // corrupts its CertificateVerify logs one there): nothing but the model may object
            if (client1 && ("outcome".equals(e.path("kind").asText())
                    || ("check".equals(e.path("kind").asText()) && !e.path("passed").asBoolean(true))
                    || ("alert".equals(e.path("contentType").asText()) && "sent".equals(e.path("direction").asText())))) {
                continue;
            }
            kept.add(e);
        }
        assertNotNull(sr, "session #1 has the proxy's ServerHello (DEC-23: answered over a held session #2)");
        ObjectNode commit = kept.addObject();
        commit.put("seq", kept.size() - 1);
        commit.put("kind", "claim");
        commit.put("role", "client");
        commit.put("leg", "session1");
        commit.put("claim", "Commit");
        ObjectNode p = commit.putObject("params");
        p.put("client_random", cr).put("server_random", sr).put("version", version).put("cipher_suite", suite).put("server_cert_sha256", certSha);
        t.set("events", kept);
        CheckCommand.Verdict v = check(t, scenario + "-client-commits.json");
        assertFalse(v.result().admitted(), v.summary());
        assertTrue(v.result().violations().stream().anyMatch(x -> x.contains("the model forbids")), v.summary());
    }
}
