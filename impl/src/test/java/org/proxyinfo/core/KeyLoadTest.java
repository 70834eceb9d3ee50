package org.proxyinfo.core;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;

import de.uka.ilkd.key.control.KeYEnvironment;

import org.junit.jupiter.api.Test;

/**
 * KeY 2.12.3 refuses code outside its Java subset, which is why the decision cores stay inside it
 * ({@link KeySubsetTest}). That the cores themselves load, and every one of them has contracts, is
 * checked by {@code verify.KeyContractsTest}, which loads them once for all proofs (one KeY load
 * fewer in the build).
 */
class KeyLoadTest {

    /** The check can fail: a core class using a JDK type outside KeY's stubs is refused at load. */
    @Test
    void keyRefusesCodeOutsideItsSubset() throws Exception {
        Path pkg = Path.of("target/key-bad/org/proxyinfo/core");
        Files.createDirectories(pkg);
        Files.writeString(pkg.resolve("Bad.java"), "package org.proxyinfo.core;\n"
                + "public final class Bad { java.util.HashMap m = new java.util.HashMap(); }\n");
        assertThrows(Exception.class, () -> KeYEnvironment.load(Path.of("target/key-bad").toFile(), null, null, null).dispose());
    }
}
