package org.proxyinfo.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks of command-line values before anything uses them: each returns null when the value is
 * fine, otherwise one line saying what is wrong and what is allowed (issue 17: no stack trace on any
 * input).
 */
final class Validate {
    private Validate() {}

    /** A TCP port: 1-65535, or 0 (any free port) where listening allows it. */
    static String port(String option, long port, boolean zeroAllowed) {
        long min = zeroAllowed ? 0 : 1;
        if (port < min || port > 65535) {
            return option + " " + port + " is not a TCP port: use " + min + "-65535" + (zeroAllowed ? " (0: any free port)" : "");
        }
        return null;
    }

    /** DEC-2: a proxy_info code point is an ExtensionType, an unsigned 16-bit number. */
    static String codePoint(String option, long value) {
        if (value < 0 || value > 65535) {
            return option + " " + value + " is not a TLS ExtensionType: use 0-65535 (DEC-2; default 65360)";
        }
        return null;
    }

    /** HOST:PORT with a port 1-65535 (an IPv6 literal in brackets: [::1]:443). */
    static String hostPort(String option, String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            return option + " must be HOST:PORT, e.g. 127.0.0.1:8443; got '" + shorten(value) + "'";
        }
        String p = value.substring(colon + 1);
        if (!p.matches("\\d{1,9}")) {
            return option + " must be HOST:PORT with a numeric port; got '" + shorten(value) + "'";
        }
        long port = Long.parseLong(p);
        if (port < 1 || port > 65535) {
            return option + " " + shorten(value) + ": port " + port + " is not a TCP port (use 1-65535)";
        }
        return null;
    }

    /**
     * A server name as sent in SNI (RFC 6066 section 3: a DNS host name, no IP literal) and matched
     * against the certificate (RFC 6125): at most 253 characters, dot-separated labels of 1-63
     * letters, digits and hyphens, not starting or ending with a hyphen. An IP address is accepted
     * too (the client then sends no SNI and matches the certificate's IP address).
     */
    static String hostName(String option, String host) {
        if (host == null || host.isEmpty()) {
            return option + " must not be empty";
        }
        if (host.matches("\\d{1,3}(\\.\\d{1,3}){3}") || host.contains(":") && host.matches("[0-9A-Fa-f:.]+")) {
            return null;
        }
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (h.length() > 253) {
            return option + " is " + host.length() + " characters long; a host name has at most 253 (RFC 1035)";
        }
        for (String label : h.split("\\.", -1)) {
            if (label.isEmpty()) {
                return option + " '" + shorten(host) + "' has an empty label (two dots in a row, or a leading dot)";
            }
            if (label.length() > 63) {
                return option + " has a label of " + label.length() + " characters; a DNS label has at most 63 (RFC 1035)";
            }
            if (!label.matches("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?")) {
                return option + " '" + shorten(host) + "' is not a host name: labels are letters, digits and hyphens,"
                        + " not starting or ending with a hyphen (label '" + shorten(label) + "')";
            }
        }
        return null;
    }

    /** A directory to write into: created if missing, must not be a file. */
    static String writableDirectory(String option, Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            return option + " " + dir + " is a file, not a directory: name a new or existing directory";
        }
        return null;
    }

    /** A file to write (--trace): not a directory; null if fine, the file itself is written later. */
    static String writableFile(String option, Path file) {
        if (file != null && Files.isDirectory(file)) {
            return option + " " + file + " is a directory: give a file name, e.g. " + file.resolve("trace.json");
        }
        return null;
    }

    /** Why a listener could not start, and what to try: the address is not this machine's, or the port is taken. */
    static String cannotListen(String bind, int port, java.io.IOException e) {
        String what = "cannot listen on " + bind + ":" + port + ": " + e.getMessage();
        if (e instanceof java.net.UnknownHostException) {
            return "--bind " + bind + " is not a host name or address this machine can resolve (" + e.getMessage()
                    + "); use 127.0.0.1, 0.0.0.0 (every address) or one of this machine's addresses";
        }
        if (e instanceof java.net.BindException && String.valueOf(e.getMessage()).contains("assign requested address")) {
            return what + " (" + bind + " is not an address of this machine: use 127.0.0.1, 0.0.0.0 (every address) or one of"
                    + " its own)";
        }
        if (e instanceof java.net.BindException && String.valueOf(e.getMessage()).contains("in use")) {
            return what + " (another program listens there: stop it or choose another --port)";
        }
        return what + " (is another program listening there? try another --port or --bind)";
    }

    static String shorten(String s) {
        return s.length() <= 60 ? s : s.substring(0, 40) + "...(" + s.length() + " characters)";
    }
}
