package org.proxyinfo.verify;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.antlr.v4.runtime.CharStream;
import org.antlr.v4.runtime.CharStreams;

import de.uka.ilkd.key.control.KeYEnvironment;
import de.uka.ilkd.key.java.abstraction.KeYJavaType;
import de.uka.ilkd.key.logic.op.IObserverFunction;
import de.uka.ilkd.key.nparser.ProofReplayer;
import de.uka.ilkd.key.proof.Proof;
import de.uka.ilkd.key.proof.ProofAggregate;
import de.uka.ilkd.key.proof.init.ProblemInitializer;
import de.uka.ilkd.key.proof.init.ProofOblInput;
import de.uka.ilkd.key.proof.io.IntermediatePresentationProofFileParser;
import de.uka.ilkd.key.proof.io.IntermediateProofReplayer;
import de.uka.ilkd.key.proof.io.ProofSaver;
import de.uka.ilkd.key.rule.OneStepSimplifier;
import de.uka.ilkd.key.settings.ChoiceSettings;
import de.uka.ilkd.key.settings.ProofSettings;
import de.uka.ilkd.key.speclang.Contract;
import de.uka.ilkd.key.strategy.StrategyProperties;
import de.uka.ilkd.key.util.KeYTypeUtil;
import de.uka.ilkd.key.util.MiscTools;

/**
 * Drives KeY 2.12.3 through its Java API, with integer-overflow checking on
 * ({@code intRules:arithmeticSemanticsCheckingOF}) for every proof.
 *
 * <p>One {@link Session} loads a source directory once (parsing Java and JML is the expensive part,
 * about 2 s); every proof and every replay of a saved proof then runs in that one environment.
 * Replay re-creates the proof obligation from the <em>current</em> source and re-applies the saved
 * rule log step by step: a proof saved for an older source fails to replay (error, or an open goal),
 * so a stale proof is detected.
 *
 * <p>KeY loads a whole directory, so the directory must hold only code in KeY's Java subset (the
 * {@code org.proxyinfo.core} package is kept that way, see impl/DESIGN.md).
 */
final class KeyProver {

    /** One contract's outcome. */
    /**
     * One proof attempt. {@code stepLimit}: auto mode stopped because it used up its step budget (an
     * open proof that says nothing about the contract), not because a goal could not be closed.
     */
    record Result(String contract, String type, String method, boolean closed, int nodes, long millis, String proofFile,
                  int ruleApps, boolean stepLimit) {
        Result(String contract, String type, String method, boolean closed, int nodes, long millis, String proofFile) {
            this(contract, type, method, closed, nodes, millis, proofFile, nodes, false);
        }
    }

    /** Replay outcome of one saved proof. */
    record Replay(String contract, boolean closed, boolean errors, String message, int nodes, long millis) { }

    static final Map<String, String> CHECK_OVERFLOW = Map.of("intRules", "intRules:arithmeticSemanticsCheckingOF");
    static final int MAX_STEPS = 20_000;

    /** The auto-mode strategy every proof from scratch uses (on top of KeY's defaults). */
    static final Map<String, String> STRATEGY = new LinkedHashMap<>(Map.of(
            StrategyProperties.METHOD_OPTIONS_KEY, StrategyProperties.METHOD_CONTRACT,
            StrategyProperties.LOOP_OPTIONS_KEY, StrategyProperties.LOOP_INVARIANT,
            StrategyProperties.DEP_OPTIONS_KEY, StrategyProperties.DEP_ON,
            StrategyProperties.QUERY_OPTIONS_KEY, StrategyProperties.QUERY_ON,
            StrategyProperties.NON_LIN_ARITH_OPTIONS_KEY, StrategyProperties.NON_LIN_ARITH_DEF_OPS,
            StrategyProperties.STOPMODE_OPTIONS_KEY, StrategyProperties.STOPMODE_NONCLOSE));

    /**
     * Issue 10 (proving from scratch in the build): KeY's class-axiom setting, per contract. KeY's default
     * {@code CLASS_AXIOM_FREE} lets auto mode unfold a class invariant wherever it matches; {@code CLASS_AXIOM_DELAYED}
     * unfolds it only when nothing cheaper applies. Measured over all 114 contracts in one process (proofs/key/README.md,
     * item 2): DELAYED closes 113 of them with 21% fewer nodes in all; these contracts keep FREE, because with DELAYED
     * the first stays open and the others take more nodes. A strategy setting only steers the proof search: a closed
     * proof is a proof whichever setting found it, and the committed proof file records the setting it was made with.
     */
    static final Set<String> CLASS_AXIOM_FREE = Set.of(
            "ClientHandshake::onProxyInfoChecked#0", "ClientHandshake::maySignCertificateVerify#0",
            "ClientHandshake::fatalAlertToSend#0", "AbbreviatedHandshake::fatalAlertToSend#0",
            "ClientHandshake::mayReleaseKeyMaterial#0", "ServerHandshake::onFinishedSent#0",
            "AbbreviatedHandshake::onResumeDecided#0", "ProxyInfoDecision::plainServer#0",
            "ProxyHandshake::maySignAssertion#0", "ServerHandshake::fail#0", "Transitions::expected#0");

    /** The class-axiom setting of this contract's proof from scratch (see {@link #CLASS_AXIOM_FREE}). */
    static String classAxiom(String contractKey) {
        return CLASS_AXIOM_FREE.contains(contractKey) ? StrategyProperties.CLASS_AXIOM_FREE : StrategyProperties.CLASS_AXIOM_DELAYED;
    }

    /** Set by hand only ({@link KeyWorker} profile): KEY=VALUE,... strategy properties tried on top of {@link #STRATEGY}. */
    static String strategyOverride = "";

    private KeyProver() { }

    /**
     * Sets intRules:arithmeticSemanticsCheckingOF as the default before KeY's first load (so one load
     * suffices); if KeY's first load replaced the defaults, {@link Session} reloads once.
     */
    private static synchronized void initialiseChoices() {
        ChoiceSettings cs = ProofSettings.DEFAULT_SETTINGS.getChoiceSettings();
        Map<String, String> c = new HashMap<>(cs.getDefaultChoices());
        c.putAll(MiscTools.getDefaultTacletOptions());
        c.putAll(CHECK_OVERFLOW);
        cs.setDefaultChoices(c);
    }

    private static boolean checksOverflow(KeYEnvironment<?> env) {
        return env.getInitConfig().getActivatedChoices().toString().contains("intRules:arithmeticSemanticsCheckingOF");
    }

    /**
     * Are two saved proofs the same proof: the same settings, obligation and rule log? KeY's user,
     * version and auto-mode time lines and the relative path to the source are ignored (they depend on
     * who saved it, when, and where).
     */
    static boolean sameProof(Path a, Path b) throws IOException {
        return Files.exists(a) && Files.exists(b) && proofText(a).equals(proofText(b));
    }

    private static List<String> proofText(Path p) throws IOException {
        List<String> kept = new ArrayList<>();
        for (String l : Files.readAllLines(p, StandardCharsets.UTF_8)) {
            String t = l.trim();
            if (!(t.startsWith("(keyLog ") || t.startsWith("(autoModeTime ") || t.startsWith("\\javaSource "))) {
                kept.add(l);
            }
        }
        return kept;
    }

    /** Our name of a contract: {@code Type::method#n}, n distinguishing several contracts on one method. */
    static String key(KeYJavaType type, IObserverFunction target, Contract contract, boolean overloaded) {
        String typeName = type.getName().replaceAll(".*\\.", "");
        String method = target.name().toString().replaceAll(".*::", "");
        if (overloaded) { // e.g. maySignAssertion(boolean,boolean,boolean)
            List<String> params = new ArrayList<>();
            for (KeYJavaType t : target.getParamTypes()) {
                params.add(t.getName().replaceAll(".*\\.", ""));
            }
            method += "(" + String.join(",", params) + ")";
        }
        return typeName + "::" + method + "#" + contractIndex(contract.getName());
    }

    static String proofFileName(String contractKey) {
        return contractKey.replace("::", "_").replace("#", "_").replace("<", "").replace(">", "")
                .replace("(", "-").replace(")", "").replace(",", "-") + ".proof";
    }

    /** The method name of a contract key ({@code Type::method(params)#n} → method). */
    static String methodOf(String contractKey) {
        return contractKey.substring(contractKey.indexOf("::") + 2).replaceAll("[(#].*", "");
    }

    /** "… operation contract.0" → "0". */
    private static String contractIndex(String contractName) {
        int dot = contractName.lastIndexOf('.');
        return dot < 0 ? "0" : contractName.substring(dot + 1).replaceAll("[^0-9A-Za-z]", "");
    }

    /** A loaded source directory: prove or replay any number of its contracts. */
    static final class Session implements AutoCloseable {
        final KeYEnvironment<?> env;
        /** contract key → (type, target, contract), in KeY's order. */
        final Map<String, Object[]> contracts = new LinkedHashMap<>();

        Session(File sourceDir) throws Exception {
            long t0 = System.nanoTime();
            initialiseChoices();
            KeYEnvironment<?> loaded = KeYEnvironment.load(sourceDir, null, null, null);
            String reloaded = "";
            if (!checksOverflow(loaded)) { // KeY's first load installed its own defaults: set ours again, reload
                reloaded = ", loaded twice: the first load reset the taclet options after "
                        + (System.nanoTime() - t0) / 1_000_000 + " ms";
                loaded.dispose();
                initialiseChoices();
                loaded = KeYEnvironment.load(sourceDir, null, null, null);
                if (!checksOverflow(loaded)) {
                    loaded.dispose();
                    throw new IllegalStateException("KeY did not activate intRules:arithmeticSemanticsCheckingOF");
                }
            }
            env = loaded;
            System.out.printf("KeY: loaded %s in %d ms (integer-overflow checking on%s)%n", sourceDir.getName(),
                    (System.nanoTime() - t0) / 1_000_000, reloaded);
            for (KeYJavaType type : env.getJavaInfo().getAllKeYJavaTypes()) {
                if (KeYTypeUtil.isLibraryClass(type)) {
                    continue;
                }
                Map<String, Integer> names = new HashMap<>();
                for (IObserverFunction target : env.getSpecificationRepository().getContractTargets(type)) {
                    names.merge(target.name().toString(), 1, Integer::sum);
                }
                for (IObserverFunction target : env.getSpecificationRepository().getContractTargets(type)) {
                    boolean overloaded = names.get(target.name().toString()) > 1;
                    for (Contract contract : env.getSpecificationRepository().getContracts(type, target)) {
                        String key = key(type, target, contract, overloaded);
                        if (contracts.put(key, new Object[] {type, target, contract}) != null) {
                            throw new IllegalStateException("two contracts named " + key);
                        }
                    }
                }
            }
        }

        /** Contracts proved after the others of their process (see {@link #prove}). */
        static final List<String> WARM_LAST = List.of("Transitions::legal");

        /** Is this contract one of {@link #WARM_LAST}? */
        static boolean warmLast(String contractKey) {
            return WARM_LAST.stream().anyMatch(contractKey::startsWith);
        }

        /** Proves every contract whose key matches, in auto mode; saves the proof to saveDir if non-null. */
        Map<String, Result> prove(Predicate<String> which, File saveDir, int maxSteps) throws Exception {
            Map<String, Result> results = new LinkedHashMap<>();
            List<Map.Entry<String, Object[]>> order = new ArrayList<>(contracts.entrySet());
            // the proofs slowest per rule application last, once the JIT has compiled KeY's rule engine (a proof's
            // outcome does not depend on the order; only its CPU time does: Transitions::legal took 27 s as a process's
            // first proof on the idle machine, 11-15 s warm, proofs/key/README.md item 2)
            order.sort(java.util.Comparator.comparing(e -> warmLast(e.getKey())));
            for (Map.Entry<String, Object[]> e : order) {
                String key = e.getKey();
                if (!which.test(key)) {
                    continue;
                }
                KeYJavaType type = (KeYJavaType) e.getValue()[0];
                IObserverFunction target = (IObserverFunction) e.getValue()[1];
                Contract contract = (Contract) e.getValue()[2];
                long t0 = System.nanoTime();
                long cpu0 = cpuMillis();
                Proof proof = env.createProof(contract.createProofObl(env.getInitConfig(), contract));
                long poCpu = cpuMillis() - cpu0;
                long poWall = (System.nanoTime() - t0) / 1_000_000;
                try {
                    StrategyProperties sp = proof.getSettings().getStrategySettings().getActiveStrategyProperties();
                    STRATEGY.forEach(sp::setProperty);
                    sp.setProperty(StrategyProperties.CLASS_AXIOM_OPTIONS_KEY, classAxiom(key));
                    // by hand only (KeyWorker profile -Dkey.strategy=QUERY_NEW_OPTIONS_KEY=QUERY_RESTRICTED,...): other settings
                    for (String kv : strategyOverride.split(",")) {
                        if (kv.contains("=")) {
                            sp.setProperty(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
                        }
                    }
                    proof.getSettings().getStrategySettings().setActiveStrategyProperties(sp);
                    proof.getSettings().getStrategySettings().setMaxSteps(maxSteps);
                    proof.setActiveStrategy(proof.getServices().getProfile().getDefaultStrategyFactory().create(proof, sp));
                    env.getProofControl().startAndWaitForAutoMode(proof);
                    if (!proof.closed() && Boolean.getBoolean("key.debug")) {
                        de.uka.ilkd.key.proof.Goal g = proof.openGoals().head();
                        System.out.println("KeY open goal of " + key + ":\n" + de.uka.ilkd.key.pp.LogicPrinter.quickPrintSequent(
                                g.sequent(), proof.getServices()));
                    }
                    String fileName = null;
                    if (saveDir != null) {
                        saveDir.mkdirs();
                        fileName = proofFileName(key);
                        ProofSaver.saveToFile(new File(saveDir, fileName), proof);
                    }
                    String method = methodOf(key);
                    int ruleApps = proof.getStatistics().totalRuleApps;
                    // a measurement for the log only (issue 10: where the CPU goes, per contract and per obligation)
                    System.out.printf("KeY proof %-50s %-6s %6d nodes %6d rule apps: obligation %5d ms CPU %5d ms wall,"
                            + " total %6d ms CPU %6d ms wall%n", key, proof.closed() ? "closed" : "open", proof.countNodes(),
                            ruleApps, poCpu, poWall, cpuMillis() - cpu0, (System.nanoTime() - t0) / 1_000_000);
                    results.put(key, new Result(key, type.getFullName(), method, proof.closed(), proof.countNodes(),
                            (System.nanoTime() - t0) / 1_000_000, fileName, ruleApps, !proof.closed() && ruleApps >= maxSteps));
                } finally {
                    proof.dispose();
                }
            }
            return results;
        }

        /** This process's CPU time so far (user+sys of all its threads, KeY's auto mode and the GC included). */
        static long cpuMillis() {
            return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(-1L);
        }

        private static final Pattern CONTRACT_NAME = Pattern.compile("\"contract\"\\s*:\\s*\"([^\"]+)\"");
        private static final Pattern PROOF_START = Pattern.compile("(?m)^\\\\proof\\s*\\{");

        /**
         * Replays a saved proof: the obligation of the contract it names is built from the current
         * source, and the saved rule log is applied to it. Closed and error-free means the proof
         * still proves the contract as the source stands.
         */
        Replay replay(File proofFile) throws Exception {
            long t0 = System.nanoTime();
            String text = Files.readString(proofFile.toPath(), StandardCharsets.UTF_8);
            if (!text.contains("\"intRules\" : \"intRules:arithmeticSemanticsCheckingOF\"")) {
                return new Replay(proofFile.getName(), false, true, "saved without integer-overflow checking", 0, 0);
            }
            Matcher name = CONTRACT_NAME.matcher(text);
            Matcher start = PROOF_START.matcher(text);
            if (!name.find() || !start.find()) {
                return new Replay(proofFile.getName(), false, true, "not a KeY proof file", 0, 0);
            }
            Contract contract = env.getSpecificationRepository().getContractByName(name.group(1));
            if (contract == null) {
                return new Replay(proofFile.getName(), false, true, "its contract no longer exists: " + name.group(1), 0, 0);
            }
            Proof proof = env.createProof(contract.createProofObl(env.getInitConfig(), contract));
            try {
                OneStepSimplifier.refreshOSS(proof); // as KeY's own loader does before it replays
                IntermediatePresentationProofFileParser parser = new IntermediatePresentationProofFileParser(proof);
                CharStream cs = CharStreams.fromString(text, proofFile.getName());
                int bodyStart = start.end() - 1; // at the '{'; the replayer reads the rule log from there
                cs.seek(bodyStart);
                int line = 1 + (int) text.substring(0, bodyStart).chars().filter(ch -> ch == '\n').count();
                ProofReplayer.run(cs, parser, line, proofFile.toURI());
                List<Throwable> errors = new ArrayList<>(parser.getErrors());
                String status = "";
                try {
                    IntermediateProofReplayer.Result r =
                            new IntermediateProofReplayer(null, proof, parser.getResult()).replay(SILENT, null);
                    errors.addAll(r.getErrors());
                    status = r.getStatus();
                } catch (RuntimeException ex) {
                    errors.add(ex);
                }
                String msg = errors.isEmpty() ? status : status + " " + summary(errors);
                return new Replay(proofFile.getName(), proof.closed(), !errors.isEmpty(), msg.trim(), proof.countNodes(),
                        (System.nanoTime() - t0) / 1_000_000);
            } finally {
                proof.dispose();
            }
        }

        private static String summary(Collection<Throwable> errors) {
            Throwable first = errors.iterator().next();
            return errors.size() + " error(s), first: " + first;
        }

        @Override
        public void close() {
            env.dispose();
        }
    }

    private static final ProblemInitializer.ProblemInitializerListener SILENT = new ProblemInitializer.ProblemInitializerListener() {
        @Override public void proofCreated(ProblemInitializer sender, ProofAggregate proofAggregate) { }
        @Override public void progressStarted(Object sender) { }
        @Override public void progressStopped(Object sender) { }
        @Override public void reportStatus(Object sender, String status, int progress) { }
        @Override public void reportStatus(Object sender, String status) { }
        @Override public void resetStatus(Object sender) { }
        @Override public void reportException(Object sender, ProofOblInput input, Exception e) { }
    };
}
