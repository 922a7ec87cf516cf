package io.sluice.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sluice.engine.RtmpServer;
import io.sluice.engine.RtmpServerConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load generator measures: a publisher and 5 players for a few seconds against the engine, the
 * bare fan-out and nginx-rtmp, and the figures are those of a working stream (every player got
 * frames at about the nominal bitrate, latency positive and under a second, nobody stalled). No
 * performance target is asserted here; bench/compare.sh measures.
 */
@Timeout(60)
class LoadGeneratorTest {
    private static final StreamShape SHAPE = StreamShape.DEFAULT;
    private static final int PLAYERS = 5;

    @TempDir
    Path dir;

    @Test
    void measuresAStreamOnTheEngine() throws Exception {
        RtmpServer server = new RtmpServer(RtmpServerConfig.defaults().withHost("127.0.0.1").withPort(0));
        server.start();
        try (Publisher publisher = new Publisher(SHAPE, "rtmp://127.0.0.1:" + server.port() + "/live/smoke")) {
            publisher.start().get(10, TimeUnit.SECONDS);
            assertSane(measure(server.port(), Duration.ofSeconds(1)));
        } finally {
            server.stop(Duration.ofSeconds(2));
        }
    }

    @Test
    void measuresTheBareFanOutPerMessageAndMerged() throws Exception {
        for (int mergeMillis : new int[]{0, 50}) {
            try (FanoutServer fanout = new FanoutServer(SHAPE, new InetSocketAddress("127.0.0.1", 0), mergeMillis)) {
                // no cache of the last keyframe: a player's first frame is the next message
                PlayStats stats = measure(fanout.port(), Duration.ofMillis(500));
                assertSane(stats);
                if (mergeMillis > 0) {
                    assertThat(stats.latencyP50()).as("merged writes wait for their window").isGreaterThan(1_000);
                }
            }
        }
    }

    @Test
    void measuresAStreamOnNginxRtmp() throws Exception {
        assumeTrue(NginxRtmp.installed(), "nginx with libnginx-mod-rtmp not installed: skipping");
        try (NginxRtmp nginx = new NginxRtmp(dir);
             Publisher publisher = new Publisher(SHAPE, "rtmp://127.0.0.1:" + nginx.port() + "/live/smoke")) {
            publisher.start().get(10, TimeUnit.SECONDS);
            // nginx-rtmp caches no GOP: players start at the next keyframe, up to a GOP (2 s) later
            assertSane(measure(nginx.port(), Duration.ofMillis((long) (SHAPE.gopSeconds() * 1000) + 500)));
        }
    }

    private static PlayStats measure(int port, Duration settle) throws Exception {
        PlayRun run = new PlayRun(new InetSocketAddress("127.0.0.1", port), "live", "smoke", PLAYERS, 50, 1, settle,
                Duration.ofSeconds(3), SHAPE, ProcessHandle.current().pid(), null);
        PlayRun.Result result = run.run();
        assertThat(result.serverCpuSeconds()).as("CPU sampled from /proc").isPositive();
        assertThat(result.rssAfterKib()).as("RSS sampled from /proc").isPositive();
        return result.stats();
    }

    private static void assertSane(PlayStats stats) {
        assertThat(stats.players()).isEqualTo(PLAYERS);
        assertThat(stats.withoutFrame()).as("players without a frame: %s", stats).isZero();
        assertThat(stats.dropped()).as("dropped: %s", stats).isZero();
        assertThat(stats.stalled()).as("stalled: %s", stats).isZero();
        assertThat(stats.frames()).as("latency samples: %s", stats).isGreaterThanOrEqualTo(PLAYERS * 30L);
        assertThat(stats.latencyP50()).as("latency p50 µs: %s", stats).isPositive();
        // p50, not max: on a loaded machine (and under the tests' paranoid leak detector) a join's backlog shows
        assertThat(stats.latencyP50()).as("latency p50 µs: %s", stats).isLessThan(1_000_000);
        assertThat(stats.firstFrameP50()).as("first frame p50 µs: %s", stats).isPositive();
        assertThat(stats.bitrateMinPct()).as("bitrate: %s", stats).isPositive();
        assertThat(stats.bitrateMedianPct()).as("bitrate: %s", stats).isBetween(80.0, 120.0);
    }
}
