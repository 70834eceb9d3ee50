package org.proxyinfo.role;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issue #14, the two goals not met (relay / direct >= 0.9, proxied / direct handshakes >= 0.45): how much CPU one
 * operation of each path costs, all three roles in this JVM, next to its throughput. Not a speed claim (those come
 * from {@code BenchMain}'s JMH run): it says whether a path is short of its goal because it does more work or because
 * it waits. The two paths of a pair take turns in slices of {@code SLICE_MS} after a warm-up, so both see the same
 * machine; per slice it prints operations per second, process CPU per operation and the cores busy on average
 * (process CPU / wall time), then the median and quartiles of the per-round ratios. {@code aead} measures the floor of
 * the relay's added work: one 16 KiB record sealed and opened with the record layer's AES-GCM (SunJCE).
 *
 * <pre>java -cp ... org.proxyinfo.role.CpuAccounting handshake|bulk|aead [rounds]</pre>
 *
 * Results and what they say: {@code impl/BENCHMARKS.md}, "Where the two short goals' time goes".
 */
public final class CpuAccounting {
    private CpuAccounting() { }

    static final long WARMUP_MS = 5_000;
    static final long SLICE_MS = 1_500;

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** One path of a pair: its setup, one operation, its teardown. */
    interface Path {
        String name();

        void op() throws Exception;

        void close() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        String what = args.length > 0 ? args[0] : "handshake";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 9;
        switch (what) {
            case "handshake" -> pair(handshake("direct"), handshake("proxied"), rounds);
            case "bulk" -> pair(bulk("ours-direct"), bulk("ours-proxied"), rounds);
            case "aead" -> aead();
            default -> throw new IllegalArgumentException("CpuAccounting handshake|bulk|aead [rounds]");
        }
        System.exit(0); // the roles' accept threads
    }

    static Path handshake(String path) throws Exception {
        ProxyHandshakeBench b = new ProxyHandshakeBench();
        b.path = path;
        b.setup();
        return new Path() {
            public String name() { return "handshake " + path; }
            public void op() throws Exception { b.handshake(); }
            public void close() throws Exception { b.tearDown(); }
        };
    }

    static Path bulk(String path) throws Exception {
        BulkBench b = new BulkBench();
        b.path = path;
        b.setup();
        return new Path() {
            public String name() { return "64 KiB echo " + path; }
            public void op() throws Exception { b.echo64k(); }
            public void close() throws Exception { b.tearDown(); }
        };
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
        a.close();
        b.close();
    }

    /** {operations per second, CPU microseconds per operation}. */
    static double[] slice(Path p, long ms, boolean print) throws Exception {
        long c0 = OS.getProcessCpuTime();
        long t0 = System.nanoTime();
        long end = t0 + ms * 1_000_000L;
        int n = 0;
        while (System.nanoTime() < end) {
            p.op();
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

    /** Seal and open of one 16 KiB TLS record with AES-128-GCM, as the record layer does (SunJCE). */
    static void aead() throws Exception {
        SecretKeySpec key = new SecretKeySpec(new byte[16], "AES");
        byte[] plain = new byte[16384 + 16];
        byte[] sealed = new byte[16384 + 16];
        byte[] aad = new byte[13];
        Cipher seal = Cipher.getInstance("AES/GCM/NoPadding");
        Cipher open = Cipher.getInstance("AES/GCM/NoPadding");
        long counter = 0;
        for (int round = 0; round < 8; round++) {
            int n = 20_000;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                byte[] nonce = new byte[12];
                long c = counter++;
                for (int j = 0; j < 8; j++) {
                    nonce[4 + j] = (byte) (c >>> (56 - 8 * j));
                }
                seal.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
                seal.updateAAD(aad);
                int m = seal.doFinal(plain, 0, 16384, sealed, 0);
                open.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nonce));
                open.updateAAD(aad);
                open.doFinal(sealed, 0, m, plain, 0);
            }
            double us = (System.nanoTime() - t0) / 1e3 / n;
            if (round >= 3) { // the first rounds run before the JIT's GCM intrinsics
                System.out.printf(Locale.ROOT, "  one 16 KiB record sealed and opened: %.1f us%n", us);
            }
        }
    }
}
