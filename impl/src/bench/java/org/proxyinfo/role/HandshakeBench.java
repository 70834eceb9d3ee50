package org.proxyinfo.role;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.Provider;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
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
import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.pki.CertificateValidator;
import org.proxyinfo.pki.RevocationPolicy;
import org.proxyinfo.wire.CipherSuite;
import org.proxyinfo.wire.NamedGroup;

/**
 * Full TLS 1.2 handshakes per second (issue #7): our client with our server, SunJSSE client with
 * SunJSSE server, BCJSSE client with BCJSSE server, in the same run, same suite
 * (TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256), same group (x25519; secp256r1 also offered because
 * it names the ECDSA certificate's curve, RFC 8422 §5.1), the same test PKI (leaf + intermediate,
 * ECDSA P-256), over loopback TCP, one client thread and one server thread. Every handshake is a
 * full one (JSSE sessions are invalidated, our caches are off), except in the -resumed variants, where every
 * measured handshake resumes the session of the first (DEC-22); JSSE clients check the host name
 * (HTTPS endpoint identification) as ours does. The JSSE servers hold their key in memory
 * ({@link FixedKeyManager}), as ours does.
 * The floor, the public-key operations of one such handshake alone, is {@link HandshakeFloorBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HandshakeBench {
    static final String SUITE = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";

    /**
     * ours = our client and server; ours-norevocation = the same with CRL checking off (JSSE's default);
     * -resumed = every measured handshake is an abbreviated one on the session of the first (DEC-22, RFC 5246
     * section 7.3 Figure 2), checked (ours: both ends report it resumed; JSSE: the same session ID).
     */
    @Param({"ours", "ours-norevocation", "sunjsse", "bcjsse", "ours-resumed", "sunjsse-resumed", "bcjsse-resumed"})
    public String impl;

    private boolean resumed;
    private byte[] primedSessionId;

    private ServerSocket listener;
    private Thread serverThread;
    private volatile boolean running;
    private SSLContext clientCtx;
    private TlsConfig clientConfig;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        System.setProperty("jdk.tls.namedGroups", "x25519,secp256r1");
        running = true;
        resumed = impl.endsWith("-resumed");
        if (impl.startsWith("ours")) {
            TlsConfig server = new TlsConfig(new BcTlsCrypto(new SecureRandom())).credential(TestCredentials.EC)
                    .cipherSuites(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256).groups(NamedGroup.X25519, NamedGroup.SECP256R1);
            RevocationPolicy rp = impl.equals("ours") ? RevocationPolicy.DEFAULT : RevocationPolicy.OFF;
            clientConfig = new TlsConfig(new BcTlsCrypto(new SecureRandom()))
                    .verifier(CertificateVerifier.pkix(new CertificateValidator(TestCredentials.PKI.webTrust(), Clock.systemUTC(),
                            rp, TestCredentials.PKI.webCrls())))
                    .cipherSuites(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256).groups(NamedGroup.X25519, NamedGroup.SECP256R1);
            if (!resumed) {
                server.sessionCache(null); // DEC-22 caches off: every handshake is a full one
                clientConfig.sessionCache(null);
            }
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            serverThread = new Thread(() -> {
                TlsServer s = new TlsServer(server);
                while (running) {
                    try (Socket sock = listener.accept()) {
                        TlsConnection c = s.accept(new SocketTransport(sock));
                        c.read(new byte[1], 0, 1); // until the client's close_notify
                        c.close();
                    } catch (IOException e) {
                        // listener closed
                    }
                }
            }, "bench-server");
        } else {
            Provider p = impl.equals("bcjsse") ? new BouncyCastleJsseProvider() : null;
            SSLContext serverCtx = FixedKeyManager.context(p, true); // key in memory, as ours
            clientCtx = FixedKeyManager.context(p, false);
            SSLServerSocket ss = (SSLServerSocket) serverCtx.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
            ss.setEnabledProtocols(new String[] {"TLSv1.2"});
            ss.setEnabledCipherSuites(new String[] {SUITE});
            listener = ss;
            serverThread = new Thread(() -> {
                while (running) {
                    try (SSLSocket sock = (SSLSocket) listener.accept()) {
                        sock.setTcpNoDelay(true); // as our SocketTransport does
                        sock.startHandshake();
                        if (!resumed) {
                            sock.getSession().invalidate();
                        }
                        sock.getInputStream().read(); // until the client's close_notify
                    } catch (IOException e) {
                        // handshake failure or listener closed
                    }
                }
            }, "bench-server");
        }
        serverThread.setDaemon(true);
        serverThread.start();
        handshake(); // fail fast if the pair does not connect
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        running = false;
        listener.close();
        serverThread.join(5000);
    }

    @Benchmark
    public void handshake() throws Exception {
        if (impl.startsWith("ours")) {
            Socket sock = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
            TlsConnection c = new TlsClient(clientConfig).connect(new SocketTransport(sock), TestCredentials.HOST);
            if (!c.isEstablished()) {
                throw new IllegalStateException("handshake failed: " + c.failureSummary());
            }
            if (primedSessionId != null && c.resumed() != resumed) {
                throw new IllegalStateException(resumed ? "the session was not resumed" : "a full handshake was expected");
            }
            primedSessionId = new byte[0];
            c.close();
        } else {
            // a host string: a JSSE client caches sessions by peer host and port (BCJSSE resumes only then)
            try (SSLSocket s = (SSLSocket) clientCtx.getSocketFactory().createSocket("127.0.0.1", listener.getLocalPort())) {
                s.setTcpNoDelay(true);
                s.setEnabledProtocols(new String[] {"TLSv1.2"});
                s.setEnabledCipherSuites(new String[] {SUITE});
                SSLParameters p = s.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                p.setServerNames(List.of(new javax.net.ssl.SNIHostName(TestCredentials.HOST)));
                s.setSSLParameters(p);
                s.startHandshake();
                if (!SUITE.equals(s.getSession().getCipherSuite())) {
                    throw new IllegalStateException("negotiated " + s.getSession().getCipherSuite());
                }
                if (!resumed) {
                    s.getSession().invalidate(); // the next handshake is a full one
                } else if (primedSessionId == null) {
                    primedSessionId = s.getSession().getId();
                } else if (!java.util.Arrays.equals(primedSessionId, s.getSession().getId())) {
                    throw new IllegalStateException(impl + ": the session was not resumed");
                }
            }
        }
    }
}
