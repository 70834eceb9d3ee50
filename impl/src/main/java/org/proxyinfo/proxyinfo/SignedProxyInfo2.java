package org.proxyinfo.proxyinfo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.proxyinfo.wire.TlsWriter;

/**
 * The {@code proxy_to_server} arm of ProxyInfo (draft-01 §3.1/§3.2, client-certificate mode,
 * deferred by DEC-20): {@code ASN.1Cert proxy_certificate_list<0..2^24-1>} (DEVIATION (DEC-6), as
 * for {@link SignedProxyInfo}), {@code ProxyInfo next_proxy_info}, then an RFC 5246
 * {@link DigitallySigned}. Encoded and decoded for completeness; no role sends it yet.
 * Its {@code next_proxy_info} is the client's session-#1 ProxyInfo ({@code client_to_proxy}) or a
 * further {@code proxy_to_server} (draft-01 §3.2 step 2).
 */
public final class SignedProxyInfo2 implements ProxyInfo {
    private final List<byte[]> proxyCertificateList;
    private final ProxyInfo nextProxyInfo;
    private final DigitallySigned signature;

    public SignedProxyInfo2(List<byte[]> proxyCertificateList, ProxyInfo nextProxyInfo, DigitallySigned signature) {
        this.proxyCertificateList = SignedProxyInfo.copyCertificates(proxyCertificateList, "proxy_certificate_list");
        this.nextProxyInfo = checkNext(nextProxyInfo);
        this.signature = Objects.requireNonNull(signature, "signature");
    }

    static ProxyInfo checkNext(ProxyInfo next) {
        Objects.requireNonNull(next, "next_proxy_info");
        if (next.flag() != ProxyInfoFlag.CLIENT_TO_PROXY && next.flag() != ProxyInfoFlag.PROXY_TO_SERVER) {
            throw new IllegalArgumentException("next_proxy_info of proxy_to_server must be client_to_proxy or"
                    + " proxy_to_server, not " + next.flag());
        }
        return next;
    }

    @Override
    public ProxyInfoFlag flag() { return ProxyInfoFlag.PROXY_TO_SERVER; }

    @Override
    public int depth() { return 1 + nextProxyInfo.depth(); }

    public List<byte[]> proxyCertificateList() {
        List<byte[]> out = new ArrayList<>(proxyCertificateList.size());
        for (byte[] c : proxyCertificateList) {
            out.add(c.clone());
        }
        return out;
    }

    public ProxyInfo nextProxyInfo() { return nextProxyInfo; }

    public DigitallySigned signature() { return signature; }

    /** The encoded fields without the DigitallySigned (the part a signature covers, DEC-5 by analogy). */
    public byte[] encodedFields() {
        TlsWriter w = new TlsWriter();
        writeFields(w);
        return w.toByteArray();
    }

    private void writeFields(TlsWriter w) {
        ProxyInfoCodec.writeCertificateList(w, proxyCertificateList);
        ProxyInfoCodec.write(w, nextProxyInfo);
    }

    void encodeBody(TlsWriter w) {
        writeFields(w);
        signature.encode(w);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedProxyInfo2 s
                && ProxyInfoCodec.sameCertificates(proxyCertificateList, s.proxyCertificateList)
                && nextProxyInfo.equals(s.nextProxyInfo) && signature.equals(s.signature);
    }

    @Override
    public int hashCode() {
        int h = 7;
        for (byte[] c : proxyCertificateList) {
            h = 31 * h + Arrays.hashCode(c);
        }
        return 31 * (31 * h + nextProxyInfo.hashCode()) + signature.hashCode();
    }

    @Override
    public String toString() {
        return "proxy_to_server{proxy_certificate_list=" + proxyCertificateList.size() + " certs, next_proxy_info="
                + nextProxyInfo + ", signature=" + signature + "}";
    }
}
