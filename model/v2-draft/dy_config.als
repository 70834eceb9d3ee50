module dy_config
-- Model v2 (issue #11 B/C): the configuration of one temporal check. Architecture, threat
-- setting and the removed checks (tightness mutants, one per MUST/DEC the implementation
-- enforces, generated from Java's DyMutant list). Every command fixes DCfg completely.

abstract sig DArch {}
one sig DDIRECT, DPI00, DPI01, DPIBOUND, DPILITERAL extends DArch {}
-- DPILITERAL: PI-BOUND's client rule (DEC-8..DEC-12) with the draft-literal signed input
-- (DEC-5 mode draft-literal, no DEC-5a label): the DEC-5a question

abstract sig DThreat {}
one sig
  Corrupt,      -- long-term keys of S and P may be corrupted at any step (forward secrecy is checked)
  ProxyKeyLeak, -- the proxy's long-term key is known to the attacker from the start
  Misissue      -- the web CA issued a certificate for the origin's name nS on the attacker's key
  extends DThreat {}

abstract sig DMutant {}
one sig
  MSkeVerify,   -- RFC 5246 7.4.3: the client verifies ServerKeyExchange with the certificate's key
  MCertCheck,   -- RFC 5246 7.4.2 / RFC 2818 3.1 / DEC-13: the certificate validates as the host meant
  MFinished,    -- RFC 5246 7.4.9: both Finished messages are checked over the transcript (offer included)
  MDec9,        -- DEC-9: the session-#1 certificate chains to the proxy trust anchor
  MDec8Sig,     -- DEC-8(2): the assertion verifies under the session-#1 certificate's key
  MDec5Bind,    -- DEC-5 bound mode: the assertion names session #1's randoms
  MDec10,       -- DEC-10: the carried server chain validates for the host meant
  MDec12,       -- DEC-12: a nested hop is signed by hop 1's end-entity key and hop 1 is an acceptable proxy
  MDec8Order,   -- DEC-8 order: the client sends key material only after all its checks
  MDec14,       -- DEC-14: the proxy answers session #1 only once session #2 is complete
  MDec15,       -- DEC-15: the proxy validates its upstream certificate as the host meant
  MDec4         -- DEC-4: nesting depth limit (the client refuses a chain deeper than its limit)
  extends DMutant {}

one sig DCfg { arch: one DArch, threat: set DThreat, mut: set DMutant }

pred dArch[a: DArch] { DCfg.arch = a }
pred dOn[t: DThreat] { t in DCfg.threat }
pred dMut[m: DMutant] { m in DCfg.mut }
pred dPi { DCfg.arch in DPI00 + DPI01 + DPIBOUND + DPILITERAL }
-- the hardened client rule (DEC-9, DEC-12): PI-BOUND and its draft-literal variant
pred dHard { DCfg.arch in DPIBOUND + DPILITERAL }
