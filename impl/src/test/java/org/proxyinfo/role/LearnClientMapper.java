package org.proxyinfo.role;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import de.learnlib.api.SUL;
import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.crypto.TlsCrypto;
import org.proxyinfo.ext.ExtensionTable;
import org.proxyinfo.ext.HelloContext;
import org.proxyinfo.learn.Quiescence;
import org.proxyinfo.learn.Symbols;
import org.proxyinfo.proxyinfo.ProxyInfoTableEntry;
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
 * The learner's TLS 1.2 client (the mapper of de Ruiter and Poll 2015): turns each abstract input
 * of {@link Symbols} into real bytes on a real loopback socket, with real crypto (it derives the
 * keys from what the server really sent, so a correct Finished gets through), and abstracts what
 * comes back into message and alert names. Reset = a new TCP connection. Whatever it lacks to
 * compute a message honestly (a ClientKeyExchange before any ServerKeyExchange, a Finished before
 * keys) it sends a well-formed message with fresh values instead, as the SMACK and de Ruiter
 * mappers do.
 */
public final class LearnClientMapper implements SUL<String, String> {
    static final int TLS12 = 0x0303;
    static final byte[] PING = "ping\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final int port;
    private final String serverName;
    private final Quiescence quiet;
    private final int[] suites;
    private final TlsCrypto crypto = new BcTlsCrypto(new SecureRandom());
    /** How long a step may take before the answer is taken as it is (a busy or hung peer). */
    private final long capMillis;

    // One connection's state (reset in pre()).
    private Socket socket;
    private final LearnRecordReader reader;
    private ByteArrayOutputStream transcript;
    private byte[] clientRandom;
    private byte[] serverRandom;
    private int suite;
    private boolean ems;
    private ServerKeyExchange ske;
    private byte[] master;
    private byte[][] block;
    private RecordCipher writeCipher;

    public LearnClientMapper(int port, String serverName, Quiescence quiet, int[] suites, long capMillis) {
        this.port = port;
        this.serverName = serverName;
        this.quiet = quiet;
        this.suites = suites;
        this.capMillis = capMillis;
        this.reader = new LearnRecordReader(quiet, capMillis, new LearnRecordReader.Peer() {
            @Override public String handshake(HandshakeMessage m) throws TlsFatalAlert {
                return LearnClientMapper.this.handshake(m);
            }

            @Override public RecordCipher readCipherAfterChangeCipherSpec() {
                return block == null ? null : new RecordCipher(crypto, block[1], block[3]);
            }
        });
    }

    @Override public void pre() {
        try {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setTcpNoDelay(true);
            reader.start(socket);
        } catch (IOException e) {
            throw new IllegalStateException("cannot connect to the system under learning on port " + port + ": " + e, e);
        }
        transcript = new ByteArrayOutputStream();
        clientRandom = null;
        serverRandom = null;
        suite = CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
        ems = false;
        ske = null;
        master = null;
        block = null;
        writeCipher = null;
    }

    @Override public void post() {
        try {
            if (quiet instanceof Quiescence.Silence && !reader.closed()) {
                // an external, single-threaded peer (openssl s_server) must be done with this connection
                // before the next query's connection, or its first answer there comes late
                socket.shutdownOutput();
                socket.setSoTimeout(1000);
                byte[] buf = new byte[4096];
                while (reader.in().read(buf) >= 0) {
                    // drain until the peer closes
                }
            }
        } catch (IOException e) {
            // closed or timed out: closing anyway
        }
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
            // the peer has gone (reset): what it said before is still readable
        } catch (TlsFatalAlert e) {
            throw new IllegalStateException("the mapper cannot build " + input + ": " + e.getMessage(), e);
        }
        return reader.receive();
    }

    // ---------------------------------------------------------------------------------------------
    private void send(String input) throws IOException, TlsFatalAlert {
        switch (input) {
            case Symbols.CLIENT_HELLO:
            case Symbols.CLIENT_HELLO_PROXY_INFO: {
                HelloContext ctx = new HelloContext();
                ctx.serverName = serverName;
                ctx.groups = new int[] {NamedGroup.X25519, NamedGroup.SECP256R1};
                ctx.signatureSchemes = SignatureScheme.SUPPORTED;
                List<Extension> ext = new ArrayList<>(ExtensionTable.DEFAULT.produceClientHello(ctx));
                if (input.equals(Symbols.CLIENT_HELLO_PROXY_INFO)) {
                    // the client_to_proxy request of draft section 3 at the DEC-2 code point
                    ProxyInfoTableEntry pi = new ProxyInfoTableEntry(ExtensionType.PROXY_INFO_DEFAULT);
                    ext.add(new Extension(ExtensionType.PROXY_INFO_DEFAULT, pi.produceClientHello(ctx)));
                }
                clientRandom = crypto.random(32);
                byte[] ch = new HandshakeMessage(HandshakeType.CLIENT_HELLO,
                        new ClientHello(TLS12, clientRandom, new byte[0], suites, new byte[] {0}, ext).encode()).encoded();
                transcript = new ByteArrayOutputStream();
                transcript.write(ch);
                record(ContentType.HANDSHAKE, ch);
                break;
            }
            case Symbols.CLIENT_KEY_EXCHANGE: {
                int group = ske != null ? ske.namedGroup : NamedGroup.X25519;
                TlsCrypto.KeyShare share = crypto.generateKeyShare(group);
                byte[] cke = new HandshakeMessage(HandshakeType.CLIENT_KEY_EXCHANGE,
                        new ClientKeyExchange(share.publicValue()).encode()).encoded();
                transcript.write(cke);
                if (ske != null && serverRandom != null && clientRandom != null) {
                    byte[] pms = share.agree(ske.publicValue);
                    byte[] sessionHash = crypto.hash(CipherSuite.prfHash(suite), transcript.toByteArray());
                    master = KeyMaterial.masterSecret(crypto, suite, pms, ems, sessionHash, clientRandom, serverRandom);
                    block = KeyMaterial.keyBlock(crypto, suite, master, clientRandom, serverRandom);
                }
                record(ContentType.HANDSHAKE, cke);
                break;
            }
            case Symbols.CHANGE_CIPHER_SPEC:
                record(ContentType.CHANGE_CIPHER_SPEC, new byte[] {1});
                if (block != null) {
                    writeCipher = new RecordCipher(crypto, block[0], block[2]);
                }
                break;
            case Symbols.FINISHED: {
                byte[] vd = master != null
                        ? KeyMaterial.verifyData(crypto, suite, master, true, crypto.hash(CipherSuite.prfHash(suite), transcript.toByteArray()))
                        : new byte[12];
                byte[] fin = new HandshakeMessage(HandshakeType.FINISHED, new Finished(vd).encode()).encoded();
                transcript.write(fin);
                record(ContentType.HANDSHAKE, fin);
                break;
            }
            case Symbols.APPLICATION_DATA:
                record(ContentType.APPLICATION_DATA, PING);
                break;
            case Symbols.ALERT_FATAL:
                record(ContentType.ALERT, new byte[] {2, (byte) AlertDescription.HANDSHAKE_FAILURE});
                break;
            case Symbols.SERVER_HELLO:
                record(ContentType.HANDSHAKE, new HandshakeMessage(HandshakeType.SERVER_HELLO,
                        new ServerHello(TLS12, crypto.random(32), new byte[0], suites[0], 0, List.of()).encode()).encoded());
                break;
            case Symbols.CERTIFICATE:
                record(ContentType.HANDSHAKE, new HandshakeMessage(HandshakeType.CERTIFICATE,
                        new org.proxyinfo.wire.Certificate(Certificates.encode(TestCredentials.EC.chain)).encode()).encoded());
                break;
            case Symbols.SERVER_KEY_EXCHANGE: {
                TlsCrypto.KeyShare share = crypto.generateKeyShare(NamedGroup.X25519);
                byte[] params = ServerKeyExchange.params(NamedGroup.X25519, share.publicValue());
                byte[] sig = crypto.sign(TestCredentials.EC.privateKey, SignatureScheme.ECDSA_SECP256R1_SHA256,
                        ServerKeyExchange.signedInput(crypto.random(32), crypto.random(32), params));
                record(ContentType.HANDSHAKE, new HandshakeMessage(HandshakeType.SERVER_KEY_EXCHANGE,
                        new ServerKeyExchange(NamedGroup.X25519, share.publicValue(), SignatureScheme.ECDSA_SECP256R1_SHA256, sig)
                                .encode()).encoded());
                break;
            }
            case Symbols.SERVER_HELLO_DONE:
                record(ContentType.HANDSHAKE, new HandshakeMessage(HandshakeType.SERVER_HELLO_DONE, new byte[0]).encoded());
                break;
            default:
                throw new IllegalArgumentException("not an input of this mapper: " + input);
        }
    }

    private void record(int type, byte[] plain) throws IOException, TlsFatalAlert {
        byte[] frag = writeCipher == null ? plain : writeCipher.seal(type, TLS12, plain);
        socket.getOutputStream().write(new TlsWriter().u8(type).u16(TLS12).vector(2, frag).toByteArray());
        socket.getOutputStream().flush();
    }

    /** The abstract name of a server message; its ServerHello and ServerKeyExchange give the keys. */
    private String handshake(HandshakeMessage m) throws TlsFatalAlert {
        switch (m.type) {
            case HandshakeType.SERVER_HELLO: {
                transcript.writeBytes(m.encoded());
                ServerHello sh = ServerHello.decode(m.body);
                serverRandom = sh.random;
                suite = sh.cipherSuite;
                ems = Extension.find(sh.extensions, ExtensionType.EXTENDED_MASTER_SECRET) != null;
                boolean pi = Extension.find(sh.extensions, ExtensionType.PROXY_INFO_DEFAULT) != null;
                return pi ? Symbols.SERVER_HELLO_PROXY_INFO : Symbols.SERVER_HELLO;
            }
            case HandshakeType.SERVER_KEY_EXCHANGE:
                transcript.writeBytes(m.encoded());
                ske = ServerKeyExchange.decode(m.body);
                return Symbols.SERVER_KEY_EXCHANGE;
            case HandshakeType.FINISHED:
                transcript.writeBytes(m.encoded());
                return Symbols.FINISHED;
            default:
                transcript.writeBytes(m.encoded());
                return HandshakeType.name(m.type);
        }
    }
}
