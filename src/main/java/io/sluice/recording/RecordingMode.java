package io.sluice.recording;

import io.sluice.engine.flv.FlvRecorder;

/** What a recording keeps. */
public enum RecordingMode {
    /** Audio, video and data. */
    ALL(FlvRecorder.Mode.ALL),
    VIDEO(FlvRecorder.Mode.VIDEO),
    AUDIO(FlvRecorder.Mode.AUDIO),
    /** Video keyframes only: a time-lapse. */
    KEYFRAMES(FlvRecorder.Mode.KEYFRAMES);

    private final FlvRecorder.Mode engineMode;

    RecordingMode(FlvRecorder.Mode engineMode) {
        this.engineMode = engineMode;
    }

    FlvRecorder.Mode engineMode() {
        return engineMode;
    }
}
