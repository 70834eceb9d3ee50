package org.proxyinfo.cli;

import java.util.List;

import org.proxyinfo.wire.CipherSuite;
import org.proxyinfo.wire.NamedGroup;

import picocli.CommandLine.Option;

/** Options every role shares: which suites and groups to offer or accept, and proxy_info's code point. */
final class RoleOptions {
    @Option(names = "--suite", split = ",", paramLabel = "NAME",
            description = "Cipher suites, in preference order (default: all four ECDHE AES-GCM suites), e.g. "
                    + "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256.")
    List<String> suites;

    @Option(names = "--group", split = ",", paramLabel = "NAME", description = "ECDHE groups: x25519, secp256r1 (default: both).")
    List<String> groups;

    @Option(names = "--code-point", defaultValue = "65360", paramLabel = "N",
            description = "proxy_info ExtensionType (DEC-2, default ${DEFAULT-VALUE}): the client offers it, the proxy answers on it,"
                    + " an origin with --client-cert-mode (DEC-23) reads it.")
    int codePoint;

    /** Null if the options are fine, else one line saying which one is not and what is supported. */
    String problem() {
        String badCodePoint = Validate.codePoint("--code-point", codePoint);
        if (badCodePoint != null) {
            return badCodePoint;
        }
        try {
            suites();
            groups();
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage() + " (suites: TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, "
                    + "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384; groups: x25519, secp256r1)";
        }
    }

    int[] suites() {
        if (suites == null || suites.isEmpty()) {
            return CipherSuite.SUPPORTED.clone();
        }
        int[] out = new int[suites.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = CipherSuite.fromName(suites.get(i).trim());
        }
        return out;
    }

    int[] groups() {
        if (groups == null || groups.isEmpty()) {
            return NamedGroup.SUPPORTED.clone();
        }
        int[] out = new int[groups.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = NamedGroup.fromName(groups.get(i).trim());
        }
        return out;
    }
}
