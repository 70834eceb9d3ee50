package org.proxyinfo.role;

import java.security.Provider;

/** Our roles against SunJSSE, the JDK's own TLS, as the peer (issue #2 interop). */
class SunJsseInteropTest extends JsseInteropBase {
    @Override Provider provider() { return null; }

    @Override String peerName() { return "SunJSSE"; }
}
