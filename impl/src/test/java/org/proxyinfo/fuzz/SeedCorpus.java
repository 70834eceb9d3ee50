package org.proxyinfo.fuzz;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.crypto.DeterministicRandom;
import org.proxyinfo.ext.ExtensionTable;
import org.proxyinfo.ext.HelloContext;
import org.proxyinfo.ext.TlsExtension;
import org.proxyinfo.pki.Credential;
import org.proxyinfo.pki.TestPki;
import org.proxyinfo.proxyinfo.ConnectionSecurityParameters;
import org.proxyinfo.proxyinfo.ProxyInfoCodec;
import org.proxyinfo.proxyinfo.ProxyInfoSigner;
import org.proxyinfo.proxyinfo.SignedProxyInfo;
import org.proxyinfo.proxyinfo.SigningMode;
import org.proxyinfo.record.RecordCipher;
import org.proxyinfo.wire.Certificate;
import org.proxyinfo.wire.CipherSuite;
import org.proxyinfo.wire.ClientHello;
import org.proxyinfo.wire.ClientKeyExchange;
import org.proxyinfo.wire.Extension;
import org.proxyinfo.wire.ExtensionType;
import org.proxyinfo.wire.Finished;
import org.proxyinfo.wire.HandshakeMessage;
import org.proxyinfo.wire.NamedGroup;
import org.proxyinfo.wire.ServerHello;
import org.proxyinfo.wire.ServerKeyExchange;
import org.proxyinfo.wire.SignatureScheme;
import org.proxyinfo.wire.TlsWriter;

/**
 * Writes the seed inputs (valid messages of every kind, made by our own encoders from the test
 * PKI) into the regression-input directories. Run once; the files are committed:
 * {@code java -cp ... org.proxyinfo.fuzz.SeedCorpus src/test/resources/org/proxyinfo/fuzz/DecoderFuzzTestInputs}.
 */
public final class SeedCorpus {
    private SeedCorpus() { }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        BcTlsCrypto crypto = new BcTlsCrypto(DeterministicRandom.fromLabel("seed corpus"));
        TestPki pki = TestPki.generateDefault();
        HelloContext ctx = new HelloContext();
        ctx.serverName = "localhost";
        ctx.groups = NamedGroup.SUPPORTED;
        ctx.signatureSchemes = SignatureScheme.SUPPORTED;
        List<Extension> chExt = new ArrayList<>(ExtensionTable.DEFAULT.produceClientHello(ctx));
        chExt.add(new Extension(0xFF50, new byte[] {0}));
        byte[] clientRandom = crypto.random(32);
        byte[] ch = new ClientHello(0x0303, clientRandom, new byte[0], CipherSuite.SUPPORTED, new byte[] {0}, chExt).encode();
        write(root, "clientHello", "seed-1", ch);
        byte[] serverRandom = crypto.random(32);
        List<Extension> shExt = List.of(new Extension(ExtensionType.EXTENDED_MASTER_SECRET, new byte[0]),
                new Extension(ExtensionType.RENEGOTIATION_INFO, new byte[] {0}));
        byte[] sh = new ServerHello(0x0303, serverRandom, new byte[0], CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, 0, shExt).encode();
        write(root, "serverHello", "seed-1", sh);
        List<byte[]> chain = ders(pki.serverEcdsa());
        byte[] cert = new Certificate(chain).encode();
        write(root, "certificate", "seed-1", cert);
        write(root, "certificateChain", "seed-1", cert);
        write(root, "certificateChain", "seed-rsa", new Certificate(ders(pki.serverRsa())).encode());
        for (X509Certificate x : pki.serverEcdsa().chain()) {
            write(root, "x509", "seed-" + x.getSubjectX500Principal().getName().hashCode(), x.getEncoded());
        }
        byte[] point = crypto.generateKeyShare(NamedGroup.X25519).publicValue();
        byte[] params = ServerKeyExchange.params(NamedGroup.X25519, point);
        byte[] sig = crypto.sign(pki.serverEcdsa().privateKey(), SignatureScheme.ECDSA_SECP256R1_SHA256,
                ServerKeyExchange.signedInput(clientRandom, serverRandom, params));
        write(root, "serverKeyExchange", "seed-x25519",
                new ServerKeyExchange(NamedGroup.X25519, point, SignatureScheme.ECDSA_SECP256R1_SHA256, sig).encode());
        byte[] p256 = crypto.generateKeyShare(NamedGroup.SECP256R1).publicValue();
        write(root, "serverKeyExchange", "seed-p256",
                new ServerKeyExchange(NamedGroup.SECP256R1, p256, SignatureScheme.ECDSA_SECP256R1_SHA256, sig).encode());
        write(root, "serverHelloDone", "seed-1", new byte[0]);
        write(root, "clientKeyExchange", "seed-x25519", new ClientKeyExchange(point).encode());
        write(root, "clientKeyExchange", "seed-p256", new ClientKeyExchange(p256).encode());
        write(root, "finished", "seed-1", new Finished(new byte[12]).encode());
        // Issue 13: CertificateRequest as our server sends it (client CA named) and as openssl sends it (no CAs).
        write(root, "certificateRequest", "seed-1", new org.proxyinfo.wire.CertificateRequest(new int[] {64, 1},
                SignatureScheme.SUPPORTED, List.of(pki.clientCa().leaf().getSubjectX500Principal().getEncoded())).encode());
        write(root, "certificateRequest", "seed-no-cas", new org.proxyinfo.wire.CertificateRequest(new int[] {1, 64},
                new int[] {0x0403, 0x0804, 0x0401, 0x0503}, List.of()).encode());
        // Issue 13, DEC-23: the server's server_to_proxy with a nonce, and a SupplementalData with the DEC-23 entry
        write(root, "dec23ServerNonce", "seed-1", org.proxyinfo.clientcert.ServerNonce.encode(new byte[32]));
        write(root, "dec23ClientCertMode", "seed-1", org.proxyinfo.clientcert.ClientCertModeOffer.encodeServerHello(new byte[32],
                new byte[32]));
        write(root, "dec23SupplementalData", "seed-1", new org.proxyinfo.clientcert.ClientCertSupplement(
                List.of(pki.clientEcdsa().leaf().getEncoded()), SignatureScheme.ECDSA_SECP256R1_SHA256, sig).encode());
        write(root, "certificateVerify", "seed-1",
                new org.proxyinfo.wire.CertificateVerify(SignatureScheme.ECDSA_SECP256R1_SHA256, sig).encode());
        // Issue 13 (deviant-trace catalogue and fuzzing cover client authentication and DEC-23): the client's own
        // messages as our client sends them. Certificate: the client chain (RFC5246-7.4.6) and the empty answer
        // without a certificate; CertificateVerify with an RSA-PSS signature (RFC5246-7.4.8); a SupplementalData whose
        // DEC-23 entry follows an entry of another type (RFC 4680: skipped); proxy_to_server (DEC-23, ProxyInfo decoder).
        write(root, "certificate", "seed-client-ecdsa", new Certificate(ders(pki.clientEcdsa())).encode());
        write(root, "certificate", "seed-client-empty", new Certificate(List.of()).encode());
        write(root, "certificateChain", "seed-client-rsa", new Certificate(ders(pki.clientRsa())).encode());
        byte[] rsaSig = crypto.sign(pki.clientRsa().privateKey(), SignatureScheme.RSA_PSS_RSAE_SHA256, new byte[] {1, 2, 3});
        write(root, "certificateVerify", "seed-rsa-pss",
                new org.proxyinfo.wire.CertificateVerify(SignatureScheme.RSA_PSS_RSAE_SHA256, rsaSig).encode());
        byte[] entry = new org.proxyinfo.clientcert.ClientCertSupplement(List.of(pki.clientEcdsa().leaf().getEncoded()),
                SignatureScheme.ECDSA_SECP256R1_SHA256, sig).encode();
        // entry = supp_data<3 bytes length> || the DEC-23 entry; put an entry of type 0x4000 (2 bytes of data) first
        byte[] dec23Entry = java.util.Arrays.copyOfRange(entry, 3, entry.length);
        write(root, "dec23SupplementalData", "seed-other-entry-first",
                new TlsWriter().vector(3, concat(new byte[] {0x40, 0x00, 0x00, 0x02, 7, 7}, dec23Entry)).toByteArray());
        write(root, "proxyInfo", "seed-proxy-to-server", ProxyInfoCodec.encode(org.proxyinfo.clientcert.ProxyToServer.sign(crypto,
                pki.proxy().privateKey(), SignatureScheme.ECDSA_SECP256R1_SHA256, ders(pki.proxy()),
                org.proxyinfo.proxyinfo.ProxyInfo.clientToProxy())));

        byte[] chMsg = new HandshakeMessage(1, ch).encoded();
        byte[] shMsg = new HandshakeMessage(2, sh).encoded();
        write(root, "record", "seed-clienthello", record(22, 0x0301, chMsg));
        write(root, "record", "seed-alert-ccs", concat(record(20, 0x0303, new byte[] {1}), record(21, 0x0303, new byte[] {2, 40})));
        byte[] sealed = new RecordCipher(crypto, new byte[16], new byte[4]).seal(23, 0x0303, "GET / HTTP/1.1\r\n\r\n".getBytes());
        write(root, "recordEncrypted", "seed-appdata", record(23, 0x0303, sealed));
        // handshakeAssembler input: [len-1][fragment]... (first byte of each chunk = its length - 1, low 6 bits)
        byte[] msgs = concat(shMsg, new HandshakeMessage(14, new byte[0]).encoded());
        TlsWriter w = new TlsWriter();
        for (int off = 0; off < msgs.length; off += 40) {
            int n = Math.min(40, msgs.length - off);
            w.u8(n - 1);
            byte[] part = new byte[n];
            System.arraycopy(msgs, off, part, 0, n);
            w.bytes(part);
        }
        write(root, "handshakeAssembler", "seed-1", w.toByteArray());

        List<TlsExtension> entries = ExtensionTable.DEFAULT.entries();
        for (int i = 0; i < entries.size(); i++) {
            byte[] data = entries.get(i).produceClientHello(ctx);
            if (data != null) {
                write(root, "clientHelloExtensions", "seed-" + entries.get(i).name(), concat(new byte[] {(byte) i}, data));
            }
            HelloContext sctx = new HelloContext();
            sctx.peerRenegotiationInfo = true;
            byte[] sdata = entries.get(i).produceServerHello(sctx);
            if (sdata != null) {
                write(root, "serverHelloExtensions", "seed-" + entries.get(i).name(), concat(new byte[] {(byte) i}, sdata));
            }
        }

        ProxyInfoSigner signer = new ProxyInfoSigner(crypto, SigningMode.BOUND);
        SignedProxyInfo inner = signer.sign(pki.proxyB().privateKey(), List.of(0x0403), clientRandom, serverRandom,
                new ConnectionSecurityParameters(0x0303, 0xC02B, 0), chain, crypto.random(32), true,
                new ProxyInfoCodec().decode(new byte[] {3}));
        SignedProxyInfo outer = signer.sign(pki.proxy().privateKey(), List.of(0x0403), clientRandom, serverRandom,
                new ConnectionSecurityParameters(0x0303, 0xC02F, 0), ders(pki.proxyB()), crypto.random(32), false, inner);
        write(root, "proxyInfo", "seed-one-hop", ProxyInfoCodec.encode(inner));
        write(root, "proxyInfo", "seed-two-hops", ProxyInfoCodec.encode(outer));
        write(root, "proxyInfo", "seed-client-to-proxy", new byte[] {0});
        write(root, "proxyInfoServerHello", "seed-one-hop", ProxyInfoCodec.encode(inner));
        write(root, "proxyInfoServerHello", "seed-two-hops", ProxyInfoCodec.encode(outer));
        write(root, "proxyInfoClientHello", "seed-1", new byte[] {0});

        // DEC-22 (RFC 5246 7.4.1.2, Figure 2): the abbreviated handshake's messages. A ClientHello offering a session,
        // the ServerHello that resumes it (echoed session_id; with a fresh proxy_info on a proxied session), and the
        // abbreviated flight as the handshake assembler sees it (ServerHello, then Finished after the CCS).
        byte[] sessionId = crypto.random(32);
        byte[] chResume = new ClientHello(0x0303, crypto.random(32), sessionId, CipherSuite.SUPPORTED, new byte[] {0}, chExt).encode();
        write(root, "clientHello", "seed-resume-offer", chResume);
        byte[] shResume = new ServerHello(0x0303, crypto.random(32), sessionId, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                0, shExt).encode();
        write(root, "serverHello", "seed-abbreviated", shResume);
        List<Extension> shProxied = new ArrayList<>(shExt);
        shProxied.add(new Extension(0xFF50, ProxyInfoCodec.encode(inner)));
        write(root, "serverHello", "seed-abbreviated-proxied", new ServerHello(0x0303, crypto.random(32), sessionId,
                CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, 0, shProxied).encode());
        write(root, "record", "seed-resume-offer", record(22, 0x0301, new HandshakeMessage(1, chResume).encoded()));
        byte[] abbreviated = concat(new HandshakeMessage(2, shResume).encoded(), new HandshakeMessage(20, new byte[12]).encoded());
        TlsWriter a = new TlsWriter();
        for (int off = 0; off < abbreviated.length; off += 40) {
            int n = Math.min(40, abbreviated.length - off);
            a.u8(n - 1);
            byte[] part = new byte[n];
            System.arraycopy(abbreviated, off, part, 0, n);
            a.bytes(part);
        }
        write(root, "handshakeAssembler", "seed-abbreviated", a.toByteArray());
        System.out.println("seeds written to " + root.toAbsolutePath());
    }

    static List<byte[]> ders(Credential c) throws Exception {
        List<byte[]> out = new ArrayList<>();
        for (X509Certificate x : c.chain()) {
            out.add(x.getEncoded());
        }
        return out;
    }

    static byte[] record(int type, int version, byte[] body) {
        return new TlsWriter().u8(type).u16(version).vector(2, body).toByteArray();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] o = new byte[a.length + b.length];
        System.arraycopy(a, 0, o, 0, a.length);
        System.arraycopy(b, 0, o, a.length, b.length);
        return o;
    }

    static void write(Path root, String decoder, String name, byte[] data) throws Exception {
        Path dir = Files.createDirectories(root.resolve(decoder));
        Files.write(dir.resolve(name), data);
    }
}
