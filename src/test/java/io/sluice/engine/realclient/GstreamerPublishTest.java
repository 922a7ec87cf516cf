package io.sluice.engine.realclient;

import static io.sluice.engine.realclient.RealClients.FPS;
import static io.sluice.engine.realclient.RealClients.RECONNECT_GRACE;
import static io.sluice.engine.realclient.RealClients.assumeGstElements;
import static io.sluice.engine.realclient.RealClients.assumeInstalled;
import static io.sluice.engine.realclient.RealClients.atLeast95Percent;
import static io.sluice.engine.realclient.RealClients.log;
import static io.sluice.engine.realclient.RealClients.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.engine.stream.StreamSnapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * GStreamer publishes (rtmp2sink, then librtmp's rtmpsink) 5 s of 320x240 H.264 (+ AAC when an
 * encoder is installed) while an ffmpeg player, started first, saves the stream.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GstreamerPublishTest {
    @RegisterExtension
    static final RealClients clients = new RealClients();

    private static final int FRAMES = 150;
    /** audiotestsrc's default buffers hold 1024 samples at 44.1 kHz: this many make the 5 s of video. */
    private static final int AUDIO_BUFFERS = (int) Math.ceil(FRAMES / (double) FPS * 44100 / 1024);

    private static String aacEncoder;

    @BeforeAll
    static void findAacEncoder() {
        aacEncoder = Stream.of("voaacenc", "avenc_aac", "fdkaacenc")
                .filter(RealClients::gstElementExists).findFirst().orElse(null);
        log("GStreamer AAC encoder: %s", aacEncoder == null ? "none (publishing video only)" : aacEncoder);
    }

    @Test
    void rtmp2sinkPublishes() {
        publishWith("rtmp2sink", "gst-rtmp2sink");
    }

    @Test
    void rtmpsinkPublishes() {
        publishWith("rtmpsink", "gst-rtmpsink");
    }

    private void publishWith(String sink, String stream) {
        assumeInstalled("ffmpeg", "ffprobe");
        assumeGstElements(sink, "videotestsrc", "x264enc", "h264parse", "flvmux");
        String url = RealClients.url(clients.server(), stream);
        Path out = clients.file("ffmpeg-player.flv");
        ExternalTool player = clients.ffmpegPlayer(stream, out);

        List<String> pipeline = new ArrayList<>(List.of("gst-launch-1.0", "-e",
                "videotestsrc", "is-live=true", "num-buffers=" + FRAMES, "!",
                "video/x-raw,width=320,height=240,framerate=" + FPS + "/1", "!",
                "x264enc", "tune=zerolatency", "key-int-max=" + FPS, "speed-preset=ultrafast", "!",
                "h264parse", "!", "flvmux", "name=m", "streamable=true", "!", sink, "location=" + url));
        if (aacEncoder != null) {
            pipeline.addAll(List.of("audiotestsrc", "is-live=true", "num-buffers=" + AUDIO_BUFFERS, "!",
                    aacEncoder, "!", "m."));
        }
        ExternalTool publisher = clients.start(sink, pipeline);
        RealClients.awaitLive(clients.server(), stream, Duration.ofSeconds(15));
        StreamSnapshot live = RealClients.awaitSnapshotWithVideo(clients.server(), stream, Duration.ofSeconds(10));

        assertThat(publisher.assertExitsWithin(Duration.ofSeconds(30)))
                .as("%s exit code; output:%n%s", sink, publisher.tail(15)).isZero();
        int playerExit = player.assertExitsWithin(RECONNECT_GRACE.plusSeconds(3));
        double exitDelay = seconds(player.exitNanosOrThrow() - publisher.exitNanosOrThrow());
        RealClients.MediaInfo info = clients.probe(out);
        log("%s -> ffmpeg: engine saw %s %dx%d / %s; player saved %s; player exited %.2f s after the publisher",
                sink, live.videoCodec(), live.width(), live.height(), live.audioCodec(), info, exitDelay);

        assertThat(playerExit).as("ffmpeg player exit code: %s", player.tail(15)).isZero();
        assertThat(info.videoCodec()).isEqualTo("h264");
        assertThat(info.width()).isEqualTo(320);
        assertThat(info.height()).isEqualTo(240);
        assertThat(info.videoFrames()).as("video frames of %d published", FRAMES)
                .isGreaterThanOrEqualTo(atLeast95Percent(FRAMES));
        if (aacEncoder != null) {
            assertThat(info.audioCodec()).isEqualTo("aac");
        }
    }
}
