package org.proxyinfo.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a model instance as a trace in the schema of traces/schema/trace.schema.json
 * (run.source = "model"), with the same roles, legs, message names and Running/Commit/Secret
 * claim events as the implementation's traces. Randoms and certificate hashes are
 * deterministic stand-ins derived from the atom names (the model has no bytes); every
 * certificate message carries the model's view of the certificate in an {@code x-model} field,
 * which {@link Conformance} reads back.
 */
public final class TraceWriter {
    public static final ObjectMapper JSON = new ObjectMapper();
    public static final String SOFTWARE = "proxyinfo-model 0.1.0 (Alloy 6.2.0, SAT4J)";

    private TraceWriter() {}

    public static String role(String agent) {
        switch (agent) {
            case "C": return "client";
            case "P": return "proxy";
            case "S": return "server";
            case "P2": return "proxy-2";    // PI-BOUND-2HOP: the second proxy (hop 2)
            case "S2": return "server-2";   // PI-BOUND-2HOP: the second honest server
            default: return "attacker";
        }
    }

    public static String host(String name) {
        switch (name) {
            case "nS": return "server.example";
            case "nP": return "proxy.example";
            case "nA": return "attacker.example";
            case "nC": return "client.example";
            case "nP2": return "proxy2.example";
            case "nS2": return "server2.example";
            default: return name;
        }
    }

    static String issuerName(String key) {
        switch (key) {
            case "kWebCA": return "Web CA";
            case "kProxyCA": return "Proxy CA";
            case "kProxyCA2": return "Proxy CA 2 (P2's anchor)";
            default: return "self-issued with " + key;
        }
    }

    public static String version(String v) { return "TLS12".equals(v) ? "TLSv1.2" : "TLSv1.0"; }

    public static String suite(String s) {
        return "AEAD".equals(s) ? "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256" : "TLS_RSA_WITH_RC4_128_SHA";
    }

    static String sha(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String clientRandom(String sess) { return sha("client_random/" + sess); }
    public static String serverRandom(String sess) { return sha("server_random/" + sess); }
    /** DEC-22: the session_id of a session: its own for a full handshake, the cached one's for an abbreviated handshake. */
    public static String sessionId(Instance.SessView x) { return sha("session_id/" + (x.resumes() != null ? x.resumes() : x.id())); }
    public static String certHash(Instance.CertView c) { return sha("cert/" + c.subj() + "/" + c.key() + "/" + c.issuer()); }

    static String legName(Arch arch, String leg) {
        if ("L2".equals(leg)) return "session2";
        if ("L3".equals(leg)) return "session3";   // PI-BOUND-2HOP: P2-server
        return arch.proxied() ? "session1" : "direct";
    }

    /** Orders sessions so that a proxy's session #2 comes before its session #1 (DEC-14). */
    static List<Instance.SessView> order(Instance in) {
        Set<String> done = new LinkedHashSet<>();
        List<Instance.SessView> out = new ArrayList<>();
        for (Instance.SessView x : in.sessions.values()) visit(in, x, done, out);
        return out;
    }

    private static void visit(Instance in, Instance.SessView x, Set<String> done, List<Instance.SessView> out) {
        if (!done.add(x.id())) return;
        if (x.resumes() != null) visit(in, in.sessions.get(x.resumes()), done, out);   // DEC-22: the cached session first
        if (x.link() != null) visit(in, in.sessions.get(x.link()), done, out);
        out.add(x);
    }

    /** The trace of one instance. */
    public static ObjectNode trace(Instance in, String claimId, String scenario, String threatId) {
        Arch arch = Arch.byId(in.arch);
        ObjectNode root = JSON.createObjectNode();
        root.put("schemaVersion", "1.0");
        ObjectNode run = root.putObject("run");
        run.put("source", "model");
        run.put("softwareVersion", SOFTWARE);
        run.put("scenario", scenario);
        run.put("architecture", arch.id);
        if (claimId != null) run.put("property", claimId);
        ArrayNode roles = run.putArray("roles");
        roles.add("client");
        if (arch.proxied() || arch == Arch.CONSENT) roles.add("proxy");
        if (arch.twoHop()) roles.add("proxy-2");
        roles.add("server");
        if (arch.twoHop()) roles.add("server-2");
        roles.add("attacker");
        ObjectNode conf = run.putObject("configuration");
        if (arch.bound()) conf.put("signingMode", "bound");
        else if (arch.pi()) conf.put("signingMode", "draft-literal");
        else conf.putNull("signingMode");
        conf.put("proxyInfoCodePoint", 65360);
        conf.putNull("rngSeed");
        conf.putObject("clock").put("kind", "fixed").put("instant", "2026-01-01T00:00:00Z");
        conf.put("serverName", host("nS"));
        conf.put("threat", threatId);
        ArrayNode ta = conf.putArray("threatAtoms");
        in.threat.forEach(ta::add);
        ArrayNode ma = conf.putArray("mutants");
        in.mutants.forEach(ma::add);

        ArrayNode ev = root.putArray("events");
        for (Instance.SessView x : order(in)) session(in, arch, x, ev);
        return root;
    }

    private static ObjectNode event(ArrayNode ev, String kind, String role, String leg) {
        ObjectNode e = ev.addObject();
        e.put("seq", ev.size() - 1);
        e.put("kind", kind);
        e.put("role", role);
        e.put("leg", leg);
        return e;
    }

    private static ObjectNode message(ArrayNode ev, String role, String leg, String dir, String contentType, String name, Instance.SessView x) {
        ObjectNode e = event(ev, "message", role, leg);
        e.put("direction", dir);
        e.put("contentType", contentType);
        e.put("messageName", name);
        e.putObject("fields");
        e.put("raw", "");
        e.putArray("recordBoundaries");
        e.put("x-session", x.id());
        return e;
    }

    private static ObjectNode certJson(Instance.CertView c) {
        ObjectNode o = JSON.createObjectNode();
        o.put("subject", host(c.subj()));
        o.put("issuer", issuerName(c.issuer()));
        o.put("sha256", certHash(c));
        ObjectNode m = o.putObject("x-model");
        m.put("subj", c.subj());
        m.put("key", c.key());
        m.put("issuer", c.issuer());
        return o;
    }

    private static ObjectNode proxyInfo(Instance.AssertionView a) {
        ObjectNode pi = JSON.createObjectNode();
        pi.put("flag", "proxy_to_client");
        ObjectNode cp = pi.putObject("connection_parameters");
        cp.put("tls_version", version(a.ver()));
        cp.put("cipher_suite", suite(a.suite()));
        cp.put("compression_method", "null");
        pi.putArray("server_certificate_list").add(certJson(a.srvCert()));
        if (a.up() != null) pi.put("server_random", serverRandom(a.up()));
        pi.put("revocation_checking_performed", false);
        if (a.next() != null) pi.set("next_proxy_info", proxyInfo(a.next()));
        else pi.put("next_proxy_info", "server_to_proxy");
        ObjectNode sig = pi.putObject("signature");
        sig.put("signed_by", role(a.by()));
        sig.put("x-model-signer", a.signer());
        if (a.bound() != null) {
            sig.put("bound_client_random", clientRandom(a.bound()));
            sig.put("bound_server_random", serverRandom(a.bound()));
        }
        pi.put("x-model-assertion", a.id());
        return pi;
    }

    private static void both(ArrayNode ev, Instance.SessView x, String leg, String from, String to, String ct, String name, ObjectNode fields) {
        for (String[] rd : new String[][] {{from, "sent"}, {to, "received"}}) {
            ObjectNode e = message(ev, rd[0], leg, rd[1], ct, name, x);
            e.set("fields", fields.deepCopy());
        }
    }

    private static void session(Instance in, Arch arch, Instance.SessView x, ArrayNode ev) {
        String leg = legName(arch, x.leg());
        String c = role(x.cl()), s = role(x.sv());
        String cr = clientRandom(x.id()), sr = serverRandom(x.id());

        ObjectNode ch = JSON.createObjectNode();
        ch.put("random", cr);
        ch.put("server_name", host(x.sni()));
        ArrayNode exts = ch.putArray("extensions");
        exts.add("server_name");
        exts.add("extended_master_secret");
        if (arch.pi() && ("C".equals(x.cl()) || "P".equals(x.cl()) || "P2".equals(x.cl()))) exts.add("proxy_info");
        ch.put("session_id", x.resumes() != null ? sessionId(x) : "");   // DEC-22: the cached session's ID is offered
        both(ev, x, leg, c, s, "handshake", "client_hello", ch);

        ObjectNode sh = JSON.createObjectNode();
        sh.put("random", sr);
        sh.put("server_version", version(x.ver()));
        sh.put("cipher_suite", suite(x.suite()));
        ArrayNode sext = sh.putArray("extensions");
        if (x.featOn()) sext.add("extended_master_secret");
        if (x.pinfo() != null) sh.set("proxy_info", proxyInfo(x.pinfo()));
        sh.put("session_id", sessionId(x));   // echoed on an abbreviated handshake (RFC 5246 7.4.1.2, 7.3 Figure 2)
        both(ev, x, leg, s, c, "handshake", "server_hello", sh);
        if (x.resumes() == null) fullHandshake(x, leg, c, s, ev);
        else {
            // DEC-22: an abbreviated handshake sends no Certificate and no key exchange; the session state is the cached one's
            ObjectNode note = event(ev, "transition", c, leg);
            note.put("from", "WAIT_SERVER_HELLO");
            note.put("to", "RESUME_WAIT_FINISHED");
            note.put("trigger", "server_hello resumes the cached session " + sessionId(x));
        }
        sessionEnd(in, arch, x, leg, c, s, cr, sr, ev);
    }

    private static void fullHandshake(Instance.SessView x, String leg, String c, String s, ArrayNode ev) {
        ObjectNode cert = JSON.createObjectNode();
        cert.putArray("certificate_list").add(certJson(x.cert()));
        both(ev, x, leg, s, c, "handshake", "certificate", cert);
        both(ev, x, leg, s, c, "handshake", "server_key_exchange", JSON.createObjectNode().put("signed_with", x.cert().key()));
        if (x.certReq()) {
            both(ev, x, leg, s, c, "handshake", "certificate_request", JSON.createObjectNode());
            ObjectNode cc = JSON.createObjectNode();
            ArrayNode l = cc.putArray("certificate_list");
            if (x.ccert() != null) l.add(certJson(x.ccert()));
            both(ev, x, leg, c, s, "handshake", "certificate", cc);
            if (!x.clientSigsDelivered().isEmpty()) {
                ObjectNode pcv = JSON.createObjectNode();
                ArrayNode sigs = pcv.putArray("client_signatures");
                x.clientSigsDelivered().forEach(sigs::add);
                both(ev, x, leg, c, s, "handshake", "proxy_cert_verify", pcv);
            }
        }
    }

    private static void sessionEnd(Instance in, Arch arch, Instance.SessView x, String leg, String c, String s, String cr, String sr, ArrayNode ev) {
        String failed = checks(in, arch, x, leg, ev);
        if (x.accepted()) {
            ObjectNode run = event(ev, "claim", s, leg);
            run.put("claim", "Running");
            ObjectNode rp = run.putObject("params");
            rp.put("client_random", cr);
            rp.put("server_random", sr);
            rp.put("version", version(x.ver()));
            rp.put("cipher_suite", suite(x.suite()));
            rp.put("server_cert_sha256", certHash(x.cert()));
            rp.put("peer", x.ccert() != null ? role(subjOwner(x.ccert().subj())) : "anonymous");
            if (x.resumes() != null) rp.put("resumed", true).put("session_id", sessionId(x));
            ObjectNode com = event(ev, "claim", c, leg);
            com.put("claim", "Commit");
            ObjectNode cp = com.putObject("params");
            cp.put("server_name", host(x.sni()));
            cp.put("client_random", cr);
            cp.put("server_random", sr);
            cp.put("version", version(x.ver()));
            cp.put("cipher_suite", suite(x.suite()));
            cp.put("server_cert_sha256", certHash(x.cert()));
            if (x.resumes() != null) cp.put("resumed", true).put("session_id", sessionId(x));
            if (x.pinfo() != null) {
                ObjectNode hop = cp.putArray("upstream").addObject();
                hop.put("proxy_cert_sha256", certHash(x.cert()));
                hop.put("version", version(x.pinfo().ver()));
                hop.put("cipher_suite", suite(x.pinfo().suite()));
                hop.put("server_random", x.pinfo().up() != null ? serverRandom(x.pinfo().up()) : "");
                hop.put("server_cert_sha256", certHash(x.pinfo().srvCert()));
            }
            for (String r : new String[] {c, s}) outcome(ev, r, leg, x, true, null, null, null, null);
            if (!x.c2s().isEmpty()) {
                if ("C".equals(x.cl())) {
                    ObjectNode sec = event(ev, "claim", c, leg);
                    sec.put("claim", "Secret");
                    sec.putObject("params").put("what", "application_data").put("peer", "server");
                }
                data(in, ev, x, leg, c, s, x.c2s(), null);
            }
            if (!x.inj().isEmpty()) data(in, ev, x, leg, "C".equals(x.cl()) && in.threat.contains("ProxyLies") ? "proxy" : "attacker", s, x.inj(), "injected with the shared session keys (CONSENT)");
        } else if (x.refusal() != null) {
            refusal(ev, x, leg, c, s);
        } else {
            String req = failed == null ? "DEC-15" : failed;
            outcome(ev, c, leg, x, false, "bad_certificate", c, req, "the client side refused the handshake");
            outcome(ev, s, leg, x, false, "bad_certificate", c, req, "the peer refused the handshake");
        }
    }

    /**
     * A refused handshake (refusal.als, issue 13): the refusing side's failed check naming the cause and its fatal
     * alert, as an implementation trace shows them (Conformance pins the refusal from exactly these facts).
     */
    private static void refusal(ArrayNode ev, Instance.SessView x, String leg, String c, String s) {
        Refusal r = Refusal.valueOf(x.refusal());
        String req = r.requirements.get(0), what = r.what, alert = r.alert;
        ObjectNode chk = event(ev, "check", s, leg);
        chk.put("requirementId", req);
        chk.put("what", what);
        chk.put("passed", false);
        chk.put("detail", "model: " + x.refusal());
        chk.put("x-session", x.id());
        both(ev, x, leg, s, c, "alert", alert, JSON.createObjectNode());
        outcome(ev, s, leg, x, false, alert, s, req, "the server side refused the handshake");
        outcome(ev, c, leg, x, false, alert, s, req, "the peer refused the handshake");
    }

    private static String subjOwner(String n) {
        switch (n) {
            case "nS": return "S";
            case "nP": return "P";
            case "nC": return "C";
            case "nP2": return "P2";
            case "nS2": return "S2";
            default: return "A";
        }
    }

    private static void data(Instance in, ArrayNode ev, Instance.SessView x, String leg, String from, String to, List<String> d, String note) {
        ObjectNode f = JSON.createObjectNode();
        ArrayNode items = f.putArray("data");
        ArrayNode readers = JSON.createArrayNode();
        for (String datum : d) {
            ObjectNode it = items.addObject();
            it.put("id", datum);
            String origin = in.dataOrigin.get(datum);
            it.put("origin", origin == null ? "?" : origin.equals("made up") ? "made up by attacker or lying proxy" : "client data sent on " + origin);
            for (String r : in.readers.getOrDefault(datum, List.of())) if (!contains(readers, role(r))) readers.add(role(r));
        }
        if (note != null) f.put("note", note);
        for (String[] rd : new String[][] {{from, "sent"}, {to, "received"}}) {
            ObjectNode e = message(ev, rd[0], leg, rd[1], "application_data", "application_data", x);
            e.set("fields", f.deepCopy());
            e.put("encrypted", true);
            e.set("x-readers", readers.deepCopy());
        }
    }

    private static boolean contains(ArrayNode a, String s) {
        for (var n : a) if (n.asText().equals(s)) return true;
        return false;
    }

    private static void check(ArrayNode ev, String role, String leg, String req, String what, boolean ok, String detail) {
        ObjectNode e = event(ev, "check", role, leg);
        e.put("requirementId", req);
        e.put("what", what);
        e.put("passed", ok);
        e.put("detail", detail);
    }

    private static boolean webValid(Arch arch, Instance.CertView c) {
        boolean trusted = c.issuer().equals("kWebCA") || (arch == Arch.MINT && c.issuer().equals("kProxyCA"));
        return trusted && c.subj().equals("nS");
    }

    /** Issue #11 finding 5: is P2's anchor kProxyCA2 in the client's own proxy trust store (principals.als clientProxyAnchors)? */
    private static boolean clientTrustsHop2(Instance in) { return !in.threat.contains("Hop2UntrustedByClient"); }

    /** The checks the honest client-side endpoint makes (a readable account of the model's rules). Returns the first failed requirement. */
    private static String checks(Instance in, Arch arch, Instance.SessView x, String leg, ArrayNode ev) {
        String firstFail = null;
        boolean careless = in.threat.contains("CarelessClient") || in.mutants.contains("NoServerCertCheck");
        if ("C".equals(x.cl()) && !careless) {
            if (x.pinfo() == null) {
                boolean ok = webValid(arch, x.cert());
                check(ev, "client", leg, arch.pi() ? "DEC-13" : "RFC2818-3.1", "server certificate chains to the client's web trust store and names " + host("nS"), ok,
                        "subject " + host(x.cert().subj()) + ", issuer " + issuerName(x.cert().issuer()));
                if (!ok) firstFail = arch.pi() ? "DEC-13" : "RFC2818-3.1";
            } else {
                Instance.AssertionView a = x.pinfo();
                boolean acc = Arch.byId(in.arch).bound()
                        ? x.cert().issuer().equals("kProxyCA") || (arch.twoHop() && x.cert().issuer().equals("kProxyCA2") && clientTrustsHop2(in))
                                || (in.mutants.contains("NoDEC9") && x.cert().issuer().equals("kWebCA"))
                        : x.cert().issuer().equals("kWebCA");
                check(ev, "client", leg, "DEC-9", "session-#1 certificate is an acceptable proxy", acc, "issuer " + issuerName(x.cert().issuer()));
                boolean sig = a.signer().equals(x.cert().key());
                check(ev, "client", leg, "DEC-8", "assertion signature verifies with the session-#1 key", sig, "signed with " + a.signer());
                if (Arch.byId(in.arch).bound() && !in.mutants.contains("NoDEC5Bind"))
                    check(ev, "client", leg, "DEC-5", "signed input bound to this session's randoms", x.id().equals(a.bound()), "bound to " + a.bound());
                Instance.AssertionView last = a.next() != null ? a.next() : a;
                if (a.next() != null && Arch.byId(in.arch).bound() && !in.mutants.contains("NoDEC12")) {
                    boolean hop = a.next().signer().equals(a.srvCert().key()) && (a.srvCert().issuer().equals("kProxyCA")
                            || (arch.twoHop() && a.srvCert().issuer().equals("kProxyCA2") && clientTrustsHop2(in)));   // PI-BOUND-2HOP: P2's anchor
                    check(ev, "client", leg, "DEC-12", "hop 1's end-entity key signs hop 2, and hop 1 is an acceptable proxy", hop,
                            "hop 2 signed with " + a.next().signer() + "; hop 1 list " + host(a.srvCert().subj()) + " issued by " + issuerName(a.srvCert().issuer()));
                    if (!hop && firstFail == null) firstFail = "DEC-12";
                }
                boolean chain = webValid(arch, last.srvCert());
                if (!in.mutants.contains("NoDEC10"))
                    check(ev, "client", leg, "DEC-10", "server_certificate_list (origin) validates for " + host("nS"), chain, "subject " + host(last.srvCert().subj()));
                boolean pol = "TLS12".equals(a.ver()) && "AEAD".equals(a.suite());
                if (!in.mutants.contains("NoDEC11"))
                    check(ev, "client", leg, "DEC-11", "upstream parameters meet the client's policy", pol, version(a.ver()) + " " + suite(a.suite()));
                String[][] fails = {{"DEC-9", String.valueOf(acc)}, {"DEC-8", String.valueOf(sig)}, {"DEC-10", String.valueOf(chain || in.mutants.contains("NoDEC10"))},
                        {"DEC-11", String.valueOf(pol || in.mutants.contains("NoDEC11"))}};
                for (String[] f : fails) if (firstFail == null && f[1].equals("false")) firstFail = f[0];
            }
        }
        boolean hop2 = "P2".equals(x.cl());
        if (("P".equals(x.cl()) || hop2) && !in.threat.contains(hop2 ? "Hop2Careless" : "CarelessProxy")
                && !in.threat.contains(hop2 ? "Hop2Lies" : "ProxyLies") && !in.mutants.contains("NoProxyValidation")) {
            // DEC-15: a plain upstream validates as the host meant; an upstream proxy (PI-BOUND-2HOP: P's upstream is P2) is
            // an acceptable proxy under a configured proxy trust anchor (DEC-9; the other columns keep the plain check's text)
            boolean viaProxy = arch.twoHop() && x.pinfo() != null;
            boolean ok = !viaProxy ? x.cert().issuer().equals("kWebCA") && x.cert().subj().equals(x.sni())
                    : x.cert().issuer().equals("kProxyCA") || (x.cert().issuer().equals("kProxyCA2")
                            && (hop2 || !in.threat.contains("Hop2UntrustedByProxy")));   // P's own store (issue #11 finding 5)
            check(ev, role(x.cl()), leg, "DEC-15", !viaProxy
                            ? "upstream certificate chains to the proxy's trust store and names " + host(x.sni())
                            : "upstream proxy's certificate chains to a configured proxy trust anchor", ok,
                    "subject " + host(x.cert().subj()) + ", issuer " + issuerName(x.cert().issuer()));
            if (!ok) firstFail = "DEC-15";
        }
        return firstFail;
    }

    private static void outcome(ArrayNode ev, String role, String leg, Instance.SessView x, boolean ok, String alert, String by, String req, String msg) {
        ObjectNode e = event(ev, "outcome", role, leg);
        e.put("established", ok);
        if (alert == null) e.putNull("alert"); else e.put("alert", alert);
        if (by == null) e.putNull("sentBy"); else e.put("sentBy", by);
        if (req == null) e.putNull("requirementId"); else e.put("requirementId", req);
        if (msg == null) e.putNull("message"); else e.put("message", msg);
        e.put("x-session", x.id());
    }

    public static String pretty(ObjectNode n) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> unused() { return Map.of(); }
}
