package io.sluice.recording;

import io.sluice.engine.flv.FlvRecorder;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code sluice.recording.*}: what is recorded, how files are cut, how long they are kept.
 *
 * @param all                record every publish
 * @param apps               record every publish to these applications
 * @param mode               what goes into files recorded by {@code all}/{@code apps}/stream keys (and by
 *                           the API when its request names no mode): {@code ALL}, {@code VIDEO},
 *                           {@code AUDIO} or {@code KEYFRAMES}
 * @param maxSegmentDuration a new file starts at the first keyframe after this long; 0: no limit
 * @param maxSegmentSize     a new file starts at the first keyframe after this size; 0: no limit
 * @param writerQueue        how far a recording's writes may fall behind before it fails (FAILED), rather
 *                           than hold more memory
 * @param writerThreads      threads writing files, shared by all recordings
 * @param syncInterval       written data is forced to disk at least this often (what a power cut may lose)
 * @param indexCapacity      keyframes each file's onMetaData index has room for (18 bytes each, reserved
 *                           up front); 0: automatic (max-segment-duration in seconds + 16, at most
 *                           3600); a file with more keyframes gets an evenly thinned index
 * @param retention          what is deleted automatically
 */
@Validated
@ConfigurationProperties("sluice.recording")
public record RecordingProperties(
        @DefaultValue("false") boolean all,
        @DefaultValue List<String> apps,
        @DefaultValue("ALL") @NotNull RecordingMode mode,
        @DefaultValue("0s") @NotNull Duration maxSegmentDuration,
        @DefaultValue("0B") @NotNull DataSize maxSegmentSize,
        @DefaultValue("64MB") @NotNull DataSize writerQueue,
        @DefaultValue("2") @Min(1) @Max(64) int writerThreads,
        @DefaultValue("1s") @NotNull Duration syncInterval,
        @DefaultValue("0") @Min(0) @Max(100_000) int indexCapacity,
        @DefaultValue @Valid Retention retention) {

    /**
     * @param maxAge        finished recordings older than this are deleted; 0: kept regardless of age
     * @param maxTotalSize  when finished recordings take more than this, the oldest are deleted; 0: no cap
     * @param checkInterval how often the policy runs (also once shortly after start)
     */
    public record Retention(@DefaultValue("0s") @NotNull Duration maxAge,
                            @DefaultValue("0B") @NotNull DataSize maxTotalSize,
                            @DefaultValue("1h") @NotNull Duration checkInterval) {
    }

    public RecordingProperties {
        apps = apps == null ? List.of() : List.copyOf(apps);
        if (maxSegmentDuration.isNegative() || maxSegmentSize.isNegative() || writerQueue.toBytes() <= 0
                || syncInterval.isNegative()) {
            throw new IllegalArgumentException("sluice.recording: max-segment-duration, max-segment-size and "
                    + "sync-interval must not be negative, writer-queue must be positive");
        }
    }

    /** Whether {@code all} or {@code apps} asks for publishes to {@code app} to be recorded. */
    public boolean recordsApp(String app) {
        return all || apps.contains(app);
    }

    FlvRecorder.Options recorderOptions(RecordingMode recordingMode) {
        int capacity = indexCapacity > 0 ? indexCapacity : maxSegmentDuration.isZero()
                ? FlvRecorder.Options.DEFAULT_INDEX_CAPACITY
                : (int) Math.min(FlvRecorder.Options.DEFAULT_INDEX_CAPACITY, maxSegmentDuration.toSeconds() + 16);
        return new FlvRecorder.Options(recordingMode.engineMode(), maxSegmentDuration.toMillis(),
                maxSegmentSize.toBytes(), writerQueue.toBytes(), syncInterval.toMillis(), capacity);
    }
}
