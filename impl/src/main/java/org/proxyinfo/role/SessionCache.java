package org.proxyinfo.role;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.proxyinfo.wire.Hex;

/**
 * DEC-22: one role's bounded session cache (session IDs only, RFC 5246 section 7.4.1.2; no
 * tickets, DEC-20). At most {@code capacity} entries, least recently used evicted first; an entry
 * older than {@code lifetime} is never resumed and is dropped when seen. Defaults: 1024 entries,
 * 2 hours. A server keys its entries by session_id; a client by the intended host and the peer it
 * connects to ({@link #clientKey}), so that it resumes only with the same peer and host.
 * Thread-safe (one cache serves every connection of a role).
 */
public final class SessionCache {
    public static final int DEFAULT_CAPACITY = 1024;
    public static final Duration DEFAULT_LIFETIME = Duration.ofHours(2);

    /** What a resumable session keeps (RFC 5246 section 7.4.1.2 "session state"), and DEC-22's extras. */
    public static final class Session {
        public final byte[] id;
        final byte[] masterSecret;
        public final int cipherSuite;
        public final boolean extendedMasterSecret;
        /** Client: the host it meant (checked, DEC-10); server: the server_name it received (null: none). */
        public final String serverName;
        public final Instant created;
        /** Client: the session-#1 chain it accepted (the server's, or the proxy's when proxied); server: its own chain. */
        public final List<byte[]> chain;
        /** Client: the session was proxied; {@link #proxyInfo} is the ServerHello proxy_info it accepted (DEC-22). */
        public final boolean proxied;
        public final byte[] proxyInfo;
        /** Proxy's session #1: the session #2 it was made with (01-R1..R4), and the upstream it went to. */
        public final Session linked;
        public final String upstream;

        Session(byte[] id, byte[] masterSecret, int cipherSuite, boolean extendedMasterSecret, String serverName,
                Instant created, List<byte[]> chain, boolean proxied, byte[] proxyInfo, Session linked, String upstream) {
            this.id = id.clone();
            this.masterSecret = masterSecret.clone();
            this.cipherSuite = cipherSuite;
            this.extendedMasterSecret = extendedMasterSecret;
            this.serverName = serverName;
            this.created = created;
            this.chain = List.copyOf(chain);
            this.proxied = proxied;
            this.proxyInfo = proxyInfo == null ? null : proxyInfo.clone();
            this.linked = linked;
            this.upstream = upstream;
        }

        /** The same session, linked to the session #2 it was made with (a proxy's session #1, 01-R1..R4). */
        Session linkedTo(Session session2, String upstreamHostPort) {
            return new Session(id, masterSecret, cipherSuite, extendedMasterSecret, serverName, created, chain, proxied,
                    proxyInfo, session2, upstreamHostPort);
        }

        public String idHex() {
            return Hex.of(id);
        }
    }

    private final int capacity;
    private final Duration lifetime;
    private final Map<String, Session> entries;

    public SessionCache() {
        this(DEFAULT_CAPACITY, DEFAULT_LIFETIME);
    }

    public SessionCache(int capacity, Duration lifetime) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a session cache holds at least one entry, not " + capacity);
        }
        if (lifetime == null || lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("a session lifetime must be positive, not " + lifetime);
        }
        this.capacity = capacity;
        this.lifetime = lifetime;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Session> eldest) {
                return size() > SessionCache.this.capacity;
            }
        };
    }

    public int capacity() { return capacity; }

    public Duration lifetime() { return lifetime; }

    /** A client's key: the host it means and the peer it connects to (DEC-22: same peer identity and intended host). */
    public static String clientKey(String serverName, String peer) {
        return serverName + " via " + peer;
    }

    /** A server's key: the session_id. */
    public static String serverKey(byte[] sessionId) {
        return Hex.of(sessionId);
    }

    /** The entry under this key, or null; an entry whose lifetime ran out is dropped and not returned. */
    public synchronized Session get(String key, Clock clock) {
        Session s = entries.get(key);
        if (s != null && !unexpired(s, clock)) {
            entries.remove(key);
            return null;
        }
        return s;
    }

    /** The entry under this key even when its lifetime ran out (the decision needs the fact), or null. */
    public synchronized Session peek(String key) {
        return entries.get(key);
    }

    public boolean unexpired(Session s, Clock clock) {
        Instant now = clock.instant();
        return !now.isBefore(s.created) && now.isBefore(s.created.plus(lifetime));
    }

    public synchronized void put(String key, Session s) {
        entries.put(key, s);
    }

    public synchronized void remove(String key) {
        entries.remove(key);
    }

    /** Forgets every session (an operator's flush; a server that then declines every offered ID). */
    public synchronized void clear() {
        entries.clear();
    }

    public synchronized int size() {
        return entries.size();
    }
}
