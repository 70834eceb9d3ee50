package org.proxyinfo.demo;

import java.util.List;

import org.proxyinfo.trace.Trace;

/**
 * What a scenario run did: each party's outcome per leg, whether that is what the scenario
 * expects, the text for a person, and the merged trace of the run.
 */
public final class ScenarioResult {
    /** One party's end of one leg. */
    public record PartyOutcome(String party, String leg, boolean established, String alertSent, String alertReceived,
                               String requirementId, String message) {
        public String describe() {
            if (established) {
                return party + " on " + leg + ": established";
            }
            return party + " on " + leg + ": " + (alertSent != null ? "sent " + alertSent + " [" + requirementId + "]"
                    : alertReceived != null ? "received " + alertReceived : "ended without an alert")
                    + (message != null ? " - " + message : "");
        }

        /** Like {@link #describe()} without the message, when the same reason is printed elsewhere. */
        public String describeBriefly() {
            return established ? describe() : party + " on " + leg + ": " + (alertSent != null ? "sent " + alertSent + " [" + requirementId + "]"
                    : alertReceived != null ? "received " + alertReceived : "ended without an alert");
        }
    }

    private final Scenario scenario;
    private final boolean passed;
    private final List<PartyOutcome> outcomes;
    private final String summary;
    private final List<String> mismatches;
    private final Trace trace;

    ScenarioResult(Scenario scenario, boolean passed, List<PartyOutcome> outcomes, String summary, List<String> mismatches,
                   Trace trace) {
        this.scenario = scenario;
        this.passed = passed;
        this.outcomes = List.copyOf(outcomes);
        this.summary = summary;
        this.mismatches = List.copyOf(mismatches);
        this.trace = trace;
    }

    public Scenario scenario() { return scenario; }

    /** Every party behaved as the scenario expects. */
    public boolean passed() { return passed; }

    public List<PartyOutcome> outcomes() { return outcomes; }

    /** The text for a person: who authenticated whom and how, the upstream as reported, the decision and why. */
    public String summary() { return summary; }

    /** What differed from the expectation (empty when passed). */
    public List<String> mismatches() { return mismatches; }

    /** The merged trace of all parties (also written to the trace directory when one was given). */
    public Trace trace() { return trace; }
}
