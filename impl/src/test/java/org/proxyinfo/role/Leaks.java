package org.proxyinfo.role;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Leak checks for tests that start peers (here and in the CLI tests): threads and open sockets must come back to where they were. */
public final class Leaks {
    private Leaks() { }

    /**
     * The live threads of the current thread's group that are not the test engine's: {@link Thread#activeCount()}
     * without JUnit's own pool workers (the build runs tests on them, impl/pom.xml: parallel execution for the
     * learning tests), which the pool starts and retires on its own schedule.
     */
    public static int threads() {
        return ours().size();
    }

    private static java.util.List<Thread> ours() {
        Thread[] all = new Thread[Thread.activeCount() + 64];
        int n = Thread.currentThread().getThreadGroup().enumerate(all, true);
        java.util.List<Thread> ours = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!all[i].getClass().getName().startsWith("org.junit.")) {
                ours.add(all[i]);
            }
        }
        return ours;
    }

    public static void assertNoThreadLeak(int before) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        int now = threads();
        while (now > before && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            now = threads();
        }
        // ForkJoin common-pool workers (CompletableFuture) may linger idle; they are not ours.
        int pool = 0;
        for (Thread t : ours()) {
            if (t.getName().startsWith("ForkJoinPool.commonPool")) {
                pool++;
            }
        }
        final int n = now;
        final int p = pool;
        assertTrue(n - p <= before, () -> "thread leak: " + before + " threads before, " + n + " after (" + p + " pool workers): "
                + ours().stream().map(Thread::getName).sorted().toList());
    }

    /**
     * Open TCP socket file descriptors of this JVM (Linux /proc: fds whose inode is in
     * /proc/net/tcp or tcp6), or -1 where that is not available. Unix-domain sockets the JDK
     * opens for itself are not counted.
     */
    public static int openSockets() {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return -1;
        }
        java.util.Set<String> tcpInodes = new java.util.HashSet<>();
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 9) {
                        tcpInodes.add(f[9]);
                    }
                }
            } catch (IOException e) {
                return -1;
            }
        }
        int n = 0;
        try (Stream<Path> s = Files.list(fds)) {
            for (Path fd : (Iterable<Path>) s::iterator) {
                try {
                    String t = Files.readSymbolicLink(fd).toString();
                    if (t.startsWith("socket:[") && tcpInodes.contains(t.substring(8, t.length() - 1))) {
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

    /** The open socket fds with their /proc/net/tcp{,6} lines (local, remote, state), for a leak message. */
    static String describeSockets() {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) s::iterator) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    continue;
                }
                if (!target.startsWith("socket:[")) {
                    continue;
                }
                String inode = target.substring(8, target.length() - 1);
                b.append("\n  fd ").append(fd.getFileName()).append(' ').append(target);
                for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6", "/proc/net/unix"}) {
                    try {
                        for (String line : Files.readAllLines(Path.of(table))) {
                            if (line.matches(".*\\s" + inode + "(\\s.*)?")) {
                                b.append(" ").append(table).append(": ").append(line.trim());
                            }
                        }
                    } catch (IOException e) {
                        // table not readable
                    }
                }
            }
        } catch (IOException e) {
            b.append(" (cannot list /proc/self/fd)");
        }
        return b.toString();
    }

    public static void assertNoSocketLeak(int before) throws InterruptedException {
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
        assertTrue(n <= before, () -> "socket leak: " + before + " open sockets before, " + n + " after: " + describeSockets());
    }
}
