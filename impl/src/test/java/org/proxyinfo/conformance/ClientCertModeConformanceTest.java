package org.proxyinfo.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.proxyinfo.cli.CheckCommand;
import org.proxyinfo.demo.ScenarioResult;
import org.proxyinfo.demo.ScenarioRunner;
import org.proxyinfo.demo.Scenarios;
import org.proxyinfo.demo.RunOptions;
import org.proxyinfo.model.Arch;
import org.proxyinfo.model.Claim;
import org.proxyinfo.pki.TestPki;
import org.proxyinfo.trace.Trace;

/**
 * DEVIATION (DEC-23), issue 13: `check` of a client-certificate-mode run. {@link ModelMapping} derives the
 * architecture PI-BOUND-CC from the trace's facts (a session-#2 ClientHello with a proxy_to_server ProxyInfo, the
 * server's nonce, the client's SupplementalData with a ProxyCertVerify), never from the scenario's name; the model
 * admits the honest run and C2 (01-R14..01-R16) holds on it. A DEC-23 trace whose facts are incomplete or doctored
 * is not admitted, with a reason (fail closed).
 */
class ClientCertModeConformanceTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T12:00:00Z"), ZoneOffset.UTC);
    static TestPki pki;
    static JsonNode fresh;

    @BeforeAll
    static void run() {
        pki = TestPki.generateDefault();
        ScenarioResult r = ScenarioRunner.run(Scenarios.byName("proxied-client-cert-mode"), RunOptions.of(pki).clock(CLOCK));
        assertTrue(r.passed(), r.summary());
        Trace t = r.trace();
        assertNotNull(t);
        fresh = t.toJsonTree();
    }

    static CheckCommand.Verdict check(JsonNode t, String name) throws Exception {
        ModelMapping.Mapped m = ModelMapping.map(pki, t);
        return new CheckCommand.Verdict(Path.of(name), new org.proxyinfo.model.Conformance(m.certs()).check(m.trace()), m.setting());
    }

    static ObjectNode copy() {
        return (ObjectNode) fresh.deepCopy();
    }

    @Test
    @Timeout(300)
    @DisplayName("01-R14..01-R16 (DEC-23): a fresh proxied-client-cert-mode run is ADMITTED under PI-BOUND-CC, and C2 / R7's guarantee holds on it")
    void freshRunAdmittedUnderPiBoundCc() throws Exception {
        CheckCommand.Verdict v = check(fresh, "proxied-client-cert-mode.json");
        assertEquals(Arch.PIBOUNDCC, v.result().arch(), v.summary() + "\n" + v.setting());
        assertTrue(v.result().admitted(), v.summary() + "\n" + v.result().alloy());
        assertTrue(v.result().holds(Claim.C2), "C2: the server authenticated the client through the proxy: " + v.summary());
        assertTrue(v.result().holds(Claim.C1), "C1 on the honest run: " + v.summary());
        assertEquals("none", v.setting().threat(), v.setting().why());
    }

    @Test
    @Timeout(300)
    @DisplayName("DEC-23 fail closed: the client's SupplementalData (ProxyCertVerify) removed from the trace: not admitted, with the reason")
    void proxyCertVerifyMissingNotAdmitted() throws Exception {
        ObjectNode t = copy();
        ArrayNode kept = t.arrayNode();
        int removed = 0;
        for (JsonNode e : t.path("events")) {
            if ("supplemental_data".equals(e.path("messageName").asText())) {
                removed++;
                continue;
            }
            kept.add(e);
        }
        assertTrue(removed > 0, "the run carries the client's SupplementalData");
        t.set("events", kept);
        CheckCommand.Verdict v = check(t, "no-proxy-cert-verify.json");
        assertFalse(v.result().admitted(), v.summary());
        assertTrue(String.join("; ", v.result().violations()).contains("DEC-23"), v.summary());
    }

    @Test
    @Timeout(300)
    @DisplayName("DEC-23 / DEC-9: a client that signs (Certificate, ProxyCertVerify) although its DEC-9 proxy check failed: not admitted")
    void clientSignsAfterFailedDec9NotAdmitted() throws Exception {
        ObjectNode t = copy();
        int failed = 0;
        for (JsonNode e : t.path("events")) {
            if ("check".equals(e.path("kind").asText()) && "client".equals(e.path("role").asText())
                    && "DEC-9".equals(e.path("requirementId").asText())) {
                ((ObjectNode) e).put("passed", false);
                failed++;
            }
        }
        assertTrue(failed > 0, "the client logs its DEC-9 check");
        CheckCommand.Verdict v = check(t, "signs-after-failed-dec9.json");
        assertFalse(v.result().admitted(), v.summary());
        assertTrue(String.join("; ", v.result().violations()).contains("DEC-23: the client signed a ProxyCertVerify"), v.summary());
    }

    @Test
    @Timeout(300)
    @DisplayName("DEC-14 as DEC-23 reads it: without the server's CertificateRequest, a session-#1 ServerHello before session #2's Finished is a DEC-14 violation")
    void earlyServerHelloOnlyInTheMode() throws Exception {
        ObjectNode t = copy();
        ArrayNode kept = t.arrayNode();
        for (JsonNode e : t.path("events")) {
            if ("certificate_request".equals(e.path("messageName").asText()) && "session2".equals(e.path("leg").asText())) continue;
            kept.add(e);
        }
        t.set("events", kept);
        CheckCommand.Verdict v = check(t, "early-server-hello.json");
        assertFalse(v.result().admitted(), v.summary());
        assertTrue(String.join("; ", v.result().violations()).contains("DEC-14: the proxy sent its session-#1 ServerHello"), v.summary());
    }

    @Test
    @Timeout(300)
    @DisplayName("DEC-23 / C2: the proxy forwards a ProxyCertVerify the client did not make: a lying proxy (proxy-lies), and C2 is not claimed on the run")
    void forwardedSignatureChangedIsALyingProxy() throws Exception {
        ObjectNode t = copy();
        int changed = 0;
        for (JsonNode e : t.path("events")) {
            if ("supplemental_data".equals(e.path("messageName").asText()) && "session2".equals(e.path("leg").asText())) {
                String raw = e.path("raw").asText();
                int last = Integer.parseInt(raw.substring(raw.length() - 2), 16) ^ 0x01;
                ((ObjectNode) e).put("raw", raw.substring(0, raw.length() - 2) + String.format("%02x", last));
                changed++;
            }
        }
        assertTrue(changed > 0);
        ModelMapping.Setting s = ModelMapping.map(pki, t).setting();
        assertEquals("proxy-lies", s.threat(), s.why());
        assertTrue(s.why().contains("DEC-23"), s.why());
    }
}
