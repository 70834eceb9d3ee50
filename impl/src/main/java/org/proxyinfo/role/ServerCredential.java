package org.proxyinfo.role;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.util.List;

/** A server's private key and its certificate chain (end entity first, RFC5246-7.4.2). */
public final class ServerCredential {
    public final PrivateKey privateKey;
    public final List<X509Certificate> chain;

    public ServerCredential(PrivateKey privateKey, List<X509Certificate> chain) {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a server credential needs at least its own certificate");
        }
        this.privateKey = privateKey;
        this.chain = List.copyOf(chain);
    }

    public boolean isEc() {
        return privateKey instanceof ECKey || "EC".equals(privateKey.getAlgorithm()) || "ECDSA".equals(privateKey.getAlgorithm());
    }

    public boolean isRsa() {
        return privateKey instanceof RSAKey || "RSA".equals(privateKey.getAlgorithm());
    }
}
