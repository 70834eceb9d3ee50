package org.proxyinfo.role;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.learn.Quiescence;
import org.proxyinfo.pki.TestPki;
import org.proxyinfo.wire.CipherSuite;

/**
 * The systems under learning that run in this JVM, each in its own thread group so that
 * {@link Quiescence.InProcess} can tell when it has answered: our server (with an echo
 * application), and our proxy in front of our server as origin. Closed with {@link #close()}.
 */
public final class LearnTargets {
    private LearnTargets() { }

    /** A started system under learning: where the learner connects and how it knows the answer is complete. */
    public static final class Target implements AutoCloseable {
        public final String name;
        public final int port;
        public final String serverName;
        public final Quiescence quiescence;
        public final int[] suites;
        final AutoCloseable[] parts;

        Target(String name, int port, String serverName, Quiescence quiescence, int[] suites, AutoCloseable... parts) {
            this.name = name;
            this.port = port;
            this.serverName = serverName;
            this.quiescence = quiescence;
            this.suites = suites;
            this.parts = parts;
        }

        /** The learner's mapper for this target (a new connection per query). */
        public LearnClientMapper mapper(long capMillis) {
            return new LearnClientMapper(port, serverName, quiescence, suites, capMillis);
        }

        @Override public void close() throws Exception {
            for (AutoCloseable p : parts) {
                p.close();
            }
        }
    }

    static final int[] OUR_SUITES = {CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256};

    /** Our TlsServer with an echo application, one thread per connection. */
    public static Target ourServer() throws Exception {
        ThreadGroup g = new ThreadGroup("learn-our-server");
        EchoServer s = inGroup(g, () -> new EchoServer());
        return new Target("our-server", s.port(), TestCredentials.HOST, new Quiescence.InProcess(g, Set.of(s.port())),
                OUR_SUITES, s);
    }

    /** Our proxy (policy refuse, DEC-17) in front of our echo server: the learner talks to session #1. */
    public static Target proxySession1() throws Exception {
        ThreadGroup g = new ThreadGroup("learn-proxy-session1");
        EchoServer origin = inGroup(g, () -> new EchoServer());
        ProxyFixture.Log log = new ProxyFixture.Log();
        ProxyServer proxy = inGroup(g, () -> ProxyFixture.proxy(origin.port(), 64, 10_000, 10_000, 16384, log.stream));
        return new Target("proxy-session1", proxy.port(), TestPki.ORIGIN_HOST,
                new Quiescence.InProcess(g, Set.of(proxy.port(), origin.port())), OUR_SUITES, proxy, origin);
    }

    interface Maker<T> {
        T make() throws Exception;
    }

    /** Builds {@code m} on a thread of {@code g}, so that every thread it starts belongs to {@code g}. */
    static <T> T inGroup(ThreadGroup g, Maker<T> m) throws Exception {
        AtomicReference<Object> r = new AtomicReference<>();
        Thread t = new Thread(g, () -> {
            try {
                r.set(m.make());
            } catch (Exception e) {
                r.set(e);
            }
        }, g.getName() + "-setup");
        t.start();
        t.join();
        if (r.get() instanceof Exception) {
            throw (Exception) r.get();
        }
        @SuppressWarnings("unchecked") T v = (T) r.get();
        return v;
    }

    /** Our TlsServer (EC and RSA credentials) echoing application data; the acceptor lives in the creating thread's group. */
    static final class EchoServer implements AutoCloseable {
        final ServerSocket listener;
        final Thread acceptor;

        EchoServer() throws IOException {
            listener = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
            TlsServer server = new TlsServer(new TlsConfig(new BcTlsCrypto(new SecureRandom()))
                    .credential(TestCredentials.EC).credential(TestCredentials.RSA).timeoutMillis(20_000));
            acceptor = new Thread(() -> {
                while (!listener.isClosed()) {
                    Socket s;
                    try {
                        s = listener.accept();
                    } catch (IOException e) {
                        return;
                    }
                    Thread t = new Thread(() -> serve(server, s), "learn-echo-conn");
                    t.setDaemon(true);
                    t.start();
                }
            }, "learn-echo-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        private static void serve(TlsServer server, Socket s) {
            try (s) {
                TlsConnection c = server.accept(new SocketTransport(s));
                if (c.isEstablished()) {
                    byte[] buf = new byte[16384];
                    int n;
                    while ((n = c.read(buf, 0, buf.length)) >= 0) {
                        c.write(buf, 0, n);
                    }
                }
                c.close();
            } catch (IOException e) {
                // the learner went away
            }
        }

        @Override public void close() throws Exception {
            listener.close();
            acceptor.join(5000);
        }
    }
}
