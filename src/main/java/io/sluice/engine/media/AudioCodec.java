package io.sluice.engine.media;

/**
 * Audio codecs of FLV/RTMP audio messages: the legacy SoundFormat (FLV 10.1 Annex E.4.2.1) and the
 * E-RTMP AudioFourCc (enhanced-rtmp v2, "Enhanced Audio"). SoundFormat 9 is not a codec: it
 * announces the ExAudioTagHeader, whose FourCC names the codec.
 */
public enum AudioCodec {
    LINEAR_PCM_PLATFORM_ENDIAN(0, null, "Linear PCM (platform endian)"),
    ADPCM(1, null, "ADPCM"),
    MP3(2, ".mp3", "MP3"),
    LINEAR_PCM_LITTLE_ENDIAN(3, null, "Linear PCM (little endian)"),
    NELLYMOSER_16K_MONO(4, null, "Nellymoser 16 kHz mono"),
    NELLYMOSER_8K_MONO(5, null, "Nellymoser 8 kHz mono"),
    NELLYMOSER(6, null, "Nellymoser"),
    G711_ALAW(7, null, "G.711 A-law"),
    G711_MULAW(8, null, "G.711 mu-law"),
    AAC(10, "mp4a", "AAC"),
    SPEEX(11, null, "Speex"),
    MP3_8K(14, null, "MP3 8 kHz"),
    DEVICE_SPECIFIC(15, null, "Device-specific sound"),
    OPUS(-1, "Opus", "Opus"),
    FLAC(-1, "fLaC", "FLAC"),
    AC3(-1, "ac-3", "AC-3"),
    EAC3(-1, "ec-3", "E-AC-3"),
    UNKNOWN(-1, null, "unknown");

    /** SoundFormat value that switches to the E-RTMP ExAudioTagHeader. */
    public static final int SOUND_FORMAT_EX_HEADER = 9;

    private static final AudioCodec[] BY_SOUND_FORMAT = new AudioCodec[16];

    static {
        java.util.Arrays.fill(BY_SOUND_FORMAT, UNKNOWN);
        for (AudioCodec codec : values()) {
            if (codec.soundFormat >= 0) {
                BY_SOUND_FORMAT[codec.soundFormat] = codec;
            }
        }
    }

    private final int soundFormat;
    private final int fourCc;
    private final String displayName;

    AudioCodec(int soundFormat, String fourCc, String displayName) {
        this.soundFormat = soundFormat;
        this.fourCc = fourCc == null ? 0 : FourCc.of(fourCc);
        this.displayName = displayName;
    }

    /** The legacy SoundFormat (4 bits), or -1 if the codec has none. */
    public int soundFormat() {
        return soundFormat;
    }

    /** The E-RTMP FourCC as a big-endian int, or 0 if the codec has none. */
    public int fourCc() {
        return fourCc;
    }

    /** A name for people, e.g. "AAC". */
    public String displayName() {
        return displayName;
    }

    /** The codec of a legacy SoundFormat; UNKNOWN for 9 (ex-header), 12, 13 (reserved) and out of range. */
    public static AudioCodec fromSoundFormat(int format) {
        return format >= 0 && format < BY_SOUND_FORMAT.length ? BY_SOUND_FORMAT[format] : UNKNOWN;
    }

    /** The codec of an E-RTMP AudioFourCc; UNKNOWN if not recognised. */
    public static AudioCodec fromFourCc(int fourCc) {
        if (fourCc != 0) {
            for (AudioCodec codec : values()) {
                if (codec.fourCc == fourCc) {
                    return codec;
                }
            }
        }
        return UNKNOWN;
    }
}
