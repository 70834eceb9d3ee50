package org.proxyinfo.role;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.proxyinfo.trace.TraceSink;

/** Test sink: keeps one line per event so tests can assert what a role reported. */
final class RecordingTrace implements TraceSink {
    final List<String> events = Collections.synchronizedList(new ArrayList<>());
    final List<Map<String, Object>> claims = Collections.synchronizedList(new ArrayList<>());

    @Override public void message(String role, String leg, String direction, String contentType, String messageName,
                                  Map<String, Object> fields, byte[] raw, List<Integer> recordBoundaries) {
        events.add("message " + role + " " + direction + " " + messageName);
    }

    @Override public void transition(String role, String leg, String from, String to, String trigger) {
        events.add("transition " + role + " " + from + "->" + to);
    }

    @Override public void check(String role, String leg, String requirementId, String what, boolean passed, String detail) {
        events.add("check " + role + " " + requirementId + " " + passed);
    }

    @Override public void claim(String role, String leg, String claim, Map<String, Object> params) {
        events.add("claim " + role + " " + claim);
        claims.add(params);
    }

    @Override public void secret(String role, String leg, String name, byte[] value) {
        events.add("secret " + role + " " + name);
    }

    @Override public void outcome(String role, String leg, boolean established, String alert, String sentBy,
                                  String requirementId, String message) {
        events.add("outcome " + role + " " + established + " " + alert + " " + sentBy + " " + requirementId);
    }

    boolean has(String prefix) {
        synchronized (events) {
            for (String e : events) {
                if (e.startsWith(prefix)) {
                    return true;
                }
            }
        }
        return false;
    }
}
