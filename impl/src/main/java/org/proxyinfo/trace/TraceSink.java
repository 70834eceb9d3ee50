package org.proxyinfo.trace;

import java.util.List;
import java.util.Map;

/**
 * Where a role reports what happened, event by event. The JSON trace writer (traces/schema) is one
 * implementation; {@link #NONE} discards everything. Roles call it unconditionally, so there is one
 * code path with and without tracing.
 *
 * Vocabulary (see impl/DESIGN.md "Trace events"):
 * role = "client" | "proxy" | "server" (with an instance name for nested proxies, e.g. "proxy-A");
 * leg = "session1" (client-proxy), "session2" (proxy-server), "direct", or "sessionN" for hop N;
 * direction = "sent" | "received".
 */
public interface TraceSink {

    /**
     * A handshake message, ChangeCipherSpec, alert or application-data record, sent or received.
     * {@code raw}: for a handshake message the whole message (msg_type, 3-byte length, body) exactly as
     * hashed into the transcript; otherwise the record's plaintext fragment (decrypted if protected).
     * {@code recordBoundaries}: offsets into {@code raw} at which a fragment carried by a new record
     * begins ([0] for a message in one record; [] for a message that started inside a record holding an
     * earlier message). Field names in {@code fields} follow the RFC (client_version, random, ...);
     * byte[] values are written as hex. See traces/schema/trace.schema.json.
     */
    void message(String role, String leg, String direction, String contentType, String messageName,
                 Map<String, Object> fields, byte[] raw, List<Integer> recordBoundaries);

    /** A state-machine transition of the role's decision core (names from the core's table). */
    void transition(String role, String leg, String from, String to, String trigger);

    /** One MUST/DEC check: the requirement ID, what was checked, and the result. */
    void check(String role, String leg, String requirementId, String what, boolean passed, String detail);

    /** The role name of the adversary in traces (schema: 'attacker'); never an honest role's. */
    String ATTACKER = "attacker";

    /**
     * What the adversary ({@code org.proxyinfo.adversary}, separate from the honest roles) did around the honest role
     * {@code actsOn}: a change to bytes, keys, certificates or trust on that role's host or wire. Recorded as a
     * {@code check} event of role {@code attacker} with passed=false and "ADVERSARY: " before {@code what}, in the
     * place of {@code actsOn}'s events where it happened (a per-role sink keeps it in that role's order).
     */
    default void adversary(String actsOn, String leg, String requirementId, String what, String detail) {
        check(ATTACKER, leg, requirementId, "ADVERSARY: " + what, false, detail);
    }

    /**
     * A Running/Commit-style signal in the model's vocabulary, e.g. claim "Running" by the server
     * with params {client_random, server_random, version, cipher_suite, server_cert_sha256}, or
     * "Commit" by the client with the parameters it agreed on.
     */
    void claim(String role, String leg, String claim, Map<String, Object> params);

    /** A test-only secret needed to reproduce the run (randoms, ephemeral keys, premaster, master). */
    void secret(String role, String leg, String name, byte[] value);

    /** How the leg ended: established, or the alert, who sent it and the requirement behind it. */
    void outcome(String role, String leg, boolean established, String alert, String sentBy,
                 String requirementId, String message);

    TraceSink NONE = new TraceSink() {
        @Override public void message(String role, String leg, String direction, String contentType, String messageName,
                                      Map<String, Object> fields, byte[] raw, List<Integer> recordBoundaries) { }
        @Override public void transition(String role, String leg, String from, String to, String trigger) { }
        @Override public void check(String role, String leg, String requirementId, String what, boolean passed, String detail) { }
        @Override public void claim(String role, String leg, String claim, Map<String, Object> params) { }
        @Override public void secret(String role, String leg, String name, byte[] value) { }
        @Override public void outcome(String role, String leg, boolean established, String alert, String sentBy,
                                      String requirementId, String message) { }
    };
}
