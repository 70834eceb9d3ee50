module properties
-- One named property per claim of claims.md (C1-C3, R1-R11, G1-G4, A1). Polarity (claims.md):
-- for C and G claims the property is the claim; for R claims it is the guarantee the claim
-- says is lost, so VIOLATED confirms the R claim. G4 is stated existentially ("a proxy can
-- lie and be believed"); it is decided by checking its negation NoAcceptedLie (a counterexample
-- is the witness). Authentication is stated as Running/Commit agreement (Lowe):
-- Commit = a client session the client accepted (Accepted & cl.C); Running = the server S
-- completing a session; "the sessions carrying the client's traffic" = x.*feeds.
open config
open principals
open tls
open attacker
open proxyinfo
open proxy
open arch_direct
open arch_mint
open arch_pi00
open arch_pi01
open arch_pibound
open arch_consent
open resumption

fun commits: set Sess { Accepted & cl.C }
fun path[x: Sess]: set Sess { x.*feeds }
fun srvLegs[x: Sess]: set Sess { x.*feeds & sv.S }
-- what the client believes about the server session: the last hop of the carried assertion if
-- any, else its own session
fun lastHop[x: Sess]: lone Assertion { (some x.pinfo.next) => x.pinfo.next else x.pinfo }
fun bCert[x: Sess]: Cert { (some x.pinfo) => lastHop[x].srvCert else x.cert }
fun bVer[x: Sess]: Ver { (some x.pinfo) => lastHop[x].aver else x.ver }
fun bSuite[x: Sess]: Suite { (some x.pinfo) => lastHop[x].asuite else x.suite }
-- a proxy is on the server's session y (TLS-terminating, or holding the keys in CONSENT)
pred proxiedAt[y: Sess] { y.cl != C or isArch[CONSENT] }

-- C1 strict (claims.md "Precision"): the client and the server it meant agree on one session:
-- the session the client committed to is the real server's own (same randoms, parameters and
-- server key; the session atom stands for its randoms). Any TLS-terminating party in between,
-- proxy or attacker, violates it, announced or not.
pred C1S_Strict { all x: commits | x.sv = S and x.cert.key = kS }
pred pre_C1S { some commits }

-- C1 relayed (RFC 5246 7.4.2, RFC 2818 3.1; claims.md "Precision"): the client strongly
-- authenticates the server, through the proxy it accepted. Injective agreement (Lowe): for every client Commit there is a unique Running of the real
-- server S on a session that carries this client's traffic, agreeing on server identity
-- (certificate), version, cipher suite and session randoms (the session itself; in PI-01 and
-- PI-BOUND the session-#2 server_random the client committed to).
pred C1_ServerAgreement {
  all x: commits | some y: srvLegs[x] {
    y.cert = bCert[x] and y.ver = bVer[x] and y.suite = bSuite[x]
    (no x.pinfo) implies y = x
    (some lastHop[x].up) implies y = lastHop[x].up
    no x2: commits - x | y in srvLegs[x2]
  }
}
pred pre_C1 { some x: commits | some srvLegs[x] }

-- C2 / R7: the server can authenticate the client (client certificates). Both directions:
-- (a) agreement from the server's side: S authenticates C only on a session carrying C's traffic;
-- (b) availability: when S asks for a certificate on a session carrying C's traffic, it gets C.
pred C2_ClientAuth {
  all y: sv.S | nC in srvClientAuth[y] implies some x: commits | y in srvLegs[x]
  all x: commits, y: srvLegs[x] & CertReq | nC in srvClientAuth[y]
}
pred pre_C2 { some x: commits | some srvLegs[x] & CertReq }

-- C3: an on-path box without trusted keys can only slow or drop: it learns none of the
-- client's data, the server gets only what the client sent, and no leg of an accepted path
-- ends at the attacker.
pred C3_NetworkBlind {
  no CData & aKnows
  all x: commits, y: srvLegs[x] | rcvd[y] in x.c2s
  all x: commits | A not in path[x].sv
}
pred pre_C3 { pre_C1 }

-- R1 (checked guarantee): server aliveness. Whenever the client accepts, the real server ran
-- a session carrying its traffic. VIOLATED confirms R1 where the weakest proxy decides it.
pred R1_ServerAliveness { all x: commits | some srvLegs[x] }
pred pre_R1 { pre_C1 }

-- R2 (guarantee): the client knows when someone other than the server terminates its TLS.
pred R2_ProxyAwareness { all x: commits | x.sv != S implies some x.pinfo }
-- the antecedent is forced: a committed session not terminated by S (no vacuous HOLDS)
pred pre_R2 { some x: commits | x.sv != S }

-- R3 (guarantee; claims.md "Precision"): no leg the client's traffic crosses is degraded
-- (version, suite) when that leg's endpoints are the intended ones. A leg that ends at the
-- attacker (a man in the middle) is C3's business, not R3's: such legs are excluded.
pred R3_NoDegradation { all x: commits, y: path[x] | (A not in y.cl + y.sv) implies strong[y] }
pred pre_R3 { some x: commits | some y: path[x] | A not in y.cl + y.sv }

-- R4 (guarantee): with a leaked proxy key nobody can impersonate the server to the client.
-- Same property as R1 (aliveness), decided under the key-leak settings.
pred R4_NoImpersonation { R1_ServerAliveness }
pred pre_R4 { pre_C1 }

-- R5 (guarantee): protocol features the client offers and the server supports are in effect
-- on the server's session (DEC-16 lets a proxy drop them; ProxyInfo does not report them).
pred R5_FeaturesPreserved { all x: commits, y: srvLegs[x] | y in FeatOn }
pred pre_R5 { pre_C1 }

-- R6 (guarantee): the plaintext is secret from, and cannot be changed by, anyone but the
-- endpoints C and S.
pred R6_PlaintextEndToEnd {
  all d: CData | readers[d] in C + S
  all x: commits, y: srvLegs[x] | rcvd[y] in x.c2s
}
pred pre_R6 { pre_C1 }

-- R7 (guarantee): the server can authenticate the client = C2's property.
pred R7_ClientAuth { C2_ClientAuth }
pred pre_R7 { pre_C2 }

-- R8 (guarantee): when a proxy is on the server's session, the server authenticates it.
-- Conditional like C2(a) (claims.md "Precision"): only where the server asks for authentication
-- of its peer (CertificateRequest) on a session carrying the client's traffic.
pred R8_ServerAuthenticatesProxy {
  all x: commits, y: srvLegs[x] & CertReq | proxiedAt[y] implies
    some srvProxyAuth[y] and srvProxyAuth[y] in (y.cl + consented) & P
}
pred pre_R8 { some x: commits, y: srvLegs[x] & CertReq | proxiedAt[y] }

-- R9 (guarantee; claims.md "Precision": what the server can know): what the server sees of its
-- own session tells it the strength of the whole path, i.e. whenever the server's session
-- carrying the client's traffic is strong, so is every leg that traffic crossed (no leg weaker
-- than the server's own that the server cannot see).
pred R9_NoUndetectedDowngrade { all x: commits, y: srvLegs[x] | strong[y] implies (all z: path[x] | (A not in z.cl + z.sv) implies strong[z]) }
-- forced: a server session carrying the client's traffic that is not the client's own (a proxy in between)
pred pre_R9 { some x: commits, y: srvLegs[x] | strong[y] and x != y }

-- R10 (claims.md "Precision": reliance): no man in the middle between proxy and client, i.e. no
-- accepted client session is terminated by the attacker. Decided with the attacker on the client
-- leg and a client that checks (net-c, net-cs): where it HOLDS, R10 is confirmed iff removing one
-- of the client's DEC-8/DEC-9 checks (a mutant, Claim.namedChecks) breaks it; also decided with a
-- careless client (the checks skipped by the threat setting).
pred R10_NoPCMitM { no x: commits | x.sv = A }
pred pre_R10 { some commits }

-- R11 (claims.md "Precision": reliance): no man in the middle between server and proxy, i.e. no
-- leg of an accepted path beyond the client's own session ends at the attacker (the client leg is
-- R10's). Decided with the attacker on the upstream leg and a proxy that checks (net-s, net-cs):
-- where it HOLDS, R11 is confirmed iff removing the proxy's DEC-15 validation (mutant
-- NoProxyValidation) breaks it; also decided with a careless proxy.
pred R11_NoSPMitM { all x: commits | A not in (path[x] - x).sv }
-- the antecedent is forced: with a careless proxy, the proxy accepted an upstream the attacker
-- terminates; with a checking proxy, the client's traffic crosses an upstream leg (PI-BOUND-2HOP, hop2-careless: the
-- careless second proxy P2 accepted an upstream the attacker terminates; Hop2Careless has scope 0 in the other columns)
pred pre_R11 {
  on[CarelessProxy] => (some y: cl.P & Accepted | y.sv = A)
  else (some Hop2Careless & Cfg.threat) => (some y: cl.P2 & Accepted | y.sv = A)
  else (some x: commits | some path[x] - x)
}

-- G1 (claims.md "Precision"): using the extension keeps every guarantee DIRECT gives: C1
-- strict, C2, C3 and the guarantees whose loss R5-R9 claim (features, end-to-end plaintext,
-- client authentication, proxy authentication, no undetected downgrade).
pred G1_KeepsTLS {
  C1S_Strict and C2_ClientAuth and C3_NetworkBlind and R5_FeaturesPreserved and
  R6_PlaintextEndToEnd and R8_ServerAuthenticatesProxy and R9_NoUndetectedDowngrade
}
pred pre_G1 { pre_C2 }

-- G2: the client is aware of the proxy and can authenticate and authorize it: whoever
-- terminates the client's TLS other than S is announced by proxy_info and is the proxy the
-- client is configured with.
pred G2_ProxyAuthorized { all x: commits | x.sv != S implies (some x.pinfo and x.sv = P) }
-- the antecedent is forced: a committed session not terminated by S (no vacuous HOLDS)
pred pre_G2 { some x: commits | x.sv != S }

-- G3: the client's decision is as well informed as without a proxy: it sees the real server
-- certificate and the real upstream version and suite (non-injective agreement on those).
pred G3_InformedDecision {
  all x: commits | some y: srvLegs[x] | y.cert = bCert[x] and y.ver = bVer[x] and y.suite = bSuite[x]
}
pred pre_G3 { pre_C1 }

-- G4: a proxy can lie about the upstream session and be believed. Decided by checking the
-- negation below (no accepted session where what the client believes about the server session
-- differs from the real one); a counterexample is the witness that G4 HOLDS.
pred G4_NoAcceptedLie { G3_InformedDecision }

-- A1: the endpoints share key material with the proxy without anyone being impersonated:
-- only C, S and a proxy both endpoints consented to read the client's data; every session the
-- client accepts is terminated by the owner of the name in its certificate; and every record
-- the server accepts as the client's was sent by the client (a proxy that injects records with
-- the shared keys impersonates the client: the drafts' objection to key sharing, -00/-01 6).
pred A1_ConsentNoImpersonation {
  all x: commits, y: srvLegs[x] | rcvd[y] in x.c2s
  all x: commits, d: x.c2s | readers[d] in C + S + ((isArch[CONSENT] and not mutant[NoServerConsent]) => P else none)
  all x: commits | x.sv = owner[x.cert.subj]
}
pred pre_A1 { pre_C1 }

-- RS1 (claims.md; 01-R2, 01-R4, DEC-22): a resumed session #1 implies a resumed session #2 with the
-- same server. For every abbreviated handshake the client commits to, the real server's session
-- carrying its traffic is itself an abbreviated handshake, and it resumes the server session that
-- carried the traffic of the session the client resumed (the same server, the same cached state).
-- In DIRECT and CONSENT that server session is the client's own.
pred RS1_ResumedBoth {
  all x: commits | some x.resumes implies
    some y: srvLegs[x] | some y.resumes and y.resumes in srvLegs[x.resumes]
}
-- forced: a committed abbreviated handshake whose traffic reaches the server
pred pre_RS1 { some x: commits | some x.resumes and some srvLegs[x] }

-- Issue #11 finding 5: proxy trust is each party's own (two-hop runs, TwoHop.java; the trust settings of config.als).
-- DEC-9 + DEC-12: the client commits to no chain with a hop whose certificate is not under the CLIENT's own proxy
-- trust anchors (hop 1: its session-#1 certificate; every further hop: the list the hop before it carried).
pred TrustClientOwnAnchors {
  all x: commits | some x.pinfo implies (x.cert.issuer in clientProxyAnchors and
    (all h: x.pinfo.*nesting | some h.nesting implies h.srvCert.issuer in clientProxyAnchors))
}
-- DEC-15: an honest first proxy P nests no assertion whose signer no certificate under P's OWN proxy trust anchors certifies.
pred TrustProxyOwnAnchors {
  not pLies[P] implies all x: sv.P | some x.pinfo.next implies
    (some c: Cert | c.issuer in proxyAnchorsOf[P] and c.key = x.pinfo.next.signer)
}
