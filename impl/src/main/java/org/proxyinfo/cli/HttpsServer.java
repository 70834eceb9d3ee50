package org.proxyinfo.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import org.proxyinfo.role.AcceptLoop;
import org.proxyinfo.role.SocketTransport;
import org.proxyinfo.role.TlsConnection;
import org.proxyinfo.role.TlsServer;
import org.proxyinfo.wire.CipherSuite;
import org.proxyinfo.wire.NamedGroup;
import org.proxyinfo.wire.SignatureScheme;

/**
 * A tiny HTTPS/1.1 server on our TLS server role: each connection gets a handshake, one GET is
 * answered with a small page saying what was negotiated, then close_notify. Used by the
 * {@code server} and {@code demo} commands. Connections run on the servers' shared {@link AcceptLoop}, at most {@value #MAX_CONNECTIONS} at a time.
 */
final class HttpsServer implements AutoCloseable {
    /** Connections served at once; a further client waits for a slot. */
    static final int MAX_CONNECTIONS = 4;
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
        this.tls = tls;
        this.log = log;
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
            log.println("server: handshake with " + peer + " failed: " + c.failureSummary());
            return;
        }
        String negotiated = "TLS 1.2, " + CipherSuite.name(c.cipherSuite()) + ", ECDHE over " + NamedGroup.name(c.namedGroup())
                + ", signed with " + SignatureScheme.name(c.signatureScheme())
                + (c.extendedMasterSecret() ? ", extended master secret" : "");
        log.println("server: handshake with " + peer + " done: " + negotiated
                + (c.serverName() != null ? ", client asked for " + c.serverName() : ", no SNI")
                + (c.clientAuthenticated() ? ", client authenticated as " + c.peerCertificates().get(0).getSubjectX500Principal().getName()
                        + " (RFC 5246 7.4.8)" : ""));
        try {
            String requestLine = readRequestHead(c.getInputStream());
            if (requestLine == null) {
                log.println("server: " + peer + " closed the connection without a complete HTTP request");
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
            log.println("server: " + peer + " \"" + requestLine + "\" -> " + status + ", closing with close_notify");
        } catch (IOException e) {
            log.println("server: connection with " + peer + " broke: " + e.getMessage());
        } finally {
            c.close();
        }
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
    }
}
