package io.sluice.recording;

/**
 * Told about every finished recording file (nginx-rtmp's {@code on_record_done}), and about a recording
 * that failed before it had a file. Spring beans implementing it are all called, each isolated from
 * the others' failures, on a recording's writer thread (or the repair thread at startup): hand slow
 * work (HTTP) to your own executor and return.
 */
public interface RecordingListener {

    void segmentCompleted(RecordedSegment segment);
}
