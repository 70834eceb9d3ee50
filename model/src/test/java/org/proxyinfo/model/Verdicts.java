package org.proxyinfo.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Computes the verdict table once per test JVM. The build writes what it generates under
 * model/target/evidence/model/ (verdicts.json, verdicts.md, traces/, and measurements.json with the
 * times and memory) and compares it with the committed proofs/model/ (VerdictTableTest); it rewrites
 * the committed files only with -Devidence.update=true (or the older -Dmodel.update=true).
 */
final class Verdicts {
    private static final String SUB = Bound.fromProperty() == Bound.DEEP ? "deep" : "";
    /** Where this run writes the table it generated. */
    static final Path OUT = Path.of(System.getProperty("evidence.dir", "target/evidence/model")).toAbsolutePath().resolve(SUB);
    /** The committed evidence. */
    static final Path COMMITTED = Path.of(System.getProperty("proofs.dir", "../proofs/model")).resolve(SUB);
    static String committedJson;   // the table as committed before this run (null if none)
    private static VerdictTable table;

    private Verdicts() {}

    static boolean updating() {
        return Boolean.getBoolean("evidence.update") || Boolean.getBoolean("model.update");
    }

    static synchronized VerdictTable table() throws Exception {
        if (table == null) {
            Path json = COMMITTED.resolve("verdicts.json");
            committedJson = Files.exists(json) ? Files.readString(json) : null;
            Path traces = OUT.resolve("traces");
            clear(traces);
            table = VerdictTable.compute(Bound.fromProperty(), traces, System.out);
            table.write(OUT);
            if (updating()) {
                Files.createDirectories(COMMITTED);
                // the deep table is not compared by the build (only its hashes are checked), so its times and memory are
                // committed with it (issue #11: "committed with its times"); the default table's stay in target/
                for (String f : SUB.isEmpty() ? new String[] {"verdicts.json", "verdicts.md"}
                        : new String[] {"verdicts.json", "verdicts.md", "measurements.json"})
                    Files.copy(OUT.resolve(f), COMMITTED.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                clear(COMMITTED.resolve("traces"));
                Files.createDirectories(COMMITTED.resolve("traces"));
                try (var s = Files.list(traces)) {
                    for (Path p : (Iterable<Path>) s::iterator) Files.copy(p, COMMITTED.resolve("traces").resolve(p.getFileName()));
                }
            }
        }
        return table;
    }

    private static void clear(Path dir) throws IOException {
        if (Files.isDirectory(dir))
            try (var s = Files.list(dir)) { for (Path p : (Iterable<Path>) s::iterator) Files.delete(p); }
    }
}
