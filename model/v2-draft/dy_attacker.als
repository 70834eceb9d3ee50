module dy_attacker
-- Model v2: the Dolev-Yao attacker in time. The attacker is the network: every term an honest
-- agent sends is added to its knowledge, and an honest agent receives any term the attacker
-- knows at that step (so it may block, delay, reorder, replay at a later step and splice
-- components of different handshakes, and strip or alter the client's proxy_info offer, which
-- travels as its own component). Its knowledge is monotone and grows, at each step, by one
-- layer of derivation from what it knew (well-founded in time, so it is exactly the least
-- closure reachable in the number of steps; never more):
--   analysis:  project a tuple; read a signature's body; decrypt with a DH secret it knows
--   synthesis: pair; sign with a long-term key it holds; encrypt under a DH secret it knows;
--              make g^x and g^(xy) from an exponent it knows and a share it knows
-- Long-term keys are corrupted at a step by the Corrupt threat setting (forward secrecy is
-- then a checked property: dy_properties.als).
open dy_config
open dy_terms

var sig Known in Term {}     -- attacker knowledge
var sig Sent in Term {}      -- every term an honest agent has sent so far (public)
var sig Corrupted in LKey {} -- long-term keys corrupted so far

sig ANonce in Nonce {}       -- fresh values the attacker made up

fun derive[K: set Term]: set Term {
    K.a + K.b + K.c                                       -- project
  + K.body                                                -- a signature does not hide its body
  + (ekey.(K & DHK) & K).msg                              -- decrypt with a known DH secret
  + { t: Tup | t.a + t.b + t.c in K }                     -- pair
  + { s: Sig | s.skey + s.body in K }                     -- sign with a held key
  + { s: Enc | s.ekey + s.msg in K }                      -- encrypt
  + { s: Share | s.e in K }                               -- g^x
  + { k: DHK | some x: k.es & K | (k.es = x and some shareOf[x] & K) or some shareOf[k.es - x] & K }  -- g^(xy)
  + { x: Cert | x.issuer in K }                           -- issue under a key it holds
}

fact attackerInit {
  -- initially: its own key and nonces, the constants, every certificate (public), the
  -- proxy's key if it leaked
  Known = ANonce + kA + Const + Cert + (dOn[ProxyKeyLeak] => kP else none)
  no Sent
  no Corrupted
  always {
    Sent in Sent'
    Corrupted in Corrupted'
    Corrupted' - Corrupted in (dOn[Corrupt] => kS + kP + kQ else none)
    Known' = Known + derive[Known] + (Sent' - Sent) + Corrupted'
  }
}
