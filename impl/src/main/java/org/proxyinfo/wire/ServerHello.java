package org.proxyinfo.wire;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** RFC 5246 §7.4.1.3 ServerHello. */
public final class ServerHello {
    public final int serverVersion;
    public final byte[] random;
    public final byte[] sessionId;
    public final int cipherSuite;
    public final int compressionMethod;
    public final List<Extension> extensions;

    public ServerHello(int serverVersion, byte[] random, byte[] sessionId, int cipherSuite, int compressionMethod,
                       List<Extension> extensions) {
        this.serverVersion = serverVersion;
        this.random = random;
        this.sessionId = sessionId;
        this.cipherSuite = cipherSuite;
        this.compressionMethod = compressionMethod;
        this.extensions = extensions;
    }

    public byte[] encode() {
        TlsWriter w = new TlsWriter().u16(serverVersion).bytes(random).vector(1, sessionId)
                .u16(cipherSuite).u8(compressionMethod);
        Extension.encodeBlock(w, extensions);
        return w.toByteArray();
    }

    public static ServerHello decode(byte[] body) throws TlsFatalAlert {
        TlsReader r = new TlsReader(body, "ServerHello");
        int version = r.u16("server_version");
        byte[] random = r.bytes(32, "random");
        byte[] sessionId = r.vector(1, 0, 32, "session_id");
        int suite = r.u16("cipher_suite");
        int compression = r.u8("compression_method");
        List<Extension> ext = Extension.decodeBlock(r, "ServerHello");
        r.expectEnd("ServerHello extensions");
        return new ServerHello(version, random, sessionId, suite, compression, ext);
    }

    public Map<String, Object> fields() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("server_version", ProtocolVersion.name(serverVersion));
        f.put("random", Hex.of(random));
        f.put("session_id", Hex.of(sessionId));
        f.put("cipher_suite", CipherSuite.name(cipherSuite));
        f.put("compression_method", compressionMethod);
        if (!extensions.isEmpty()) {
            f.put("extensions", Extension.traceFields(extensions));
        }
        return f;
    }
}
