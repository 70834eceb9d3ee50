package org.proxyinfo.role;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 10 ("one accept loop for the three servers"): the shared {@link AcceptLoop} of
 * {@link ProxyServer}, the {@code server} command's HTTPS server and the demo's origin server.
 */
@Timeout(60)
class AcceptLoopTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void overTheLimitAClientIsRefusedAtOnceAndLogged() throws Exception {
        ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch first = new CountDownLatch(1);
        try (AcceptLoop loop = new AcceptLoop("t-refuse", LOOPBACK, 0, 1, AcceptLoop.WhenFull.REFUSE, log, s -> {
            first.countDown();
            await(release);
        }).start(); Socket a = new Socket(LOOPBACK, loop.port())) {
            assertTrue(first.await(10, TimeUnit.SECONDS), "the first client was not handled");
            try (Socket b = new Socket(LOOPBACK, loop.port())) {
                b.setSoTimeout(10_000);
                assertEquals(-1, b.getInputStream().read(), "the client over the limit was not closed at once");
            }
            assertEquals(1, loop.refusedOverLimit());
            assertEquals(1, loop.active());
            assertTrue(logBytes.toString(StandardCharsets.UTF_8).contains("refused: already 1 connections (raise --max-connections)"),
                    logBytes.toString(StandardCharsets.UTF_8));
            release.countDown();
            waitUntilIdle(loop);
        }
    }

    @Test
    void withWaitAClientOverTheLimitIsServedWhenASlotFrees() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger served = new AtomicInteger();
        CountDownLatch second = new CountDownLatch(2);
        try (AcceptLoop loop = new AcceptLoop("t-wait", LOOPBACK, 0, 1, AcceptLoop.WhenFull.WAIT, null, s -> {
            if (served.incrementAndGet() == 1) {
                await(release);
            }
            second.countDown();
        }).start(); Socket a = new Socket(LOOPBACK, loop.port()); Socket b = new Socket(LOOPBACK, loop.port())) {
            Thread.sleep(300);
            assertEquals(1, served.get(), "the second client was served while the only slot was taken");
            assertEquals(0, loop.refusedOverLimit());
            release.countDown();
            assertTrue(second.await(10, TimeUnit.SECONDS), "the waiting client was never served");
            assertEquals(2, served.get());
        }
    }

    @Test
    void aHandlerThatThrowsIsLoggedItsSocketClosedAndItsSlotFreed() throws Exception {
        ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
        try (AcceptLoop loop = new AcceptLoop("t-throw", LOOPBACK, 0, 1, AcceptLoop.WhenFull.REFUSE, log, s -> {
            throw new IllegalStateException("boom");
        }).start()) {
            for (int i = 0; i < 3; i++) { // the slot comes back each time: no client is refused
                try (Socket c = new Socket(LOOPBACK, loop.port())) {
                    c.setSoTimeout(10_000);
                    assertEquals(-1, c.getInputStream().read(), "the socket of a failed handler stayed open");
                }
                waitUntilIdle(loop);
            }
            assertEquals(0, loop.refusedOverLimit());
            String text = logBytes.toString(StandardCharsets.UTF_8);
            assertTrue(text.contains("t-throw: ") && text.contains("internal error: java.lang.IllegalStateException: boom"), text);
        }
    }

    @Test
    void closeEndsEveryConnectionAndLeavesNoThreadOrSocket() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(2);
        AcceptLoop loop = new AcceptLoop("t-close", LOOPBACK, 0, 4, AcceptLoop.WhenFull.REFUSE, null, s -> {
            inHandler.countDown();
            try {
                s.getInputStream().read(); // a peer that never sends: only close() ends this
            } catch (IOException e) {
                // the loop closed the socket
            }
        }).start();
        int port = loop.port();
        try (Socket a = new Socket(LOOPBACK, port); Socket b = new Socket(LOOPBACK, port)) {
            assertTrue(inHandler.await(10, TimeUnit.SECONDS));
            assertEquals(2, loop.active());
            long t0 = System.nanoTime();
            loop.close();
            assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0) < AcceptLoop.CLOSE_GRACE_SECONDS + 10,
                    "close() took longer than its grace period and the wait for the threads");
            assertEquals(0, loop.active());
            a.setSoTimeout(10_000);
            assertEquals(-1, a.getInputStream().read(), "the client's connection was not closed by close()");
        }
        assertFalse(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.isAlive() && t.getName().startsWith("t-close-")),
                "a thread of the closed loop is still alive");
        assertThrowsConnect(port);
    }

    private static void assertThrowsConnect(int port) {
        try (Socket s = new Socket(LOOPBACK, port)) {
            throw new AssertionError("the closed loop still accepts connections on port " + port);
        } catch (IOException expected) {
            // refused: the listener is closed
        }
    }

    private static void waitUntilIdle(AcceptLoop loop) throws InterruptedException {
        for (int i = 0; i < 200 && loop.active() > 0; i++) {
            Thread.sleep(25);
        }
        assertEquals(0, loop.active(), "a connection is still counted as active");
    }

    private static void await(CountDownLatch l) {
        try {
            l.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
