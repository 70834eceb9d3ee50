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
import org.proxyinfo.trace.JsonTraceWriter;
import org.proxyinfo.trace.RunInfo;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code proxyinfo server --port N --pki DIR}: a TLS 1.2 HTTPS server that runs until killed. */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Run a TLS 1.2 server (this project's implementation) that answers HTTP/1.1 GET with a small page. "
                + "Runs until killed (Ctrl-C).")
public final class ServerCommand implements Callable<Integer> {
    @Option(names = "--port", required = true, description = "TCP port to listen on (0: any free port).")
    int port;

    @Option(names = "--pki", required = true, description = "Test PKI directory (from `proxyinfo pki --out DIR`).")
    Path pki;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to listen on (default ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--client-auth", defaultValue = "none", paramLabel = "none|want|need",
            description = "Ask for a client certificate (RFC 5246 7.4.4): want = clients without one go on unauthenticated,"
                    + " need = refused with handshake_failure (default ${DEFAULT-VALUE}).")
    String clientAuth;

    @Option(names = "--client-ca", paramLabel = "PEM",
            description = "Trust anchors for client certificates (default: the PKI's server/client-trust.pem).")
    String clientCa;

    @Option(names = "--trace", paramLabel = "FILE", description = "Write a JSON trace of every connection (rewritten after each).")
    Path trace;

    @Mixin
    RoleOptions options = new RoleOptions();

    @Override
    public Integer call() throws Exception {
        PkiDir dir = new PkiDir(pki);
        String bad = options.problem();
        if (bad != null) {
            System.err.println("error: " + bad);
            return 2;
        }
        TlsConfig cfg;
        try {
            cfg = serverConfig(dir, options);
            int policy = switch (clientAuth) {
                case "none" -> org.proxyinfo.core.ServerHandshake.CLIENT_AUTH_NONE;
                case "want" -> org.proxyinfo.core.ServerHandshake.CLIENT_AUTH_WANT;
                case "need" -> org.proxyinfo.core.ServerHandshake.CLIENT_AUTH_NEED;
                default -> -1;
            };
            if (policy < 0) {
                System.err.println("error: --client-auth must be none, want or need, got '" + clientAuth + "'");
                return 2;
            }
            if (policy != org.proxyinfo.core.ServerHandshake.CLIENT_AUTH_NONE) {
                java.nio.file.Path ca = clientCa != null ? java.nio.file.Path.of(clientCa) : pki.resolve("server/client-trust.pem");
                if (!java.nio.file.Files.exists(ca)) {
                    System.err.println("error: no client trust anchors at " + ca + " (give --client-ca PEM, or re-make the PKI with"
                            + " `proxyinfo pki --out DIR`, which writes server/client-trust.pem)");
                    return 2;
                }
                cfg.clientAuth(policy, org.proxyinfo.pki.Pem.readCertificates(ca), org.proxyinfo.pki.RevocationPolicy.DEFAULT, dir.crls());
            }
        } catch (java.io.IOException e) {
            System.err.println("error: cannot load the server certificates: " + e.getMessage());
            return 2;
        }
        JsonTraceWriter writer = null;
        if (trace != null) {
            writer = new JsonTraceWriter(RunInfo.implementation("0.1.0", java.util.List.of("server")));
            cfg.trace(writer).roleName("server");
        }
        JsonTraceWriter w = writer;
        HttpsServer server;
        try {
            server = new HttpsServer(new TlsServer(cfg), InetAddress.getByName(bind), port, System.out);
            server.afterConnection(() -> writeTrace(w));
        } catch (java.io.IOException e) {
            System.err.println("error: cannot listen on " + bind + ":" + port + ": " + e.getMessage()
                    + " (is another server running there? try another --port)");
            return 2;
        }
        server.start();
        System.out.println("server: listening on " + bind + ":" + server.port() + " with TLS 1.2 (ECDSA and RSA certificates for "
                + "localhost, origin.proxyinfo.test, 127.0.0.1 from " + pki + ").");
        System.out.println("server: try  proxyinfo client --connect " + bind + ":" + server.port() + " --host localhost --pki " + pki
                + "   (Ctrl-C to stop)");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            writeTrace(w);
            System.out.println("server: stopped after " + server.served() + " request(s).");
        }));
        Thread.currentThread().join();
        return 0;
    }

    private synchronized void writeTrace(JsonTraceWriter w) {
        if (w != null) {
            try {
                w.writeTo(trace);
            } catch (java.io.IOException e) {
                System.err.println("server: cannot write the trace to " + trace + ": " + e.getMessage());
            }
        }
    }

    static TlsConfig serverConfig(PkiDir dir, RoleOptions options) throws java.io.IOException {
        return new TlsConfig(new BcTlsCrypto(new SecureRandom()))
                .credential(new ServerCredential(dir.serverEcdsa().privateKey(), dir.serverEcdsa().chain()))
                .credential(new ServerCredential(dir.serverRsa().privateKey(), dir.serverRsa().chain()))
                .cipherSuites(options.suites()).groups(options.groups());
    }
}
