package org.proxyinfo.model;

import java.nio.file.Files;
import java.nio.file.Path;

/** Computes the verdict table once per test JVM and writes it where the build keeps its evidence. */
final class Verdicts {
    static final Path OUT = Path.of(System.getProperty("proofs.dir", "../proofs/model"))
            .resolve(Bound.fromProperty() == Bound.DEEP ? "deep" : "");
    static String committedJson;   // the table as committed before this run (null if none)
    private static VerdictTable table;

    private Verdicts() {}

    static synchronized VerdictTable table() throws Exception {
        if (table == null) {
            Path json = OUT.resolve("verdicts.json");
            committedJson = Files.exists(json) ? Files.readString(json) : null;
            Path traces = OUT.resolve("traces");
            if (Files.isDirectory(traces))
                try (var s = Files.list(traces)) { for (Path p : (Iterable<Path>) s::iterator) Files.delete(p); }
            table = VerdictTable.compute(Bound.fromProperty(), traces, System.out);
            table.write(OUT);
        }
        return table;
    }
}
