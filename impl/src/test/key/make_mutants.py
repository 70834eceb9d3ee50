# Re-makes impl/src/test/key/mutants/ from the current core: copies each core class and applies its
# MUTANT edits. Run it after changing a core class or its contracts (the build refuses a mutant whose
# JML differs from the core's): python3 impl/src/test/key/make_mutants.py
import os, shutil
os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..'))
core='src/main/java/org/proxyinfo/core/'
base='src/test/key/mutants/'
for d in os.listdir(base):
    shutil.rmtree(base+d)
M=base+'broken-checks/'
os.makedirs(M)
def mk(fname, edits, folder=None):
    d=folder or M
    os.makedirs(d, exist_ok=True)
    s=open(core+fname).read()
    for old,new in edits:
        assert s.count(old)==1,(fname,old)
        s=s.replace(old,new)
    open(d+fname,'w').write(s)
def single(name, fname, edits, expect):
    """One more mutant folder: one method broken, its own EXPECT_OPEN (for methods broken several ways)."""
    d=base+name+'/'
    mk(fname, edits, d)
    open(d+'EXPECT_OPEN','w').write(expect)
mk('ClientHandshake.java',[
 ('''        if (decision == null || !proxyInfoVerified) {
            return false;
        }
        return decision.mayReleaseKeyMaterial() && decision.proxied();''','''        return true; // MUTANT: the ProxyInfo decision is not consulted (DEC-8)'''),
 ('''            if (!chainOk) {
                return fail(AlertDescription.ACCESS_DENIED, "DEC-9");
            }
            proxyTrusted = true;''','''            proxyTrusted = true; // MUTANT: the proxy certificate is not checked against the proxy trust anchors (DEC-9)'''),
 ('''        if (!signatureOk) {
            return fail(AlertDescription.DECRYPT_ERROR, "RFC5246-7.4.3");
        }''','''        // MUTANT: the ServerKeyExchange signature is not checked (RFC5246-7.4.3)'''),
 ('''    public int onServerFinished(boolean verifyDataOk) {
        if (state != Transitions.C_WAIT_FINISHED) {''','''    public int onServerFinished(boolean verifyDataOk) {
        if (state != Transitions.C_WAIT_FINISHED && state != Transitions.C_SEND_KEY_EXCHANGE) { // MUTANT: guard weakened'''),
 ('''        if (!mayReleaseKeyMaterial(decision)) {
            return fail(AlertDescription.INTERNAL_ERROR, "DEC-8");
        }
        keyMaterialSent = true;''','''        if (state != Transitions.C_SEND_KEY_EXCHANGE) { // MUTANT: checks the state only, not mayReleaseKeyMaterial (DEC-8)
            return fail(AlertDescription.INTERNAL_ERROR, "DEC-8");
        }
        keyMaterialSent = true;'''),
 ('''        state = Transitions.C_FAILED;
        if (fatalAlerts == 0) {
            fatalAlerts = 1;
            alert = alertCode;
            failedRequirement = requirement;
        }
        return alert;''','''        state = Transitions.C_FAILED;
        fatalAlerts = 1;
        alert = alertCode; // MUTANT: a second failure replaces the first alert (DEC-21: exactly one)
        failedRequirement = requirement;
        return alert;'''),
 ('''        if (decisionStage == ProxyInfoDecision.REFUSED) {
            return fail(decisionAlert >= 0 ? decisionAlert : AlertDescription.INTERNAL_ERROR, requirementIfNot);
        }''','''        if (decisionStage == ProxyInfoDecision.REFUSED) {
            return fail(AlertDescription.INTERNAL_ERROR, requirementIfNot); // MUTANT: the !ok branch drops the decision's alert (DEC-21)
        }'''),
 ('''        fail(alertCode, requirement);
        if (alertSent) {
            return NO_ALERT;
        }
        alertSent = true;
        return alert;''','''        fail(alertCode, requirement);
        alertSent = true;
        return alert; // MUTANT: the one fatal alert is handed out again on every abort (DEC-21: sent once)'''),
 ('''        if (serverVersion != TLS12) {
            return fail(AlertDescription.PROTOCOL_VERSION, "RFC5246-7.4.1.3");
        }''','''        if (serverVersion != TLS12) {
            return fail(AlertDescription.HANDSHAKE_FAILURE, "RFC5246-7.4.1.3"); // MUTANT: wrong DEC-21 alert
        }'''), ('''        if (state != Transitions.C_WAIT_SERVER_HELLO_DONE || certificateRequested) {''','''        if (state != Transitions.C_WAIT_SERVER_HELLO_DONE) { // MUTANT: a second CertificateRequest is accepted (RFC5246-7.4.4)'''),
 ('''        if (!certificateRequested) {
            return false;
        }
        if (state != Transitions.C_SEND_KEY_EXCHANGE || !serverCertificateVerified || !serverKeyExchangeVerified) {
            return false;
        }
        if (!proxyInfoReceived) {
            return true;
        }''','''        if (!certificateRequested) {
            return false;
        }
        if (state != Transitions.C_SEND_KEY_EXCHANGE || !serverCertificateVerified || !serverKeyExchangeVerified) {
            return false;
        }
        if (true) { // MUTANT: signs CertificateVerify without consulting the ProxyInfo decision (DEC-8)
            return true;
        }'''),
])
mk('ServerHandshake.java',[
 ('''        return offeredByClient && implemented && (type != proxyInfoType || assertsProxyInfo);''','''        return offeredByClient && implemented && (type != 65360 || assertsProxyInfo); // MUTANT: guards the default code point, not the configured one (DEC-19, DEC-2)'''),
 ('''        if (!verifyDataOk) {
            return fail(AlertDescription.DECRYPT_ERROR, "RFC5246-7.4.9");
        }
        clientFinishedVerified = true;''','''        clientFinishedVerified = true; // MUTANT: the client's Finished is not verified (RFC5246-7.4.9)'''),
 ('''        if (clientVersion < TLS12) {
            return fail(AlertDescription.PROTOCOL_VERSION, "RFC5246-E.1");
        }''','''        // MUTANT: clients below TLS 1.2 are served (DEC-20)'''), ('''        if (clientAuth == CLIENT_AUTH_NEED) {
            return fail(AlertDescription.HANDSHAKE_FAILURE, "RFC5246-7.4.6");
        }''','''        // MUTANT: a "need" server accepts an empty client Certificate (RFC5246-7.4.6)'''),
 ('''        if (!chainOk) {
            return fail(ProxyInfoDecision.certificateAlert(chainAlert), "RFC5246-7.4.6");
        }
        clientChainValidated = true;''','''        clientChainValidated = true; // MUTANT: a client chain is accepted without validation (RFC5246-7.4.6)'''),
 ('''        if (!signatureOk) {
            return fail(AlertDescription.DECRYPT_ERROR, "RFC5246-7.4.8");
        }''','''        // MUTANT: the client's CertificateVerify signature is not checked (RFC5246-7.4.8)'''),
 ('''        if (clientChainValidated) {
            state = Transitions.S_WAIT_CERTIFICATE_VERIFY; // RFC5246-7.4.8: a certificate with signing capability is followed by CertificateVerify
        } else {
            state = Transitions.S_WAIT_CHANGE_CIPHER_SPEC;
        }''','''        state = Transitions.S_WAIT_CHANGE_CIPHER_SPEC; // MUTANT: a client certificate without its CertificateVerify (RFC5246-7.4.8)'''),
 ('''        return clientChainValidated && clientCertificateVerifyVerified;''','''        return clientChainValidated; // MUTANT: authenticated on the chain alone, without CertificateVerify (RFC5246-7.4.8)'''),
 ('''        if (clientAuth != CLIENT_AUTH_NONE) {
            state = Transitions.S_WAIT_CLIENT_CERTIFICATE;
        } else {
            state = Transitions.S_WAIT_CLIENT_KEY_EXCHANGE;
        }''','''        state = Transitions.S_WAIT_CLIENT_KEY_EXCHANGE; // MUTANT: the policy is ignored, the client Certificate never awaited (RFC5246-7.4.6)'''),
])
mk('Transitions.java',[
 ('''                case C_WAIT_CHANGE_CIPHER_SPEC: return CHANGE_CIPHER_SPEC;
                case C_WAIT_FINISHED: return FINISHED;
                case C_ESTABLISHED: return APPLICATION_DATA;
                default: return NONE;''','''                case C_WAIT_CHANGE_CIPHER_SPEC: return FINISHED; // MUTANT: Finished before ChangeCipherSpec
                case C_WAIT_FINISHED: return FINISHED;
                case C_ESTABLISHED: return APPLICATION_DATA;
                default: return NONE;'''),
 ('''        if (role == ROLE_SERVER && state == S_ESTABLISHED && type == CLIENT_HELLO) {
            return true;
        }
        return false;''','''        if (role == ROLE_SERVER && state == S_ESTABLISHED && type == CLIENT_HELLO) {
            return true;
        }
        return type == APPLICATION_DATA; // MUTANT: application data accepted in any state'''),
])
mk('ProxyHandshake.java',[
 ('''    public /*@ pure @*/ boolean maySendServerHello() {
        return state == P_UPSTREAM_ESTABLISHED && (upstreamFinished || upstreamHeld) && upstreamValidated
                && (assertionSigned || minting);''','''    public /*@ pure @*/ boolean maySendServerHello() {
        return (state == P_UPSTREAM_HANDSHAKE || state == P_UPSTREAM_ESTABLISHED) // MUTANT: before session #2 finished (DEC-14)
                && (assertionSigned || minting);'''),
 ('''                && clientOfferedProxyInfo && !minting && ownParameters && ownChain && ownServerRandom;''','''                && clientOfferedProxyInfo && !minting && ownParameters && ownChain; // MUTANT: any server_random (DEC-5)'''),
 ('''        if (!validated) {
            return fail(AlertDescription.HANDSHAKE_FAILURE, "DEC-15");
        }
        upstreamFinished = true;''','''        upstreamFinished = true; // MUTANT: an unvalidated upstream counts as finished (DEC-15)'''),
 ('''        clientOfferedProxyInfo = offeredProxyInfo;
        minting = !offeredProxyInfo;''','''        clientOfferedProxyInfo = offeredProxyInfo;
        minting = policy == POLICY_MINT; // MUTANT: mints for proxy_info clients too (DEC-17, 00-R10)'''),
 ('''    public int onServerHelloQueued() {
        if (!maySendServerHello()) {''','''    public int onServerHelloQueued() {
        if (state != P_UPSTREAM_ESTABLISHED && state != P_UPSTREAM_HANDSHAKE) { // MUTANT: ServerHello queued before session #2 finished (DEC-14 order)'''),
 ('''    public /*@ pure @*/ boolean mayCarryUpstream(int type) {
        return extensionDisposition(type) != DROPPED;''','''    public /*@ pure @*/ boolean mayCarryUpstream(int type) {
        return true; // MUTANT: dropped extensions go upstream too (DEC-16)'''),
 ('''        if (type == EXT_SERVER_NAME) {
            return FORWARDED;
        }''','''        if (type == EXT_SERVER_NAME || type == proxyInfoType) { // MUTANT: proxy_info forwarded as is (DEC-16, 00-R7)
            return FORWARDED;
        }'''),
])
mk('ProxyInfoDecision.java',[
 ('''        if (!signatureValid) {
            refuse(AlertDescription.DECRYPT_ERROR, index == 0 ? CHECK_SIGNATURE : CHECK_HOP_SIGNATURE, index);
            return;
        }''','''        // MUTANT: the assertion signature is not checked (DEC-8 step 2)'''),
 ('''    public /*@ pure @*/ boolean mayReleaseKeyMaterial() {
        return stage == ACCEPTED;''','''    public /*@ pure @*/ boolean mayReleaseKeyMaterial() {
        return stage == ACCEPTED || stage == EXPECT_HOP; // MUTANT: releases while hops are still unchecked (DEC-8)'''),
 ('''        if (!serverChainValid) {
            refuse(certificateAlert(chainAlert), CHECK_PLAIN_SERVER, -1);
            return;
        }''','''        // MUTANT: plain TLS without the server chain check (DEC-13)'''),
])
HOP_EXPECT='''# ProxyInfoDecision.hop with one DEC-8 fact not checked: its contract must stay open
ProxyInfoDecision::hop#0
'''
single('hop-signer', 'ProxyInfoDecision.java', [('''        if (!signerAcceptable) {
            refuse(AlertDescription.ACCESS_DENIED, index == 0 ? CHECK_PROXY_ACCEPTABLE : CHECK_HOP_PROXY_ACCEPTABLE,
                    index);
            return;
        }''','''        // MUTANT: the signer is not checked to be an acceptable proxy (DEC-8 step 1, DEC-9, DEC-12)''')],
    HOP_EXPECT.replace('one DEC-8 fact', 'DEC-8 step 1 (signer acceptable, DEC-9/DEC-12)'))
single('hop-scheme', 'ProxyInfoDecision.java', [('''        if (!schemeOffered) {
            refuse(AlertDescription.ILLEGAL_PARAMETER, CHECK_SIGNATURE_SCHEME, index);
            return;
        }''','''        // MUTANT: the SignatureScheme is not checked to be one the client offered (DEC-5)''')],
    HOP_EXPECT.replace('one DEC-8 fact', 'DEC-5 (scheme offered)'))
single('hop-chain', 'ProxyInfoDecision.java', [('''        if (!carriedChainOk) {
            if (lastHop) {
                refuse(certificateAlert(carriedChainAlert), CHECK_SERVER_CHAIN, index);
            } else {
                refuse(AlertDescription.ACCESS_DENIED, CHECK_HOP_PROXY_ACCEPTABLE, index);
            }
            return;
        }''','''        // MUTANT: the carried server_certificate_list is not checked (DEC-8 step 3, DEC-10, DEC-12)''')],
    HOP_EXPECT.replace('one DEC-8 fact', 'DEC-8 step 3 (carried chain, DEC-10/DEC-12)'))
single('hop-params', 'ProxyInfoDecision.java', [('''        if (!upstreamParamsOk) {
            refuse(AlertDescription.INSUFFICIENT_SECURITY, CHECK_UPSTREAM_PARAMS, index);
            return;
        }''','''        // MUTANT: the upstream connection_parameters are not checked (DEC-8 step 4, DEC-11)''')],
    HOP_EXPECT.replace('one DEC-8 fact', 'DEC-8 step 4 (upstream parameters, DEC-11)'))
single('proxy-dec16-disposition', 'ProxyHandshake.java', [('''        if (type == EXT_SUPPORTED_GROUPS || type == EXT_EC_POINT_FORMATS || type == EXT_SIGNATURE_ALGORITHMS
                || type == EXT_EXTENDED_MASTER_SECRET || type == EXT_RENEGOTIATION_INFO || type == proxyInfoType) {
            return PROCESSED;
        }
        return DROPPED;''','''        if (type == EXT_SUPPORTED_GROUPS || type == EXT_EC_POINT_FORMATS || type == EXT_SIGNATURE_ALGORITHMS
                || type == EXT_EXTENDED_MASTER_SECRET || type == EXT_RENEGOTIATION_INFO || type == proxyInfoType) {
            return PROCESSED;
        }
        return PROCESSED; // MUTANT: an extension the proxy does not understand is "processed" and goes upstream (DEC-16)''')],
    '''# DEC-16: an unknown extension must be dropped, never processed or carried upstream
ProxyHandshake::extensionDisposition
''')
single('proxy-dec23-held', 'ProxyHandshake.java', [
 ('''        if (!certificateRequested || !nonceReceived) {
            return fail(AlertDescription.HANDSHAKE_FAILURE, "DEC-23");
        }
        upstreamValidated = true;''','''        upstreamValidated = true; // MUTANT: session #2 held without a CertificateRequest or the origin's nonce (DEC-23)'''),
 ('''        if (!completed) {
            return fail(AlertDescription.HANDSHAKE_FAILURE, "01-R15");
        }
        upstreamFinished = true;''','''        upstreamFinished = true; // MUTANT: a held session #2 that failed counts as completed (01-R15)'''),
 ('''        if (state != P_DOWNSTREAM_HANDSHAKE || !upstreamFinished) {''','''        if (state != P_DOWNSTREAM_HANDSHAKE) { // MUTANT: relays over a held session #2 that never completed (DEC-23, DEC-18)'''),
], '''# DEVIATION (DEC-23) from DEC-14: the held session #2, each guard broken once
# onUpstreamHeld: session #2 held (session #1 answered early) without a CertificateRequest or the origin's nonce (DEC-23)
ProxyHandshake::onUpstreamHeld
# onHeldUpstreamCompleted: session #1 finished over a held session #2 that failed (01-R15)
ProxyHandshake::onHeldUpstreamCompleted
# onDownstreamEstablished: relaying over a held session #2 that never completed (DEC-23, DEC-18)
ProxyHandshake::onDownstreamEstablished
''')
single('client-dec13', 'ClientHandshake.java', [('''        if (proxyInfoPresent && !offeredProxyInfo) {
            return fail(AlertDescription.UNSUPPORTED_EXTENSION, "DEC-13");
        }''','''        // MUTANT: a proxy_info the client did not offer is processed (DEC-13)''')],
    '''# DEC-13: a ServerHello proxy_info the client did not offer must be unsupported_extension
ClientHandshake::onServerHello
''')
single('client-cert-mode-dec23', 'ClientCertMode.java', [
 ('''        if (!certificateVerifyOk) {
            return fail(AlertDescription.DECRYPT_ERROR);
        }''','''        // MUTANT: the client's CertificateVerify is not checked before its identity goes upstream (01-R15)'''),
 ('''        return state == P_FORWARD && clientCertificateVerifyOk && proxyCertVerifyReceived;''','''        return state != P_ABORTED; // MUTANT: forwards before the client authenticated (01-R15)'''),
 ('''        return state == P_UPSTREAM_DONE;''','''        return state == P_UPSTREAM_DONE || state == P_FORWARD; // MUTANT: session #1 finishes before session #2 completed (DEC-23)'''),
 ('''        return maySignCertificateVerify && serverRandomAsserted && nonceWellFormed && proxyCertificateChecked;''','''        return serverRandomAsserted && nonceWellFormed && proxyCertificateChecked; // MUTANT: signs without the DEC-8/DEC-9/DEC-10 gate'''),
 ('''        if (!proxyCertVerifyOk) {
            return AlertDescription.DECRYPT_ERROR;
        }''','''        // MUTANT: the client's ProxyCertVerify over the server's nonce is not checked (01-R16)'''),
], '''# DEC-23 client-certificate mode (issue 13): each line a contract that must stay open
# onClientAuthentication: a client identity is forwarded although its CertificateVerify failed (01-R15)
ClientCertMode::onClientAuthentication
# mayForwardClientIdentity: forwards before the client authenticated (01-R15)
ClientCertMode::mayForwardClientIdentity
# mayFinishDownstream: session #1 finishes before session #2 completed (DEC-23)
ClientCertMode::mayFinishDownstream
# maySignProxyCertVerify: the client signs without the DEC-8/DEC-9/DEC-10 gate (DEC-23)
ClientCertMode::maySignProxyCertVerify
# serverDecision: the server accepts without the client's ProxyCertVerify over its nonce (01-R16)
ClientCertMode::serverDecision
''')
single('proxy-dec23-learn', 'ClientCertMode.java', [
 ('''        if (retried) {
            return false;
        }
        return clientOfferedMode && clientOfferedProxyInfo && upstreamValidated && certificateRequested;''',
  '''        return clientOfferedMode && certificateRequested; // MUTANT: retries again, or over an unvalidated session #2 (DEC-23, DEC-15)'''),
], '''# DEC-23, the proxy learning the mode from session #2's CertificateRequest: each line a contract that must stay open
# proxyLearnsMode: abandons and retries a second time, or over a session #2 that was not validated (DEC-23, DEC-15)
ClientCertMode::proxyLearnsMode
# onClientAuthLearned: session #1's client-authentication policy changed after the server flight (RFC5246-7.4.4)
ServerHandshake::onClientAuthLearned
''')
mk('ServerHandshake.java', [
 ('''        if (state != Transitions.S_SEND_FLIGHT || !assertsProxyInfo || clientAuth != CLIENT_AUTH_NONE) {
            return fail(AlertDescription.INTERNAL_ERROR, "DEC-23");
        }
        clientAuth = policy;''', '''        if (!assertsProxyInfo) {
            return fail(AlertDescription.INTERNAL_ERROR, "DEC-23");
        }
        clientAuth = policy; // MUTANT: the policy changes in any state, after a CertificateRequest was (not) sent (RFC5246-7.4.4)'''),
], base+'proxy-dec23-learn/')
single('resumption', 'Resumption.java', [
 ('''        if (cached && unexpired && sameHost && suiteOffered && originalEms && emsOffered) {
            return RESUME;''','''        if (cached && unexpired && sameHost && suiteOffered) { // MUTANT: resumes without extended_master_secret (RFC7627-5.3)
            return RESUME;'''),
 ('''        if (cached && unexpired && sameHost && suiteOffered && originalEms && !emsOffered) {
            return AlertDescription.HANDSHAKE_FAILURE;
        }''','''        // MUTANT: an EMS session offered without EMS is not aborted (RFC7627-5.3)'''),
 ('''        if (cachedProxied && !proxyInfoPresent) {
            return AlertDescription.HANDSHAKE_FAILURE;
        }''','''        // MUTANT: a resumed proxied session without ProxyInfo is accepted (DEC-22)'''),
 ('''        if (!chainUnchanged) {
            return AlertDescription.ILLEGAL_PARAMETER;
        }''','''        // MUTANT: a reported server chain that changed on resumption is accepted (DEC-22)'''),
 ('''        return session1Decision == RESUME && linkedCached && sameUpstreamHost;''','''        return linkedCached && sameUpstreamHost; // MUTANT: offers the linked session #2 for a client that gets a full session #1 (01-R1)'''),
 ('''        if (offeredLinked && session2Resumed && sameServer) {''','''        if (offeredLinked && sameServer) { // MUTANT: resumes session #1 over a full session #2 (01-R2, 01-R4)'''),
], '''# DEC-22 resumption decisions, each broken once (01-R1..R4, RFC7627-5.3, DEC-22's client rules)
# serverDecision: resumes an EMS session with a hello without EMS (RFC7627-5.3)
Resumption::serverDecision
# serverAlert: the EMS downgrade is not aborted (RFC7627-5.3)
Resumption::serverAlert
# clientServerHelloAlert: a resumed proxied session without ProxyInfo is accepted (DEC-22 handshake_failure)
Resumption::clientServerHelloAlert
# clientProxyInfoAlert: a changed reported chain is accepted on resumption (DEC-22 illegal_parameter)
Resumption::clientProxyInfoAlert
# proxyOffersLinkedSession: session #2 resumed for a client whose session #1 is full (01-R1, DEC-22 "nor the reverse")
Resumption::proxyOffersLinkedSession
# proxySession1Decision: session #1 resumed over a full session #2 (01-R2, 01-R4)
Resumption::proxySession1Decision
''')
mk('AbbreviatedHandshake.java', [
 ('''        int a = Resumption.clientProxyInfoAlert(signatureOk, chainUnchanged, parametersOk);
        if (a != NO_ALERT) {
            return fail(a, "DEC-22");
        }
        proxyInfoReverified = true;''','''        proxyInfoReverified = true; // MUTANT: the fresh ProxyInfo is not re-checked against the cached session (DEC-22)'''),
 ('''        if (!verifyDataOk) {
            return fail(AlertDescription.DECRYPT_ERROR, "RFC5246-7.4.9");
        }
        peerFinishedVerified = true;''','''        peerFinishedVerified = true; // MUTANT: the peer's Finished is not verified on a resumed session (RFC5246-7.4.9)'''),
 ('''        if (Resumption.serverDecision(cached, unexpired, sameHost, suiteOffered, originalEms, emsOffered) != Resumption.RESUME) {
            return fail(AlertDescription.INTERNAL_ERROR, "DEC-22");
        }''','''        // MUTANT: the server resumes without the decision's RESUME (DEC-22)'''),
], base+'resumed-handshake/')
open(base+'resumed-handshake/EXPECT_OPEN','w').write('''# The abbreviated handshake's core, each method broken once (DEC-22, RFC5246-7.4.9)
# onProxyInfoChecked: a resumed proxied session without the fresh ProxyInfo re-verified (DEC-22)
AbbreviatedHandshake::onProxyInfoChecked
# onPeerFinished: the peer's Finished is not verified (RFC5246-7.4.9)
AbbreviatedHandshake::onPeerFinished
# onResumeDecided: the server resumes a session its decision refused (DEC-22, RFC7627-5.3)
AbbreviatedHandshake::onResumeDecided
''')
open(M+'EXPECT_OPEN','w').write('''# Deliberately broken copies of the decision cores: each line below names a contract that KeY
# must FAIL to prove on this copy (the contract has teeth). Each method is broken once, on the
# lines marked MUTANT; the JML is the core's own (the build checks that). Proofs are modular: a
# caller uses a method's contract, never its body, so every broken method is checked on its own
# although all of them sit in one copy (one KeY load for all).
#
# --- DEC-8 / DEC-9 / DEC-10: the client's key material and ESTABLISHED
# mayReleaseKeyMaterial: key material released without the ProxyInfo decision (DEC-8)
ClientHandshake::mayReleaseKeyMaterial
# onKeyMaterialSent: key material recorded as sent in SEND_KEY_EXCHANGE without asking mayReleaseKeyMaterial (DEC-8)
ClientHandshake::onKeyMaterialSent
# onServerFinished: guard weakened, ESTABLISHED straight from SEND_KEY_EXCHANGE, without key material under DEC-8
ClientHandshake::onServerFinished
# onCertificateVerified: an untrusted proxy certificate is accepted (DEC-9)
ClientHandshake::onCertificateVerified
# onServerKeyExchange: the ServerKeyExchange signature is skipped (RFC5246-7.4.3)
ClientHandshake::onServerKeyExchange
# ProxyInfoDecision.hop: the assertion signature is not checked (DEC-8 step 2)
ProxyInfoDecision::hop#0
# ProxyInfoDecision.mayReleaseKeyMaterial: key material while hops are still unchecked (DEC-8)
ProxyInfoDecision::mayReleaseKeyMaterial
# ProxyInfoDecision.plainServer: plain TLS accepted without the server chain (DEC-13, DEC-10)
ProxyInfoDecision::plainServer#0
#
# --- DEC-14 / DEC-15 / DEC-5 / DEC-17: the proxy
# maySendServerHello: session #1 answered while session #2 is still running (DEC-14)
ProxyHandshake::maySendServerHello
# maySignAssertion: signs an assertion whose server_random is not its session #2's (DEC-5)
ProxyHandshake::maySignAssertion
# onUpstreamEstablished: an unvalidated session #2 counts as finished (DEC-15)
ProxyHandshake::onUpstreamEstablished
# onClientHello: a client that offered proxy_info gets a minted certificate (DEC-17, 00-R10)
ProxyHandshake::onClientHello
# onServerHelloQueued: the ServerHello is queued while session #2 is still running (DEC-14 order)
ProxyHandshake::onServerHelloQueued
# mayCarryUpstream: a dropped extension goes upstream (DEC-16)
ProxyHandshake::mayCarryUpstream
#
# --- DEC-19: the server
# mayAnswerExtension: guards the default code point 65360, not the configured one: with --code-point other than the
# default an ordinary server echoes proxy_info (DEC-19 with any code point)
ServerHandshake::mayAnswerExtension
# onClientFinished: the client's Finished is not verified (RFC5246-7.4.9)
ServerHandshake::onClientFinished
# onClientHello: a ClientHello below TLS 1.2 is accepted (DEC-20)
ServerHandshake::onClientHello
#
# --- RFC5246-7.4.4 / 7.4.6 / 7.4.8: client authentication (issue 13)
# onCertificateRequest: a second CertificateRequest is accepted (RFC5246-7.4.4)
ClientHandshake::onCertificateRequest
# maySignCertificateVerify: the client signs before the ProxyInfo decision accepted (DEC-8)
ClientHandshake::maySignCertificateVerify
# onEmptyClientCertificate: a "need" server accepts an empty client Certificate (RFC5246-7.4.6)
ServerHandshake::onEmptyClientCertificate
# onClientCertificate: a client chain is accepted without validation (RFC5246-7.4.6)
ServerHandshake::onClientCertificate
# onCertificateVerify: the client's CertificateVerify signature is not checked (RFC5246-7.4.8)
ServerHandshake::onCertificateVerify
# onClientKeyExchange: a validated client certificate without its CertificateVerify (RFC5246-7.4.8)
ServerHandshake::onClientKeyExchange
# isClientAuthenticated: authenticated on the chain alone (RFC5246-7.4.8)
ServerHandshake::isClientAuthenticated
# onServerFlightSent: the client-authentication policy is ignored (RFC5246-7.4.6)
ServerHandshake::onServerFlightSent
#
# --- DEC-21: exactly one fatal alert, the one DEC-21 assigns
# fail: a later failure overwrites the alert already decided
ClientHandshake::fail
# onProxyInfoChecked: the !ok branch: a refused ProxyInfo decision ends with internal_error, not the decision's alert
ClientHandshake::onProxyInfoChecked
# onServerHello: a wrong server_version gets handshake_failure instead of protocol_version
ClientHandshake::onServerHello
# fatalAlertToSend: the one fatal alert is handed out on every abort (DEC-21: sent once)
ClientHandshake::fatalAlertToSend
#
# --- RFC 5246: the one transition table
# expected: the client table accepts Finished before ChangeCipherSpec (RFC5246-7.4.9)
Transitions::expected
# legal: application data accepted before the handshake is done (RFC5246-10)
Transitions::legal
''')
print("made", M, sorted(os.listdir(M)))
