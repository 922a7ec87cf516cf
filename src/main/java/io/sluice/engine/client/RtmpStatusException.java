package io.sluice.engine.client;

/** The server answered a command with an error status (or _error). */
public final class RtmpStatusException extends RuntimeException {
    private final String code;

    public RtmpStatusException(String code, String description) {
        super(code + (description == null || description.isEmpty() ? "" : ": " + description));
        this.code = code;
    }

    /** The info code, e.g. {@code NetStream.Publish.BadName}. */
    public String code() {
        return code;
    }
}
