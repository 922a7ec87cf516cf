package io.sluice.engine.realclient;

import static io.sluice.engine.realclient.RealClients.FPS;
import static io.sluice.engine.realclient.RealClients.PLAY_WAIT;
import static io.sluice.engine.realclient.RealClients.assumeInstalled;
import static io.sluice.engine.realclient.RealClients.atLeast95Percent;
import static io.sluice.engine.realclient.RealClients.log;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Throughput mode: with a 50 ms merge window, ffmpeg, rtmpdump (librtmp) and GStreamer players still
 * get every frame of an ffmpeg publish, in order and decodable, and exit when it ends.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MergedWritesTest {
    @RegisterExtension
    static final RealClients clients = new RealClients(() -> RealClients.startServer(
            RealClients.streams(PLAY_WAIT).withMergeWindows(Duration.ZERO, Map.of(RealClients.APP, Duration.ofMillis(50)))));

    private static final int SECONDS = 5;
    private static final int FRAMES = SECONDS * FPS;

    @Test
    void realPlayersGetEveryFrameThroughMergedWrites() {
        assumeInstalled("ffmpeg", "ffprobe");
        String stream = "merged";
        String url = RealClients.url(clients.server(), stream);
        Map<String, List<String>> commands = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            commands.put("ffmpeg-" + i, RealClients.ffmpegCopy(url, clients.file("ffmpeg-" + i + ".flv")));
        }
        if (RealClients.installed("rtmpdump")) {
            commands.put("rtmpdump", RealClients.rtmpdump(url, clients.file("rtmpdump.flv")));
        }
        if (RealClients.installed("gst-launch-1.0") && RealClients.gstElementExists("rtmp2src")) {
            commands.put("rtmp2src", RealClients.gstRtmp2src(url, clients.file("rtmp2src.flv")));
        }
        List<ExternalTool> players = new ArrayList<>();
        commands.forEach((name, command) -> players.add(clients.start(name, command)));
        RealClients.awaitPlayers(clients.server(), stream, players.size(), Duration.ofSeconds(30));

        ExternalTool publisher = clients.start("publisher", RealClients.ffmpegPublish(url, SECONDS));
        assertThat(publisher.assertExitsWithin(Duration.ofSeconds(SECONDS + 20)))
                .as("publisher exit code: %s", publisher.tail(15)).isZero();

        SoftAssertions soft = new SoftAssertions();
        List<String> figures = new ArrayList<>();
        for (ExternalTool player : players) {
            boolean exited = player.awaitExit(RealClients.RECONNECT_GRACE.plusSeconds(10));
            soft.assertThat(exited).as("%s exited after the publisher; output:%n%s", player.name(),
                    player.tail(10)).isTrue();
            if (!exited) {
                continue;
            }
            RealClients.MediaInfo info = clients.probe(clients.file(player.name() + ".flv"));
            figures.add(player.name() + " " + info.videoFrames());
            soft.assertThat(info.videoCodec()).as("%s codec", player.name()).isEqualTo("h264");
            soft.assertThat(info.videoFrames()).as("%s video frames of %d", player.name(), FRAMES)
                    .isGreaterThanOrEqualTo(atLeast95Percent(FRAMES));
        }
        log("merged writes (50 ms), frames per player: %s", figures);
        soft.assertAll();
    }
}
