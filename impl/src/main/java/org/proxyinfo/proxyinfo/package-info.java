/**
 * The {@code proxy_info} extension of draft-mcgrew-tls-proxy-server-01 §3.1: codec, signing and
 * the client's verification (DEC-1..13).
 *
 * <h2>Wire format (DEC-1: draft -01)</h2>
 * The extension_data of ExtensionType {@code proxy_info} (draft: TBD1; here a private-use value,
 * configurable, default 65360 = 0xFF50, never 65281 — DEC-2, {@link org.proxyinfo.proxyinfo.ProxyInfoExtension})
 * is one {@code ProxyInfo} ({@code ProxyInfoExtension}):
 * <pre>
 *   ProxyInfoFlag flag;                       uint8: client_to_proxy(0), proxy_to_client(1),
 *                                             proxy_to_server(2), server_to_proxy(3)   (DEC-3)
 *   select (flag):
 *     client_to_proxy, server_to_proxy:       zero-length body
 *     proxy_to_client:                        SignedProxyInfo (fields in clear, then DigitallySigned, DEC-5)
 *       ConnectionSecurityParameters connection_parameters;   uint16 tls_version, uint8[2] cipher_suite,
 *                                                             uint8 compression_method: 5 bytes (DEC-1)
 *       ASN.1Cert server_certificate_list&lt;0..2^24-1&gt;;        ASN.1Cert = opaque&lt;1..2^24-1&gt; (DEC-6)
 *       Random server_random;                                 32 bytes, session #2's ServerHello.random
 *       Boolean revocation_checking_performed;                uint8 0/1, else illegal_parameter (DEC-7)
 *       ProxyInfo next_proxy_info;                            nested inline; server_to_proxy = "the next
 *                                                             hop is not a proxy"; depth &lt;= 4 (DEC-4)
 *       SignatureAndHashAlgorithm algorithm; opaque signature&lt;0..2^16-1&gt;   (RFC 5246 §4.7, DEC-5)
 *     proxy_to_server:                        SignedProxyInfo2 (client-certificate mode, DEC-20: codec only)
 *       ASN.1Cert proxy_certificate_list&lt;0..2^24-1&gt;; ProxyInfo next_proxy_info; DigitallySigned
 * </pre>
 * Classes: {@link org.proxyinfo.proxyinfo.ProxyInfoFlag}, {@link org.proxyinfo.proxyinfo.ProxyInfo},
 * {@link org.proxyinfo.proxyinfo.ConnectionSecurityParameters}, {@link org.proxyinfo.proxyinfo.SignedProxyInfo},
 * {@link org.proxyinfo.proxyinfo.SignedProxyInfo2}, {@link org.proxyinfo.proxyinfo.DigitallySigned},
 * {@link org.proxyinfo.proxyinfo.ProxyInfoCodec}. Errors follow DEC-21: malformed (truncated, a
 * length that over- or under-runs, an empty ASN.1Cert, trailing bytes) is {@code decode_error}; an
 * out-of-range or misplaced value (flag, Boolean, a flag that does not belong in the message or
 * position, nesting past the bound) is {@code illegal_parameter}.
 *
 * <h2>Deviations from the draft</h2>
 * <ul>
 *   <li><b>DEVIATION (DEC-5), signing mode {@code bound}</b> (default): the signature covers session #1
 *       client_random || session #1 server_random || the encoded fields, so an assertion cannot be
 *       replayed on another client session. <b>DEVIATION (DEC-5a)</b>: that input is prefixed with
 *       64 bytes of 0x20, the ASCII context {@code TLS 1.2 proxy_info assertion, bound} and a 0x00
 *       byte, so it never collides with the same key's ServerKeyExchange signature input
 *       (client_random || server_random || params). Mode {@code draft-literal}
 *       signs the encoded fields only, as the draft's text says; it is kept so the difference can be
 *       shown ({@link org.proxyinfo.proxyinfo.SigningMode}).</li>
 *   <li><b>DEVIATION (DEC-6), certificate list bounds</b>: {@code <0..2^24-1>} of
 *       {@code opaque<1..2^24-1>} as in RFC 5246's Certificate message, instead of the draft's
 *       {@code <0..2^8-1>}, which cannot hold a real chain. The ServerHello extension block must
 *       still fit 2^16-1 bytes: a proxy whose assertion does not fit aborts with internal_error
 *       ({@link org.proxyinfo.proxyinfo.ProxyInfoExtension#checkServerHelloExtensionsFit}).</li>
 *   <li>The draft leaves unsaid (decided by the project): the flag encoding (DEC-3), the end of the
 *       chain (DEC-4), the Boolean encoding (DEC-7), and what the client checks (DEC-8..13).</li>
 * </ul>
 *
 * <h2>Client decision (DEC-8..13)</h2>
 * {@link org.proxyinfo.proxyinfo.ProxyInfoVerifier} runs the checks in DEC-8 order and feeds the
 * outcomes to {@code org.proxyinfo.core.ProxyInfoDecision} (KeY-verifiable core), which decides
 * ACCEPT or the alert. Certificate questions go through
 * {@link org.proxyinfo.proxyinfo.ProxyInfoCertificateChecks} ({@link org.proxyinfo.proxyinfo.ValidatorCertificateChecks}
 * on {@code org.proxyinfo.pki.CertificateValidator}: separate proxy and web trust, DEC-9/DEC-10).
 *
 * <h2>DEC-5/DEC-12 reconciliation (project choice)</h2>
 * Under {@code bound}, hop k signs with the randoms of its own session k, and the client never sees
 * session k's client_random. The project's choice (not a deviation: the draft has no binding at all):
 * <b>a proxy uses, as the client_random of its upstream ClientHello, the client_random it received on
 * its downstream session</b> ("the client_random travels upstream"). Hop k's bound signature then
 * covers session-1 client_random || session-k server_random || fields; the client knows the first
 * from its own ClientHello and the second from hop k-1's {@code server_random} field, so
 * {@link org.proxyinfo.proxyinfo.ProxyInfoVerifier} verifies hop k+1 with client_random_1 ||
 * hop_k.server_random, and every hop is bound to the client's own session. A hop whose upstream
 * session did not carry the client's client_random does not verify (decrypt_error [DEC-12]).
 * Freshness: session k's keys are still fresh, because server_random_k and both ECDHE shares are
 * fresh (the repeated client_random alone repeats nothing a key depends on uniquely; with the
 * extended master secret the session hash covers both fresh key shares). See impl/PROXY.md.
 */
package org.proxyinfo.proxyinfo;
