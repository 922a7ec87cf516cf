package io.sluice.engine.flv;

/** FLV constants (FLV 10.1 Annex E.2, E.3). */
public final class FlvTags {

    /** TagType values; also the RTMP message type ids of the same payloads. */
    public static final int TAG_AUDIO = 8;
    public static final int TAG_VIDEO = 9;
    public static final int TAG_SCRIPT = 18;

    /** "FLV", version, flags, UI32 DataOffset. */
    public static final int HEADER_SIZE = 9;
    /** TagType, UI24 DataSize, UI24 Timestamp, UI8 TimestampExtended, UI24 StreamID. */
    public static final int TAG_HEADER_SIZE = 11;
    /** UI32 PreviousTagSize after the header and after every tag. */
    public static final int PREVIOUS_TAG_SIZE_SIZE = 4;
    /** DataSize is a UI24. */
    public static final int MAX_DATA_SIZE = 0xFFFFFF;

    /** TypeFlagsAudio / TypeFlagsVideo bits of the header's flags byte. */
    public static final int FLAG_AUDIO = 0x04;
    public static final int FLAG_VIDEO = 0x01;

    private FlvTags() {
    }

    /** The 9-byte file header (version 1, DataOffset 9) followed by PreviousTagSize0 = 0. */
    public static void writeFileHeader(io.netty.buffer.ByteBuf out, boolean audio, boolean video) {
        out.writeByte('F').writeByte('L').writeByte('V').writeByte(1)
                .writeByte((audio ? FLAG_AUDIO : 0) | (video ? FLAG_VIDEO : 0))
                .writeInt(HEADER_SIZE)
                .writeInt(0);
    }

    /** An 11-byte tag header (E.4.1): the timestamp's top byte goes in TimestampExtended; StreamID 0. */
    public static void writeTagHeader(io.netty.buffer.ByteBuf out, int type, int dataSize, int timestamp) {
        out.writeByte(type).writeMedium(dataSize).writeMedium(timestamp).writeByte(timestamp >>> 24).writeMedium(0);
    }

    /** Audio, video or script data: the only tag types FLV defines. */
    public static boolean isKnownType(int type) {
        return type == TAG_AUDIO || type == TAG_VIDEO || type == TAG_SCRIPT;
    }
}
