package io.sluice.engine.stream;

import java.time.Instant;

/** An immutable view of one live stream, for listings and metrics. */
public record StreamSnapshot(String app, String name, boolean live, long publisherSessionId, String label,
                             Instant publishedAt, String videoCodec, String audioCodec, int width, int height,
                             double frameRate, long bytesIn, long bitrateIn, int subscribers) {
}
