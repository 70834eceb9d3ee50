module arch_mint
-- MINT: today's interception (DEC-17 `mint`, labelled insecure): the proxy CA is installed in
-- the client's web trust store and the proxy mints a leaf for the SNI host with its own key.
-- The client cannot tell: it runs ordinary TLS validation.
open config
open principals
open tls
open proxyinfo
open resumption
open refusal

fact mint {
  isArch[MINT] implies {
    all x: cl.C | x in Accepted iff (plainOK[x] and clientResumeOK[x] and not peerRefused[x])
    all x: sv.P | x.cert.key = kP and x.cert.issuer = kProxyCA and x.cert.subj = x.sni
    no Assertion
  }
}
