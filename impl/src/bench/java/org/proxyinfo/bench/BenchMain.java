package org.proxyinfo.bench;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Runs JMH with the command-line arguments (as {@code org.openjdk.jmh.Main} does) and then prints
 * the ratios issue #7 asks for, from whatever benchmarks ran: ours against SunJSSE and BCJSSE
 * (handshakes/s, bulk), a handshake against its public-key floor, proxied against direct, and the
 * allocation per operation when the gc profiler ran ({@code -prof gc}).
 */
public final class BenchMain {
    private BenchMain() { }

    public static void main(String[] args) throws Exception {
        CommandLineOptions opts = new CommandLineOptions(args);
        Collection<RunResult> results = new Runner(opts).run();
        Map<String, Double> score = new LinkedHashMap<>();
        Map<String, Double> alloc = new LinkedHashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark().replaceAll(".*\\.(\\w+Bench)\\.", "$1.");
            String param = "";
            for (String k : r.getParams().getParamsKeys()) {
                param = r.getParams().getParam(k);
            }
            String key = name + (param.isEmpty() ? "" : "[" + param + "]");
            score.put(key, r.getPrimaryResult().getScore());
            Result<?> a = r.getSecondaryResults().get("gc.alloc.rate.norm");
            if (a != null) {
                alloc.put(key, a.getScore());
            }
        }
        System.out.println();
        System.out.println("Ratios (higher = ours faster; issue #7):");
        ratio(score, "HandshakeBench.handshake[ours]", "HandshakeBench.handshake[sunjsse]", "handshakes/s ours / SunJSSE");
        ratio(score, "HandshakeBench.handshake[ours]", "HandshakeBench.handshake[bcjsse]", "handshakes/s ours / BCJSSE");
        ratio(score, "HandshakeBench.handshake[ours-norevocation]", "HandshakeBench.handshake[sunjsse]",
                "handshakes/s ours (no CRL check, as JSSE) / SunJSSE");
        ratio(score, "HandshakeBench.handshake[ours-norevocation]", "HandshakeBench.handshake[bcjsse]",
                "handshakes/s ours (no CRL check, as JSSE) / BCJSSE");
        ratio(score, "HandshakeBench.handshake[ours]", "HandshakeFloorBench.publicKeyFloor",
                "handshake rate / public-key floor rate (1.0 = only public-key work)");
        ratio(score, "ProxyHandshakeBench.handshake[proxied]", "ProxyHandshakeBench.handshake[direct]", "proxied / direct handshakes/s");
        ratio(score, "BulkBench.echo64k[ours-direct]", "BulkBench.echo64k[sunjsse-direct]", "bulk ours / SunJSSE");
        ratio(score, "BulkBench.echo64k[ours-direct]", "BulkBench.echo64k[bcjsse-direct]", "bulk ours / BCJSSE");
        ratio(score, "BulkBench.echo64k[ours-proxied]", "BulkBench.echo64k[ours-direct]", "bulk through the proxy / direct");
        for (Map.Entry<String, Double> e : score.entrySet()) {
            if (e.getKey().startsWith("BulkBench")) {
                System.out.printf("  %-45s %8.1f MB/s one way%n", e.getKey(), e.getValue() * 64 * 1024 / 1e6);
            }
        }
        if (!alloc.isEmpty()) {
            System.out.println("Allocation per operation (JMH gc profiler, gc.alloc.rate.norm):");
            for (Map.Entry<String, Double> e : alloc.entrySet()) {
                System.out.printf("  %-45s %10.0f KB/op%n", e.getKey(), e.getValue() / 1024);
            }
        }
    }

    private static void ratio(Map<String, Double> s, String a, String b, String what) {
        if (s.containsKey(a) && s.containsKey(b)) {
            System.out.printf("  %-62s %6.2f  (%.1f / %.1f ops/s)%n", what, s.get(a) / s.get(b), s.get(a), s.get(b));
        }
    }
}
