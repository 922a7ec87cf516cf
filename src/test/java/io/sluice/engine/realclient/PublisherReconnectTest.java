package io.sluice.engine.realclient;

import static io.sluice.engine.realclient.RealClients.FPS;
import static io.sluice.engine.realclient.RealClients.RECONNECT_GRACE;
import static io.sluice.engine.realclient.RealClients.assumeInstalled;
import static io.sluice.engine.realclient.RealClients.atLeast95Percent;
import static io.sluice.engine.realclient.RealClients.log;
import static io.sluice.engine.realclient.RealClients.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The publisher leaves: players (ffmpeg, rtmpdump, GStreamer rtmp2src) ride out a republish within
 * the reconnect grace, exit by themselves when there is none, and a later publish of the same name
 * is playable.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PublisherReconnectTest {
    @RegisterExtension
    static final RealClients clients = new RealClients();

    private static final int SECONDS = 3;
    private static final int FRAMES = SECONDS * FPS;

    /** ffmpeg, rtmpdump and rtmp2src saving {@code url}, whichever are installed; waits until all play. */
    private Map<String, ExternalTool> startPlayers(String stream, Map<String, Path> outputs) {
        String url = RealClients.url(clients.server(), stream);
        Map<String, ExternalTool> players = new LinkedHashMap<>();
        outputs.put("ffmpeg", clients.file("ffmpeg.flv"));
        players.put("ffmpeg", clients.start("ffmpeg", RealClients.ffmpegCopy(url, outputs.get("ffmpeg"))));
        if (RealClients.installed("rtmpdump")) {
            outputs.put("rtmpdump", clients.file("rtmpdump.flv"));
            players.put("rtmpdump", clients.start("rtmpdump", RealClients.rtmpdump(url, outputs.get("rtmpdump"))));
        } else {
            log("rtmpdump not installed: left out");
        }
        if (RealClients.installed("gst-launch-1.0") && RealClients.gstElementExists("rtmp2src")) {
            outputs.put("rtmp2src", clients.file("rtmp2src.flv"));
            players.put("rtmp2src", clients.start("rtmp2src", RealClients.gstRtmp2src(url, outputs.get("rtmp2src"))));
        } else {
            log("GStreamer rtmp2src not installed: left out");
        }
        RealClients.awaitPlayers(clients.server(), stream, players.size(), Duration.ofSeconds(20));
        return players;
    }

    @Test
    void playersRideOutARepublishWithinTheGrace() {
        assumeInstalled("ffmpeg", "ffprobe");
        String stream = "republish-in-grace";
        String url = RealClients.url(clients.server(), stream);
        Map<String, Path> outputs = new LinkedHashMap<>();
        Map<String, ExternalTool> players = startPlayers(stream, outputs);

        ExternalTool first = clients.ffmpegPublisher("publisher-1", stream, SECONDS);
        assertThat(first.assertExitsWithin(Duration.ofSeconds(SECONDS + 15))).isZero();
        long firstExit = first.exitNanosOrThrow();
        // republish at once: ffmpeg needs well under a second to connect, the grace is 2 s
        ExternalTool second = clients.start("publisher-2", RealClients.ffmpegPublish(url, SECONDS));
        long republishedAt = RealClients.awaitLive(clients.server(), stream, Duration.ofSeconds(10));
        log("republished %.2f s after the first publisher exited (grace %s)",
                seconds(republishedAt - firstExit), RECONNECT_GRACE);
        assertThat(republishedAt - firstExit).as("test setup: the republish came within the grace (ms)")
                .isLessThan(RECONNECT_GRACE.toNanos());
        assertThat(second.assertExitsWithin(Duration.ofSeconds(SECONDS + 15))).isZero();
        long secondExit = second.exitNanosOrThrow();

        SoftAssertions soft = new SoftAssertions();
        for (Map.Entry<String, ExternalTool> e : players.entrySet()) {
            String key = e.getKey();
            ExternalTool player = e.getValue();
            long left = secondExit + RECONNECT_GRACE.plusSeconds(3).toNanos() - System.nanoTime();
            boolean exited = player.awaitExit(Duration.ofNanos(Math.max(0, left)));
            soft.assertThat(exited).as("%s exited within grace + 3 s of the second publisher", key).isTrue();
            if (!exited) {
                continue;
            }
            long exitAt = player.exitNanosOrThrow();
            RealClients.MediaInfo info = clients.probe(outputs.get(key));
            log("%s across a republish: %s; exited %.2f s after the first publisher, %.2f s after the second",
                    key, info, seconds(exitAt - firstExit), seconds(exitAt - secondExit));
            soft.assertThat(exitAt - republishedAt)
                    .as("%s must still be playing at the republish, but it exited %.2f s after the first"
                            + " publisher left (%.2f s before the republish); output:%n%s", key,
                            seconds(exitAt - firstExit), seconds(republishedAt - exitAt), player.tail(8))
                    .isPositive();
            soft.assertThat(info.videoFrames())
                    .as("%s video frames: more than the first publish's %d, >= 95 %% of both publishes' %d",
                            key, FRAMES, 2 * FRAMES)
                    .isGreaterThanOrEqualTo(atLeast95Percent(2 * FRAMES));
            soft.assertThat(player.exitCode()).as("%s exit code", key).isZero();
            if (key.equals("rtmpdump")) {
                // rtmpdump writes the tags as they came: timestamps go on across the republish
                FlvFileScan scan = FlvFileScan.of(outputs.get(key));
                soft.assertThat(scan.largestVideoStep()).as("largest step between video timestamps (ms)")
                        .isBetween(0, 1000);
            }
        }
        soft.assertAll();
    }

    @Test
    void playersExitWhenNoRepublishComes() {
        assumeInstalled("ffmpeg", "ffprobe");
        String stream = "no-republish";
        Map<String, Path> outputs = new LinkedHashMap<>();
        Map<String, ExternalTool> players = startPlayers(stream, outputs);

        ExternalTool publisher = clients.ffmpegPublisher("publisher", stream, SECONDS);
        assertThat(publisher.assertExitsWithin(Duration.ofSeconds(SECONDS + 15))).isZero();
        long publisherExit = publisher.exitNanosOrThrow();

        SoftAssertions soft = new SoftAssertions();
        for (Map.Entry<String, ExternalTool> e : players.entrySet()) {
            ExternalTool player = e.getValue();
            long left = publisherExit + RECONNECT_GRACE.plusSeconds(2).toNanos() - System.nanoTime();
            boolean exited = player.awaitExit(Duration.ofNanos(Math.max(0, left)));
            soft.assertThat(exited).as("%s exited within grace + 2 s of the publisher; output:%n%s",
                    e.getKey(), player.tail(8)).isTrue();
            if (exited) {
                RealClients.MediaInfo info = clients.probe(outputs.get(e.getKey()));
                log("%s without republish: %s; exited %.2f s after the publisher, exit code %d", e.getKey(),
                        info, seconds(player.exitNanosOrThrow() - publisherExit), player.exitCode());
                soft.assertThat(player.exitCode()).as("%s exit code", e.getKey()).isZero();
                soft.assertThat(info.videoFrames()).as("%s video frames", e.getKey())
                        .isGreaterThanOrEqualTo(atLeast95Percent(FRAMES));
            }
        }
        soft.assertAll();
        RealClients.awaitCondition(Duration.ofSeconds(2), "the stream gone from the registry",
                () -> RealClients.snapshot(clients.server(), stream).isEmpty());
    }

    @Test
    void republishAfterTheGraceIsPlayable() {
        assumeInstalled("ffmpeg", "ffprobe");
        String stream = "republish-after-grace";
        String url = RealClients.url(clients.server(), stream);

        ExternalTool firstPlayer = clients.start("ffmpeg-1", RealClients.ffmpegCopy(url, clients.file("first.flv")));
        RealClients.awaitPlayers(clients.server(), stream, 1, Duration.ofSeconds(15));
        ExternalTool first = clients.ffmpegPublisher("publisher-1", stream, SECONDS);
        assertThat(first.assertExitsWithin(Duration.ofSeconds(SECONDS + 15))).isZero();
        long firstExit = first.exitNanosOrThrow();
        firstPlayer.assertExitsWithin(RECONNECT_GRACE.plusSeconds(3));
        // past the grace: the name is free and nothing of the first publish is left
        RealClients.sleepUntil(firstExit + RECONNECT_GRACE.plusMillis(500).toNanos());
        RealClients.awaitCondition(Duration.ofSeconds(2), "the first stream gone from the registry",
                () -> RealClients.snapshot(clients.server(), stream).isEmpty());

        Path out = clients.file("second.flv");
        ExternalTool player = clients.start("ffmpeg-2", RealClients.ffmpegCopy(url, out));
        RealClients.awaitPlayers(clients.server(), stream, 1, Duration.ofSeconds(15));
        ExternalTool second = clients.ffmpegPublisher("publisher-2", stream, SECONDS);
        assertThat(second.assertExitsWithin(Duration.ofSeconds(SECONDS + 15)))
                .as("second publisher exit code: %s", second.tail(10)).isZero();
        assertThat(player.assertExitsWithin(RECONNECT_GRACE.plusSeconds(3)))
                .as("player exit code: %s", player.tail(10)).isZero();
        RealClients.MediaInfo info = clients.probe(out);
        log("republish after the grace: player of the second publish saved %s", info);
        assertThat(info.videoCodec()).isEqualTo("h264");
        assertThat(info.videoFrames()).isGreaterThanOrEqualTo(atLeast95Percent(FRAMES));
    }
}
