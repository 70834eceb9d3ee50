module resumption
-- Session resumption by session ID (DEC-22; RFC 5246 7.4.1.2 and 7.3; draft 00-R1..00-R3,
-- 01-R1..01-R4). An abbreviated handshake x resumes an earlier full handshake o
-- (x.resumes = o): the ServerHello echoes o's session_id, no Certificate is sent, and both
-- Finished messages are keyed with o's master secret. So only o's two endpoints can complete it
-- (the master secret never leaves them; CONSENT hands record keys, not the master secret), and
-- the session state (peer certificate, version, suite, client certificate, extended master
-- secret) is o's. x itself has fresh randoms (the session atom), so its keys are fresh.
open config
open principals
open tls
open proxyinfo

fact abbreviatedHandshake {
  -- a cached session comes from a full handshake (resuming a resumed session reuses the same state)
  no resumes.resumes
  all x: Sess, o: x.resumes {
    x.cl = o.cl and x.sv = o.sv                                   -- holders of o's master secret (Finished)
    x.leg = o.leg and x.sni = o.sni                               -- DEC-22: same peer identity and host
    x.cert = o.cert and x.ver = o.ver and x.suite = o.suite       -- the cached session state
    x.ccert = o.ccert and (x in CertReq iff o in CertReq)
    x in FeatOn iff o in FeatOn                                   -- RFC 7627 5.3: EMS must match
  }
  -- the proxy couples its two sessions (01-R1..01-R4, DEC-22): a known session-#1 ID makes it offer
  -- the linked session-#2 ID; it resumes session #1 only if the server resumed that session #2, and
  -- never resumes session #2 under a full session #1. A lying proxy need not (RS1 is about that).
  all p: HonestProxy, x: sv.p | (not pLies[p] and not mutant[NoResumeCoupling]) implies {
    some x.resumes iff some x.link.resumes
    some x.resumes implies x.link.resumes = x.resumes.link
  }
}

-- The client's rule for an abbreviated handshake (DEC-22), on top of its ordinary checks, which it
-- runs again on the fresh ProxyInfo (signature with the cached proxy key, DEC-5 binding, DEC-11):
-- it resumes only a session it completed; a resumed proxied session must carry a ProxyInfo
-- (handshake_failure) and report the cached server chain (illegal_parameter).
pred clientResumeOK[x: Sess] {
  some x.resumes implies {
    x.resumes in Accepted
    some x.pinfo iff some x.resumes.pinfo
    (some x.pinfo and not mutant[NoDEC22Chain]) implies
      (x.pinfo.srvCert = x.resumes.pinfo.srvCert and x.pinfo.next.srvCert = x.resumes.pinfo.next.srvCert)
  }
}
