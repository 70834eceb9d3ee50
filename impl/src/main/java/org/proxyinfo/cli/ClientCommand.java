package org.proxyinfo.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.pki.PkiDir;
import org.proxyinfo.pki.RevocationPolicy;
import org.proxyinfo.role.SocketTransport;
import org.proxyinfo.role.TlsClient;
import org.proxyinfo.role.TlsConfig;
import org.proxyinfo.role.TlsConnection;
import org.proxyinfo.ext.ExtensionTable;
import org.proxyinfo.pki.Pem;
import org.proxyinfo.proxyinfo.ProxyInfoCodec;
import org.proxyinfo.proxyinfo.ProxyInfoTableEntry;
import org.proxyinfo.proxyinfo.SigningMode;
import org.proxyinfo.proxyinfo.UpstreamPolicy;
import org.proxyinfo.proxyinfo.ValidatorCertificateChecks;
import org.proxyinfo.role.ProxyInfoClientCheck;
import org.proxyinfo.trace.JsonTraceWriter;
import org.proxyinfo.trace.RunInfo;
import org.proxyinfo.trace.TraceSink;
import org.proxyinfo.wire.CipherSuite;
import org.proxyinfo.wire.NamedGroup;
import org.proxyinfo.wire.SignatureScheme;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code proxyinfo client --connect HOST:PORT --host NAME --pki DIR}: handshake, one GET, the
 * response, and a paragraph on what was verified. Exit 0 only on success; otherwise one line with
 * the reason and the alert.
 */
@Command(name = "client", mixinStandardHelpOptions = true,
        description = "Connect with this project's TLS 1.2 client, check the server's certificate and name, send one "
                + "HTTP GET and print the response and what was verified. Exit status 0 only on success; 1 if the connection"
                + " failed, 2 if an option or file is wrong (also a --trace that could not be written).")
public final class ClientCommand implements Callable<Integer> {
    /** The longest response read (and printed): beyond it the client stops and exits 1 (impl/HOSTILE.md). */
    static final int MAX_RESPONSE = 1 << 20;

    @Option(names = "--connect", required = true, paramLabel = "HOST:PORT", description = "Where to connect.")
    String connect;

    @Option(names = "--host", required = true, paramLabel = "NAME",
            description = "The server name you mean: sent as SNI and checked against the certificate (RFC 6125).")
    String host;

    @Option(names = "--pki", paramLabel = "DIR", description = "Test PKI directory; its client/trust.pem is the trust store, its crl/ the CRLs.")
    Path pki;

    @Option(names = "--cafile", paramLabel = "PEM", description = "Trust store (PEM certificates) instead of the PKI's client/trust.pem.")
    Path cafile;

    @Option(names = "--proxy-cafile", paramLabel = "PEM",
            description = "Offer proxy_info and accept a proxy whose certificate chains to these anchors (DEC-9); the same as"
                    + " --proxy-trust PEM.")
    Path proxyCafile;

    @Option(names = "--path", defaultValue = "/", paramLabel = "PATH", description = "Path to GET (default ${DEFAULT-VALUE}).")
    String path;

    @Option(names = "--revocation", defaultValue = "prefer", paramLabel = "require|prefer|off",
            description = "Revocation policy with the PKI's CRLs: require, prefer, off (DEC-10; default ${DEFAULT-VALUE}).")
    String revocation;

    @Option(names = "--proxy-trust", arity = "0..1", fallbackValue = "", paramLabel = "PEM",
            description = "Offer proxy_info and accept a proxy whose certificate chains to these anchors (DEC-9); without a "
                    + "file: the PKI's client/proxy-trust.pem. Without this option the client does plain TLS (DEC-13).")
    String proxyTrust;

    @Option(names = "--proxy-pin", split = ",", paramLabel = "SHA256HEX",
            description = "Also accept a proxy whose key matches this pin: SHA-256 of its SubjectPublicKeyInfo, hex (DEC-9).")
    List<String> proxyPins;

    @Option(names = "--signing", defaultValue = "bound", paramLabel = "bound|draft-literal",
            description = "What the proxy's assertion signature must cover (DEC-5): bound (default) or draft-literal.")
    String signing;

    @Option(names = "--upstream-suite", split = ",", paramLabel = "NAME",
            description = "Cipher suites the proxy's upstream session may use (DEC-11; default: every ECDHE AEAD suite).")
    List<String> upstreamSuites;


    @Option(names = "--cert", paramLabel = "PEM",
            description = "Client certificate chain (PEM, leaf first) to answer a server's CertificateRequest (RFC 5246 7.4.6);"
                    + " needs --key. Test PKI: DIR/client-auth/ecdsa-chain.pem. Without it the client answers with an empty Certificate.")
    String cert;

    @Option(names = "--key", paramLabel = "PEM", description = "Private key (PKCS#8 PEM) of --cert.")
    String key;

    @Option(names = "--client-cert-mode",
            description = "DEVIATION (DEC-23, -01 3.2): offer client_cert_mode on session #1, so that a proxy in the mode can have the"
                    + " origin authenticate this client (the client signs a ProxyCertVerify over session #2; impl/CLIENTCERT.md)."
                    + " Needs --cert, --key and a proxy to trust (--proxy-trust or --proxy-cafile).")
    boolean clientCertMode;

    @Option(names = "--trace", paramLabel = "FILE", description = "Write a JSON trace of this connection (traces/README.md).")
    Path trace;

    @Mixin
    RoleOptions options = new RoleOptions();

    @Override
    public Integer call() {
        String badInput = Validate.hostPort("--connect", connect);
        if (badInput == null) {
            badInput = Validate.hostName("--host", host);
        }
        if (badInput == null) {
            badInput = Validate.writableFile("--trace", trace);
        }
        if (badInput != null) {
            System.err.println("error: " + badInput);
            return 2;
        }
        int colon = connect.lastIndexOf(':');
        String address = connect.substring(0, colon);
        if (address.startsWith("[") && address.endsWith("]")) {
            address = address.substring(1, address.length() - 1);
        }
        int port = Integer.parseInt(connect.substring(colon + 1));
        String bad = options.problem();
        if (bad != null) {
            System.err.println("error: " + bad);
            return 2;
        }
        if (pki == null && cafile == null) {
            System.err.println("error: say whom to trust: --pki DIR (the test PKI) or --cafile PEM (your own CA certificates)");
            return 2;
        }
        if (proxyCafile != null) {
            proxyTrust = proxyCafile.toString();
        }
        PkiDir dir = new PkiDir(pki).with("client/trust.pem", cafile);
        TlsConfig cfg;
        JsonTraceWriter writer = null;
        try {
            RevocationPolicy policy = RevocationPolicy.parse(revocation);
            cfg = clientConfig(dir, policy, options);
            if ((cert == null) != (key == null)) {
                System.err.println("error: --cert and --key go together (a client certificate needs its private key)");
                return 2;
            }
            if (clientCertMode && (cert == null || proxyTrust == null)) {
                System.err.println("error: --client-cert-mode (DEC-23) needs a client certificate to present through the proxy (--cert and"
                        + " --key) and a proxy to trust (--proxy-trust or --proxy-cafile)");
                return 2;
            }
            if (cert != null) {
                java.security.PrivateKey privateKey = Pem.readPrivateKey(Path.of(key));
                List<X509Certificate> chain = Pem.readCertificates(Path.of(cert));
                ServerCommand.requireMatch("--key", key, "--cert", cert, privateKey, chain);
                cfg.clientCertificate(new org.proxyinfo.role.ServerCredential(privateKey, chain));
            }
            if (trace != null) {
                writer = new JsonTraceWriter(RunInfo.implementation("0.1.0", List.of("client"))
                        .signingMode(SigningMode.fromConfig(signing).configName()).proxyInfoCodePoint(options.codePoint)
                        .config("serverName", host).policy("revocation", policy.label()));
                cfg.trace(writer).roleName("client").leg(proxyTrust != null ? "session1" : "direct");
            }
            if (proxyTrust != null) {
                addProxyInfo(cfg, dir, proxyTrust.isEmpty() ? null : Path.of(proxyTrust), pins(proxyPins), policy,
                        SigningMode.fromConfig(signing), upstreamPolicy(upstreamSuites), options.codePoint, writer, clientCertMode);
            }
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("error: cannot set up the client from " + (pki != null ? pki : cafile) + ": " + e.getMessage());
            return 2;
        }
        java.nio.file.Path keyLog = org.proxyinfo.trace.KeyLogSink.fromEnvironment();
        if (keyLog != null) { // as browsers and curl do (issue 16): CLIENT_RANDOM lines for Wireshark; TEST/DEBUG ONLY
            cfg.trace(new org.proxyinfo.trace.KeyLogSink(cfg.trace(), keyLog, leg -> true, System.err));
            System.err.println("client: SSLKEYLOGFILE is set: appending this session's key to " + keyLog
                    + " (anyone with that file can decrypt the session)");
        }
        Result r = fetch(cfg, address, port, host, path, System.out, proxyTrust != null);
        boolean traceWritten = true;
        if (writer != null) {
            try {
                writer.writeTo(trace);
            } catch (IOException e) {
                traceWritten = false;
                System.err.println("error: cannot write the trace to " + trace + ": " + e.getMessage()
                        + " (give --trace a file in a directory you can write)");
            }
        }
        if (!r.ok) {
            System.err.println("error: " + r.error);
            return 1;
        }
        return traceWritten ? 0 : 2; // the connection worked, the trace asked for is missing: not a success
    }

    static TlsConfig clientConfig(PkiDir dir, RevocationPolicy policy, RoleOptions options) throws IOException {
        return new TlsConfig(new BcTlsCrypto(new SecureRandom())).clock(Clock.systemUTC())
                .trustAnchors(dir.clientTrust(), policy, dir.crls())
                .cipherSuites(options.suites()).groups(options.groups());
    }

    /** DEC-11: the allowed upstream suites (names), or the default policy. */
    static UpstreamPolicy upstreamPolicy(List<String> names) {
        if (names == null || names.isEmpty()) {
            return UpstreamPolicy.defaults();
        }
        Set<Integer> suites = new java.util.HashSet<>();
        for (String n : names) {
            suites.add(CipherSuite.fromName(n.trim()));
        }
        return new UpstreamPolicy(Set.of(UpstreamPolicy.TLS12), suites, Set.of(0));
    }

    /** Offer proxy_info and check a proxy's assertion (DEC-8..13) with these trust settings. */
    static List<byte[]> pins(List<String> hex) {
        List<byte[]> out = new java.util.ArrayList<>();
        if (hex != null) {
            for (String h : hex) {
                byte[] pin = java.util.HexFormat.of().parseHex(h.trim());
                if (pin.length != 32) {
                    throw new IllegalArgumentException("--proxy-pin must be a SHA-256 (64 hex digits), got '" + h + "'");
                }
                out.add(pin);
            }
        }
        return out;
    }

    static void addProxyInfo(TlsConfig cfg, PkiDir dir, Path proxyAnchors, List<byte[]> pins, RevocationPolicy policy,
                             SigningMode mode, UpstreamPolicy upstream, int codePoint, TraceSink trace, boolean offerClientCertMode)
            throws IOException {
        List<X509Certificate> anchors = proxyAnchors == null ? dir.clientProxyTrust() : Pem.readCertificates(proxyAnchors);
        ValidatorCertificateChecks checks = new ValidatorCertificateChecks(anchors, pins, dir.clientTrust(), policy,
                dir.crls(), cfg.clock());
        ExtensionTable offered = ExtensionTable.DEFAULT.with(new ProxyInfoTableEntry(codePoint));
        // DEVIATION (DEC-23): client_cert_mode beside proxy_info
        cfg.extensions(offerClientCertMode ? offered.with(org.proxyinfo.clientcert.ClientCertModeOffer.client()) : offered).proxyInfoCheck(
                new ProxyInfoClientCheck(cfg.crypto(), mode, codePoint, checks, upstream, trace, "client", "session1",
                        ProxyInfoCodec.DEFAULT_MAX_DEPTH));
    }

    /** What a fetch did: ok, or one line of why not. */
    static final class Result {
        boolean ok;
        String error;
        String summary;
        String response;
    }

    /** Handshake, GET, response, summary; prints for a person; never throws. */
    static Result fetch(TlsConfig cfg, String address, int port, String host, String path, PrintStream out,
                        boolean offeredProxyInfo) {
        Result r = new Result();
        SocketTransport t;
        try {
            t = SocketTransport.connect(address, port, 10_000);
        } catch (UnknownHostException e) {
            r.error = "cannot resolve " + address;
            return r;
        } catch (ConnectException e) {
            r.error = "nothing accepts connections at " + address + ":" + port + " (is the server running?)";
            return r;
        } catch (SocketTimeoutException e) {
            r.error = "connecting to " + address + ":" + port + " timed out";
            return r;
        } catch (IOException e) {
            r.error = "cannot connect to " + address + ":" + port + ": " + e.getMessage();
            return r;
        }
        TlsConnection c = new TlsClient(cfg).connect(t, host);
        if (!c.isEstablished()) {
            r.error = "TLS handshake with " + address + ":" + port + " for '" + host + "' failed: " + c.failureSummary()
                    + hint(c, offeredProxyInfo);
            return r;
        }
        out.println("client: TLS 1.2 handshake with " + address + ":" + port + " done (" + CipherSuite.name(c.cipherSuite()) + ").");
        try {
            String request = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: proxyinfo-client\r\nConnection: close\r\n\r\n";
            c.write(request.getBytes(StandardCharsets.US_ASCII));
            out.println("client: sent GET " + path + "; response:");
            byte[] response = c.getInputStream().readNBytes(MAX_RESPONSE + 1);
            if (response.length > MAX_RESPONSE) {
                // a server that streams without end must not exhaust the heap (impl/HOSTILE.md, section 4)
                out.println(new String(response, 0, MAX_RESPONSE, StandardCharsets.UTF_8));
                r.error = "the response is longer than 1 MiB (" + MAX_RESPONSE + " bytes): stopped reading and closed the"
                        + " connection; this client prints a page for people, fetch large responses with curl or wget";
                c.close();
                return r;
            }
            r.response = new String(response, StandardCharsets.UTF_8);
        } catch (IOException e) {
            r.error = "the connection broke after the handshake: " + e.getMessage();
            c.close();
            return r;
        }
        out.println(r.response.isEmpty() ? "(empty response)" : r.response.stripTrailing());
        if (c.failureSummary() != null) {
            r.error = "the connection ended badly after the handshake: " + c.failureSummary();
            c.close();
            return r;
        }
        c.close();
        r.summary = c.proxied() ? proxiedSummary(c, address, port, host) : summary(c, address, port, host);
        out.println();
        out.println(r.summary);
        r.ok = true;
        return r;
    }

    /** What to try next, for the common failures; {@code offeredProxyInfo}: the client ran with --proxy-trust. */
    static String hint(TlsConnection c, boolean offeredProxyInfo) {
        if (c.alertReceived() == AlertDescription.HANDSHAKE_FAILURE && c.certificateRequested() && c.localCertificates().isEmpty()) {
            return " (the server asked for a client certificate and we had none to send (RFC 5246 7.4.6): it requires one;"
                    + " give --cert and --key, e.g. DIR/client-auth/ecdsa-chain.pem and DIR/client-auth/ecdsa-key.pem)";
        }
        switch (c.alertReceived()) {
            case AlertDescription.HANDSHAKE_FAILURE:
                if (offeredProxyInfo) {
                    return " (if the server is a proxy_info proxy, it refused because its own session to the origin failed:"
                            + " DEC-15, the origin's certificate or name did not pass the proxy's checks, or the origin was"
                            + " unreachable; the proxy's log says which. Otherwise no cipher suite, group or signature scheme"
                            + " was in common: see --suite and --group)";
                }
                return " (the server found no cipher suite, group or signature scheme in common with this client's offer;"
                        + " see --suite and --group, and the server's log; if the server is a proxy_info proxy that refuses"
                        + " clients without the extension (DEC-17), add --proxy-trust)";
            case AlertDescription.PROTOCOL_VERSION:
                return " (the server does not speak TLS 1.2)";
            default:
                break;
        }
        switch (c.alertSent()) {
            case AlertDescription.BAD_CERTIFICATE:
            case AlertDescription.UNKNOWN_CA:
            case AlertDescription.CERTIFICATE_EXPIRED:
            case AlertDescription.CERTIFICATE_REVOKED:
            case AlertDescription.CERTIFICATE_UNKNOWN:
                return " (check that --host is the name you mean and that --pki holds the CA that issued the server's certificate)";
            default:
                return "";
        }
    }

    static String proxiedSummary(TlsConnection c, String address, int port, String host) {
        X509Certificate leaf = c.peerCertificates().get(0);
        return "What was verified: " + address + ":" + port + " is a proxy, '" + leaf.getSubjectX500Principal().getName()
                + "', acceptable by your proxy trust (DEC-9: " + org.proxyinfo.demo.ScenarioRunner.unprefixed(c.verification(), "DEC-9: ") + "). It proved it holds that certificate's"
                + " key (ServerKeyExchange signature and Finished, " + CipherSuite.name(c.cipherSuite()) + "), and it signed a"
                + " report on its own session with the origin, which was checked before any key material was sent (DEC-8):\n"
                + c.proxyInfoSummary() + "\nThe origin's certificate in that report passed your trust store and matched '"
                + host + "' (DEC-10). The proxy can read this connection; what it reports about the upstream session is its"
                + " signed word, which you can hold it to but not verify on the wire.";
    }

    static String summary(TlsConnection c, String address, int port, String host) {
        X509Certificate leaf = c.peerCertificates().get(0);
        String key = leaf.getPublicKey().getAlgorithm().equals("RSA") ? "RSA" : "ECDSA P-256";
        return "What was verified: the server at " + address + ":" + port + " presented a certificate for "
                + leaf.getSubjectX500Principal().getName() + " (" + key + " key) that passed PKIX path validation against "
                + "your trust store and matched the name '" + host + "' you asked for (" + c.verification() + "). "
                + "It proved it holds that certificate's private key by signing its ephemeral " + NamedGroup.name(c.namedGroup())
                + " key together with both hello randoms (" + SignatureScheme.name(c.signatureScheme()) + "). "
                + "Both sides then derived the same keys" + (c.extendedMasterSecret() ? " (extended master secret, RFC 7627)" : "")
                + " and the server's Finished message verified, so nobody altered the handshake: the request and the response "
                + "travelled under TLS 1.2 " + CipherSuite.name(c.cipherSuite()) + ". The server did not authenticate you "
                + "(no client certificate), and no proxy was involved (plain TLS, DEC-13).";
    }
}
