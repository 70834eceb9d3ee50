/**
 * DEC-23, the client-certificate mode through a proxy (draft -01 section 3.2): the encodings (every one a
 * DEVIATION (DEC-23), documented in {@code impl/CLIENTCERT.md}) and the imperative shell of each role's
 * decision, which computes facts from this connection's bytes and keys and asks
 * {@link org.proxyinfo.core.ClientCertMode} (KeY-proved) before it acts.
 */
package org.proxyinfo.clientcert;
