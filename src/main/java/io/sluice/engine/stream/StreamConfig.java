package io.sluice.engine.stream;

import java.time.Duration;
import java.util.Map;

/**
 * How live streams behave.
 *
 * @param gopCacheMaxBytes   bound of the late-joiner cache in bytes (0 disables it with gopCacheMaxPackets 0)
 * @param gopCacheMaxPackets bound of the late-joiner cache in packets
 * @param reconnectGrace     how long players wait for a republish after the publisher left
 * @param playWait           how long a player of a stream not yet published waits for its publisher
 * @param duplicatePublish   what a second publisher on a live name gets
 * @param mergeWindow        zero (the default): players are written to at the end of every burst from
 *                           the publisher, for the lowest latency. Positive: what each player has queued
 *                           goes out in one gathering write per window (SRS's "merged write"), which
 *                           costs a fraction of the system calls and CPU for up to one window more latency
 * @param appMergeWindows    {@code mergeWindow} for particular applications, overriding the default
 */
public record StreamConfig(long gopCacheMaxBytes, int gopCacheMaxPackets, Duration reconnectGrace, Duration playWait,
                           DuplicatePublishPolicy duplicatePublish, Duration mergeWindow,
                           Map<String, Duration> appMergeWindows) {

    public enum DuplicatePublishPolicy { REJECT, REPLACE }

    public static final StreamConfig DEFAULT = new StreamConfig(32L * 1024 * 1024, 4096, Duration.ofSeconds(3),
            Duration.ofSeconds(30), DuplicatePublishPolicy.REJECT);

    public StreamConfig {
        mergeWindow = mergeWindow == null ? Duration.ZERO : mergeWindow;
        appMergeWindows = appMergeWindows == null ? Map.of() : Map.copyOf(appMergeWindows);
        if (mergeWindow.isNegative() || appMergeWindows.values().stream().anyMatch(Duration::isNegative)) {
            throw new IllegalArgumentException("merge windows cannot be negative: " + mergeWindow + " "
                    + appMergeWindows);
        }
    }

    /** Players written at the end of every publisher burst (no merged writes). */
    public StreamConfig(long gopCacheMaxBytes, int gopCacheMaxPackets, Duration reconnectGrace, Duration playWait,
                        DuplicatePublishPolicy duplicatePublish) {
        this(gopCacheMaxBytes, gopCacheMaxPackets, reconnectGrace, playWait, duplicatePublish, Duration.ZERO, Map.of());
    }

    /** The merge window of streams in {@code app}. */
    public Duration mergeWindow(String app) {
        return appMergeWindows.getOrDefault(app, mergeWindow);
    }

    public StreamConfig withMergeWindows(Duration defaultWindow, Map<String, Duration> perApp) {
        return new StreamConfig(gopCacheMaxBytes, gopCacheMaxPackets, reconnectGrace, playWait, duplicatePublish,
                defaultWindow, perApp);
    }
}
