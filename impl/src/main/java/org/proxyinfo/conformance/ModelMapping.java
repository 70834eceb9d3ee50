package org.proxyinfo.conformance;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.model.Conformance;
import org.proxyinfo.proxyinfo.ProxyInfoCodec;
import org.proxyinfo.proxyinfo.ProxyInfoSigner;
import org.proxyinfo.proxyinfo.SignedProxyInfo;
import org.proxyinfo.proxyinfo.SigningMode;
import org.proxyinfo.wire.CipherSuite;
import org.proxyinfo.wire.ProtocolVersion;
import org.proxyinfo.wire.TlsFatalAlert;
import org.proxyinfo.pki.Credential;
import org.proxyinfo.pki.PkiDir;

/**
 * How an implementation trace is presented to the model's {@link Conformance} checker
 * (issue #5 item 5, issue #11 finding 6): the model reads certificates as (subject name, key,
 * issuer key) atoms and a few fields by the names of its own traces. This class is the one place
 * that says what a certificate of our test PKI is in the model, and which threat setting a run is
 * checked in, both derived from the facts of the trace (never from the scenario's name).
 *
 * <p>Who is behind a role (facts, {@link #derive}):
 * <ul>
 * <li>the box on session #1 is the model's proxy P if it shows the configured proxy identity (a
 *     proxy_info client, PI-BOUND) or, for a client that did not offer proxy_info, a leaf minted by
 *     the mint CA (MINT); any other box on session #1 is, to the model, the attacker on the client leg
 *     (net-c): the client must treat it as one;</li>
 * <li>the upstream server is the model's S if it shows the origin's certificate; otherwise it is the
 *     attacker on the proxy-server leg (net-s);</li>
 * <li>a PI-BOUND run whose messages show DEC-23's client-certificate mode (a proxy_to_server ProxyInfo, the
 *     origin's server_to_proxy nonce, a SupplementalData with a ProxyCertVerify) is PI-BOUND-CC, DEVIATION (DEC-23);
 *     {@link #dec23} also reads DEC-14 as DEC-23 does and fails closed on incomplete mode facts;</li>
 * <li>the proxy lies (proxy-lies) if its assertion does not verify with its session-#1 key under the
 *     run's signing mode, names a server_random other than its own session #2's, reports other
 *     parameters or another certificate than its session #2 had, if the data it sends upstream is
 *     not the data it received (R6), or if it resumes session #1 over a full session #2 (DEC-22,
 *     01-R2: an honest proxy never does); it is careless (careless-proxy) if it goes on after one of its
 *     own session-#2 checks failed.</li>
 * </ul>
 * Certificates (principals.als: names nS, nP, nA, nC; keys kS, kP, kA, kC, kWebCA, kProxyCA): the
 * issuer from the CA that signed it (web root/intermediate = kWebCA; proxy CA = kProxyCA; the mint CA
 * = kProxyCA in MINT, where the client installed it, otherwise a CA only the attacker uses = kA; any
 * other = kA), the key from whose key it certifies (origin = kS, proxy = kP, a key the honest proxy
 * presents in MINT = kP; a box that is the attacker = kA; unknown = kA), the name from the host it
 * names (origin = nS, proxy = nP, other = nA). The model's web CA is honest (web-CA misissuance is
 * not modelled), so a web certificate for a key the attacker holds is for the attacker's own domain
 * (nA). A certificate the trace names only by hash, or whose DER does not match its hash, is left
 * unmapped, and {@link Conformance} does not admit the run (fail closed).
 * Fields: {@code server_name} of a ClientHello from its server_name extension; ServerHello and
 * ClientHello {@code extensions} as the list of extension names.
 */
public final class ModelMapping {
    private ModelMapping() { }

    /** The threat setting a trace is checked in, derived from its facts, with the facts that made it. */
    public record Setting(String threat, List<String> atoms, boolean proxyIsAttacker, String why,
                          boolean serverIsAttacker, String architecture) {
        public Setting(String threat, List<String> atoms, boolean proxyIsAttacker, String why) {
            this(threat, atoms, proxyIsAttacker, why, false, null);
        }
    }

    /** The certificates of the test PKI a run used that the mapping needs. */
    public record Known(X509Certificate serverEcdsa, X509Certificate serverRsa, X509Certificate proxy,
                        X509Certificate mintCa, X509Certificate webRoot, X509Certificate webIntermediate,
                        X509Certificate proxyCa, X509Certificate clientCa) {
        static Known of(PkiDir p) throws IOException {
            return new Known(p.serverEcdsa().leaf(), p.serverRsa().leaf(), p.proxy().leaf(), p.mintCa().leaf(),
                    p.webRoot(), p.webIntermediate(), p.proxyCa(), p.clientCa());
        }
        static Known of(org.proxyinfo.pki.TestPki p) {
            return new Known(p.serverEcdsa().leaf(), p.serverRsa().leaf(), p.proxy().leaf(), p.mintCa().leaf(),
                    p.webRoot().leaf(), p.webIntermediate().leaf(), p.proxyCa().leaf(),
                    p.clientCa() == null ? null : p.clientCa().leaf());
        }
    }

    /** A trace ready for the model: its setting, its certificate map and the rewritten trace. */
    public record Mapped(Setting setting, Map<String, Conformance.CertModel> certs, JsonNode trace) { }

    public static Mapped map(PkiDir pki, JsonNode trace) throws IOException {
        return map(Known.of(pki), trace);
    }

    public static Mapped map(org.proxyinfo.pki.TestPki pki, JsonNode trace) {
        return map(Known.of(pki), trace);
    }

    public static Mapped map(Known k, JsonNode trace) {
        trace = withoutSelfDescription(trace);   // what the model reads is recomputed here, never the trace's word for it
        if (Conformance.twoHop(trace)) return mapTwoHop(k, trace);   // issue #11 item 5: a second proxy, a third leg
        // DEVIATION (DEC-23) LEARN: a harmless abandoned first session #2 is set aside, fail closed (AbandonedSession2)
        AbandonedSession2.Result abandoned = AbandonedSession2.strip(trace);
        trace = abandoned.trace();
        Dec23 cc = dec23(trace);   // read once: it decides the architecture and adds violations
        Setting setting = derive(trace, k, cc);
        Map<String, Conformance.CertModel> certs = new LinkedHashMap<>();
        JsonNode mapped = forModel(trace, k, setting, certs);
        // fail closed (DEC-14 as DEC-23 reads it, DEC-23's messages): Conformance adds these to its violations
        List<String> refused = new java.util.ArrayList<>(cc.violations());
        refused.addAll(abandoned.violations());
        if (!refused.isEmpty() && mapped.path("run").path("configuration").isObject()) {
            ArrayNode v = ((ObjectNode) mapped.path("run").path("configuration")).putArray("x-mapping-violations");
            refused.forEach(v::add);
        }
        return new Mapped(setting, certs, mapped);
    }

    /**
     * A copy of the trace without what it could say about itself that the model's {@link Conformance} reads as fact: the
     * events' {@code x-session} (sessions are recomputed from leg and ClientHello.random), certificates' {@code x-model} (the
     * certificate map is recomputed from the DER, {@link #model}) and any {@code proxy_info} view in a message's fields (the
     * view, its signer included, is decoded and verified here, {@link #forModel}). Our roles write none of them; the model's
     * own traces do, and are checked by {@link Conformance} directly.
     */
    static JsonNode withoutSelfDescription(JsonNode trace) {
        JsonNode copy = trace.deepCopy();
        for (JsonNode e : copy.path("events")) {
            if (!e.isObject()) continue;
            ((ObjectNode) e).remove("x-session");
            JsonNode f = e.path("fields");
            if (!f.isObject()) continue;
            ((ObjectNode) f).remove("proxy_info");
            for (JsonNode c : f.path("certificate_list")) if (c.isObject()) ((ObjectNode) c).remove("x-model");
        }
        return copy;
    }

    /** A proxy_info in a sent ServerHello (not the origin's DEC-23 nonce) that does not decode as a SignedProxyInfo, and why. */
    record Undecodable(JsonNode event, String why) { }

    /** Every sent ServerHello's proxy_info that does not decode (the rest are {@link #assertions}). */
    static java.util.List<Undecodable> undecodable(JsonNode trace) {
        java.util.List<Undecodable> out = new java.util.ArrayList<>();
        for (JsonNode e : trace.path("events")) {
            if (!"message".equals(e.path("kind").asText()) || !"server_hello".equals(e.path("messageName").asText())
                    || !"sent".equals(e.path("direction").asText())) continue;
            for (JsonNode x : e.path("fields").path("extensions")) {
                if (!x.isObject() || !"proxy_info".equals(x.path("type").asText()) || isServerNonce("server_hello", x)) continue;
                String d = x.path("data").asText("");
                String shown = "'" + (d.length() > 24 ? d.substring(0, 24) + "..." : d) + "'";
                byte[] b = hex(d);
                if (b == null) {
                    out.add(new Undecodable(e, "its data " + shown + " is not hex"));
                    continue;
                }
                try {
                    new ProxyInfoCodec().decodeFromServerHello(b);
                } catch (TlsFatalAlert | IllegalArgumentException bad) {
                    out.add(new Undecodable(e, "the data " + shown + " is no SignedProxyInfo: " + bad.getMessage()));
                }
            }
        }
        return out;
    }

    private static boolean startsWithRole(JsonNode e, String prefix) {
        return e.path("role").asText().startsWith(prefix);
    }

    private static X509Certificate firstCert(JsonNode e) {
        JsonNode c = e.path("fields").path("certificate_list").path(0);
        if (!c.has("der")) return null;
        X509Certificate x = parse(c.get("der").asText());
        return x != null && sha256(x).equals(c.path("sha256").asText()) ? x : null;
    }

    private static boolean same(X509Certificate a, X509Certificate b) {
        return a != null && b != null && sha256(a).equals(sha256(b));
    }

    private static boolean issuedBy(X509Certificate c, X509Certificate ca) {
        if (c == null || ca == null || !c.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) return false;
        try {
            c.verify(ca.getPublicKey());
            return true;
        } catch (java.security.GeneralSecurityException e) {
            return false;
        }
    }

    private static java.util.List<String> raws(JsonNode trace, String rolePrefix, String leg, String direction) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (JsonNode e : trace.path("events")) {
            if ("application_data".equals(e.path("messageName").asText()) && startsWithRole(e, rolePrefix)
                    && leg.equals(e.path("leg").asText()) && direction.equals(e.path("direction").asText())) {
                out.add(e.path("raw").asText(""));
            }
        }
        java.util.Collections.sort(out);
        return out;
    }

    /**
     * The threat setting of a trace, from its facts (class comment): who is behind each box, whether
     * the proxy's assertion verifies and says the truth about its session #2, whether the proxy relays
     * the data unchanged, whether it goes on after a failed check of its own.
     */
    public static Setting derive(JsonNode trace, Known k) {
        return derive(trace, k, dec23(trace));
    }

    /** {@link #derive(JsonNode, Known)} with the trace's DEC-23 facts already read ({@link #dec23}). */
    static Setting derive(JsonNode trace, Known k, Dec23 cc) {
        JsonNode run = trace.path("run");
        boolean proxies = false;
        for (JsonNode r : run.path("roles")) if (r.asText().startsWith("proxy")) proxies = true;
        boolean clientOffered = false;
        X509Certificate s1Box = null;
        boolean s1Minted = false;
        boolean serverIsAttacker = false;
        java.util.List<String> facts = new java.util.ArrayList<>();
        for (JsonNode e : trace.path("events")) {
            if (!"message".equals(e.path("kind").asText()) || !"sent".equals(e.path("direction").asText())) continue;
            String name = e.path("messageName").asText();
            String leg = e.path("leg").asText();
            if (name.equals("client_hello") && startsWithRole(e, "client")) {
                if (hasProxyInfo(e.path("fields").path("extensions"))) clientOffered = true;
            }
            if (name.equals("certificate") && leg.equals("session1") && startsWithRole(e, "proxy") && s1Box == null) {
                s1Box = firstCert(e);
                s1Minted = issuedBy(s1Box, k.mintCa());
                if (s1Box == null) facts.add("the session-#1 certificate cannot be read from the trace");
            }
            if (name.equals("certificate") && startsWithRole(e, "server")) {
                X509Certificate c = firstCert(e);
                if (!same(c, k.serverEcdsa()) && !same(c, k.serverRsa())) {
                    serverIsAttacker = true;
                    facts.add("the upstream server on " + leg + " does not show the origin's certificate"
                            + (c == null ? "" : " (it shows " + c.getSubjectX500Principal().getName() + ")")
                            + ": to the model it is the attacker");
                }
            }
        }
        String arch = null;
        if (proxies) {
            arch = clientOffered || !s1Minted ? "PI-BOUND" : "MINT";
            if ("PI-BOUND".equals(arch) && cc.present()) {
                arch = "PI-BOUND-CC"; // DEVIATION (DEC-23): the client-certificate mode, from its messages (dec23)
            }
            if (!arch.equals(run.path("architecture").asText())) {
                facts.add("the client " + (clientOffered ? "offered proxy_info: PI-BOUND" : "did not offer proxy_info and the proxy minted a leaf: MINT")
                        + " (the trace says " + run.path("architecture").asText() + ")");
            }
        }
        boolean proxyIsAttacker = proxies && "PI-BOUND".equals(arch) && s1Box != null && !same(s1Box, k.proxy());
        if (proxyIsAttacker) {
            facts.add("the box on session #1 shows " + s1Box.getSubjectX500Principal().getName()
                    + ", not the configured proxy identity: to the model it is the attacker on the client leg");
        }
        boolean lies = false;
        boolean careless = false;
        if (proxies && !proxyIsAttacker) {
            // relayed data (R6): the multiset of records sent upstream equals the one received from the client
            java.util.List<String> in = raws(trace, "proxy", "session1", "received");
            java.util.List<String> up = raws(trace, "proxy", "session2", "sent");
            if (!in.equals(up)) {
                lies = true;
                facts.add("the proxy sent on session #2 data the client did not send on session #1 (R6)");
            }
            // its assertion: verifies with its session-#1 key, speaks for its own session #2
            for (AssertionFact a : assertions(trace, "draft-literal".equals(run.path("configuration").path("signingMode").asText())
                    ? SigningMode.DRAFT_LITERAL : SigningMode.BOUND)) {
                if (!a.proxySent()) continue;
                if (!a.verifies()) {
                    lies = true;
                    facts.add("the proxy's assertion on session #1 does not verify with its session-#1 key under the run's signing mode");
                }
                if (a.session2Random() != null && !a.session2Random().equals(HexFormat.of().formatHex(a.spi().serverRandom()))) {
                    lies = true;
                    facts.add("the proxy's assertion names a server_random other than its own session #2's (a replay)");
                }
                if (a.session2Suite() != null && !CipherSuite.name(a.spi().connectionParameters().cipherSuite()).equals(a.session2Suite())) {
                    lies = true;
                    facts.add("the proxy's assertion reports another cipher suite than its session #2 has");
                }
                if (a.session2Chain() != null && !a.session2Chain().isEmpty()) {
                    java.util.List<String> reported = new java.util.ArrayList<>();
                    for (byte[] c : a.spi().serverCertificateList()) reported.add(HexFormat.of().formatHex(c));
                    if (!reported.equals(a.session2Chain())) {
                        lies = true;
                        facts.add("the proxy's assertion reports another server chain than its session #2 presented (DEC-10; DEC-22 on"
                                + " resumption)");
                    }
                }
            }
            // bytes that are no assertion at all, sent by the proxy's host: no honest proxy sends them (as for a signature that does
            // not verify, the model's stand-in is an assertion not signed with the proxy's key)
            for (Undecodable u : undecodable(trace)) {
                if (startsWithRole(u.event(), "proxy") && "session1".equals(u.event().path("leg").asText())) {
                    lies = true;
                    facts.add("the proxy's assertion on session #1 does not decode (" + u.why() + ")");
                }
            }
            // an honest proxy answers every ClientHello that offers proxy_info with its assertion (00-R12/01-R13, DEC-17:
            // it mints only for clients that did not offer), on abbreviated handshakes too (DEC-22)
            boolean offeredHere = false;
            for (JsonNode e : trace.path("events")) {
                if (!"message".equals(e.path("kind").asText()) || !"session1".equals(e.path("leg").asText())
                        || !"sent".equals(e.path("direction").asText())) continue;
                String name = e.path("messageName").asText();
                if (name.equals("client_hello") && startsWithRole(e, "client")) {
                    offeredHere = hasProxyInfo(e.path("fields").path("extensions"));
                }
                if (name.equals("server_hello") && startsWithRole(e, "proxy") && offeredHere) {
                    if (!hasProxyInfo(e.path("fields").path("extensions"))) {
                        lies = true;
                        facts.add("the proxy answered a ClientHello that offered proxy_info with a ServerHello without its assertion");
                    }
                }
            }
            // DEC-22 (01-R2): an honest proxy resumes session #1 only over a resumed session #2 (the same client_random
            // opens both, DEC-5/DEC-12 reconciliation); one that resumes session #1 over a full session #2 lies
            String overFull = resumedOverFullSession2(trace);
            if (overFull != null) {
                lies = true;
                facts.add(overFull);
            }
            // careless: it goes on (answers session #1 or commits session #2) after one of its own session-#2 checks
            // failed, or (recomputed here, whatever the proxy's own checks said) with a session-#2 server certificate
            // that the web PKI does not issue for the host the client asked for (DEC-15: a proxy that trusts anything)
            String intended = run.path("configuration").path("serverName").asText("origin.proxyinfo.test");
            boolean failed = false;
            for (JsonNode e : trace.path("events")) {
                if (!startsWithRole(e, "proxy")) continue;
                if ("check".equals(e.path("kind").asText()) && "session2".equals(e.path("leg").asText()) && !e.path("passed").asBoolean(true)) {
                    failed = true;
                }
                if ("message".equals(e.path("kind").asText()) && "received".equals(e.path("direction").asText())
                        && "session2".equals(e.path("leg").asText()) && "certificate".equals(e.path("messageName").asText())) {
                    X509Certificate c = firstCert(e);
                    boolean webIssued = issuedBy(c, k.webIntermediate()) || issuedBy(c, k.webRoot());
                    boolean namesHost = names(c, intended);
                    boolean nextProxy = c != null && (same(c, k.proxy()) || issuedBy(c, k.proxyCa()));
                    if (!nextProxy && !(webIssued && namesHost)) {
                        failed = true;
                        facts.add("the proxy's session-#2 server certificate"
                                + (c == null ? " cannot be read" : " (" + c.getSubjectX500Principal().getName() + ")")
                                + " is not one the web PKI issues for '" + intended + "' (recomputed from the trace)");
                    }
                }
                boolean goesOn = ("claim".equals(e.path("kind").asText()) && "Commit".equals(e.path("claim").asText()) && "session2".equals(e.path("leg").asText()))
                        || ("server_hello".equals(e.path("messageName").asText()) && "sent".equals(e.path("direction").asText()) && "session1".equals(e.path("leg").asText()));
                if (failed && goesOn && !careless) {
                    careless = true;
                    facts.add("the proxy went on after one of its own session-#2 checks failed: a careless proxy");
                }
            }
        }
        if (proxies && !proxyIsAttacker && cc.proxyLie() != null) {
            lies = true; // DEC-23: what the proxy forwarded on session #2 is not what the client signed on session #1
            facts.add(cc.proxyLie());
        }
        java.util.LinkedHashSet<String> atoms = new java.util.LinkedHashSet<>();
        if (lies) atoms.addAll(List.of("NetLeg1", "NetLeg2", "ProxyLies"));
        if (proxyIsAttacker) atoms.add("NetLeg1");
        if (serverIsAttacker) atoms.add(proxies ? "NetLeg2" : "NetLeg1");
        if (careless) atoms.add("CarelessProxy");
        String threat = lies ? "proxy-lies" : careless ? "careless-proxy"
                : proxyIsAttacker && serverIsAttacker ? "net-cs" : proxyIsAttacker ? "net-c" : serverIsAttacker ? (proxies ? "net-s" : "net-c") : "none";
        return new Setting(threat, List.copyOf(atoms), proxyIsAttacker, facts.isEmpty() ? "honest run" : String.join("; ", facts),
                serverIsAttacker, arch);
    }

    /**
     * DEC-22, 01-R2 (recomputed from the trace): a session #1 the proxy resumed (its ServerHello echoes the non-empty
     * session_id the client's ClientHello offered) whose session #2 (the session-#2 ClientHello with the same
     * client_random) was a full handshake (the server's ServerHello does not echo a session_id offered by the proxy).
     * Returns the fact, or null. Session #1s whose session #2 cannot be paired by client_random are not judged.
     */
    static String resumedOverFullSession2(JsonNode trace) {
        java.util.Map<String, Boolean> resumed1 = resumedByClientRandom(trace, "session1", "client", "proxy");
        java.util.Map<String, Boolean> resumed2 = resumedByClientRandom(trace, "session2", "proxy", "server");
        for (java.util.Map.Entry<String, Boolean> e : resumed1.entrySet()) {
            if (e.getValue() && Boolean.FALSE.equals(resumed2.get(e.getKey()))) {
                return "the proxy resumed session #1 over a full session #2 (client_random " + e.getKey().substring(0, 16)
                        + "...): 01-R2 broken, an honest proxy never does so (DEC-22)";
            }
        }
        return null;
    }

    /** Per client_random of a leg's ClientHello (sent by {@code client}): whether {@code server}'s ServerHello resumed. */
    private static java.util.Map<String, Boolean> resumedByClientRandom(JsonNode trace, String leg, String client, String server) {
        java.util.Map<String, Boolean> out = new java.util.LinkedHashMap<>();
        String random = null;
        String offered = null;
        for (JsonNode e : trace.path("events")) {
            if (!"message".equals(e.path("kind").asText()) || !leg.equals(e.path("leg").asText())
                    || !"sent".equals(e.path("direction").asText())) continue;
            String name = e.path("messageName").asText();
            if (name.equals("client_hello") && startsWithRole(e, client)) {
                random = e.path("fields").path("random").asText(null);
                offered = e.path("fields").path("session_id").asText("");
            } else if (name.equals("server_hello") && startsWithRole(e, server) && random != null) {
                String id = e.path("fields").path("session_id").asText("");
                out.put(random, !offered.isEmpty() && offered.equals(id));
                random = null;
            }
        }
        return out;
    }

    /**
     * DEVIATION (DEC-23), issue 13: the client-certificate mode as the trace's messages show it, per client session
     * (a round: from the client's session-#1 ClientHello to the next). The mode is present if the proxy's session-#2
     * ClientHello carries a proxy_to_server ProxyInfo (flag 2), the server's session-#2 ServerHello a server_to_proxy
     * ProxyInfo with a 32-byte nonce (flag 3), or a SupplementalData carries a client chain and ProxyCertVerify.
     * Recomputed, not taken from any check event:
     * <ul>
     * <li>DEC-14 as DEC-23 reads it: the proxy's session-#1 ServerHello comes after session #2's Finished (its
     *     Commit), or, in the mode only, after session #2 was held at ServerHelloDone with the server's
     *     CertificateRequest and nonce; then the proxy's session-#1 Finished comes only after session #2 completed
     *     (01-R15). Anything else is a violation;</li>
     * <li>the client's ProxyCertVerify verifies with its certificate's key over session #2's server_random, the
     *     server's nonce and the proxy's session-#1 certificate (DEC-23), and the client signed only after its DEC-9
     *     check of the proxy passed and none of its checks failed; the server completes session #2 only with a
     *     forwarded ProxyCertVerify that the client made on session #1 (01-R16): otherwise a violation;</li>
     * <li>a forwarded SupplementalData that is not the client's own (another signature, chain or an earlier
     *     session's): the proxy lies ({@link Dec23#proxyLie()}).</li>
     * </ul>
     */
    record Dec23(boolean present, List<String> violations, String proxyLie) { }

    private static final class Round {
        boolean proxyToServer;
        byte[] nonce;
        String s2Random;
        boolean certReq2;
        boolean held;
        byte[] clientCert;
        byte[] proxyCert;
        byte[] clientSupp;
        int clientSuppSeq = -1;
        byte[] forwarded;
        int forwardedSeq = -1;
        boolean dec9Passed;
        String clientFailed;
        boolean s2Committed;
        boolean serverRunning;
        boolean proxyFinished1;
        /** the fatal alert the origin sent on session #2 (issue 13: its refusal), and its sequence number. */
        String serverAlert;
        int serverAlertSeq = -1;
        final List<String> order = new java.util.ArrayList<>();
    }

    static Dec23 dec23(JsonNode trace) {
        boolean onlyOneProxy = true;
        for (JsonNode r : trace.path("run").path("roles")) {
            if (r.asText().startsWith("proxy") && !r.asText().equals("proxy")) onlyOneProxy = false;
        }
        List<Round> rounds = new java.util.ArrayList<>();
        Round r = null;
        for (JsonNode e : trace.path("events")) {
            String kind = e.path("kind").asText();
            String role = e.path("role").asText();
            String leg = e.path("leg").asText();
            String name = e.path("messageName").asText();
            String at = "event " + e.path("seq").asText("?");
            boolean sent = "sent".equals(e.path("direction").asText());
            JsonNode f = e.path("fields");
            if ("message".equals(kind) && sent && "client".equals(role) && "session1".equals(leg) && "client_hello".equals(name)) {
                r = new Round();
                rounds.add(r);
            }
            if (r == null || !onlyOneProxy) continue;
            if ("check".equals(kind) && "client".equals(role) && "session1".equals(leg)) {
                if (!e.path("passed").asBoolean(false) && r.clientFailed == null) {
                    r.clientFailed = e.path("requirementId").asText() + " '" + e.path("what").asText() + "' (" + at + ")";
                }
                if (e.path("passed").asBoolean(false) && "DEC-9".equals(e.path("requirementId").asText())) r.dec9Passed = true;
            }
            if ("claim".equals(kind) && "Commit".equals(e.path("claim").asText()) && "proxy".equals(role) && "session2".equals(leg)) {
                r.s2Committed = true;
            }
            if ("claim".equals(kind) && "Running".equals(e.path("claim").asText()) && "server".equals(role) && "session2".equals(leg)) {
                r.serverRunning = true;
            }
            if (!"message".equals(kind)) continue;
            if (!sent && "proxy".equals(role) && "session2".equals(leg) && "server_hello_done".equals(name) && r.certReq2 && r.nonce != null) {
                r.held = true;
            }
            if (!sent) continue;
            String pinfo = null;
            for (JsonNode x : f.path("extensions")) {
                if (x.isObject() && "proxy_info".equals(x.path("type").asText())) pinfo = x.path("data").asText("");
            }
            if ("proxy".equals(role) && "session2".equals(leg) && "client_hello".equals(name) && pinfo != null && pinfo.startsWith("02")) {
                r.proxyToServer = true;
            }
            if ("server".equals(role) && "session2".equals(leg) && "server_hello".equals(name)) {
                r.s2Random = f.path("random").asText(null);
                if (pinfo != null && pinfo.length() == 66 && pinfo.startsWith("03")) r.nonce = hex(pinfo.substring(2));
            }
            if ("server".equals(role) && "session2".equals(leg) && "certificate_request".equals(name)) r.certReq2 = true;
            if ("server".equals(role) && "session2".equals(leg) && "alert".equals(e.path("contentType").asText())
                    && !"close_notify".equals(name) && r.serverAlert == null) {
                r.serverAlert = name;
                r.serverAlertSeq = e.path("seq").asInt();
            }
            if ("certificate".equals(name) && f.path("certificate_list").size() > 0) {
                byte[] der = hex(f.path("certificate_list").get(0).path("der").asText(""));
                if ("client".equals(role) && "session1".equals(leg)) r.clientCert = der;
                if ("proxy".equals(role) && "session1".equals(leg)) r.proxyCert = der;
            }
            if ("supplemental_data".equals(name)) {
                byte[] raw = hex(e.path("raw").asText(""));
                byte[] body = raw == null || raw.length < 4 ? new byte[0] : java.util.Arrays.copyOfRange(raw, 4, raw.length);
                if ("client".equals(role) && "session1".equals(leg)) {
                    r.clientSupp = body;
                    r.clientSuppSeq = e.path("seq").asInt();
                    if (!r.dec9Passed || r.clientFailed != null) {
                        r.order.add("DEC-23: the client signed a ProxyCertVerify (" + at + ") "
                                + (r.clientFailed != null ? "after its check " + r.clientFailed + " failed"
                                        : "without a passed DEC-9 check of the proxy")
                                + ": it signs only for a proxy that passed DEC-9 and a server it validated");
                    }
                }
                if ("proxy".equals(role) && "session2".equals(leg)) {
                    r.forwarded = body;
                    r.forwardedSeq = e.path("seq").asInt();
                }
            }
            if ("proxy".equals(role) && "session1".equals(leg) && "server_hello".equals(name) && !r.s2Committed) {
                boolean mode = r.proxyToServer || r.nonce != null;
                if (!(mode && r.held)) {
                    r.order.add("DEC-14: the proxy sent its session-#1 ServerHello (" + at + ") before session #2 was finished"
                            + (mode ? ", and session #2 was not held at ServerHelloDone with the server's CertificateRequest and"
                            + " nonce (the only exception, DEVIATION (DEC-23))" : ""));
                }
            }
            if ("proxy".equals(role) && "session1".equals(leg) && "finished".equals(name)) {
                if (!r.s2Committed) {
                    r.order.add("DEC-14 / 01-R15 (DEC-23): the proxy finished session #1 (" + at + ") before session #2 completed");
                }
                r.proxyFinished1 = true;
            }
        }
        boolean present = false;
        List<String> v = new java.util.ArrayList<>();
        String lie = null;
        org.proxyinfo.crypto.TlsCrypto crypto = new BcTlsCrypto(new java.security.SecureRandom());
        int n = 0;
        for (Round x : rounds) {
            n++;
            String which = rounds.size() > 1 ? " (client session " + n + ")" : "";
            boolean mode = x.proxyToServer || x.nonce != null || x.clientSupp != null || x.forwarded != null;
            present |= mode;
            for (String o : x.order) v.add(o + which);
            if (!mode) continue;
            org.proxyinfo.clientcert.ClientCertSupplement client = supplement(x.clientSupp);
            org.proxyinfo.clientcert.ClientCertSupplement fwd = supplement(x.forwarded);
            if (x.clientSupp != null) {
                X509Certificate cc = x.clientCert == null ? null : parse(HexFormat.of().formatHex(x.clientCert));
                boolean ok = client != null && cc != null && x.s2Random != null && x.nonce != null && x.proxyCert != null
                        && org.proxyinfo.clientcert.ProxyCertVerify.verify(crypto, cc.getPublicKey(), client.signatureScheme,
                                client.proxyCertVerify, hex(x.s2Random), x.nonce, x.proxyCert);
                if (!ok) {
                    v.add("DEC-23: the client's ProxyCertVerify (event " + x.clientSuppSeq + ") does not verify with its certificate's key"
                            + " over session #2's server_random, the server's nonce and the proxy's certificate" + which
                            + ": the model cannot take it for the client's signature");
                }
            }
            if (x.serverRunning && x.certReq2 && x.nonce != null) {
                if (x.forwarded == null) {
                    v.add("DEC-23 / 01-R16: the server completed session #2 in the client-certificate mode without a forwarded"
                            + " ProxyCertVerify (no SupplementalData from the proxy)" + which);
                } else if (x.clientSupp == null) {
                    v.add("DEC-23 / 01-R16: the server completed session #2 with a forwarded ProxyCertVerify (event " + x.forwardedSeq
                            + ") that the client never made on session #1" + which);
                }
            }
            // issue 13, 01-R16: the origin's refusal, recomputed. decrypt_error says the forwarded ProxyCertVerify is not the
            // client's over this session #2 and nonce for this proxy: if it verifies with the forwarded chain's key, the
            // cause is not derivable; access_denied says the proxy is not one it accepts: only a proxy that presented itself
            if ("decrypt_error".equals(x.serverAlert)) {
                X509Certificate fc = fwd == null || fwd.clientCertificateList.isEmpty() ? null
                        : parse(HexFormat.of().formatHex(fwd.clientCertificateList.get(0)));
                boolean valid = fc != null && x.s2Random != null && x.nonce != null && x.proxyCert != null
                        && org.proxyinfo.clientcert.ProxyCertVerify.verify(crypto, fc.getPublicKey(), fwd.signatureScheme,
                                fwd.proxyCertVerify, hex(x.s2Random), x.nonce, x.proxyCert);
                if (valid || x.forwarded == null) {
                    v.add("01-R16 (DEC-23): the origin refused session #2 with decrypt_error (event " + x.serverAlertSeq + "), but "
                            + (valid ? "the forwarded ProxyCertVerify verifies with the forwarded client certificate's key over session #2's"
                                    + " server_random, the origin's nonce and the proxy's certificate" : "no ProxyCertVerify was forwarded")
                            + which + ": the refusal's cause is not derivable from the trace (fail closed)");
                }
            }
            if ("access_denied".equals(x.serverAlert) && !x.proxyToServer) {
                v.add("01-R16 (DEC-23): the origin refused session #2 with access_denied (event " + x.serverAlertSeq + "), but no proxy"
                        + " presented itself in a proxy_to_server ProxyInfo" + which + ": the refusal's cause is not derivable (fail closed)");
            }
            if (x.forwarded != null && (x.clientSupp == null || !java.util.Arrays.equals(x.clientSupp, x.forwarded)) && lie == null) {
                lie = "the proxy forwarded on session #2 (event " + x.forwardedSeq + ") a client chain and ProxyCertVerify"
                        + (fwd == null ? " it could not have decoded" : "") + " other than the client's own on session #1"
                        + " (DEC-23: a lying proxy)" + which;
            }
        }
        return new Dec23(present, List.copyOf(v), lie);
    }

    /** DEVIATION (DEC-23): a ServerHello proxy_info that is the origin's server_to_proxy nonce (flag 3, 32 bytes), not an assertion. */
    static boolean isServerNonce(String messageName, JsonNode extension) {
        String d = extension.path("data").asText("");
        return "server_hello".equals(messageName) && "proxy_info".equals(extension.path("type").asText())
                && d.length() == 2 + 2 * org.proxyinfo.clientcert.ServerNonce.NONCE_LENGTH && d.startsWith("03");
    }

    private static org.proxyinfo.clientcert.ClientCertSupplement supplement(byte[] body) {
        if (body == null) return null;
        try {
            return org.proxyinfo.clientcert.ClientCertSupplement.decode(body);
        } catch (TlsFatalAlert | RuntimeException e) {
            return null;
        }
    }

    /** The bytes of a trace's hex field, or null when it is not hex (the mapping's one decoder; AbandonedSession2 too). */
    static byte[] hex(String h) {
        try {
            return HexFormat.of().parseHex(h);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** One proxy_info the trace carries in a ServerHello, decoded, with what it was checked against. */
    record AssertionFact(JsonNode event, SignedProxyInfo spi, boolean proxySent, boolean verifies, X509Certificate signerCert,
                         String session2Random, String session2Suite, java.util.List<String> session2Chain) { }

    /**
     * A proxy_info seen in a sent ServerHello, waiting for the certificate that signed it: the event, the extension's
     * bytes (hex), this leg's client random, the leg, and for session #1 what session #2 had presented so far (its
     * server random, suite and chain). The signer is the leg's next certificate, or for a resumed leg the last one.
     */
    private static final class Pending {
        final JsonNode event;
        final String dataHex;
        final byte[] clientRandom;
        final String leg;
        final String session2Random;
        final String session2Suite;
        final java.util.List<String> session2Chain;
        X509Certificate signerCert;

        Pending(JsonNode event, String dataHex, byte[] clientRandom, String leg, String session2Random, String session2Suite,
                java.util.List<String> session2Chain) {
            this.event = event;
            this.dataHex = dataHex;
            this.clientRandom = clientRandom;
            this.leg = leg;
            this.session2Random = session2Random;
            this.session2Suite = session2Suite;
            this.session2Chain = session2Chain;
        }
    }

    /** Every decodable proxy_info in a sent ServerHello, verified with that session's certificate key under {@code mode}. */
    static java.util.List<AssertionFact> assertions(JsonNode trace, SigningMode mode) {
        java.util.List<AssertionFact> out = new java.util.ArrayList<>();
        Map<String, byte[]> clientRandom = new java.util.HashMap<>();
        Map<String, X509Certificate> leaf = new java.util.HashMap<>();
        Map<String, X509Certificate> lastLeaf = new java.util.HashMap<>();
        String lastS2Random = null;
        String lastS2Suite = null;
        java.util.List<String> lastS2Chain = null;
        java.util.List<Pending> pending = new java.util.ArrayList<>();
        for (JsonNode e : trace.path("events")) {
            if (!"message".equals(e.path("kind").asText())) continue;
            JsonNode f = e.path("fields");
            String leg = e.path("leg").asText();
            String name = e.path("messageName").asText();
            boolean sent = "sent".equals(e.path("direction").asText());
            if (sent && name.equals("client_hello") && f.has("random")) {
                clientRandom.put(leg, HexFormat.of().parseHex(f.get("random").asText()));
                // a connection that ended without a Certificate after its ServerHello was resumed (DEC-22): its
                // assertion is signed with the key of the session it resumed, the last certificate on this leg
                for (Pending p : pending) {
                    if (p.leg.equals(leg) && p.signerCert == null) p.signerCert = lastLeaf.get(leg);
                }
                leaf.remove(leg);
            }
            if (sent && name.equals("certificate") && !leaf.containsKey(leg) && f.path("certificate_list").size() > 0) {
                X509Certificate c = parse(f.path("certificate_list").get(0).path("der").asText());
                if (c != null) {
                    leaf.put(leg, c);
                    lastLeaf.put(leg, c);
                    for (Pending p : pending) {
                        if (p.leg.equals(leg) && p.signerCert == null) p.signerCert = c; // the certificate follows its ServerHello
                    }
                }
            }
            if (!sent && name.equals("server_hello") && leg.equals("session2") && startsWithRole(e, "proxy")) {
                lastS2Random = f.path("random").asText(null);
                lastS2Suite = f.path("cipher_suite").asText(null);
            }
            if (!sent && name.equals("certificate") && leg.equals("session2") && startsWithRole(e, "proxy")) {
                // the chain session #2 presented; a resumed session #2 presents none and keeps the cached one (DEC-22)
                lastS2Chain = new java.util.ArrayList<>();
                for (JsonNode c : f.path("certificate_list")) lastS2Chain.add(c.path("der").asText().toLowerCase(java.util.Locale.ROOT));
            }
            if (sent && name.equals("server_hello")) {
                for (JsonNode x : f.path("extensions")) {
                    if (x.isObject() && "proxy_info".equals(x.path("type").asText()) && !isServerNonce(name, x)) {
                        boolean s1 = leg.equals("session1");
                        pending.add(new Pending(e, x.path("data").asText(), clientRandom.get(leg), leg,
                                s1 ? lastS2Random : null, s1 ? lastS2Suite : null, s1 ? lastS2Chain : null));
                    }
                }
            }
        }
        for (Pending p : pending) { // the certificate follows the ServerHello
            JsonNode e = p.event;
            SignedProxyInfo spi;
            try {
                spi = new ProxyInfoCodec().decodeFromServerHello(HexFormat.of().parseHex(p.dataHex));
            } catch (TlsFatalAlert | IllegalArgumentException bad) {
                continue; // undecodable: not an assertion (undecodable(): forModel marks it, and a Commit over it is refused)
            }
            byte[] sr = HexFormat.of().parseHex(e.path("fields").path("random").asText(""));
            X509Certificate signerCert = p.signerCert != null ? p.signerCert : lastLeaf.get(p.leg);
            boolean ok = signerCert != null && p.clientRandom != null && ProxyInfoSigner.verify(new BcTlsCrypto(new java.security.SecureRandom()),
                    mode, signerCert.getPublicKey(), p.clientRandom, sr, spi);
            out.add(new AssertionFact(e, spi, startsWithRole(e, "proxy"), ok, signerCert, p.session2Random, p.session2Suite, p.session2Chain));
        }
        return out;
    }

    /** The model's view of one certificate (class comment), or null if the trace does not let us read it. */
    static Conformance.CertModel model(X509Certificate c, Known k, Setting s, boolean presentedByAttacker, boolean presentedByProxy,
            String serverName) {
        if (c == null) return null;
        if (!presentedByAttacker && (same(c, k.serverEcdsa()) || same(c, k.serverRsa()))) return new Conformance.CertModel("nS", "kS", "kWebCA");
        if (!presentedByAttacker && same(c, k.proxy())) return new Conformance.CertModel("nP", "kP", "kProxyCA");
        String issuer = issuedBy(c, k.webIntermediate()) || issuedBy(c, k.webRoot()) ? "kWebCA"
                : issuedBy(c, k.proxyCa()) ? "kProxyCA"
                : issuedBy(c, k.mintCa()) ? ("MINT".equals(s.architecture()) ? "kProxyCA" : "kA")
                : "kA";
        String key = presentedByAttacker ? "kA"
                : c.getPublicKey().equals(k.serverEcdsa().getPublicKey()) || c.getPublicKey().equals(k.serverRsa().getPublicKey()) ? "kS"
                : c.getPublicKey().equals(k.proxy().getPublicKey()) || presentedByProxy ? "kP"
                : "kA";
        String host = hostOf(c);
        String name = host.equalsIgnoreCase(serverName) ? "nS" : host.equalsIgnoreCase(hostOf(k.proxy())) ? "nP" : "nA";
        if (issuer.equals("kWebCA") && key.equals("kA")) name = "nA"; // the model's web CA is honest: the attacker's own domain
        return new Conformance.CertModel(name, key, issuer);
    }

    /** RFC 6125 (section 6.4, our {@link org.proxyinfo.pki.HostnameMatcher}): the certificate names host. */
    private static boolean names(X509Certificate c, String host) {
        if (c == null || host == null) return false;
        try {
            return org.proxyinfo.pki.HostnameMatcher.match(c, host) != null;
        } catch (java.security.cert.CertificateParsingException e) {
            return false;
        }
    }

    /** Whether a traced extension list (names, or objects with a type) holds proxy_info. */
    static boolean hasProxyInfo(JsonNode extensions) {
        for (JsonNode x : extensions) {
            if ("proxy_info".equals(x.isTextual() ? x.asText() : x.path("type").asText())) return true;
        }
        return false;
    }

    private static String hostOf(X509Certificate c) {
        try {
            if (c.getSubjectAlternativeNames() != null) {
                for (java.util.List<?> san : c.getSubjectAlternativeNames()) {
                    if (Integer.valueOf(2).equals(san.get(0))) return String.valueOf(san.get(1));
                }
            }
        } catch (java.security.cert.CertificateParsingException e) {
            // fall back to the CN
        }
        String dn = c.getSubjectX500Principal().getName();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("CN=([^,]+)").matcher(dn);
        return m.find() ? m.group(1) : dn;
    }

    private static X509Certificate parse(String hex) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(HexFormat.of().parseHex(hex)));
        } catch (CertificateException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * A copy of the trace with the fields renamed as the model's reader expects them (class
     * comment), the derived threat setting and architecture written into its run, the roles the
     * attacker plays renamed, every certificate it carries mapped into {@code certs}, and every
     * ServerHello proxy_info decoded with our codec into the model's view: connection_parameters,
     * server_certificate_list (SHA-256 of each certificate), server_random, next_proxy_info, and the
     * signature's signer: the sending role, and as key atom the key of the session-#1 certificate if
     * (and only if) the signature verifies with it under the run's signing mode (DEC-5), with the
     * signed input it verified over; otherwise the signature is empty and the model is told the
     * signer is not the session-#1 key.
     */
    static JsonNode forModel(JsonNode trace, Known k, Setting setting, Map<String, Conformance.CertModel> certs) {
        ObjectNode copy = trace.deepCopy();
        ObjectNode conf = (ObjectNode) copy.path("run").path("configuration");
        String serverName = conf.path("serverName").asText("origin.proxyinfo.test");
        // the setting comes from the facts (derive), never from the trace's name or its own claim
        conf.put("threat", setting.threat());
        ArrayNode atoms = conf.putArray("threatAtoms");
        setting.atoms().forEach(atoms::add);
        // Our draft-literal mode changes only what is signed (DEC-5); the client still applies DEC-9
        // proxy trust. In the model that is PI-BOUND without the session-#1 binding (probe P1,
        // mutant NoDEC5Bind), not the drafts' PI-01 (whose literal proxy trust is the web PKI).
        SigningMode mode = "draft-literal".equals(conf.path("signingMode").asText()) ? SigningMode.DRAFT_LITERAL : SigningMode.BOUND;
        if (mode == SigningMode.DRAFT_LITERAL) {
            conf.putArray("mutants").add("NoDEC5Bind");
        } else {
            conf.remove("mutants");
        }
        if (setting.architecture() != null) {
            ((ObjectNode) copy.get("run")).put("architecture", setting.architecture());
        }
        // certificates: every one the trace shows, mapped from what it is and who presents it
        for (JsonNode e : copy.path("events")) {
            if (!"certificate".equals(e.path("messageName").asText()) || !"sent".equals(e.path("direction").asText())) continue;
            String role = e.path("role").asText();
            boolean attacker = (setting.proxyIsAttacker() && role.startsWith("proxy") && "session1".equals(e.path("leg").asText()))
                    || (setting.serverIsAttacker() && role.startsWith("server"));
            for (JsonNode c : e.path("fields").path("certificate_list")) {
                X509Certificate x = c.has("der") ? parse(c.get("der").asText()) : null;
                if (x != null && sha256(x).equals(c.path("sha256").asText()) && !certs.containsKey(c.path("sha256").asText())) {
                    Conformance.CertModel m = role.startsWith("client")
                            // the client's own certificate (RFC5246-7.4.6, issue 13): its key kC; issued by the client CA the
                            // servers trust (in the model, a CA the server trusts: kWebCA), else by nobody the model knows
                            ? new Conformance.CertModel("nC", "kC", issuedBy(x, k.clientCa()) ? "kWebCA" : "kA")
                            : model(x, k, setting, attacker, role.startsWith("proxy") && !attacker, serverName);
                    if (m != null) certs.put(sha256(x), m);
                }
                break; // the end-entity certificate is what the model sees
            }
        }
        for (JsonNode e : copy.path("events")) {
            String role = e.path("role").asText();
            if ((setting.proxyIsAttacker() && role.startsWith("proxy")) || (setting.serverIsAttacker() && role.startsWith("server"))) {
                ((ObjectNode) e).put("role", "attacker");
            }
        }
        java.util.List<AssertionFact> facts = assertions(trace, mode);
        Map<Integer, String> undecodable = new java.util.HashMap<>();
        for (Undecodable u : undecodable(trace)) undecodable.put(u.event().path("seq").asInt(-1), u.why());
        for (JsonNode e : copy.path("events")) {
            if (!"message".equals(e.path("kind").asText()) || !e.path("fields").isObject()) {
                continue;
            }
            ObjectNode f = (ObjectNode) e.get("fields");
            String name = e.path("messageName").asText();
            JsonNode ext = f.get("extensions");
            if (ext != null && ext.isArray()) {
                ArrayNode names = f.arrayNode();
                for (JsonNode x : ext) {
                    if (x.isObject() && isServerNonce(name, x)) {
                        names.add("proxy_info_server_to_proxy"); // DEVIATION (DEC-23): the origin's nonce, not an assertion
                    } else if (x.isObject()) {
                        names.add(x.path("type").asText());
                        if (x.has("host_name") && !f.has("server_name")) {
                            f.put("server_name", x.get("host_name").asText());
                        }
                    } else {
                        names.add(x.asText());
                    }
                }
                f.set("extensions", names);
            }
            if (name.equals("server_hello") && "sent".equals(e.path("direction").asText())) {
                for (AssertionFact a : facts) {
                    if (a.event().path("seq").asInt(-1) != e.path("seq").asInt(-2)) continue;
                    String signerKey = null;
                    if (a.verifies()) {
                        Conformance.CertModel m = certs.get(sha256(a.signerCert()));
                        signerKey = m == null ? null : m.key();
                    }
                    f.set("proxy_info", view(a.spi(), e.path("role").asText(), signerKey, mode, f, k, setting, certs, serverName));
                }
                // fail closed: bytes that do not decode are marked, so that a Commit over them is refused (Conformance), never
                // given the signer and upstream of the client's own check events and Commit
                String why = undecodable.get(e.path("seq").asInt(-2));
                if (why != null) f.putObject("proxy_info").put("x-undecodable", why);
            }
        }
        // the received copies of a ServerHello carry the same decoded view
        Map<String, JsonNode> byRandom = new java.util.HashMap<>();
        for (JsonNode e : copy.path("events")) {
            if ("server_hello".equals(e.path("messageName").asText()) && e.path("fields").has("proxy_info")) {
                byRandom.put(e.path("fields").path("random").asText(), e.path("fields").get("proxy_info"));
            }
        }
        for (JsonNode e : copy.path("events")) {
            if ("server_hello".equals(e.path("messageName").asText()) && !e.path("fields").has("proxy_info")
                    && byRandom.containsKey(e.path("fields").path("random").asText())) {
                ((ObjectNode) e.get("fields")).set("proxy_info", byRandom.get(e.path("fields").path("random").asText()));
            }
        }
        return copy;
    }

    // ---- issue #11 item 5: runs with two proxies (proxy-A, proxy-B; legs session1..session3) ----------------------

    /** The proxy roles of a run, in the order run.roles names them (hop 1 first). */
    static List<String> proxyRoles(JsonNode trace) {
        List<String> out = new java.util.ArrayList<>();
        for (JsonNode r : trace.path("run").path("roles")) if (r.asText().startsWith("proxy")) out.add(r.asText());
        return out;
    }

    /** The first certificate {@code role} sent on {@code leg}, or null. */
    private static X509Certificate sentCert(JsonNode trace, String role, String leg) {
        for (JsonNode e : trace.path("events")) {
            if ("message".equals(e.path("kind").asText()) && "certificate".equals(e.path("messageName").asText())
                    && "sent".equals(e.path("direction").asText()) && role.equals(e.path("role").asText()) && leg.equals(e.path("leg").asText())) {
                return firstCert(e);
            }
        }
        return null;
    }

    /** A field of the first {@code name} message {@code role} received on {@code leg}, or null. */
    private static String receivedField(JsonNode trace, String role, String leg, String name, String field) {
        for (JsonNode e : trace.path("events")) {
            if ("message".equals(e.path("kind").asText()) && name.equals(e.path("messageName").asText())
                    && "received".equals(e.path("direction").asText()) && role.equals(e.path("role").asText()) && leg.equals(e.path("leg").asText())) {
                return e.path("fields").path(field).asText(null);
            }
        }
        return null;
    }

    /** Hop 1's session-#1 assertion nests a hop-2 assertion, and hop 2's assertion on session #2 does not verify (DEC-15). */
    private static boolean nestsUnverifiedHop2(List<AssertionFact> assertions, String hop1, String hop2) {
        boolean nests = false;
        boolean hop2Seen = false;
        boolean hop2Verifies = false;
        for (AssertionFact a : assertions) {
            String role = a.event().path("role").asText();
            String leg = a.event().path("leg").asText();
            if (role.equals(hop1) && leg.equals("session1") && a.spi().nextHop() != null) nests = true;
            if (role.equals(hop2) && leg.equals("session2")) {
                hop2Seen = true;
                hop2Verifies |= a.verifies();
            }
        }
        return nests && hop2Seen && !hop2Verifies;
    }

    /** Whether {@code role} goes on (a ServerHello on {@code downLeg} or a Commit on {@code upLeg}) after one of its own checks failed. */
    private static boolean goesOnAfterFailedCheck(JsonNode trace, String role, String downLeg, String upLeg) {
        boolean failed = false;
        for (JsonNode e : trace.path("events")) {
            if (!role.equals(e.path("role").asText())) continue;
            if ("check".equals(e.path("kind").asText()) && !e.path("passed").asBoolean(true)) failed = true;
            boolean goesOn = ("claim".equals(e.path("kind").asText()) && "Commit".equals(e.path("claim").asText()) && upLeg.equals(e.path("leg").asText()))
                    || ("server_hello".equals(e.path("messageName").asText()) && "sent".equals(e.path("direction").asText()) && downLeg.equals(e.path("leg").asText()));
            if (failed && goesOn) return true;
        }
        return false;
    }

    /** The client's session-#1 client_random (the first ClientHello the client sent), or null. */
    private static byte[] clientRandom1(JsonNode trace) {
        for (JsonNode e : trace.path("events")) {
            if ("client_hello".equals(e.path("messageName").asText()) && "sent".equals(e.path("direction").asText())
                    && startsWithRole(e, "client") && "session1".equals(e.path("leg").asText()) && e.path("fields").has("random")) {
                return HexFormat.of().parseHex(e.path("fields").path("random").asText());
            }
        }
        return null;
    }

    /**
     * DEC-12 as the client checks it (ProxyInfoVerifier): hop 2 verifies with the end-entity key of hop 1's
     * server_certificate_list over the client's session-#1 client_random and hop 1's server_random field.
     */
    static boolean nestedVerifies(SignedProxyInfo hop1, byte[] clientRandom1, SigningMode mode) {
        SignedProxyInfo hop2 = hop1.nextHop();
        if (hop2 == null || clientRandom1 == null || hop1.serverCertificateList().isEmpty()) return false;
        X509Certificate signer = parse(HexFormat.of().formatHex(hop1.serverCertificateList().get(0)));
        return signer != null && ProxyInfoSigner.verify(new BcTlsCrypto(new java.security.SecureRandom()), mode, signer.getPublicKey(),
                clientRandom1, hop1.serverRandom(), hop2);
    }

    /**
     * A two-proxy run (issue #11 item 5), from its facts: hop 1 (the first proxy role) is the model's P if it shows the
     * configured proxy identity on session #1, else the attacker on the client leg; hop 2 is the model's second proxy
     * P2 if its session-#2 certificate chains to a configured proxy trust anchor (the test PKI's one proxy CA plays
     * P2's own anchor kProxyCA2 in the model) and is not hop 1's, else the attacker on the upstream legs (NetLeg2);
     * the server is S if it shows the origin's certificate, else the attacker. Hop 1 lies (ProxyLies) if its assertion
     * does not verify or does not describe its session #2, if it relays other data, or if it nests a hop 2 the client
     * cannot verify (DEC-12) although hop 2's own assertion verified on session #2; hop 2 lies (Hop2Lies) on the same
     * facts one leg further up. A hop that goes on after one of its own checks failed is careless (CarelessProxy,
     * Hop2Careless). If hop 1 is the attacker, the model's attacker plays both boxes (every proxy role is renamed).
     */
    static Mapped mapTwoHop(Known k, JsonNode trace) {
        List<String> roles = proxyRoles(trace);
        String hop1 = roles.isEmpty() ? "proxy" : roles.get(0);
        String hop2 = roles.size() < 2 ? "proxy-B" : roles.get(1);
        JsonNode conf = trace.path("run").path("configuration");
        SigningMode mode = "draft-literal".equals(conf.path("signingMode").asText()) ? SigningMode.DRAFT_LITERAL : SigningMode.BOUND;
        List<String> facts = new java.util.ArrayList<>();
        X509Certificate s1Box = sentCert(trace, hop1, "session1");
        // (a hop 1 that refused before its own flight shows no certificate: nothing says it is not the proxy)
        boolean hop1Attacker = s1Box != null && !same(s1Box, k.proxy());
        if (hop1Attacker) facts.add("hop 1 (" + hop1 + ") does not show the configured proxy identity on session #1: to the model it is the attacker on the client leg (and plays hop 2 too)");
        X509Certificate s2Box = sentCert(trace, hop2, "session2");
        boolean hop2IsP2 = s2Box != null && issuedBy(s2Box, k.proxyCa()) && !same(s2Box, s1Box);
        if (!hop2IsP2) facts.add("hop 2 (" + hop2 + ") shows " + (s2Box == null ? "no readable certificate" : s2Box.getSubjectX500Principal().getName()
                + ", which chains to no configured proxy trust anchor") + ": to the model it is the attacker on the upstream legs");
        boolean serverIsAttacker = false;
        for (JsonNode e : trace.path("events")) {
            if ("certificate".equals(e.path("messageName").asText()) && "sent".equals(e.path("direction").asText()) && startsWithRole(e, "server")) {
                X509Certificate c = firstCert(e);
                if (!same(c, k.serverEcdsa()) && !same(c, k.serverRsa())) serverIsAttacker = true;
            }
        }
        if (serverIsAttacker) facts.add("the upstream server does not show the origin's certificate: to the model it is the attacker");
        boolean hop1Lies = false;
        boolean hop2Lies = false;
        if (!raws(trace, hop1, "session1", "received").equals(raws(trace, hop1, "session2", "sent"))) {
            hop1Lies = true;
            facts.add("hop 1 sent on session #2 data the client did not send on session #1 (R6)");
        }
        if (hop2IsP2 && !raws(trace, hop2, "session2", "received").equals(raws(trace, hop2, "session3", "sent"))) {
            hop2Lies = true;
            facts.add("hop 2 sent on session #3 data it did not receive on session #2 (R6)");
        }
        byte[] cr1 = clientRandom1(trace);
        // every assertion of the run, parsed and verified once (each is a signature verification)
        List<AssertionFact> hopAssertions = assertions(trace, mode);
        for (AssertionFact a : hopAssertions) {
            String role = a.event().path("role").asText();
            String leg = a.event().path("leg").asText();
            if (role.equals(hop1) && leg.equals("session1") && !hop1Attacker) {
                if (!a.verifies()) { hop1Lies = true; facts.add("hop 1's assertion does not verify with its session-#1 key"); }
                if (a.session2Random() != null && !a.session2Random().equals(HexFormat.of().formatHex(a.spi().serverRandom()))) {
                    hop1Lies = true;
                    facts.add("hop 1's assertion names a server_random other than its own session #2's (a replay)");
                }
                if (a.spi().nextHop() != null && !nestedVerifies(a.spi(), cr1, mode)) {
                    boolean hop2Verified = false;
                    for (AssertionFact b : hopAssertions)
                        if (b.event().path("role").asText().equals(hop2) && b.event().path("leg").asText().equals("session2") && b.verifies()) hop2Verified = true;
                    if (hop2Verified) {
                        hop1Lies = true;
                        facts.add("hop 1 nests a hop-2 assertion the client cannot verify over its own randoms (DEC-12), although hop 2's"
                                + " assertion verified on session #2: hop 1 changed it, or did not carry the client's client_random upstream");
                    }
                }
            }
            if (role.equals(hop2) && leg.equals("session2") && hop2IsP2) {
                if (!a.verifies()) { hop2Lies = true; facts.add("hop 2's assertion does not verify with its session-#2 key"); }
                String sr3 = receivedField(trace, hop2, "session3", "server_hello", "random");
                String suite3 = receivedField(trace, hop2, "session3", "server_hello", "cipher_suite");
                if (sr3 != null && !sr3.equals(HexFormat.of().formatHex(a.spi().serverRandom()))) {
                    hop2Lies = true;
                    facts.add("hop 2's assertion names a server_random other than its own session #3's");
                }
                if (suite3 != null && !CipherSuite.name(a.spi().connectionParameters().cipherSuite()).equals(suite3)) {
                    hop2Lies = true;
                    facts.add("hop 2's assertion reports another cipher suite than its session #3 has");
                }
            }
        }
        for (Undecodable u : undecodable(trace)) {   // bytes that are no assertion: the hop that sent them lies
            String role = u.event().path("role").asText();
            String leg = u.event().path("leg").asText();
            if (role.equals(hop1) && leg.equals("session1") && !hop1Attacker) {
                hop1Lies = true;
                facts.add("hop 1's assertion on session #1 does not decode (" + u.why() + ")");
            }
            if (role.equals(hop2) && leg.equals("session2") && hop2IsP2) {
                hop2Lies = true;
                facts.add("hop 2's assertion on session #2 does not decode (" + u.why() + ")");
            }
        }
        boolean hop1Careless = !hop1Attacker && goesOnAfterFailedCheck(trace, hop1, "session1", "session2");
        if (hop1Careless) facts.add("hop 1 went on after one of its own checks failed: a careless proxy");
        // recomputed, whatever hop 1's own checks said (an adversary may have made it trust anything): hop 1 nested a hop-2
        // assertion that does not verify with hop 2's session-#2 key, so it went on without DEC-15's check
        if (!hop1Attacker && !hop1Careless && hop2IsP2 && nestsUnverifiedHop2(hopAssertions, hop1, hop2)) {
            hop1Careless = true;
            facts.add("hop 1 nested a hop-2 assertion that does not verify with hop 2's session-#2 key (recomputed from the trace):"
                    + " it went on without DEC-15's check, a careless proxy");
        }
        boolean hop2Careless = hop2IsP2 && goesOnAfterFailedCheck(trace, hop2, "session2", "session3");
        if (hop2Careless) facts.add("hop 2 went on after one of its own checks failed: a careless second proxy");
        java.util.LinkedHashSet<String> atoms = new java.util.LinkedHashSet<>();
        List<String> names = new java.util.ArrayList<>();
        if (hop1Lies) { atoms.addAll(List.of("NetLeg1", "NetLeg2", "ProxyLies")); names.add("proxy-lies"); }
        if (hop1Careless) { atoms.add("CarelessProxy"); names.add(0, "careless-proxy"); }
        if (hop2Lies) { atoms.add("Hop2Lies"); names.add("proxy-lies-hop2"); }
        if (hop2Careless) { atoms.add("Hop2Careless"); names.add("careless-proxy-hop2"); }
        if (hop1Attacker) atoms.add("NetLeg1");
        if (!hop2IsP2 || serverIsAttacker) atoms.add("NetLeg2");
        String net = hop1Attacker && (!hop2IsP2 || serverIsAttacker) ? "net-cs" : hop1Attacker ? "net-c" : (!hop2IsP2 || serverIsAttacker) ? "net-s" : null;
        if (names.isEmpty() && net != null) names.add(net);
        String threat = names.isEmpty() ? "none" : String.join("+", names);
        Setting setting = new Setting(threat, List.copyOf(atoms), hop1Attacker,
                facts.isEmpty() ? "honest run (two proxies)" : String.join("; ", facts), serverIsAttacker, "PI-BOUND");
        // the roles as the model reads them: hop 2 is the second proxy P2 ("proxy2") or the attacker
        com.fasterxml.jackson.databind.node.ObjectNode renamed = trace.deepCopy();
        for (JsonNode e : renamed.path("events")) {
            if (hop2.equals(e.path("role").asText())) ((ObjectNode) e).put("role", hop2IsP2 ? "proxy2" : "attacker");
        }
        Map<String, Conformance.CertModel> certs = new LinkedHashMap<>();
        String serverName = conf.path("serverName").asText("origin.proxyinfo.test");
        if (s2Box != null) {   // hop 2's certificate: P2's own identity under its own anchor, or one the attacker made
            certs.put(sha256(s2Box), hop2IsP2 ? new Conformance.CertModel("nP2", "kP2", "kProxyCA2") : model(s2Box, k, setting, true, false, serverName));
        }
        JsonNode mapped = forModel(renamed, k, setting, certs);
        // DEC-12: hop 2 as nested in hop 1's assertion has a signer only if it verifies as the client verifies it
        for (JsonNode e : mapped.path("events")) {
            JsonNode pi = e.path("fields").path("proxy_info");
            if (!"server_hello".equals(e.path("messageName").asText()) || !"session1".equals(e.path("leg").asText()) || !pi.isObject()) continue;
            JsonNode nx = pi.path("next_proxy_info");
            if (!nx.isObject()) continue;
            for (AssertionFact a : hopAssertions) {
                if (!a.event().path("fields").path("random").asText("").equals(e.path("fields").path("random").asText(""))) continue;
                if (a.spi().nextHop() == null || !nestedVerifies(a.spi(), cr1, mode)) continue;
                Conformance.CertModel hop1List = certs.get(sha256(a.spi().serverCertificateList().get(0)));
                if (hop1List == null) continue;
                ObjectNode sig = (ObjectNode) nx.path("signature");
                sig.put("signed_by", hop2IsP2 ? "proxy2" : "attacker");
                sig.put("x-model-signer", hop1List.key());
                sig.put("x-signed-input", mode == SigningMode.BOUND ? "bound" : "draft-literal");
            }
        }
        return new Mapped(setting, certs, mapped);
    }

    private static ObjectNode view(SignedProxyInfo spi, String role, String signerKey, SigningMode mode, ObjectNode factory,
            Known k, Setting setting, Map<String, Conformance.CertModel> certs, String serverName) {
        ObjectNode v = factory.objectNode();
        ObjectNode cp = v.putObject("connection_parameters");
        cp.put("tls_version", ProtocolVersion.name(spi.connectionParameters().tlsVersion()));
        cp.put("cipher_suite", CipherSuite.name(spi.connectionParameters().cipherSuite()));
        ArrayNode list = v.putArray("server_certificate_list");
        boolean first = true;
        for (byte[] der : spi.serverCertificateList()) {
            list.addObject().put("sha256", sha256(der)).put("der", HexFormat.of().formatHex(der));
            if (first && !certs.containsKey(sha256(der))) { // a carried origin certificate: what it is, not who carries it
                Conformance.CertModel m = model(parse(HexFormat.of().formatHex(der)), k, setting, false, false, serverName);
                if (m != null) certs.put(sha256(der), m);
            }
            first = false;
        }
        v.put("server_random", HexFormat.of().formatHex(spi.serverRandom()));
        ObjectNode sig = v.putObject("signature");
        if (signerKey != null) { // who signed is known only if the signature verifies; otherwise the model is told it is not the session-#1 key
            sig.put("signed_by", role);
            sig.put("x-model-signer", signerKey);
            sig.put("x-signed-input", mode == SigningMode.BOUND ? "bound" : "draft-literal");
        }
        SignedProxyInfo next = spi.nextHop();
        if (next != null) {
            v.set("next_proxy_info", view(next, role, null, mode, factory, k, setting, certs, serverName));
        }
        return v;
    }

    static String sha256(X509Certificate c) {
        try {
            return sha256(c.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            return "";
        }
    }

    static String sha256(byte[] der) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
