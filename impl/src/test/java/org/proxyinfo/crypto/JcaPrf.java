package org.proxyinfo.crypto;

import java.nio.charset.StandardCharsets;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An independent RFC 5246 §5 P_hash on the JDK's HmacSHA256/384 (SunJCE), used only by tests to
 * cross-check the Bouncy Castle PRF in {@link BcTlsCrypto} where no published vector exists.
 */
final class JcaPrf {
    private JcaPrf() { }

    static byte[] prf(String jcaMac, byte[] secret, String label, byte[] seed, int length) throws Exception {
        Mac mac = Mac.getInstance(jcaMac);
        mac.init(new SecretKeySpec(secret, jcaMac));
        byte[] ls = concat(label.getBytes(StandardCharsets.US_ASCII), seed);
        byte[] out = new byte[length];
        byte[] a = ls;
        for (int off = 0; off < length; ) {
            a = mac.doFinal(a);
            mac.update(a);
            byte[] block = mac.doFinal(ls);
            int n = Math.min(block.length, length - off);
            System.arraycopy(block, 0, out, off, n);
            off += n;
        }
        return out;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] o = new byte[a.length + b.length];
        System.arraycopy(a, 0, o, 0, a.length);
        System.arraycopy(b, 0, o, a.length, b.length);
        return o;
    }
}
