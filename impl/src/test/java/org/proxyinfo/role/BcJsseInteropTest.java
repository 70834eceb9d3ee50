package org.proxyinfo.role;

import java.security.Provider;

import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;

/** Our roles against BCJSSE (bctls, test scope only) as the peer (issue #2 interop). */
class BcJsseInteropTest extends JsseInteropBase {
    private static final Provider BCJSSE = new BouncyCastleJsseProvider();

    @Override Provider provider() { return BCJSSE; }

    @Override String peerName() { return "BCJSSE"; }
}
