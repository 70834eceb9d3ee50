package org.proxyinfo.adversary;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.proxyinfo.crypto.TlsCrypto;
import org.proxyinfo.ext.ExtensionTable;
import org.proxyinfo.pki.CertificateValidator;
import org.proxyinfo.pki.RevocationPolicy;
import org.proxyinfo.pki.ValidationResult;
import org.proxyinfo.proxyinfo.ConnectionSecurityParameters;
import org.proxyinfo.proxyinfo.ProxyInfo;
import org.proxyinfo.proxyinfo.ProxyInfoExtension;
import org.proxyinfo.proxyinfo.ProxyInfoSigner;
import org.proxyinfo.proxyinfo.ProxyInfoTableEntry;
import org.proxyinfo.proxyinfo.SignedProxyInfo;
import org.proxyinfo.proxyinfo.SigningMode;
import org.proxyinfo.role.AcceptLoop;
import org.proxyinfo.role.ServerCredential;
import org.proxyinfo.role.SessionCache;
import org.proxyinfo.role.SocketTransport;
import org.proxyinfo.role.TlsClient;
import org.proxyinfo.role.TlsConfig;
import org.proxyinfo.role.TlsConnection;
import org.proxyinfo.role.TlsServer;
import org.proxyinfo.role.Transport;
import org.proxyinfo.trace.TraceSink;
import org.proxyinfo.wire.ClientHello;
import org.proxyinfo.wire.Extension;
import org.proxyinfo.wire.ExtensionType;
import org.proxyinfo.wire.HandshakeType;
import org.proxyinfo.wire.Hex;
import org.proxyinfo.wire.ProtocolVersion;
import org.proxyinfo.wire.ServerHello;
import org.proxyinfo.wire.TlsFatalAlert;

/**
 * {@link Attack#RESUME_OVER_FULL_SESSION2} (DEC-22, 01-R2 broken): a compromised proxy host that resumes session #1
 * over a full session #2. An honest proxy never does so (its {@code Resumption} core resumes session #1 only if the
 * server resumed the linked session #2) and has no switch for it; this adversary acts around it, on its host, with
 * what the host holds: the proxy's key, its session-#1 cache (the master secrets of the sessions it made with its
 * clients) and the wire.
 *
 * <p>It listens where the client connects and reads each ClientHello. A ClientHello that offers no session, or one
 * the proxy's session-#1 cache does not know, goes on unchanged to the honest proxy (a byte splice): the first run
 * of the scenario is the honest proxy's full session #1 over a full session #2, cached and linked as DEC-22 says. A
 * ClientHello that offers a known session #1 is served by the adversary itself, with the real roles: an ordinary
 * {@link TlsServer} holding the proxy's certificate and its session-#1 cache resumes session #1 (RFC 5246
 * abbreviated handshake, its own cores deciding), while a {@link TlsClient} runs a FULL session #2 with the origin
 * (no session offered, the client's client_random forwarded, the chain validated against the web trust). On the
 * proxy's host the adversary then puts into the abbreviated ServerHello a fresh ProxyInfo about that full session #2,
 * signed with the proxy's key over this session's randoms (DEC-5 bound), and relays the data both ways.
 *
 * <p>What the client can check on the abbreviated handshake (DEC-22) all passes: the ProxyInfo verifies with the
 * cached proxy key and is bound to this session's randoms, it reports the cached server chain (the origin presents
 * the same one on the full session #2) and parameters within the client's DEC-11 policy. Nothing in the ProxyInfo
 * says whether session #2 was resumed, and session #2's server_random is fresh in either case. So the client cannot
 * detect it: the scenario's expected outcome is "accepted: the attack goes through undetected", the case the model
 * decides as claim RS1 under proxy-lies (VIOLATED in PI-BOUND, counterexample
 * {@code proofs/model/traces/cex_RS1_PI-BOUND_proxy-lies.json}): 01-R2 rests on the proxy's honesty (G4).
 *
 * <p>Every step is a {@code check} event of role attacker among the proxy's events (TraceSink.adversary), named
 * "ADVERSARY: ...", passed=false.
 */
public final class ResumeOverFullSession2 implements AutoCloseable {
    /** What the adversary's own session #1 and full session #2 are made with: the proxy's, as its host holds them. */
    public static final class Setup {
        public TlsCrypto crypto;
        public Clock clock = Clock.systemUTC();
        public TraceSink trace = TraceSink.NONE;
        public String role = "proxy";
        public String downstreamLeg = "session1";
        public String upstreamLeg = "session2";
        public int codePoint = ProxyInfoExtension.DEFAULT_EXTENSION_TYPE;
        public SigningMode signingMode = SigningMode.BOUND;
        public ServerCredential proxyCredential;
        /** The honest proxy's session-#1 cache: the adversary on its host reads the master secrets in it. */
        public SessionCache session1Cache;
        public List<X509Certificate> webTrust = List.of();
        public List<X509CRL> webCrls = List.of();
        public String upstreamHost = "127.0.0.1";
        public int upstreamPort;
        /** The honest proxy's listening port (where every other connection is spliced to). */
        public int honestProxyPort;
        public int timeoutMillis = 10_000;
    }

    private final Setup setup;
    private final AcceptLoop loop;

    public ResumeOverFullSession2(Setup setup) throws IOException {
        if (setup.crypto == null || setup.proxyCredential == null || setup.session1Cache == null) {
            throw new IllegalArgumentException("the adversary needs the proxy's crypto, key and session-#1 cache");
        }
        this.setup = setup;
        this.loop = new AcceptLoop(setup.role + "-adversary", InetAddress.getLoopbackAddress(), 0, 16,
                AcceptLoop.WhenFull.REFUSE, ScenarioLog.NOWHERE, this::handle);
    }

    public ResumeOverFullSession2 start() {
        loop.start();
        return this;
    }

    /** Where the client connects (in front of the honest proxy). */
    public int port() { return loop.port(); }

    /** Connections being handled right now. */
    public int active() { return loop.active(); }

    @Override
    public void close() {
        loop.close();
    }

    private void did(String leg, String requirement, String what, String detail) {
        setup.trace.adversary(setup.role, leg, requirement, what, detail);
    }

    private void handle(Socket client) {
        try {
            client.setSoTimeout(setup.timeoutMillis);
            client.setTcpNoDelay(true);
            byte[] first = readRecord(client.getInputStream());
            ClientHello ch = clientHello(first);
            SessionCache.Session known = ch == null || ch.sessionId.length == 0 ? null
                    : setup.session1Cache.peek(SessionCache.serverKey(ch.sessionId));
            if (known == null || known.linked == null) {
                splice(client, first); // the honest proxy serves it
            } else {
                resumeOverFull(client, first, ch, known);
            }
        } catch (IOException e) {
            // the client went away: nothing to do
        } finally {
            quietly(client);
        }
    }

    /** Session #1 resumed by the adversary's server, session #2 full with the origin, then the relay. */
    private void resumeOverFull(Socket clientSocket, byte[] first, ClientHello ch, SessionCache.Session known) throws IOException {
        did(setup.downstreamLeg, "01-R2", "the client offers session " + known.idHex() + " (linked to session #2 "
                + known.linked.idHex() + "): the proxy's host resumes session #1 itself and runs a FULL session #2"
                + " (no session_id offered upstream)", "an honest proxy offers the linked session #2 (01-R1) and resumes"
                + " session #1 only if the server resumed it (01-R2)");
        TlsConnection[] session2 = new TlsConnection[1];
        Socket[] upstream = new Socket[1];
        TlsConfig down = new TlsConfig(setup.crypto).clock(setup.clock).trace(setup.trace).roleName(setup.role)
                .leg(setup.downstreamLeg).extensions(ExtensionTable.DEFAULT.with(new ProxyInfoTableEntry(setup.codePoint)))
                .credential(setup.proxyCredential).timeoutMillis(setup.timeoutMillis)
                .handshakeDeadlineMillis(setup.timeoutMillis).sessionCache(setup.session1Cache)
                .tap((type, body, cr, sr) -> {
                    if (type != HandshakeType.SERVER_HELLO) {
                        return body;
                    }
                    return abbreviatedServerHello(body, ch, cr, sr, session2, upstream);
                });
        TlsConnection s1 = new TlsServer(down).accept(new Prefixed(clientSocket, first));
        TlsConnection s2 = session2[0];
        try {
            if (s1.isEstablished() && s2 != null && s2.isEstablished()) {
                relay(s1, s2);
            }
        } finally {
            s1.close();
            if (s2 != null) {
                s2.close();
            }
            if (upstream[0] != null) {
                quietly(upstream[0]);
            }
        }
    }

    /**
     * The tap on the ServerHello the adversary's server produced: if it resumes the offered session, run the full
     * session #2 now and add the proxy's fresh signed ProxyInfo about it (the ordinary server sends none, DEC-19).
     */
    private byte[] abbreviatedServerHello(byte[] body, ClientHello ch, byte[] cr, byte[] sr, TlsConnection[] session2,
                                          Socket[] upstream) {
        try {
            ServerHello sh = ServerHello.decode(body);
            if (!Arrays.equals(sh.sessionId, ch.sessionId)) {
                return body; // not resumed after all (e.g. the cache entry expired): a full handshake, left alone
            }
            SocketTransport t = SocketTransport.connect(setup.upstreamHost, setup.upstreamPort, setup.timeoutMillis);
            upstream[0] = t.socket();
            ValidationResult[] validation = new ValidationResult[1];
            CertificateValidator validator = new CertificateValidator(setup.webTrust, setup.clock, RevocationPolicy.DEFAULT,
                    setup.webCrls);
            TlsConfig up = new TlsConfig(setup.crypto).clock(setup.clock).trace(setup.trace).roleName(setup.role)
                    .leg(setup.upstreamLeg).extensions(ExtensionTable.DEFAULT.with(new ProxyInfoTableEntry(setup.codePoint)))
                    .proxyInfoType(setup.codePoint).timeoutMillis(setup.timeoutMillis)
                    .handshakeDeadlineMillis(setup.timeoutMillis).verifier((chain, der, host) -> {
                        validation[0] = validator.validateServer(der, host);
                        return validation[0].summary();
                    }); // no session cache: a full session #2, whatever the proxy cached
            String host = sniOf(ch);
            TlsConnection s2 = new TlsClient(up).connect(t, host, ch.random);
            session2[0] = s2;
            if (!s2.isEstablished() || s2.resumed()) {
                return body; // no full session #2 to report: the client gets no ProxyInfo (and refuses, DEC-22)
            }
            did(setup.downstreamLeg, "01-R2", "session #2 " + s2.sessionId() + " is a FULL handshake with the origin",
                    "the client's session #1 " + known(ch) + " is resumed over it");
            List<byte[]> chain = new ArrayList<>();
            for (X509Certificate c : s2.peerCertificates()) {
                chain.add(c.getEncoded());
            }
            List<Integer> schemes = signatureSchemes(ch);
            SignedProxyInfo spi = new ProxyInfoSigner(setup.crypto, setup.signingMode).sign(setup.proxyCredential.privateKey,
                    schemes, cr, sr, new ConnectionSecurityParameters(ProtocolVersion.TLS12, s2.cipherSuite(), 0), chain,
                    s2.serverRandom(), validation[0] != null && validation[0].revocationCheckingPerformed(),
                    ProxyInfo.endOfChain());
            int other = 0;
            for (Extension e : sh.extensions) {
                other += 4 + e.data.length;
            }
            List<Extension> ext = new ArrayList<>(sh.extensions);
            ext.add(new Extension(setup.codePoint, ProxyInfoExtension.encodeForServerHello(spi, other)));
            did(setup.downstreamLeg, "01-R2", "abbreviated ServerHello resuming session " + Hex.of(sh.sessionId) + " carries"
                    + " a fresh ProxyInfo about the full session #2, signed with the proxy's key", "the client's checks"
                    + " (cached proxy key, DEC-5 binding, cached chain, DEC-11) all pass: it cannot tell (RS1, proxy-lies)");
            return new ServerHello(sh.serverVersion, sh.random, sh.sessionId, sh.cipherSuite, sh.compressionMethod, ext).encode();
        } catch (TlsFatalAlert | IOException | java.security.cert.CertificateEncodingException e) {
            return body;
        }
    }

    private static void quietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closed anyway
        }
    }

    private String known(ClientHello ch) {
        return Hex.of(ch.sessionId);
    }

    /** DEC-18-like relay, both ways, until either side ends; close_notify to the other side. */
    private void relay(TlsConnection s1, TlsConnection s2) {
        Thread toClient = new Thread(() -> pump(s2, s1), setup.role + "-adversary-to-client");
        toClient.setDaemon(true);
        toClient.start();
        pump(s1, s2);
        try {
            toClient.join(5_000L);
            if (toClient.isAlive()) {
                s1.close();
                s2.close();
                toClient.join(5_000L);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pump(TlsConnection from, TlsConnection to) {
        from.relayAllTo(to, 16 * 1024);
    }

    /** Any other connection: the bytes read so far, then both directions unchanged, to and from the honest proxy. */
    private void splice(Socket client, byte[] first) throws IOException {
        try (Socket proxy = new Socket(InetAddress.getLoopbackAddress(), setup.honestProxyPort)) {
            proxy.setTcpNoDelay(true);
            proxy.setSoTimeout(0);
            client.setSoTimeout(0);
            proxy.getOutputStream().write(first);
            proxy.getOutputStream().flush();
            Thread back = new Thread(() -> copy(proxy, client), setup.role + "-adversary-splice");
            back.setDaemon(true);
            back.start();
            copy(client, proxy);
            try {
                back.join(15_000L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void copy(Socket from, Socket to) {
        byte[] buf = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed
        } finally {
            try {
                to.shutdownOutput();
            } catch (IOException e) {
                // closed already
            }
        }
    }

    /** One TLS record (header and body) from the stream. */
    static byte[] readRecord(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        byte[] header = new byte[5];
        d.readFully(header);
        int length = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
        if (length > 18_432) {
            throw new IOException("not a TLS record");
        }
        byte[] record = Arrays.copyOf(header, 5 + length);
        d.readFully(record, 5, length);
        return record;
    }

    /** The ClientHello in a handshake record, or null when the record holds none (whole). */
    static ClientHello clientHello(byte[] record) {
        if (record.length < 9 || record[0] != 22 || record[5] != HandshakeType.CLIENT_HELLO) {
            return null;
        }
        int length = ((record[6] & 0xff) << 16) | ((record[7] & 0xff) << 8) | (record[8] & 0xff);
        if (9 + length > record.length) {
            return null;
        }
        try {
            return ClientHello.decode(Arrays.copyOfRange(record, 9, 9 + length));
        } catch (TlsFatalAlert e) {
            return null;
        }
    }

    private static String sniOf(ClientHello ch) {
        Extension x = Extension.find(ch.extensions, ExtensionType.SERVER_NAME);
        if (x == null || x.data.length < 5) {
            return null;
        }
        int len = ((x.data[3] & 0xff) << 8) | (x.data[4] & 0xff);
        return new String(x.data, 5, Math.min(len, x.data.length - 5), java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static List<Integer> signatureSchemes(ClientHello ch) {
        List<Integer> out = new ArrayList<>();
        Extension x = Extension.find(ch.extensions, ExtensionType.SIGNATURE_ALGORITHMS);
        if (x == null || x.data.length < 2) {
            return out;
        }
        for (int i = 2; i + 1 < x.data.length; i += 2) {
            out.add(((x.data[i] & 0xff) << 8) | (x.data[i + 1] & 0xff));
        }
        return out;
    }

    /** The client's socket with the record the adversary read first put back in front. */
    private static final class Prefixed implements Transport {
        private final SocketTransport socket;
        private final InputStream in;

        Prefixed(Socket s, byte[] first) {
            this.socket = new SocketTransport(s);
            this.in = new SequenceInputStream(new ByteArrayInputStream(first), socket.input());
        }

        @Override public InputStream input() { return in; }

        @Override public OutputStream output() { return socket.output(); }

        @Override public String describe() { return socket.describe(); }

        @Override public void close() { socket.close(); }

        @Override public boolean isClosed() { return socket.isClosed(); }
    }

    /** Where the accept loop logs (nothing: the adversary's steps are in the trace). */
    private static final class ScenarioLog {
        static final java.io.PrintStream NOWHERE = new java.io.PrintStream(OutputStream.nullOutputStream());
    }
}
