module refusal
-- Refusals because of client authentication (issue 13 with issue 11). An honest origin may refuse a handshake on
-- which it asked for a client certificate and cannot authenticate the client, and in the client-certificate mode
-- (DEVIATION (DEC-23)) the proxy abandons both sessions when the client's CertificateVerify fails (01-R15). Every
-- refusal carries its cause, which conformance pins from the trace (the alert, the side that sent it, its check):
--   RefusedNoClientCert  R7, RFC 5246 7.4.6: no client certificate (an ordinary intercepting proxy's empty
--                        Certificate) to an origin that requires one: handshake_failure
--   RefusedClientSig     01-R16 (DEC-23): the forwarded ProxyCertVerify is not the client's over this session #2 and
--                        its nonce for this proxy: decrypt_error
--   RefusedProxy         01-R16 (DEC-23): the proxy is not one this origin accepts: access_denied
--   CVFailed             01-R15, RFC 5246 7.4.8: a session #1 on which the proxy's check of the client's
--                        CertificateVerify failed: decrypt_error
-- A refused handshake never completes: its client side does not commit and sends no data, and a session #2 that
-- did not complete leaves its session #1 inert (DEC-14; pCompletes in proxyinfo.als). With none of these atoms an
-- instance is one of the model before refusals, so refusals only add runs in which fewer parties commit.
open config
open principals
open tls
open proxyinfo

sig RefusedNoClientCert, RefusedClientSig, RefusedProxy, CVFailed in Sess {}
-- the handshakes an honest origin refused
fun SrvRefused: set Sess { RefusedNoClientCert + RefusedClientSig + RefusedProxy }

fact originRefuses {
  -- only an honest origin refuses, only where it asked for a client certificate (CertificateRequest), and only a
  -- handshake the client or an honest proxy opened (the attacker, as a client, goes on with whatever it gets: tls.als)
  SrvRefused in sv.HonestServer & cl.(C + HonestProxy) & CertReq
  -- R7 / RFC 5246 7.4.6 (a "need" policy): the client side presented no certificate and no client signature reached it
  all y: RefusedNoClientCert | no y.ccert and no deliveredOn.y
  -- 01-R16 (DEC-23): a proxy presented its identity, but no client signature delivered on y is over y for that proxy
  all y: RefusedClientSig | ccMode and some y.ccert and
    (no s: deliveredOn.y | s.over = y and (isArch[PIBOUNDCC] implies s.forProxy = y.ccert))
  -- 01-R16 (DEC-23): a proxy presented its identity and the origin's configuration does not list it. srvAcceptsProxy
  -- (proxyinfo.als) is the widest list an origin may have (it never authenticates a client through any other
  -- proxy); a narrower list is the origin's configuration, which the model leaves free
  all y: RefusedProxy | ccMode and some y.ccert
  all y: SrvRefused | y not in Accepted and no y.c2s
}

fact proxyAbandons {
  -- 01-R15 (DEC-23): the proxy asked the client for its certificate on session #1 (CertReq) and its check of the
  -- client's CertificateVerify failed: it abandons both sessions (a lying proxy need not abandon session #2)
  CVFailed in sv.HonestProxy & cl.C & CertReq
  all x: CVFailed | x not in Accepted and no x.c2s
  all x: CVFailed | not pLies[x.sv] implies x.link not in Accepted
}

fact clientFlight {
  -- the client presents its certificate only on a handshake it goes on with (tls.als), or on one whose server side
  -- refused it after the client's flight (R7, 01-R15, 01-R16: the client's Certificate came first)
  all x: cl.C - Accepted | some x.ccert implies peerRefused[x]
}

-- session #2 y cannot complete: the origin refused it, or (01-R15) the proxy abandoned it with its session #1
pred upstreamRefused[y: Sess] { y in SrvRefused or (some x: link.y & CVFailed | not pLies[x.sv]) }

-- the server side never finished the client's session x: an origin refused it, the proxy abandoned it (01-R15), or
-- the proxy's session #2 did not complete (DEC-14); the client's own checks may all have passed
pred peerRefused[x: Sess] { x in SrvRefused + CVFailed or (x.sv in HonestProxy and not pCompletes[x]) }
