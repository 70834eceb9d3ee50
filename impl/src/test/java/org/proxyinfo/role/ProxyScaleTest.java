package org.proxyinfo.role;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The proxy at scale (issue #14, HOSTILE.md §3): many relayed sessions open at the same time with
 * bounded heap, and slowloris clients that drip one byte per second while honest clients still
 * complete their handshakes in about the time they take without them.
 *
 * <p>Sizes: {@code -Dscale.sessions} (50 in the normal build, 1,000 with {@code -Pscale}),
 * {@code -Dscale.drippers} (20; 200 with {@code -Pscale}), {@code -Dscale.handshakes} honest
 * handshakes measured unloaded and loaded (10; 100 with {@code -Pscale}).
 */
class ProxyScaleTest {
    static final int SESSIONS = Integer.getInteger("scale.sessions", 50);
    static final int DRIPPERS = Integer.getInteger("scale.drippers", 20);
    static final int HANDSHAKES = Integer.getInteger("scale.handshakes", 10);
    /** Heap the whole test (clients, proxy, origin in this JVM) may add per open session, plus a base. */
    static final long HEAP_PER_SESSION = 256 * 1024;
    static final long HEAP_BASE = 96L << 20;

    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    @DisplayName("DEC-18 scale: SESSIONS relayed sessions open at once through one proxy, heap bounded, data intact, nothing left over")
    void manySessions() throws Exception {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        System.gc();
        long heapBefore = mem.getHeapMemoryUsage().getUsed();
        int threadsBefore = Leaks.threads();
        int socketsBefore = Leaks.openSockets();
        AtomicLong peak = new AtomicLong();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        try (ProxyFixture.EchoOrigin origin = new ProxyFixture.EchoOrigin(0);
             ProxyServer proxy = ProxyFixture.proxy(origin.port(), SESSIONS + 16, 30_000, 60_000, 16 * 1024,
                     new PrintStream(OutputStream.nullOutputStream()))) {
            ExecutorService ex = Executors.newFixedThreadPool(SESSIONS, r -> {
                Thread t = new Thread(null, r, "scale-client", 256 * 1024);
                t.setDaemon(true);
                return t;
            });
            CountDownLatch allOpen = new CountDownLatch(SESSIONS);
            // clients arrive as a ramp: at most 32 handshakes at a time (2 CPUs cannot run 1,000 at once
            // within a handshake deadline); the established sessions all stay open
            java.util.concurrent.Semaphore handshaking = new java.util.concurrent.Semaphore(32);
            CountDownLatch release = new CountDownLatch(1);
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                int id = i;
                fs.add(ex.submit(() -> {
                    TlsConnection c = null;
                    try {
                        handshaking.acquireUninterruptibly();
                        try {
                            c = new TlsClient(ProxyFixture.client(true, 60_000))
                                    .connect(SocketTransport.connect("127.0.0.1", proxy.port(), 30_000), ProxyFixture.HOST);
                        } finally {
                            handshaking.release();
                        }
                        if (!c.isEstablished()) {
                            failures.add("session " + id + ": " + c.failureSummary());
                            return;
                        }
                        byte[] data = new byte[1024];
                        Arrays.fill(data, (byte) id);
                        c.write(data);
                        byte[] back = new byte[data.length];
                        int got = 0;
                        while (got < back.length) {
                            int n = c.read(back, got, back.length - got);
                            if (n < 0) {
                                failures.add("session " + id + ": ended early: " + c.failureSummary());
                                return;
                            }
                            got += n;
                        }
                        if (!Arrays.equals(data, back)) {
                            failures.add("session " + id + ": echo differs");
                        }
                    } catch (IOException e) {
                        failures.add("session " + id + ": " + e);
                    } finally {
                        allOpen.countDown();
                        try {
                            release.await(300, TimeUnit.SECONDS); // hold the session open until all are
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        if (c != null) {
                            c.close();
                        }
                    }
                }));
            }
            assertTrue(allOpen.await(400, TimeUnit.SECONDS), "sessions did not all open");
            System.gc();
            long openHeap = mem.getHeapMemoryUsage().getUsed();
            peak.accumulateAndGet(openHeap, Math::max);
            int active = proxy.active();
            release.countDown();
            for (Future<?> f : fs) {
                f.get(120, TimeUnit.SECONDS);
            }
            ex.shutdown();
            assertTrue(ex.awaitTermination(30, TimeUnit.SECONDS));
            assertEquals(List.of(), failures);
            assertEquals(SESSIONS, active, "sessions open at the proxy at once");
            long bound = HEAP_BASE + SESSIONS * HEAP_PER_SESSION;
            System.out.printf("ProxyScaleTest: %d sessions open at once; live heap with all open %d MB (before %d MB, bound %d MB)%n",
                    SESSIONS, openHeap >> 20, heapBefore >> 20, bound >> 20);
            assertTrue(openHeap - heapBefore < bound, "live heap grew by " + ((openHeap - heapBefore) >> 20)
                    + " MB for " + SESSIONS + " sessions (bound " + (bound >> 20) + " MB)");
            for (int i = 0; i < 100 && proxy.active() > 0; i++) {
                Thread.sleep(100);
            }
            assertEquals(0, proxy.active(), "connections left at the proxy");
        }
        Leaks.assertNoThreadLeak(threadsBefore);
        Leaks.assertNoSocketLeak(socketsBefore);
    }

    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    @DisplayName("slowloris: DRIPPERS clients dripping one byte per second; honest handshakes served (p99 <= 3x unloaded with -Pscale); drippers cut at the deadline")
    void drippersDoNotStarveHonestClients() throws Exception {
        // the proxy's whole-handshake deadline: long enough that the drippers are still there while the
        // loaded handshakes are measured, short enough that the test then sees them cut off
        int deadline = Math.max(4_000, 2_000 + HANDSHAKES * 300);
        int threadsBefore = Leaks.threads();
        ProxyFixture.Log log = new ProxyFixture.Log();
        try (ProxyFixture.EchoOrigin origin = new ProxyFixture.EchoOrigin(0);
             ProxyServer proxy = ProxyFixture.proxy(origin.port(), DRIPPERS + 16, deadline, 10_000, 16 * 1024, log.stream)) {
            handshakes(proxy, 3); // warm-up
            long[] unloaded = handshakes(proxy, HANDSHAKES);
            List<Socket> drippers = new ArrayList<>();
            for (int i = 0; i < DRIPPERS; i++) {
                drippers.add(new Socket(InetAddress.getLoopbackAddress(), proxy.port()));
            }
            long dripStart = System.nanoTime();
            Thread dripper = new Thread(() -> {
                byte[] header = {22, 3, 1, 2, 0}; // a handshake record of 512 bytes, then its bytes, one a second
                for (int k = 0; !Thread.currentThread().isInterrupted(); k++) {
                    for (Socket s : drippers) {
                        try {
                            s.getOutputStream().write(k < header.length ? header[k] : 1);
                        } catch (IOException e) {
                            // cut off by the proxy: expected at the deadline
                        }
                    }
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "drippers");
            dripper.setDaemon(true);
            dripper.start();
            Thread.sleep(1500);
            int heldByDrippers = proxy.active();
            long[] loaded = handshakes(proxy, HANDSHAKES);
            long p99Unloaded = p99(unloaded);
            long p99Loaded = p99(loaded);
            System.out.printf("ProxyScaleTest: %d drippers held %d proxy slots; honest handshake p99 %d ms unloaded, %d ms loaded%n",
                    DRIPPERS, heldByDrippers, p99Unloaded, p99Loaded);
            assertTrue(heldByDrippers >= DRIPPERS, "the drippers were connected (" + heldByDrippers + " slots)");
            if (HANDSHAKES >= 100) {
                // -Pscale: enough samples for a p99 that one GC pause does not decide
                assertTrue(p99Loaded <= 3 * p99Unloaded, "honest p99 " + p99Loaded + " ms under load > 3 x " + p99Unloaded + " ms");
            } else {
                // the default build (10 samples on a shared 2-core machine, where p99 is the slowest one): not starved means
                // served long before the deadline cuts the drippers off and frees their slots
                assertTrue(p99Loaded < deadline / 2, "honest handshakes waited " + p99Loaded + " ms: starved until the drippers"
                        + " were cut at the " + deadline + " ms deadline");
            }
            // the whole-handshake deadline frees every dripper's slot
            long waitUntil = dripStart + (deadline + 5_000) * 1_000_000L;
            while (proxy.active() > 0 && System.nanoTime() < waitUntil) {
                Thread.sleep(100);
            }
            long freedAfter = (System.nanoTime() - dripStart) / 1_000_000;
            assertEquals(0, proxy.active(), "drippers still hold slots " + freedAfter + " ms after they started");
            assertTrue(log.text().contains("timed out"), log.text());
            dripper.interrupt();
            dripper.join(5000);
            for (Socket s : drippers) {
                s.close();
            }
        }
        Leaks.assertNoThreadLeak(threadsBefore);
    }

    /** {@code n} sequential honest handshakes through the proxy (with the proxy_info check); their times in ms. */
    static long[] handshakes(ProxyServer proxy, int n) throws IOException {
        long[] ms = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            TlsConnection c = new TlsClient(ProxyFixture.client(true, 20_000))
                    .connect(SocketTransport.connect("127.0.0.1", proxy.port(), 20_000), ProxyFixture.HOST);
            ms[i] = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(c.isEstablished(), c.failureSummary());
            c.close();
        }
        return ms;
    }

    static long p99(long[] ms) {
        long[] s = ms.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.ceil(0.99 * s.length) - 1)];
    }
}
