package org.proxyinfo.role;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.proxyinfo.learn.Quiescence;
import org.proxyinfo.pki.TestPki;
import org.proxyinfo.wire.CipherSuite;

/**
 * The systems under learning that run in this JVM, each in its own thread group so that
 * {@link Quiescence.InProcess} can tell when it has answered: our server (with an echo
 * application), and our proxy in front of our server as origin, built from the same parts as the
 * load test ({@link ProxyFixture}: echo origin, proxy, client configuration); created on a thread of
 * the group, so that every thread they start belongs to it. Closed with {@link #close()}.
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
        ProxyFixture.EchoOrigin s = inGroup(g, () -> new ProxyFixture.EchoOrigin(0));
        return new Target("our-server", s.port(), TestCredentials.HOST, new Quiescence.InProcess(g, Set.of(s.port())),
                OUR_SUITES, s);
    }

    /** Our proxy (policy refuse, DEC-17) in front of our echo server: the learner talks to session #1. */
    public static Target proxySession1() throws Exception {
        ThreadGroup g = new ThreadGroup("learn-proxy-session1");
        ProxyFixture.EchoOrigin origin = inGroup(g, () -> new ProxyFixture.EchoOrigin(0));
        ProxyFixture.Log log = new ProxyFixture.Log();
        ProxyServer proxy = inGroup(g, () -> ProxyFixture.proxy(origin.port(), 64, 10_000, 10_000, 16384, log.stream));
        return new Target("proxy-session1", proxy.port(), TestPki.ORIGIN_HOST,
                new Quiescence.InProcess(g, Set.of(proxy.port(), origin.port())), OUR_SUITES, proxy, origin);
    }

    /** A client-side system under learning: the learner is its server; {@link #mapper} owns the listening socket. */
    public static final class ClientTarget implements AutoCloseable {
        public final String name;
        public final LearnServerMapper mapper;
        final AutoCloseable[] parts;

        ClientTarget(String name, LearnServerMapper mapper, AutoCloseable... parts) {
            this.name = name;
            this.mapper = mapper;
            this.parts = parts;
        }

        @Override public void close() throws Exception {
            mapper.close();
            for (AutoCloseable p : parts) {
                p.close();
            }
        }
    }

    /**
     * Our TlsClient offering proxy_info with the production check (ProxyInfoClientCheck, DEC-8..13),
     * connecting to the learner for {@link TestPki#ORIGIN_HOST}, echoing application data once established.
     */
    public static ClientTarget ourClient(long capMillis) throws Exception {
        ThreadGroup g = new ThreadGroup("learn-our-client");
        TlsClient client = new TlsClient(ProxyFixture.client(true, 20_000));
        int[] port = new int[1];
        LearnServerMapper m = new LearnServerMapper(learnerPort -> {
            Thread t = new Thread(g, () -> echoClient(client, learnerPort), "learn-client-conn");
            t.setDaemon(true);
            t.start();
        }, new Quiescence.InProcess(g, new java.util.concurrent.CopyOnWriteArraySet<>()), capMillis);
        ((Quiescence.InProcess) m.quiescence()).ports.add(m.port());
        return new ClientTarget("our-client", m);
    }

    /**
     * The proxy's session #2 (issue 15): the learner is the origin behind our proxy (policy refuse, DEC-17). Each
     * query starts our TlsClient offering proxy_info (the production check, DEC-8..13) towards the proxy for
     * {@link TestPki#ORIGIN_HOST}; the proxy opens session #2 to the learner (DEC-14) and the learner answers it.
     * Once both sessions are up the client echoes what the proxy relays (DEC-18). Proxy and client threads live
     * in one thread group, so {@link Quiescence.InProcess} knows when the whole chain has answered.
     */
    public static ClientTarget proxySession2(long capMillis) throws Exception {
        ThreadGroup g = new ThreadGroup("learn-proxy-session2");
        TlsClient client = new TlsClient(ProxyFixture.client(true, 20_000));
        int[] proxyPort = new int[1];
        Set<Integer> ports = new java.util.concurrent.CopyOnWriteArraySet<>();
        LearnServerMapper m = new LearnServerMapper(learnerPort -> {
            Thread t = new Thread(g, () -> echoClient(client, proxyPort[0]), "learn-proxy-session2-client");
            t.setDaemon(true);
            t.start();
        }, new Quiescence.InProcess(g, ports), capMillis);
        ProxyFixture.Log log = new ProxyFixture.Log();
        ProxyServer proxy;
        try {
            proxy = inGroup(g, () -> ProxyFixture.proxy(m.port(), 64, 10_000, 10_000, 16384, log.stream));
        } catch (Exception e) {
            m.close();
            throw e;
        }
        proxyPort[0] = proxy.port();
        ports.add(m.port());
        ports.add(proxy.port());
        return new ClientTarget("proxy-session2", m, proxy);
    }

    /** One client connection (to the learner, or to the proxy in front of it): echoes application data once established. */
    static void echoClient(TlsClient client, int port) {
        try {
            TlsConnection c = client.connect(SocketTransport.connect("127.0.0.1", port, 5000), TestPki.ORIGIN_HOST);
            if (c.isEstablished()) {
                byte[] buf = new byte[16384];
                int n;
                while ((n = c.read(buf, 0, buf.length)) >= 0) {
                    c.write(buf, 0, n);
                }
            }
            c.close();
        } catch (IOException e) {
            // the learner (or the proxy) went away
        }
    }

    /** SunJSSE (the JDK's TLS 1.2 server) with the test credentials, echoing application data: a comparison peer. */
    public static Target sunJsse() throws Exception {
        ThreadGroup g = new ThreadGroup("learn-sunjsse");
        JsseEcho s = inGroup(g, () -> new JsseEcho());
        return new Target("sunjsse-server", s.port(), TestCredentials.HOST, new Quiescence.InProcess(g, Set.of(s.port())),
                OUR_SUITES, s);
    }

    /** {@code openssl s_server -rev} (answers each line reversed) with the EC test credential: a comparison peer. */
    public static Target opensslServer(java.nio.file.Path dir) throws Exception {
        java.nio.file.Files.createDirectories(dir);
        pem(dir.resolve("ec-cert.pem"), TestCredentials.EC.chain.get(0));
        pem(dir.resolve("intermediate.pem"), TestCredentials.EC.chain.get(1));
        pem(dir.resolve("ec-key.pem"), TestCredentials.EC.privateKey);
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Process p = new ProcessBuilder("openssl", "s_server", "-accept", "127.0.0.1:" + port, "-tls1_2", "-rev",
                "-cert", dir.resolve("ec-cert.pem").toString(), "-key", dir.resolve("ec-key.pem").toString(),
                "-cert_chain", dir.resolve("intermediate.pem").toString(), "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256")
                .redirectErrorStream(true).redirectOutput(dir.resolve("s_server.log").toFile()).start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                break;
            } catch (IOException e) {
                if (!p.isAlive() || System.currentTimeMillis() > deadline) {
                    p.destroyForcibly();
                    throw new IllegalStateException("openssl s_server did not start: see " + dir.resolve("s_server.log"));
                }
                Thread.sleep(50);
            }
        }
        // issue 15: a 200-300 ms silence window was overrun on the loaded build machine (a late first answer read as
        // TIMEOUT, and LearnLib's cache reported the nondeterminism); where /proc shows what the process waits in,
        // its quiescence is exact instead: s_server blocked in read/select/accept with nothing unread or in flight
        Quiescence quiet = Quiescence.ExternalProcess.supported()
                ? new Quiescence.ExternalProcess(p.pid(), Set.of(port)) : new Quiescence.Silence(300);
        return new Target("openssl-server", port, TestCredentials.HOST, quiet, OUR_SUITES,
                () -> p.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS));
    }

    static void pem(java.nio.file.Path p, Object o) throws IOException {
        if (o instanceof java.security.PrivateKey) {
            String b64 = java.util.Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                    .encodeToString(((java.security.PrivateKey) o).getEncoded());
            java.nio.file.Files.writeString(p, "-----BEGIN PRIVATE KEY-----\n" + b64 + "\n-----END PRIVATE KEY-----\n");
            return;
        }
        try (java.io.Writer w = java.nio.file.Files.newBufferedWriter(p);
             org.bouncycastle.openssl.jcajce.JcaPEMWriter pw = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(w)) {
            pw.writeObject(o);
        }
    }

    /** SunJSSE server socket echoing application data, one thread per connection. */
    static final class JsseEcho implements AutoCloseable {
        final javax.net.ssl.SSLServerSocket listener;
        final Thread acceptor;

        JsseEcho() throws Exception {
            javax.net.ssl.SSLContext ctx = JsseSupport.context(null, true);
            listener = (javax.net.ssl.SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 64,
                    InetAddress.getLoopbackAddress());
            listener.setEnabledProtocols(new String[] {"TLSv1.2"});
            acceptor = new Thread(() -> {
                while (!listener.isClosed()) {
                    Socket s;
                    try {
                        s = listener.accept();
                    } catch (IOException e) {
                        return;
                    }
                    Thread t = new Thread(() -> {
                        try (s) {
                            byte[] buf = new byte[16384];
                            int n;
                            while ((n = s.getInputStream().read(buf)) >= 0) {
                                s.getOutputStream().write(buf, 0, n);
                                s.getOutputStream().flush();
                            }
                        } catch (IOException e) {
                            // the learner went away or the handshake failed
                        }
                    }, "learn-jsse-conn");
                    t.setDaemon(true);
                    t.start();
                }
            }, "learn-jsse-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        @Override public void close() throws Exception {
            listener.close();
            acceptor.join(5000);
        }
    }

    /** Our proxy whose upstream refuses every TCP connection (a closed port): session #2 never comes up. */
    public static Target proxySession1NoUpstream() throws Exception {
        ThreadGroup g = new ThreadGroup("learn-proxy-no-upstream");
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        ProxyFixture.Log log = new ProxyFixture.Log();
        ProxyServer proxy = inGroup(g, () -> ProxyFixture.proxy(closedPort, 64, 10_000, 10_000, 16384, log.stream));
        return new Target("proxy-session1-no-upstream", proxy.port(), TestPki.ORIGIN_HOST,
                new Quiescence.InProcess(g, Set.of(proxy.port(), closedPort)), OUR_SUITES, proxy);
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
}
