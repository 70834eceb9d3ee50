package org.proxyinfo.verify;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 6: the JML contracts on the decision cores ({@code org.proxyinfo.core}) are proved by KeY
 * in every build, with integer-overflow checking on.
 *
 * <ol>
 *   <li>the committed proofs in {@code proofs/key/} replay closed (a stale proof fails the build);</li>
 *   <li>every contract closes when proved from scratch, and every contract has a committed proof;
 *       {@code proofs/key/results.csv} is regenerated;</li>
 *   <li>every mutant in {@code impl/src/test/key/mutants/NAME/} (a copy of one core class with a
 *       check skipped or a guard weakened) leaves the contracts listed in its {@code EXPECT_OPEN}
 *       file unproved: the contracts have teeth.</li>
 * </ol>
 * Regenerate the committed proofs after changing a core class:
 * {@code mvn -pl impl test -Dtest=KeyContractsTest -Dkey.regenerate=true}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeyContractsTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path CORE = ROOT.resolve("impl/src/main/java/org/proxyinfo/core");
    static final Path PROOFS = ROOT.resolve("proofs/key");
    static final Path MUTANTS = ROOT.resolve("impl/src/test/key/mutants");
    static final boolean REGENERATE = Boolean.getBoolean("key.regenerate");
    static final String HOW_TO_REGENERATE = "mvn -pl impl test -Dtest=KeyContractsTest -Dkey.regenerate=true";
    static final Pattern REQUIREMENT_ID = Pattern.compile(
            "(?<![\\w-])(DEC-\\d+|0[01]-R\\d+|RFC\\d{4}-\\d+(?:\\.\\d+)*|B\\d+|[CRGA]\\d{1,2})(?![\\w])");

    @Test
    @Order(1)
    void committedProofsReplayClosed() throws Exception {
        if (REGENERATE) {
            return;
        }
        List<Path> proofs = committedProofs();
        assertFalse(proofs.isEmpty(), "no committed proofs in proofs/key; run " + HOW_TO_REGENERATE);
        List<String> stale = new ArrayList<>();
        for (Path p : proofs) {
            KeyProver.Replay r = KeyProver.replay(p.toFile());
            if (!r.closed() || r.errors()) {
                stale.add(p.getFileName() + (r.errors() ? " (" + r.message() + ")" : " (open after replay)"));
            }
        }
        assertTrue(stale.isEmpty(), "stale KeY proofs (source changed since they were saved): " + stale
                + "\nRe-prove and commit them: " + HOW_TO_REGENERATE);
    }

    @Test
    @Order(2)
    void everyContractClosesWithOverflowChecking() throws Exception {
        File save = null;
        if (REGENERATE) {
            for (Path old : committedProofs()) {
                Files.delete(old);
            }
            save = PROOFS.toFile();
        }
        Map<String, KeyProver.Result> results = KeyProver.proveAll(CORE.toFile(), save);
        assertFalse(results.isEmpty(), "KeY found no JML contracts in " + CORE);
        writeResultsCsv(results);

        List<String> open = results.values().stream().filter(r -> !r.closed()).map(KeyProver.Result::contract).toList();
        assertTrue(open.isEmpty(), "contracts KeY could not close: " + open);

        if (!REGENERATE) {
            TreeSet<String> expected = results.keySet().stream().map(KeyContractsTest::proofFileName)
                    .collect(Collectors.toCollection(TreeSet::new));
            TreeSet<String> committed = committedProofs().stream().map(p -> p.getFileName().toString())
                    .collect(Collectors.toCollection(TreeSet::new));
            assertTrue(committed.equals(expected), "committed proofs " + committed + " do not match the contracts "
                    + expected + "; run " + HOW_TO_REGENERATE);
        }
    }

    @Test
    @Order(3)
    void mutantsLeaveTheirContractsOpen() throws Exception {
        if (!Files.isDirectory(MUTANTS)) {
            return;
        }
        List<Path> mutants;
        try (Stream<Path> s = Files.list(MUTANTS)) {
            mutants = s.filter(Files::isDirectory).sorted().toList();
        }
        List<String> failures = new ArrayList<>();
        for (Path mutant : mutants) {
            List<String> mustStayOpen = Files.readAllLines(mutant.resolve("EXPECT_OPEN")).stream()
                    .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
            Path work = ROOT.resolve("impl/target/key-mutants").resolve(mutant.getFileName());
            copyCoreWith(mutant, work);
            Map<String, KeyProver.Result> results = KeyProver.proveAll(work.toFile(), null);
            for (String expectedOpen : mustStayOpen) {
                List<KeyProver.Result> matching = results.values().stream()
                        .filter(r -> r.contract().startsWith(expectedOpen)).toList();
                if (matching.isEmpty()) {
                    failures.add(mutant.getFileName() + ": no contract named " + expectedOpen);
                } else if (matching.stream().allMatch(KeyProver.Result::closed)) {
                    failures.add(mutant.getFileName() + ": " + expectedOpen + " was proved, so the contract has no teeth");
                }
            }
            System.out.printf("KeY mutant %-40s contracts left open as required: %s%n", mutant.getFileName(), mustStayOpen);
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    static List<Path> committedProofs() throws IOException {
        if (!Files.isDirectory(PROOFS)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(PROOFS)) {
            return s.filter(p -> p.toString().endsWith(".proof")).sorted().toList();
        }
    }

    static String proofFileName(String contractKey) {
        return contractKey.replace("::", "_").replace("#", "_").replace("<", "").replace(">", "") + ".proof";
    }

    /** A fresh copy of the core package with the mutant's files laid over it. */
    static void copyCoreWith(Path mutant, Path work) throws IOException {
        if (Files.exists(work)) {
            try (Stream<Path> s = Files.walk(work)) {
                for (Path p : s.sorted((a, b) -> b.compareTo(a)).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(work);
        try (Stream<Path> s = Files.list(CORE)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".java")).toList()) {
                Files.copy(f, work.resolve(f.getFileName()));
            }
        }
        try (Stream<Path> s = Files.list(mutant)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".java")).toList()) {
                Files.copy(f, work.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** proofs/key/results.csv: contract, requirement IDs (from its JML block), closed, proof nodes, time. */
    static void writeResultsCsv(Map<String, KeyProver.Result> results) throws IOException {
        StringBuilder csv = new StringBuilder("contract,requirement_ids,closed,proof_nodes,time_ms\n");
        Map<String, String> ids = new TreeMap<>();
        for (KeyProver.Result r : results.values()) {
            ids.put(r.contract(), requirementIds(r));
        }
        long total = 0;
        for (KeyProver.Result r : results.values()) {
            csv.append(r.contract()).append(',').append(ids.get(r.contract())).append(',')
               .append(r.closed()).append(',').append(r.nodes()).append(',').append(r.millis()).append('\n');
            total += r.millis();
            System.out.printf("KeY %-55s %-6s %6d nodes %6d ms  %s%n", r.contract(), r.closed() ? "closed" : "OPEN",
                    r.nodes(), r.millis(), ids.get(r.contract()));
        }
        System.out.printf("KeY: %d contracts, %d closed, %d ms in auto mode%n", results.size(),
                results.values().stream().filter(KeyProver.Result::closed).count(), total);
        Files.createDirectories(PROOFS);
        Files.writeString(PROOFS.resolve("results.csv"), csv.toString(), StandardCharsets.UTF_8);
    }

    /** The requirement IDs named in the JML block(s) right before the method's declaration. */
    static String requirementIds(KeyProver.Result r) throws IOException {
        String simpleType = r.type().replaceAll(".*\\.", "");
        Path src = CORE.resolve(simpleType + ".java");
        if (!Files.exists(src)) {
            return "";
        }
        String text = Files.readString(src);
        String name = r.method().equals("<init>") ? simpleType : r.method();
        Matcher decl = Pattern.compile("(/\\*@(?:(?!\\*/).)*?@?\\*/\\s*)+(?:public|private|protected|static|final|/\\*@[^@]*@\\*/|\\s)*[\\w\\[\\]]*\\s*\\b"
                + Pattern.quote(name) + "\\s*\\(", Pattern.DOTALL).matcher(text);
        TreeSet<String> found = new TreeSet<>();
        while (decl.find()) {
            Matcher m = REQUIREMENT_ID.matcher(decl.group());
            while (m.find()) {
                found.add(m.group(1));
            }
        }
        return String.join(" ", found);
    }
}
