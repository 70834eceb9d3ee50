package org.proxyinfo.proxyinfo;

import java.io.ByteArrayOutputStream;

/**
 * DEC-5: what the proxy's signature over a {@code proxy_to_client} ProxyInfo covers. Both ends use
 * the same mode; it is configuration and traces record it ({@link #configName()}).
 */
public enum SigningMode {
    /**
     * DEVIATION (DEC-5, DEC-5a), the default: 64 bytes of 0x20 || the ASCII context string
     * {@value #BOUND_CONTEXT} || 0x00 || session #1 {@code client_random} (32) || session #1
     * {@code server_random} (32) || the encoded fields. Binds the assertion to one client session,
     * so it cannot be replayed to another (DEC-5); the prefix (the construction of RFC 8446 §4.4.3)
     * keeps it apart from the same key's ServerKeyExchange signature over client_random ||
     * server_random || params (RFC 5246 §7.4.3), which starts with the client's own random (DEC-5a).
     */
    BOUND("bound"),
    /**
     * The draft's literal text: the encoded fields only. An assertion captured on one session
     * verifies on any other session with the same proxy key (claims R-series, digest §6 item 6).
     */
    DRAFT_LITERAL("draft-literal");

    /** DEC-5a: the context string of the bound signed input (ASCII, no terminator; a 0x00 byte follows it). */
    public static final String BOUND_CONTEXT = "TLS 1.2 proxy_info assertion, bound";
    private static final byte[] BOUND_PREFIX = boundPrefix();

    private final String configName;

    SigningMode(String configName) {
        this.configName = configName;
    }

    /** "bound" or "draft-literal", as written in configuration and traces. */
    public String configName() { return configName; }

    /** The mode for a configuration value; IllegalArgumentException naming the choices otherwise. */
    public static SigningMode fromConfig(String name) {
        for (SigningMode m : values()) {
            if (m.configName.equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("signing mode '" + name + "' is not one of: bound, draft-literal (DEC-5)");
    }

    /** DEC-5a: the context string this mode signs under, or null (draft-literal has none). */
    public String context() { return this == BOUND ? BOUND_CONTEXT : null; }

    private static byte[] boundPrefix() {
        byte[] context = BOUND_CONTEXT.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] p = new byte[64 + context.length + 1];
        java.util.Arrays.fill(p, 0, 64, (byte) 0x20);
        System.arraycopy(context, 0, p, 64, context.length);
        p[p.length - 1] = 0; // separator
        return p;
    }

    /**
     * The signed input for this mode.
     *
     * @param clientRandom  session #1 ClientHello.random (32 bytes; ignored in draft-literal mode)
     * @param serverRandom  session #1 ServerHello.random (32 bytes; ignored in draft-literal mode)
     * @param encodedFields {@link SignedProxyInfo#encodedFields()}
     */
    public byte[] signedInput(byte[] clientRandom, byte[] serverRandom, byte[] encodedFields) {
        if (this == DRAFT_LITERAL) {
            return encodedFields.clone();
        }
        if (clientRandom == null || serverRandom == null || clientRandom.length != 32 || serverRandom.length != 32) {
            throw new IllegalArgumentException("bound mode (DEC-5) needs session #1 client_random and server_random,"
                    + " 32 bytes each");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(BOUND_PREFIX.length + 64 + encodedFields.length);
        out.write(BOUND_PREFIX, 0, BOUND_PREFIX.length); // DEVIATION (DEC-5a): domain separation
        out.write(clientRandom, 0, 32);
        out.write(serverRandom, 0, 32);
        out.write(encodedFields, 0, encodedFields.length);
        return out.toByteArray();
    }

    @Override
    public String toString() { return configName; }
}
