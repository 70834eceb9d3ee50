package org.proxyinfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 finding 1: the README's two commands work on a fresh machine. The test command sets the
 * machine up (or names the install command and stops), and every documented Maven command that
 * builds {@code impl} alone also builds {@code model}, which impl depends on.
 */
class NewcomerPathTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void readmeTestCommandIsTheSetupScriptThatRunsVerify() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        assertTrue(readme.contains("| **all tests** | `bash .ci/run` |"), "the README's test command is bash .ci/run");
        String run = Files.readString(ROOT.resolve(".ci/run"));
        assertTrue(run.contains("bash .ci/setup"), ".ci/run sets the machine up first");
        assertTrue(run.indexOf("bash .ci/setup") < run.indexOf("mvn -B verify"), "setup before the tests");
        String setup = Files.readString(ROOT.resolve(".ci/setup"));
        for (String tool : new String[] {"chromium", "tshark", "openssl", "gnutls-cli", "xz", "mvn"}) {
            assertTrue(setup.contains("need " + tool + " "), ".ci/setup checks " + tool);
            assertTrue(readme.contains(tool), "README prerequisites name " + tool);
        }
    }

    @Test
    void setupStopsAndNamesTheInstallCommandWhenAToolIsMissing(@TempDir Path bin) throws Exception {
        // A PATH with every tool except chromium.
        for (String tool : new String[] {"java", "javac", "mvn", "openssl", "tshark", "xz", "gnutls-cli", "sed", "head", "id", "apt-get"}) {
            Path real = which(tool);
            if (real != null) {
                Files.createSymbolicLink(bin.resolve(tool), real);
            }
        }
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", ROOT.resolve(".ci/setup").toString(), "--check").redirectErrorStream(true);
        pb.environment().put("PATH", bin.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue(), out);
        assertTrue(out.contains("missing: chromium"), out);
        assertTrue(out.contains("nothing was run"), out);
        assertTrue(out.contains(Files.exists(bin.resolve("apt-get")) ? "sudo apt-get install -y chromium" : "chromium"), out);
    }

    @Test
    void setupPassesOnThisMachine() throws Exception {
        Process p = new ProcessBuilder("/bin/bash", ROOT.resolve(".ci/setup").toString(), "--check").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
    }

    /** {@code mvn -pl impl package} fails on a fresh machine: impl needs the model module from the same reactor. */
    @Test
    void everyDocumentedImplCommandBuildsTheModelToo() throws IOException {
        Pattern mvn = Pattern.compile("mvn [^`\\n]*-pl impl[^`\\n]*");
        List<String> bad = new ArrayList<>();
        List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("model/README.md"), ROOT.resolve("traces/README.md")));
        try (Stream<Path> s = Stream.concat(Files.list(ROOT.resolve("impl")), Files.walk(ROOT.resolve("proofs")))) {
            s.filter(f -> f.toString().endsWith(".md")).forEach(docs::add);
        }
        for (Path doc : docs) {
            if (!Files.exists(doc)) {
                continue;
            }
            Matcher m = mvn.matcher(Files.readString(doc));
            while (m.find()) {
                String c = m.group();
                // exec:exec (benchmarks) and the long fuzz profile run after the documented one-time install.
                if (!c.contains("-am") && !c.contains("exec:exec") && !c.contains("fuzz-long")) {
                    bad.add(ROOT.relativize(doc) + ": " + c);
                }
                if (c.contains("-am") && c.contains("-Dtest=") && !c.contains("failIfNoSpecifiedTests=false")) {
                    bad.add(ROOT.relativize(doc) + ": " + c + " (needs -Dsurefire.failIfNoSpecifiedTests=false with -am)");
                }
            }
        }
        assertTrue(bad.isEmpty(), "commands that fail on a fresh machine (add -am):\n" + String.join("\n", bad));
    }

    private static Path which(String tool) {
        for (String dir : System.getenv("PATH").split(":")) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
