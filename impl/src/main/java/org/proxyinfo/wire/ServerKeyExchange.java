package org.proxyinfo.wire;

import java.util.LinkedHashMap;
import java.util.Map;

import org.proxyinfo.core.AlertDescription;

/**
 * ServerKeyExchange for ECDHE (RFC 8422 §5.4, RFC 5246 §7.4.3): {@code ServerECDHParams params;
 * digitally-signed struct { client_random, server_random, params }}. Only named_curve (3) is
 * accepted (RFC 8422 §5.4: explicit curves are deprecated).
 */
public final class ServerKeyExchange {
    public static final int CURVE_TYPE_NAMED_CURVE = 3;

    public final int namedGroup;
    public final byte[] publicValue;
    public final int signatureScheme;
    public final byte[] signature;

    public ServerKeyExchange(int namedGroup, byte[] publicValue, int signatureScheme, byte[] signature) {
        this.namedGroup = namedGroup;
        this.publicValue = publicValue;
        this.signatureScheme = signatureScheme;
        this.signature = signature;
    }

    /** The encoded ServerECDHParams: what the signature covers after the two randoms. */
    public static byte[] params(int namedGroup, byte[] publicValue) {
        return new TlsWriter().u8(CURVE_TYPE_NAMED_CURVE).u16(namedGroup).vector(1, publicValue).toByteArray();
    }

    /** RFC 5246 §7.4.3: signed input = client_random + server_random + ServerECDHParams. */
    public static byte[] signedInput(byte[] clientRandom, byte[] serverRandom, byte[] params) {
        return new TlsWriter().bytes(clientRandom).bytes(serverRandom).bytes(params).toByteArray();
    }

    public byte[] encode() {
        return new TlsWriter().bytes(params(namedGroup, publicValue)).u16(signatureScheme).vector(2, signature)
                .toByteArray();
    }

    public static ServerKeyExchange decode(byte[] body) throws TlsFatalAlert {
        TlsReader r = new TlsReader(body, "ServerKeyExchange");
        int curveType = r.u8("curve_type");
        if (curveType != CURVE_TYPE_NAMED_CURVE) {
            throw new TlsFatalAlert(AlertDescription.ILLEGAL_PARAMETER, "RFC8422-5.4",
                    "ServerKeyExchange uses curve_type " + curveType + "; only named_curve (3) is supported");
        }
        int group = r.u16("namedcurve");
        byte[] point = r.vector(1, 1, 0xff, "public");
        int scheme = r.u16("signature_algorithm");
        byte[] sig = r.vector(2, 0, 0xffff, "signature");
        r.expectEnd("ServerKeyExchange");
        return new ServerKeyExchange(group, point, scheme, sig);
    }

    public Map<String, Object> fields() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("curve_type", "named_curve");
        f.put("named_curve", NamedGroup.name(namedGroup));
        f.put("public", Hex.of(publicValue));
        f.put("signature_algorithm", String.format("0x%04x", signatureScheme)); // as trace.MessageFields shows it
        f.put("signature", Hex.of(signature));
        return f;
    }
}
