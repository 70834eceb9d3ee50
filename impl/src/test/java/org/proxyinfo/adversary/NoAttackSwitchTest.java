package org.proxyinfo.adversary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.proxyinfo.role.ProxyConfig;
import org.proxyinfo.role.TlsConfig;

/**
 * The honest roles contain no attack switches: the adversary acts on the wire, on the role's host (its bytes after
 * the role decided, with the keys the host holds) or in the certificates its operator gives it. A configuration
 * setting that only the adversary ever sets is a switch inside the honest role, whatever its name: this test finds
 * every public setting of {@link ProxyConfig} and {@link TlsConfig} that is called from {@code org.proxyinfo.adversary}
 * and from nowhere else in impl's sources (main and test).
 *
 * <p>The one allowed kind is the host's tap ({@link #HOST_TAPS}): a {@code HandshakeTap} sees a handshake message the
 * role has already decided to send and may change its bytes, as an adversary holding the role's host and keys can;
 * the role has no branch on it (TlsConnection.sendHandshake passes the bytes through it and traces what left).
 */
class NoAttackSwitchTest {
    private static final Path SRC = Path.of("src");
    /** The host's taps: after the role's decision, on its bytes (see the class comment). */
    private static final Set<String> HOST_TAPS = Set.of("ProxyConfig.session1Tap", "ProxyConfig.session2Tap", "TlsConfig.tap");

    @Test
    @DisplayName("no ProxyConfig or TlsConfig setting is set by the adversary alone (the honest roles carry no attack switch)")
    void noSettingIsTheAdversarysAlone() throws IOException {
        List<Path> sources;
        try (Stream<Path> s = Files.walk(SRC)) {
            sources = s.filter(p -> p.toString().endsWith(".java")).toList();
        }
        Map<String, String> adversaryOnly = new TreeMap<>();
        int settings = 0;
        for (Class<?> config : List.of(ProxyConfig.class, TlsConfig.class)) {
            for (Method m : config.getDeclaredMethods()) {
                if (!Modifier.isPublic(m.getModifiers()) || m.getReturnType() != config) {
                    continue; // the fluent settings return the config itself
                }
                settings++;
                String key = config.getSimpleName() + "." + m.getName();
                Pattern call = Pattern.compile("\\." + m.getName() + "\\(");
                List<String> adversary = new ArrayList<>();
                List<String> elsewhere = new ArrayList<>();
                for (Path p : sources) {
                    if (p.getFileName().toString().equals(config.getSimpleName() + ".java")
                            || p.getFileName().toString().equals(NoAttackSwitchTest.class.getSimpleName() + ".java")) {
                        continue;
                    }
                    if (call.matcher(Files.readString(p)).find()) {
                        (p.toString().replace('\\', '/').contains("/org/proxyinfo/adversary/") ? adversary : elsewhere)
                                .add(p.getFileName().toString());
                    }
                }
                if (!adversary.isEmpty() && elsewhere.isEmpty() && !HOST_TAPS.contains(key)) {
                    adversaryOnly.put(key, "set only by " + adversary);
                }
            }
        }
        assertTrue(settings > 30, "found the fluent settings of both configurations (" + settings + ")");
        assertEquals(Map.of(), adversaryOnly, "settings of an honest role that only the adversary sets are attack switches:"
                + " stage the attack on the wire, on the host's bytes or in the certificates instead, and remove the setting");
    }
}
