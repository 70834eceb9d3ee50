package org.proxyinfo.role;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

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
 * A proxied handshake against a direct one (issue #7), ours end to end over loopback: the client
 * with the proxy_info check (DEC-8..13) through our proxy (session #2 first, DEC-14, then session #1
 * with the signed assertion) to our origin server, against the same client straight to the origin.
 * Default suites and groups of the three roles (the proxy and origin pick ECDHE_ECDSA AES-128 GCM
 * with x25519). The ratio is the cost of the proxy: two handshakes, a second certificate chain to
 * validate and the assertion to sign and verify.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ProxyHandshakeBench {
    /** -resumed: every measured handshake resumes the primed session (DEC-22; proxied: session #2 and then session #1). */
    @Param({"direct", "proxied", "direct-resumed", "proxied-resumed"})
    public String path;

    private ProxyFixture.EchoOrigin origin;
    private ProxyServer proxy;
    private TlsConfig client;
    private int port;
    private boolean resumed;
    private boolean primed;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        origin = new ProxyFixture.EchoOrigin(0);
        boolean proxied = path.startsWith("proxied");
        resumed = path.endsWith("-resumed");
        if (proxied) {
            proxy = ProxyFixture.proxy(origin.port(), 64, 10_000, 10_000, 16 * 1024, new PrintStream(java.io.OutputStream.nullOutputStream()));
            port = proxy.port();
        } else {
            port = origin.port();
        }
        client = ProxyFixture.client(proxied, 10_000);
        if (!resumed) {
            client.sessionCache(null); // DEC-22: the client offers no session, so every handshake is a full one
        }
        handshake(); // primes the client's (and, resumed, the proxy's and origin's) session cache
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        origin.close();
    }

    @Benchmark
    public void handshake() throws Exception {
        TlsConnection c = new TlsClient(client).connect(SocketTransport.connect("127.0.0.1", port, 10_000), ProxyFixture.HOST);
        if (!c.isEstablished()) {
            throw new IllegalStateException("handshake failed: " + c.failureSummary());
        }
        if (primed && c.resumed() != resumed) {
            throw new IllegalStateException(resumed ? "the session was not resumed" : "a full handshake was expected");
        }
        primed = true;
        c.close();
    }
}
