package org.proxyinfo.role;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.ext.ExtensionTable;
import org.proxyinfo.pki.Credential;
import org.proxyinfo.pki.RevocationPolicy;
import org.proxyinfo.pki.TestPki;
import org.proxyinfo.proxyinfo.ProxyInfoCodec;
import org.proxyinfo.proxyinfo.ProxyInfoTableEntry;
import org.proxyinfo.proxyinfo.SigningMode;
import org.proxyinfo.proxyinfo.UpstreamPolicy;
import org.proxyinfo.proxyinfo.ValidatorCertificateChecks;

/**
 * Loopback parts for the load test and the benchmarks: an echoing origin server (our TlsServer),
 * a black-hole origin (accepts TCP, never answers), our proxy in front of an origin, and client
 * configurations (direct, or through the proxy with the proxy_info check, DEC-8..13).
 */
public final class ProxyFixture {
    public static final String HOST = TestPki.ORIGIN_HOST;
    static final TestPki PKI = TestCredentials.PKI;

    private ProxyFixture() { }

    /** Our TLS server on loopback, echoing application data; one thread per connection. */
    public static final class EchoOrigin implements AutoCloseable {
        final ServerSocket listener;
        final ExecutorService pool;
        final Set<Socket> open = ConcurrentHashMap.newKeySet();
        final Thread acceptor;
        final int echoDelayMillis;
        public final AtomicInteger established = new AtomicInteger();
        /** DEC-22: the connections that resumed a session of this origin (abbreviated handshakes). */
        public final AtomicInteger resumed = new AtomicInteger();
        /**
         * Every connection accepted, established or not, for tests that read the origin's side; null unless asked for
         * (the load tests make thousands of connections, which must not be kept).
         */
        public final java.util.concurrent.BlockingQueue<TlsConnection> accepted;

        public EchoOrigin(int echoDelayMillis) throws IOException {
            this(new TlsConfig(new BcTlsCrypto(new SecureRandom())).credential(TestCredentials.EC).credential(TestCredentials.RSA)
                    .timeoutMillis(10_000), echoDelayMillis, false);
        }

        /** An origin with this configuration (credentials, trace, timeouts); keeps its connections in {@link #accepted}. */
        public EchoOrigin(TlsConfig cfg) throws IOException {
            this(cfg, 0, true);
        }

        private EchoOrigin(TlsConfig cfg, int echoDelayMillis, boolean keepAccepted) throws IOException {
            this.echoDelayMillis = echoDelayMillis;
            this.accepted = keepAccepted ? new java.util.concurrent.LinkedBlockingQueue<>() : null;
            listener = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
            AtomicInteger n = new AtomicInteger();
            pool = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "origin-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            TlsServer server = new TlsServer(cfg);
            acceptor = new Thread(() -> {
                while (!listener.isClosed()) {
                    Socket s;
                    try {
                        s = listener.accept();
                    } catch (IOException e) {
                        return;
                    }
                    open.add(s);
                    pool.execute(() -> serve(server, s));
                }
            }, "origin-acceptor");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private void serve(TlsServer server, Socket s) {
            try {
                TlsConnection c = server.accept(new SocketTransport(s));
                if (accepted != null) {
                    accepted.add(c);
                }
                if (c.isEstablished()) {
                    established.incrementAndGet();
                    if (c.resumed()) {
                        resumed.incrementAndGet();
                    }
                    byte[] buf = new byte[16384];
                    int n;
                    while ((n = c.read(buf, 0, buf.length)) >= 0) {
                        if (echoDelayMillis > 0) {
                            Thread.sleep(echoDelayMillis);
                        }
                        c.write(buf, 0, n);
                    }
                }
                c.close();
            } catch (IOException | InterruptedException e) {
                // the peer went away
            } finally {
                open.remove(s);
                try {
                    s.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
        }

        public int port() {
            return listener.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            listener.close();
            for (Socket s : open) {
                s.close();
            }
            pool.shutdown();
            pool.awaitTermination(10, TimeUnit.SECONDS);
            acceptor.join(5000);
        }
    }

    /** Accepts TCP connections and never says a word (a server that hangs mid-handshake). */
    public static final class BlackHole implements AutoCloseable {
        final ServerSocket listener;
        final Set<Socket> open = ConcurrentHashMap.newKeySet();
        final Thread acceptor;

        public BlackHole() throws IOException {
            listener = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
            acceptor = new Thread(() -> {
                while (!listener.isClosed()) {
                    try {
                        open.add(listener.accept());
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "black-hole");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        public int port() {
            return listener.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            listener.close();
            for (Socket s : open) {
                s.close();
            }
            acceptor.join(5000);
        }
    }

    /** A synchronized log sink for the proxy's one-line-per-connection messages. */
    public static final class Log {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        public final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        public synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    /** Our proxy (DEC-14..18) in front of 127.0.0.1:upstreamPort, with the given limits. */
    public static ProxyServer proxy(int upstreamPort, int maxConnections, int handshakeTimeoutMillis, int idleTimeoutMillis,
                                    int relayBuffer, PrintStream log) throws IOException {
        Credential own = PKI.proxy();
        ProxyConfig cfg = new ProxyConfig(new BcTlsCrypto(new SecureRandom()), new ServerCredential(own.privateKey(), own.chain()))
                .webTrust(PKI.webTrust(), RevocationPolicy.DEFAULT, PKI.webCrls()).proxyTrust(PKI.proxyTrust())
                .upstream("127.0.0.1", upstreamPort).limits(maxConnections, handshakeTimeoutMillis, idleTimeoutMillis, relayBuffer)
                .connectTimeoutMillis(handshakeTimeoutMillis);
        return new ProxyServer(new TlsProxy(cfg), InetAddress.getLoopbackAddress(), 0, log).start();
    }

    /** A client that trusts the web root (DEC-10) and, if {@code viaProxy}, offers and checks proxy_info. */
    public static TlsConfig client(boolean viaProxy, int timeoutMillis) {
        BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());
        TlsConfig cfg = new TlsConfig(crypto).timeoutMillis(timeoutMillis)
                .trustAnchors(PKI.webTrust(), RevocationPolicy.DEFAULT, PKI.webCrls());
        if (viaProxy) {
            ProxyInfoClientCheck check = new ProxyInfoClientCheck(crypto, SigningMode.BOUND, 0xFF50,
                    new ValidatorCertificateChecks(PKI.proxyTrust(), List.of(), PKI.webTrust(), RevocationPolicy.DEFAULT,
                            PKI.webCrls(), Clock.systemUTC()),
                    UpstreamPolicy.defaults(), null, "client", "session1", ProxyInfoCodec.DEFAULT_MAX_DEPTH);
            cfg.extensions(ExtensionTable.DEFAULT.with(new ProxyInfoTableEntry(0xFF50))).proxyInfoCheck(check);
        }
        return cfg;
    }
}
