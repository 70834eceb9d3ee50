package org.proxyinfo.proxyinfo;

/**
 * DEC-10: what the client does about revocation of the origin server's chain when the proxy says
 * it did not check ({@code revocation_checking_performed} false, 01-R9 SHOULD). Default
 * {@link #PREFER}.
 */
public enum RevocationPolicy {
    /** Every certificate of the chain must be covered by revocation data the client has; else refuse. */
    REQUIRE("require"),
    /** Check with the revocation data the client has; certificates without data pass (recorded). */
    PREFER("prefer"),
    /** Do not check (recorded). */
    OFF("off");

    private final String configName;

    RevocationPolicy(String configName) {
        this.configName = configName;
    }

    public String configName() { return configName; }

    public static RevocationPolicy fromConfig(String name) {
        for (RevocationPolicy p : values()) {
            if (p.configName.equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("revocation policy '" + name + "' is not one of: require, prefer, off (DEC-10)");
    }

    @Override
    public String toString() { return configName; }
}
