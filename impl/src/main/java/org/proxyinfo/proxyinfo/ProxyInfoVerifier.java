package org.proxyinfo.proxyinfo;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.core.ProxyInfoDecision;
import org.proxyinfo.crypto.TlsCrypto;
import org.proxyinfo.trace.TraceSink;
import org.proxyinfo.wire.TlsFatalAlert;

/**
 * The client's ProxyInfo check (DEC-8..13), imperative shell: it runs each check in DEC-8 order,
 * stops computing at the first failure, and feeds the outcomes as facts into
 * {@link ProxyInfoDecision}, which alone decides. Called after the session-#1 Certificate and
 * ServerKeyExchange are verified and before ClientKeyExchange (DEC-8).
 *
 * <p>Per hop k (0 = outermost), in DEC-8 order:
 * <ol>
 *   <li>the signer is an acceptable proxy — DEC-9 for hop 0 (the session-#1 certificate), DEVIATION (DEC-12)
 *       for hop k &gt; 0 (hop k-1's server_certificate_list);</li>
 *   <li>the SignatureScheme is one the client offered (DEC-5) and the signature verifies with the
 *       signer's end-entity key over the {@link SigningMode} input (DEC-8(2), DEC-12);</li>
 *   <li>the carried server_certificate_list: DEC-10 if this is the last hop (next_proxy_info is
 *       server_to_proxy, DEC-4), else DEC-12 "is an acceptable proxy";</li>
 *   <li>connection_parameters pass the {@link UpstreamPolicy} (DEC-11).</li>
 * </ol>
 *
 * <p><b>DEC-5/DEC-12 reconciliation (project choice)</b>: a proxy opens its upstream session with
 * the client_random it received downstream ("the client_random travels upstream"), so session k's
 * client_random is session #1's. Under {@link SigningMode#BOUND}, hop k (k &gt; 0) is therefore
 * verified over session-1 client_random || hop k-1's {@code server_random} field (session k's
 * ServerHello.random) || hop k's fields: every hop is verifiable and bound to the client's own
 * session. A hop whose session did not carry the client's client_random does not verify
 * (decrypt_error [DEC-12]). Session k's keys stay fresh: server_random_k and both ECDHE shares are fresh.
 */
public final class ProxyInfoVerifier {
    private final TlsCrypto crypto;
    private final SigningMode mode;
    private final List<Integer> offeredSchemes;
    private final ProxyInfoCertificateChecks checks;
    private final UpstreamPolicy upstreamPolicy;
    private final TraceSink trace;
    private final String role;
    private final String leg;

    /**
     * @param offeredSchemes the client's signature_algorithms (DEC-5: the proxy must use one of them)
     * @param trace          receives one {@code check} event per check that ran, as role/leg
     */
    public ProxyInfoVerifier(TlsCrypto crypto, SigningMode mode, List<Integer> offeredSchemes,
                             ProxyInfoCertificateChecks checks, UpstreamPolicy upstreamPolicy, TraceSink trace,
                             String role, String leg) {
        this.crypto = Objects.requireNonNull(crypto, "crypto");
        this.mode = Objects.requireNonNull(mode, "mode");
        this.offeredSchemes = List.copyOf(offeredSchemes);
        this.checks = Objects.requireNonNull(checks, "checks");
        this.upstreamPolicy = Objects.requireNonNull(upstreamPolicy, "upstreamPolicy");
        this.trace = trace == null ? TraceSink.NONE : trace;
        this.role = role;
        this.leg = leg;
    }

    /** A verifier for role "client" on leg "session1". */
    public ProxyInfoVerifier(TlsCrypto crypto, SigningMode mode, List<Integer> offeredSchemes,
                             ProxyInfoCertificateChecks checks, UpstreamPolicy upstreamPolicy, TraceSink trace) {
        this(crypto, mode, offeredSchemes, checks, upstreamPolicy, trace, "client", "session1");
    }

    /**
     * Runs DEC-8..13.
     *
     * @param offeredExtension     the client sent proxy_info in its ClientHello
     * @param proxyInfo            the ServerHello's decoded proxy_info, or null if it had none
     * @param session1Chain        the verified session-#1 Certificate, end-entity first
     * @param intendedHost         the host the client meant (its SNI)
     * @param session1ClientRandom ClientHello.random of session #1
     * @param session1ServerRandom ServerHello.random of session #1
     * @return the accepted result; the client may now send ClientKeyExchange
     * @throws TlsFatalAlert the alert the decision names, with its requirement ID and the failing check's detail
     */
    public ProxyInfoVerification verify(boolean offeredExtension, SignedProxyInfo proxyInfo,
                                        List<X509Certificate> session1Chain, String intendedHost,
                                        byte[] session1ClientRandom, byte[] session1ServerRandom) throws TlsFatalAlert {
        return verify(new ProxyInfoDecision(), offeredExtension, proxyInfo, session1Chain, intendedHost,
                session1ClientRandom, session1ServerRandom);
    }

    /**
     * As above, feeding the caller's {@code decision} (fresh, this connection's): the client core
     * consumes it afterwards (DEC-8), so what the core acts on is exactly what these checks decided.
     */
    public ProxyInfoVerification verify(ProxyInfoDecision decision, boolean offeredExtension, SignedProxyInfo proxyInfo,
                                        List<X509Certificate> session1Chain, String intendedHost,
                                        byte[] session1ClientRandom, byte[] session1ServerRandom) throws TlsFatalAlert {
        Run run = new Run();
        decision.serverHello(offeredExtension, proxyInfo != null);
        if (proxyInfo != null) {
            run.record(-1, "DEC-13", "proxy_info in ServerHello was offered in ClientHello", offeredExtension,
                    offeredExtension ? "offered" : "the ServerHello carries proxy_info, which the client did not offer");
        }
        refuseIfRefused(decision, run);

        if (proxyInfo == null) {
            // DEC-13: plain TLS; the session-#1 certificate must be the intended server's.
            ProxyInfoCertificateChecks.Outcome o = checks.originServer(session1Chain, intendedHost, false);
            run.record(-1, "DEC-13", "no proxy_info: session-#1 certificate is the intended server " + intendedHost,
                    o.passed(), o.detail() + revocationNote(o));
            decision.plainServer(o.passed(), o.alert());
            refuseIfRefused(decision, run);
            return new ProxyInfoVerification(false, mode, List.of(), run.checks);
        }

        List<ProxyInfoVerification.Hop> hops = new ArrayList<>();
        List<X509Certificate> signerChain = session1Chain;
        ProxyInfoCertificateChecks.Outcome signerOutcome = checks.acceptableProxy(session1Chain);
        SignedProxyInfo current = proxyInfo;
        byte[] previousServerRandom = null;
        int k = 0;
        while (current != null) {
            boolean last = current.nextHop() == null;
            String hopName = "hop " + (k + 1);

            // (1) DEC-9 / DEC-12: the signer is an acceptable proxy.
            boolean signerOk = signerOutcome.passed();
            if (k == 0) {
                run.record(k, "DEC-9", hopName + ": session-#1 certificate is an acceptable proxy", signerOk,
                        signerOutcome.detail());
            }
            // (1b) DEC-5: an algorithm the client offered.
            boolean schemeOk = false;
            boolean signatureOk = false;
            boolean chainOk = false;
            int chainAlert = AlertDescription.BAD_CERTIFICATE;
            boolean paramsOk = false;
            List<X509Certificate> carried = List.of();
            ProxyInfoCertificateChecks.Outcome chainOutcome = null;
            if (signerOk) {
                int scheme = current.signature().signatureScheme();
                schemeOk = offeredSchemes.contains(scheme);
                run.record(k, "DEC-5", hopName + ": SignatureScheme was offered by the client", schemeOk,
                        String.format("0x%04X; the client offered %s", scheme, ProxyInfoSigner.hexList(offeredSchemes)));
            }
            // (2) DEC-8(2) / DEC-12: the signature verifies with the signer's key.
            if (schemeOk) {
                String detail;
                if (signerChain.isEmpty()) {
                    detail = "no signer certificate";
                } else {
                    // DEC-5/DEC-12 reconciliation (project choice): hop k's session k was opened with
                    // session #1's client_random (it travels upstream), and session k's server_random is
                    // hop k-1's server_random field; so hop k verifies over cr1 || sr_k || fields.
                    byte[] cr = session1ClientRandom;
                    byte[] sr = k == 0 ? session1ServerRandom : previousServerRandom;
                    signatureOk = ProxyInfoSigner.verify(crypto, mode, signerChain.get(0).getPublicKey(), cr, sr, current);
                    detail = (signatureOk ? "verifies" : "does not verify") + " with the key of "
                            + "'" + signerChain.get(0).getSubjectX500Principal().getName() + "'" + " over the " + mode.configName()
                            + " signing input" + (mode.context() != null ? " (context '" + mode.context() + "', DEC-5a)" : "") + (k == 0 ? "" : " (DEVIATION (DEC-12): the previous hop's end-entity key"
                            + (mode == SigningMode.BOUND ? "; bound to session-1 client_random || hop " + k
                                    + "'s server_random: the client_random must travel upstream)" : ")"));
                }
                run.record(k, k == 0 ? "DEC-8" : "DEC-12", hopName + ": assertion signature", signatureOk, detail);
            }
            // (3) DEC-10 for the origin server; DEC-12 for an intermediate proxy.
            if (signatureOk) {
                String parseProblem = null;
                try {
                    carried = parse(current.serverCertificateList());
                } catch (GeneralSecurityException e) {
                    parseProblem = "server_certificate_list holds a certificate that does not parse: " + e.getMessage();
                }
                if (parseProblem != null) {
                    chainOutcome = ProxyInfoCertificateChecks.Outcome.fail(
                            last ? AlertDescription.BAD_CERTIFICATE : AlertDescription.ACCESS_DENIED, parseProblem);
                } else if (last) {
                    // DEC-10 with 00-R8/01-R9: if the proxy did not check revocation, the client does (policy).
                    chainOutcome = checks.originServer(carried, intendedHost, current.revocationCheckingPerformed());
                } else {
                    chainOutcome = checks.acceptableProxy(carried);
                }
                chainOk = chainOutcome.passed();
                chainAlert = chainOutcome.alert();
                run.record(k, last ? "DEC-10" : "DEC-12", last
                                ? hopName + ": server_certificate_list is the intended server " + intendedHost
                                : hopName + ": server_certificate_list is an acceptable (next) proxy (DEVIATION (DEC-12))",
                        chainOk, chainOutcome.detail() + revocationNote(chainOutcome));
            }
            // (4) DEC-11: upstream parameters.
            if (chainOk) {
                String violation = upstreamPolicy.violation(current.connectionParameters());
                paramsOk = violation == null;
                run.record(k, "DEC-11", hopName + ": upstream connection_parameters meet policy", paramsOk,
                        paramsOk ? current.connectionParameters().toString() : violation);
            }
            decision.hop(signerOk, schemeOk, signatureOk, last, chainOk, chainAlert, paramsOk);
            refuseIfRefused(decision, run);

            hops.add(new ProxyInfoVerification.Hop(k, subject(signerChain), sha256(signerChain),
                    current.connectionParameters(), HexFormat.of().formatHex(current.serverRandom()), last,
                    subject(carried), sha256(carried), current.revocationCheckingPerformed(),
                    last && chainOutcome != null ? chainOutcome.revocation() : null));
            // DEC-12: the next hop's signer is this hop's carried list; its acceptability was just checked.
            signerChain = carried;
            signerOutcome = chainOutcome;
            previousServerRandom = current.serverRandom();
            current = current.nextHop();
            k++;
        }
        if (!decision.mayReleaseKeyMaterial()) {
            // Unreachable when the loop ends on a last hop; kept so no path releases keys without ACCEPT.
            throw new TlsFatalAlert(AlertDescription.INTERNAL_ERROR, "DEC-8",
                    "the ProxyInfo checks ended without a decision");
        }
        return new ProxyInfoVerification(true, mode, hops, run.checks);
    }

    private void refuseIfRefused(ProxyInfoDecision decision, Run run) throws TlsFatalAlert {
        if (decision.stage() != ProxyInfoDecision.REFUSED) {
            return;
        }
        ProxyInfoVerification.Check failed = run.lastFailed();
        String detail = failed == null ? ProxyInfoDecision.checkName(decision.failedCheck())
                : failed.what() + ": " + failed.detail();
        throw new TlsFatalAlert(decision.alert(), decision.requirementId(),
                (decision.proxied() ? "the client refuses the proxied session: " : "the client refuses the session: ")
                        + detail);
    }

    private static String revocationNote(ProxyInfoCertificateChecks.Outcome o) {
        return o.revocation() == null ? "" : "; revocation: " + o.revocation();
    }

    private static List<X509Certificate> parse(List<byte[]> der) throws GeneralSecurityException {
        List<X509Certificate> out = new ArrayList<>(der.size());
        for (byte[] d : der) {
            try {
                out.add(org.proxyinfo.pki.Pem.certificate(d)); // DER only (no Base64/PEM inside an ASN.1Cert)
            } catch (java.io.IOException e) {
                throw new java.security.cert.CertificateException(e.getMessage(), e);
            }
        }
        return out;
    }

    private static String subject(List<X509Certificate> chain) {
        return chain.isEmpty() ? "(none)" : chain.get(0).getSubjectX500Principal().getName();
    }

    private static String sha256(List<X509Certificate> chain) {
        if (chain.isEmpty()) {
            return "";
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(chain.get(0).getEncoded()));
        } catch (GeneralSecurityException e) {
            return "";
        }
    }

    /** The checks of one verify() call, also sent to the trace as they happen. */
    private final class Run {
        final List<ProxyInfoVerification.Check> checks = new ArrayList<>();

        void record(int hop, String requirementId, String what, boolean passed, String detail) {
            checks.add(new ProxyInfoVerification.Check(hop, requirementId, what, passed, detail));
            trace.check(role, leg, requirementId, what, passed, detail);
        }

        ProxyInfoVerification.Check lastFailed() {
            for (int i = checks.size() - 1; i >= 0; i--) {
                if (!checks.get(i).passed()) {
                    return checks.get(i);
                }
            }
            return null;
        }
    }
}
