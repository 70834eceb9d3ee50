package org.proxyinfo.role;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** TLS over a TCP socket. Closing the transport closes the socket. */
public final class SocketTransport implements Transport {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public SocketTransport(Socket socket) {
        this.socket = socket;
        try {
            // The record layer already sends whole flights and records in one write; Nagle's
            // algorithm would only hold the last segment back for the peer's delayed ACK (~40 ms
            // per application-data round trip on an accepted socket; found by BulkBench, issue #7).
            socket.setTcpNoDelay(true);
        } catch (java.net.SocketException e) {
            // an unusable socket reports itself on first use
        }
        try {
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        }
    }

    /** Connects with a connect timeout and a read timeout (so a silent peer cannot hang us). */
    public static SocketTransport connect(String host, int port, int timeoutMillis) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(host, port), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            s.setTcpNoDelay(true);
            return new SocketTransport(s);
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    public Socket socket() {
        return socket;
    }

    @Override public InputStream input() { return in; }

    @Override public OutputStream output() { return out; }

    @Override public String describe() {
        return String.valueOf(socket.getRemoteSocketAddress());
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing: nothing left to do
        }
    }

    @Override public boolean isClosed() { return socket.isClosed(); }
}
