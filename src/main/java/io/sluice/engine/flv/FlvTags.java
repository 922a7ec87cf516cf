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

    /** Audio, video or script data: the only tag types FLV defines. */
    public static boolean isKnownType(int type) {
        return type == TAG_AUDIO || type == TAG_VIDEO || type == TAG_SCRIPT;
    }
}
