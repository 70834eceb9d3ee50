module tls
-- A TLS 1.2 leg (one full handshake plus application data), abstracted as a channel whose
-- guarantees follow from what each endpoint validated:
--  * the server side of a completed session holds the private key of the certificate it
--    presented (ECDHE ServerKeyExchange is signed with it and the Finished messages cover
--    the transcript: RFC 5246 7.4.3, 7.4.9);
--  * a client certificate counts only if the client side holds its key (CertificateVerify,
--    RFC 5246 7.4.8);
--  * the session keys are known exactly to the two endpoints (ECDHE: no passive decryption,
--    even by an attacker who later learns a long-term key), plus, in CONSENT, to the proxy
--    both endpoints hand them to;
--  * the session atom stands for its fresh client_random/server_random pair: two sessions
--    never share randoms.
-- Only the client-to-server direction of application data is modelled: every claim about
-- plaintext is about what the client sends and what the server receives.
open config
open principals

abstract sig Leg {}
one sig L1, L2 extends Leg {}   -- L1: client side (client-proxy, or the only leg), L2: proxy-server
sig L3 extends Leg {}           -- two-hop runs only (scope 0 in the table): P2-server; L2 is then P-P2
fact thirdLeg { lone L3 }

abstract sig Ver {}
one sig TLS12, OLDVER extends Ver {}
abstract sig Suite {}
one sig AEAD, WEAKSUITE extends Suite {}

abstract sig Data {}
sig CData extends Data { origin: one Sess }   -- the client's application data, sent on its session origin
sig AData extends Data {}                     -- data made up by the attacker or by a lying proxy

sig Sess {
  cl: one Agent,        -- TLS client side
  sv: one Agent,        -- TLS server side (who really completed the handshake)
  leg: one Leg,
  sni: one Name,        -- the host the client side meant
  cert: one Cert,       -- server certificate presented
  ver: one Ver,
  suite: one Suite,
  ccert: lone Cert,     -- client certificate (or, in -01 3.2 mode, the proxy's proxy_certificate_list)
  link: lone Sess,      -- proxy only: the session #2 it opened for this session #1 (DEC-14)
  feeds: set Sess,      -- data received here may be sent on those sessions (relays)
  c2s: set Data,        -- application data the client side sends
  inj: set Data,        -- CONSENT only: records injected by a third holder of the session keys
  resumes: lone Sess    -- DEC-22: an abbreviated handshake (RFC 5246 7.4.1.2, 7.3) resuming this earlier full handshake (resumption.als)
}
sig Accepted in Sess {}   -- the client side accepted the handshake (Commit)
sig CertReq in Sess {}    -- the server side sent CertificateRequest
sig FeatOn in Sess {}     -- an optional extension the client offers (e.g. extended_master_secret) is in effect

pred strong[x: Sess] { x.ver = TLS12 and x.suite = AEAD }

-- who holds the session keys of each session
fun consented: set Agent { (isArch[CONSENT]) => P else none }
fun kh: Sess -> Agent {
  cl + sv + ((isArch[CONSENT]) => ((cl.C & sv.S) -> (P + (on[ProxyCompromised] => A else none))) else none -> none)
}
fun rcvd[y: Sess]: set Data { y.c2s + y.inj }
-- all agents that can read a datum: holders of the keys of every session that carries it
fun readers[d: Data]: set Agent { ((c2s + inj).d).kh }

fact tlsLeg {
  all x: Sess | x.cl != x.sv
  all x: Sess | x.cert.key in x.sv.holds                        -- RFC 5246 7.4.3: SKE signed by the cert's key
  all x: Sess | (some x.ccert and not mutant[NoCertVerify]) implies x.ccert.key in x.cl.holds   -- RFC 5246 7.4.8
  all x: Sess | some x.ccert implies x in CertReq
  -- roles: only C, the proxies and A open sessions; only the proxies, the servers and A answer them
  Sess.cl in C + HonestProxy + A
  Sess.sv in HonestProxy + HonestServer + A
  all x: Sess | x.cl = C implies (x.leg = L1 and x.sni = nS)
  all x: Sess | x.cl = P implies x.leg = L2
  all x: Sess | x.sv = P implies x.leg = L1
  -- the second proxy (two-hop runs): its session #1 is P's session #2 leg, its session #2 is L3
  all p2: P2, x: Sess | (x.cl = p2 implies x.leg = L3) and (x.sv = p2 implies x.leg = L2)
  -- the attacker, as a client, goes on with whatever it gets
  cl.A in Accepted
  -- the honest server presents its own certificate
  all x: sv.S | x.cert.subj = nS and x.cert.key = kS and x.cert.issuer = kWebCA
  all x: sv.S2 | x.cert.subj = nS2 and x.cert.key = kS2 and x.cert.issuer = kWebCA
  -- no proxy sessions where there is no TLS-terminating proxy
  not proxied implies no (cl + sv).HonestProxy
  -- the second proxy is a proxy_info proxy (two-hop runs are PI-BOUND)
  some (cl + sv).P2 implies boundArch
  -- the honest client C never accepts weak parameters on its own session (client policy)
  all x: Accepted & cl.C | strong[x]
  -- transcript integrity (Finished, RFC 5246 7.4.9): between the honest client and the honest
  -- server, the optional extension C offers and S supports is in effect
  all x: cl.C & sv.S | not mutant[NoFinished] implies x in FeatOn
}

fact clientData {
  -- the honest client sends one datum on each session it accepted, and nothing elsewhere
  all d: CData | d.origin in Accepted & cl.C
  all x: Accepted & cl.C | one origin.x
  all x: cl.C | x.c2s = origin.x
  -- server S sends nothing that the claims need; S never relays
  no sv.HonestServer.feeds
  -- the client presents its certificate only on a handshake it goes on with (it validates the
  -- server first, RFC 5246 7.4.6), or on one its server side then refused (refusal.als, clientFlight)
  -- the client presents its certificate (nC, web CA) whenever asked (RFC 5246 7.4.6)
  all x: cl.C & Accepted | x in CertReq implies (x.ccert.subj = nC and x.ccert.issuer = kWebCA)
}

-- ordinary TLS client acceptance (DEC-13, RFC 5246 7.4.2, RFC 2818 3.1): the session-#1
-- certificate must validate as the intended server, and the client's policy must be met
pred plainOK[x: Sess] {
  strong[x]
  on[CarelessClient] or mutant[NoServerCertCheck] or webValid[x.cert, nS]
}
