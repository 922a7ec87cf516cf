package io.sluice.engine;

/** The server could not start (port in use, address not available). */
public final class RtmpServerException extends RuntimeException {
    public RtmpServerException(String message, Throwable cause) {
        super(message, cause);
    }
}
