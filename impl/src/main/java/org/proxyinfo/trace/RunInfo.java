package org.proxyinfo.trace;

import org.proxyinfo.wire.Hex;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code run} part of a trace: who produced it, with which software and configuration
 * (schema {@code #/$defs/run}). Built once before the run starts:
 * <pre>
 * RunInfo run = RunInfo.implementation("0.1.0", List.of("client", "proxy", "server"))
 *         .signingMode("bound").proxyInfoCodePoint(65360).rngSeed(seed).clock(clock)
 *         .policy("revocation", "prefer").scenario("pi-bound-honest-proxy");
 * </pre>
 */
public final class RunInfo {
    public static final int DEFAULT_PROXY_INFO_CODE_POINT = 65360; // DEC-2: 0xFF50

    private final String source;
    private final String softwareVersion;
    private final List<String> roles;
    private String scenario;
    private String architecture;
    private String property;
    private String signingMode = "bound"; // DEC-5 default (DEVIATION (DEC-5))
    private int proxyInfoCodePoint = DEFAULT_PROXY_INFO_CODE_POINT;
    private String rngSeedHex;
    private String clockKind = "system";
    private String clockInstant;
    private final Map<String, Object> extra = new TreeMap<>();
    private final Map<String, Object> policies = new TreeMap<>();

    public RunInfo(String source, String softwareVersion, List<String> roles) {
        if (!List.of("implementation", "model", "import").contains(source)) {
            throw new IllegalArgumentException("run source must be implementation, model or import, not " + source);
        }
        this.source = source;
        this.softwareVersion = softwareVersion;
        this.roles = new ArrayList<>(roles);
    }

    /** A run of this project's roles; {@code version} like "0.1.0". */
    public static RunInfo implementation(String version, List<String> roles) {
        return new RunInfo("implementation", "proxyinfo " + version, roles);
    }

    public RunInfo scenario(String name) { this.scenario = name; return this; }

    public RunInfo architecture(String id) { this.architecture = id; return this; }

    public RunInfo property(String claimId) { this.property = claimId; return this; }

    /** DEC-5: "bound" or "draft-literal"; null when not applicable (imports). */
    public RunInfo signingMode(String mode) {
        if (mode != null && !mode.equals("bound") && !mode.equals("draft-literal")) {
            throw new IllegalArgumentException("signing mode must be bound or draft-literal (DEC-5), not " + mode);
        }
        this.signingMode = mode;
        return this;
    }

    public RunInfo proxyInfoCodePoint(int codePoint) { this.proxyInfoCodePoint = codePoint; return this; }

    public RunInfo rngSeed(byte[] seed) { this.rngSeedHex = seed == null ? null : Hex.encode(seed); return this; }

    /**
     * Records the configured clock: a fixed clock is written with its instant, any other clock only
     * as "system" (so no wall-clock time enters the trace).
     */
    public RunInfo clock(Clock clock) {
        if (clock != null && clock.equals(Clock.fixed(clock.instant(), clock.getZone()))) {
            this.clockKind = "fixed";
            this.clockInstant = clock.instant().toString();
        } else {
            this.clockKind = "system";
            this.clockInstant = null;
        }
        return this;
    }

    public RunInfo policy(String name, Object value) { policies.put(name, value); return this; }

    /** Any other configuration key of the schema (versions, cipherSuites, serverName, maxNestingDepth, ...). */
    public RunInfo config(String name, Object value) { extra.put(name, value); return this; }

    public List<String> roles() { return List.copyOf(roles); }

    /** The {@code run} object, with a fixed key order. */
    public ObjectNode toJson() {
        ObjectNode run = TraceJson.NODES.objectNode();
        run.put("source", source);
        run.put("softwareVersion", softwareVersion);
        if (scenario != null) run.put("scenario", scenario);
        if (architecture != null) run.put("architecture", architecture);
        if (property != null) run.put("property", property);
        ArrayNode roleArray = run.putArray("roles");
        roles.forEach(roleArray::add);
        ObjectNode config = run.putObject("configuration");
        config.put("signingMode", signingMode);
        if ("bound".equals(signingMode)) {
            // DEVIATION (DEC-5a): the context string the bound assertion signature is made under
            config.put("signingContext", org.proxyinfo.proxyinfo.SigningMode.BOUND_CONTEXT);
        }
        config.put("proxyInfoCodePoint", proxyInfoCodePoint);
        config.put("rngSeed", rngSeedHex);
        ObjectNode clock = config.putObject("clock");
        clock.put("kind", clockKind);
        if (clockInstant != null) clock.put("instant", clockInstant);
        extra.forEach((k, v) -> config.set(k, TraceJson.toNode(v)));
        if (!policies.isEmpty()) config.set("policies", TraceJson.toNode(policies));
        return run;
    }
}
