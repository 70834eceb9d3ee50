package org.proxyinfo.wire;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.proxyinfo.core.AlertDescription;

/** RFC 5246 §7.4.1.2 ClientHello. */
public final class ClientHello {
    public final int clientVersion;
    public final byte[] random;
    public final byte[] sessionId;
    public final int[] cipherSuites;
    public final byte[] compressionMethods;
    public final List<Extension> extensions;

    public ClientHello(int clientVersion, byte[] random, byte[] sessionId, int[] cipherSuites,
                       byte[] compressionMethods, List<Extension> extensions) {
        this.clientVersion = clientVersion;
        this.random = random;
        this.sessionId = sessionId;
        this.cipherSuites = cipherSuites;
        this.compressionMethods = compressionMethods;
        this.extensions = extensions;
    }

    public byte[] encode() {
        TlsWriter w = new TlsWriter().u16(clientVersion).bytes(random).vector(1, sessionId);
        w.startVector(2);
        for (int s : cipherSuites) {
            w.u16(s);
        }
        w.endVector();
        w.vector(1, compressionMethods);
        Extension.encodeBlock(w, extensions);
        return w.toByteArray();
    }

    public static ClientHello decode(byte[] body) throws TlsFatalAlert {
        TlsReader r = new TlsReader(body, "ClientHello");
        int version = r.u16("client_version");
        byte[] random = r.bytes(32, "random");
        byte[] sessionId = r.vector(1, 0, 32, "session_id");
        byte[] suites = r.vector(2, 2, 0xfffe, "cipher_suites");
        if (suites.length % 2 != 0) {
            throw new TlsFatalAlert(AlertDescription.DECODE_ERROR, "RFC5246-7.4.1.2",
                    "ClientHello: cipher_suites has an odd length " + suites.length);
        }
        int[] cs = new int[suites.length / 2];
        for (int i = 0; i < cs.length; i++) {
            cs[i] = ((suites[2 * i] & 0xff) << 8) | (suites[2 * i + 1] & 0xff);
        }
        byte[] compression = r.vector(1, 1, 0xff, "compression_methods");
        List<Extension> ext = Extension.decodeBlock(r, "ClientHello");
        r.expectEnd("ClientHello extensions");
        return new ClientHello(version, random, sessionId, cs, compression, ext);
    }

    public boolean offersSuite(int suite) {
        for (int s : cipherSuites) {
            if (s == suite) {
                return true;
            }
        }
        return false;
    }

    public Map<String, Object> fields() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("client_version", ProtocolVersion.name(clientVersion));
        f.put("random", Hex.of(random));
        f.put("session_id", Hex.of(sessionId));
        List<String> suites = new ArrayList<>();
        for (int s : cipherSuites) {
            suites.add(CipherSuite.name(s));
        }
        f.put("cipher_suites", suites);
        f.put("compression_methods", Hex.of(compressionMethods));
        if (!extensions.isEmpty()) {
            f.put("extensions", Extension.traceFields(extensions));
        }
        return f;
    }
}
