package org.proxyinfo.role;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.proxyinfo.core.AbbreviatedHandshake;
import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.core.ClientHandshake;
import org.proxyinfo.core.ServerHandshake;
import org.proxyinfo.core.Transitions;
import org.proxyinfo.record.HandshakeAssembler;
import org.proxyinfo.record.Record;
import org.proxyinfo.record.RecordLayer;
import org.proxyinfo.trace.TraceSink;
import org.proxyinfo.wire.CipherSuite;
import org.proxyinfo.wire.ContentType;
import org.proxyinfo.wire.HandshakeMessage;
import org.proxyinfo.wire.HandshakeType;
import org.proxyinfo.wire.Hex;
import org.proxyinfo.wire.TlsFatalAlert;

/**
 * One TLS 1.2 connection: the record layer and handshake transcript while the handshake runs,
 * then application data (read/write or streams) and close_notify (RFC5246-7.2.1).
 *
 * A connection is returned by {@link TlsClient#connect} / {@link TlsServer#accept} whether or not
 * the handshake succeeded: {@link #isEstablished()} says which, and {@link #failureSummary()}
 * says why not. No exception about the peer's bytes leaves this class: every error becomes one
 * fatal alert, a closed transport and an {@code outcome} trace event.
 */
public final class TlsConnection implements AutoCloseable {
    public static final int LEVEL_WARNING = 1;
    public static final int LEVEL_FATAL = 2;

    final TlsConfig config;
    final Transport transport;
    final RecordLayer record;
    final HandshakeAssembler assembler = new HandshakeAssembler();
    final ByteArrayOutputStream transcript = new ByteArrayOutputStream();
    final String role;
    final String leg;
    final TraceSink trace;
    final int coreRole;

    ClientHandshake clientCore;
    ServerHandshake serverCore;
    /** DEC-22: the abbreviated handshake's core once a session is resumed (the full-handshake core is then null). */
    AbbreviatedHandshake resumedCore;
    /** DEC-22: this connection's session_id (empty: not resumable), and the cached session it resumed (hex), or null. */
    byte[] sessionId;
    String resumedFrom;
    /** DEC-22: this connection's cache entry (made by a full handshake, or the one it resumed), or null. */
    SessionCache.Session session;
    /**
     * DEC-21: the proxy's core, when this is a proxy's session #1: the fatal alert of session #1 is then
     * decided by the proxy's core first (it may have decided one already), then recorded by the server core.
     */
    AlertLatch roleCore;

    /** A core's DEC-21 latch: the alert to send now (the first decided), or a negative value if one was sent. */
    interface AlertLatch {
        int fatalAlertToSend(int alert, String requirement);
    }

    // Negotiated parameters (public getters below).
    int cipherSuite = -1;
    int namedGroup = -1;
    int signatureScheme = -1;
    byte[] clientRandom;
    byte[] serverRandom;
    boolean extendedMasterSecret;
    String serverName;
    List<X509Certificate> peerChain = Collections.emptyList();
    List<X509Certificate> localChain = Collections.emptyList();
    /** Client: what the certificate verifier accepted and how (DEC-10), for people. */
    String verification;
    /** Client: the accepted ProxyInfo check's summary (DEC-8..12), null when not proxied. */
    String proxyInfoSummary;
    /** Client: the ServerHello's proxy_info extension_data as received, null when none. */
    byte[] peerProxyInfo;

    // Outcome.
    private volatile boolean established;
    private volatile boolean closed;
    private volatile boolean peerClosed;
    private volatile String failure;
    private volatile int alertSent = -1;
    private volatile int alertReceived = -1;
    private volatile String failureRequirement;
    private volatile boolean closeNotifySent;

    private final Object writeLock = new Object();
    private final Object readLock = new Object();
    private byte[] appBuffer = new byte[0];
    private int appPos;
    private boolean secretClaimed;

    TlsConnection(TlsConfig config, Transport transport, String defaultRole, int coreRole) {
        this.config = config;
        this.transport = transport;
        this.record = new RecordLayer(transport.input(), transport.output());
        this.record.setMaxFragment(config.maxFragment);
        if (transport instanceof SocketTransport) {
            try {
                java.net.Socket s = ((SocketTransport) transport).socket();
                if (s.getSoTimeout() == 0) {
                    s.setSoTimeout(config.timeoutMillis); // a silent peer must not hang a role
                }
            } catch (java.net.SocketException e) {
                // the socket is unusable; the first read reports it
            }
        }
        this.role = config.roleName != null ? config.roleName : defaultRole;
        this.leg = config.leg;
        this.trace = config.trace;
        this.coreRole = coreRole;
    }

    // ---- handshake plumbing used by the handshakers ------------------------------------------

    /** Writes a handshake message (not flushed), adds it to the transcript and traces it. */
    void sendHandshake(int type, byte[] body, Map<String, Object> fields) throws TlsFatalAlert {
        if (config.tap != null) {
            byte[] changed = config.tap.outgoing(type, body, clientRandom, serverRandom);
            if (changed != body) {
                body = changed;
                fields = new LinkedHashMap<>(fields);
                fields.put("changed_by", "adversary on this role's host (see its check events)");
            }
        }
        byte[] encoded = new HandshakeMessage(type, body).encoded();
        transcript.write(encoded, 0, encoded.length);
        List<Integer> sizes;
        synchronized (writeLock) {
            sizes = record.write(ContentType.HANDSHAKE, encoded);
        }
        trace.message(role, leg, "sent", "handshake", HandshakeType.name(type), fields, encoded, offsets(sizes));
    }

    void sendChangeCipherSpec() throws TlsFatalAlert {
        synchronized (writeLock) {
            record.write(ContentType.CHANGE_CIPHER_SPEC, new byte[] {1});
        }
        trace.message(role, leg, "sent", "change_cipher_spec", "change_cipher_spec", Map.of(), new byte[] {1}, List.of(0));
    }

    void flush() throws IOException {
        synchronized (writeLock) {
            record.flush();
        }
    }

    void traceReceived(HandshakeAssembler.Framed f, Map<String, Object> fields) {
        trace.message(role, leg, "received", "handshake", f.message.name(), fields, f.encoded, f.recordStarts);
    }

    void addToTranscript(HandshakeAssembler.Framed f) {
        transcript.write(f.encoded, 0, f.encoded.length);
    }

    byte[] transcriptHash() {
        return config.crypto.hash(CipherSuite.prfHash(cipherSuite), transcript.toByteArray());
    }

    void transition(int from, int to, String trigger) {
        if (from != to) {
            trace.transition(role, leg, stateName(from), stateName(to), trigger);
        }
    }

    private String stateName(int s) {
        return resumedCore != null ? AbbreviatedHandshake.stateName(s) : Transitions.stateName(coreRole, s);
    }

    void check(String requirement, String what, boolean passed, String detail) {
        trace.check(role, leg, requirement, what, passed, detail);
    }

    /** Turns a core decision into the exception the handshaker's top level handles. */
    static void require(int alert, String requirement, String message) throws TlsFatalAlert {
        if (alert >= 0) {
            throw new TlsFatalAlert(alert, requirement == null ? "DEC-21" : requirement, message);
        }
    }

    /** One incoming unit: a handshake message, a ChangeCipherSpec, or application data. */
    static final class Incoming {
        final int type; // Transitions pseudo type space
        final HandshakeAssembler.Framed framed;
        final byte[] data;

        Incoming(int type, HandshakeAssembler.Framed framed, byte[] data) {
            this.type = type;
            this.framed = framed;
            this.data = data;
        }
    }

    /**
     * The next handshake message, ChangeCipherSpec or application-data record. Alerts are handled
     * here: warnings other than close_notify are ignored, close_notify and fatal alerts end the
     * connection (PeerAlertException).
     */
    Incoming receive() throws IOException, TlsFatalAlert, PeerAlertException {
        while (true) {
            HandshakeAssembler.Framed ready = assembler.next();
            if (ready != null) {
                return new Incoming(ready.message.type, ready, null);
            }
            Record r = record.read();
            if (r == null) {
                if (assembler.hasPartial()) {
                    throw new TlsFatalAlert(AlertDescription.DECODE_ERROR, "RFC5246-6.2.1",
                            "connection closed in the middle of a handshake message");
                }
                throw new PeerAlertException(-1, "the peer closed the connection without an alert");
            }
            switch (r.type) {
                case ContentType.ALERT:
                    handleAlert(r.fragment);
                    break;
                case ContentType.CHANGE_CIPHER_SPEC:
                    if (assembler.hasPartial()) {
                        throw new TlsFatalAlert(AlertDescription.UNEXPECTED_MESSAGE, "RFC5246-7.1",
                                "ChangeCipherSpec in the middle of a handshake message");
                    }
                    if (r.fragment.length != 1 || r.fragment[0] != 1) {
                        throw new TlsFatalAlert(AlertDescription.DECODE_ERROR, "RFC5246-7.1",
                                "ChangeCipherSpec body must be the single byte 1, got " + Hex.of(r.fragment));
                    }
                    trace.message(role, leg, "received", "change_cipher_spec", "change_cipher_spec", Map.of(), r.fragment, List.of(0));
                    return new Incoming(Transitions.CHANGE_CIPHER_SPEC, null, null);
                case ContentType.HANDSHAKE:
                    assembler.add(r.fragment);
                    break;
                case ContentType.APPLICATION_DATA:
                    if (assembler.hasPartial()) {
                        throw new TlsFatalAlert(AlertDescription.UNEXPECTED_MESSAGE, "RFC5246-6.2.1",
                                "application data in the middle of a handshake message");
                    }
                    return new Incoming(Transitions.APPLICATION_DATA, null, r.fragment);
                default:
                    throw new TlsFatalAlert(AlertDescription.UNEXPECTED_MESSAGE, "RFC5246-6", "unexpected record type " + r.type);
            }
        }
    }

    private void handleAlert(byte[] body) throws TlsFatalAlert, PeerAlertException {
        if (body.length != 2) {
            throw new TlsFatalAlert(AlertDescription.DECODE_ERROR, "RFC5246-7.2",
                    "alert record of " + body.length + " bytes (an alert is exactly 2 bytes)");
        }
        int level = body[0] & 0xff;
        int desc = body[1] & 0xff;
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("level", level == LEVEL_FATAL ? "fatal" : level == LEVEL_WARNING ? "warning" : String.valueOf(level));
        f.put("description", AlertDescription.name(desc));
        trace.message(role, leg, "received", "alert", AlertDescription.name(desc), f, body, List.of(0));
        if (level != LEVEL_WARNING && level != LEVEL_FATAL) {
            throw new TlsFatalAlert(AlertDescription.ILLEGAL_PARAMETER, "RFC5246-7.2", "alert level " + level + " is neither warning nor fatal");
        }
        if (desc == AlertDescription.CLOSE_NOTIFY) {
            alertReceived = desc;
            throw new PeerAlertException(desc, "the peer sent close_notify");
        }
        if (level == LEVEL_FATAL) {
            alertReceived = desc;
            throw new PeerAlertException(desc, "the peer sent fatal alert " + AlertDescription.name(desc));
        }
        // RFC5246-7.2: other warnings (no_renegotiation, user_canceled) do not end the connection.
    }

    void sendAlert(int level, int description) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("level", level == LEVEL_FATAL ? "fatal" : "warning");
        f.put("description", AlertDescription.name(description));
        if (description == AlertDescription.CLOSE_NOTIFY) {
            closeNotifySent = true;
        }
        // traced before the bytes leave, so a peer's "received" is never recorded ahead of our "sent"
        trace.message(role, leg, "sent", "alert", AlertDescription.name(description), f,
                new byte[] {(byte) level, (byte) description}, List.of(0));
        synchronized (writeLock) {
            record.sendAlert(level, description);
        }
    }

    /**
     * Ends the connection because of an error we found, whoever found it (a core, a codec, the record
     * layer, crypto): DEC-21, one path. The role's core decides which alert (the first one decided) and
     * whether it is still to be sent; under the write lock any queued, unsent flight is discarded (a
     * refused ServerHello never leaves ahead of the alert), the alert is sent once, and the connection
     * closes. Safe to call from both relay threads at once.
     */
    void abort(TlsFatalAlert e) {
        synchronized (writeLock) {
            coreAbortTransition("fatal alert sent: " + e.alertName());
            int toSend = fatalAlertToSend(e.alert(), e.requirementId());
            if (toSend < 0 || closed) {
                return; // DEC-21: this connection's one fatal alert was sent already
            }
            TlsFatalAlert sent = toSend == e.alert() ? e
                    : new TlsFatalAlert(toSend, failureRequirementOf(e), "the first error decided: " + e.getMessage());
            alertSent = toSend;
            failure = "we sent " + sent.describe();
            failureRequirement = sent.requirementId();
            record.discardPending();
            sendAlert(LEVEL_FATAL, toSend);
            trace.outcome(role, leg, false, sent.alertName(), role, sent.requirementId(), sent.getMessage());
            closeTransport();
        }
    }

    private String failureRequirementOf(TlsFatalAlert e) {
        String r = resumedCore != null ? resumedCore.failedRequirement()
                : clientCore != null ? clientCore.failedRequirement() : serverCore != null ? serverCore.failedRequirement() : null;
        return r != null ? r : e.requirementId();
    }

    /** DEC-21: through the role's core (and the proxy's core first, for a proxy's session #1). */
    private int fatalAlertToSend(int alert, String requirement) {
        int decided = alert;
        if (roleCore != null) {
            decided = roleCore.fatalAlertToSend(alert, requirement);
            if (decided < 0) {
                return decided;
            }
        }
        if (resumedCore != null) {
            return resumedCore.fatalAlertToSend(decided, requirement);
        }
        if (clientCore != null) {
            return clientCore.fatalAlertToSend(decided, requirement);
        }
        if (serverCore != null) {
            return serverCore.fatalAlertToSend(decided, requirement);
        }
        return decided;
    }

    /** Ends the connection because the peer did (alert or EOF). */
    void peerEnded(PeerAlertException e) {
        coreAbortTransition(e.alert < 0 ? "transport closed by peer" : "alert received: " + e.alertName());
        if (!closed) {
            failure = e.getMessage();
            trace.outcome(role, leg, false, e.alert < 0 ? null : e.alertName(), "peer", null, e.getMessage());
            closeTransport();
        }
    }

    void transportFailed(IOException e) {
        coreAbortTransition("transport error");
        if (!closed) {
            failure = "transport error: " + e.getMessage();
            trace.outcome(role, leg, false, null, role, null, failure);
            closeTransport();
        }
    }

    /** Moves the role's core to FAILED (no further processing) and traces the transition. */
    private void coreAbortTransition(String trigger) {
        if (resumedCore != null) {
            int before = resumedCore.state();
            resumedCore.onAbort();
            transition(before, resumedCore.state(), trigger);
        }
        if (clientCore != null) {
            int before = clientCore.state();
            clientCore.onAbort();
            transition(before, clientCore.state(), trigger);
        }
        if (serverCore != null) {
            int before = serverCore.state();
            serverCore.onAbort();
            transition(before, serverCore.state(), trigger);
        }
    }

    void markEstablished() {
        established = true;
        trace.outcome(role, leg, true, null, null, null, "handshake complete: " + CipherSuite.name(cipherSuite));
    }

    private void closeTransport() {
        closed = true;
        transport.close();
    }

    static List<Integer> offsets(List<Integer> sizes) {
        List<Integer> out = new ArrayList<>();
        int off = 0;
        for (int s : sizes) {
            out.add(off);
            off += s;
        }
        return out;
    }

    // ---- application data ---------------------------------------------------------------------

    /**
     * Reads application data; returns -1 after close_notify or a fatal error (then
     * {@link #failureSummary()} says why). Never throws for anything the peer sent.
     */
    public int read(byte[] b, int off, int len) {
        synchronized (readLock) {
            while (appPos >= appBuffer.length) {
                if (!established || closed) {
                    return -1;
                }
                try {
                    Incoming in = receive();
                    if (in.type == Transitions.APPLICATION_DATA) {
                        trace.message(role, leg, "received", "application_data", "application_data",
                                Map.of("length", in.data.length), in.data, List.of(0));
                        appBuffer = in.data;
                        appPos = 0;
                    } else {
                        onPostHandshakeMessage(in);
                    }
                } catch (TlsFatalAlert e) {
                    if (closed) {
                        return -1; // we closed it meanwhile (e.g. a proxy's other relay direction ended): not an error
                    }
                    abort(e);
                    return -1;
                } catch (PeerAlertException e) {
                    if (closed) {
                        return -1;
                    }
                    peerClosed = true;
                    if (closeNotifySent && (e.alert == AlertDescription.CLOSE_NOTIFY || e.alert < 0)) {
                        // we had closed our direction (shutdownOutput); the peer's answer ends the connection
                        closeTransport();
                    } else if (e.alert == AlertDescription.CLOSE_NOTIFY) {
                        // RFC5246-7.2.1: answer close_notify with close_notify and close.
                        sendAlert(LEVEL_WARNING, AlertDescription.CLOSE_NOTIFY);
                        trace.outcome(role, leg, true, "close_notify", "peer", "RFC5246-7.2.1", "the peer closed the connection");
                        closeTransport();
                    } else {
                        peerEnded(e);
                    }
                    return -1;
                } catch (IOException e) {
                    if (!closed) {
                        transportFailed(e);
                    }
                    return -1;
                }
            }
            int n = Math.min(len, appBuffer.length - appPos);
            System.arraycopy(appBuffer, appPos, b, off, n);
            appPos += n;
            return n;
        }
    }

    /** A handshake message after the handshake: renegotiation is refused (DEC-20, RFC5746-4), the rest is unexpected. */
    private void onPostHandshakeMessage(Incoming in) throws TlsFatalAlert {
        if (resumedCore != null) {
            require(resumedCore.onMessage(in.type), resumedCore.failedRequirement(),
                    "unexpected " + Transitions.messageName(in.type) + " after the handshake");
            check("DEC-20", "renegotiation refused", true, Transitions.messageName(in.type) + " answered with no_renegotiation");
            sendAlert(LEVEL_WARNING, resumedCore.onRenegotiationRequest());
            return;
        }
        int alert = clientCore != null ? clientCore.onMessage(in.type) : serverCore.onMessage(in.type);
        require(alert, clientCore != null ? clientCore.failedRequirement() : serverCore.failedRequirement(),
                "unexpected " + Transitions.messageName(in.type) + " after the handshake");
        int refusal = clientCore != null ? clientCore.onHelloRequest() : serverCore.onClientHelloWhileEstablished();
        check("DEC-20", "renegotiation refused", true, Transitions.messageName(in.type) + " answered with no_renegotiation");
        sendAlert(LEVEL_WARNING, refusal);
    }

    /** Writes application data (fragmented into records of at most 2^14 bytes). */
    public void write(byte[] b, int off, int len) throws IOException {
        if (!established || closed) {
            throw new IOException("cannot write: the TLS connection is " + (established ? "closed" : "not established")
                    + (failure != null ? " (" + failure + ")" : ""));
        }
        synchronized (writeLock) {
            try {
                // No copy of the caller's bytes on the data path (issue #7); the trace gets its own copy.
                List<Integer> sizes = record.write(ContentType.APPLICATION_DATA, b, off, len);
                byte[] data = trace == TraceSink.NONE ? b : java.util.Arrays.copyOfRange(b, off, off + len);
                // traced before the flush: the peer cannot have received (and traced) it yet
                if (!secretClaimed) {
                    secretClaimed = true;
                    trace.claim(role, leg, "Secret", Map.of("what", "application_data"));
                }
                trace.message(role, leg, "sent", "application_data", "application_data", Map.of("length", len), data, offsets(sizes));
                record.flush();
            } catch (TlsFatalAlert e) {
                abort(e);
                throw new IOException(e.describe());
            } catch (IOException e) {
                transportFailed(e);
                throw e;
            }
        }
    }

    public void write(byte[] b) throws IOException {
        write(b, 0, b.length);
    }

    public InputStream getInputStream() {
        return new InputStream() {
            @Override public int read() {
                byte[] one = new byte[1];
                int n = TlsConnection.this.read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override public int read(byte[] b, int off, int len) {
                if (len == 0) {
                    return 0;
                }
                return TlsConnection.this.read(b, off, len);
            }
        };
    }

    public OutputStream getOutputStream() {
        return new OutputStream() {
            @Override public void write(int b) throws IOException {
                TlsConnection.this.write(new byte[] {(byte) b}, 0, 1);
            }

            @Override public void write(byte[] b, int off, int len) throws IOException {
                TlsConnection.this.write(b, off, len);
            }
        };
    }

    /**
     * Sends close_notify (RFC5246-7.2.1) but keeps reading: the peer's close_notify answer then ends
     * the connection in {@link #read}. Used by the proxy's relay (DEC-18) so that a session ends the
     * same way every time. Idempotent; no-op when closed.
     */
    public void shutdownOutput() {
        if (!closed && established && !peerClosed && !closeNotifySent) {
            sendCloseNotify();
        }
    }

    /** Our close_notify: message and outcome traced before the bytes leave (the peer's answer comes after both). */
    private void sendCloseNotify() {
        closeNotifySent = true;
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("level", "warning");
        f.put("description", AlertDescription.name(AlertDescription.CLOSE_NOTIFY));
        trace.message(role, leg, "sent", "alert", AlertDescription.name(AlertDescription.CLOSE_NOTIFY), f,
                new byte[] {(byte) LEVEL_WARNING, (byte) AlertDescription.CLOSE_NOTIFY}, List.of(0));
        trace.outcome(role, leg, true, "close_notify", role, "RFC5246-7.2.1", "we closed the connection");
        synchronized (writeLock) {
            record.sendAlert(LEVEL_WARNING, AlertDescription.CLOSE_NOTIFY);
        }
    }

    /** Sends close_notify (RFC5246-7.2.1) and closes the transport. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            if (established && !peerClosed && !closeNotifySent) {
                sendCloseNotify();
            }
            closeTransport();
        }
        if (clientCore != null) {
            clientCore.onCloseNotify();
        }
        if (serverCore != null) {
            serverCore.onCloseNotify();
        }
        if (resumedCore != null) {
            resumedCore.onCloseNotify();
        }
    }

    // ---- what happened ------------------------------------------------------------------------

    public boolean isEstablished() { return established; }

    public boolean isClosed() { return closed; }

    /** Null if the handshake succeeded; else one line: who sent which alert and why. */
    public String failureSummary() { return failure; }

    /** The alert we sent (RFC 5246 §7.2 value), or -1. */
    public int alertSent() { return alertSent; }

    /** The alert the peer sent (close_notify included), or -1. */
    public int alertReceived() { return alertReceived; }

    public String failureRequirement() { return failureRequirement; }

    public int cipherSuite() { return cipherSuite; }

    public int namedGroup() { return namedGroup; }

    public int signatureScheme() { return signatureScheme; }

    public boolean extendedMasterSecret() { return extendedMasterSecret; }

    public byte[] clientRandom() { return clientRandom == null ? null : clientRandom.clone(); }

    public byte[] serverRandom() { return serverRandom == null ? null : serverRandom.clone(); }

    /** Client: the name it meant (and checked); server: the SNI it received. */
    public String serverName() { return serverName; }

    public List<X509Certificate> peerCertificates() { return peerChain; }

    public List<X509Certificate> localCertificates() { return localChain; }

    public Transport transport() { return transport; }

    /** Client: one line on how the server's chain and name were accepted (DEC-10); null before that. */
    public String verification() { return verification; }

    /** Client: true if the ServerHello carried proxy_info and the checks (DEC-8..12) accepted it. */
    public boolean proxied() { return proxyInfoSummary != null; }

    /** Client: what the accepted ProxyInfo said, for people (hops, upstream parameters); null when not proxied. */
    public String proxyInfoSummary() { return proxyInfoSummary; }

    /** DEC-22: this session was resumed (an abbreviated handshake on a cached session). */
    public boolean resumed() { return resumedFrom != null; }

    /** DEC-22: the session_id of this connection's session (hex; empty when the peer gave none). */
    public String sessionId() { return sessionId == null ? "" : Hex.of(sessionId); }

    /** Client: the ServerHello's proxy_info extension_data, or null. */
    public byte[] peerProxyInfo() { return peerProxyInfo == null ? null : peerProxyInfo.clone(); }
}
