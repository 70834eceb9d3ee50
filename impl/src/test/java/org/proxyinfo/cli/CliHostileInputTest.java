package org.proxyinfo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile user's input to the command line (hostile-user review): oversized, endless and non-regular files,
 * mismatched credentials, unvalidated options. Each case: the exit code, one line saying what is wrong, no stack
 * trace ({@link CliRoughEdgesTest#rejects}), no hang.
 */
class CliHostileInputTest {
    @TempDir
    Path tmp;
    Path pki;

    @BeforeEach
    void makePki() {
        pki = tmp.resolve("pki");
        assertEquals(0, CliRoughEdgesTest.run("pki", "--out", pki.toString()).exit());
    }

    /** A sparse file of {@code size} bytes: no data written, so a 3 GiB file costs nothing. */
    Path sparse(String name, long size) throws IOException {
        Path f = tmp.resolve(name);
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
            r.setLength(size);
        }
        return f;
    }

    static void rejectsWithin(Duration limit, int exit, String expected, String... args) {
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(limit, () -> CliRoughEdgesTest.rejects(exit, expected, args),
                () -> "hangs: " + String.join(" ", args));
    }

    @Test
    @DisplayName("#1 a 3 GiB (sparse) file as a trace, a certificate, a key or trust anchors: 'N bytes: too large', exit 2, no"
            + " OutOfMemoryError")
    void oversizedFilesAreRefused() throws Exception {
        String big = sparse("big", 3L << 30).toString();
        String ref = Path.of("..", "traces", "reference", "pki").toAbsolutePath().normalize().toString();
        String key = pki.resolve("server/ecdsa-key.pem").toString();
        String chain = pki.resolve("server/ecdsa-chain.pem").toString();
        String tooLargeTrace = big + ": 3221225472 bytes, too large for a trace (limit 268435456 bytes, 256 MiB)";
        CliRoughEdgesTest.rejects(2, tooLargeTrace, "trace", "show", big);
        CliRoughEdgesTest.rejects(2, tooLargeTrace, "trace", "render", big, "--out", tmp.resolve("x.html").toString());
        CliRoughEdgesTest.rejects(2, tooLargeTrace, "check", big, "--pki", ref);
        String tooLargePem = big + ": 3221225472 bytes, too large for a PEM file (limit 4194304 bytes, 4 MiB)";
        CliRoughEdgesTest.rejects(2, tooLargePem, "server", "--port", "0", "--cert", big, "--key", key);
        CliRoughEdgesTest.rejects(2, tooLargePem, "server", "--port", "0", "--cert", chain, "--key", big);
        CliRoughEdgesTest.rejects(2, tooLargePem, "client", "--connect", "127.0.0.1:1", "--host", "localhost", "--pki", pki.toString(),
                "--cert", big, "--key", key);
        CliRoughEdgesTest.rejects(2, tooLargePem, "client", "--connect", "127.0.0.1:1", "--host", "localhost", "--pki", pki.toString(),
                "--proxy-trust", big);
        CliRoughEdgesTest.rejects(2, tooLargePem, "client", "--connect", "127.0.0.1:1", "--host", "localhost", "--cafile", big);
        CliRoughEdgesTest.rejects(2, tooLargePem, "server", "--port", "0", "--pki", pki.toString(), "--client-auth", "need",
                "--client-ca", big);
        CliRoughEdgesTest.rejects(2, tooLargePem, "proxy", "--port", "0", "--pki", pki.toString(), "--cafile", big);
    }

    @Test
    @DisplayName("#1 a FIFO or a device (/dev/zero) as a trace or PEM: refused at once as not a regular file, exit 2, no hang")
    void nonRegularFilesAreRefused() throws Exception {
        Path fifo = tmp.resolve("fifo");
        boolean made;
        try {
            made = new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0;
        } catch (IOException e) {
            made = false;
        }
        assumeTrue(made, "mkfifo is not available");
        try {
            rejectsWithin(Duration.ofSeconds(20), 2, fifo + ": not a regular file", "trace", "show", fifo.toString());
            rejectsWithin(Duration.ofSeconds(20), 2, fifo + ": not a regular file", "client", "--connect", "127.0.0.1:1", "--host",
                    "localhost", "--pki", pki.toString(), "--proxy-trust", fifo.toString());
            rejectsWithin(Duration.ofSeconds(20), 2, "/dev/zero: not a regular file", "trace", "show", "/dev/zero");
            rejectsWithin(Duration.ofSeconds(20), 2, "/dev/zero: not a regular file", "client", "--connect", "127.0.0.1:1",
                    "--host", "localhost", "--pki", pki.toString(), "--cert", pki.resolve("client-auth/ecdsa-chain.pem").toString(),
                    "--key", "/dev/zero");
        } finally {
            // a reader blocked opening the FIFO (the defect) gets a writer, then an end of file; O_RDWR does not block
            new RandomAccessFile(fifo.toFile(), "rw").close();
        }
    }

    @picocli.CommandLine.Command(name = "boom")
    static final class Boom implements java.util.concurrent.Callable<Integer> {
        @Override
        public Integer call() {
            throw new OutOfMemoryError("Java heap space");
        }
    }

    @Test
    @DisplayName("#1 an Error out of a command (OutOfMemoryError) is one line and exit 1, as an exception is: no stack trace")
    void anErrorIsOneLine() {
        picocli.CommandLine cl = Main.commandLine();
        cl.addSubcommand("boom", new Boom());
        java.io.StringWriter err = new java.io.StringWriter();
        cl.setErr(new java.io.PrintWriter(err, true));
        int exit;
        try {
            exit = cl.execute("boom");
        } catch (OutOfMemoryError e) {
            throw new AssertionError("the Error left the command line: the JVM prints its stack trace", e);
        }
        assertEquals(1, exit, err.toString());
        assertTrue(err.toString().contains("out of memory"), err.toString());
        assertFalse(err.toString().contains("\tat "), err.toString());
        assertEquals(1, err.toString().lines().filter(l -> !l.isBlank()).count(), err.toString());
    }

    @Test
    @DisplayName("nits: binary garbage as PEM or trace says 'not text' (not 'Input length = 1'); a missing file says 'no such"
            + " file', naming it once")
    void garbageAndMissingFilesSaySo() throws Exception {
        Path garbage = Files.write(tmp.resolve("garbage.pem"), new byte[] {0x30, (byte) 0x82, (byte) 0xff, (byte) 0xfe, 0, 1, 2});
        String key = pki.resolve("server/ecdsa-key.pem").toString();
        String chain = pki.resolve("server/ecdsa-chain.pem").toString();
        String notText = garbage + ": not text: byte 0x82 at offset 1 is not UTF-8";
        CliRoughEdgesTest.rejects(2, notText, "server", "--port", "0", "--cert", garbage.toString(), "--key", key);
        CliRoughEdgesTest.rejects(2, notText, "client", "--connect", "127.0.0.1:1", "--host", "localhost", "--pki", pki.toString(),
                "--cert", chain, "--key", garbage.toString());
        CliRoughEdgesTest.rejects(2, notText, "trace", "show", garbage.toString());
        Path nope = tmp.resolve("nope.pem");
        CliRoughEdgesTest.Run r = CliRoughEdgesTest.run("client", "--connect", "127.0.0.1:1", "--host", "localhost", "--pki",
                pki.toString(), "--cert", chain, "--key", nope.toString());
        assertEquals(2, r.exit(), r.all());
        assertTrue(r.err().contains(nope + ": no such file"), r.err());
        assertEquals(1, r.err().split(java.util.regex.Pattern.quote(nope.toString()), -1).length - 1, "the path once: " + r.err());
    }

    /**
     * A TLS server (our server role, the PKI's certificates) that reads the request and then streams {@code limit}
     * bytes of response, or until the client goes away; closes and ends its thread after one connection.
     */
    static final class StreamingServer implements AutoCloseable {
        final java.net.ServerSocket listener;
        final Thread thread;
        final java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();

        StreamingServer(Path pki, long limit) throws IOException {
            listener = new java.net.ServerSocket(0, 4, java.net.InetAddress.getLoopbackAddress());
            org.proxyinfo.role.TlsServer tls = new org.proxyinfo.role.TlsServer(
                    ServerCommand.serverConfig(new org.proxyinfo.pki.PkiDir(pki), new RoleOptions()));
            thread = new Thread(() -> {
                try (java.net.Socket s = listener.accept()) {
                    org.proxyinfo.role.TlsConnection c = tls.accept(new org.proxyinfo.role.SocketTransport(s));
                    c.getInputStream().read(new byte[4096]);
                    c.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n"
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    byte[] chunk = "all work and no play makes jack a dull boy\n".repeat(380).getBytes(
                            java.nio.charset.StandardCharsets.US_ASCII);
                    while (sent.get() < limit) {
                        c.write(chunk);
                        sent.addAndGet(chunk.length);
                    }
                    c.close();
                } catch (IOException e) {
                    // the client went away: what a client that stops reading does
                }
            }, "streaming-server");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            listener.close();
            thread.join(10_000);
        }
    }

    @Test
    @DisplayName("#2 client against a server that streams without end: stops after 1 MiB, exit 1, says so; no OutOfMemoryError")
    void clientCapsTheResponse() throws Exception {
        int threads = org.proxyinfo.role.Leaks.threads();
        int sockets = org.proxyinfo.role.Leaks.openSockets();
        // 64 MiB stands in for "for ever": enough to show the client has no bound, cheap enough for the defect to finish
        try (StreamingServer server = new StreamingServer(pki, 64L << 20)) {
            CliRoughEdgesTest.Run r = CliRoughEdgesTest.run("client", "--connect", "127.0.0.1:" + server.port(), "--host", "localhost",
                    "--pki", pki.toString());
            assertEquals(1, r.exit(), r.err());
            assertTrue(r.err().contains("the response is longer than 1 MiB (1048576 bytes)"), r.err());
            assertTrue(r.out().length() < (2 << 20), "printed " + r.out().length() + " characters");
            assertFalse(r.all().contains("\tat "), r.all());
            server.thread.join(10_000);
            assertTrue(server.sent.get() < (16 << 20), "the server stopped when the client closed: sent " + server.sent.get());
        }
        org.proxyinfo.role.Leaks.assertNoThreadLeak(threads);
        org.proxyinfo.role.Leaks.assertNoSocketLeak(sockets);
    }

    @Test
    @DisplayName("#6 client --trace a directory: refused before connecting (exit 2); --trace /proc/t.json, which cannot be written:"
            + " exit 2 after the connection, not 0; server and proxy --trace a directory: exit 2 at startup")
    void traceThatCannotBeWrittenIsAFailure() throws Exception {
        try (HttpsServer server = new HttpsServer(new org.proxyinfo.role.TlsServer(ServerCommand.serverConfig(
                new org.proxyinfo.pki.PkiDir(pki), new RoleOptions())), java.net.InetAddress.getLoopbackAddress(), 0,
                new java.io.PrintStream(new java.io.ByteArrayOutputStream()))) {
            server.start();
            String at = "127.0.0.1:" + server.port();
            CliRoughEdgesTest.rejects(2, "--trace " + tmp + " is a directory", "client", "--connect", at, "--host", "localhost",
                    "--pki", pki.toString(), "--trace", tmp.toString());
            assertEquals(0, server.served(), "refused before connecting");
            CliRoughEdgesTest.Run r = CliRoughEdgesTest.run("client", "--connect", at, "--host", "localhost", "--pki", pki.toString(),
                    "--trace", "/proc/t.json");
            assertEquals(2, r.exit(), r.all());
            assertTrue(r.out().contains("200 OK") && r.err().contains("cannot write the trace to /proc/t.json"), r.all());
        }
        rejectsWithin(Duration.ofSeconds(20), 2, "--trace " + tmp + " is a directory", "server", "--port", "0", "--pki",
                pki.toString(), "--trace", tmp.toString());
        rejectsWithin(Duration.ofSeconds(20), 2, "--trace " + tmp + " is a directory", "proxy", "--port", "0", "--pki",
                pki.toString(), "--trace", tmp.toString());
    }

    @Test
    @DisplayName("#9 proxy --upstream is checked at startup: 127.0.0.1:abc, :70000, :0, no port, a bad host name: one line, exit 2")
    void proxyUpstreamValidated() {
        String[] base = {"proxy", "--port", "0", "--pki", pki.toString(), "--upstream"};
        java.util.function.BiConsumer<String, String> rejects = (upstream, expected) -> {
            String[] args = java.util.Arrays.copyOf(base, base.length + 1);
            args[base.length] = upstream;
            rejectsWithin(Duration.ofSeconds(20), 2, expected, args);
        };
        rejects.accept("127.0.0.1:abc", "--upstream must be HOST:PORT with a numeric port; got '127.0.0.1:abc'");
        rejects.accept("127.0.0.1:70000", "--upstream 127.0.0.1:70000: port 70000 is not a TCP port (use 1-65535)");
        rejects.accept("127.0.0.1:0", "--upstream 127.0.0.1:0: port 0 is not a TCP port (use 1-65535)");
        rejects.accept("127.0.0.1", "--upstream must be HOST:PORT");
        rejects.accept("bad host:443", "--upstream 'bad host' is not a host name");
    }

    @Test
    @DisplayName("#10 a key that does not belong to the certificate (server, client, proxy --cert/--key): refused at startup,"
            + " one line, exit 2")
    void keyMustMatchCertificate() {
        String ecdsaChain = pki.resolve("server/ecdsa-chain.pem").toString();
        String rsaKey = pki.resolve("server/rsa-key.pem").toString();
        String otherEcdsaKey = pki.resolve("client-auth/ecdsa-key.pem").toString();
        String expected = "does not match the certificate";
        rejectsWithin(Duration.ofSeconds(20), 2, expected, "server", "--port", "0", "--cert", ecdsaChain, "--key", rsaKey);
        rejectsWithin(Duration.ofSeconds(20), 2, expected, "server", "--port", "0", "--cert", ecdsaChain, "--key", otherEcdsaKey);
        rejectsWithin(Duration.ofSeconds(20), 2, expected, "client", "--connect", "127.0.0.1:1", "--host", "localhost", "--pki",
                pki.toString(), "--cert", pki.resolve("client-auth/ecdsa-chain.pem").toString(), "--key",
                pki.resolve("client-auth/rsa-key.pem").toString());
        rejectsWithin(Duration.ofSeconds(20), 2, expected, "proxy", "--port", "0", "--pki", pki.toString(), "--cert",
                pki.resolve("proxy/chain.pem").toString(), "--key", otherEcdsaKey);
    }

    @Test
    @DisplayName("nits: a secret event without a value (trace show, render), schemaVersion given as the number 1")
    void traceNits() throws Exception {
        Path ref = Path.of("..", "traces", "reference", "direct.json").toAbsolutePath().normalize();
        com.fasterxml.jackson.databind.node.ObjectNode root =
                (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(ref.toFile());
        int changed = 0;
        for (com.fasterxml.jackson.databind.JsonNode e : root.get("events")) {
            if ("secret".equals(e.path("kind").asText())) {
                if (changed++ % 2 == 0) {
                    ((com.fasterxml.jackson.databind.node.ObjectNode) e).remove("value");
                } else {
                    ((com.fasterxml.jackson.databind.node.ObjectNode) e).putNull("value");
                }
            }
        }
        assertTrue(changed >= 2);
        Path noValue = Files.writeString(tmp.resolve("no-value.json"), root.toPrettyString());
        CliRoughEdgesTest.Run r = CliRoughEdgesTest.run("trace", "show", noValue.toString());
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().contains("secret client_random (test only)"), r.out());
        r = CliRoughEdgesTest.run("trace", "render", noValue.toString(), "--out", tmp.resolve("no-value.html").toString());
        assertEquals(0, r.exit(), r.all());

        root.put("schemaVersion", 1);
        Path numeric = Files.writeString(tmp.resolve("numeric.json"), root.toPrettyString());
        CliRoughEdgesTest.rejects(2, "schemaVersion must be 1.x, a string (this tool reads trace schema 1), found the number 1:"
                + " write it as \"1.0\"", "trace", "show", numeric.toString());
    }

    @Test
    @DisplayName("nits: --client-ca errors name the client trust anchors; --bind an address not of this machine says so; proxy"
            + " limits name the option")
    void optionNits() throws Exception {
        Path empty = Files.writeString(tmp.resolve("empty.pem"), "no certificates here\n");
        CliRoughEdgesTest.rejects(2, "cannot load the client trust anchors (--client-ca " + empty + "): " + empty
                + " contains no PEM CERTIFICATE block", "server", "--port", "0", "--pki", pki.toString(), "--client-auth", "need",
                "--client-ca", empty.toString());
        CliRoughEdgesTest.Run r = CliRoughEdgesTest.run("server", "--port", "0", "--pki", pki.toString(), "--bind", "192.0.2.1");
        assertEquals(2, r.exit(), r.all());
        assertTrue(r.err().contains("192.0.2.1 is not an address of this machine"), r.err());
        assertFalse(r.err().contains("try another --port"), r.err());
        r = CliRoughEdgesTest.run("proxy", "--port", "0", "--pki", pki.toString(), "--bind", "192.0.2.1");
        assertEquals(2, r.exit(), r.all());
        assertTrue(r.err().contains("192.0.2.1 is not an address of this machine"), r.err());
        for (String option : new String[] {"--max-connections", "--handshake-timeout", "--idle-timeout", "--relay-buffer"}) {
            CliRoughEdgesTest.rejects(2, option + " 0: must be at least 1", "proxy", "--port", "0", "--pki", pki.toString(), option, "0");
        }
    }
}
