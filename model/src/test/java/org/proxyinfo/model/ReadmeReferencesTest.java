package org.proxyinfo.model;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * model/README.md names, for each attacker capability of the v2 draft and of the Promela model
 * (src/main/resources/promela/dy.pml), and for each rule family of the Horn clauses (Horn.java), the file and line that
 * gives it and the text on that line (issue #11 item 7). This test keeps those references true:
 * every row {@code | ... | `FILE:LINE` | `TEXT` |} must have TEXT on LINE of FILE.
 */
class ReadmeReferencesTest {
    static Path base() {
        Path here = Path.of(System.getProperty("user.dir"));
        return Files.exists(here.resolve("README.md")) && Files.exists(here.resolve("v2-draft")) ? here : here.resolve("model");
    }

    @Test
    @DisplayName("every file:line reference of model/README.md points at the named text")
    void referencesPointAtTheNamedThing() throws Exception {
        Path dir = base();
        Pattern row = Pattern.compile("\\|\\s*`([\\w./-]+\\.(?:als|pml|java)):(\\d+)`\\s*\\|\\s*`([^`]+)`\\s*\\|");
        List<String> bad = new ArrayList<>();
        int n = 0;
        for (String line : Files.readAllLines(dir.resolve("README.md"))) {
            Matcher m = row.matcher(line);
            if (!m.find()) continue;
            n++;
            List<String> src = Files.readAllLines(dir.resolve(m.group(1)));
            int ln = Integer.parseInt(m.group(2));
            if (ln < 1 || ln > src.size() || !src.get(ln - 1).contains(m.group(3)))
                bad.add(m.group(1) + ":" + ln + " does not contain `" + m.group(3) + "`");
        }
        assertTrue(n >= 10, "expected the capability table in model/README.md, found " + n + " references");
        assertTrue(bad.isEmpty(), String.join("\n", bad));
    }
}
