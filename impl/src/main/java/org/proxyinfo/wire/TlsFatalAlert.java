package org.proxyinfo.wire;

import org.proxyinfo.core.AlertDescription;

/**
 * The one way a handshake or record error leaves the code that found it: the fatal alert to send
 * (DEC-21), the requirement that caused it (a digest ID such as {@code RFC5246-7.4.1.2},
 * {@code 01-R6}, or a {@code DEC-n}), and a sentence for a person.
 *
 * Roles catch it at their top, send the alert, close the connection and record the outcome in the
 * trace. It never reaches a user as a stack trace.
 */
public final class TlsFatalAlert extends Exception {
    private static final long serialVersionUID = 1L;

    private final int alert;
    private final String requirementId;

    public TlsFatalAlert(int alert, String requirementId, String message) {
        super(message);
        this.alert = alert;
        this.requirementId = requirementId;
    }

    public TlsFatalAlert(int alert, String requirementId, String message, Throwable cause) {
        super(message, cause);
        this.alert = alert;
        this.requirementId = requirementId;
    }

    /** RFC 5246 §7.2 AlertDescription value. */
    public int alert() { return alert; }

    public String alertName() { return AlertDescription.name(alert); }

    public String requirementId() { return requirementId; }

    /** "fatal alert handshake_failure [DEC-17]: the client did not offer proxy_info". */
    public String describe() {
        return "fatal alert " + alertName() + " [" + requirementId + "]: " + getMessage();
    }
}
