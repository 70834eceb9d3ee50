package org.proxyinfo.pki;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Server identity check, RFC 6125 §6.4 and RFC 2818 §3.1, with the project's strict reading
 * (DEC-10):
 * <ul>
 * <li>a DNS reference identifier is matched against dNSName subjectAltNames only; the subject
 *     CN is never used (RFC 6125 §6.4.4 makes the CN fallback a MAY; we do not take it);</li>
 * <li>ASCII case-insensitive; one trailing dot on the reference identifier is ignored;</li>
 * <li>a wildcard matches only as the complete left-most label ({@code *.example.com}), matches
 *     exactly one non-empty label, and needs at least two labels after it; partial wildcards
 *     ({@code f*.example.com}, {@code *oo.example.com}) and wildcards elsewhere never match
 *     (RFC 6125 §6.4.3, §7.2);</li>
 * <li>an IP literal reference (IPv4 dotted quad or IPv6) is matched only against iPAddress
 *     subjectAltNames, byte-exact (RFC 2818 §3.1); never against dNSNames or wildcards.</li>
 * </ul>
 */
public final class HostnameMatcher {
    private HostnameMatcher() { }

    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?");

    /**
     * True for a name that can be a DNS host name as server_name's HostName carries it (RFC 6066 section 3: "the fully
     * qualified DNS hostname", ASCII): at most 253 characters, dot-separated labels of 1-63 letters, digits, hyphens
     * (not first or last) and underscores (seen in the wild), one trailing dot allowed. Control characters, spaces and
     * anything else are not (a proxy must neither dial nor forward such a name, nor print it raw).
     */
    public static boolean isDnsHostName(String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (h.isEmpty() || h.length() > 253) {
            return false;
        }
        for (String label : h.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    /** True for an IPv4 dotted quad or an IPv6 literal (optionally in brackets). */
    public static boolean isIpLiteral(String host) {
        if (host == null) {
            return false;
        }
        return IPV4.matcher(host).matches() || (host.indexOf(':') >= 0 && ipv6(host) != null);
    }

    private static byte[] ipv6(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!h.matches("[0-9A-Fa-f:.]+")) {
            return null; // never let InetAddress do a name lookup
        }
        try {
            return InetAddress.getByName(h).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static byte[] ipBytes(String literal) {
        if (IPV4.matcher(literal).matches()) {
            String[] p = literal.split("\\.");
            byte[] b = new byte[4];
            for (int i = 0; i < 4; i++) {
                b[i] = (byte) Integer.parseInt(p[i]);
            }
            return b;
        }
        return ipv6(literal);
    }

    /** The dNSName entries of the certificate's subjectAltName. */
    public static List<String> dnsNames(X509Certificate cert) throws CertificateParsingException {
        return sans(cert, SAN_DNS);
    }

    /** The iPAddress entries of the certificate's subjectAltName, as the JDK prints them. */
    public static List<String> ipAddresses(X509Certificate cert) throws CertificateParsingException {
        return sans(cert, SAN_IP);
    }

    private static List<String> sans(X509Certificate cert, int type) throws CertificateParsingException {
        List<String> out = new ArrayList<>();
        Collection<List<?>> all = cert.getSubjectAlternativeNames();
        if (all == null) {
            return out;
        }
        for (List<?> e : all) {
            if (e.size() >= 2 && e.get(0) instanceof Integer && (Integer) e.get(0) == type && e.get(1) instanceof String) {
                out.add((String) e.get(1));
            }
        }
        return out;
    }

    /**
     * The presented identifier that matched the reference host, or null when none did.
     * Throws CertificateParsingException for an undecodable subjectAltName.
     */
    public static String match(X509Certificate cert, String host) throws CertificateParsingException {
        if (host == null || host.isEmpty()) {
            return null;
        }
        if (isIpLiteral(host)) {
            byte[] want = ipBytes(host);
            for (String ip : ipAddresses(cert)) {
                byte[] have = ipBytes(ip);
                if (have != null && Arrays.equals(want, have)) {
                    return ip;
                }
            }
            return null;
        }
        String ref = asciiLower(host.endsWith(".") ? host.substring(0, host.length() - 1) : host);
        if (ref.indexOf('*') >= 0) {
            return null; // a reference identifier is a host name, never a pattern
        }
        for (String presented : dnsNames(cert)) {
            if (dnsMatches(presented, ref)) {
                return presented;
            }
        }
        return null;
    }

    /** One presented dNSName against a lower-case reference identifier. */
    static boolean dnsMatches(String presented, String reference) {
        String p = asciiLower(presented);
        if (p.endsWith(".")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.isEmpty() || reference.isEmpty()) {
            return false;
        }
        if (!p.contains("*")) {
            return p.equals(reference);
        }
        // Wildcard: only "*" as the whole left-most label, nothing else may contain '*'.
        if (!p.startsWith("*.") || p.indexOf('*', 1) >= 0) {
            return false;
        }
        String suffix = p.substring(1); // ".example.com"
        if (suffix.chars().filter(ch -> ch == '.').count() < 2) {
            return false; // "*.com": too broad
        }
        if (!reference.endsWith(suffix)) {
            return false;
        }
        String label = reference.substring(0, reference.length() - suffix.length());
        return !label.isEmpty() && label.indexOf('.') < 0;
    }

    /**
     * RFC 6125 §6.4 (RFC 4343): DNS names compare case-insensitively for ASCII letters only. Full
     * Unicode lower-casing would let a non-ASCII character fold into an ASCII one (U+212A KELVIN SIGN
     * to 'k', U+0130 to "i" plus a combining dot), making a name that is not the certificate's match
     * it; such characters are left as they are here, so they never equal an ASCII name.
     */
    static String asciiLower(String s) {
        char[] c = s.toCharArray();
        for (int i = 0; i < c.length; i++) {
            if (c[i] >= 'A' && c[i] <= 'Z') {
                c[i] = (char) (c[i] + ('a' - 'A'));
            }
        }
        return new String(c);
    }
}
