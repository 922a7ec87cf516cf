package io.sluice.engine.stream;

/** The source of a live stream, as the stream sees it. */
public interface Publisher {

    long sessionId();

    /** Ends the publish from outside (replaced by a new publisher, kicked). Thread-safe. */
    void stopPublishing(String reason);
}
