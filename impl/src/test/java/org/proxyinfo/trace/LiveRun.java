package org.proxyinfo.trace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.proxyinfo.cli.Main;

/**
 * Issue 16: the roles run by hand as impl/PROXY.md says, each in its own process (server, proxy) or
 * in-process (client), with {@code --trace}: what a user gets on a live proxied run.
 */
final class LiveRun implements AutoCloseable {
    final Path dir;
    final Path pki;
    Process server;
    Process proxy;
    int serverPort;
    int proxyPort;

    LiveRun(Path dir) {
        this.dir = dir;
        this.pki = TraceValidator.schemaFile().getParent().getParent().resolve("reference").resolve("pki");
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Starts {@code server --trace server.json} and {@code proxy --trace proxy.json --upstream} to it. */
    LiveRun start(Map<String, String> env, String... proxyArgs) throws IOException, InterruptedException {
        server = startRole("server", env, List.of("server", "--port", "0", "--pki", pki.toString(),
                "--trace", dir.resolve("server.json").toString()));
        serverPort = port("server");
        List<String> p = new ArrayList<>(List.of("proxy", "--port", "0", "--pki", pki.toString(),
                "--upstream", "127.0.0.1:" + serverPort, "--trace", dir.resolve("proxy.json").toString()));
        p.addAll(List.of(proxyArgs));
        proxy = startRole("proxy", env, p);
        proxyPort = port("proxy");
        return this;
    }

    private Process startRole(String name, Map<String, String> env, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(java(), "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    private int port(String name) throws IOException, InterruptedException {
        Path log = dir.resolve(name + ".log");
        Procs.awaitText(log, "listening on", 30_000, name.equals("server") ? server : proxy);
        Matcher m = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)").matcher(Files.readString(log, StandardCharsets.UTF_8));
        if (!m.find()) throw new AssertionError(name + " did not say its port: " + Files.readString(log));
        return Integer.parseInt(m.group(1));
    }

    /** {@code client --connect proxy --proxy-trust --trace FILE} in its own process; returns its exit code. */
    Procs.Result client(String traceFile, Map<String, String> env, String... extra) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(java(), "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "client", "--connect", "127.0.0.1:" + proxyPort, "--host", "origin.proxyinfo.test", "--pki", pki.toString(),
                "--proxy-trust", "--trace", dir.resolve(traceFile).toString()));
        cmd.addAll(List.of(extra));
        Path out = dir.resolve(traceFile + ".out");
        Path err = dir.resolve(traceFile + ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(env);
        Process c = pb.start();
        if (!c.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            Procs.kill(c);
            throw new AssertionError("client hung");
        }
        return new Procs.Result(c.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Waits until the server and the proxy have written {@code n} connection traces each. */
    void awaitConnections(int n) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            if (Files.exists(dir.resolve("server-" + n + ".json")) && Files.exists(dir.resolve("proxy-" + n + ".json"))
                    && indexSize("server.json") >= n && indexSize("proxy.json") >= n) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the roles did not write " + n + " connection traces: " + List.of(dir.toFile().list()));
    }

    private int indexSize(String f) throws IOException {
        Path p = dir.resolve(f);
        if (!Files.exists(p)) return 0;
        try {
            return TraceJson.parse(Files.readString(p)).path("connections").size();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return 0; // being rewritten
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : new Process[] {proxy, server}) {
            if (p != null) Procs.kill(p);
        }
    }
}
