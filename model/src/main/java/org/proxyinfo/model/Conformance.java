package org.proxyinfo.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trace conformance: maps a trace (JSON, traces/schema/trace.schema.json) to model facts and asks
 * the Alloy model (1) whether it admits the trace (the run does nothing the model forbids, under
 * the trace's architecture and threat setting) and (2) which claim properties hold on it (in every
 * completion of the trace the model allows).
 *
 * <p>Mapping (one TLS session = the events sharing {@code x-session}, or else the same leg and
 * ClientHello.random): the sender of client_hello is the client side, its receiver the server
 * side (roles client/proxy/server/attacker = agents C/P/S/A; proxy2, the second proxy of a two-hop
 * run, = P2); leg session2 = L2, session3 = L3 (two-hop runs, {@link #twoHop}), others L1;
 * ServerHello server_version/cipher_suite give ver/suite (TLSv1.2 = TLS12; ECDHE with GCM, CCM or
 * ChaCha20-Poly1305 = AEAD, anything else weak); a Commit by the client side = Accepted;
 * certificate_request = CertReq; a certificate message from the client side = client
 * certificate; ServerHello proxy_info = the assertion; application_data sent by the client side =
 * some data; extended_master_secret in ServerHello = FeatOn. Certificates are mapped through a
 * caller-supplied map from SHA-256 to the model's (subject name, key, issuer key) for
 * implementation traces, or else through their {@code x-model} field (model traces carry it); an
 * unmapped certificate makes the trace NOT ADMITTED, with the reason (fails closed, issue 11
 * finding 6). So does whatever the checker cannot read or place ({@link #unreadable}, a check or
 * outcome on no session), a trace without a session, and a session without both ends.
 */
public final class Conformance {
    /** Numbers the driver modules, so that checks running side by side (`check` with several traces) never share a driver file. */
    private static final java.util.concurrent.atomic.AtomicInteger DRIVERS = new java.util.concurrent.atomic.AtomicInteger();
    /** The model's view of a certificate: subject name (nS, nP, nA, nC), key (kS, ...), issuer key (kWebCA, kProxyCA, kA). */
    public record CertModel(String subj, String key, String issuer) {}

    /**
     * {@code outOfScope}: null when the model was asked; otherwise why the run is outside the model's
     * abstraction (then Alloy is not asked, {@code admitted} is false and there are no properties).
     */
    public record Result(boolean admitted, Arch arch, List<String> threat, Map<String, Boolean> properties,
                         List<String> notes, String alloy, String outOfScope, List<String> violations) {
        public Result(boolean admitted, Arch arch, List<String> threat, Map<String, Boolean> properties,
                      List<String> notes, String alloy) {
            this(admitted, arch, threat, properties, notes, alloy, null, List.of());
        }
        public Result(boolean admitted, Arch arch, List<String> threat, Map<String, Boolean> properties,
                      List<String> notes, String alloy, String outOfScope) {
            this(admitted, arch, threat, properties, notes, alloy, outOfScope, List.of());
        }
        public Boolean holds(Claim c) { return properties.get(c.id); }
        public boolean inScope() { return outOfScope == null; }
    }

    /** The event kinds of the trace schema (traces/schema/trace.schema.json); an event of any other kind refuses the trace. */
    static final List<String> KINDS = List.of("message", "transition", "check", "claim", "secret", "outcome");
    /** The claims of the trace schema. */
    static final List<String> CLAIMS = List.of("Running", "Commit", "Secret");
    /** The producers of the trace schema (run.source). */
    static final List<String> SOURCES = List.of("implementation", "model", "import");
    /**
     * The roles the model knows: the schema's (client, proxy, server, attacker, each optionally with "-name"), and proxy2,
     * impl ModelMapping's name for the second proxy of a two-hop run. Any other name is refused, never read as the attacker.
     */
    static final java.util.regex.Pattern ROLE = java.util.regex.Pattern.compile("(client|proxy|proxy2|server|attacker)(-[A-Za-z0-9_.]+)?");
    /** The legs of the trace schema. */
    static final java.util.regex.Pattern LEG = java.util.regex.Pattern.compile("direct|inbound|session[1-9][0-9]*");
    private static final String FAIL_CLOSED = ": the checker cannot tell what the run did there, so it is not admitted (fail closed);"
            + " check the trace against traces/schema/trace.schema.json and fix whatever wrote it";

    /** Why the model cannot describe this run (model/README.md "Not modelled"), or null. */
    static String outOfScope(JsonNode trace) {
        int proxies = 0;
        for (JsonNode r : trace.path("run").path("roles")) if (r.asText().startsWith("proxy")) proxies++;
        String deeper = null;
        for (JsonNode e : trace.path("events")) {
            String leg = e.path("leg").asText();
            if (leg.matches("session[4-9][0-9]*|session[1-9][0-9]+")) deeper = leg;
        }
        if (proxies > 2 || deeper != null)
            return "the model has two proxy agents (issue #11 item 5: P and P2, three legs); this run has "
                    + (proxies > 2 ? proxies + " proxies" : "a TLS leg " + deeper) + "; see model/README.md \"Not modelled\"";
        return null;
    }

    /**
     * Issue #11 item 5: a run with a second proxy (a third leg, session3, or two proxy roles) is checked in the
     * two-hop model: the second-hop atoms (P2, S2, L3, ...) present ({@link TwoHop#PRESENT}), the DEC-4 limit the
     * run was configured with. Any other run keeps them absent ({@link Bound#SECOND_HOP_ABSENT}).
     */
    public static boolean twoHop(JsonNode trace) {
        int proxies = 0;
        for (JsonNode r : trace.path("run").path("roles")) if (r.asText().startsWith("proxy")) proxies++;
        for (JsonNode e : trace.path("events")) if (e.path("leg").asText().equals("session3")) return true;
        return proxies == 2;
    }

    /** The model's leg of a trace leg: session2 = L2 (proxy-server, or P-P2), session3 = L3 (P2-server), others L1. */
    static String legAtom(String leg) {
        return leg.equals("session2") ? "L2" : leg.equals("session3") ? "L3" : "L1";
    }

    private final Map<String, CertModel> certMap;
    private List<String> upstreamPolicy = List.of();

    /** An upstream suite (session #2, or carried in an assertion) as the model sees it under the client's DEC-11 policy. */
    private String upSuite(String s) {
        String m = suite(s);
        return m.equals("AEAD") && !upstreamPolicy.isEmpty() && !upstreamPolicy.contains(s) ? "WEAKSUITE" : m;
    }

    public Conformance() { this(Map.of()); }

    public Conformance(Map<String, CertModel> certMap) { this.certMap = certMap; }

    private static String agent(String role) {
        // the model's own two-hop traces (TraceWriter, column PI-BOUND-2HOP) name the second proxy and server so
        if (role.equals("proxy-2")) return "P2";
        if (role.equals("server-2")) return "S2";
        String r = role.replaceAll("-.*", "");
        switch (r) {
            case "client": return "C";
            case "proxy": return "P";
            case "proxy2": return "P2";   // the second proxy of a two-hop run (impl ModelMapping names it so)
            case "server": return "S";
            default: return "A";   // "attacker": every other name is refused before (ROLE, unreadable)
        }
    }

    static String nameOfHost(String host, String serverName) {
        if (host == null) return "nS";
        if (host.equals(serverName) || host.equals("server.example")) return "nS";
        if (host.equals("proxy.example")) return "nP";
        if (host.equals("client.example")) return "nC";
        return "nA";
    }

    private static final class S {
        String id, cl, sv, leg, sni, ver, suite, cr, sr, rawVer, rawSuite, certSha;
        /** DEC-22: the session_id the ClientHello offered and the one the ServerHello gave; the cached session this one resumes. */
        String offeredSid = "", sid = "";
        S resumes;
        CertModel cert, ccert;
        boolean accepted, refused, certReq, featOn, data, pinfoExt, passedSig;
        /** the trace shows this session's ClientHello sent by its client side / received by its server side */
        boolean helloSent, helloReceived;
        JsonNode pinfo, upstream;
        /** SHA-256 of each application_data record the client side sent / the server side received, in order. */
        final List<String> sentRecords = new ArrayList<>(), rcvdRecords = new ArrayList<>();
        /** per role: the first failed check on this session ("requirementId: what", seq), and the first refusal (alert). */
        final Map<String, String> failedCheck = new LinkedHashMap<>(), refusal = new LinkedHashMap<>();
        /** per agent: the first fatal alert it sent on this session (its name), and every requirement ID of its failed checks. */
        final Map<String, String> alertSent = new LinkedHashMap<>();
        final Map<String, java.util.Set<String>> failedIds = new LinkedHashMap<>();
        /** the client side sent a Certificate with an empty certificate_list (RFC 5246 7.4.6: it has none to give). */
        boolean emptyCcert;
    }

    /** Why the trace is rejected whatever the model says (fail closed); filled while reading a trace. */
    private List<String> violations = new ArrayList<>();

    private CertModel cert(JsonNode certList, List<String> notes) {
        if (certList == null || !certList.isArray() || certList.size() == 0) return null;
        JsonNode c = certList.get(0);
        // the caller's map (impl ModelMapping: recomputed from the certificate itself) wins over what the trace says of itself;
        // x-model is read only for certificates the map does not know (the model's own traces, TraceWriter)
        CertModel cm = certMap.get(c.path("sha256").asText());
        if (cm != null) return cm;
        JsonNode m = c.get("x-model");
        if (m != null) return new CertModel(m.path("subj").asText(), m.path("key").asText(), m.path("issuer").asText());
        if (cm == null) violations.add("certificate " + c.path("sha256").asText() + (c.has("subject") ? " (" + c.path("subject").asText() + ")" : "")
                + " is not mapped to the model: the model cannot say whose key it is, so the run is not admitted"
                + " (fail closed; map it in the certificate map, e.g. impl conformance.ModelMapping)");
        return cm;
    }

    static String ver(String v) { return "TLSv1.2".equals(v) ? "TLS12" : "OLDVER"; }

    static String suite(String s) {
        return s != null && s.contains("ECDHE") && (s.contains("GCM") || s.contains("CCM") || s.contains("CHACHA20")) ? "AEAD" : "WEAKSUITE";
    }

    static String sha256Hex(String hex) {
        try {
            byte[] b = hex == null ? new byte[0] : java.util.HexFormat.of().parseHex(hex);
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
        } catch (IllegalArgumentException e) {
            return "undecodable:" + hex;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Checks one trace file (what the `check` subcommand of impl calls). */
    public Result check(java.nio.file.Path traceFile) throws java.io.IOException {
        return check(TraceWriter.JSON.readTree(java.nio.file.Files.readString(traceFile)));
    }

    /**
     * Checks one trace against the model. Fails closed: every event constrains the instance or is
     * checked here (checks, alerts, Running/Commit parameters, the assertion's signer and binding,
     * application data per record), an unmapped certificate and a solver answer that is not a
     * definite SAT/UNSAT reject the trace ({@link Result#violations()}).
     */
    public Result check(JsonNode trace) {
        List<String> notes = new ArrayList<>();
        violations = new ArrayList<>();
        JsonNode run = trace.path("run");
        Arch arch = Arch.byId(run.path("architecture").asText("DIRECT"));
        JsonNode conf = run.path("configuration");
        String serverName = conf.path("serverName").asText("server.example");
        List<String> threat = new ArrayList<>();
        conf.path("threatAtoms").forEach(n -> threat.add(n.asText()));
        String oos = outOfScope(trace);
        if (oos != null) return new Result(false, arch, threat, Map.of(), notes, "", oos);
        // DEC-11: the client's upstream policy is configuration. The model's Suite abstraction is
        // "meets the client's policy" (AEAD) or not (WEAKSUITE); when the run names the suites its
        // client allows upstream, an upstream suite outside that list is WEAKSUITE to the model.
        List<String> upPolicy = new ArrayList<>();
        conf.path("policies").path("upstream").path("cipherSuites").forEach(n -> {
            if (n.asText().startsWith("TLS_")) upPolicy.add(n.asText());
        });
        this.upstreamPolicy = upPolicy;
        List<String> muts = new ArrayList<>();
        conf.path("mutants").forEach(n -> muts.add(n.asText()));
        // what the caller's mapping could not describe (impl conformance.ModelMapping, e.g. DEC-14 as DEC-23 reads it, or a
        // PI-BOUND-CC run whose origin did not take part in the mode, 01-R14, or completed without the client's ProxyCertVerify,
        // 01-R16): fail closed
        conf.path("x-mapping-violations").forEach(n -> violations.add(n.asText()));
        boolean carelessClient = threat.contains("CarelessClient");
        boolean laxProxy = threat.contains("CarelessProxy") || threat.contains("ProxyLies");

        // the trace's own vocabulary: a producer or a role the model does not know refuses the trace
        String source = run.path("source").asText("");
        if (!SOURCES.contains(source))
            violations.add("the trace's run.source '" + source + "' is not one of the trace schema's (" + String.join(", ", SOURCES) + ")" + FAIL_CLOSED);
        for (JsonNode r : run.path("roles"))
            if (!ROLE.matcher(r.asText()).matches())
                violations.add("run.roles names '" + r.asText() + "', a role the model does not know (client, proxy, server, attacker,"
                        + " each optionally with '-name'); an unknown party is not taken for the attacker" + FAIL_CLOSED);

        Map<String, S> sess = new LinkedHashMap<>();
        Map<String, String> byRandom = new LinkedHashMap<>();
        // checks and outcomes logged before their session's first message, by leg or x-session (pendingKey)
        Map<String, List<JsonNode>> pending = new LinkedHashMap<>();
        // the events the checker cannot read, by reason (one violation each, naming the events)
        Map<String, List<String>> unread = new LinkedHashMap<>();
        for (JsonNode e : trace.path("events")) {
            String kind = e.path("kind").asText();
            String leg = e.path("leg").asText();
            String role = e.path("role").asText();
            String at = "event " + e.path("seq").asText("?");
            String unreadable = unreadable(e);
            if (unreadable != null) {
                unread.computeIfAbsent(unreadable, k -> new ArrayList<>()).add(e.path("seq").asText("?"));
                continue;
            }
            String who = agent(role);
            if (kind.equals("message")) {
                String name = e.path("messageName").asText();
                JsonNode f = e.path("fields");
                String key = e.has("x-session") ? e.get("x-session").asText()
                        : name.equals("client_hello") ? leg + "/" + f.path("random").asText() : null;
                if (key == null) key = lastOnLeg(sess, leg);
                if (key == null) {
                    violations.add(at + " (" + role + "'s " + name + " on " + leg + ") belongs to no TLS session of the trace: no ClientHello"
                            + " on " + leg + " comes before it" + FAIL_CLOSED);
                    continue;
                }
                boolean opened = !sess.containsKey(key);
                S s = sess.computeIfAbsent(key, k -> { S n = new S(); n.id = k; n.leg = leg; return n; });
                boolean sent = e.path("direction").asText().equals("sent");
                switch (name) {
                    case "client_hello":
                        if (sent) s.cl = who; else s.sv = who;
                        if (sent) s.helloSent = true; else s.helloReceived = true;
                        s.cr = f.path("random").asText();
                        String host = f.path("server_name").asText(null);
                        for (JsonNode x : f.path("extensions"))   // implementation traces: {type, data, host_name}
                            if (host == null && x.path("type").asText().equals("server_name")) host = x.path("host_name").asText(null);
                        s.sni = nameOfHost(host, serverName);
                        s.offeredSid = f.path("session_id").asText("");
                        break;
                    case "server_hello":
                        if (sent) s.sv = who;
                        s.sr = f.path("random").asText();
                        byRandom.put(s.sr, s.id);
                        s.rawVer = f.path("server_version").asText();
                        s.rawSuite = f.path("cipher_suite").asText();
                        s.ver = ver(s.rawVer);
                        s.suite = leg.equals("session1") ? suite(s.rawSuite) : upSuite(s.rawSuite);
                        for (JsonNode x : f.path("extensions")) {
                            String type = x.isTextual() ? x.asText() : x.path("type").asText();
                            if (type.equals("extended_master_secret")) s.featOn = true;
                            if (type.equals("proxy_info")) s.pinfoExt = true;
                        }
                        if (f.has("proxy_info")) s.pinfo = f.get("proxy_info");
                        s.sid = f.path("session_id").asText("");
                        // DEC-22 (RFC 5246 7.4.1.2, 7.3): a ServerHello that echoes the offered session_id is an
                        // abbreviated handshake resuming the earlier full handshake on this leg with that ID, between
                        // the same two parties; one the trace does not show cannot be mapped (fail closed)
                        if (sent && s.resumes == null && !s.sid.isEmpty() && s.sid.equals(s.offeredSid)) {
                            for (S o : sess.values())
                                if (o != s && o.resumes == null && o.leg.equals(s.leg) && s.sid.equals(o.sid)) s.resumes = o;
                            if (s.resumes == null)
                                violations.add("DEC-22: the ServerHello on " + leg + " at " + at + " resumes session " + s.sid
                                        + ", which no earlier full handshake of this trace established; the model cannot say what"
                                        + " was cached, so the run is not admitted (fail closed)");
                            else s.certSha = s.resumes.certSha;   // no Certificate: the cached session's server certificate
                        }
                        break;
                    case "certificate":
                        if (s.resumes != null && sent)
                            violations.add("DEC-22: a Certificate on the abbreviated handshake on " + leg + " at " + at
                                    + " (RFC 5246 7.3 Figure 2 has none): the model cannot account for it");
                        else if (sent && who.equals(s.sv)) {
                            s.cert = cert(f.path("certificate_list"), notes);
                            s.certSha = f.path("certificate_list").path(0).path("sha256").asText(null);
                        } else if (sent && who.equals(s.cl)) {
                            if (f.path("certificate_list").size() == 0) s.emptyCcert = true;
                            else s.ccert = cert(f.path("certificate_list"), notes);
                        }
                        break;
                    case "certificate_request":
                        s.certReq = true;
                        break;
                    case "client_key_exchange":
                        // DEC-8: no key material after a failed check
                        if (sent && who.equals("C") && !carelessClient && s.failedCheck.containsKey(role))
                            violations.add("DEC-8: the client sent its ClientKeyExchange (key material) on " + s.leg + " at " + at
                                    + " after its check " + s.failedCheck.get(role) + " failed");
                        break;
                    case "application_data":
                        String digest = sha256Hex(e.path("raw").asText(""));
                        if (sent && who.equals(s.cl)) {
                            s.data = true;
                            s.sentRecords.add(digest);
                            if (s.refusal.containsKey(role))
                                violations.add(role + " sent application data on " + s.leg + " at " + at + " after " + s.refusal.get(role));
                        }
                        if (!sent && who.equals(s.sv)) s.rcvdRecords.add(digest);
                        break;
                    default:
                        break;
                }
                if (e.path("contentType").asText().equals("alert") && sent && !name.equals("close_notify")) {
                    s.refusal.putIfAbsent(role, "it sent the alert " + name + " (" + at + ")");
                    s.alertSent.putIfAbsent(who, name);
                }
                if (opened) {   // the checks and outcomes that waited for this session
                    List<JsonNode> waiting = new ArrayList<>(pending.getOrDefault("x-session " + key, List.of()));
                    waiting.addAll(pending.getOrDefault("leg " + leg, List.of()));
                    pending.remove("x-session " + key);
                    pending.remove("leg " + leg);
                    waiting.sort(java.util.Comparator.comparingLong(w -> w.path("seq").asLong()));
                    for (JsonNode w : waiting) checkOrOutcome(w, s);
                }
            } else if (kind.equals("check") || kind.equals("outcome")) {
                S s = find(sess, e, byRandom);
                // a check about a session its role is about to open (the proxy's DEC-12 / DEC-23 choices for session #2) comes
                // before that session's ClientHello: it is placed on the next session of its leg (or of its x-session)
                if (s == null) pending.computeIfAbsent(pendingKey(e), k -> new ArrayList<>()).add(e);
                else checkOrOutcome(e, s);
            } else if (kind.equals("claim") && (e.path("claim").asText().equals("Commit") || e.path("claim").asText().equals("Running"))) {
                S s = find(sess, e, byRandom);
                boolean commit = e.path("claim").asText().equals("Commit");
                if (s == null) {
                    violations.add(e.path("claim").asText() + " by " + role + " at " + at + " names no TLS session of the trace");
                    continue;
                }
                if (commit && !who.equals(s.cl)) {
                    violations.add("Commit by " + role + " at " + at + " on a session whose client side is not " + role);
                    continue;
                }
                if (!commit && !who.equals(s.sv)) {
                    violations.add("Running by " + role + " at " + at + " on a session whose server side is not " + role);
                    continue;
                }
                paramsAgree(e, s, at);
                if (commit) {
                    s.accepted = true;
                    // an assertion the mapping could not decode (impl ModelMapping marks it x-undecodable): whoever accepts the
                    // session accepted bytes it cannot have checked; an implementation refuses them with decode_error
                    if (s.pinfo != null && s.pinfo.has("x-undecodable"))
                        violations.add("Commit by " + role + " at " + at + ": " + role + " accepted " + s.leg + " although the proxy_info in its"
                                + " ServerHello does not decode (" + s.pinfo.path("x-undecodable").asText() + "): it went on with an assertion"
                                + " it cannot have checked (DEC-8; it must refuse it with decode_error), so the run is not admitted");
                    if (e.path("params").has("upstream")) s.upstream = e.path("params").get("upstream");
                    if (s.failedCheck.containsKey(role)) {
                        String why = "DEC-8: " + role + " committed to " + s.leg + " at " + at + " after its check " + s.failedCheck.get(role) + " failed";
                        if (who.equals("C") && !carelessClient) violations.add(why + " (every DEC-8 step must pass before the client goes on)");
                        else if (who.equals("P") && !laxProxy) violations.add(why + " (only a careless or lying proxy goes on; the run's threat setting has neither)");
                        else if (who.equals("P2") && !threat.contains("Hop2Careless") && !threat.contains("Hop2Lies"))
                            violations.add(why + " (only a careless or lying second proxy goes on; the run's threat setting has neither)");
                    }
                    if (s.refusal.containsKey(role)) violations.add(role + " committed to " + s.leg + " at " + at + " after " + s.refusal.get(role));
                }
            }
            // transition and secret events, and Secret claims, constrain nothing in the model (state names, test-only key material)
        }
        unread.forEach((why, seqs) -> violations.add((seqs.size() == 1 ? "event " + seqs.get(0)
                : seqs.size() + " events (" + String.join(", ", seqs.subList(0, Math.min(5, seqs.size()))) + (seqs.size() > 5 ? ", ..." : "") + ")")
                + " cannot be read: " + why + FAIL_CLOSED));
        // every check and outcome is tied to a session: one that never was would be dropped, so it refuses the trace instead
        pending.values().forEach(l -> l.forEach(e -> violations.add("event " + e.path("seq").asText("?") + " (" + e.path("role").asText()
                + "'s " + what(e) + " on " + e.path("leg").asText() + ") names no TLS session of the trace"
                + (e.has("x-session") ? " (its x-session '" + e.get("x-session").asText() + "' is no session's)"
                        : " (no session on " + e.path("leg").asText() + " is ever opened)") + FAIL_CLOSED)));
        // a run that shows no TLS session is no evidence of anything: every property would hold on it vacuously
        if (sess.isEmpty())
            violations.add("the trace has no TLS session (no ClientHello" + (trace.path("events").size() == 0 ? "; it has no events at all" : "")
                    + "): there is nothing for the model to admit, and every claim would hold on it vacuously, so it is not admitted"
                    + " (fail closed); check the trace of the run itself (for a live run, the merged trace of all its parties)");
        // both ends of every session, whoever wrote the trace: one party's view leaves the other end free in the model
        for (S s : sess.values()) {
            if (!s.helloSent || !s.helloReceived)
                violations.add("the session " + s.id + " on " + s.leg + " has no " + (s.helloSent ? "receiver" : "sender") + " of its ClientHello"
                        + " in the trace (" + (s.cl != null ? "only the " + s.cl + " side" : s.sv != null ? "only the " + s.sv + " side" : "no side")
                        + " shows it): the model decides a session only with both its ends, so the run is not admitted (fail closed);"
                        + " merge the traces of every party first (proxyinfo trace merge client.json proxy.json server.json --out run.json)"
                        + " and check the merged run");
        }
        // TLS record integrity (RFC 5246 6.2.3): the server side of a session receives only records its client side sent
        for (S s : sess.values()) {
            if (s.rcvdRecords.isEmpty()) continue;
            List<String> sent = s.sentRecords;
            if (!sent.containsAll(s.rcvdRecords) && !(s.cl == null || s.cl.equals("A") || s.sv == null || s.sv.equals("A")))
                violations.add("TLS record integrity: on " + s.leg + " the server side received a record its client side never sent;"
                        + " the model (and TLS) cannot explain that");
        }
        String alloy = alloy(arch, threat, muts, sess, byRandom, notes, twoHop(trace) ? conf.path("maxNestingDepth").asInt(4) : 0);
        Map<String, Boolean> props = new LinkedHashMap<>();
        boolean admitted = false;
        try {
            if (!violations.isEmpty()) throw new Rejected();   // already rejected: no need to ask the solver
            AlloyWorld w = AlloyWorld.load("conformance_" + DRIVERS.incrementAndGet(), alloy);   // own driver file: checks may run side by side
            AlloyWorld.Outcome admit = w.execute("admit");
            admitted = admit.satisfiable();
            if (!admitted) violations.add("the model forbids what this run did (UNSAT under its architecture, threat setting and facts;"
                    + " a check the model requires was skipped, or a party did something only the attacker may do)");
            if (admitted) {
                // a property holds on the run when no completion of the run's facts falsifies it: the answers of the
                // commands p_<claim> below (written into the module for the Analyzer), found with fewer SAT problems
                Map<String, String> properties = new LinkedHashMap<>();
                for (Claim c : Claim.values()) properties.put(c.id, c.property);
                props.putAll(w.holdOn("admit", admit, properties));
            }
        } catch (Rejected done) {
            admitted = false;
        } catch (RuntimeException | Error solverFailure) {
            // any answer that is not a definite SAT/UNSAT is a failure, never a pass
            violations.add("the solver gave no definite answer (" + solverFailure + "): not admitted");
            admitted = false;
            props.clear();
        }
        if (!violations.isEmpty()) admitted = false;
        if (!admitted) props.clear();
        return new Result(admitted, arch, threat, props, notes, alloy, null, List.copyOf(violations));
    }

    /**
     * Refusals (refusal.als; issue 13 with issue 11), pinned from the trace's facts, never left free: which side sent
     * which fatal alert on the session, and the failed check of its own that gave the cause. An honest origin's
     * refusal: handshake_failure after its failed RFC 5246 7.4.6 / R7 check is RefusedNoClientCert; decrypt_error after a
     * failed 01-R16 check is RefusedClientSig; access_denied after a failed 01-R16 check is RefusedProxy. The proxy's
     * abandonment of session #1 (01-R15): decrypt_error after its failed RFC 5246 7.4.8 check of the client's
     * CertificateVerify is CVFailed. Any other alert from an honest origin, or one without the check that names its
     * cause, is NOT ADMITTED with the reason (fail closed); every session without a refusal is pinned to none.
     */
    private void refusalFacts(S s, String v, StringBuilder f) {
        Refusal cause = null;
        String srvAlert = "S".equals(s.sv) || "S2".equals(s.sv) ? s.alertSent.get(s.sv) : null;
        java.util.Set<String> srvFailed = s.sv == null ? java.util.Set.of() : s.failedIds.getOrDefault(s.sv, java.util.Set.of());
        if (srvAlert != null) {
            for (Refusal r : Refusal.values())
                if (r.byOrigin && r.shownBy(srvAlert, srvFailed)) cause = r;
            if (cause == null)
                violations.add("the origin refused the handshake on " + s.leg + " with " + srvAlert + ", and the model has no refusal with that"
                        + " alert and the origin's failed checks " + srvFailed + " (R7 / RFC 5246 7.4.6: handshake_failure after its client"
                        + " certificate check; 01-R16: decrypt_error or access_denied after its DEC-23 check): the cause is not derivable,"
                        + " so the run is not admitted (fail closed)");
        }
        for (Refusal r : Refusal.values()) {
            boolean pinned = r.byOrigin ? r == cause : ("P".equals(s.sv) || "P2".equals(s.sv))
                    && r.shownBy(s.alertSent.get(s.sv), s.failedIds.getOrDefault(s.sv, java.util.Set.of()));
            f.append("    ").append(v).append(pinned ? " in " : " not in ").append(r.name()).append('\n');
        }
    }

    /**
     * Why the checker cannot read an event in the trace schema's vocabulary (its kind, role, leg, a message's direction, a
     * claim's name, a check's passed or an outcome's established flag), or null. Such an event would otherwise be dropped or
     * misread (an unknown role as the attacker, an unknown leg as session #1), so it refuses the trace.
     */
    static String unreadable(JsonNode e) {
        String kind = e.path("kind").asText();
        if (!KINDS.contains(kind))
            return "its kind '" + kind + "' is not one of the trace schema's (" + String.join(", ", KINDS) + ")";
        String role = e.path("role").asText();
        if (!ROLE.matcher(role).matches())
            return "its role '" + role + "' is not one the model knows (client, proxy, server, attacker, each optionally with '-name');"
                    + " an unknown party is not taken for the attacker";
        String leg = e.path("leg").asText();
        if (!LEG.matcher(leg).matches())
            return "its leg '" + leg + "' is not one of the trace schema's (direct, inbound, session1, session2, ...)";
        switch (kind) {
            case "message":
                String d = e.path("direction").asText();
                if (!d.equals("sent") && !d.equals("received")) return "the message's direction '" + d + "' is neither sent nor received";
                break;
            case "claim":
                String c = e.path("claim").asText();
                if (!CLAIMS.contains(c)) return "its claim '" + c + "' is not one of the trace schema's (" + String.join(", ", CLAIMS) + ")";
                break;
            case "check":
                if (!e.path("passed").isBoolean()) return "the check has no passed flag (true or false)";
                break;
            case "outcome":
                if (!e.path("established").isBoolean()) return "the outcome has no established flag (true or false)";
                break;
            default:
                break;
        }
        return null;
    }

    private static String pendingKey(JsonNode e) {
        return e.has("x-session") ? "x-session " + e.get("x-session").asText() : "leg " + e.path("leg").asText();
    }

    private static String what(JsonNode e) {
        return e.path("kind").asText().equals("check") ? "check " + e.path("requirementId").asText() + " '" + e.path("what").asText() + "'" : "outcome";
    }

    /**
     * A check or an outcome on its session: a failed check keeps its role from going on (DEC-8), a failed handshake from
     * committing or sending data. It must have been logged by one of the session's ends (the attacker: any session), or
     * the checker would tie it to nothing its role did: then it refuses the trace.
     */
    private void checkOrOutcome(JsonNode e, S s) {
        String role = e.path("role").asText();
        String who = agent(role);
        String at = "event " + e.path("seq").asText("?");
        if (!who.equals("A") && !who.equals(s.cl) && !who.equals(s.sv)) {
            violations.add(at + " (" + role + "'s " + what(e) + ") is on the session " + s.id + " of " + s.leg + ", where " + role
                    + " is neither end; the checker would tie it to nothing " + role + " did" + FAIL_CLOSED);
            return;
        }
        if (e.path("kind").asText().equals("check") && e.path("passed").asBoolean()) {
            if (e.path("what").asText().contains("signature") && e.path("requirementId").asText().startsWith("DEC-")) s.passedSig = true;
        } else if (e.path("kind").asText().equals("check")) {
            s.failedCheck.putIfAbsent(role, e.path("requirementId").asText() + " '" + e.path("what").asText() + "' (" + at + ")");
            s.failedIds.computeIfAbsent(who, k -> new java.util.LinkedHashSet<>()).add(e.path("requirementId").asText());
        } else if (!e.path("established").asBoolean()) {
            s.refusal.putIfAbsent(role, "its handshake failed (" + at + ": " + e.path("alert").asText("no alert") + ")");
            if (who.equals(s.cl)) s.refused = true;
        }
    }

    /** The trace broke a rule checked before the solver is asked. */
    private static final class Rejected extends RuntimeException {
        Rejected() { super(null, null, false, false); }
    }

    /** Running/Commit parameters must be the handshake's own (fail closed). */
    private void paramsAgree(JsonNode e, S s, String at) {
        JsonNode p = e.path("params");
        String what = e.path("claim").asText() + " by " + e.path("role").asText() + " at " + at;
        if (p.has("client_random") && s.cr != null && !p.get("client_random").asText().equals(s.cr))
            violations.add(what + ": client_random differs from the session's ClientHello");
        if (p.has("server_random") && s.sr != null && !p.get("server_random").asText().equals(s.sr))
            violations.add(what + ": server_random differs from the session's ServerHello");
        if (p.has("version") && s.rawVer != null && !p.get("version").asText().equals(s.rawVer))
            violations.add(what + ": version differs from the session's ServerHello");
        if (p.has("cipher_suite") && s.rawSuite != null && !p.get("cipher_suite").asText().equals(s.rawSuite))
            violations.add(what + ": cipher_suite differs from the session's ServerHello");
        if (p.has("server_cert_sha256") && s.certSha != null && !p.get("server_cert_sha256").asText().equals(s.certSha))
            violations.add(what + ": server_cert_sha256 differs from the certificate the session's server side sent");
        // DEC-22: the resumed flag must say what the handshake was (an abbreviated handshake echoing the session_id)
        if (p.path("resumed").asBoolean(false) != (s.resumes != null))
            violations.add(what + ": resumed=" + p.path("resumed").asBoolean(false) + " but the session's ServerHello "
                    + (s.resumes != null ? "resumed a cached session" : "began a full handshake"));
        if (e.path("claim").asText().equals("Commit") && s.sr == null)
            violations.add(what + ": a Commit on a session without a ServerHello");
    }

    private static String lastOnLeg(Map<String, S> sess, String leg) {
        String k = null;
        for (S s : sess.values()) if (s.leg.equals(leg)) k = s.id;
        return k;
    }

    private static S find(Map<String, S> sess, JsonNode e, Map<String, String> byRandom) {
        if (e.has("x-session")) return sess.get(e.get("x-session").asText());
        String sr = e.path("params").path("server_random").asText(null);
        if (sr != null && byRandom.containsKey(sr)) return sess.get(byRandom.get(sr));
        String k = lastOnLeg(sess, e.path("leg").asText());
        return k == null ? null : sess.get(k);
    }

    private static String certFacts(String e, CertModel c) {
        return c == null ? "" : " and " + e + ".subj = " + c.subj() + " and " + e + ".key = " + c.key() + " and " + e + ".issuer = " + c.issuer();
    }

    private String alloy(Arch arch, List<String> threat, List<String> muts, Map<String, S> sess, Map<String, String> byRandom, List<String> notes,
                         int twoHopDepth) {
        List<String> vars = new ArrayList<>();
        Map<String, String> var = new LinkedHashMap<>();
        for (S s : sess.values()) {
            String v = "s" + vars.size();
            vars.add(v);
            var.put(s.id, v);
        }
        // each proxy's session #1 and #2, paired in order (DEC-14: one session #2 per session #1); P2 in two-hop runs
        Map<String, S> linkOf = new LinkedHashMap<>();
        for (String proxy : List.of("P", "P2")) {
            List<S> p1 = new ArrayList<>(), p2 = new ArrayList<>();
            for (S s : sess.values()) {
                if (proxy.equals(s.sv)) p1.add(s);
                if (proxy.equals(s.cl)) p2.add(s);
            }
            for (int i = 0; i < Math.min(p1.size(), p2.size()); i++) linkOf.put(p2.get(i).id, p1.get(i));
        }
        StringBuilder f = new StringBuilder();
        f.append("pred traceFacts {\n");
        if (vars.isEmpty()) f.append("  no Sess\n");
        else {
            f.append("  some disj ").append(String.join(", ", vars)).append(": Sess {\n");
            f.append("    Sess = ").append(String.join(" + ", vars)).append('\n');
            // link: the proxy's session #1 and #2 in order
            List<String> s1 = new ArrayList<>(), s2 = new ArrayList<>(), t1 = new ArrayList<>(), t2 = new ArrayList<>();
            for (S s : sess.values()) {
                String v = var.get(s.id);
                if (s.cl == null || s.sv == null) continue;   // refused in check (no sender or receiver of its ClientHello)
                f.append("    ").append(v).append(".cl = ").append(s.cl).append(" and ").append(v).append(".sv = ").append(s.sv)
                        .append(" and ").append(v).append(".leg = ").append(legAtom(s.leg))
                        .append(" and ").append(v).append(".sni = ").append(s.sni).append('\n');
                if (s.ver != null) f.append("    ").append(v).append(".ver = ").append(s.ver).append(" and ").append(v).append(".suite = ").append(s.suite).append('\n');
                if (s.cert != null) f.append("    some ").append(v).append(".cert").append(certFacts(v + ".cert", s.cert)).append('\n');
                if (s.ccert != null) f.append("    some ").append(v).append(".ccert").append(certFacts(v + ".ccert", s.ccert)).append('\n');
                f.append("    ").append(v).append(s.accepted ? " in" : " not in").append(" Accepted\n");
                f.append("    ").append(v).append(s.certReq ? " in" : " not in").append(" CertReq\n");
                f.append("    ").append(v).append(s.featOn ? " in" : " not in").append(" FeatOn\n");
                if (s.emptyCcert && s.ccert == null) f.append("    no ").append(v).append(".ccert\n");   // RFC 5246 7.4.6: an empty Certificate
                refusalFacts(s, v, f);
                // DEC-22: an abbreviated handshake resumes the cached session (which the model makes it share state with)
                if (s.resumes != null && var.containsKey(s.resumes.id)) f.append("    ").append(v).append(".resumes = ").append(var.get(s.resumes.id)).append('\n');
                else f.append("    no ").append(v).append(".resumes\n");
                // application data, identified per record (SHA-256 of each record's plaintext)
                S from = linkOf.get(s.id);
                if (!s.data) f.append("    no ").append(v).append(".c2s\n");
                else if (from != null && from.data && String.join(",", from.sentRecords).equals(String.join(",", s.sentRecords)))
                    f.append("    ").append(v).append(".c2s = ").append(var.get(from.id)).append(".c2s\n");   // relayed unchanged
                else if (from != null) {
                    f.append("    some ").append(v).append(".c2s and ").append(v).append(".c2s in AData\n");   // not what the client sent
                    notes.add("R6: the proxy changed the client's data: what it sent on " + s.leg + " (records "
                            + String.join(",", s.sentRecords.stream().map(d -> d.substring(0, Math.min(12, d.length()))).toList())
                            + ") is not what the client sent on " + from.leg + " ("
                            + String.join(",", from.sentRecords.stream().map(d -> d.substring(0, Math.min(12, d.length()))).toList())
                            + "): the server receives data the client did not send");
                } else f.append("    some ").append(v).append(".c2s\n");
                if (s.pinfo != null && s.pinfo.has("x-undecodable")) {
                    // bytes that are no assertion: present, and not signed with the session-#1 key; nothing else is known of them
                    f.append("    some ").append(v).append(".pinfo and ").append(v).append(".pinfo.signer != ").append(v).append(".cert.key\n");
                } else if (s.pinfo != null) {
                    JsonNode p = s.pinfo;
                    String a = v + ".pinfo";
                    f.append("    some ").append(a).append(" and ").append(a).append(".aver = ").append(ver(p.path("connection_parameters").path("tls_version").asText()))
                            .append(" and ").append(a).append(".asuite = ").append(upSuite(p.path("connection_parameters").path("cipher_suite").asText())).append('\n');
                    CertModel sc = cert(p.path("server_certificate_list"), notes);
                    if (sc != null) f.append("   ").append(certFacts(a + ".srvCert", sc).replaceFirst(" and", "")).append('\n');
                    String by = p.path("signature").path("signed_by").asText(null);
                    if (by != null) f.append("    ").append(a).append(".by = ").append(agent(by)).append('\n');
                    // the signer only if the signature verifies (with the session-#1 key under the run's
                    // signing mode); otherwise it is NOT the session-#1 key (fail closed)
                    JsonNode sig = p.path("signature");
                    String signer = sig.path("x-model-signer").asText(null);
                    if (signer != null) f.append("    ").append(a).append(".signer = ").append(signer).append('\n');
                    else f.append("    ").append(a).append(".signer != ").append(v).append(".cert.key\n");
                    // DEC-5 binding: bound to this session #1 only if the bound signed input verified
                    String bcr = sig.path("bound_client_random").asText(null);
                    if (signer != null && "bound".equals(sig.path("x-signed-input").asText(null)))
                        f.append("    ").append(a).append(".bound = ").append(v).append('\n');
                    else if (bcr != null) {
                        String bs = null;
                        for (S o : sess.values()) if (bcr.equals(o.cr) && sig.path("bound_server_random").asText("").equals(o.sr)) bs = var.get(o.id);
                        f.append("    ").append(bs == null ? "no " + a + ".bound" : a + ".bound = " + bs).append('\n');
                    } else if (signer != null) f.append("    no ").append(a).append(".bound\n");
                    JsonNode nx = p.path("next_proxy_info");
                    if (nx.isObject()) {
                        f.append("    some ").append(a).append(".next and ").append(a).append(".next.aver = ")
                                .append(ver(nx.path("connection_parameters").path("tls_version").asText())).append(" and ").append(a)
                                .append(".next.asuite = ").append(upSuite(nx.path("connection_parameters").path("cipher_suite").asText())).append('\n');
                        CertModel nc = cert(nx.path("server_certificate_list"), notes);
                        if (nc != null) f.append("   ").append(certFacts(a + ".next.srvCert", nc).replaceFirst(" and", "")).append('\n');
                        String nsig = nx.path("signature").path("x-model-signer").asText(null);
                        if (nsig != null) f.append("    ").append(a).append(".next.signer = ").append(nsig).append('\n');
                        // DEC-12, fail closed: a nested hop whose signature did not verify with hop 1's end-entity key
                        else if (nx.path("signature").isObject()) f.append("    ").append(a).append(".next.signer != ").append(a).append(".srvCert.key\n");
                        if (nx.path("next_proxy_info").isObject())
                            violations.add("a chain of more than two assertions on " + s.leg + ": the conformance mapping reads two hops (fail closed)");
                    } else f.append("    no ").append(a).append(".next\n");
                    String up = p.path("server_random").asText(null);
                    if (up != null && byRandom.containsKey(up)) f.append("    ").append(a).append(".up = ").append(var.get(byRandom.get(up))).append('\n');
                    else f.append("    no ").append(a).append(".up\n");
                } else if (s.upstream != null && s.upstream.size() > 0) {
                    // implementation traces: proxy_info is not decoded in the message; the client's
                    // Commit says what it accepted, one entry per hop from the client outwards
                    String a = v + ".pinfo";
                    f.append("    some ").append(a).append('\n');
                    notes.add("the assertion on " + s.leg + " is not decoded in the trace; its signer is taken from the client's own signature check");
                    f.append("    ").append(a).append(s.passedSig ? ".signer = " : ".signer != ").append(v).append(".cert.key\n");
                    for (int h = 0; h < Math.min(2, s.upstream.size()); h++) {
                        JsonNode hop = s.upstream.get(h);
                        String ah = h == 0 ? a : a + ".next";
                        if (h == 1) f.append("    some ").append(ah).append('\n');
                        f.append("    ").append(ah).append(".aver = ").append(ver(hop.path("version").asText())).append(" and ").append(ah)
                                .append(".asuite = ").append(upSuite(hop.path("cipher_suite").asText())).append('\n');
                        CertModel hc = certMap.get(hop.path("server_cert_sha256").asText());
                        if (hc != null) f.append("   ").append(certFacts(ah + ".srvCert", hc).replaceFirst(" and", "")).append('\n');
                        else violations.add("upstream certificate " + hop.path("server_cert_sha256").asText() + " in the client's Commit is not mapped to the model: not admitted (fail closed)");
                        String up = hop.path("server_random").asText("");
                        if (byRandom.containsKey(up)) f.append("    ").append(ah).append(".up = ").append(var.get(byRandom.get(up))).append('\n');
                    }
                    if (s.upstream.size() == 1) f.append("    no ").append(a).append(".next\n");
                } else if (s.pinfoExt) {
                    f.append("    some ").append(v).append(".pinfo\n");
                } else f.append("    no ").append(v).append(".pinfo\n");
                if (s.sv.equals("P")) s1.add(v);
                if (s.cl.equals("P")) s2.add(v);
                if (s.sv.equals("P2")) t1.add(v);
                if (s.cl.equals("P2")) t2.add(v);
            }
            for (int i = 0; i < Math.min(s1.size(), s2.size()); i++) f.append("    ").append(s1.get(i)).append(".link = ").append(s2.get(i)).append('\n');
            // a session #1 of the proxy without a session #2 has none (DEC-14)
            for (int i = s2.size(); i < s1.size(); i++) f.append("    no ").append(s1.get(i)).append(".link\n");
            // the same for the second proxy of a two-hop run
            for (int i = 0; i < Math.min(t1.size(), t2.size()); i++) f.append("    ").append(t1.get(i)).append(".link = ").append(t2.get(i)).append('\n');
            for (int i = t2.size(); i < t1.size(); i++) f.append("    no ").append(t1.get(i)).append(".link\n");
            f.append("  }\n");
        }
        f.append("}\n");
        String cfg = "(Cfg.arch = " + arch.cfgAtom() + " and Cfg.threat = " + (threat.isEmpty() ? "none" : String.join(" + ", threat))
                + " and Cfg.mut = " + (muts.isEmpty() ? "none" : String.join(" + ", muts)) + ")";
        int n = Math.max(sess.size(), 1);
        // two-hop runs (issue #11 item 5): the second proxy, server and leg present, the run's DEC-4 limit
        // (a chain has at most 3 assertions in the model, so any limit above 3 is the same as 3; 7 fits Alloy's Int)
        if (twoHopDepth > 0) cfg = "(" + cfg + " and DepthLimit.hops = " + Math.min(twoHopDepth, 7) + ")";
        String scope = " for " + n + " but " + (twoHopDepth > 0 ? "7" : "6") + " Cert, 4 Data, 3 Assertion, 3 ClientSig"
                + (twoHopDepth > 0 ? TwoHop.PRESENT : Bound.SECOND_HOP_ABSENT) + "\n";
        f.append("run admit { ").append(cfg).append(" and traceFacts }").append(scope);
        for (Claim c : Claim.values())
            f.append("check p_").append(c.id).append(" { (").append(cfg).append(" and traceFacts) implies ").append(c.property).append(" }").append(scope);
        return f.toString();
    }
}
