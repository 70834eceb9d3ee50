package org.proxyinfo.role;

import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;

/** A byte stream a role speaks TLS over: a TCP socket or an in-memory pipe. */
public interface Transport extends Closeable {
    InputStream input();

    OutputStream output();

    /** "127.0.0.1:4433" or "in-memory": for logs. */
    String describe();

    /** Closes both directions; idempotent; never throws. */
    @Override
    void close();

    boolean isClosed();
}
