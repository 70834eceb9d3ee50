package org.proxyinfo.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import org.proxyinfo.pki.PkiDir;
import org.proxyinfo.pki.RevocationPolicy;
import org.proxyinfo.pki.TestPki;
import org.proxyinfo.role.TlsServer;

import picocli.CommandLine.Command;

/**
 * {@code proxyinfo demo}: a fresh temporary PKI, our server and our client on loopback, one
 * handshake and one GET, and an explanation of who authenticated whom and how.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run a complete TLS 1.2 exchange on loopback (fresh temporary PKI, this project's server and client) "
                + "and explain who authenticated whom. Exit status 0 on success.")
public final class DemoCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        Path dir = Files.createTempDirectory("proxyinfo-demo-pki");
        try {
            out.println("1. Making a fresh test PKI in " + dir + " (web root CA -> intermediate -> server certificates for localhost).");
            TestPki.generate(new SecureRandom(), Instant.now()).writeTo(dir);
            PkiDir pki = new PkiDir(dir);
            RoleOptions defaults = new RoleOptions();
            ByteArrayOutputStream serverLog = new ByteArrayOutputStream();
            PrintStream serverOut = new PrintStream(serverLog, true, StandardCharsets.UTF_8);
            try (HttpsServer server = new HttpsServer(new TlsServer(ServerCommand.serverConfig(pki, defaults)),
                    InetAddress.getLoopbackAddress(), 0, serverOut)) {
                server.start();
                out.println("2. Started the TLS 1.2 server on 127.0.0.1:" + server.port()
                        + " with the ECDSA and RSA server certificates.");
                out.println("3. The client connects, asks for 'localhost', trusts only the web root CA of step 1, and sends GET /:");
                out.println();
                ClientCommand.Result r = ClientCommand.fetch(ClientCommand.clientConfig(pki, RevocationPolicy.DEFAULT, defaults),
                        "127.0.0.1", server.port(), "localhost", "/", indent(out));
                out.println();
                server.close();
                out.println("4. What the server reported:");
                for (String line : serverLog.toString(StandardCharsets.UTF_8).split("\n")) {
                    if (!line.isBlank()) {
                        out.println("   " + line);
                    }
                }
                out.println();
                if (!r.ok) {
                    out.println("Demo FAILED: " + r.error);
                    return 1;
                }
                out.println("In short: the client authenticated the server (certificate chain + name + signature over this");
                out.println("handshake's randoms + Finished); the server did not authenticate the client (anyone may ask for its");
                out.println("page). Both know nobody tampered with the handshake. Demo succeeded.");
                return 0;
            }
        } finally {
            deleteTree(dir);
        }
    }

    private static PrintStream indent(PrintStream out) {
        return new PrintStream(new java.io.OutputStream() {
            private boolean lineStart = true;

            @Override public void write(int b) {
                if (lineStart) {
                    out.print("   ");
                }
                out.write(b);
                lineStart = b == '\n';
            }
        }, true, StandardCharsets.UTF_8);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            System.err.println("note: could not remove the temporary PKI " + dir + ": " + e.getMessage());
        }
    }
}
