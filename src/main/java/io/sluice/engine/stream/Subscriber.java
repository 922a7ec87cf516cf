package io.sluice.engine.stream;

import io.netty.util.concurrent.EventExecutor;
import io.sluice.engine.media.MediaPacket;
import java.util.List;

/**
 * Receives a live stream: an RTMP player, an HTTP-FLV viewer, a recorder. All methods are called on
 * the subscriber's {@link #executor()}, one at a time, and must return at once; a subscriber that
 * keeps or writes a packet retains it. A slow subscriber deals with its own backlog (drop to the next
 * keyframe) and never blocks.
 */
public interface Subscriber {

    long id();

    /**
     * The event loop to be called on (an RTMP player's: its channel's writes then need no hand-over),
     * or null for the stream's own executor.
     */
    default EventExecutor executor() {
        return null;
    }

    /**
     * A publisher started while this subscriber was waiting: the first publish, or a republish within
     * the grace window. Not called for a subscriber that joins a stream already live.
     */
    default void onPublish(boolean republish) {
    }

    void deliver(MediaPacket packet);

    /** End of a burst of deliveries: write out what was queued. */
    default void flush() {
    }

    /**
     * A burst, as a stream hands it out: {@link #deliver} each packet (not retained for the
     * subscriber), then {@link #flush}. A stream visits each subscriber once per burst this way, not
     * once per packet and again to flush: with thousands of players, what a player touches to take a
     * packet has left the CPU's caches by the time the stream comes back to it.
     */
    default void send(List<MediaPacket> burst) {
        for (int i = 0; i < burst.size(); i++) {
            deliver(burst.get(i));
        }
        flush();
    }

    /**
     * The publisher left; the stream waits for a republish within its grace window. Subscribers stay:
     * what a player is told now must not make it give up.
     */
    default void onUnpublish() {
    }

    /** The stream is over for this subscriber (grace expired, or no publisher came in time). */
    void onStreamEnd(boolean neverPublished);
}
