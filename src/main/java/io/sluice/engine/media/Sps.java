package io.sluice.engine.media;

/**
 * Picture size from parameter sets. Each method returns {@code width << 32 | height} (0 if the
 * values make no sense) or throws {@link BitReader.Overrun}.
 */
final class Sps {

    private Sps() {
    }

    private static long pack(long width, long height) {
        if (width <= 0 || height <= 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            return 0;
        }
        return width << 32 | height;
    }

    /** H.264 seq_parameter_set_rbsp (7.3.2.1.1) after the NAL header byte; cropping per 7.4.2.1.1. */
    static long avc(BitReader r) {
        int profileIdc = r.bitsInt(8);
        r.skip(16); // constraint flags, level_idc
        r.ue(); // seq_parameter_set_id
        int chromaFormatIdc = 1;
        boolean separateColourPlane = false;
        switch (profileIdc) {
            case 100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135 -> {
                chromaFormatIdc = r.ue();
                if (chromaFormatIdc > 3) {
                    return 0;
                }
                if (chromaFormatIdc == 3) {
                    separateColourPlane = r.flag();
                }
                r.ue(); // bit_depth_luma_minus8
                r.ue(); // bit_depth_chroma_minus8
                r.bit(); // qpprime_y_zero_transform_bypass_flag
                if (r.flag()) { // seq_scaling_matrix_present_flag
                    int lists = chromaFormatIdc != 3 ? 8 : 12;
                    for (int i = 0; i < lists; i++) {
                        if (r.flag()) {
                            skipScalingList(r, i < 6 ? 16 : 64);
                        }
                    }
                }
            }
            default -> {
            }
        }
        r.ue(); // log2_max_frame_num_minus4
        int picOrderCntType = r.ue();
        if (picOrderCntType == 0) {
            r.ue(); // log2_max_pic_order_cnt_lsb_minus4
        } else if (picOrderCntType == 1) {
            r.bit(); // delta_pic_order_always_zero_flag
            r.se(); // offset_for_non_ref_pic
            r.se(); // offset_for_top_to_bottom_field
            int cycle = r.ue();
            if (cycle > 255) {
                return 0;
            }
            for (int i = 0; i < cycle; i++) {
                r.se(); // offset_for_ref_frame
            }
        } else if (picOrderCntType != 2) {
            return 0;
        }
        r.ue(); // max_num_ref_frames
        r.bit(); // gaps_in_frame_num_value_allowed_flag
        long widthMbs = r.ue() + 1L;
        long heightMapUnits = r.ue() + 1L;
        int frameMbsOnly = r.bit();
        if (frameMbsOnly == 0) {
            r.bit(); // mb_adaptive_frame_field_flag
        }
        r.bit(); // direct_8x8_inference_flag
        long width = widthMbs * 16;
        long height = (2 - frameMbsOnly) * heightMapUnits * 16;
        if (r.flag()) { // frame_cropping_flag
            long left = r.ue();
            long right = r.ue();
            long top = r.ue();
            long bottom = r.ue();
            int chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
            int cropUnitX;
            int cropUnitY;
            if (chromaArrayType == 0) {
                cropUnitX = 1;
                cropUnitY = 2 - frameMbsOnly;
            } else {
                cropUnitX = chromaArrayType == 3 ? 1 : 2; // SubWidthC
                cropUnitY = (chromaArrayType == 1 ? 2 : 1) * (2 - frameMbsOnly); // SubHeightC
            }
            width -= (left + right) * cropUnitX;
            height -= (top + bottom) * cropUnitY;
        }
        return pack(width, height);
    }

    /** scaling_list() (7.3.2.1.1.1): only the delta_scale codes are consumed. */
    private static void skipScalingList(BitReader r, int size) {
        int lastScale = 8;
        int nextScale = 8;
        for (int j = 0; j < size; j++) {
            if (nextScale != 0) {
                int delta = r.se();
                nextScale = (lastScale + delta + 256) % 256;
            }
            lastScale = nextScale == 0 ? lastScale : nextScale;
        }
    }

    /** H.265 seq_parameter_set_rbsp (7.3.2.2.1) after the 2-byte NAL header; conformance window per 7.4.3.2.1. */
    static long hevc(BitReader r) {
        r.skip(4); // sps_video_parameter_set_id
        int maxSubLayersMinus1 = r.bitsInt(3);
        r.bit(); // sps_temporal_id_nesting_flag
        // profile_tier_level(1, maxSubLayersMinus1) (7.3.3): 88 bits general profile + 8 bits level.
        r.skip(96);
        boolean[] profilePresent = new boolean[maxSubLayersMinus1];
        boolean[] levelPresent = new boolean[maxSubLayersMinus1];
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            profilePresent[i] = r.flag();
            levelPresent[i] = r.flag();
        }
        if (maxSubLayersMinus1 > 0) {
            r.skip(2L * (8 - maxSubLayersMinus1)); // reserved_zero_2bits
        }
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            if (profilePresent[i]) {
                r.skip(88);
            }
            if (levelPresent[i]) {
                r.skip(8);
            }
        }
        r.ue(); // sps_seq_parameter_set_id
        int chromaFormatIdc = r.ue();
        if (chromaFormatIdc > 3) {
            return 0;
        }
        boolean separateColourPlane = chromaFormatIdc == 3 && r.flag();
        long width = r.ue();
        long height = r.ue();
        if (r.flag()) { // conformance_window_flag
            long left = r.ue();
            long right = r.ue();
            long top = r.ue();
            long bottom = r.ue();
            int chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
            int subWidthC = chromaArrayType == 1 || chromaArrayType == 2 ? 2 : 1;
            int subHeightC = chromaArrayType == 1 ? 2 : 1;
            width -= (left + right) * subWidthC;
            height -= (top + bottom) * subHeightC;
        }
        return pack(width, height);
    }

    /** AV1 sequence_header_obu (5.5.1) up to max_frame_width/height_minus_1. */
    static long av1(BitReader r) {
        r.skip(3); // seq_profile
        r.bit(); // still_picture
        boolean reducedStillPictureHeader = r.flag();
        if (reducedStillPictureHeader) {
            r.skip(5); // seq_level_idx[0]
        } else {
            boolean decoderModelInfoPresent = false;
            int bufferDelayLength = 0;
            if (r.flag()) { // timing_info_present_flag
                r.skip(64); // num_units_in_display_tick, time_scale
                if (r.flag()) { // equal_picture_interval
                    r.uvlc(); // num_ticks_per_picture_minus_1
                }
                decoderModelInfoPresent = r.flag();
                if (decoderModelInfoPresent) {
                    bufferDelayLength = r.bitsInt(5) + 1;
                    r.skip(32 + 5 + 5); // num_units_in_decoding_tick, two lengths
                }
            }
            boolean initialDisplayDelayPresent = r.flag();
            int operatingPoints = r.bitsInt(5) + 1;
            for (int i = 0; i < operatingPoints; i++) {
                r.skip(12); // operating_point_idc
                int seqLevelIdx = r.bitsInt(5);
                if (seqLevelIdx > 7) {
                    r.bit(); // seq_tier
                }
                if (decoderModelInfoPresent && r.flag()) { // decoder_model_present_for_this_op
                    r.skip(2L * bufferDelayLength + 1); // decoder/encoder_buffer_delay, low_delay_mode_flag
                }
                if (initialDisplayDelayPresent && r.flag()) {
                    r.skip(4); // initial_display_delay_minus_1
                }
            }
        }
        int widthBits = r.bitsInt(4) + 1;
        int heightBits = r.bitsInt(4) + 1;
        long width = r.bits(widthBits) + 1;
        long height = r.bits(heightBits) + 1;
        return pack(width, height);
    }
}
