package io.sluice.engine.realclient;

import static io.sluice.engine.realclient.RealClients.FPS;
import static io.sluice.engine.realclient.RealClients.assumeInstalled;
import static io.sluice.engine.realclient.RealClients.atLeast95Percent;
import static io.sluice.engine.realclient.RealClients.log;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.engine.stream.StreamSnapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A second ffmpeg publishing a live name is refused, tells why, and the first publish goes on unharmed. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DuplicatePublishTest {
    @RegisterExtension
    static final RealClients clients = new RealClients();

    private static final int SECONDS = 6;
    private static final int FRAMES = SECONDS * FPS;

    @Test
    void secondPublisherIsRefusedAndTheFirstGoesOn() {
        assumeInstalled("ffmpeg", "ffprobe");
        String stream = "taken";
        String url = RealClients.url(clients.server(), stream);
        Path out = clients.file("player.flv");
        ExternalTool player = clients.ffmpegPlayer(stream, out);
        ExternalTool first = clients.ffmpegPublisher("publisher-1", stream, SECONDS);
        long firstSession = RealClients.snapshot(clients.server(), stream).orElseThrow().publisherSessionId();

        ExternalTool second = clients.start("publisher-2", RealClients.ffmpegPublish(url, 2));
        int code = second.assertExitsWithin(Duration.ofSeconds(15));
        String refusal = second.output().lines().filter(l -> l.contains("rtmp") || l.contains("Server error"))
                .reduce("", (a, b) -> a + b + "\n");
        log("second publisher: exit code %d after %d ms; it printed:%n%s", code, second.runTime().toMillis(),
                refusal.strip());
        assertThat(code).as("second publisher's exit code").isNotZero();
        assertThat(second.output()).as("what the second publisher printed")
                .contains("Server error: Stream live/" + stream + " is already publishing.");

        assertThat(first.isAlive()).as("first publisher still running after the refusal").isTrue();
        StreamSnapshot during = RealClients.snapshot(clients.server(), stream).orElseThrow();
        assertThat(during.live()).isTrue();
        assertThat(during.publisherSessionId()).as("publisher session").isEqualTo(firstSession);

        assertThat(first.assertExitsWithin(Duration.ofSeconds(SECONDS + 15)))
                .as("first publisher exit code: %s", first.tail(10)).isZero();
        assertThat(player.assertExitsWithin(RealClients.RECONNECT_GRACE.plusSeconds(3)))
                .as("player exit code: %s", player.tail(10)).isZero();
        RealClients.MediaInfo info = clients.probe(out);
        log("player of the first publish: %s", info);
        assertThat(info.videoCodec()).isEqualTo("h264");
        assertThat(info.videoFrames()).isGreaterThanOrEqualTo(atLeast95Percent(FRAMES));
    }
}
