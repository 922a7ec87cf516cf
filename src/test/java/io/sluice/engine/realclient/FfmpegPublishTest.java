package io.sluice.engine.realclient;

import static io.sluice.engine.realclient.RealClients.FPS;
import static io.sluice.engine.realclient.RealClients.RECONNECT_GRACE;
import static io.sluice.engine.realclient.RealClients.assumeInstalled;
import static io.sluice.engine.realclient.RealClients.atLeast95Percent;
import static io.sluice.engine.realclient.RealClients.log;
import static io.sluice.engine.realclient.RealClients.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ffmpeg publishes 6 s of H.264 + AAC once; every installed player, started before the publisher,
 * plays it concurrently: ffmpeg ({@code -c copy}), rtmpdump, GStreamer rtmp2src and rtmpsrc save it,
 * ffprobe reads the live URL. Each test checks one player: what it saved (codec, size, >= 95 % of the
 * 180 frames) and that it exited by itself once the publisher was gone.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FfmpegPublishTest {
    @RegisterExtension
    static final RealClients clients = new RealClients(() -> RealClients.startServer(FfmpegPublishTest.PLAY_WAIT));

    private static final String STREAM = "ffmpeg-to-all";
    private static final int SECONDS = 6;
    private static final int FRAMES = SECONDS * FPS;
    /**
     * Players start at most a few seconds before the publisher here; a short play wait bounds how long
     * rtmpsrc lingers (see {@link #gstreamerRtmpsrc()}).
     */
    private static final Duration PLAY_WAIT = Duration.ofSeconds(5);
    /** "Exits by itself": within the reconnect grace plus a margin for a loaded 2-core machine. */
    private static final Duration EXIT_BOUND = RECONNECT_GRACE.plusSeconds(3);
    private static final Duration RTMPSRC_EXIT_BOUND = RECONNECT_GRACE.plus(PLAY_WAIT).plusSeconds(3);

    private static final Map<String, ExternalTool> players = new LinkedHashMap<>();
    private static final Map<String, Path> outputs = new LinkedHashMap<>();
    private static final Map<String, String> missing = new LinkedHashMap<>();
    private static ExternalTool publisher;
    private static ExternalTool urlProbe;
    private static long publisherExit;

    @BeforeAll
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    static void publishOnceToEveryPlayer() {
        assumeInstalled("ffmpeg", "ffprobe");
        String url = RealClients.url(clients.server(), STREAM);

        player("ffmpeg", RealClients::ffmpegCopy, url);
        if (RealClients.installed("rtmpdump")) {
            player("rtmpdump", RealClients::rtmpdump, url);
        } else {
            missing.put("rtmpdump", "rtmpdump not installed: skipping");
        }
        for (String element : List.of("rtmp2src", "rtmpsrc")) {
            if (RealClients.installed("gst-launch-1.0") && RealClients.gstElementExists(element)) {
                player(element, element.equals("rtmp2src") ? RealClients::gstRtmp2src
                        : RealClients::gstRtmpsrc, url);
            } else {
                missing.put(element, "GStreamer " + element + " not installed: skipping");
            }
        }
        RealClients.awaitPlayers(clients.server(), STREAM, players.size(), Duration.ofSeconds(20));

        publisher = clients.ffmpegPublisher("publisher", STREAM, SECONDS);
        urlProbe = clients.start("ffprobe-url", List.of("ffprobe", "-v", "error",
                "-show_entries", "stream=codec_type,codec_name,width,height", "-of", "json", url));

        assertThat(publisher.assertExitsWithin(Duration.ofSeconds(SECONDS + 20)))
                .as("publisher exit code; output:%n%s", publisher.tail(15)).isZero();
        publisherExit = publisher.exitNanosOrThrow();
        // let every player finish (or run out its bound) before the tests look at them
        for (Map.Entry<String, ExternalTool> e : players.entrySet()) {
            Duration bound = e.getKey().equals("rtmpsrc") ? RTMPSRC_EXIT_BOUND : EXIT_BOUND;
            long left = publisherExit + bound.plusSeconds(2).toNanos() - System.nanoTime();
            e.getValue().awaitExit(Duration.ofNanos(Math.max(0, left)));
        }
        urlProbe.awaitExit(Duration.ofSeconds(10));
    }

    private interface Command {
        List<String> of(String url, Path out);
    }

    private static void player(String name, Command command, String url) {
        Path out = clients.file(name + ".flv");
        outputs.put(name, out);
        players.put(name, clients.start(name, command.of(url, out)));
    }

    @Test
    void ffmpegCopyGetsEveryFrame() {
        assertPlayer("ffmpeg", EXIT_BOUND);
    }

    @Test
    void ffprobeOnTheUrlSeesH264AndAac() {
        assertThat(urlProbe.awaitExit(Duration.ofSeconds(1))).as("ffprobe on the URL exited; output:%n%s",
                urlProbe.tail(10)).isTrue();
        assertThat(urlProbe.exitCode()).as("ffprobe exit code: %s", urlProbe.tail(10)).isZero();
        RealClients.MediaInfo info = RealClients.parseStreams(urlProbe.output(), false);
        log("ffprobe on the URL: %s %dx%d + %s in %.2f s", info.videoCodec(), info.width(), info.height(),
                info.audioCodec(), seconds(urlProbe.runTime().toNanos()));
        assertThat(info.videoCodec()).isEqualTo("h264");
        assertThat(info.width()).isEqualTo(640);
        assertThat(info.height()).isEqualTo(360);
        assertThat(info.audioCodec()).isEqualTo("aac");
    }

    @Test
    void rtmpdumpGetsEveryFrame() {
        assertPlayer("rtmpdump", EXIT_BOUND);
    }

    @Test
    void gstreamerRtmp2src() {
        assertPlayer("rtmp2src", EXIT_BOUND);
    }

    /**
     * rtmpsrc reconnects by itself whenever librtmp's connection closed while it was reading
     * (gstrtmpsrc.c create(): "reconnecting"), so after the stream ends it plays the name again as a
     * new player, which waits out the play wait before getting StreamNotFound and ending. Its bound
     * is grace + play wait + margin.
     */
    @Test
    void gstreamerRtmpsrc() {
        assertPlayer("rtmpsrc", RTMPSRC_EXIT_BOUND);
    }

    private static void assertPlayer(String key, Duration exitBound) {
        assumeTrue(players.containsKey(key), missing.get(key));
        ExternalTool player = players.get(key);
        assertThat(player.exitNanos())
                .as("%s still running %s after the publisher stopped: it hangs instead of exiting; output:%n%s",
                        key, exitBound.plusSeconds(2), player.tail(15))
                .isPresent();
        double exitDelay = seconds(player.exitNanosOrThrow() - publisherExit);
        RealClients.MediaInfo info = clients.probe(outputs.get(key));
        log("%s: %s; exit code %d, exited %.2f s after the publisher", key, info, player.exitCode(), exitDelay);

        assertThat(exitDelay).as("%s exit delay after the publisher stopped (s)", key)
                .isLessThanOrEqualTo(seconds(exitBound.toNanos()));
        assertThat(player.exitCode()).as("%s exit code; output:%n%s", key, player.tail(15)).isZero();
        assertThat(info.videoCodec()).as("%s video codec", key).isEqualTo("h264");
        assertThat(info.width()).as("%s width", key).isEqualTo(640);
        assertThat(info.height()).as("%s height", key).isEqualTo(360);
        assertThat(info.audioCodec()).as("%s audio codec", key).isEqualTo("aac");
        assertThat(info.videoFrames()).as("%s video frames of %d published", key, FRAMES)
                .isGreaterThanOrEqualTo(atLeast95Percent(FRAMES));
    }
}
