package io.sluice.engine.protocol;

/**
 * Bytes from a peer that break the protocol or one of the configured limits. Thrown by every parser
 * in the engine; the connection that sent them is closed with one log line carrying this message,
 * and nothing else is affected.
 */
public class RtmpProtocolException extends RuntimeException {

    public RtmpProtocolException(String message) {
        super(message);
    }

    public RtmpProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
