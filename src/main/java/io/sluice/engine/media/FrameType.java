package io.sluice.engine.media;

/** VideoFrameType (FLV 10.1 Annex E.4.3.1; E-RTMP "Enhanced Video"). */
public enum FrameType {
    /** 1: a seekable frame. */
    KEY,
    /** 2: a non-seekable frame. */
    INTER,
    /** 3: H.263 only. */
    DISPOSABLE_INTER,
    /** 4: reserved for server use. */
    GENERATED_KEY,
    /** 5: video info/command frame; carries no picture. */
    COMMAND,
    /** 0, 6, 7 (reserved) or no data. */
    UNKNOWN;

    /** The frame type of the 3-bit (E-RTMP) or 4-bit (legacy) field. */
    public static FrameType fromId(int id) {
        return switch (id) {
            case 1 -> KEY;
            case 2 -> INTER;
            case 3 -> DISPOSABLE_INTER;
            case 4 -> GENERATED_KEY;
            case 5 -> COMMAND;
            default -> UNKNOWN;
        };
    }
}
