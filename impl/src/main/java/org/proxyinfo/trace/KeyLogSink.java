package org.proxyinfo.trace;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * SSLKEYLOGFILE for our roles, as browsers and curl honour it (issue 16 finding 4): passes every
 * event on to {@code next} and appends {@code CLIENT_RANDOM <client_random> <master_secret>} to the
 * key log once a leg the role is the client of has both. TEST/DEBUG ONLY: the file decrypts the
 * session. The proxy logs only session #2, where it is the client: session #1 has the same
 * client_random (DEC-12) and the client logs it.
 */
public final class KeyLogSink implements TraceSink {
    private final TraceSink next;
    private final NssKeyLog log;
    private final Predicate<String> legs;
    private final PrintStream complaints;
    private final Map<String, byte[]> clientRandoms = new HashMap<>();

    public KeyLogSink(TraceSink next, Path file, Predicate<String> legs, PrintStream complaints) {
        this.next = next;
        this.log = new NssKeyLog(file);
        this.legs = legs;
        this.complaints = complaints;
    }

    /** The SSLKEYLOGFILE environment variable, or null when unset or empty. */
    public static Path fromEnvironment() {
        String v = System.getenv("SSLKEYLOGFILE");
        return v == null || v.isBlank() ? null : Path.of(v);
    }

    @Override
    public void secret(String role, String leg, String name, byte[] value) {
        next.secret(role, leg, name, value);
        if (!legs.test(leg)) {
            return;
        }
        String key = role + "|" + leg + "|" + Thread.currentThread().getId();
        synchronized (clientRandoms) {
            if ("client_random".equals(name)) {
                clientRandoms.put(key, value.clone());
            } else if ("master_secret".equals(name) && clientRandoms.containsKey(key)) {
                try {
                    log.clientRandom(clientRandoms.remove(key), value);
                } catch (IOException | IllegalArgumentException e) {
                    complaints.println(role + ": cannot append to SSLKEYLOGFILE " + log.file() + ": " + e.getMessage());
                }
            }
        }
    }

    @Override
    public void message(String role, String leg, String direction, String contentType, String messageName,
                        Map<String, Object> fields, byte[] raw, List<Integer> recordBoundaries) {
        next.message(role, leg, direction, contentType, messageName, fields, raw, recordBoundaries);
    }

    @Override
    public void transition(String role, String leg, String from, String to, String trigger) {
        next.transition(role, leg, from, to, trigger);
    }

    @Override
    public void check(String role, String leg, String requirementId, String what, boolean passed, String detail) {
        next.check(role, leg, requirementId, what, passed, detail);
    }

    @Override
    public void adversary(String actsOn, String leg, String requirementId, String what, String detail) {
        next.adversary(actsOn, leg, requirementId, what, detail);
    }

    @Override
    public void claim(String role, String leg, String claim, Map<String, Object> params) {
        next.claim(role, leg, claim, params);
    }

    @Override
    public void outcome(String role, String leg, boolean established, String alert, String sentBy,
                        String requirementId, String message) {
        next.outcome(role, leg, established, alert, sentBy, requirementId, message);
    }
}
