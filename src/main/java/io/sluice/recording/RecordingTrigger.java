package io.sluice.recording;

/** What started a recording. */
public enum RecordingTrigger {
    /** The publisher's stream key has auto-record on (or a callback asked for it). */
    KEY,
    /** {@code sluice.recording.all} or {@code sluice.recording.apps}. */
    CONFIG,
    /** {@code POST /api/streams/{app}/{name}/recording}. */
    API
}
