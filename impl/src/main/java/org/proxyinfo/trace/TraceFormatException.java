package org.proxyinfo.trace;

/** A file is not a readable trace; the message says what is wrong and where. */
public final class TraceFormatException extends Exception {
    public TraceFormatException(String message) {
        super(message);
    }
}
