package org.proxyinfo.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import javax.xml.parsers.DocumentBuilderFactory;

import net.automatalib.automata.transducers.impl.compact.CompactMealy;
import net.automatalib.util.automata.Automata;
import net.automatalib.words.Alphabet;
import net.automatalib.words.Word;
import net.automatalib.words.impl.Alphabets;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * Issue 15: when a learned machine differs from the specified one, the build shows the shortest
 * distinguishing input as a sequence diagram (LearnedStateMachineTest writes NAME.distinguishing.svg).
 * Here two small machines that differ only after ServerHelloDone (one releases key material, the
 * other refuses, as a DEC-8 violation would look) must give a well-formed SVG that draws the input,
 * the agreeing answers once, and the differing answer both ways.
 */
class DistinguishingDiagramTest {

    static CompactMealy<String, String> machine(Alphabet<String> in, String afterDone) {
        CompactMealy<String, String> m = new CompactMealy<>(in);
        int s0 = m.addInitialState();
        int s1 = m.addState();
        int s2 = m.addState();
        for (String a : in) {
            m.addTransition(s0, a, a.equals("ServerHello") ? s1 : s0, a.equals("ServerHello") ? "TIMEOUT" : "Alert(fatal,unexpected_message)");
            m.addTransition(s1, a, s2, a.equals("ServerHelloDone") ? afterDone : "TIMEOUT");
            m.addTransition(s2, a, s2, "CLOSED");
        }
        return m;
    }

    @Test
    void theDistinguishingRunIsDrawnWithBothAnswers() throws Exception {
        Alphabet<String> in = Alphabets.fromArray("ServerHello", "ServerHelloDone");
        CompactMealy<String, String> spec = machine(in, "Alert(fatal,decrypt_error)");
        CompactMealy<String, String> learned = machine(in, "ClientKeyExchange ChangeCipherSpec Finished");
        Word<String> sep = Automata.findShortestSeparatingWord(spec, learned, in);
        assertNotNull(sep, "the machines differ");
        assertEquals(Word.fromSymbols("ServerHello", "ServerHelloDone"), sep);

        String svg = MachineText.sequenceSvg(sep, spec, learned, "test server", "our client");
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", d.getDocumentElement().getNodeName());
        assertEquals(2 + 2 + 3, d.getElementsByTagName("line").getLength(), "two lifelines, two inputs, three answers");
        assertTrue(svg.contains("learned: ClientKeyExchange ChangeCipherSpec Finished"), svg);
        assertTrue(svg.contains("specified: Alert(fatal,decrypt_error)"), svg);
        assertTrue(svg.contains(">ServerHelloDone<") && svg.contains(">our client<"), svg);
    }
}
