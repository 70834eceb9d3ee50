package org.proxyinfo.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import net.automatalib.automata.transducers.impl.compact.CompactMealy;
import net.automatalib.util.automata.Automata;
import net.automatalib.words.Word;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.proxyinfo.role.LearnTargets;

/**
 * Active automata learning of our roles over real loopback sockets (issue 15; de Ruiter and Poll,
 * USENIX Security 2015): the learned Mealy machine of each role must equal the specification
 * machine generated from the proved cores and {@code core.Transitions} ({@link SpecMachines}).
 * A difference fails with the shortest distinguishing input as a sequence diagram.
 *
 * Pictures: generated into {@code impl/target/statemachine/}; the committed ones in
 * {@code proofs/statemachine/} are compared by structure (canonical dot, no timings) and rewritten
 * only with {@code -Dstatemachine.update=true} or under {@code -Plearn-full}.
 */
class LearnedStateMachineTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path COMMITTED = ROOT.resolve("proofs/statemachine");
    static final Path OUT = Path.of("target/statemachine").toAbsolutePath();
    static final int EQ_WORDS = Integer.getInteger("learn.eqWords", 150);
    static final boolean UPDATE = Boolean.getBoolean("statemachine.update") || Boolean.getBoolean("learn.full");
    /** The longest one input may take before its answer is taken as it is (BUSY: a hang). */
    static final long STEP_CAP_MILLIS = 3000;

    @Test
    @Timeout(value = 170, unit = TimeUnit.SECONDS)
    @DisplayName("RFC5246-7.3, RFC5246-7.4, RFC5246-7.4.9, RFC5246-7.2.2, DEC-19, DEC-20, DEC-21: our server learned black-box equals"
            + " the machine of ServerHandshake and Transitions")
    void ourServer() throws Exception {
        List<String> inputs = Symbols.serverSideInputs(true);
        try (LearnTargets.Target t = LearnTargets.ourServer()) {
            check(t, inputs, SpecMachines.ourServer(inputs), "client (learner)", "our server");
        }
    }

    @Test
    @Timeout(value = 170, unit = TimeUnit.SECONDS)
    @DisplayName("RFC5246-7.3, RFC5246-7.4, DEC-14, DEC-17, DEC-18, DEC-5: the proxy's session #1 learned black-box equals"
            + " the machine of ServerHandshake, ProxyHandshake and Transitions")
    void proxySession1() throws Exception {
        List<String> inputs = Symbols.serverSideInputs(true);
        try (LearnTargets.Target t = LearnTargets.proxySession1()) {
            check(t, inputs, SpecMachines.proxySession1(inputs), "client (learner)", "our proxy, session #1");
        }
    }

    static void check(LearnTargets.Target t, List<String> inputs, CompactMealy<String, String> spec, String peer, String role)
            throws IOException, InterruptedException {
        Learning.Result r = Learning.learn(t.name, t.mapper(STEP_CAP_MILLIS), inputs, spec, EQ_WORDS, 15);
        System.out.println("[statemachine] " + r.summary());
        CompactMealy<String, String> learned = r.machine;
        String dot = MachineText.dot(learned, t.name + " (learned)");
        String specDot = MachineText.dot(spec, t.name + " (specified by the cores)");
        write(OUT.resolve(t.name + ".dot"), dot);
        write(OUT.resolve(t.name + ".spec.dot"), specDot);
        write(OUT.resolve(t.name + ".txt"), r.summary() + "\n");
        for (int s = 0; s < learned.size(); s++) {
            for (String a : inputs) {
                assertFalse(learned.getOutput(s, a).contains(Symbols.BUSY),
                        t.name + ": the role was still busy " + STEP_CAP_MILLIS + " ms after " + a + " (a hang)");
            }
        }
        Word<String> sep = Automata.findShortestSeparatingWord(spec, learned, learned.getInputAlphabet());
        if (sep != null) {
            fail(t.name + ": the learned machine (" + learned.size() + " states) differs from the specified one ("
                    + spec.size() + " states). Shortest distinguishing input, " + sep.length() + " messages:\n"
                    + MachineText.sequence(sep, spec, learned, peer, role)
                    + "Pictures: " + OUT.resolve(t.name + ".dot") + " and " + OUT.resolve(t.name + ".spec.dot"));
        }
        Path committed = COMMITTED.resolve(t.name + ".dot");
        if (UPDATE) {
            write(committed, dot);
            write(COMMITTED.resolve(t.name + ".txt"), r.summary() + "\n");
            render(committed, COMMITTED.resolve(t.name + ".svg"));
        } else if (Files.exists(committed)) {
            assertEquals(Files.readString(committed), dot, t.name + ": the learned machine equals the specification but not the"
                    + " committed picture " + committed + "; update it with -Dstatemachine.update=true");
        }
        render(OUT.resolve(t.name + ".dot"), OUT.resolve(t.name + ".svg"));
    }

    static void write(Path p, String s) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, s, StandardCharsets.UTF_8);
    }

    /** SVG with Graphviz {@code dot} when it is installed (.ci/run installs it); skipped otherwise. */
    static void render(Path dot, Path svg) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("dot", "-Tsvg", "-o", svg.toString(), dot.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            System.out.println("[statemachine] Graphviz dot not installed: no SVG for " + dot.getFileName());
            return;
        }
        String msg = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail("dot -Tsvg " + dot + " failed: " + msg);
        }
    }
}
