package org.proxyinfo.model;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * R10 and R11 as reliance (claims.md "Precision", issue 11): decided where the attacker is on the relevant leg and
 * every party checks (net-c/net-cs for R10, net-s/net-cs for R11), in every architecture with a TLS-terminating proxy.
 * The verdicts themselves are in {@link VerdictTableTest#r10r11AsReliance()}; this test needs no SAT run.
 */
class RelianceTest {
    @Test
    @DisplayName("R10 is decided under net-c and net-cs, R11 under net-s and net-cs (the parties check; reliance is shown by a mutant)")
    void relianceSettingsDecided() {
        for (Arch a : new Arch[] {Arch.MINT, Arch.PI00, Arch.PI01, Arch.PIBOUND}) {
            for (ThreatSetting t : new ThreatSetting[] {ThreatSetting.NET_C, ThreatSetting.NET_CS})
                assertNull(Claim.R10.notApplicable(a, t), "R10 " + a.id + " " + t.id);
            for (ThreatSetting t : new ThreatSetting[] {ThreatSetting.NET_S, ThreatSetting.NET_CS})
                assertNull(Claim.R11.notApplicable(a, t), "R11 " + a.id + " " + t.id);
        }
    }
}
