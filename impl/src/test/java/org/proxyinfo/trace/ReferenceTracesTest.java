package org.proxyinfo.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxyinfo.pki.PkiDir;
import org.proxyinfo.reference.ReferenceTraces;

/**
 * traces/reference/: `trace regenerate` rebuilds every committed reference trace and key log byte
 * for byte from the committed test PKI, every one validates against the schema, and the key logs
 * are the traces' secrets.
 */
class ReferenceTracesTest {
    @TempDir Path tmp;

    static Path referenceDir() {
        return TraceValidator.schemaFile().getParent().getParent().resolve("reference");
    }

    private static TreeSet<String> files(Path dir) throws Exception {
        TreeSet<String> out = new TreeSet<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(Files::isRegularFile).forEach(p -> out.add(p.getFileName().toString()));
        }
        out.remove("README.md");
        return out;
    }

    @Test
    @DisplayName("trace regenerate rebuilds traces/reference byte for byte (seeded randomness, fixed clock, committed PKI)")
    void regenerateIsByteForByte() throws Exception {
        Path out = tmp.resolve("reference");
        Cli r = Cli.run("trace", "regenerate", "--out", out.toString(), "--pki", referenceDir().resolve("pki").toString());
        assertEquals(0, r.exit(), r.err());
        TreeSet<String> expected = files(referenceDir());
        TreeSet<String> got = files(out);
        assertEquals(expected, got, "the committed reference set and the regenerated one list different files;"
                + " run `proxyinfo trace regenerate --out traces/reference` and commit");
        List<String> differing = new ArrayList<>();
        for (String f : expected) {
            byte[] a = Files.readAllBytes(referenceDir().resolve(f));
            byte[] b = Files.readAllBytes(out.resolve(f));
            if (!java.util.Arrays.equals(a, b)) {
                differing.add(f);
            }
        }
        if (!differing.isEmpty()) {
            StringBuilder why = new StringBuilder();
            for (String f : differing) {
                if (f.endsWith(".json")) {
                    Cli d = Cli.run("trace", "diff", "--exact", referenceDir().resolve(f).toString(), out.resolve(f).toString());
                    why.append("\n").append(f).append(":\n").append(d.out());
                } else {
                    why.append("\n").append(f).append(" differs");
                }
            }
            fail("regenerated reference files differ from the committed ones: " + differing + why);
        }
    }

    @Test
    @DisplayName("two runs of the same reference in one JVM give identical bytes (no thread interleaving, no ports, no wall clock)")
    void sameRunTwice() throws Exception {
        PkiDir pki = new PkiDir(referenceDir().resolve("pki"));
        for (ReferenceTraces.Entry e : ReferenceTraces.all()) {
            String a = e.runner().run(pki, ReferenceTraces.seed(e.name()), ReferenceTraces.clock(), e.name()).toJson();
            String b = e.runner().run(pki, ReferenceTraces.seed(e.name()), ReferenceTraces.clock(), e.name()).toJson();
            assertEquals(a, b, e.name());
            assertFalse(a.contains("in-memory"), e.name() + ": transport names do not belong in a reference trace");
        }
    }

    @Test
    @DisplayName("every committed reference trace validates against the schema, and its key log is its secrets")
    void committedReferencesValidate() throws Exception {
        TreeSet<String> names = files(referenceDir());
        int traces = 0;
        for (String f : names) {
            if (!f.endsWith(".json")) {
                continue;
            }
            Path json = referenceDir().resolve(f);
            TraceValidator.assertValid(json);
            Trace t = Trace.read(json);
            assertEquals("fixed", t.run().path("configuration").path("clock").path("kind").asText(), f);
            assertFalse(t.run().path("configuration").path("rngSeed").isNull(), f + ": reference runs are seeded");
            for (String leg : ReferenceTraces.legs(t)) {
                Path keylog = referenceDir().resolve(f.replace(".json", "." + leg + ".keylog"));
                Path fromTrace = tmp.resolve(f + "." + leg + ".keylog");
                int lines = new NssKeyLog(fromTrace).addFrom(t.forLeg(leg));
                assertEquals(lines > 0, Files.isRegularFile(keylog), f + " " + leg + ": a key log exactly when the leg has a master secret");
                if (lines > 0) {
                    assertEquals(NssKeyLog.read(fromTrace), NssKeyLog.read(keylog), f + " " + leg);
                }
            }
            traces++;
        }
        assertEquals(ReferenceTraces.all().size(), traces, "one committed trace per reference run");
    }
}
