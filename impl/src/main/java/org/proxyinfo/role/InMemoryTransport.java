package org.proxyinfo.role;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;

/**
 * Two connected in-memory transports (for fast tests): what one writes the other reads. Reads
 * block until data arrives, the writer closes (end of stream) or the read timeout passes.
 */
public final class InMemoryTransport implements Transport {
    private final Pipe inbound;
    private final Pipe outbound;
    private final String name;
    private volatile boolean closed;

    private InMemoryTransport(Pipe inbound, Pipe outbound, String name) {
        this.inbound = inbound;
        this.outbound = outbound;
        this.name = name;
    }

    /** [0] is the client end, [1] the server end. */
    public static InMemoryTransport[] pair(long readTimeoutMillis) {
        Pipe a = new Pipe(readTimeoutMillis);
        Pipe b = new Pipe(readTimeoutMillis);
        return new InMemoryTransport[] {new InMemoryTransport(b, a, "in-memory(client end)"),
                new InMemoryTransport(a, b, "in-memory(server end)")};
    }

    private final InputStream in = new InputStream() {
        @Override public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override public int read(byte[] b, int off, int len) throws IOException {
            if (closed) {
                throw new IOException("transport closed");
            }
            return inbound.read(b, off, len);
        }
    };

    private final OutputStream out = new OutputStream() {
        @Override public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override public void write(byte[] b, int off, int len) throws IOException {
            if (closed) {
                throw new IOException("transport closed");
            }
            outbound.write(b, off, len);
        }
    };

    @Override public InputStream input() { return in; }

    @Override public OutputStream output() { return out; }

    @Override public String describe() { return name; }

    @Override
    public void close() {
        closed = true;
        outbound.close();
        inbound.close();
    }

    @Override public boolean isClosed() { return closed; }

    /** A bounded-by-memory byte queue with blocking reads. */
    static final class Pipe {
        private byte[] buf = new byte[4096];
        private int start;
        private int end;
        private boolean eof;
        private final long timeoutMillis;

        Pipe(long timeoutMillis) {
            this.timeoutMillis = timeoutMillis;
        }

        synchronized void write(byte[] b, int off, int len) throws IOException {
            if (eof) {
                throw new IOException("peer closed the in-memory transport");
            }
            if (end + len > buf.length) {
                int live = end - start;
                byte[] n = new byte[Math.max(buf.length, (live + len) * 2)];
                System.arraycopy(buf, start, n, 0, live);
                buf = n;
                start = 0;
                end = live;
            }
            System.arraycopy(b, off, buf, end, len);
            end += len;
            notifyAll();
        }

        synchronized int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            long deadline = System.currentTimeMillis() + timeoutMillis;
            while (start == end && !eof) {
                long wait = deadline - System.currentTimeMillis();
                if (wait <= 0) {
                    throw new SocketTimeoutException("in-memory read timed out after " + timeoutMillis + " ms");
                }
                try {
                    wait(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted");
                }
            }
            if (start == end) {
                return -1;
            }
            int n = Math.min(len, end - start);
            System.arraycopy(buf, start, b, off, n);
            start += n;
            return n;
        }

        synchronized void close() {
            eof = true;
            notifyAll();
        }
    }
}
