package org.proxyinfo.role;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Listens for clients and runs {@link TlsProxy#handle} for each, at most
 * {@code maxConnections} at a time: a client beyond the limit is closed at once (and logged), so
 * the proxy never runs out of threads or sockets. {@link #close()} stops accepting, closes every
 * open socket and waits for the connection threads. The loop itself is the servers' shared
 * {@link AcceptLoop}.
 */
public final class ProxyServer implements AutoCloseable {
    private final TlsProxy proxy;
    private final PrintStream log;
    private final AcceptLoop loop;
    private final AtomicInteger handled = new AtomicInteger();
    private volatile Consumer<TlsProxy.Outcome> onOutcome = o -> { };
    private volatile Runnable afterConnection = () -> { };

    /** How long {@link #close()} lets running connections finish before it closes their sockets. */
    static final int CLOSE_GRACE_SECONDS = AcceptLoop.CLOSE_GRACE_SECONDS;

    public ProxyServer(TlsProxy proxy, InetAddress bind, int port, PrintStream log) throws IOException {
        this.proxy = proxy;
        this.log = log;
        this.loop = new AcceptLoop(proxy.config().roleName(), bind, port, proxy.config().maxConnections(),
                AcceptLoop.WhenFull.REFUSE, log, this::run);
    }

    public int port() { return loop.port(); }

    public ProxyServer start() {
        loop.start();
        return this;
    }

    /** Runs on the connection's own thread when it is over, whatever happened (e.g. to write its trace). */
    public ProxyServer afterConnection(Runnable r) {
        this.afterConnection = r;
        return this;
    }

    /** Called with each finished connection's outcome (tests, demo). */
    public ProxyServer onOutcome(Consumer<TlsProxy.Outcome> c) {
        this.onOutcome = c;
        return this;
    }

    public int handled() { return handled.get(); }

    public int refusedOverLimit() { return loop.refusedOverLimit(); }

    /** Connections being handled right now. */
    public int active() { return loop.active(); }

    private void run(Socket s) {
        String peer = String.valueOf(s.getRemoteSocketAddress());
        try {
            TlsProxy.Outcome o = proxy.handle(s);
            handled.incrementAndGet();
            // the client's server_name and the peers' alert reasons are in it: escaped (LogText), one line
            log.println(proxy.config().roleName() + ": " + peer + ": " + LogText.escape(o.describe()));
            onOutcome.accept(o);
        } finally {
            try {
                afterConnection.run();
            } catch (RuntimeException e) {
                log.println(proxy.config().roleName() + ": " + peer + ": after the connection: " + LogText.escape(String.valueOf(e)));
            }
        }
    }

    @Override
    public void close() {
        loop.close();
    }
}
