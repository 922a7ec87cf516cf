package io.sluice.engine.media;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.util.ReferenceCounted;
import java.util.Objects;
import java.util.function.Function;

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
    /** One subscriber-side encoding of this packet, shared by the subscribers that want the same one. */
    private Object encodingKey;
    private ReferenceCounted encoding;

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

    /**
     * This packet encoded for the wire once per fan-out rather than once per subscriber (e.g. RTMP
     * chunks for every player with the same chunk size and stream id). The first caller with a given
     * {@code key} encodes; later callers with an equal key get the same object. The result belongs to
     * the packet: a caller that writes or keeps it takes its own reference. Only one encoding is kept;
     * a different key replaces it. Not thread-safe: a stream calls its subscribers on one thread, and
     * drops the encoding ({@link #dropEncoding()}) when its fan-out of the packet is done.
     */
    @SuppressWarnings("unchecked")
    public <T extends ReferenceCounted> T encoded(Object key, Function<MediaPacket, T> encoder) {
        if (encoding != null && Objects.equals(encodingKey, key)) {
            return (T) encoding;
        }
        dropEncoding();
        T encoded = encoder.apply(this);
        encodingKey = key;
        encoding = encoded;
        return encoded;
    }

    /** Releases the shared encoding, if any; subscribers that wrote it hold their own references. */
    public void dropEncoding() {
        if (encoding != null) {
            ReferenceCounted old = encoding;
            encoding = null;
            encodingKey = null;
            old.release();
        }
    }

    @Override
    public boolean release() {
        return release(1);
    }

    @Override
    public boolean release(int decrement) {
        boolean freed = super.release(decrement);
        if (freed) {
            dropEncoding();
        }
        return freed;
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
