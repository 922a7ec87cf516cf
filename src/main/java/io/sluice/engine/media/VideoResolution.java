package io.sluice.engine.media;

import io.netty.buffer.ByteBuf;
import java.util.Optional;

/**
 * Picture size (after cropping) read from a video sequence header: H.264 (avcC -> SPS), HEVC
 * (hvcC -> SPS) and AV1 (av1C -> sequence header OBU, whose size is the maximum frame size).
 * All parsers read without moving the reader index and return empty on anything unexpected.
 */
public record VideoResolution(int width, int height) {

    /** Larger than any level allows (H.264 level 6.2: 8192x4320; AV1: 65536 max). */
    private static final int MAX_DIMENSION = 65536;

    public VideoResolution {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("bad resolution " + width + "x" + height);
        }
    }

    @Override
    public String toString() {
        return width + "x" + height;
    }

    /** Any supported codec's sequence header tag (legacy or E-RTMP); empty for other tags/codecs. */
    public static Optional<VideoResolution> fromSequenceHeader(ByteBuf payload) {
        VideoTag tag = VideoTag.parse(payload);
        return switch (tag.codec()) {
            case AVC -> fromAvcSequenceHeader(payload);
            case HEVC -> fromHevcSequenceHeader(payload);
            case AV1 -> fromAv1SequenceHeader(payload);
            default -> Optional.empty();
        };
    }

    /** An AVC sequence header tag: legacy (0x17 0x00 + CTS) or E-RTMP avc1 SequenceStart. */
    public static Optional<VideoResolution> fromAvcSequenceHeader(ByteBuf payload) {
        int record = configRecordOffset(payload, VideoCodec.AVC);
        return record < 0 ? Optional.empty() : fromAvcDecoderConfigurationRecord(payload, record);
    }

    /** An HEVC sequence header tag: legacy id 12 (0x1C 0x00 + CTS) or E-RTMP hvc1 SequenceStart. */
    public static Optional<VideoResolution> fromHevcSequenceHeader(ByteBuf payload) {
        int record = configRecordOffset(payload, VideoCodec.HEVC);
        return record < 0 ? Optional.empty() : fromHevcDecoderConfigurationRecord(payload, record);
    }

    /** An E-RTMP av01 SequenceStart tag whose av1C carries the sequence header OBU. */
    public static Optional<VideoResolution> fromAv1SequenceHeader(ByteBuf payload) {
        int record = configRecordOffset(payload, VideoCodec.AV1);
        return record < 0 ? Optional.empty() : fromAv1CodecConfigurationRecord(payload, record);
    }

    /**
     * Absolute index of the configuration record, or -1. Both layouts put it at byte 5: legacy
     * after the 1+1+3 header bytes (FLV E.4.3.1), E-RTMP after the byte 0 + FourCC (SequenceStart has
     * no composition time). Multitrack / ModEx headers are not followed here.
     */
    private static int configRecordOffset(ByteBuf payload, VideoCodec codec) {
        VideoTag tag = VideoTag.parse(payload);
        if (tag.codec() != codec || !tag.sequenceHeader()) {
            return -1;
        }
        if (tag.exHeader() && tag.packetType() != VideoTag.PACKET_SEQUENCE_START) {
            return -1;
        }
        return payload.readableBytes() > 5 ? payload.readerIndex() + 5 : -1;
    }

    /** AVCDecoderConfigurationRecord (ISO/IEC 14496-15 5.3.3.1) at an absolute index: first SPS. */
    public static Optional<VideoResolution> fromAvcDecoderConfigurationRecord(ByteBuf buf, int index) {
        int end = buf.writerIndex();
        // version, profile, compat, level, lengthSizeMinusOne, numOfSequenceParameterSets, then UI16 length.
        if (index < 0 || index + 8 > end || buf.getUnsignedByte(index) != 1
                || (buf.getUnsignedByte(index + 5) & 0x1F) == 0) {
            return Optional.empty();
        }
        int length = buf.getUnsignedShort(index + 6);
        int nal = index + 8;
        if (length < 2 || nal + length > end || (buf.getUnsignedByte(nal) & 0x1F) != 7) {
            return Optional.empty();
        }
        try {
            return checked(Sps.avc(BitReader.rbsp(buf, nal + 1, length - 1)));
        } catch (BitReader.Overrun e) {
            return Optional.empty();
        }
    }

    /** HEVCDecoderConfigurationRecord (ISO/IEC 14496-15 8.3.3.1) at an absolute index: first SPS. */
    public static Optional<VideoResolution> fromHevcDecoderConfigurationRecord(ByteBuf buf, int index) {
        int end = buf.writerIndex();
        // 22 fixed bytes, then numOfArrays and the arrays of NAL units.
        if (index < 0 || index + 23 > end || buf.getUnsignedByte(index) != 1) {
            return Optional.empty();
        }
        int arrays = buf.getUnsignedByte(index + 22);
        int pos = index + 23;
        for (int a = 0; a < arrays; a++) {
            if (pos + 3 > end) {
                return Optional.empty();
            }
            int nalType = buf.getUnsignedByte(pos) & 0x3F;
            int count = buf.getUnsignedShort(pos + 1);
            pos += 3;
            for (int n = 0; n < count; n++) {
                if (pos + 2 > end) {
                    return Optional.empty();
                }
                int length = buf.getUnsignedShort(pos);
                pos += 2;
                if (pos + length > end) {
                    return Optional.empty();
                }
                if (nalType == 33 && length > 2 && (buf.getUnsignedByte(pos) >> 1 & 0x3F) == 33) {
                    try {
                        return checked(Sps.hevc(BitReader.rbsp(buf, pos + 2, length - 2)));
                    } catch (BitReader.Overrun e) {
                        return Optional.empty();
                    }
                }
                pos += length;
            }
        }
        return Optional.empty();
    }

    /** AV1CodecConfigurationRecord (AV1-ISOBMFF 2.3.3) at an absolute index: its sequence header OBU. */
    public static Optional<VideoResolution> fromAv1CodecConfigurationRecord(ByteBuf buf, int index) {
        int end = buf.writerIndex();
        // marker(1)+version(7) = 0x81, then 3 bytes, then configOBUs.
        if (index < 0 || index + 4 > end || buf.getUnsignedByte(index) != 0x81) {
            return Optional.empty();
        }
        int pos = index + 4;
        try {
            while (pos < end) {
                int header = buf.getUnsignedByte(pos++);
                if ((header & 0x80) != 0) {
                    return Optional.empty(); // forbidden bit
                }
                int obuType = header >> 3 & 0x0F;
                if ((header & 0x04) != 0) {
                    if (pos >= end) {
                        return Optional.empty(); // the obu_extension_header byte is missing
                    }
                    pos++; // obu_extension_header
                }
                long size;
                if ((header & 0x02) != 0) {
                    // leb128 (AV1 4.10.5), at most 8 bytes.
                    size = 0;
                    int i = 0;
                    while (true) {
                        if (pos >= end || i == 8) {
                            return Optional.empty();
                        }
                        int b = buf.getUnsignedByte(pos++);
                        size |= (long) (b & 0x7F) << (7 * i++);
                        if ((b & 0x80) == 0) {
                            break;
                        }
                    }
                } else {
                    size = end - pos;
                }
                if (size > end - pos) {
                    return Optional.empty();
                }
                if (obuType == 1) { // OBU_SEQUENCE_HEADER
                    return checked(Sps.av1(BitReader.of(buf, pos, (int) size)));
                }
                pos += (int) size;
            }
        } catch (BitReader.Overrun e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static Optional<VideoResolution> checked(long packed) {
        int width = (int) (packed >>> 32);
        int height = (int) packed;
        if (width <= 0 || height <= 0 || width > MAX_DIMENSION || height > MAX_DIMENSION) {
            return Optional.empty();
        }
        return Optional.of(new VideoResolution(width, height));
    }
}
