package org.proxyinfo.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxyinfo.Evidence;

/**
 * Issue 17, one evidence report: {@code mvn verify} writes impl/target/evidence/report.html from the
 * evidence files, compares the committed proofs/report.html with it, and checks it in headless
 * Chromium: it renders, every internal link resolves, nothing is fetched.
 */
@Order(Integer.MAX_VALUE)
class EvidenceReportTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path GENERATED = ROOT.resolve("impl/target/evidence/report.html");
    static String html;

    @BeforeAll
    static void build() throws Exception {
        html = EvidenceReport.html(ROOT);
        Files.createDirectories(GENERATED.getParent());
        Files.writeString(GENERATED, html, StandardCharsets.UTF_8);
    }

    @Test
    void committedReportIsWhatTheBuildGenerates() throws Exception {
        Evidence.check(ROOT.resolve("proofs/report.html"), GENERATED, html, s -> s);
    }

    @Test
    void aReviewerGoesFromAClaimToItsVerdictDiagramMustsAndContracts() {
        assertTrue(html.contains("id=\"claim-C1\""), "a section per claim");
        assertTrue(html.contains("C1: The client authenticates the server strongly"), "claims in words");
        assertTrue(html.matches("(?s).*<td class=\"claim-confirmed\">VIOLATED &middot; confirmed <a href=\"#diagram-[^\"]+\">counterexample</a>.*"),
                "a confirmed cell links to its counterexample diagram");
        assertTrue(html.contains("<a href=\"#req-DEC-9\">DEC-9</a>"), "the MUSTs a claim depends on link to the requirement");
        assertTrue(html.contains("id=\"req-DEC-9\""), "the traceability row");
        assertTrue(html.matches("(?s).*id=\"req-DEC-8\".*?<a href=\"#contract-\\d+\">ClientHandshake::.*"), "a requirement row links to its contracts");
        assertTrue(html.contains("<svg class=\"sequence\""), "diagrams drawn by SequenceSvg");
        // issue 18: OpenJML's answers beside KeY's, per core class and per method
        assertTrue(html.contains("id=\"openjml\"") && html.contains("<th>OpenJML: methods valid</th>"), "OpenJML section");
        assertTrue(html.matches("(?s).*<tr><td>ClientHandshake</td><td>\\d+ of \\d+</td><td>\\d+ of \\d+</td>.*"),
                "OpenJML and KeY counts side by side for a core class");
        assertTrue(html.matches("(?s).*<tr id=\"openjml-\\d+\"><td>ClientHandshake</td>.*?<td>valid</td></tr>.*"),
                "OpenJML's answer per method");
        String openJml = html.substring(html.indexOf("id=\"openjml\""), html.indexOf("id=\"traceability\""));
        assertFalse(openJml.contains("<td class=\"confirmed\">no</td>"),
                "every core class: all methods valid for OpenJML and all contracts closed in KeY");
        assertTrue(html.contains("traces/reference/proxied.json"), "the reference traces as diagrams");
        assertTrue(html.contains("ours / SunJSSE"), "benchmark ratios");
        assertTrue(html.contains("<td>key</td><td>2.12.3</td>") && html.contains("<td>alloy</td>"), "tool versions");
        assertTrue(html.contains("id=\"bounds\""), "model bounds");
        // R10/R11 (reliance, claims.md Precision): a HOLDS cell says which of the named party's checks it relies on
        assertTrue(html.matches("(?s).*id=\"claim-R10\".*?HOLDS &middot; confirmed \\(relies on: NoServerCertCheck\\).*"),
                "an R10 reliance cell names the client check whose removal lets the man in the middle through");
        assertFalse(html.contains("peakHeap") || html.contains("millis") || html.contains("time_ms"), "no measurements in the report");
    }

    @Test
    void theVerdictsBeyondTheTableAreInTheReport() throws Exception {
        // issue 11: the Dolev-Yao model in time (SPIN) and the unbounded Horn clauses (Z3) are evidence too; a reviewer
        // reading the report must find each of their committed verdict rows, not only the bounded Alloy table
        for (String[] v : new String[][] {{"dy", "proofs/model/dy/verdicts.md"}, {"horn", "proofs/model/horn/verdicts.md"}}) {
            assertTrue(html.contains("id=\"" + v[0] + "\""), "a section for " + v[1]);
            long rows = Files.readAllLines(ROOT.resolve(v[1])).stream().filter(l -> l.startsWith("| ") && !l.startsWith("| property")
                    && !l.startsWith("| check")).count();
            String section = html.substring(html.indexOf("id=\"" + v[0] + "\""));
            section = section.substring(0, section.indexOf("<h2", 1) < 0 ? section.length() : section.indexOf("<h2", 1));
            assertTrue(rows > 10, v[1] + " rows: " + rows);
            assertEquals(rows, section.split("<tr><td>", -1).length - 1, "every verdict row of " + v[1]);
        }
        assertTrue(html.contains("<td>z3</td><td>"), "tool versions whose property names hold digits (z3.version)");
    }

    @Test
    void everyInternalLinkResolvesAndNothingIsFetched() {
        TreeSet<String> ids = new TreeSet<>();
        Matcher m = Pattern.compile(" id=\"([^\"]+)\"").matcher(html);
        while (m.find()) ids.add(m.group(1));
        List<String> broken = new ArrayList<>();
        m = Pattern.compile("href=\"([^\"]*)\"").matcher(html);
        int links = 0;
        while (m.find()) {
            String h = m.group(1);
            links++;
            if (!h.startsWith("#") || !ids.contains(h.substring(1))) broken.add(h);
        }
        assertTrue(links > 100, "links: " + links);
        assertTrue(broken.isEmpty(), "links that do not resolve inside the report: " + broken.subList(0, Math.min(20, broken.size())));
        String withoutNamespaces = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        for (String external : new String[] {"<script", "<img", "<link", "<iframe", "src=", "http://", "https://", "@import"}) {
            assertFalse(withoutNamespaces.contains(external), "the report must not load anything: found " + external);
        }
        assertTrue(html.contains("Content-Security-Policy\" content=\"default-src 'none'"));
    }

    @Test
    void rendersInHeadlessChromium(@TempDir Path tmp) throws Exception {
        assertTrue(installed("chromium"), "chromium is not installed; .ci/setup installs it (apt-get install chromium)");
        List<String> cmd = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--host-resolver-rules=MAP * ~NOTFOUND", "--user-data-dir=" + tmp.resolve("profile"), "--dump-dom",
                GENERATED.toUri().toString()));
        Path out = tmp.resolve("dom.html");
        Path err = tmp.resolve("err.txt");
        Process p = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish within 180 s");
        }
        assertEquals(0, p.exitValue(), Files.readString(err));
        String dom = Files.readString(out);
        assertTrue(dom.contains("<h1>proxyinfo: evidence report</h1>"), "rendered");
        int svgs = dom.split("<svg class=\"sequence\"", -1).length - 1;
        assertEquals(html.split("<svg class=\"sequence\"", -1).length - 1, svgs, "every diagram parsed into the DOM");
        TreeSet<String> ids = new TreeSet<>();
        Matcher m = Pattern.compile(" id=\"([^\"]+)\"").matcher(dom);
        while (m.find()) ids.add(m.group(1));
        m = Pattern.compile("href=\"#([^\"]*)\"").matcher(dom);
        while (m.find()) assertTrue(ids.contains(m.group(1)), "link #" + m.group(1) + " resolves in the rendered DOM");
        assertFalse(Files.readString(err).contains("Refused to load"), "nothing was fetched: " + Files.readString(err));
    }

    static boolean installed(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) return true;
        }
        return false;
    }
}
