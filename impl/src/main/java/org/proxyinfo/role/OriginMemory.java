package org.proxyinfo.role;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * DEVIATION (DEC-23), the proxy's per-origin memory ("remember per origin that certificates are required"): the
 * origins ({@code host:port} of session #2) that asked for a client certificate and then completed a session #2 in
 * the client-certificate mode. A proxy in {@link ProxyConfig.ClientCertMode#LEARN} goes straight to the mode for a
 * remembered origin (no first, abandoned session #2). Bounded like {@link SessionCache}: at most {@code capacity}
 * entries, least recently used evicted first, an entry older than {@code lifetime} is forgotten when seen
 * (defaults 1024 entries and 2 hours). Thread-safe; one per proxy ({@link ProxyConfig}).
 */
public final class OriginMemory {
    public static final int DEFAULT_CAPACITY = SessionCache.DEFAULT_CAPACITY;
    public static final Duration DEFAULT_LIFETIME = SessionCache.DEFAULT_LIFETIME;

    private final int capacity;
    private final Duration lifetime;
    private final Map<String, Instant> entries;

    public OriginMemory() {
        this(DEFAULT_CAPACITY, DEFAULT_LIFETIME);
    }

    public OriginMemory(int capacity, Duration lifetime) {
        if (capacity < 1) {
            throw new IllegalArgumentException("an origin memory holds at least one entry, not " + capacity);
        }
        if (lifetime == null || lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("an origin memory's lifetime must be positive, not " + lifetime);
        }
        this.capacity = capacity;
        this.lifetime = lifetime;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
                return size() > OriginMemory.this.capacity;
            }
        };
    }

    public int capacity() { return capacity; }

    public Duration lifetime() { return lifetime; }

    /** Is this origin ({@code host:port}) remembered as requiring client certificates, and still within its lifetime? */
    public synchronized boolean requiresClientCertificates(String origin, Clock clock) {
        Instant learned = entries.get(origin);
        if (learned == null) {
            return false;
        }
        Instant now = clock.instant();
        if (now.isBefore(learned) || !now.isBefore(learned.plus(lifetime))) {
            entries.remove(origin);
            return false;
        }
        return true;
    }

    /** Remembers that this origin required a client certificate (and accepted it through this proxy in the mode). */
    public synchronized void remember(String origin, Clock clock) {
        entries.put(origin, clock.instant());
    }

    /** Forgets this origin (an origin that no longer runs the mode). */
    public synchronized void forget(String origin) {
        entries.remove(origin);
    }

    public synchronized int size() {
        return entries.size();
    }
}
