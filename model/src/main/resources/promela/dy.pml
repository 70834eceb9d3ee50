/* dy.pml: the Dolev-Yao attacker in time (issue #11 item 1), decided by SPIN.
 *
 * TLS 1.2 ECDHE with and without the proxy_info extension, abstracted to the messages that carry
 * the guarantees: ClientHello(cr, offer, host), ServerHello(sr), Certificate, ServerKeyExchange =
 * sig_k(SKE, cr, sr, g^y), ClientKeyExchange(g^x), Finished = MAC(k, transcript) with
 * k = H(g^xy, cr, sr), data under k; in PI-BOUND (DEC-5 bound mode, DEC-5a tag) the assertion
 * sig_kP(PI, cr1, sr1, sr2, chain of the upstream server, suite of session #2).
 *
 * The network is the attacker (Lowe-style intruder over a finite typed universe). Every value an
 * honest process sends joins the knowledge `known' (monotone: bits are only ever set). An honest
 * receive takes, at any later step, any message of the expected shape that the attacker knows or
 * can build: values it has seen (replay, splicing of sessions), its own nonce NA and DH share GA
 * (so it computes g^xy for every session where one share is GA), signatures an honest party
 * produced (replay) or that it makes itself under a key it holds (kA, kS/kP once corrupted, the
 * misissued certificate's key), and a Finished whose key it can compute or that an honest peer
 * computed over the same transcript. Tuples are pairs of known parts (pair/project are implicit:
 * every component of every sent message is in `known'). Each receive may also be dropped (the
 * session is abandoned). Cryptography is perfect (no guessing, no confusion unless a mutant says so).
 *
 * Build:  spin -a -DARCH_PI -DTHREAT_CORRUPT -DPROP_C1R dy.pml   (see DolevYao.java)
 *   ARCH_PI          PI-BOUND (client offers proxy_info, proxy P present); default DIRECT
 *   REV00, REV01     with ARCH_PI: the assertion as draft -00 (PI-00) or -01 (PI-01) defines it instead of
 *                    DEC-5 bound mode: signed content without session #1's randoms (-01 adds session #2's
 *                    server_random), untagged, and the draft's literal proxy trust (a web-valid certificate)
 *   ANCHOR           with REV00/REV01: DEC-9's proxy trust anchor instead of literal trust (isolates DEC-5)
 *   THREAT_CORRUPT   the long-term keys kS, kP can be corrupted at any step (forward secrecy)
 *   THREAT_MISISSUE  the web CA issued the attacker a certificate for S's name (key kA)
 *   PROP_x           which property's assertions are active: C1S C1R C3 FS DEC8 DEC5A R5 BIND
 *   SANITY           instead of the property, assert that its antecedent never occurs (a
 *                    violation = the antecedent is reachable: no vacuous HOLDS)
 *   NoDEC9 NoDEC5 NoDEC10 NoDEC11 NoFinishedCheck NoDomainSeparation   mutants (one client check removed)
 *   NoClientFreshness  mutant: every client run reuses the first run's random and DH share (a broken RNG)
 *   NC NP NS         sessions of the client, the proxy and the server (bound)
 */
#ifndef NC
#define NC 1
#endif
#ifndef NP
#define NP 2
#endif
#ifndef NS
#define NS 2
#endif

/* values: nonces 1..13, DH shares 14..26 (distinct integers: a bit each in `known') */
#define NA 1
#ifdef NoClientFreshness
#define CRC(i) (2)
#else
#define CRC(i) (2+(i))
#endif
#define SRS(s) (5+(s))
#define CRP(j) (8+(j))
#define SRP(j) (11+(j))
#define MAXN 13
#define GA 14
#ifdef NoClientFreshness
#define GC(i) (15)
#else
#define GC(i) (15+(i))
#endif
#define GS(s) (18+(s))
#define GP2(j) (21+(j))
#define GP1(j) (24+(j))
#define MAXV 26
#define B(v) (1 << (v))
#define K(v) ((known >> (v)) & 1)

/* hosts, keys, certificates */
#define HS 1
#define HP 2
#define HA 3
#define KS 1
#define KP 2
#define KA 3
#define CS 1    /* name S, key kS, web CA */
#define CP 2    /* name P, key kP, proxy CA (the DEC-9 trust anchor) */
#define CA 3    /* name A, key kA, web CA: the attacker's own site */
#define CAS 4   /* name S, key kA, web CA: misissued (THREAT_MISISSUE) */
#define NAME(c) ((c == CS || c == CAS) -> HS : ((c == CP) -> HP : HA))
#define KEY(c) ((c == CS) -> KS : ((c == CP) -> KP : KA))
#define WEBOK(c) (c == CS || c == CA || c == CAS)
#define HOLDS(k) (k == KA || (k == KS && corrS) || (k == KP && corrP))
#ifdef THREAT_MISISSUE
#define NCERT 4
#else
#define NCERT 3
#endif
#define STRONG 1
#define WEAK 2
/* signature kinds (DEC-5a domain separation tag) */
#define SKE 1
#define PI 2

#ifdef ARCH_PI
#define OFFER 1
#else
#define OFFER 0
#endif

/* what the assertion's signature covers (DEC-5; draft-digest 2.3 and 3.2): PI-BOUND session #1's
   client_random and server_random, session #2's server_random, the chain and the suite; PI-01 the
   same without session #1's randoms; PI-00 only the chain and the suite (connection_parameters) */
#if defined(REV00) || defined(REV01)
#define SIGNS_CR1 0
#else
#define SIGNS_CR1 1
#endif
#ifdef REV00
#define SIGNS_SR2 0
#else
#define SIGNS_SR2 1
#endif
/* the client's received assertion (c_p*) is, bit for bit, the one proxy run j signs */
#define ASSN_EQ(i, j) ((!SIGNS_CR1 || (c_pcr[i] == p_cr1[j] && c_psr[i] == SRP(j))) && (!SIGNS_SR2 || c_psr2[i] == p_sr2[j]) && c_pch[i] == p_c2[j] && c_psu[i] == STRONG)
/* DEC-9: PI-BOUND accepts only the proxy trust anchor's certificate; the drafts' literal trust
   accepts any certificate valid in the web PKI as a proxy (the proxy's own is web-issued there) */
#if (defined(REV00) || defined(REV01)) && !defined(ANCHOR)
#define TRUSTED(c) (c == CP || WEBOK(c))
#else
#define TRUSTED(c) (c == CP)
#endif
#ifdef NoDEC9
#define PROXYOK(c) (c == CP || WEBOK(c))
#else
#define PROXYOK(c) TRUSTED(c)
#endif

int known = B(NA) | B(GA);
bit corrS, corrP;

/* origin server S, run s */
byte s_cr[NS], s_off[NS], s_gx[NS], s_st[NS];   /* st: 1 flight sent, 2 Running (its Finished sent), 3 dropped */
/* proxy P, run j: session #2 (client to S) and session #1 (server to C) */
byte p_cr1[NP], p_host[NP], p_sr2[NP], p_gy2[NP], p_c2[NP], p_st2[NP], p_gx1[NP], p_st1[NP];
/* client C, run i */
byte c_cert[NC], c_sr[NC], c_gy[NC], c_st[NC];  /* st: 1 hello, 2 key material sent, 3 Commit, 4 dropped */
byte c_pi[NC];                                  /* 0 no assertion, else accepted */
byte c_pcr[NC], c_psr[NC], c_psr2[NC], c_pch[NC], c_psu[NC];
bit c_corr[NC];                                 /* a long-term key was corrupted before the Commit */
bit c_kx[NC];                                   /* key material (CKE, Finished) sent */

/* -------- what the attacker can produce -------- */
/* the attacker knows the session key of a leg iff one of its DH shares is GA */
#define KNOWSKEY(gx, gy) (gx == GA || gy == GA)

/* an honest client run i sent its Finished over this transcript (no assertion, to S) */
#define C_FIN_PLAIN(i, cr, sr, gx, gy, off) \
  (c_kx[i] && CRC(i) == cr && c_sr[i] == sr && GC(i) == gx && c_gy[i] == gy && OFFER == off && c_pi[i] == 0)

/* -------- client events (for the trail) -------- */

/* -------- S: NS runs, one after the other -------- */
proctype Server() {
  byte s = 0, v, o, ok, i, j;
  do
  :: s < NS ->
     /* ClientHello(cr, offer) from anyone: any known nonce, offer present or stripped/added */
     atomic {
       select(v : CRC(0) .. CRP(NP - 1));   /* typed: a client random an honest client sent (see README) */
       if
       :: K(v) && (v <= CRC(NC - 1) || v >= CRP(0)) ->
          if :: o = 0 :: o = 1 fi;
          s_cr[s] = v; s_off[s] = o; s_st[s] = 1;
          known = known | B(SRS(s)) | B(GS(s));   /* ServerHello, Certificate, SKE = sig_kS(SKE, cr, sr, gy) */
       :: else -> s_st[s] = 3
       fi
       ;v = 0; o = 0; ok = 0; i = 0; j = 0   /* scratch cleared: not part of the state */
     };
     if
     :: s_st[s] == 1 ->
        /* ClientKeyExchange(gx) + the client's Finished */
        atomic {
          select(v : GA .. MAXV);
          ok = 0;
          if
          :: K(v) ->
             if :: KNOWSKEY(v, GS(s)) -> ok = 1 :: else -> skip fi;
             for (i : 0 .. NC - 1) { if :: C_FIN_PLAIN(i, s_cr[s], SRS(s), v, GS(s), s_off[s]) -> ok = 1 :: else -> skip fi }
#ifdef ARCH_PI
             for (j : 0 .. NP - 1) {
               if
               :: p_st2[j] >= 2 && CRP(j) == s_cr[s] && p_sr2[j] == SRS(s) && GP2(j) == v && p_gy2[j] == GS(s) && s_off[s] == 0 && p_host[j] == HS -> ok = 1
               :: else -> skip
               fi
             }
#endif
          :: else -> skip
          fi;
          if :: ok -> s_gx[s] = v; s_st[s] = 2; printf("EV S Running %d\n", s)   /* Running, Finished sent */
             :: else -> s_st[s] = 3 fi
          ;v = 0; o = 0; ok = 0; i = 0; j = 0   /* scratch cleared: not part of the state */
        }
     :: else -> skip
     fi;
     s++
  :: s < NS -> s_st[s] = 3; s++      /* dropped */
  :: s == NS -> break
  od
}

#ifdef ARCH_PI
/* -------- P: NP runs; each does session #2 before the ServerHello of session #1 (DEC-14) -------- */
proctype Proxy() {
  byte j = 0, v, o, h, c, s, ok, i;
  do
  :: j < NP ->
     /* ClientHello of session #1: any known nonce, offer, host (SNI) */
     atomic {
       select(v : NA .. CRC(NC - 1));        /* typed: the client's random or the attacker's own */
       if :: o = 0 :: o = 1 fi;
       if :: h = HS :: h = HA fi;
       if
       :: K(v) && o == 1 ->      /* without the offer the PI-BOUND proxy refuses (a plain tunnel is the network itself) */
          p_cr1[j] = v; p_host[j] = h; p_st2[j] = 1;
          known = known | B(CRP(j))                   /* ClientHello of session #2 to host h */
       :: else -> p_st2[j] = 9
       fi
       ;v = 0; o = 0; h = 0; c = 0; s = 0; ok = 0; i = 0   /* scratch cleared: not part of the state */
     };
     if
     :: p_st2[j] == 1 ->
        /* session #2: ServerHello, Certificate, SKE; DEC-15: the certificate validates for host h */
        atomic {
          select(c : 1 .. NCERT);
          ok = 0;
          if
          :: NAME(c) == p_host[j] && WEBOK(c) ->
             if
             :: KEY(c) == KS ->
                select(s : 0 .. NS - 1);
                if :: s_st[s] >= 1 && s_cr[s] == CRP(j) -> p_sr2[j] = SRS(s); p_gy2[j] = GS(s); ok = 1 :: else -> skip fi
             :: HOLDS(KEY(c)) -> p_sr2[j] = NA; p_gy2[j] = GA; ok = 1      /* the attacker signs with a key it holds */
             :: else -> skip
             fi
          :: else -> skip
          fi;
          if :: ok -> p_c2[j] = c; p_st2[j] = 2; known = known | B(GP2(j))   /* CKE + Finished */
             :: else -> p_st2[j] = 9; p_cr1[j] = 0; p_host[j] = 0 fi   /* only its ClientHello was sent */
          ;v = 0; o = 0; h = 0; c = 0; s = 0; ok = 0; i = 0   /* scratch cleared: not part of the state */
        }
     :: else -> skip
     fi;
     if
     :: p_st2[j] == 2 ->
        /* server Finished of session #2; then session #1's flight with the assertion */
        atomic {
          ok = 0;
          if :: KNOWSKEY(GP2(j), p_gy2[j]) -> ok = 1 :: else -> skip fi;
          for (s : 0 .. NS - 1) {
            if
            :: s_st[s] == 2 && s_cr[s] == CRP(j) && SRS(s) == p_sr2[j] && s_gx[s] == GP2(j) && GS(s) == p_gy2[j] && s_off[s] == 0 && p_host[j] == HS -> ok = 1
            :: else -> skip
            fi
          }
          if
          :: ok -> p_st2[j] = 3; p_st1[j] = 1;
             /* ServerHello(sr1), Certificate(P), SKE = sig_kP(SKE, cr1, sr1, gy1),
                assertion = sig_kP(PI, cr1, sr1, sr2, chain, STRONG) */
             known = known | B(SRP(j)) | B(GP1(j));
             printf("EV P assertion %d (sr1 %d, upstream host %d, chain %d, sr2 %d)\n", j, SRP(j), p_host[j], p_c2[j], p_sr2[j])
          :: else -> p_st2[j] = 9
          fi
          ;v = 0; o = 0; h = 0; c = 0; s = 0; ok = 0; i = 0   /* scratch cleared: not part of the state */
        }
     :: else -> skip
     fi;
     if
     :: p_st1[j] == 1 ->
        /* ClientKeyExchange + the client's Finished on session #1 */
        atomic {
          select(v : GA .. MAXV);
          ok = 0;
          if
          :: K(v) ->
             if :: KNOWSKEY(v, GP1(j)) -> ok = 1 :: else -> skip fi;
             for (i : 0 .. NC - 1) {
               if
               :: c_kx[i] && CRC(i) == p_cr1[j] && c_sr[i] == SRP(j) && GC(i) == v && c_gy[i] == GP1(j) && p_host[j] == HS && c_pi[i] != 0 && ASSN_EQ(i, j) -> ok = 1
               :: else -> skip
               fi
             }
          :: else -> skip
          fi;
          if :: ok -> p_gx1[j] = v; p_st1[j] = 2; printf("EV P Running1 %d\n", j)
             :: else -> p_st1[j] = 9 fi
          ;v = 0; o = 0; h = 0; c = 0; s = 0; ok = 0; i = 0   /* scratch cleared: not part of the state */
        }
     :: else -> skip
     fi;
     j++
  :: j < NP -> p_st2[j] = 9; j++     /* dropped */
  :: j == NP -> break
  od
}
#endif

/* the attacker corrupts a long-term key at any step */
#ifdef THREAT_CORRUPT
proctype Corrupt() {
  do
  :: !corrS -> corrS = 1; printf("EV corrupt kS\n")
#ifdef ARCH_PI
  :: !corrP -> corrP = 1; printf("EV corrupt kP\n")
#endif
  od
}
#endif

/* -------- C: NC runs; the client means host S -------- */
proctype Client() {
  byte i = 0, c, sk, pk, ok, s, j, k;
  byte sr, gy, pcr, psr, psr2, pch, psu;
  do
  :: i < NC ->
     c_st[i] = 1; known = known | B(CRC(i));      /* ClientHello(cr, OFFER, host S) */
     /* ServerHello, Certificate c, ServerKeyExchange, [assertion] */
     atomic {
       ok = 0; sk = 0; pk = 0;
       select(c : 1 .. NCERT);
       /* the SKE: a replayed honest one under c's key, or one the attacker signs */
       if
       :: KEY(c) == KS -> select(s : 0 .. NS - 1);
          if :: s_st[s] >= 1 && s_cr[s] == CRC(i) -> sr = SRS(s); gy = GS(s); sk = SKE :: else -> skip fi
#ifdef ARCH_PI
       :: KEY(c) == KP -> select(j : 0 .. NP - 1);
          if :: p_st1[j] >= 1 && p_cr1[j] == CRC(i) -> sr = SRP(j); gy = GP1(j); sk = SKE :: else -> skip fi
#ifdef NoDomainSeparation
       :: KEY(c) == KP -> select(j : 0 .. NP - 1);   /* untagged: P's assertion read as an SKE (gy := sr2) */
          if :: p_st1[j] >= 1 && p_cr1[j] == CRC(i) -> sr = SRP(j); gy = p_sr2[j]; sk = PI :: else -> skip fi
#endif
#endif
       :: HOLDS(KEY(c)) -> sr = NA; gy = GA; sk = SKE
       :: else -> skip
       fi;
       /* the assertion (only a client that offered looks for one) */
       if
       :: true -> pk = 0
#ifdef ARCH_PI
       :: sk != 0 && KEY(c) == KP -> select(j : 0 .. NP - 1);
          if :: p_st1[j] >= 1 -> pcr = (SIGNS_CR1 -> p_cr1[j] : 0); psr = (SIGNS_CR1 -> SRP(j) : 0); psr2 = (SIGNS_SR2 -> p_sr2[j] : 0); pch = p_c2[j]; psu = STRONG; pk = PI :: else -> skip fi
       :: sk != 0 && HOLDS(KEY(c)) ->   /* the attacker signs an assertion of its choice for this session */
          pcr = (SIGNS_CR1 -> CRC(i) : 0); psr = (SIGNS_CR1 -> sr : 0);
#if SIGNS_SR2
          select(psr2 : 1 .. MAXN);
#else
          psr2 = 0;
#endif
          select(pch : 1 .. NCERT);
          if :: psu = STRONG :: psu = WEAK fi;
          if :: !SIGNS_SR2 || K(psr2) -> pk = PI :: else -> skip fi
#ifdef NoDomainSeparation
       :: sk != 0 && KEY(c) == KP -> select(j : 0 .. NP - 1);   /* untagged: P's SKE read as an assertion */
          if :: p_st1[j] >= 1 -> pcr = p_cr1[j]; psr = SRP(j); psr2 = GP1(j); pch = 0; psu = 0; pk = SKE :: else -> skip fi
       :: sk != 0 && KEY(c) == KS -> select(s : 0 .. NS - 1);
          if :: s_st[s] >= 1 -> pcr = s_cr[s]; psr = SRS(s); psr2 = GS(s); pch = 0; psu = 0; pk = SKE :: else -> skip fi
#endif
#endif
       fi;
       if
       :: sk == 0 -> c_st[i] = 4      /* nothing verifies: the client aborts */
       :: else ->
          c_cert[i] = c; c_sr[i] = sr; c_gy[i] = gy;
          if
          :: pk != 0 ->
             c_pi[i] = 1; c_pcr[i] = pcr; c_psr[i] = psr; c_psr2[i] = psr2; c_pch[i] = pch; c_psu[i] = psu;
             /* DEC-8's order: DEC-9, signatures with the session-#1 key, DEC-5, DEC-10, DEC-11; each check's
                event is printed with its result, once decided, and names the mutant that removed or weakened it */
             if
#ifdef NoDEC9
             :: PROXYOK(c) -> ok = 1; printf("EV C DEC-9 acceptable proxy (certificate %d): passed (mutant NoDEC9: web certificates pass too)\n", c)
#else
             :: PROXYOK(c) -> ok = 1; printf("EV C DEC-9 acceptable proxy (certificate %d): passed\n", c)
#endif
             :: else -> ok = 0; printf("EV C DEC-9 acceptable proxy (certificate %d): refused\n", c)
             fi;
             if
             :: ok ->
                printf("EV C DEC-8 signatures verify with the session-#1 key (sr1 %d; assertion: chain %d, sr2 %d)\n", sr, pch, psr2);
#if defined(PROP_DEC5A) && !defined(SANITY)
                assert(sk == SKE && pk == PI);    /* DEC-5a: no SKE accepted as an assertion, nor the reverse */
#endif
#if defined(PROP_DEC5A) && defined(SANITY)
                assert(false);                    /* sanity: an assertion is accepted at the signature step */
#endif
#if SIGNS_CR1 && defined(NoDEC5)
                printf("EV C DEC-5 binding: not checked (mutant NoDEC5)\n")
#elif SIGNS_CR1
                if   /* PI-BOUND only: the drafts sign nothing of session #1 */
                :: pcr == CRC(i) && psr == sr -> printf("EV C DEC-5 binding: passed\n")
                :: else -> ok = 0; printf("EV C DEC-5 binding (client_random %d, server_random %d signed): refused\n", pcr, psr)
                fi
#else
                printf("EV C DEC-5 n/a: the draft signs nothing of session #1\n")
#endif
             :: else -> skip
             fi;
             if
             :: ok ->
#ifdef NoDEC10
                printf("EV C DEC-10 chain %d for the host meant: not checked (mutant NoDEC10)\n", pch)
#else
                if
                :: pch == CS || pch == CAS -> printf("EV C DEC-10 chain %d for the host meant: passed\n", pch)
                :: else -> ok = 0; printf("EV C DEC-10 chain %d for the host meant: refused\n", pch)
                fi
#endif
             :: else -> skip
             fi;
             if
             :: ok ->
#ifdef NoDEC11
                printf("EV C DEC-11 policy (suite %d): not checked (mutant NoDEC11)\n", psu)
#else
                if
                :: psu == STRONG -> printf("EV C DEC-11 policy (suite %d): passed\n", psu)
                :: else -> ok = 0; printf("EV C DEC-11 policy (suite %d): refused\n", psu)
                fi
#endif
             :: else -> skip
             fi
          :: else ->
             c_pi[i] = 0;
             if
             :: NAME(c) == HS && WEBOK(c) && sk == SKE -> ok = 1; printf("EV C DEC-13 plain validation (certificate %d): passed\n", c)
             :: else -> ok = 0; printf("EV C DEC-13 plain validation (certificate %d): refused\n", c)
             fi
          fi;
          if
          :: ok ->
             /* key material: ClientKeyExchange(gx) and the client's Finished; the checks below are made as it leaves */
             printf("EV C key material (CKE, Finished)\n");
#if defined(PROP_DEC8) && !defined(SANITY)
             /* DEC-8 order: every check's condition holds of what was received when key material leaves */
             assert((c_pi[i] == 0 && NAME(c) == HS && WEBOK(c) && sk == SKE) || (c_pi[i] != 0 && TRUSTED(c) && sk == SKE && pk == PI && (!SIGNS_CR1 || (pcr == CRC(i) && psr == sr)) && (pch == CS || pch == CAS) && psu == STRONG));
#endif
#if defined(PROP_DEC8) && defined(SANITY)
             assert(c_pi[i] != OFFER);            /* sanity: key material is sent (after an assertion in PI-BOUND) */
#endif
#ifdef PROP_BIND
             /* BIND (DEC-5): an assertion accepted under the honest proxy's uncorrupted key states the
                facts of the session #2 of the very proxy run that terminates this session #1 (the one
                whose ServerKeyExchange the client verified): its chain, its suite and, where signed,
                its server_random; checked when key material leaves (DEC-8's point), not at the Commit */
             if
             :: c_pi[i] != 0 && c == CP && !corrP ->
#ifdef SANITY
                assert(false);                    /* sanity: key material after an assertion under kP */
#else
                ok = 0;
                for (j : 0 .. NP - 1) {
                  if
                  :: p_st1[j] >= 1 && p_cr1[j] == CRC(i) && SRP(j) == c_sr[i] && c_pch[i] == p_c2[j] && c_psu[i] == STRONG && (!SIGNS_SR2 || c_psr2[i] == p_sr2[j]) -> ok = 1
                  :: else -> skip
                  fi
                }
                assert(ok);
#endif
             :: else -> skip
             fi;
#endif
             c_st[i] = 2; c_kx[i] = 1; known = known | B(GC(i))
          :: else -> c_st[i] = 4;   /* nothing of this run left the client but its hello */
             c_cert[i] = 0; c_sr[i] = 0; c_gy[i] = 0; c_pi[i] = 0; c_pcr[i] = 0; c_psr[i] = 0; c_psr2[i] = 0; c_pch[i] = 0; c_psu[i] = 0
          fi
       fi
       ;c = 0; sk = 0; pk = 0; ok = 0; s = 0; j = 0; k = 0; sr = 0; gy = 0; pcr = 0; psr = 0; psr2 = 0; pch = 0; psu = 0   /* scratch cleared: not part of the state */
     };
     if
     :: c_st[i] == 2 ->
        /* the server's Finished, then Commit and data */
        atomic {
          ok = 0;
#ifdef NoFinishedCheck
          ok = 1;
#endif
          if :: KNOWSKEY(GC(i), c_gy[i]) -> ok = 1 :: else -> skip fi;
          for (s : 0 .. NS - 1) {
            if
            :: c_pi[i] == 0 && s_st[s] == 2 && s_cr[s] == CRC(i) && SRS(s) == c_sr[i] && s_gx[s] == GC(i) && GS(s) == c_gy[i] && s_off[s] == OFFER -> ok = 1
            :: else -> skip
            fi
          }
#ifdef ARCH_PI
          for (j : 0 .. NP - 1) {
            if
            :: c_pi[i] != 0 && p_st1[j] == 2 && p_cr1[j] == CRC(i) && SRP(j) == c_sr[i] && p_gx1[j] == GC(i) && GP1(j) == c_gy[i] && p_host[j] == HS && ASSN_EQ(i, j) -> ok = 1
            :: else -> skip
            fi
          }
#endif
          if
          :: ok ->
             c_st[i] = 3; c_corr[i] = corrS || corrP;
             printf("EV C Commit %d pi=%d sr=%d sr2=%d\n", i, c_pi[i], c_sr[i], c_psr2[i]);
#ifdef SANITY
#if defined(PROP_C1S) || defined(PROP_C1R) || defined(PROP_R5) || defined(PROP_C3) || defined(PROP_FS)
             /* sanity: Commit (through an assertion in PI-BOUND) is reachable; with NC client runs, NC such
                Commits (so the injectivity clause below is not vacuous either) */
             ok = 0;
             for (k : 0 .. NC - 1) { if :: c_st[k] == 3 && c_pi[k] == OFFER -> ok++ :: else -> skip fi }
             assert(c_pi[i] != OFFER || ok < NC);
#endif
#else
#ifdef PROP_C1S
             /* C1 strict with time: S ran, before, a session with the same randoms and shares, and
                no other Commit agrees with that server run (injective) */
             ok = 0;
             for (s : 0 .. NS - 1) {
               if
               :: c_pi[i] == 0 && s_st[s] == 2 && s_cr[s] == CRC(i) && SRS(s) == c_sr[i] && s_gx[s] == GC(i) && GS(s) == c_gy[i] && s_off[s] == OFFER -> ok = 1
               :: else -> skip
               fi
             }
             for (k : 0 .. NC - 1) { if :: k != i && c_st[k] == 3 && c_pi[k] == 0 && c_sr[k] == c_sr[i] -> ok = 0 :: else -> skip fi }
             assert(ok);
#endif
#ifdef PROP_C1R
             /* C1 relayed: without an assertion as C1 strict; with one, the proxy ran session #1 with
                the same randoms, shares and assertion, and S ran, before, that proxy run's session #2
                (the one the assertion names, in PI-01 and PI-BOUND) under S's own certificate;
                no other Commit names the same responder run (injective) */
             ok = 0;
             for (s : 0 .. NS - 1) {
               if
               :: c_pi[i] == 0 && s_st[s] == 2 && s_cr[s] == CRC(i) && SRS(s) == c_sr[i] && s_gx[s] == GC(i) && GS(s) == c_gy[i] && s_off[s] == OFFER -> ok = 1
               :: else -> skip
               fi
             }
#ifdef ARCH_PI
             for (j : 0 .. NP - 1) {
               for (s : 0 .. NS - 1) {
                 if
                 :: c_pi[i] != 0 && p_st1[j] == 2 && p_cr1[j] == CRC(i) && SRP(j) == c_sr[i] && p_gx1[j] == GC(i) && GP1(j) == c_gy[i] && ASSN_EQ(i, j) && c_pch[i] == CS && p_c2[j] == CS && s_st[s] == 2 && SRS(s) == p_sr2[j] && s_cr[s] == CRP(j) && s_gx[s] == GP2(j) && GS(s) == p_gy2[j] -> ok = 1
                 :: else -> skip
                 fi
               }
             }
#endif
             for (k : 0 .. NC - 1) {
               if
               :: k != i && c_st[k] == 3 && c_pi[k] == c_pi[i] && c_sr[k] == c_sr[i] -> ok = 0   /* one responder run (S, or P's session #1 and with it its one session #2) */
               :: else -> skip
               fi
             }
             assert(ok);
#endif
#ifdef PROP_R5
             /* R5: the offer is not stripped or added unnoticed: every honest server run with this
                session's randoms saw the offer the client sent */
             for (s : 0 .. NS - 1) { if :: s_st[s] >= 1 && s_cr[s] == CRC(i) && SRS(s) == c_sr[i] -> assert(s_off[s] == OFFER) :: else -> skip fi }
#endif
#endif
             /* application data under k (and, through P, under session #2's key) */
             ok = 0;
             if :: KNOWSKEY(GC(i), c_gy[i]) -> ok = 1 :: else -> skip fi;
#ifdef ARCH_PI
             for (j : 0 .. NP - 1) {
               if
               :: c_pi[i] != 0 && p_st1[j] == 2 && p_cr1[j] == CRC(i) && SRP(j) == c_sr[i] && p_gx1[j] == GC(i) && GP1(j) == c_gy[i] && KNOWSKEY(GP2(j), p_gy2[j]) -> ok = 1
               :: else -> skip
               fi
             }
#endif
             if
             :: ok -> printf("EV attacker learns the data of %d\n", i);
#if defined(PROP_C3) && !defined(SANITY)
                assert(false);                     /* C3: the client's data stays secret */
#endif
#if defined(PROP_FS) && !defined(SANITY)
                assert(c_corr[i]);                 /* forward secrecy: only if a key was corrupted before the Commit */
#endif
                skip
             :: else -> skip
             fi
          :: else -> c_st[i] = 4
          fi
          ;c = 0; sk = 0; pk = 0; ok = 0; s = 0; j = 0; k = 0; sr = 0; gy = 0; pcr = 0; psr = 0; psr2 = 0; pch = 0; psu = 0   /* scratch cleared: not part of the state */
        }
     :: else -> skip
     fi;
     i++
  :: i == NC -> break
  od
}

init {
  atomic {
    run Server();
#ifdef ARCH_PI
    run Proxy();
#endif
#ifdef THREAT_CORRUPT
    run Corrupt();
#endif
    run Client()
  }
}
