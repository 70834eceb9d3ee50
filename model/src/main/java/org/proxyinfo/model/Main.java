package org.proxyinfo.model;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Regenerates the verdict table: {@code java org.proxyinfo.model.Main [OUT_DIR] [default|deep]}
 * (default OUT_DIR: proofs/model, or proofs/model/deep for the deep bound).
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        Bound b = args.length > 1 && args[1].equals("deep") ? Bound.DEEP : Bound.fromProperty();
        Path out = Path.of(args.length > 0 ? args[0] : (b == Bound.DEEP ? "proofs/model/deep" : "proofs/model"));
        Path traces = out.resolve("traces");
        if (Files.isDirectory(traces))
            try (var s = Files.list(traces)) { for (Path p : (Iterable<Path>) s::iterator) Files.delete(p); }
        VerdictTable vt = VerdictTable.compute(b, traces, System.out);
        vt.write(out);
        System.out.println("wrote " + out.resolve("verdicts.json") + " and " + out.resolve("verdicts.md"));
    }
}
