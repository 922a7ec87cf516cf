package io.sluice.engine.media;

import io.netty.buffer.ByteBuf;

/**
 * The header of an RTMP audio message (type 8), which is an FLV AUDIODATA tag body: legacy
 * (FLV 10.1 Annex E.4.2.1) or E-RTMP ExAudioTagHeader (enhanced-rtmp v2, "Enhanced Audio").
 *
 * @param codec          the codec; UNKNOWN if empty (the RTMP "silence" message), short, reserved
 *                       or not recognised
 * @param sequenceHeader decoder configuration: AAC AudioSpecificConfig (AACPacketType 0) or an
 *                       E-RTMP SequenceStart
 * @param sampleRate     Hz, 0 if this tag does not tell: from the AudioSpecificConfig / Opus ID header /
 *                       FLAC STREAMINFO of a sequence header, from the SoundRate bits of other legacy
 *                       tags (fixed for Nellymoser 8/16k, MP3 8k, Speex, G.711), 0 for AAC frames
 *                       (whose flags always say 44 kHz stereo, E.4.2.1)
 * @param channels       likewise: channel count or 0
 */
public record AudioTag(AudioCodec codec, boolean sequenceHeader, int sampleRate, int channels) {

    /** AACPacketType (legacy AAC). */
    public static final int AAC_SEQUENCE_HEADER = 0;
    public static final int AAC_RAW = 1;

    /** AudioPacketType (E-RTMP). */
    public static final int PACKET_SEQUENCE_START = 0;
    public static final int PACKET_CODED_FRAMES = 1;
    public static final int PACKET_SEQUENCE_END = 2;
    public static final int PACKET_MULTICHANNEL_CONFIG = 4;
    public static final int PACKET_MULTITRACK = 5;
    public static final int PACKET_MOD_EX = 7;

    /** Result for empty or unreadable payloads. */
    public static final AudioTag UNKNOWN = new AudioTag(AudioCodec.UNKNOWN, false, 0, 0);

    private static final int[] FLV_RATES = {5512, 11025, 22050, 44100};
    private static final int[] AAC_RATES =
            {96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350};

    /**
     * Parses the header at the reader index without moving it. Never throws: short, reserved or
     * garbage input gives {@link #UNKNOWN} (or zero rate/channels if only the configuration is bad).
     */
    public static AudioTag parse(ByteBuf payload) {
        int start = payload.readerIndex();
        int end = payload.writerIndex();
        if (end - start < 1) {
            return UNKNOWN;
        }
        int b0 = payload.getUnsignedByte(start);
        int format = b0 >> 4;
        return format == AudioCodec.SOUND_FORMAT_EX_HEADER
                ? parseEnhanced(payload, start, end, b0)
                : parseLegacy(payload, start, end, b0, format);
    }

    private static AudioTag parseLegacy(ByteBuf payload, int start, int end, int b0, int format) {
        AudioCodec codec = AudioCodec.fromSoundFormat(format);
        int flagRate = FLV_RATES[b0 >> 2 & 3];
        int flagChannels = (b0 & 1) + 1;
        return switch (codec) {
            case UNKNOWN -> UNKNOWN;
            case AAC -> {
                if (end - start < 2) {
                    yield UNKNOWN;
                }
                if (payload.getUnsignedByte(start + 1) != AAC_SEQUENCE_HEADER) {
                    yield new AudioTag(AudioCodec.AAC, false, 0, 0);
                }
                yield aacConfig(payload, start + 2, end);
            }
            case NELLYMOSER_8K_MONO -> new AudioTag(codec, false, 8000, 1);
            case NELLYMOSER_16K_MONO -> new AudioTag(codec, false, 16000, 1);
            case MP3_8K -> new AudioTag(codec, false, 8000, flagChannels);
            case SPEEX -> new AudioTag(codec, false, 16000, 1);
            case G711_ALAW, G711_MULAW -> new AudioTag(codec, false, 8000, flagChannels);
            default -> new AudioTag(codec, false, flagRate, flagChannels);
        };
    }

    private static AudioTag parseEnhanced(ByteBuf payload, int start, int end, int b0) {
        int effective = b0 & 0x0F;
        int pos = start + 1;
        // ModEx: UI8 size-1 [UI16 size-1 if 255], data, then modExType<<4 | next packet type.
        while (effective == PACKET_MOD_EX) {
            if (pos >= end) {
                return UNKNOWN;
            }
            int size = payload.getUnsignedByte(pos++) + 1;
            if (size == 256) {
                if (pos + 2 > end) {
                    return UNKNOWN;
                }
                size = payload.getUnsignedShort(pos) + 1;
                pos += 2;
            }
            pos += size;
            if (pos >= end) {
                return UNKNOWN;
            }
            effective = payload.getUnsignedByte(pos++) & 0x0F;
        }
        boolean multitrack = false;
        if (effective == PACKET_MULTITRACK) {
            if (pos >= end) {
                return UNKNOWN;
            }
            int b = payload.getUnsignedByte(pos++);
            effective = b & 0x0F;
            if (b >> 4 > 2 || effective == PACKET_MULTITRACK || effective == PACKET_MOD_EX) {
                return UNKNOWN;
            }
            multitrack = true; // the shared FourCC, or the first track's: same offset either way
        }
        if (effective == 3 || effective > PACKET_MOD_EX || pos + 4 > end) {
            return UNKNOWN;
        }
        AudioCodec codec = AudioCodec.fromFourCc(payload.getInt(pos));
        if (codec == AudioCodec.UNKNOWN) {
            return UNKNOWN;
        }
        pos += 4;
        if (multitrack) {
            return new AudioTag(codec, effective == PACKET_SEQUENCE_START, 0, 0);
        }
        if (effective == PACKET_MULTICHANNEL_CONFIG) {
            // AudioChannelOrder UI8, channelCount UI8.
            int channels = pos + 2 <= end ? payload.getUnsignedByte(pos + 1) : 0;
            return new AudioTag(codec, false, 0, channels);
        }
        if (effective != PACKET_SEQUENCE_START) {
            return new AudioTag(codec, false, 0, 0);
        }
        return switch (codec) {
            case AAC -> aacConfig(payload, pos, end);
            case OPUS -> opusConfig(payload, pos, end);
            case FLAC -> flacConfig(payload, pos, end);
            default -> new AudioTag(codec, true, 0, 0);
        };
    }

    /** AudioSpecificConfig (ISO/IEC 14496-3 1.6.2.1): objectType 5(+6) bits, frequency index, channels. */
    private static AudioTag aacConfig(ByteBuf payload, int pos, int end) {
        if (pos + 2 > end) {
            return new AudioTag(AudioCodec.AAC, true, 0, 0);
        }
        long bits = 0;
        int avail = Math.min(6, end - pos);
        for (int i = 0; i < 6; i++) {
            bits = bits << 8 | (i < avail ? payload.getUnsignedByte(pos + i) : 0);
        }
        int availBits = avail * 8;
        int used = 5;
        int objectType = (int) (bits >>> 43) & 0x1F;
        if (objectType == 31) {
            used += 6;
        }
        int freqIndex = (int) (bits >>> (48 - used - 4)) & 0x0F;
        used += 4;
        int rate;
        if (freqIndex == 15) {
            rate = (int) (bits >>> (48 - used - 24)) & 0xFFFFFF;
            used += 24;
        } else {
            rate = freqIndex < AAC_RATES.length ? AAC_RATES[freqIndex] : 0;
        }
        int channelConfig = (int) (bits >>> (48 - used - 4)) & 0x0F;
        used += 4;
        if (used > availBits) {
            return new AudioTag(AudioCodec.AAC, true, 0, 0);
        }
        // channelConfiguration 7 is 7.1 (8 channels); 0 means a program_config_element decides.
        int channels = channelConfig <= 6 ? channelConfig : channelConfig == 7 ? 8 : 0;
        return new AudioTag(AudioCodec.AAC, true, rate, channels);
    }

    /** Opus ID header (RFC 7845 5.1): "OpusHead", version, channel count; Opus always decodes at 48 kHz. */
    private static AudioTag opusConfig(ByteBuf payload, int pos, int end) {
        if (pos + 10 > end || payload.getLong(pos) != 0x4F70757348656164L) {
            return new AudioTag(AudioCodec.OPUS, true, 0, 0);
        }
        return new AudioTag(AudioCodec.OPUS, true, 48000, payload.getUnsignedByte(pos + 9));
    }

    /** "fLaC" + METADATA_BLOCK_HEADER + STREAMINFO: 20-bit sample rate, 3-bit channels-1 at byte 10. */
    private static AudioTag flacConfig(ByteBuf payload, int pos, int end) {
        if (pos + 8 + 13 > end || payload.getInt(pos) != AudioCodec.FLAC.fourCc()
                || (payload.getUnsignedByte(pos + 4) & 0x7F) != 0) {
            return new AudioTag(AudioCodec.FLAC, true, 0, 0);
        }
        int info = pos + 8;
        int rate = payload.getUnsignedMedium(info + 10) >>> 4;
        int channels = (payload.getUnsignedByte(info + 12) >> 1 & 7) + 1;
        return new AudioTag(AudioCodec.FLAC, true, rate, channels);
    }
}
