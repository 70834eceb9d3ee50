package org.proxyinfo.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.concurrent.Callable;

import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.pki.PkiDir;
import org.proxyinfo.pki.RevocationPolicy;
import org.proxyinfo.role.SocketTransport;
import org.proxyinfo.role.TlsClient;
import org.proxyinfo.role.TlsConfig;
import org.proxyinfo.role.TlsConnection;
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
                + "HTTP GET and print the response and what was verified. Exit status 0 only on success.")
public final class ClientCommand implements Callable<Integer> {
    @Option(names = "--connect", required = true, paramLabel = "HOST:PORT", description = "Where to connect.")
    String connect;

    @Option(names = "--host", required = true, paramLabel = "NAME",
            description = "The server name you mean: sent as SNI and checked against the certificate (RFC 6125).")
    String host;

    @Option(names = "--pki", required = true, description = "Test PKI directory; its client/trust.pem is the trust store.")
    Path pki;

    @Option(names = "--path", defaultValue = "/", description = "Path to GET (default ${DEFAULT-VALUE}).")
    String path;

    @Option(names = "--revocation", defaultValue = "prefer",
            description = "Revocation policy with the PKI's CRLs: require, prefer, off (DEC-10; default ${DEFAULT-VALUE}).")
    String revocation;

    @Mixin
    RoleOptions options = new RoleOptions();

    @Mixin
    TraceOption trace = new TraceOption();

    @Override
    public Integer call() {
        int colon = connect.lastIndexOf(':');
        if (colon <= 0) {
            System.err.println("error: --connect must be HOST:PORT, got '" + connect + "'");
            return 2;
        }
        String address = connect.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(connect.substring(colon + 1));
        } catch (NumberFormatException e) {
            System.err.println("error: bad port in --connect '" + connect + "'");
            return 2;
        }
        String bad = options.problem();
        if (bad != null) {
            System.err.println("error: " + bad);
            return 2;
        }
        TlsConfig cfg;
        try {
            cfg = clientConfig(new PkiDir(pki), RevocationPolicy.parse(revocation), options);
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("error: cannot load the trust store from " + pki + ": " + e.getMessage());
            return 2;
        }
        cfg.trace(trace.sink("client", "DIRECT", cfg.clock()));
        Result r = fetch(cfg, address, port, host, path, System.out);
        trace.report(System.out);
        if (!r.ok) {
            System.err.println("error: " + r.error);
            return 1;
        }
        return 0;
    }

    static TlsConfig clientConfig(PkiDir dir, RevocationPolicy policy, RoleOptions options) throws IOException {
        return new TlsConfig(new BcTlsCrypto(new SecureRandom())).clock(Clock.systemUTC())
                .trustAnchors(dir.clientTrust(), policy, dir.crls())
                .cipherSuites(options.suites()).groups(options.groups());
    }

    /** What a fetch did: ok, or one line of why not. */
    static final class Result {
        boolean ok;
        String error;
        String summary;
        String response;
    }

    /** Handshake, GET, response, summary; prints for a person; never throws. */
    static Result fetch(TlsConfig cfg, String address, int port, String host, String path, PrintStream out) {
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
                    + hint(c);
            return r;
        }
        out.println("client: TLS 1.2 handshake with " + address + ":" + port + " done (" + CipherSuite.name(c.cipherSuite()) + ").");
        try {
            String request = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: proxyinfo-client\r\nConnection: close\r\n\r\n";
            c.write(request.getBytes(StandardCharsets.US_ASCII));
            out.println("client: sent GET " + path + "; response:");
            r.response = readAll(c.getInputStream());
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
        r.summary = summary(c, address, port, host);
        out.println();
        out.println(r.summary);
        r.ok = true;
        return r;
    }

    /** What to try next, for the common failures. */
    static String hint(TlsConnection c) {
        switch (c.alertReceived()) {
            case AlertDescription.HANDSHAKE_FAILURE:
                return " (the server found no cipher suite, group or signature scheme in common with this client's offer;"
                        + " see --suite and --group, and the server's log)";
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

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        in.transferTo(b);
        return b.toString(StandardCharsets.UTF_8);
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
