package org.proxyinfo.proxyinfo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

import org.proxyinfo.wire.TlsWriter;

/**
 * The {@code proxy_to_client} arm of ProxyInfo (draft-01 §3.1), what the proxy asserts about the
 * upstream session #2, in field order (DEC-5):
 * <ol>
 *   <li>{@code ConnectionSecurityParameters connection_parameters} (5 bytes, DEC-1)</li>
 *   <li>{@code ASN.1Cert server_certificate_list<0..2^24-1>}, {@code ASN.1Cert = opaque<1..2^24-1>}
 *       — DEVIATION (DEC-6): the draft says {@code <0..2^8-1>}, which cannot hold a real chain</li>
 *   <li>{@code Random server_random} (32 bytes: session #2's ServerHello.random)</li>
 *   <li>{@code Boolean revocation_checking_performed} (uint8 0/1, DEC-7)</li>
 *   <li>{@code ProxyInfo next_proxy_info} (nested; {@code server_to_proxy} ends the chain, DEC-4)</li>
 * </ol>
 * followed by an RFC 5246 {@link DigitallySigned} over the signing input of {@link SigningMode}.
 */
public final class SignedProxyInfo implements ProxyInfo {
    public static final int RANDOM_LENGTH = 32;

    private final ConnectionSecurityParameters connectionParameters;
    private final List<byte[]> serverCertificateList;
    private final byte[] serverRandom;
    private final boolean revocationCheckingPerformed;
    private final ProxyInfo nextProxyInfo;
    private final DigitallySigned signature;

    public SignedProxyInfo(ConnectionSecurityParameters connectionParameters, List<byte[]> serverCertificateList,
                           byte[] serverRandom, boolean revocationCheckingPerformed, ProxyInfo nextProxyInfo,
                           DigitallySigned signature) {
        this.connectionParameters = Objects.requireNonNull(connectionParameters, "connection_parameters");
        this.serverCertificateList = copyCertificates(serverCertificateList, "server_certificate_list");
        if (serverRandom.length != RANDOM_LENGTH) {
            throw new IllegalArgumentException("server_random must be 32 bytes, not " + serverRandom.length);
        }
        this.serverRandom = serverRandom.clone();
        this.revocationCheckingPerformed = revocationCheckingPerformed;
        this.nextProxyInfo = checkNext(nextProxyInfo);
        this.signature = Objects.requireNonNull(signature, "signature");
    }

    static List<byte[]> copyCertificates(List<byte[]> certs, String field) {
        List<byte[]> copy = new ArrayList<>(certs.size());
        for (byte[] c : certs) {
            if (c.length == 0 || c.length > 0xFFFFFF) {
                throw new IllegalArgumentException(field + ": ASN.1Cert of " + c.length + " bytes is outside <1..2^24-1>");
            }
            copy.add(c.clone());
        }
        return Collections.unmodifiableList(copy);
    }

    /** DEC-4: what may follow a proxy_to_client assertion: another one (a further proxy) or server_to_proxy. */
    static ProxyInfo checkNext(ProxyInfo next) {
        Objects.requireNonNull(next, "next_proxy_info");
        if (next.flag() != ProxyInfoFlag.PROXY_TO_CLIENT && next.flag() != ProxyInfoFlag.SERVER_TO_PROXY) {
            throw new IllegalArgumentException("next_proxy_info of proxy_to_client must be proxy_to_client or"
                    + " server_to_proxy (DEC-4), not " + next.flag());
        }
        return next;
    }

    @Override
    public ProxyInfoFlag flag() { return ProxyInfoFlag.PROXY_TO_CLIENT; }

    @Override
    public int depth() { return 1 + nextProxyInfo.depth(); }

    public ConnectionSecurityParameters connectionParameters() { return connectionParameters; }

    /** DER certificates, end-entity first; the returned arrays are copies. */
    public List<byte[]> serverCertificateList() {
        List<byte[]> out = new ArrayList<>(serverCertificateList.size());
        for (byte[] c : serverCertificateList) {
            out.add(c.clone());
        }
        return out;
    }

    public byte[] serverRandom() { return serverRandom.clone(); }

    public boolean revocationCheckingPerformed() { return revocationCheckingPerformed; }

    public ProxyInfo nextProxyInfo() { return nextProxyInfo; }

    /** The nested hop's assertion, or null when next_proxy_info is server_to_proxy (DEC-4). */
    public SignedProxyInfo nextHop() {
        return nextProxyInfo instanceof SignedProxyInfo s ? s : null;
    }

    public DigitallySigned signature() { return signature; }

    /** The encoded fields, without the DigitallySigned: what DEC-5 signs (after the randoms in bound mode). */
    public byte[] encodedFields() {
        return encodeFields(connectionParameters, serverCertificateList, serverRandom, revocationCheckingPerformed,
                nextProxyInfo);
    }

    /** DEC-5 field encoding, used by the signer before a signature exists and by the verifier. */
    public static byte[] encodeFields(ConnectionSecurityParameters connectionParameters,
                                      List<byte[]> serverCertificateList, byte[] serverRandom,
                                      boolean revocationCheckingPerformed, ProxyInfo nextProxyInfo) {
        TlsWriter w = new TlsWriter();
        writeFields(w, connectionParameters, copyCertificates(serverCertificateList, "server_certificate_list"),
                serverRandom, revocationCheckingPerformed, checkNext(nextProxyInfo));
        return w.toByteArray();
    }

    private static void writeFields(TlsWriter w, ConnectionSecurityParameters cp, List<byte[]> certs, byte[] random,
                                    boolean revocation, ProxyInfo next) {
        if (random.length != RANDOM_LENGTH) {
            throw new IllegalArgumentException("server_random must be 32 bytes, not " + random.length);
        }
        cp.encode(w);
        ProxyInfoCodec.writeCertificateList(w, certs);
        w.bytes(random);
        w.u8(revocation ? 1 : 0);
        ProxyInfoCodec.write(w, next);
    }

    void encodeBody(TlsWriter w) {
        writeFields(w, connectionParameters, serverCertificateList, serverRandom, revocationCheckingPerformed,
                nextProxyInfo);
        signature.encode(w);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SignedProxyInfo s)) {
            return false;
        }
        return connectionParameters.equals(s.connectionParameters)
                && ProxyInfoCodec.sameCertificates(serverCertificateList, s.serverCertificateList)
                && Arrays.equals(serverRandom, s.serverRandom)
                && revocationCheckingPerformed == s.revocationCheckingPerformed
                && nextProxyInfo.equals(s.nextProxyInfo)
                && signature.equals(s.signature);
    }

    @Override
    public int hashCode() {
        int h = connectionParameters.hashCode();
        for (byte[] c : serverCertificateList) {
            h = 31 * h + Arrays.hashCode(c);
        }
        h = 31 * h + Arrays.hashCode(serverRandom);
        h = 31 * h + (revocationCheckingPerformed ? 1 : 0);
        h = 31 * h + nextProxyInfo.hashCode();
        return 31 * h + signature.hashCode();
    }

    @Override
    public String toString() {
        return "proxy_to_client{connection_parameters=" + connectionParameters
                + ", server_certificate_list=" + serverCertificateList.size() + " certs"
                + ", server_random=" + HexFormat.of().formatHex(serverRandom)
                + ", revocation_checking_performed=" + revocationCheckingPerformed
                + ", next_proxy_info=" + nextProxyInfo + ", signature=" + signature + "}";
    }
}
