module dy_properties
-- Model v2: properties in time, claim by claim (claims.md "Precision"). Commit = an Init run of
-- the client C reaching Commit; Running = a Resp run reaching Running. Every property is a
-- temporal formula over the whole trace (always / once / historically).
open dy_config
open dy_terms
open dy_attacker
open dy_tls

fun cruns: set Run { ag.C & role.Init }
fun sruns: set Run { ag.S & role.Resp }
-- what the client committed to about the origin: the last hop's fields of the assertion it
-- accepted (proxied), or nothing (direct)
fun lastFields[r: Run]: set Term {
  let f = fieldsOf[r.ppi.body] | (f.c in Sig) => fieldsOf[f.c.body] else f
}
-- the agent whose certificate the client accepted on session #1
fun peerAgent[r: Run]: set Agent { owner[r.pcert.subj] }

-- C1 strict: injective agreement with time (Lowe, Tamarin's Running/Commit): when the client
-- commits to a session with a certificate for the host it meant (no proxy announced), the
-- real server S ran, before, a session with the same randoms and DH shares, and no other
-- committed client session agrees with that server session.
pred C1s_strict {
  always all r: cruns & Commit | (r.ppi = Nil or not dPi) implies
    some s: sruns & Running | s.pr = r.mine and r.pr = s.mine and r.psh = shareOf[s.ex] and s.psh = shareOf[r.ex]
      and s.poff = offer[r] and no r2: cruns & Commit - r | r2.pr = s.mine
}
pred pre_C1s { eventually some cruns & Commit & ppi.Nil }

-- C1 relayed (proxied only): when the client commits to "S through proxy X with upstream
-- server_random u", S ran before a session whose server_random is u (PI-00: some session) with
-- a proxy the client accepts as its peer, presenting the certificate the client was shown.
pred C1r_relayed {
  always all r: cruns & Commit | r.ppi in Sig implies
    some s: sruns & Running | certOf[S] = lastFields[r].a and
      (dArch[DPI00] or s.mine = lastFields[r].b) and
      (some p: role.Init & ag.(P + Q) | p.mine = s.pr and p.ag in peerAgent[r] + owner[fieldsOf[r.ppi.body].a.subj])
}
pred pre_C1r { eventually some cruns & Commit & ppi.Sig }

-- C3 secrecy of the client's data from the attacker; with key corruption, forward secrecy:
-- a datum becomes known only if a long-term key was corrupted before its session committed.
pred C3_secrecy {
  always all r: cruns | r.dat in Known implies once (r not in Commit and some Corrupted)
}
pred pre_C3 { eventually some (cruns & Commit).dat & sruns.got }

-- G2: whoever terminates the client's accepted session is the origin, or a proxy it announced
-- and the client accepts (no attacker, no unannounced party)
pred G2_authorized {
  always all r: cruns & Commit | (peerAgent[r] = S) or (r.ppi in Sig and peerAgent[r] in P + Q)
}
pred pre_G2 { pre_C1s or pre_C1r }

-- DEC-8 order, temporal: no Init run sends key material before its checks passed
pred DEC8_order { always all r: role.Init & Kex | initOK[r] }
pred pre_DEC8 { eventually some cruns & Kex }

-- DEC-5a: no signature the client accepts as ServerKeyExchange is a proxy's assertion, and no
-- assertion it accepts is a ServerKeyExchange (the two signed inputs are not confusable)
pred DEC5a_noConfusion {
  always all r: cruns & Checked | no (r.psk.body & Sig.body & fieldsOf[Sig.body])
     and (r.ppi in Sig implies r.ppi.body not in skeBody[Nonce, Nonce, Share])
}
pred pre_DEC5a { eventually some cruns & Checked & ppi.Sig }

-- sanity of a two-hop chain: the client commits through P and Q to S
pred twoHop { eventually some r: cruns & Commit | r.ppi in Sig and fieldsOf[r.ppi.body].c in Sig }
