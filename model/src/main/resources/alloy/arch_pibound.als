module arch_pibound
-- PI-BOUND: DEC-5 bound signed input (session-#1 randoms), DEC-9 proxy trust anchor, DEC-10/11 checks
open config
open principals
open tls
open proxyinfo
open arch_pi
open resumption

fact pibound {
  isArch[PIBOUND] implies {
    all x: cl.C | x in Accepted iff (piClientOK[x] and clientResumeOK[x])
    proxyShowsIdentity
  }
}
