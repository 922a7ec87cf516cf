package io.sluice.engine.protocol.handshake;

import io.sluice.engine.protocol.RtmpProtocolException;

/**
 * The peer broke the RTMP handshake (for example an unsupported version byte). Thrown from the
 * handshake handlers' {@code decode}; like every exception thrown there, Netty's
 * {@link io.netty.handler.codec.ByteToMessageDecoder} hands it to {@code exceptionCaught} wrapped
 * in a {@link io.netty.handler.codec.DecoderException}.
 */
public class HandshakeException extends RtmpProtocolException {

    public HandshakeException(String message) {
        super(message);
    }

    public HandshakeException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * For a C0 or S0 byte other than 3, with a hint for the usual causes.
     *
     * @param packet  "C0" or "S0"
     * @param version the byte received, 0..255
     */
    static HandshakeException unsupportedVersion(String packet, int version) {
        String hint;
        if (version == 6 || version == 8 || version == 9) {
            hint = "RTMPE (encrypted RTMP) is not supported; use plain rtmp://";
        } else if (version == 0x16 && "C0".equals(packet)) {
            hint = "this looks like a TLS ClientHello: rtmps:// to a plain RTMP port?";
        } else if (version >= 'A' && version <= 'Z') {
            hint = "this looks like text ('" + (char) version + "'): "
                    + ("C0".equals(packet) ? "an HTTP request on the RTMP port?" : "not an RTMP server?");
        } else {
            hint = "only plain RTMP (3) is supported";
        }
        return new HandshakeException(String.format(
                "unsupported RTMP version byte %d (0x%02X) in %s, expected 3: %s", version, version, packet, hint));
    }
}
