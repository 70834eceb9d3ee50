package org.proxyinfo.role;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The ECDSA server credential held in memory, for the JSSE servers of the benchmarks. The JDK's
 * "PKIX" key manager over a PKCS12 key store fetches (and PBKDF2-decrypts) the private key during
 * handshakes, which the stack profiler showed in SunJSSE's handshake: that is the key store's cost,
 * not the TLS stack's, and our server holds its key in memory too.
 */
final class FixedKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "ec";
    private final PrivateKey key = TestCredentials.EC.privateKey;
    private final X509Certificate[] chain = TestCredentials.EC.chain.toArray(new X509Certificate[0]);

    static SSLContext context(java.security.Provider provider, boolean server) throws Exception {
        SSLContext ctx = provider == null ? SSLContext.getInstance("TLSv1.2") : SSLContext.getInstance("TLSv1.2", provider);
        ctx.init(server ? new KeyManager[] {new FixedKeyManager()} : null, JsseSupport.trustManagers(provider), new SecureRandom());
        return ctx;
    }

    private static String alias(String keyType) {
        return keyType != null && keyType.toUpperCase(java.util.Locale.ROOT).startsWith("EC") ? ALIAS : null;
    }

    @Override public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) { return alias(keyType); }

    @Override public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) { return alias(keyType); }

    @Override public String[] getServerAliases(String keyType, Principal[] issuers) {
        return alias(keyType) == null ? null : new String[] {ALIAS};
    }

    @Override public X509Certificate[] getCertificateChain(String alias) { return ALIAS.equals(alias) ? chain.clone() : null; }

    @Override public PrivateKey getPrivateKey(String alias) { return ALIAS.equals(alias) ? key : null; }

    @Override public String[] getClientAliases(String keyType, Principal[] issuers) { return null; }

    @Override public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) { return null; }
}
