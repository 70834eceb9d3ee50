module config
-- The configuration of one check: which architecture (claims.md columns), which threat
-- setting (claims.md "threat settings that matter", issue #5 item 2) and which checks are
-- removed (tightness mutants). Every command fixes Cfg completely, so one parsed world
-- serves every cell of the verdict table.

abstract sig Arch {}
one sig DIRECT, MINT, PI00, PI01, PIBOUND, PIBOUNDCC, CONSENT extends Arch {}

abstract sig Threat {}
one sig
  NetLeg1,          -- Dolev-Yao attacker on the client-proxy leg (in DIRECT/CONSENT: on the client's leg)
  NetLeg2,          -- Dolev-Yao attacker on the proxy-server leg
  CarelessClient,   -- the client skips certificate checks (for R10, and C2's "server relies on client")
  CarelessProxy,    -- the proxy skips upstream certificate checks but reports truthfully (R1, R11)
  ProxyLies,        -- the proxy lies in its assertion, degrades its upstream leg and edits traffic (G4, R3)
  ProxyCompromised, -- the proxy's private keys are known to the attacker
  CALeaked          -- the proxy CA key leaked (MINT: the CA in the client's web store; PI-BOUND: the DEC-9 proxy trust anchor)
  extends Threat {}
-- Two-hop runs only (issue #11 item 5; scope 0 in the verdict table): the second proxy P2 lies
-- (as ProxyLies, for P2) or skips its upstream checks (as CarelessProxy, for P2). ProxyLies and
-- CarelessProxy stay the first proxy P's.
sig Hop2Lies, Hop2Careless extends Threat {}
fact hop2Threats { lone Hop2Lies and lone Hop2Careless }
-- Two-hop runs only (issue #11 finding 5): not attacker powers (so not Threat atoms) but configurations of honest
-- parties, present (scope exactly 1) in their own settings and scope 0 in every other command: the client's proxy
-- trust anchors (DEC-9, applied to every hop by DEC-12) lack P2's anchor kProxyCA2 (Hop2UntrustedByClient), or P's
-- (DEC-15) do (Hop2UntrustedByProxy). Plain sigs rather than Threat atoms: an extra Threat subsig, even empty,
-- changed which counterexample SAT4J finds for some earlier cells.
sig Hop2UntrustedByClient, Hop2UntrustedByProxy {}
fact hop2Trust { lone Hop2UntrustedByClient and lone Hop2UntrustedByProxy }

-- DEC-4: the client's nesting depth limit, a parameter of the two-hop runs (scope 0 in the table,
-- where no chain is deeper than 2 anyway): the client refuses a chain of more than `hops` assertions.
sig DepthLimit { hops: one Int }
fact depthLimit { lone DepthLimit }

abstract sig Mutant {}
one sig
  NoServerCertCheck, -- client skips RFC 5246 7.4.2 / RFC 2818 3.1 server certificate validation (PI: DEC-13 only)
  NoFinished,        -- no transcript integrity (RFC 5246 7.4.9 Finished): on-path attacker may strip extensions
  NoCertVerify,      -- server accepts a client certificate without CertificateVerify (RFC 5246 7.4.8)
  NoProxyValidation, -- proxy skips upstream validation (00-R9 / 01-R10 / DEC-15)
  NoDEC9,            -- client accepts any web-PKI-valid certificate as a proxy (DEC-9 removed)
  NoDEC10,           -- client does not validate the carried server_certificate_list (DEC-10 removed)
  NoDEC11,           -- client does not apply its upstream policy (DEC-11 removed)
  NoDEC12,           -- client does not cross-check nested hops (DEC-12 removed: only the last list is checked as origin)
  NoDEC5Bind,        -- PI-BOUND signs without the session-#1 randoms (DEC-5 bound mode removed)
  NoPCVBinding,      -- -01 3.2 ProxyCertVerify not bound to session #2 (server accepts any client signature)
  NoDEC23ProxyBind,  -- server accepts a client's ProxyCertVerify made for another proxy certificate (DEC-23 signed input without the proxy's certificate)
  NoProxyAcceptance, -- server accepts client authentication through any proxy (01-R16 / DEC-23 server-side proxy check removed)
  NoResumeCoupling,  -- proxy resumes session #1 whatever session #2 did (01-R2, 01-R4, DEC-22 coupling removed)
  NoDEC22Chain,      -- client accepts a resumed proxied session whose ProxyInfo reports another chain than the cached one (DEC-22)
  NoServerConsent    -- CONSENT: the client alone hands the keys to the proxy (server not asked)
  extends Mutant {}

one sig Cfg {
  arch: one Arch,
  threat: set Threat,
  mut: set Mutant
}

pred isArch[a: Arch] { Cfg.arch = a }
pred on[t: Threat] { t in Cfg.threat }
pred mutant[m: Mutant] { m in Cfg.mut }
pred proxied { Cfg.arch in MINT + PI00 + PI01 + PIBOUND + PIBOUNDCC }
pred piArch { Cfg.arch in PI00 + PI01 + PIBOUND + PIBOUNDCC }
-- this project's reading (DEC-5 binding, DEC-9..12), with or without the client-certificate mode of DEC-23
pred boundArch { Cfg.arch in PIBOUND + PIBOUNDCC }
-- a client-certificate mode through the proxy: the -01 3.2 mode as the draft sketches it (PI-01), or DEC-23's design
-- (PI-BOUND-CC). PI-BOUND is the implementation without DEC-23: its proxy cannot pass a client certificate on.
pred ccMode { Cfg.arch in PI01 + PIBOUNDCC }
