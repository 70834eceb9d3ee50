module proxy
-- The TLS-terminating proxy role, shared by MINT and the PI architectures (draft -00/-01 3):
-- it finishes session #2 with the host the client meant before it answers on session #1
-- (DEC-14), validates that upstream chain and name (00-R5/00-R9, 01-R6/01-R10, DEC-15),
-- and relays the client's data (DEC-18).
open config
open principals
open tls
open proxyinfo
open refusal

-- does the proxy validate its upstream leg? (not if careless, lying or mutated)
pred proxyChecks { proxyChecksOf[P] }
-- the same for each honest proxy (two-hop runs: P2's own threats Hop2Careless, Hop2Lies)
pred proxyChecksOf[p: Agent] { not pCareless[p] and not pLies[p] and not mutant[NoProxyValidation] }

-- pAnswers (proxyinfo.als): the proxy answers session #1 (sends its ServerHello) only once its
-- session #2 is complete (DEC-14). A session #1 it refuses (session #2 failed DEC-15
-- validation, the upstream was unreachable, or a client without the extension meets a
-- "refuse" policy, DEC-17) is inert: never accepted, no assertion, no data.

-- two-hop runs: the upstream's assertion may itself nest one (P2 nests its upstream's): the proxy checks
-- the whole chain as the client does (DEC-15 "as in this DEC" with DEC-12: every list but the last is an
-- acceptable proxy whose end-entity key verifies the next hop; the last list is the origin for the host)
pred upstreamChainOK[a: Assertion, n: Name, anchors: set Key] {
  all h: a.*nesting | some h.nesting => (h.nesting.signer = h.srvCert.key and proxyAcceptable[h.srvCert, anchors]) else proxyWebValid[h.srvCert, n]
}

fact terminatingProxy {
  all x: Sess | some x.link implies x.sv in HonestProxy
  all p: HonestProxy, x: sv.p {
    lone x.link
    some x.link implies (x.link.cl = p and x.link.sni = x.sni)
    not pAnswers[x] implies no x.pinfo                                        -- DEC-14: refused
    not pCompletes[x] implies (x not in Accepted and no x.c2s)                 -- DEC-14, 01-R15: never completed
  }
  all y: cl.HonestProxy | one link.y          -- one session #2 per session #1
  -- DEC-15: a plain upstream must validate as the host meant; an upstream that is itself a proxy
  -- (its ServerHello carries proxy_info) must be an acceptable proxy, sign with its session key,
  -- and carry an origin chain that validates as the host meant
  -- (two-hop runs: P validates P2 as a proxy under P2's anchor, if P's own trust store has it: DEC-9 via DEC-15)
  -- (refusal.als: a session #2 the origin refused, R7 / 01-R16, or the proxy abandoned, 01-R15, never completes)
  all p: HonestProxy, y: cl.p | y in Accepted iff (not upstreamRefused[y] and (proxyChecksOf[p] implies
     ((no y.pinfo and proxyWebValid[y.cert, y.sni]) or
      (some y.pinfo and proxyAcceptable[y.cert, proxyAnchorsOf[p]] and y.pinfo.signer = y.cert.key and
       ((no P2 and proxyWebValid[y.pinfo.srvCert, y.sni]) or (some p2: P2 | upstreamChainOK[y.pinfo, y.sni, proxyAnchorsOf[p]]))))))
  -- relay: the honest proxy forwards exactly what it received; a lying proxy may edit it
  all p: HonestProxy, y: cl.p | pLies[p] implies y.c2s in AData + (link.y).c2s else y.c2s = (link.y).c2s
  -- -01 3.2 mode: when the server asks for a client certificate, the proxy presents its own
  -- identity (SignedProxyInfo2 proxy_certificate_list); in MINT and PI-00 it has nothing to show
  -- (a lying proxy in the mode may present any certificate whose key it holds, tls.als, or none)
  all y: cl.P & CertReq | (ccMode and not on[ProxyLies])
      implies (y.ccert.subj = nP and y.ccert.key = kP and
               -- DEC-23: the proxy_to_server ProxyInfo carries the certificate the client saw on session #1 (and signed for)
               (isArch[PIBOUNDCC] implies y.ccert = (link.y).cert)) else (ccMode or no y.ccert)
}
