package org.proxyinfo.verify;

import java.io.File;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import de.uka.ilkd.key.control.KeYEnvironment;
import de.uka.ilkd.key.java.abstraction.KeYJavaType;
import de.uka.ilkd.key.logic.op.IObserverFunction;
import de.uka.ilkd.key.proof.Proof;
import de.uka.ilkd.key.proof.io.ProofSaver;
import de.uka.ilkd.key.settings.ChoiceSettings;
import de.uka.ilkd.key.settings.ProofSettings;
import de.uka.ilkd.key.speclang.Contract;
import de.uka.ilkd.key.strategy.StrategyProperties;
import de.uka.ilkd.key.util.KeYTypeUtil;
import de.uka.ilkd.key.util.MiscTools;

/**
 * Drives KeY 2.12.3 through its Java API: proves every JML contract of a source directory in
 * auto mode with integer-overflow checking on ({@code intRules:arithmeticSemanticsCheckingOF}),
 * optionally saving each proof, and replays saved proofs.
 *
 * KeY loads a whole directory, so the directory must hold only code in KeY's Java subset (the
 * {@code org.proxyinfo.core} package is kept that way, see impl/DESIGN.md).
 */
final class KeyProver {

    /** One contract's outcome. */
    record Result(String contract, String type, String method, boolean closed, int nodes, long millis, String proofFile) { }

    static final Map<String, String> CHECK_OVERFLOW = Map.of("intRules", "intRules:arithmeticSemanticsCheckingOF");
    static final int MAX_STEPS = 20_000;

    private KeyProver() { }

    private static synchronized void initialiseChoices(File sourceDir) throws Exception {
        if (!ProofSettings.isChoiceSettingInitialised()) {
            KeYEnvironment.load(sourceDir, null, null, null).dispose();
        }
        ChoiceSettings cs = ProofSettings.DEFAULT_SETTINGS.getChoiceSettings();
        Map<String, String> c = new HashMap<>(cs.getDefaultChoices());
        c.putAll(MiscTools.getDefaultTacletOptions());
        c.putAll(CHECK_OVERFLOW);
        cs.setDefaultChoices(c);
    }

    /** Proves every contract of every non-library type in sourceDir; saves proofs to saveDir if non-null. */
    static Map<String, Result> proveAll(File sourceDir, File saveDir) throws Exception {
        initialiseChoices(sourceDir);
        Map<String, Result> results = new LinkedHashMap<>();
        KeYEnvironment<?> env = KeYEnvironment.load(sourceDir, null, null, null);
        try {
            for (KeYJavaType type : env.getJavaInfo().getAllKeYJavaTypes()) {
                if (KeYTypeUtil.isLibraryClass(type)) {
                    continue;
                }
                for (IObserverFunction target : env.getSpecificationRepository().getContractTargets(type)) {
                    for (Contract contract : env.getSpecificationRepository().getContracts(type, target)) {
                        long t0 = System.nanoTime();
                        Proof proof = env.createProof(contract.createProofObl(env.getInitConfig(), contract));
                        try {
                            StrategyProperties sp = proof.getSettings().getStrategySettings().getActiveStrategyProperties();
                            sp.setProperty(StrategyProperties.METHOD_OPTIONS_KEY, StrategyProperties.METHOD_CONTRACT);
                            sp.setProperty(StrategyProperties.LOOP_OPTIONS_KEY, StrategyProperties.LOOP_INVARIANT);
                            sp.setProperty(StrategyProperties.DEP_OPTIONS_KEY, StrategyProperties.DEP_ON);
                            sp.setProperty(StrategyProperties.QUERY_OPTIONS_KEY, StrategyProperties.QUERY_ON);
                            sp.setProperty(StrategyProperties.NON_LIN_ARITH_OPTIONS_KEY, StrategyProperties.NON_LIN_ARITH_DEF_OPS);
                            sp.setProperty(StrategyProperties.STOPMODE_OPTIONS_KEY, StrategyProperties.STOPMODE_NONCLOSE);
                            proof.getSettings().getStrategySettings().setActiveStrategyProperties(sp);
                            proof.getSettings().getStrategySettings().setMaxSteps(MAX_STEPS);
                            proof.setActiveStrategy(proof.getServices().getProfile()
                                    .getDefaultStrategyFactory().create(proof, sp));
                            env.getProofControl().startAndWaitForAutoMode(proof);
                            String typeName = type.getName().replaceAll(".*\\.", "");
                            String method = target.name().toString().replaceAll(".*::", "");
                            String key = typeName + "::" + method + "#" + contractIndex(contract.getName());
                            String fileName = null;
                            if (saveDir != null) {
                                saveDir.mkdirs();
                                fileName = key.replace("::", "_").replace("#", "_").replace("<", "").replace(">", "") + ".proof";
                                ProofSaver.saveToFile(new File(saveDir, fileName), proof);
                            }
                            results.put(key, new Result(key, type.getFullName(), method, proof.closed(), proof.countNodes(),
                                    (System.nanoTime() - t0) / 1_000_000, fileName));
                        } finally {
                            proof.dispose();
                        }
                    }
                }
            }
        } finally {
            env.dispose();
        }
        return results;
    }

    /** "… operation contract.0" → "0": distinguishes several contracts on one method. */
    private static String contractIndex(String contractName) {
        int dot = contractName.lastIndexOf('.');
        return dot < 0 ? "0" : contractName.substring(dot + 1).replaceAll("[^0-9A-Za-z]", "");
    }

    /** Replay outcome of one saved proof. */
    record Replay(boolean closed, boolean errors, String message) { }

    static Replay replay(File proofFile) throws Exception {
        KeYEnvironment<?> env = KeYEnvironment.load(proofFile);
        try {
            Proof p = env.getLoadedProof();
            boolean errors = env.getReplayResult() != null && env.getReplayResult().hasErrors();
            String msg = errors ? env.getReplayResult().getStatus() : "";
            return new Replay(p != null && p.closed(), errors, msg);
        } finally {
            env.dispose();
        }
    }
}
