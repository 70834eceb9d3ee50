package org.proxyinfo.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer fuzz tests, one per decoder (issue #7). In a normal build ({@code mvn test}) each runs its
 * regression inputs: the seeds and every crash ever found, committed under
 * {@code src/test/resources/org/proxyinfo/fuzz/DecoderFuzzTestInputs/<method>/}. Fuzzing itself is
 * {@link FuzzRunner} (the build's short run, and {@code -Pfuzz-long}); with {@code JAZZER_FUZZ=1}
 * a single method here fuzzes too (Jazzer fuzzes one method per JVM). The contract checked is
 * {@link Decoders}' (DEC-21: a value or a protocol alert, never another exception).
 */
class DecoderFuzzTest {
    @FuzzTest(maxDuration = "10s") void record(byte[] d) { Decoders.run("record", d); }
    @FuzzTest(maxDuration = "10s") void recordEncrypted(byte[] d) { Decoders.run("recordEncrypted", d); }
    @FuzzTest(maxDuration = "10s") void handshakeAssembler(byte[] d) { Decoders.run("handshakeAssembler", d); }
    @FuzzTest(maxDuration = "10s") void clientHello(byte[] d) { Decoders.run("clientHello", d); }
    @FuzzTest(maxDuration = "10s") void serverHello(byte[] d) { Decoders.run("serverHello", d); }
    @FuzzTest(maxDuration = "10s") void certificate(byte[] d) { Decoders.run("certificate", d); }
    @FuzzTest(maxDuration = "10s") void serverKeyExchange(byte[] d) { Decoders.run("serverKeyExchange", d); }
    @FuzzTest(maxDuration = "10s") void serverHelloDone(byte[] d) { Decoders.run("serverHelloDone", d); }
    @FuzzTest(maxDuration = "10s") void clientKeyExchange(byte[] d) { Decoders.run("clientKeyExchange", d); }
    @FuzzTest(maxDuration = "10s") void finished(byte[] d) { Decoders.run("finished", d); }
    @FuzzTest(maxDuration = "10s") void clientHelloExtensions(byte[] d) { Decoders.run("clientHelloExtensions", d); }
    @FuzzTest(maxDuration = "10s") void serverHelloExtensions(byte[] d) { Decoders.run("serverHelloExtensions", d); }
    @FuzzTest(maxDuration = "10s") void proxyInfo(byte[] d) { Decoders.run("proxyInfo", d); }
    @FuzzTest(maxDuration = "10s") void proxyInfoServerHello(byte[] d) { Decoders.run("proxyInfoServerHello", d); }
    @FuzzTest(maxDuration = "10s") void proxyInfoClientHello(byte[] d) { Decoders.run("proxyInfoClientHello", d); }
    @FuzzTest(maxDuration = "10s") void x509(byte[] d) { Decoders.run("x509", d); }
    @FuzzTest(maxDuration = "10s") void certificateChain(byte[] d) { Decoders.run("certificateChain", d); }
    @FuzzTest(maxDuration = "10s") void certificateRequest(byte[] d) { Decoders.run("certificateRequest", d); }
    @FuzzTest(maxDuration = "10s") void certificateVerify(byte[] d) { Decoders.run("certificateVerify", d); }
    @FuzzTest(maxDuration = "10s") void dec23ServerNonce(byte[] d) { Decoders.run("dec23ServerNonce", d); }
    @FuzzTest(maxDuration = "10s") void dec23SupplementalData(byte[] d) { Decoders.run("dec23SupplementalData", d); }
    @FuzzTest(maxDuration = "10s") void dec23ClientCertMode(byte[] d) { Decoders.run("dec23ClientCertMode", d); }
}
