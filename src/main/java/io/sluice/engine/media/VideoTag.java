package io.sluice.engine.media;

import io.netty.buffer.ByteBuf;

/**
 * The header of an RTMP video message (type 9), which is an FLV VIDEODATA tag body: legacy
 * (FLV 10.1 Annex E.4.3.1) or E-RTMP ExVideoTagHeader (enhanced-rtmp v1/v2, "Enhanced Video").
 *
 * @param codec          the codec; UNKNOWN if the header is short, reserved or not recognised
 * @param frameType      the frame type bits; UNKNOWN for reserved values or an empty payload
 * @param exHeader       the E-RTMP IsExHeader bit (byte 0, bit 7) is set
 * @param packetType     legacy AVC/HEVC: the AVCPacketType byte; E-RTMP: the VideoPacketType nibble of
 *                       byte 0 as sent (so 6 Multitrack and 7 ModEx stay visible; the flags below
 *                       describe the packet they wrap); -1 if the tag has none
 * @param sequenceHeader decoder configuration (AVC seq header, SequenceStart, MPEG2TSSequenceStart)
 * @param sequenceEnd    end of sequence
 * @param metadata       E-RTMP Metadata packet (AMF-encoded, e.g. colorInfo)
 */
public record VideoTag(VideoCodec codec, FrameType frameType, boolean exHeader, int packetType,
                       boolean sequenceHeader, boolean sequenceEnd, boolean metadata) {

    /** AVCPacketType (legacy AVC/HEVC). */
    public static final int AVC_SEQUENCE_HEADER = 0;
    public static final int AVC_NALU = 1;
    public static final int AVC_END_OF_SEQUENCE = 2;

    /** VideoPacketType (E-RTMP). */
    public static final int PACKET_SEQUENCE_START = 0;
    public static final int PACKET_CODED_FRAMES = 1;
    public static final int PACKET_SEQUENCE_END = 2;
    public static final int PACKET_CODED_FRAMES_X = 3;
    public static final int PACKET_METADATA = 4;
    public static final int PACKET_MPEG2TS_SEQUENCE_START = 5;
    public static final int PACKET_MULTITRACK = 6;
    public static final int PACKET_MOD_EX = 7;

    /** Result for empty or unreadable payloads. */
    public static final VideoTag UNKNOWN =
            new VideoTag(VideoCodec.UNKNOWN, FrameType.UNKNOWN, false, -1, false, false, false);

    private static final int AV_MULTITRACK_MANY_TRACKS_MANY_CODECS = 2;

    /**
     * Parses the header at the reader index without moving it. Never throws: short, reserved or
     * garbage input gives codec UNKNOWN and false flags.
     */
    public static VideoTag parse(ByteBuf payload) {
        int start = payload.readerIndex();
        int end = payload.writerIndex();
        if (end - start < 1) {
            return UNKNOWN;
        }
        int b0 = payload.getUnsignedByte(start);
        return (b0 & 0x80) == 0 ? parseLegacy(payload, start, end, b0) : parseEnhanced(payload, start, end, b0);
    }

    private static VideoTag parseLegacy(ByteBuf payload, int start, int end, int b0) {
        FrameType frameType = FrameType.fromId(b0 >> 4);
        VideoCodec codec = VideoCodec.fromLegacyId(b0 & 0x0F);
        if (codec == VideoCodec.UNKNOWN) {
            return new VideoTag(VideoCodec.UNKNOWN, frameType, false, -1, false, false, false);
        }
        if (frameType == FrameType.COMMAND || (codec != VideoCodec.AVC && codec != VideoCodec.HEVC)) {
            return new VideoTag(codec, frameType, false, -1, false, false, false);
        }
        // AVC (and the de facto HEVC id 12) carry AVCPacketType + SI24 CompositionTime (E.4.3.1).
        if (end - start < 2) {
            return new VideoTag(VideoCodec.UNKNOWN, frameType, false, -1, false, false, false);
        }
        int packetType = payload.getUnsignedByte(start + 1);
        return new VideoTag(codec, frameType, false, packetType,
                packetType == AVC_SEQUENCE_HEADER, packetType == AVC_END_OF_SEQUENCE, false);
    }

    private static VideoTag parseEnhanced(ByteBuf payload, int start, int end, int b0) {
        FrameType frameType = FrameType.fromId(b0 >> 4 & 7);
        int packetType = b0 & 0x0F;
        int effective = packetType;
        int pos = start + 1;
        // ModEx (v2): UI8 size-1 [UI16 size-1 if 255], data, then modExType<<4 | next packet type.
        while (effective == PACKET_MOD_EX) {
            if (pos >= end) {
                return unknownEx(frameType, packetType);
            }
            int size = payload.getUnsignedByte(pos++) + 1;
            if (size == 256) {
                if (pos + 2 > end) {
                    return unknownEx(frameType, packetType);
                }
                size = payload.getUnsignedShort(pos) + 1;
                pos += 2;
            }
            pos += size;
            if (pos >= end) {
                return unknownEx(frameType, packetType);
            }
            effective = payload.getUnsignedByte(pos++) & 0x0F;
        }
        if (effective != PACKET_METADATA && frameType == FrameType.COMMAND) {
            // A command frame has a UI8 VideoCommand and no FourCC.
            return new VideoTag(VideoCodec.UNKNOWN, FrameType.COMMAND, true, packetType, false, false, false);
        }
        if (effective == PACKET_MULTITRACK) {
            if (pos >= end) {
                return unknownEx(frameType, packetType);
            }
            int b = payload.getUnsignedByte(pos++);
            int multitrackType = b >> 4;
            effective = b & 0x0F;
            if (multitrackType > AV_MULTITRACK_MANY_TRACKS_MANY_CODECS || effective == PACKET_MULTITRACK
                    || effective == PACKET_MOD_EX) {
                return unknownEx(frameType, packetType);
            }
            // The shared FourCC, or with ManyTracksManyCodecs the first track's: same offset either way.
        }
        if (effective > PACKET_MULTITRACK || pos + 4 > end) {
            return unknownEx(frameType, packetType);
        }
        VideoCodec codec = VideoCodec.fromFourCc(payload.getInt(pos));
        if (codec == VideoCodec.UNKNOWN) {
            return unknownEx(frameType, packetType);
        }
        return new VideoTag(codec, frameType, true, packetType,
                effective == PACKET_SEQUENCE_START || effective == PACKET_MPEG2TS_SEQUENCE_START,
                effective == PACKET_SEQUENCE_END, effective == PACKET_METADATA);
    }

    private static VideoTag unknownEx(FrameType frameType, int packetType) {
        return new VideoTag(VideoCodec.UNKNOWN, frameType, true, packetType, false, false, false);
    }

    /**
     * Carries a coded picture: not a sequence header/end, metadata or command frame; known codec.
     * Legacy AVC/HEVC need AVCPacketType 1 (NALU).
     */
    public boolean codedFrame() {
        if (codec == VideoCodec.UNKNOWN || frameType == FrameType.COMMAND
                || sequenceHeader || sequenceEnd || metadata) {
            return false;
        }
        return exHeader || (codec != VideoCodec.AVC && codec != VideoCodec.HEVC) || packetType == AVC_NALU;
    }

    /**
     * A coded picture a decoder can start from (frame type key or generated key). Sequence headers
     * are sent with frame type key but are not keyframes here.
     */
    public boolean keyframe() {
        return (frameType == FrameType.KEY || frameType == FrameType.GENERATED_KEY) && codedFrame();
    }
}
