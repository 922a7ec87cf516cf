package io.sluice.engine.flv;

import java.nio.file.Path;

/**
 * One finished file of a recording and what is in it.
 *
 * @param index          0 for a recording's first file, then 1, 2, ...
 * @param path           the finished file (no longer {@code .part})
 * @param sizeBytes      file size
 * @param durationMillis playing time: the last frame's timestamp plus its duration
 * @param firstTimestamp the stream's timestamp (ms) of the file's first frame; the file itself starts at 0
 * @param lastTimestamp  the stream's timestamp (ms) of the file's last tag
 * @param keyframes      video keyframes in the file (all of them, even if the index had to be thinned)
 * @param videoCodec     e.g. "H.264", or null
 * @param audioCodec     e.g. "AAC", or null
 * @param width          picture width from the video sequence header, 0 if unknown
 * @param height         picture height, 0 if unknown
 * @param indexed        its onMetaData carries the final duration, size and keyframe index
 * @param failure        why the recording stopped inside this file (disk full, ...), or null
 */
public record FlvRecorderSegment(int index, Path path, long sizeBytes, long durationMillis, long firstTimestamp,
                                 long lastTimestamp, int keyframes, String videoCodec, String audioCodec,
                                 int width, int height, boolean indexed, String failure) {
}
