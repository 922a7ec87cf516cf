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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Twenty ffmpeg players on one stream at once: every one gets >= 95 % of the frames and exits by itself. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ManyPlayersTest {
    @RegisterExtension
    static final RealClients clients = new RealClients();

    private static final int PLAYERS = 20;
    private static final int SECONDS = 5;
    private static final int FRAMES = SECONDS * FPS;

    @Test
    void twentyFfmpegPlayersGetEveryFrame() {
        assumeInstalled("ffmpeg", "ffprobe");
        String stream = "twenty";
        String url = RealClients.url(clients.server(), stream);
        List<ExternalTool> players = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        for (int i = 0; i < PLAYERS; i++) {
            Path out = clients.file(String.format("player-%02d.flv", i));
            outputs.add(out);
            players.add(clients.start(String.format("player-%02d", i), RealClients.ffmpegCopy(url, out)));
        }
        RealClients.awaitPlayers(clients.server(), stream, PLAYERS, Duration.ofSeconds(30));

        ExternalTool publisher = clients.ffmpegPublisher("publisher", stream, SECONDS);
        RealClients.awaitCondition(Duration.ofSeconds(5), "all players subscribed",
                () -> RealClients.snapshot(clients.server(), stream).map(s -> s.subscribers() == PLAYERS).orElse(false));
        assertThat(publisher.assertExitsWithin(Duration.ofSeconds(SECONDS + 20)))
                .as("publisher exit code: %s", publisher.tail(15)).isZero();
        long publisherExit = publisher.exitNanosOrThrow();

        SoftAssertions soft = new SoftAssertions();
        List<String> figures = new ArrayList<>();
        for (int i = 0; i < PLAYERS; i++) {
            ExternalTool player = players.get(i);
            long left = publisherExit + RECONNECT_GRACE.plusSeconds(3).toNanos() - System.nanoTime();
            boolean exited = player.awaitExit(Duration.ofNanos(Math.max(0, left)));
            soft.assertThat(exited).as("%s exited within grace + 3 s of the publisher; output:%n%s",
                    player.name(), player.tail(10)).isTrue();
            if (!exited) {
                continue;
            }
            soft.assertThat(player.exitCode()).as("%s exit code", player.name()).isZero();
            RealClients.MediaInfo info = clients.probe(outputs.get(i));
            figures.add(String.format("%d/%.2fs", info.videoFrames(),
                    seconds(player.exitNanosOrThrow() - publisherExit)));
            soft.assertThat(info.videoCodec()).as("%s codec", player.name()).isEqualTo("h264");
            soft.assertThat(info.videoFrames()).as("%s video frames of %d", player.name(), FRAMES)
                    .isGreaterThanOrEqualTo(atLeast95Percent(FRAMES));
        }
        log("%d players, frames/exit delay after the publisher: %s", PLAYERS, figures);
        soft.assertAll();
    }
}
