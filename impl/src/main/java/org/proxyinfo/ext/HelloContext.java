package org.proxyinfo.ext;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the extension producers and consumers of one hello exchange read and write: the local
 * offer (set by the role from its configuration) and what was learned from the peer. Extensions
 * added later (proxy_info) keep their own state in {@link #extra}.
 */
public final class HelloContext {
    // Local side: what we offer / support.
    /** Client: the DNS name to send in server_name (null: none, e.g. an IP literal, RFC6066-3). */
    public String serverName;
    public int[] groups = new int[0];
    public int[] signatureSchemes = new int[0];
    public boolean offerExtendedMasterSecret = true;

    // Learned from the peer.
    /** Server: the host name the client asked for. */
    public String peerServerName;
    public int[] peerGroups;
    public int[] peerSignatureSchemes;
    public boolean peerPointFormatsSent;
    public boolean peerExtendedMasterSecret;
    /** RFC 5746: peer sent renegotiation_info (or, for a server, the SCSV). */
    public boolean peerRenegotiationInfo;
    /** RFC 5746: the peer's renegotiated_connection was empty, as it must be on an initial handshake. */
    public boolean peerRenegotiationInfoEmpty = true;

    /** Client: extension types offered in ClientHello; server: types received in ClientHello. */
    public final Set<Integer> clientHelloTypes = new HashSet<>();
    /** Client: types received in ServerHello. */
    public final Set<Integer> serverHelloTypes = new HashSet<>();

    /** Per-extension state of extensions beyond RFC 5246 (proxy_info), keyed by extension type. */
    public final Map<Integer, Object> extra = new HashMap<>();

    public static boolean contains(int[] list, int v) {
        if (list == null) {
            return false;
        }
        for (int x : list) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }
}
