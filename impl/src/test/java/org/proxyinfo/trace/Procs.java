package org.proxyinfo.trace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** External programs for tests: bounded in time, killed with their children, output captured to files. */
final class Procs {
    record Result(int exit, String out, String err) { }

    private Procs() { }

    static boolean installed(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    static Result run(List<String> command, Path workDir, long timeoutSeconds) throws IOException, InterruptedException {
        Path out = Files.createTempFile(workDir, "out", ".txt");
        Path err = Files.createTempFile(workDir, "err", ".txt");
        Process p = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            kill(p);
            throw new AssertionError(command.get(0) + " did not finish within " + timeoutSeconds + " s; stderr: "
                    + Files.readString(err, StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    /** Stops a process and everything it started. */
    static void kill(Process p) throws InterruptedException {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
    }

    /** Waits until {@code file} contains {@code text}, or fails after the timeout. */
    static void awaitText(Path file, String text, long timeoutMillis, Process p) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            if (Files.exists(file) && Files.readString(file, StandardCharsets.ISO_8859_1).contains(text)) {
                return;
            }
            if (!p.isAlive()) {
                throw new AssertionError("process exited (" + p.exitValue() + ") before printing '" + text + "': "
                        + (Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : ""));
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for '" + text + "' in " + file + ": "
                + (Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : ""));
    }
}
