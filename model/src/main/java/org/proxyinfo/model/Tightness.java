package org.proxyinfo.model;

import java.util.List;

/**
 * Tightness mutants: a cell whose property HOLDS because of a MUST or a DEC, re-checked with
 * that check removed (a {@code Mutant} atom in Cfg.mut). A load-bearing check must give a
 * counterexample. Probes ({@code expectCounterexample == false}) record checks that turned out
 * not to be load-bearing against this attacker, which is a finding, not a failure.
 */
public record Tightness(String id, Claim claim, Arch arch, ThreatSetting threat, String mutant, String requirement,
                        String removed, boolean expectCounterexample) {

    public static final List<Tightness> ALL = List.of(
            new Tightness("M1", Claim.C1, Arch.DIRECT, ThreatSetting.NET_C, "NoServerCertCheck", "RFC5246-7.4.2, RFC2818-3.1",
                    "the client's server certificate validation", true),
            new Tightness("M2", Claim.R5, Arch.DIRECT, ThreatSetting.NET_C, "NoFinished", "RFC5246-7.4.9",
                    "transcript integrity (Finished)", true),
            new Tightness("M3", Claim.C2, Arch.DIRECT, ThreatSetting.NET_C, "NoCertVerify", "RFC5246-7.4.8",
                    "the server's CertificateVerify check", true),
            new Tightness("M4", Claim.R1, Arch.MINT, ThreatSetting.NET_S, "NoProxyValidation", "00-R9, 01-R10, DEC-15",
                    "the proxy's upstream validation", true),
            new Tightness("M5", Claim.G2, Arch.PIBOUND, ThreatSetting.NET_C, "NoDEC9", "DEC-9",
                    "the proxy trust anchor (any web-valid certificate accepted as a proxy)", true),
            new Tightness("M7", Claim.R11, Arch.PIBOUND, ThreatSetting.CARELESS_PROXY, "NoDEC10", "DEC-10",
                    "the client's validation of server_certificate_list", true),
            new Tightness("M8", Claim.C2, Arch.PI01, ThreatSetting.NET_S, "NoPCVBinding", "01-R16",
                    "binding of the client's ProxyCertVerify signature to session #2", true),
            new Tightness("M9", Claim.A1, Arch.CONSENT, ThreatSetting.NET_CS, "NoServerConsent", "A1",
                    "the server's consent to the key sharing", true),
            new Tightness("M10", Claim.C3, Arch.PIBOUND, ThreatSetting.NET_CS, "NoDEC9", "DEC-9",
                    "the proxy trust anchor", true),
            new Tightness("M11", Claim.R3, Arch.PIBOUND, ThreatSetting.NET_C, "NoDEC11", "DEC-11",
                    "the client's upstream policy", true),
            new Tightness("M12", Claim.R11, Arch.PIBOUND, ThreatSetting.CARELESS_PROXY, "NoDEC12", "DEC-12",
                    "the client's cross-check of nested hops (the attacker poses as a further proxy)", true),
            new Tightness("M13", Claim.RS1, Arch.PIBOUND, ThreatSetting.NET_CS, "NoResumeCoupling", "01-R2, 01-R4, DEC-22",
                    "the proxy's coupling of session #1 resumption to session #2 resumption", true),
            new Tightness("M14", Claim.C2, Arch.PIBOUNDCC, ThreatSetting.NET_S, "NoPCVBinding", "DEC-23, 01-R16",
                    "binding of the client's ProxyCertVerify to session #2's server_random and the server's nonce (DEC-23)", true),
            new Tightness("P1", Claim.C1, Arch.PIBOUND, ThreatSetting.NET_CS, "NoDEC5Bind", "DEC-5",
                    "session-#1 binding of the signed input (probe: redundant with the signed ServerKeyExchange?)", false));

    /** One check of the model that a mutant removes: the {@code Mutant} atom and what config.als says it is. */
    public record Check(String atom, String what) {}

    /** Mutants that are not checks the implementation enforces (model-only designs): left out of the sweep. */
    static final java.util.Set<String> NOT_ENFORCED = java.util.Set.of("NoServerConsent");

    /**
     * The generated mutant list (issue #11 item 4): every {@code Mutant} atom declared in
     * config.als, with its comment, except the model-only ones. Nothing here is hand-picked: a
     * new check in the model is a new line in config.als and joins the sweep.
     */
    public static List<Check> sweep() {
        try (java.io.InputStream in = Tightness.class.getResourceAsStream("/alloy/config.als")) {
            String src = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            String block = src.substring(src.indexOf("abstract sig Mutant"), src.indexOf("extends Mutant"));
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^\\s*(\\w+),?\\s*--\\s*(.*)$").matcher(block);
            List<Check> out = new java.util.ArrayList<>();
            while (m.find()) if (!NOT_ENFORCED.contains(m.group(1))) out.add(new Check(m.group(1), m.group(2).trim()));
            if (out.isEmpty()) throw new IllegalStateException("no Mutant atoms found in config.als");
            return List.copyOf(out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
