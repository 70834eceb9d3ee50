package org.proxyinfo.role;

import java.io.IOException;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.proxyinfo.clientcert.ClientCertModeEntry;
import org.proxyinfo.clientcert.ClientCertModeServer;
import org.proxyinfo.clientcert.ClientCertSupplement;
import org.proxyinfo.clientcert.ProxyToServer;
import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.core.ServerHandshake;
import org.proxyinfo.core.Transitions;
import org.proxyinfo.crypto.TlsCrypto;
import org.proxyinfo.ext.HelloContext;
import org.proxyinfo.record.RecordCipher;
import org.proxyinfo.wire.Certificate;
import org.proxyinfo.wire.CertificateRequest;
import org.proxyinfo.wire.CertificateVerify;
import org.proxyinfo.wire.CipherSuite;
import org.proxyinfo.wire.ClientHello;
import org.proxyinfo.wire.ClientKeyExchange;
import org.proxyinfo.wire.Extension;
import org.proxyinfo.wire.ExtensionType;
import org.proxyinfo.wire.Finished;
import org.proxyinfo.wire.HandshakeType;
import org.proxyinfo.wire.Hex;
import org.proxyinfo.wire.NamedGroup;
import org.proxyinfo.wire.ProtocolVersion;
import org.proxyinfo.wire.ServerHello;
import org.proxyinfo.wire.ServerHelloDone;
import org.proxyinfo.wire.ServerKeyExchange;
import org.proxyinfo.wire.SignatureScheme;
import org.proxyinfo.wire.TlsFatalAlert;
import org.proxyinfo.wire.TlsWriter;

/**
 * The TLS 1.2 server role (RFC 5246 §7.3): reads ClientHello, negotiates suite, group and
 * signature scheme in its own preference order, sends its flight, checks the client's key
 * exchange and Finished, answers with its own and signals Running. An ordinary server ignores
 * proxy_info and never echoes it (DEC-19). Every decision is the core's.
 */
public final class TlsServer {
    private final TlsConfig config;

    public TlsServer(TlsConfig config) {
        if (config.credentials.isEmpty()) {
            throw new IllegalArgumentException("a TLS server needs at least one key and certificate chain");
        }
        this.config = config;
    }

    public TlsConfig config() {
        return config;
    }

    /** Runs the server handshake on the transport; always returns a connection (check isEstablished()). */
    public TlsConnection accept(Transport transport) {
        return accept(transport, null);
    }

    /** The proxy's session #1: the same server handshake with the proxy's three hooks (TlsProxy). */
    TlsConnection accept(Transport transport, DownstreamHook hook) {
        TlsConnection c = new TlsConnection(config, transport, "server", Transitions.ROLE_SERVER);
        // DEC-19: an ordinary server never echoes proxy_info at the configured code point (DEC-2); only a server end
        // configured to assert it answers it: the proxy's session #1 (draft §3), or a server whose extension table
        // has a proxy_info entry at that code point. RFC5246-7.4.4: the client-authentication policy (none, want,
        // need). All are fixed when the core is made.
        c.serverCore = new ServerHandshake(config.requireExtendedMasterSecret, config.proxyInfoType,
                hook != null || config.extensions.entry(config.proxyInfoType) != null, config.clientAuth);
        if (hook != null) {
            c.roleCore = hook::fatalAlertToSend; // DEC-21: the proxy's core decides session #1's one fatal alert
        }
        return c.runHandshake(() -> {
            Run run = new Run(c);
            run.hook = hook;
            run.handshake();
        });
    }

    private final class Run {
        final TlsConnection c;
        final ServerHandshake core;
        final TlsCrypto crypto;
        final HelloContext hello = new HelloContext();
        ServerCredential credential;
        TlsCrypto.KeyShare share;
        byte[] masterSecret;
        RecordCipher clientReadCipher;
        byte[][] keyBlock;
        DownstreamHook hook;
        List<ServerCredential> creds = config.credentials;

        Run(TlsConnection c) {
            this.c = c;
            this.core = c.serverCore;
            this.crypto = config.crypto;
        }

        private void decide(int before, int alert, String trigger, String message) throws TlsFatalAlert {
            c.transition(before, core.state(), trigger);
            TlsConnection.require(alert, core.failedRequirement(), message);
        }

        private TlsConnection.Incoming expect() throws IOException, TlsFatalAlert, PeerAlertException {
            TlsConnection.Incoming in = c.receive();
            int before = core.state();
            int alert = core.onMessage(in.type);
            decide(before, alert, Transitions.messageName(in.type),
                    "received " + Transitions.messageName(in.type) + " while waiting for "
                            + Transitions.messageName(Transitions.expected(Transitions.ROLE_SERVER, before)));
            return in;
        }

        void handshake() throws IOException, TlsFatalAlert, PeerAlertException {
            ClientHello ch = receiveClientHello(expect());
            if (hook == null && Abbreviated.server(c, config, ch, hello)) {
                return; // DEC-22: the offered session was resumed (RFC 5246 Figure 2)
            }
            if (hook != null) {
                hook.afterClientHello(c, ch, hello); // proxy: DEC-17, DEC-16, session #2 (DEC-14, DEC-15)
                if (hook.resumeSession1(c) != null) {
                    Abbreviated.proxyServer(c, config, ch, hello, hook); // DEC-22 (01-R2): session #2 was resumed
                    return;
                }
                if (hook.clientCertMode(c) && core.clientAuth() == ServerHandshake.CLIENT_AUTH_NONE) {
                    // DEVIATION (DEC-23): a proxy that learned the mode on this connection (session #2 held) asks the client
                    // for its certificate; its core lets the policy be set only now, before the server flight
                    int before = core.state();
                    decide(before, core.onClientAuthLearned(ServerHandshake.CLIENT_AUTH_NEED), "client-certificate mode learned",
                            "the client-authentication policy cannot change here (DEC-23)");
                }
            }
            sendFlight(ch);
            if (core.state() == Transitions.S_WAIT_CLIENT_CERTIFICATE) {
                TlsConnection.Incoming in = expect();
                if (in.type == Transitions.SUPPLEMENTAL_DATA) {
                    receiveSupplementalData(in); // RFC 4680, DEC-23
                    in = expect();
                }
                receiveClientCertificate(in); // RFC5246-7.4.6
            }
            receiveClientKeyExchange(expect());
            if (core.state() == Transitions.S_WAIT_CERTIFICATE_VERIFY) {
                receiveCertificateVerify(expect()); // RFC5246-7.4.8
            }
            expect();
            int before = core.state();
            decide(before, core.onChangeCipherSpec(), "change_cipher_spec", "ChangeCipherSpec out of order");
            c.record.setReadCipher(clientReadCipher); // RFC5246-7.1
            receiveFinishedAndAnswer(expect());
        }

        ClientHello receiveClientHello(TlsConnection.Incoming in) throws TlsFatalAlert {
            ClientHello ch = ClientHello.decode(in.framed.message.body);
            c.traceReceived(in.framed, ch.fields());
            c.addToTranscript(in.framed);
            c.clientRandom = ch.random;
            c.trace.secret(c.role, c.leg, "client_random", ch.random);
            config.extensions.consumeClientHello(hello, ch.extensions);
            if (ch.offersSuite(CipherSuite.TLS_EMPTY_RENEGOTIATION_INFO_SCSV)) {
                hello.peerRenegotiationInfo = true; // RFC5746-3.6: SCSV counts as an empty renegotiation_info
            }
            c.serverName = hello.peerServerName;
            if (hook != null) {
                List<ServerCredential> own = hook.credentials(c, ch, hello);
                if (own != null) {
                    creds = own;
                }
            }

            boolean nullCompression = false;
            for (byte m : ch.compressionMethods) {
                nullCompression |= m == 0;
            }
            // Negotiation in our preference order (the server's choice, RFC5246-7.4.1.3).
            int suite = -1;
            for (int s : config.cipherSuites) {
                if (ch.offersSuite(s) && credentialFor(s) != null && schemeFor(credentialFor(s)) != -1) {
                    suite = s;
                    break;
                }
            }
            int group = -1;
            int[] peerGroups = hello.peerGroups != null ? hello.peerGroups : new int[] {NamedGroup.SECP256R1};
            for (int g : config.groups) {
                if (HelloContext.contains(peerGroups, g)) {
                    group = g;
                    break;
                }
            }
            boolean commonSuite = false;
            for (int s : config.cipherSuites) {
                commonSuite |= ch.offersSuite(s) && credentialFor(s) != null;
            }
            c.check("RFC5246-7.4.1.2", "client_version is at least TLS 1.2", ch.clientVersion >= ProtocolVersion.TLS12,
                    ProtocolVersion.name(ch.clientVersion));
            c.check("RFC5246-7.4.1.3", "a common cipher suite", commonSuite, suite == -1 ? "none" : CipherSuite.name(suite));
            c.check("RFC8422-5.1", "a common ECDHE group", group != -1, group == -1 ? "none" : NamedGroup.name(group));
            c.check("RFC5246-7.4.1.4.1", "a signature scheme the client accepts for our key", suite != -1,
                    suite == -1 ? "none" : SignatureScheme.name(schemeFor(credentialFor(suite))));
            c.check("RFC5746-3.6", "renegotiation_info empty (initial handshake only)", hello.peerRenegotiationInfoEmpty,
                    hello.peerRenegotiationInfo ? "signalled" : "not signalled");
            c.check("RFC7627-5.1", "extended_master_secret offered", hello.peerExtendedMasterSecret,
                    config.requireExtendedMasterSecret ? "required" : "optional");
            int before = core.state();
            int alert = core.onClientHello(ch.clientVersion, nullCompression, hello.peerRenegotiationInfoEmpty,
                    commonSuite, group != -1, suite != -1, hello.peerExtendedMasterSecret && config.offerExtendedMasterSecret);
            decide(before, alert, "client_hello", describeRefusal(ch, commonSuite, group, suite));
            c.cipherSuite = suite;
            c.namedGroup = group;
            credential = credentialFor(suite);
            c.signatureScheme = schemeFor(credential);
            c.extendedMasterSecret = core.extendedMasterSecret();
            c.localChain = credential.chain;
            return ch;
        }

        private String describeRefusal(ClientHello ch, boolean commonSuite, int group, int suite) {
            if (ch.clientVersion < ProtocolVersion.TLS12) {
                return "the client offers " + ProtocolVersion.name(ch.clientVersion) + "; this server speaks TLS 1.2 only (DEC-20)";
            }
            if (!hello.peerRenegotiationInfoEmpty) {
                return "the client asks for a renegotiation (non-empty renegotiation_info); only initial handshakes are served";
            }
            if (!commonSuite) {
                boolean ecdsaOffered = false;
                for (int s : config.cipherSuites) {
                    ecdsaOffered |= CipherSuite.isEcdsa(s) && ch.offersSuite(s);
                }
                if (ecdsaOffered && hello.peerGroups != null && !HelloContext.contains(hello.peerGroups, NamedGroup.SECP256R1)) {
                    return "the client offers only ECDSA suites we could use but not secp256r1 in supported_groups, the curve "
                            + "of our ECDSA certificate (RFC 8422 section 5.1)";
                }
                return "no cipher suite in common with the client (we support " + names(config.cipherSuites) + ")";
            }
            if (group == -1) {
                return "no ECDHE group in common with the client (we support x25519, secp256r1)";
            }
            if (suite == -1) {
                return "no signature scheme in common with the client for our certificates (we sign with "
                        + "ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256, rsa_pkcs1_sha256)";
            }
            if (!hello.peerExtendedMasterSecret) {
                return "the client does not offer extended_master_secret, which this server requires (RFC 7627)";
            }
            return "ClientHello refused";
        }

        private String names(int[] suites) {
            StringBuilder b = new StringBuilder();
            for (int s : suites) {
                b.append(b.length() == 0 ? "" : ", ").append(CipherSuite.name(s));
            }
            return b.toString();
        }

        private ServerCredential credentialFor(int suite) {
            // RFC8422-5.1: in TLS 1.2 supported_groups also constrains the curve of an ECDSA
            // certificate; our EC certificates are secp256r1.
            if (CipherSuite.isEcdsa(suite) && hello.peerGroups != null
                    && !HelloContext.contains(hello.peerGroups, NamedGroup.SECP256R1)) {
                return null;
            }
            for (ServerCredential cr : creds) {
                if (CipherSuite.isEcdsa(suite) ? cr.isEc() : cr.isRsa()) {
                    return cr;
                }
            }
            return null;
        }

        /** The first of our schemes the client accepts for this key (RFC5246-7.4.1.4.1), or -1. */
        private int schemeFor(ServerCredential cr) {
            if (cr == null) {
                return -1;
            }
            if (hello.peerSignatureSchemes == null) {
                // RFC5246-7.4.1.4.1: no signature_algorithms from the client: behave as if it had sent
                // {sha1,ecdsa} for ECDHE_ECDSA and {sha1,rsa} for ECDHE_RSA.
                return cr.isEc() ? SignatureScheme.ECDSA_SHA1 : SignatureScheme.RSA_PKCS1_SHA1;
            }
            for (int s : config.signatureSchemes) {
                boolean fits = cr.isEc() ? SignatureScheme.isEcdsa(s) : SignatureScheme.isRsa(s);
                if (fits && HelloContext.contains(hello.peerSignatureSchemes, s)) {
                    return s;
                }
            }
            return -1;
        }

        void sendFlight(ClientHello ch) throws IOException, TlsFatalAlert {
            long now = config.clock.instant().getEpochSecond();
            byte[] random = new TlsWriter().u16((int) (now >>> 16) & 0xffff).u16((int) now & 0xffff)
                    .bytes(crypto.random(28)).toByteArray();
            c.serverRandom = random;
            c.trace.secret(c.role, c.leg, "server_random", random);
            hello.offerExtendedMasterSecret = config.offerExtendedMasterSecret;
            if (hook != null) {
                int otherLength = 0;
                for (Extension x : config.extensions.produceServerHello(hello)) {
                    otherLength += 4 + x.data.length;
                }
                ServerCredential replaced = hook.beforeServerHello(c, hello, credential, otherLength);
                if (replaced != null) {
                    credential = replaced;
                    c.localChain = credential.chain;
                }
            }
            List<Extension> ext = new java.util.ArrayList<>();
            for (Extension x : config.extensions.produceServerHello(hello)) {
                // DEC-19, RFC5246-7.4.1.4: the core decides which extensions the ServerHello may carry.
                boolean offered = hello.clientHelloTypes.contains(x.type)
                        || (x.type == ExtensionType.RENEGOTIATION_INFO && hello.peerRenegotiationInfo);
                if (core.mayAnswerExtension(x.type, offered, config.extensions.entry(x.type) != null)) {
                    ext.add(x);
                } else {
                    c.check("DEC-19", "ServerHello leaves out extension " + x.type, true,
                            "an ordinary server never echoes proxy_info and answers only extensions the client offered");
                }
            }
            // DEC-22: a fresh session_id when this role caches sessions (a proxy's session #1 too: its coupling links it)
            // DEC-23: no resumption in the client-certificate mode (a resumed session #1 would carry no client authentication)
            c.sessionId = hook != null && hook.clientCertMode(c) ? new byte[0] : Abbreviated.newSessionId(config);
            ServerHello sh = new ServerHello(ProtocolVersion.TLS12, random, c.sessionId, c.cipherSuite, 0, ext);
            if (hook != null) {
                hook.beforeServerHelloQueued(c); // DEC-14: the proxy core is asked before anything of the flight is queued
            }
            c.sendHandshake(HandshakeType.SERVER_HELLO, sh.encode(), sh.fields());
            c.record.setNegotiatedVersion(ProtocolVersion.TLS12);

            Certificate cert = new Certificate(Certificates.encode(credential.chain));
            c.sendHandshake(HandshakeType.CERTIFICATE, cert.encode(), cert.fields());

            share = crypto.generateKeyShare(c.namedGroup);
            c.trace.secret(c.role, c.leg, "ephemeral_private", share.privateValue());
            byte[] params = ServerKeyExchange.params(c.namedGroup, share.publicValue());
            byte[] sig = crypto.sign(credential.privateKey, c.signatureScheme,
                    ServerKeyExchange.signedInput(c.clientRandom, c.serverRandom, params));
            ServerKeyExchange ske = new ServerKeyExchange(c.namedGroup, share.publicValue(), c.signatureScheme, sig);
            c.sendHandshake(HandshakeType.SERVER_KEY_EXCHANGE, ske.encode(), ske.fields());
            if (core.mayRequestClientCertificate()) {
                // RFC5246-7.4.4: the types and schemes we verify; our client anchors' names as certificate_authorities.
                List<byte[]> cas = new java.util.ArrayList<>();
                // DEC-23: a proxy's session #1 has no client trust of its own (the origin validates the chain, 01-R16)
                for (java.security.cert.X509Certificate a : config.clientValidator == null ? List.<java.security.cert.X509Certificate>of()
                        : config.clientValidator.anchors()) {
                    cas.add(a.getSubjectX500Principal().getEncoded());
                }
                requestedSchemes = config.signatureSchemes.clone();
                CertificateRequest cr = new CertificateRequest(new int[] {CertificateRequest.ECDSA_SIGN, CertificateRequest.RSA_SIGN},
                        requestedSchemes, cas);
                c.sendHandshake(HandshakeType.CERTIFICATE_REQUEST, cr.encode(), cr.fields());
            }
            c.sendHandshake(HandshakeType.SERVER_HELLO_DONE, ServerHelloDone.encode(), Map.of("body", ""));
            c.flush();
            int before = core.state();
            decide(before, core.onServerFlightSent(), "server flight sent", "server flight out of order");
        }

        int[] requestedSchemes = new int[0];
        /** DEC-23 (a proxy's session #1): the client's certificate_list as received. */
        List<byte[]> clientChainDer = List.of();
        java.security.PublicKey clientKey;

        /** DEC-23: the SupplementalData body a proxy forwarded (the client's chain and ProxyCertVerify), or null. */
        byte[] supplemental;
        List<byte[]> proxyChainDer = List.of();

        /** RFC 4680, DEC-23: taken only from a proxy that sent proxy_to_server to a server in DEC-23 mode. */
        void receiveSupplementalData(TlsConnection.Incoming in) throws TlsFatalAlert {
            boolean proxyMode = hook != null && hook.clientCertMode(c); // DEC-23: a proxy's session #1, session #2 held
            if (!proxyMode && (config.clientCertMode == null || ClientCertModeEntry.proxyToServerChain(hello).isEmpty())) {
                throw new TlsFatalAlert(AlertDescription.UNEXPECTED_MESSAGE, "DEC-23", "a SupplementalData, but this server"
                        + " is not in the DEC-23 client-certificate mode or the client sent no proxy_to_server ProxyInfo");
            }
            ClientCertSupplement s = ClientCertSupplement.decode(in.framed.message.body); // decode_error (DEC-21)
            c.traceReceived(in.framed, s.fields());
            c.addToTranscript(in.framed);
            supplemental = in.framed.message.body.clone();
        }

        void receiveClientCertificate(TlsConnection.Incoming in) throws TlsFatalAlert {
            if (in.type != Transitions.CERTIFICATE) {
                throw new TlsFatalAlert(AlertDescription.UNEXPECTED_MESSAGE, "RFC5246-7.4.6",
                        "received " + Transitions.messageName(in.type) + " while waiting for the client's certificate");
            }
            Certificate cert = Certificate.decode(in.framed.message.body);
            c.traceReceived(in.framed, cert.fields());
            c.addToTranscript(in.framed);
            boolean empty = cert.certificateList.isEmpty();
            boolean chainOk = false;
            int chainAlert = ServerHandshake.NO_ALERT;
            String detail;
            if (hook != null && hook.clientCertMode(c)) {
                // DEVIATION (DEC-23): the proxy's session #1. The client's chain goes to the origin, which validates it
                // against its client trust (01-R16); here it is parsed for the leaf key that must verify the client's
                // CertificateVerify (01-R15). No chain: both sessions end now with the alert the proxy's core decides.
                clientChainDer = cert.certificateList;
                if (empty) {
                    // no chain, so no CertificateVerify to come: the client is not authenticated here
                    hook.onClientAuthentication(c, clientChainDer, supplemental, false);
                }
                try {
                    List<java.security.cert.X509Certificate> parsed = Certificates.parse(cert.certificateList);
                    clientKey = parsed.get(0).getPublicKey();
                    c.peerChain = parsed;
                    chainOk = true;
                    detail = "DEC-23: " + parsed.get(0).getSubjectX500Principal().getName() + " parsed; the origin validates"
                            + " the chain (01-R16), this proxy verifies its CertificateVerify (01-R15)";
                } catch (TlsFatalAlert e) {
                    // 01-R15: the proxy's core ends both sessions with its one alert (bad_certificate)
                    hook.onClientAuthentication(c, clientChainDer, supplemental, false);
                    chainAlert = AlertDescription.BAD_CERTIFICATE;
                    detail = "DEC-23: the client's chain does not parse: " + e.getMessage();
                }
                c.check("01-R15", "DEC-23 client certificate taken for the origin", chainOk, detail);
            } else if (supplemental != null && !empty) {
                // DEC-23 (01-R16): the session-#2 Certificate is the proxy's; it must be a proxy this server accepts and
                // the one its proxy_to_server ProxyInfo names (access_denied otherwise).
                proxyChainDer = cert.certificateList;
                try {
                    org.proxyinfo.pki.ValidationResult v = config.clientCertMode.validateProxy(cert.certificateList,
                            ClientCertModeEntry.proxyToServerChain(hello));
                    chainOk = true;
                    clientKey = v.leafPublicKey();
                    c.peerChain = v.path();
                    detail = "DEC-23 proxy accepted: " + v.summary();
                } catch (TlsFatalAlert e) {
                    chainAlert = AlertDescription.ACCESS_DENIED;
                    detail = "DEC-23: not a proxy this server accepts client identities from: " + e.getMessage();
                }
                c.check("01-R16", "DEC-23 proxy is one this server accepts", chainOk, detail);
                if (!chainOk) {
                    // 01-R16: refused at once, before anything goes on; the facts ClientCertMode.serverDecision needs besides
                    // this one (the proxy's CertificateVerify, the forwarded identity) do not exist yet, so it is not asked:
                    // its alert for an unaccepted proxy is the named constant (ClientCertModeTest keeps the two equal)
                    throw new TlsFatalAlert(ClientCertModeServer.UNACCEPTED_PROXY_ALERT, "01-R16", detail);
                }
            } else if (empty) {
                detail = config.clientAuth == ServerHandshake.CLIENT_AUTH_NEED
                        ? "the client sent no certificate and this server requires one (client auth: need)"
                        : "the client sent no certificate; it goes on unauthenticated (client auth: want)";
            } else {
                try {
                    org.proxyinfo.pki.ValidationResult v = config.clientValidator.validateClient(cert.certificateList);
                    chainOk = true;
                    clientKey = v.leafPublicKey();
                    c.peerChain = v.path();
                    detail = v.summary();
                } catch (TlsFatalAlert e) {
                    chainAlert = e.alert();
                    detail = e.getMessage() + " (" + e.requirementId() + ")";
                }
            }
            if (supplemental == null && !(hook != null && hook.clientCertMode(c))) {
                c.check("RFC5246-7.4.6", "client certificate chain (PKIX against the client trust store)",
                        empty ? config.clientAuth != ServerHandshake.CLIENT_AUTH_NEED : chainOk, detail);
            }
            int before = core.state();
            decide(before, empty ? core.onEmptyClientCertificate() : core.onClientCertificate(chainOk, chainAlert), "certificate",
                    "client certificate refused: " + detail);
        }

        void receiveCertificateVerify(TlsConnection.Incoming in) throws TlsFatalAlert {
            CertificateVerify cv = CertificateVerify.decode(in.framed.message.body);
            c.traceReceived(in.framed, cv.fields());
            // RFC5246-7.4.8: the signature covers every handshake message before this one.
            byte[] signed = c.transcriptBytes();
            c.addToTranscript(in.framed);
            boolean offered = HelloContext.contains(requestedSchemes, cv.signatureScheme);
            boolean fits = clientKey instanceof java.security.interfaces.ECPublicKey ? SignatureScheme.isEcdsa(cv.signatureScheme)
                    : clientKey instanceof java.security.interfaces.RSAPublicKey && SignatureScheme.isRsa(cv.signatureScheme);
            boolean sigOk = offered && fits && crypto.verify(clientKey, cv.signatureScheme, signed, cv.signature);
            c.check("RFC5246-7.4.1.4.1", "CertificateVerify scheme was requested and fits the client key", offered && fits,
                    SignatureScheme.name(cv.signatureScheme));
            c.check("RFC5246-7.4.8", "client CertificateVerify verifies over this transcript", sigOk,
                    SignatureScheme.name(cv.signatureScheme));
            boolean proxySession1 = hook != null && hook.clientCertMode(c);
            if (!proxySession1 && supplemental != null && offered && fits && config.clientCertMode != null) {
                // DEC-23 (01-R14, 01-R16): the forwarded client identity; ClientCertMode.serverDecision is asked with facts
                // from this session (its proxy, the proxy's signatures, the client's chain, the ProxyCertVerify over this
                // session's server_random and this server's own nonce) before anything of session #2 is accepted.
                Object pts = hello.extra.get(ClientCertModeEntry.KEY_PROXY_TO_SERVER);
                boolean ptsOk = pts instanceof org.proxyinfo.proxyinfo.SignedProxyInfo2 spi2 && clientKey != null
                        && ProxyToServer.verify(crypto, spi2, clientKey);
                try {
                    ClientCertModeServer.Verdict v = config.clientCertMode.decide(supplemental, proxyChainDer,
                            ClientCertModeEntry.proxyToServerChain(hello), sigOk && ptsOk, c.serverRandom,
                            ClientCertModeEntry.issuedNonce(hello));
                    c.check("01-R16", "DEC-23 client identity forwarded by the proxy accepted", true,
                            v.clientSubject() + "; " + v.facts());
                    c.forwardedClient = v.clientSubject();
                } catch (TlsFatalAlert e) {
                    c.check("01-R16", "DEC-23 client identity forwarded by the proxy accepted", false, e.getMessage());
                    throw e;
                }
            }
            int before = core.state();
            int alert = core.onCertificateVerify(offered && fits, sigOk);
            c.transition(before, core.state(), "certificate_verify");
            if (proxySession1) {
                // DEC-23, 01-R15: asked only now, after this session's core decided on the CertificateVerify (a scheme it
                // requested that fits the key, the signature over this transcript), with that verdict as the fact: the
                // client's identity goes upstream only for a client this session authenticated; otherwise the proxy's
                // ClientCertMode core abandons session #2 before the origin gets anything of the client.
                try {
                    hook.onClientAuthentication(c, clientChainDer, supplemental, core.isClientAuthenticated());
                } catch (TlsFatalAlert e) {
                    if (alert == ServerHandshake.NO_ALERT || e.alert() == alert) {
                        throw e; // 01-R15: the one alert of both sessions
                    }
                    // DEC-21: this session's own refusal (below) was decided first; session #2 ended with 01-R15's alert
                }
            }
            TlsConnection.require(alert, core.failedRequirement(),
                    "client CertificateVerify " + (offered && fits ? "does not verify" : "uses a scheme we did not request or that does not fit its key")
                            + " (" + SignatureScheme.name(cv.signatureScheme) + ")");
            c.clientAuthenticated = core.isClientAuthenticated();
        }

        void receiveClientKeyExchange(TlsConnection.Incoming in) throws TlsFatalAlert {
            ClientKeyExchange cke = ClientKeyExchange.decode(in.framed.message.body);
            c.traceReceived(in.framed, cke.fields());
            c.addToTranscript(in.framed);
            byte[] pms = null;
            TlsFatalAlert bad = null;
            try {
                pms = share.agree(cke.publicValue);
            } catch (TlsFatalAlert e) {
                bad = e;
            }
            c.check("RFC8422-5.7", "client ECDH public value valid for " + NamedGroup.name(c.namedGroup), bad == null,
                    bad == null ? null : bad.getMessage());
            int before = core.state();
            decide(before, core.onClientKeyExchange(bad == null), "client_key_exchange",
                    "invalid ClientKeyExchange: " + (bad == null ? "" : bad.getMessage()));
            c.trace.secret(c.role, c.leg, "premaster_secret", pms);
            byte[] sessionHash = c.transcriptHash(); // RFC7627-3
            masterSecret = KeyMaterial.masterSecret(crypto, c.cipherSuite, pms, c.extendedMasterSecret, sessionHash,
                    c.clientRandom, c.serverRandom);
            c.trace.secret(c.role, c.leg, "master_secret", masterSecret);
            keyBlock = KeyMaterial.keyBlock(crypto, c.cipherSuite, masterSecret, c.clientRandom, c.serverRandom);
            clientReadCipher = new RecordCipher(crypto, keyBlock[0], keyBlock[2]);
        }

        void receiveFinishedAndAnswer(TlsConnection.Incoming in) throws IOException, TlsFatalAlert {
            Finished fin = Finished.decode(in.framed.message.body);
            c.traceReceived(in.framed, fin.fields());
            byte[] expected = KeyMaterial.verifyData(crypto, c.cipherSuite, masterSecret, true, c.transcriptHash());
            boolean ok = MessageDigest.isEqual(expected, fin.verifyData);
            c.addToTranscript(in.framed);
            c.check("RFC5246-7.4.9", "client Finished verify_data", ok, Hex.of(fin.verifyData));
            int before = core.state();
            decide(before, core.onClientFinished(ok), "finished", "client Finished does not verify");
            if (hook != null) {
                hook.beforeFinishedSent(c); // DEC-23: session #1 is finished only after the held session #2 completed
            }

            c.sendChangeCipherSpec();
            c.record.setWriteCipher(new RecordCipher(crypto, keyBlock[1], keyBlock[3]));
            byte[] vd = KeyMaterial.verifyData(crypto, c.cipherSuite, masterSecret, false, c.transcriptHash());
            Finished mine = new Finished(vd);
            c.sendHandshake(HandshakeType.FINISHED, mine.encode(), mine.fields());
            c.flush();
            before = core.state();
            decide(before, core.onFinishedSent(), "finished sent", "Finished sent out of order");
            if (core.isEstablished()) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("client_random", Hex.of(c.clientRandom));
                p.put("server_random", Hex.of(c.serverRandom));
                p.put("version", "TLSv1.2");
                p.put("cipher_suite", CipherSuite.name(c.cipherSuite));
                p.put("server_cert_sha256", Certificates.sha256(crypto, credential.chain.get(0)));
                if (core.isClientAuthenticated()) {
                    // RFC5246-7.4.6, 7.4.8: the client proved its certificate's key over this handshake
                    p.put("peer", c.peerChain.get(0).getSubjectX500Principal().getName());
                    p.put("client_cert_sha256", Certificates.sha256(crypto, c.peerChain.get(0)));
                } else {
                    p.put("peer", c.serverName == null ? "anonymous client" : "anonymous client (asked for " + c.serverName + ")");
                }
                c.trace.claim(c.role, c.leg, "Running", p);
                c.markEstablished();
                Abbreviated.serverStore(c, config, masterSecret); // DEC-22 (a proxy links it to session #2 afterwards)
            }
        }
    }
}
