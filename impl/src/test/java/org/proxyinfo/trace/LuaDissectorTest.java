package org.proxyinfo.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 finding 5: traces/wireshark/proxy_info.lua shows proxy_info's flag, parameters, chain,
 * server_random, revocation flag, nested hops and signature as fields tshark can filter by name.
 */
class LuaDissectorTest {
    @TempDir Path tmp;

    private Procs.Result fields(Path cap, String filter, String... names) throws Exception {
        Path lua = TraceValidator.schemaFile().getParent().getParent().resolve("wireshark/proxy_info.lua");
        List<String> cmd = new java.util.ArrayList<>(List.of("tshark", "-X", "lua_script:" + lua, "-r", cap.toString(),
                "-Y", filter, "-T", "fields", "-E", "separator=|", "-E", "aggregator=,"));
        for (String n : names) cmd.addAll(List.of("-e", n));
        Procs.Result r = Procs.run(cmd, tmp, 120);
        assertEquals(0, r.exit(), r.err());
        return r;
    }

    private Path capture(String name) {
        Path cap = tmp.resolve(name + ".pcapng");
        Cli c = Cli.run("trace", "pcap", WiresharkTest.reference().resolve(name + ".json").toString(), "--leg", "session1",
                "--out", cap.toString());
        assertEquals(0, c.exit(), c.err());
        return cap;
    }

    @Test
    @DisplayName("one hop: flag, parameters, chain, server_random (session #2's), revocation flag and signature as filterable fields")
    void oneHop() throws Exception {
        Trace t = Trace.read(WiresharkTest.reference().resolve("proxied.json"));
        String sr2 = t.legKeys().get("session2").serverRandom();
        Procs.Result r = fields(capture("proxied"), "proxy_info.flag == 1", "proxy_info.flag", "proxy_info.tls_version",
                "proxy_info.cipher_suite", "proxy_info.server_random", "proxy_info.revocation_checking_performed",
                "proxy_info.signature_algorithm", "proxy_info.certificate", "proxy_info.signature");
        String[] line = r.out().trim().split("\\|", -1);
        assertEquals(8, line.length, r.out());
        assertEquals("1,3", line[0], "proxy_to_client, then server_to_proxy (DEC-4 end of chain)");
        assertEquals("0x0303", line[1]);
        assertEquals("0xc02b", line[2]);
        assertEquals(sr2.replaceAll("(..)(?!$)", "$1:"), line[3].contains(":") ? line[3] : line[3].replaceAll("(..)(?!$)", "$1:"));
        assertTrue(line[4].equals("True") || line[4].equals("1"), line[4]);
        assertEquals("0x0403", line[5]);
        assertEquals(2, line[6].split(",").length, "origin leaf and intermediate: " + line[6]);
        assertTrue(line[7].length() > 100, line[7]);
        // the client's empty offer is flag 0
        assertEquals("0", fields(capture("proxied"), "proxy_info.flag == 0", "proxy_info.flag").out().trim());
    }

    @Test
    @DisplayName("two hops: the nested hop is shown as hop 2 with its own signature")
    void nestedHops() throws Exception {
        Procs.Result r = fields(capture("proxied-two-hops"), "proxy_info.hop == 2 && proxy_info.flag == 1",
                "proxy_info.hop", "proxy_info.flag", "proxy_info.signature_algorithm");
        String[] line = r.out().trim().split("\\|", -1);
        assertEquals(3, line.length, r.out());
        assertTrue(line[0].startsWith("1,2"), line[0]);
        assertEquals(2, line[2].split(",").length, "two signatures: " + line[2]);
    }
}
