package org.proxyinfo.role;

import java.util.List;

import org.proxyinfo.wire.TlsFatalAlert;

/** Lets the fuzz targets (org.proxyinfo.fuzz) reach the role's package-private certificate parser. */
public final class FuzzAccess {
    private FuzzAccess() { }

    /** The role's X.509 parsing of a received certificate_list (RFC5246-7.4.2). */
    public static int parseCertificates(List<byte[]> ders) throws TlsFatalAlert {
        return Certificates.parse(ders).size();
    }
}
