package org.proxyinfo.demo;

import java.nio.file.Path;
import java.time.Clock;

import org.proxyinfo.pki.TestPki;
import org.proxyinfo.proxyinfo.SigningMode;

/**
 * How to run a scenario: which test PKI, which randomness (a seed for reproducible runs, or null
 * for fresh randomness), which clock, where to write traces (or null), and the default signing mode
 * (DEC-5; a scenario that is about one mode fixes its own).
 */
public final class RunOptions {
    TestPki pki;
    byte[] seed;
    Clock clock = Clock.systemUTC();
    Path traceDir;
    SigningMode signingMode = SigningMode.BOUND;
    int timeoutMillis = 10_000;

    /** Fresh randomness, system clock, no traces, bound; the PKI must be set. */
    public static RunOptions of(TestPki pki) {
        RunOptions o = new RunOptions();
        o.pki = pki;
        return o;
    }

    public RunOptions pki(TestPki p) { this.pki = p; return this; }

    /**
     * Seed for {@code DeterministicRandom}: each party gets its own stream,
     * {@code DeterministicRandom.fromLabel(hex(seed) + "/" + party)}; null = fresh SecureRandom.
     */
    public RunOptions seed(byte[] s) { this.seed = s == null ? null : s.clone(); return this; }

    public RunOptions clock(Clock c) { this.clock = c; return this; }

    /** Directory for one trace per leg and a merged trace; null = none written (the result still carries the merged trace). */
    public RunOptions traceDir(Path d) { this.traceDir = d; return this; }

    public RunOptions signingMode(SigningMode m) { this.signingMode = m; return this; }

    /** Per-read timeout for every party (a silent peer ends a connection). */
    public RunOptions timeoutMillis(int ms) { this.timeoutMillis = ms; return this; }

    public TestPki pki() { return pki; }

    public byte[] seed() { return seed == null ? null : seed.clone(); }

    public Clock clock() { return clock; }

    public Path traceDir() { return traceDir; }

    public SigningMode signingMode() { return signingMode; }
}
