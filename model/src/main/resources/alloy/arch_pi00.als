module arch_pi00
-- PI-00: proxy_info as in draft -00 (signed assertion, no session nonce; literal proxy trust)
open config
open principals
open tls
open proxyinfo
open arch_pi
open resumption
open refusal

fact pi00 {
  isArch[PI00] implies {
    all x: cl.C | x in Accepted iff (piClientOK[x] and clientResumeOK[x] and not peerRefused[x])
    proxyShowsIdentity
  }
}
