package io.sluice.recording;

/**
 * A finished recording file, as {@link RecordingListener}s get it.
 *
 * @param recordingId        the recording session ({@code GET /api/recordings/{id}})
 * @param publisherSessionId the engine's id of the publishing connection (nginx-rtmp's clientid)
 * @param app                application
 * @param stream             the stream's public name
 * @param keyLabel           label of the stream key it was published with, or null
 * @param index              the file's position in the recording: 0, 1, 2, ...
 * @param path               absolute path of the finished file; null when a recording failed before it
 *                           had one
 * @param durationSeconds    playing time of the file
 * @param sizeBytes          size of the file
 * @param status             {@code COMPLETED}: a file of a recording that goes on or ended normally;
 *                           {@code FAILED}: the recording failed in (or before) this file, see reason;
 *                           {@code INTERRUPTED}: a file repaired at startup after a crash
 * @param reason             why it failed or was interrupted, else null
 */
public record RecordedSegment(long recordingId, long publisherSessionId, String app, String stream, String keyLabel,
                              int index, String path, double durationSeconds, long sizeBytes,
                              RecordingStatus status, String reason) {
}
