package org.proxyinfo.fuzz;

import java.util.Arrays;

/**
 * Jazzer standalone target over every decoder: the first input byte picks the decoder, the rest is
 * its input; with {@code -Dfuzz.only=<name>} every input goes to that one decoder. Used by
 * {@link FuzzRunner}.
 */
public final class AllDecodersFuzzer {
    private static final String ONLY = System.getProperty("fuzz.only", "");

    private AllDecodersFuzzer() { }

    public static void fuzzerTestOneInput(byte[] data) {
        if (!ONLY.isEmpty()) {
            Decoders.run(ONLY, data);
            return;
        }
        if (data.length == 0) {
            return;
        }
        String name = Decoders.NAMES.get((data[0] & 0xff) % Decoders.NAMES.size());
        Decoders.run(name, Arrays.copyOfRange(data, 1, data.length));
    }
}
