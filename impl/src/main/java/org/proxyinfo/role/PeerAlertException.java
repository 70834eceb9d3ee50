package org.proxyinfo.role;

import org.proxyinfo.core.AlertDescription;

/** The peer ended the connection: with a fatal alert, a close_notify, or by closing the transport. */
final class PeerAlertException extends Exception {
    private static final long serialVersionUID = 1L;
    /** The alert description, or -1 when the transport closed without an alert. */
    final int alert;

    PeerAlertException(int alert, String message) {
        // No stack trace: this is how every connection learns that its peer ended it (each close_notify),
        // and only the alert and the message are ever read; filling in the trace was 0.7 % of a proxied
        // handshake's CPU (profile 2026-12-04, BENCHMARKS.md).
        super(message, null, false, false);
        this.alert = alert;
    }

    String alertName() {
        return alert < 0 ? "none" : AlertDescription.name(alert);
    }
}
