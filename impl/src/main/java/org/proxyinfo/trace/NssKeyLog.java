package org.proxyinfo.trace;

import org.proxyinfo.wire.Hex;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An NSS key log (the SSLKEYLOGFILE format read by Wireshark/tshark): one line
 * {@code CLIENT_RANDOM <client_random hex> <master_secret hex>} per TLS 1.2 session. Roles fill it
 * beside a trace so that a capture of the same run can be decrypted. TEST ONLY: it holds secrets.
 * Thread-safe; each line is appended and flushed at once.
 */
public final class NssKeyLog {
    private final Path file;

    public NssKeyLog(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** Appends the line for one session; client_random is 32 bytes, master_secret 48 (RFC 5246 §8.1). */
    public synchronized void clientRandom(byte[] clientRandom, byte[] masterSecret) throws IOException {
        if (clientRandom == null || clientRandom.length != 32) {
            throw new IllegalArgumentException("client_random must be 32 bytes (RFC5246-7.4.1.2)");
        }
        if (masterSecret == null || masterSecret.length != 48) {
            throw new IllegalArgumentException("master_secret must be 48 bytes (RFC5246-8.1)");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        String line = "CLIENT_RANDOM " + Hex.encode(clientRandom) + " " + Hex.encode(masterSecret) + "\n";
        Files.writeString(file, line, StandardCharsets.US_ASCII, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /**
     * Writes the key log of a trace: one line per (role, leg) that recorded both a client_random and
     * a master_secret secret event, once per distinct session (both ends of a leg record the same
     * pair). Returns the number of lines written.
     */
    public int addFrom(Trace trace) throws IOException {
        Map<String, String> clientRandoms = new LinkedHashMap<>();
        Map<String, String> written = new LinkedHashMap<>();
        int lines = 0;
        for (Trace.Event e : trace.events()) {
            if (!"secret".equals(e.kind())) {
                continue;
            }
            String key = e.role() + "|" + e.leg();
            if ("client_random".equals(e.text("name"))) {
                clientRandoms.put(key, e.text("value"));
            } else if ("master_secret".equals(e.text("name")) && clientRandoms.containsKey(key)) {
                String cr = clientRandoms.get(key);
                if (!written.containsKey(cr)) {
                    clientRandom(Hex.decode(cr), Hex.decode(e.text("value")));
                    written.put(cr, e.text("value"));
                    lines++;
                }
            }
        }
        return lines;
    }

    /**
     * Reads the CLIENT_RANDOM lines of a key log (other labels and comments are skipped):
     * client_random hex to master_secret hex, in file order.
     */
    public static Map<String, String> read(Path file) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        for (String line : lines) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length == 3 && parts[0].equals("CLIENT_RANDOM")) {
                out.put(parts[1].toLowerCase(), parts[2].toLowerCase());
            }
        }
        return out;
    }
}
