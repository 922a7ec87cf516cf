package io.sluice.engine.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VideoTagTest {

    /** Parses, checks the indexes did not move, releases. */
    private static VideoTag parse(String... pieces) {
        ByteBuf buf = Bufs.offset(pieces);
        try {
            int reader = buf.readerIndex();
            int writer = buf.writerIndex();
            VideoTag tag = VideoTag.parse(buf);
            assertThat(buf.readerIndex()).isEqualTo(reader);
            assertThat(buf.writerIndex()).isEqualTo(writer);
            return tag;
        } finally {
            buf.release();
        }
    }

    @Test
    void legacyAvcSequenceHeader() {
        VideoTag tag = parse("17 00 000000 0164001effe1");
        assertThat(tag).isEqualTo(new VideoTag(VideoCodec.AVC, FrameType.KEY, false, 0, true, false, false));
        assertThat(tag.keyframe()).isFalse();
        assertThat(tag.codedFrame()).isFalse();
    }

    @Test
    void legacyAvcKeyframeInterAndEnd() {
        VideoTag key = parse("17 01 000000 00000002 0910");
        assertThat(key).isEqualTo(new VideoTag(VideoCodec.AVC, FrameType.KEY, false, 1, false, false, false));
        assertThat(key.keyframe()).isTrue();

        VideoTag inter = parse("27 01 000021 00000002 0930");
        assertThat(inter).isEqualTo(new VideoTag(VideoCodec.AVC, FrameType.INTER, false, 1, false, false, false));
        assertThat(inter.codedFrame()).isTrue();
        assertThat(inter.keyframe()).isFalse();

        VideoTag end = parse("17 02 000000");
        assertThat(end.sequenceEnd()).isTrue();
        assertThat(end.keyframe()).isFalse();
    }

    @Test
    void legacyHevcId12() {
        VideoTag header = parse("1C 00 000000 01016000");
        assertThat(header).isEqualTo(new VideoTag(VideoCodec.HEVC, FrameType.KEY, false, 0, true, false, false));
        assertThat(header.keyframe()).isFalse();
        assertThat(parse("1C 01 000000 00000002").keyframe()).isTrue();
        assertThat(parse("2C 01 000000 00000002").keyframe()).isFalse();
    }

    @Test
    void legacyOtherCodecsHaveNoPacketType() {
        VideoTag h263 = parse("12 0000840081");
        assertThat(h263).isEqualTo(new VideoTag(VideoCodec.SORENSON_H263, FrameType.KEY, false, -1, false, false, false));
        assertThat(h263.keyframe()).isTrue();
        assertThat(parse("34 00").codec()).isEqualTo(VideoCodec.VP6);
        assertThat(parse("34 00").frameType()).isEqualTo(FrameType.DISPOSABLE_INTER);
        assertThat(parse("15 00").codec()).isEqualTo(VideoCodec.VP6_ALPHA);
        assertThat(parse("13").codec()).isEqualTo(VideoCodec.SCREEN);
        assertThat(parse("16").codec()).isEqualTo(VideoCodec.SCREEN_V2);
        assertThat(parse("47 01 000000").frameType()).isEqualTo(FrameType.GENERATED_KEY);
        assertThat(parse("47 01 000000").keyframe()).isTrue();
    }

    @Test
    void enhancedHevcSequenceStart() {
        VideoTag tag = parse("90", "'hvc1", "0101600000009000");
        assertThat(tag).isEqualTo(new VideoTag(VideoCodec.HEVC, FrameType.KEY, true, 0, true, false, false));
        assertThat(tag.keyframe()).isFalse();
    }

    @Test
    void enhancedCodedFramesAndCodedFramesX() {
        VideoTag codedX = parse("93", "'hvc1", "00000002 2601");
        assertThat(codedX).isEqualTo(new VideoTag(VideoCodec.HEVC, FrameType.KEY, true, 3, false, false, false));
        assertThat(codedX.keyframe()).isTrue();

        VideoTag coded = parse("91", "'hvc1", "000043 0000001d");
        assertThat(coded.keyframe()).isTrue();
        assertThat(coded.packetType()).isEqualTo(VideoTag.PACKET_CODED_FRAMES);

        VideoTag inter = parse("A1", "'hvc1", "0000a6");
        assertThat(inter).isEqualTo(new VideoTag(VideoCodec.HEVC, FrameType.INTER, true, 1, false, false, false));
        assertThat(inter.codedFrame()).isTrue();
        assertThat(inter.keyframe()).isFalse();

        assertThat(parse("93", "'avc1", "00000002 6588").codec()).isEqualTo(VideoCodec.AVC);
    }

    @Test
    void enhancedAv1Vp9Vp8() {
        VideoTag av1Start = parse("90", "'av01", "81010c00 0a0b");
        assertThat(av1Start).isEqualTo(new VideoTag(VideoCodec.AV1, FrameType.KEY, true, 0, true, false, false));
        assertThat(parse("91", "'av01", "12000a0b").keyframe()).isTrue();
        assertThat(parse("A1", "'av01", "3210").keyframe()).isFalse();
        assertThat(parse("92", "'av01")).isEqualTo(new VideoTag(VideoCodec.AV1, FrameType.KEY, true, 2, false, true, false));

        VideoTag vp9 = parse("91", "'vp09", "8249834200");
        assertThat(vp9.codec()).isEqualTo(VideoCodec.VP9);
        assertThat(vp9.keyframe()).isTrue();
        assertThat(parse("90", "'vp08", "0101").codec()).isEqualTo(VideoCodec.VP8);
        assertThat(parse("90", "'vp08", "0101").sequenceHeader()).isTrue();
    }

    @Test
    void enhancedMetadataAsFfmpegWritesIt() {
        // ffmpeg 7.1: frame type Command + PacketTypeMetadata, FourCC, AMF "colorInfo".
        VideoTag tag = parse("D4", "'hvc1", "020009", "'colorInfo");
        assertThat(tag).isEqualTo(new VideoTag(VideoCodec.HEVC, FrameType.COMMAND, true, 4, false, false, true));
        assertThat(tag.keyframe()).isFalse();
        assertThat(tag.codedFrame()).isFalse();
        assertThat(parse("94", "'av01", "02").metadata()).isTrue();
    }

    @Test
    void commandFrames() {
        VideoTag enhanced = parse("D0 01");
        assertThat(enhanced).isEqualTo(new VideoTag(VideoCodec.UNKNOWN, FrameType.COMMAND, true, 0, false, false, false));
        assertThat(enhanced.keyframe()).isFalse();

        VideoTag legacyNoCodec = parse("50 00");
        assertThat(legacyNoCodec.frameType()).isEqualTo(FrameType.COMMAND);
        assertThat(legacyNoCodec.codec()).isEqualTo(VideoCodec.UNKNOWN);
        assertThat(legacyNoCodec.keyframe()).isFalse();

        VideoTag legacyAvc = parse("57 01");
        assertThat(legacyAvc).isEqualTo(new VideoTag(VideoCodec.AVC, FrameType.COMMAND, false, -1, false, false, false));
        assertThat(legacyAvc.codedFrame()).isFalse();
    }

    @Test
    void multitrackAndModEx() {
        // Multitrack (6): OneTrack<<4 | CodedFrames, FourCC, trackId 0, SI24 CTS, data.
        VideoTag oneTrack = parse("96 01", "'hvc1", "00 000000 00000002 2601");
        assertThat(oneTrack.codec()).isEqualTo(VideoCodec.HEVC);
        assertThat(oneTrack.packetType()).isEqualTo(VideoTag.PACKET_MULTITRACK);
        assertThat(oneTrack.keyframe()).isTrue();
        // ManyTracksManyCodecs<<4 | SequenceStart: the first track's FourCC follows.
        VideoTag many = parse("96 20", "'av01", "00 000004 81010c00");
        assertThat(many.codec()).isEqualTo(VideoCodec.AV1);
        assertThat(many.sequenceHeader()).isTrue();
        // Multitrack inside multitrack is invalid.
        assertThat(parse("96 06", "'hvc1").codec()).isEqualTo(VideoCodec.UNKNOWN);

        // ModEx (7): size-1 = 2, three bytes of nano offset, TimestampOffsetNano<<4 | CodedFramesX.
        VideoTag modEx = parse("97 02 000fa0 03", "'avc1", "00000002 6588");
        assertThat(modEx.codec()).isEqualTo(VideoCodec.AVC);
        assertThat(modEx.packetType()).isEqualTo(VideoTag.PACKET_MOD_EX);
        assertThat(modEx.keyframe()).isTrue();
        // 16-bit ModEx size: UI8 255, UI16 size-1 = 0x0100 (257 bytes).
        StringBuilder big = new StringBuilder("97 ff 0100 ");
        big.append("00".repeat(257)).append(" 00");
        assertThat(parse(big.toString(), "'hvc1").sequenceHeader()).isTrue();
        // ModEx running past the end.
        assertThat(parse("97 05 0000").codec()).isEqualTo(VideoCodec.UNKNOWN);
        assertThat(parse("97 ff 01").codec()).isEqualTo(VideoCodec.UNKNOWN);
    }

    @Test
    void unknownAndReserved() {
        assertThat(parse("91", "'abcd", "00").codec()).isEqualTo(VideoCodec.UNKNOWN);
        assertThat(parse("91", "'abcd", "00").exHeader()).isTrue();
        assertThat(parse("98", "'hvc1").codec()).isEqualTo(VideoCodec.UNKNOWN); // reserved packet type 8
        assertThat(parse("18 01 000000").codec()).isEqualTo(VideoCodec.UNKNOWN); // reserved codec 8
        assertThat(parse("01").frameType()).isEqualTo(FrameType.UNKNOWN); // frame type 0
    }

    @Test
    void emptyShortAndGarbageAreUnknownWithoutException() {
        assertThat(parse("")).isEqualTo(VideoTag.UNKNOWN);
        VideoTag ff = parse("FF");
        assertThat(ff.codec()).isEqualTo(VideoCodec.UNKNOWN);
        assertThat(ff.keyframe()).isFalse();
        assertThat(ff.sequenceHeader()).isFalse();
        assertThat(parse("00").codec()).isEqualTo(VideoCodec.UNKNOWN);
        assertThat(parse("17").codec()).isEqualTo(VideoCodec.UNKNOWN);
        assertThat(parse("17").keyframe()).isFalse();
        assertThat(parse("90", "'hv").codec()).isEqualTo(VideoCodec.UNKNOWN);
        assertThat(parse("96").codec()).isEqualTo(VideoCodec.UNKNOWN);
        assertThat(parse("97").codec()).isEqualTo(VideoCodec.UNKNOWN);
    }

    @Test
    void randomBytesNeverThrowNorMoveIndexes() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[random.nextInt(12)];
            random.nextBytes(bytes);
            if (bytes.length > 0 && random.nextBoolean()) {
                bytes[0] |= (byte) 0x80;
            }
            ByteBuf buf = Bufs.offset(bytes);
            try {
                int reader = buf.readerIndex();
                VideoTag tag = VideoTag.parse(buf);
                assertThat(tag).isNotNull();
                assertThat(buf.readerIndex()).isEqualTo(reader);
                if (tag.codec() == VideoCodec.UNKNOWN) {
                    assertThat(tag.keyframe() || tag.sequenceHeader() || tag.sequenceEnd() || tag.metadata()).isFalse();
                }
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void readsOnlyTheReadableBytes() {
        // The FourCC lies beyond the writer index: must not be seen.
        ByteBuf buf = Unpooled.buffer(16).writeBytes(Bufs.bytes("90", "'hvc1"));
        try {
            buf.writerIndex(3);
            assertThat(VideoTag.parse(buf).codec()).isEqualTo(VideoCodec.UNKNOWN);
        } finally {
            buf.release();
        }
    }

    @Test
    void codecTables() {
        assertThat(VideoCodec.fromLegacyId(7)).isEqualTo(VideoCodec.AVC);
        assertThat(VideoCodec.fromLegacyId(12)).isEqualTo(VideoCodec.HEVC);
        assertThat(VideoCodec.fromLegacyId(1)).isEqualTo(VideoCodec.UNKNOWN);
        assertThat(VideoCodec.fromLegacyId(99)).isEqualTo(VideoCodec.UNKNOWN);
        assertThat(VideoCodec.fromFourCc(0x61763031)).isEqualTo(VideoCodec.AV1);
        assertThat(VideoCodec.fromFourCc(0)).isEqualTo(VideoCodec.UNKNOWN);
        assertThat(VideoCodec.AVC.displayName()).isEqualTo("H.264");
        assertThat(VideoCodec.HEVC.displayName()).isEqualTo("HEVC");
        assertThat(VideoCodec.AV1.displayName()).isEqualTo("AV1");
        assertThat(VideoCodec.VP9.displayName()).isEqualTo("VP9");
        assertThat(FourCc.toString(VideoCodec.HEVC.fourCc())).isEqualTo("hvc1");
        assertThat(FourCc.toString(0x00414243)).isEqualTo("\\x00ABC");
        assertThat(FourCc.of("av01")).isEqualTo(0x61763031);
    }
}
