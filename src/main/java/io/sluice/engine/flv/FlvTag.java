package io.sluice.engine.flv;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import java.util.Objects;

/**
 * One FLV tag: its type, its 32-bit timestamp in milliseconds (TimestampExtended as the high byte,
 * FLV 10.1 Annex E.4.1; read it unsigned with {@link Integer#toUnsignedLong(int)}) and its body,
 * which equals the payload of the RTMP message of the same type. Owns one reference to the payload.
 */
public record FlvTag(int type, int timestamp, ByteBuf payload) implements ByteBufHolder {

    public FlvTag {
        Objects.requireNonNull(payload, "payload");
    }

    public boolean isAudio() {
        return type == FlvTags.TAG_AUDIO;
    }

    public boolean isVideo() {
        return type == FlvTags.TAG_VIDEO;
    }

    public boolean isScript() {
        return type == FlvTags.TAG_SCRIPT;
    }

    @Override
    public ByteBuf content() {
        return payload;
    }

    @Override
    public FlvTag copy() {
        return replace(payload.copy());
    }

    @Override
    public FlvTag duplicate() {
        return replace(payload.duplicate());
    }

    @Override
    public FlvTag retainedDuplicate() {
        return replace(payload.retainedDuplicate());
    }

    @Override
    public FlvTag replace(ByteBuf content) {
        return new FlvTag(type, timestamp, content);
    }

    @Override
    public int refCnt() {
        return payload.refCnt();
    }

    @Override
    public FlvTag retain() {
        payload.retain();
        return this;
    }

    @Override
    public FlvTag retain(int increment) {
        payload.retain(increment);
        return this;
    }

    @Override
    public FlvTag touch() {
        payload.touch();
        return this;
    }

    @Override
    public FlvTag touch(Object hint) {
        payload.touch(hint);
        return this;
    }

    @Override
    public boolean release() {
        return payload.release();
    }

    @Override
    public boolean release(int decrement) {
        return payload.release(decrement);
    }

    /** Type, timestamp and size only: never the bytes, and safe after release. */
    @Override
    public String toString() {
        return "FlvTag[type=" + type + ", timestamp=" + Integer.toUnsignedLong(timestamp)
                + ", size=" + (payload.refCnt() > 0 ? payload.readableBytes() : -1) + "]";
    }
}
