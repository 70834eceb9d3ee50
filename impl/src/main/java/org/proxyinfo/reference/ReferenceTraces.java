package org.proxyinfo.reference;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.proxyinfo.crypto.DeterministicRandom;
import org.proxyinfo.pki.PkiDir;
import org.proxyinfo.trace.NssKeyLog;
import org.proxyinfo.trace.Trace;

/**
 * The reference traces of traces/reference/ (traces/README.md "Reference traces"): which runs,
 * with which seed, clock and PKI, and how they are written. {@code proxyinfo trace regenerate
 * --out traces/reference} calls {@link #regenerate}; the test ReferenceTracesTest requires the
 * result to equal the committed files byte for byte.
 *
 * <p>Determinism: the committed test PKI (traces/reference/pki, loaded from there, so no key is
 * generated at run time), a fixed clock at {@link #INSTANT}, and per run a 32-byte seed
 * {@code SHA-256("proxyinfo reference trace " + name)}; each role's random source is
 * {@code DeterministicRandom.fromSeed(SHA-256(seed || UTF-8(role)))}. Runs use the in-memory
 * transport (no ports in the trace) and record through {@code LegTraces} (no thread
 * interleaving in the trace).
 */
public final class ReferenceTraces {
    public static final String VERSION = "0.1.0";
    /** The fixed clock of every reference run: inside the committed PKI's validity. */
    public static final Instant INSTANT = Instant.parse("2026-06-01T12:00:00Z");
    /** The host every reference client means (SNI, DEC-10 name check). */
    public static final String HOST = "origin.proxyinfo.test";

    /** One reference run. */
    public interface Runner {
        Trace run(PkiDir pki, byte[] seed, Clock clock, String name) throws IOException;
    }

    /** A reference run: file name (without .json), what it shows, how to run it. */
    public record Entry(String name, String description, Runner runner) { }

    private ReferenceTraces() { }

    /**
     * Demo scenarios without a committed reference trace, because `check` cannot admit them (a reference trace must be
     * admitted by the model, CheckCommandTest). None today. The five runs that end with a session #2 refused because of
     * client authentication (proxy-meets-required-client-auth, R7; client-cert-chain-without-client-signature,
     * client-cert-replayed-proxy-cert-verify and client-cert-unaccepted-proxy, 01-R16; client-cert-verify-fails, 01-R15)
     * were here until the model's origin could refuse and the proxy could abandon (model refusal.als, issue 13 with
     * issue 11); `check` now pins each refusal from the trace's alerts and check events (Conformance.refusalFacts,
     * ModelMapping.dec23) and admits them (RefusalConformanceTest).
     */
    static final java.util.Set<String> NOT_YET_REFERENCE = java.util.Set.of();

    /** Every reference run, in file-name order. */
    public static List<Entry> all() {
        List<Entry> out = new ArrayList<>();
        for (org.proxyinfo.demo.Scenario sc : org.proxyinfo.demo.Scenarios.all()) {
            if (NOT_YET_REFERENCE.contains(sc.name())) {
                continue;
            }
            out.add(new Entry(sc.name(), sc.architecture() + ": " + sc.description(), (pki, seed, clock, name) -> scenario(sc, pki, seed, clock)));
        }
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }

    /** Runs one demo scenario (issue #4) on the committed PKI, seeded, at the fixed clock; ports are written as {@code <port>}. */
    static Trace scenario(org.proxyinfo.demo.Scenario sc, PkiDir pki, byte[] seed, Clock clock) throws IOException {
        org.proxyinfo.demo.ScenarioResult r = org.proxyinfo.demo.ScenarioRunner.run(sc,
                org.proxyinfo.demo.RunOptions.of(org.proxyinfo.pki.TestPki.read(pki.dir())).seed(seed).clock(clock));
        if (r.trace() == null) {
            throw new IOException("scenario " + sc.name() + " produced no trace: " + r.summary());
        }
        if (!r.passed()) {
            throw new IOException("scenario " + sc.name() + " did not behave as expected: " + String.join("; ", r.mismatches()));
        }
        return withoutPorts(r.trace());
    }

    private static final java.util.regex.Pattern ADDRESS = java.util.regex.Pattern.compile("\\b(\\d{1,3}(?:\\.\\d{1,3}){3}):\\d{1,5}\\b");

    /**
     * The roles name loopback addresses with their (ephemeral) ports in checks and messages (e.g. the
     * proxy's "upstream 127.0.0.1:40123 validated"); a reference trace writes {@code 127.0.0.1:<port>}.
     */
    static Trace withoutPorts(Trace t) {
        String json = ADDRESS.matcher(t.toJson()).replaceAll("$1:<port>");
        try {
            return Trace.parse(json);
        } catch (org.proxyinfo.trace.TraceFormatException e) {
            throw new IllegalStateException("port normalisation broke the trace: " + e.getMessage());
        }
    }

    public static Clock clock() {
        return Clock.fixed(INSTANT, ZoneOffset.UTC);
    }

    /** The run's seed: SHA-256 of "proxyinfo reference trace " + name. */
    public static byte[] seed(String name) {
        return sha256(("proxyinfo reference trace " + name).getBytes(StandardCharsets.UTF_8));
    }

    /** A role's random source: DeterministicRandom from SHA-256(seed || UTF-8(role)). */
    public static DeterministicRandom random(byte[] seed, String role) {
        byte[] r = role.getBytes(StandardCharsets.UTF_8);
        byte[] in = new byte[seed.length + r.length];
        System.arraycopy(seed, 0, in, 0, seed.length);
        System.arraycopy(r, 0, in, seed.length, r.length);
        return DeterministicRandom.fromSeed(sha256(in));
    }

    /** The legs of a trace in order of first appearance. */
    public static List<String> legs(Trace t) {
        java.util.LinkedHashSet<String> legs = new java.util.LinkedHashSet<>();
        t.events().forEach(ev -> legs.add(ev.leg()));
        return List.copyOf(legs);
    }

    static byte[] sha256(byte[] in) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(in);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    /**
     * Runs every reference run (or those named) with the PKI in {@code pkiDir} and writes
     * {@code out/<name>.json} and, for every leg that reached a master secret, {@code out/<name>.<leg>.keylog}
     * (the NSS key log of that TLS session).
     * Returns the files written.
     */
    public static List<Path> regenerate(Path pkiDir, Path out, List<String> only) throws IOException {
        PkiDir pki = new PkiDir(pkiDir);
        pki.file("client/trust.pem"); // says how to make the PKI if it is missing
        Files.createDirectories(out);
        List<Path> written = new ArrayList<>();
        for (Entry e : all()) {
            if (only != null && !only.isEmpty() && !only.contains(e.name())) {
                continue;
            }
            Trace t = e.runner().run(pki, seed(e.name()), clock(), e.name());
            Path json = out.resolve(e.name() + ".json");
            t.writeTo(json);
            written.add(json);
            // One NSS key log per leg: the proxy opens session #2 with the client's client_random
            // (DEC-5/DEC-12 reconciliation), and a key log line is keyed by client_random alone.
            for (String leg : legs(t)) {
                Path keylog = out.resolve(e.name() + "." + leg + ".keylog");
                Files.deleteIfExists(keylog);
                if (new NssKeyLog(keylog).addFrom(t.forLeg(leg)) > 0) {
                    written.add(keylog);
                }
            }
        }
        return written;
    }
}
