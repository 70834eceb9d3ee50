package org.proxyinfo.fuzz;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.crypto.DeterministicRandom;
import org.proxyinfo.ext.ExtensionTable;
import org.proxyinfo.ext.HelloContext;
import org.proxyinfo.ext.TlsExtension;
import org.proxyinfo.pki.CertificateValidator;
import org.proxyinfo.pki.RevocationPolicy;
import org.proxyinfo.pki.TestPki;
import org.proxyinfo.proxyinfo.ProxyInfoCodec;
import org.proxyinfo.record.HandshakeAssembler;
import org.proxyinfo.record.Record;
import org.proxyinfo.record.RecordCipher;
import org.proxyinfo.record.RecordLayer;
import org.proxyinfo.role.FuzzAccess;
import org.proxyinfo.wire.Certificate;
import org.proxyinfo.wire.CertificateRequest;
import org.proxyinfo.wire.CertificateVerify;
import org.proxyinfo.wire.ClientHello;
import org.proxyinfo.wire.ClientKeyExchange;
import org.proxyinfo.wire.Finished;
import org.proxyinfo.wire.ServerHello;
import org.proxyinfo.wire.ServerHelloDone;
import org.proxyinfo.wire.ServerKeyExchange;
import org.proxyinfo.wire.TlsFatalAlert;

/**
 * Every decoder that reads bytes from a peer, as a fuzz target (issue #7, OSS-Fuzz practice for TLS
 * parsers). The contract each target checks (DEC-21): the decoder returns a value or throws
 * {@link TlsFatalAlert} with a protocol alert (never internal_error), a requirement ID and a
 * message. Any other exception escapes to the fuzzer as a finding. Where a codec is canonical,
 * a decoded value must re-encode to exactly the input bytes.
 */
public final class Decoders {
    private Decoders() { }

    /** The decoders, by name: the name is the fuzz target's and the regression-input directory's. */
    public static final List<String> NAMES = List.of("record", "recordEncrypted", "handshakeAssembler", "clientHello",
            "serverHello", "certificate", "serverKeyExchange", "serverHelloDone", "clientKeyExchange", "finished",
            "clientHelloExtensions", "serverHelloExtensions", "proxyInfo", "proxyInfoServerHello", "proxyInfoClientHello",
            "x509", "certificateChain", "certificateRequest", "certificateVerify", "dec23ServerNonce",
            "dec23SupplementalData", "dec23ClientCertMode");

    @FunctionalInterface
    interface Decoder {
        void run() throws TlsFatalAlert, java.io.IOException;
    }

    /** The DEC-21 contract: a value or a protocol alert with a requirement ID and a message. */
    static void contract(String target, Decoder d) {
        try {
            d.run();
        } catch (TlsFatalAlert e) {
            if (e.alert() == AlertDescription.INTERNAL_ERROR || e.requirementId() == null || e.requirementId().isEmpty()
                    || e.getMessage() == null || e.getMessage().isEmpty()) {
                throw new AssertionError(target + ": decoder refused with a non-protocol alert: " + e.describe(), e);
            }
        } catch (java.io.IOException e) {
            throw new AssertionError(target + ": decoder threw IOException on in-memory input: " + e, e);
        }
    }

    static void roundTrip(String target, byte[] input, byte[] reencoded) {
        // A hello with an empty extensions block (00 00) decodes like one without the block
        // (RFC5246-7.4.1.2: "extensions" is optional); the codec re-encodes it without. Found by
        // the fuzzer (regression input clientHello/empty-extensions-block); the transcript keeps the
        // received bytes, so the handshake hash is unaffected.
        if (input.length == reencoded.length + 2 && input[input.length - 2] == 0 && input[input.length - 1] == 0
                && Arrays.equals(Arrays.copyOf(input, reencoded.length), reencoded)
                && (target.equals("clientHello") || target.equals("serverHello"))) {
            return;
        }
        if (!Arrays.equals(input, reencoded)) {
            throw new AssertionError(target + ": decoded value re-encodes to different bytes");
        }
    }

    /** Runs one named decoder on the input. */
    public static void run(String name, byte[] data) {
        switch (name) {
            case "record": record(data, false); break;
            case "recordEncrypted": record(data, true); break;
            case "handshakeAssembler": handshakeAssembler(data); break;
            case "clientHello":
                contract(name, () -> roundTrip(name, data, ClientHello.decode(data).encode()));
                break;
            case "serverHello":
                contract(name, () -> roundTrip(name, data, ServerHello.decode(data).encode()));
                break;
            case "certificate":
                contract(name, () -> roundTrip(name, data, Certificate.decode(data).encode()));
                break;
            case "serverKeyExchange":
                contract(name, () -> roundTrip(name, data, ServerKeyExchange.decode(data).encode()));
                break;
            case "certificateRequest": // RFC5246-7.4.4 (issue 13)
                contract(name, () -> roundTrip(name, data, CertificateRequest.decode(data).encode()));
                break;
            case "certificateVerify": // RFC5246-7.4.8 (issue 13)
                contract(name, () -> roundTrip(name, data, CertificateVerify.decode(data).encode()));
                break;
            case "serverHelloDone":
                contract(name, () -> ServerHelloDone.decode(data));
                break;
            case "clientKeyExchange":
                contract(name, () -> roundTrip(name, data, ClientKeyExchange.decode(data).encode()));
                break;
            case "finished":
                contract(name, () -> roundTrip(name, data, Finished.decode(data).encode()));
                break;
            case "clientHelloExtensions": extensions(data, true); break;
            case "serverHelloExtensions": extensions(data, false); break;
            case "proxyInfo":
                contract(name, () -> roundTrip(name, data, ProxyInfoCodec.encode(new ProxyInfoCodec().decode(data))));
                break;
            case "proxyInfoServerHello":
                contract(name, () -> roundTrip(name, data, ProxyInfoCodec.encode(new ProxyInfoCodec().decodeFromServerHello(data))));
                break;
            case "proxyInfoClientHello":
                contract(name, () -> new ProxyInfoCodec().decodeFromClientHello(data));
                break;
            case "dec23ServerNonce": // DEC-23 (issue 13): server_to_proxy with a nonce
                contract(name, () -> roundTrip(name, data, org.proxyinfo.clientcert.ServerNonce.encode(
                        org.proxyinfo.clientcert.ServerNonce.decode(data))));
                break;
            case "dec23SupplementalData": // DEC-23, RFC 4680 (issue 13); canonical only when it holds the DEC-23 entry alone
                contract(name, () -> org.proxyinfo.clientcert.ClientCertSupplement.decode(data));
                break;
            case "dec23ClientCertMode": // DEVIATION (DEC-23): the proxy's session-#1 client_cert_mode (server_random || nonce)
                contract(name, () -> {
                    org.proxyinfo.clientcert.ClientCertModeOffer o = org.proxyinfo.clientcert.ClientCertModeOffer.client();
                    o.consumeServerHello(new org.proxyinfo.ext.HelloContext(), data);
                    roundTrip(name, data, org.proxyinfo.clientcert.ClientCertModeOffer.encodeServerHello(o.serverRandom(), o.nonce()));
                });
                break;
            case "x509": x509(data); break;
            case "certificateChain": certificateChain(data); break;
            default: throw new IllegalArgumentException("no decoder " + name + "; known: " + NAMES);
        }
    }

    // ---- record layer ----------------------------------------------------------------------

    private static final byte[] KEY = new byte[16];
    private static final byte[] SALT = new byte[4];
    private static final BcTlsCrypto CRYPTO = new BcTlsCrypto(DeterministicRandom.fromLabel("fuzz"));

    /** RecordLayer.read until end of input (RFC 5246 §6.2), plaintext or under AES-128-GCM. */
    static void record(byte[] data, boolean encrypted) {
        String name = encrypted ? "recordEncrypted" : "record";
        contract(name, () -> {
            RecordLayer rl = new RecordLayer(new ByteArrayInputStream(data), new ByteArrayOutputStream());
            if (encrypted) {
                rl.setNegotiatedVersion(0x0303);
                rl.setReadCipher(new RecordCipher(CRYPTO, KEY, SALT));
            }
            int n = 0;
            Record r;
            while ((r = rl.read()) != null) {
                if (r.length > RecordLayer.MAX_PLAINTEXT) {
                    throw new AssertionError(name + ": record layer returned " + r.length + " bytes (> 2^14)");
                }
                n++;
            }
        });
    }

    /** Handshake reassembly (RFC 5246 §6.2.1): the input split into fragments by its own first bytes. */
    static void handshakeAssembler(byte[] data) {
        contract("handshakeAssembler", () -> {
            HandshakeAssembler a = new HandshakeAssembler();
            int pos = 0;
            while (pos < data.length) {
                int n = 1 + (data[pos] & 0x3f);
                pos++;
                int end = Math.min(data.length, pos + n);
                a.add(Arrays.copyOfRange(data, pos, end));
                pos = end;
                HandshakeAssembler.Framed f;
                while ((f = a.next()) != null) {
                    if (f.encoded.length != 4 + f.message.body.length) {
                        throw new AssertionError("handshakeAssembler: framed length mismatch");
                    }
                }
            }
        });
    }

    // ---- extensions --------------------------------------------------------------------------

    /**
     * Each entry of the extension table (and the extension block around them) as the server reads
     * a ClientHello's or the client reads a ServerHello's: first byte selects the entry, the rest
     * is its extension_data; the whole input is also tried as a ClientHello extension block.
     */
    static void extensions(byte[] data, boolean clientHello) {
        String name = clientHello ? "clientHelloExtensions" : "serverHelloExtensions";
        List<TlsExtension> entries = ExtensionTable.DEFAULT.entries();
        if (data.length == 0) {
            return;
        }
        TlsExtension e = entries.get((data[0] & 0xff) % entries.size());
        byte[] body = Arrays.copyOfRange(data, 1, data.length);
        contract(name + "." + e.name(), () -> {
            HelloContext ctx = new HelloContext();
            ctx.clientHelloTypes.add(e.type());
            if (clientHello) {
                e.consumeClientHello(ctx, body);
            } else {
                e.consumeServerHello(ctx, body);
            }
        });
    }

    // ---- certificates ----------------------------------------------------------------------------

    private static volatile CertificateValidator validator;

    private static CertificateValidator validator() {
        if (validator == null) {
            TestPki pki = TestPki.generateDefault();
            validator = new CertificateValidator(pki.webTrust(), Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC),
                    RevocationPolicy.DEFAULT, pki.webCrls());
        }
        return validator;
    }

    /** One DER certificate through the role's parser and the pki validator (DEC-10). */
    static void x509(byte[] der) {
        contract("x509.parse", () -> FuzzAccess.parseCertificates(List.of(der)));
        contract("x509.validateServer", () -> validator().validateServer(List.of(der), "localhost"));
    }

    /** A Certificate message body, then its chain through the validator as server and as proxy. */
    static void certificateChain(byte[] body) {
        contract("certificateChain", () -> {
            List<byte[]> list = new ArrayList<>(Certificate.decode(body).certificateList);
            if (list.isEmpty()) {
                return;
            }
            FuzzAccess.parseCertificates(list);
        });
        contract("certificateChain.validate", () -> {
            List<byte[]> list = Certificate.decode(body).certificateList;
            validator().validateServer(list, "localhost");
        });
        contract("certificateChain.validateProxy", () -> validator().validateProxy(Certificate.decode(body).certificateList));
    }
}
