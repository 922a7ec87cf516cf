package io.sluice.live;

import java.time.Instant;
import java.util.List;

/** What the live API returns. */
final class LiveDtos {
    private LiveDtos() {
    }

    record StreamView(String app, String name, boolean live, String keyLabel, Long publisherSessionId,
                      String videoCodec, String audioCodec, int width, int height, double fps, long bitrateIn,
                      long bitrateOut, long bytesIn, long uptimeSeconds, Instant publishedAt, int players) {
    }

    record StreamDetail(StreamView stream, SessionView publisher, List<SessionView> players) {
    }

    record SessionView(long id, String address, String role, String app, String stream, Instant startedAt,
                       long bytesIn, long bytesOut, long bitrateIn, long bitrateOut, String encoder, String tcUrl) {
    }

    record KickResult(String stream, Long publisherSessionId, int playersKicked, Long bannedSeconds,
                      boolean keyDisabled) {
    }
}
