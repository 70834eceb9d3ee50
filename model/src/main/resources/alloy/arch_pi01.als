module arch_pi01
-- PI-01: proxy_info as in draft -01 (adds session-#2 server_random; literal proxy trust)
open config
open principals
open tls
open proxyinfo
open arch_pi
open resumption
open refusal

fact pi01 {
  isArch[PI01] implies {
    all x: cl.C | x in Accepted iff (piClientOK[x] and clientResumeOK[x] and not peerRefused[x])
    proxyShowsIdentity
  }
}
