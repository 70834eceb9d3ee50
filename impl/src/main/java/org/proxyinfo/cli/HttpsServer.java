package org.proxyinfo.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.proxyinfo.role.AcceptLoop;
import org.proxyinfo.role.LogText;
import org.proxyinfo.role.SocketTransport;
import org.proxyinfo.role.TlsConnection;
import org.proxyinfo.role.TlsServer;
import org.proxyinfo.wire.CipherSuite;
import org.proxyinfo.wire.NamedGroup;
import org.proxyinfo.wire.SignatureScheme;

/**
 * A tiny HTTPS/1.1 server on our TLS server role: each connection gets a handshake, one GET is
 * answered with a small page saying what was negotiated, then close_notify. Used by the
 * {@code server} and {@code demo} commands. Connections run on the servers' shared {@link AcceptLoop}, at most {@value #MAX_CONNECTIONS} at a time;
 * each has {@value #REQUEST_HEAD_DEADLINE_MILLIS} ms after its handshake to send its request head.
 */
final class HttpsServer implements AutoCloseable {
    /** Connections served at once; a further client waits for a slot. */
    static final int MAX_CONNECTIONS = 4;
    /**
     * From the end of the handshake to the end of the request head, at most (impl/HOSTILE.md, section 4): a client that
     * drips its request a byte at a time, each inside the 10 s read timeout, would otherwise hold a slot for ever.
     */
    static final int REQUEST_HEAD_DEADLINE_MILLIS = 20_000;
    private final int headDeadlineMillis;
    /** Closes the socket of a connection whose request head is late (one thread for all connections). */
    private final ScheduledThreadPoolExecutor watchdog;
    private final TlsServer tls;
    private final PrintStream log;
    private final AcceptLoop loop;
    private final AtomicInteger served = new AtomicInteger();
    private volatile Runnable afterConnection = () -> { };

    /** Called after each connection ends (the server command rewrites its trace file there). */
    void afterConnection(Runnable r) {
        this.afterConnection = r;
    }

    HttpsServer(TlsServer tls, InetAddress bind, int port, PrintStream log) throws IOException {
        this(tls, bind, port, log, REQUEST_HEAD_DEADLINE_MILLIS);
    }

    /** As the server command runs it, with another request-head deadline (tests). */
    HttpsServer(TlsServer tls, InetAddress bind, int port, PrintStream log, int headDeadlineMillis) throws IOException {
        this.tls = tls;
        this.log = log;
        this.headDeadlineMillis = headDeadlineMillis;
        this.watchdog = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "server-deadline");
            t.setDaemon(true);
            return t;
        });
        this.watchdog.setRemoveOnCancelPolicy(true);
        this.loop = new AcceptLoop("server", bind, port, MAX_CONNECTIONS, AcceptLoop.WhenFull.WAIT, log, s -> {
            try {
                handle(s);
            } finally {
                afterConnection.run();
            }
        });
    }

    int port() {
        return loop.port();
    }

    void start() {
        loop.start();
    }

    int served() {
        return served.get();
    }

    private void handle(Socket s) {
        String peer = s.getRemoteSocketAddress().toString();
        try {
            s.setSoTimeout(10_000);
        } catch (SocketException e) {
            // the socket is already unusable; the handshake will report it
        }
        TlsConnection c = tls.accept(new SocketTransport(s));
        if (!c.isEstablished()) {
            say("server: handshake with " + peer + " failed: " + c.failureSummary());
            return;
        }
        String negotiated = "TLS 1.2, " + CipherSuite.name(c.cipherSuite()) + ", ECDHE over " + NamedGroup.name(c.namedGroup())
                + ", signed with " + SignatureScheme.name(c.signatureScheme())
                + (c.extendedMasterSecret() ? ", extended master secret" : "");
        say("server: handshake with " + peer + " done: " + negotiated
                + (c.serverName() != null ? ", client asked for " + c.serverName() : ", no SNI")
                + (c.clientAuthenticated() ? ", client authenticated as " + c.peerCertificates().get(0).getSubjectX500Principal().getName()
                        + " (RFC 5246 7.4.8)" : ""));
        AtomicBoolean late = new AtomicBoolean();
        ScheduledFuture<?> cut = watchdog.schedule(() -> {
            late.set(true);
            try {
                s.close(); // the blocked read below ends
            } catch (IOException e) {
                // closed already
            }
        }, headDeadlineMillis, TimeUnit.MILLISECONDS);
        try {
            String requestLine;
            try {
                requestLine = readRequestHead(c.getInputStream());
            } finally {
                cut.cancel(false);
            }
            if (requestLine == null) {
                // what ended it: our deadline, a fatal alert we sent (bad_record_mac, record_overflow, ...) or the
                // peer's alert or transport error, or a plain close
                say("server: " + (late.get() ? peer + lateMessage()
                        : c.failureSummary() != null ? "connection with " + peer + " ended before a complete HTTP request: "
                                + c.failureSummary()
                        : peer + " closed the connection without a complete HTTP request"));
                c.close();
                return;
            }
            String body = "<html><body><h1>Hello from the proxyinfo TLS 1.2 server</h1>\n<p>You asked: "
                    + escape(requestLine) + "</p>\n<p>Connection: " + escape(negotiated) + "</p></body></html>\n";
            boolean get = requestLine.startsWith("GET ");
            String status = get ? "200 OK" : "405 Method Not Allowed";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            String head = "HTTP/1.1 " + status + "\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " + bytes.length
                    + "\r\nConnection: close\r\n\r\n";
            c.write(head.getBytes(StandardCharsets.US_ASCII));
            c.write(bytes);
            served.incrementAndGet();
            say("server: " + peer + " \"" + requestLine + "\" -> " + status + ", closing with close_notify");
        } catch (IOException e) {
            say("server: " + (late.get() ? peer + lateMessage() : "connection with " + peer + " broke: " + e.getMessage()));
        } finally {
            c.close();
        }
    }

    /** One log line; what came from the peer in it (request line, server_name, alert reasons) escaped (LogText). */
    private void say(String line) {
        log.println(LogText.escape(line));
    }

    private String lateMessage() {
        return " sent no complete HTTP request within " + headDeadlineMillis + " ms of the handshake: closed the connection"
                + " (a client that sends too slowly is cut off, impl/HOSTILE.md)";
    }

    /** Reads the request head up to the blank line; returns the request line, or null on EOF. */
    private static String readRequestHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            String s = head.toString(StandardCharsets.ISO_8859_1);
            if (s.endsWith("\r\n\r\n") || s.endsWith("\n\n")) {
                return s.split("\r?\n", 2)[0];
            }
            if (head.size() > 16 * 1024) {
                throw new IOException("request head larger than 16 KiB");
            }
        }
        return null; // closed before a complete request head
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    @Override
    public void close() {
        loop.close();
        watchdog.shutdownNow();
    }
}
