package io.sluice.engine.media;

/**
 * Video codecs of FLV/RTMP video messages: the legacy CodecID (FLV 10.1 Annex E.4.3.1) and the
 * E-RTMP VideoFourCc (enhanced-rtmp v1/v2, "Enhanced Video").
 */
public enum VideoCodec {
    SORENSON_H263(2, null, "Sorenson H.263"),
    SCREEN(3, null, "Screen Video"),
    VP6(4, null, "On2 VP6"),
    VP6_ALPHA(5, null, "On2 VP6 with alpha"),
    SCREEN_V2(6, null, "Screen Video v2"),
    AVC(7, "avc1", "H.264"),
    /** Legacy id 12 is not in any spec: it is the de facto id of Chinese CDNs and ffmpeg forks. */
    HEVC(12, "hvc1", "HEVC"),
    AV1(-1, "av01", "AV1"),
    VP9(-1, "vp09", "VP9"),
    VP8(-1, "vp08", "VP8"),
    UNKNOWN(-1, null, "unknown");

    private static final VideoCodec[] BY_LEGACY_ID = new VideoCodec[16];

    static {
        java.util.Arrays.fill(BY_LEGACY_ID, UNKNOWN);
        for (VideoCodec codec : values()) {
            if (codec.legacyId >= 0) {
                BY_LEGACY_ID[codec.legacyId] = codec;
            }
        }
    }

    private final int legacyId;
    private final int fourCc;
    private final String displayName;

    VideoCodec(int legacyId, String fourCc, String displayName) {
        this.legacyId = legacyId;
        this.fourCc = fourCc == null ? 0 : FourCc.of(fourCc);
        this.displayName = displayName;
    }

    /** The legacy FLV CodecID (4 bits), or -1 if the codec has none. */
    public int legacyId() {
        return legacyId;
    }

    /** The E-RTMP FourCC as a big-endian int, or 0 if the codec has none. */
    public int fourCc() {
        return fourCc;
    }

    /** A name for people, e.g. "H.264". */
    public String displayName() {
        return displayName;
    }

    /** The codec of a legacy CodecID; UNKNOWN for reserved or out-of-range ids. */
    public static VideoCodec fromLegacyId(int id) {
        return id >= 0 && id < BY_LEGACY_ID.length ? BY_LEGACY_ID[id] : UNKNOWN;
    }

    /** The codec of an E-RTMP VideoFourCc; UNKNOWN if not recognised. */
    public static VideoCodec fromFourCc(int fourCc) {
        if (fourCc != 0) {
            for (VideoCodec codec : values()) {
                if (codec.fourCc == fourCc) {
                    return codec;
                }
            }
        }
        return UNKNOWN;
    }
}
