package org.proxyinfo.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import net.automatalib.automata.transducers.impl.compact.CompactMealy;
import net.automatalib.util.automata.Automata;
import net.automatalib.words.Word;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, without sockets: what the specification machine of the proxy's session #2 says on the
 * paths that matter (DEC-8, DEC-9, DEC-18), that the check tells a learned machine with one wrong
 * answer from it, and that the exact quiescence of an external process ({@link Quiescence.ExternalProcess})
 * tells a process waiting for input from one at work.
 */
class Session2SpecAndQuiescenceTest {
    static final List<String> FULL = Symbols.session2Inputs(true);

    static String last(CompactMealy<String, String> m, String... inputs) {
        Word<String> out = m.computeOutput(Word.fromSymbols(inputs));
        return out.lastSymbol();
    }

    @Test
    @DisplayName("DEC-8, DEC-15, DEC-9, DEC-18: session #2's specification: key material only after a plain ServerHello or a"
            + " valid upstream assertion, access_denied for server_to_proxy with the origin's certificate, relay once established")
    void session2Specification() {
        CompactMealy<String, String> spec = SpecMachines.proxySession2(FULL);
        String keys = Symbols.CLIENT_KEY_EXCHANGE + " " + Symbols.CHANGE_CIPHER_SPEC + " " + Symbols.FINISHED;
        for (String sh : List.of(Symbols.SERVER_HELLO, Symbols.SERVER_HELLO_PI_VALID)) {
            assertEquals(keys, last(spec, sh, Symbols.CERTIFICATE, Symbols.SERVER_KEY_EXCHANGE, Symbols.SERVER_HELLO_DONE), sh);
            assertEquals(Symbols.APPLICATION_DATA, last(spec, sh, Symbols.CERTIFICATE, Symbols.SERVER_KEY_EXCHANGE,
                    Symbols.SERVER_HELLO_DONE, Symbols.CHANGE_CIPHER_SPEC, Symbols.FINISHED, Symbols.APPLICATION_DATA), sh);
        }
        for (String sh : List.of(Symbols.SERVER_HELLO_PI_FORGED, Symbols.SERVER_HELLO_PI_REPLAYED)) {
            assertEquals("alert(fatal,decrypt_error) closed",
                    last(spec, sh, Symbols.CERTIFICATE, Symbols.SERVER_KEY_EXCHANGE, Symbols.SERVER_HELLO_DONE), sh);
        }
        assertEquals("alert(fatal,decode_error) closed", last(spec, Symbols.SERVER_HELLO_PI_MALFORMED, Symbols.CERTIFICATE,
                Symbols.SERVER_KEY_EXCHANGE, Symbols.SERVER_HELLO_DONE));
        assertEquals("alert(fatal,access_denied) closed", last(spec, Symbols.SERVER_HELLO_PI_SERVER_TO_PROXY, Symbols.CERTIFICATE));
        assertEquals("alert(fatal,unexpected_message) closed", last(spec, Symbols.APPLICATION_DATA),
                "no relay before session #2 is finished (DEC-14)");
    }

    @Test
    @DisplayName("DEC-8: a learned session #2 that sends key material after a forged assertion differs from the specification,"
            + " and the shortest distinguishing input is that run")
    void aWrongAnswerIsFound() {
        CompactMealy<String, String> spec = SpecMachines.proxySession2(FULL);
        CompactMealy<String, String> wrong = SpecMachines.proxySession2(FULL);
        assertNull(Automata.findShortestSeparatingWord(spec, wrong, wrong.getInputAlphabet()), "the same generation gives the same machine");
        Word<String> path = Word.fromSymbols(Symbols.SERVER_HELLO_PI_FORGED, Symbols.CERTIFICATE, Symbols.SERVER_KEY_EXCHANGE);
        Integer s = wrong.getState(path);
        assertNotNull(s);
        Integer t = wrong.getSuccessor(s, Symbols.SERVER_HELLO_DONE);
        wrong.removeAllTransitions(s, Symbols.SERVER_HELLO_DONE);
        wrong.addTransition(s, Symbols.SERVER_HELLO_DONE, t,
                Symbols.CLIENT_KEY_EXCHANGE + " " + Symbols.CHANGE_CIPHER_SPEC + " " + Symbols.FINISHED);
        Word<String> sep = Automata.findShortestSeparatingWord(spec, wrong, wrong.getInputAlphabet());
        assertEquals(path.append(Symbols.SERVER_HELLO_DONE).size(), sep == null ? -1 : sep.size());
        assertEquals(Symbols.SERVER_HELLO_DONE, sep.lastSymbol());
    }

    @Test
    @DisplayName("issue 15: an external process is quiet while it waits in read(2), not while it sleeps or works")
    void externalProcessQuiescence() throws Exception {
        Assumptions.assumeTrue(Quiescence.ExternalProcess.supported(), "needs Linux /proc with a known system call table");
        Process reader = new ProcessBuilder("cat").start(); // blocks in read(2) on its stdin pipe
        Process sleeper = new ProcessBuilder("sleep", "30").start(); // in clock_nanosleep: not waiting for input
        try {
            assertTrue(new Quiescence.ExternalProcess(reader.pid(), Set.of()).await(-1, 5000), "cat waiting for input is quiet");
            assertFalse(new Quiescence.ExternalProcess(sleeper.pid(), Set.of()).await(-1, 300), "a sleeping process is not");
        } finally {
            reader.destroy();
            sleeper.destroy();
            reader.waitFor(5, TimeUnit.SECONDS);
            sleeper.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
