package org.proxyinfo.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.Callable;

import org.proxyinfo.core.ProxyHandshake;
import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.pki.Credential;
import org.proxyinfo.pki.PkiDir;
import org.proxyinfo.pki.RevocationPolicy;
import org.proxyinfo.proxyinfo.SigningMode;
import org.proxyinfo.role.ProxyConfig;
import org.proxyinfo.role.ProxyServer;
import org.proxyinfo.role.ServerCredential;
import org.proxyinfo.role.TlsProxy;
import org.proxyinfo.trace.ConnectionTraces;
import org.proxyinfo.trace.RunInfo;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code proxyinfo proxy --port N --pki DIR [--upstream HOST:PORT] [--legacy refuse|mint]
 * [--signing bound|draft-literal]}: the proxy_info proxy (DEC-14..18), until killed.
 */
@Command(name = "proxy", mixinStandardHelpOptions = true,
        description = {"Run the TLS proxy of draft-mcgrew-tls-proxy-server-01: for each client it finishes its own TLS session "
                + "with the origin first (session #2: the SNI host, or --upstream), validates it, then answers the client with a "
                + "signed proxy_info report on that session, and relays the data. Runs until killed (Ctrl-C).",
                "Clients without the extension are refused (--legacy refuse, default) or intercepted with a minted "
                        + "certificate (--legacy mint: INSECURE, today's interception)."})
public final class ProxyCommand implements Callable<Integer> {
    @Option(names = "--port", required = true, paramLabel = "PORT", description = "TCP port to listen on (0: any free port).")
    int port;

    @Option(names = "--cert", paramLabel = "PEM", description = "The proxy's own certificate chain (leaf first) instead of the PKI's proxy/chain.pem.")
    Path cert;

    @Option(names = "--key", paramLabel = "PEM", description = "The private key of --cert instead of the PKI's proxy/key.pem.")
    Path key;

    @Option(names = "--cafile", paramLabel = "PEM", description = "Trust store for origins (session #2) instead of the PKI's proxy/upstream-trust.pem.")
    Path cafile;

    @Option(names = "--proxy-cafile", paramLabel = "PEM",
            description = "Anchors for a next proxy upstream (DEC-15) instead of the PKI's proxy/proxy-trust.pem.")
    Path proxyCafile;

    @Option(names = "--pki", paramLabel = "DIR", description = "Test PKI directory (proxy/chain.pem + key, proxy/upstream-trust.pem, "
            + "proxy/proxy-trust.pem, proxy/mint-ca*.pem, crl/).")
    Path pki;

    @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "ADDRESS", description = "Address to listen on (default ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--upstream", paramLabel = "HOST:PORT",
            description = "Always connect here for session #2 (default: the client's SNI host on the port the client connected to). The origin is still"
                    + " checked against the SNI name (DEC-15).")
    String upstream;

    @Option(names = "--legacy", defaultValue = "refuse", paramLabel = "refuse|mint",
            description = "Clients without proxy_info (DEC-17): refuse (default, handshake_failure) or mint (INSECURE).")
    String legacy;

    @Option(names = "--client-cert-mode", defaultValue = "learn", paramLabel = "off|learn|always",
            description = "DEVIATION (DEC-23), origins that want a client certificate (impl/CLIENTCERT.md): learn (default: for a"
                    + " client offering client_cert_mode, learn the need from session #2's CertificateRequest, open a second"
                    + " session #2 in the mode and remember the origin), always (every origin is in the mode; only clients"
                    + " offering it are served) or off (an ordinary proxy: an empty Certificate, R7).")
    String clientCertMode;

    @Option(names = "--signing", defaultValue = "bound", paramLabel = "bound|draft-literal",
            description = "What the assertion's signature covers (DEC-5): bound (default, DEVIATION (DEC-5)) or draft-literal.")
    String signing;

    @Option(names = "--revocation", defaultValue = "prefer", paramLabel = "require|prefer|off", description = "Revocation policy for session #2 (DEC-15): require, "
            + "prefer, off (default ${DEFAULT-VALUE}).")
    String revocation;


    @Option(names = "--max-connections", defaultValue = "64", paramLabel = "N", description = "Concurrent clients (default ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--handshake-timeout", defaultValue = "10000", paramLabel = "MS",
            description = "Longest wait for one handshake read, either session (default ${DEFAULT-VALUE} ms).")
    int handshakeTimeout;

    @Option(names = "--idle-timeout", defaultValue = "60000", paramLabel = "MS",
            description = "A relay direction silent this long ends the connection (default ${DEFAULT-VALUE} ms).")
    int idleTimeout;

    @Option(names = "--relay-buffer", defaultValue = "16384", paramLabel = "BYTES",
            description = "Relay buffer per direction (default ${DEFAULT-VALUE}).")
    int relayBuffer;

    @Option(names = "--trace", paramLabel = "FILE.json", description = "Write one JSON trace per connection (both sessions: "
            + "FILE-1.json, FILE-2.json, ...) and FILE.json, their index, which `trace merge` reads (traces/README.md \"Live runs\").")
    Path trace;

    @Mixin
    RoleOptions options = new RoleOptions();

    @Override
    public Integer call() throws Exception {
        String badPort = Validate.port("--port", port, true);
        if (badPort == null) {
            badPort = Validate.writableFile("--trace", trace);
        }
        if (badPort != null) {
            System.err.println("error: " + badPort);
            return 2;
        }
        String bad = options.problem();
        String[][] limits = {{"--max-connections", "" + maxConnections}, {"--handshake-timeout", "" + handshakeTimeout},
                {"--idle-timeout", "" + idleTimeout}, {"--relay-buffer", "" + relayBuffer}};
        for (String[] limit : limits) {
            if (bad == null && Long.parseLong(limit[1]) < 1) {
                bad = limit[0] + " " + limit[1] + ": must be at least 1";
            }
        }
        if (bad != null) {
            System.err.println("error: " + bad);
            return 2;
        }
        int policy;
        ProxyConfig.ClientCertMode certMode;
        SigningMode mode;
        RevocationPolicy rev;
        String upHost = null;
        int upPort = 443;
        try {
            policy = switch (legacy) {
                case "refuse" -> ProxyHandshake.POLICY_REFUSE;
                case "mint" -> ProxyHandshake.POLICY_MINT;
                default -> throw new IllegalArgumentException("--legacy must be refuse or mint (DEC-17), not '" + legacy + "'");
            };
            certMode = ProxyConfig.ClientCertMode.parse(clientCertMode);
            mode = SigningMode.fromConfig(signing);
            rev = RevocationPolicy.parse(revocation);
            if (upstream != null) {
                String badUpstream = Validate.hostPort("--upstream", upstream);
                int colon = upstream.lastIndexOf(':');
                if (badUpstream == null) {
                    upHost = upstream.substring(0, colon);
                    if (upHost.startsWith("[") && upHost.endsWith("]")) {
                        upHost = upHost.substring(1, upHost.length() - 1);
                    }
                    badUpstream = Validate.hostName("--upstream", upHost);
                }
                if (badUpstream != null) {
                    throw new IllegalArgumentException(badUpstream);
                }
                upPort = Integer.parseInt(upstream.substring(colon + 1));
            }
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        if (pki == null && (cert == null || key == null || cafile == null)) {
            System.err.println("error: give --pki DIR, or all of --cert, --key and --cafile (and --proxy-cafile for nested proxies)");
            return 2;
        }
        PkiDir dir = new PkiDir(pki).with("proxy/chain.pem", cert).with("proxy/key.pem", key)
                .with("proxy/upstream-trust.pem", cafile).with("proxy/proxy-trust.pem", proxyCafile);
        ProxyConfig cfg;
        ConnectionTraces writer = null;
        try {
            Credential own = dir.proxy();
            ServerCommand.requireMatch(key != null ? "--key" : "the PKI's key", dir.file("proxy/key.pem"),
                    cert != null ? "--cert" : "", dir.file("proxy/chain.pem"), own.privateKey(), own.chain());
            cfg = new ProxyConfig(new BcTlsCrypto(new SecureRandom()), new ServerCredential(own.privateKey(), own.chain()))
                    .webTrust(dir.proxyUpstreamTrust(), rev, dir.crls()).proxyTrust(pki == null && proxyCafile == null ? List.of() : dir.proxyProxyTrust())
                    .signingMode(mode).codePoint(options.codePoint).cipherSuites(options.suites()).groups(options.groups())
                    .limits(maxConnections, handshakeTimeout, idleTimeout, relayBuffer)
                    .legacyPolicy(policy, policy == ProxyHandshake.POLICY_MINT ? dir.mintCa() : null)
                    .clientCertMode(certMode);
            if (upHost != null) {
                cfg.upstream(upHost, upPort);
            }
            if (trace != null) {
                String arch = policy == ProxyHandshake.POLICY_MINT ? "MINT" : mode == SigningMode.BOUND ? "PI-BOUND" : "PI-01";
                String revLabel = rev.label();
                // one trace per session pair (session #1 and #2 of one client) and an index (issue 16)
                writer = new ConnectionTraces(trace, "proxy", () -> RunInfo.implementation("0.1.0", List.of("proxy"))
                        .architecture(arch).signingMode(mode.configName()).proxyInfoCodePoint(options.codePoint)
                        .policy("revocation", revLabel).policy("clientsWithoutExtension", legacy));
                cfg.trace(writer);
            }
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("error: cannot set up the proxy from " + pki + ": " + e.getMessage());
            return 2;
        }
        Path keyLog = org.proxyinfo.trace.KeyLogSink.fromEnvironment();
        if (keyLog != null) {
            // as browsers and curl do (issue 16): the proxy is the client of session #2 and logs its key; session #1 has
            // the same client_random (DEC-12) and is logged by the client. TEST/DEBUG ONLY.
            cfg.trace(new org.proxyinfo.trace.KeyLogSink(cfg.trace(), keyLog, leg -> leg.equals("session2"), System.err));
            System.out.println("proxy: SSLKEYLOGFILE is set: appending the key of every session #2 to " + keyLog
                    + " (anyone with that file can decrypt those sessions)");
        }
        ProxyServer server;
        try {
            server = new ProxyServer(new TlsProxy(cfg), InetAddress.getByName(bind), port, System.out);
        } catch (IOException e) {
            System.err.println("error: " + Validate.cannotListen(bind, port, e));
            return 2;
        }
        ConnectionTraces w = writer;
        server.afterConnection(() -> writeTrace(w));
        server.start();
        System.out.println("proxy: listening on " + bind + ":" + server.port() + "; session #2 goes to "
                + (upHost != null ? upHost + ":" + upPort : "the client's SNI host, on the port the client connected to") + "; signing " + mode.configName()
                + "; clients without proxy_info: " + (policy == ProxyHandshake.POLICY_MINT ? "mint (INSECURE interception)" : "refused")
                + "; client-certificate mode (DEC-23): " + certMode.configName()
                + "; at most " + maxConnections + " connections.");
        System.out.println("proxy: try  proxyinfo client --connect " + bind + ":" + server.port()
                + " --host origin.proxyinfo.test --pki " + pki + " --proxy-trust   (Ctrl-C to stop)");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            System.out.println("proxy: stopped after " + server.handled() + " connection(s).");
        }));
        Thread.currentThread().join();
        return 0;
    }

    private void writeTrace(ConnectionTraces w) {
        if (w == null) {
            return;
        }
        try {
            w.finish();
        } catch (IOException e) {
            System.err.println("proxy: cannot write the trace beside " + trace + ": " + e.getMessage());
        }
    }
}
