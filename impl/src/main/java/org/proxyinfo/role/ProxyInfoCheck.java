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

    /**
     * DEC-9, DEC-23: after an accepted {@link #check}, the session-#1 chain (DER, end entity first) that check took as
     * hop 1's signer: an acceptable proxy (DEC-9) whose leaf key verified hop 1's assertion (DEC-8); after a
     * {@link #recheck} whose facts all held (DEC-22), the cached proxy chain. Null before, after a refusal, or from a
     * check that does not say (then a client signs no ProxyCertVerify, DEC-23, and a proxy behind this upstream proxy
     * signs no assertion, DEC-5).
     */
    default List<byte[]> acceptedProxyChain() {
        return null;
    }

    /** After an accepted check: the Commit claim's {@code upstream} list, one map per hop (DESIGN.md); null if none. */
    default List<Map<String, Object>> upstreamForTrace() {
        return null;
    }

    /**
     * DEC-22: on an abbreviated handshake of a proxied session, the facts about the fresh ProxyInfo
     * compared with the cached session (signature with the cached proxy key, reported chain unchanged,
     * DEC-11 parameters); the resumption core decides on them. A check that cannot re-verify returns
     * null (the client then refuses the resumption).
     */
    default Recheck recheck(byte[] fresh, byte[] cached, List<byte[]> cachedProxyChainDer, byte[] clientRandom,
                            byte[] serverRandom) throws TlsFatalAlert {
        return null;
    }

    /** DEC-22 facts of a resumed proxied session, with the Commit's {@code upstream} list and a line for people. */
    record Recheck(boolean signatureOk, boolean chainUnchanged, boolean parametersOk, List<Map<String, Object>> upstream,
                   String detail) { }

    /** What the client knows about session #1 when the check runs. */
    final class Facts {
        public final byte[] proxyInfo;
        public final byte[] clientRandom;
        public final byte[] serverRandom;
        public final List<byte[]> proxyChainDer;
        public final String serverName;
        public final int[] offeredSignatureSchemes;
        /**
         * DEC-9: the summary {@link #verifyProxyCertificate} returned for {@code proxyChainDer} in this
         * handshake (it passed), or null when it was not asked. The check records it for hop 1 instead of
         * validating the same chain a second time (issue #14).
         */
        public final String proxyCertificateAccepted;
        /**
         * DEC-13: this connection's ClientHello offered proxy_info ({@code ClientHandshake.offeredProxyInfo()}, the offer the
         * core was made with and the ClientHello was checked against); a ServerHello proxy_info without it is refused.
         */
        public final boolean offeredProxyInfo;

        public Facts(byte[] proxyInfo, byte[] clientRandom, byte[] serverRandom, List<byte[]> proxyChainDer, String serverName,
                     int[] offeredSignatureSchemes, String proxyCertificateAccepted, boolean offeredProxyInfo) {
            this.proxyCertificateAccepted = proxyCertificateAccepted;
            this.proxyInfo = proxyInfo;
            this.clientRandom = clientRandom;
            this.serverRandom = serverRandom;
            this.proxyChainDer = proxyChainDer;
            this.serverName = serverName;
            this.offeredSignatureSchemes = offeredSignatureSchemes;
            this.offeredProxyInfo = offeredProxyInfo;
        }
    }
}
