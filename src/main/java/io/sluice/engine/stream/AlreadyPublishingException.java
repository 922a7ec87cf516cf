package io.sluice.engine.stream;

/** A publish on a name that already has a live publisher, under the REJECT policy. */
public final class AlreadyPublishingException extends RuntimeException {
    public AlreadyPublishingException(StreamKey key) {
        super("stream " + key + " is already being published", null, false, false);
    }
}
