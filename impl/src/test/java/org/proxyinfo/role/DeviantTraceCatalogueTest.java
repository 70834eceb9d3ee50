package org.proxyinfo.role;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.crypto.DeterministicRandom;
import org.proxyinfo.ext.ExtensionTable;
import org.proxyinfo.ext.HelloContext;
import org.proxyinfo.ext.TlsExtension;
import org.proxyinfo.pki.CertificateValidator;
import org.proxyinfo.pki.Credential;
import org.proxyinfo.pki.RevocationPolicy;
import org.proxyinfo.proxyinfo.ConnectionSecurityParameters;
import org.proxyinfo.proxyinfo.ProxyInfoCodec;
import org.proxyinfo.proxyinfo.ProxyInfoSigner;
import org.proxyinfo.proxyinfo.ProxyInfoVerifier;
import org.proxyinfo.proxyinfo.SignedProxyInfo;
import org.proxyinfo.proxyinfo.SigningMode;
import org.proxyinfo.proxyinfo.UpstreamPolicy;
import org.proxyinfo.proxyinfo.ValidatorCertificateChecks;
import org.proxyinfo.role.ScriptedPeers.Msg;
import org.proxyinfo.trace.TraceSink;
import org.proxyinfo.wire.ContentType;
import org.proxyinfo.wire.Extension;
import org.proxyinfo.wire.ExtensionType;
import org.proxyinfo.wire.HandshakeType;
import org.proxyinfo.wire.TlsFatalAlert;
import org.proxyinfo.wire.TlsWriter;

/**
 * The deviant-trace catalogue (issue #7; SMACK's deviant traces, TLS-Anvil's RFC-derived cases):
 * for every handshake message of the client and server roles, and for the extensions and the
 * ProxyInfo fields, a scripted peer skips, repeats, reorders, misdirects, truncates, extends or
 * corrupts it. One table ({@link #CASES}) says what must happen: the exact fatal alert (DEC-21), a
 * timeout (the peer went silent), or an established session (the deviation is legal). Every case
 * also checks what the role released: no key material (ClientKeyExchange / ChangeCipherSpec) and
 * no application data where the table says so, exactly one alert record, and the connection
 * closed. The build prints the table: case, expected, got.
 *
 * <p>Issue 13: client authentication (our server asking for a certificate, need and want; a scripted client that
 * holds a client credential and signs its CertificateVerify with the impl's crypto over the real transcript) and the
 * DEC-23 client-certificate mode (impl/CLIENTCERT.md): our origin against a scripted proxy of session #2 (01-R16), our
 * proxy against a scripted client of session #1 with our origin behind it (01-R15: a refusal abandons session #2 too,
 * the origin completes nothing), and our client against a scripted proxy's client_cert_mode answer. These cases also
 * assert the requirement the role names with its alert.
 */
class DeviantTraceCatalogueTest {
    /** What the role under test may have sent before it stopped. */
    enum Release { NOTHING, KEYS, APPLICATION_DATA }

    /**
     * {@code requirement}: the requirement the role must name with its alert (null: not asserted); {@code config}: what
     * the case changes in the role's configuration (client authentication, the DEC-23 offer).
     */
    record Case(String id, boolean clientUnderTest, Consumer<ScriptedPeers.Server> server, Consumer<ScriptedPeers.Client> client,
                boolean proxyInfoClient, String expected, Release allowed, String requirement, UnaryOperator<TlsConfig> config) {
        Case(String id, boolean clientUnderTest, Consumer<ScriptedPeers.Server> server, Consumer<ScriptedPeers.Client> client,
             boolean proxyInfoClient, String expected, Release allowed) {
            this(id, clientUnderTest, server, client, proxyInfoClient, expected, allowed, null, UnaryOperator.identity());
        }
    }

    static final List<Case> CASES = new ArrayList<>();

    /** Proxy cases: downstream = a scripted client talks to our proxy (session #1); upstream = our
     *  client through our proxy to a scripted origin (session #2, the proxy is the client). */
    record ProxyCase(String id, boolean downstream, Consumer<ScriptedPeers.Client> client, Consumer<ScriptedPeers.Server> server,
                     String expected, Release allowed) { }

    static final List<ProxyCase> PROXY_CASES = new ArrayList<>();

    static void proxyDown(String id, Consumer<ScriptedPeers.Client> c, String expected, Release allowed) {
        Consumer<ScriptedPeers.Client> offer = x -> x.clientHelloExtensions = addExt(TYPE, new byte[] {0});
        PROXY_CASES.add(new ProxyCase("proxy session #1: " + id, true, offer.andThen(c), null, expected, allowed));
    }

    static void proxyUp(String id, Consumer<ScriptedPeers.Server> s, String expected, Release allowed) {
        PROXY_CASES.add(new ProxyCase("proxy session #2: " + id, false, null, s, expected, allowed));
    }
    static final List<String[]> ROWS = Collections.synchronizedList(new ArrayList<>());
    static final int TYPE = 0xFF50; // DEC-2

    // ---- flight rewriting ---------------------------------------------------------------------

    static int index(List<Msg> f, String name) {
        for (int i = 0; i < f.size(); i++) {
            if (f.get(i).name.equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no " + name + " in flight");
    }

    static UnaryOperator<List<Msg>> skip(String n) { return f -> { f.remove(index(f, n)); return f; }; }

    static UnaryOperator<List<Msg>> repeat(String n) { return f -> { int i = index(f, n); f.add(i + 1, f.get(i).copy()); return f; }; }

    static UnaryOperator<List<Msg>> swap(String a, String b) {
        return f -> { int i = index(f, a); int j = index(f, b); Msg t = f.get(i); f.set(i, f.get(j)); f.set(j, t); return f; };
    }

    static UnaryOperator<List<Msg>> truncate(String n) {
        return f -> { int i = index(f, n); byte[] b = f.get(i).body(); f.set(i, f.get(i).withBody(java.util.Arrays.copyOf(b, b.length - 1))); return f; };
    }

    static UnaryOperator<List<Msg>> extend(String n) {
        return f -> { int i = index(f, n); byte[] b = f.get(i).body(); f.set(i, f.get(i).withBody(java.util.Arrays.copyOf(b, b.length + 1))); return f; };
    }

    /** Sets body byte {@code off} (negative: from the end) to {@code v}, or XORs 0x01 when v &lt; 0. */
    static UnaryOperator<List<Msg>> patch(String n, int off, int v) {
        return f -> {
            int i = index(f, n);
            byte[] b = f.get(i).body();
            int p = off < 0 ? b.length + off : off;
            b[p] = v < 0 ? (byte) (b[p] ^ 0x01) : (byte) v;
            f.set(i, f.get(i).withBody(b));
            return f;
        };
    }

    /** Moves message {@code n} to just before message {@code before}. */
    static UnaryOperator<List<Msg>> move(String n, String before) {
        return f -> { Msg m = f.remove(index(f, n)); f.add(index(f, before), m); return f; };
    }

    static UnaryOperator<List<Msg>> insertBefore(String n, Msg m) { return f -> { f.add(index(f, n), m); return f; }; }

    static UnaryOperator<List<Msg>> replace(String n, Msg m) { return f -> { f.set(index(f, n), m); return f; }; }

    static UnaryOperator<List<Msg>> tamperRecord(String n) { return f -> { f.get(index(f, n)).tamperRecord = true; return f; }; }

    static UnaryOperator<List<Msg>> recordVersion(String n, int v) { return f -> { f.get(index(f, n)).recordVersion = v; return f; }; }

    static Msg hs(int type, byte[] body) { return Msg.handshake(type, body); }

    static UnaryOperator<List<Msg>> insertAfter(String n, int count, java.util.function.Supplier<Msg> m) {
        return f -> { int i = index(f, n); for (int k = 0; k < count; k++) { f.add(i + 1, m.get()); } return f; };
    }

    static UnaryOperator<List<Msg>> insertBefore(String n, int count, java.util.function.Supplier<Msg> m) {
        return f -> { int i = index(f, n); for (int k = 0; k < count; k++) { f.add(i, m.get()); } return f; };
    }

    /** A warning alert (user_canceled, RFC5246-7.2), which does not end a connection. */
    static Msg warning() { return new Msg("alert", ContentType.ALERT, new byte[] {1, 90}); }

    static Msg emptyAppData() { return new Msg("application_data", ContentType.APPLICATION_DATA, new byte[0]); }

    static UnaryOperator<List<Msg>> then(UnaryOperator<List<Msg>> a, UnaryOperator<List<Msg>> b) { return f -> b.apply(a.apply(f)); }

    /** The message as records of {@code size} bytes each. */
    static UnaryOperator<List<Msg>> records(String n, int size) {
        return f -> { f.get(index(f, n)).recordSize = size; return f; };
    }

    static Msg appData() { return new Msg("application_data", ContentType.APPLICATION_DATA, "early".getBytes(StandardCharsets.US_ASCII)); }

    // ---- extension-list rewriting ---------------------------------------------------------------

    static UnaryOperator<List<Extension>> dropExt(int type) { return l -> { l.removeIf(e -> e.type == type); return l; }; }

    static UnaryOperator<List<Extension>> addExt(int type, byte[] data) { return l -> { l.add(new Extension(type, data)); return l; }; }

    static UnaryOperator<List<Extension>> setExt(int type, byte[] data) {
        return l -> { l.removeIf(e -> e.type == type); l.add(new Extension(type, data)); return l; };
    }

    // ---- case constructors --------------------------------------------------------------------

    static void client(String id, Consumer<ScriptedPeers.Server> s, String expected, Release allowed) {
        CASES.add(new Case("client: " + id, true, s, null, false, expected, allowed));
    }

    static void proxyInfo(String id, Consumer<ScriptedPeers.Server> s, String expected) {
        CASES.add(new Case("proxy_info: " + id, true, s, null, true, expected,
                expected.equals("established") ? Release.APPLICATION_DATA : Release.NOTHING));
    }

    static void server(String id, Consumer<ScriptedPeers.Client> c, String expected, Release allowed) {
        CASES.add(new Case("server: " + id, false, null, c, false, expected, allowed));
    }

    /** Our server asks for a client certificate (RFC5246-7.4.4) with this policy; client chains are PKIX-checked
     *  against the test PKI's client CA (plus {@code extraAnchors}). The scripted client holds an ECDSA client
     *  certificate unless the case says otherwise. */
    static void authServer(String id, int policy, Consumer<ScriptedPeers.Client> c, String expected, String requirement,
                           Release allowed, java.security.cert.X509Certificate... extraAnchors) {
        List<java.security.cert.X509Certificate> anchors = new ArrayList<>(TestCredentials.PKI.clientTrust());
        anchors.addAll(List.of(extraAnchors));
        Consumer<ScriptedPeers.Client> holder = x -> x.credential = TestCredentials.of(TestCredentials.PKI.clientEcdsa());
        String mode = policy == org.proxyinfo.core.ServerHandshake.CLIENT_AUTH_NEED ? "need" : "want";
        CASES.add(new Case("server, client auth " + mode + ": " + id, false, null, holder.andThen(c), false, expected, allowed,
                requirement, cfg -> cfg.clientAuth(policy, anchors, RevocationPolicy.DEFAULT, List.of())));
    }

    static Consumer<ScriptedPeers.Server> f1(UnaryOperator<List<Msg>> d) { return s -> s.flight1 = d; }

    static Consumer<ScriptedPeers.Server> f2(UnaryOperator<List<Msg>> d) { return s -> s.flight2 = d; }

    static Consumer<ScriptedPeers.Client> c1(UnaryOperator<List<Msg>> d) { return c -> c.flight1 = d; }

    static Consumer<ScriptedPeers.Client> c2(UnaryOperator<List<Msg>> d) { return c -> c.flight2 = d; }

    static final String SH = "server_hello";
    static final String CERT = "certificate";
    static final String SKE = "server_key_exchange";
    static final String SHD = "server_hello_done";
    static final String CCS = "change_cipher_spec";
    static final String FIN = "finished";
    static final String CH = "client_hello";
    static final String CKE = "client_key_exchange";
    static final String UM = "unexpected_message";
    static final String DE = "decode_error";
    static final String IP = "illegal_parameter";
    static final String HF = "handshake_failure";

    static {
        int leafLen = Certificates.encode(TestCredentials.EC.chain).get(0).length;
        // ---- our client, server's first flight (RFC 5246 §7.3): nothing may be released ----
        client("ServerHello skipped (RFC5246-7.4)", f1(skip(SH)), UM, Release.NOTHING);
        client("Certificate skipped (RFC5246-7.4.2)", f1(skip(CERT)), UM, Release.NOTHING);
        client("ServerKeyExchange skipped (RFC5246-7.4.3, ECDHE needs it)", f1(skip(SKE)), UM, Release.NOTHING);
        client("ServerHelloDone skipped: the server goes silent", f1(skip(SHD)), "timeout", Release.NOTHING);
        client("ServerHello repeated", f1(repeat(SH)), UM, Release.NOTHING);
        client("Certificate repeated", f1(repeat(CERT)), UM, Release.NOTHING);
        client("ServerKeyExchange repeated", f1(repeat(SKE)), UM, Release.NOTHING);
        client("ServerHelloDone repeated (after the verified flight)", f1(repeat(SHD)), UM, Release.KEYS);
        client("ServerHello and Certificate swapped", f1(swap(SH, CERT)), UM, Release.NOTHING);
        client("Certificate and ServerKeyExchange swapped", f1(swap(CERT, SKE)), UM, Release.NOTHING);
        client("ServerKeyExchange and ServerHelloDone swapped", f1(swap(SKE, SHD)), UM, Release.NOTHING);
        client("ServerHello truncated by one byte (RFC5246-7.4.1.3)", f1(truncate(SH)), DE, Release.NOTHING);
        client("Certificate truncated", f1(truncate(CERT)), DE, Release.NOTHING);
        client("ServerKeyExchange truncated", f1(truncate(SKE)), DE, Release.NOTHING);
        client("ServerHello extended by one byte", f1(extend(SH)), DE, Release.NOTHING);
        client("Certificate extended", f1(extend(CERT)), DE, Release.NOTHING);
        client("ServerKeyExchange extended", f1(extend(SKE)), DE, Release.NOTHING);
        client("ServerHelloDone with a body (RFC5246-7.4.5)", f1(extend(SHD)), DE, Release.NOTHING);
        client("ServerHello.random corrupted: SKE signature fails (RFC5246-7.4.3)", f1(patch(SH, 10, -1)), "decrypt_error", Release.NOTHING);
        client("ServerHello.server_version TLS 1.1 (RFC5246-7.4.1.3)", f1(patch(SH, 1, 2)), "protocol_version", Release.NOTHING);
        client("ServerHello.cipher_suite not offered (RFC5246-7.4.1.3)", f1(patch(SH, 36, 0x9c).andThen(patch(SH, 35, 0x00))::apply), IP, Release.NOTHING);
        client("ServerHello.compression_method 1 (RFC5246-7.4.1.3)", f1(patch(SH, 37, 1)), IP, Release.NOTHING);
        client("Certificate signature corrupted (DEC-10)", f1(patch(CERT, 6 + leafLen - 1, -1)), "bad_certificate", Release.NOTHING);
        client("ServerKeyExchange signature corrupted (RFC5246-7.4.3)", f1(patch(SKE, -1, -1)), "decrypt_error", Release.NOTHING);
        client("DEC-5a: ServerKeyExchange signed over the bound assertion input (reverse confusion)", s -> s.skeSignedAsAssertion = true, "decrypt_error", Release.NOTHING);
        client("ServerKeyExchange public value corrupted (RFC5246-7.4.3)", f1(patch(SKE, 10, -1)), "decrypt_error", Release.NOTHING);
        client("ServerKeyExchange group not offered, secp384r1 (RFC8422-5.4)", f1(patch(SKE, 2, 0x18)), IP, Release.NOTHING);
        client("ServerKeyExchange curve_type explicit_prime (RFC8422-5.4)", f1(patch(SKE, 0, 1)), DE + "|" + IP, Release.NOTHING);
        client("wrong direction: ClientHello instead of ServerHello", f1(replace(SH, hs(HandshakeType.CLIENT_HELLO, BadInputTest.goodClientHello()))), UM, Release.NOTHING);
        client("wrong direction: ClientKeyExchange instead of ServerHelloDone", f1(replace(SHD, hs(HandshakeType.CLIENT_KEY_EXCHANGE, new byte[] {1, 9}))), UM, Release.NOTHING);
        client("a second Certificate before ServerHelloDone", f1(insertBefore(SHD, hs(HandshakeType.CERTIFICATE, new byte[] {0, 0, 0}))), UM, Release.NOTHING);
        client("Finished before ServerHello", f1(insertBefore(SH, hs(HandshakeType.FINISHED, new byte[12]))), UM, Release.NOTHING);
        client("early ChangeCipherSpec before ServerHelloDone (CVE-2014-0224 class)", f1(insertBefore(SHD, Msg.ccs())), UM, Release.NOTHING);
        client("application data before the handshake ends", f1(insertBefore(SHD, appData())), UM, Release.NOTHING);
        client("HelloRequest before ServerHello is ignored (RFC5246-7.4.1.1)", f1(insertBefore(SH, hs(HandshakeType.HELLO_REQUEST, new byte[0]))), "established", Release.APPLICATION_DATA);
        client("unknown handshake type 99", f1(insertBefore(CERT, hs(99, new byte[0]))), UM, Release.NOTHING);
        // ---- issue 13: CertificateRequest (RFC5246-7.4.4) in the wrong place or malformed ----
        byte[] certReq = new org.proxyinfo.wire.CertificateRequest(new int[] {64, 1}, new int[] {0x0403, 0x0804, 0x0401},
                List.of()).encode();
        client("CertificateRequest before ServerKeyExchange (RFC5246-7.4.4)", f1(insertBefore(SKE, hs(HandshakeType.CERTIFICATE_REQUEST, certReq))), UM, Release.NOTHING);
        client("CertificateRequest twice (RFC5246-7.4.4)", f1(insertBefore(SHD, hs(HandshakeType.CERTIFICATE_REQUEST, certReq))
                .andThen(insertBefore(SHD, hs(HandshakeType.CERTIFICATE_REQUEST, certReq)))::apply), UM, Release.NOTHING);
        client("CertificateRequest truncated (RFC5246-7.4.4)", f1(insertBefore(SHD, hs(HandshakeType.CERTIFICATE_REQUEST,
                java.util.Arrays.copyOf(certReq, certReq.length - 1)))), DE, Release.NOTHING);
        client("CertificateRequest with empty certificate_types (RFC5246-7.4.4)", f1(insertBefore(SHD, hs(HandshakeType.CERTIFICATE_REQUEST,
                new byte[] {0, 0, 2, 4, 3, 0, 0}))), DE, Release.NOTHING);
        client("CertificateRequest with odd-length supported_signature_algorithms (RFC5246-7.4.4)", f1(insertBefore(SHD,
                hs(HandshakeType.CERTIFICATE_REQUEST, new byte[] {1, 64, 0, 3, 4, 3, 8, 0, 0}))), DE, Release.NOTHING);
        client("CertificateVerify from the server (wrong direction, RFC5246-7.4.8)", f1(insertBefore(SHD,
                hs(HandshakeType.CERTIFICATE_VERIFY, new byte[] {4, 3, 0, 0}))), UM, Release.NOTHING);
        client("record version TLS 1.0 after ServerHello (RFC5246-6.2.1)", f1(recordVersion(CERT, 0x0301)), "protocol_version", Release.NOTHING);
        // ---- our client, ServerHello extensions ----
        client("extended_master_secret missing (RFC7627-5.3, required)", s -> s.serverHelloExtensions = dropExt(ExtensionType.EXTENDED_MASTER_SECRET), HF, Release.NOTHING);
        client("renegotiation_info missing: accepted, we never renegotiate (RFC5746-3.4)", s -> s.serverHelloExtensions = dropExt(ExtensionType.RENEGOTIATION_INFO), "established", Release.APPLICATION_DATA);
        client("renegotiation_info not empty (RFC5746-3.4)", s -> s.serverHelloExtensions = setExt(ExtensionType.RENEGOTIATION_INFO, new byte[] {2, 1, 2}), HF, Release.NOTHING);
        client("extended_master_secret repeated (RFC5246-7.4.1.4)", s -> s.serverHelloExtensions = addExt(ExtensionType.EXTENDED_MASTER_SECRET, new byte[0]), DE, Release.NOTHING);
        client("extended_master_secret with data (RFC7627-5.1)", s -> s.serverHelloExtensions = setExt(ExtensionType.EXTENDED_MASTER_SECRET, new byte[] {0}), DE, Release.NOTHING);
        client("ec_point_formats without uncompressed (RFC8422-5.1.2)", s -> s.serverHelloExtensions = addExt(ExtensionType.EC_POINT_FORMATS, new byte[] {1, 1}), IP, Release.NOTHING);
        client("ec_point_formats truncated list", s -> s.serverHelloExtensions = addExt(ExtensionType.EC_POINT_FORMATS, new byte[] {3, 0}), DE, Release.NOTHING);
        client("server_name echoed with data (RFC6066-3)", s -> s.serverHelloExtensions = addExt(ExtensionType.SERVER_NAME, new byte[] {0, 0}), DE, Release.NOTHING);
        client("signature_algorithms sent by the server (RFC5246-7.4.1.4.1 MUST NOT)", s -> s.serverHelloExtensions = addExt(ExtensionType.SIGNATURE_ALGORITHMS, new byte[] {0, 2, 4, 3}), "unsupported_extension", Release.NOTHING);
        client("unknown extension 0x1234 not offered (RFC5246-7.4.1.4)", s -> s.serverHelloExtensions = addExt(0x1234, new byte[0]), "unsupported_extension", Release.NOTHING);
        client("proxy_info to a client that did not offer it (DEC-13)", s -> s.proxyInfo = (cr, sr) -> new byte[] {1}, "unsupported_extension", Release.NOTHING);
        // ---- our client, server's second flight: keys were released, no application data ----
        client("server ChangeCipherSpec skipped (RFC5246-7.1)", f2(skip(CCS)), UM, Release.KEYS);
        client("server Finished skipped: the server goes silent", f2(skip(FIN)), "timeout", Release.KEYS);
        client("server ChangeCipherSpec repeated", f2(repeat(CCS)), UM, Release.KEYS);
        client("server Finished repeated (after established)", f2(repeat(FIN)), UM, Release.APPLICATION_DATA);
        client("server ChangeCipherSpec and Finished swapped", f2(swap(CCS, FIN)), UM, Release.KEYS);
        client("server Finished truncated (RFC5246-7.4.9)", f2(truncate(FIN)), DE, Release.KEYS);
        client("server Finished extended", f2(extend(FIN)), DE, Release.KEYS);
        client("server Finished verify_data corrupted (RFC5246-7.4.9)", f2(patch(FIN, 0, -1)), "decrypt_error", Release.KEYS);
        client("server Finished record tampered (RFC5246-6.2.3.3)", f2(tamperRecord(FIN)), "bad_record_mac", Release.KEYS);
        client("server Finished record version TLS 1.0 (RFC5246-6.2.1)", f2(recordVersion(FIN, 0x0301)), "protocol_version", Release.KEYS);
        client("wrong direction: ClientKeyExchange instead of ChangeCipherSpec", f2(replace(CCS, hs(HandshakeType.CLIENT_KEY_EXCHANGE, new byte[] {1, 9}))), UM, Release.KEYS);
        client("ChangeCipherSpec with body 2 (RFC5246-7.1)", f2(replace(CCS, new Msg(CCS, ContentType.CHANGE_CIPHER_SPEC, new byte[] {2}))), DE, Release.KEYS);
        client("application data instead of Finished", f2(replace(FIN, appData())), UM, Release.KEYS);

        // ---- our server, ClientHello ----
        server("ClientHello repeated", c1(repeat(CH)), UM, Release.NOTHING);
        server("ClientHello truncated (RFC5246-7.4.1.2)", c1(truncate(CH)), DE, Release.NOTHING);
        server("ClientHello extended", c1(extend(CH)), DE, Release.NOTHING);
        server("ClientHello.client_version TLS 1.1 (DEC-20)", c -> c.version = 0x0302, "protocol_version", Release.NOTHING);
        server("ClientHello without null compression (RFC5246-7.4.1.2)", c -> c.compression = new byte[] {1}, IP, Release.NOTHING);
        server("ClientHello with no common suite (RFC5246-7.4.1.3)", c -> c.suites = new int[] {0x002f}, HF, Release.NOTHING);
        server("ClientHello with only unknown groups (RFC8422-5.1)", c -> c.groups = new int[] {0x0018}, HF, Release.NOTHING);
        server("wrong direction: ServerHello to a server", c1(replace(CH, hs(HandshakeType.SERVER_HELLO, BadInputTest.serverHello(0x0303, 0xc02b)))), UM, Release.NOTHING);
        // ---- issue 13: client-certificate messages our server did not ask for (it sent no CertificateRequest) ----
        server("client Certificate without a CertificateRequest (RFC5246-7.4.6)", c2(insertBefore(CKE,
                hs(HandshakeType.CERTIFICATE, new byte[] {0, 0, 0}))), UM, Release.NOTHING);
        server("client CertificateVerify without a CertificateRequest (RFC5246-7.4.8)", c2(insertBefore(CCS,
                hs(HandshakeType.CERTIFICATE_VERIFY, new byte[] {4, 3, 0, 0}))), UM, Release.NOTHING);
        server("SupplementalData the server never negotiated (RFC4680-2, DEVIATION (DEC-23) carrier)", c2(insertBefore(CKE,
                hs(HandshakeType.SUPPLEMENTAL_DATA, new byte[] {0, 0, 0}))), UM, Release.NOTHING);
        registerClientAuthCases();
        registerDec23Cases();
        // ---- hostile-peer limits (issue #14, HOSTILE.md) ----
        server("4 warning alerts in a row before ClientKeyExchange: within the limit", c2(insertBefore(CKE, 4, DeviantTraceCatalogueTest::warning)), "established", Release.APPLICATION_DATA);
        server("5 warning alerts in a row before ClientKeyExchange: over the limit of 4 (DEC-21)", c2(insertBefore(CKE, 5, DeviantTraceCatalogueTest::warning)), UM, Release.NOTHING);
        client("5 warning alerts in a row before ServerHelloDone: over the limit of 4 (DEC-21)", f1(insertBefore(SHD, 5, DeviantTraceCatalogueTest::warning)), UM, Release.NOTHING);
        server("32 empty application-data records after Finished: within the limit", c2(insertAfter(FIN, 32, DeviantTraceCatalogueTest::emptyAppData)), "established", Release.APPLICATION_DATA);
        server("33 empty application-data records after Finished: over the limit of 32 (DEC-21)", c2(insertAfter(FIN, 33, DeviantTraceCatalogueTest::emptyAppData)), UM, Release.APPLICATION_DATA);
        client("33 empty application-data records after Finished: over the limit of 32 (DEC-21)", f2(insertAfter(FIN, 33, DeviantTraceCatalogueTest::emptyAppData)), UM, Release.APPLICATION_DATA);
        server("ClientHello in 1-byte records (RFC5246-6.2.1: legal)", c1(records(CH, 1)), "established", Release.APPLICATION_DATA);
        server("a handshake message announcing 2^17+1 bytes (limit 2^17, DEC-21)", c1(then(insertBefore(CH, hs(99, new byte[0])), f -> { f.get(0).bytes[1] = 2; f.get(0).bytes[3] = 1; return f; })), DE, Release.NOTHING);
        server("a 2^17-byte handshake message in 1-byte records: reassembled in linear time, then refused", c1(then(insertBefore(CH, hs(99, new byte[(1 << 17) - 4])), records("unknown_handshake_type(99)", 1))), UM, Release.NOTHING);
        server("wrong direction: HelloRequest to a server", c1(insertBefore(CH, hs(HandshakeType.HELLO_REQUEST, new byte[0]))), UM, Release.NOTHING);
        server("ClientKeyExchange before ClientHello", c1(insertBefore(CH, hs(HandshakeType.CLIENT_KEY_EXCHANGE, new byte[] {1, 9}))), UM, Release.NOTHING);
        server("ChangeCipherSpec before ClientHello", c1(insertBefore(CH, Msg.ccs())), UM, Release.NOTHING);
        server("application data before ClientHello", c1(insertBefore(CH, appData())), UM, Release.NOTHING);
        // ---- our server, ClientHello extensions ----
        server("extended_master_secret missing (RFC7627-5.3, required)", c -> c.clientHelloExtensions = dropExt(ExtensionType.EXTENDED_MASTER_SECRET), HF, Release.NOTHING);
        server("signature_algorithms missing: RFC5246-7.4.1.4.1 default {sha1,ecdsa}, verified by the scripted client", c -> c.clientHelloExtensions = dropExt(ExtensionType.SIGNATURE_ALGORITHMS), "established", Release.APPLICATION_DATA);
        server("signature_algorithms missing, RSA suite only: default {sha1,rsa}", c -> { c.clientHelloExtensions = dropExt(ExtensionType.SIGNATURE_ALGORITHMS); c.suites = new int[] {org.proxyinfo.wire.CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}; }, "established", Release.APPLICATION_DATA);
        client("server Certificate holding PEM text inside the ASN.1Cert (RFC5246-7.4.2: DER only)", f1(f -> { int i = index(f, CERT); f.set(i, f.get(i).withBody(new org.proxyinfo.wire.Certificate(List.of(org.proxyinfo.pki.Pem.encode("CERTIFICATE", ders(TestCredentials.PKI.serverEcdsa()).get(0)).getBytes(StandardCharsets.US_ASCII))).encode())); return f; }), "bad_certificate", Release.NOTHING);
        client("server Certificate with a byte after the DER certificate (RFC5246-7.4.2)", f1(f -> { int i = index(f, CERT); byte[] der = ders(TestCredentials.PKI.serverEcdsa()).get(0); f.set(i, f.get(i).withBody(new org.proxyinfo.wire.Certificate(List.of(java.util.Arrays.copyOf(der, der.length + 1))).encode())); return f; }), "bad_certificate", Release.NOTHING);
        server("supported_groups missing: read as secp256r1 (RFC8422-4)", c -> c.clientHelloExtensions = dropExt(ExtensionType.SUPPORTED_GROUPS), "established", Release.APPLICATION_DATA);
        server("server_name missing: accepted", c -> c.clientHelloExtensions = dropExt(ExtensionType.SERVER_NAME), "established", Release.APPLICATION_DATA);
        server("ec_point_formats missing: uncompressed assumed (RFC8422-5.1.2)", c -> c.clientHelloExtensions = dropExt(ExtensionType.EC_POINT_FORMATS), "established", Release.APPLICATION_DATA);
        server("renegotiation_info missing: accepted (RFC5746-3.6)", c -> c.clientHelloExtensions = dropExt(ExtensionType.RENEGOTIATION_INFO), "established", Release.APPLICATION_DATA);
        server("supported_groups repeated (RFC5246-7.4.1.4)", c -> c.clientHelloExtensions = addExt(ExtensionType.SUPPORTED_GROUPS, new byte[] {0, 2, 0, 0x1d}), DE, Release.NOTHING);
        server("supported_groups odd length (RFC5246-4.3)", c -> c.clientHelloExtensions = setExt(ExtensionType.SUPPORTED_GROUPS, new byte[] {0, 3, 0, 0x1d, 0}), DE, Release.NOTHING);
        server("signature_algorithms truncated", c -> c.clientHelloExtensions = setExt(ExtensionType.SIGNATURE_ALGORITHMS, new byte[] {0, 4, 4, 3}), DE, Release.NOTHING);
        server("server_name truncated (RFC6066-3)", c -> c.clientHelloExtensions = setExt(ExtensionType.SERVER_NAME, new byte[] {0, 9, 0, 0, 3, 'a'}), DE, Release.NOTHING);
        server("renegotiation_info not empty (RFC5746-3.6)", c -> c.clientHelloExtensions = setExt(ExtensionType.RENEGOTIATION_INFO, new byte[] {2, 1, 2}), HF, Release.NOTHING);
        server("ec_point_formats without uncompressed (RFC8422-5.1.2)", c -> c.clientHelloExtensions = setExt(ExtensionType.EC_POINT_FORMATS, new byte[] {1, 1}), IP, Release.NOTHING);
        server("extended_master_secret with data (RFC7627-5.1)", c -> c.clientHelloExtensions = setExt(ExtensionType.EXTENDED_MASTER_SECRET, new byte[] {0}), DE, Release.NOTHING);
        server("proxy_info (any flag) to a plain server is ignored (DEC-19)", c -> c.clientHelloExtensions = addExt(TYPE, new byte[] {1, 2, 3}), "established", Release.APPLICATION_DATA);
        // ---- our server, client's second flight: no ChangeCipherSpec/Finished from the server ----
        server("ClientKeyExchange skipped (RFC5246-7.4.7)", c2(skip(CKE)), UM, Release.NOTHING);
        server("client ChangeCipherSpec skipped (RFC5246-7.1)", c2(skip(CCS)), UM, Release.NOTHING);
        server("client Finished skipped: the client goes silent", c2(skip(FIN)), "timeout", Release.NOTHING);
        server("ClientKeyExchange repeated", c2(repeat(CKE)), UM, Release.NOTHING);
        server("client ChangeCipherSpec repeated", c2(repeat(CCS)), UM, Release.NOTHING);
        server("client Finished repeated (after established)", c2(repeat(FIN)), UM, Release.APPLICATION_DATA);
        server("ClientKeyExchange and ChangeCipherSpec swapped", c2(swap(CKE, CCS)), UM, Release.NOTHING);
        server("client ChangeCipherSpec and Finished swapped", c2(swap(CCS, FIN)), UM, Release.NOTHING);
        server("ClientKeyExchange truncated (RFC5246-7.4.7)", c2(truncate(CKE)), DE, Release.NOTHING);
        server("ClientKeyExchange extended", c2(extend(CKE)), DE, Release.NOTHING);
        server("ClientKeyExchange public value corrupted: keys differ (RFC5246-6.2.3.3)", c2(patch(CKE, 5, -1)), "bad_record_mac", Release.NOTHING);
        server("ClientKeyExchange all-zero x25519 point (RFC8422-5.11)", c -> c.keyShareOverride = new byte[32], IP, Release.NOTHING);
        server("client Finished truncated (RFC5246-7.4.9)", c2(truncate(FIN)), DE, Release.NOTHING);
        server("client Finished extended", c2(extend(FIN)), DE, Release.NOTHING);
        server("client Finished verify_data corrupted (RFC5246-7.4.9)", c2(patch(FIN, 3, -1)), "decrypt_error", Release.NOTHING);
        server("client Finished record tampered (RFC5246-6.2.3.3)", c2(tamperRecord(FIN)), "bad_record_mac", Release.NOTHING);
        server("client Finished record version TLS 1.0 (RFC5246-6.2.1)", c2(recordVersion(FIN, 0x0301)), "protocol_version", Release.NOTHING);
        server("wrong direction: ServerHelloDone instead of ClientKeyExchange", c2(replace(CKE, hs(HandshakeType.SERVER_HELLO_DONE, new byte[0]))), UM, Release.NOTHING);
        server("wrong role: client Certificate nobody asked for (RFC5246-7.4.6)", c2(insertBefore(CKE, hs(HandshakeType.CERTIFICATE, new byte[] {0, 0, 0}))), UM, Release.NOTHING);
        server("ClientHello again instead of ClientKeyExchange", c2(replace(CKE, hs(HandshakeType.CLIENT_HELLO, BadInputTest.goodClientHello()))), UM, Release.NOTHING);
        server("application data instead of Finished", c2(replace(FIN, appData())), UM, Release.NOTHING);

        // ---- ProxyInfo (DEC-1..13) through the client's check: a scripted proxy's ServerHello ----
        proxyInfo("honest assertion (sanity: the catalogue's proxy is acceptable)", pi(p -> { }), "established");
        proxyInfo("flag 4 (DEC-3)", pi(p -> p.patch = b -> set(b, 0, 4)), IP);
        proxyInfo("flag client_to_proxy in ServerHello (DEC-3)", raw(new byte[] {0}), IP);
        proxyInfo("flag server_to_proxy in ServerHello (DEC-3)", raw(new byte[] {3}), IP);
        proxyInfo("flag proxy_to_server in ServerHello (DEC-3, DEC-20)", pi(p -> p.patch = b -> set(b, 0, 2)), IP);
        proxyInfo("empty extension_data", raw(new byte[0]), DE);
        proxyInfo("proxy_info twice (RFC5246-7.4.1.4)", pi(p -> { }).andThen(s -> s.serverHelloExtensions = l -> { l.add(new Extension(TYPE, new byte[] {1})); return l; }), DE);
        proxyInfo("revocation_checking_performed = 2 (DEC-7)", pi(p -> p.patch = b -> set(b, p.revOffset(), 2)), IP);
        proxyInfo("next_proxy_info flag client_to_proxy (DEC-4)", pi(p -> p.patch = b -> set(b, p.revOffset() + 1, 0)), IP);
        proxyInfo("next_proxy_info flag 9 (DEC-3)", pi(p -> p.patch = b -> set(b, p.revOffset() + 1, 9)), IP);
        proxyInfo("nesting 5 deep, past the limit of 4 (DEC-4)", raw(nested(5)), IP);
        proxyInfo("nesting 4 deep with empty signatures: decodes, signature fails (DEC-8)", raw(nested(4)), "decrypt_error");
        proxyInfo("empty ASN.1Cert in server_certificate_list (DEC-6)", raw(emptyCert()), DE);
        proxyInfo("server_certificate_list length overruns (DEC-6)", pi(p -> p.patch = b -> set(b, 6, 0x7f)), DE);
        proxyInfo("truncated by one byte", pi(p -> p.patch = b -> java.util.Arrays.copyOf(b, b.length - 1)), DE);
        proxyInfo("extended by one byte", pi(p -> p.patch = b -> java.util.Arrays.copyOf(b, b.length + 1)), DE);
        proxyInfo("signature over other bytes (another client_random, DEC-5 bound)", pi(p -> p.otherClientRandom = true), "decrypt_error");
        proxyInfo("DEC-5a: a ServerKeyExchange-layout signature (client_random || server_random || fields) as the assertion signature", pi(p -> p.serverKeyExchangeLayout = true), "decrypt_error");
        proxyInfo("signature by a key other than the session-1 certificate's (DEC-8)", pi(p -> p.key = TestCredentials.PKI.proxyB().privateKey()), "decrypt_error");
        proxyInfo("signature corrupted (DEC-8)", pi(p -> p.patch = b -> set(b, b.length - 1, b[b.length - 1] ^ 1)), "decrypt_error");
        proxyInfo("SignatureScheme not offered: ecdsa_secp384r1_sha384 (DEC-5)", pi(p -> p.patch = b -> set(b, p.revOffset() + 2, 5)), IP);
        proxyInfo("upstream version TLS 1.1 (DEC-11)", pi(p -> p.params = new ConnectionSecurityParameters(0x0302, 0xC02B, 0)), "insufficient_security");
        proxyInfo("upstream suite TLS_RSA_WITH_AES_128_CBC_SHA (DEC-11)", pi(p -> p.params = new ConnectionSecurityParameters(0x0303, 0x002F, 0)), "insufficient_security");
        proxyInfo("upstream compression 1 (DEC-11)", pi(p -> p.params = new ConnectionSecurityParameters(0x0303, 0xC02B, 1)), "insufficient_security");
        proxyInfo("carried chain for another host (DEC-10, RFC6125-6.4)", pi(p -> p.chain = ders(TestCredentials.PKI.serverWrongHost())), "bad_certificate");
        proxyInfo("carried chain expired (DEC-10)", pi(p -> p.chain = ders(TestCredentials.PKI.serverExpired())), "certificate_expired");
        proxyInfo("carried chain revoked (DEC-10)", pi(p -> p.chain = ders(TestCredentials.PKI.serverRevoked())), "certificate_revoked");
        proxyInfo("carried chain from an untrusted CA (DEC-10)", pi(p -> p.chain = ders(TestCredentials.PKI.proxyUntrusted())), "unknown_ca");
        proxyInfo("carried chain empty (DEC-10)", pi(p -> p.chain = List.of()), "bad_certificate");
        proxyInfo("session-1 certificate web-issued, not a proxy anchor (DEC-9)", pi(p -> { }).andThen(s -> s.credential = TestCredentials.of(TestCredentials.PKI.proxyWebIssued())), "access_denied");
        proxyInfo("session-1 certificate from an untrusted CA (DEC-9)", pi(p -> { }).andThen(s -> s.credential = TestCredentials.of(TestCredentials.PKI.proxyUntrusted())), "access_denied");

        // ---- our proxy as the server of session #1 (scripted client; the origin is our echo server) ----
        proxyDown("honest client (sanity)", c -> { }, "established", Release.APPLICATION_DATA);
        proxyDown("client without proxy_info (DEC-17 policy refuse)", c -> c.clientHelloExtensions = dropExt(TYPE), HF, Release.NOTHING);
        proxyDown("ClientHello proxy_info flag proxy_to_client (DEC-3)", c -> c.clientHelloExtensions = setExt(TYPE, new byte[] {1}), IP, Release.NOTHING);
        proxyDown("ClientHello proxy_info flag 7 (DEC-3)", c -> c.clientHelloExtensions = setExt(TYPE, new byte[] {7}), IP, Release.NOTHING);
        proxyDown("ClientHello proxy_info client_to_proxy with a body (DEC-3)", c -> c.clientHelloExtensions = setExt(TYPE, new byte[] {0, 0}), IP, Release.NOTHING);
        proxyDown("ClientHello repeated", c1(repeat(CH)), UM, Release.NOTHING);
        proxyDown("ClientHello truncated", c1(truncate(CH)), DE, Release.NOTHING);
        proxyDown("ClientKeyExchange skipped", c2(skip(CKE)), UM, Release.NOTHING);
        proxyDown("client ChangeCipherSpec skipped", c2(skip(CCS)), UM, Release.NOTHING);
        proxyDown("client Finished skipped: the client goes silent", c2(skip(FIN)), "timeout", Release.NOTHING);
        proxyDown("client Finished verify_data corrupted", c2(patch(FIN, 3, -1)), "decrypt_error", Release.NOTHING);
        proxyDown("client Finished record tampered", c2(tamperRecord(FIN)), "bad_record_mac", Release.NOTHING);
        proxyDown("ClientKeyExchange all-zero x25519 point", c -> c.keyShareOverride = new byte[32], IP, Release.NOTHING);
        proxyDown("application data instead of Finished", c2(replace(FIN, appData())), UM, Release.NOTHING);
        // ---- our proxy as the client of session #2 (our client downstream; a scripted origin) ----
        proxyUp("honest origin (sanity)", s -> { }, "established", Release.APPLICATION_DATA);
        proxyUp("ServerKeyExchange skipped", f1(skip(SKE)), UM, Release.NOTHING);
        proxyUp("Certificate repeated", f1(repeat(CERT)), UM, Release.NOTHING);
        proxyUp("ServerHelloDone skipped: the origin goes silent", f1(skip(SHD)), "timeout", Release.NOTHING);
        proxyUp("ServerHello truncated", f1(truncate(SH)), DE, Release.NOTHING);
        proxyUp("ServerKeyExchange signature corrupted (RFC5246-7.4.3)", f1(patch(SKE, -1, -1)), "decrypt_error", Release.NOTHING);
        proxyUp("origin certificate signature corrupted (DEC-15)", f1(patch(CERT, 6 + leafLen - 1, -1)), "bad_certificate", Release.NOTHING);
        proxyUp("extended_master_secret missing", s -> s.serverHelloExtensions = dropExt(ExtensionType.EXTENDED_MASTER_SECRET), HF, Release.NOTHING);
        proxyUp("early ChangeCipherSpec from the origin", f1(insertBefore(SHD, Msg.ccs())), UM, Release.NOTHING);
        proxyUp("origin Finished verify_data corrupted", f2(patch(FIN, 0, -1)), "decrypt_error", Release.KEYS);
        proxyUp("origin Finished record tampered", f2(tamperRecord(FIN)), "bad_record_mac", Release.KEYS);
        proxyUp("upstream proxy_info from a certificate that is no proxy (DEC-15, DEC-9)", s -> s.proxyInfo = (cr, sr) -> new byte[] {1}, "access_denied", Release.NOTHING);
        proxyUp("origin asks for a client certificate: session #2 answers with an empty Certificate, the origin sees an anonymous client (R7)",
                s -> {
                    s.certificateRequest = new org.proxyinfo.wire.CertificateRequest(new int[] {64, 1}, new int[] {0x0403, 0x0804, 0x0401},
                            List.of()).encode();
                    s.expectClientAuth = "empty";
                }, "established", Release.APPLICATION_DATA);
        proxyUp("upstream proxy_info flag 4 from an acceptable proxy (DEC-3)", s -> {
            s.credential = TestCredentials.of(TestCredentials.PKI.proxyB());
            s.proxyInfo = (cr, sr) -> new byte[] {4};
        }, IP, Release.NOTHING);
    }

    // ---- issue 13: our server asks for a client certificate (RFC5246-7.4.4, 7.4.6, 7.4.8) ------------------------

    static final String CV = "certificate_verify";

    static void registerClientAuthCases() {
        int need = org.proxyinfo.core.ServerHandshake.CLIENT_AUTH_NEED;
        int want = org.proxyinfo.core.ServerHandshake.CLIENT_AUTH_WANT;
        // the scripted client answers the CertificateRequest with Certificate, ClientKeyExchange, CertificateVerify
        // (signed by the impl's crypto over the real transcript), ChangeCipherSpec, Finished
        authServer("ECDSA client certificate and CertificateVerify (sanity)", need, c -> { }, "established", null, Release.APPLICATION_DATA);
        authServer("RSA client certificate and CertificateVerify (sanity)", need,
                c -> c.credential = TestCredentials.of(TestCredentials.PKI.clientRsa()), "established", null, Release.APPLICATION_DATA);
        authServer("empty Certificate (RFC5246-7.4.6)", need, c -> c.credential = null, HF, "RFC5246-7.4.6", Release.NOTHING);
        authServer("Certificate skipped, ClientKeyExchange first (RFC5246-7.4.6)", need, c2(skip(CERT)), UM, "RFC5246-7.4", Release.NOTHING);
        authServer("Certificate, then no CertificateVerify: ChangeCipherSpec (RFC5246-7.4.8)", need, c2(skip(CV)), UM, "RFC5246-7.4", Release.NOTHING);
        authServer("Certificate, then no CertificateVerify: Finished without ChangeCipherSpec (RFC5246-7.4.8)", need,
                c2(then(skip(CV), skip(CCS))), UM, "RFC5246-7.4", Release.NOTHING);
        authServer("CertificateVerify before Certificate (RFC5246-7.4.8)", need, c2(move(CV, CERT)), UM, "RFC5246-7.4", Release.NOTHING);
        authServer("CertificateVerify before ClientKeyExchange (RFC5246-7.4.8)", need, c2(move(CV, CKE)), UM, "RFC5246-7.4", Release.NOTHING);
        authServer("CertificateVerify repeated (RFC5246-7.4.8)", need, c2(repeat(CV)), UM, "RFC5246-7.4", Release.NOTHING);
        authServer("Certificate repeated (RFC5246-7.4.6)", need, c2(repeat(CERT)), UM, "RFC5246-7.4", Release.NOTHING);
        authServer("CertificateVerify signed by another key (RFC5246-7.4.8)", need,
                c -> c.certificateVerifyKey = TestCredentials.PKI.clientUntrusted().privateKey(), "decrypt_error", "RFC5246-7.4.8", Release.NOTHING);
        authServer("CertificateVerify signature corrupted (RFC5246-7.4.8)", need, c2(patch(CV, -1, -1)), "decrypt_error", "RFC5246-7.4.8", Release.NOTHING);
        authServer("CertificateVerify scheme ecdsa_sha1, not in the CertificateRequest (RFC5246-7.4.1.4.1)", need,
                c2(then(patch(CV, 0, 0x02), patch(CV, 1, 0x03))), IP, "RFC5246-7.4.1.4.1", Release.NOTHING);
        authServer("CertificateVerify scheme rsa_pkcs1_sha256 for an ECDSA key (RFC5246-7.4.1.4.1)", need,
                c2(then(patch(CV, 0, 0x04), patch(CV, 1, 0x01))), IP, "RFC5246-7.4.1.4.1", Release.NOTHING);
        authServer("CertificateVerify truncated (RFC5246-7.4.8)", need, c2(truncate(CV)), DE, "RFC5246-4", Release.NOTHING);
        authServer("CertificateVerify extended (RFC5246-7.4.8)", need, c2(extend(CV)), DE, "RFC5246-4", Release.NOTHING);
        authServer("CertificateVerify with only a scheme (RFC5246-7.4.8)", need,
                c2(f -> { int i = index(f, CV); f.set(i, f.get(i).withBody(new byte[] {4, 3})); return f; }), DE, "RFC5246-4", Release.NOTHING);
        authServer("client Certificate truncated (RFC5246-7.4.6)", need, c2(truncate(CERT)), DE, "RFC5246-4", Release.NOTHING);
        authServer("client chain from a CA outside the client trust store (RFC5246-7.4.6)", need,
                c -> c.credential = TestCredentials.of(TestCredentials.PKI.clientUntrusted()), "unknown_ca", "RFC5246-7.4.6", Release.NOTHING);
        authServer("a server certificate as client certificate, its root trusted: EKU serverAuth only (RFC5280-4.2.1.12)", need,
                c -> c.credential = TestCredentials.EC, "bad_certificate", "RFC5246-7.4.6: clientAuth", Release.NOTHING, TestCredentials.CA);
        authServer("SupplementalData before the Certificate, not negotiated (RFC4680-2, DEC-23)", need,
                c2(insertBefore(CERT, hs(HandshakeType.SUPPLEMENTAL_DATA, new byte[] {0, 0, 0}))), UM, "DEC-23", Release.NOTHING);
        // want: a client without a certificate goes on unauthenticated (the positive control), one with one is checked
        authServer("empty Certificate is served, unauthenticated (RFC5246-7.4.6)", want, c -> c.credential = null, "established", null, Release.APPLICATION_DATA);
        authServer("ECDSA client certificate and CertificateVerify (sanity)", want, c -> { }, "established", null, Release.APPLICATION_DATA);
        authServer("Certificate skipped: still required as a message (RFC5246-7.4.6)", want, c2(skip(CERT)), UM, "RFC5246-7.4", Release.NOTHING);
        authServer("client chain from a CA outside the client trust store (RFC5246-7.4.6)", want,
                c -> c.credential = TestCredentials.of(TestCredentials.PKI.clientUntrusted()), "unknown_ca", "RFC5246-7.4.6", Release.NOTHING);
        authServer("CertificateVerify signed by another key (RFC5246-7.4.8)", want,
                c -> c.certificateVerifyKey = TestCredentials.PKI.clientUntrusted().privateKey(), "decrypt_error", "RFC5246-7.4.8", Release.NOTHING);
    }

    // ---- issue 13, DEC-23 (impl/CLIENTCERT.md): our origin in the client-certificate mode, a scripted proxy -----------

    /** Our server as a DEC-23 origin (01-R14, 01-R16): client auth need, client trust = the test client CA, accepted
     *  proxies = the test proxy CA, the nonce in its server_to_proxy answer. */
    static TlsConfig dec23Origin(TlsConfig cfg) {
        BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());
        org.proxyinfo.clientcert.ClientCertModeServer mode = new org.proxyinfo.clientcert.ClientCertModeServer(crypto,
                new CertificateValidator(TestCredentials.PKI.clientTrust(), Clock.systemUTC(), RevocationPolicy.DEFAULT, List.of()),
                new CertificateValidator(TestCredentials.PKI.proxyTrust(), Clock.systemUTC(), RevocationPolicy.DEFAULT, List.of()));
        return cfg.clientAuth(org.proxyinfo.core.ServerHandshake.CLIENT_AUTH_NEED, TestCredentials.PKI.clientTrust(),
                        RevocationPolicy.DEFAULT, List.of())
                .clientCertMode(mode).proxyInfoType(TYPE)
                .extensions(ExtensionTable.DEFAULT.with(org.proxyinfo.clientcert.ClientCertModeEntry.server(TYPE, mode)));
    }

    /** What the scripted DEC-23 proxy of session #2 sends (each field honest unless a case changes it). */
    static final class Dec23Spec {
        Credential proxy = TestCredentials.PKI.proxy();
        /** The chain its proxy_to_server names (null: its own). */
        List<byte[]> namedChain;
        ServerCredential client = TestCredentials.of(TestCredentials.PKI.clientEcdsa());
        /** The key of the client's ProxyCertVerify (null: the client's). */
        PrivateKey proxyCertVerifyKey;
        boolean wrongNonce;
        boolean proxyToServer = true;
        UnaryOperator<byte[]> proxyToServerPatch = UnaryOperator.identity();
        UnaryOperator<byte[]> supplementalPatch = UnaryOperator.identity();
    }

    /**
     * A scripted proxy on session #2 (DEC-23): ClientHello with a proxy_to_server ProxyInfo signed by its key (the
     * client's client_to_proxy nested), then SupplementalData (the client's chain and its ProxyCertVerify over this
     * ServerHello's random, the origin's nonce and the proxy certificate), its own Certificate, ClientKeyExchange and
     * CertificateVerify (the impl's crypto over the real transcript).
     */
    static Consumer<ScriptedPeers.Client> dec23Proxy(Consumer<Dec23Spec> spec) {
        return c -> {
            Dec23Spec d = new Dec23Spec();
            spec.accept(d);
            BcTlsCrypto crypto = new BcTlsCrypto(DeterministicRandom.fromLabel("scripted DEC-23 proxy"));
            List<byte[]> proxyChain = ders(d.proxy);
            c.credential = TestCredentials.of(d.proxy);
            if (d.proxyToServer) {
                try {
                    byte[] pts = org.proxyinfo.proxyinfo.ProxyInfoCodec.encode(org.proxyinfo.clientcert.ProxyToServer.sign(crypto,
                            d.proxy.privateKey(), 0x0403, d.namedChain != null ? d.namedChain : proxyChain,
                            org.proxyinfo.proxyinfo.ProxyInfo.clientToProxy()));
                    c.clientHelloExtensions = addExt(TYPE, d.proxyToServerPatch.apply(pts));
                } catch (TlsFatalAlert e) {
                    throw new IllegalStateException(e);
                }
            }
            c.supplementalData = (sh, serverChain) -> {
                try {
                    byte[] nonce = new byte[32];
                    for (Extension e : sh.extensions) {
                        if (e.type == TYPE) {
                            nonce = org.proxyinfo.clientcert.ServerNonce.decode(e.data);
                        }
                    }
                    if (d.wrongNonce) {
                        nonce[0] ^= 1;
                    }
                    byte[] sig = org.proxyinfo.clientcert.ProxyCertVerify.sign(crypto,
                            d.proxyCertVerifyKey != null ? d.proxyCertVerifyKey : d.client.privateKey, 0x0403, sh.random, nonce,
                            proxyChain.get(0));
                    return d.supplementalPatch.apply(new org.proxyinfo.clientcert.ClientCertSupplement(
                            Certificates.encode(d.client.chain), 0x0403, sig).encode());
                } catch (TlsFatalAlert e) {
                    throw new IllegalStateException(e);
                }
            };
        };
    }

    static void origin(String id, Consumer<Dec23Spec> spec, UnaryOperator<List<Msg>> flight2, String expected, String requirement) {
        CASES.add(new Case("DEC-23 origin: " + id, false, null, dec23Proxy(spec).andThen(c2(flight2)), false, expected,
                expected.equals("established") ? Release.APPLICATION_DATA : Release.NOTHING, requirement,
                DeviantTraceCatalogueTest::dec23Origin));
    }

    static final String SUPP = "supplemental_data";

    static Case withRequirement(Case c, String requirement) {
        return new Case(c.id(), c.clientUnderTest(), c.server(), c.client(), c.proxyInfoClient(), c.expected(), c.allowed(), requirement,
                c.config());
    }

    static void registerDec23Cases() {
        UnaryOperator<List<Msg>> honest = UnaryOperator.identity();
        origin("honest scripted proxy (sanity: the origin names the forwarded client)", d -> { }, honest, "established", null);
        origin("proxy_to_server signature corrupted (01-R16)", d -> d.proxyToServerPatch = b -> set(b, b.length - 1, b[b.length - 1] ^ 1),
                honest, "decrypt_error", "01-R16");
        origin("proxy_to_server names another proxy's chain than its Certificate (01-R16)",
                d -> d.namedChain = ders(TestCredentials.PKI.proxyB()), honest, "access_denied", "01-R16");
        origin("a proxy the origin does not accept (01-R16)", d -> d.proxy = TestCredentials.PKI.proxyUntrusted(), honest,
                "access_denied", "01-R16");
        origin("ProxyCertVerify over a wrong nonce (01-R16: the origin's own nonce)", d -> d.wrongNonce = true, honest,
                "decrypt_error", "01-R16");
        origin("ProxyCertVerify by a key other than the client's (01-R16)",
                d -> d.proxyCertVerifyKey = TestCredentials.PKI.clientUntrusted().privateKey(), honest, "decrypt_error", "01-R16");
        origin("forwarded client chain from a CA outside the client trust (01-R16)",
                d -> d.client = TestCredentials.of(TestCredentials.PKI.clientUntrusted()), honest, "bad_certificate", "01-R16");
        CASES.add(new Case("DEC-23 origin: the proxy's own CertificateVerify signed by another key (01-R16)", false, null,
                dec23Proxy(d -> { }).andThen(c -> c.certificateVerifyKey = TestCredentials.PKI.proxyB().privateKey()), false,
                "decrypt_error", Release.NOTHING, "01-R16", DeviantTraceCatalogueTest::dec23Origin));
        origin("no proxy_to_server in the ClientHello, SupplementalData sent (DEC-23)", d -> d.proxyToServer = false, honest, UM, "DEC-23");
        origin("SupplementalData truncated (RFC 4680 section 3, DEC-23)", d -> { }, truncate(SUPP), DE, "RFC5246-4");
        origin("SupplementalData with trailing bytes (DEC-23)", d -> d.supplementalPatch = b -> java.util.Arrays.copyOf(b, b.length + 1), honest, DE, "RFC5246-4");
        // without a SupplementalData before it, the proxy's Certificate is an ordinary client certificate: its chain is
        // not in the client trust, so the origin never takes the proxy for the client (RFC5246-7.4.6)
        origin("SupplementalData skipped: the proxy's Certificate alone is no client identity (RFC5246-7.4.6)", d -> { }, skip(SUPP),
                "unknown_ca", "RFC5246-7.4.6");
        origin("SupplementalData after the Certificate (RFC4680-2: before it): refused at the Certificate", d -> { }, move(CERT, SUPP),
                "unknown_ca", "RFC5246-7.4.6");
        origin("SupplementalData repeated (RFC4680-2)", d -> { }, repeat(SUPP), UM, "RFC5246-7.4.6");

        // ---- our client asked for a certificate (RFC5246-7.4.4, 7.4.6): an optional CertificateRequest never breaks a
        // handshake (issue 13); the scripted server records and verifies what the client answered ----
        clientAuth("our client holds an ECDSA certificate: Certificate and CertificateVerify (RFC5246-7.4.6, 7.4.8)",
                TestCredentials.PKI.clientEcdsa(), new int[] {64, 1}, new int[] {0x0403, 0x0804, 0x0401}, "verified");
        clientAuth("our client holds an RSA certificate: Certificate and CertificateVerify (RFC5246-7.4.6, 7.4.8)",
                TestCredentials.PKI.clientRsa(), new int[] {64, 1}, new int[] {0x0403, 0x0804, 0x0401}, "verified");
        clientAuth("our client holds no certificate: an empty Certificate (RFC5246-7.4.6)", null, new int[] {64, 1},
                new int[] {0x0403, 0x0804, 0x0401}, "empty");
        clientAuth("only rsa_sign requested, our certificate is ECDSA: an empty Certificate (RFC5246-7.4.4)",
                TestCredentials.PKI.clientEcdsa(), new int[] {1}, new int[] {0x0403, 0x0804, 0x0401}, "empty");
        clientAuth("no requested scheme fits our ECDSA key: an empty Certificate (RFC5246-7.4.4)",
                TestCredentials.PKI.clientEcdsa(), new int[] {64, 1}, new int[] {0x0804, 0x0401}, "empty");

        // ---- our client (DEC-23, section 5 of impl/CLIENTCERT.md): the session-#1 client_cert_mode answer ----
        client("client_cert_mode in a ServerHello to a client that did not offer it (RFC5246-7.4.1.4, DEC-23)",
                s -> s.serverHelloExtensions = addExt(org.proxyinfo.clientcert.ClientCertModeOffer.TYPE, new byte[64]),
                "unsupported_extension", Release.NOTHING);
        CASES.set(CASES.size() - 1, withRequirement(CASES.get(CASES.size() - 1), "RFC5246-7.4.1.4"));
        clientMode("client_cert_mode answer of 63 bytes (DEC-23: 64)", new byte[63], DE, "RFC5246-4");
        clientMode("client_cert_mode answer of 65 bytes (DEC-23: 64)", new byte[65], DE, "RFC5246-4");
        clientMode("client_cert_mode answer empty (DEC-23: 64)", new byte[0], DE, "RFC5246-4");
        // the positive control: the answer carries the session-#2 server_random the signed ProxyInfo asserts and a nonce;
        // our client signs its ProxyCertVerify over them and the proxy's certificate, and the scripted proxy verifies it
        // with the client's key
        byte[] nonce = new byte[32];
        java.util.Arrays.fill(nonce, (byte) 0x5a);
        byte[] upstream = new byte[32];
        java.util.Arrays.fill(upstream, (byte) 0x2b);
        clientMode("client_cert_mode answer with the asserted server_random: SupplementalData with a ProxyCertVerify that verifies (DEC-23)",
                p -> p.upstreamRandom = upstream, s -> {
                    s.clientCertMode = (cr, sr) -> org.proxyinfo.clientcert.ClientCertModeOffer.encodeServerHello(upstream, nonce);
                    s.expectClientAuth = "verified";
                    s.expectSupplemental = body -> {
                        try {
                            org.proxyinfo.clientcert.ClientCertSupplement supp = org.proxyinfo.clientcert.ClientCertSupplement.decode(body);
                            return org.proxyinfo.clientcert.ProxyCertVerify.verify(new BcTlsCrypto(new SecureRandom()),
                                    TestCredentials.PKI.clientEcdsa().leaf().getPublicKey(), supp.signatureScheme, supp.proxyCertVerify,
                                    upstream, nonce, TestCredentials.PKI.proxy().leaf().getEncoded());
                        } catch (Exception e) {
                            return false;
                        }
                    };
                }, "established", null);
        // DEC-23 (F2): the client signs its ProxyCertVerify over the session-#1 certificate only if it is the one this
        // connection's ProxyInfo check accepted as hop 1's signer; a check result naming another proxy certificate
        // (proxy B's) refuses: the proxy certificate to sign is not the one checked (illegal_parameter)
        CASES.add(new Case("client, DEC-23 mode: the check accepted another proxy certificate than the session-#1 leaf (DEC-23: the client does not sign)",
                true, pi(p -> p.upstreamRandom = upstream).andThen(s -> {
                    s.clientCertMode = (cr, sr) -> org.proxyinfo.clientcert.ClientCertModeOffer.encodeServerHello(upstream, nonce);
                    s.certificateRequest = new org.proxyinfo.wire.CertificateRequest(new int[] {64, 1},
                            new int[] {0x0403, 0x0804, 0x0401}, List.of()).encode();
                }), null, true, "illegal_parameter", Release.NOTHING, "DEC-23: the proxy certificate to sign is not the session-#1 certificate",
                cfg -> cfg.extensions(ExtensionTable.DEFAULT.with(new ProxyInfoEntry()).with(org.proxyinfo.clientcert.ClientCertModeOffer.client()))
                        .proxyInfoCheck(verifierCheck(ders(TestCredentials.PKI.proxyB())))
                        .clientCertificate(TestCredentials.of(TestCredentials.PKI.clientEcdsa()))));
        // DEC-21: a value from the peer that is out of range (not the asserted server_random) is illegal_parameter
        clientMode("client_cert_mode server_random not the one the ProxyInfo asserts (DEC-23: the client does not sign)", new byte[64],
                "illegal_parameter", "DEC-23: server_random");
    }

    // ---- issue 13, DEC-23: our proxy in the client-certificate mode, a scripted client, our DEC-23 origin -----------

    /**
     * {@code expected}/{@code requirement}: the proxy's session-#1 alert and the requirement it names; {@code origin}:
     * "established" (the origin completed session #2 and names the forwarded client), "not established" (session #2 was
     * never completed: abandoned, 01-R15) or the origin's own alert and the requirement it names ("alert [ID]").
     */
    record Dec23ProxyCase(String id, Consumer<ScriptedPeers.Client> client, String expected, String requirement, String origin) { }

    static final List<Dec23ProxyCase> DEC23_PROXY_CASES = new ArrayList<>();

    /** What the scripted session-#1 client sends; honest unless a case changes it. */
    static final class Dec23ClientSpec {
        ServerCredential own = TestCredentials.of(TestCredentials.PKI.clientEcdsa());
        /** The key of the ProxyCertVerify (null: the client's own). */
        PrivateKey proxyCertVerifyKey;
        ServerCredential supplementalChain; // null: the client's own
        boolean wrongNonce;
        boolean offerMode = true;
        byte[] offerBody = new byte[0];
        UnaryOperator<byte[]> supplementalPatch = UnaryOperator.identity();
    }

    /**
     * A scripted DEC-23 client: offers proxy_info and client_cert_mode, holds the test client's ECDSA certificate, and
     * answers the proxy's CertificateRequest with SupplementalData (its chain and ProxyCertVerify over the server_random
     * and nonce of the proxy's client_cert_mode answer and the proxy's certificate), Certificate, ClientKeyExchange,
     * CertificateVerify (the impl's crypto over the real transcript), ChangeCipherSpec, Finished.
     */
    static Consumer<ScriptedPeers.Client> dec23Client(Consumer<Dec23ClientSpec> spec) {
        return c -> {
            Dec23ClientSpec d = new Dec23ClientSpec();
            spec.accept(d);
            BcTlsCrypto crypto = new BcTlsCrypto(DeterministicRandom.fromLabel("scripted DEC-23 client"));
            ServerCredential own = d.own;
            c.credential = own;
            UnaryOperator<List<Extension>> ext = addExt(TYPE, new byte[] {0});
            UnaryOperator<List<Extension>> offer = addExt(org.proxyinfo.clientcert.ClientCertModeOffer.TYPE, d.offerBody);
            c.clientHelloExtensions = d.offerMode ? l -> offer.apply(ext.apply(l)) : ext;
            c.supplementalData = (sh, proxyChain) -> {
                try {
                    byte[] answer = new byte[64];
                    for (Extension e : sh.extensions) {
                        if (e.type == org.proxyinfo.clientcert.ClientCertModeOffer.TYPE && e.data.length == 64) {
                            answer = e.data.clone();
                        }
                    }
                    byte[] random = java.util.Arrays.copyOfRange(answer, 0, 32);
                    byte[] nonce = java.util.Arrays.copyOfRange(answer, 32, 64);
                    if (d.wrongNonce) {
                        nonce[0] ^= 1;
                    }
                    byte[] sig = org.proxyinfo.clientcert.ProxyCertVerify.sign(crypto,
                            d.proxyCertVerifyKey != null ? d.proxyCertVerifyKey : own.privateKey, 0x0403, random, nonce, proxyChain.get(0));
                    ServerCredential chain = d.supplementalChain != null ? d.supplementalChain : own;
                    return d.supplementalPatch.apply(new org.proxyinfo.clientcert.ClientCertSupplement(Certificates.encode(chain.chain),
                            0x0403, sig).encode());
                } catch (TlsFatalAlert e) {
                    throw new IllegalStateException(e);
                }
            };
        };
    }

    static void proxyMode(String id, Consumer<Dec23ClientSpec> spec, Consumer<ScriptedPeers.Client> more, String expected, String requirement,
                          String origin) {
        DEC23_PROXY_CASES.add(new Dec23ProxyCase("DEC-23 proxy session #1: " + id, dec23Client(spec).andThen(more), expected, requirement, origin));
    }

    static {
        Consumer<ScriptedPeers.Client> none = c -> { };
        String never = "not established";
        proxyMode("honest client (sanity: the origin names the forwarded client)", d -> { }, none, "established", null, "established");
        proxyMode("client_cert_mode not offered (DEC-23: this proxy's origins require it)", d -> d.offerMode = false, none, HF, "DEC-23", never);
        proxyMode("client_cert_mode offered with a body (DEC-23: empty)", d -> d.offerBody = new byte[] {0}, none, DE, "DEC-23", never);
        proxyMode("no SupplementalData: no ProxyCertVerify (01-R15)", d -> { }, c -> c.supplementalData = null, "bad_certificate", "01-R15", never);
        // the client signed its CertificateVerify over a transcript with the SupplementalData: session #1's core refuses
        // the CertificateVerify first (it does not verify over what session #1 received), before the 01-R15 decision
        proxyMode("SupplementalData dropped on the wire after the client signed (RFC5246-7.4.8)", d -> { }, c2(skip(SUPP)),
                "decrypt_error", "RFC5246-7.4.8", never);
        proxyMode("SupplementalData truncated (RFC 4680 section 3, DEC-23)", d -> { }, c2(truncate(SUPP)), DE, "RFC5246-4", never);
        proxyMode("SupplementalData with trailing bytes (DEC-23)", d -> d.supplementalPatch = b -> java.util.Arrays.copyOf(b, b.length + 1), none, DE, "RFC5246-4", never);
        proxyMode("SupplementalData after the Certificate (RFC4680-2: before it)", d -> { }, c2(move(CERT, SUPP)), UM, "RFC5246-7.4", never);
        proxyMode("SupplementalData carries another chain than the Certificate (01-R15)",
                d -> d.supplementalChain = TestCredentials.of(TestCredentials.PKI.clientRsa()), none, "bad_certificate", "01-R15", never);
        proxyMode("empty Certificate (01-R15)", d -> { }, c -> c.credential = null, "bad_certificate", "01-R15", never);
        proxyMode("client CertificateVerify fails: both sessions abandoned (01-R15)", d -> { },
                c -> c.certificateVerifyKey = TestCredentials.PKI.clientUntrusted().privateKey(), "decrypt_error", "01-R15", never);
        proxyMode("client CertificateVerify corrupted: both sessions abandoned (01-R15)", d -> { }, c2(patch(CV, -1, -1)),
                "decrypt_error", "01-R15", never);
        proxyMode("client CertificateVerify with a scheme session #1 did not request (ecdsa_sha1)", d -> { },
                c -> c.certificateVerifyScheme = 0x0203, "illegal_parameter", "RFC5246-7.4.1.4.1", never);
        proxyMode("ProxyCertVerify over a wrong nonce: the origin refuses (01-R16), session #1 never finishes (01-R15)",
                d -> d.wrongNonce = true, none, HF, "01-R15", "decrypt_error [01-R16]");
        proxyMode("ProxyCertVerify by another key: the origin refuses (01-R16), session #1 never finishes (01-R15)",
                d -> d.proxyCertVerifyKey = TestCredentials.PKI.clientUntrusted().privateKey(), none, HF, "01-R15", "decrypt_error [01-R16]");
        proxyMode("a client chain outside the origin's client trust: the origin refuses (01-R16), session #1 never finishes (01-R15)",
                d -> d.own = TestCredentials.of(TestCredentials.PKI.clientUntrusted()), none, HF, "01-R15", "bad_certificate [01-R16]");
    }

    @TestFactory
    Stream<DynamicTest> dec23ProxyCatalogue() {
        return DEC23_PROXY_CASES.stream().map(c -> DynamicTest.dynamicTest(c.id() + " -> " + c.expected(), () -> runDec23ProxyCase(c)));
    }

    static void runDec23ProxyCase(Dec23ProxyCase c) throws Exception {
        ScriptedPeers.Tee[] tee = new ScriptedPeers.Tee[1];
        String[] stopped = new String[1];
        TlsConnection[] originConn = new TlsConnection[1];
        TlsProxy.Outcome outcome;
        java.net.InetAddress lo = java.net.InetAddress.getLoopbackAddress();
        try (java.net.ServerSocket originLs = new java.net.ServerSocket(0, 4, lo);
             java.net.ServerSocket proxyLs = new java.net.ServerSocket(0, 4, lo)) {
            originLs.setSoTimeout(10_000);
            TlsConfig originCfg = dec23Origin(new TlsConfig(new BcTlsCrypto(new SecureRandom())).credential(TestCredentials.EC)
                    .timeoutMillis(3000));
            Thread origin = new Thread(() -> {
                try (java.net.Socket s = originLs.accept()) {
                    TlsConnection conn = new TlsServer(originCfg).accept(new SocketTransport(s));
                    originConn[0] = conn;
                    if (conn.isEstablished()) {
                        byte[] buf = new byte[256];
                        while (conn.read(buf, 0, buf.length) >= 0) {
                            // until the proxy closes
                        }
                    }
                    conn.close();
                } catch (Exception e) {
                    // no connection from the proxy (it refused before opening session #2): originConn stays null
                }
            }, "dec23-origin");
            origin.start();
            ScriptedPeers.Client script = new ScriptedPeers.Client();
            c.client().accept(script);
            Thread peer = new Thread(() -> {
                try {
                    java.net.Socket s = new java.net.Socket(lo, proxyLs.getLocalPort());
                    s.setSoTimeout(3000);
                    SocketTransport t = new SocketTransport(s);
                    tee[0] = new ScriptedPeers.Tee(t.input());
                    script.run(t, tee[0]);
                    stopped[0] = script.stoppedBecause;
                } catch (java.io.IOException e) {
                    stopped[0] = "connect: " + e;
                }
            }, "scripted-dec23-client");
            peer.start();
            outcome = new TlsProxy(proxyConfig(originLs.getLocalPort()).clientCertMode(true).limits(4, 3000, 3000, 16 * 1024))
                    .handle(proxyLs.accept());
            // the proxy is done: a session #2 it opened was accepted before it could finish session #1 (DEC-23); one it
            // never opened is not waited for (closing the listener ends the origin's accept)
            peer.join(20_000);
            originLs.close();
            origin.join(20_000);
            assertFalse(peer.isAlive() || origin.isAlive(), c.id() + ": the scripted client and the origin finished");
        }
        TlsConnection conn = outcome.session1;
        assertTrue(conn != null, c.id() + ": no session #1 (" + outcome.describe() + ")");
        String got = conn.alertSent() >= 0 ? AlertDescription.name(conn.alertSent()) : conn.isEstablished() ? "established"
                : "no alert (" + conn.failureSummary() + ")";
        TlsConnection o = originConn[0];
        String originGot = o == null || (!o.isEstablished() && o.alertSent() < 0) ? "not established"
                : o.isEstablished() ? "established" : AlertDescription.name(o.alertSent()) + " [" + o.failureRequirement() + "]";
        Released r = released(tee[0] == null ? new byte[0] : tee[0].bytes(), false);
        ROWS.add(new String[] {c.id(), c.expected(), got, r.describe() + "; origin " + originGot,
                conn.failureRequirement() == null ? "" : conn.failureRequirement()});
        assertEquals(c.expected(), got, c.id() + ": " + outcome.describe() + " (" + conn.failureSummary() + "; peer: " + stopped[0] + ")");
        if (c.requirement() != null) {
            assertEquals(c.requirement(), conn.failureRequirement(), c.id() + ": the requirement named (" + conn.failureSummary() + ")");
        }
        assertEquals(c.origin(), originGot, c.id() + ": the origin's session #2" + (o == null ? "" : " (" + o.failureSummary() + ")"));
        if (got.equals("established")) {
            assertTrue(o.forwardedClient() != null, c.id() + ": the origin names the forwarded client (01-R16)");
        } else {
            // 01-R15: nothing of session #1 finished (no ChangeCipherSpec to the client), no application data either way
            assertEquals(Release.NOTHING, r.level, c.id() + ": released " + r.describe());
            assertEquals(0, outcome.bytesToServer + outcome.bytesToClient, c.id() + ": no application data relayed");
            assertTrue(outcome.session2 == null || !outcome.session2.isEstablished(), c.id() + ": session #2 abandoned (01-R15)");
        }
        if (conn.alertSent() >= 0) {
            assertEquals(1, r.alerts, c.id() + ": exactly one alert record");
            assertTrue(r.lastIsAlert, c.id() + ": the alert is the last record");
        }
    }

    /** Our client (holding {@code own}, or nothing) against a scripted server that asks for a certificate. */
    static void clientAuth(String id, Credential own, int[] types, int[] schemes, String seen) {
        byte[] request = new org.proxyinfo.wire.CertificateRequest(types, schemes, List.of()).encode();
        CASES.add(new Case("client, asked for a certificate: " + id, true, s -> {
            s.certificateRequest = request;
            s.expectClientAuth = seen;
        }, null, false, "established", Release.APPLICATION_DATA, null,
                cfg -> own == null ? cfg : cfg.clientCertificate(TestCredentials.of(own))));
    }

    /** Our client offering client_cert_mode with a client certificate; a scripted proxy (honest signed ProxyInfo) asks
     *  for a certificate and answers client_cert_mode with {@code answer}. */
    static void clientMode(String id, byte[] answer, String expected, String requirement) {
        clientMode(id, s -> s.serverHelloExtensions = addExt(org.proxyinfo.clientcert.ClientCertModeOffer.TYPE, answer), expected,
                requirement);
    }

    static void clientMode(String id, Consumer<ScriptedPeers.Server> answer, String expected, String requirement) {
        clientMode(id, p -> { }, answer, expected, requirement);
    }

    static void clientMode(String id, Consumer<PiSpec> spec, Consumer<ScriptedPeers.Server> answer, String expected, String requirement) {
        Consumer<ScriptedPeers.Server> s = pi(spec).andThen(answer).andThen(x -> {
            x.certificateRequest = new org.proxyinfo.wire.CertificateRequest(new int[] {64, 1}, new int[] {0x0403, 0x0804, 0x0401},
                    List.of()).encode();
        });
        CASES.add(new Case("client, DEC-23 mode: " + id, true, s, null, true, expected,
                expected.equals("established") ? Release.APPLICATION_DATA : Release.NOTHING, requirement,
                cfg -> cfg.extensions(ExtensionTable.DEFAULT.with(new ProxyInfoEntry()).with(org.proxyinfo.clientcert.ClientCertModeOffer.client()))
                        .clientCertificate(TestCredentials.of(TestCredentials.PKI.clientEcdsa()))));
    }

    // ---- DEC-22: the abbreviated handshake (RFC 5246 Figure 2, RFC 7627 section 5.3) ------------------------

    /**
     * A resumption case: a full handshake with an honest scripted peer makes a session (our role caches it), then the
     * scripted peer resumes it with a deviation. {@code requirement} is the requirement the role under test must name
     * with its alert (null for "established" and "timeout").
     */
    record ResumeCase(String id, boolean clientUnderTest, Consumer<ScriptedPeers.Server> server, Consumer<ScriptedPeers.Client> client,
                      String expected, String requirement, Release allowed, boolean proxied) { }

    static final List<ResumeCase> RESUME_CASES = new ArrayList<>();

    static {
        registerResumptionCases();
    }

    static void resumedClient(String id, Consumer<ScriptedPeers.Server> s, String expected, String requirement, Release allowed) {
        RESUME_CASES.add(new ResumeCase("client, resumed: " + id, true, s, null, expected, requirement, allowed, false));
    }

    /** DEC-22: the cached session was made with a scripted proxy (an honest signed ProxyInfo); the resumption deviates. */
    static void resumedProxied(String id, Consumer<PiSpec> spec, String expected, String requirement) {
        RESUME_CASES.add(new ResumeCase("client, resumed proxied: " + id, true, pi(spec), null, expected, requirement,
                expected.equals("established") ? Release.APPLICATION_DATA : Release.NOTHING, true));
    }

    static void resumedServer(String id, Consumer<ScriptedPeers.Client> c, String expected, String requirement, Release allowed) {
        RESUME_CASES.add(new ResumeCase("server, resumed: " + id, false, null, c, expected, requirement, allowed, false));
    }

    static void registerResumptionCases() {
        byte[] certBody = new org.proxyinfo.wire.Certificate(Certificates.encode(TestCredentials.EC.chain)).encode();
        // Messages out of place name RFC5246-7.4 (the order of RFC 5246 Figure 2, DEC-21: unexpected_message), as in the
        // full handshake; the resuming ServerHello's rules are named one by one (finding of this catalogue: they were all
        // named DEC-22; AbbreviatedHandshake.onServerHello now names them as ClientHandshake.onServerHello does).
        // ---- our client: the scripted server answers its offered session with ServerHello, CCS, Finished ----
        resumedClient("honest abbreviated handshake (sanity)", s -> { }, "established", null, Release.APPLICATION_DATA);
        resumedClient("server Certificate in an abbreviated handshake (RFC5246-7.3)", f1(insertBefore(CCS, hs(HandshakeType.CERTIFICATE, certBody))), UM, "RFC5246-7.4", Release.NOTHING);
        resumedClient("ServerKeyExchange in an abbreviated handshake (RFC5246-7.3)", f1(insertBefore(CCS, hs(HandshakeType.SERVER_KEY_EXCHANGE, new byte[] {3, 0, 0x1d, 1, 9}))), UM, "RFC5246-7.4", Release.NOTHING);
        resumedClient("ServerHelloDone in an abbreviated handshake (RFC5246-7.3)", f1(insertBefore(CCS, hs(HandshakeType.SERVER_HELLO_DONE, new byte[0]))), UM, "RFC5246-7.4", Release.NOTHING);
        resumedClient("server Finished before its ChangeCipherSpec (RFC5246-7.1)", f1(swap(CCS, FIN)), UM, "RFC5246-7.4", Release.NOTHING);
        resumedClient("server ChangeCipherSpec skipped (RFC5246-7.1)", f1(skip(CCS)), UM, "RFC5246-7.4", Release.NOTHING);
        resumedClient("server ChangeCipherSpec repeated (RFC5246-7.1)", f1(repeat(CCS)), UM, "RFC5246-7.4", Release.NOTHING);
        resumedClient("server Finished skipped, waiting for the client's first: the client never sends its Finished first (RFC5246-7.3)", f1(skip(FIN)), "timeout", null, Release.NOTHING);
        resumedClient("server Finished verify_data corrupted (RFC5246-7.4.9)", f1(patch(FIN, 0, -1)), "decrypt_error", "RFC5246-7.4.9", Release.NOTHING);
        resumedClient("server Finished record tampered (RFC5246-6.2.3.3)", f1(tamperRecord(FIN)), "bad_record_mac", "RFC5246-6.2.3.3", Release.NOTHING);
        resumedClient("application data before the server's Finished (RFC5246-7.3)", f1(insertBefore(FIN, appData())), UM, "RFC5246-7.4", Release.NOTHING);
        resumedClient("resumed ServerHello with another cipher suite than the cached session (RFC5246-7.4.1.3)", s -> s.resumedSuite = org.proxyinfo.wire.CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, IP, "RFC5246-7.4.1.3", Release.NOTHING);
        resumedClient("resumed ServerHello without extended_master_secret, the cached session had it (RFC7627-5.3)", s -> s.serverHelloExtensions = dropExt(ExtensionType.EXTENDED_MASTER_SECRET), HF, "RFC7627-5.3", Release.NOTHING);
        resumedClient("resumed ServerHello with proxy_info the client did not offer (RFC5246-7.4.1.4)", s -> s.proxyInfo = (cr, sr) -> new byte[] {1}, "unsupported_extension", "RFC5246-7.4.1.4", Release.NOTHING);
        resumedClient("ServerHello with another session_id (a full handshake), then ChangeCipherSpec (RFC5246-7.4.1.3)", s -> s.resumedSessionId = new byte[32], UM, "RFC5246-7.4", Release.NOTHING);
        resumedClient("resumed ServerHello.server_version TLS 1.1 (RFC5246-7.4.1.3)", f1(patch(SH, 1, 2)), "protocol_version", "RFC5246-7.4.1.3", Release.NOTHING);
        // ---- our client, a proxied session (DEC-22): the fresh ProxyInfo of the resuming ServerHello ----
        resumedProxied("honest fresh ProxyInfo (sanity)", p -> { }, "established", null);
        resumedProxied("fresh ProxyInfo reports another server chain than the cached one (DEC-22)", p -> p.chain = ders(TestCredentials.PKI.serverRsa()), IP, "DEC-22");
        resumedProxied("fresh ProxyInfo signed by a key other than the cached proxy's (DEC-22, DEC-8)", p -> p.key = TestCredentials.PKI.proxyB().privateKey(), "decrypt_error", "DEC-22");
        resumedProxied("fresh ProxyInfo signed over another client_random (DEC-22, DEC-5 bound)", p -> p.otherClientRandom = true, "decrypt_error", "DEC-22");
        resumedProxied("fresh ProxyInfo with an upstream suite below the policy (DEC-22, DEC-11)", p -> p.params = new ConnectionSecurityParameters(0x0303, 0x002F, 0), "insufficient_security", "DEC-22");
        RESUME_CASES.add(new ResumeCase("client, resumed proxied: no ProxyInfo in the resuming ServerHello (DEC-22)", true,
                s -> { }, null, HF, "DEC-22", Release.NOTHING, true));
        // ---- our server: the scripted client offers its session and answers the server's CCS, Finished ----
        resumedServer("honest abbreviated handshake (sanity)", c -> { }, "established", null, Release.APPLICATION_DATA);
        resumedServer("client ChangeCipherSpec skipped (RFC5246-7.1)", c2(skip(CCS)), UM, "RFC5246-7.4", Release.KEYS);
        resumedServer("client Finished before its ChangeCipherSpec (RFC5246-7.1)", c2(swap(CCS, FIN)), UM, "RFC5246-7.4", Release.KEYS);
        resumedServer("client Finished verify_data corrupted (RFC5246-7.4.9)", c2(patch(FIN, 3, -1)), "decrypt_error", "RFC5246-7.4.9", Release.KEYS);
        resumedServer("client Finished record tampered (RFC5246-6.2.3.3)", c2(tamperRecord(FIN)), "bad_record_mac", "RFC5246-6.2.3.3", Release.KEYS);
        resumedServer("client Finished skipped: the client goes silent", c2(skip(FIN)), "timeout", null, Release.KEYS);
        resumedServer("client Finished repeated (after established)", c2(repeat(FIN)), UM, "RFC5246-7.4", Release.APPLICATION_DATA);
        resumedServer("ClientKeyExchange in an abbreviated handshake (RFC5246-7.3)", c2(insertBefore(CCS, hs(HandshakeType.CLIENT_KEY_EXCHANGE, new byte[] {1, 9}))), UM, "RFC5246-7.4", Release.KEYS);
        resumedServer("client Certificate in an abbreviated handshake (RFC5246-7.3)", c2(insertBefore(CCS, hs(HandshakeType.CERTIFICATE, new byte[] {0, 0, 0}))), UM, "RFC5246-7.4", Release.KEYS);
        resumedServer("client Finished before the server's: sent with the ClientHello (RFC5246-7.3)", c1(insertAfter(CH, 1, () -> hs(HandshakeType.FINISHED, new byte[12]))), UM, "RFC5246-7.4", Release.KEYS);
        resumedServer("the cached EMS session offered without extended_master_secret (RFC7627-5.3)", c -> c.clientHelloExtensions = dropExt(ExtensionType.EXTENDED_MASTER_SECRET), HF, "RFC7627-5.3", Release.NOTHING);
    }

    @TestFactory
    Stream<DynamicTest> resumptionCatalogue() {
        return RESUME_CASES.stream().map(c -> DynamicTest.dynamicTest(c.id() + " -> " + c.expected(), () -> runResumeCase(c)));
    }

    /** One connection of a resumption case: our role with {@code cfg} against the configured scripted peer. */
    static Object[] runResumeConnection(boolean clientUnderTest, TlsConfig cfg, ScriptedPeers.Server ss, ScriptedPeers.Client sc)
            throws Exception {
        InMemoryTransport[] pair = InMemoryTransport.pair(1500);
        Transport roleEnd = clientUnderTest ? pair[0] : pair[1];
        Transport peerEnd = clientUnderTest ? pair[1] : pair[0];
        ScriptedPeers.Tee tee = new ScriptedPeers.Tee(peerEnd.input());
        String[] stopped = new String[1];
        Thread peer = clientUnderTest
                ? new Thread(() -> { ss.run(peerEnd, tee); stopped[0] = ss.stoppedBecause; }, "scripted-server")
                : new Thread(() -> { sc.run(peerEnd, tee); stopped[0] = sc.stoppedBecause; }, "scripted-client");
        peer.start();
        TlsConnection conn = clientUnderTest ? new TlsClient(cfg).connect(roleEnd, TestCredentials.HOST) : new TlsServer(cfg).accept(roleEnd);
        boolean established = exchangeAndClose(conn, peer);
        assertTrue(roleEnd.isClosed(), "connection closed");
        return new Object[] {conn, established, tee, stopped[0]};
    }

    /**
     * An established connection sends one record and reads until close_notify or an alert; then the connection is
     * closed and the scripted peer must have finished. Returns whether the handshake was established.
     */
    static boolean exchangeAndClose(TlsConnection conn, Thread peer) throws Exception {
        boolean established = conn.isEstablished();
        if (established) {
            conn.write("application data".getBytes(StandardCharsets.US_ASCII));
            byte[] buf = new byte[256];
            while (conn.read(buf, 0, buf.length) >= 0) {
                // until close_notify or an alert
            }
        }
        conn.close();
        peer.join(20_000);
        assertTrue(!peer.isAlive(), "scripted peer did not finish");
        return established;
    }

    static void runResumeCase(ResumeCase c) throws Exception {
        boolean client = c.clientUnderTest();
        SessionCache cache = new SessionCache();
        TlsConfig cfg = client && c.proxied() ? ProxyFixture.client(true, 10_000).sessionCache(cache)
                : client ? new TlsConfig(new BcTlsCrypto(new SecureRandom())).verifier(TestCredentials.verifier()).sessionCache(cache)
                : new TlsConfig(new BcTlsCrypto(new SecureRandom())).credential(TestCredentials.EC).credential(TestCredentials.RSA)
                        .sessionCache(cache);
        // 1. the session: a full handshake with an honest scripted peer
        ScriptedPeers.Resumable held = new ScriptedPeers.Resumable();
        ScriptedPeers.Server s0 = new ScriptedPeers.Server();
        ScriptedPeers.Client c0 = new ScriptedPeers.Client();
        s0.issue = held;
        c0.issue = held;
        if (c.proxied()) {
            pi(p -> { }).accept(s0); // a scripted proxy with an honest signed ProxyInfo (DEC-5 bound)
        }
        Object[] first = runResumeConnection(client, cfg, s0, c0);
        TlsConnection full = (TlsConnection) first[0];
        assertTrue((Boolean) first[1], c.id() + ": the full handshake that makes the session: " + full.failureSummary());
        assertTrue(held.id != null && held.id.length == 32 && cache.size() == 1, c.id() + ": a session was made and cached");
        // 2. the deviant resumption
        ScriptedPeers.Server s1 = new ScriptedPeers.Server();
        ScriptedPeers.Client c1 = new ScriptedPeers.Client();
        s1.resume = held;
        c1.resume = held;
        if (client) {
            if (c.proxied()) {
                s1.credential = TestCredentials.of(TestCredentials.PKI.proxy());
            }
            c.server().accept(s1);
        } else {
            c.client().accept(c1);
        }
        Object[] second = runResumeConnection(client, cfg, s1, c1);
        TlsConnection conn = (TlsConnection) second[0];
        boolean established = (Boolean) second[1];
        String got;
        if (conn.alertSent() >= 0) {
            got = AlertDescription.name(conn.alertSent());
        } else if (established) {
            got = "established";
        } else if (conn.failureSummary() != null && conn.failureSummary().contains("timed out")) {
            got = "timeout";
        } else {
            got = "no alert (" + conn.failureSummary() + ")";
        }
        Released r = released(((ScriptedPeers.Tee) second[2]).bytes(), client);
        ROWS.add(new String[] {c.id(), c.expected(), got, r.describe(), conn.failureRequirement() == null ? "" : conn.failureRequirement()});
        assertEquals(c.expected(), got, c.id() + " (" + conn.failureSummary() + "; peer: " + second[3] + ")");
        if (c.expected().equals("established")) {
            assertTrue(conn.resumed(), c.id() + ": the sanity case must really resume");
            assertEquals(c.proxied(), conn.proxied(), c.id() + ": proxied exactly when the cached session was");
        }
        if (c.requirement() != null) {
            // "ID" or "ID: text the failure summary must hold"
            String[] req = c.requirement().split(": ", 2);
            assertEquals(req[0], conn.failureRequirement(), c.id() + ": the requirement named with the alert ("
                    + conn.failureSummary() + ")");
            assertTrue(req.length == 1 || String.valueOf(conn.failureSummary()).contains(req[1]),
                    c.id() + ": the failure says " + conn.failureSummary());
        }
        assertTrue(r.level.ordinal() <= c.allowed().ordinal(), c.id() + ": released " + r.describe() + ", allowed " + c.allowed());
        if (conn.alertSent() >= 0) {
            assertEquals(1, r.alerts, c.id() + ": exactly one alert record");
            assertTrue(r.lastIsAlert, c.id() + ": the alert is the last record");
        }
    }

    // ---- ProxyInfo construction ---------------------------------------------------------------

    static final class PiSpec {
        ConnectionSecurityParameters params = new ConnectionSecurityParameters(0x0303, 0xC02B, 0);
        List<byte[]> chain = ders(TestCredentials.PKI.serverEcdsa());
        PrivateKey key = TestCredentials.PKI.proxy().privateKey();
        boolean otherClientRandom;
        /** The session-#2 server_random the assertion carries (null: a fresh random). */
        byte[] upstreamRandom;
        /** DEC-5a: sign ServerKeyExchange's layout (client_random || server_random || fields), no context string. */
        boolean serverKeyExchangeLayout;
        UnaryOperator<byte[]> patch = UnaryOperator.identity();

        /** Offset of revocation_checking_performed in the encoded ProxyInfo (flag, params, list, random). */
        int revOffset() {
            int n = 1 + 5 + 3;
            for (byte[] c : chain) {
                n += 3 + c.length;
            }
            return n + 32;
        }
    }

    static byte[] set(byte[] b, int off, int v) {
        b[off] = (byte) v;
        return b;
    }

    static List<byte[]> ders(Credential c) {
        List<byte[]> out = new ArrayList<>();
        for (java.security.cert.X509Certificate x : c.chain()) {
            try {
                out.add(x.getEncoded());
            } catch (java.security.cert.CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    /** A scripted proxy sending these proxy_info bytes (no signature made). */
    static Consumer<ScriptedPeers.Server> raw(byte[] data) {
        return s -> {
            s.credential = TestCredentials.of(TestCredentials.PKI.proxy());
            s.proxyInfo = (cr, sr) -> data.clone();
        };
    }

    /** A scripted proxy: the proxy credential, a ProxyInfo signed as the spec says, then the patch. */
    static Consumer<ScriptedPeers.Server> pi(Consumer<PiSpec> spec) {
        return s -> {
            PiSpec p = new PiSpec();
            spec.accept(p);
            s.credential = TestCredentials.of(TestCredentials.PKI.proxy());
            s.proxyInfo = (cr, sr) -> {
                try {
                    BcTlsCrypto crypto = new BcTlsCrypto(DeterministicRandom.fromLabel("scripted proxy"));
                    byte[] signedCr = p.otherClientRandom ? crypto.random(32) : cr;
                    SignedProxyInfo info = new ProxyInfoSigner(crypto, SigningMode.BOUND).sign(p.key, List.of(0x0403), signedCr, sr,
                            p.params, p.chain, p.upstreamRandom != null ? p.upstreamRandom : crypto.random(32), false,
                            new ProxyInfoCodec().decode(new byte[] {3}));
                    if (p.serverKeyExchangeLayout) {
                        byte[] sig = crypto.sign(p.key, 0x0403,
                                org.proxyinfo.wire.ServerKeyExchange.signedInput(signedCr, sr, info.encodedFields()));
                        info = new SignedProxyInfo(info.connectionParameters(), info.serverCertificateList(), info.serverRandom(),
                                info.revocationCheckingPerformed(), info.nextProxyInfo(),
                                new org.proxyinfo.proxyinfo.DigitallySigned(0x0403, sig));
                    }
                    return p.patch.apply(ProxyInfoCodec.encode(info));
                } catch (TlsFatalAlert e) {
                    throw new IllegalStateException(e);
                }
            };
        };
    }

    static void signedPrefix(TlsWriter w) {
        w.u8(1).u16(0x0303).u16(0xC02B).u8(0).u8(0).u16(0).bytes(new byte[32]).u8(0);
    }

    /** {@code depth} nested proxy_to_client structures with empty lists and empty signatures. */
    static byte[] nested(int depth) {
        TlsWriter w = new TlsWriter();
        for (int i = 0; i < depth; i++) {
            signedPrefix(w);
        }
        w.u8(3);
        for (int i = 0; i < depth; i++) {
            w.u16(0x0403).u16(0);
        }
        return w.toByteArray();
    }

    static byte[] emptyCert() {
        return new TlsWriter().u8(1).u16(0x0303).u16(0xC02B).u8(0).u8(0).u16(3).u8(0).u16(0).bytes(new byte[32]).u8(0).u8(3)
                .u16(0x0403).u16(0).toByteArray();
    }

    /** The client's proxy_info entry and check (DEC-8..13) on the proxyinfo package's verifier. */
    static final class ProxyInfoEntry implements TlsExtension {
        @Override public int type() { return TYPE; }
        @Override public String name() { return "proxy_info"; }
        @Override public byte[] produceClientHello(HelloContext ctx) { return new byte[] {0}; } // client_to_proxy (DEC-3)
        @Override public void consumeClientHello(HelloContext ctx, byte[] data) { }
        @Override public byte[] produceServerHello(HelloContext ctx) { return null; }
        @Override public void consumeServerHello(HelloContext ctx, byte[] data) { }
    }

    static ProxyInfoCheck verifierCheck() {
        return verifierCheck(null);
    }

    /**
     * @param reportedAccepted null: the check reports the session-#1 chain it verified hop 1 with as the accepted proxy
     *        chain (DEC-9, DEC-23); else it reports this chain instead (a check whose result is not the session's leaf)
     */
    static ProxyInfoCheck verifierCheck(List<byte[]> reportedAccepted) {
        java.util.concurrent.atomic.AtomicReference<List<byte[]>> accepted = new java.util.concurrent.atomic.AtomicReference<>();
        CertificateValidator proxyTrust = new CertificateValidator(TestCredentials.PKI.proxyTrust(), Clock.systemUTC(),
                RevocationPolicy.DEFAULT, List.of());
        ValidatorCertificateChecks checks = new ValidatorCertificateChecks(TestCredentials.PKI.proxyTrust(), List.of(),
                TestCredentials.PKI.webTrust(), RevocationPolicy.DEFAULT, TestCredentials.PKI.webCrls(), Clock.systemUTC());
        return new ProxyInfoCheck() {
            @Override public int extensionType() { return TYPE; }

            @Override public String verifyProxyCertificate(List<byte[]> chainDer) throws TlsFatalAlert {
                return proxyTrust.validateProxy(chainDer).summary();
            }

            @Override public String check(Facts f, org.proxyinfo.core.ProxyInfoDecision decision) throws TlsFatalAlert {
                SignedProxyInfo info = new ProxyInfoCodec().decodeFromServerHello(f.proxyInfo);
                List<Integer> offered = new ArrayList<>();
                for (int s : f.offeredSignatureSchemes) {
                    offered.add(s);
                }
                new ProxyInfoVerifier(new BcTlsCrypto(new SecureRandom()), SigningMode.BOUND, offered, checks,
                        UpstreamPolicy.defaults(), TraceSink.NONE).verify(decision, true, info, Certificates.parse(f.proxyChainDer),
                        f.serverName, f.clientRandom, f.serverRandom);
                accepted.set(reportedAccepted != null ? reportedAccepted : f.proxyChainDer);
                return "ProxyInfo accepted";
            }

            @Override public List<byte[]> acceptedProxyChain() { return accepted.get(); }
        };
    }

    // ---- running one case ----------------------------------------------------------------------

    private static int threadsBefore;

    @BeforeAll
    static void before() {
        threadsBefore = Leaks.threads();
    }

    @TestFactory
    Stream<DynamicTest> catalogue() {
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c.id() + " -> " + c.expected(), () -> runCase(c)));
    }

    static void runCase(Case c) throws Exception {
        InMemoryTransport[] pair = InMemoryTransport.pair(1500);
        Transport roleEnd = c.clientUnderTest() ? pair[0] : pair[1];
        Transport peerEnd = c.clientUnderTest() ? pair[1] : pair[0];
        ScriptedPeers.Tee tee = new ScriptedPeers.Tee(peerEnd.input());
        String[] stopped = new String[1];
        String[] serverSaw = new String[1];
        @SuppressWarnings("unchecked")
        java.util.function.Predicate<byte[]>[] serverSupp = new java.util.function.Predicate[1];
        byte[][] serverSuppBody = new byte[1][];
        Thread peer;
        if (c.clientUnderTest()) {
            ScriptedPeers.Server s = new ScriptedPeers.Server();
            c.server().accept(s);
            peer = new Thread(() -> {
                s.run(peerEnd, tee);
                stopped[0] = s.stoppedBecause;
                serverSaw[0] = s.clientAuthSeen;
                serverSupp[0] = s.expectSupplemental;
                serverSuppBody[0] = s.supplementalSeen;
            }, "scripted-server");
        } else {
            ScriptedPeers.Client s = new ScriptedPeers.Client();
            c.client().accept(s);
            peer = new Thread(() -> { s.run(peerEnd, tee); stopped[0] = s.stoppedBecause; }, "scripted-client");
        }
        peer.start();
        TlsConnection conn;
        if (c.clientUnderTest()) {
            TlsConfig cfg = new TlsConfig(new BcTlsCrypto(new SecureRandom())).verifier(TestCredentials.verifier());
            if (c.proxyInfoClient()) {
                cfg.extensions(ExtensionTable.DEFAULT.with(new ProxyInfoEntry())).proxyInfoCheck(verifierCheck());
            }
            conn = new TlsClient(c.config().apply(cfg)).connect(roleEnd, TestCredentials.HOST);
        } else {
            TlsConfig cfg = new TlsConfig(new BcTlsCrypto(new SecureRandom())).credential(TestCredentials.EC).credential(TestCredentials.RSA);
            conn = new TlsServer(c.config().apply(cfg)).accept(roleEnd);
        }
        boolean established = exchangeAndClose(conn, peer);
        if (c.clientUnderTest()) {
            ScriptedPeers.Server probe = new ScriptedPeers.Server();
            c.server().accept(probe);
            if (probe.expectClientAuth != null) { // RFC5246-7.4.6, 7.4.8: what our client answered, as the peer saw it
                assertEquals(probe.expectClientAuth, serverSaw[0], c.id() + ": our client's answer to the CertificateRequest");
            }
            if (probe.expectSupplemental != null) { // DEC-23: the SupplementalData our client sent, checked by the peer
                assertTrue(serverSupp[0] != null && serverSupp[0].test(serverSuppBody[0]), c.id() + ": our client's ProxyCertVerify verifies");
            }
        }

        String got;
        if (conn.alertSent() >= 0) {
            got = AlertDescription.name(conn.alertSent());
        } else if (established) {
            got = "established";
        } else if (conn.failureSummary() != null && conn.failureSummary().contains("timed out")) {
            got = "timeout";
        } else {
            got = "no alert (" + conn.failureSummary() + ")";
        }
        Released r = released(tee.bytes(), c.clientUnderTest());
        ROWS.add(new String[] {c.id(), c.expected(), got, r.describe(), conn.failureRequirement() == null ? "" : conn.failureRequirement()});
        assertTrue(List.of(c.expected().split("\\|")).contains(got),
                c.id() + ": expected " + c.expected() + ", got " + got + " (" + conn.failureSummary() + "; peer: " + stopped[0] + ")");
        assertTrue(r.level.ordinal() <= c.allowed().ordinal(), c.id() + ": released " + r.describe() + ", allowed " + c.allowed());
        assertTrue(roleEnd.isClosed(), "connection closed");
        if (c.requirement() != null) {
            // "ID" or "ID: text the failure summary must hold"
            String[] req = c.requirement().split(": ", 2);
            assertEquals(req[0], conn.failureRequirement(), c.id() + ": the requirement named with the alert ("
                    + conn.failureSummary() + ")");
            assertTrue(req.length == 1 || String.valueOf(conn.failureSummary()).contains(req[1]),
                    c.id() + ": the failure says " + conn.failureSummary());
        }
        if (!c.clientUnderTest() && c.client() != null && got.equals("established")) {
            // RFC5246-7.4.6, 7.4.8: authenticated exactly when the scripted client sent a chain and its CertificateVerify
            ScriptedPeers.Client probe = new ScriptedPeers.Client();
            c.client().accept(probe);
            assertEquals(probe.credential != null, conn.clientAuthenticated(), c.id() + ": client authenticated");
            if (probe.supplementalData != null) { // DEC-23 (01-R16): the origin names the client the proxy forwarded
                assertTrue(conn.forwardedClient() != null, c.id() + ": the origin names the forwarded client");
            }
        }
        if (conn.alertSent() >= 0) {
            assertEquals(1, r.alerts, c.id() + ": exactly one alert record");
            assertTrue(r.lastIsAlert, c.id() + ": the alert is the last record");
            if (r.lastAlertPlain != null) {
                assertEquals(2, r.lastAlertPlain[0], "fatal level");
                assertEquals(conn.alertSent(), r.lastAlertPlain[1] & 0xff);
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> proxyCatalogue() {
        return PROXY_CASES.stream().map(c -> DynamicTest.dynamicTest(c.id() + " -> " + c.expected(), () -> runProxyCase(c)));
    }

    static ProxyConfig proxyConfig(int upstreamPort) {
        Credential own = TestCredentials.PKI.proxy();
        return new ProxyConfig(new BcTlsCrypto(new SecureRandom()), new ServerCredential(own.privateKey(), own.chain()))
                .webTrust(TestCredentials.PKI.webTrust(), RevocationPolicy.DEFAULT, TestCredentials.PKI.webCrls())
                .proxyTrust(TestCredentials.PKI.proxyTrust()).upstream("127.0.0.1", upstreamPort).limits(4, 1500, 3000, 16 * 1024)
                .connectTimeoutMillis(1500);
    }

    static void runProxyCase(ProxyCase c) throws Exception {
        ScriptedPeers.Server[] originScript = new ScriptedPeers.Server[1];
        ScriptedPeers.Tee[] tee = new ScriptedPeers.Tee[1];
        String[] stopped = new String[1];
        TlsProxy.Outcome outcome;
        TlsConnection clientConn = null;
        try (java.net.ServerSocket ls = new java.net.ServerSocket(0, 4, java.net.InetAddress.getLoopbackAddress())) {
            if (c.downstream()) {
                try (ProxyFixture.EchoOrigin origin = new ProxyFixture.EchoOrigin(0)) {
                    ScriptedPeers.Client script = new ScriptedPeers.Client();
                    c.client().accept(script);
                    Thread peer = new Thread(() -> {
                        try {
                            java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), ls.getLocalPort());
                            s.setSoTimeout(1500);
                            SocketTransport t = new SocketTransport(s);
                            tee[0] = new ScriptedPeers.Tee(t.input());
                            script.run(t, tee[0]);
                            stopped[0] = script.stoppedBecause;
                        } catch (java.io.IOException e) {
                            stopped[0] = "connect: " + e;
                        }
                    }, "scripted-client");
                    peer.start();
                    outcome = new TlsProxy(proxyConfig(origin.port())).handle(ls.accept());
                    peer.join(20_000);
                }
            } else {
                ScriptedPeers.Server script = new ScriptedPeers.Server();
                c.server().accept(script);
                originScript[0] = script;
                Thread peer = new Thread(() -> {
                    try (java.net.Socket s = ls.accept()) {
                        s.setSoTimeout(1500);
                        SocketTransport t = new SocketTransport(s);
                        tee[0] = new ScriptedPeers.Tee(t.input());
                        script.run(t, tee[0]);
                        stopped[0] = script.stoppedBecause;
                    } catch (java.io.IOException e) {
                        stopped[0] = "accept: " + e;
                    }
                }, "scripted-origin");
                peer.start();
                try (java.net.ServerSocket pl = new java.net.ServerSocket(0, 4, java.net.InetAddress.getLoopbackAddress())) {
                    TlsProxy.Outcome[] out = new TlsProxy.Outcome[1];
                    Thread proxyThread = new Thread(() -> {
                        try {
                            out[0] = new TlsProxy(proxyConfig(ls.getLocalPort())).handle(pl.accept());
                        } catch (java.io.IOException e) {
                            // reported below as no outcome
                        }
                    }, "proxy-under-test");
                    proxyThread.start();
                    clientConn = new TlsClient(ProxyFixture.client(true, 10_000))
                            .connect(SocketTransport.connect("127.0.0.1", pl.getLocalPort(), 10_000), ProxyFixture.HOST);
                    if (clientConn.isEstablished()) {
                        clientConn.write("application data".getBytes(StandardCharsets.US_ASCII));
                        byte[] buf = new byte[64];
                        clientConn.read(buf, 0, buf.length); // the origin script closes after its Finished
                    }
                    clientConn.close();
                    proxyThread.join(20_000);
                    outcome = out[0];
                }
                peer.join(20_000);
            }
        }
        assertTrue(outcome != null, c.id() + ": the proxy returned no outcome");
        TlsConnection conn = c.downstream() ? outcome.session1 : outcome.session2;
        assertTrue(conn != null, c.id() + ": no session (" + outcome.describe() + ")");
        String got;
        if (conn.alertSent() >= 0) {
            got = AlertDescription.name(conn.alertSent());
        } else if (conn.isEstablished()) {
            got = "established";
        } else if (conn.failureSummary() != null && conn.failureSummary().contains("timed out")) {
            got = "timeout";
        } else {
            got = "no alert (" + conn.failureSummary() + ")";
        }
        Released r = released(tee[0] == null ? new byte[0] : tee[0].bytes(), !c.downstream());
        String extra = clientConn == null ? "" : clientConn.isEstablished() ? "; client established"
                : "; client refused: " + (clientConn.alertReceived() >= 0 ? AlertDescription.name(clientConn.alertReceived()) : clientConn.failureSummary());
        ROWS.add(new String[] {c.id(), c.expected(), got, r.describe() + extra, conn.failureRequirement() == null ? "" : conn.failureRequirement()});
        assertEquals(c.expected(), got, c.id() + ": " + outcome.describe() + " (peer: " + stopped[0] + ")");
        if (originScript[0] != null && originScript[0].expectClientAuth != null) { // R7: what session #2 answered
            assertEquals(originScript[0].expectClientAuth, originScript[0].clientAuthSeen, c.id() + ": the proxy's answer to the CertificateRequest");
        }
        assertTrue(r.level.ordinal() <= c.allowed().ordinal(), c.id() + ": released " + r.describe() + ", allowed " + c.allowed());
        if (!got.equals("established")) {
            assertEquals(0, outcome.bytesToServer + outcome.bytesToClient, c.id() + ": no application data relayed");
            if (clientConn != null) {
                assertFalse(clientConn.isEstablished(), c.id() + ": the downstream client must not be established");
            }
        }
        if (conn.alertSent() >= 0) {
            assertEquals(1, r.alerts, c.id() + ": exactly one alert record");
            assertTrue(r.lastIsAlert, c.id() + ": the alert is the last record");
        }
    }

    /** What the role put on the wire, from the records' headers (and plaintext handshake types). */
    static final class Released {
        Release level = Release.NOTHING;
        int alerts;
        boolean lastIsAlert;
        byte[] lastAlertPlain;
        final List<String> kinds = new ArrayList<>();

        String describe() {
            return level + " " + kinds;
        }
    }

    static Released released(byte[] b, boolean client) {
        Released r = new Released();
        boolean encrypted = false;
        int pos = 0;
        while (pos + 5 <= b.length) {
            int type = b[pos] & 0xff;
            int len = ((b[pos + 3] & 0xff) << 8) | (b[pos + 4] & 0xff);
            int end = Math.min(b.length, pos + 5 + len);
            String kind = ContentType.name(type);
            r.lastIsAlert = type == ContentType.ALERT;
            if (type == ContentType.ALERT) {
                r.alerts++;
                r.lastAlertPlain = encrypted ? null : java.util.Arrays.copyOfRange(b, pos + 5, end);
            } else if (type == ContentType.CHANGE_CIPHER_SPEC) {
                encrypted = true;
                r.level = max(r.level, Release.KEYS);
            } else if (type == ContentType.APPLICATION_DATA) {
                r.level = Release.APPLICATION_DATA;
            } else if (type == ContentType.HANDSHAKE && !encrypted && end > pos + 5) {
                int hsType = b[pos + 5] & 0xff;
                kind = HandshakeType.name(hsType);
                if (client && hsType == HandshakeType.CLIENT_KEY_EXCHANGE) {
                    r.level = max(r.level, Release.KEYS);
                }
            }
            r.kinds.add(kind);
            pos = end;
        }
        return r;
    }

    static Release max(Release a, Release b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }

    @AfterAll
    static void printTable() throws Exception {
        List<String[]> rows = new ArrayList<>(ROWS);
        int w0 = 4;
        int w1 = 8;
        for (String[] r : rows) {
            w0 = Math.max(w0, r[0].length());
            w1 = Math.max(w1, r[1].length());
        }
        StringBuilder b = new StringBuilder("\nDeviant-trace catalogue (issue #7): " + rows.size() + " cases\n");
        String fmt = "%-" + w0 + "s  %-" + w1 + "s  %-22s  %s%n";
        b.append(String.format(fmt, "case", "expected", "got", "released / requirement"));
        for (String[] r : rows) {
            b.append(String.format(fmt, r[0], r[1], r[2], r[3] + (r[4].isEmpty() ? "" : "  [" + r[4] + "]")));
        }
        System.out.println(b);
        Path out = Path.of("target", "deviant-catalogue.txt");
        if (Files.isDirectory(out.getParent())) {
            Files.writeString(out, b.toString());
        }
        Leaks.assertNoThreadLeak(threadsBefore);
    }

}
