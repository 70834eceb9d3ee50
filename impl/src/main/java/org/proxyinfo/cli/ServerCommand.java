package org.proxyinfo.cli;

import java.net.InetAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;

import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.pki.PkiDir;
import org.proxyinfo.role.ServerCredential;
import org.proxyinfo.role.TlsConfig;
import org.proxyinfo.role.TlsServer;
import org.proxyinfo.trace.ConnectionTraces;
import org.proxyinfo.trace.RunInfo;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code proxyinfo server --port N --pki DIR}: a TLS 1.2 HTTPS server that runs until killed. */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Run a TLS 1.2 server (this project's implementation) that answers HTTP/1.1 GET with a small page. "
                + "Runs until killed (Ctrl-C).")
public final class ServerCommand implements Callable<Integer> {
    @Option(names = "--port", required = true, paramLabel = "PORT", description = "TCP port to listen on (0: any free port).")
    int port;

    @Option(names = "--pki", paramLabel = "DIR", description = "Test PKI directory (from `proxyinfo pki --out DIR`): its ECDSA and RSA server certificates.")
    Path pki;

    @Option(names = "--cert", paramLabel = "PEM", description = "Your own certificate chain (leaf first, PEM) instead of the PKI's; with --key.")
    Path cert;

    @Option(names = "--key", paramLabel = "PEM", description = "The private key of --cert (PKCS#8, or openssl's EC/RSA form).")
    Path key;

    @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "ADDRESS", description = "Address to listen on (default ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--client-auth", defaultValue = "none", paramLabel = "none|want|need",
            description = "Ask for a client certificate (RFC 5246 7.4.4): want = clients without one go on unauthenticated,"
                    + " need = refused with handshake_failure (default ${DEFAULT-VALUE}).")
    String clientAuth;

    @Option(names = "--client-ca", paramLabel = "PEM",
            description = "Trust anchors for client certificates (default: the PKI's server/client-trust.pem).")
    String clientCa;

    @Option(names = "--client-cert-mode",
            description = "DEVIATION (DEC-23): take part in the -01 3.2 client-certificate mode. Clients are authenticated"
                    + " through a proxy that forwards their chain and ProxyCertVerify (01-R16); needs --client-auth need"
                    + " (DEC-23: the origin requires client certificates).")
    boolean clientCertMode;

    @Option(names = "--accept-proxy-ca", paramLabel = "PEM",
            description = "With --client-cert-mode: the trust anchors of the proxies this origin accepts client"
                    + " authentication through (01-R16; default: the PKI's client/proxy-trust.pem).")
    Path acceptProxyCa;

    @Option(names = "--trace", paramLabel = "FILE.json", description = "Write one JSON trace per connection (FILE-1.json, FILE-2.json, ...)"
            + " and FILE.json, their index, which `trace merge` reads (traces/README.md \"Live runs\").")
    Path trace;

    @Mixin
    RoleOptions options = new RoleOptions();

    @Override
    public Integer call() throws Exception {
        if ((cert == null) != (key == null) || (pki == null && cert == null)) {
            System.err.println("error: give --pki DIR, or --cert PEM with --key PEM (your own certificate chain and key)");
            return 2;
        }
        PkiDir dir = new PkiDir(pki);
        String badPort = Validate.port("--port", port, true);
        if (badPort == null) {
            badPort = Validate.writableFile("--trace", trace);
        }
        if (badPort != null) {
            System.err.println("error: " + badPort);
            return 2;
        }
        String bad = options.problem();
        if (bad != null) {
            System.err.println("error: " + bad);
            return 2;
        }
        TlsConfig cfg = config(dir, System.err);
        if (cfg == null) {
            return 2;
        }
        ConnectionTraces writer = null;
        if (trace != null) {
            // one trace per connection and an index (issue 16); the origin cannot tell whether its client is a
            // proxy, so its leg is 'inbound' until trace merge reconciles it with its peer's leg (traces/README.md)
            writer = new ConnectionTraces(trace, "server", () -> RunInfo.implementation("0.1.0", java.util.List.of("server")));
            cfg.trace(writer).roleName("server").leg("inbound");
        }
        ConnectionTraces w = writer;
        HttpsServer server;
        try {
            server = new HttpsServer(new TlsServer(cfg), InetAddress.getByName(bind), port, System.out);
            server.afterConnection(() -> writeTrace(w));
        } catch (java.io.IOException e) {
            System.err.println("error: " + Validate.cannotListen(bind, port, e));
            return 2;
        }
        server.start();
        System.out.println("server: listening on " + bind + ":" + server.port() + " with TLS 1.2 (ECDSA and RSA certificates for "
                + "localhost, origin.proxyinfo.test, 127.0.0.1 from " + (cert != null ? cert : pki) + ").");
        System.out.println("server: try  proxyinfo client --connect " + bind + ":" + server.port() + " --host localhost " + (pki != null ? "--pki " + pki : "--cafile CA.pem")
                + "   (Ctrl-C to stop)");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            System.out.println("server: stopped after " + server.served() + " request(s).");
        }));
        Thread.currentThread().join();
        return 0;
    }

    private void writeTrace(ConnectionTraces w) {
        if (w != null) {
            try {
                w.finish();
            } catch (java.io.IOException e) {
                System.err.println("server: cannot write the trace to " + trace + ": " + e.getMessage());
            }
        }
    }

    /**
     * The server's configuration from its options: the credential, client authentication (RFC 5246 7.4.4) and, with
     * --client-cert-mode, the DEC-23 origin. Null after one line on {@code err} when an option is wrong.
     */
    TlsConfig config(PkiDir dir, java.io.PrintStream err) {
        int policy = switch (clientAuth) {
            case "none" -> org.proxyinfo.core.ServerHandshake.CLIENT_AUTH_NONE;
            case "want" -> org.proxyinfo.core.ServerHandshake.CLIENT_AUTH_WANT;
            case "need" -> org.proxyinfo.core.ServerHandshake.CLIENT_AUTH_NEED;
            default -> -1;
        };
        if (policy < 0) {
            err.println("error: --client-auth must be none, want or need, got '" + clientAuth + "'");
            return null;
        }
        if (clientCertMode && policy != org.proxyinfo.core.ServerHandshake.CLIENT_AUTH_NEED) {
            err.println("error: --client-cert-mode (DEC-23) is for an origin that requires client certificates: add"
                    + " --client-auth need");
            return null;
        }
        TlsConfig cfg;
        try {
            cfg = cert != null ? ownConfig(cert, key, options) : serverConfig(dir, options);
            if (policy != org.proxyinfo.core.ServerHandshake.CLIENT_AUTH_NONE) {
                if (clientCa == null && pki == null) {
                    err.println("error: --client-auth " + clientAuth + " needs trust anchors for client certificates: give"
                            + " --client-ca PEM (or --pki DIR, whose server/client-trust.pem is used)");
                    return null;
                }
                java.nio.file.Path ca = clientCa != null ? java.nio.file.Path.of(clientCa) : pki.resolve("server/client-trust.pem");
                if (!java.nio.file.Files.exists(ca)) {
                    err.println("error: no client trust anchors at " + ca + " (give --client-ca PEM, or re-make the PKI with"
                            + " `proxyinfo pki --out DIR`, which writes server/client-trust.pem)");
                    return null;
                }
                java.util.List<java.security.cert.X509Certificate> clientTrust;
                try {
                    clientTrust = org.proxyinfo.pki.Pem.readCertificates(ca);
                } catch (java.io.IOException e) {
                    err.println("error: cannot load the client trust anchors (" + (clientCa != null ? "--client-ca " : "")
                            + ca + "): " + e.getMessage());
                    return null;
                }
                java.util.List<java.security.cert.X509CRL> crls = pki != null ? dir.crls() : java.util.List.of();
                cfg.clientAuth(policy, clientTrust, org.proxyinfo.pki.RevocationPolicy.DEFAULT, crls);
                if (clientCertMode) {
                    if (acceptProxyCa == null && pki == null) {
                        err.println("error: --client-cert-mode needs the trust anchors of the proxies it accepts: give"
                                + " --accept-proxy-ca PEM (or --pki DIR, whose client/proxy-trust.pem is used)");
                        return null;
                    }
                    java.util.List<java.security.cert.X509Certificate> proxies;
                    try {
                        proxies = acceptProxyCa != null ? org.proxyinfo.pki.Pem.readCertificates(acceptProxyCa) : dir.clientProxyTrust();
                    } catch (java.io.IOException e) {
                        err.println("error: cannot load the trust anchors of the accepted proxies ("
                                + (acceptProxyCa != null ? "--accept-proxy-ca " + acceptProxyCa : "the PKI's client/proxy-trust.pem")
                                + "): " + e.getMessage());
                        return null;
                    }
                    java.time.Clock clock = cfg.clock();
                    org.proxyinfo.clientcert.ClientCertModeServer mode = new org.proxyinfo.clientcert.ClientCertModeServer(cfg.crypto(),
                            new org.proxyinfo.pki.CertificateValidator(clientTrust, clock, org.proxyinfo.pki.RevocationPolicy.DEFAULT, crls),
                            new org.proxyinfo.pki.CertificateValidator(proxies, clock, org.proxyinfo.pki.RevocationPolicy.DEFAULT, crls));
                    cfg.clientCertMode(mode).proxyInfoType(options.codePoint)
                            .extensions(org.proxyinfo.ext.ExtensionTable.DEFAULT.with(
                                    org.proxyinfo.clientcert.ClientCertModeEntry.server(options.codePoint, mode)));
                }
            }
        } catch (java.io.IOException e) {
            err.println("error: cannot load the server certificates: " + e.getMessage());
            return null;
        }
        return cfg;
    }

    /** --cert/--key: the user's own credential only. */
    static TlsConfig ownConfig(Path cert, Path key, RoleOptions options) throws java.io.IOException {
        PkiDir own = new PkiDir(null).with("chain", cert).with("key", key);
        java.security.PrivateKey privateKey = org.proxyinfo.pki.Pem.readPrivateKey(own.file("key"));
        java.util.List<java.security.cert.X509Certificate> chain = org.proxyinfo.pki.Pem.readCertificates(own.file("chain"));
        requireMatch("--key", key, "--cert", cert, privateKey, chain);
        return new TlsConfig(new BcTlsCrypto(new SecureRandom()))
                .credential(new ServerCredential(privateKey, chain))
                .cipherSuites(options.suites()).groups(options.groups());
    }

    /** An IOException, one line, if the key is not the one of the chain's leaf (every handshake would fail). */
    static void requireMatch(String keyOption, Object keyFile, String certOption, Object certFile, java.security.PrivateKey key,
                             java.util.List<java.security.cert.X509Certificate> chain) throws java.io.IOException {
        String why = org.proxyinfo.pki.Credential.keyMismatch(key, chain.get(0));
        if (why != null) {
            throw new java.io.IOException(keyOption + " " + keyFile + " does not match the certificate in "
                    + (certOption.isEmpty() ? "" : certOption + " ") + certFile + ": " + why + "; give the key that belongs to the certificate");
        }
    }

    static TlsConfig serverConfig(PkiDir dir, RoleOptions options) throws java.io.IOException {
        return new TlsConfig(new BcTlsCrypto(new SecureRandom()))
                .credential(new ServerCredential(dir.serverEcdsa().privateKey(), dir.serverEcdsa().chain()))
                .credential(new ServerCredential(dir.serverRsa().privateKey(), dir.serverRsa().chain()))
                .cipherSuites(options.suites()).groups(options.groups());
    }
}
