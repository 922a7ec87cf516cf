package io.sluice.engine.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AudioTagTest {

    private static AudioTag parse(String... pieces) {
        ByteBuf buf = Bufs.offset(pieces);
        try {
            int reader = buf.readerIndex();
            int writer = buf.writerIndex();
            AudioTag tag = AudioTag.parse(buf);
            assertThat(buf.readerIndex()).isEqualTo(reader);
            assertThat(buf.writerIndex()).isEqualTo(writer);
            return tag;
        } finally {
            buf.release();
        }
    }

    @Test
    void aacSequenceHeaderFromTheSamples() {
        // AudioSpecificConfig 0x1208: AAC LC, 44100 Hz (index 4), mono; then a GASpecificConfig tail.
        assertThat(parse("AF 00 1208 56e500")).isEqualTo(new AudioTag(AudioCodec.AAC, true, 44100, 1));
    }

    @Test
    void aacSequenceHeaderVariants() {
        assertThat(parse("AF 00 1190")).isEqualTo(new AudioTag(AudioCodec.AAC, true, 48000, 2)); // LC 48k stereo
        assertThat(parse("AF 00 11B0")).isEqualTo(new AudioTag(AudioCodec.AAC, true, 48000, 6)); // 5.1
        assertThat(parse("AF 00 13B8")).isEqualTo(new AudioTag(AudioCodec.AAC, true, 22050, 7 + 1)); // 7.1
        // Explicit frequency (index 15): 00010 1111 <24-bit 0x003E80 = 16000> 0010 -> 0x17 0x80 0x1F 0x40 0x10
        assertThat(parse("AF 00 17801F4010")).isEqualTo(new AudioTag(AudioCodec.AAC, true, 16000, 2));
        // Escaped object type 31 (+6 bits): 11111 000010 0011 0010 -> 0xF8 0x46 0x40
        assertThat(parse("AF 00 F84640")).isEqualTo(new AudioTag(AudioCodec.AAC, true, 48000, 2));
        // Config too short: still a sequence header, rate and channels unknown.
        assertThat(parse("AF 00 12")).isEqualTo(new AudioTag(AudioCodec.AAC, true, 0, 0));
        assertThat(parse("AF 00")).isEqualTo(new AudioTag(AudioCodec.AAC, true, 0, 0));
    }

    @Test
    void aacRawFrame() {
        assertThat(parse("AF 01 de020040")).isEqualTo(new AudioTag(AudioCodec.AAC, false, 0, 0));
    }

    @Test
    void legacyFlagsGiveRateAndChannels() {
        assertThat(parse("2F fffb9064")).isEqualTo(new AudioTag(AudioCodec.MP3, false, 44100, 2));
        assertThat(parse("2A fffb")).isEqualTo(new AudioTag(AudioCodec.MP3, false, 22050, 1));
        assertThat(parse("06 0000")).isEqualTo(new AudioTag(AudioCodec.LINEAR_PCM_PLATFORM_ENDIAN, false, 11025, 1));
        assertThat(parse("32 0000")).isEqualTo(new AudioTag(AudioCodec.LINEAR_PCM_LITTLE_ENDIAN, false, 5512, 1));
        assertThat(parse("1D 00")).isEqualTo(new AudioTag(AudioCodec.ADPCM, false, 44100, 2));
        assertThat(parse("B2 00")).isEqualTo(new AudioTag(AudioCodec.SPEEX, false, 16000, 1));
        assertThat(parse("52 00")).isEqualTo(new AudioTag(AudioCodec.NELLYMOSER_8K_MONO, false, 8000, 1));
        assertThat(parse("42 00")).isEqualTo(new AudioTag(AudioCodec.NELLYMOSER_16K_MONO, false, 16000, 1));
        assertThat(parse("6E 00")).isEqualTo(new AudioTag(AudioCodec.NELLYMOSER, false, 44100, 1));
        assertThat(parse("72 d5d5")).isEqualTo(new AudioTag(AudioCodec.G711_ALAW, false, 8000, 1));
        assertThat(parse("82 ffff")).isEqualTo(new AudioTag(AudioCodec.G711_MULAW, false, 8000, 1));
        assertThat(parse("E2 00")).isEqualTo(new AudioTag(AudioCodec.MP3_8K, false, 8000, 1));
        assertThat(parse("F2 00").codec()).isEqualTo(AudioCodec.DEVICE_SPECIFIC);
    }

    @Test
    void enhancedAudio() {
        // Opus SequenceStart with an ID header: "OpusHead", version 1, 2 channels, pre-skip, 48000 LE.
        assertThat(parse("90", "'Opus", "'OpusHead", "01 02 3801 80bb0000 0000 00"))
                .isEqualTo(new AudioTag(AudioCodec.OPUS, true, 48000, 2));
        assertThat(parse("90", "'Opus")).isEqualTo(new AudioTag(AudioCodec.OPUS, true, 0, 0)); // empty ID header
        assertThat(parse("91", "'Opus", "fc")).isEqualTo(new AudioTag(AudioCodec.OPUS, false, 0, 0));
        // FLAC: "fLaC", last-block STREAMINFO header (length 34), 44100 Hz, 2 channels, 16 bit.
        assertThat(parse("90", "'fLaC", "'fLaC", "80000022 1000 1000 000000 000000 0AC442F0 00000000",
                "00000000000000000000000000000000"))
                .isEqualTo(new AudioTag(AudioCodec.FLAC, true, 44100, 2));
        assertThat(parse("90", "'mp4a", "1190")).isEqualTo(new AudioTag(AudioCodec.AAC, true, 48000, 2));
        assertThat(parse("91", "'mp4a", "21")).isEqualTo(new AudioTag(AudioCodec.AAC, false, 0, 0));
        assertThat(parse("91", "'.mp3", "fffb")).isEqualTo(new AudioTag(AudioCodec.MP3, false, 0, 0));
        assertThat(parse("90", "'ac-3").codec()).isEqualTo(AudioCodec.AC3);
        assertThat(parse("91", "'ec-3").codec()).isEqualTo(AudioCodec.EAC3);
        assertThat(parse("92", "'Opus")).isEqualTo(new AudioTag(AudioCodec.OPUS, false, 0, 0)); // SequenceEnd
        // MultichannelConfig: order Native (1), 6 channels, mask.
        assertThat(parse("94", "'Opus", "01 06 0000003f")).isEqualTo(new AudioTag(AudioCodec.OPUS, false, 0, 6));
    }

    @Test
    void enhancedAudioMultitrackAndModEx() {
        assertThat(parse("95 01", "'mp4a", "00 21")).isEqualTo(new AudioTag(AudioCodec.AAC, false, 0, 0));
        assertThat(parse("95 20", "'Opus", "00 000013")).isEqualTo(new AudioTag(AudioCodec.OPUS, true, 0, 0));
        assertThat(parse("95 05", "'Opus")).isEqualTo(AudioTag.UNKNOWN);
        // ModEx: 3 bytes of TimestampOffsetNano, then SequenceStart.
        assertThat(parse("97 02 000001 00", "'mp4a", "1190")).isEqualTo(new AudioTag(AudioCodec.AAC, true, 48000, 2));
        assertThat(parse("97 02 0000")).isEqualTo(AudioTag.UNKNOWN);
    }

    @Test
    void unknownEmptyAndGarbage() {
        assertThat(parse("")).isEqualTo(AudioTag.UNKNOWN); // the RTMP silence message
        assertThat(parse("AF")).isEqualTo(AudioTag.UNKNOWN);
        assertThat(parse("90")).isEqualTo(AudioTag.UNKNOWN);
        assertThat(parse("90", "'Op")).isEqualTo(AudioTag.UNKNOWN);
        assertThat(parse("91", "'abcd")).isEqualTo(AudioTag.UNKNOWN);
        assertThat(parse("93", "'Opus")).isEqualTo(AudioTag.UNKNOWN); // reserved packet type 3
        assertThat(parse("C2 00")).isEqualTo(AudioTag.UNKNOWN); // reserved format 12
        assertThat(parse("D2 00")).isEqualTo(AudioTag.UNKNOWN); // reserved format 13
    }

    @Test
    void randomBytesNeverThrowNorMoveIndexes() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[random.nextInt(24)];
            random.nextBytes(bytes);
            if (bytes.length > 0 && random.nextInt(3) == 0) {
                bytes[0] = (byte) (0x90 | bytes[0] & 0x0F);
            }
            ByteBuf buf = Bufs.offset(bytes);
            try {
                int reader = buf.readerIndex();
                assertThat(AudioTag.parse(buf)).isNotNull();
                assertThat(buf.readerIndex()).isEqualTo(reader);
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void codecTables() {
        assertThat(AudioCodec.fromSoundFormat(10)).isEqualTo(AudioCodec.AAC);
        assertThat(AudioCodec.fromSoundFormat(9)).isEqualTo(AudioCodec.UNKNOWN);
        assertThat(AudioCodec.fromSoundFormat(-1)).isEqualTo(AudioCodec.UNKNOWN);
        assertThat(AudioCodec.fromFourCc(FourCc.of("fLaC"))).isEqualTo(AudioCodec.FLAC);
        assertThat(AudioCodec.fromFourCc(FourCc.of(".mp3"))).isEqualTo(AudioCodec.MP3);
        assertThat(AudioCodec.AAC.displayName()).isEqualTo("AAC");
    }
}
