package org.proxyinfo.role;

import org.proxyinfo.core.AlertDescription;

/** The peer ended the connection: with a fatal alert, a close_notify, or by closing the transport. */
final class PeerAlertException extends Exception {
    private static final long serialVersionUID = 1L;
    /** The alert description, or -1 when the transport closed without an alert. */
    final int alert;

    PeerAlertException(int alert, String message) {
        super(message);
        this.alert = alert;
    }

    String alertName() {
        return alert < 0 ? "none" : AlertDescription.name(alert);
    }
}
