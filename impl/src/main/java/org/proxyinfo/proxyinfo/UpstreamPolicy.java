package org.proxyinfo.proxyinfo;

import java.util.Set;

/**
 * DEC-11: what the client accepts for the upstream session a {@link SignedProxyInfo} describes.
 * Default: TLS 1.2 only, ECDHE with AEAD suites only, null compression. Failure:
 * insufficient_security.
 */
public final class UpstreamPolicy {
    /** TLS 1.2 (RFC 5246). */
    public static final int TLS12 = 0x0303;

    /** ECDHE key exchange with an AEAD cipher (RFC 5289 GCM, RFC 7905 ChaCha20-Poly1305). */
    public static final Set<Integer> ECDHE_AEAD_SUITES = Set.of(
            0xC02B, // TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
            0xC02C, // TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384
            0xC02F, // TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
            0xC030, // TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
            0xCCA8, // TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256
            0xCCA9  // TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256
    );

    private final Set<Integer> versions;
    private final Set<Integer> cipherSuites;
    private final Set<Integer> compressionMethods;

    public UpstreamPolicy(Set<Integer> versions, Set<Integer> cipherSuites, Set<Integer> compressionMethods) {
        this.versions = Set.copyOf(versions);
        this.cipherSuites = Set.copyOf(cipherSuites);
        this.compressionMethods = Set.copyOf(compressionMethods);
    }

    /** The DEC-11 default. */
    public static UpstreamPolicy defaults() {
        return new UpstreamPolicy(Set.of(TLS12), ECDHE_AEAD_SUITES, Set.of(0));
    }

    /** Null when the parameters meet the policy, else a sentence saying what does not. */
    public String violation(ConnectionSecurityParameters p) {
        if (!versions.contains(p.tlsVersion())) {
            return String.format("upstream tls_version 0x%04X is not allowed by the client's policy (DEC-11: TLS 1.2"
                    + " only by default)", p.tlsVersion());
        }
        if (!cipherSuites.contains(p.cipherSuite())) {
            return String.format("upstream cipher_suite 0x%04X is not allowed by the client's policy (DEC-11: ECDHE"
                    + " with AEAD only by default)", p.cipherSuite());
        }
        if (!compressionMethods.contains(p.compressionMethod())) {
            return "upstream compression_method " + p.compressionMethod() + " is not allowed (DEC-11: null only)";
        }
        return null;
    }
}
