package io.sluice.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.engine.RtmpServer;
import io.sluice.system.SluiceProperties;
import io.sluice.testing.Ffmpeg;
import io.sluice.testing.SluiceSpringTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * The soak's pieces against the application in this JVM for a few seconds: churning clients leave
 * complete, playable recordings that the check accepts, and every kind of garbage connection is
 * closed by the server. Not a soak (no duration, no resource figures): it keeps the driver working.
 */
@SluiceSpringTest
@TestPropertySource(properties = {"sluice.keys.default-publish-policy=OPEN", "sluice.recording.all=true",
        "sluice.rtmp.handshake-timeout=1s", "sluice.rtmp.connect-timeout=2s", "sluice.rtmp.reconnect-grace=500ms"})
@Timeout(180)
class SoakSmokeTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @LocalServerPort
    int httpPort;
    @Autowired
    RtmpServer rtmp;
    @Autowired
    SluiceProperties sluice;

    @Test
    void churningClientsLeaveCompletePlayableRecordings() throws Exception {
        Ffmpeg.assumeInstalled();
        MediaClips.Clip clip = MediaClips.ensure(Path.of("target", "soak-test-clips"), "320x240", 300, 4);
        SoakOptions options = new SoakOptions(Duration.ofSeconds(10), 1, 2, 1, 0, 0.5, Duration.ofSeconds(3),
                Duration.ofSeconds(4), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1),
                Duration.ZERO, Duration.ofSeconds(60), 1, Duration.ofSeconds(1), Duration.ofSeconds(2), "paranoid",
                "256m", null, null, List.of());
        ServerApi api = new ServerApi(httpPort, "admin", "admin-password");
        Churn churn = new Churn(options, rtmp.port(), api, List.of(clip), "smoke-");
        churn.start();
        try {
            Churn.Counters c = churn.counters();
            awaitTrue(() -> churn.finishedPublishes().size() >= 2 && c.plays.get() >= 1 && c.flvViews.get() >= 1
                    && c.restCalls.get() >= 3);
        } finally {
            churn.close();
        }
        assertThat(churn.errors()).isEmpty();
        assertThat(churn.counters().failures()).isZero();
        assertThat(churn.counters().playedMessages.get()).isPositive();
        assertThat(churn.counters().flvBytes.get()).isPositive();

        RecordingCheck check = new RecordingCheck(api, sluice.dataDir(), 1);
        assertThat(check.awaitFinished(WAIT)).isTrue();
        RecordingCheck.Result result = check.check(churn.finishedPublishes());
        assertThat(result.problems()).isEmpty();
        assertThat(result.pass()).isTrue();
        assertThat(result.recordings()).isEqualTo(churn.finishedPublishes().size());
        assertThat(result.completed()).isEqualTo(result.recordings());
        assertThat(result.durationsMatched()).isEqualTo(result.publishes());
        assertThat(result.decoded()).isEqualTo(1);
    }

    @Test
    void everyKindOfGarbageConnectionIsClosedByTheServer() throws Exception {
        GarbageConnections garbage = new GarbageConnections(rtmp.port(), Duration.ofSeconds(8));
        ExecutorService pool = Executors.newFixedThreadPool(GarbageConnections.Kind.values().length);
        try {
            for (GarbageConnections.Kind kind : GarbageConnections.Kind.values()) {
                pool.execute(() -> garbage.run(kind));
            }
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        }
        Map<GarbageConnections.Kind, GarbageConnections.Tally> tallies = garbage.tallies();
        assertThat(tallies).hasSize(GarbageConnections.Kind.values().length);
        tallies.forEach((kind, tally) -> assertThat(tally).as(kind.name())
                .isEqualTo(new GarbageConnections.Tally(1, 1, 0, 0)));
        assertThat(garbage.leftOpen()).isZero();
    }

    /** A connection the server never closes is counted as left open: the check can fail. */
    @Test
    void aConnectionLeftOpenIsCounted() throws Exception {
        try (java.net.ServerSocket silentServer = new java.net.ServerSocket(0)) {
            GarbageConnections garbage = new GarbageConnections(silentServer.getLocalPort(), Duration.ofMillis(300));
            garbage.run(GarbageConnections.Kind.SILENT);
            assertThat(garbage.leftOpen()).isEqualTo(1);
            assertThat(garbage.tallies().get(GarbageConnections.Kind.SILENT))
                    .isEqualTo(new GarbageConnections.Tally(1, 0, 1, 0));
        }
    }

    private static void awaitTrue(BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within " + WAIT).isLessThan(deadline);
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
    }
}
