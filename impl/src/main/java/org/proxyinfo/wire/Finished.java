package org.proxyinfo.wire;

import java.util.LinkedHashMap;
import java.util.Map;

import org.proxyinfo.core.AlertDescription;

/** RFC 5246 §7.4.9 Finished: {@code opaque verify_data[12]} (verify_data_length 12 for our suites). */
public final class Finished {
    public static final int VERIFY_DATA_LENGTH = 12;

    public final byte[] verifyData;

    public Finished(byte[] verifyData) {
        this.verifyData = verifyData;
    }

    public byte[] encode() {
        return verifyData.clone();
    }

    public static Finished decode(byte[] body) throws TlsFatalAlert {
        if (body.length != VERIFY_DATA_LENGTH) {
            throw new TlsFatalAlert(AlertDescription.DECODE_ERROR, "RFC5246-7.4.9",
                    "Finished carries " + body.length + " bytes of verify_data, expected " + VERIFY_DATA_LENGTH);
        }
        return new Finished(body.clone());
    }

    public Map<String, Object> fields() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("verify_data", Hex.of(verifyData));
        return f;
    }
}
