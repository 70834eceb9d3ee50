package org.proxyinfo.role;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.learn.Quiescence;
import org.proxyinfo.learn.Symbols;
import org.proxyinfo.record.HandshakeAssembler;
import org.proxyinfo.record.RecordCipher;
import org.proxyinfo.wire.ContentType;
import org.proxyinfo.wire.HandshakeMessage;
import org.proxyinfo.wire.HandshakeType;
import org.proxyinfo.wire.TlsFatalAlert;

/**
 * The learner's side of one connection, shared by both mappers ({@link LearnClientMapper},
 * {@link LearnServerMapper}): waits until the system under learning is quiet ({@link Quiescence}),
 * reads every record it sent, decrypts after its ChangeCipherSpec when the mapper has the keys, and
 * abstracts the records into message and alert names ({@link Symbols}); {@code closed} once the peer
 * closed (EOF or reset), {@code TIMEOUT} for silence, {@code BUSY} when the peer never became quiet.
 */
final class LearnRecordReader {
    /** What the mapper adds: the names of the peer's handshake messages (and their effect on its keys), and its read keys. */
    interface Peer {
        /** The abstract name of a handshake message the peer sent (the mapper also records it in its transcript). */
        String handshake(HandshakeMessage m) throws TlsFatalAlert;

        /** The read cipher once the peer sent ChangeCipherSpec, or null when the mapper has no keys. */
        RecordCipher readCipherAfterChangeCipherSpec();
    }

    private final Quiescence quiet;
    private final long capMillis;
    private final Peer peer;
    private Socket socket;
    private InputStream in;
    private boolean closed;
    private boolean peerCcs;
    private RecordCipher readCipher;
    private HandshakeAssembler assembler;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    /** Bytes read from the peer on this connection. */
    private long bytesRead;

    LearnRecordReader(Quiescence quiet, long capMillis, Peer peer) {
        this.quiet = quiet;
        this.capMillis = capMillis;
        this.peer = peer;
    }

    /** A new connection (the reset between queries). */
    void start(Socket s) throws IOException {
        socket = s;
        in = s.getInputStream();
        closed = false;
        peerCcs = false;
        readCipher = null;
        assembler = new HandshakeAssembler();
        pending.reset();
    }

    /** The peer closed the connection (EOF or reset). */
    boolean closed() {
        return closed;
    }

    InputStream in() {
        return in;
    }

    /**
     * Everything the peer said in answer, space separated, once it is quiet. Silence is asked twice: when
     * the first quiet check is followed by nothing to read, a second quiet check and read must find nothing
     * either. The in-process check samples thread
     * states, and on a loaded machine a thread that has just taken its input from the kernel can still look
     * blocked in the read for a few milliseconds until it is scheduled again; the second pass catches the
     * answer it then sends instead of taking the step for silence (which LearnLib's cache would later
     * report as nondeterminism, issue 15).
     */
    String receive() {
        List<String> out = new ArrayList<>();
        boolean settled = true;
        for (int pass = 1; ; pass++) {
            settled = quiet.await(socket.getLocalPort(), capMillis);
            long before = bytesRead;
            read(out);
            boolean nothingNew = bytesRead == before;
            // a second pass only after a first one that read nothing: the wrong silence the cache catches
            if (closed || !settled || pass >= 2 || !nothingNew) {
                break;
            }
        }
        if (closed) {
            out.add(Symbols.CLOSED);
        }
        if (out.isEmpty()) {
            out.add(settled ? Symbols.TIMEOUT : Symbols.BUSY);
        }
        return String.join(" ", out);
    }

    /** Reads what has arrived until a read times out (the quiescence's read timeout) or the peer closed. */
    private void read(List<String> out) {
        byte[] buf = new byte[16384];
        try {
            socket.setSoTimeout(quiet.readTimeoutMillis());
            while (true) {
                int n;
                try {
                    n = in.read(buf);
                } catch (SocketTimeoutException e) {
                    return;
                }
                if (n < 0) {
                    closed = true;
                    return;
                }
                bytesRead += n;
                pending.write(buf, 0, n);
                parse(out);
            }
        } catch (IOException e) {
            closed = true; // reset by the peer
        }
    }

    private void parse(List<String> out) {
        byte[] b = pending.toByteArray();
        int pos = 0;
        while (b.length - pos >= 5) {
            int type = b[pos] & 0xff;
            int version = ((b[pos + 1] & 0xff) << 8) | (b[pos + 2] & 0xff);
            int len = ((b[pos + 3] & 0xff) << 8) | (b[pos + 4] & 0xff);
            if (b.length - pos - 5 < len) {
                break;
            }
            byte[] frag = Arrays.copyOfRange(b, pos + 5, pos + 5 + len);
            pos += 5 + len;
            if (readCipher != null) {
                try {
                    frag = readCipher.open(type, version, frag);
                } catch (TlsFatalAlert e) {
                    out.add("undecryptable_record");
                    continue;
                }
            } else if (peerCcs) {
                out.add("encrypted_" + ContentType.name(type));
                continue;
            }
            switch (type) {
                case ContentType.HANDSHAKE:
                    try {
                        assembler.add(frag);
                        HandshakeAssembler.Framed f;
                        while ((f = assembler.next()) != null) {
                            out.add(handshake(f.message));
                        }
                    } catch (TlsFatalAlert e) {
                        out.add("malformed_handshake");
                    }
                    break;
                case ContentType.CHANGE_CIPHER_SPEC:
                    out.add(Symbols.CHANGE_CIPHER_SPEC);
                    peerCcs = true;
                    readCipher = peer.readCipherAfterChangeCipherSpec();
                    break;
                case ContentType.ALERT:
                    out.add(frag.length == 2
                            ? Symbols.alert(frag[0] == 1 ? "warning" : "fatal", AlertDescription.name(frag[1] & 0xff))
                            : "malformed_alert");
                    break;
                case ContentType.APPLICATION_DATA:
                    out.add(Symbols.APPLICATION_DATA);
                    break;
                default:
                    out.add("record_type_" + type);
            }
        }
        byte[] rest = Arrays.copyOfRange(b, pos, b.length);
        pending.reset();
        pending.write(rest, 0, rest.length);
    }

    private String handshake(HandshakeMessage m) {
        try {
            return peer.handshake(m);
        } catch (TlsFatalAlert e) {
            return "malformed_" + HandshakeType.name(m.type);
        }
    }
}
