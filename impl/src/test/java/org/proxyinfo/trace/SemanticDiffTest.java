package org.proxyinfo.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 finding 3: {@code trace diff} aligns by message and field, ignores randoms, keys,
 * signatures and timings by default ({@code --exact} keeps them) and says where an attack departs
 * from the honest run.
 */
class SemanticDiffTest {
    @TempDir Path tmp;

    static Path ref(String name) {
        return WiresharkTest.reference().resolve(name + ".json");
    }

    @Test
    @DisplayName("forged-signature departs from proxied at the client's DEC-8 check, ending in decrypt_error")
    void attackDepartsFromHonestRun() {
        Cli d = Cli.run("trace", "diff", ref("proxied").toString(), ref("forged-signature").toString());
        assertEquals(1, d.exit(), d.out() + d.err());
        // the first departure is the adversary's (today a staged switch in the proxy, DEC-5); the client's is at its DEC-8 check
        assertTrue(d.out().startsWith("forged-signature departs from proxied at the "), d.out());
        assertTrue(d.out().contains("forged-signature departs from proxied at the client's DEC-8 check"), d.out());
        assertTrue(d.out().contains("decrypt_error"), d.out());
        assertFalse(d.out().contains("event #0"), d.out());
    }

    @Test
    @DisplayName("two runs that differ only in randoms, keys, signatures and bytes are equal by default, different with --exact")
    void randomsKeysAndSignaturesIgnored() throws Exception {
        String text = Files.readString(ref("proxied"));
        // another run: every random, key, signature and secret differs (here: every hex digit 'a' becomes 'b' in values
        // of those fields, which also changes the raw bytes)
        com.fasterxml.jackson.databind.node.ObjectNode root = (com.fasterxml.jackson.databind.node.ObjectNode) TraceJson.parse(text);
        for (com.fasterxml.jackson.databind.JsonNode e : root.get("events")) {
            com.fasterxml.jackson.databind.node.ObjectNode o = (com.fasterxml.jackson.databind.node.ObjectNode) e;
            if (o.has("raw")) o.put("raw", o.get("raw").asText().replace('a', 'b'));
            if (o.has("value")) o.put("value", o.get("value").asText().replace('a', 'b'));
            com.fasterxml.jackson.databind.JsonNode f = o.get("fields");
            if (f != null && f.has("random")) ((com.fasterxml.jackson.databind.node.ObjectNode) f).put("random", f.get("random").asText().replace('a', 'b'));
            if (f != null && f.has("signature")) ((com.fasterxml.jackson.databind.node.ObjectNode) f).put("signature", f.get("signature").asText().replace('a', 'b'));
            com.fasterxml.jackson.databind.JsonNode p = o.get("params");
            if (p != null && p.has("client_random")) ((com.fasterxml.jackson.databind.node.ObjectNode) p).put("client_random", p.get("client_random").asText().replace('a', 'b'));
        }
        Path other = tmp.resolve("other.json");
        Files.writeString(other, TraceJson.pretty(root));
        Cli d = Cli.run("trace", "diff", ref("proxied").toString(), other.toString());
        assertEquals(0, d.exit(), d.out());
        assertTrue(d.out().contains("randoms"), d.out());
        Cli exact = Cli.run("trace", "diff", "--exact", ref("proxied").toString(), other.toString());
        assertEquals(1, exact.exit(), exact.out());
    }
}
