package org.proxyinfo.reference;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.proxyinfo.crypto.BcTlsCrypto;
import org.proxyinfo.pki.PkiDir;
import org.proxyinfo.pki.RevocationPolicy;
import org.proxyinfo.role.InMemoryTransport;
import org.proxyinfo.role.ServerCredential;
import org.proxyinfo.role.TlsClient;
import org.proxyinfo.role.TlsConfig;
import org.proxyinfo.role.TlsConnection;
import org.proxyinfo.role.TlsServer;
import org.proxyinfo.trace.LegTraces;
import org.proxyinfo.trace.RunInfo;
import org.proxyinfo.trace.Trace;
import org.proxyinfo.wire.CipherSuite;

/**
 * The DIRECT reference run: our client and our server over the in-memory transport (no ports),
 * seeded randomness per role, a fixed clock, the committed test PKI. The client asks for
 * origin.proxyinfo.test, sends one request, the server answers and closes with close_notify, the
 * client answers close_notify. Every event is recorded through {@link LegTraces}, so thread
 * scheduling does not change the trace.
 */
final class DirectRun {
    static final String REQUEST = "GET / HTTP/1.1\r\nHost: origin.proxyinfo.test\r\nConnection: close\r\n\r\n";
    static final String RESPONSE = "HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\nhello\n";

    private DirectRun() { }

    static Trace run(PkiDir pki, byte[] seed, Clock clock, String scenario) throws IOException {
        RunInfo info = RunInfo.implementation(ReferenceTraces.VERSION, List.of("client", "server"))
                .scenario(scenario).architecture("DIRECT").signingMode(null).rngSeed(seed).clock(clock)
                .config("serverName", ReferenceTraces.HOST)
                .config("versions", List.of("TLSv1.2"))
                .config("cipherSuites", List.of(CipherSuite.name(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)))
                .policy("revocation", "prefer");
        LegTraces trace = new LegTraces(info);
        TlsConfig client = new TlsConfig(new BcTlsCrypto(ReferenceTraces.random(seed, "client"))).clock(clock)
                .trace(trace).leg("direct")
                .trustAnchors(pki.clientTrust(), RevocationPolicy.PREFER, pki.crls())
                .cipherSuites(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256);
        TlsConfig server = new TlsConfig(new BcTlsCrypto(ReferenceTraces.random(seed, "server"))).clock(clock)
                .trace(trace).leg("direct")
                .credential(new ServerCredential(pki.serverEcdsa().privateKey(), pki.serverEcdsa().chain()));
        InMemoryTransport[] pair = InMemoryTransport.pair(5000);
        CompletableFuture<Void> serverSide = CompletableFuture.runAsync(() -> serve(new TlsServer(server).accept(pair[1])));
        TlsConnection c = new TlsClient(client).connect(pair[0], ReferenceTraces.HOST);
        if (c.isEstablished()) {
            c.write(REQUEST.getBytes(StandardCharsets.US_ASCII));
            c.getInputStream().readAllBytes(); // until the server's close_notify
        }
        c.close();
        try {
            serverSide.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IOException("the reference server did not finish: " + e);
        }
        return trace.merged();
    }

    private static void serve(TlsConnection s) {
        if (!s.isEstablished()) {
            return;
        }
        try {
            s.getInputStream().readNBytes(REQUEST.length());
            s.write(RESPONSE.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // recorded in the trace as the connection's outcome
        } finally {
            s.close();
        }
    }
}
