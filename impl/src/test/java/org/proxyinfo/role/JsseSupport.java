package org.proxyinfo.role;

import java.security.KeyStore;
import java.security.Provider;
import java.security.cert.Certificate;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Builds SSLContexts for the JSSE test peers (SunJSSE or BCJSSE) from the test credentials. */
final class JsseSupport {
    private JsseSupport() { }

    static KeyStore keyStore() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("ec", TestCredentials.EC.privateKey, "pw".toCharArray(),
                TestCredentials.EC.chain.toArray(new Certificate[0]));
        ks.setKeyEntry("rsa", TestCredentials.RSA.privateKey, "pw".toCharArray(),
                TestCredentials.RSA.chain.toArray(new Certificate[0]));
        return ks;
    }

    static KeyStore trustStore() throws Exception {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("ca", TestCredentials.CA);
        return ts;
    }

    static javax.net.ssl.TrustManager[] trustManagers(Provider provider) throws Exception {
        TrustManagerFactory tmf = provider == null ? TrustManagerFactory.getInstance("PKIX")
                : TrustManagerFactory.getInstance("PKIX", provider);
        tmf.init(trustStore());
        return tmf.getTrustManagers();
    }

    /** provider null = the JDK default (SunJSSE). */
    static SSLContext context(Provider provider, boolean withKeys) throws Exception {
        SSLContext ctx = provider == null ? SSLContext.getInstance("TLSv1.2") : SSLContext.getInstance("TLSv1.2", provider);
        KeyManagerFactory kmf = provider == null ? KeyManagerFactory.getInstance("PKIX")
                : KeyManagerFactory.getInstance("PKIX", provider);
        kmf.init(keyStore(), "pw".toCharArray());
        TrustManagerFactory tmf = provider == null ? TrustManagerFactory.getInstance("PKIX")
                : TrustManagerFactory.getInstance("PKIX", provider);
        tmf.init(trustStore());
        ctx.init(withKeys ? kmf.getKeyManagers() : null, tmf.getTrustManagers(), new java.security.SecureRandom());
        return ctx;
    }
}
