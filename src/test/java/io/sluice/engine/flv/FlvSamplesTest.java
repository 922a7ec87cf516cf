package io.sluice.engine.flv;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.engine.media.AudioCodec;
import io.sluice.engine.media.AudioTag;
import io.sluice.engine.media.FrameType;
import io.sluice.engine.media.VideoCodec;
import io.sluice.engine.media.VideoResolution;
import io.sluice.engine.media.VideoTag;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The E-RTMP samples of /work/shared/media (ffmpeg 7.1, testsrc2 640x360@30, 4 s, GOP 60, AAC).
 * Both files hold 298 tags: onMetaData, the video SequenceStart, the AAC sequence header, one video
 * Metadata tag (ffmpeg's colorInfo, frame type Command + PacketType Metadata), 120 coded video frames
 * and 174 AAC frames.
 */
class FlvSamplesTest {

    static Path mediaDir() {
        String configured = System.getProperty("sluice.media.dir");
        Path dir = configured != null ? Path.of(configured) : Path.of("../shared/media");
        Assumptions.assumeTrue(Files.isDirectory(dir), "sample media folder missing: " + dir.toAbsolutePath());
        return dir;
    }

    /** What one pass over a sample found. */
    private record Census(Map<String, Integer> tagsByKind, List<Integer> keyframeDecodeIndexes,
                          List<Integer> keyframePresentationIndexes, int codedFrames, String firstVideoKind,
                          Optional<VideoResolution> resolution, AudioTag audioConfig, int tags,
                          long lastCompleteTagEnd, boolean truncatedTail, long mismatches) {
    }

    private static Census census(Path file) throws IOException {
        Map<String, Integer> kinds = new TreeMap<>();
        List<Integer> keyDecode = new ArrayList<>();
        List<Long> presentationTimes = new ArrayList<>();
        List<Long> keyTimes = new ArrayList<>();
        String firstVideo = null;
        Optional<VideoResolution> resolution = Optional.empty();
        AudioTag audioConfig = null;
        int coded = 0;
        int tags = 0;
        try (FlvReader reader = FlvReader.open(file)) {
            FlvTag tag;
            while ((tag = reader.next()) != null) {
                try {
                    tags++;
                    String kind = kind(tag);
                    kinds.merge(kind, 1, Integer::sum);
                    ByteBuf payload = tag.payload();
                    if (tag.isVideo()) {
                        VideoTag video = VideoTag.parse(payload);
                        if (firstVideo == null) {
                            firstVideo = kind;
                        }
                        if (video.sequenceHeader()) {
                            resolution = VideoResolution.fromSequenceHeader(payload);
                        }
                        if (video.codedFrame()) {
                            // CodedFrames of hvc1 carry an SI24 composition time; CodedFramesX and av01 do not.
                            boolean hasCts = video.codec() == VideoCodec.HEVC
                                    && video.packetType() == VideoTag.PACKET_CODED_FRAMES;
                            long pts = tag.timestamp() + (hasCts ? payload.getMedium(payload.readerIndex() + 5) : 0);
                            presentationTimes.add(pts);
                            if (video.keyframe()) {
                                keyDecode.add(coded);
                                keyTimes.add(pts);
                            }
                            coded++;
                        }
                    } else if (tag.isAudio()) {
                        AudioTag audio = AudioTag.parse(payload);
                        if (audio.sequenceHeader()) {
                            audioConfig = audio;
                        }
                    }
                    assertThat(payload.readerIndex()).isZero();
                } finally {
                    tag.release();
                }
            }
            List<Long> sorted = presentationTimes.stream().sorted().toList();
            List<Integer> keyPresentation = keyTimes.stream().map(sorted::indexOf).toList();
            return new Census(kinds, keyDecode, keyPresentation, coded, firstVideo, resolution, audioConfig, tags,
                    reader.lastCompleteTagEnd(), reader.truncatedTail(), reader.previousTagSizeMismatches());
        }
    }

    private static String kind(FlvTag tag) {
        ByteBuf p = tag.payload();
        if (tag.isScript()) {
            return "script";
        }
        if (tag.isAudio()) {
            AudioTag a = AudioTag.parse(p);
            return "audio " + a.codec() + (a.sequenceHeader() ? " config" : " frame");
        }
        VideoTag v = VideoTag.parse(p);
        String what = v.sequenceHeader() ? "sequence start" : v.metadata() ? "metadata"
                : v.keyframe() ? "keyframe" : v.codedFrame() ? "inter frame" : "other";
        return "video " + v.codec() + " " + what;
    }

    @Test
    void hevcSample() throws IOException {
        Path file = mediaDir().resolve("hevc-aac.flv");
        Census c = census(file);
        assertThat(c.tagsByKind()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "script", 1,
                "video HEVC sequence start", 1,
                "video HEVC metadata", 1,
                "video HEVC keyframe", 2,
                "video HEVC inter frame", 118,
                "audio AAC config", 1,
                "audio AAC frame", 174));
        assertThat(c.tags()).isEqualTo(298);
        assertThat(c.codedFrames()).isEqualTo(120);
        assertThat(c.firstVideoKind()).isEqualTo("video HEVC sequence start");
        // B-frames: the second keyframe is the 58th frame in decode order, frame 60 in presentation order.
        assertThat(c.keyframeDecodeIndexes()).containsExactly(0, 57);
        assertThat(c.keyframePresentationIndexes()).containsExactly(0, 60);
        assertThat(c.resolution()).contains(new VideoResolution(640, 360));
        assertThat(c.audioConfig()).isEqualTo(new AudioTag(AudioCodec.AAC, true, 44100, 1));
        assertThat(c.lastCompleteTagEnd()).isEqualTo(Files.size(file));
        assertThat(c.truncatedTail()).isFalse();
        assertThat(c.mismatches()).isZero();
    }

    @Test
    void av1Sample() throws IOException {
        Path file = mediaDir().resolve("av1-aac.flv");
        Census c = census(file);
        assertThat(c.tagsByKind()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "script", 1,
                "video AV1 sequence start", 1,
                "video AV1 metadata", 1,
                "video AV1 keyframe", 2,
                "video AV1 inter frame", 118,
                "audio AAC config", 1,
                "audio AAC frame", 174));
        assertThat(c.tags()).isEqualTo(298);
        assertThat(c.codedFrames()).isEqualTo(120);
        assertThat(c.firstVideoKind()).isEqualTo("video AV1 sequence start");
        assertThat(c.keyframeDecodeIndexes()).containsExactly(0, 60);
        assertThat(c.keyframePresentationIndexes()).containsExactly(0, 60);
        assertThat(c.resolution()).contains(new VideoResolution(640, 360));
        assertThat(c.audioConfig()).isEqualTo(new AudioTag(AudioCodec.AAC, true, 44100, 1));
        assertThat(c.lastCompleteTagEnd()).isEqualTo(Files.size(file));
        assertThat(c.truncatedTail()).isFalse();
    }

    @Test
    void exactHeaderBytesOfTheSamples() throws IOException {
        // Packet types as sent, to pin down the census: hvc1 uses CodedFrames (1) for keyframes and
        // for 88 inter frames, CodedFramesX (3) for the 30 inter frames whose composition time is 0.
        Map<String, Integer> firstBytes = new TreeMap<>();
        try (FlvReader reader = FlvReader.open(mediaDir().resolve("hevc-aac.flv"))) {
            FlvTag tag;
            while ((tag = reader.next()) != null) {
                if (tag.isVideo()) {
                    VideoTag v = VideoTag.parse(tag.payload());
                    firstBytes.merge(String.format("%02x", tag.payload().getUnsignedByte(0)), 1, Integer::sum);
                    assertThat(v.exHeader()).isTrue();
                    if (v.metadata()) {
                        assertThat(v.frameType()).isEqualTo(FrameType.COMMAND);
                    }
                }
                tag.release();
            }
        }
        assertThat(firstBytes).containsExactlyInAnyOrderEntriesOf(
                Map.of("90", 1, "d4", 1, "91", 2, "a1", 88, "a3", 30));
    }

    @ParameterizedTest
    @ValueSource(strings = {"hevc-aac.flv", "av1-aac.flv"})
    void roundTripIsByteIdentical(String name, @TempDir Path tmp) throws IOException {
        Path in = mediaDir().resolve(name);
        Path out = tmp.resolve(name);
        long written;
        try (FlvReader reader = FlvReader.open(in); FlvWriter writer = FlvWriter.create(out)) {
            FlvHeader header = reader.header();
            assertThat(header.dataOffset()).isEqualTo(9); // standard header: nothing is lost
            writer.writeHeader(header.hasAudio(), header.hasVideo());
            FlvTag tag;
            while ((tag = reader.next()) != null) {
                try {
                    writer.writeTag(tag);
                } finally {
                    tag.release();
                }
            }
            written = writer.position();
        }
        assertThat(written).isEqualTo(Files.size(in));
        assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(in));
    }

    @Test
    void aCrashCutCopyReadsUpToItsLastCompleteTag(@TempDir Path tmp) throws IOException {
        Path in = mediaDir().resolve("av1-aac.flv");
        byte[] bytes = Files.readAllBytes(in);
        Path cut = tmp.resolve("cut.flv");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        long end;
        int tags = 0;
        try (FlvReader reader = FlvReader.open(cut)) {
            FlvTag tag;
            while ((tag = reader.next()) != null) {
                tags++;
                tag.release();
            }
            assertThat(reader.truncatedTail()).isTrue();
            end = reader.lastCompleteTagEnd();
            assertThat(end).isLessThan(bytes.length / 2).isGreaterThan(13);
        }
        // Truncated there, the file is whole again and holds the same tags.
        Path repaired = tmp.resolve("repaired.flv");
        Files.write(repaired, java.util.Arrays.copyOf(bytes, (int) end));
        try (FlvReader reader = FlvReader.open(repaired)) {
            int again = 0;
            FlvTag tag;
            while ((tag = reader.next()) != null) {
                again++;
                tag.release();
            }
            assertThat(again).isEqualTo(tags);
            assertThat(reader.truncatedTail()).isFalse();
        }
    }
}
