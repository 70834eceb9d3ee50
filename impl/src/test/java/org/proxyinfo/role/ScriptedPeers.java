package org.proxyinfo.role;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.crypto.DeterministicRandom;
import org.proxyinfo.crypto.TlsCrypto;
import org.proxyinfo.ext.ExtensionTable;
import org.proxyinfo.ext.HelloContext;
import org.proxyinfo.record.HandshakeAssembler;
import org.proxyinfo.record.Record;
import org.proxyinfo.record.RecordCipher;
import org.proxyinfo.record.RecordLayer;
import org.proxyinfo.wire.Certificate;
import org.proxyinfo.wire.CipherSuite;
import org.proxyinfo.wire.ClientHello;
import org.proxyinfo.wire.ClientKeyExchange;
import org.proxyinfo.wire.ContentType;
import org.proxyinfo.wire.Extension;
import org.proxyinfo.wire.ExtensionType;
import org.proxyinfo.wire.Finished;
import org.proxyinfo.wire.HandshakeMessage;
import org.proxyinfo.wire.HandshakeType;
import org.proxyinfo.wire.NamedGroup;
import org.proxyinfo.wire.ServerHello;
import org.proxyinfo.wire.ServerKeyExchange;
import org.proxyinfo.wire.SignatureScheme;
import org.proxyinfo.wire.TlsFatalAlert;
import org.proxyinfo.wire.TlsWriter;

/**
 * Scripted TLS 1.2 peers for the deviant-trace catalogue (SMACK-style): each computes the honest
 * flight from what the role under test really sent (real randoms, real signatures, real keys),
 * then lets a deviation rewrite the flight as a list of {@link Msg}s before it goes on the wire.
 * The peers keep their own honest transcript, as a man in the middle would not.
 */
final class ScriptedPeers {
    private ScriptedPeers() { }

    static final int TLS12 = 0x0303;

    /** One unit on the wire: a handshake message (encoded with its header), a CCS, an alert or data. */
    static final class Msg {
        final String name;
        final int contentType;
        final byte[] bytes;
        int recordVersion = TLS12;
        boolean tamperRecord;
        /** Send this unit as records of at most this many bytes (0: one record); plaintext only. */
        int recordSize;

        Msg(String name, int contentType, byte[] bytes) {
            this.name = name;
            this.contentType = contentType;
            this.bytes = bytes;
        }

        static Msg handshake(int type, byte[] body) {
            return new Msg(HandshakeType.name(type), ContentType.HANDSHAKE, new HandshakeMessage(type, body).encoded());
        }

        static Msg ccs() {
            return new Msg("change_cipher_spec", ContentType.CHANGE_CIPHER_SPEC, new byte[] {1});
        }

        Msg copy() {
            Msg m = new Msg(name, contentType, bytes.clone());
            m.recordVersion = recordVersion;
            m.tamperRecord = tamperRecord;
            m.recordSize = recordSize;
            return m;
        }

        /** The handshake body (without the 4-byte header). */
        byte[] body() {
            return Arrays.copyOfRange(bytes, 4, bytes.length);
        }

        /** The same handshake type with another body (length field recomputed). */
        Msg withBody(byte[] body) {
            Msg m = new Msg(name, contentType, new HandshakeMessage(bytes[0] & 0xff, body).encoded());
            m.recordVersion = recordVersion;
            return m;
        }
    }

    /** Stops a script: the role under test ended (alert or EOF), nothing more to say. */
    static final class Stop extends Exception {
        private static final long serialVersionUID = 1L;

        Stop(String why) {
            super(why);
        }
    }

    /** Everything the role under test sent, for the release checks. */
    static final class Tee extends FilterInputStream {
        final ByteArrayOutputStream seen = new ByteArrayOutputStream();

        Tee(InputStream in) {
            super(in);
        }

        @Override public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                seen.write(b);
            }
            return b;
        }

        @Override public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                seen.write(b, off, n);
            }
            return n;
        }

        synchronized byte[] bytes() {
            return seen.toByteArray();
        }
    }

    /** Reads the rest until the role closes (tolerating read timeouts up to a deadline). */
    static void drain(InputStream in, long millis) {
        long deadline = System.currentTimeMillis() + millis;
        byte[] buf = new byte[4096];
        while (System.currentTimeMillis() < deadline) {
            try {
                if (in.read(buf) < 0) {
                    return;
                }
            } catch (SocketTimeoutException e) {
                // keep waiting for the role's close
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Writes a flight; after a CCS the given cipher (if any) protects the following records. */
    static void send(OutputStream out, List<Msg> flight, RecordCipher afterCcs) throws IOException, TlsFatalAlert {
        RecordCipher active = null;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (Msg m : flight) {
            if (active == null && m.recordSize > 0) {
                for (int off = 0; off < m.bytes.length; off += m.recordSize) {
                    byte[] part = Arrays.copyOfRange(m.bytes, off, Math.min(m.bytes.length, off + m.recordSize));
                    b.write(new TlsWriter().u8(m.contentType).u16(m.recordVersion).vector(2, part).toByteArray());
                }
                continue;
            }
            byte[] frag = active == null ? m.bytes : active.seal(m.contentType, m.recordVersion, m.bytes);
            if (m.tamperRecord) {
                frag = frag.clone();
                frag[frag.length - 1] ^= 0x01;
            }
            b.write(new TlsWriter().u8(m.contentType).u16(m.recordVersion).vector(2, frag).toByteArray());
            if (m.contentType == ContentType.CHANGE_CIPHER_SPEC && afterCcs != null) {
                active = afterCcs;
            }
        }
        out.write(b.toByteArray());
        out.flush();
    }

    /** The peer's reader: handshake messages and CCS from the role, Stop on alert or EOF. */
    static final class Reader {
        final RecordLayer records;
        final HandshakeAssembler assembler = new HandshakeAssembler();

        Reader(InputStream in) {
            this.records = new RecordLayer(in, OutputStream.nullOutputStream());
        }

        /** Next handshake message, or -1 type for a CCS. */
        HandshakeMessage next() throws IOException, Stop {
            while (true) {
                try {
                    HandshakeAssembler.Framed f = assembler.next();
                    if (f != null) {
                        return f.message;
                    }
                    Record r = records.read();
                    if (r == null) {
                        throw new Stop("EOF");
                    }
                    if (r.type == ContentType.ALERT) {
                        throw new Stop("alert " + (r.length == 2 ? r.byteAt(1) : -1));
                    }
                    if (r.type == ContentType.CHANGE_CIPHER_SPEC) {
                        return new HandshakeMessage(-1, r.fragment());
                    }
                    if (r.type == ContentType.HANDSHAKE) {
                        assembler.add(r.fragment());
                    } else {
                        throw new Stop("record type " + r.type);
                    }
                } catch (TlsFatalAlert e) {
                    throw new Stop("unreadable: " + e.getMessage());
                } catch (SocketTimeoutException e) {
                    throw new Stop("timeout");
                }
            }
        }

        HandshakeMessage expect(int type) throws IOException, Stop {
            HandshakeMessage m = next();
            if (m.type != type) {
                throw new Stop("expected " + type + ", got " + m.type);
            }
            return m;
        }
    }

    /** DEC-22: a session a scripted peer made (or is told to resume): its ID, master secret and suite. */
    static final class Resumable {
        volatile byte[] id;
        volatile byte[] master;
        volatile int suite;
    }

    /** The keys of one session as both ends derive them. */
    static final class Keys {
        byte[] master;
        byte[][] block;
    }

    static Keys keys(TlsCrypto crypto, int suite, byte[] pms, byte[] sessionHash, byte[] cr, byte[] sr) {
        Keys k = new Keys();
        k.master = KeyMaterial.masterSecret(crypto, suite, pms, true, sessionHash, cr, sr);
        k.block = KeyMaterial.keyBlock(crypto, suite, k.master, cr, sr);
        return k;
    }

    static byte[] hash(TlsCrypto crypto, int suite, ByteArrayOutputStream transcript) {
        return crypto.hash(CipherSuite.prfHash(suite), transcript.toByteArray());
    }

    // =============================================================================================
    /** A scripted server for our client: SH, Certificate, SKE, SHD; then CCS, Finished, close_notify. */
    static final class Server {
        UnaryOperator<List<Extension>> serverHelloExtensions = UnaryOperator.identity();
        UnaryOperator<List<Msg>> flight1 = UnaryOperator.identity();
        UnaryOperator<List<Msg>> flight2 = UnaryOperator.identity();
        /** proxy_info extension_data from (client_random, server_random), or null: none. */
        BiFunction<byte[], byte[], byte[]> proxyInfo;
        ServerCredential credential = TestCredentials.EC;
        int suite = CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
        int group = NamedGroup.X25519;
        /** DEC-22: a full handshake gives this session_id and records the session here (null: no session_id). */
        Resumable issue;
        /** DEC-22: a ClientHello offering this session is answered with an abbreviated handshake (RFC 5246 Figure 2). */
        Resumable resume;
        /** DEC-22: the abbreviated ServerHello's cipher_suite (-1: the cached session's). */
        int resumedSuite = -1;
        /** DEC-22: the abbreviated ServerHello's session_id (null: the offered one). */
        byte[] resumedSessionId;
        /** DEVIATION (DEC-23): the client_cert_mode answer from (client_random, server_random), or null: none. */
        BiFunction<byte[], byte[], byte[]> clientCertMode;
        /** DEC-23: the SupplementalData body the client sent before its Certificate, or null. */
        volatile byte[] supplementalSeen;
        /** DEC-23: what a case requires of {@link #supplementalSeen} (null: not checked). */
        java.util.function.Predicate<byte[]> expectSupplemental;
        /** The ServerHello.random of the last full handshake. */
        volatile byte[] serverRandomSent;
        /** RFC5246-7.4.4: a CertificateRequest body sent (in the transcript) before ServerHelloDone; null: none. */
        byte[] certificateRequest;
        /**
         * What the client answered the CertificateRequest with (RFC5246-7.4.6, 7.4.8): "none" (no Certificate), "empty",
         * "verified" (a chain and a CertificateVerify that verifies with its leaf over the transcript) or "not verified".
         */
        volatile String clientAuthSeen = "none";
        /** The client answer a case expects (see {@link #clientAuthSeen}); null: not checked. */
        String expectClientAuth;
        /** DEC-5a reverse confusion: sign ServerKeyExchange over the bound assertion input instead of its own. */
        boolean skeSignedAsAssertion;
        String stoppedBecause;

        void run(org.proxyinfo.role.Transport t, Tee in) {
            TlsCrypto crypto = new BcTlsCrypto(DeterministicRandom.fromLabel("scripted server"));
            OutputStream out = t.output();
            try {
                Reader r = new Reader(in);
                HandshakeMessage chMsg = r.expect(HandshakeType.CLIENT_HELLO);
                ClientHello ch = ClientHello.decode(chMsg.body);
                ByteArrayOutputStream transcript = new ByteArrayOutputStream();
                transcript.write(chMsg.encoded());
                if (resume != null && resume.id != null && Arrays.equals(ch.sessionId, resume.id)) {
                    abbreviated(crypto, r, out, ch, transcript);
                    drain(in, 8000);
                    t.close();
                    return;
                }
                byte[] sr = crypto.random(32);
                serverRandomSent = sr;
                List<Extension> ext = new ArrayList<>(List.of(new Extension(ExtensionType.EXTENDED_MASTER_SECRET, new byte[0]),
                        new Extension(ExtensionType.RENEGOTIATION_INFO, new byte[] {0})));
                if (proxyInfo != null) {
                    ext.add(new Extension(0xFF50, proxyInfo.apply(ch.random, sr)));
                }
                if (clientCertMode != null) {
                    ext.add(new Extension(org.proxyinfo.clientcert.ClientCertModeOffer.TYPE, clientCertMode.apply(ch.random, sr)));
                }
                ext = serverHelloExtensions.apply(ext);
                List<Msg> f1 = new ArrayList<>();
                byte[] sid = issue != null ? crypto.random(32) : new byte[0];
                f1.add(Msg.handshake(HandshakeType.SERVER_HELLO, new ServerHello(TLS12, sr, sid, suite, 0, ext).encode()));
                f1.add(Msg.handshake(HandshakeType.CERTIFICATE, new Certificate(Certificates.encode(credential.chain)).encode()));
                TlsCrypto.KeyShare share = crypto.generateKeyShare(group);
                byte[] params = ServerKeyExchange.params(group, share.publicValue());
                byte[] sig = crypto.sign(credential.privateKey, SignatureScheme.ECDSA_SECP256R1_SHA256,
                        skeSignedAsAssertion ? org.proxyinfo.proxyinfo.SigningMode.BOUND.signedInput(ch.random, sr, params)
                                : ServerKeyExchange.signedInput(ch.random, sr, params));
                f1.add(Msg.handshake(HandshakeType.SERVER_KEY_EXCHANGE,
                        new ServerKeyExchange(group, share.publicValue(), SignatureScheme.ECDSA_SECP256R1_SHA256, sig).encode()));
                if (certificateRequest != null) {
                    f1.add(Msg.handshake(HandshakeType.CERTIFICATE_REQUEST, certificateRequest));
                }
                f1.add(Msg.handshake(HandshakeType.SERVER_HELLO_DONE, new byte[0]));
                for (Msg m : f1) {
                    transcript.write(m.bytes);
                }
                send(out, flight1.apply(copy(f1)), null);

                HandshakeMessage cke = r.next();
                if (certificateRequest != null && clientCertMode != null && cke.type == HandshakeType.SUPPLEMENTAL_DATA) {
                    transcript.write(cke.encoded()); // RFC 4680, DEC-23: before the Certificate
                    supplementalSeen = cke.body.clone();
                    cke = r.next();
                }
                List<byte[]> clientChain = null;
                if (certificateRequest != null && cke.type == HandshakeType.CERTIFICATE) { // RFC5246-7.4.6
                    transcript.write(cke.encoded());
                    clientChain = Certificate.decode(cke.body).certificateList;
                    clientAuthSeen = clientChain.isEmpty() ? "empty" : "not verified";
                    cke = r.next();
                }
                if (cke.type != HandshakeType.CLIENT_KEY_EXCHANGE) {
                    throw new Stop("expected " + HandshakeType.CLIENT_KEY_EXCHANGE + ", got " + cke.type);
                }
                transcript.write(cke.encoded());
                byte[] pms = share.agree(ClientKeyExchange.decode(cke.body).publicValue);
                Keys k = keys(crypto, suite, pms, hash(crypto, suite, transcript), ch.random, sr);
                if (clientChain != null && !clientChain.isEmpty()) { // RFC5246-7.4.8: over every message before it
                    HandshakeMessage cv = r.expect(HandshakeType.CERTIFICATE_VERIFY);
                    org.proxyinfo.wire.CertificateVerify v = org.proxyinfo.wire.CertificateVerify.decode(cv.body);
                    boolean ok = crypto.verify(org.proxyinfo.pki.Pem.certificate(clientChain.get(0)).getPublicKey(), v.signatureScheme,
                            transcript.toByteArray(), v.signature);
                    transcript.write(cv.encoded());
                    clientAuthSeen = ok ? "verified" : "not verified";
                }
                r.expect(-1);
                r.records.setReadCipher(new RecordCipher(crypto, k.block[0], k.block[2]));
                r.records.setNegotiatedVersion(TLS12);
                HandshakeMessage fin = r.expect(HandshakeType.FINISHED);
                transcript.write(fin.encoded());
                byte[] vd = KeyMaterial.verifyData(crypto, suite, k.master, false, hash(crypto, suite, transcript));
                List<Msg> f2 = new ArrayList<>(List.of(Msg.ccs(), Msg.handshake(HandshakeType.FINISHED, new Finished(vd).encode())));
                f2 = new ArrayList<>(flight2.apply(f2));
                closeIfFinished(f2);
                if (issue != null) {
                    issue.master = k.master;
                    issue.suite = suite;
                    issue.id = sid;
                }
                send(out, f2, new RecordCipher(crypto, k.block[1], k.block[3]));
            } catch (Stop e) {
                stoppedBecause = e.getMessage();
            } catch (Exception e) {
                stoppedBecause = "script error: " + e;
            }
            drain(in, 8000);
            t.close();
        }

        /**
         * RFC 5246 Figure 2: ServerHello (echoing the session_id), ChangeCipherSpec, Finished as flight1 (deviations
         * apply to it), keyed with the cached master secret and the fresh randoms; then the client's CCS and Finished.
         */
        private void abbreviated(TlsCrypto crypto, Reader r, OutputStream out, ClientHello ch, ByteArrayOutputStream transcript) {
            try {
                byte[] sr = crypto.random(32);
                int s = resumedSuite >= 0 ? resumedSuite : resume.suite;
                List<Extension> ext = new ArrayList<>(List.of(new Extension(ExtensionType.EXTENDED_MASTER_SECRET, new byte[0]),
                        new Extension(ExtensionType.RENEGOTIATION_INFO, new byte[] {0})));
                if (proxyInfo != null) {
                    ext.add(new Extension(0xFF50, proxyInfo.apply(ch.random, sr)));
                }
                ext = serverHelloExtensions.apply(ext);
                Msg sh = Msg.handshake(HandshakeType.SERVER_HELLO,
                        new ServerHello(TLS12, sr, resumedSessionId != null ? resumedSessionId : resume.id, s, 0, ext).encode());
                transcript.write(sh.bytes);
                byte[][] block = KeyMaterial.keyBlock(crypto, resume.suite, resume.master, ch.random, sr);
                byte[] vd = KeyMaterial.verifyData(crypto, resume.suite, resume.master, false, hash(crypto, resume.suite, transcript));
                Msg fin = Msg.handshake(HandshakeType.FINISHED, new Finished(vd).encode());
                transcript.write(fin.bytes);
                List<Msg> f1 = new ArrayList<>(List.of(sh, Msg.ccs(), fin));
                send(out, flight1.apply(copy(f1)), new RecordCipher(crypto, block[1], block[3]));
                r.records.setNegotiatedVersion(TLS12);
                r.expect(-1);
                r.records.setReadCipher(new RecordCipher(crypto, block[0], block[2]));
                HandshakeMessage cfin = r.expect(HandshakeType.FINISHED);
                byte[] expected = KeyMaterial.verifyData(crypto, resume.suite, resume.master, true, hash(crypto, resume.suite, transcript));
                if (!Arrays.equals(expected, Finished.decode(cfin.body).verifyData)) {
                    throw new Stop("the client's Finished does not verify");
                }
                RecordCipher write = new RecordCipher(crypto, block[1], block[3]);
                write.seal(ContentType.HANDSHAKE, TLS12, fin.bytes); // the Finished took sequence number 0
                byte[] close = write.seal(ContentType.ALERT, TLS12, new byte[] {1, 0});
                out.write(new TlsWriter().u8(ContentType.ALERT).u16(TLS12).vector(2, close).toByteArray());
                out.flush();
            } catch (Stop e) {
                stoppedBecause = e.getMessage();
            } catch (Exception e) {
                stoppedBecause = "script error: " + e;
            }
        }
    }

    // =============================================================================================
    /** A scripted client for our server: ClientHello; then ClientKeyExchange, CCS, Finished, close_notify. */
    static final class Client {
        UnaryOperator<List<Extension>> clientHelloExtensions = UnaryOperator.identity();
        int version = TLS12;
        int[] suites = {CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256};
        int[] groups = {NamedGroup.X25519, NamedGroup.SECP256R1};
        byte[] compression = {0};
        UnaryOperator<List<Msg>> flight1 = UnaryOperator.identity();
        UnaryOperator<List<Msg>> flight2 = UnaryOperator.identity();
        /** The SignatureScheme of the server's (verified) ServerKeyExchange, or -1. */
        volatile int skeScheme = -1;
        /** Replaces the ClientKeyExchange public value (e.g. an invalid point); null: honest. */
        byte[] keyShareOverride;
        /** DEC-22: a full handshake records the session the server gave here. */
        Resumable issue;
        /** DEC-22: the ClientHello offers this session; an echoing ServerHello runs the abbreviated handshake. */
        Resumable resume;
        /**
         * RFC5246-7.4.6, 7.4.8 (issue 13): the certificate and key this client answers a CertificateRequest with; null
         * answers with an empty Certificate. Its CertificateVerify is signed with the impl's crypto over the real
         * transcript (every handshake message before it).
         */
        ServerCredential credential;
        /** The CertificateVerify's SignatureScheme (-1: the first requested scheme that fits the key). */
        int certificateVerifyScheme = -1;
        /** Sign the CertificateVerify with this key instead of the credential's (a signature that cannot verify). */
        java.security.PrivateKey certificateVerifyKey;
        /** Answer with a Certificate (and CertificateVerify) even when the server sent no CertificateRequest. */
        boolean certificateUnasked;
        /**
         * RFC 4680, DEVIATION (DEC-23): a SupplementalData body sent before the Certificate, computed from the ServerHello
         * and the server's certificate_list (null: none).
         */
        BiFunction<ServerHello, List<byte[]>, byte[]> supplementalData;
        /** The CertificateRequest the server sent (RFC5246-7.4.4), or null. */
        volatile org.proxyinfo.wire.CertificateRequest certificateRequest;
        String stoppedBecause;

        void run(org.proxyinfo.role.Transport t, Tee in) {
            TlsCrypto crypto = new BcTlsCrypto(DeterministicRandom.fromLabel("scripted client"));
            OutputStream out = t.output();
            try {
                HelloContext ctx = new HelloContext();
                ctx.serverName = TestCredentials.HOST;
                ctx.groups = groups;
                ctx.signatureSchemes = SignatureScheme.SUPPORTED;
                List<Extension> ext = clientHelloExtensions.apply(new ArrayList<>(ExtensionTable.DEFAULT.produceClientHello(ctx)));
                byte[] cr = crypto.random(32);
                byte[] offer = resume != null && resume.id != null ? resume.id : new byte[0];
                Msg ch = Msg.handshake(HandshakeType.CLIENT_HELLO, new ClientHello(version, cr, offer, suites, compression, ext).encode());
                ByteArrayOutputStream transcript = new ByteArrayOutputStream();
                transcript.write(ch.bytes);
                List<Msg> f1 = new ArrayList<>(List.of(ch));
                send(out, flight1.apply(copy(f1)), null);

                Reader r = new Reader(in);
                HandshakeMessage shMsg = r.expect(HandshakeType.SERVER_HELLO);
                ServerHello sh = ServerHello.decode(shMsg.body);
                transcript.write(shMsg.encoded());
                r.records.setNegotiatedVersion(TLS12);
                if (offer.length > 0 && Arrays.equals(sh.sessionId, offer)) {
                    // RFC 5246 Figure 2: the server's CCS and Finished, then ours (flight2 deviations apply)
                    byte[][] block = KeyMaterial.keyBlock(crypto, resume.suite, resume.master, cr, sh.random);
                    r.expect(-1);
                    r.records.setReadCipher(new RecordCipher(crypto, block[1], block[3]));
                    HandshakeMessage sfin = r.expect(HandshakeType.FINISHED);
                    byte[] want = KeyMaterial.verifyData(crypto, resume.suite, resume.master, false, hash(crypto, resume.suite, transcript));
                    if (!Arrays.equals(want, Finished.decode(sfin.body).verifyData)) {
                        throw new Stop("the server's Finished does not verify");
                    }
                    transcript.write(sfin.encoded());
                    byte[] vd = KeyMaterial.verifyData(crypto, resume.suite, resume.master, true, hash(crypto, resume.suite, transcript));
                    List<Msg> f2 = new ArrayList<>(List.of(Msg.ccs(), Msg.handshake(HandshakeType.FINISHED, new Finished(vd).encode())));
                    f2 = new ArrayList<>(flight2.apply(f2));
                    closeIfFinished(f2);
                    send(out, f2, new RecordCipher(crypto, block[0], block[2]));
                    drain(in, 8000);
                    t.close();
                    return;
                }
                HandshakeMessage cert = r.expect(HandshakeType.CERTIFICATE);
                transcript.write(cert.encoded());
                HandshakeMessage skeMsg = r.expect(HandshakeType.SERVER_KEY_EXCHANGE);
                transcript.write(skeMsg.encoded());
                ServerKeyExchange ske = ServerKeyExchange.decode(skeMsg.body);
                // like a real client: the ServerKeyExchange signature must verify with the leaf's key
                java.security.cert.X509Certificate leaf = org.proxyinfo.pki.Pem.certificate(
                        org.proxyinfo.wire.Certificate.decode(cert.body).certificateList.get(0));
                if (!crypto.verify(leaf.getPublicKey(), ske.signatureScheme,
                        ServerKeyExchange.signedInput(cr, sh.random, ServerKeyExchange.params(ske.namedGroup, ske.publicValue)),
                        ske.signature)) {
                    throw new Stop("ServerKeyExchange signature (" + SignatureScheme.name(ske.signatureScheme) + ") does not verify");
                }
                skeScheme = ske.signatureScheme;
                HandshakeMessage shd = r.next();
                if (shd.type == HandshakeType.CERTIFICATE_REQUEST) { // RFC5246-7.4.4
                    transcript.write(shd.encoded());
                    certificateRequest = org.proxyinfo.wire.CertificateRequest.decode(shd.body);
                    shd = r.next();
                }
                if (shd.type != HandshakeType.SERVER_HELLO_DONE) {
                    throw new Stop("expected " + HandshakeType.SERVER_HELLO_DONE + ", got " + shd.type);
                }
                transcript.write(shd.encoded());

                List<Msg> f2 = new ArrayList<>();
                boolean answer = certificateRequest != null || certificateUnasked;
                if (answer && supplementalData != null) { // RFC 4680: before the Certificate (DEC-23)
                    Msg supp = Msg.handshake(HandshakeType.SUPPLEMENTAL_DATA, supplementalData.apply(sh,
                            org.proxyinfo.wire.Certificate.decode(cert.body).certificateList));
                    transcript.write(supp.bytes);
                    f2.add(supp);
                }
                if (answer) { // RFC5246-7.4.6: our chain, or an empty Certificate
                    Msg own = Msg.handshake(HandshakeType.CERTIFICATE, new org.proxyinfo.wire.Certificate(
                            credential == null ? List.of() : Certificates.encode(credential.chain)).encode());
                    transcript.write(own.bytes);
                    f2.add(own);
                }
                TlsCrypto.KeyShare share = crypto.generateKeyShare(ske.namedGroup);
                byte[] pms = share.agree(ske.publicValue);
                Msg cke = Msg.handshake(HandshakeType.CLIENT_KEY_EXCHANGE,
                        new ClientKeyExchange(keyShareOverride != null ? keyShareOverride : share.publicValue()).encode());
                transcript.write(cke.bytes);
                f2.add(cke);
                int suite = sh.cipherSuite;
                Keys k = keys(crypto, suite, pms, hash(crypto, suite, transcript), cr, sh.random); // RFC7627-4: up to CKE
                if (answer && credential != null) {
                    // RFC5246-7.4.8: signed over every handshake message before the CertificateVerify
                    int scheme = certificateVerifyScheme >= 0 ? certificateVerifyScheme : certificateVerifyScheme(credential,
                            certificateRequest == null ? SignatureScheme.SUPPORTED : certificateRequest.supportedSignatureAlgorithms);
                    byte[] sig = crypto.sign(certificateVerifyKey != null ? certificateVerifyKey : credential.privateKey, scheme,
                            transcript.toByteArray());
                    Msg cv = Msg.handshake(HandshakeType.CERTIFICATE_VERIFY, new org.proxyinfo.wire.CertificateVerify(scheme, sig).encode());
                    transcript.write(cv.bytes);
                    f2.add(cv);
                }
                byte[] vd = KeyMaterial.verifyData(crypto, suite, k.master, true, hash(crypto, suite, transcript));
                f2.add(Msg.ccs());
                f2.add(Msg.handshake(HandshakeType.FINISHED, new Finished(vd).encode()));
                f2 = new ArrayList<>(flight2.apply(f2));
                closeIfFinished(f2);
                if (issue != null) {
                    issue.master = k.master;
                    issue.suite = suite;
                    issue.id = sh.sessionId;
                }
                send(out, f2, new RecordCipher(crypto, k.block[0], k.block[2]));
            } catch (Stop e) {
                stoppedBecause = e.getMessage();
            } catch (Exception e) {
                stoppedBecause = "script error: " + e;
            }
            drain(in, 8000);
            t.close();
        }
    }

    /** The first scheme of the CertificateRequest (or SUPPORTED without one) that fits the credential's key. */
    static int certificateVerifyScheme(ServerCredential own, int[] requested) {
        boolean ec = own.privateKey instanceof java.security.interfaces.ECPrivateKey || "EC".equals(own.privateKey.getAlgorithm());
        for (int s : requested) {
            if (org.proxyinfo.ext.HelloContext.contains(SignatureScheme.SUPPORTED, s) && (ec ? SignatureScheme.isEcdsa(s) : SignatureScheme.isRsa(s))) {
                return s;
            }
        }
        throw new IllegalStateException("no scheme for " + own.privateKey.getAlgorithm());
    }

    /** A peer that sent its Finished ends with close_notify; one that skipped it goes silent. */
    static void closeIfFinished(List<Msg> f) {
        for (Msg m : f) {
            if (m.name.equals("finished")) {
                f.add(new Msg("close_notify", ContentType.ALERT, new byte[] {1, 0}));
                return;
            }
        }
    }

    static List<Msg> copy(List<Msg> l) {
        List<Msg> out = new ArrayList<>();
        for (Msg m : l) {
            out.add(m.copy());
        }
        return out;
    }

    static List<byte[]> ders(List<X509Certificate> chain) {
        return Certificates.encode(chain);
    }
}
