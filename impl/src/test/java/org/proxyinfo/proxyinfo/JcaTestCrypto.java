package org.proxyinfo.proxyinfo;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;

import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.crypto.TlsCrypto;
import org.proxyinfo.wire.TlsFatalAlert;

/**
 * Test-only {@link TlsCrypto} whose sign/verify use the JDK's JCA providers (real signatures,
 * no mock), for the proxyinfo tests until the crypto branch's BcTlsCrypto is merged. Only the
 * signature methods are implemented; the others are not needed by ProxyInfo.
 */
final class JcaTestCrypto implements TlsCrypto {

    private static Signature signature(int scheme) throws GeneralSecurityException {
        switch (scheme) {
            case 0x0403: return Signature.getInstance("SHA256withECDSA");
            case 0x0401: return Signature.getInstance("SHA256withRSA");
            case 0x0804: {
                Signature s = Signature.getInstance("RSASSA-PSS");
                s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
                return s;
            }
            default: throw new GeneralSecurityException("unsupported scheme " + scheme);
        }
    }

    @Override
    public byte[] sign(PrivateKey key, int signatureScheme, byte[] data) throws TlsFatalAlert {
        try {
            Signature s = signature(signatureScheme);
            s.initSign(key);
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new TlsFatalAlert(AlertDescription.INTERNAL_ERROR, "DEC-5", "cannot sign: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean verify(PublicKey key, int signatureScheme, byte[] data, byte[] sig) {
        try {
            Signature s = signature(signatureScheme);
            s.initVerify(key);
            s.update(data);
            return s.verify(sig);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    @Override public byte[] random(int n) { throw new UnsupportedOperationException("not needed by proxyinfo tests"); }
    @Override public byte[] hash(String algorithm, byte[] data) { throw new UnsupportedOperationException(); }
    @Override public byte[] prf(String h, byte[] s, String l, byte[] seed, int n) { throw new UnsupportedOperationException(); }
    @Override public Aead aesGcm(byte[] key) { throw new UnsupportedOperationException(); }
    @Override public KeyShare generateKeyShare(int namedGroup) { throw new UnsupportedOperationException(); }
}
