package io.sluice.engine.spi;

import java.net.InetSocketAddress;

/**
 * Notifications of what happens on the engine. Called on event loops: implementations hand work to
 * their own executor and return at once; they never block and never throw.
 */
public interface StreamEventListener {

    default void connected(SessionInfo session) {
    }

    default void publishStarted(SessionInfo session) {
    }

    /**
     * Right after {@link #publishStarted}: the access decision asked for this publish to be recorded
     * (a stream key with auto-record on, or a callback's answer).
     */
    default void recordRequested(SessionInfo session) {
    }

    default void publishEnded(SessionInfo session) {
    }

    default void playStarted(SessionInfo session) {
    }

    default void playEnded(SessionInfo session) {
    }

    default void disconnected(SessionInfo session) {
    }

    /**
     * A peer was refused because of a configured limit (already logged by the engine). {@code remote}
     * may be null when the peer's address is unknown.
     */
    default void refused(Refusal reason, InetSocketAddress remote) {
    }

    StreamEventListener NONE = new StreamEventListener() {
    };
}
