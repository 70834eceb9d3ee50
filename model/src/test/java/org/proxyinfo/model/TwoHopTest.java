package org.proxyinfo.model;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue #11 item 5: two honest proxies in the model (TwoHop). Every command is solved by SAT4J; a
 * run passes only when satisfiable, a check only without counterexample (an exception fails the test).
 */
class TwoHopTest {
    static Map<String, TwoHop.Result> results;

    @BeforeAll
    static void decide() {
        results = TwoHop.decide(System.out).stream().collect(Collectors.toMap(r -> r.spec().label(), Function.identity()));
    }

    @Test
    @DisplayName("DEC-12/DEC-15 (C1, C3): sanity run: the client accepts an honest two-hop chain in PI-BOUND, hop 1 nesting hop 2")
    void honestTwoHopChainAccepted() {
        TwoHop.Result r = results.get("two_hop_honest");
        assertTrue(r.satisfiable(), "the honest two-hop run must be satisfiable (SAT = pass): " + r);
    }

    @Test
    @DisplayName("C1, C3, G3 hold with two honest proxies and the attacker on all three legs (DEC-9, DEC-10, DEC-12, DEC-15)")
    void claimsHoldOverTwoHops() {
        for (String l : List.of("two_hop_net_C1", "two_hop_net_C3", "two_hop_net_G3"))
            assertFalse(results.get(l).satisfiable(), l + ": counterexample found: " + results.get(l));
    }

    @Test
    @DisplayName("DEC-4: a chain deeper than the limit is never accepted (limit 2 and limit 1), deeper chains do reach the client, and the limit is what refuses them")
    void dec4DepthLimit() {
        assertFalse(results.get("dec4_limit_2").satisfiable(), "limit 2: a committed chain of 3");
        assertTrue(results.get("dec4_deeper_offered").satisfiable(), "a chain of 3 must reach the client (non-vacuous)");
        assertTrue(results.get("dec4_limit_3_accepts_3").satisfiable(), "with limit 3 the chain of 3 is accepted (tightness)");
        assertFalse(results.get("dec4_limit_1_refuses_two_hops").satisfiable(), "limit 1: the two-hop chain was accepted");
        assertTrue(results.get("dec4_limit_1_offered").satisfiable(), "limit 1: the two-hop chain must still be offered");
    }

    @Test
    @DisplayName("DEC-4 at its default limit 4 (5 assertions in scope): a chain of 5 reaches the client and is refused, a chain of 4 is accepted, and with limit 5 the chain of 5 is accepted")
    void dec4DefaultLimit() {
        assertFalse(results.get("dec4_limit_4").satisfiable(), "limit 4: a committed chain of 5");
        assertTrue(results.get("dec4_limit_4_deeper_offered").satisfiable(), "a chain of 5 must reach the client (non-vacuous)");
        assertTrue(results.get("dec4_limit_4_accepts_4").satisfiable(), "limit 4: a chain of 4 must be accepted (tightness)");
        assertTrue(results.get("dec4_limit_5_accepts_5").satisfiable(), "limit 5: the chain of 5 must be accepted (the limit is what refuses it)");
        for (String l : List.of("dec4_limit_4", "dec4_limit_4_deeper_offered", "dec4_limit_4_accepts_4", "dec4_limit_5_accepts_5"))
            assertTrue(results.get(l).spec().scope().contains("5 Assertion"), l + " runs at 5 assertions");
        assertTrue(TwoHop.SCOPE.contains("3 Assertion"), "the other two-hop commands keep 3 assertions");
    }

    @Test
    @DisplayName("issue #11 finding 5 (DEC-9, DEC-12, DEC-15): trust is each party's own: the client refuses a hop under an anchor only P has, P refuses an upstream proxy under an anchor only the client has, both refusals are reached, and the mutant of each side's check breaks its property")
    void perPartyTrust() {
        assertFalse(results.get("trust_client_own_anchors").satisfiable(), "the client committed to a hop outside its own anchors");
        assertTrue(results.get("trust_client_refusal_reached").satisfiable(), "the chain must reach the client and be refused (non-vacuous)");
        assertTrue(results.get("trust_client_mutant_NoDEC12").satisfiable(), "without DEC-12 the client must accept the untrusted hop (tightness)");
        assertFalse(results.get("trust_proxy_own_anchors").satisfiable(), "P nested an assertion from outside its own anchors");
        assertFalse(results.get("trust_proxy_no_chain_to_client").satisfiable(), "a chain through P2 reached the client via P");
        assertTrue(results.get("trust_proxy_refusal_reached").satisfiable(), "P2's assertion must reach P and be refused (non-vacuous)");
        assertTrue(results.get("trust_proxy_mutant_NoProxyValidation").satisfiable(), "without DEC-15 validation P must nest P2's assertion (tightness)");
        for (String l : List.of("trust_client_own_anchors", "trust_client_refusal_reached", "trust_client_mutant_NoDEC12"))
            assertTrue(results.get(l).spec().scope().contains("exactly 1 Hop2UntrustedByClient, ")
                    && results.get(l).spec().scope().endsWith("0 Hop2UntrustedByProxy"), l + ": " + results.get(l).spec().scope());
        assertTrue(TwoHop.SCOPE.endsWith(Bound.TRUST_SPLIT_ABSENT), "every other two-hop command keeps both stores equal");
    }

    @Test
    @DisplayName("every two-hop command passed, and each names the requirement IDs it decides")
    void everyCommandPassed() {
        assertEquals(TwoHop.SPECS.size(), results.size());
        for (TwoHop.Result r : results.values()) {
            assertTrue(r.passed(), r.toString());
            assertFalse(r.spec().ids().isBlank(), r.spec().label());
        }
    }
}
