package org.proxyinfo.role;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import de.learnlib.api.SUL;
import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.crypto.TlsCrypto;
import org.proxyinfo.learn.Quiescence;
import org.proxyinfo.learn.Symbols;
import org.proxyinfo.pki.Credential;
import org.proxyinfo.proxyinfo.ConnectionSecurityParameters;
import org.proxyinfo.proxyinfo.ProxyInfoCodec;
import org.proxyinfo.proxyinfo.ProxyInfoSigner;
import org.proxyinfo.proxyinfo.SignedProxyInfo;
import org.proxyinfo.proxyinfo.SigningMode;
import org.proxyinfo.record.HandshakeAssembler;
import org.proxyinfo.record.RecordCipher;
import org.proxyinfo.wire.CipherSuite;
import org.proxyinfo.wire.ClientHello;
import org.proxyinfo.wire.ClientKeyExchange;
import org.proxyinfo.wire.ContentType;
import org.proxyinfo.wire.Extension;
import org.proxyinfo.wire.ExtensionType;
import org.proxyinfo.wire.Finished;
import org.proxyinfo.wire.HandshakeMessage;
import org.proxyinfo.wire.HandshakeType;
import org.proxyinfo.wire.NamedGroup;
import org.proxyinfo.wire.ServerHello;
import org.proxyinfo.wire.ServerKeyExchange;
import org.proxyinfo.wire.SignatureScheme;
import org.proxyinfo.wire.TlsFatalAlert;
import org.proxyinfo.wire.TlsWriter;

/**
 * The learner as a TLS 1.2 server (the mapper for client-side roles: our client, the proxy's
 * session #2). Each query starts a new client connection ({@link #pre()} triggers it and reads its
 * ClientHello), then every abstract input becomes real bytes: an honest ServerHello, or one with
 * a proxy_info assertion that is valid (signed by the test proxy over this session's randoms,
 * DEC-5 bound mode), forged (signed by a key that is not the certificate's, DEC-8), replayed
 * (validly signed, but for another client_random: a captured assertion) or malformed (DEC-6);
 * the Certificate and ServerKeyExchange that fit the ServerHello sent (the proxy's credential
 * after an assertion, the origin's otherwise); real key exchange and Finished.
 */
public final class LearnServerMapper implements SUL<String, String> {
    static final int TLS12 = 0x0303;
    static final int SUITE = CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;

    /** Starts one client connection towards the learner's port. */
    public interface Trigger {
        void connect(int learnerPort) throws Exception;
    }

    private final Trigger trigger;
    private final Quiescence quiet;
    private final long capMillis;
    private final ServerSocket listener;
    private final TlsCrypto crypto = new BcTlsCrypto(new SecureRandom());

    private Socket socket;
    private InputStream in;
    private boolean closed;
    private String greeting;
    private ByteArrayOutputStream transcript;
    private byte[] clientRandom;
    private byte[] serverRandom;
    private boolean proxyInfoSent;
    private TlsCrypto.KeyShare share;
    private byte[] master;
    private byte[][] block;
    private RecordCipher writeCipher;
    private RecordCipher readCipher;
    private boolean peerCcs;
    private HandshakeAssembler assembler;
    private ByteArrayOutputStream pending;

    public LearnServerMapper(Trigger trigger, Quiescence quiet, long capMillis) throws IOException {
        this.trigger = trigger;
        this.quiet = quiet;
        this.capMillis = capMillis;
        this.listener = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    }

    public Quiescence quiescence() {
        return quiet;
    }

    public int port() {
        return listener.getLocalPort();
    }

    public void close() throws IOException {
        listener.close();
    }

    /** What the client said first on the last connection (its ClientHello, abstracted). */
    public String greeting() {
        return greeting;
    }

    @Override public void pre() {
        closed = false;
        transcript = new ByteArrayOutputStream();
        clientRandom = null;
        serverRandom = null;
        proxyInfoSent = false;
        share = null;
        master = null;
        block = null;
        writeCipher = null;
        readCipher = null;
        peerCcs = false;
        assembler = new HandshakeAssembler();
        pending = new ByteArrayOutputStream();
        try {
            trigger.connect(port());
            listener.setSoTimeout(10_000);
            socket = listener.accept();
            socket.setTcpNoDelay(true);
            in = socket.getInputStream();
        } catch (Exception e) {
            throw new IllegalStateException("the client under learning did not connect: " + e, e);
        }
        greeting = receive();
        if (!greeting.startsWith(Symbols.CLIENT_HELLO)) {
            throw new IllegalStateException("the client under learning did not start with a ClientHello: " + greeting);
        }
    }

    @Override public void post() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override public String step(String input) {
        if (closed) {
            return Symbols.CLOSED;
        }
        try {
            send(input);
        } catch (IOException e) {
            // reset by the peer: what it said before is still readable
        } catch (TlsFatalAlert e) {
            throw new IllegalStateException("the mapper cannot build " + input + ": " + e.getMessage(), e);
        }
        return receive();
    }

    private Credential credential() {
        return proxyInfoSent ? TestCredentials.PKI.proxy() : TestCredentials.PKI.serverEcdsa();
    }

    private byte[] assertion(String input) throws TlsFatalAlert {
        if (input.equals(Symbols.SERVER_HELLO_PI_MALFORMED)) {
            return new byte[] {1}; // proxy_to_client flag and nothing else (DEC-6: decode_error)
        }
        PrivateKey key = input.equals(Symbols.SERVER_HELLO_PI_FORGED)
                ? TestCredentials.PKI.proxyB().privateKey() // not the key of the proxy certificate sent (DEC-8)
                : TestCredentials.PKI.proxy().privateKey();
        byte[] signedClientRandom = input.equals(Symbols.SERVER_HELLO_PI_REPLAYED) ? crypto.random(32) : clientRandom;
        List<byte[]> originChain = Certificates.encode(TestCredentials.PKI.serverEcdsa().chain());
        SignedProxyInfo info = new ProxyInfoSigner(crypto, SigningMode.BOUND).sign(key, List.of(SignatureScheme.ECDSA_SECP256R1_SHA256),
                signedClientRandom, serverRandom, new ConnectionSecurityParameters(TLS12, SUITE, 0), originChain, crypto.random(32),
                false, new ProxyInfoCodec().decode(new byte[] {3}));
        return ProxyInfoCodec.encode(info);
    }

    private void send(String input) throws IOException, TlsFatalAlert {
        switch (input) {
            case Symbols.SERVER_HELLO:
            case Symbols.SERVER_HELLO_PI_VALID:
            case Symbols.SERVER_HELLO_PI_FORGED:
            case Symbols.SERVER_HELLO_PI_REPLAYED:
            case Symbols.SERVER_HELLO_PI_MALFORMED: {
                serverRandom = crypto.random(32);
                List<Extension> ext = new ArrayList<>(List.of(new Extension(ExtensionType.EXTENDED_MASTER_SECRET, new byte[0]),
                        new Extension(ExtensionType.RENEGOTIATION_INFO, new byte[] {0})));
                proxyInfoSent = !input.equals(Symbols.SERVER_HELLO);
                if (proxyInfoSent) {
                    ext.add(new Extension(ExtensionType.PROXY_INFO_DEFAULT, assertion(input)));
                }
                handshake(HandshakeType.SERVER_HELLO, new ServerHello(TLS12, serverRandom, new byte[0], SUITE, 0, ext).encode());
                break;
            }
            case Symbols.CERTIFICATE:
                handshake(HandshakeType.CERTIFICATE,
                        new org.proxyinfo.wire.Certificate(Certificates.encode(credential().chain())).encode());
                break;
            case Symbols.SERVER_KEY_EXCHANGE: {
                share = crypto.generateKeyShare(NamedGroup.X25519);
                byte[] params = ServerKeyExchange.params(NamedGroup.X25519, share.publicValue());
                byte[] cr = clientRandom != null ? clientRandom : new byte[32];
                byte[] sr = serverRandom != null ? serverRandom : crypto.random(32);
                byte[] sig = crypto.sign(credential().privateKey(), SignatureScheme.ECDSA_SECP256R1_SHA256,
                        ServerKeyExchange.signedInput(cr, sr, params));
                handshake(HandshakeType.SERVER_KEY_EXCHANGE,
                        new ServerKeyExchange(NamedGroup.X25519, share.publicValue(), SignatureScheme.ECDSA_SECP256R1_SHA256, sig).encode());
                break;
            }
            case Symbols.SERVER_HELLO_DONE:
                handshake(HandshakeType.SERVER_HELLO_DONE, new byte[0]);
                break;
            case Symbols.CHANGE_CIPHER_SPEC:
                record(ContentType.CHANGE_CIPHER_SPEC, new byte[] {1});
                if (block != null) {
                    writeCipher = new RecordCipher(crypto, block[1], block[3]);
                }
                break;
            case Symbols.FINISHED: {
                byte[] vd = master != null
                        ? KeyMaterial.verifyData(crypto, SUITE, master, false, crypto.hash(CipherSuite.prfHash(SUITE), transcript.toByteArray()))
                        : new byte[12];
                handshake(HandshakeType.FINISHED, new Finished(vd).encode());
                break;
            }
            case Symbols.APPLICATION_DATA:
                record(ContentType.APPLICATION_DATA, LearnClientMapper.PING);
                break;
            case Symbols.ALERT_FATAL:
                record(ContentType.ALERT, new byte[] {2, (byte) AlertDescription.HANDSHAKE_FAILURE});
                break;
            case Symbols.CLIENT_HELLO:
                record(ContentType.HANDSHAKE, new HandshakeMessage(HandshakeType.CLIENT_HELLO, new ClientHello(TLS12, crypto.random(32),
                        new byte[0], new int[] {SUITE}, new byte[] {0}, List.of()).encode()).encoded());
                break;
            case Symbols.CLIENT_KEY_EXCHANGE:
                record(ContentType.HANDSHAKE, new HandshakeMessage(HandshakeType.CLIENT_KEY_EXCHANGE,
                        new ClientKeyExchange(crypto.generateKeyShare(NamedGroup.X25519).publicValue()).encode()).encoded());
                break;
            default:
                throw new IllegalArgumentException("not an input of this mapper: " + input);
        }
    }

    private void handshake(int type, byte[] body) throws IOException, TlsFatalAlert {
        byte[] m = new HandshakeMessage(type, body).encoded();
        transcript.writeBytes(m);
        record(ContentType.HANDSHAKE, m);
    }

    private void record(int type, byte[] plain) throws IOException, TlsFatalAlert {
        byte[] frag = writeCipher == null ? plain : writeCipher.seal(type, TLS12, plain);
        socket.getOutputStream().write(new TlsWriter().u8(type).u16(TLS12).vector(2, frag).toByteArray());
        socket.getOutputStream().flush();
    }

    private String receive() {
        boolean settled = quiet.await(socket.getLocalPort(), capMillis);
        List<String> out = new ArrayList<>();
        byte[] buf = new byte[16384];
        try {
            socket.setSoTimeout(quiet.readTimeoutMillis());
            while (true) {
                int n;
                try {
                    n = in.read(buf);
                } catch (SocketTimeoutException e) {
                    break;
                }
                if (n < 0) {
                    closed = true;
                    break;
                }
                pending.write(buf, 0, n);
                parse(out);
            }
        } catch (IOException e) {
            closed = true;
        }
        if (closed) {
            out.add(Symbols.CLOSED);
        }
        if (out.isEmpty()) {
            out.add(settled ? Symbols.TIMEOUT : Symbols.BUSY);
        }
        return String.join(" ", out);
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
                    if (block != null) {
                        readCipher = new RecordCipher(crypto, block[0], block[2]);
                    }
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
            switch (m.type) {
                case HandshakeType.CLIENT_HELLO: {
                    transcript.writeBytes(m.encoded());
                    ClientHello ch = ClientHello.decode(m.body);
                    clientRandom = ch.random;
                    return Extension.find(ch.extensions, ExtensionType.PROXY_INFO_DEFAULT) != null
                            ? Symbols.CLIENT_HELLO_PROXY_INFO : Symbols.CLIENT_HELLO;
                }
                case HandshakeType.CLIENT_KEY_EXCHANGE: {
                    transcript.writeBytes(m.encoded());
                    ClientKeyExchange cke = ClientKeyExchange.decode(m.body);
                    if (share != null && clientRandom != null && serverRandom != null) {
                        byte[] pms = share.agree(cke.publicValue);
                        byte[] sessionHash = crypto.hash(CipherSuite.prfHash(SUITE), transcript.toByteArray());
                        master = KeyMaterial.masterSecret(crypto, SUITE, pms, true, sessionHash, clientRandom, serverRandom);
                        block = KeyMaterial.keyBlock(crypto, SUITE, master, clientRandom, serverRandom);
                    }
                    return Symbols.CLIENT_KEY_EXCHANGE;
                }
                default:
                    transcript.writeBytes(m.encoded());
                    return HandshakeType.name(m.type);
            }
        } catch (TlsFatalAlert e) {
            return "malformed_" + HandshakeType.name(m.type);
        }
    }
}
