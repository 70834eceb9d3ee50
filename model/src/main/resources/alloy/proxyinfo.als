module proxyinfo
-- The proxy_info assertion (draft -00 3.1, -01 3.1; DEC-1, DEC-5) and the -01 3.2
-- client-certificate mode (ProxyCertVerify), as unforgeable signed terms.
--   PI-00:    SignedProxyInfo {connection_parameters, server_certificate_list, revocation...}
--   PI-01:    + server_random of session #2  (field `up`: the session #2 it speaks for)
--   PI-BOUND: + signed input prefixed with session #1 client_random||server_random (field `bound`)
-- An assertion made by P is made for one of its own session pairs (x, x.link) and is truthful
-- unless the proxy lies; an assertion made by A may say anything, but only under a key A holds.
-- Assertions travel in the clear in ServerHello, so A can replay any assertion on a session
-- it terminates.
open config
open principals
open tls

sig Assertion {
  by: one Agent,        -- who signed it
  signer: one Key,      -- the key it is signed with
  srvCert: one Cert,    -- server_certificate_list (its end-entity certificate)
  aver: one Ver,        -- connection_parameters.tls_version
  asuite: one Suite,    -- connection_parameters.cipher_suite
  up: lone Sess,        -- -01 server_random: the session #2 it describes
  bound: lone Sess,     -- DEC-5 bound mode: the session #1 it is bound to
  next: lone Assertion, -- next_proxy_info: the upstream proxy's assertion, nested unchanged (DEC-4, DEC-15)
  carriedOn: set Sess   -- the ServerHellos (session #1) that carry it
}
fun pinfo: Sess -> Assertion { ~carriedOn }
-- next_proxy_info as a relation (named apart from util/integer's `next`): `x.pinfo.*nesting` is the whole chain
fun nesting: Assertion -> Assertion { Assertion <: next }

-- which honest proxy lies or is careless: ProxyLies and CarelessProxy are P's (hop 1), Hop2Lies and
-- Hop2Careless the second proxy P2's (two-hop runs)
pred pLies[p: Agent] { p = P2 => some Hop2Lies & Cfg.threat else on[ProxyLies] }
pred pCareless[p: Agent] { p = P2 => some Hop2Careless & Cfg.threat else on[CarelessProxy] }
-- an honest proxy's own signing key (its identity's key)
fun pKey[p: Agent]: set Key { p = P2 => kP2 else kP }

-- the proxy's session #2 for session #1 x is complete (DEC-14); only then can x complete (proxy.als)
pred pCompletes[x: Sess] { some x.link and x.link in Accepted }
-- the proxy answers its session #1 (sends its ServerHello): once its session #2 is complete (DEC-14), or in DEC-23's
-- client-certificate mode once session #2 is held at ServerHelloDone with the origin's CertificateRequest (DEVIATION
-- (DEC-23)); a held session #2 may still be refused (refusal.als), and then session #1 never completes
pred pAnswers[x: Sess] { pCompletes[x] or (isArch[PIBOUNDCC] and some x.link and x.link in CertReq) }

-- -01 3.2: the client's signature over session #2's ServerHello (server_random and nonce),
-- forwarded by the proxy to the server.
-- DEC-23 (PI-BOUND-CC): the signed input is session #2's server_random || the server's nonce || the proxy's
-- certificate, so the signature also names the proxy certificate it was made for (forProxy).
sig ClientSig { over: one Sess, deliveredOn: set Sess, forProxy: lone Cert }

fact assertions {
  all a: Assertion | a.by in HonestProxy + A and a.signer in a.by.holds
  all x: Sess | lone x.pinfo
  -- only a PI session terminated by P or A can carry one (DEC-19: S never echoes); the
  -- attacker may answer the proxy's session #2 as if it were a further proxy (nesting)
  all x: Sess | some x.pinfo implies (piArch and x.sv in HonestProxy + A and x.cl in C + A + HonestProxy)
  -- nesting: at most two hops in the verdict table; in the two-hop runs (P2 present) any chain the
  -- Assertion scope allows (3 in most of them, 5 in DEC-4's default-limit commands), never cyclic
  all a: Assertion | (no P2 and no a.next.next and a.next != a) or (some p2: P2 | a not in a.^nesting)
  -- wire format per architecture
  all a: Assertion | isArch[PI00] implies no a.up
  all a: Assertion | not boundArch implies no a.bound
  all a: Assertion, p: HonestProxy | (boundArch and a.by = p and not mutant[NoDEC5Bind]) implies some a.bound
  -- an honest proxy signs only for its own sessions
  all p: HonestProxy, a: by.p | some a.carriedOn & sv.p
  -- the real proxy in a PI architecture always sends its own fresh assertion (the client offered
  -- the extension), made for this session #1 and its session #2 (DEC-14, -00 3 steps 3-5)
  -- A lying proxy (ProxyLies) may instead carry any assertion: one it made for another of its
  -- sessions (replay), or one it did not sign with its key (a corrupted signature: the model's
  -- stand-in is an assertion signed by a key other than the session-#1 one).
  all p: HonestProxy, x: sv.p | (piArch and pAnswers[x]) implies {
    -- (a lying proxy, or a box around it, may also send none: resumed-without-proxy-info, DEC-22)
    -- (a session #1 answered over a held session #2 that is then refused, DEC-23, may show its assertion or not)
    (not pLies[p] and pCompletes[x]) implies some x.pinfo
    (not pLies[p] and some x.pinfo) implies (x.pinfo.by = p and x.pinfo.signer = pKey[p] and x.pinfo.carriedOn = x)
    -- DEC-15: an upstream proxy's assertion is nested unchanged (the lying proxy may drop it)
    (not pLies[p] and some x.pinfo) implies x.pinfo.next = x.link.pinfo
    ((isArch[PI01] or boundArch) and not pLies[p] and some x.pinfo) implies x.pinfo.up = x.link
    (boundArch and not mutant[NoDEC5Bind] and not pLies[p] and some x.pinfo) implies x.pinfo.bound = x
    -- truthful unless the proxy lies (G4); revocation_checking_performed is not modelled
    (not pLies[p] and some x.pinfo) implies
      (x.pinfo.srvCert = x.link.cert and x.pinfo.aver = x.link.ver and x.pinfo.asuite = x.link.suite)
  }
}

fact proxyCertVerify {
  -- only C makes client signatures (kC never leaks), in the -01 3.2 architectures, over the
  -- session #2 named in an assertion it accepted
  some ClientSig implies ccMode
  all s: ClientSig | some x: Accepted & cl.C | s.over = x.pinfo.up
  all x: Accepted & cl.C | (ccMode and some x.pinfo.up) implies
     some s: ClientSig | s.over = x.pinfo.up and (isArch[PIBOUNDCC] implies s.forProxy = x.cert)
  -- DEC-23: every client signature names the proxy certificate of a session #1 the client accepted for that session #2
  all s: ClientSig | isArch[PIBOUNDCC] iff some s.forProxy
  all s: ClientSig | isArch[PIBOUNDCC] implies some x: Accepted & cl.C | s.over = x.pinfo.up and s.forProxy = x.cert
  -- DEC-23: the proxy asks the client for its certificate on session #1 when the server asked on session #2
  -- (the client's Certificate and CertificateVerify, checked by the proxy: 01-R15, RFC 5246 7.4.8 in tls.als)
  all x: sv.P | (isArch[PIBOUNDCC] and not on[ProxyLies] and x.link in CertReq) implies x in CertReq
  -- delivered to the server by a proxy or by the attacker (replay)
  all s: ClientSig | s.deliveredOn in sv.S & cl.(P + A)
  -- the honest proxy forwards the client's signature over its session #2 when S asked
  all x: sv.P, s: ClientSig | (s.over = x.link and x.link in CertReq and x.link.sv = S) implies x.link in s.deliveredOn
}

-- DEC-23 / 01-R16: a proxy the origin server accepts client authentication through (its configured proxy identity)
pred srvAcceptsProxy[c: Cert] { some c and c.subj = nP and c.issuer in kWebCA + kProxyCA }

-- what the server S concludes about the client's identity on session y (C2, R7)
-- (only on a session whose client side completed: Certificate, CertificateVerify and Finished)
fun srvClientAuth[y: Sess]: set Name {
  (y in Accepted) => srvClientAuth0[y] else none
}
fun srvClientAuth0[y: Sess]: set Name {
  { n: Name | some y.ccert and y.ccert.issuer = kWebCA and n = y.ccert.subj and n = nC }
  + { n: nC | ccMode and
        (some s: ClientSig | y in s.deliveredOn and (s.over = y or mutant[NoPCVBinding])
           -- DEC-23: the signature names the proxy certificate presented on y, and that proxy is one S accepts (01-R16)
           and (isArch[PIBOUNDCC] implies {
             mutant[NoDEC23ProxyBind] or s.forProxy = y.ccert
             mutant[NoProxyAcceptance] or srvAcceptsProxy[y.ccert] }))}
}
-- what S concludes about a proxy on session y (R8): -01 3.2 SignedProxyInfo2 carries the
-- proxy's proxy_certificate_list and its signature over session #2; CONSENT: the server itself
-- chose to hand the keys to the proxy
fun srvProxyAuth[y: Sess]: set Agent {
  { a: P | ccMode and some y.ccert and y.ccert.subj = nP and y.ccert.issuer in kWebCA + kProxyCA }
  + ((isArch[CONSENT] and not mutant[NoServerConsent]) => P else none)
}
