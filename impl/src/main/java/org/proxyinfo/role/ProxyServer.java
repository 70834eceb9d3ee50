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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Listens for clients and runs {@link TlsProxy#handle} for each, at most
 * {@code maxConnections} at a time: a client beyond the limit is closed at once (and logged), so
 * the proxy never runs out of threads or sockets. {@link #close()} stops accepting, closes every
 * open socket and waits for the connection threads.
 */
public final class ProxyServer implements AutoCloseable {
    private final TlsProxy proxy;
    private final ServerSocket listener;
    private final PrintStream log;
    private final Semaphore slots;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final ExecutorService workers;
    private final Thread acceptor;
    private final AtomicInteger handled = new AtomicInteger();
    private final AtomicInteger refusedOverLimit = new AtomicInteger();
    private volatile boolean stopping;
    private volatile Consumer<TlsProxy.Outcome> onOutcome = o -> { };
    private volatile Runnable afterConnection = () -> { };

    /** How long {@link #close()} lets running connections finish before it closes their sockets. */
    static final int CLOSE_GRACE_SECONDS = 3;

    public ProxyServer(TlsProxy proxy, InetAddress bind, int port, PrintStream log) throws IOException {
        this.proxy = proxy;
        this.listener = new ServerSocket(port, Math.max(64, proxy.config().maxConnections()), bind); // a burst of clients is queued, not dropped
        this.log = log;
        this.slots = new Semaphore(proxy.config().maxConnections());
        String name = proxy.config().roleName();
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, name + "-conn");
            t.setDaemon(true);
            return t;
        });
        this.acceptor = new Thread(this::acceptLoop, name + "-accept");
        this.acceptor.setDaemon(true);
    }

    public int port() { return listener.getLocalPort(); }

    public ProxyServer start() {
        acceptor.start();
        return this;
    }

    /** Called with each finished connection's outcome (tests, demo). */
    /** Runs on the connection's own thread when it is over, whatever happened (e.g. to write its trace). */
    public ProxyServer afterConnection(Runnable r) {
        this.afterConnection = r;
        return this;
    }

    public ProxyServer onOutcome(Consumer<TlsProxy.Outcome> c) {
        this.onOutcome = c;
        return this;
    }

    public int handled() { return handled.get(); }

    public int refusedOverLimit() { return refusedOverLimit.get(); }

    /** Connections being handled right now. */
    public int active() { return proxy.config().maxConnections() - slots.availablePermits(); }

    private void acceptLoop() {
        while (!stopping) {
            Socket s;
            try {
                s = listener.accept();
            } catch (IOException e) {
                if (!stopping) {
                    log.println(proxy.config().roleName() + ": cannot accept connections any more: " + e.getMessage());
                }
                return;
            }
            if (!slots.tryAcquire()) {
                refusedOverLimit.incrementAndGet();
                log.println(proxy.config().roleName() + ": " + s.getRemoteSocketAddress() + " refused: already "
                        + proxy.config().maxConnections() + " connections (raise --max-connections)");
                try {
                    s.close();
                } catch (IOException e) {
                    // closing anyway
                }
                continue;
            }
            open.add(s);
            try {
                workers.execute(() -> run(s));
            } catch (RuntimeException e) {
                open.remove(s);
                slots.release();
                try {
                    s.close();
                } catch (IOException x) {
                    // closing anyway
                }
            }
        }
    }

    private void run(Socket s) {
        String peer = String.valueOf(s.getRemoteSocketAddress());
        try {
            TlsProxy.Outcome o = proxy.handle(s);
            handled.incrementAndGet();
            log.println(proxy.config().roleName() + ": " + peer + ": " + o.describe());
            onOutcome.accept(o);
        } catch (RuntimeException e) {
            log.println(proxy.config().roleName() + ": " + peer + ": internal error: " + e);
        } finally {
            try {
                afterConnection.run();
            } catch (RuntimeException e) {
                log.println(proxy.config().roleName() + ": " + peer + ": after the connection: " + e);
            }
            open.remove(s);
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
            slots.release();
        }
    }

    @Override
    public void close() {
        stopping = true;
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        workers.shutdown();
        try {
            // connections in progress get a moment to end on their own (their peers' last alerts are read)
            if (!workers.awaitTermination(CLOSE_GRACE_SECONDS, TimeUnit.SECONDS)) {
                for (Socket s : open) {
                    try {
                        s.close();
                    } catch (IOException e) {
                        // closing anyway
                    }
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
