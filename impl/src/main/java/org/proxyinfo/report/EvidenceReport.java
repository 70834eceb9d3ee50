package org.proxyinfo.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.proxyinfo.trace.SequenceSvg;
import org.proxyinfo.trace.Trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One self-contained HTML page for reviewers, built from whatever evidence files exist in the
 * repository (issue 17): the claims with their verdict matrix per architecture and threat setting,
 * each cell linking to its counterexample or witness drawn as a sequence diagram; the MUSTs each
 * claim depends on (the tightness mutants); the contracts with their proof status and requirement
 * IDs; the traceability matrix; the reference traces as diagrams; the benchmark ratios; tool
 * versions and model bounds. No scripts, no fetches (a Content-Security-Policy forbids them), no
 * measurements that change from run to run, so the committed copy ({@code proofs/report.html}) is
 * compared with what the build generates.
 */
public final class EvidenceReport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path root;
    private final StringBuilder body = new StringBuilder();
    private final StringBuilder toc = new StringBuilder();
    /** Diagrams by content: identical drawings are drawn once, and every cell links to that one. */
    private final Map<String, String> diagramIdBySvg = new LinkedHashMap<>();
    private final Map<String, String> diagramIdByFile = new TreeMap<>();
    private final Map<String, String> diagramTitle = new LinkedHashMap<>();
    private String svgStyle = "";

    private EvidenceReport(Path root) {
        this.root = root;
    }

    /** The report for the repository at root. */
    public static String html(Path root) throws IOException {
        return new EvidenceReport(root).build();
    }

    private String build() throws IOException {
        JsonNode verdicts = json("proofs/model/verdicts.json");
        Map<String, String> claims = claimTexts(verdicts);
        List<String[]> contracts = csv("proofs/key/results.csv");
        Map<String, String[]> requirements = requirements();
        Map<String, String[]> matrix = matrixFlags();

        // Diagrams first, so that the cells can link to them.
        Path modelTraces = root.resolve("proofs/model/traces");
        for (Path f : list(modelTraces, ".json")) {
            diagram("proofs/model/traces/" + f.getFileName(), f);
        }
        List<Path> reference = list(root.resolve("traces/reference"), ".json");
        for (Path f : reference) {
            diagram("traces/reference/" + f.getFileName(), f);
        }

        section("about", "What this is");
        body.append("<p>The evidence of <b>proxyinfo</b>, the formal-model-backed reference implementation of the TLS Proxy Server ")
            .append("Extension (draft-mcgrew-tls-proxy-server-00/-01), in one page. It is written by <code>mvn verify</code> ")
            .append("(<code>impl/target/evidence/report.html</code>) from the committed evidence in <code>proofs/</code> and ")
            .append("<code>traces/</code>; the copy in <code>proofs/report.html</code> is compared with it. The specification it ")
            .append("refers to is the project's own record in <code>proofs/spec/</code>.</p>\n");
        toolsAndBounds(verdicts);

        section("claims", "Claims and verdicts");
        if (verdicts == null) {
            body.append("<p>No verdict table (<code>proofs/model/verdicts.json</code>) in this build.</p>\n");
        } else {
            claimsSection(verdicts, claims);
        }
        section("dy", "Beyond the table: the Dolev-Yao attacker in time (SPIN)");
        committedVerdicts("proofs/model/dy/verdicts.md", "DolevYaoTest", "model/README.md, \"Model v2: status\"");
        section("horn", "Beyond the table: unboundedly many sessions (Horn clauses, Z3 Spacer)");
        committedVerdicts("proofs/model/horn/verdicts.md", "HornTest", "model/README.md, \"Horn clauses\"");
        section("contracts", "Contracts proved by KeY");
        contractsSection(contracts);
        section("openjml", "The same contracts checked by OpenJML");
        openJmlSection(csv("proofs/openjml/results.csv"), contracts);
        section("traceability", "Traceability: every requirement ID");
        traceabilitySection(requirements, matrix, contracts);
        section("reference", "Reference traces");
        body.append("<p>The deterministic reference traces (<code>traces/reference/</code>), byte-compared by the build; ")
            .append("each drawn as a sequence diagram below.</p>\n<ul>\n");
        for (Path f : reference) {
            String id = diagramIdByFile.get("traces/reference/" + f.getFileName());
            if (id != null) {
                body.append("<li><a href=\"#").append(id).append("\">").append(esc(f.getFileName().toString())).append("</a></li>\n");
            }
        }
        body.append("</ul>\n");
        section("benchmarks", "Speed (benchmark ratios)");
        benchmarks();
        section("diagrams", "Sequence diagrams");
        body.append("<p>Each counterexample or witness of the model, and each reference trace, drawn by <code>trace render</code>'s ")
            .append("renderer (lifelines per role, one arrow per message, checks and claims as notes). Identical drawings are shown once.</p>\n");
        for (Map.Entry<String, String> e : diagramIdBySvg.entrySet()) {
            String id = e.getValue();
            body.append("<details class=\"diagram\" id=\"").append(id).append("\"><summary>").append(esc(diagramTitle.get(id)))
                .append("</summary>\n").append(e.getKey()).append("</details>\n");
        }

        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n")
            .append("<title>proxyinfo: evidence report</title>\n<style>\n")
            .append("body { font-family: sans-serif; margin: 16px 24px; color: #222; max-width: 1400px; }\n")
            .append("table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; }\n")
            .append("th, td { border: 1px solid #bbb; padding: 2px 6px; vertical-align: top; text-align: left; }\n")
            .append("th { background: #eef; }\n")
            .append("td.confirmed { background: #fde2e2; } td.refuted { background: #e2f3e2; } td.na { color: #888; }\n")
            .append("td.claim-confirmed { background: #fde2e2; } td.claim-refuted { background: #e2f3e2; }\n")
            .append(".legend { font-size: 12px; color: #444; }\n")
            .append("details.diagram { margin: 6px 0; border: 1px solid #ccc; padding: 4px; }\n")
            .append("details.diagram:target { border: 2px solid #36c; }\n")
            .append("pre { background: #f6f6f6; padding: 8px; overflow-x: auto; }\n")
            .append(svgStyle)
            .append("</style>\n</head>\n<body>\n<h1>proxyinfo: evidence report</h1>\n<nav><ol>\n").append(toc).append("</ol></nav>\n")
            .append(body).append("</body>\n</html>\n");
        return html.toString();
    }

    // ---------------------------------------------------------------- sections

    private void toolsAndBounds(JsonNode verdicts) throws IOException {
        body.append("<h3 id=\"tools\">Tool versions (pinned in <code>pom.xml</code>)</h3>\n<table><tr><th>tool or library</th><th>version</th></tr>\n");
        Path pom = root.resolve("pom.xml");
        if (Files.exists(pom)) {
            Matcher m = Pattern.compile("<([a-zA-Z0-9.-]+)\\.version>([^<]+)</").matcher(Files.readString(pom));
            while (m.find()) {
                body.append("<tr><td>").append(esc(m.group(1))).append("</td><td>").append(esc(m.group(2))).append("</td></tr>\n");
            }
        }
        body.append("</table>\n");
        if (verdicts != null) {
            body.append("<h3 id=\"bounds\">Model bounds</h3>\n<p>Profile <code>").append(esc(verdicts.path("profile").asText()))
                .append("</code>: ").append(esc(verdicts.path("bound").asText())).append(" (Alloy <code>")
                .append(esc(verdicts.path("alloyScope").asText())).append("</code>). Every HOLDS of this table is bounded; every HOLDS has a ")
                .append("satisfiable sanity run. Beyond the table: the Dolev-Yao model in time (SPIN, its own bound) and ")
                .append("the Horn clauses (Z3 Spacer, unboundedly many sessions), in their own sections.</p>\n");
            if (verdicts.has("polarity")) {
                body.append("<p class=\"legend\">Polarity: ").append(esc(verdicts.path("polarity").asText())).append("</p>\n");
            }
        }
    }

    private void claimsSection(JsonNode verdicts, Map<String, String> claims) {
        Map<String, Map<String, Map<String, JsonNode>>> byClaim = new LinkedHashMap<>();
        List<String> archs = new ArrayList<>();
        verdicts.path("architectures").forEach(a -> archs.add(a.path("id").asText()));
        List<String> threats = new ArrayList<>();
        verdicts.path("threatSettings").forEach(t -> threats.add(t.path("id").asText()));
        for (JsonNode c : verdicts.path("cells")) {
            byClaim.computeIfAbsent(c.path("claim").asText(), k -> new LinkedHashMap<>())
                   .computeIfAbsent(c.path("threat").asText(), k -> new LinkedHashMap<>()).put(c.path("architecture").asText(), c);
        }
        Map<String, List<JsonNode>> mutantsByClaim = new LinkedHashMap<>();
        verdicts.path("mutants").forEach(m -> mutantsByClaim.computeIfAbsent(m.path("claim").asText(), k -> new ArrayList<>()).add(m));
        body.append("<p class=\"legend\">Each cell: the property's verdict in the model (HOLDS / VIOLATED within the bound) and what ")
            .append("that means for the claim (<b>confirmed</b> or <b>refuted</b>); red = the claim is confirmed, green = refuted. ")
            .append("A link opens the counterexample or witness as a sequence diagram. Threat settings: ");
        verdicts.path("threatSettings").forEach(t -> body.append("<code>").append(esc(t.path("id").asText())).append("</code> ")
            .append(esc(t.path("description").asText())).append("; "));
        body.append("</p>\n<ul>\n");
        for (String claim : byClaim.keySet()) {
            body.append("<li><a href=\"#claim-").append(esc(claim)).append("\">").append(esc(claim)).append("</a>: ")
                .append(esc(claims.getOrDefault(claim, ""))).append("</li>\n");
        }
        body.append("</ul>\n");
        for (Map.Entry<String, Map<String, Map<String, JsonNode>>> e : byClaim.entrySet()) {
            String claim = e.getKey();
            body.append("<h3 id=\"claim-").append(esc(claim)).append("\">").append(esc(claim)).append(": ")
                .append(esc(claims.getOrDefault(claim, ""))).append("</h3>\n");
            JsonNode any = e.getValue().values().iterator().next().values().iterator().next();
            body.append("<p>Checked through the property <code>").append(esc(any.path("property").asText())).append("</code>.</p>\n");
            body.append("<table><tr><th>threat \\ architecture</th>");
            archs.forEach(a -> body.append("<th>").append(esc(a)).append("</th>"));
            body.append("</tr>\n");
            for (String t : threats) {
                Map<String, JsonNode> row = e.getValue().get(t);
                if (row == null) {
                    continue;
                }
                body.append("<tr><th>").append(esc(t)).append("</th>");
                for (String a : archs) {
                    JsonNode c = row.get(a);
                    if (c == null || "N/A".equals(c.path("propertyVerdict").asText())) {
                        body.append("<td class=\"na\" title=\"").append(esc(c == null ? "" : c.path("reason").asText())).append("\">n/a</td>");
                        continue;
                    }
                    String cv = c.path("claimVerdict").asText();
                    body.append("<td class=\"claim-").append(esc(cv)).append("\">").append(esc(c.path("propertyVerdict").asText()))
                        .append(" &middot; ").append(esc(cv));
                    if (c.has("relianceChecks") && "HOLDS".equals(c.path("propertyVerdict").asText())) {
                        // R10/R11 (reliance): the claim verdict is whether removing one of the named party's checks breaks the cell
                        String by = c.path("brokenByMutant").asText("");
                        body.append(by.isEmpty() ? " (no check of the named party breaks it)" : " (relies on: " + esc(by) + ")");
                    }
                    String trace = c.path("trace").asText("");
                    String id = trace.isEmpty() ? null : diagramIdByFile.get("proofs/model/" + trace);
                    if (id != null) {
                        body.append(" <a href=\"#").append(id).append("\">").append(c.path("evidence").asText().startsWith("witness")
                                ? "witness" : "counterexample").append("</a>");
                    }
                    body.append("</td>");
                }
                body.append("</tr>\n");
            }
            body.append("</table>\n");
            List<JsonNode> ms = mutantsByClaim.getOrDefault(claim, List.of());
            if (!ms.isEmpty()) {
                body.append("<p>What this claim depends on (tightness mutants: the cell HOLDS, and removing the check gives a ")
                    .append("counterexample, or shows it is not needed):</p>\n<ul>\n");
                for (JsonNode m : ms) {
                    body.append("<li>").append(esc(m.path("id").asText())).append(" in ").append(esc(m.path("architecture").asText()))
                        .append(" / ").append(esc(m.path("threat").asText())).append(": without ").append(esc(m.path("removed").asText()))
                        .append(" (").append(reqLinks(m.path("requirement").asText())).append("): ")
                        .append(m.path("counterexample").asBoolean() ? "counterexample" : "no counterexample");
                    String id = m.path("trace").isMissingNode() ? null : diagramIdByFile.get("proofs/model/" + m.path("trace").asText());
                    if (id != null) {
                        body.append(" <a href=\"#").append(id).append("\">diagram</a>");
                    }
                    body.append("</li>\n");
                }
                body.append("</ul>\n");
            }
        }
    }

    private void contractsSection(List<String[]> contracts) {
        if (contracts.isEmpty()) {
            body.append("<p>No KeY results (<code>proofs/key/results.csv</code>) in this build.</p>\n");
            return;
        }
        String[] header = contracts.get(0);
        body.append("<p>The JML contracts of the decision cores (<code>impl/src/main/java/org/proxyinfo/core/</code>), proved by KeY; ")
            .append("<code>mvn verify</code> replays every committed proof in <code>proofs/key/</code>.</p>\n<table><tr>");
        for (String h : header) {
            body.append("<th>").append(esc(h)).append("</th>");
        }
        body.append("</tr>\n");
        int req = java.util.Arrays.asList(header).indexOf("requirement_ids");
        for (int i = 1; i < contracts.size(); i++) {
            String[] r = contracts.get(i);
            body.append("<tr id=\"contract-").append(i).append("\">");
            for (int j = 0; j < r.length; j++) {
                body.append("<td>").append(j == req ? reqLinks(r[j]) : esc(r[j])).append("</td>");
            }
            body.append("</tr>\n");
        }
        body.append("</table>\n");
    }

    /**
     * Issue 18: the second, independent checker of the same JML text. A per-class comparison with KeY
     * first (a class whose methods OpenJML does not all find valid, or whose KeY proofs are not all
     * closed, is marked), then OpenJML's answer per method.
     */
    private void openJmlSection(List<String[]> rows, List<String[]> keyContracts) {
        if (rows.isEmpty()) {
            body.append("<p>No OpenJML results (<code>proofs/openjml/results.csv</code>) in this build.</p>\n");
            return;
        }
        String[] header = rows.get(0);
        int cls = java.util.Arrays.asList(header).indexOf("class");
        int res = java.util.Arrays.asList(header).indexOf("result");
        int req = java.util.Arrays.asList(header).indexOf("requirement_ids");
        Map<String, int[]> byClass = new TreeMap<>(); // class -> {OpenJML valid, OpenJML total, KeY closed, KeY total}
        for (int i = 1; i < rows.size(); i++) {
            int[] c = byClass.computeIfAbsent(rows.get(i)[cls], k -> new int[4]);
            c[1]++;
            if ("valid".equals(rows.get(i)[res])) {
                c[0]++;
            }
        }
        if (!keyContracts.isEmpty()) {
            int closed = java.util.Arrays.asList(keyContracts.get(0)).indexOf("closed");
            for (int i = 1; i < keyContracts.size(); i++) {
                String contract = keyContracts.get(i)[0];
                int sep = contract.indexOf("::");
                int[] c = byClass.computeIfAbsent(sep < 0 ? contract : contract.substring(0, sep), k -> new int[4]);
                c[3]++;
                if (closed >= 0 && "true".equals(keyContracts.get(i)[closed])) {
                    c[2]++;
                }
            }
        }
        body.append("<p>The JML text is the same for both tools; OpenJML's extended static checker (with z3) checks every ")
            .append("constructor and method of every core class (<code>OpenJmlEscTest</code>, <code>proofs/openjml/README.md</code>). ")
            .append("Any answer other than <i>valid</i> (invalid, timeout, error, skipped) fails the build, and every KeY mutant must be ")
            .append("<i>invalid</i> for OpenJML too.</p>\n<table><tr><th>core class</th><th>OpenJML: methods valid</th>")
            .append("<th>KeY: contracts closed</th><th>both</th></tr>\n");
        for (Map.Entry<String, int[]> e : byClass.entrySet()) {
            int[] c = e.getValue();
            // a class KeY has no contract for (a constants class) counts on OpenJML alone
            boolean ok = c[1] > 0 && c[0] == c[1] && c[2] == c[3];
            body.append("<tr><td>").append(esc(e.getKey())).append("</td><td>").append(c[0]).append(" of ").append(c[1])
                .append("</td><td>").append(c[2]).append(" of ").append(c[3]).append("</td><td class=\"")
                .append(ok ? "refuted\">yes" : "confirmed\">no").append("</td></tr>\n");
        }
        body.append("</table>\n<table><tr>");
        for (String h : header) {
            body.append("<th>").append(esc(h)).append("</th>");
        }
        body.append("</tr>\n");
        for (int i = 1; i < rows.size(); i++) {
            String[] r = rows.get(i);
            body.append("<tr id=\"openjml-").append(i).append("\">");
            for (int j = 0; j < r.length; j++) {
                body.append("<td>").append(j == req ? reqLinks(r[j]) : esc(r[j])).append("</td>");
            }
            body.append("</tr>\n");
        }
        body.append("</table>\n");
    }

    private void traceabilitySection(Map<String, String[]> requirements, Map<String, String[]> matrix, List<String[]> contracts) {
        Map<String, List<Integer>> contractsById = new TreeMap<>();
        int req = contracts.isEmpty() ? -1 : java.util.Arrays.asList(contracts.get(0)).indexOf("requirement_ids");
        for (int i = 1; req >= 0 && i < contracts.size(); i++) {
            for (String id : contracts.get(i)[req].split("\\s+")) {
                contractsById.computeIfAbsent(id, k -> new ArrayList<>()).add(i);
            }
        }
        body.append("<p>Every requirement ID of <code>proofs/spec/</code> (<code>proofs/traceability/requirements.tsv</code>), its ")
            .append("scope, and whether main code, JML contracts, the model and tests name it (<code>proofs/traceability/matrix.md</code>, ")
            .append("checked by the build), with the contracts that state it.</p>\n<table><tr><th>id</th><th>requirement</th><th>scope</th>")
            .append("<th>code</th><th>contracts</th><th>model</th><th>tests</th><th>proved contracts</th></tr>\n");
        TreeSet<String> ids = new TreeSet<>(requirements.keySet());
        ids.addAll(matrix.keySet());
        for (String id : ids) {
            String[] r = requirements.get(id);
            String[] m = matrix.getOrDefault(id, new String[] {"", "", "", ""});
            body.append("<tr id=\"req-").append(anchor(id)).append("\"><td>").append(esc(id)).append("</td><td>")
                .append(r == null ? "" : esc(r[3])).append("</td><td>").append(r == null ? "in scope" : esc(r[4])).append("</td>");
            for (String x : m) {
                body.append("<td>").append(esc(x)).append("</td>");
            }
            body.append("<td>");
            for (int i : contractsById.getOrDefault(id, List.of())) {
                body.append("<a href=\"#contract-").append(i).append("\">").append(esc(contracts.get(i)[0])).append("</a> ");
            }
            body.append("</td></tr>\n");
        }
        body.append("</table>\n");
    }

    private void benchmarks() throws IOException {
        Path b = root.resolve("impl/BENCHMARKS.md");
        if (!Files.exists(b)) {
            body.append("<p>No benchmark results in this build.</p>\n");
            return;
        }
        String text = Files.readString(b);
        int at = text.indexOf("Ratios as");
        int start = at < 0 ? -1 : text.indexOf("```", at);
        int end = start < 0 ? -1 : text.indexOf("```", start + 3);
        body.append("<p>From the JMH benchmarks (<code>impl/BENCHMARKS.md</code>: method, machine and caveats; measured on 2 shared ")
            .append("cores, so read them as orders of magnitude). Higher = ours faster.</p>\n");
        if (start >= 0 && end > start) {
            body.append("<pre>").append(esc(text.substring(text.indexOf('\n', start) + 1, end).stripTrailing())).append("</pre>\n");
        }
    }

    /**
     * A committed verdict file of the model beyond the Alloy table (markdown: a title, paragraphs, one table): its
     * paragraphs as text and its table as a table, every row. The build compares that file itself (its test).
     */
    private void committedVerdicts(String file, String test, String reading) throws IOException {
        Path f = root.resolve(file);
        if (!Files.exists(f)) {
            body.append("<p>No <code>").append(esc(file)).append("</code> in this build.</p>\n");
            return;
        }
        body.append("<p class=\"legend\">From <code>").append(esc(file)).append("</code>, written and compared by <code>")
            .append(esc(test)).append("</code>; how to read it: ").append(esc(reading)).append(".</p>\n");
        boolean inTable = false;
        for (String line : Files.readAllLines(f)) {
            if (line.startsWith("|")) {
                String[] cells = line.substring(1, line.endsWith("|") ? line.length() - 1 : line.length()).split("\\|", -1);
                if (cells.length > 0 && cells[0].trim().matches("-+")) {
                    continue; // the header's separator
                }
                String tag = inTable ? "td" : "th";
                body.append(inTable ? "<tr>" : "<table><tr>");
                for (String c : cells) {
                    body.append('<').append(tag).append('>').append(esc(c.trim().replace("`", ""))).append("</").append(tag).append('>');
                }
                body.append("</tr>\n");
                inTable = true;
            } else {
                if (inTable) {
                    body.append("</table>\n");
                    inTable = false;
                }
                if (!line.isBlank() && !line.startsWith("#")) {
                    body.append("<p>").append(esc(line.replace("`", ""))).append("</p>\n");
                }
            }
        }
        if (inTable) {
            body.append("</table>\n");
        }
    }

    // ---------------------------------------------------------------- helpers

    private void section(String id, String title) {
        toc.append("<li><a href=\"#").append(id).append("\">").append(esc(title)).append("</a></li>\n");
        body.append("<h2 id=\"").append(id).append("\">").append(esc(title)).append("</h2>\n");
    }

    /** Draws a trace file once (by content) and remembers the anchor for it. */
    private void diagram(String name, Path file) {
        String svg;
        try {
            String page = SequenceSvg.html(Trace.read(file), false);
            int s = page.indexOf("<svg");
            int e = page.indexOf("</svg>", s);
            if (s < 0 || e < 0) {
                return;
            }
            if (svgStyle.isEmpty()) {
                int a = page.indexOf("<style>");
                int z = page.indexOf("</style>");
                if (a >= 0 && z > a) {
                    svgStyle = page.substring(a + 7, z).lines().filter(l -> l.contains("#sequence"))
                            .map(l -> l.replace("#sequence", "svg.sequence")).reduce("", (x, y) -> x + y + "\n");
                }
            }
            svg = page.substring(s, e + 6).replace("<svg id=\"sequence\"", "<svg class=\"sequence\"");
        } catch (Exception ex) {
            svg = "<p>(" + esc(name) + " could not be drawn: " + esc(String.valueOf(ex.getMessage())) + ")</p>";
        }
        String id = diagramIdBySvg.get(svg);
        if (id == null) {
            id = "diagram-" + anchor(name.replaceAll(".*/", "").replaceAll("\\.json$", ""));
            while (diagramTitle.containsKey(id)) {
                id = id + "-";
            }
            diagramIdBySvg.put(svg, id);
            diagramTitle.put(id, name);
        } else {
            diagramTitle.put(id, diagramTitle.get(id) + ", " + name);
        }
        diagramIdByFile.put(name, id);
    }

    private String reqLinks(String ids) {
        StringBuilder b = new StringBuilder();
        for (String id : ids.split("[\\s,]+")) {
            if (id.isBlank()) {
                continue;
            }
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append("<a href=\"#req-").append(anchor(id)).append("\">").append(esc(id)).append("</a>");
        }
        return b.toString();
    }

    private Map<String, String> claimTexts(JsonNode verdicts) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        Path p = root.resolve("proofs/spec/claims.md");
        if (Files.exists(p)) {
            Matcher m = Pattern.compile("(?m)^- \\*\\*([A-Z]{1,2}\\d+)\\*\\* (.*)$").matcher(Files.readString(p));
            while (m.find()) {
                out.put(m.group(1), m.group(2).trim());
            }
        }
        // rows the model adds beside the claims (C1S, the strict reading of C1 per claims.md "Precision") carry their own text
        if (verdicts != null) {
            for (JsonNode c : verdicts.path("claims")) {
                out.putIfAbsent(c.path("id").asText(), c.path("text").asText());
            }
        }
        return out;
    }

    private Map<String, String[]> requirements() throws IOException {
        Map<String, String[]> out = new LinkedHashMap<>();
        Path p = root.resolve("proofs/traceability/requirements.tsv");
        if (Files.exists(p)) {
            for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
                if (line.startsWith("#") || line.startsWith("id\t") || line.isBlank()) {
                    continue;
                }
                String[] f = line.split("\t", 5);
                if (f.length == 5) {
                    out.put(f[0], f);
                }
            }
        }
        return out;
    }

    /** id -> {code, contracts, model, tests} flags from the committed matrix. */
    private Map<String, String[]> matrixFlags() throws IOException {
        Map<String, String[]> out = new LinkedHashMap<>();
        Path p = root.resolve("proofs/traceability/matrix.md");
        if (Files.exists(p)) {
            for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
                String[] f = line.split("\\|");
                if (f.length >= 8 && !f[1].isBlank() && !f[1].trim().equals("id") && !f[1].startsWith("-")) {
                    out.put(f[1].trim(), new String[] {f[4].trim(), f[5].trim(), f[6].trim(), f[7].trim()});
                }
            }
        }
        return out;
    }

    private JsonNode json(String rel) throws IOException {
        Path p = root.resolve(rel);
        return Files.exists(p) ? JSON.readTree(p.toFile()) : null;
    }

    private List<String[]> csv(String rel) throws IOException {
        Path p = root.resolve(rel);
        return Files.exists(p) ? Csv.parse(Files.readString(p, StandardCharsets.UTF_8)) : List.of();
    }

    private static List<Path> list(Path dir, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    static String anchor(String s) {
        return s.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Writes the report for the repository at args[0] (default .) to args[1] (default proofs/report.html). */
    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        Path out = Path.of(args.length > 1 ? args[1] : "proofs/report.html");
        Files.writeString(out, html(root), StandardCharsets.UTF_8);
        System.out.println("wrote " + out);
    }
}
