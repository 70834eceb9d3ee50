package org.proxyinfo.role;

/**
 * The host a role runs on, as seen by its handshake bytes: each handshake message the role writes
 * passes through {@link #outgoing} after the role's cores decided on it and before it enters the
 * transcript and the wire. The honest roles never set one; {@code org.proxyinfo.adversary} uses it
 * to model a compromised proxy host that changes bytes (and holds the proxy's key).
 */
public interface HandshakeTap {
    /**
     * @param type          the HandshakeType
     * @param body          the message body the role produced
     * @param clientRandom  this session's ClientHello.random (null before it is known)
     * @param serverRandom  this session's ServerHello.random (null before it is known)
     * @return the body to send instead (the same array when unchanged)
     */
    byte[] outgoing(int type, byte[] body, byte[] clientRandom, byte[] serverRandom);
}
