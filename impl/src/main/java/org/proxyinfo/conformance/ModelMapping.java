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
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.proxyinfo.model.Conformance;
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
 * <li>everything else (the second proxy, expired / not-yet-valid / revoked / wrong-host leaves,
 *     the untrusted proxy) is left unmapped: the model has one proxy agent and no time or
 *     revocation, so it may choose any certificate there (Conformance reports each).</li>
 * </ul>
 * Fields: {@code server_name} of a ClientHello from its server_name extension; ServerHello and
 * ClientHello {@code extensions} as the list of extension names.
 */
public final class ModelMapping {
    private ModelMapping() { }

    /** SHA-256 of the DER leaf certificate to its model view, from the PKI and the trace's own certificates. */
    public static Map<String, Conformance.CertModel> certificates(PkiDir pki, JsonNode trace) throws IOException {
        Map<String, Conformance.CertModel> out = new LinkedHashMap<>();
        Conformance.CertModel server = new Conformance.CertModel("nS", "kS", "kWebCA");
        put(out, pki.serverEcdsa(), server);
        put(out, pki.serverRsa(), server);
        put(out, pki.proxy(), new Conformance.CertModel("nP", "kP", "kProxyCA"));
        put(out, pki.proxyWebIssued(), new Conformance.CertModel("nP", "kP", "kWebCA"));
        X509Certificate mintCa = pki.mintCa().leaf();
        for (JsonNode e : trace.path("events")) {
            collectMinted(e.path("fields"), mintCa, out);
        }
        return out;
    }

    private static void collectMinted(JsonNode node, X509Certificate mintCa, Map<String, Conformance.CertModel> out) {
        if (node.isObject()) {
            if (node.has("der") && node.has("sha256") && !out.containsKey(node.get("sha256").asText())) {
                X509Certificate c = parse(node.get("der").asText());
                if (c != null && c.getIssuerX500Principal().equals(mintCa.getSubjectX500Principal())) {
                    out.put(node.get("sha256").asText(), new Conformance.CertModel("nS", "kP", "kProxyCA"));
                }
            }
            node.elements().forEachRemaining(n -> collectMinted(n, mintCa, out));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(n -> collectMinted(n, mintCa, out));
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

    /** A copy of the trace with the fields renamed as the model's reader expects them (class comment). */
    public static JsonNode forModel(JsonNode trace) {
        ObjectNode copy = trace.deepCopy();
        for (JsonNode e : copy.path("events")) {
            if (!"message".equals(e.path("kind").asText()) || !e.path("fields").isObject()) {
                continue;
            }
            ObjectNode f = (ObjectNode) e.get("fields");
            JsonNode ext = f.get("extensions");
            if (ext != null && ext.isArray()) {
                ArrayNode names = f.arrayNode();
                for (JsonNode x : ext) {
                    if (x.isObject()) {
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
        }
        return copy;
    }
}
