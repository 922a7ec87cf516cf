package io.sluice.engine.flv;

/**
 * The FLV file header (FLV 10.1 Annex E.2).
 *
 * @param version    always 1
 * @param flags      TypeFlags byte: {@link FlvTags#FLAG_AUDIO} | {@link FlvTags#FLAG_VIDEO}
 * @param dataOffset header length, 9 for FLV version 1; bytes 9..dataOffset are skipped
 */
public record FlvHeader(int version, int flags, long dataOffset) {

    public boolean hasAudio() {
        return (flags & FlvTags.FLAG_AUDIO) != 0;
    }

    public boolean hasVideo() {
        return (flags & FlvTags.FLAG_VIDEO) != 0;
    }
}
