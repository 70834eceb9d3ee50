package org.proxyinfo.role;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Leak checks for tests that start peers: threads and open sockets must come back to where they were. */
final class Leaks {
    private Leaks() { }

    static void assertNoThreadLeak(int before) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        int now = Thread.activeCount();
        while (now > before && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            now = Thread.activeCount();
        }
        // ForkJoin common-pool workers (CompletableFuture) may linger idle; they are not ours.
        int pool = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("ForkJoinPool.commonPool")) {
                pool++;
            }
        }
        final int n = now;
        final int p = pool;
        assertTrue(n - p <= before, () -> "thread leak: " + before + " threads before, " + n + " after (" + p + " pool workers)");
    }

    /** Open socket file descriptors of this JVM (Linux /proc), or -1 where that is not available. */
    static int openSockets() {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return -1;
        }
        int n = 0;
        try (Stream<Path> s = Files.list(fds)) {
            for (Path fd : (Iterable<Path>) s::iterator) {
                try {
                    if (Files.readSymbolicLink(fd).toString().startsWith("socket:")) {
                        n++;
                    }
                } catch (IOException e) {
                    // the descriptor closed while we looked
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return n;
    }

    static void assertNoSocketLeak(int before) throws InterruptedException {
        if (before < 0) {
            return;
        }
        long deadline = System.currentTimeMillis() + 5000;
        int now = openSockets();
        while (now > before && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            now = openSockets();
        }
        final int n = now;
        assertTrue(n <= before, () -> "socket leak: " + before + " open sockets before, " + n + " after");
    }
}
