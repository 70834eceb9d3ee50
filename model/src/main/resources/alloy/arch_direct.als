module arch_direct
-- DIRECT: client and server, TLS 1.2, no proxy; a Dolev-Yao network attacker on the leg.
open config
open principals
open tls
open proxyinfo
open resumption
open refusal

fact direct {
  isArch[DIRECT] implies {
    all x: cl.C | x in Accepted iff (plainOK[x] and clientResumeOK[x] and not peerRefused[x])   -- RFC 5246 7.4.2 + RFC 2818 3.1
    no Assertion
  }
}
