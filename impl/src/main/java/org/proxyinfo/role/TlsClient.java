package org.proxyinfo.role;

import java.io.IOException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.proxyinfo.clientcert.ClientCertModeClient;
import org.proxyinfo.clientcert.ClientCertModeOffer;
import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.core.ClientHandshake;
import org.proxyinfo.core.ProxyInfoDecision;
import org.proxyinfo.core.Transitions;
import org.proxyinfo.crypto.TlsCrypto;
import org.proxyinfo.ext.HelloContext;
import org.proxyinfo.record.HandshakeAssembler;
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
 * The TLS 1.2 client role (RFC 5246 §7.3): sends ClientHello, checks the server's flight, sends
 * its key exchange only when {@link ClientHandshake#mayReleaseKeyMaterial()} says so (DEC-8),
 * and commits after the server's Finished verified. Every decision is the core's; this class
 * decodes, computes and reports.
 */
public final class TlsClient {
    private final TlsConfig config;

    public TlsClient(TlsConfig config) {
        if (config.verifier == null) {
            throw new IllegalArgumentException("a TLS client needs a certificate verifier (trust anchors, DEC-10)");
        }
        this.config = config;
    }

    /**
     * Runs the handshake over the transport for the intended host {@code serverName} (sent as SNI
     * and checked against the certificate, DEC-10). Always returns a connection; check
     * {@link TlsConnection#isEstablished()}.
     */
    public TlsConnection connect(Transport transport, String serverName) {
        return connect(transport, serverName, null);
    }

    /**
     * As {@link #connect(Transport, String)}, with a given ClientHello.random: a proxy opens its
     * upstream session with the client_random it received downstream (DEC-5/DEC-12 reconciliation,
     * project choice: "the client_random travels upstream"); null = fresh (RFC5246-7.4.1.2).
     */
    public TlsConnection connect(Transport transport, String serverName, byte[] clientRandom) {
        if (clientRandom != null && clientRandom.length != 32) {
            throw new IllegalArgumentException("a ClientHello.random is 32 bytes, not " + clientRandom.length);
        }
        TlsConnection c = new TlsConnection(config, transport, "client", Transitions.ROLE_CLIENT);
        c.serverName = serverName;
        c.clientRandom = clientRandom == null ? null : clientRandom.clone();
        // DEC-13: whether this client offers proxy_info is configuration, fixed in the core before the ClientHello
        // is built: a proxy_info check and a proxy_info entry at its code point in the extension table.
        boolean offersProxyInfo = config.proxyInfoCheck != null
                && config.extensions.entry(config.proxyInfoCheck.extensionType()) != null
                && (config.clientHelloExtensionFilter == null
                        || config.clientHelloExtensionFilter.test(config.proxyInfoCheck.extensionType()));
        c.clientCore = new ClientHandshake(offersProxyInfo, config.requireExtendedMasterSecret);
        return c.runHandshake(() -> new Run(c).handshake());
    }

    /** One handshake run: the local variables of RFC 5246 §7.3 as fields. */
    private final class Run {
        final TlsConnection c;
        final ClientHandshake core;
        final TlsCrypto crypto;
        final HelloContext hello = new HelloContext();
        ClientHello clientHello;
        /** DEC-22: the cached session offered in the ClientHello, or null. */
        SessionCache.Session offeredSession;
        X509Certificate serverCert;
        ServerKeyExchange ske;

        Run(TlsConnection c) {
            this.c = c;
            this.core = c.clientCore;
            this.crypto = config.crypto;
        }

        /** Every state change goes through here so the trace shows it. */
        private void decide(int before, int alert, String trigger, String message) throws TlsFatalAlert {
            c.transition(before, core.state(), trigger);
            TlsConnection.require(alert, core.failedRequirement(), message);
        }

        private TlsConnection.Incoming expect() throws IOException, TlsFatalAlert, PeerAlertException {
            TlsConnection.Incoming in = c.receive();
            while (Transitions.ignored(Transitions.ROLE_CLIENT, core.state(), in.type) && in.framed.message.body.length == 0) {
                c.traceReceived(in.framed, Map.of());
                c.check("RFC5246-7.4.1.1", "HelloRequest during the handshake ignored", true, null);
                in = c.receive();
            }
            int before = core.state();
            int alert = core.onMessage(in.type);
            decide(before, alert, Transitions.messageName(in.type),
                    "received " + Transitions.messageName(in.type) + " while waiting for "
                            + Transitions.messageName(Transitions.expected(Transitions.ROLE_CLIENT, before)));
            return in;
        }

        void handshake() throws IOException, TlsFatalAlert, PeerAlertException {
            sendClientHello();
            receiveServerHello(expect());
            if (c.resumedCore != null) {
                // DEC-22, RFC 5246 Figure 2; a proxied session's fresh ProxyInfo is re-checked before anything is sent
                List<Map<String, Object>> upstream = c.resumedCore.cachedProxied()
                        ? Abbreviated.clientProxyInfo(c, config, c.resumedCore, offeredSession, keptProxyInfo) : null;
                Abbreviated.clientFinish(c, config, c.resumedCore, offeredSession, upstream);
                return;
            }
            receiveCertificate(expect());
            receiveServerKeyExchange(expect());
            TlsConnection.Incoming next = expect();
            while (next.type == Transitions.CERTIFICATE_REQUEST) { // RFC5246-7.4.4: optional, once (the core refuses a second)
                receiveCertificateRequest(next);
                next = expect();
            }
            receiveServerHelloDone(next);
            sendKeyExchangeAndFinished();
            expect();
            int before = core.state();
            decide(before, core.onChangeCipherSpec(), "change_cipher_spec", "ChangeCipherSpec out of order");
            c.record.setReadCipher(serverReadCipher); // RFC5246-7.1: the server's records are protected from here on
            receiveFinished(expect());
        }

        void sendClientHello() throws IOException, TlsFatalAlert {
            // RFC5246-7.4.1.2: gmt_unix_time (from the configured clock) + 28 random bytes.
            long now = config.clock.instant().getEpochSecond();
            byte[] random = c.clientRandom != null ? c.clientRandom // forwarded by a proxy (DEC-5/DEC-12 reconciliation)
                    : new TlsWriter().u16((int) (now >>> 16) & 0xffff).u16((int) now & 0xffff)
                    .bytes(crypto.random(28)).toByteArray();
            c.clientRandom = random;
            c.trace.secret(c.role, c.leg, "client_random", random);
            hello.serverName = c.serverName;
            hello.groups = config.groups;
            hello.signatureSchemes = config.signatureSchemes;
            hello.offerExtendedMasterSecret = config.offerExtendedMasterSecret;
            List<Extension> ext = config.extensions.produceClientHello(hello);
            if (config.clientHelloExtensionFilter != null) {
                // DEC-16: a proxy's session #2 carries only what its core forwards or processes, never what it drops.
                List<Extension> kept = new java.util.ArrayList<>();
                for (Extension x : ext) {
                    if (config.clientHelloExtensionFilter.test(x.type)) {
                        kept.add(x);
                    } else {
                        hello.clientHelloTypes.remove(x.type);
                        c.check("DEC-16", "extension " + ExtensionType.name(x.type) + " not carried upstream", true,
                                "the proxy's core drops it (00-R7/01-R8)");
                    }
                }
                ext = kept;
            }
            boolean offered = config.proxyInfoCheck != null
                    && hello.clientHelloTypes.contains(config.proxyInfoCheck.extensionType());
            if (offered != core.offeredProxyInfo()) {
                throw new TlsFatalAlert(AlertDescription.INTERNAL_ERROR, "DEC-13",
                        "the ClientHello's proxy_info offer differs from the configuration the core was given");
            }
            // DEC-22: offer the cached session for this host and peer, if any (RFC5246-7.4.1.2)
            offeredSession = Abbreviated.clientOffer(c, config);
            if (offeredSession != null) {
                c.check("DEC-22", "offers cached session " + offeredSession.idHex(), true,
                        (offeredSession.proxied ? "proxied" : "direct") + " session for " + c.serverName);
            }
            clientHello = new ClientHello(ProtocolVersion.TLS12, random,
                    offeredSession != null ? offeredSession.id : new byte[0], config.cipherSuites, new byte[] {0}, ext);
            c.sendHandshake(HandshakeType.CLIENT_HELLO, clientHello.encode(), clientHello.fields());
            c.flush();
            int before = core.state();
            decide(before, core.onClientHelloSent(), "client_hello sent", "ClientHello sent twice");
        }

        void receiveServerHello(TlsConnection.Incoming in) throws TlsFatalAlert {
            ServerHello sh = ServerHello.decode(in.framed.message.body);
            c.traceReceived(in.framed, sh.fields());
            c.addToTranscript(in.framed);
            boolean suiteOffered = clientHello.offersSuite(sh.cipherSuite) && CipherSuite.isSupported(sh.cipherSuite);
            boolean solicited = config.extensions.consumeServerHello(hello, sh.extensions);
            boolean renegOk = hello.peerRenegotiationInfoEmpty;
            Extension proxyInfoExt = Extension.find(sh.extensions, proxyInfoType());
            boolean proxyInfo = proxyInfoExt != null;
            keptProxyInfo = proxyInfo ? proxyInfoExt.data : null; // DEC-8: kept until after ServerKeyExchange
            if (offeredSession != null && sh.sessionId.length > 0 && java.util.Arrays.equals(sh.sessionId, offeredSession.id)) {
                // DEC-22: the server resumes; the abbreviated core takes over and checks the ServerHello against the cache
                Abbreviated.clientServerHello(c, Abbreviated.clientHandOver(c, offeredSession), offeredSession, sh, solicited,
                        renegOk, hello.peerExtendedMasterSecret, proxyInfo);
                return;
            }
            if (offeredSession != null) {
                config.sessions.remove(Abbreviated.clientKey(c));
                c.check("DEC-22", "the server declined cached session " + offeredSession.idHex(), true, "full handshake");
            }
            c.sessionId = sh.sessionId;
            c.check("RFC5246-7.4.1.3", "server_version is TLS 1.2", sh.serverVersion == ProtocolVersion.TLS12,
                    ProtocolVersion.name(sh.serverVersion));
            c.check("RFC5246-7.4.1.3", "cipher_suite was offered", suiteOffered, CipherSuite.name(sh.cipherSuite));
            c.check("RFC5246-7.4.1.4", "every ServerHello extension was offered", solicited, Extension.names(sh.extensions).toString());
            c.check("RFC5746-3.4", "renegotiation_info empty or absent", renegOk,
                    hello.peerRenegotiationInfo ? "present" : "absent");
            c.check("RFC7627-5.2", "extended_master_secret negotiated", hello.peerExtendedMasterSecret,
                    config.requireExtendedMasterSecret ? "required" : "optional");
            int before = core.state();
            int alert = core.onServerHello(sh.serverVersion, suiteOffered, sh.compressionMethod == 0, solicited, renegOk,
                    hello.peerExtendedMasterSecret, proxyInfo);
            decide(before, alert, "server_hello", "ServerHello refused: version " + ProtocolVersion.name(sh.serverVersion)
                    + ", suite " + CipherSuite.name(sh.cipherSuite) + ", extensions " + Extension.names(sh.extensions));
            c.record.setNegotiatedVersion(ProtocolVersion.TLS12);
            c.cipherSuite = sh.cipherSuite;
            c.serverRandom = sh.random;
            c.extendedMasterSecret = core.extendedMasterSecret();
            c.trace.secret(c.role, c.leg, "server_random", sh.random);
        }

        /** DEC-2: the proxy_info code point comes with the configured check; none in plain TLS. */
        private int proxyInfoType() {
            return config.proxyInfoCheck != null ? config.proxyInfoCheck.extensionType() : -1;
        }

        byte[] keptProxyInfo;
        List<byte[]> session1ChainDer;
        /** DEC-9: the summary of this handshake's acceptable-proxy check of session1ChainDer, once it passed. */
        String proxyCertificateAccepted;
        /** DEC-8: this connection's ProxyInfo decision (null in plain TLS). */
        ProxyInfoDecision decision;

        void receiveCertificate(TlsConnection.Incoming in) throws TlsFatalAlert {
            Certificate cert = Certificate.decode(in.framed.message.body);
            c.traceReceived(in.framed, cert.fields());
            c.addToTranscript(in.framed);
            if (cert.certificateList.isEmpty()) {
                throw new TlsFatalAlert(AlertDescription.DECODE_ERROR, "RFC5246-7.4.2",
                        "the server sent an empty certificate_list; an ECDHE suite needs a certificate");
            }
            List<X509Certificate> chain = Certificates.parse(cert.certificateList);
            c.peerChain = chain;
            serverCert = chain.get(0);
            boolean chainOk = true;
            boolean hostOk = true;
            int chainAlert = ClientHandshake.NO_ALERT;
            String detail;
            String refusal = null;
            session1ChainDer = cert.certificateList;
            try {
                if (core.proxyInfoReceived()) {
                    // DEC-9: with a ProxyInfo the session-#1 certificate is the proxy's, checked against proxy trust.
                    detail = config.proxyInfoCheck.verifyProxyCertificate(cert.certificateList);
                    proxyCertificateAccepted = detail;
                } else {
                    detail = config.verifier.verify(chain, cert.certificateList, c.serverName);
                }
                c.verification = detail;
            } catch (TlsFatalAlert e) {
                // The verifier checks path and name together; its requirement ID says which failed.
                if (e.requirementId().startsWith("RFC6125") || e.requirementId().startsWith("RFC2818")) {
                    hostOk = false;
                } else {
                    chainOk = false;
                    chainAlert = e.alert();
                }
                refusal = e.getMessage();
                detail = refusal + " (" + e.requirementId() + ")";
            }
            c.check("DEC-10", "server certificate chain (PKIX, validity, revocation)", chainOk, chainOk ? c.verification : detail);
            c.check("RFC6125-6.4", "server certificate names the intended host " + c.serverName, hostOk, hostOk ? null : detail);
            int before = core.state();
            int alert = core.onCertificateVerified(chainOk, chainAlert, hostOk);
            decide(before, alert, "certificate", "server certificate refused: " + refusal);
        }

        void receiveServerKeyExchange(TlsConnection.Incoming in) throws TlsFatalAlert {
            ske = ServerKeyExchange.decode(in.framed.message.body);
            c.traceReceived(in.framed, ske.fields());
            c.addToTranscript(in.framed);
            boolean groupOffered = HelloContext.contains(config.groups, ske.namedGroup);
            PublicKey key = serverCert.getPublicKey();
            boolean schemeOffered = HelloContext.contains(config.signatureSchemes, ske.signatureScheme);
            boolean fitsSuite = CipherSuite.isEcdsa(c.cipherSuite)
                    ? SignatureScheme.isEcdsa(ske.signatureScheme) && key instanceof ECPublicKey
                    : SignatureScheme.isRsa(ske.signatureScheme) && key instanceof RSAPublicKey;
            boolean sigOk = false;
            if (groupOffered && schemeOffered && fitsSuite) {
                byte[] signed = ServerKeyExchange.signedInput(c.clientRandom, c.serverRandom,
                        ServerKeyExchange.params(ske.namedGroup, ske.publicValue));
                sigOk = crypto.verify(key, ske.signatureScheme, signed, ske.signature);
            }
            c.check("RFC8422-5.4", "ECDHE group was offered", groupOffered, NamedGroup.name(ske.namedGroup));
            c.check("RFC5246-7.4.1.4.1", "signature scheme offered and fits suite and key", schemeOffered && fitsSuite,
                    SignatureScheme.name(ske.signatureScheme));
            c.check("RFC5246-7.4.3", "ServerKeyExchange signature verifies with the server certificate key", sigOk,
                    SignatureScheme.name(ske.signatureScheme));
            // RFC8422-5.11: the server's public value must be valid for the group. The key share is
            // made now, but nothing derived from it leaves before mayReleaseKeyMaterial() (DEC-8).
            boolean pointOk = false;
            String pointDetail = null;
            if (sigOk) {
                try {
                    share = crypto.generateKeyShare(ske.namedGroup);
                    premaster = share.agree(ske.publicValue);
                    pointOk = true;
                } catch (TlsFatalAlert e) {
                    pointDetail = e.getMessage();
                }
                c.check("RFC8422-5.11", "server ECDH public value valid for " + NamedGroup.name(ske.namedGroup), pointOk, pointDetail);
            }
            int before = core.state();
            int alert = core.onServerKeyExchange(groupOffered, schemeOffered && fitsSuite, sigOk, pointOk);
            decide(before, alert, "server_key_exchange", "ServerKeyExchange refused: group " + NamedGroup.name(ske.namedGroup)
                    + ", signature " + SignatureScheme.name(ske.signatureScheme) + (sigOk ? "" : " (did not verify)")
                    + (pointDetail == null ? "" : ", " + pointDetail));
            c.namedGroup = ske.namedGroup;
            c.signatureScheme = ske.signatureScheme;
        }

        /** The credential and scheme that answer the CertificateRequest, or null: an empty Certificate (RFC5246-7.4.6). */
        ServerCredential clientCredential;
        int clientScheme = -1;

        void receiveCertificateRequest(TlsConnection.Incoming in) throws TlsFatalAlert {
            CertificateRequest cr = CertificateRequest.decode(in.framed.message.body);
            c.traceReceived(in.framed, cr.fields());
            c.addToTranscript(in.framed);
            int before = core.state();
            decide(before, core.onCertificateRequest(), "certificate_request", "a second CertificateRequest");
            if (config.certificateRequestHook != null) {
                // DEC-23: the proxy's session #2 asks its host before answering (it may abandon this session #2)
                config.certificateRequestHook.onCertificateRequest(c);
            }
            ServerCredential mine = config.clientCredential;
            String answer;
            if (mine == null) {
                answer = "no client certificate configured: answering with an empty Certificate";
            } else {
                int type = mine.isEc() ? CertificateRequest.ECDSA_SIGN : CertificateRequest.RSA_SIGN;
                int scheme = -1;
                for (int s : config.signatureSchemes) {
                    boolean fits = mine.isEc() ? SignatureScheme.isEcdsa(s) : SignatureScheme.isRsa(s);
                    if (fits && cr.allowsScheme(s)) {
                        scheme = s;
                        break;
                    }
                }
                if (!cr.allowsType(type)) {
                    answer = "our certificate's type " + CertificateRequest.typeName(type) + " is not among the requested "
                            + cr.fields().get("certificate_types") + ": answering with an empty Certificate";
                } else if (scheme == -1) {
                    answer = "no signature scheme for our key among the requested " + cr.fields().get("supported_signature_algorithms")
                            + ": answering with an empty Certificate";
                } else {
                    clientCredential = mine;
                    clientScheme = scheme;
                    answer = "answering with " + mine.chain.get(0).getSubjectX500Principal().getName() + ", signing with "
                            + SignatureScheme.name(scheme);
                }
            }
            // Not a check that can fail: what the client will answer, so that the trace says why (RFC5246-7.4.6).
            c.check("RFC5246-7.4.6", "answer to the server's CertificateRequest", true, answer);
        }

        void receiveServerHelloDone(TlsConnection.Incoming in) throws TlsFatalAlert {
            ServerHelloDone.decode(in.framed.message.body);
            c.traceReceived(in.framed, Map.of("body", ""));
            c.addToTranscript(in.framed);
            int before = core.state();
            decide(before, core.onServerHelloDone(), "server_hello_done", "ServerHelloDone out of order");
            // DEC-8: a kept ProxyInfo would be checked here, before any key material leaves (proxy_info issue).
            if (core.proxyInfoReceived()) {
                // DEC-8: the checks feed this connection's ProxyInfoDecision; the client core consumes that decision
                // itself (the composition KeY proves: key material only if it is ACCEPTED).
                decision = new ProxyInfoDecision();
                String requirement = null;
                String detail;
                try {
                    detail = config.proxyInfoCheck.check(new ProxyInfoCheck.Facts(keptProxyInfo, c.clientRandom,
                            c.serverRandom, session1ChainDer, c.serverName, config.signatureSchemes, proxyCertificateAccepted,
                            core.offeredProxyInfo()),
                            decision);
                } catch (TlsFatalAlert e) {
                    requirement = e.requirementId();
                    detail = e.getMessage();
                    if (decision.stage() != ProxyInfoDecision.REFUSED) {
                        // a decoder or shell error before the decision refused: the decision refuses with its alert
                        decision.refuseOnError(e.alert());
                    }
                }
                boolean ok = decision.mayReleaseKeyMaterial();
                c.check("DEC-8", "ProxyInfo checked before any key material is sent", ok, detail);
                c.proxyInfoSummary = ok ? detail : null;
                c.peerProxyInfo = keptProxyInfo;
                before = core.state();
                decide(before, core.onProxyInfoChecked(decision, requirement), "proxy_info check",
                        "ProxyInfo refused: " + detail);
            }
        }

        void sendKeyExchangeAndFinished() throws IOException, TlsFatalAlert {
            boolean may = core.mayReleaseKeyMaterial(decision);
            c.check("DEC-8", "key material released only after certificate and ServerKeyExchange verified", may, null);
            if (!may) {
                throw new TlsFatalAlert(AlertDescription.INTERNAL_ERROR, "DEC-8", "key material not releasable");
            }
            c.trace.secret(c.role, c.leg, "ephemeral_private", share.privateValue());
            byte[] pms = premaster;
            c.trace.secret(c.role, c.leg, "premaster_secret", pms);
            boolean sign = false;
            if (core.certificateRequested()) {
                // RFC5246-7.4.6: a requested Certificate is always sent, empty when we have none that fits; our own
                // only when the core lets us sign for this peer (RFC5246-7.4.8, DEC-8).
                sign = clientCredential != null && core.maySignCertificateVerify(decision);
                if (sign && config.supplementalData != null) {
                    // DEC-23 (RFC 4680): a proxy's session #2 sends the client's chain and ProxyCertVerify before its own
                    // Certificate; the source asks the proxy's ClientCertMode core before it hands anything out (01-R15).
                    byte[] supp = config.supplementalData.supplementalData(c, c.serverRandom.clone());
                    c.sendHandshake(HandshakeType.SUPPLEMENTAL_DATA, supp,
                            org.proxyinfo.clientcert.ClientCertSupplement.decode(supp).fields());
                } else if (clientCredential != null && config.extensions.entry(ClientCertModeOffer.TYPE) instanceof ClientCertModeOffer mode
                        && mode.nonce() != null) {
                    // DEVIATION (DEC-23), the client on session #1: the proxy answered client_cert_mode with session #2's
                    // server_random and the origin's nonce; the client signs its ProxyCertVerify over them and the proxy's
                    // certificate only when ClientCertMode.maySignProxyCertVerify allows it (a proxy that passed DEC-9, an
                    // ACCEPTED ProxyInfo decision whose assertion carries that server_random), and sends it in a
                    // SupplementalData (RFC 4680) before its Certificate.
                    boolean maySign = core.maySignCertificateVerify(decision);
                    byte[] asserted = null;
                    if (maySign && keptProxyInfo != null) {
                        asserted = new org.proxyinfo.proxyinfo.ProxyInfoCodec().decodeFromServerHello(keptProxyInfo).serverRandom();
                    }
                    // DEC-9, DEC-23: the proxy certificate to sign is the session-#1 Certificate's leaf as received; the
                    // fact compares it with the chain this connection's ProxyInfo check accepted as hop 1's signer
                    List<byte[]> acceptedProxyChain = config.proxyInfoCheck.acceptedProxyChain();
                    byte[] supp = ClientCertModeClient.supplementalData(crypto, clientCredential, clientScheme, maySign, asserted,
                            mode.serverRandom(), mode.nonce(), acceptedProxyChain == null ? List.of() : acceptedProxyChain,
                            session1ChainDer.get(0));
                    c.check("DEC-23", "ProxyCertVerify signed for the origin behind this proxy", true,
                            "over session #2's server_random " + Hex.of(mode.serverRandom()) + " and the origin's nonce");
                    c.sendHandshake(HandshakeType.SUPPLEMENTAL_DATA, supp,
                            org.proxyinfo.clientcert.ClientCertSupplement.decode(supp).fields());
                }
                Certificate own = new Certificate(sign ? Certificates.encode(clientCredential.chain) : List.of());
                c.sendHandshake(HandshakeType.CERTIFICATE, own.encode(), own.fields());
                if (sign) {
                    c.localChain = clientCredential.chain;
                }
            }
            ClientKeyExchange cke = new ClientKeyExchange(share.publicValue());
            c.sendHandshake(HandshakeType.CLIENT_KEY_EXCHANGE, cke.encode(), cke.fields());
            byte[] sessionHash = c.transcriptHash(); // RFC7627-3: through ClientKeyExchange
            if (sign) {
                // RFC5246-7.4.8: signed over every handshake message so far, ClientHello .. ClientKeyExchange
                // (after the RFC 7627 session hash, which ends with ClientKeyExchange).
                byte[] sig = crypto.sign(clientCredential.privateKey, clientScheme, c.transcriptBytes());
                CertificateVerify cv = new CertificateVerify(clientScheme, sig);
                c.sendHandshake(HandshakeType.CERTIFICATE_VERIFY, cv.encode(), cv.fields());
            }
            byte[] master = KeyMaterial.masterSecret(crypto, c.cipherSuite, pms, c.extendedMasterSecret, sessionHash,
                    c.clientRandom, c.serverRandom);
            c.trace.secret(c.role, c.leg, "master_secret", master);
            masterSecret = master;
            byte[][] kb = KeyMaterial.keyBlock(crypto, c.cipherSuite, master, c.clientRandom, c.serverRandom);
            c.sendChangeCipherSpec();
            c.record.setWriteCipher(new RecordCipher(crypto, kb[0], kb[2]));
            serverReadCipher = new RecordCipher(crypto, kb[1], kb[3]);
            byte[] vd = KeyMaterial.verifyData(crypto, c.cipherSuite, master, true, c.transcriptHash());
            Finished fin = new Finished(vd);
            c.sendHandshake(HandshakeType.FINISHED, fin.encode(), fin.fields());
            c.flush();
            int before = core.state();
            decide(before, core.onKeyMaterialSent(decision), "client_key_exchange+finished sent", "key material not releasable");
        }

        byte[] masterSecret;
        RecordCipher serverReadCipher;
        TlsCrypto.KeyShare share;
        byte[] premaster;

        void receiveFinished(TlsConnection.Incoming in) throws TlsFatalAlert {
            // The read cipher becomes active with the server's ChangeCipherSpec (RFC5246-7.1); the
            // Finished record was already decrypted with it because we install it before reading on.
            Finished fin = Finished.decode(in.framed.message.body);
            c.traceReceived(in.framed, fin.fields());
            byte[] expected = KeyMaterial.verifyData(crypto, c.cipherSuite, masterSecret, false, c.transcriptHash());
            boolean ok = java.security.MessageDigest.isEqual(expected, fin.verifyData);
            c.addToTranscript(in.framed);
            c.check("RFC5246-7.4.9", "server Finished verify_data", ok, Hex.of(fin.verifyData));
            int before = core.state();
            decide(before, core.onServerFinished(ok), "finished", "server Finished does not verify");
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("server_name", c.serverName);
            p.put("client_random", Hex.of(c.clientRandom));
            p.put("server_random", Hex.of(c.serverRandom));
            p.put("version", "TLSv1.2");
            p.put("cipher_suite", CipherSuite.name(c.cipherSuite));
            p.put("server_cert_sha256", Certificates.sha256(crypto, serverCert));
            if (core.proxyInfoReceived() && config.proxyInfoCheck.upstreamForTrace() != null) {
                // a proxied session: what each hop reported about its upstream session (DESIGN.md Commit)
                p.put("upstream", config.proxyInfoCheck.upstreamForTrace());
            }
            if (core.isEstablished()) {
                c.trace.claim(c.role, c.leg, "Commit", p);
                c.markEstablished();
                // DEC-22: cached with its proxy key (the session-#1 chain) and the accepted ProxyInfo when proxied
                Abbreviated.clientStore(c, config, c.sessionId, masterSecret, core.proxyInfoReceived(),
                        core.proxyInfoReceived() ? keptProxyInfo : null, session1ChainDer);
            }
        }
    }
}
