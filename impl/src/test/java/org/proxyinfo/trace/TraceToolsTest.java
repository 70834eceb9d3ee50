package org.proxyinfo.trace;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** trace show / diff / render / merge through the real CLI. */
class TraceToolsTest {
    @TempDir Path tmp;

    private Path honest() throws Exception {
        JsonTraceWriter w = new JsonTraceWriter(SampleTraces.run());
        SampleTraces.honestRun(w);
        Path f = tmp.resolve("honest.json");
        w.writeTo(f);
        TraceValidator.assertValid(f);
        return f;
    }

    private Path refused() throws Exception {
        JsonTraceWriter w = new JsonTraceWriter(SampleTraces.run().scenario("pi-bound-untrusted-proxy"));
        SampleTraces.refusedRun(w);
        Path f = tmp.resolve("refused.json");
        w.writeTo(f);
        TraceValidator.assertValid(f);
        return f;
    }

    @Test
    @DisplayName("trace show: columns per role, arrows per message in order, checks/claims inline, outcome at the end")
    void show() throws Exception {
        Cli r = Cli.run("trace", "show", honest().toString());
        assertEquals(0, r.exit(), r.err());
        String out = r.out();
        String[] lines = out.split("\n");
        String header = List.of(lines).stream().filter(l -> l.contains("client") && l.contains("proxy") && l.contains("server"))
                .findFirst().orElseThrow();
        assertTrue(header.indexOf("client") < header.indexOf("proxy") && header.indexOf("proxy") < header.indexOf("server"));
        // session #2 (proxy -> server) comes first (DEC-14), arrow pointing right from the proxy column
        int proxyCol = header.indexOf("proxy") + 2;
        Matcher m = Pattern.compile("\\|-+ client_hello -+>\\|").matcher(out);
        assertTrue(m.find(), out);
        String firstArrowLine = List.of(lines).stream().filter(l -> l.contains(" client_hello -")).findFirst().orElseThrow();
        assertTrue(Math.abs(firstArrowLine.indexOf("|-") - proxyCol) <= 2, "first ClientHello is on session #2:\n" + firstArrowLine);
        assertTrue(out.contains("<-") && out.contains("server_hello"), out);
        assertTrue(out.contains("+ ok DEC-9: proxy certificate chains to a proxy trust anchor"), out);
        assertTrue(out.contains("* Commit(cipher_suite=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, client_random=11121314.."), out);
        assertTrue(out.contains("[1 hop]"), out);
        assertTrue(out.indexOf("Outcome:") > out.lastIndexOf("finished"));
        assertTrue(out.trim().endsWith("client on session1: established: established through proxy"), out);

        Cli bad = Cli.run("trace", "show", refused().toString());
        assertEquals(0, bad.exit());
        assertTrue(bad.out().contains("X FAILED DEC-9"), bad.out());
        assertTrue(bad.out().contains("client on session1: ABORTED, alert access_denied sent by client (DEC-9)"), bad.out());

        Cli missing = Cli.run("trace", "show", tmp.resolve("nope.json").toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("no such file"), missing.err());
        assertFalse(missing.err().contains("Exception"), missing.err());
    }

    @Test
    @DisplayName("trace show: close_notify is an orderly close, a fatal alert is drawn as a failure, a lost connection says so")
    void showAlerts() throws Exception {
        JsonTraceWriter w = new JsonTraceWriter(RunInfo.implementation("0.1.0", List.of("client", "server")));
        byte[] closeNotify = {1, 0};
        byte[] fatal = {2, 51};
        w.message("client", "direct", "sent", "alert", "close_notify", java.util.Map.of("level", "warning", "description", "close_notify"), closeNotify, List.of(0));
        w.message("server", "direct", "received", "alert", "close_notify", java.util.Map.of("level", "warning", "description", "close_notify"), closeNotify, List.of(0));
        w.message("server", "direct", "sent", "alert", "decrypt_error", java.util.Map.of("level", "fatal", "description", "decrypt_error"), fatal, List.of(0));
        w.outcome("client", "direct", false, null, null, null, "connection reset by the peer");
        w.outcome("server", "direct", false, "decrypt_error", "server", "DEC-21", "bad signature");
        Path f = tmp.resolve("alerts.json");
        w.writeTo(f);
        TraceValidator.assertValid(f);
        String out = Cli.run("trace", "show", f.toString()).out();
        assertTrue(out.contains("|-- alert close_notify -->|"), out);
        assertTrue(out.contains("|<= alert decrypt_error ==|"), out);
        assertTrue(out.contains("client on direct: FAILED without an alert: connection reset by the peer"), out);
        assertTrue(out.contains("server on direct: ABORTED, alert decrypt_error sent by server (DEC-21)"), out);
    }

    @Test
    @DisplayName("trace diff: exit 0 for equal traces, 1 with the first divergence field by field")
    void diff() throws Exception {
        Path a = honest();
        Path same = tmp.resolve("same.json");
        JsonTraceWriter w = new JsonTraceWriter(SampleTraces.run());
        SampleTraces.honestRun(w);
        w.writeTo(same);
        TraceValidator.assertValid(same);
        Cli eq = Cli.run("trace", "diff", a.toString(), same.toString());
        assertEquals(0, eq.exit(), eq.out());
        assertTrue(eq.out().contains("equal"));

        // change one byte of the proxy's ServerHello random (event 4 is the proxy's received server_hello)
        Trace t = Trace.read(a);
        ObjectNode root = t.toJsonTree();
        ObjectNode ev = (ObjectNode) root.get("events").get(4);
        assertEquals("server_hello", ev.get("messageName").asText());
        String raw = ev.get("raw").asText();
        ev.put("raw", raw.substring(0, 10) + (raw.charAt(10) == '0' ? '1' : '0') + raw.substring(11));
        Path changed = tmp.resolve("changed.json");
        Files.writeString(changed, TraceJson.pretty(root));
        TraceValidator.assertValid(changed);
        Cli d = Cli.run("trace", "diff", "--exact", a.toString(), changed.toString());
        assertEquals(1, d.exit(), d.out());
        assertTrue(d.out().contains("First divergence at event #4"), d.out());
        assertTrue(d.out().contains("/raw"), d.out());
        assertTrue(d.out().contains("A: " + raw.substring(0, 20)), d.out());
        assertFalse(d.out().contains("Run metadata differs"), d.out());

        // a different run: the refused run diverges in its metadata and at the first session1 event
        Cli d2 = Cli.run("trace", "diff", "--exact", a.toString(), refused().toString());
        assertEquals(1, d2.exit());
        assertTrue(d2.out().contains("/run/scenario"), d2.out());
        Cli d3 = Cli.run("trace", "diff", "--exact", "--events-only", a.toString(), refused().toString());
        assertEquals(1, d3.exit());
        assertFalse(d3.out().contains("/run/scenario"), d3.out());
        assertTrue(d3.out().contains("First divergence at event #"), d3.out());

        Cli err = Cli.run("trace", "diff", a.toString(), tmp.resolve("missing.json").toString());
        assertEquals(2, err.exit());
    }

    @Test
    @DisplayName("trace merge: per-leg files merge back into the whole run")
    void merge() throws Exception {
        Trace whole = Trace.read(honest());
        Path l1 = tmp.resolve("leg1.json");
        Path l2 = tmp.resolve("leg2.json");
        whole.forLeg("session1").writeTo(l1);
        whole.forLeg("session2").writeTo(l2);
        Path out = tmp.resolve("merged.json");
        Cli r = Cli.run("trace", "merge", l1.toString(), l2.toString(), "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        TraceValidator.assertValid(out);
        assertEquals(0, Cli.run("trace", "diff", honest().toString(), out.toString()).exit());
    }

    @Test
    @DisplayName("trace render: self-contained HTML with an inline SVG (lifelines, labelled arrows, notes, outcome)")
    void renderHtml() throws Exception {
        Path html = tmp.resolve("out/honest.html");
        Cli r = Cli.run("trace", "render", honest().toString(), "--out", html.toString());
        assertEquals(0, r.exit(), r.err());
        String page = Files.readString(html);
        assertTrue(page.startsWith("<!DOCTYPE html>"));
        assertEquals(3, count(page, "<g class=\"lifeline\""));
        // 10 messages per handshake leg (CH, SH, Cert, SKE, SHD, CKE, CCS, Fin, CCS, Fin), two legs; one arrow each
        assertEquals(20, count(page, "<g class=\"message"));
        assertTrue(page.contains("data-name=\"server_key_exchange\""));
        assertTrue(page.contains("class=\"note claim\""));
        assertTrue(page.contains("class=\"note check\""));
        assertTrue(page.contains("note outcome established"));
        // no external resources: no src/href attributes, no url() other than the inline marker
        assertFalse(Pattern.compile("\\s(src|href)=").matcher(page).find());
        assertFalse(page.replace("url(#arrowhead)", "").contains("url("));
        assertFalse(page.contains("<script"));
        // deterministic
        Path again = tmp.resolve("again.html");
        Cli.run("trace", "render", honest().toString(), "--out", again.toString());
        assertEquals(page, Files.readString(again));
    }

    static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
