package org.proxyinfo.role;

import java.util.List;
import java.util.Map;

import org.proxyinfo.wire.TlsFatalAlert;

/**
 * The client's proxy_info hook (filled by the proxy_info issue). When configured, and when the
 * extension table offers the extension in ClientHello, a ServerHello carrying it makes the client:
 * <ol>
 * <li>keep the extension_data from ServerHello (DEC-8),</li>
 * <li>validate the session-#1 certificate as an acceptable proxy with
 *     {@link #verifyProxyCertificate} instead of as the origin server (DEC-9; failure access_denied),</li>
 * <li>after Certificate and ServerKeyExchange verified, and before ClientKeyExchange, call
 *     {@link #check} (DEC-8 steps 2..5); only if it returns may key material leave.</li>
 * </ol>
 * Without a ServerHello proxy_info the client does plain TLS and the intended host is checked on
 * the session-#1 certificate (DEC-13).
 */
public interface ProxyInfoCheck {
    /** The proxy_info ExtensionType code point (DEC-2, default 0xFF50). */
    int extensionType();

    /** DEC-9: is the session-#1 chain an acceptable proxy? Returns a summary, or throws access_denied. */
    String verifyProxyCertificate(List<byte[]> chainDer) throws TlsFatalAlert;

    /**
     * DEC-8: checks the kept ProxyInfo and feeds every outcome, in DEC-8 order, into {@code decision}
     * (this connection's, fresh); the client core then consumes that decision itself. Returns a summary
     * for the trace, or throws the alert once the decision refused.
     */
    String check(Facts facts, org.proxyinfo.core.ProxyInfoDecision decision) throws TlsFatalAlert;

    /** After an accepted check: the Commit claim's {@code upstream} list, one map per hop (DESIGN.md); null if none. */
    default List<Map<String, Object>> upstreamForTrace() {
        return null;
    }

    /** What the client knows about session #1 when the check runs. */
    final class Facts {
        public final byte[] proxyInfo;
        public final byte[] clientRandom;
        public final byte[] serverRandom;
        public final List<byte[]> proxyChainDer;
        public final String serverName;
        public final int[] offeredSignatureSchemes;

        public Facts(byte[] proxyInfo, byte[] clientRandom, byte[] serverRandom, List<byte[]> proxyChainDer, String serverName,
                     int[] offeredSignatureSchemes) {
            this.proxyInfo = proxyInfo;
            this.clientRandom = clientRandom;
            this.serverRandom = serverRandom;
            this.proxyChainDer = proxyChainDer;
            this.serverName = serverName;
            this.offeredSignatureSchemes = offeredSignatureSchemes;
        }
    }
}
