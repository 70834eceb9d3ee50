package org.proxyinfo.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The decision cores stay in KeY's Java subset (DESIGN.md): no imports, generics, lambdas,
 * annotations, var, switch expressions, records or JDK collection types. A cheap syntactic
 * guard; the KeY proofs (later issue) are the real check.
 */
class KeySubsetTest {
    private static final Pattern[] FORBIDDEN = {
        Pattern.compile("^import\\s"),
        Pattern.compile("<[A-Z][A-Za-z]*>"),
        Pattern.compile("->"),
        Pattern.compile("^\\s*@[A-Z]"),
        Pattern.compile("\\bvar\\s"),
        Pattern.compile("\\brecord\\s"),
        Pattern.compile("\\benum\\s"),
        Pattern.compile("case [^:]*->"),
        Pattern.compile("\\b(HashMap|ArrayList|List|Map|Set|StringBuilder|Objects|IllegalStateException|String\\.format)\\b"),
    };

    @Test
    void coreSourcesUseOnlyTheKeySubset() throws IOException {
        Path core = Path.of("src/main/java/org/proxyinfo/core");
        List<String> bad = new ArrayList<>();
        try (Stream<Path> files = Files.list(core)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    String code = lines.get(i).replaceAll("//.*$", "");
                    if (code.trim().startsWith("*") || code.trim().startsWith("/*")) {
                        continue;
                    }
                    for (Pattern p : FORBIDDEN) {
                        if (p.matcher(code).find()) {
                            bad.add(f.getFileName() + ":" + (i + 1) + ": " + code.trim());
                        }
                    }
                }
            }
        }
        assertTrue(bad.isEmpty(), "outside KeY's subset:\n" + String.join("\n", bad));
    }
}
