package org.proxyinfo.trace;

import java.util.List;

/**
 * {@code trace show}: a message-sequence view for a terminal. One column per role, an arrow per
 * message, transitions, checks, claims and secrets inline at the role's column, and a summary of
 * the outcomes at the end. Plain ASCII so it survives any terminal and log.
 */
public final class SequenceText {
    private static final int COL = 26;

    private SequenceText() { }

    public static String render(Trace trace, boolean withTransitions) {
        SequenceLayout layout = SequenceLayout.of(trace);
        List<String> roles = layout.roles();
        StringBuilder out = new StringBuilder();
        out.append("Trace (source: ").append(trace.source());
        String scenario = trace.run().path("scenario").asText("");
        if (!scenario.isEmpty()) {
            out.append(", scenario: ").append(scenario);
        }
        out.append(", signing mode: ").append(trace.run().path("configuration").path("signingMode").asText("n/a"))
                .append(", ").append(trace.events().size()).append(" events)\n\n");
        int width = Math.max(1, roles.size()) * COL;
        StringBuilder header = new StringBuilder();
        for (int i = 0; i < roles.size(); i++) {
            header.append(center(roles.get(i), COL));
        }
        out.append(rtrim(header.toString())).append('\n');
        out.append(rtrim(lifelines(roles.size(), width).toString())).append('\n');
        for (SequenceLayout.Row row : layout.rows()) {
            if (row.kind() == SequenceLayout.Kind.TRANSITION && !withTransitions) {
                continue;
            }
            if (row.kind() == SequenceLayout.Kind.ARROW) {
                out.append(rtrim(arrow(roles.size(), width, row).toString())).append('\n');
            } else {
                StringBuilder line = lifelines(roles.size(), width);
                int x = pos(row.from());
                String marker = switch (row.kind()) {
                    case CHECK -> row.bad() ? "X" : "+";
                    case CLAIM -> "*";
                    case SECRET -> "k";
                    case OUTCOME -> row.bad() ? "!" : "=";
                    default -> "o";
                };
                if (x >= 0) {
                    line.setCharAt(x, marker.charAt(0));
                }
                String text = " " + row.label() + (row.detail().isEmpty() ? "" : " -- " + row.detail());
                out.append(rtrim(overlay(line, Math.max(x + 1, 0), text))).append('\n');
            }
        }
        out.append(rtrim(lifelines(roles.size(), width).toString())).append('\n');
        out.append("\nOutcome:\n");
        boolean any = false;
        for (Trace.Event e : trace.events()) {
            if ("outcome".equals(e.kind())) {
                any = true;
                out.append("  ").append(SequenceLayout.outcomeText(e));
                if (e.text("message") != null) {
                    out.append(": ").append(e.text("message"));
                }
                out.append('\n');
            }
        }
        if (!any) {
            out.append("  no outcome recorded (the run did not finish, or the trace was cut)\n");
        }
        return out.toString();
    }

    private static int pos(int lifeline) {
        return lifeline < 0 ? -1 : lifeline * COL + COL / 2;
    }

    private static StringBuilder lifelines(int n, int width) {
        StringBuilder sb = new StringBuilder(" ".repeat(width + 40));
        for (int i = 0; i < n; i++) {
            sb.setCharAt(pos(i), '|');
        }
        return sb;
    }

    private static StringBuilder arrow(int n, int width, SequenceLayout.Row row) {
        StringBuilder line = lifelines(n, width);
        int a = row.from() >= 0 ? pos(row.from()) : (row.to() > 0 ? 0 : width - 1);
        int b = row.to() >= 0 ? pos(row.to()) : (row.from() > 0 ? 0 : width - 1);
        boolean right = b > a;
        int lo = Math.min(a, b) + 1;
        int hi = Math.max(a, b) - 1;
        for (int x = lo; x <= hi; x++) {
            line.setCharAt(x, row.bad() ? '=' : '-');
        }
        if (hi >= lo) {
            line.setCharAt(right ? hi : lo, right ? '>' : '<');
        }
        String label = " " + row.label() + " ";
        int span = hi - lo - 1;
        if (label.length() <= span) {
            int start = lo + 1 + (span - label.length()) / 2;
            overlay(line, start, label);
        } else {
            overlay(line, Math.max(a, b) + 2, label.trim() + (row.from() < 0 || row.to() < 0 ? " (peer unknown)" : ""));
        }
        return line;
    }

    private static String overlay(StringBuilder line, int at, String text) {
        while (line.length() < at + text.length()) {
            line.append(' ');
        }
        line.replace(at, at + text.length(), text);
        return line.toString();
    }

    private static String center(String s, int width) {
        if (s.length() >= width - 1) {
            s = s.substring(0, width - 2);
        }
        int left = (width - s.length()) / 2;
        return " ".repeat(left) + s + " ".repeat(width - left - s.length());
    }

    private static String rtrim(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ' ') {
            end--;
        }
        return s.substring(0, end);
    }
}
