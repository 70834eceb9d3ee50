module arch_consent
-- CONSENT (A1, one concrete design): the client runs TLS end to end with the server, and both
-- endpoints knowingly hand the proxy that session's keys (kh in tls.als). TLS 1.2 record keys
-- are symmetric, so read access is also write access: a proxy that edits traffic can inject
-- records (inj), which is the drafts' objection to key sharing (-00/-01 6).
open config
open principals
open tls
open proxyinfo
open resumption
open refusal

fact consent {
  isArch[CONSENT] implies {
    all x: cl.C | x in Accepted iff (plainOK[x] and clientResumeOK[x] and not peerRefused[x])
    no Assertion
  }
}
