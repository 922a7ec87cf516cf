package io.sluice.recording;

/** Where a recording is. */
public enum RecordingStatus {
    /** Being written. */
    RECORDING,
    /** Ended with the publish or when stopped; every file finished. */
    COMPLETED,
    /** The server stopped without finishing it (crash, kill -9); its files were repaired at the next start. */
    INTERRUPTED,
    /** The disk failed or filled up, or the writer fell too far behind: see the reason. */
    FAILED
}
