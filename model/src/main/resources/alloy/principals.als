module principals
-- Principals, keys and the PKI. Four agents suffice for every claim of the verdict table: one
-- honest client C, one proxy P, one honest origin server S (the host C means, name nS), and the
-- attacker A. Issue #11 item 5 adds a second honest proxy P2 (identity nP2, key kP2, under its own
-- proxy trust anchor kProxyCA2) and a second honest server S2 (host nS2, key kS2, web CA): plain
-- sigs of scope 0 in the verdict table (Bound.scope), exactly 1 in the two-hop runs (TwoHop.java),
-- so the table's SAT problems do not grow: every fact that names them is guarded by a quantifier
-- over them (all p2: P2 | ..., all p: HonestProxy | ...), which Kodkod does not even translate at scope 0.
-- Keys are long-term signing keys; a certificate binds a name to a key and is signed by
-- an issuer key. Only the holder of an issuer key can issue under it (unforgeable
-- signatures, the Dolev-Yao assumption on cryptography).
open config

abstract sig Agent { holds: set Key }
one sig C, P, S, A extends Agent {}
sig P2, S2 extends Agent {}

abstract sig Name {}
one sig nS, nP, nA, nC extends Name {}   -- origin host, proxy identity, attacker's own domain, client identity
sig nP2, nS2 extends Name {}             -- the second proxy's identity, the second server's host

abstract sig Key {}
one sig kS, kP, kA, kC, kWebCA, kProxyCA extends Key {}
sig kP2, kS2, kProxyCA2 extends Key {}   -- P2's key, S2's key, P2's proxy trust anchor (DEC-9)

fact secondHop { lone P2 and lone S2 and lone nP2 and lone nS2 and lone kP2 and lone kS2 and lone kProxyCA2 }

fun leafKey: Name -> Key { nS -> kS + nP -> kP + nA -> kA + nC -> kC + nP2 -> kP2 + nS2 -> kS2 }
fun owner: Name -> Agent { nS -> S + nP -> P + nA -> A + nC -> C + nP2 -> P2 + nS2 -> S2 }
-- the honest TLS-terminating proxies (P2 only in the two-hop runs) and the honest servers
fun HonestProxy: set Agent { P + P2 }
fun HonestServer: set Agent { S + S2 }
-- the proxy trust anchors (DEC-9) any party is configured with: P's and P2's (the keys that are anchors at all)
fun proxyAnchors: set Key { kProxyCA + kProxyCA2 }
-- per-party proxy trust stores (issue #11 finding 5): the client's (DEC-9, and by DEC-12 for every hop of a chain)
-- and P's (DEC-15, for its upstream proxy). Both hold P's and P2's anchors, except in the two-hop settings whose
-- configuration leaves P2's anchor out of one of them (config.als Hop2UntrustedByClient, Hop2UntrustedByProxy).
-- P2 is configured with both anchors (its upstream in these runs is the origin or the attacker).
fun clientProxyAnchors: set Key { proxyAnchors - (some Hop2UntrustedByClient => kProxyCA2 else none) }
fun pProxyAnchors: set Key { proxyAnchors - (some Hop2UntrustedByProxy => kProxyCA2 else none) }
fun proxyAnchorsOf[p: Agent]: set Key { p = P => pProxyAnchors else proxyAnchors }

sig Cert { subj: one Name, key: one Key, issuer: one Key }

fact longTermKeys {
  C.holds = kC
  S.holds = kS
  P2.holds = kP2
  S2.holds = kS2
  -- MINT: the proxy holds the CA key it mints leafs with (DEC-17 mint)
  P.holds = kP + (isArch[MINT] => kProxyCA else none)
  -- the attacker always holds its own key (and a web certificate for its own domain nA, as any
  -- site owner can get); threat settings add the proxy's keys or the leaked proxy CA key
  A.holds = kA + (on[ProxyCompromised] => P.holds else none) + (on[CALeaked] => kProxyCA else none)
}

fact certificates {
  all disj c, d: Cert | not (c.subj = d.subj and c.key = d.key and c.issuer = d.issuer)
  all c: Cert | c.key not in kWebCA + proxyAnchors
  -- the web CA is honest: it certifies a name only for the name's owner (domain validation)
  all c: Cert | c.issuer = kWebCA implies c.key = leafKey[c.subj]
  -- the proxy CA: used honestly for the proxy's key only (MINT: leafs for any host; PI-BOUND:
  -- the proxy's identity nP), or by the attacker once it holds the CA key
  all c: Cert | c.issuer = kProxyCA implies
    ((c.key = kP and (isArch[MINT] or c.subj = nP)) or (kProxyCA in A.holds and c.key in A.holds))
  -- P2's own proxy trust anchor issues P2's identity only (the attacker never holds it)
  all k2: kProxyCA2, c: Cert | c.issuer = k2 implies (c.key = kP2 and c.subj = nP2)
  -- any other issuer: a certificate the attacker made (self-signed or forged), trusted by nobody
  all c: Cert | c.issuer not in kWebCA + proxyAnchors implies c.issuer in A.holds
}

-- the client's web trust store: the web CA, plus the proxy CA in MINT (installed root)
fun webStore: set Key { kWebCA + (isArch[MINT] => kProxyCA else none) }
-- DEC-10 / RFC 2818 3.1 / RFC 6125: path validation to the client's store and name match
pred webValid[c: Cert, n: Name] { c.issuer in webStore and c.subj = n }
-- the proxy's own web trust store (DEC-15): the web CA only
pred proxyWebValid[c: Cert, n: Name] { c.issuer = kWebCA and c.subj = n }

-- DEC-8(1)/DEC-9: is the session-#1 certificate an acceptable proxy to a party with these proxy trust anchors?
-- PI-BOUND: only a certificate under one of the party's configured proxy trust anchors (the client's
-- clientProxyAnchors, DEC-9 and DEC-12; a proxy's proxyAnchorsOf, DEC-15: P's, and in the two-hop runs P2's own
-- anchor kProxyCA2, unless the setting leaves it out of one party's store).
-- PI-00 / PI-01 (literal): the drafts only say the proxy is authenticated "through the normal
-- session #1 handshake", so any web-PKI-valid certificate is accepted (no name can match).
-- The mutant NoDEC9 adds the literal reading to the anchor (it relaxes, as every mutant must for the
-- generated sweep's all-mutants-at-once shortcut; replacing the anchor would reject the honest proxy).
pred proxyAcceptable[c: Cert, anchors: set Key] {
  boundArch => (c.issuer in anchors or (mutant[NoDEC9] and c.issuer in webStore)) else c.issuer in webStore
}
