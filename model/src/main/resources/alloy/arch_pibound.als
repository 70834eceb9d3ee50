module arch_pibound
-- PI-BOUND and PI-BOUND-CC: DEC-5 bound signed input (session-#1 randoms), DEC-9 proxy trust anchor, DEC-10/11 checks
-- (PI-BOUND-CC adds DEC-23's client-certificate mode: proxyinfo.als, proxy.als)
open config
open principals
open tls
open proxyinfo
open arch_pi
open resumption
open refusal

fact pibound {
  boundArch implies {
    all x: cl.C | x in Accepted iff (piClientOK[x] and clientResumeOK[x] and not peerRefused[x])
    proxyShowsIdentity
  }
}
