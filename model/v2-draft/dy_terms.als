module dy_terms
-- Model v2: messages are terms (Dolev-Yao). A term is an atom (a fresh value, a long-term key,
-- a constant, a certificate) or built by a constructor: a 3-tuple (concatenation of fields),
-- a signature, a symmetric encryption, a Diffie-Hellman share g^e, or a Diffie-Hellman secret
-- g^(e1 e2) (abstract DH: commutative by construction, a set of two exponents). Two terms
-- with the same constructor and arguments are the same atom (free algebra), and no term
-- contains itself. Plaintext handshake messages are sent as their components: the attacker
-- can split and recombine them anyway, so this loses nothing and makes splicing free.
open dy_config

abstract sig Agent {}
one sig C, P, Q, S, S2, A extends Agent {}   -- client, proxy 1, proxy 2, origin, second origin, attacker
abstract sig Name {}
one sig nS, nS2, nP, nQ, nA extends Name {}
fun owner: Name -> Agent { nS -> S + nS2 -> S2 + nP -> P + nQ -> Q + nA -> A }

abstract sig Term {}
sig Nonce extends Term {}                          -- randoms, DH exponents, application data
abstract sig LKey extends Term {}                  -- a long-term private signing key (its public half is public)
one sig kS, kS2, kP, kQ, kA, kWeb, kPCA, kQCA extends LKey {}
abstract sig Const extends Term {}
one sig Nil, OfferPI, NoOffer, LabelPI extends Const {}   -- LabelPI: DEC-5a context string
sig Cert extends Term { subj: one Name, ckey: one LKey, issuer: one LKey }
sig Tup extends Term { a, b, c: one Term }         -- concatenation of three fields
sig Sig extends Term { skey: one LKey, body: one Term }
sig Share extends Term { e: one Nonce }            -- g^e
sig DHK extends Term { es: some Nonce }            -- g^(e1 e2): shared secret, the session key
sig Enc extends Term { ekey: one DHK, msg: one Term }

fun keyOf: Agent -> LKey { S -> kS + S2 -> kS2 + P -> kP + Q -> kQ + A -> kA }

fact freeAlgebra {
  all disj x, y: Tup | not (x.a = y.a and x.b = y.b and x.c = y.c)
  all disj x, y: Sig | not (x.skey = y.skey and x.body = y.body)
  all disj x, y: Share | x.e != y.e
  all disj x, y: DHK | x.es != y.es
  all x: DHK | #x.es =< 2
  all disj x, y: Enc | not (x.ekey = y.ekey and x.msg = y.msg)
  all disj x, y: Cert | not (x.subj = y.subj and x.ckey = y.ckey and x.issuer = y.issuer)
  no t: Term | t in t.^sub
}
fun sub: Term -> Term { a + b + c + body + e + es + ekey + msg }

-- the DH secret of exponent x and the share sh (one term, whoever computes it)
fun dh[x: Nonce, sh: Share]: set DHK { { k: DHK | k.es = x + sh.e } }
fun tup[x, y, z: Term]: set Tup { { t: Tup | t.a = x and t.b = y and t.c = z } }
fun sgn[k: LKey, m: Term]: set Sig { { s: Sig | s.skey = k and s.body = m } }
fun enc[k: DHK, m: Term]: set Enc { { s: Enc | s.ekey = k and s.msg = m } }
fun shareOf[x: Nonce]: set Share { e.x }

-- PKI. The web CA certifies a name for its owner's key (unless misissuance is the threat); each
-- proxy has its own proxy trust anchor (kPCA for P, kQCA for Q); certificates under other
-- issuers are made by whoever holds the issuer key (the attacker: kA).
fact pki {
  all x: Cert | x.ckey not in kWeb + kPCA + kQCA
  all x: Cert | x.issuer = kWeb implies (x.ckey = keyOf[owner[x.subj]] or (dOn[Misissue] and x.subj = nS and x.ckey = kA))
  all x: Cert | x.issuer = kPCA implies (x.subj = nP and x.ckey = kP)
  all x: Cert | x.issuer = kQCA implies (x.subj = nQ and x.ckey = kQ)
}
-- the certificate each honest server-side agent presents (PI-00/-01: proxies show web certificates)
fun certOf[g: Agent]: set Cert {
  { x: Cert | x.subj = owner.g and x.ckey = keyOf[g] and
      x.issuer = ((g = P and dHard) => kPCA else (g = Q and dHard) => kQCA else kWeb) }
}
-- trust stores: the client's web store, the client's proxy trust anchors (DEC-9: P's and Q's),
-- a proxy's web store (DEC-15)
pred webValid[x: Cert, n: Name] { x.issuer = kWeb and x.subj = n }
pred proxyAcceptable[x: Cert] {
  (dHard and not dMut[MDec9]) => x.issuer in kPCA + kQCA else x.issuer = kWeb
}
