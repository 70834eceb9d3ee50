package org.proxyinfo.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import de.learnlib.api.SUL;
import net.automatalib.automata.transducers.impl.compact.CompactMealy;
import net.automatalib.util.automata.Automata;
import net.automatalib.words.Word;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
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
 *
 * The roles are learned at the same time (each method {@code CONCURRENT}; impl/pom.xml: a pool of 2 workers that adds
 * more while they wait, so all of them run at once): a learner spends most of its time waiting for its roles to fall
 * quiet, and each target's roles run in a thread group of their own, which is all its quiescence check looks at
 * ({@link Quiescence.InProcess}), with loopback ports of their own. The class itself runs as every other class does,
 * alone. openssl, whose quiet is a time window on a loaded machine ({@link Quiescence.Silence} where /proc does not
 * show it), takes the learning lock alone.
 */
class LearnedStateMachineTest {
    /** Learners in this JVM share it for reading; one that must run alone takes it for writing. */
    static final String LEARNING = "learned-state-machines";
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path COMMITTED = ROOT.resolve("proofs/statemachine");
    static final Path OUT = Path.of("target/statemachine").toAbsolutePath();
    static final int EQ_WORDS = Integer.getInteger("learn.eqWords", 150);
    static final boolean FULL = Boolean.getBoolean("learn.full");
    static final boolean UPDATE = Boolean.getBoolean("statemachine.update") || FULL;
    /** The default build's budget per learned role (the issue asks for server and proxy within 3 minutes together). */
    static final long CI_BUDGET_MILLIS = 120_000;
    /** The longest one input may take before its answer is taken as it is (BUSY: a hang). */
    static final long STEP_CAP_MILLIS = 3000;

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    @ResourceLock(value = LEARNING, mode = ResourceAccessMode.READ)
    @Timeout(value = 900, unit = TimeUnit.SECONDS)
    @DisplayName("RFC5246-7.3, RFC5246-7.4, RFC5246-7.4.9, RFC5246-7.2.2, DEC-19, DEC-20, DEC-21: our server learned black-box equals"
            + " the machine of ServerHandshake and Transitions")
    void ourServer() throws Exception {
        List<String> inputs = Symbols.serverSideInputs(true);
        try (LearnTargets.Target t = LearnTargets.ourServer()) {
            check(t.name, t.mapper(STEP_CAP_MILLIS), inputs, SpecMachines.ourServer(inputs), "client (learner)", "our server");
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    @ResourceLock(value = LEARNING, mode = ResourceAccessMode.READ)
    @Timeout(value = 900, unit = TimeUnit.SECONDS)
    @DisplayName("RFC5246-7.3, RFC5246-7.4, DEC-17, DEC-18, DEC-5, DEC-19: the proxy's session #1 learned black-box equals"
            + " the machine of ServerHandshake, ProxyHandshake and Transitions")
    void proxySession1() throws Exception {
        List<String> inputs = Symbols.serverSideInputs(true);
        try (LearnTargets.Target t = LearnTargets.proxySession1()) {
            check(t.name, t.mapper(STEP_CAP_MILLIS), inputs, SpecMachines.proxySession1(inputs), "client (learner)",
                    "our proxy, session #1");
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    @ResourceLock(value = LEARNING, mode = ResourceAccessMode.READ)
    @Timeout(value = 900, unit = TimeUnit.SECONDS)
    @DisplayName("DEC-14, DEC-15, DEC-17: the proxy's session #1 with an unreachable upstream never sends a ServerHello"
            + " (internal_error), learned black-box equals the machine of ProxyHandshake")
    void proxySession1NoUpstream() throws Exception {
        List<String> inputs = Symbols.serverSideInputs(true);
        try (LearnTargets.Target t = LearnTargets.proxySession1NoUpstream()) {
            check(t.name, t.mapper(STEP_CAP_MILLIS), inputs, SpecMachines.proxySession1NoUpstream(inputs), "client (learner)",
                    "our proxy, session #1 (upstream down)");
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    @ResourceLock(value = LEARNING, mode = ResourceAccessMode.READ)
    @Timeout(value = 900, unit = TimeUnit.SECONDS)
    @DisplayName("RFC5246-7.3, RFC5246-7.4, DEC-8, DEC-5, DEC-6, DEC-13, DEC-21: our client (offering proxy_info) learned black-box"
            + " equals the machine of ClientHandshake and Transitions; no key material before the assertion is checked")
    void ourClient() throws Exception {
        // issue 15 asks for our server and proxy in mvn verify within 3 minutes; the client (about a minute) is learned
        // with the comparison peers under -Plearn-full, to keep the default build inside its 20 minutes
        Assumptions.assumeTrue(FULL, "our client is learned under -Plearn-full only (mvn -B -pl impl -am -Plearn-full test"
                + " -Dtest=LearnedStateMachineTest -Dsurefire.failIfNoSpecifiedTests=false)");
        // the default build leaves out the wrong-direction inputs and the replayed assertion (it behaves as the
        // forged one) to stay inside its time budget; -Plearn-full learns the whole alphabet
        List<String> inputs = FULL ? Symbols.clientSideInputs() : Symbols.clientSideInputs().stream()
                .filter(i -> !i.equals(Symbols.SERVER_HELLO_PI_REPLAYED) && !i.equals(Symbols.CLIENT_HELLO)
                        && !i.equals(Symbols.CLIENT_KEY_EXCHANGE)).collect(java.util.stream.Collectors.toList());
        try (LearnTargets.ClientTarget t = LearnTargets.ourClient(STEP_CAP_MILLIS)) {
            check(FULL ? t.name : t.name + "-ci-alphabet", t.mapper, inputs, SpecMachines.ourClient(inputs), "server (learner)", "our client");
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    @ResourceLock(value = LEARNING, mode = ResourceAccessMode.READ)
    @Timeout(value = 900, unit = TimeUnit.SECONDS)
    @DisplayName("RFC5246-7.3, RFC5246-7.4, DEC-14, DEC-15, DEC-8, DEC-5, DEC-18, DEC-3: the proxy's session #2 (the learner as"
            + " origin, a real client in front) learned black-box equals the machine of ClientHandshake, ProxyHandshake and"
            + " Transitions; no key material upstream before an upstream assertion is checked")
    void proxySession2() throws Exception {
        // the default build: the reduced alphabet (no wrong-direction inputs, no replayed or malformed assertion,
        // no server_to_proxy); -Plearn-full learns the whole one
        List<String> inputs = Symbols.session2Inputs(FULL);
        try (LearnTargets.ClientTarget t = LearnTargets.proxySession2(STEP_CAP_MILLIS)) {
            check(FULL ? t.name : t.name + "-ci-alphabet", t.mapper, inputs, SpecMachines.proxySession2(inputs), "origin (learner)",
                    "our proxy, session #2");
        }
    }

    /**
     * Comparison peers (not checked against a specification, only learned and drawn) with the same
     * alphabet minus proxy_info. Only under -Plearn-full (minutes each).
     */
    @Test
    @Execution(ExecutionMode.CONCURRENT)
    @ResourceLock(value = LEARNING, mode = ResourceAccessMode.READ)
    @Timeout(value = 900, unit = TimeUnit.SECONDS)
    @DisplayName("RFC5246-7.3, RFC5246-7.4: SunJSSE learned with the same alphabet, for comparison")
    void sunJsseForComparison() throws Exception {
        Assumptions.assumeTrue(FULL, "comparison peers are learned under -Plearn-full only");
        List<String> inputs = Symbols.serverSideInputs(false);
        try (LearnTargets.Target t = LearnTargets.sunJsse()) {
            learnOnly(t, inputs);
        }
    }

    /**
     * openssl s_server is an external process: silence is a time window, and on a loaded machine its
     * first answer on a new connection can come later than the window (the cache then reports the
     * nondeterminism as a ConflictException instead of learning a wrong machine).
     */
    @Test
    @Execution(ExecutionMode.CONCURRENT)
    @ResourceLock(value = LEARNING, mode = ResourceAccessMode.READ_WRITE)
    @Timeout(value = 1800, unit = TimeUnit.SECONDS)
    @DisplayName("RFC5246-7.3, RFC5246-7.4: openssl s_server learned with the same alphabet, for comparison")
    void opensslForComparison() throws Exception {
        Assumptions.assumeTrue(FULL, "comparison peers are learned under -Plearn-full only");
        List<String> inputs = Symbols.serverSideInputs(false);
        try (LearnTargets.Target t = LearnTargets.opensslServer(OUT.resolve("openssl"))) {
            learnOnly(t, inputs);
        }
    }

    static void learnOnly(LearnTargets.Target t, List<String> inputs) throws IOException, InterruptedException {
        // our server's specification only suggests test words here (a counterexample must come from the peer)
        Learning.Result r = Learning.learn(t.name, t.mapper(STEP_CAP_MILLIS), inputs, SpecMachines.ourServer(inputs),
                Math.min(EQ_WORDS, 300), 15, true);
        System.out.println("[statemachine] " + r.summary());
        String dot = MachineText.dot(r.machine, t.name + " (learned)");
        write(OUT.resolve(t.name + ".dot"), dot);
        write(OUT.resolve(t.name + ".txt"), r.summary() + "\n");
        render(OUT.resolve(t.name + ".dot"), OUT.resolve(t.name + ".svg"));
        if (UPDATE) {
            write(COMMITTED.resolve(t.name + ".dot"), dot);
            write(COMMITTED.resolve(t.name + ".txt"), r.summary() + "\n");
            render(COMMITTED.resolve(t.name + ".dot"), COMMITTED.resolve(t.name + ".svg"));
        }
        assertTrue(r.machine.size() >= 4, t.name + ": a TLS server has at least 4 states (before, in and after the handshake, closed)");
    }

    static void check(String name, SUL<String, String> sul, List<String> inputs, CompactMealy<String, String> spec, String peer,
                      String role) throws IOException, InterruptedException {
        Learning.Result r = Learning.learn(name, sul, inputs, spec, EQ_WORDS, 15, false);
        System.out.println("[statemachine] " + r.summary());
        if (!FULL) {
            assertTrue(r.millis < CI_BUDGET_MILLIS, name + ": learning took " + r.millis + " ms, over the default build's budget of "
                    + CI_BUDGET_MILLIS + " ms (learn.eqWords=" + EQ_WORDS + ")");
        }
        CompactMealy<String, String> learned = r.machine;
        String dot = MachineText.dot(learned, name + " (learned)");
        String specDot = MachineText.dot(spec, name + " (specified by the cores)");
        write(OUT.resolve(name + ".dot"), dot);
        write(OUT.resolve(name + ".spec.dot"), specDot);
        write(OUT.resolve(name + ".txt"), r.summary() + "\n");
        for (int s = 0; s < learned.size(); s++) {
            for (String a : inputs) {
                assertFalse(learned.getOutput(s, a).contains(Symbols.BUSY),
                        name + ": the role was still busy " + STEP_CAP_MILLIS + " ms after " + a + " (a hang)");
            }
        }
        Word<String> sep = Automata.findShortestSeparatingWord(spec, learned, learned.getInputAlphabet());
        if (sep != null) {
            write(OUT.resolve(name + ".distinguishing.svg"), MachineText.sequenceSvg(sep, spec, learned, peer, role));
            fail(name + ": the learned machine (" + learned.size() + " states) differs from the specified one ("
                    + spec.size() + " states). Shortest distinguishing input, " + sep.length() + " messages:\n"
                    + MachineText.sequence(sep, spec, learned, peer, role)
                    + "Pictures: " + OUT.resolve(name + ".dot") + " and " + OUT.resolve(name + ".spec.dot")
                    + "; the distinguishing run as a sequence diagram: " + OUT.resolve(name + ".distinguishing.svg"));
        }
        Path committed = COMMITTED.resolve(name + ".dot");
        if (UPDATE && !name.endsWith("-ci-alphabet")) {
            write(committed, dot);
            write(COMMITTED.resolve(name + ".txt"), r.summary() + "\n");
            render(committed, COMMITTED.resolve(name + ".svg"));
        } else if (Files.exists(committed)) {
            assertEquals(Files.readString(committed), dot, name + ": the learned machine equals the specification but not the"
                    + " committed picture " + committed + "; update it with -Dstatemachine.update=true");
        }
        render(OUT.resolve(name + ".dot"), OUT.resolve(name + ".svg"));
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
