package io.sluice.engine.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Golden vectors: sequence header tags made by ffmpeg 5.1 (libx264 into FLV; libx265, libaom and
 * rav1e into MP4, whose hvcC / av1C box is wrapped here as an E-RTMP SequenceStart). The x265 SEI
 * array (the encoder's settings as text) was dropped from the hvcC to keep the vectors short.
 */
class VideoResolutionTest {

    private static Optional<VideoResolution> parse(String... pieces) {
        ByteBuf buf = Bufs.offset(pieces);
        try {
            int reader = buf.readerIndex();
            Optional<VideoResolution> result = VideoResolution.fromSequenceHeader(buf);
            assertThat(buf.readerIndex()).isEqualTo(reader);
            return result;
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest(name = "{0}x{1} {2}")
    @CsvSource({
        // Legacy FLV AVC sequence header tags (0x17 0x00 CTS + avcC).
        "640,360,High 4:2:0 cropped from 368,"
            + "17000000000164001effe1001a6764001eacd940a02ff970110000030001000003003c0f162d9601000668ebe3cb22c0fdf8f800",
        "1920,1080,High cropped from 1088,"
            + "170000000001640028ffe1001b67640028acd940780227e5c044000003000400000300f03c60c65801000668ebe3cb22c0fdf8f800",
        "1920,1080,High interlaced (frame_mbs_only 0),"
            + "170000000001640028ffe1001a67640028acd94078044fde0220000003002000000783e2c5b2c001000668fba3cb22c0fdf8f800",
        "1366,768,High 4:4:4 Predictive (chroma 3; crop unit 1),"
            + "170000000001f40020ffe1001a67f40020919b280ac0c3c5f80880000003008000001e078c18cb01000868ebe3c44c000440fff8f800",
        "1280,720,High 4:2:2,"
            + "1700000000017a001fffe1001a677a001fbcd9405005bb0110000003001000000303c0f183196001000668ebe3cb22c0fef8f800",
        "176,144,Constrained Baseline,"
            + "17000000000142c00bffe100166742c00bd902c4ec0440000003004000000f03c50a9201000568cb83cb20",
    })
    void avc(int width, int height, String what, String hex) {
        assertThat(parse(hex)).contains(new VideoResolution(width, height));
        // The same avcC in an E-RTMP avc1 SequenceStart.
        assertThat(parse("90", "'avc1", hex.substring(10))).contains(new VideoResolution(width, height));
    }

    @ParameterizedTest(name = "{0}x{1} {2}")
    @CsvSource({
        "854,480,Main conformance window right 2,"
            + "0101600000009000000000005af000fcfdf8f800000f03200001001840010c01ffff01600000030090000003000003005a95980921"
            + "0001002a42010101600000030090000003000003005aa006b201e1d796566924caf0168080000003008000000f04220001000744"
            + "01c172b46240",
        "1920,1080,Main,"
            + "01016000000090000000000078f000fcfdf8f800000f03200001001840010c01ffff016000000300900000030000030078959809"
            + "210001002a420101016000000300900000030000030078a003c08010e596566924caf0168080000003008000000f04220001000"
            + "74401c172b46240",
        "1366,766,Rext 4:2:2 window right 2 bottom 2,"
            + "0104080000009d080000000078f000fcfef8f800000f03200001001740010c01ffff0408000003009d0800000300007895980921"
            + "0001002b4201010408000003009d08000003000078b002ac80301d5e5959a4932bc05a020000030002000003003c102200010007"
            + "4401c172b46240",
        "720,406,Main with 2 temporal sub-layers window bottom 2,"
            + "0101600000009000000000005af000fcfdf8f800001303200001001c40010c02ffff01600000030090000003000003005a0000"
            + "9598acc048210001002f42010201600000030090000003000003005a0000a005a20199f5965662b349265780b40400000300040"
            + "0000300782022000100074401c172b46240",
    })
    void hevc(int width, int height, String what, String hvcC) {
        assertThat(parse("90", "'hvc1", hvcC)).contains(new VideoResolution(width, height));
        assertThat(parse("1C 00 000000", hvcC)).contains(new VideoResolution(width, height));
    }

    @ParameterizedTest(name = "{0}x{1} {2}")
    @CsvSource({
        "640,360,SVT-AV1 (the av1-aac.flv sample),81010c000a0b0000000cc4ff6700be0010",
        "1280,720,libaom,81050c000a0b0000002d4cffb3ccaf9004",
        "426,240,rav1e,811f0c000a0e000000fa1f53de210ac8101010a0",
        "320,180,libaom with timing info and decoder model,"
            + "81000c000a1e040000000400000079780000000a530000035f915f90bc3cfeccdaf90040",
    })
    void av1(int width, int height, String what, String av1C) {
        assertThat(parse("90", "'av01", av1C)).contains(new VideoResolution(width, height));
    }

    @Test
    void spsWithScalingListsAndPicOrderCntType1() {
        // High profile SPS with every scaling list present and POC type 1, written here with the
        // syntax of H.264 7.3.2.1.1; a large offset_for_ref_frame forces an emulation prevention byte.
        BitWriter w = new BitWriter();
        w.bits(100, 8).bits(0, 8).bits(40, 8).ue(0); // profile High, constraints, level 4.0, sps id
        w.ue(1).ue(0).ue(0).bits(0, 1); // chroma 4:2:0, bit depths, qpprime bypass
        w.bits(1, 1); // seq_scaling_matrix_present_flag
        for (int i = 0; i < 8; i++) {
            w.bits(1, 1); // seq_scaling_list_present_flag
            int size = i < 6 ? 16 : 64;
            for (int j = 0; j < size; j++) {
                w.se(j % 2 == 0 ? 3 : -1); // never reaches nextScale 0
            }
        }
        w.ue(0); // log2_max_frame_num_minus4
        w.ue(1).bits(0, 1).se(-2).se(1).ue(2).se(1 << 22).se(-5); // POC type 1 with 2 offsets
        w.ue(4).bits(0, 1); // max_num_ref_frames, gaps
        w.ue(1920 / 16 - 1).ue(1088 / 16 - 1).bits(1, 1).bits(1, 1); // size in MBs, frame_mbs_only, direct_8x8
        w.bits(1, 1).ue(0).ue(0).ue(0).ue(4); // cropping: bottom 4 * 2 rows
        w.bits(0, 1).bits(1, 1); // no VUI, rbsp_stop_one_bit
        byte[] nal = withEmulationPrevention(w.toByteArray());
        assertThat(indexOf(nal, new byte[] {0, 0, 3})).isPositive();

        assertThat(parse("1700000000 01640028ffe1", String.format("%04x", nal.length + 1), "67",
                java.util.HexFormat.of().formatHex(nal))).contains(new VideoResolution(1920, 1080));
    }

    @Test
    void garbageAndTruncationGiveEmptyWithoutException() {
        String avc = "17000000000164001effe1001a6764001eacd940a02ff970110000030001000003003c0f162d9601000668ebe3cb22c0fdf8f800";
        for (int len = 0; len < avc.length(); len += 2) {
            Optional<VideoResolution> r = parse(avc.substring(0, len));
            // The SPS fields needed end well before the record does: from there on the result is complete.
            assertThat(r).satisfiesAnyOf(o -> assertThat(o).isEmpty(),
                    o -> assertThat(o).contains(new VideoResolution(640, 360)));
        }
        assertThat(parse("27 01 000000 00")).isEmpty(); // not a sequence header
        assertThat(parse("90", "'vp09", "01000000")).isEmpty(); // no resolution in vpcC
        assertThat(parse("")).isEmpty();
        assertThat(parse("17 00 000000 02")).isEmpty(); // configurationVersion 2
        assertThat(parse("17 00 000000 0164001effe0")).isEmpty(); // no SPS
        assertThat(parse("17 00 000000 0164001effe1 0004 68ebe3cb")).isEmpty(); // a PPS where the SPS should be
        assertThat(parse("90", "'av01", "81010c00 8a0b")).isEmpty(); // OBU forbidden bit
        assertThat(parse("90", "'av01", "81010c00 12 00")).isEmpty(); // temporal delimiter only
        // found by the media tag fuzz target: a sequence header OBU whose extension byte is cut off
        assertThat(parse("90", "'av01", "81018101 0c")).isEmpty();

        Random random = new Random(3);
        String[] prefixes = {"1700000000", "1C00000000", "90" + "68766331", "90" + "61763031"};
        for (int i = 0; i < 20_000; i++) {
            byte[] junk = new byte[random.nextInt(40)];
            random.nextBytes(junk);
            if (junk.length > 0 && random.nextBoolean()) {
                junk[0] = (byte) (random.nextBoolean() ? 1 : 0x81);
            }
            ByteBuf buf = Bufs.offset(Bufs.bytes(prefixes[i % 4], java.util.HexFormat.of().formatHex(junk)));
            try {
                VideoResolution.fromSequenceHeader(buf).ifPresent(v -> {
                    assertThat(v.width()).isPositive();
                    assertThat(v.height()).isPositive();
                });
                assertThat(buf.readerIndex()).isEqualTo(3);
            } finally {
                buf.release();
            }
        }
    }

    private static byte[] withEmulationPrevention(byte[] rbsp) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int zeros = 0;
        for (byte b : rbsp) {
            if (zeros >= 2 && (b & 0xFF) <= 3) {
                out.write(3);
                zeros = 0;
            }
            out.write(b);
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    /** MSB-first writer with Exp-Golomb codes (H.264 9.1). */
    private static final class BitWriter {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int current;
        private int count;

        BitWriter bits(long value, int n) {
            for (int i = n - 1; i >= 0; i--) {
                current = current << 1 | (int) (value >>> i & 1);
                if (++count == 8) {
                    out.write(current);
                    current = 0;
                    count = 0;
                }
            }
            return this;
        }

        BitWriter ue(long value) {
            long codeNum = value + 1;
            int length = 64 - Long.numberOfLeadingZeros(codeNum);
            return bits(0, length - 1).bits(codeNum, length);
        }

        BitWriter se(long value) {
            return ue(value > 0 ? 2 * value - 1 : -2 * value);
        }

        byte[] toByteArray() {
            if (count > 0) {
                bits(0, 8 - count);
            }
            return out.toByteArray();
        }
    }
}
