package org.proxyinfo.pki;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A private key with its certificate chain as a TLS peer sends it (RFC 5246 §7.4.2): leaf first,
 * each following certificate certifying the one before, the root not included.
 */
public final class Credential {
    private final PrivateKey privateKey;
    private final List<X509Certificate> chain;

    public Credential(PrivateKey privateKey, List<X509Certificate> chain) {
        if (privateKey == null || chain == null || chain.isEmpty()) {
            throw new IllegalArgumentException("a credential needs a private key and at least one certificate");
        }
        this.privateKey = privateKey;
        this.chain = Collections.unmodifiableList(new ArrayList<>(chain));
    }

    public PrivateKey privateKey() { return privateKey; }

    public List<X509Certificate> chain() { return chain; }

    public X509Certificate leaf() { return chain.get(0); }

    public PublicKey publicKey() { return leaf().getPublicKey(); }

    /** The chain as DER, the form of a Certificate message's certificate_list. */
    public List<byte[]> chainDer() {
        List<byte[]> out = new ArrayList<>();
        for (X509Certificate c : chain) {
            try {
                out.add(c.getEncoded());
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }
}
