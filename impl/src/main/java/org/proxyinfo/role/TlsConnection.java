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
import org.proxyinfo.crypto.TlsCrypto;
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
    final HandshakeAssembler assembler;
    final Transcript transcript = new Transcript();
    /** The transcript's running hash, started at the first {@link #transcriptHash()} (the suite names its hash). */
    private TlsCrypto.RunningHash transcriptDigest;
    private String transcriptDigestAlgorithm;
    private int transcriptDigested;

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
    boolean clientAuthenticated;
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
    private final DeadlineInput deadlineInput;
    /** Hostile-peer limits (HOSTILE.md): counts of warning alerts / empty records received in a row. */
    private int warningAlertsInRow;
    private int emptyRecordsInRow;
    /** Application data not yet read: appBuffer[appPos .. appLimit), a view into the record layer's buffer. */
    private byte[] appBuffer = new byte[0];
    private int appPos;
    private int appLimit;
    private boolean secretClaimed;
    /**
     * Application data the relay queued without flushing (issue #14): records it already had are sealed
     * into the output buffer one by one and leave in one write. Guarded by writeLock.
     */
    private boolean appDataQueued;

    TlsConnection(TlsConfig config, Transport transport, String defaultRole, int coreRole) {
        this.config = config;
        this.transport = transport;
        this.assembler = new HandshakeAssembler(config.maxHandshakeMessage);
        java.net.Socket socket = null;
        int readTimeout = config.timeoutMillis;
        if (transport instanceof SocketTransport) {
            try {
                socket = ((SocketTransport) transport).socket();
                if (socket.getSoTimeout() == 0) {
                    socket.setSoTimeout(config.timeoutMillis); // a silent peer must not hang a role
                }
                readTimeout = socket.getSoTimeout();
            } catch (java.net.SocketException e) {
                // the socket is unusable; the first read reports it
            }
        }
        this.deadlineInput = new DeadlineInput(transport.input(), socket, readTimeout, config.handshakeDeadlineMillis);
        this.record = new RecordLayer(deadlineInput, transport.output());
        this.record.setMaxFragment(config.maxFragment);
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
                // the trace shows what left this host: fields decoded from the changed bytes, not the role's own
                fields = new LinkedHashMap<>(fieldsOf(type, changed, fields));
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

    /** The trace fields of a handshake body an adversary changed, decoded from those bytes (issue 11: conformance reads them). */
    private static Map<String, Object> fieldsOf(int type, byte[] body, Map<String, Object> original) {
        try {
            switch (type) {
                case HandshakeType.SERVER_HELLO: return org.proxyinfo.wire.ServerHello.decode(body).fields();
                case HandshakeType.CERTIFICATE: return org.proxyinfo.wire.Certificate.decode(body).fields();
                default: return original;
            }
        } catch (TlsFatalAlert undecodable) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("undecodable", undecodable.getMessage());
            return f;
        }
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

    /** Every handshake message so far (RFC5246-7.4.8: what CertificateVerify signs). */
    byte[] transcriptBytes() {
        return transcript.toByteArray();
    }

    /** The handshake messages so far, in order; lets the running hash take the bytes added since it last looked. */
    static final class Transcript extends ByteArrayOutputStream {
        void addTo(TlsCrypto.RunningHash h, int from) {
            h.update(buf, from, count - from);
        }
    }

    /** Hash(handshake_messages) with the suite's PRF hash (RFC 5246 §7.4.9), kept running: each byte is hashed once. */
    byte[] transcriptHash() {
        String algorithm = CipherSuite.prfHash(cipherSuite);
        if (transcriptDigest == null || !algorithm.equals(transcriptDigestAlgorithm)) {
            transcriptDigest = config.crypto.runningHash(algorithm);
            transcriptDigestAlgorithm = algorithm;
            transcriptDigested = 0;
        }
        transcript.addTo(transcriptDigest, transcriptDigested);
        transcriptDigested = transcript.size();
        return transcriptDigest.digest();
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
        /** Application data: a view into the record layer's buffer, valid until the next receive (issue #14). */
        final Record data;

        Incoming(int type, HandshakeAssembler.Framed framed, Record data) {
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
            if (r.type != ContentType.ALERT) {
                warningAlertsInRow = 0;
            }
            if (r.length != 0) {
                emptyRecordsInRow = 0;
            } else if (++emptyRecordsInRow > config.maxEmptyRecordsInRow) {
                // HOSTILE.md: empty records cost the peer nothing and us a decryption each (CPU exhaustion)
                throw new TlsFatalAlert(AlertDescription.UNEXPECTED_MESSAGE, "DEC-21", emptyRecordsInRow
                        + " empty records in a row exceed this implementation's limit of " + config.maxEmptyRecordsInRow);
            }
            switch (r.type) {
                case ContentType.ALERT:
                    handleAlert(r.fragment());
                    break;
                case ContentType.CHANGE_CIPHER_SPEC:
                    if (assembler.hasPartial()) {
                        throw new TlsFatalAlert(AlertDescription.UNEXPECTED_MESSAGE, "RFC5246-7.1",
                                "ChangeCipherSpec in the middle of a handshake message");
                    }
                    if (r.length != 1 || r.byteAt(0) != 1) {
                        throw new TlsFatalAlert(AlertDescription.DECODE_ERROR, "RFC5246-7.1",
                                "ChangeCipherSpec body must be the single byte 1, got " + Hex.of(r.fragment()));
                    }
                    trace.message(role, leg, "received", "change_cipher_spec", "change_cipher_spec", Map.of(), r.fragment(), List.of(0));
                    return new Incoming(Transitions.CHANGE_CIPHER_SPEC, null, null);
                case ContentType.HANDSHAKE:
                    assembler.add(r.data, r.offset, r.length);
                    break;
                case ContentType.APPLICATION_DATA:
                    if (assembler.hasPartial()) {
                        throw new TlsFatalAlert(AlertDescription.UNEXPECTED_MESSAGE, "RFC5246-6.2.1",
                                "application data in the middle of a handshake message");
                    }
                    return new Incoming(Transitions.APPLICATION_DATA, null, r);
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
        // RFC5246-7.2: other warnings (no_renegotiation, user_canceled) do not end the connection,
        // but a peer may not keep us busy with them (HOSTILE.md).
        if (++warningAlertsInRow > config.maxWarningAlertsInRow) {
            throw new TlsFatalAlert(AlertDescription.UNEXPECTED_MESSAGE, "DEC-21", warningAlertsInRow
                    + " warning alerts in a row exceed this implementation's limit of " + config.maxWarningAlertsInRow);
        }
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

    /** A role's handshake run (TlsClient's or TlsServer's {@code Run.handshake}). */
    interface HandshakeRun {
        void handshake() throws IOException, TlsFatalAlert, PeerAlertException;
    }

    /**
     * Runs a role's handshake and ends the connection the one way each failure calls for: an error we found
     * through {@link #abort} (DEC-21), the peer's alert or EOF through {@link #peerEnded}, a transport error
     * through {@link #transportFailed}; a bug becomes internal_error (DEC-21), never a stack trace on the wire.
     */
    TlsConnection runHandshake(HandshakeRun run) {
        try {
            run.handshake();
        } catch (TlsFatalAlert e) {
            abort(e);
        } catch (PeerAlertException e) {
            peerEnded(e);
        } catch (IOException e) {
            transportFailed(e);
        } catch (RuntimeException e) {
            abort(new TlsFatalAlert(AlertDescription.INTERNAL_ERROR, "DEC-21", "internal error in the " + role + ": " + e, e));
        }
        return this;
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
            if (!appDataQueued) {
                record.discardPending();
            } // else: relayed application data is queued (no flight can be), and leaves ahead of the alert as it would have unbatched
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
        deadlineInput.disarm();
        established = true;
        trace.outcome(role, leg, true, null, null, null, "handshake complete: " + CipherSuite.name(cipherSuite));
    }

    private void closeTransport() {
        closed = true;
        transport.close();
    }

    /**
     * The transport's input with the total handshake deadline (HOSTILE.md): before each read the
     * socket's read timeout is cut to what is left of the deadline, so a peer that drips bytes just
     * inside the per-read timeout still ends at the deadline. Disarmed when the handshake completes
     * (the socket's own read timeout is restored).
     */
    private static final class DeadlineInput extends InputStream {
        private final InputStream in;
        private final java.net.Socket socket;
        private final int readTimeout;
        private final int deadlineMillis;
        private final long deadline;
        private volatile boolean armed;
        private int current;

        DeadlineInput(InputStream in, java.net.Socket socket, int readTimeout, int deadlineMillis) {
            this.in = in;
            this.socket = socket;
            this.readTimeout = readTimeout;
            this.deadlineMillis = deadlineMillis;
            this.deadline = System.nanoTime() + deadlineMillis * 1_000_000L;
            this.armed = deadlineMillis > 0;
            this.current = readTimeout;
        }

        void disarm() {
            if (armed) {
                armed = false;
                setTimeout(readTimeout);
            }
        }

        private void setTimeout(int ms) {
            if (socket != null && ms != current) {
                try {
                    socket.setSoTimeout(ms);
                    current = ms;
                } catch (java.net.SocketException e) {
                    // closed: the read reports it
                }
            }
        }

        private java.net.SocketTimeoutException expired() {
            return new java.net.SocketTimeoutException("handshake timed out: not complete within the deadline of "
                    + deadlineMillis + " ms (a peer that sends too slowly is cut off; HOSTILE.md)");
        }

        @Override public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override public int read(byte[] b, int off, int len) throws IOException {
            if (!armed) {
                return in.read(b, off, len);
            }
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                throw expired();
            }
            boolean cutByDeadline = readTimeout <= 0 || left < readTimeout;
            setTimeout((int) Math.min(readTimeout > 0 ? readTimeout : Integer.MAX_VALUE, left));
            try {
                return in.read(b, off, len);
            } catch (java.net.SocketTimeoutException e) {
                if (armed && (cutByDeadline || deadline - System.nanoTime() <= 0)) {
                    throw expired();
                }
                throw e;
            }
        }
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
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, appLimit - appPos);
            System.arraycopy(appBuffer, appPos, b, off, n);
            appPos += n;
            return n;
        }
    }

    /**
     * One direction of a relay (DEC-18) to its end: {@link #relay} until this session ends; when writing to
     * {@code to} fails, this session is closed; either way {@code to}'s output is shut afterwards (close_notify).
     * Returns the application bytes moved.
     */
    public long relayAllTo(TlsConnection to, int max) {
        long total = 0;
        try {
            int n;
            while ((n = relay(to, max)) >= 0) {
                total += n;
            }
            to.flushQueued();
        } catch (IOException e) {
            // the destination broke; the source is closed
            close();
        } finally {
            to.shutdownOutput();
        }
        return total;
    }

    /**
     * The proxy's relay (DEC-18) without a buffer in between (issue #14): reads this session's next application
     * data (decrypted in place in this session's record buffer) and writes it to {@code to}, which seals it straight
     * into its own output buffer; at most {@code max} bytes per call. Blocks while {@code to}'s write blocks (flow
     * control). Returns the bytes moved, or -1 as {@link #read} does. It leaves {@code to}'s records queued while this session has more application data
     * at hand (the rest of a record, or a whole non-empty application-data record already read from the
     * transport), so that the next call returns without waiting on the transport; the last of them flushes
     * all (issue #14: through the proxy a 64 KiB echo left as four writes per direction, one per record;
     * profile 2026-12-04 in BENCHMARKS.md). Nothing waits on the transport while records are queued: the
     * next call reads the buffered record, and a failing one (bad record MAC) ends the relay, which flushes.
     */
    private int relay(TlsConnection to, int max) throws IOException {
        synchronized (readLock) {
            if (!fill()) {
                return -1;
            }
            int n = Math.min(max, appLimit - appPos);
            boolean more = appPos + n < appLimit || record.applicationDataBuffered();
            to.write(appBuffer, appPos, n, !more);
            appPos += n;
            return n;
        }
    }

    /** Sends what the relay queued (see {@link #relay}); nothing when nothing is queued. */
    private void flushQueued() throws IOException {
        synchronized (writeLock) {
            if (appDataQueued && !closed) {
                try {
                    record.flush();
                    appDataQueued = false;
                } catch (IOException e) {
                    transportFailed(e);
                    throw e;
                }
            }
        }
    }

    /** Makes application data available in appBuffer[appPos .. appLimit); false at the end (as read's -1). */
    private boolean fill() {
        while (appPos >= appLimit) {
            if (!established || closed) {
                return false;
            }
            try {
                Incoming in = receive();
                if (in.type == Transitions.APPLICATION_DATA) {
                    if (trace != TraceSink.NONE) {
                        trace.message(role, leg, "received", "application_data", "application_data",
                                Map.of("length", in.data.length), in.data.fragment(), List.of(0));
                    }
                    appBuffer = in.data.data;
                    appPos = in.data.offset;
                    appLimit = in.data.offset + in.data.length;
                } else {
                    onPostHandshakeMessage(in);
                }
            } catch (TlsFatalAlert e) {
                if (closed) {
                    return false; // we closed it meanwhile (e.g. a proxy's other relay direction ended): not an error
                }
                abort(e);
                return false;
            } catch (PeerAlertException e) {
                if (closed) {
                    return false;
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
                return false;
            } catch (IOException e) {
                if (!closed) {
                    transportFailed(e);
                }
                return false;
            }
        }
        return true;
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
        write(b, off, len, true);
    }

    /** As {@link #write(byte[], int, int)}; with {@code flush} false the records stay queued (the relay's batches). */
    private void write(byte[] b, int off, int len, boolean flush) throws IOException {
        if (!established || closed) {
            throw new IOException("cannot write: the TLS connection is " + (established ? "closed" : "not established")
                    + (failure != null ? " (" + failure + ")" : ""));
        }
        synchronized (writeLock) {
            try {
                // No copy of the caller's bytes on the data path (issues #7, #14): sealed straight into
                // the record layer's output buffer; the trace gets its own copy.
                if (trace == TraceSink.NONE) {
                    record.writeData(ContentType.APPLICATION_DATA, b, off, len);
                } else {
                    List<Integer> sizes = record.write(ContentType.APPLICATION_DATA, b, off, len);
                    byte[] data = java.util.Arrays.copyOfRange(b, off, off + len);
                    // traced before the flush: the peer cannot have received (and traced) it yet
                    if (!secretClaimed) {
                        secretClaimed = true;
                        trace.claim(role, leg, "Secret", Map.of("what", "application_data"));
                    }
                    trace.message(role, leg, "sent", "application_data", "application_data", Map.of("length", len), data, offsets(sizes));
                }
                appDataQueued = !flush;
                if (flush) {
                    record.flush();
                }
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

    /** Client: the server sent a CertificateRequest (RFC5246-7.4.4). */
    public boolean certificateRequested() { return clientCore != null && clientCore.certificateRequested(); }

    /** Server, DEC-23: the subject of the client identity a proxy forwarded and this server accepted (01-R16), or null. */
    volatile String forwardedClient;

    public String forwardedClient() { return forwardedClient; }

    /** Server: the client's chain validated and its CertificateVerify verified (RFC5246-7.4.6, 7.4.8). */
    public boolean clientAuthenticated() { return clientAuthenticated; }

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
