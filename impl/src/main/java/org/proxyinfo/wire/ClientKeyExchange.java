package org.proxyinfo.wire;

import java.util.LinkedHashMap;
import java.util.Map;

/** ClientKeyExchange for ECDHE (RFC 8422 §5.7): {@code opaque point <1..2^8-1>}. */
public final class ClientKeyExchange {
    public final byte[] publicValue;

    public ClientKeyExchange(byte[] publicValue) {
        this.publicValue = publicValue;
    }

    public byte[] encode() {
        return new TlsWriter().vector(1, publicValue).toByteArray();
    }

    public static ClientKeyExchange decode(byte[] body) throws TlsFatalAlert {
        TlsReader r = new TlsReader(body, "ClientKeyExchange");
        byte[] point = r.vector(1, 1, 0xff, "ecdh_Yc");
        r.expectEnd("ClientKeyExchange");
        return new ClientKeyExchange(point);
    }

    public Map<String, Object> fields() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("exchange_keys", Hex.of(encode())); // the whole body, as trace.MessageFields shows it
        return f;
    }
}
