package org.proxyinfo.role;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
 * The proxy under load (issue #7): many concurrent clients with application data through one
 * proxy (DEC-14..18) on loopback, together with what real networks do: clients that go silent
 * mid-handshake, clients that vanish (reset) mid-handshake, clients that read slowly, and an
 * origin server that never answers. Afterwards no thread and no socket of this JVM is left over,
 * the heap is back near where it was, and the proxy's log says which connections timed out.
 *
 * Size: {@code -Dload.clients} (default 50 in the normal build, 200 with {@code -Pload}).
 *
 * <p>DEC-22: one client in five of that number (at least 5) also resumes: a full session through the proxy, then a
 * second connection offering its session; the test requires that it was resumed (the client's resumed flag, through
 * the proxy's 01-R1/01-R2 coupling: the origin resumed as many session #2s), that the data still echoes, and the same
 * no-leak checks afterwards.
 */
class ProxyLoadTest {
    static final int CLIENTS = Integer.getInteger("load.clients", 50);
    static final int PAYLOAD = Integer.getInteger("load.bytes", 32 * 1024);
    static final int HANDSHAKE_TIMEOUT = 5_000;
    static final int IDLE_TIMEOUT = 5_000;

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    @DisplayName("DEC-18 load: concurrent clients with data through one proxy, silent/vanishing/slow clients, a silent origin; no leaks")
    void load() throws Exception {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        System.gc();
        long heapBefore = mem.getHeapMemoryUsage().getUsed();
        int threadsBefore = Leaks.threads();
        int socketsBefore = Leaks.openSockets();
        int silent = Math.max(5, CLIENTS / 10);
        int vanishing = Math.max(5, CLIENTS / 10);
        int slowReaders = Math.max(2, CLIENTS / 25);
        int blackHoleClients = Math.max(2, CLIENTS / 50);
        int resumers = Math.max(5, CLIENTS / 5); // DEC-22
        int maxConnections = CLIENTS + silent + vanishing + slowReaders + resumers + 16;

        ProxyFixture.Log log = new ProxyFixture.Log();
        ProxyFixture.Log blackLog = new ProxyFixture.Log();
        AtomicLong peakHeap = new AtomicLong();
        long start = System.nanoTime();
        List<String> failures = new ArrayList<>();
        int ok = 0;
        int resumedClients = -1;
        int originResumed = -1;
        try (ProxyFixture.EchoOrigin origin = new ProxyFixture.EchoOrigin(0);
             ProxyFixture.BlackHole hole = new ProxyFixture.BlackHole();
             ProxyServer proxy = ProxyFixture.proxy(origin.port(), maxConnections, HANDSHAKE_TIMEOUT, IDLE_TIMEOUT, 16 * 1024, log.stream);
             ProxyServer toHole = ProxyFixture.proxy(hole.port(), 16, HANDSHAKE_TIMEOUT, IDLE_TIMEOUT, 16 * 1024, blackLog.stream)) {
            ExecutorService ex = Executors.newFixedThreadPool(CLIENTS + silent + vanishing + slowReaders + blackHoleClients
                    + resumers + 1);
            CountDownLatch go = new CountDownLatch(1);
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peakHeap.accumulateAndGet(mem.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-sampler");
            sampler.start();
            List<Future<String>> good = new ArrayList<>();
            List<Future<String>> bad = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                int id = i;
                good.add(ex.submit(() -> { go.await(); return client(proxy.port(), id, 0); }));
            }
            for (int i = 0; i < slowReaders; i++) {
                int id = 10_000 + i;
                good.add(ex.submit(() -> { go.await(); return client(proxy.port(), id, 20); }));
            }
            List<Future<String>> resuming = new ArrayList<>();
            for (int i = 0; i < resumers; i++) {
                int id = 20_000 + i;
                resuming.add(ex.submit(() -> { go.await(); return resumingClient(proxy.port(), id); }));
            }
            for (int i = 0; i < silent; i++) {
                bad.add(ex.submit(() -> { go.await(); return silentClient(proxy.port()); }));
            }
            for (int i = 0; i < vanishing; i++) {
                int id = i;
                bad.add(ex.submit(() -> { go.await(); return vanishingClient(proxy.port(), id % 2 == 0); }));
            }
            for (int i = 0; i < blackHoleClients; i++) {
                bad.add(ex.submit(() -> { go.await(); return blackHoleClient(toHole.port()); }));
            }
            go.countDown();
            for (Future<String> f : good) {
                String r = f.get(240, TimeUnit.SECONDS);
                if (r.equals("ok")) {
                    ok++;
                } else {
                    failures.add(r);
                }
            }
            int resumedOk = 0;
            for (Future<String> f : resuming) {
                String r = f.get(240, TimeUnit.SECONDS);
                if (r.equals("ok resumed")) {
                    resumedOk++;
                } else {
                    failures.add(r);
                }
            }
            resumedClients = resumedOk;
            originResumed = origin.resumed.get();
            for (Future<String> f : bad) {
                String r = f.get(240, TimeUnit.SECONDS);
                if (!r.startsWith("ok")) {
                    failures.add(r);
                }
            }
            ex.shutdown();
            assertTrue(ex.awaitTermination(30, TimeUnit.SECONDS));
            long deadline = System.currentTimeMillis() + HANDSHAKE_TIMEOUT + IDLE_TIMEOUT + 5_000;
            while ((proxy.active() > 0 || toHole.active() > 0) && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            sampler.interrupt();
            sampler.join();
            assertEquals(0, proxy.active(), "connections still open in the proxy after all clients ended");
            assertEquals(0, toHole.active(), "connections still open in the black-hole proxy");
            assertEquals(0, proxy.refusedOverLimit(), "no connection refused under the configured limit");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String proxyLog = log.text();
        String holeLog = blackLog.text();
        System.out.printf("load: %d clients x %d bytes through one proxy ok in %.1f s (%d slow readers, %d silent, %d vanishing,"
                        + " %d to a silent origin); peak heap %d MB%n", ok, PAYLOAD, seconds, slowReaders, silent, vanishing,
                blackHoleClients, peakHeap.get() >> 20);
        assertTrue(failures.isEmpty(), "failures: " + failures + "\nproxy log (failed connections):\n"
                + String.join("\n", proxyLog.lines().filter(l -> l.contains("failed")).limit(20).toList()));
        assertEquals(CLIENTS + slowReaders, ok);
        // DEC-22: every resuming client's second session was resumed, and (01-R2) over as many resumed session #2s
        assertEquals(resumers, resumedClients, "resuming clients whose second session was resumed");
        assertEquals(resumers, originResumed, "session #2s the origin resumed (01-R1/01-R2: one per resumed session #1)");
        // Timeouts are reported clearly: one log line per silent client, and for the silent origin.
        assertTrue(countLines(proxyLog, "timed out") >= silent,
                "the proxy's log names each handshake timeout; got:\n" + proxyLog.lines().filter(l -> !l.contains("relayed")).limit(20).toList());
        assertTrue(countLines(holeLog, "timed out") >= blackHoleClients, "the silent origin's timeouts are logged:\n" + holeLog);
        // No leaks; bounded memory.
        Leaks.assertNoThreadLeak(threadsBefore);
        Leaks.assertNoSocketLeak(socketsBefore);
        System.gc();
        long heapAfter = mem.getHeapMemoryUsage().getUsed();
        assertTrue(heapAfter - heapBefore < 64L << 20, "heap grew by " + ((heapAfter - heapBefore) >> 20) + " MB after the run");
        assertTrue(peakHeap.get() < Runtime.getRuntime().maxMemory() * 3 / 4, "peak heap " + (peakHeap.get() >> 20) + " MB");
    }

    static long countLines(String text, String needle) {
        return text.lines().filter(l -> l.contains(needle)).count();
    }

    /** A well-behaved client: handshake through the proxy, PAYLOAD bytes echoed back, close. */
    static String client(int port, int id, int readDelayMillis) {
        try {
            SocketTransport t = SocketTransport.connect("127.0.0.1", port, 30_000);
            TlsConnection c = new TlsClient(ProxyFixture.client(true, 60_000)).connect(t, ProxyFixture.HOST);
            if (!c.isEstablished()) {
                return "client " + id + ": handshake failed: " + c.failureSummary();
            }
            byte[] data = new byte[PAYLOAD];
            new Random(id).nextBytes(data);
            Thread writer = new Thread(() -> {
                try {
                    c.write(data);
                } catch (IOException e) {
                    // reported by the reader
                }
            }, "load-writer-" + id);
            writer.start();
            byte[] back = new byte[PAYLOAD];
            int got = 0;
            while (got < PAYLOAD) {
                int n = c.read(back, got, Math.min(readDelayMillis > 0 ? 1024 : PAYLOAD, PAYLOAD - got));
                if (n < 0) {
                    return "client " + id + ": connection ended after " + got + " bytes: " + c.failureSummary();
                }
                got += n;
                if (readDelayMillis > 0) {
                    Thread.sleep(readDelayMillis);
                }
            }
            writer.join(10_000);
            c.close();
            assertArrayEquals(data, back, "client " + id + ": echoed data differs");
            return "ok";
        } catch (Exception | AssertionError e) {
            return "client " + id + ": " + e;
        }
    }

    /**
     * DEC-22: a full session through the proxy, then a second connection with the same session cache: it must be
     * resumed (the client's resumed flag), proxied, and echo data as before. "ok resumed" when it was.
     */
    static String resumingClient(int port, int id) {
        org.proxyinfo.role.SessionCache cache = new org.proxyinfo.role.SessionCache();
        for (int round = 0; round < 2; round++) {
            try {
                SocketTransport t = SocketTransport.connect("127.0.0.1", port, 30_000);
                TlsConnection c = new TlsClient(ProxyFixture.client(true, 60_000).sessionCache(cache)).connect(t, ProxyFixture.HOST);
                if (!c.isEstablished()) {
                    return "resuming client " + id + " round " + round + ": handshake failed: " + c.failureSummary();
                }
                if (c.resumed() != (round == 1) || !c.proxied()) {
                    c.close();
                    return "resuming client " + id + " round " + round + ": resumed=" + c.resumed() + ", proxied=" + c.proxied();
                }
                byte[] data = new byte[1024];
                new Random(id * 2L + round).nextBytes(data);
                c.write(data);
                byte[] back = new byte[data.length];
                int got = 0;
                while (got < back.length) {
                    int n = c.read(back, got, back.length - got);
                    if (n < 0) {
                        return "resuming client " + id + " round " + round + ": ended after " + got + " bytes";
                    }
                    got += n;
                }
                c.close();
                assertArrayEquals(data, back, "resuming client " + id + ": echoed data differs");
            } catch (Exception | AssertionError e) {
                return "resuming client " + id + " round " + round + ": " + e;
            }
        }
        return "ok resumed";
    }

    /** Sends the first 10 bytes of a ClientHello and then nothing: the proxy must time out and close. */
    static String silentClient(int port) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(HANDSHAKE_TIMEOUT * 5);
            byte[] ch = BadInputTest.record(22, 0x0301, BadInputTest.handshake(1, BadInputTest.goodClientHello()));
            s.getOutputStream().write(ch, 0, 10);
            s.getOutputStream().flush();
            long t0 = System.nanoTime();
            InputStream in = s.getInputStream();
            while (in.read() >= 0) {
                // the proxy's alert, then its close
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            return ms < HANDSHAKE_TIMEOUT * 3L ? "ok silent closed after " + ms + " ms" : "silent client held for " + ms + " ms";
        } catch (IOException e) {
            return "silent client: " + e;
        }
    }

    /** Vanishes mid-handshake: half a ClientHello then a reset, or a full ClientHello then a close. */
    static String vanishingClient(int port, boolean reset) {
        try {
            Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
            byte[] ch = BadInputTest.record(22, 0x0301, BadInputTest.handshake(1, BadInputTest.goodClientHello()));
            OutputStream out = s.getOutputStream();
            if (reset) {
                out.write(ch, 0, ch.length / 2);
                out.flush();
                s.setSoLinger(true, 0); // RST on close
            } else {
                out.write(ch);
                out.flush();
                s.setSoTimeout(HANDSHAKE_TIMEOUT * 5);
                s.getInputStream().read(new byte[64]); // the proxy started answering (after session #2)
            }
            s.close();
            return "ok vanished";
        } catch (IOException e) {
            return "vanishing client: " + e;
        }
    }

    /** A real client through a proxy whose origin never answers: a clear refusal within bounded time. */
    static String blackHoleClient(int port) {
        try {
            long t0 = System.nanoTime();
            SocketTransport t = SocketTransport.connect("127.0.0.1", port, 30_000);
            TlsConnection c = new TlsClient(ProxyFixture.client(true, HANDSHAKE_TIMEOUT * 5)).connect(t, ProxyFixture.HOST);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertFalse(c.isEstablished(), "established through a proxy whose origin is silent");
            assertTrue(c.isClosed());
            return ms < HANDSHAKE_TIMEOUT * 4L ? "ok refused after " + ms + " ms: " + c.failureSummary()
                    : "black-hole client waited " + ms + " ms: " + c.failureSummary();
        } catch (Exception | AssertionError e) {
            return "black-hole client: " + e;
        }
    }
}
