package org.proxyinfo.learn;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import net.automatalib.automata.transducers.MealyMachine;
import net.automatalib.automata.transducers.impl.compact.CompactMealy;
import net.automatalib.words.Alphabet;
import net.automatalib.words.Word;

/**
 * Canonical text of a Mealy machine: states numbered in breadth-first order over the alphabet
 * (so two runs that learn the same machine write the same bytes, whatever the learner's internal
 * numbering), a Graphviz {@code .dot} with the transitions of equal source, target and output
 * merged into one edge, and a text sequence diagram of a distinguishing input.
 */
public final class MachineText {
    private MachineText() { }

    /** A copy with states renumbered breadth-first from the initial state (reachable part only). */
    public static <S, T> CompactMealy<String, String> copy(MealyMachine<S, String, T, String> m, Alphabet<String> alphabet) {
        CompactMealy<String, String> c = new CompactMealy<>(alphabet);
        Map<S, Integer> ids = new HashMap<>();
        Deque<S> todo = new ArrayDeque<>();
        S init = m.getInitialState();
        ids.put(init, c.addInitialState());
        todo.add(init);
        while (!todo.isEmpty()) {
            S s = todo.poll();
            for (String a : alphabet) {
                T t = m.getTransition(s, a);
                S succ = m.getSuccessor(t);
                Integer id = ids.get(succ);
                if (id == null) {
                    id = c.addState();
                    ids.put(succ, id);
                    todo.add(succ);
                }
                c.setTransition((int) ids.get(s), a, (int) id, m.getTransitionOutput(t));
            }
        }
        return c;
    }

    /** Edges with distinct (source, target, output); the "transitions" count of the pictures. */
    public static int edges(CompactMealy<String, String> m) {
        return grouped(m).size();
    }

    static Map<String, List<String>> grouped(CompactMealy<String, String> m) {
        Map<String, List<String>> g = new LinkedHashMap<>();
        for (int s = 0; s < m.size(); s++) {
            for (String a : m.getInputAlphabet()) {
                int t = m.getSuccessor(s, a);
                String out = m.getOutput(s, a);
                g.computeIfAbsent(s + "\u0000" + t + "\u0000" + out, k -> new ArrayList<>()).add(a);
            }
        }
        return g;
    }

    /** Graphviz text; {@code title} goes into the graph label with the counts. */
    public static String dot(CompactMealy<String, String> m, String title) {
        StringBuilder b = new StringBuilder();
        b.append("digraph \"").append(title).append("\" {\n");
        b.append("  label=\"").append(title).append(": ").append(m.size()).append(" states, ")
                .append(m.size() * m.getInputAlphabet().size()).append(" transitions (")
                .append(edges(m)).append(" edges after merging equal outputs)\";\n");
        b.append("  labelloc=t; rankdir=TB; node [shape=circle, fontsize=10]; edge [fontsize=8];\n");
        b.append("  __start [shape=point]; __start -> s0;\n");
        for (int s = 0; s < m.size(); s++) {
            b.append("  s").append(s).append(" [label=\"").append(s).append("\"];\n");
        }
        for (Map.Entry<String, List<String>> e : grouped(m).entrySet()) {
            String[] k = e.getKey().split("\u0000", -1);
            // one input per line, then the output: the pictures stay narrow enough to read
            b.append("  s").append(k[0]).append(" -> s").append(k[1]).append(" [label=\"")
                    .append(esc(String.join(" |\n", e.getValue()) + "\n/ " + k[2])).append("\"];\n");
        }
        b.append("}\n");
        return b.toString();
    }

    private static String esc(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /** The run of both machines on {@code w} as a text sequence diagram; the first differing answer is marked. */
    public static String sequence(Word<String> w, CompactMealy<String, String> spec, CompactMealy<String, String> learned,
                                  String peer, String role) {
        Word<String> so = spec.computeOutput(w);
        Word<String> lo = learned.computeOutput(w);
        StringBuilder b = new StringBuilder();
        b.append(String.format("%-28s %s%n", peer, role));
        boolean marked = false;
        for (int i = 0; i < w.length(); i++) {
            b.append(String.format("  %-26s ---> %n", w.getSymbol(i)));
            boolean same = so.getSymbol(i).equals(lo.getSymbol(i));
            if (same) {
                b.append(String.format("  %-26s <--- %s%n", "", lo.getSymbol(i)));
            } else {
                b.append(String.format("  %-26s <--- learned:   %s%s%n", "", lo.getSymbol(i), marked ? "" : "   <== differs"));
                b.append(String.format("  %-26s      specified: %s%n", "", so.getSymbol(i)));
                marked = true;
            }
        }
        return b.toString();
    }

    /**
     * The same run as {@link #sequence} drawn as an SVG sequence diagram (issue 15): the peer's
     * lifeline on the left, the role's on the right, one arrow per input, one per answer; where the
     * learned answer differs from the specified one both are drawn, the learned one in red.
     */
    public static String sequenceSvg(Word<String> w, CompactMealy<String, String> spec, CompactMealy<String, String> learned,
                                     String peer, String role) {
        Word<String> so = spec.computeOutput(w);
        Word<String> lo = learned.computeOutput(w);
        int left = 120;
        int right = 620;
        int row = 26;
        int y = 60;
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < w.length(); i++) {
            body.append(arrow(left, right, y, w.getSymbol(i), "#222"));
            y += row;
            boolean same = so.getSymbol(i).equals(lo.getSymbol(i));
            if (same) {
                body.append(arrow(right, left, y, lo.getSymbol(i), "#222"));
            } else {
                body.append(arrow(right, left, y, "learned: " + lo.getSymbol(i), "#c00"));
                y += row;
                body.append(arrow(right, left, y, "specified: " + so.getSymbol(i), "#080"));
            }
            y += row;
        }
        int height = y + 20;
        StringBuilder b = new StringBuilder();
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"740\" height=\"").append(height)
            .append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
        b.append("<text x=\"").append(left).append("\" y=\"20\" text-anchor=\"middle\" font-weight=\"bold\">").append(xml(peer))
            .append("</text>\n<text x=\"").append(right).append("\" y=\"20\" text-anchor=\"middle\" font-weight=\"bold\">")
            .append(xml(role)).append("</text>\n");
        b.append("<line x1=\"").append(left).append("\" y1=\"30\" x2=\"").append(left).append("\" y2=\"").append(height - 10)
            .append("\" stroke=\"#888\"/>\n<line x1=\"").append(right).append("\" y1=\"30\" x2=\"").append(right).append("\" y2=\"")
            .append(height - 10).append("\" stroke=\"#888\"/>\n");
        b.append(body).append("</svg>\n");
        return b.toString();
    }

    private static String arrow(int from, int to, int y, String label, String colour) {
        int head = from < to ? to - 8 : to + 8;
        return "<line x1=\"" + from + "\" y1=\"" + y + "\" x2=\"" + to + "\" y2=\"" + y + "\" stroke=\"" + colour + "\"/>"
                + "<polygon points=\"" + to + "," + y + " " + head + "," + (y - 4) + " " + head + "," + (y + 4) + "\" fill=\"" + colour + "\"/>"
                + "<text x=\"" + ((from + to) / 2) + "\" y=\"" + (y - 4) + "\" text-anchor=\"middle\" fill=\"" + colour + "\">"
                + xml(label) + "</text>\n";
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
