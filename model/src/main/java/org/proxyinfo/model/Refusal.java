package org.proxyinfo.model;

import java.util.List;

/**
 * The refusals of {@code refusal.als} (issue 13 with issue 11) and the trace facts that stand for each: the refusing
 * side's fatal alert and the requirement ID of its own failed check. One table for both directions, so that what
 * {@link Conformance} reads from an implementation trace and what {@link TraceWriter} writes for a model instance
 * cannot drift apart. The enum names are the Alloy sig names.
 */
enum Refusal {
    /** R7, RFC 5246 7.4.6: the origin requires a client certificate and got none (an ordinary proxy's empty Certificate). */
    RefusedNoClientCert(true, "handshake_failure", List.of("RFC5246-7.4.6", "R7"), "a client certificate (the origin requires one; R7)"),
    /** 01-R16: no client signature over this session #2 and nonce for this proxy. */
    RefusedClientSig(true, "decrypt_error", List.of("01-R16"), "DEC-23 client identity forwarded by the proxy accepted"),
    /** 01-R16: a proxy the origin does not accept. */
    RefusedProxy(true, "access_denied", List.of("01-R16"), "DEC-23 proxy is one this server accepts"),
    /** 01-R15: the proxy's check of the client's CertificateVerify failed; it abandons both sessions. */
    CVFailed(false, "decrypt_error", List.of("RFC5246-7.4.8"), "client CertificateVerify verifies (01-R15)");

    /** refused by the origin (true) or by the proxy (false). */
    final boolean byOrigin;
    /** the fatal alert the refusing side sends. */
    final String alert;
    /** the requirement IDs its failed check may name; the first is the one a model trace writes. */
    final List<String> requirements;
    /** what the failed check says was checked, in a model trace. */
    final String what;

    Refusal(boolean byOrigin, String alert, List<String> requirements, String what) {
        this.byOrigin = byOrigin;
        this.alert = alert;
        this.requirements = requirements;
        this.what = what;
    }

    /** Does this side's fatal alert, with these failed checks of its own, give this refusal's cause? */
    boolean shownBy(String sentAlert, java.util.Set<String> failedIds) {
        return alert.equals(sentAlert) && requirements.stream().anyMatch(failedIds::contains);
    }
}
