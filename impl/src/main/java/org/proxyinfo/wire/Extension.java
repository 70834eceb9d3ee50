package org.proxyinfo.wire;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.proxyinfo.core.AlertDescription;

/**
 * One {@code Extension} (RFC 5246 §7.4.1.4): type and opaque extension_data. What the data means
 * is the business of the extension table ({@code org.proxyinfo.ext}); the codecs only frame it.
 */
public final class Extension {
    public final int type;
    public final byte[] data;

    public Extension(int type, byte[] data) {
        this.type = type;
        this.data = data;
    }

    /** Reads {@code Extension extensions<0..2^16-1>}; absent block (no bytes left) = empty list. */
    static List<Extension> decodeBlock(TlsReader r, String context) throws TlsFatalAlert {
        if (r.isEmpty()) {
            return Collections.emptyList();
        }
        TlsReader block = r.sub(2, 0, 0xffff, "extensions");
        List<Extension> out = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        while (!block.isEmpty()) {
            int type = block.u16("extension_type");
            byte[] data = block.vector(2, 0, 0xffff, "extension_data(" + ExtensionType.name(type) + ")");
            if (!seen.add(type)) {
                // RFC5246-7.4.1.4: "There MUST NOT be more than one extension of the same type."
                throw new TlsFatalAlert(AlertDescription.DECODE_ERROR, "RFC5246-7.4.1.4",
                        context + " carries extension " + ExtensionType.name(type) + " twice");
            }
            out.add(new Extension(type, data));
        }
        return out;
    }

    static void encodeBlock(TlsWriter w, List<Extension> extensions) {
        if (extensions.isEmpty()) {
            return;
        }
        w.startVector(2);
        for (Extension e : extensions) {
            w.u16(e.type).vector(2, e.data);
        }
        w.endVector();
    }

    public static Extension find(List<Extension> list, int type) {
        for (Extension e : list) {
            if (e.type == type) {
                return e;
            }
        }
        return null;
    }

    /**
     * Trace fields of an extension block: one {type, data[, host_name]} per extension, the same
     * shape the trace importer gives captured handshakes (trace.MessageFields), so traces compare.
     */
    public static List<java.util.Map<String, Object>> traceFields(List<Extension> list) {
        List<java.util.Map<String, Object>> out = new ArrayList<>();
        for (Extension e : list) {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("type", ExtensionType.name(e.type));
            m.put("data", Hex.of(e.data));
            if (e.type == ExtensionType.SERVER_NAME && e.data.length > 5) {
                m.put("host_name", new String(e.data, 5, e.data.length - 5, java.nio.charset.StandardCharsets.US_ASCII));
            }
            out.add(m);
        }
        return out;
    }

    public static List<String> names(List<Extension> list) {
        List<String> out = new ArrayList<>();
        for (Extension e : list) {
            out.add(ExtensionType.name(e.type));
        }
        return out;
    }
}
