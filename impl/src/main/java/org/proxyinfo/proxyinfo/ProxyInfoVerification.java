package org.proxyinfo.proxyinfo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link ProxyInfoVerifier} found when the client accepted: whether the session is proxied,
 * one {@link Hop} per proxy (outermost first) for the user and the trace's Commit {@code upstream}
 * list, and every check that ran, in DEC-8 order.
 */
public record ProxyInfoVerification(boolean proxied, SigningMode signingMode, List<Hop> hops, List<Check> checks) {

    public ProxyInfoVerification {
        hops = List.copyOf(hops);
        checks = List.copyOf(checks);
    }

    /** One check as the trace records it (DESIGN.md "check" event). */
    public record Check(int hop, String requirementId, String what, boolean passed, String detail) { }

    /**
     * One proxy hop.
     *
     * @param index                 0 = the proxy the client talks to
     * @param proxySubject          subject of the certificate that signed this hop's assertion
     * @param proxyCertSha256       SHA-256 of that certificate (DER), hex
     * @param connectionParameters  what this proxy negotiated upstream
     * @param serverRandom          upstream ServerHello.random, hex
     * @param carriesOrigin         true for the last hop: its list is the origin server's chain
     * @param carriedSubject        subject of the carried list's end-entity certificate
     * @param carriedCertSha256     SHA-256 of that certificate, hex
     * @param revocationCheckingPerformed the proxy's claim (DEC-7)
     * @param revocation            what the client did about revocation (DEC-10), null for proxy lists
     */
    public record Hop(int index, String proxySubject, String proxyCertSha256,
                      ConnectionSecurityParameters connectionParameters, String serverRandom, boolean carriesOrigin,
                      String carriedSubject, String carriedCertSha256, boolean revocationCheckingPerformed,
                      String revocation) {

        /** The trace's Commit {@code upstream} entry (DESIGN.md). */
        public Map<String, Object> toTraceMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("proxy_cert_sha256", proxyCertSha256);
            m.put("version", String.format("0x%04X", connectionParameters.tlsVersion()));
            m.put("cipher_suite", String.format("0x%04X", connectionParameters.cipherSuite()));
            m.put("server_random", serverRandom);
            m.put("server_cert_sha256", carriedCertSha256);
            return m;
        }
    }

    /** The Commit {@code upstream} list, one entry per hop. */
    public List<Map<String, Object>> upstreamForTrace() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Hop h : hops) {
            out.add(h.toTraceMap());
        }
        return out;
    }

    /** A few lines for a person: who is in the middle and what the upstream session is. */
    public String describe() {
        if (!proxied) {
            return "No proxy announced itself (DEC-13): the server certificate was checked as the intended server's.";
        }
        StringBuilder sb = new StringBuilder("Proxied session, assertion signing mode " + signingMode.configName()
                + (signingMode == SigningMode.DRAFT_LITERAL ? " (not bound to this session: replayable)" : "") + ":\n");
        for (Hop h : hops) {
            sb.append("  hop ").append(h.index() + 1).append(": proxy ").append(h.proxySubject())
                    .append(" -> ").append(h.carriesOrigin() ? "server " : "next proxy ").append(h.carriedSubject())
                    .append(" over ").append(h.connectionParameters());
            if (h.revocation() != null) {
                sb.append("; revocation: ").append(h.revocation());
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
