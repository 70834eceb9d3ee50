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

    /**
     * Null if {@code key} is the private key of {@code cert}'s public key, else why not (one line): checked by signing a
     * test message with the key and verifying it with the certificate's key (EC, RSA, Ed25519; other algorithms are not
     * checked). A server or client whose key does not belong to its certificate fails every handshake (its
     * signatures do not verify); this says so at startup instead.
     */
    public static String keyMismatch(PrivateKey key, X509Certificate cert) {
        PublicKey pub = cert.getPublicKey();
        String subject = cert.getSubjectX500Principal().getName();
        String keyAlg = algorithm(key.getAlgorithm());
        String certAlg = algorithm(pub.getAlgorithm());
        if (!keyAlg.equals(certAlg)) {
            return "the private key is " + keyAlg + " but the certificate of " + subject + " has an " + certAlg + " key";
        }
        String sigAlg = switch (keyAlg) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519" -> "Ed25519";
            default -> null;
        };
        if (sigAlg == null) {
            return null; // not checked: the handshake will tell
        }
        try {
            byte[] probe = "proxyinfo: does this key belong to this certificate?".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            java.security.Signature signer = java.security.Signature.getInstance(sigAlg);
            signer.initSign(key);
            signer.update(probe);
            byte[] sig = signer.sign();
            java.security.Signature verifier = java.security.Signature.getInstance(sigAlg);
            verifier.initVerify(pub);
            verifier.update(probe);
            return verifier.verify(sig) ? null
                    : "the private key (" + keyAlg + ") is not the one of the certificate of " + subject + " (another " + keyAlg + " key)";
        } catch (java.security.GeneralSecurityException e) {
            return "the private key cannot sign for the certificate of " + subject + ": " + e.getMessage();
        }
    }

    private static String algorithm(String a) {
        return a.equals("ECDSA") ? "EC" : a.equals("EdDSA") ? "Ed25519" : a;
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
