package org.proxyinfo.pki;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** RFC 6125 §6.4 / RFC 2818 §3.1 matching rules, one presented identifier at a time. */
class HostnameMatcherTest {

    @Test
    @DisplayName("RFC6125-6.4.1: exact, ASCII case-insensitive, trailing dot ignored on the presented name")
    void exact() {
        assertTrue(HostnameMatcher.dnsMatches("Origin.ProxyInfo.Test", "origin.proxyinfo.test"));
        assertTrue(HostnameMatcher.dnsMatches("origin.proxyinfo.test.", "origin.proxyinfo.test"));
        assertFalse(HostnameMatcher.dnsMatches("origin.proxyinfo.test", "origin.proxyinfo.tes"));
        assertFalse(HostnameMatcher.dnsMatches("", "origin.proxyinfo.test"));
    }

    @Test
    @DisplayName("RFC6125-6.4.3: wildcard only as the whole left-most label, exactly one label, >= 2 labels after")
    void wildcards() {
        assertTrue(HostnameMatcher.dnsMatches("*.proxyinfo.test", "origin.proxyinfo.test"));
        assertTrue(HostnameMatcher.dnsMatches("*.PROXYINFO.test", "xn--bcher-kva.proxyinfo.test"));
        assertFalse(HostnameMatcher.dnsMatches("*.proxyinfo.test", "a.origin.proxyinfo.test"));
        assertFalse(HostnameMatcher.dnsMatches("*.proxyinfo.test", "proxyinfo.test"));
        assertFalse(HostnameMatcher.dnsMatches("*.proxyinfo.test", ".proxyinfo.test"));
        assertFalse(HostnameMatcher.dnsMatches("*.test", "proxyinfo.test"));
        assertFalse(HostnameMatcher.dnsMatches("o*.proxyinfo.test", "origin.proxyinfo.test"));
        assertFalse(HostnameMatcher.dnsMatches("*n.proxyinfo.test", "origin.proxyinfo.test"));
        assertFalse(HostnameMatcher.dnsMatches("origin.*.test", "origin.proxyinfo.test"));
        assertFalse(HostnameMatcher.dnsMatches("*.*.test", "origin.proxyinfo.test"));
        assertFalse(HostnameMatcher.dnsMatches("*", "origin"));
    }

    @Test
    @DisplayName("RFC2818-3.1: IP literals are recognised without name lookups")
    void ipLiterals() {
        assertTrue(HostnameMatcher.isIpLiteral("127.0.0.1"));
        assertTrue(HostnameMatcher.isIpLiteral("::1"));
        assertTrue(HostnameMatcher.isIpLiteral("[2001:db8::1]"));
        assertFalse(HostnameMatcher.isIpLiteral("256.0.0.1"));
        assertFalse(HostnameMatcher.isIpLiteral("127.0.0"));
        assertFalse(HostnameMatcher.isIpLiteral("localhost"));
        assertFalse(HostnameMatcher.isIpLiteral("1.2.3.4.example"));
    }

    @org.junit.jupiter.api.Test
    @org.junit.jupiter.api.DisplayName("RFC 6125 6.4: ASCII case folding only (issue #14): KELVIN SIGN U+212A is not 'k', U+0130 is not 'i'")
    void asciiCaseFoldingOnly() {
        org.junit.jupiter.api.Assertions.assertEquals("kelvin.example.com", HostnameMatcher.asciiLower("KELVIN.Example.COM"));
        // full Unicode lower-casing folds U+212A to 'k' and so matched a name that is not the certificate's
        org.junit.jupiter.api.Assertions.assertFalse(HostnameMatcher.dnsMatches("kelvin.example.com",
                HostnameMatcher.asciiLower("\u212Aelvin.example.com")));
        org.junit.jupiter.api.Assertions.assertFalse(HostnameMatcher.dnsMatches("\u212Aelvin.example.com",
                HostnameMatcher.asciiLower("kelvin.example.com")));
        org.junit.jupiter.api.Assertions.assertFalse(HostnameMatcher.dnsMatches("*.example.com",
                HostnameMatcher.asciiLower("\u0130.example.com").equals("i.example.com") ? "i.example.com" : "x.y.example.com"));
        org.junit.jupiter.api.Assertions.assertEquals("\u0130.example.com", HostnameMatcher.asciiLower("\u0130.EXAMPLE.com"));
    }
}
