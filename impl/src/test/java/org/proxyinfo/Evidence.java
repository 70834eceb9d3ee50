package org.proxyinfo;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Committed evidence is compared, never rewritten, by the build: a test writes what it generated
 * under {@code target/evidence/}, then compares it with the committed file (ignoring only what
 * {@code comparable} strips: measurements such as times and memory). With
 * {@code -Devidence.update=true} the committed file is rewritten instead, for a change that really
 * changes the evidence; review it with {@code git diff} and commit it.
 */
public final class Evidence {
    private Evidence() {}

    public static boolean updating() {
        return Boolean.getBoolean("evidence.update");
    }

    /** Writes {@code content} to {@code generated}; fails when it differs from {@code committed}. */
    public static void check(Path committed, Path generated, String content, UnaryOperator<String> comparable) throws IOException {
        check(committed, generated, content, comparable, updating());
    }

    public static void check(Path committed, Path generated, String content, UnaryOperator<String> comparable, boolean update)
            throws IOException {
        Files.createDirectories(generated.getParent());
        Files.writeString(generated, content, StandardCharsets.UTF_8);
        if (update) {
            Files.createDirectories(committed.getParent());
            Files.writeString(committed, content, StandardCharsets.UTF_8);
            return;
        }
        if (!Files.exists(committed)) {
            fail(committed + " is missing; generated " + generated + " (run with -Devidence.update=true to commit it)");
        }
        String before = comparable.apply(Files.readString(committed, StandardCharsets.UTF_8));
        String now = comparable.apply(content);
        if (!before.equals(now)) {
            fail(committed + " differs from what this build generated (" + generated + "):\n" + firstDifferences(before, now)
                    + "\nIf the change is intended, run the build with -Devidence.update=true, review `git diff`, and commit.");
        }
    }

    /** One RFC 4180 record: fields with a comma, quote, CR or LF are quoted, quotes doubled; CRLF ends it. */
    public static String csvRow(String... fields) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < fields.length; i++) {
            String f = fields[i] == null ? "" : fields[i];
            if (i > 0) {
                b.append(',');
            }
            if (f.indexOf(',') >= 0 || f.indexOf('"') >= 0 || f.indexOf('\r') >= 0 || f.indexOf('\n') >= 0) {
                b.append('"').append(f.replace("\"", "\"\"")).append('"');
            } else {
                b.append(f);
            }
        }
        return b.append("\r\n").toString();
    }

    static String firstDifferences(String before, String now) {
        String[] a = before.split("\n", -1);
        String[] b = now.split("\n", -1);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.max(a.length, b.length) && out.size() < 12; i++) {
            String x = i < a.length ? a[i] : "(none)";
            String y = i < b.length ? b[i] : "(none)";
            if (!x.equals(y)) {
                out.add("  line " + (i + 1) + ": committed  " + x + "\n  line " + (i + 1) + ": generated  " + y);
            }
        }
        return String.join("\n", out);
    }
}
