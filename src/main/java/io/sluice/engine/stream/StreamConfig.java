package io.sluice.engine.stream;

import java.time.Duration;

/**
 * How live streams behave.
 *
 * @param gopCacheMaxBytes   bound of the late-joiner cache in bytes (0 disables it with gopCacheMaxPackets 0)
 * @param gopCacheMaxPackets bound of the late-joiner cache in packets
 * @param reconnectGrace     how long players wait for a republish after the publisher left
 * @param playWait           how long a player of a stream not yet published waits for its publisher
 * @param duplicatePublish   what a second publisher on a live name gets
 */
public record StreamConfig(long gopCacheMaxBytes, int gopCacheMaxPackets, Duration reconnectGrace, Duration playWait,
                           DuplicatePublishPolicy duplicatePublish) {

    public enum DuplicatePublishPolicy { REJECT, REPLACE }

    public static final StreamConfig DEFAULT = new StreamConfig(32L * 1024 * 1024, 4096, Duration.ofSeconds(3),
            Duration.ofSeconds(30), DuplicatePublishPolicy.REJECT);
}
