package org.proxyinfo.role;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Thread-leak check for tests that start peers: the count must come back to where it was. */
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
}
