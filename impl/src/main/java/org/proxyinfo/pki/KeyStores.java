package org.proxyinfo.pki;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * JCA key and trust stores for the test peers (SunJSSE, BCJSSE), built in memory from the test
 * PKI: {@code KeyManagerFactory.init(keyStore(...), password)},
 * {@code TrustManagerFactory.init(trustStore(...))}.
 */
public final class KeyStores {
    private KeyStores() { }

    /** type "PKCS12" or "JKS"; the credential under alias "key". */
    public static KeyStore keyStore(Credential credential, char[] password, String type) {
        try {
            KeyStore ks = KeyStore.getInstance(type);
            ks.load(null, null);
            ks.setKeyEntry("key", credential.privateKey(), password,
                    credential.chain().toArray(new Certificate[0]));
            return ks;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a " + type + " key store: " + e.getMessage(), e);
        }
    }

    /** type "PKCS12" or "JKS"; anchors under aliases "anchor-0", "anchor-1", ... */
    public static KeyStore trustStore(List<X509Certificate> anchors, String type) {
        try {
            KeyStore ks = KeyStore.getInstance(type);
            ks.load(null, null);
            for (int i = 0; i < anchors.size(); i++) {
                ks.setCertificateEntry("anchor-" + i, anchors.get(i));
            }
            return ks;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a " + type + " trust store: " + e.getMessage(), e);
        }
    }
}
