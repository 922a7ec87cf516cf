package io.sluice.recording;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/** What the recordings API takes and returns. */
final class RecordingDtos {
    private RecordingDtos() {
    }

    @Schema(description = "A recording: one recorded publish of a stream")
    record RecordingSummary(long id, String app, String stream, String keyLabel, long publisherSessionId,
                            RecordingTrigger trigger, RecordingMode mode, RecordingStatus status,
                            @Schema(description = "why it FAILED or was INTERRUPTED") String reason,
                            Instant startedAt, Instant endedAt, long sizeBytes, double durationSeconds,
                            int segments) {
    }

    @Schema(description = "One file of a recording")
    record SegmentView(int index, @Schema(description = "relative to the data directory") String path,
                       @Schema(description = "false while being written (the file is path + .part)") boolean complete,
                       long sizeBytes, double durationSeconds,
                       @Schema(description = "stream time (ms) of the first tag; the file starts at 0")
                       long firstTimestamp, long lastTimestamp, int keyframes, String videoCodec, String audioCodec,
                       int width, int height, Instant startedAt, Instant endedAt,
                       @Schema(description = "GET it (Range requests supported) when complete") String downloadUrl) {
    }

    record RecordingDetail(RecordingSummary recording, List<SegmentView> segments) {
    }

    record RecordingPage(List<RecordingSummary> items, int page, int size, long totalItems, int totalPages) {
    }

    record StartRequest(@Schema(description = "what to record; default sluice.recording.mode") RecordingMode mode) {
    }
}
