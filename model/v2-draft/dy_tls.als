module dy_tls
-- Model v2: TLS 1.2 (ECDHE, full handshake) legs in time, the proxy_info extension, the
-- TLS-terminating proxy, and the client's checks (DEC-8 order). Every honest agent runs
-- Runs (a protocol thread: one side of one handshake). At every step each Run takes at most
-- one event; everything it sends goes to the attacker (dy_attacker.als), everything it
-- receives is a term the attacker knows. Events, in order, per side:
--   Init (TLS client: C, or a proxy's session #2):
--     chello  ClientHello: client_random and the proxy_info offer (separate components)
--     recv    ServerHello, Certificate, ServerKeyExchange, proxy_info: the DEC-8 checks
--     kex     ClientKeyExchange + Finished (key material: only after the checks, DEC-8)
--     commit  the server's Finished verifies: Commit; the client sends its application datum
--   Resp (TLS server: S, S2, or a proxy's session #1):
--     shello  ServerHello, Certificate, ServerKeyExchange (+ proxy_info from a proxy, made
--             only once its session #2 committed, DEC-14)
--     sfin    the client's Finished verifies: Running; the server sends its Finished
--     rcv     an application datum arrives; a proxy relays it onto its session #2 (DEC-18)
open dy_config
open dy_terms
open dy_attacker

abstract sig Role {}
one sig Init, Resp extends Role {}

sig Run {
  ag: one Agent,
  role: one Role,
  mine: one Nonce,     -- client_random (Init) or server_random (Resp): fresh
  ex: one Nonce,       -- ECDHE exponent: fresh
  host: lone Name,     -- Init: the host meant (SNI)
  link: lone Run,      -- a proxy's Resp run: the session #2 it opened for it
  dat: lone Nonce,     -- C's Init run: the application datum it sends: fresh
  var pr: lone Nonce,      -- the peer's random as received
  var psh: lone Share,     -- the peer's DH share as received
  var pcert: lone Cert,    -- Init: the certificate received
  var psk: lone Sig,       -- Init: the ServerKeyExchange signature received
  var ppi: lone Term,      -- Init: the proxy_info assertion received (a Sig), or Nil
  var poff: lone Const,    -- Resp: the offer received
  var got: lone Nonce,     -- Resp: the application datum received
  var out: set Term        -- what the Run sends in this step
}

var sig Hello in Run {}        -- ClientHello / ServerHello sent
var sig Checked in Run {}      -- Init: ServerHello received and (unless mutated) checked
var sig Kex in Run {}          -- Init: ClientKeyExchange + Finished sent
var sig Commit in Run {}       -- Init: server Finished verified
var sig Running in Run {}      -- Resp: client Finished verified, server Finished sent

fact runs {
  all disj r, s: Run | no (r.mine + r.ex + r.dat) & (s.mine + s.ex + s.dat)
  all r: Run | #(r.mine + r.ex + r.dat) = #r.dat + 2
  no Run.(mine + ex + dat) & ANonce
  all r: Run | r.role = Init implies (r.ag in C + P + Q and one r.host and r.host = nS) else (r.ag in P + Q + S + S2 and no r.host)
  all r: Run | some r.dat iff (r.role = Init and r.ag = C)
  all r: Run | some r.link iff (r.role = Resp and r.ag in P + Q)
  all r: Run | some r.link implies (r.link.role = Init and r.link.ag = r.ag)
  all r: Run | (r.role = Init and r.ag in P + Q) implies one link.r
  not dPi implies no ag.(P + Q)
}

fun offer[r: Run]: Const { dPi => OfferPI else NoOffer }
fun K[r: Run]: set DHK { dh[r.ex, r.psh] }
-- the ServerKeyExchange signed input: client_random || server_random || ECDH params
fun skeBody[cr, sr: Nonce, sh: Share]: set Tup { tup[cr, sr, sh] }
-- the proxy_info fields (server_certificate_list, -01 server_random of session #2, next_proxy_info)
fun fields[r: Run]: set Tup {
  tup[r.link.pcert, (dArch[DPI00] => Nil else r.link.pr), (r.link.ppi in Sig => r.link.ppi else Nil)]
}
-- the signed input of proxy_info for session #1 (cr, sr): DEC-5a (PI-BOUND: label, then the
-- randoms, then the fields) or draft-literal (the fields alone)
fun piBody[cr, sr: Nonce, f: Term]: set Term {
  dArch[DPIBOUND] => tup[LabelPI, tup[cr, sr, Nil], f] else f
}
-- the fields inside an assertion body (either mode)
fun fieldsOf[m: Term]: set Term { (m in Tup and m.a = LabelPI) => m.c else m }

-- the checks of an Init run on what it received (the client's DEC-8 order; a proxy applies the
-- same rule to its upstream, DEC-15)
pred skeOK[r: Run] {
  dMut[MSkeVerify] or (r.psk.skey = r.pcert.ckey and r.psk.body = skeBody[r.mine, r.pr, r.psh])   -- RFC 5246 7.4.3
}
pred hopOK[r: Run, pi: Sig, ce: Cert] {
  proxyAcceptable[ce]                                                     -- DEC-8(1), DEC-9
  dMut[MDec8Sig] or pi.skey = ce.ckey                                     -- DEC-8(2)
}
pred initOK[r: Run] {
  skeOK[r]
  (r.ppi = Nil or not dPi) implies (dMut[MCertCheck] or (r.ag != C and dMut[MDec15]) or webValid[r.pcert, r.host])  -- DEC-13 / DEC-15
  (dPi and r.ppi in Sig) implies ((r.ag != C and dMut[MDec15]) or {
    hopOK[r, r.ppi, r.pcert]
    (dArch[DPIBOUND] and not dMut[MDec5Bind]) implies r.ppi.body = tup[LabelPI, tup[r.mine, r.pr, Nil], fieldsOf[r.ppi.body]]  -- DEC-5, DEC-5a
    let f = fieldsOf[r.ppi.body] {
      f in Tup
      f.c = Nil implies (dMut[MDec10] or webValid[f.a, r.host])           -- DEC-8(3), DEC-10
      f.c != Nil implies {                                               -- DEC-8(5): the nested hop
        f.c in Sig
        dMut[MDec4] or fieldsOf[f.c.body].c = Nil                         -- DEC-4: depth limit (2 hops in this bound)
        dHard implies {
          dMut[MDec12] or (f.c.skey = f.a.ckey and proxyAcceptable[f.a])  -- DEC-12 (DEVIATION)
          dMut[MDec10] or webValid[fieldsOf[f.c.body].a, r.host]
        } else (webValid[f.a, r.host] and webValid[fieldsOf[f.c.body].a, r.host])  -- literal: steps 3-5 again
      }
    }
  })
}

pred keepState[r: Run] {
  r in Hello iff r in Hello'
  r in Checked iff r in Checked'
  r in Kex iff r in Kex'
  r in Commit iff r in Commit'
  r in Running iff r in Running'
}
pred keepRecv[r: Run] { r.pr' = r.pr and r.psh' = r.psh and r.pcert' = r.pcert and r.psk' = r.psk and r.ppi' = r.ppi and r.poff' = r.poff }
pred idle[r: Run] { keepState[r] and keepRecv[r] and r.got' = r.got and no r.out }

pred chello[r: Run] {
  r.role = Init and r not in Hello
  Hello' = Hello + r
  r.out = r.mine + offer[r]
  r in Checked iff r in Checked'
  r in Kex iff r in Kex'
  r in Commit iff r in Commit'
  r in Running iff r in Running'
  keepRecv[r] and r.got' = r.got
}
pred recv[r: Run] {
  r.role = Init and r in Hello - Checked
  some sr: Known & Nonce, sh: Known & Share, ce: Known & Cert, sk: Known & Sig, pi: Known & (Sig + Nil) {
    r.pr' = sr and r.psh' = sh and r.pcert' = ce and r.psk' = sk and r.ppi' = (dPi => pi else Nil)
  }
  r.poff' = r.poff and r.got' = r.got
  dMut[MDec8Order] or after initOK[r]
  Checked' = Checked + r
  r in Hello iff r in Hello'
  r in Kex iff r in Kex'
  r in Commit iff r in Commit'
  r in Running iff r in Running'
  no r.out
}
pred kex[r: Run] {
  r.role = Init and r in Checked - Kex
  some K[r] and some enc[K[r], tup[r.mine, r.pr, offer[r]]] and some shareOf[r.ex]
  r.out = shareOf[r.ex] + enc[K[r], tup[r.mine, r.pr, offer[r]]]
  Kex' = Kex + r
  r in Hello iff r in Hello'
  r in Checked iff r in Checked'
  r in Commit iff r in Commit'
  r in Running iff r in Running'
  keepRecv[r] and r.got' = r.got
}
pred commit[r: Run] {
  r.role = Init and r in Kex - Commit
  initOK[r]                                                    -- checked again if the order was mutated
  dMut[MFinished] or some enc[K[r], tup[r.pr, r.mine, offer[r]]] & Known   -- RFC 5246 7.4.9
  Commit' = Commit + r
  r.out = (some r.dat => enc[K[r], r.dat] else none)
  some r.dat implies some enc[K[r], r.dat]
  r in Hello iff r in Hello'
  r in Checked iff r in Checked'
  r in Kex iff r in Kex'
  r in Running iff r in Running'
  keepRecv[r] and r.got' = r.got
}
pred shello[r: Run] {
  r.role = Resp and r not in Hello
  some r.link implies (r.link in Commit or (dMut[MDec14] and r.link in Checked))   -- DEC-14
  some cr: Known & Nonce, off: Known & (OfferPI + NoOffer) {
    r.pr' = cr and r.poff' = off
    let sh = shareOf[r.ex], ske = sgn[keyOf[r.ag], skeBody[cr, r.mine, sh]],
        pi = (some r.link and dPi and off = OfferPI) => sgn[keyOf[r.ag], piBody[cr, r.mine, fields[r]]] else none {
      one sh and one ske and one certOf[r.ag]
      (some r.link and dPi and off = OfferPI) implies (one fields[r] and one piBody[cr, r.mine, fields[r]] and one pi)
      -- a proxy_info client that offers nothing gets no answer from a PI proxy (DEC-17 refuse)
      (some r.link and dPi) implies off = OfferPI
      r.out = r.mine + sh + ske + certOf[r.ag] + pi
    }
  }
  Hello' = Hello + r
  r.psh' = r.psh and r.pcert' = r.pcert and r.psk' = r.psk and r.ppi' = r.ppi and r.got' = r.got
  r in Checked iff r in Checked'
  r in Kex iff r in Kex'
  r in Commit iff r in Commit'
  r in Running iff r in Running'
}
pred sfin[r: Run] {
  r.role = Resp and r in Hello - Running
  some sh: Known & Share {
    r.psh' = sh
    some dh[r.ex, sh]
    dMut[MFinished] or some enc[dh[r.ex, sh], tup[r.pr, r.mine, r.poff]] & Known   -- RFC 5246 7.4.9
    one enc[dh[r.ex, sh], tup[r.mine, r.pr, r.poff]]
    r.out = enc[dh[r.ex, sh], tup[r.mine, r.pr, r.poff]]
  }
  Running' = Running + r
  r.pr' = r.pr and r.pcert' = r.pcert and r.psk' = r.psk and r.ppi' = r.ppi and r.poff' = r.poff and r.got' = r.got
  r in Hello iff r in Hello'
  r in Checked iff r in Checked'
  r in Kex iff r in Kex'
  r in Commit iff r in Commit'
}
pred rcv[r: Run] {
  r.role = Resp and r in Running and no r.got
  some d: Nonce | some enc[K[r], d] & Known and r.got' = d and
    (some r.link implies (r.link in Commit and one enc[K[r.link], d] and r.out = enc[K[r.link], d]) else no r.out)
  keepState[r] and keepRecv[r]
}

fact trace {
  no Hello and no Checked and no Kex and no Commit and no Running
  no pr and no psh and no pcert and no psk and no ppi and no poff and no got
  always all r: Run | idle[r] or chello[r] or recv[r] or kex[r] or commit[r] or shello[r] or sfin[r] or rcv[r]
  always Sent' = Sent + Run.out
}
