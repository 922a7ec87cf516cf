package io.sluice.recording;

import java.time.Instant;

/** What retention needs to know of a recording. */
record RecordingUsage(long id, RecordingStatus status, Instant startedAt, Instant endedAt, long sizeBytes) {
}
