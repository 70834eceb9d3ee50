package org.proxyinfo.proxyinfo;

import java.io.ByteArrayOutputStream;

/**
 * DEC-5: what the proxy's signature over a {@code proxy_to_client} ProxyInfo covers. Both ends use
 * the same mode; it is configuration and traces record it ({@link #configName()}).
 */
public enum SigningMode {
    /**
     * DEVIATION (DEC-5), the default: session #1 {@code client_random} (32) || session #1
     * {@code server_random} (32) || the encoded fields, as ServerKeyExchange does (RFC 5246
     * §7.4.3). Binds the assertion to one client session, so it cannot be replayed to another.
     */
    BOUND("bound"),
    /**
     * The draft's literal text: the encoded fields only. An assertion captured on one session
     * verifies on any other session with the same proxy key (claims R-series, digest §6 item 6).
     */
    DRAFT_LITERAL("draft-literal");

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
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + encodedFields.length);
        out.write(clientRandom, 0, 32);
        out.write(serverRandom, 0, 32);
        out.write(encodedFields, 0, encodedFields.length);
        return out.toByteArray();
    }

    @Override
    public String toString() { return configName; }
}
