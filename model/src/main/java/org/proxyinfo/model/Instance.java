package org.proxyinfo.model;

import edu.mit.csail.sdg.translator.A4Solution;
import edu.mit.csail.sdg.translator.A4Tuple;
import edu.mit.csail.sdg.translator.A4TupleSet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One Alloy instance (a counterexample or a sanity witness) read back into plain Java values,
 * so that it can be written as a trace. Atom names are the model's ("Sess$0"); agents, names,
 * keys and parameters are given by their sig names ("C", "nS", "kProxyCA", "TLS12").
 */
public final class Instance {
    public record CertView(String id, String subj, String key, String issuer) {}
    public record AssertionView(String id, String by, String signer, CertView srvCert, String ver, String suite,
                                String up, String bound, AssertionView next) {}
    public record SessView(String id, String cl, String sv, String leg, String sni, CertView cert, String ver, String suite,
                           CertView ccert, String link, List<String> feeds, List<String> c2s, List<String> inj,
                           boolean accepted, boolean certReq, boolean featOn, AssertionView pinfo,
                           List<String> clientSigsDelivered, String resumes, String refusal) {}

    public final String arch;
    public final List<String> threat;
    public final List<String> mutants;
    public final Map<String, SessView> sessions = new LinkedHashMap<>();
    public final Map<String, List<String>> readers = new TreeMap<>();
    public final Set<String> attackerKnows = new LinkedHashSet<>();
    public final Map<String, String> dataOrigin = new TreeMap<>();

    private Instance(String arch, List<String> threat, List<String> mutants) {
        this.arch = arch;
        this.threat = threat;
        this.mutants = mutants;
    }

    static String name(String atom) {
        if (atom == null) return null;
        int i = atom.indexOf('$');
        String n = i < 0 ? atom : atom.substring(0, i);
        return n.substring(n.lastIndexOf('/') + 1);
    }

    private static Map<String, List<String>> rel(AlloyWorld w, A4Solution sol, String expr) {
        Map<String, List<String>> m = new TreeMap<>();
        A4TupleSet ts = (A4TupleSet) sol.eval(w.expr(expr));
        for (A4Tuple t : ts) {
            if (t.arity() == 1) m.computeIfAbsent(t.atom(0), k -> new ArrayList<>());
            else m.computeIfAbsent(t.atom(0), k -> new ArrayList<>()).add(t.atom(1));
        }
        return m;
    }

    private static String one(Map<String, List<String>> m, String k) {
        List<String> v = m.get(k);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** Reads the instance. */
    public static Instance read(AlloyWorld w, A4Solution sol) {
        try {
            return read0(w, sol);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the Alloy instance: " + e.getMessage(), e);
        }
    }

    private static Instance read0(AlloyWorld w, A4Solution sol) throws Exception {
        String arch = name(one(rel(w, sol, "Cfg <: arch"), first(rel(w, sol, "Cfg"))));
        // PI-BOUND with the second proxy present is the PI-BOUND-2HOP column (issue #11 item 5)
        if (Arch.PIBOUND.atom.equals(arch) && !rel(w, sol, "P2").isEmpty()) arch = Arch.PIBOUND2HOP.atom;
        List<String> threat = new ArrayList<>();
        rel(w, sol, "Cfg.threat").keySet().forEach(a -> threat.add(name(a)));
        // issue #11 finding 5: the trust-mismatch configurations are plain sigs, not Threat atoms (config.als)
        for (ThreatSetting t : ThreatSetting.values())
            if (t.trustMismatch() && !rel(w, sol, t.trustAtom).isEmpty()) threat.add(t.trustAtom);
        List<String> muts = new ArrayList<>();
        rel(w, sol, "Cfg.mut").keySet().forEach(a -> muts.add(name(a)));
        Instance in = new Instance(arch, threat, muts);

        Map<String, List<String>> subj = rel(w, sol, "Cert <: subj"), key = rel(w, sol, "Cert <: key"), iss = rel(w, sol, "Cert <: issuer");
        Map<String, CertView> certs = new TreeMap<>();
        for (String c : rel(w, sol, "Cert").keySet())
            certs.put(c, new CertView(c, name(one(subj, c)), name(one(key, c)), name(one(iss, c))));

        Map<String, List<String>> by = rel(w, sol, "Assertion <: by"), signer = rel(w, sol, "Assertion <: signer"),
                srv = rel(w, sol, "Assertion <: srvCert"), aver = rel(w, sol, "Assertion <: aver"),
                asuite = rel(w, sol, "Assertion <: asuite"), up = rel(w, sol, "Assertion <: up"),
                bound = rel(w, sol, "Assertion <: bound"), carried = rel(w, sol, "Assertion <: carriedOn");
        Map<String, List<String>> next = rel(w, sol, "Assertion <: next");
        Map<String, AssertionView> views = new TreeMap<>();
        // build the inner assertions first (one pass per assertion: a chain is as deep as the Assertion scope)
        int assertions = rel(w, sol, "Assertion").size();
        for (int pass = 0; pass < Math.max(2, assertions); pass++)
            for (String a : rel(w, sol, "Assertion").keySet()) {
                String n = one(next, a);
                if (n != null && !views.containsKey(n)) continue;
                views.put(a, new AssertionView(a, name(one(by, a)), name(one(signer, a)), certs.get(one(srv, a)),
                        name(one(aver, a)), name(one(asuite, a)), one(up, a), one(bound, a), n == null ? null : views.get(n)));
            }
        Map<String, AssertionView> pinfoOf = new TreeMap<>();
        for (String a : views.keySet())
            for (String x : carried.getOrDefault(a, List.of())) pinfoOf.put(x, views.get(a));
        Map<String, List<String>> delivered = new TreeMap<>();
        Map<String, List<String>> over = rel(w, sol, "ClientSig <: over"), deliveredOn = rel(w, sol, "ClientSig <: deliveredOn");
        for (String s : rel(w, sol, "ClientSig").keySet())
            for (String y : deliveredOn.getOrDefault(s, List.of()))
                delivered.computeIfAbsent(y, k -> new ArrayList<>()).add(s + " over " + one(over, s));

        Map<String, List<String>> cl = rel(w, sol, "Sess <: cl"), sv = rel(w, sol, "Sess <: sv"), leg = rel(w, sol, "Sess <: leg"),
                sni = rel(w, sol, "Sess <: sni"), cert = rel(w, sol, "Sess <: cert"), ver = rel(w, sol, "Sess <: ver"),
                suite = rel(w, sol, "Sess <: suite"), ccert = rel(w, sol, "Sess <: ccert"), link = rel(w, sol, "Sess <: link"),
                feeds = rel(w, sol, "Sess <: feeds"), c2s = rel(w, sol, "Sess <: c2s"), inj = rel(w, sol, "Sess <: inj"),
                resumes = rel(w, sol, "Sess <: resumes");
        Set<String> acc = rel(w, sol, "Accepted").keySet(), req = rel(w, sol, "CertReq").keySet(), feat = rel(w, sol, "FeatOn").keySet();
        // refusal.als: the cause of a refused handshake (issue 13), or none
        Map<String, String> refusal = new TreeMap<>();
        for (Refusal r : Refusal.values())
            for (String x : rel(w, sol, r.name()).keySet()) refusal.putIfAbsent(x, r.name());
        for (String x : rel(w, sol, "Sess").keySet()) {
            in.sessions.put(x, new SessView(x, name(one(cl, x)), name(one(sv, x)), name(one(leg, x)), name(one(sni, x)),
                    certs.get(one(cert, x)), name(one(ver, x)), name(one(suite, x)),
                    ccert.containsKey(x) ? certs.get(one(ccert, x)) : null, one(link, x),
                    feeds.getOrDefault(x, List.of()), c2s.getOrDefault(x, List.of()), inj.getOrDefault(x, List.of()),
                    acc.contains(x), req.contains(x), feat.contains(x), pinfoOf.get(x),
                    delivered.getOrDefault(x, List.of()), one(resumes, x), refusal.get(x)));
        }
        Map<String, List<String>> kh = rel(w, sol, "kh");
        for (SessView x : in.sessions.values())
            for (String d : concat(x.c2s(), x.inj())) {
                List<String> r = in.readers.computeIfAbsent(d, k -> new ArrayList<>());
                for (String a : kh.getOrDefault(x.id(), List.of())) if (!r.contains(name(a))) r.add(name(a));
            }
        in.attackerKnows.addAll(rel(w, sol, "aKnows").keySet());
        Map<String, List<String>> origin = rel(w, sol, "CData <: origin");
        for (String d : origin.keySet()) in.dataOrigin.put(d, one(origin, d));
        for (String d : rel(w, sol, "AData").keySet()) in.dataOrigin.put(d, "made up");
        return in;
    }

    private static String first(Map<String, List<String>> m) { return m.keySet().iterator().next(); }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> r = new ArrayList<>(a);
        r.addAll(b);
        return r;
    }
}
