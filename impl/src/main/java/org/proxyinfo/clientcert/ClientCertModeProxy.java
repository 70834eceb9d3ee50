package org.proxyinfo.clientcert;

import java.util.Arrays;
import java.util.List;

import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.core.ClientCertMode;
import org.proxyinfo.role.Certificates;
import org.proxyinfo.wire.TlsFatalAlert;

/**
 * The proxy's side of DEC-23 for one client (01-R15): on session #1 it receives the client's Certificate,
 * CertificateVerify and SupplementalData. Session #1's server core decides on the CertificateVerify (a scheme that
 * session requested and that fits the leaf key of that very chain, the signature over session #1's transcript,
 * RFC5246-7.4.8); this class takes that verdict as its fact, checks that the SupplementalData carries the same chain,
 * and asks its {@link ClientCertMode} core before it forwards anything to the server. A refusal abandons both
 * sessions with the one alert the core decided ({@link #alertForBothSessions}).
 */
public final class ClientCertModeProxy {
    private final ClientCertMode core = new ClientCertMode();

    public ClientCertMode core() { return core; }

    /**
     * 01-R15: decides on session #1's client authentication; returns the SupplementalData body to forward on
     * session #2, or throws the alert that ends both sessions.
     * @param clientChainDer the client's session-#1 Certificate
     * @param supplementalData the client's session-#1 SupplementalData body, or null if it sent none
     * @param certificateVerifyOk session #1's server core authenticated the client: its CertificateVerify used a scheme
     *        session #1 requested that fits the leaf key of {@code clientChainDer} and verified over session #1's
     *        transcript ({@code ServerHandshake.isClientAuthenticated()}); false when none came
     */
    public byte[] onClientAuthentication(List<byte[]> clientChainDer, byte[] supplementalData, boolean certificateVerifyOk)
            throws TlsFatalAlert {
        ClientCertSupplement s = supplementalData == null ? null : ClientCertSupplement.decode(supplementalData);
        boolean sameChain = s != null && s.clientCertificateList.size() == clientChainDer.size();
        for (int i = 0; sameChain && i < clientChainDer.size(); i++) {
            sameChain = Arrays.equals(s.clientCertificateList.get(i), clientChainDer.get(i));
        }
        boolean chainPresent = !clientChainDer.isEmpty() && (s == null || sameChain);
        if (chainPresent) {
            try {
                Certificates.parse(clientChainDer, "DEC-23", "the client's certificate_list");
            } catch (TlsFatalAlert e) {
                chainPresent = false;
            }
        }
        int alert = core.onClientAuthentication(chainPresent, s != null, certificateVerifyOk);
        if (alert != ClientCertMode.NO_ALERT) {
            throw new TlsFatalAlert(alert, "01-R15", "DEC-23: the client's authentication on session #1 failed ("
                    + (!chainPresent ? "no client chain, or a SupplementalData with another chain"
                    : s == null ? "no ProxyCertVerify (SupplementalData)"
                    : "its CertificateVerify was not accepted on session #1") + "): both sessions are abandoned ("
                    + AlertDescription.name(alert) + ")");
        }
        if (!core.mayForwardClientIdentity()) {
            throw new TlsFatalAlert(AlertDescription.INTERNAL_ERROR, "01-R15", "the core does not let the client identity go upstream");
        }
        return s.encode();
    }

    /** The alert that ends both sessions after a refusal (DEC-21: the one alert decided), or -1. */
    public int alertForBothSessions() {
        return core.state() == ClientCertMode.P_ABORTED ? core.alert() : ClientCertMode.NO_ALERT;
    }
}
