package org.proxyinfo.trace;

import org.proxyinfo.wire.Hex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

class JsonTraceWriterTest {
    @TempDir Path tmp;

    @Test
    @DisplayName("the schema is a valid JSON Schema 2020-12 document")
    void schemaIsValid() throws Exception {
        assertEquals(List.of(), TraceValidator.metaSchemaErrors());
        // and the meta-schema check can fail
        assertFalse(TraceValidator.metaSchemaErrors(TraceJson.parse("{\"type\": 5, \"required\": \"x\"}")).isEmpty());
    }

    @Test
    @DisplayName("a full PI-BOUND run (all six event kinds) is written as a schema-valid trace")
    void writesValidTrace() throws Exception {
        JsonTraceWriter w = new JsonTraceWriter(SampleTraces.run());
        SampleTraces.honestRun(w);
        Path file = tmp.resolve("run.json");
        w.writeTo(file);
        TraceValidator.assertValid(file);
        JsonNode root = TraceJson.parse(Files.readString(file));
        assertEquals("1.0", root.get("schemaVersion").asText());
        assertEquals("bound", root.at("/run/configuration/signingMode").asText()); // DEC-5
        assertEquals(65360, root.at("/run/configuration/proxyInfoCodePoint").asInt()); // DEC-2
        assertEquals("2026-01-01T00:00:00Z", root.at("/run/configuration/clock/instant").asText());
        JsonNode first = root.get("events").get(0);
        assertEquals(0, first.get("seq").asInt());
        JsonNode ch = root.get("events").get(1);
        assertEquals("client_hello", ch.get("messageName").asText());
        // free-form fields are written with sorted keys, bytes as lower-case hex
        List<String> keys = new ArrayList<>();
        ch.get("fields").fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("cipher_suites", "client_version", "extensions", "random"), keys);
        assertEquals(Hex.encode(SampleTraces.CLIENT_RANDOM_2), ch.at("/fields/random").asText());
        assertTrue(Files.readString(file).contains("\"kind\": \"secret\""));
        // secrets carry the test-only marker
        for (JsonNode e : root.get("events")) {
            if (e.get("kind").asText().equals("secret")) {
                assertTrue(e.get("testOnly").asBoolean());
            }
        }
    }

    @Test
    @DisplayName("the same events give byte-identical files (determinism for reference traces)")
    void deterministic() throws Exception {
        JsonTraceWriter a = new JsonTraceWriter(SampleTraces.run());
        JsonTraceWriter b = new JsonTraceWriter(SampleTraces.run());
        SampleTraces.honestRun(a);
        SampleTraces.honestRun(b);
        assertEquals(a.toJson(), b.toJson());
        assertFalse(a.toJson().contains("\r"));
        // reading and writing back is the identity
        assertEquals(a.toJson(), Trace.parse(a.toJson()).toJson());
        // a system clock leaves no time in the trace
        JsonTraceWriter sys = new JsonTraceWriter(SampleTraces.run().clock(java.time.Clock.systemUTC()));
        assertEquals("{\"kind\":\"system\"}", sys.toJsonTree().at("/run/configuration/clock").toString());
    }

    @Test
    @DisplayName("two legs writing concurrently get distinct, gap-free sequence numbers in per-thread order")
    void threadSafe() throws Exception {
        JsonTraceWriter w = new JsonTraceWriter(SampleTraces.run());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        for (String leg : List.of("session1", "session2")) {
            pool.submit(() -> {
                go.await();
                for (int i = 0; i < 2000; i++) {
                    w.transition("proxy", leg, "S" + i, "S" + (i + 1), "step");
                }
                return null;
            });
        }
        go.countDown();
        pool.shutdown();
        assertTrue(pool.awaitTermination(20, TimeUnit.SECONDS));
        Trace t = w.toTrace();
        assertEquals(4000, t.events().size());
        for (int i = 0; i < t.events().size(); i++) {
            assertEquals(i, t.events().get(i).seq());
        }
        for (String leg : List.of("session1", "session2")) {
            List<Trace.Event> mine = t.forLeg(leg).events();
            for (int i = 0; i < mine.size(); i++) {
                assertEquals("S" + i, mine.get(i).text("from"));
            }
        }
        TraceValidator.assertValid(w.toJsonTree());
    }

    @Test
    @DisplayName("the validator rejects what the schema forbids (it can fail)")
    void validatorRejects() throws Exception {
        JsonTraceWriter w = new JsonTraceWriter(SampleTraces.run());
        SampleTraces.refusedRun(w);
        ObjectNode good = w.toJsonTree();
        TraceValidator.assertValid(good);

        ObjectNode badSender = good.deepCopy();
        ((ObjectNode) badSender.get("events").get(badSender.get("events").size() - 1)).put("sentBy", "somebody");
        assertFalse(TraceValidator.errors(badSender).isEmpty(), "outcome sentBy is a role, 'peer' or null");
        ObjectNode noEstablished = good.deepCopy();
        ((ObjectNode) noEstablished.get("events").get(noEstablished.get("events").size() - 1)).remove("established");
        assertFalse(TraceValidator.errors(noEstablished).isEmpty(), "outcome without established");

        ObjectNode badHex = good.deepCopy();
        ((ObjectNode) badHex.get("events").get(1)).put("raw", "0A");
        assertFalse(TraceValidator.errors(badHex).isEmpty(), "upper-case hex");

        ObjectNode badKind = good.deepCopy();
        ((ObjectNode) badKind.get("events").get(0)).put("kind", "log");
        assertFalse(TraceValidator.errors(badKind).isEmpty(), "unknown event kind");

        ObjectNode badMode = good.deepCopy();
        ((ObjectNode) badMode.at("/run/configuration")).put("signingMode", "loose");
        assertFalse(TraceValidator.errors(badMode).isEmpty(), "DEC-5 signing mode");

        ObjectNode badSeq = good.deepCopy();
        ((ObjectNode) badSeq.get("events").get(2)).put("seq", 1);
        assertFalse(TraceValidator.errors(badSeq).isEmpty(), "repeated seq");

        ObjectNode badBounds = good.deepCopy();
        ((ObjectNode) badBounds.get("events").get(1)).putArray("recordBoundaries").add(0).add(9999);
        assertFalse(TraceValidator.errors(badBounds).isEmpty(), "record boundary outside raw");

        ObjectNode secretMark = good.deepCopy();
        for (JsonNode e : secretMark.get("events")) {
            if (e.get("kind").asText().equals("secret")) {
                ((ObjectNode) e).remove("testOnly");
            }
        }
        assertFalse(TraceValidator.errors(secretMark).isEmpty(), "secret without testOnly marker");
    }

    @Test
    @DisplayName("per-leg traces merge back into the original (shared seq) and causally (independent seq)")
    void merge() throws Exception {
        JsonTraceWriter w = new JsonTraceWriter(SampleTraces.run());
        SampleTraces.honestRun(w);
        Trace whole = w.toTrace();
        Trace merged = Trace.merge(List.of(whole.forLeg("session1"), whole.forLeg("session2")));
        assertEquals(whole.toJson(), merged.toJson());
        TraceValidator.assertValid(merged.toJsonTree());

        // three processes, each numbering its own events from 0: client, proxy, server
        Map<String, JsonTraceWriter> perRole = new HashMap<>();
        for (String role : List.of("client", "proxy", "server")) {
            perRole.put(role, new JsonTraceWriter(SampleTraces.run()));
        }
        TraceSink byRole = new TraceSink() {
            public void message(String role, String leg, String d, String ct, String mn, Map<String, Object> f, byte[] raw, List<Integer> rb) {
                perRole.get(role).message(role, leg, d, ct, mn, f, raw, rb);
            }
            public void transition(String role, String leg, String from, String to, String trig) { perRole.get(role).transition(role, leg, from, to, trig); }
            public void check(String role, String leg, String id, String what, boolean ok, String det) { perRole.get(role).check(role, leg, id, what, ok, det); }
            public void claim(String role, String leg, String c, Map<String, Object> p) { perRole.get(role).claim(role, leg, c, p); }
            public void secret(String role, String leg, String n, byte[] v) { perRole.get(role).secret(role, leg, n, v); }
            public void outcome(String role, String leg, boolean est, String a, String s, String id, String m) { perRole.get(role).outcome(role, leg, est, a, s, id, m); }
        };
        SampleTraces.honestRun(byRole);
        // merge the server's and the client's first: order of the inputs must not matter for causality
        Trace causal = Trace.merge(List.of(perRole.get("server").toTrace(), perRole.get("client").toTrace(),
                perRole.get("proxy").toTrace()));
        TraceValidator.assertValid(causal.toJsonTree());
        assertEquals(whole.events().size(), causal.events().size());
        assertEquals(List.of("client", "proxy", "server"), causal.roles());
        Map<String, Integer> sentAt = new HashMap<>();
        List<Trace.Event> evs = causal.events();
        for (int i = 0; i < evs.size(); i++) {
            Trace.Event e = evs.get(i);
            if ("message".equals(e.kind())) {
                String key = e.leg() + e.text("messageName") + e.text("raw");
                if ("sent".equals(e.text("direction"))) {
                    sentAt.putIfAbsent(key, i);
                } else {
                    assertTrue(sentAt.containsKey(key), "received before sent: seq " + i + " " + e.text("messageName"));
                }
            }
        }
    }

    @Test
    @DisplayName("reading rejects a file that is not a trace, with a message saying why")
    void readerRejects() {
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> Trace.parse("{\"schemaVersion\":\"2.0\"}"));
        assertTrue(e.getMessage().contains("schemaVersion must be 1.x"), e.getMessage());
        e = assertThrows(TraceFormatException.class, () -> Trace.parse("[1,"));
        assertTrue(e.getMessage().startsWith("not JSON"), e.getMessage());
        e = assertThrows(TraceFormatException.class, () -> Trace.read(tmp.resolve("missing.json")));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }

    @Test
    @DisplayName("NSS key log lines are CLIENT_RANDOM <32-byte hex> <48-byte hex> (RFC5246-8.1)")
    void keyLog() throws Exception {
        NssKeyLog log = new NssKeyLog(tmp.resolve("keys/keylog.txt"));
        log.clientRandom(SampleTraces.CLIENT_RANDOM_1, SampleTraces.filled(48, 0x55));
        log.clientRandom(SampleTraces.CLIENT_RANDOM_2, SampleTraces.filled(48, 0x66));
        List<String> lines = Files.readAllLines(log.file());
        assertEquals(2, lines.size());
        assertTrue(lines.get(0).matches("CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}"), lines.get(0));
        Map<String, String> read = NssKeyLog.read(log.file());
        assertEquals(Hex.encode(SampleTraces.filled(48, 0x66)), read.get(Hex.encode(SampleTraces.CLIENT_RANDOM_2)));
        assertThrows(IllegalArgumentException.class, () -> log.clientRandom(new byte[31], new byte[48]));
        assertThrows(IllegalArgumentException.class, () -> log.clientRandom(new byte[32], new byte[47]));
    }
}
