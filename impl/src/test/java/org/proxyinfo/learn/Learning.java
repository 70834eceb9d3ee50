package org.proxyinfo.learn;

import java.util.Collection;
import java.util.List;
import java.util.Random;

import de.learnlib.algorithms.ttt.mealy.TTTLearnerMealy;
import de.learnlib.algorithms.ttt.mealy.TTTLearnerMealyBuilder;
import de.learnlib.api.SUL;
import de.learnlib.api.oracle.EquivalenceOracle.MealyEquivalenceOracle;
import de.learnlib.api.oracle.MembershipOracle.MealyMembershipOracle;
import de.learnlib.api.query.DefaultQuery;
import de.learnlib.filter.cache.mealy.MealyCacheOracle;
import de.learnlib.filter.statistic.oracle.MealyCounterOracle;
import de.learnlib.filter.statistic.sul.ResetCounterSUL;
import de.learnlib.filter.statistic.sul.SymbolCounterSUL;
import de.learnlib.oracle.equivalence.MealyEQOracleChain;
import de.learnlib.oracle.equivalence.MealyRandomWpMethodEQOracle;
import de.learnlib.oracle.membership.SULOracle;
import de.learnlib.util.Experiment.MealyExperiment;
import net.automatalib.automata.transducers.MealyMachine;
import net.automatalib.automata.transducers.impl.compact.CompactMealy;
import net.automatalib.util.automata.Automata;
import net.automatalib.words.Alphabet;
import net.automatalib.words.Word;
import net.automatalib.words.impl.Alphabets;

/**
 * One learning run with LearnLib 0.16 (TTT, a DAG cache, counters), an equivalence oracle that
 * first tries the shortest word separating the hypothesis from the specification machine (a
 * counterexample only if the real system confirms it: the specification only suggests where to
 * look) and then a randomized Wp-method test suite with a fixed seed and a word budget.
 */
public final class Learning {
    private Learning() { }

    /** The learned machine and what it cost. */
    public static final class Result {
        public final String name;
        public final CompactMealy<String, String> machine;
        public final long millis;
        public final long membershipQueries;
        public final long equivalenceQueries;
        public final long resets;
        public final long symbols;
        public final int rounds;

        Result(String name, CompactMealy<String, String> machine, long millis, long mq, long eq, long resets, long symbols,
               int rounds) {
            this.name = name;
            this.machine = machine;
            this.millis = millis;
            this.membershipQueries = mq;
            this.equivalenceQueries = eq;
            this.resets = resets;
            this.symbols = symbols;
            this.rounds = rounds;
        }

        public String summary() {
            return name + ": " + machine.size() + " states, " + (machine.size() * machine.getInputAlphabet().size())
                    + " transitions; learned in " + millis + " ms with " + membershipQueries + " membership queries from TTT, "
                    + equivalenceQueries + " equivalence test words, " + resets + " connections, " + symbols + " inputs sent, "
                    + rounds + " hypothesis rounds";
        }
    }

    /**
     * @param spec the specification machine, or null
     * @param specSuite also run the specification's whole W-method suite as test words (for peers that are not
     *     our roles, where the single shortest separating word says little); otherwise only that word is tried
     */
    public static Result learn(String name, SUL<String, String> sul, List<String> inputs,
                               CompactMealy<String, String> spec, int eqWords, long seed, boolean specSuite) {
        Alphabet<String> alphabet = Alphabets.fromList(inputs);
        if (LOG != null) {
            sul = new LoggingSul(sul, LOG);
        }
        ResetCounterSUL<String, String> resets = new ResetCounterSUL<>("connections", sul);
        SymbolCounterSUL<String, String> symbols = new SymbolCounterSUL<>("inputs", resets);
        MealyCacheOracle<String, String> cache = MealyCacheOracle.createDAGCacheOracle(alphabet, new SULOracle<>(symbols));
        MealyCounterOracle<String, String> mq = new MealyCounterOracle<>(cache, "membership queries");
        MealyCounterOracle<String, String> eqMq = new MealyCounterOracle<>(cache, "equivalence queries");
        TTTLearnerMealy<String, String> learner = new TTTLearnerMealyBuilder<String, String>()
                .withAlphabet(alphabet).withOracle(mq).create();
        MealyEquivalenceOracle<String, String> specHint = new SpecHintOracle(eqMq, spec, alphabet, specSuite);
        MealyEquivalenceOracle<String, String> wp = new MealyRandomWpMethodEQOracle<>(eqMq, 1, 3, eqWords, new Random(seed), 1);
        MealyEquivalenceOracle<String, String> eq = new MealyEQOracleChain<>(specHint, wp);
        MealyExperiment<String, String> exp = new MealyExperiment<>(learner, eq, alphabet);
        long t0 = System.nanoTime();
        try {
            exp.run();
        } catch (net.automatalib.incremental.ConflictException e) {
            // the cache saw two answers to the same inputs: a nondeterministic system (or mapper) is a failure,
            // never a machine learned from whichever answer came first
            throw new AssertionError(name + ": the system answered the same inputs differently on two connections (" + e.getMessage()
                    + "). Timing (an answer later than the quiescence check allowed) or state left over between connections;"
                    + " rerun with -Dlearn.log=FILE to see every query", e);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        MealyMachine<?, String, ?, String> h = exp.getFinalHypothesis();
        CompactMealy<String, String> copy = MachineText.copy(h, alphabet);
        return new Result(name, copy, ms, mq.getCount(), eqMq.getCount(), resets.getStatisticalData().getCount(),
                symbols.getStatisticalData().getCount(), (int) exp.getRounds().getCount());
    }

    /** -Dlearn.log=FILE writes every query (inputs and outputs) the learner sends to the system, for debugging a mapper. */
    static final String LOG = System.getProperty("learn.log");

    static final class LoggingSul implements SUL<String, String> {
        final SUL<String, String> sul;
        final java.io.PrintStream out;
        final StringBuilder line = new StringBuilder();

        LoggingSul(SUL<String, String> sul, String file) {
            this.sul = sul;
            try {
                this.out = new java.io.PrintStream(new java.io.FileOutputStream(file, true), true, "UTF-8");
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override public void pre() {
            sul.pre();
            line.setLength(0);
        }

        @Override public void post() {
            out.println(line);
            sul.post();
        }

        @Override public String step(String in) {
            String o = sul.step(in);
            line.append(in).append(" / ").append(o).append(" ; ");
            return o;
        }
    }

    /** Proposes the shortest word on which the hypothesis and the specification differ, if the system agrees with the spec there. */
    static final class SpecHintOracle implements MealyEquivalenceOracle<String, String> {
        final MealyMembershipOracle<String, String> oracle;
        final CompactMealy<String, String> spec;
        final Alphabet<String> alphabet;
        final boolean wholeSuite;
        List<Word<String>> suite;

        SpecHintOracle(MealyMembershipOracle<String, String> oracle, CompactMealy<String, String> spec, Alphabet<String> alphabet,
                       boolean wholeSuite) {
            this.wholeSuite = wholeSuite;
            this.oracle = oracle;
            this.spec = spec;
            this.alphabet = alphabet;
        }

        @Override public DefaultQuery<String, Word<String>> findCounterExample(MealyMachine<?, String, ?, String> hyp,
                                                                               Collection<? extends String> inputs) {
            if (spec == null) {
                return null;
            }
            Word<String> w = Automata.findShortestSeparatingWord(spec, hyp, alphabet);
            if (w == null) {
                return null;
            }
            // the specification's W-method suite (transition cover x characterizing set), shortest words first:
            // each word is a counterexample only if the real system answers it differently from the hypothesis
            if (!wholeSuite) {
                Word<String> real = oracle.answerQuery(w);
                if (!real.equals(hyp.computeOutput(w))) {
                    return new DefaultQuery<>(Word.epsilon(), w, real);
                }
                // the system really differs from the specification on w, and the check will fail; so that its report
                // shows the whole learned machine, not a hypothesis cut short at the first difference, the
                // specification's whole suite below looks for the rest (our roles that equal their spec never get here)
            }
            if (suite == null) {
                suite = new java.util.ArrayList<>();
                List<Word<String>> chars = Automata.characterizingSet(spec, alphabet);
                for (Word<String> cover : Automata.transitionCover(spec, alphabet)) {
                    for (Word<String> c : chars) {
                        suite.add(cover.concat(c));
                    }
                }
                suite.sort(java.util.Comparator.comparingInt(Word::length));
                suite.add(0, w);
            }
            for (Word<String> t : suite) {
                Word<String> real = oracle.answerQuery(t);
                if (!real.equals(hyp.computeOutput(t))) {
                    return new DefaultQuery<>(Word.epsilon(), t, real);
                }
            }
            return null; // the system behaves as the hypothesis on all of them: a real difference, found by the check
        }
    }
}
