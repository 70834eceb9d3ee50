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
 * (issue #5 item 5): the model reads certificates as (subject name, key, issuer key) atoms and a
 * few fields by the names of its own traces. This class is the one place that says what our
 * test PKI's certificates are in the model, and how our message fields map onto the model's.
 *
 * <p>Certificates (principals.als: names nS, nP, nA, nC; keys kS, kP, kA, kC, kWebCA, kProxyCA):
 * <ul>
 * <li>the origin server's ECDSA and RSA leaves (web PKI) = (nS, kS, kWebCA);</li>
 * <li>the proxy's certificate from the proxy CA (DEC-9 trust anchor) = (nP, kP, kProxyCA);</li>
 * <li>the proxy's certificate from the web intermediate (valid web PKI, not an acceptable proxy,
 *     DEC-9) = (nP, kP, kWebCA);</li>
 * <li>a leaf issued by the mint CA (DEC-17 mint mode, MINT) for the origin host = (nS, kP, kProxyCA):
 *     the model's MINT proxy CA is in the client's web store and its key is the proxy's;</li>
 * <li>when the scenario's box is the attacker ({@link Setting#proxyIsAttacker()}): the web-issued proxy
 *     certificate = (nA, kA, kWebCA) and a minted leaf = (nS, kA, kA); when the upstream is the attacker
 *     ({@link Setting#serverIsAttacker()}, a wrong-host leaf): its certificate = (nA, kA, kWebCA);</li>
 * <li>everything else (the second proxy, expired / not-yet-valid / revoked leaves, the untrusted
 *     proxy) is left unmapped: the model has one proxy agent and no time or revocation, so it may
 *     choose any certificate there (Conformance reports each). Two-proxy runs are out of the
 *     model's scope (Conformance says so).</li>
 * </ul>
 * Fields: {@code server_name} of a ClientHello from its server_name extension; ServerHello and
 * ClientHello {@code extensions} as the list of extension names.
 */
public final class ModelMapping {
    private ModelMapping() { }

    /**
     * The model's threat setting (model/README.md) of a demo scenario that stages an attack
     * (impl demo.Scenarios): the model's honest parties never forge, replay, mint for a proxy_info
     * client or skip a check, so a run in which our proxy does so on purpose is checked in the
     * setting where the model lets a party do that. A proxy with an untrusted or web-issued
     * certificate is the attacker's box on the client leg (net-c): its role is mapped to the
     * model's attacker. Scenarios not listed are honest runs (no threat).
     */
    public record Setting(String threat, List<String> atoms, boolean proxyIsAttacker, String why,
                          boolean serverIsAttacker, String architecture) {
        public Setting(String threat, List<String> atoms, boolean proxyIsAttacker, String why) {
            this(threat, atoms, proxyIsAttacker, why, false, null);
        }
    }

    private static final Map<String, Setting> SETTINGS = Map.ofEntries(
            Map.entry("forged-signature", lies("the proxy corrupts its own assertion signature")),
            Map.entry("replay-draft-literal", lies("the proxy replays an earlier assertion")),
            Map.entry("replay-bound", lies("the proxy replays an earlier assertion")),
            Map.entry("second-hop-lies", lies("proxy B alters its assertion after signing")),
            Map.entry("second-hop-lies-lax-first-hop", lies("proxy B alters its assertion and proxy A skips its checks")),
            Map.entry("hop-keeps-own-client-random", lies("proxy A opens session #2 with its own client_random")),
            Map.entry("resumed-chain-changed", lies("on resumption the proxy reports another server chain (DEC-22)")),
            Map.entry("resumed-without-proxy-info", lies("the proxy strips proxy_info from a resuming ServerHello (DEC-22)")),
            // The client is a proxy_info client (PI-BOUND) without the mint CA in its store; the model's MINT
            // installs the mint CA in the client's store. So: PI-BOUND, and the minting box is the attacker on
            // the client leg with a certificate for the origin name from a CA the client does not trust.
            Map.entry("minting-proxy", new Setting("net-c", List.of("NetLeg1"), true,
                    "the proxy mints a certificate (from a CA this proxy_info client does not trust) although the client"
                            + " offered proxy_info: in PI-BOUND that box is the attacker on the client leg", false, "PI-BOUND")),
            // The upstream server whose certificate names another host is not the model's origin S (S always
            // presents its own name): it is the attacker's box on the proxy-server leg, with a web certificate
            // for its own name.
            Map.entry("wrong-host-lax-proxy", new Setting("careless-proxy", List.of("NetLeg2", "CarelessProxy"), false,
                    "the proxy skips upstream validation (DEC-15 broken on purpose); the upstream whose certificate names"
                            + " another host is the attacker on the proxy-server leg", true, null)),
            Map.entry("wrong-host-origin", new Setting("net-s", List.of("NetLeg2"), false,
                    "the upstream whose certificate names another host is the attacker on the proxy-server leg", true, null)),
            Map.entry("untrusted-proxy", new Setting("net-c", List.of("NetLeg1"), true,
                    "the box on the client leg has a certificate from a CA nobody trusts: the attacker")),
            Map.entry("web-issued-proxy", new Setting("net-c", List.of("NetLeg1"), true,
                    "the box on the client leg has a web-PKI certificate, not a proxy one: the attacker")));

    private static Setting lies(String why) {
        return new Setting("proxy-lies", List.of("NetLeg1", "NetLeg2", "ProxyLies"), false, why);
    }

    /** The setting to check a trace of this scenario under; honest (no threat) when not listed. */
    public static Setting settingFor(String scenario) {
        return SETTINGS.getOrDefault(scenario == null ? "" : scenario, new Setting("none", List.of(), false, "honest run"));
    }

    /** SHA-256 of the DER leaf certificate to its model view, from the PKI and the trace's own certificates. */
    public static Map<String, Conformance.CertModel> certificates(PkiDir pki, JsonNode trace) throws IOException {
        return certificates(pki.serverEcdsa(), pki.serverRsa(), pki.proxy(), pki.proxyWebIssued(), pki.mintCa(), trace);
    }

    /** The same from an in-memory test PKI (the demo's fresh one). */
    public static Map<String, Conformance.CertModel> certificates(org.proxyinfo.pki.TestPki pki, JsonNode trace) throws IOException {
        return certificates(pki.serverEcdsa(), pki.serverRsa(), pki.proxy(), pki.proxyWebIssued(), pki.mintCa(), trace);
    }

    private static Map<String, Conformance.CertModel> certificates(Credential serverEcdsa, Credential serverRsa, Credential proxy,
            Credential proxyWebIssued, Credential mint, JsonNode trace) throws IOException {
        Map<String, Conformance.CertModel> out = new LinkedHashMap<>();
        Setting setting = settingFor(trace.path("run").path("scenario").asText(null));
        Conformance.CertModel server = new Conformance.CertModel("nS", "kS", "kWebCA");
        put(out, serverEcdsa, server);
        put(out, serverRsa, server);
        put(out, proxy, new Conformance.CertModel("nP", "kP", "kProxyCA"));
        // a box that is the attacker holds its own key: a web certificate it has is for a name it owns (the
        // model's web CA is honest, principals.als), i.e. (nA, kA, kWebCA)
        put(out, proxyWebIssued, setting.proxyIsAttacker() ? new Conformance.CertModel("nA", "kA", "kWebCA")
                : new Conformance.CertModel("nP", "kP", "kWebCA"));
        X509Certificate mintCa = mint.leaf();
        // minted leaves: MINT's proxy CA (in the client's store); when the minting box is the attacker, a
        // certificate for the origin name under a key and CA of its own (trusted by nobody)
        Conformance.CertModel minted = setting.proxyIsAttacker() ? new Conformance.CertModel("nS", "kA", "kA")
                : new Conformance.CertModel("nS", "kP", "kProxyCA");
        for (JsonNode e : trace.path("events")) {
            collectMinted(e.path("fields"), mintCa, minted, out);
        }
        if (setting.serverIsAttacker()) { // every other certificate an upstream server showed: the attacker's web certificate
            for (JsonNode e : trace.path("events")) {
                if ("certificate".equals(e.path("messageName").asText()) && "sent".equals(e.path("direction").asText())
                        && e.path("role").asText().startsWith("server")) {
                    for (JsonNode c : e.path("fields").path("certificate_list")) {
                        out.putIfAbsent(c.path("sha256").asText(), new Conformance.CertModel("nA", "kA", "kWebCA"));
                        break;
                    }
                }
            }
        }
        return out;
    }

    private static void collectMinted(JsonNode node, X509Certificate mintCa, Conformance.CertModel minted,
            Map<String, Conformance.CertModel> out) {
        if (node.isObject()) {
            if (node.has("der") && node.has("sha256") && !out.containsKey(node.get("sha256").asText())) {
                X509Certificate c = parse(node.get("der").asText());
                if (c != null && c.getIssuerX500Principal().equals(mintCa.getSubjectX500Principal())) {
                    out.put(node.get("sha256").asText(), minted);
                }
            }
            node.elements().forEachRemaining(n -> collectMinted(n, mintCa, minted, out));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(n -> collectMinted(n, mintCa, minted, out));
        }
    }

    private static X509Certificate parse(String hex) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(HexFormat.of().parseHex(hex)));
        } catch (CertificateException | IllegalArgumentException e) {
            return null;
        }
    }

    private static void put(Map<String, Conformance.CertModel> out, Credential c, Conformance.CertModel m) throws IOException {
        try {
            out.put(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.leaf().getEncoded())), m);
        } catch (java.security.cert.CertificateEncodingException | NoSuchAlgorithmException e) {
            throw new IOException("cannot encode the test PKI certificate " + c.leaf().getSubjectX500Principal(), e);
        }
    }

    /**
     * A copy of the trace with the fields renamed as the model's reader expects them (class
     * comment), and every ServerHello proxy_info decoded with our codec into the model's view:
     * connection_parameters, server_certificate_list (SHA-256 of each certificate), server_random,
     * next_proxy_info, and the signature's signer: the sending role, and as key atom the key of the
     * session-#1 certificate if (and only if) the signature verifies with it under the run's signing
     * mode (DEC-5); otherwise the signer is left to the model.
     */
    public static JsonNode forModel(JsonNode trace, Map<String, Conformance.CertModel> certs) {
        ObjectNode copy = trace.deepCopy();
        Setting setting = settingFor(copy.path("run").path("scenario").asText(null));
        ObjectNode conf = (ObjectNode) copy.path("run").path("configuration");
        if (!conf.has("threatAtoms") && !setting.atoms().isEmpty()) {
            conf.put("threat", setting.threat());
            ArrayNode atoms = conf.putArray("threatAtoms");
            setting.atoms().forEach(atoms::add);
        }
        // Our draft-literal mode changes only what is signed (DEC-5); the client still applies DEC-9
        // proxy trust. In the model that is PI-BOUND without the session-#1 binding (probe P1,
        // mutant NoDEC5Bind), not the drafts' PI-01 (whose literal proxy trust is the web PKI).
        if ("draft-literal".equals(conf.path("signingMode").asText()) && !conf.has("mutants")) {
            ((ObjectNode) copy.get("run")).put("architecture", "PI-BOUND");
            conf.putArray("mutants").add("NoDEC5Bind");
        }
        if (setting.architecture() != null) {
            ((ObjectNode) copy.get("run")).put("architecture", setting.architecture());
        }
        for (JsonNode e : copy.path("events")) {
            String role = e.path("role").asText();
            if ((setting.proxyIsAttacker() && role.startsWith("proxy")) || (setting.serverIsAttacker() && role.startsWith("server"))) {
                ((ObjectNode) e).put("role", "attacker");
            }
        }
        SigningMode mode = "draft-literal".equals(copy.path("run").path("configuration").path("signingMode").asText())
                ? SigningMode.DRAFT_LITERAL : SigningMode.BOUND;
        Map<String, byte[]> clientRandom = new java.util.HashMap<>(); // per leg
        Map<String, X509Certificate> leaf = new java.util.HashMap<>(); // per leg: the server side's certificate
        Map<String, String> helloSender = new java.util.HashMap<>(); // per leg: who sent the ServerHello (and signed)
        java.util.List<ObjectNode[]> pending = new java.util.ArrayList<>(); // [fields, proxy_info extension]
        for (JsonNode e : copy.path("events")) {
            if (!"message".equals(e.path("kind").asText()) || !e.path("fields").isObject()) {
                continue;
            }
            ObjectNode f = (ObjectNode) e.get("fields");
            String leg = e.path("leg").asText();
            boolean sent = "sent".equals(e.path("direction").asText());
            String name = e.path("messageName").asText();
            if (sent && name.equals("server_hello")) {
                helloSender.put(leg, e.path("role").asText());
            }
            if (sent && name.equals("client_hello") && f.has("random")) {
                clientRandom.put(leg, HexFormat.of().parseHex(f.get("random").asText()));
            }
            if (sent && name.equals("certificate") && !leaf.containsKey(leg) && f.path("certificate_list").size() > 0) {
                X509Certificate c = parse(f.path("certificate_list").get(0).path("der").asText());
                if (c != null) leaf.put(leg, c);
            }
            JsonNode ext = f.get("extensions");
            if (ext != null && ext.isArray()) {
                ArrayNode names = f.arrayNode();
                for (JsonNode x : ext) {
                    if (x.isObject()) {
                        names.add(x.path("type").asText());
                        if (x.has("host_name") && !f.has("server_name")) {
                            f.put("server_name", x.get("host_name").asText());
                        }
                        if (name.equals("server_hello") && "proxy_info".equals(x.path("type").asText())) {
                            pending.add(new ObjectNode[] {f, (ObjectNode) x, (ObjectNode) e});
                        }
                    } else {
                        names.add(x.asText());
                    }
                }
                f.set("extensions", names);
            }
        }
        for (ObjectNode[] p : pending) { // after the loop: the certificate follows the ServerHello
            String leg = p[2].path("leg").asText();
            SignedProxyInfo spi;
            try {
                spi = new ProxyInfoCodec().decodeFromServerHello(HexFormat.of().parseHex(p[1].path("data").asText()));
            } catch (TlsFatalAlert | IllegalArgumentException bad) {
                continue; // undecodable: the client refused it with decode_error; the model sees no assertion
            }
            byte[] cr = clientRandom.get(leg);
            byte[] sr = HexFormat.of().parseHex(p[0].path("random").asText(""));
            X509Certificate signerCert = leaf.get(leg);
            String signerKey = null;
            if (signerCert != null && cr != null && ProxyInfoSigner.verify(new BcTlsCrypto(new java.security.SecureRandom()),
                    mode, signerCert.getPublicKey(), cr, sr, spi)) {
                Conformance.CertModel m = certs.get(sha256(signerCert));
                signerKey = m == null ? null : m.key();
            }
            p[0].set("proxy_info", view(spi, helloSender.getOrDefault(leg, p[2].path("role").asText()), signerKey, p[0]));
        }
        return copy;
    }

    private static ObjectNode view(SignedProxyInfo spi, String role, String signerKey, ObjectNode factory) {
        ObjectNode v = factory.objectNode();
        ObjectNode cp = v.putObject("connection_parameters");
        cp.put("tls_version", ProtocolVersion.name(spi.connectionParameters().tlsVersion()));
        cp.put("cipher_suite", CipherSuite.name(spi.connectionParameters().cipherSuite()));
        ArrayNode list = v.putArray("server_certificate_list");
        for (byte[] der : spi.serverCertificateList()) {
            list.addObject().put("sha256", sha256(der)).put("der", HexFormat.of().formatHex(der));
        }
        v.put("server_random", HexFormat.of().formatHex(spi.serverRandom()));
        ObjectNode sig = v.putObject("signature");
        if (signerKey != null) { // who signed is known only if the signature verifies; otherwise the model chooses
            sig.put("signed_by", role);
            sig.put("x-model-signer", signerKey);
        }
        SignedProxyInfo next = spi.nextHop();
        if (next != null) {
            v.set("next_proxy_info", view(next, role, null, factory));
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
