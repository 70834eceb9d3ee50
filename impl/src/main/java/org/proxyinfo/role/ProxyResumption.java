package org.proxyinfo.role;

import java.util.Arrays;
import java.util.List;

import org.proxyinfo.core.Resumption;
import org.proxyinfo.ext.HelloContext;
import org.proxyinfo.wire.ClientHello;
import org.proxyinfo.wire.Hex;
import org.proxyinfo.wire.TlsFatalAlert;

/**
 * DEC-22: the proxy's coupling of its two sessions (the draft's 01-R1..R4, stronger than 00-R1..R3),
 * for one client connection. A session #1 is cached linked to the session #2 it was made with. When
 * the client offers a known session-#1 ID, the {@link Resumption} core is asked whether to offer the
 * linked session-#2 ID upstream (01-R1); after session #2 it is asked whether session #1 may be
 * resumed: only if the server resumed exactly that session #2 with the same server (01-R2); else
 * session #2 was full and session #1 is full too (01-R3, 01-R4). The proxy never resumes session #2
 * for a client that gets a full session #1, nor the reverse.
 */
final class ProxyResumption {
    /** Where the coupling's facts and answers go (the proxy's trace). */
    interface Checks {
        void check(String leg, String requirementId, String what, boolean passed, String detail);
    }

    private final ProxyConfig config;
    private final Checks checks;
    private Abbreviated.ServerFacts session1Facts;
    private int session1Decision = Resumption.FULL;
    private SessionCache.Session linked;
    private boolean offeredLinked;
    private SessionCache.Session resumeSession1;
    private String upstream;

    ProxyResumption(ProxyConfig config, Checks checks) {
        this.config = config;
        this.checks = checks;
    }

    /**
     * Before session #2 (01-R1): the session-#1 facts from this ClientHello and the session-#1 cache, the
     * linked session #2, and the core's answer on offering it. An EMS session offered without EMS is refused
     * here, before anything goes upstream (RFC7627-5.3: the server MUST abort).
     */
    void beforeUpstream(TlsConnection s1, ClientHello ch, HelloContext hello, String upstreamHostPort) throws TlsFatalAlert {
        upstream = upstreamHostPort;
        session1Facts = Abbreviated.serverFacts(s1.config, ch, hello);
        if (session1Facts == null) {
            return; // no session_id offered (or no cache): a full session #2 and a full session #1
        }
        if (session1Facts.alert() != Resumption.NO_ALERT) {
            throw new TlsFatalAlert(session1Facts.alert(), "RFC7627-5.3", "the client offers session "
                    + Hex.of(ch.sessionId) + ", made with extended_master_secret, without extended_master_secret");
        }
        session1Decision = session1Facts.decision();
        SessionCache.Session cached = session1Facts.cached;
        linked = cached != null ? cached.linked : null;
        boolean linkedCached = linked != null && config.session2Cache != null && config.session2Cache.unexpired(linked, config.clock);
        boolean sameUpstream = cached != null && upstreamHostPort.equals(cached.upstream);
        offeredLinked = Resumption.proxyOffersLinkedSession(session1Decision, linkedCached, sameUpstream);
        checks.check(config.downstreamLeg, "01-R1", "core fact: Resumption.proxyOffersLinkedSession given session1_decision="
                + (session1Decision == Resumption.RESUME ? "RESUME" : "FULL") + ", linked_cached=" + linkedCached
                + ", same_upstream_host=" + sameUpstream, true, null);
        checks.check(config.upstreamLeg, "01-R1", offeredLinked
                ? "the client offers known session " + cached.idHex() + ": session #2 offers its linked session " + linked.idHex()
                : "session #2 offers no session_id (a full session #2)", true,
                cached == null ? "unknown session-#1 ID " + Hex.of(ch.sessionId) : session1Facts.describe()
                        + (linked == null ? ", no linked session #2" : ""));
    }

    /** The session the session-#2 ClientHello offers (01-R1), or null. */
    SessionCache.Session session2Offer() {
        return offeredLinked ? linked : null;
    }

    /**
     * After session #2 (01-R2..R4): was the linked session #2 resumed, with the same server? The Resumption core
     * decides whether session #1 is resumed. A resumed session #2 had no Certificate: its cached chain is
     * validated again by the proxy's verifier (DEC-15).
     */
    void afterUpstream(TlsConnection s1, TlsConnection s2, CertificateVerifier verifier, String intendedHost) {
        boolean session2Resumed = offeredLinked && s2.isEstablished() && s2.resumed() && linked != null
                && Arrays.equals(s2.sessionId, linked.id);
        boolean sameServer = session2Resumed && sameChain(Certificates.encode(s2.peerCertificates()), linked.chain);
        if (s2.isEstablished() && s2.resumed() && !s2.proxied()) {
            try {
                s2.verification = "resumed session " + s2.sessionId() + ", cached chain validated again: "
                        + verifier.verify(s2.peerCertificates(), Certificates.encode(s2.peerCertificates()), intendedHost);
            } catch (TlsFatalAlert e) {
                s2.verification = "resumed session " + s2.sessionId() + ", cached chain refused now: " + e.getMessage();
                sameServer = false;
            }
        }
        int decision = Resumption.proxySession1Decision(offeredLinked, session2Resumed, sameServer);
        checks.check(config.downstreamLeg, "01-R2", "core fact: Resumption.proxySession1Decision given offered_linked="
                + offeredLinked + ", session2_resumed=" + session2Resumed + ", same_server=" + sameServer, true, null);
        if (decision == Resumption.RESUME) {
            resumeSession1 = session1Facts.cached;
            checks.check(config.downstreamLeg, "01-R2", "the server resumed session #2 " + linked.idHex()
                    + ": session #1 " + resumeSession1.idHex() + " is resumed", true, "00-R2: the same server");
        } else if (offeredLinked) {
            checks.check(config.downstreamLeg, "01-R4", "the server declined session #2 " + linked.idHex()
                    + ": full session #2, then full session #1", true, "01-R3: session #1 is not resumed");
        } else if (session1Facts != null && session1Facts.cached != null) {
            checks.check(config.downstreamLeg, "01-R3", "session #1 " + session1Facts.cached.idHex()
                    + " cannot be resumed with its session #2: full session #2, then full session #1", true, null);
        }
    }

    /** The cached session #1 to resume (01-R2), or null for a full session #1. */
    SessionCache.Session session1ToResume() {
        return resumeSession1;
    }

    /**
     * After a full session #1 (DEC-22): its cache entry is linked to the session #2 it was made with, so a later
     * resumption can offer that session #2 (01-R1). A minted session (DEC-17) is not linked: never resumed.
     */
    void link(TlsProxy.Outcome out) {
        TlsConnection s1 = out.session1;
        TlsConnection s2 = out.session2;
        if (config.session1Cache == null || s1 == null || s1.resumed() || s1.session == null || out.minted) {
            return;
        }
        if (s2 == null || s2.session == null) {
            config.session1Cache.remove(SessionCache.serverKey(s1.session.id));
            return;
        }
        config.session1Cache.put(SessionCache.serverKey(s1.session.id), s1.session.linkedTo(s2.session, upstream));
        checks.check(config.downstreamLeg, "01-R1", "session #1 " + s1.session.idHex() + " cached, linked to session #2 "
                + s2.session.idHex() + " with the same upstream", true, null);
    }

    private static boolean sameChain(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size() || a.isEmpty()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }
}
