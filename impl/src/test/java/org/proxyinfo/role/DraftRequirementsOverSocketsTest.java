package org.proxyinfo.role;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.proxyinfo.adversary.Adversary;
import org.proxyinfo.adversary.Attack;
import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.core.ProxyHandshake;
import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.ext.ExtensionTable;
import org.proxyinfo.pki.Credential;
import org.proxyinfo.pki.RevocationPolicy;
import org.proxyinfo.pki.TestPki;
import org.proxyinfo.proxyinfo.ProxyInfoCodec;
import org.proxyinfo.proxyinfo.ProxyInfoExtension;
import org.proxyinfo.proxyinfo.ProxyInfoSigner;
import org.proxyinfo.proxyinfo.ProxyInfoTableEntry;
import org.proxyinfo.proxyinfo.SignedProxyInfo;
import org.proxyinfo.proxyinfo.SigningMode;
import org.proxyinfo.proxyinfo.UpstreamPolicy;
import org.proxyinfo.proxyinfo.ValidatorCertificateChecks;
import org.proxyinfo.trace.TraceSink;

/**
 * The draft's proxy and client requirements that had been named only in main-code comments (the
 * traceability matrix now fails on such an ID), each exercised here with real roles over loopback
 * sockets: our TlsClient (or SunJSSE as a deployed client), our proxy ({@link ProxyServer} on
 * {@link TlsProxy}) and our TlsServer as the origin, with the committed-seed test PKI.
 *
 * <ul>
 *   <li>00-R4 / 01-R5: the revocation flag is true exactly when the proxy checked session #2's chain;</li>
 *   <li>00-R5 / 01-R6: the proxy checks the origin's identity (RFC 2818 section 3.1) against the host the client meant;</li>
 *   <li>00-R6 / 01-R7: the commonly deployed extensions are negotiated on both sessions, and a deployed client's
 *       ClientHello (SunJSSE's) goes through, each of its extensions examined and forwarded, processed or dropped
 *       (00-R7 / 01-R8, whose only other test citations were in KeY's mutant copies of core classes);</li>
 *   <li>00-R8 / 01-R9: when the flag is false the client checks revocation itself;</li>
 *   <li>00-R9 / 01-R10: for a client without the extension the proxy still validates the server's certificates;</li>
 *   <li>00-R11 / 01-R12: the client's steps 1 to 5, each refusing what fails it;</li>
 *   <li>00-R12 / 01-R13: the proxy's steps 1 to 5 (only for an offering client; offered upstream; built, nested
 *       and signed with the private key of its session-#1 certificate; returned in session #1's ServerHello).</li>
 * </ul>
 */
class DraftRequirementsOverSocketsTest {
    static final TestPki PKI = TestCredentials.PKI;
    static final String HOST = TestPki.ORIGIN_HOST;
    static final int CODE_POINT = ProxyInfoExtension.DEFAULT_EXTENSION_TYPE;
    static final int TIMEOUT = 10_000;

    // ---- what the roles report ---------------------------------------------------------------

    record Msg(String role, String leg, String direction, String name, List<String> extensions) { }

    record Check(String role, String leg, String requirementId, String what, boolean passed, String detail) { }

    /** Keeps the messages (with their extension names) and the checks every role reports. */
    static final class Sink implements TraceSink {
        final List<Msg> messages = Collections.synchronizedList(new ArrayList<>());
        final List<Check> checks = Collections.synchronizedList(new ArrayList<>());

        @Override public void message(String role, String leg, String direction, String contentType, String messageName,
                                      Map<String, Object> fields, byte[] raw, List<Integer> recordBoundaries) {
            List<String> ext = new ArrayList<>();
            if (fields != null && fields.get("extensions") instanceof List<?> l) {
                for (Object o : l) {
                    if (o instanceof Map<?, ?> m) {
                        ext.add(String.valueOf(m.get("type")));
                    }
                }
            }
            messages.add(new Msg(role, leg, direction, messageName, ext));
        }

        @Override public void transition(String role, String leg, String from, String to, String trigger) { }

        @Override public void check(String role, String leg, String requirementId, String what, boolean passed, String detail) {
            checks.add(new Check(role, leg, requirementId, what, passed, detail));
        }

        @Override public void claim(String role, String leg, String claim, Map<String, Object> params) { }

        @Override public void secret(String role, String leg, String name, byte[] value) { }

        @Override public void outcome(String role, String leg, boolean established, String alert, String sentBy,
                                      String requirementId, String message) { }

        /** The extensions of the one message {@code role} sent or received under this name on this leg. */
        List<String> extensionsOf(String role, String leg, String direction, String name) {
            synchronized (messages) {
                List<Msg> found = messages.stream().filter(m -> m.role().equals(role) && m.leg().equals(leg)
                        && m.direction().equals(direction) && m.name().equals(name)).toList();
                assertEquals(1, found.size(), role + " " + direction + " " + name + " on " + leg + ": " + messages);
                return found.get(0).extensions();
            }
        }
    }

    // ---- the parties ---------------------------------------------------------------------------

    /** Our TlsServer on loopback with one credential, echoing ({@link ProxyFixture.EchoOrigin}); keeps each connection it accepted. */
    static final class Origin implements AutoCloseable {
        final ProxyFixture.EchoOrigin echo;

        Origin(Credential credential, TraceSink sink) throws IOException {
            echo = new ProxyFixture.EchoOrigin(new TlsConfig(new BcTlsCrypto(new SecureRandom()))
                    .credential(TestCredentials.of(credential)).timeoutMillis(TIMEOUT).trace(sink).roleName("server").leg("session2"));
        }

        int port() { return echo.port(); }

        TlsConnection next() throws InterruptedException {
            TlsConnection c = echo.accepted.poll(TIMEOUT, TimeUnit.MILLISECONDS);
            assertNotNull(c, "the origin accepted no handshake");
            return c;
        }

        @Override public void close() throws Exception {
            echo.close();
        }
    }

    /** Our proxy with its own identity, its own trust store (DEC-15) and CRLs, in front of 127.0.0.1:upstreamPort. */
    static ProxyConfig proxyConfig(String role, String downLeg, String upLeg, Credential own, int upstreamPort, Sink sink) {
        return new ProxyConfig(new BcTlsCrypto(new SecureRandom()), TestCredentials.of(own)).trace(sink)
                .names(role, downLeg, upLeg).upstream("127.0.0.1", upstreamPort)
                .webTrust(PKI.webTrust(), RevocationPolicy.DEFAULT, PKI.webCrls()).proxyTrust(PKI.proxyTrust())
                .limits(8, TIMEOUT, TIMEOUT, 16 * 1024).connectTimeoutMillis(TIMEOUT).sessionCaches(null, null);
    }

    /** A running proxy and the outcome of each connection it handled. */
    record Proxy(ProxyServer server, BlockingQueue<TlsProxy.Outcome> outcomes) implements AutoCloseable {
        static Proxy start(ProxyConfig cfg) throws IOException {
            BlockingQueue<TlsProxy.Outcome> q = new LinkedBlockingQueue<>();
            ProxyServer s = new ProxyServer(new TlsProxy(cfg), InetAddress.getLoopbackAddress(), 0,
                    new PrintStream(OutputStream.nullOutputStream())).onOutcome(q::add).start();
            return new Proxy(s, q);
        }

        int port() { return server.port(); }

        TlsProxy.Outcome next() throws InterruptedException {
            TlsProxy.Outcome o = outcomes.poll(TIMEOUT, TimeUnit.MILLISECONDS);
            assertNotNull(o, "the proxy reported no outcome");
            return o;
        }

        @Override public void close() { server.close(); }
    }

    /**
     * Our client: trusts the web root (with its CRLs and revocation policy) and, if {@code offer}, offers proxy_info
     * and checks the assertion with the proxy trust anchors (DEC-8..12); no session cache (full handshakes only).
     */
    static TlsConfig client(boolean offer, RevocationPolicy revocation, List<X509CRL> crls, Sink sink) {
        BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());
        TlsConfig cfg = new TlsConfig(crypto).timeoutMillis(TIMEOUT).trace(sink).roleName("client").leg("session1")
                .trustAnchors(PKI.webTrust(), revocation, crls).sessionCache(null);
        if (offer) {
            ProxyInfoClientCheck check = new ProxyInfoClientCheck(crypto, SigningMode.BOUND, CODE_POINT,
                    new ValidatorCertificateChecks(PKI.proxyTrust(), List.of(), PKI.webTrust(), revocation, crls, Clock.systemUTC()),
                    UpstreamPolicy.defaults(), sink, "client", "session1", ProxyInfoCodec.DEFAULT_MAX_DEPTH);
            cfg.extensions(ExtensionTable.DEFAULT.with(new ProxyInfoTableEntry(CODE_POINT))).proxyInfoCheck(check);
        }
        return cfg;
    }

    static TlsConfig client(boolean offer, Sink sink) {
        return client(offer, RevocationPolicy.DEFAULT, PKI.webCrls(), sink);
    }

    /** One handshake and, when established, one echoed line; returns the closed connection. */
    static TlsConnection connect(TlsConfig cfg, int port, String host) throws IOException {
        TlsConnection c = new TlsClient(cfg).connect(SocketTransport.connect("127.0.0.1", port, TIMEOUT), host);
        if (c.isEstablished()) {
            byte[] ping = "ping\n".getBytes(StandardCharsets.US_ASCII);
            c.write(ping);
            byte[] back = new byte[ping.length];
            int got = 0;
            while (got < back.length) {
                int n = c.read(back, got, back.length - got);
                assertTrue(n > 0, "the echo came back");
                got += n;
            }
            assertArrayEquals(ping, back, "application data relayed both ways");
        }
        c.close();
        return c;
    }

    static SignedProxyInfo assertionOf(TlsConnection c) throws Exception {
        assertNotNull(c.peerProxyInfo(), "session #1's ServerHello carried no proxy_info");
        return new ProxyInfoCodec().decodeFromServerHello(c.peerProxyInfo());
    }

    static void assertSameChain(List<byte[]> expected, List<byte[]> actual, String what) {
        assertEquals(expected.size(), actual.size(), what + ": chain length");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), what + ": certificate " + i);
        }
    }

    static void refusedByClient(TlsConnection c, int alert, String requirement) {
        assertFalse(c.isEstablished(), "the client must not end established");
        assertEquals(AlertDescription.name(alert), AlertDescription.name(c.alertSent()), c.failureSummary());
        assertEquals(requirement, c.failureRequirement(), c.failureSummary());
    }

    // ---- the proxy's steps (00-R12 / 01-R13) ---------------------------------------------------

    @Test
    @DisplayName("00-R12/01-R13 steps 2-5: proxy_info offered upstream; the assertion about session #2, signed with the private"
            + " key of the proxy's session-#1 certificate, arrives in session #1's ServerHello")
    void proxyStepsBuildSignAndReturnTheAssertion() throws Exception {
        Sink sink = new Sink();
        try (Origin origin = new Origin(PKI.serverEcdsa(), sink);
             Proxy proxy = Proxy.start(proxyConfig("proxy", "session1", "session2", PKI.proxy(), origin.port(), sink))) {
            TlsConnection c = connect(client(true, sink), proxy.port(), HOST);
            assertTrue(c.isEstablished() && c.proxied(), c.failureSummary());
            TlsProxy.Outcome o = proxy.next();
            TlsConnection s2 = o.session2;
            // step 2: the proxy's own ClientHello to the server carries proxy_info; the server, no proxy, ignores it (DEC-19)
            assertTrue(sink.extensionsOf("server", "session2", "received", "client_hello").contains("proxy_info"));
            assertFalse(sink.extensionsOf("server", "session2", "sent", "server_hello").contains("proxy_info"));
            // step 5: the assertion comes back on session #1, in the ServerHello
            assertTrue(sink.extensionsOf("client", "session1", "received", "server_hello").contains("proxy_info"));
            // step 3: it describes session #2 as it ran
            SignedProxyInfo spi = assertionOf(c);
            assertEquals(s2.cipherSuite(), spi.connectionParameters().cipherSuite(), "session #2's suite");
            assertArrayEquals(s2.serverRandom(), spi.serverRandom(), "session #2's ServerHello.random");
            assertSameChain(PKI.serverEcdsa().chainDer(), spi.serverCertificateList(), "the origin's chain");
            assertNull(spi.nextHop(), "one hop: next_proxy_info ends the chain (DEC-4)");
            TlsConnection originSide = origin.next();
            assertArrayEquals(originSide.serverRandom(), spi.serverRandom(), "the origin's own server_random");
            // step 4: signed with the private key of the certificate the proxy showed on session #1, over this session
            assertArrayEquals(PKI.proxy().leaf().getEncoded(), c.peerCertificates().get(0).getEncoded());
            BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());
            assertTrue(ProxyInfoSigner.verify(crypto, SigningMode.BOUND, c.peerCertificates().get(0).getPublicKey(),
                    c.clientRandom(), c.serverRandom(), spi), "verifies with the session-#1 certificate's key");
            assertFalse(ProxyInfoSigner.verify(crypto, SigningMode.BOUND, PKI.serverEcdsa().publicKey(),
                    c.clientRandom(), c.serverRandom(), spi), "not with another key");
            assertFalse(ProxyInfoSigner.verify(crypto, SigningMode.BOUND, PKI.proxy().publicKey(),
                    s2.clientRandom(), s2.serverRandom(), spi), "not over another session's randoms");
        }
    }

    @Test
    @DisplayName("00-R12/01-R13 step 1: the proxy acts only when the client sent proxy_info: a client without it gets no"
            + " assertion (here: policy mint, DEC-17), a client with it through the same proxy does")
    void proxyActsOnlyWhenTheClientOffers() throws Exception {
        Sink sink = new Sink();
        try (Origin origin = new Origin(PKI.serverEcdsa(), sink);
             Proxy proxy = Proxy.start(proxyConfig("proxy", "session1", "session2", PKI.proxy(), origin.port(), sink)
                     .legacyPolicy(ProxyHandshake.POLICY_MINT, PKI.mintCa()))) {
            TlsConfig legacy = client(false, sink).trustAnchors(List.of(PKI.mintCa().leaf()), RevocationPolicy.OFF, List.of());
            TlsConnection plain = connect(legacy, proxy.port(), HOST);
            assertTrue(plain.isEstablished(), plain.failureSummary());
            assertNull(plain.peerProxyInfo(), "no proxy_info for a client that did not offer it");
            assertFalse(plain.proxied());
            TlsProxy.Outcome first = proxy.next();
            assertTrue(first.minted, first.describe());
            TlsConnection offered = connect(client(true, sink), proxy.port(), HOST);
            assertTrue(offered.isEstablished() && offered.proxied(), offered.failureSummary());
            assertNotNull(assertionOf(offered));
            assertFalse(proxy.next().minted, "with proxy_info the proxy shows its own certificate (00-R10/01-R11)");
        }
    }

    @Test
    @DisplayName("00-R12/01-R13 step 3 and 00-R11/01-R12 step 5: proxy A nests proxy B's assertion unchanged, and the client"
            + " checks both hops (each signature with the key the hop before reported)")
    void nestsAndTheClientRecursesOverTwoHops() throws Exception {
        Sink sink = new Sink();
        try (Origin origin = new Origin(PKI.serverEcdsa(), sink);
             Proxy b = Proxy.start(proxyConfig("proxy-B", "session2", "session3", PKI.proxyB(), origin.port(), sink));
             Proxy a = Proxy.start(proxyConfig("proxy-A", "session1", "session2", PKI.proxy(), b.port(), sink))) {
            TlsConnection c = connect(client(true, sink), a.port(), HOST);
            assertTrue(c.isEstablished() && c.proxied(), c.failureSummary());
            SignedProxyInfo hop1 = assertionOf(c);
            SignedProxyInfo hop2 = hop1.nextHop();
            assertNotNull(hop2, "proxy B's assertion nested as next_proxy_info");
            assertNull(hop2.nextHop());
            assertSameChain(PKI.proxyB().chainDer(), hop1.serverCertificateList(), "hop 1 reports proxy B");
            assertSameChain(PKI.serverEcdsa().chainDer(), hop2.serverCertificateList(), "hop 2 reports the origin");
            BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());
            assertTrue(ProxyInfoSigner.verify(crypto, SigningMode.BOUND, PKI.proxyB().publicKey(), c.clientRandom(),
                    hop1.serverRandom(), hop2), "hop 2 signed by proxy B over the client's random and session #2's");
            // the client's own record: both hops checked, hop 2 under DEC-12 and the origin's chain under DEC-10
            assertTrue(sink.checks.stream().anyMatch(k -> k.role().equals("client") && k.requirementId().equals("DEC-12")
                    && k.passed() && k.what().startsWith("hop 2")), sink.checks.toString());
            assertTrue(sink.checks.stream().anyMatch(k -> k.role().equals("client") && k.requirementId().equals("DEC-10")
                    && k.passed() && k.what().startsWith("hop 2")), sink.checks.toString());
        }
    }

    // ---- the client's steps (00-R11 / 01-R12) --------------------------------------------------

    @Test
    @DisplayName("00-R11/01-R12 steps 1-2: the client offers proxy_info; a ServerHello without it is plain TLS to the"
            + " intended server (DEC-13)")
    void clientOffersAndFallsBackToPlainTls() throws Exception {
        Sink sink = new Sink();
        try (Origin origin = new Origin(PKI.serverEcdsa(), sink)) {
            TlsConnection c = connect(client(true, sink), origin.port(), HOST);
            assertTrue(c.isEstablished(), c.failureSummary());
            assertTrue(sink.extensionsOf("client", "session1", "sent", "client_hello").contains("proxy_info"), "step 1");
            assertFalse(c.proxied(), "step 2: no proxy_info in ServerHello, so no proxy");
            assertArrayEquals(PKI.serverEcdsa().leaf().getEncoded(), c.peerCertificates().get(0).getEncoded());
        }
        // and without proxy_info the same client checks the certificate as the intended server's: another host's is refused
        try (Origin wrong = new Origin(PKI.serverWrongHost(), sink)) {
            refusedByClient(connect(client(true, sink), wrong.port(), HOST), AlertDescription.BAD_CERTIFICATE, "RFC6125-6.4");
        }
    }

    @Test
    @DisplayName("00-R11/01-R12 step 3: an assertion whose signature does not verify (corrupted on the proxy's host) is refused:"
            + " decrypt_error, DEC-8")
    void clientVerifiesTheSignature() throws Exception {
        Sink sink = new Sink();
        try (Origin origin = new Origin(PKI.serverEcdsa(), sink)) {
            ProxyConfig cfg = proxyConfig("proxy", "session1", "session2", PKI.proxy(), origin.port(), sink);
            new Adversary(sink, "proxy", "session1", CODE_POINT).stage(cfg, List.of(Attack.FORGE_SIGNATURE));
            try (Proxy proxy = Proxy.start(cfg)) {
                refusedByClient(connect(client(true, sink), proxy.port(), HOST), AlertDescription.DECRYPT_ERROR, "DEC-8");
            }
        }
    }

    @Test
    @DisplayName("00-R11/01-R12 step 4: the carried chain is authenticated for the host the client meant: a lying proxy's"
            + " report of another host's chain, correctly signed, is refused (bad_certificate, DEC-10)")
    void clientAuthenticatesTheCarriedChain() throws Exception {
        Sink sink = new Sink();
        try (Origin origin = new Origin(PKI.serverEcdsa(), sink)) {
            ProxyConfig cfg = proxyConfig("proxy", "session1", "session2", PKI.proxy(), origin.port(), sink);
            new Adversary(sink, "proxy", "session1", CODE_POINT).otherServerChain(PKI.serverWrongHost().chain())
                    .stage(cfg, List.of(Attack.REPORT_OTHER_SERVER_CHAIN));
            try (Proxy proxy = Proxy.start(cfg)) {
                refusedByClient(connect(client(true, sink), proxy.port(), HOST), AlertDescription.BAD_CERTIFICATE, "DEC-10");
            }
        }
    }

    @Test
    @DisplayName("00-R11/01-R12 step 5: the client verifies the nested assertion itself: when the first hop's host changes"
            + " what hop 2 reported and signs over the change, hop 2's signature no longer verifies (decrypt_error, DEC-12)")
    void clientChecksTheNestedHop() throws Exception {
        Sink sink = new Sink();
        try (Origin origin = new Origin(PKI.serverEcdsa(), sink);
             Proxy b = Proxy.start(proxyConfig("proxy-B", "session2", "session3", PKI.proxyB(), origin.port(), sink))) {
            ProxyConfig aCfg = proxyConfig("proxy-A", "session1", "session2", PKI.proxy(), b.port(), sink);
            new Adversary(sink, "proxy-A", "session1", CODE_POINT).stage(aCfg, List.of(Attack.ALTER_HOP2_REPORT));
            try (Proxy a = Proxy.start(aCfg)) {
                refusedByClient(connect(client(true, sink), a.port(), HOST), AlertDescription.DECRYPT_ERROR, "DEC-12");
            }
        }
    }

    // ---- the proxy's upstream checks (00-R5 / 01-R6, 00-R9 / 01-R10, 00-R4 / 01-R5) -------------

    @Test
    @DisplayName("00-R5/01-R6: the proxy checks the origin's identity (RFC 2818 section 3.1) against the host the client meant:"
            + " the same origin passes for its own name and is refused for another (handshake_failure, DEC-15)")
    void proxyChecksTheServerIdentity() throws Exception {
        Sink sink = new Sink();
        try (Origin origin = new Origin(PKI.serverEcdsa(), sink);
             Proxy proxy = Proxy.start(proxyConfig("proxy", "session1", "session2", PKI.proxy(), origin.port(), sink))) {
            TlsConnection ok = connect(client(true, sink), proxy.port(), HOST);
            assertTrue(ok.isEstablished(), ok.failureSummary());
            proxy.next();
            TlsConnection other = connect(client(true, sink), proxy.port(), "elsewhere.proxyinfo.test");
            assertFalse(other.isEstablished());
            assertEquals(AlertDescription.name(AlertDescription.HANDSHAKE_FAILURE), AlertDescription.name(other.alertReceived()),
                    "the proxy refused before answering: " + other.failureSummary());
            TlsProxy.Outcome o = proxy.next();
            assertEquals("DEC-15", o.session1.failureRequirement(), o.describe());
            assertFalse(o.session2.isEstablished(), "session #2 is not used");
            assertTrue(o.session2.failureSummary().contains("elsewhere.proxyinfo.test"), o.session2.failureSummary());
        }
        try (Origin wrong = new Origin(PKI.serverWrongHost(), sink);
             Proxy proxy = Proxy.start(proxyConfig("proxy", "session1", "session2", PKI.proxy(), wrong.port(), sink))) {
            TlsConnection c = connect(client(true, sink), proxy.port(), HOST);
            assertFalse(c.isEstablished());
            assertEquals("DEC-15", proxy.next().session1.failureRequirement());
        }
    }

    @Test
    @DisplayName("00-R9/01-R10: for a client without proxy_info (policy mint) the proxy validates the server's certificates by"
            + " default: a valid origin is served, an expired or misnamed one is refused and nothing is minted")
    void proxyValidatesForClientsWithoutTheExtension() throws Exception {
        Sink sink = new Sink();
        TlsConfig legacy = client(false, sink).trustAnchors(List.of(PKI.mintCa().leaf()), RevocationPolicy.OFF, List.of());
        try (Origin good = new Origin(PKI.serverEcdsa(), sink);
             Proxy proxy = Proxy.start(proxyConfig("proxy", "session1", "session2", PKI.proxy(), good.port(), sink)
                     .legacyPolicy(ProxyHandshake.POLICY_MINT, PKI.mintCa()))) {
            TlsConnection c = connect(legacy, proxy.port(), HOST);
            assertTrue(c.isEstablished(), c.failureSummary());
            assertTrue(proxy.next().minted, "the control: a valid origin is served (minted, DEC-17)");
        }
        for (Credential bad : List.of(PKI.serverExpired(), PKI.serverWrongHost())) {
            try (Origin origin = new Origin(bad, sink);
                 Proxy proxy = Proxy.start(proxyConfig("proxy", "session1", "session2", PKI.proxy(), origin.port(), sink)
                         .legacyPolicy(ProxyHandshake.POLICY_MINT, PKI.mintCa()))) {
                TlsConnection c = connect(legacy, proxy.port(), HOST);
                String who = bad.leaf().getSubjectX500Principal().getName();
                assertFalse(c.isEstablished(), who + ": the client must not be served");
                TlsProxy.Outcome o = proxy.next();
                assertFalse(o.minted, who + ": nothing minted over an unvalidated upstream");
                assertEquals("DEC-15", o.session1.failureRequirement(), who + ": " + o.describe());
            }
        }
    }

    @Test
    @DisplayName("00-R4/01-R5: revocation_checking_performed is true when the proxy checked session #2's chain against CRLs,"
            + " false when it did not (policy off, or no revocation data)")
    void revocationFlagSaysWhetherTheProxyChecked() throws Exception {
        Sink sink = new Sink();
        record Case(RevocationPolicy policy, List<X509CRL> crls, boolean flag) { }
        try (Origin origin = new Origin(PKI.serverEcdsa(), sink)) {
            for (Case k : List.of(new Case(RevocationPolicy.DEFAULT, PKI.webCrls(), true),
                    new Case(RevocationPolicy.OFF, PKI.webCrls(), false),
                    new Case(RevocationPolicy.DEFAULT, List.of(), false))) {
                ProxyConfig cfg = proxyConfig("proxy", "session1", "session2", PKI.proxy(), origin.port(), sink)
                        .webTrust(PKI.webTrust(), k.policy(), k.crls());
                try (Proxy proxy = Proxy.start(cfg)) {
                    TlsConnection c = connect(client(true, sink), proxy.port(), HOST);
                    assertTrue(c.isEstablished(), k + ": " + c.failureSummary());
                    assertEquals(k.flag(), assertionOf(c).revocationCheckingPerformed(), k.toString());
                    proxy.next();
                }
            }
        }
        // the check is real: with the CRLs a revoked origin does not get through the proxy
        try (Origin revoked = new Origin(PKI.serverRevoked(), sink);
             Proxy proxy = Proxy.start(proxyConfig("proxy", "session1", "session2", PKI.proxy(), revoked.port(), sink))) {
            assertFalse(connect(client(true, sink), proxy.port(), HOST).isEstablished());
            TlsProxy.Outcome o = proxy.next();
            assertEquals("DEC-15", o.session1.failureRequirement(), o.describe());
            assertTrue(o.session2.failureSummary().contains("revoked"), o.session2.failureSummary());
        }
    }

    @Test
    @DisplayName("00-R8/01-R9: revocation_checking_performed is false (the proxy's policy is off), so the client checks the"
            + " revoked origin chain with its own CRLs: certificate_revoked; without its own check it would have accepted")
    void clientChecksRevocationWhenTheProxyDidNot() throws Exception {
        Sink sink = new Sink();
        try (Origin revoked = new Origin(PKI.serverRevoked(), sink);
             Proxy proxy = Proxy.start(proxyConfig("proxy", "session1", "session2", PKI.proxy(), revoked.port(), sink)
                     .webTrust(PKI.webTrust(), RevocationPolicy.OFF, List.of()))) {
            TlsConnection c = connect(client(true, sink), proxy.port(), HOST);
            refusedByClient(c, AlertDescription.CERTIFICATE_REVOKED, "DEC-10");
            proxy.next();
            TlsConnection off = connect(client(true, RevocationPolicy.OFF, List.of(), sink), proxy.port(), HOST);
            assertTrue(off.isEstablished(), "the control: " + off.failureSummary());
            assertFalse(assertionOf(off).revocationCheckingPerformed(), "the proxy did not check");
        }
    }

    // ---- extensions (00-R6 / 01-R7) ------------------------------------------------------------

    @Test
    @DisplayName("00-R6/01-R7: the commonly deployed extensions (server_name, supported_groups, ec_point_formats,"
            + " signature_algorithms, extended_master_secret, renegotiation_info) are carried or negotiated on both sessions")
    void proxySupportsTheCommonlyDeployedExtensions() throws Exception {
        Sink sink = new Sink();
        try (Origin origin = new Origin(PKI.serverEcdsa(), sink);
             Proxy proxy = Proxy.start(proxyConfig("proxy", "session1", "session2", PKI.proxy(), origin.port(), sink))) {
            TlsConnection c = connect(client(true, sink), proxy.port(), HOST);
            assertTrue(c.isEstablished(), c.failureSummary());
            TlsProxy.Outcome o = proxy.next();
            List<String> common = List.of("server_name", "supported_groups", "ec_point_formats", "signature_algorithms",
                    "extended_master_secret", "renegotiation_info");
            for (String e : common) {
                assertTrue(sink.extensionsOf("client", "session1", "sent", "client_hello").contains(e), "our client offers " + e);
                assertTrue(o.extensionDispositions.contains(e + ": " + (e.equals("server_name") ? "forwarded" : "processed")),
                        e + ": " + o.extensionDispositions);
                assertTrue(sink.extensionsOf("proxy", "session2", "sent", "client_hello").contains(e), "offered upstream: " + e);
            }
            for (String e : List.of("extended_master_secret", "renegotiation_info", "ec_point_formats")) {
                assertTrue(sink.extensionsOf("proxy", "session1", "sent", "server_hello").contains(e), "session #1 answers " + e);
                assertTrue(sink.extensionsOf("server", "session2", "sent", "server_hello").contains(e), "session #2 answers " + e);
            }
            TlsConnection originSide = origin.next();
            assertEquals(HOST, originSide.serverName(), "server_name reaches the origin");
            assertTrue(c.extendedMasterSecret() && o.session1.extendedMasterSecret() && o.session2.extendedMasterSecret()
                    && originSide.extendedMasterSecret(), "RFC 7627 on both sessions");
        }
    }

    @Test
    @DisplayName("00-R6/01-R7: a deployed client's ClientHello (SunJSSE, TLS 1.2, with extensions this proxy does not know)"
            + " goes through the proxy (policy mint); 00-R7/01-R8: each of its extensions is examined and forwarded,"
            + " processed or dropped (DEC-16), and a dropped one never goes upstream")
    void deployedClientThroughTheProxy() throws Exception {
        Sink sink = new Sink();
        try (Origin origin = new Origin(PKI.serverEcdsa(), sink);
             Proxy proxy = Proxy.start(proxyConfig("proxy", "session1", "session2", PKI.proxy(), origin.port(), sink)
                     .legacyPolicy(ProxyHandshake.POLICY_MINT, PKI.mintCa()))) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("mint", PKI.mintCa().leaf());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLSv1.2");
            ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), proxy.port())) {
                s.setSoTimeout(TIMEOUT);
                SSLParameters p = s.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                p.setServerNames(List.of(new SNIHostName(HOST)));
                s.setSSLParameters(p);
                s.startHandshake();
                assertEquals("TLSv1.2", s.getSession().getProtocol());
                s.getOutputStream().write("ping\n".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                assertEquals("ping", new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine());
            }
            TlsProxy.Outcome o = proxy.next();
            assertTrue(o.minted && o.session1.extendedMasterSecret(), o.describe());
            for (String e : List.of("server_name: forwarded", "supported_groups: processed", "signature_algorithms: processed",
                    "extended_master_secret: processed")) {
                assertTrue(o.extensionDispositions.contains(e), e + ": " + o.extensionDispositions);
            }
            List<String> dropped = o.extensionDispositions.stream().filter(d -> d.endsWith(": dropped"))
                    .map(d -> d.substring(0, d.indexOf(':'))).toList();
            assertFalse(dropped.isEmpty(), "SunJSSE offers extensions this proxy does not know (status_request, ...): "
                    + o.extensionDispositions);
            // 00-R7/01-R8: every client extension was examined (one disposition each, as many as the ClientHello had),
            // and what was dropped does not go upstream
            assertEquals(sink.extensionsOf("proxy", "session1", "received", "client_hello").size(), o.extensionDispositions.size(),
                    o.extensionDispositions.toString());
            List<String> upstream = sink.extensionsOf("proxy", "session2", "sent", "client_hello");
            for (String d : dropped) {
                assertFalse(upstream.contains(d), d + " was dropped but offered upstream: " + upstream);
            }
            assertEquals(HOST, origin.next().serverName());
        }
    }
}
