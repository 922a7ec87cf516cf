package io.sluice.engine.media;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * One audio, video or data (script) tag of a live stream, protocol-neutral: the FLV tag body plus
 * what the fan-out needs to know about it. The payload is shared by every subscriber; a subscriber
 * that keeps or writes it retains it.
 */
public final class MediaPacket extends DefaultByteBufHolder {

    public enum Kind {
        AUDIO(8), VIDEO(9), DATA(18);

        private final int tagType;

        Kind(int tagType) {
            this.tagType = tagType;
        }

        /** The FLV tag type, which is also the RTMP message type id. */
        public int tagType() {
            return tagType;
        }
    }

    private final Kind kind;
    private final int timestamp;
    private final boolean keyframe;
    private final boolean sequenceHeader;

    public MediaPacket(Kind kind, int timestamp, ByteBuf payload, boolean keyframe, boolean sequenceHeader) {
        super(payload);
        this.kind = kind;
        this.timestamp = timestamp;
        this.keyframe = keyframe;
        this.sequenceHeader = sequenceHeader;
    }

    public Kind kind() {
        return kind;
    }

    public int timestamp() {
        return timestamp;
    }

    /** A video keyframe that is not a sequence header: a decoder can start here. */
    public boolean keyframe() {
        return keyframe;
    }

    /** Decoder configuration (AVC/HEVC/AV1 sequence start, AAC AudioSpecificConfig). */
    public boolean sequenceHeader() {
        return sequenceHeader;
    }

    public boolean isVideo() {
        return kind == Kind.VIDEO;
    }

    public boolean isAudio() {
        return kind == Kind.AUDIO;
    }

    public int size() {
        return content().readableBytes();
    }

    @Override
    public MediaPacket replace(ByteBuf content) {
        return new MediaPacket(kind, timestamp, content, keyframe, sequenceHeader);
    }

    @Override
    public MediaPacket retain() {
        super.retain();
        return this;
    }

    @Override
    public MediaPacket touch(Object hint) {
        super.touch(hint);
        return this;
    }

    @Override
    public String toString() {
        return kind + "[ts=" + timestamp + ", bytes=" + size() + (keyframe ? ", key" : "")
                + (sequenceHeader ? ", seq" : "") + "]";
    }
}
