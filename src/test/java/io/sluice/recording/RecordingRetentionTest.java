package io.sluice.recording;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.engine.flv.FlvRecorderSegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The retention policy deletes what is too old or over the size cap, oldest first, and nothing else. */
@SegmentedRecordingTest
@ExtendWith(OutputCaptureExtension.class)
class RecordingRetentionTest {
    @Autowired
    RecordingStore store;
    @Autowired
    RecordingPaths paths;
    @Autowired
    RecordingRetention retention;

    /** A finished recording that started {@code daysAgo} days ago, with one file of {@code size} bytes. */
    private Recorded recording(String stream, int daysAgo, int size, RecordingStatus status) throws Exception {
        Instant start = Instant.now().minus(daysAgo, ChronoUnit.DAYS);
        long id = store.create("archive", stream, null, 1, RecordingTrigger.CONFIG, RecordingMode.ALL, start);
        Path file = paths.newSegment("archive", stream, start);
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[size]);
        store.addSegment(id, 0, paths.relative(file), 0, start);
        store.completeSegment(id, new FlvRecorderSegment(0, file, size, 1000, 0, 1000, 1, "H.264", "AAC", 320, 240,
                true, null), start.plusSeconds(3600));
        if (status != RecordingStatus.RECORDING) {
            store.end(id, status, null, start.plusSeconds(3600));
        }
        return new Recorded(id, file);
    }

    record Recorded(long id, Path file) {
    }

    private boolean exists(Recorded r) {
        return store.files(r.id()).isPresent() && Files.exists(r.file());
    }

    @Test
    void deletesRecordingsOlderThanTheMaximumAgeThenTheOldestOverTheCap(CapturedOutput output) throws Exception {
        Recorded stale = recording("a", 50, 500, RecordingStatus.RECORDING); // not finished: never deleted
        Recorded old = recording("b", 40, 4000, RecordingStatus.COMPLETED);
        Recorded failed = recording("c", 31, 100, RecordingStatus.FAILED);
        Recorded older = recording("d", 20, 1000, RecordingStatus.INTERRUPTED);
        Recorded middle = recording("e", 10, 2000, RecordingStatus.COMPLETED);
        Recorded recent = recording("f", 5, 3000, RecordingStatus.COMPLETED);
        Instant now = Instant.now();

        RecordingRetention.Outcome byAge = retention.apply(now, Duration.ofDays(30), 0);

        assertThat(byAge.deleted()).containsExactlyInAnyOrder(old.id(), failed.id());
        assertThat(byAge.tooOld()).isEqualTo(2);
        assertThat(byAge.bytesFreed()).isEqualTo(4100);
        assertThat(exists(old)).isFalse();
        assertThat(exists(failed)).isFalse();
        assertThat(old.file().getParent()).as("empty directories go too").doesNotExist();
        assertThat(exists(stale)).isTrue();
        assertThat(exists(older)).isTrue();
        assertThat(exists(middle)).isTrue();
        assertThat(exists(recent)).isTrue();
        assertThat(output).contains("retention: deleted 2 recording(s)");

        // over the cap by 1500 bytes: the oldest finished ones go until it fits (1000, then 2000)
        long total = store.usageOldestFirst().stream().mapToLong(RecordingUsage::sizeBytes).sum();
        RecordingRetention.Outcome byCap = retention.apply(now, Duration.ZERO, total - 1500);

        assertThat(byCap.deleted()).containsExactly(older.id(), middle.id());
        assertThat(byCap.overCap()).isEqualTo(2);
        assertThat(exists(older)).isFalse();
        assertThat(exists(middle)).isFalse();
        assertThat(exists(stale)).isTrue();
        assertThat(exists(recent)).isTrue();
        assertThat(store.usageOldestFirst().stream().mapToLong(RecordingUsage::sizeBytes).sum())
                .isLessThanOrEqualTo(total - 1500);

        // within both limits: nothing happens
        assertThat(retention.apply(now, Duration.ofDays(30), total).deleted()).isEmpty();
        assertThat(retention.apply(now, Duration.ZERO, 0).deleted()).isEmpty();
        assertThat(exists(recent)).isTrue();
        store.end(stale.id(), RecordingStatus.FAILED, "test over", now);
    }
}
