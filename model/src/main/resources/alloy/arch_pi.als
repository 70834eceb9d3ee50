module arch_pi
-- The client rule shared by the three proxy_info architectures (DEC-8 order of checks).
-- What differs between PI-00, PI-01 and PI-BOUND is the wire format of the assertion
-- (proxyinfo.als), the signed input (DEC-5) and which proxies are acceptable (DEC-9,
-- principals.als); each has its own file that switches this rule on.
open config
open principals
open tls
open proxyinfo

pred piClientOK[x: Sess] {
  strong[x]
  on[CarelessClient] or mutant[NoServerCertCheck] or {
    no x.pinfo implies webValid[x.cert, nS]                                   -- DEC-13
    some x.pinfo implies {
      proxyAcceptable[x.cert]                                                 -- DEC-8(1), DEC-9
      x.pinfo.signer = x.cert.key                                             -- DEC-8(2), DEC-5
      (isArch[PIBOUND] and not mutant[NoDEC5Bind]) implies x.pinfo.bound = x  -- DEC-5 bound mode
      mutant[NoDEC10] or webValid[x.pinfo.srvCert, nS]                        -- DEC-8(3), DEC-10
      mutant[NoDEC11] or (x.pinfo.aver = TLS12 and x.pinfo.asuite = AEAD)     -- DEC-8(4), DEC-11
    }
  }
}

-- the proxy's session-#1 certificate is its own identity, not a minted one (00-R10, 01-R11)
pred proxyShowsIdentity {
  all x: sv.P | x.cert.subj = nP and x.cert.key = kP and
     x.cert.issuer = (isArch[PIBOUND] => kProxyCA else kWebCA)
}
