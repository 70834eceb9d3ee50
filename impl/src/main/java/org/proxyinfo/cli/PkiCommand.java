package org.proxyinfo.cli;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.concurrent.Callable;

import org.proxyinfo.crypto.DeterministicRandom;
import org.proxyinfo.pki.TestPki;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code proxyinfo pki --out DIR}: writes the test PKI (pki package generator) as PEM files. */
@Command(name = "pki", mixinStandardHelpOptions = true,
        description = "Write a test PKI (web root + intermediate, ECDSA and RSA server certificates, proxy CA, CRLs) "
                + "as PEM files. TEST KEYS ONLY.")
public final class PkiCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write (created if missing).")
    Path out;

    @Option(names = "--fresh", description = "Use fresh randomness and the current time instead of the committed seed "
            + "('" + TestPki.DEFAULT_SEED_LABEL + "', base " + "2026-01-01).")
    boolean fresh;

    @Option(names = "--seed", paramLabel = "LABEL", description = "Seed label for a reproducible PKI (default: the committed seed).")
    String seed;

    @Override
    public Integer call() throws Exception {
        String bad = Validate.writableDirectory("--out", out);
        if (bad != null) {
            System.err.println("error: " + bad);
            return 2;
        }
        TestPki pki;
        if (fresh) {
            pki = TestPki.generate(new SecureRandom(), Instant.now());
        } else if (seed != null) {
            pki = TestPki.generate(DeterministicRandom.fromLabel(seed), TestPki.DEFAULT_BASE);
        } else {
            pki = TestPki.generateDefault();
        }
        try {
            pki.writeTo(out);
        } catch (java.io.IOException e) {
            String why = e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : e instanceof java.nio.file.NoSuchFileException ? "the directory cannot be created there"
                    : e instanceof java.nio.file.FileAlreadyExistsException ? "a file is in the way"
                    : Main.oneLine(String.valueOf(e.getMessage()));
            System.err.println("error: cannot write the test PKI to " + out + ": " + why + " (name a directory you can write)");
            return 2;
        }
        System.out.println("Wrote the test PKI to " + out.toAbsolutePath() + (fresh ? " (fresh keys)" : " (reproducible: seed '"
                + (seed != null ? seed : TestPki.DEFAULT_SEED_LABEL) + "')") + ".");
        System.out.println("  server certificates for: localhost, " + TestPki.ORIGIN_HOST + ", 127.0.0.1 (ECDSA P-256 and RSA-2048)");
        System.out.println("  client trust store:      " + out.resolve("client/trust.pem"));
        System.out.println("  layout and warnings:     " + out.resolve("README.txt") + " (test keys only, never use them for anything real)");
        System.out.println("Next: proxyinfo server --port 8443 --pki " + out + "   and   proxyinfo client --connect 127.0.0.1:8443 --host localhost --pki " + out);
        return 0;
    }
}
