package org.proxyinfo.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs Jazzer (standalone driver, its native libFuzzer inside the jazzer jar) on the decoders of
 * {@link Decoders}, one child JVM per run, and fails if any run finds an input that breaks the
 * DEC-21 contract. Used by the build (short run, all decoders in one combined target) and by
 * {@code -Pfuzz-long} (each decoder on its own).
 *
 * <pre>
 *   mvn -pl impl test-compile exec:exec@fuzz-short              # what CI runs (verify phase)
 *   mvn -pl impl -Pfuzz-long verify -Dfuzz.seconds=600          # each decoder 10 minutes
 * </pre>
 *
 * Arguments: {@code --seconds N} per run, {@code --mode combined|each}, {@code --only all|d1,d2} (each mode), {@code --out DIR} (corpora and
 * findings), {@code --seeds DIR} (the committed regression inputs). A finding is written to
 * {@code DIR/findings/}; copy it into {@code src/test/resources/org/proxyinfo/fuzz/DecoderFuzzTestInputs/<decoder>/}
 * so the normal build replays it as a regression test, then fix the decoder.
 */
public final class FuzzRunner {
    private FuzzRunner() { }

    public static void main(String[] args) throws Exception {
        int seconds = 45;
        String mode = "combined";
        List<String> only = Decoders.NAMES;
        Path out = Path.of("target/fuzz");
        Path seeds = Path.of("src/test/resources/org/proxyinfo/fuzz/DecoderFuzzTestInputs");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds": seconds = Integer.parseInt(args[++i]); break;
                case "--mode": mode = args[++i]; break;
                case "--out": out = Path.of(args[++i]); break;
                case "--seeds": seeds = Path.of(args[++i]); break;
                case "--only":
                    String o = args[++i];
                    only = o.equals("all") ? Decoders.NAMES : List.of(o.split(","));
                    for (String n : only) {
                        if (!Decoders.NAMES.contains(n)) {
                            throw new IllegalArgumentException("no decoder " + n + "; known: " + Decoders.NAMES);
                        }
                    }
                    break;
                default: throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (seconds <= 0) {
            System.out.println("fuzz: skipped (fuzz.seconds=" + seconds + ")");
            return;
        }
        Path findings = out.resolve("findings");
        Files.createDirectories(findings);
        List<String> failed = new ArrayList<>();
        long start = System.nanoTime();
        if (mode.equals("combined")) {
            // One corpus for all decoders: each seed gets its decoder's selector byte in front.
            Path corpus = Files.createDirectories(out.resolve("corpus-all"));
            Path seedDir = Files.createDirectories(out.resolve("seeds-all"));
            for (int k = 0; k < Decoders.NAMES.size(); k++) {
                for (Path p : list(seeds.resolve(Decoders.NAMES.get(k)))) {
                    byte[] b = Files.readAllBytes(p);
                    byte[] s = new byte[b.length + 1];
                    s[0] = (byte) k;
                    System.arraycopy(b, 0, s, 1, b.length);
                    Files.write(seedDir.resolve(Decoders.NAMES.get(k) + "-" + p.getFileName()), s);
                }
            }
            if (!run(null, seconds, corpus, seedDir, findings)) {
                failed.add("all decoders (combined)");
            }
        } else {
            for (String name : only) {
                Path corpus = Files.createDirectories(out.resolve("corpus-" + name));
                Path seedDir = Files.createDirectories(seeds.resolve(name));
                if (!run(name, seconds, corpus, seedDir, findings)) {
                    failed.add(name);
                }
            }
        }
        long took = (System.nanoTime() - start) / 1_000_000_000L;
        if (!failed.isEmpty()) {
            System.out.println("fuzz: FINDINGS in " + failed + " after " + took + " s. The inputs are in " + findings.toAbsolutePath()
                    + "; reproduce with the regression test (copy the file into src/test/resources/org/proxyinfo/fuzz/"
                    + "DecoderFuzzTestInputs/<decoder>/ and run mvn -pl impl test -Dtest=DecoderFuzzTest), then fix the decoder.");
            System.exit(1);
        }
        System.out.println("fuzz: no findings (" + mode + ", " + seconds + " s per run, " + took + " s in all)");
    }

    private static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** One Jazzer run in a child JVM; true if it ended without a finding. */
    private static boolean run(String only, int seconds, Path corpus, Path seedDir, Path findings) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx768m", "-cp", System.getProperty("java.class.path")));
        if (only != null) {
            cmd.add("-Dfuzz.only=" + only);
        }
        String label = only == null ? "all" : only;
        cmd.addAll(List.of("com.code_intelligence.jazzer.Jazzer",
                "--target_class=" + AllDecodersFuzzer.class.getName(),
                "--instrumentation_includes=org.proxyinfo.**",
                "--reproducer_path=" + findings.toAbsolutePath(),
                "-max_total_time=" + seconds,
                "-rss_limit_mb=2560",
                "-artifact_prefix=" + findings.toAbsolutePath() + "/" + label + "-",
                corpus.toString(), seedDir.toString()));
        Path log = findings.getParent().resolve("jazzer-" + label + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        Process p = pb.start();
        int rc = p.waitFor();
        String last = lastLines(log, rc == 0 ? 1 : 40);
        System.out.println("fuzz " + label + ": " + (rc == 0 ? "ok" : "FINDING (exit " + rc + ")") + " — " + last.strip()
                + " (log: " + log + ")");
        return rc == 0;
    }

    private static String lastLines(Path log, int n) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String l : Files.readAllLines(log)) {
            if (!l.startsWith("INFO: Loaded") && !l.startsWith("INFO: Instrumented")) {
                lines.add(l);
            }
        }
        return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }
}
