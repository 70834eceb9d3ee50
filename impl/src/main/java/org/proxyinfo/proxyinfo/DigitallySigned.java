package org.proxyinfo.proxyinfo;

import java.util.Arrays;
import java.util.HexFormat;

import org.proxyinfo.wire.TlsFatalAlert;
import org.proxyinfo.wire.TlsReader;
import org.proxyinfo.wire.TlsWriter;

/**
 * RFC 5246 §4.7 {@code digitally-signed} as it goes on the wire:
 * {@code SignatureAndHashAlgorithm algorithm} (uint16, the TLS 1.3 SignatureScheme code point
 * that equals the TLS 1.2 pair, e.g. 0x0403) followed by {@code opaque signature<0..2^16-1>}.
 * DEC-5: a ProxyInfo carries the struct's fields in clear followed by one of these.
 */
public final class DigitallySigned {
    private final int signatureScheme;
    private final byte[] signature;

    public DigitallySigned(int signatureScheme, byte[] signature) {
        if (signatureScheme < 0 || signatureScheme > 0xFFFF) {
            throw new IllegalArgumentException("SignatureAndHashAlgorithm " + signatureScheme + " is not a uint16");
        }
        if (signature.length > 0xFFFF) {
            throw new IllegalArgumentException("signature of " + signature.length + " bytes exceeds <0..2^16-1>");
        }
        this.signatureScheme = signatureScheme;
        this.signature = signature.clone();
    }

    public int signatureScheme() { return signatureScheme; }

    public byte[] signature() { return signature.clone(); }

    void encode(TlsWriter w) {
        w.u16(signatureScheme).vector(2, signature);
    }

    static DigitallySigned decode(TlsReader r) throws TlsFatalAlert {
        int scheme = r.u16("signature.algorithm");
        byte[] sig = r.vector(2, 0, 0xFFFF, "signature.signature");
        return new DigitallySigned(scheme, sig);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DigitallySigned d && d.signatureScheme == signatureScheme
                && Arrays.equals(d.signature, signature);
    }

    @Override
    public int hashCode() { return 31 * signatureScheme + Arrays.hashCode(signature); }

    @Override
    public String toString() {
        return String.format("{algorithm=0x%04X, signature=%s}", signatureScheme, HexFormat.of().formatHex(signature));
    }
}
