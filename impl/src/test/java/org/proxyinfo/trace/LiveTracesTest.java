package org.proxyinfo.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 findings 1 and 2: traces of a live proxied run (server, proxy, client run by hand with
 * --trace, two client connections) can be shown, drawn, merged per connection and checked.
 */
class LiveTracesTest {
    @TempDir static Path tmp;
    static LiveRun live;

    @BeforeAll
    @org.junit.jupiter.api.Timeout(value = 180)
    static void run() throws Exception {
        live = new LiveRun(tmp).start(Map.of());
        assertEquals(0, live.client("client.json", Map.of()).exit());
        assertEquals(0, live.client("client2.json", Map.of()).exit());
        live.awaitConnections(2);
    }

    @AfterAll
    static void stop() throws Exception {
        if (live != null) live.close();
    }

    private static String p(String f) {
        return tmp.resolve(f).toString();
    }

    @Test
    @DisplayName("finding 1: show and render a single-role live trace (no NPE in SequenceLayout.of)")
    void showAndRenderSingleRole() {
        Cli show = Cli.run("trace", "show", p("client.json"));
        assertEquals(0, show.exit(), show.err());
        assertTrue(show.out().contains("client_hello"), show.out());
        assertFalse(show.err().contains("Exception"), show.err());
        Cli render = Cli.run("trace", "render", p("client.json"), "--out", p("client.html"));
        assertEquals(0, render.exit(), render.err());
        Cli showServer = Cli.run("trace", "show", p("server-1.json"));
        assertEquals(0, showServer.exit(), showServer.err());
    }

    @Test
    @DisplayName("finding 1: show and render a merged live trace")
    void showAndRenderMerged() {
        Cli merge = Cli.run("trace", "merge", p("client.json"), p("proxy.json"), p("server.json"), "--out", p("m1.json"));
        assertEquals(0, merge.exit(), merge.err());
        Cli show = Cli.run("trace", "show", p("m1.json"));
        assertEquals(0, show.exit(), show.err());
        assertTrue(show.out().contains("session2"), show.out());
        Cli render = Cli.run("trace", "render", p("m1.json"), "--out", p("m1.html"));
        assertEquals(0, render.exit(), render.err());
    }

    private static String hello(Trace t, String role, String leg, String name) {
        return t.events().stream().filter(e -> e.role().equals(role) && e.leg().equals(leg) && e.isMessage("sent")
                        && name.equals(e.text("messageName")))
                .map(e -> e.node("fields").path("random").asText()).findFirst().orElse(null);
    }

    private static String received(Trace t, String role, String leg, String name) {
        return t.events().stream().filter(e -> e.role().equals(role) && e.leg().equals(leg) && e.isMessage("received")
                        && name.equals(e.text("messageName")))
                .map(e -> e.node("fields").path("random").asText()).findFirst().orElse(null);
    }

    @Test
    @DisplayName("finding 2: one trace per connection with an index; merge picks the connection through the randoms and names the legs")
    void mergeReconcilesOneConnection() throws Exception {
        Trace c1 = Trace.read(tmp.resolve("client.json"));
        Trace c2 = Trace.read(tmp.resolve("client2.json"));
        for (String f : List.of("proxy-1.json", "proxy-2.json", "server-1.json", "server-2.json")) {
            TraceValidator.assertValid(tmp.resolve(f));
        }
        Set<String> serverLegs = new TreeSet<>();
        Trace.read(tmp.resolve("server-1.json")).events().forEach(e -> serverLegs.add(e.leg()));
        assertFalse(serverLegs.contains("direct"), "the origin cannot know its client is not a proxy: " + serverLegs);
        for (String[] c : new String[][] {{"client.json", "m1.json"}, {"client2.json", "m2.json"}}) {
            Cli merge = Cli.run("trace", "merge", p(c[0]), p("proxy.json"), p("server.json"), "--out", p(c[1]));
            assertEquals(0, merge.exit(), merge.err());
            TraceValidator.assertValid(tmp.resolve(c[1]));
        }
        Trace m1 = Trace.read(tmp.resolve("m1.json"));
        Trace m2 = Trace.read(tmp.resolve("m2.json"));
        assertEquals(hello(c1, "client", "session1", "client_hello"), hello(m1, "client", "session1", "client_hello"));
        assertEquals(hello(c2, "client", "session1", "client_hello"), hello(m2, "client", "session1", "client_hello"));
        for (Trace m : List.of(m1, m2)) {
            assertEquals("PI-BOUND", m.run().path("architecture").asText(), "the proxy knows the architecture");
            assertEquals(List.of("client", "proxy", "server"), m.roles());
            Set<String> legs = new TreeSet<>();
            m.events().forEach(e -> legs.add(e.leg()));
            assertEquals(Set.of("session1", "session2"), legs);
            assertEquals(2, m.events().stream().filter(e -> e.isMessage("sent") && "client_hello".equals(e.text("messageName"))).count(),
                    "one connection: one client_hello per leg");
            // the server's leg is the proxy's session #2: the server_random the proxy received is the one the server sent
            assertEquals(received(m, "proxy", "session2", "server_hello"), hello(m, "server", "session2", "server_hello"));
            assertTrue(hello(m, "server", "session2", "server_hello") != null, "server events named session2");
        }
        assertNotEquals(hello(m1, "server", "session2", "server_hello"), hello(m2, "server", "session2", "server_hello"));
    }

    @Test
    @DisplayName("finding 2: merge refuses traces of different connections and says why")
    void mergeRefusesMixedConnections() {
        String firstServer = Cli.run("trace", "merge", p("client.json"), p("proxy.json"), p("server.json"), "--out", p("x.json"))
                .exit() == 0 ? null : "";
        Trace m1;
        try {
            m1 = Trace.read(tmp.resolve("x.json"));
        } catch (TraceFormatException e) {
            throw new AssertionError(e);
        }
        String sr = hello(m1, "server", "session2", "server_hello");
        // the other connection's server trace
        String other = null;
        for (String f : List.of("server-1.json", "server-2.json")) {
            try {
                if (!sr.equals(hello(Trace.read(tmp.resolve(f)), "server", "inbound", "server_hello"))) other = f;
            } catch (TraceFormatException e) {
                throw new AssertionError(e);
            }
        }
        assertTrue(other != null && firstServer == null);
        Cli mixed = Cli.run("trace", "merge", p("client.json"), p("proxy.json"), p(other), "--out", p("bad.json"));
        assertEquals(2, mixed.exit(), mixed.out());
        assertTrue(mixed.err().contains("different connection"), mixed.err());
        assertFalse(Files.exists(tmp.resolve("bad.json")));
        Cli clients = Cli.run("trace", "merge", p("client.json"), p("client2.json"), "--out", p("bad2.json"));
        assertEquals(2, clients.exit());
        assertTrue(clients.err().contains("different connection"), clients.err());
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 300) // the Alloy check of a live trace takes ~20 s of CPU on a loaded machine
    @DisplayName("finding 2: check never reports an architecture the trace does not support")
    void checkRefusesPartialTraces() {
        Cli single = Cli.run("check", p("client.json"), "--pki", live.pki.toString());
        assertNotEquals(0, single.exit(), single.out());
        assertFalse(single.out().contains("DIRECT"), single.out());
        assertTrue((single.out() + single.err()).contains("client's view of a proxied session"), single.out() + single.err());
        Cli merge = Cli.run("trace", "merge", p("client.json"), p("proxy.json"), p("server.json"), "--out", p("m3.json"));
        assertEquals(0, merge.exit(), merge.err());
        Cli check = Cli.run("check", p("m3.json"), "--pki", live.pki.toString());
        assertEquals(0, check.exit(), check.out() + check.err());
        assertTrue(check.out().contains("PI-BOUND"), check.out());
    }
}
