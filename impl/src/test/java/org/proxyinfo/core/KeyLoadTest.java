package org.proxyinfo.core;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

import de.uka.ilkd.key.control.KeYEnvironment;
import de.uka.ilkd.key.java.abstraction.KeYJavaType;

import org.junit.jupiter.api.Test;

/**
 * The decision cores load in KeY 2.12.3 (its Java front end accepts them: no generics, lambdas,
 * annotations or JDK types outside its stubs). The JML proofs themselves are a later issue; this
 * keeps the classes provable-ready as they change.
 */
class KeyLoadTest {

    @Test
    void coreLoadsInKey() throws Exception {
        Path root = Path.of("target/key-core");
        Path pkg = root.resolve("org/proxyinfo/core");
        Files.createDirectories(pkg);
        try (Stream<Path> files = Files.list(Path.of("src/main/java/org/proxyinfo/core"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, pkg.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        KeYEnvironment<?> env = KeYEnvironment.load(root.toFile(), null, null, null);
        try {
            Set<String> names = new HashSet<>();
            for (KeYJavaType t : env.getJavaInfo().getAllKeYJavaTypes()) {
                names.add(t.getFullName());
            }
            for (String c : new String[] {"Transitions", "ClientHandshake", "ServerHandshake", "ProxyHandshake", "AlertDescription"}) {
                assertTrue(names.contains("org.proxyinfo.core." + c), "KeY did not load " + c);
            }
        } finally {
            env.dispose();
        }
    }

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
