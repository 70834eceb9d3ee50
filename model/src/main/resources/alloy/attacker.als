module attacker
-- The attacker A: Dolev-Yao on the legs it is on (intercept: it may terminate a session the
-- client or the proxy opens, with any certificate whose key it holds; replay: assertions and
-- client signatures travel in clear and can be re-sent; drop: any session may be absent;
-- compose: it sends any data it knows on its own sessions; sign: with every key it holds),
-- plus the corruptions of the threat settings (config.als).
-- Its knowledge is the least set closed under the derivation rules: everything it made up
-- (AData), and everything sent on a session whose keys it holds. Well-foundedness: data A
-- sends on a session must come from sessions that feed it, and feeds is acyclic, so no datum
-- can justify itself.
open config
open principals
open tls

-- is the attacker on leg l (can it intercept connections there)?
-- (two-hop runs: NetLeg2 puts it on both upstream legs, P-P2 and P2-server)
pred aOn[l: Leg] { (l = L1 and on[NetLeg1]) or (l in L2 + L3 and on[NetLeg2]) }

fun aKnows: set Data { AData + (kh.A).(c2s + inj) }

fact network {
  -- the client's connection goes to its next hop: the proxy in proxied architectures, the
  -- server otherwise (in CONSENT it physically crosses both legs), unless A intercepts it
  -- (two-hop runs: where A is on the leg it may also redirect the connection, unterminated, to the
  -- second honest server S2, which answers with its own web certificate for nS2)
  all x: cl.C | x.sv in (proxied => P else S) +
      ((aOn[L1] or (not proxied and aOn[L2])) => A + S2 else none)
  -- the proxy's upstream connection goes to the host the client meant (two-hop runs: P's configured
  -- upstream is the second proxy P2, whose upstream is the host meant), unless A intercepts
  all y: cl.P | y.sv in (some P2 => P2 else owner[y.sni]) + (aOn[L2] => A + S2 else none)
  all y: cl.P2 | y.sv in owner[y.sni] + (aOn[L3] => A + S2 else none)
  -- the attacker connects to whom it likes (it is a normal network client too)
  all z: cl.A | z.sv in P + P2 + HonestServer and (z.sv = P implies z.leg = L1) and (all p2: P2 | z.sv = p2 implies z.leg = L2)
     and (z.sv in HonestServer implies (z.leg in L2 + L3 or not proxied))
  all z: sv.A | z.cl in C + HonestProxy
}

fact dataFlow {
  no ^feeds & iden
  -- feeds: the proxy relays session #1 onto its session #2; the attacker relays what it reads
  all x: Sess, y: x.feeds | y = x.link or (y.cl = A and A in x.kh)
  all x: Sess | some x.link implies x.link in x.feeds
  -- what A sends on its own sessions: made up, or read on a session that feeds this one
  all z: cl.A | z.c2s in AData + (feeds.z).(c2s + inj)
  -- A's own sessions carry nothing the client did not send (no attacker-made CData)
  -- third-party injection only where a third party holds the keys (CONSENT) and is dishonest
  all x: Sess | some x.inj implies
     (isArch[CONSENT] and x.cl = C and x.sv = S and (on[ProxyLies] or on[ProxyCompromised]))
  Sess.inj in AData
}
