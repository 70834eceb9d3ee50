package org.proxyinfo.clientcert;

import java.util.Arrays;

import org.proxyinfo.core.AlertDescription;
import org.proxyinfo.ext.HelloContext;
import org.proxyinfo.ext.TlsExtension;
import org.proxyinfo.wire.TlsFatalAlert;
import org.proxyinfo.wire.TlsReader;

/**
 * DEVIATION (DEC-23): the session-#1 extension {@code client_cert_mode} (private-use code point
 * {@link #TYPE} = 0xFF23, 65315) that carries what the client signs in its ProxyCertVerify (impl/CLIENTCERT.md
 * section 5). RFC 4680 negotiates SupplementalData with a hello extension of its own; this is it:
 * <pre>
 *   ClientHello:  extension_data empty                      the client can send a DEC-23 SupplementalData
 *   ServerHello (the proxy's, session #1):
 *     opaque server_random[32]                              session #2's ServerHello.random
 *     opaque nonce[32]                                      the origin server's nonce of that session #2
 * </pre>
 * A non-empty ClientHello body or a ServerHello body of another length: decode_error (DEC-21).
 * The same class is the client's entry ({@link #client()}, keeps what the proxy sent) and the proxy's session-#1
 * entry ({@link #proxy()}, answers with the bytes its hook put into {@code HelloContext.extra} under {@link #TYPE}).
 */
public final class ClientCertModeOffer implements TlsExtension {
    /** DEVIATION (DEC-23): the private-use code point of client_cert_mode (RFC 8446 section 4.2: 65280..65535 private use). */
    public static final int TYPE = org.proxyinfo.wire.ExtensionType.CLIENT_CERT_MODE;
    public static final int SERVER_HELLO_LENGTH = 64;

    private final boolean client;
    private volatile byte[] serverRandom;
    private volatile byte[] nonce;

    private ClientCertModeOffer(boolean client) {
        this.client = client;
    }

    /** The client's entry (one per connection): offers the mode, keeps session #2's server_random and nonce. */
    public static ClientCertModeOffer client() {
        return new ClientCertModeOffer(true);
    }

    /** The proxy's session-#1 entry (shared by its connections; per-connection data lives in the HelloContext). */
    public static ClientCertModeOffer proxy() {
        return new ClientCertModeOffer(false);
    }

    /** The proxy's answer: session #2's server_random || the origin's nonce. */
    public static byte[] encodeServerHello(byte[] session2ServerRandom, byte[] nonce) {
        if (session2ServerRandom.length != 32 || nonce.length != ServerNonce.NONCE_LENGTH) {
            throw new IllegalArgumentException("client_cert_mode carries a 32-byte server_random and a 32-byte nonce");
        }
        byte[] out = new byte[SERVER_HELLO_LENGTH];
        System.arraycopy(session2ServerRandom, 0, out, 0, 32);
        System.arraycopy(nonce, 0, out, 32, 32);
        return out;
    }

    /** Client: session #2's server_random as the proxy passed it on, or null if the proxy did not answer. */
    public byte[] serverRandom() {
        byte[] r = serverRandom;
        return r == null ? null : r.clone();
    }

    /** Client: the origin's nonce as the proxy passed it on, or null if the proxy did not answer. */
    public byte[] nonce() {
        byte[] n = nonce;
        return n == null ? null : n.clone();
    }

    @Override public int type() { return TYPE; }

    @Override public String name() { return "client_cert_mode"; }

    @Override
    public byte[] produceClientHello(HelloContext ctx) {
        return client ? new byte[0] : null;
    }

    @Override
    public void consumeClientHello(HelloContext ctx, byte[] data) throws TlsFatalAlert {
        if (data.length != 0) {
            throw new TlsFatalAlert(AlertDescription.DECODE_ERROR, "DEC-23",
                    "ClientHello.client_cert_mode is empty, not " + data.length + " bytes (DEC-23)");
        }
    }

    @Override
    public byte[] produceServerHello(HelloContext ctx) {
        Object o = ctx.extra.get(TYPE);
        return client || !(o instanceof byte[]) ? null : ((byte[]) o).clone();
    }

    @Override
    public void consumeServerHello(HelloContext ctx, byte[] data) throws TlsFatalAlert {
        TlsReader r = new TlsReader(data, "client_cert_mode (DEC-23)");
        byte[] random = r.bytes(32, "server_random");
        byte[] n = r.bytes(ServerNonce.NONCE_LENGTH, "nonce");
        r.expectEnd("client_cert_mode (DEC-23)");
        serverRandom = Arrays.copyOf(random, 32);
        nonce = Arrays.copyOf(n, ServerNonce.NONCE_LENGTH);
    }
}
