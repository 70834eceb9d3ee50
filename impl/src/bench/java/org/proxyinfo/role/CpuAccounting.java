package org.proxyinfo.role;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Issue #14, the two goals not met (relay / direct >= 0.9, proxied / direct handshakes >= 0.45): how much CPU one
 * operation of each path costs, all three roles in this JVM, next to its throughput. Not a speed claim (those come
 * from {@code BenchMain}'s JMH run): it says whether a path is short of its goal because it does more work or because
 * it waits. The two paths of a pair take turns in slices of {@code SLICE_MS} after a warm-up, so both see the same
 * machine; per slice it prints operations per second, process CPU per operation and the cores busy on average
 * (process CPU / wall time), then the median and quartiles of the per-round ratios. The floor of the relay's added
 * work, one 16 KiB record sealed and opened in place, is JMH's {@code CryptoBench.aes128GcmSealOpen16kInPlace}.
 *
 * <pre>java -cp ... org.proxyinfo.role.CpuAccounting handshake|bulk [rounds]
 * java -XX:StartFlightRecording=settings=profile,delay=16s,filename=F.jfr -cp ... org.proxyinfo.role.CpuAccounting direct|proxied [seconds]</pre>
 *
 * Results and what they say: {@code impl/BENCHMARKS.md}, "Where the two short goals' time goes".
 */
public final class CpuAccounting {
    private CpuAccounting() { }

    static final long WARMUP_MS = 5_000;
    static final long SLICE_MS = 1_500;

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** One path of a pair, set up: its name, one operation, its teardown. */
    record Path(String name, Step op, Step close) { }

    /** An operation or a teardown of a path. */
    interface Step {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        String what = args.length > 0 ? args[0] : "handshake";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 9;
        switch (what) {
            case "handshake" -> pair(handshake("direct"), handshake("proxied"), rounds);
            case "bulk" -> pair(bulk("ours-direct"), bulk("ours-proxied"), rounds);
            // one path alone for a profiler (JFR with delay=WARMUP): after the warm-up, one slice of `rounds` seconds
            case "direct", "proxied" -> one(handshake(what), rounds);
            default -> throw new IllegalArgumentException("CpuAccounting handshake|bulk [rounds] | direct|proxied [seconds]");
        }
        System.exit(0); // the roles' accept threads
    }

    static Path handshake(String path) throws Exception {
        ProxyHandshakeBench b = new ProxyHandshakeBench();
        b.path = path;
        b.setup();
        return new Path("handshake " + path, b::handshake, b::tearDown);
    }

    static Path bulk(String path) throws Exception {
        BulkBench b = new BulkBench();
        b.path = path;
        b.setup();
        return new Path("64 KiB echo " + path, b::echo64k, b::tearDown);
    }

    /** Runs the pair in turns; prints each slice and the ratio b / a of throughput and of CPU per operation. */
    static void pair(Path a, Path b, int rounds) throws Exception {
        slice(a, WARMUP_MS, false);
        slice(b, WARMUP_MS, false);
        List<Double> rate = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            double[] x = slice(a, SLICE_MS, true);
            double[] y = slice(b, SLICE_MS, true);
            rate.add(y[0] / x[0]);
            cpu.add(x[1] / y[1]);
        }
        System.out.println(b.name() + " / " + a.name() + ": throughput " + quartiles(rate)
                + "; CPU per operation (a / b, the throughput ratio if both used the same cores) " + quartiles(cpu));
        a.close().run();
        b.close().run();
    }

    /** One path alone: the warm-up, then one printed slice of the given seconds (for a profiler attached after the warm-up). */
    static void one(Path p, int seconds) throws Exception {
        slice(p, 3 * WARMUP_MS, false);
        slice(p, seconds * 1000L, true);
        p.close().run();
    }

    /** {operations per second, CPU microseconds per operation}. */
    static double[] slice(Path p, long ms, boolean print) throws Exception {
        long c0 = OS.getProcessCpuTime();
        long t0 = System.nanoTime();
        long end = t0 + ms * 1_000_000L;
        int n = 0;
        while (System.nanoTime() < end) {
            p.op().run();
            n++;
        }
        long wall = System.nanoTime() - t0;
        long used = OS.getProcessCpuTime() - c0;
        double rate = n * 1e9 / wall;
        double perOp = used / 1e3 / n;
        if (print) {
            System.out.printf(Locale.ROOT, "  %-28s %8.0f ops/s  CPU %7.0f us/op  cores busy %.2f%n", p.name(), rate, perOp,
                    used / (double) wall);
        }
        return new double[] {rate, perOp};
    }

    static String quartiles(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return String.format(Locale.ROOT, "%.2f (quartiles %.2f-%.2f, %d rounds)", s.get(s.size() / 2), s.get(s.size() / 4),
                s.get(3 * s.size() / 4), s.size());
    }
}
