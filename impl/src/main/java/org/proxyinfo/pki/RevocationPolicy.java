package org.proxyinfo.pki;

import java.util.Locale;

/**
 * DEC-10 revocation policy for certificate chains, given CRLs (no OCSP in this version):
 * <ul>
 * <li>{@code REQUIRE}: every certificate of the path below the trust anchor must be covered by a
 *     current CRL from its issuer; no data, a stale CRL or a CRL whose signature does not verify
 *     is a failure;</li>
 * <li>{@code PREFER} (the default): check every certificate for which a usable CRL exists; a
 *     certificate without one is accepted and the result says so;</li>
 * <li>{@code OFF}: no revocation check; the result says so.</li>
 * </ul>
 */
public enum RevocationPolicy {
    REQUIRE, PREFER, OFF;

    public static final RevocationPolicy DEFAULT = PREFER;

    /** "require" | "prefer" | "off" (case-insensitive). */
    public static RevocationPolicy parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("revocation policy must be require, prefer or off, got '" + s + "'");
        }
    }

    public String label() { return name().toLowerCase(Locale.ROOT); }
}
