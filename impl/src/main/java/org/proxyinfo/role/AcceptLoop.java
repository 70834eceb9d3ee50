package org.proxyinfo.role;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one accept loop of the three servers (issue 10): the proxy's {@link ProxyServer}, the
 * {@code server} command's HTTPS server and the demo's origin server. It listens, runs a handler
 * per connection on its own daemon thread, at most {@code maxConnections} at a time, and closes
 * each socket when its handler returns (or throws: logged, never a stack trace on the console).
 * When all slots are taken a new client is either refused at once ({@link WhenFull#REFUSE}, the
 * proxy: it never runs out of threads or sockets) or waits in the listen backlog for a slot
 * ({@link WhenFull#WAIT}). {@link #close()} stops accepting, lets running connections finish for a
 * grace period, then closes their sockets and waits for their threads: nothing is left behind.
 */
public final class AcceptLoop implements AutoCloseable {

    /** What a client gets when {@code maxConnections} connections are running. */
    public enum WhenFull { REFUSE, WAIT }

    /** Serves one accepted connection; the loop closes the socket afterwards. */
    @FunctionalInterface
    public interface Handler {
        void handle(Socket socket);
    }

    /** How long {@link #close()} lets running connections finish before it closes their sockets. */
    public static final int CLOSE_GRACE_SECONDS = 3;

    private final String name;
    private final ServerSocket listener;
    private final int maxConnections;
    private final WhenFull whenFull;
    private final PrintStream log;
    private final Handler handler;
    private final Semaphore slots;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final ExecutorService workers;
    private final Thread acceptor;
    private final AtomicInteger refusedOverLimit = new AtomicInteger();
    private volatile boolean stopping;

    /**
     * @param name what the log lines and thread names start with (the role, e.g. "proxy")
     * @param port 0 for an ephemeral port
     */
    public AcceptLoop(String name, InetAddress bind, int port, int maxConnections, WhenFull whenFull, PrintStream log,
            Handler handler) throws IOException {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, not " + maxConnections);
        }
        this.name = name;
        this.listener = new ServerSocket(port, Math.max(64, maxConnections), bind); // a burst of clients is queued, not dropped
        this.maxConnections = maxConnections;
        this.whenFull = whenFull;
        this.log = log;
        this.handler = handler;
        this.slots = new Semaphore(maxConnections);
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, name + "-conn");
            t.setDaemon(true);
            return t;
        });
        this.acceptor = new Thread(this::acceptLoop, name + "-accept");
        this.acceptor.setDaemon(true);
    }

    public AcceptLoop start() {
        acceptor.start();
        return this;
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Connections being handled right now. */
    public int active() {
        return open.size();
    }

    /** Clients closed at once because every slot was taken ({@link WhenFull#REFUSE}). */
    public int refusedOverLimit() {
        return refusedOverLimit.get();
    }

    private void acceptLoop() {
        while (!stopping) {
            if (whenFull == WhenFull.WAIT && !slots.tryAcquire()) {
                // said once each time the loop finds every slot taken, so that the operator sees why clients wait
                say("all " + maxConnections + " connections are busy: new clients wait until one ends");
                try {
                    slots.acquire(); // the next client waits in the listen backlog until a connection ends
                } catch (InterruptedException e) {
                    return; // close()
                }
            }
            Socket s;
            try {
                s = listener.accept();
            } catch (IOException e) {
                if (whenFull == WhenFull.WAIT) {
                    slots.release();
                }
                if (!stopping) {
                    say("cannot accept connections any more: " + e.getMessage() + "; restart the " + name);
                }
                return;
            }
            if (whenFull == WhenFull.REFUSE && !slots.tryAcquire()) {
                refusedOverLimit.incrementAndGet();
                say(s.getRemoteSocketAddress() + " refused: already " + maxConnections + " connections (raise --max-connections)");
                closeQuietly(s);
                continue;
            }
            open.add(s);
            try {
                workers.execute(() -> run(s));
            } catch (RejectedExecutionException e) { // closing
                open.remove(s);
                slots.release();
                closeQuietly(s);
            }
        }
    }

    private void run(Socket s) {
        try {
            handler.handle(s);
        } catch (RuntimeException e) {
            say(s.getRemoteSocketAddress() + ": internal error: " + e + " (the connection was closed; please report it)");
        } finally { // the slot is free before the peer sees the close
            open.remove(s);
            slots.release();
            closeQuietly(s);
        }
    }

    private void say(String line) {
        if (log != null) {
            log.println(name + ": " + LogText.escape(line)); // a peer's address or error text, never raw
        }
    }

    /** Closes a socket or listener, ignoring a failure to close (the role's sockets all close this way). */
    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        stopping = true;
        closeQuietly(listener);
        acceptor.interrupt(); // a WAIT loop may be waiting for a slot
        workers.shutdown();
        try {
            // connections in progress get a moment to end on their own (their peers' last alerts are read)
            if (!workers.awaitTermination(CLOSE_GRACE_SECONDS, TimeUnit.SECONDS)) {
                for (Socket s : open) {
                    closeQuietly(s);
                }
                if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                    workers.shutdownNow();
                }
            }
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
