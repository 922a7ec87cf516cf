package io.sluice.engine.realclient;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.engine.ConnectionLimits;
import io.sluice.engine.RtmpServer;
import io.sluice.engine.spi.Refusal;
import io.sluice.engine.spi.StreamEventListener;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The default {@link ConnectionLimits} never get in a real client's way: ffmpeg publishes, ffmpeg and
 * (when installed) GStreamer's rtmp2src play it to the end, and nothing is refused.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DefaultLimitsTest {
    @RegisterExtension
    static final RealClients clients = new RealClients();

    private final List<Refusal> refusals = new CopyOnWriteArrayList<>();
    private RtmpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(Duration.ofSeconds(2));
        }
    }

    @Test
    void ffmpegPublishesAndRealPlayersPlayWithoutARefusal() throws Exception {
        RealClients.assumeInstalled("ffmpeg", "ffprobe");
        server = RealClients.startServer(Duration.ofSeconds(10), new StreamEventListener() {
            @Override
            public void refused(Refusal reason, InetSocketAddress remote) {
                refusals.add(reason);
            }
        });
        assertThat(server.config().connectionLimits()).isEqualTo(ConnectionLimits.DEFAULT);
        String url = RealClients.url(server, "default-limits");
        Path ffmpegOut = clients.file("ffmpeg.flv");
        ExternalTool ffmpegPlayer = clients.start("ffmpeg-play", RealClients.ffmpegCopy(url, ffmpegOut));
        boolean gst = RealClients.installed("gst-launch-1.0") && RealClients.gstElementExists("rtmp2src");
        Path gstOut = clients.file("rtmp2src.flv");
        ExternalTool gstPlayer = gst ? clients.start("rtmp2src", RealClients.gstRtmp2src(url, gstOut)) : null;
        RealClients.awaitPlayers(server, "default-limits", gst ? 2 : 1, Duration.ofSeconds(20));

        ExternalTool publisher = clients.start("publisher", RealClients.ffmpegPublish(url, 3));
        assertThat(publisher.assertExitsWithin(Duration.ofSeconds(30))).as("publisher: %s", publisher.tail(10))
                .isZero();
        assertThat(ffmpegPlayer.assertExitsWithin(Duration.ofSeconds(15))).as("player: %s", ffmpegPlayer.tail(10))
                .isZero();
        assertThat(Files.size(ffmpegOut)).isGreaterThan(10_000);
        if (gstPlayer != null) {
            gstPlayer.assertExitsWithin(Duration.ofSeconds(15));
            assertThat(Files.size(gstOut)).isGreaterThan(10_000);
        }
        assertThat(refusals).isEmpty();
    }
}
