package org.proxyinfo.trace;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * {@code trace render}: a self-contained HTML page (no scripts, fonts, images or styles from
 * elsewhere) with an inline SVG sequence diagram: a lifeline per role, an arrow per message labelled
 * with its name, transitions, checks, claims and secrets as notes on the role's lifeline, and the
 * outcome of each leg. Elements carry classes and data-* attributes (role, seq, leg, name) so tests
 * and readers can find them.
 */
public final class SequenceSvg {
    private static final int COL = 280;
    private static final int MARGIN = 30;
    private static final int TOP = 70;
    private static final int ROW = 30;
    private static final int NOTE_ROW = 24;
    private static final double CHAR_W = 7.3;
    private static final int MAX_NOTE_CHARS = 90;

    private SequenceSvg() { }

    public static String html(Trace trace, boolean withTransitions) {
        SequenceLayout layout = SequenceLayout.of(trace);
        List<String> roles = layout.roles();
        String scenario = trace.run().path("scenario").asText("");
        String title = "Trace" + (scenario.isEmpty() ? "" : ": " + scenario) + " (" + trace.source() + ")";

        StringBuilder body = new StringBuilder();
        int y = TOP;
        int maxX = MARGIN * 2 + roles.size() * COL;
        for (SequenceLayout.Row row : layout.rows()) {
            if (row.kind() == SequenceLayout.Kind.TRANSITION && !withTransitions) {
                continue;
            }
            if (row.kind() == SequenceLayout.Kind.ARROW) {
                y += ROW;
                int x1 = row.from() >= 0 ? x(row.from()) : MARGIN / 2;
                int x2 = row.to() >= 0 ? x(row.to()) : maxX - MARGIN / 2;
                if (row.from() < 0 && row.to() == 0) {
                    x1 = maxX - MARGIN / 2;
                }
                body.append("<g class=\"message").append(row.bad() ? " alert" : "").append("\" data-seq=\"").append(row.seq())
                        .append("\" data-leg=\"").append(esc(row.leg())).append("\" data-name=\"").append(esc(row.label()))
                        .append("\">");
                body.append("<title>").append(esc(row.label() + " on " + row.leg() + ", " + row.detail() + ", seq " + row.seq()))
                        .append("</title>");
                body.append("<line x1=\"").append(x1).append("\" y1=\"").append(y).append("\" x2=\"").append(x2)
                        .append("\" y2=\"").append(y).append("\" marker-end=\"url(#arrowhead)\"/>");
                body.append("<text class=\"label\" x=\"").append((x1 + x2) / 2).append("\" y=\"").append(y - 6)
                        .append("\" text-anchor=\"middle\">").append(esc(row.label())).append("</text>");
                body.append("</g>\n");
            } else {
                y += NOTE_ROW;
                String text = row.label() + (row.detail().isEmpty() ? "" : " - " + row.detail());
                String shown = text.length() > MAX_NOTE_CHARS ? text.substring(0, MAX_NOTE_CHARS - 2) + ".." : text;
                int nx = x(row.from()) + 8;
                int w = (int) Math.ceil(shown.length() * CHAR_W) + 12;
                maxX = Math.max(maxX, nx + w + MARGIN);
                String cls = switch (row.kind()) {
                    case CHECK -> row.bad() ? "note check failed" : "note check";
                    case CLAIM -> "note claim";
                    case SECRET -> "note secret";
                    case OUTCOME -> row.bad() ? "note outcome aborted" : "note outcome established";
                    default -> "note transition";
                };
                body.append("<g class=\"").append(cls).append("\" data-seq=\"").append(row.seq()).append("\" data-role=\"")
                        .append(esc(roles.get(Math.max(row.from(), 0)))).append("\">");
                body.append("<title>").append(esc(text)).append("</title>");
                body.append("<rect x=\"").append(nx).append("\" y=\"").append(y - 15).append("\" width=\"").append(w)
                        .append("\" height=\"20\" rx=\"3\"/>");
                body.append("<text x=\"").append(nx + 6).append("\" y=\"").append(y).append("\">").append(esc(shown))
                        .append("</text></g>\n");
            }
        }
        int height = y + 40;

        StringBuilder svg = new StringBuilder();
        svg.append("<svg id=\"sequence\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(maxX).append("\" height=\"")
                .append(height).append("\" viewBox=\"0 0 ").append(maxX).append(' ').append(height).append("\" role=\"img\">\n");
        svg.append("<title>").append(esc(title)).append("</title>\n");
        svg.append("<defs><marker id=\"arrowhead\" markerUnits=\"userSpaceOnUse\" markerWidth=\"12\" markerHeight=\"10\" refX=\"12\" refY=\"5\" orient=\"auto\">"
                + "<path d=\"M0,0 L12,5 L0,10 z\" fill=\"#222\"/></marker></defs>\n");
        svg.append("<rect class=\"background\" x=\"0\" y=\"0\" width=\"").append(maxX).append("\" height=\"").append(height)
                .append("\"/>\n");
        for (int i = 0; i < roles.size(); i++) {
            int cx = x(i);
            svg.append("<g class=\"lifeline\" data-role=\"").append(esc(roles.get(i))).append("\">");
            svg.append("<rect class=\"head\" x=\"").append(cx - 60).append("\" y=\"20\" width=\"120\" height=\"32\" rx=\"4\"/>");
            svg.append("<text class=\"role\" x=\"").append(cx).append("\" y=\"41\" text-anchor=\"middle\">")
                    .append(esc(roles.get(i))).append("</text>");
            svg.append("<line x1=\"").append(cx).append("\" y1=\"52\" x2=\"").append(cx).append("\" y2=\"").append(height - 10)
                    .append("\"/></g>\n");
        }
        svg.append(body);
        svg.append("</svg>\n");

        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").append(esc(title))
                .append("</title>\n<style>\n")
                .append("body { font-family: sans-serif; margin: 16px; color: #222; background: #fff; }\n")
                .append("table.run td { padding: 1px 8px; font-family: monospace; font-size: 12px; }\n")
                .append("#sequence { font-family: monospace; font-size: 12px; }\n")
                .append("#sequence .background { fill: #fff; }\n")
                .append("#sequence .lifeline line { stroke: #888; stroke-width: 1.5; stroke-dasharray: 6 4; }\n")
                .append("#sequence .lifeline .head { fill: #dfe8f5; stroke: #345; }\n")
                .append("#sequence .lifeline .role { font-weight: bold; font-size: 14px; }\n")
                .append("#sequence .message line { stroke: #222; stroke-width: 1.5; }\n")
                .append("#sequence .message.alert line { stroke: #c00; stroke-width: 2.5; }\n")
                .append("#sequence .message .label { fill: #003; }\n")
                .append("#sequence .note rect { fill: #f6f6f6; stroke: #aaa; }\n")
                .append("#sequence .note.check rect { fill: #e6f5e6; stroke: #393; }\n")
                .append("#sequence .note.check.failed rect { fill: #fde2e2; stroke: #c00; }\n")
                .append("#sequence .note.claim rect { fill: #fff6d5; stroke: #b80; }\n")
                .append("#sequence .note.secret rect { fill: #eee; stroke: #777; stroke-dasharray: 3 2; }\n")
                .append("#sequence .note.outcome.established rect { fill: #c9efc9; stroke: #060; stroke-width: 2; }\n")
                .append("#sequence .note.outcome.aborted rect { fill: #f9c4c4; stroke: #a00; stroke-width: 2; }\n")
                .append("</style>\n</head>\n<body>\n");
        html.append("<h1>").append(esc(title)).append("</h1>\n");
        html.append("<table class=\"run\">\n");
        JsonNode run = trace.run();
        row(html, "schema version", trace.schemaVersion());
        row(html, "source", trace.source());
        row(html, "software", run.path("softwareVersion").asText(""));
        if (run.has("architecture")) row(html, "architecture", run.get("architecture").asText());
        if (run.has("property")) row(html, "property", run.get("property").asText());
        row(html, "roles", String.join(", ", roles));
        row(html, "configuration", run.path("configuration").toString());
        html.append("</table>\n");
        html.append(svg);
        html.append("<h2>Outcome</h2>\n<ul class=\"outcomes\">\n");
        boolean any = false;
        for (Trace.Event e : trace.events()) {
            if ("outcome".equals(e.kind())) {
                any = true;
                html.append("<li class=\"").append(e.flag("established") ? "established" : "aborted").append("\">")
                        .append(esc(SequenceLayout.outcomeText(e)))
                        .append(e.text("message") == null ? "" : ": " + esc(e.text("message"))).append("</li>\n");
            }
        }
        if (!any) {
            html.append("<li>no outcome recorded (the run did not finish, or the trace was cut)</li>\n");
        }
        html.append("</ul>\n</body>\n</html>\n");
        return html.toString();
    }

    private static void row(StringBuilder html, String k, String v) {
        html.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>\n");
    }

    private static int x(int lifeline) {
        return MARGIN + lifeline * COL + COL / 2;
    }

    static String esc(String s) {
        if (s == null) return "";
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t') {
                        sb.append('?');
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
