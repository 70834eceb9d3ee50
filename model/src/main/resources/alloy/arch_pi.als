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
  -- NoServerCertCheck removes only the plain certificate check (DEC-13); each DEC-8 check has its
  -- own mutant (one mutant per check, issue #11), and CarelessClient skips them all
  on[CarelessClient] or {
    no x.pinfo implies (mutant[NoServerCertCheck] or webValid[x.cert, nS])   -- DEC-13
    some x.pinfo implies {
      proxyAcceptable[x.cert, clientProxyAnchors]                                                 -- DEC-8(1), DEC-9
      x.pinfo.signer = x.cert.key                                             -- DEC-8(2), DEC-5
      (boundArch and not mutant[NoDEC5Bind]) implies x.pinfo.bound = x  -- DEC-5 bound mode
      mutant[NoDEC11] or (x.pinfo.aver = TLS12 and x.pinfo.asuite = AEAD)     -- DEC-8(4), DEC-11
      no x.pinfo.next implies (mutant[NoDEC10] or webValid[x.pinfo.srvCert, nS])   -- DEC-8(3), DEC-10
      -- DEC-4: at most DepthLimit.hops assertions in the chain (a parameter of the two-hop runs)
      all d: DepthLimit | #(x.pinfo.*nesting) <= d.hops
      some x.pinfo.next implies {                                             -- DEC-8(5): the nested hop
        mutant[NoDEC11] or (x.pinfo.next.aver = TLS12 and x.pinfo.next.asuite = AEAD)
        boundArch implies {
          -- DEC-12 (DEVIATION): hop 1's end-entity key verifies hop 2's signature, the
          -- intermediate hop is an acceptable proxy, and only the last list is the origin
          mutant[NoDEC12] or (x.pinfo.next.signer = x.pinfo.srvCert.key and proxyAcceptable[x.pinfo.srvCert, clientProxyAnchors])
          (all p2: P2 | no x.pinfo.next.next) implies (mutant[NoDEC10] or webValid[x.pinfo.next.srvCert, nS])
          -- hops beyond the second (two-hop runs only; the table's chains have at most two): every hop h
          -- from hop 2 on that nests another is an intermediate hop whose end-entity key verifies the
          -- next one and which is an acceptable proxy (DEC-12), every further hop meets the policy
          -- (DEC-11), and the last hop's list is the origin (DEC-10); any length the scope allows (DEC-4)
          all p2: P2 | some x.pinfo.next.next implies all h: x.pinfo.next.*nesting | some h.nesting implies {
            mutant[NoDEC11] or (h.nesting.aver = TLS12 and h.nesting.asuite = AEAD)
            mutant[NoDEC12] or (h.nesting.signer = h.srvCert.key and proxyAcceptable[h.srvCert, clientProxyAnchors])
            no h.nesting.nesting implies (mutant[NoDEC10] or webValid[h.nesting.srvCert, nS])
          }
        } else {
          -- literal -00/-01 client step 5: steps 3-5 repeated on next_proxy_info, i.e. every
          -- carried list is authenticated as the server (the drafts name no key for the nested signature)
          webValid[x.pinfo.srvCert, nS] and webValid[x.pinfo.next.srvCert, nS]
        }
      }
    }
  }
}

-- the proxy's session-#1 certificate is its own identity, not a minted one (00-R10, 01-R11)
pred proxyShowsIdentity {
  all x: sv.P | x.cert.subj = nP and x.cert.key = kP and
     x.cert.issuer = (boundArch => kProxyCA else kWebCA)
  -- the second proxy (two-hop runs): its own identity under its own proxy trust anchor
  all x: sv.P2 | x.cert.subj = nP2 and x.cert.key = kP2 and x.cert.issuer = kProxyCA2
}
