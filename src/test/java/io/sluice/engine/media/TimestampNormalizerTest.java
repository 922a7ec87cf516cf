package io.sluice.engine.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Publisher clocks that jump: players get one continuous, monotonic timeline. */
class TimestampNormalizerTest {
    private static final MediaPacket.Kind VIDEO = MediaPacket.Kind.VIDEO;
    private static final MediaPacket.Kind AUDIO = MediaPacket.Kind.AUDIO;

    private final TimestampNormalizer normalizer = new TimestampNormalizer();

    /** Feeds {@code count} A/V pairs 33 ms apart from {@code start} (an unsigned 32-bit RTMP time as int). */
    private List<Integer> feed(int start, int count, List<Integer> audioOut) {
        List<Integer> video = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int in = start + i * 33; // int overflow is the 32-bit wrap, as on the wire
            video.add(normalizer.normalize(VIDEO, in));
            audioOut.add(normalizer.normalize(AUDIO, in + 5));
        }
        return video;
    }

    private static void assertContinuous(List<Integer> out, int maxStep) {
        for (int i = 1; i < out.size(); i++) {
            int step = out.get(i) - out.get(i - 1);
            assertThat(step).as("step %d: %s -> %s", i, out.get(i - 1), out.get(i)).isBetween(0, maxStep);
        }
    }

    @Test
    void theThirtyTwoBitWrapAroundIsInvisible() {
        List<Integer> audio = new ArrayList<>();
        List<Integer> video = feed(0xFFFFFFFF - 500, 40, audio); // wraps past 0 after ~15 frames

        assertThat(video.get(0)).isZero();
        assertContinuous(video, 33);
        assertContinuous(audio, 33);
        assertThat(video.get(39)).isEqualTo(39 * 33);
        assertThat(audio.get(39) - video.get(39)).as("A/V offset kept across the wrap").isEqualTo(5);
    }

    @Test
    void extendedTimestampsAndAForwardJumpOfHoursContinueRightAfterTheLastFrame() {
        List<Integer> audio = new ArrayList<>();
        List<Integer> out = new ArrayList<>(feed(0x00FF_FF00, 10, audio)); // crosses 0xFFFFFF: extended on the wire
        out.addAll(feed(0x00FF_FF00 + 5 * 3600 * 1000, 10, audio));       // five hours later
        assertContinuous(out, 33);
        assertContinuous(audio, 33);
        assertThat(out.get(19)).as("no five-hour gap").isLessThan(20 * 33);
    }

    @Test
    void aClockGoingBackwardsNeverGoesBackwardsForPlayers() {
        List<Integer> audio = new ArrayList<>();
        List<Integer> out = new ArrayList<>(feed(90_000, 10, audio));
        out.addAll(feed(1_000, 10, audio));          // back by 89 s
        out.addAll(feed(0x7FFF_FFF0, 10, audio));    // then over the signed 31-bit boundary
        assertContinuous(out, 33);
        assertContinuous(audio, 33);
        assertThat(out.get(29)).isLessThan(30 * 33);
    }

    @Test
    void aSmallForwardGapIsKeptAsTheStreamsOwnPause() {
        List<Integer> audio = new ArrayList<>();
        List<Integer> out = new ArrayList<>(feed(0, 5, audio));
        out.addAll(feed(4 * 33 + 3_000, 5, audio)); // 3 s without frames: a real pause, below the jump limit
        assertThat(out.get(5) - out.get(4)).isEqualTo(3_000);
    }

    @Test
    void aRestartedPublisherContinuesTheTimeline() {
        List<Integer> audio = new ArrayList<>();
        List<Integer> first = feed(123_456, 10, audio);
        normalizer.restart();
        List<Integer> second = feed(0, 10, audio);
        assertThat(second.get(0)).isGreaterThan(first.get(9)).isLessThanOrEqualTo(first.get(9) + 50);
        assertContinuous(second, 33);
    }
}
