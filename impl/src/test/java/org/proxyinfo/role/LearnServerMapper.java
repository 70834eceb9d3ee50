package org.proxyinfo.role;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.ArrayList;
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
    private final LearnRecordReader reader;
    private String greeting;
    private ByteArrayOutputStream transcript;
    private byte[] clientRandom;
    private byte[] serverRandom;
    private boolean proxyInfoSent;
    private TlsCrypto.KeyShare share;
    private byte[] master;
    private byte[][] block;
    private RecordCipher writeCipher;

    public LearnServerMapper(Trigger trigger, Quiescence quiet, long capMillis) throws IOException {
        this.trigger = trigger;
        this.quiet = quiet;
        this.capMillis = capMillis;
        this.listener = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        this.reader = new LearnRecordReader(quiet, capMillis, new LearnRecordReader.Peer() {
            @Override public String handshake(HandshakeMessage m) throws TlsFatalAlert {
                return LearnServerMapper.this.handshake(m);
            }

            @Override public RecordCipher readCipherAfterChangeCipherSpec() {
                return block == null ? null : new RecordCipher(crypto, block[0], block[2]);
            }
        });
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
        transcript = new ByteArrayOutputStream();
        clientRandom = null;
        serverRandom = null;
        proxyInfoSent = false;
        share = null;
        master = null;
        block = null;
        writeCipher = null;
        try {
            trigger.connect(port());
            listener.setSoTimeout(10_000);
            socket = listener.accept();
            socket.setTcpNoDelay(true);
            reader.start(socket);
        } catch (Exception e) {
            throw new IllegalStateException("the client under learning did not connect: " + e, e);
        }
        greeting = reader.receive();
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
        if (reader.closed()) {
            return Symbols.CLOSED;
        }
        try {
            send(input);
        } catch (IOException e) {
            // reset by the peer: what it said before is still readable
        } catch (TlsFatalAlert e) {
            throw new IllegalStateException("the mapper cannot build " + input + ": " + e.getMessage(), e);
        }
        return reader.receive();
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
            case Symbols.SERVER_HELLO_PI_MALFORMED:
            case Symbols.SERVER_HELLO_PI_SERVER_TO_PROXY: {
                serverRandom = crypto.random(32);
                List<Extension> ext = new ArrayList<>(List.of(new Extension(ExtensionType.EXTENDED_MASTER_SECRET, new byte[0]),
                        new Extension(ExtensionType.RENEGOTIATION_INFO, new byte[] {0})));
                // an assertion comes from a proxy, with the proxy's certificate; server_to_proxy from the origin
                proxyInfoSent = !input.equals(Symbols.SERVER_HELLO) && !input.equals(Symbols.SERVER_HELLO_PI_SERVER_TO_PROXY);
                if (proxyInfoSent) {
                    ext.add(new Extension(ExtensionType.PROXY_INFO_DEFAULT, assertion(input)));
                } else if (input.equals(Symbols.SERVER_HELLO_PI_SERVER_TO_PROXY)) {
                    ext.add(new Extension(ExtensionType.PROXY_INFO_DEFAULT, new byte[] {3})); // DEC-3 flag, draft's empty body
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

    /** The abstract name of a client message; its ClientHello and ClientKeyExchange give the keys. */
    private String handshake(HandshakeMessage m) throws TlsFatalAlert {
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
    }
}
