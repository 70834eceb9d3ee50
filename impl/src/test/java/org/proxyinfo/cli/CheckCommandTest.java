package org.proxyinfo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxyinfo.model.Claim;
import org.proxyinfo.trace.TraceValidator;

import picocli.CommandLine;

/**
 * `proxyinfo check` (issue #5 item 5): every reference trace is admitted by the Alloy model and
 * the properties its scenario should have hold on it; a trace where the client commits to what
 * the model forbids is not admitted.
 */
class CheckCommandTest {
    @TempDir Path tmp;

    static Path reference() {
        return TraceValidator.schemaFile().getParent().getParent().resolve("reference");
    }

    static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new String[] {String.valueOf(exit), out.toString(), err.toString()};
    }

    @Test
    @DisplayName("C1/G3: the DIRECT reference run is admitted by the model, and server agreement and the informed decision hold on it")
    void directReferenceAdmitted() throws Exception {
        CheckCommand.Verdict v = CheckCommand.check(reference().resolve("direct.json"), reference().resolve("pki"));
        assertTrue(v.result().admitted(), v.result().alloy());
        assertTrue(v.result().notes().isEmpty(), v.result().notes().toString());
        assertTrue(v.result().holds(Claim.C1), "C1 on the honest direct run");
        assertTrue(v.result().holds(Claim.C3), "C3 on the honest direct run");
        assertTrue(v.result().holds(Claim.G3), "G3 on the honest direct run");
        assertTrue(v.result().holds(Claim.R6), "R6's guarantee (end-to-end plaintext) holds without a proxy");
    }

    @Test
    @DisplayName("RFC6125-6.4 / DEC-10: a DIRECT client that commits to the proxy's certificate (not the host it meant) is NOT admitted")
    void commitToWrongCertificateNotAdmitted() throws Exception {
        ObjectMapper m = new ObjectMapper();
        JsonNode t = m.readTree(reference().resolve("direct.json").toFile());
        String proxySha = sha256(Files.readString(reference().resolve("pki/proxy/chain.pem")));
        int changed = 0;
        for (JsonNode e : t.path("events")) {
            if (e.path("messageName").asText().equals("certificate")) {
                ((ObjectNode) e.path("fields").path("certificate_list").get(0)).put("sha256", proxySha);
                changed++;
            }
        }
        assertEquals(2, changed);
        Path f = tmp.resolve("wrong-cert.json");
        m.writeValue(f.toFile(), t);
        String[] r = run("check", f.toString(), "--pki", reference().resolve("pki").toString());
        assertEquals("1", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("NOT ADMITTED"), r[1]);
    }

    /**
     * Every reference trace the model can describe (all but the two-proxy runs, {@link #OUT_OF_SCOPE}),
     * with what must hold or fail on it. Where the client refuses, nothing is committed and the
     * properties (all about Commits) hold; the point there is that the run is admitted at all.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}: admitted; holding {1}; violated {2}")
    @org.junit.jupiter.params.provider.CsvSource({
        "direct.json, C1 C3 G3 R6, ''",                       // no proxy: end-to-end
        "proxied.json, C1 C3 G2 G3, R6",                     // honest PI-BOUND: agreement with the origin; the proxy reads (R6)
        "proxied-draft-literal.json, C1 C3 G2 G3, R6",       // PI-BOUND without DEC-5 binding, honest proxy
        "legacy-client-mint.json, C3, C1 G2 G3",             // MINT: no agreement with the real origin, the proxy is not announced
        "untrusted-proxy.json, C1 C3 G3, ''",                // the attacker's box is refused (DEC-9): nothing accepted, nothing violated
        "web-issued-proxy.json, C1 C3 G3, ''",               // DEC-9: a web-PKI certificate is not a proxy: refused
        "minting-proxy.json, C1 C3 G3, ''",                  // a minted leaf for a proxy_info client: refused (DEC-13)
        "legacy-client-refused.json, C1 C3 G3, ''",          // the proxy refuses a client without the extension (DEC-17)
        "upstream-unreachable.json, C1 C3 G3, ''",           // no session #2: the proxy refuses session #1 (DEC-14)
        "wrong-host-origin.json, C1 C3 G3, ''",              // DEC-15: the proxy refuses an upstream for another host
        "wrong-host-lax-proxy.json, C1 C3 G3, ''",           // the careless proxy reports it; the client refuses (DEC-10)
        "weak-upstream-suite.json, C1 C3 G3, ''",            // DEC-11 policy (configuration): the client refuses
        "forged-signature.json, C1 G3, ''",                  // DEC-8(2): signature does not verify: refused
        "replay-bound.json, C1 G3, ''",                      // DEC-5 bound: the replayed assertion is refused
        "replay-draft-literal.json, G3, C1",                 // no DEC-5 binding: two Commits on one session #2, C1 (injective) violated
    })
    void referenceTraceVerdict(String file, String holding, String violated) throws Exception {
        CheckCommand.Verdict v = CheckCommand.check(reference().resolve(file), reference().resolve("pki"));
        assertTrue(v.result().admitted(), file + " must be admitted:\n" + v.result().alloy());
        for (String id : holding.split(" ")) {
            assertTrue(v.result().holds(Claim.valueOf(id)), file + ": " + id + " must hold");
        }
        for (String id : violated.isBlank() ? new String[0] : violated.split(" ")) {
            assertFalse(v.result().holds(Claim.valueOf(id)), file + ": " + id + " must be violated");
        }
    }

    /** The reference runs outside the model's abstraction: two proxies (model/README.md "Not modelled"). */
    static final java.util.Set<String> OUT_OF_SCOPE = java.util.Set.of("proxied-two-hops.json", "second-hop-lies.json",
            "second-hop-lies-lax-first-hop.json", "hop-keeps-own-client-random.json", "untrusted-second-proxy.json");

    @Test
    @org.junit.jupiter.api.Timeout(900)
    @DisplayName("check runs on every committed reference trace (CI): each is admitted by Alloy, or named OUT OF SCOPE (two proxies)")
    void everyReferenceTraceChecked() throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("check", "--pki", reference().resolve("pki").toString()));
        List<String> names = new java.util.ArrayList<>();
        try (Stream<Path> s = Files.list(reference())) {
            for (Path p : s.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                args.add(p.toString());
                names.add(p.getFileName().toString());
            }
        }
        String[] r = run(args.toArray(new String[0]));
        System.out.println(r[1]);
        assertEquals("0", r[0], "every in-scope reference trace must be admitted:\n" + r[1] + r[2]);
        assertFalse(r[1].contains("NOT ADMITTED"), r[1]);
        for (String n : names) {
            String line = r[1].lines().filter(l -> l.startsWith(n + " (")).findFirst().orElse("");
            if (OUT_OF_SCOPE.contains(n)) {
                assertTrue(line.contains("OUT OF SCOPE: the model has one proxy agent"), n + ": " + line);
            } else {
                assertTrue(line.contains("admitted by the model"), n + " must be admitted: " + line);
            }
        }
        assertTrue(r[1].contains(OUT_OF_SCOPE.size() + " trace(s) outside the model's abstraction"), r[1]);
    }

    @Test
    @DisplayName("the main job, plain `demo`, writes the run's trace and prints the model's verdict on it (honest proxied scenario: admitted)")
    void demoPrintsVerdict() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        int exit;
        try {
            exit = new CommandLine(new Main()).execute("demo");
        } finally {
            System.setOut(old);
        }
        String text = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, exit, text);
        assertTrue(text.contains("Model check: proxied.json (PI-BOUND, threat none): admitted by the model"), text);
        assertTrue(text.contains("Traces written to "), text);
    }

    @Test
    @DisplayName("check says clearly when a trace cannot be read (exit 2, no stack trace)")
    void unreadableTrace() {
        String[] r = run("check", tmp.resolve("missing.json").toString(), "--pki", reference().resolve("pki").toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("no such file"), r[2]);
        assertFalse(r[2].contains("Exception"), r[2]);
    }

    /** SHA-256 (hex) of the first certificate of a PEM file. */
    static String sha256(String pem) throws Exception {
        String b64 = pem.substring(pem.indexOf("-----BEGIN CERTIFICATE-----") + 27, pem.indexOf("-----END CERTIFICATE-----"))
                .replaceAll("\\s", "");
        byte[] der = java.util.Base64.getDecoder().decode(b64);
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(der));
    }
}
