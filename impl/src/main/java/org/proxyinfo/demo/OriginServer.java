package org.proxyinfo.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.proxyinfo.role.AcceptLoop;
import org.proxyinfo.role.SocketTransport;
import org.proxyinfo.role.TlsConnection;
import org.proxyinfo.role.TlsServer;
import org.proxyinfo.wire.CipherSuite;

/**
 * The scenario's origin: our TLS 1.2 server on loopback answering one GET per connection, one connection at a time
 * (on the servers' shared {@link AcceptLoop}).
 */
final class OriginServer implements AutoCloseable {
    private final TlsServer tls;
    private final AcceptLoop loop;
    final List<TlsConnection> connections = new CopyOnWriteArrayList<>();

    OriginServer(TlsServer tls) throws IOException {
        this.tls = tls;
        this.loop = new AcceptLoop("origin", InetAddress.getLoopbackAddress(), 0, 1, AcceptLoop.WhenFull.WAIT, null, s -> {
            TlsConnection c = this.tls.accept(new SocketTransport(s));
            connections.add(c);
            if (c.isEstablished()) {
                serve(c);
            }
        }).start();
    }

    int port() { return loop.port(); }

    private static void serve(TlsConnection c) {
        try {
            InputStream in = c.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                head.write(b);
                String h = head.toString(StandardCharsets.ISO_8859_1);
                if (h.endsWith("\r\n\r\n") || head.size() > 16384) {
                    break;
                }
            }
            String requestLine = head.toString(StandardCharsets.ISO_8859_1).split("\r?\n", 2)[0];
            byte[] body = ("<html><body><h1>Hello from the origin server</h1><p>You asked: " + requestLine.replace("<", "&lt;")
                    + "</p><p>Origin session: TLS 1.2 " + CipherSuite.name(c.cipherSuite()) + "</p></body></html>\n")
                    .getBytes(StandardCharsets.UTF_8);
            c.write(("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            c.write(body);
        } catch (IOException e) {
            // the connection broke; its outcome is in the trace
        } finally {
            c.close();
        }
    }

    @Override
    public void close() {
        loop.close();
    }
}
