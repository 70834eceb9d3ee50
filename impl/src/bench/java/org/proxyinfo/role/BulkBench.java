package org.proxyinfo.role;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.security.Provider;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Bulk application data (issue #7): one established connection, each operation writes 64 KiB and
 * reads the 64 KiB echo back (a writer thread and the benchmark thread, so neither direction
 * waits for the other). ours-direct: our client to our origin; ours-proxied: the same through our
 * proxy (DEC-18 relay, 16 KiB buffers); sunjsse-direct / bcjsse-direct: the JSSE client and server,
 * same suite (TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256). MB/s one way = ops/s x 64 KiB.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BulkBench {
    static final int CHUNK = 64 * 1024;

    @Param({"ours-direct", "ours-proxied", "sunjsse-direct", "bcjsse-direct"})
    public String path;

    private AutoCloseable origin;
    private ProxyServer proxy;
    private OutputStream out;
    private InputStream in;
    private AutoCloseable connection;
    private final byte[] data = new byte[CHUNK];
    private final byte[] back = new byte[CHUNK];
    private Thread jsseServer;
    private SSLServerSocket jsseListener;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        new java.util.Random(1).nextBytes(data);
        System.setProperty("jdk.tls.namedGroups", "x25519,secp256r1");
        if (path.startsWith("ours")) {
            ProxyFixture.EchoOrigin o = new ProxyFixture.EchoOrigin(0);
            origin = o;
            boolean proxied = path.equals("ours-proxied");
            int port = o.port();
            if (proxied) {
                proxy = ProxyFixture.proxy(o.port(), 8, 10_000, 60_000, 16 * 1024, new PrintStream(OutputStream.nullOutputStream()));
                port = proxy.port();
            }
            TlsConnection c = new TlsClient(ProxyFixture.client(proxied, 60_000))
                    .connect(SocketTransport.connect("127.0.0.1", port, 10_000), ProxyFixture.HOST);
            if (!c.isEstablished()) {
                throw new IllegalStateException(c.failureSummary());
            }
            connection = c;
            out = c.getOutputStream();
            in = c.getInputStream();
        } else {
            Provider p = path.startsWith("bcjsse") ? new BouncyCastleJsseProvider() : null;
            SSLContext serverCtx = JsseSupport.context(p, true);
            SSLContext clientCtx = JsseSupport.context(p, false);
            jsseListener = (SSLServerSocket) serverCtx.getServerSocketFactory().createServerSocket(0, 8, InetAddress.getLoopbackAddress());
            jsseListener.setEnabledProtocols(new String[] {"TLSv1.2"});
            jsseListener.setEnabledCipherSuites(new String[] {HandshakeBench.SUITE});
            jsseServer = new Thread(() -> {
                try (SSLSocket s = (SSLSocket) jsseListener.accept()) {
                    s.setTcpNoDelay(true);
                    s.setSoTimeout(10_000); // as our echo origin's (ProxyFixture.EchoOrigin): same socket mode for both stacks
                    byte[] buf = new byte[16384];
                    int n;
                    while ((n = s.getInputStream().read(buf)) >= 0) {
                        s.getOutputStream().write(buf, 0, n);
                    }
                } catch (IOException e) {
                    // closed
                }
            }, "jsse-echo");
            jsseServer.setDaemon(true);
            jsseServer.start();
            SSLSocket s = (SSLSocket) clientCtx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), jsseListener.getLocalPort());
            s.setTcpNoDelay(true);
            // the same read timeout as our client's (60 s): with a timeout the JDK reads in non-blocking mode plus poll,
            // without one it blocks in read; both stacks are measured in the same socket mode (profile 2026-12-04)
            s.setSoTimeout(60_000);
            s.setEnabledCipherSuites(new String[] {HandshakeBench.SUITE});
            s.startHandshake();
            connection = s;
            out = s.getOutputStream();
            in = s.getInputStream();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        connection.close();
        if (proxy != null) {
            proxy.close();
        }
        if (origin != null) {
            origin.close();
        }
        if (jsseListener != null) {
            jsseListener.close();
            jsseServer.join(5000);
        }
    }

    @Benchmark
    public int echo64k() throws Exception {
        Thread w = new Thread(() -> {
            try {
                out.write(data);
                out.flush();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        w.start();
        int got = 0;
        while (got < CHUNK) {
            int n = in.read(back, got, CHUNK - got);
            if (n < 0) {
                throw new IllegalStateException("connection ended");
            }
            got += n;
        }
        w.join();
        return back[CHUNK - 1];
    }
}
