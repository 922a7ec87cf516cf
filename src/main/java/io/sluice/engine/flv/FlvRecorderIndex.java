package io.sluice.engine.flv;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sluice.engine.media.AudioCodec;
import io.sluice.engine.media.AudioTag;
import io.sluice.engine.media.VideoCodec;
import io.sluice.engine.media.VideoResolution;
import io.sluice.engine.media.VideoTag;
import io.sluice.engine.protocol.amf.Amf0;
import io.sluice.engine.protocol.amf.AmfBoolean;
import io.sluice.engine.protocol.amf.AmfEcmaArray;
import io.sluice.engine.protocol.amf.AmfEntries;
import io.sluice.engine.protocol.amf.AmfException;
import io.sluice.engine.protocol.amf.AmfLimits;
import io.sluice.engine.protocol.amf.AmfNumber;
import io.sluice.engine.protocol.amf.AmfObject;
import io.sluice.engine.protocol.amf.AmfStrictArray;
import io.sluice.engine.protocol.amf.AmfString;
import io.sluice.engine.protocol.amf.AmfValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The onMetaData of a recorded file and the keyframe index in it.
 *
 * <p>A file's onMetaData tag is written first with its final size: the stream's own fields, then
 * {@code duration}, {@code filesize}, {@code hasKeyframes}, {@code keyframes: {times: [], filepositions: []}}
 * and a strict array of zeros, {@code sluiceReserved}, with two numbers per keyframe the index may
 * hold. Every AMF0 number is 9 bytes, so when the file is finished each keyframe moved into the index
 * takes exactly the two numbers it replaces from the reserve: the tag is overwritten in place, its size
 * unchanged, and no byte after it moves. Files with more keyframes than reserved get an evenly thinned
 * index (first and last kept): seeking still lands on a keyframe, at most a few apart.
 */
final class FlvRecorderIndex {

    static final String ON_META_DATA = "onMetaData";
    static final String RESERVE_KEY = "sluiceReserved";
    private static final AmfValue ZERO = new AmfNumber(0);

    /** Fields the recorder computes itself, or that would be wrong in a file cut from a live stream. */
    private static final Set<String> OWN_KEYS = Set.of("duration", "filesize", "datasize", "videosize", "audiosize",
            "lasttimestamp", "lastkeyframetimestamp", "lastkeyframelocation", "keyframes", "hasKeyframes",
            "canSeekToEnd", RESERVE_KEY);

    private FlvRecorderIndex() {
    }

    /** The entries of an onMetaData data message body, or null if it is another data message. */
    static List<Map.Entry<String, AmfValue>> parseOnMetaData(ByteBuf body) {
        try {
            List<AmfValue> values = Amf0.decodeAll(body.duplicate(), AmfLimits.DEFAULT);
            if (values.isEmpty() || !(values.get(0) instanceof AmfString name) || !name.value().equals(ON_META_DATA)) {
                return null;
            }
            return values.size() > 1 && values.get(1) instanceof AmfEntries entries ? entries.entries() : List.of();
        } catch (AmfException e) {
            return null;
        }
    }

    /**
     * A file's own fields: the stream's onMetaData without the recorder's fields and without what the
     * file leaves out (audio fields in a video-only file and so on), plus the picture size if known and
     * missing.
     */
    static List<Map.Entry<String, AmfValue>> baseEntries(List<Map.Entry<String, AmfValue>> stream, boolean audio,
                                                         boolean video, boolean keyframesOnly,
                                                         VideoResolution resolution) {
        List<Map.Entry<String, AmfValue>> base = new ArrayList<>();
        boolean hasWidth = false;
        for (Map.Entry<String, AmfValue> e : stream) {
            String key = e.getKey();
            String lower = key.toLowerCase(Locale.ROOT);
            if (OWN_KEYS.contains(key) || !audio && isAudioKey(lower) || !video && isVideoKey(lower)
                    || keyframesOnly && lower.equals("framerate")) {
                continue;
            }
            hasWidth |= lower.equals("width");
            base.add(Map.entry(key, e.getValue()));
        }
        if (video && !hasWidth && resolution != null) {
            base.add(Map.entry("width", new AmfNumber(resolution.width())));
            base.add(Map.entry("height", new AmfNumber(resolution.height())));
        }
        return base;
    }

    private static boolean isAudioKey(String lower) {
        return lower.startsWith("audio") || lower.equals("stereo");
    }

    private static boolean isVideoKey(String lower) {
        return lower.startsWith("video") || lower.equals("width") || lower.equals("height")
                || lower.equals("framerate") || lower.equals("fps");
    }

    /**
     * The onMetaData body: {@code base}, then the recorder's fields with {@code count} keyframes
     * (thinned to {@code capacity}) and the reserve for the rest. Its size depends only on
     * {@code base} and {@code capacity}.
     */
    static ByteBuf encode(List<Map.Entry<String, AmfValue>> base, int capacity, double durationSeconds, long fileSize,
                          long[] timesMillis, long[] positions, int count) {
        int[] picked = pick(count, capacity);
        List<AmfValue> times = new ArrayList<>(picked.length);
        List<AmfValue> filepositions = new ArrayList<>(picked.length);
        for (int i : picked) {
            times.add(new AmfNumber(timesMillis[i] / 1000.0));
            filepositions.add(new AmfNumber(positions[i]));
        }
        List<Map.Entry<String, AmfValue>> entries = new ArrayList<>(base.size() + 5);
        entries.addAll(base);
        entries.add(Map.entry("duration", new AmfNumber(durationSeconds)));
        entries.add(Map.entry("filesize", new AmfNumber(fileSize)));
        entries.add(Map.entry("hasKeyframes", AmfBoolean.of(picked.length > 0)));
        entries.add(Map.entry("keyframes", AmfObject.of("times", new AmfStrictArray(times),
                "filepositions", new AmfStrictArray(filepositions))));
        entries.add(Map.entry(RESERVE_KEY,
                new AmfStrictArray(Collections.nCopies(2 * (capacity - picked.length), ZERO))));
        ByteBuf body = Unpooled.buffer(64 + 32 * base.size() + 18 * capacity);
        Amf0.encode(body, AmfValue.of(ON_META_DATA));
        Amf0.encode(body, AmfEcmaArray.ofEntries(entries));
        return body;
    }

    /** Indexes of the keyframes to list: all, or {@code capacity} evenly spaced with first and last. */
    static int[] pick(int count, int capacity) {
        if (count <= capacity) {
            int[] all = new int[count];
            Arrays.setAll(all, i -> i);
            return all;
        }
        if (capacity <= 0) {
            return new int[0];
        }
        if (capacity == 1) {
            return new int[] {0};
        }
        int[] some = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            some[i] = (int) Math.round((double) i * (count - 1) / (capacity - 1));
        }
        return some;
    }

    /** How many keyframes a placeholder written by {@link #encode} reserved room for, or -1 if it is not one. */
    static int capacityOf(List<Map.Entry<String, AmfValue>> entries) {
        int listed = -1;
        int reserved = -1;
        for (Map.Entry<String, AmfValue> e : entries) {
            if (e.getKey().equals("keyframes") && e.getValue() instanceof AmfObject o
                    && o.get("times").orElse(null) instanceof AmfStrictArray times) {
                listed = times.size();
            } else if (e.getKey().equals(RESERVE_KEY) && e.getValue() instanceof AmfStrictArray a) {
                reserved = a.size();
            }
        }
        return listed < 0 || reserved < 0 || reserved % 2 != 0 ? -1 : listed + reserved / 2;
    }

    /** {@code entries} without the recorder's fields. */
    static List<Map.Entry<String, AmfValue>> withoutOwnKeys(List<Map.Entry<String, AmfValue>> entries) {
        return entries.stream().filter(e -> !OWN_KEYS.contains(e.getKey())).toList();
    }

    /**
     * What is in a file, tag by tag: keyframe times and positions, the last frame times, codecs and
     * picture size. Timestamps are the file's (from 0).
     */
    static final class Tracker {
        private long[] keyTimes = new long[64];
        private long[] keyPositions = new long[64];
        private int keyCount;
        private long lastVideo = -1;
        private long previousVideo = -1;
        private long lastAudio = -1;
        private long previousAudio = -1;
        private long lastTimestamp;
        private long frames;
        private String videoCodec;
        private String audioCodec;
        private int width;
        private int height;

        /** One tag written at {@code position} with the file timestamp {@code timestamp}. */
        void add(int type, long timestamp, long position, ByteBuf payload) {
            if (type == FlvTags.TAG_VIDEO) {
                addVideo(timestamp, position, payload);
            } else if (type == FlvTags.TAG_AUDIO) {
                addAudio(timestamp, payload);
            }
        }

        private void addVideo(long timestamp, long position, ByteBuf payload) {
            VideoTag tag = VideoTag.parse(payload);
            if (tag.codec() != VideoCodec.UNKNOWN && (videoCodec == null || tag.sequenceHeader())) {
                videoCodec = tag.codec().displayName();
            }
            if (tag.sequenceHeader()) {
                VideoResolution.fromSequenceHeader(payload).ifPresent(r -> {
                    width = r.width();
                    height = r.height();
                });
                return;
            }
            if (!tag.codedFrame()) {
                return;
            }
            frames++;
            lastTimestamp = Math.max(lastTimestamp, timestamp);
            if (timestamp != lastVideo) {
                previousVideo = lastVideo;
                lastVideo = timestamp;
            }
            if (tag.keyframe()) {
                if (keyCount == keyTimes.length) {
                    keyTimes = Arrays.copyOf(keyTimes, keyCount * 2);
                    keyPositions = Arrays.copyOf(keyPositions, keyCount * 2);
                }
                keyTimes[keyCount] = timestamp;
                keyPositions[keyCount] = position;
                keyCount++;
            }
        }

        private void addAudio(long timestamp, ByteBuf payload) {
            AudioTag tag = AudioTag.parse(payload);
            if (tag.codec() == AudioCodec.UNKNOWN) {
                return;
            }
            if (audioCodec == null || tag.sequenceHeader()) {
                audioCodec = tag.codec().displayName();
            }
            if (tag.sequenceHeader()) {
                return;
            }
            frames++;
            lastTimestamp = Math.max(lastTimestamp, timestamp);
            if (timestamp != lastAudio) {
                previousAudio = lastAudio;
                lastAudio = timestamp;
            }
        }

        /** Audio or video frames seen (not sequence headers). */
        long frames() {
            return frames;
        }

        int keyframes() {
            return keyCount;
        }

        long lastTimestamp() {
            return lastTimestamp;
        }

        /** The last frame's time plus its duration (taken as the step before it), of audio or video. */
        long durationMillis() {
            return Math.max(end(lastVideo, previousVideo), end(lastAudio, previousAudio));
        }

        private static long end(long last, long previous) {
            if (last < 0) {
                return 0;
            }
            return previous < 0 ? last : last + Math.min(last - previous, 1000);
        }

        ByteBuf encode(List<Map.Entry<String, AmfValue>> base, int capacity, long fileSize) {
            return FlvRecorderIndex.encode(base, capacity, durationMillis() / 1000.0, fileSize, keyTimes,
                    keyPositions, keyCount);
        }

        FlvRecorderSegment summary(int index, Path path, long size, long firstTimestamp, boolean indexed,
                                   String failure) {
            return new FlvRecorderSegment(index, path, size, durationMillis(), firstTimestamp,
                    firstTimestamp + lastTimestamp, keyCount, videoCodec, audioCodec, width, height, indexed, failure);
        }
    }
}
