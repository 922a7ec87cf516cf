package io.sluice.engine.protocol.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * A message whose payload travels as shared bytes: audio (8), video (9), or a data message (18)
 * relayed as it was encoded. The payload is the FLV tag body; it is shared by reference between the
 * publisher and every subscriber.
 */
public final class MediaMessage extends DefaultByteBufHolder implements RtmpMessage {
    private final int typeId;
    private final int streamId;
    private final int timestamp;

    public MediaMessage(int typeId, int streamId, int timestamp, ByteBuf payload) {
        super(payload);
        if (typeId != MessageType.AUDIO && typeId != MessageType.VIDEO && typeId != MessageType.DATA_AMF0) {
            throw new IllegalArgumentException("not an audio, video or data type: " + typeId);
        }
        this.typeId = typeId;
        this.streamId = streamId;
        this.timestamp = timestamp;
    }

    @Override
    public int typeId() {
        return typeId;
    }

    @Override
    public int streamId() {
        return streamId;
    }

    @Override
    public int timestamp() {
        return timestamp;
    }

    public boolean isVideo() {
        return typeId == MessageType.VIDEO;
    }

    @Override
    public MediaMessage replace(ByteBuf content) {
        return new MediaMessage(typeId, streamId, timestamp, content);
    }

    @Override
    public MediaMessage retain() {
        super.retain();
        return this;
    }

    @Override
    public MediaMessage touch(Object hint) {
        super.touch(hint);
        return this;
    }

    @Override
    public String toString() {
        String kind = switch (typeId) {
            case MessageType.AUDIO -> "Audio";
            case MessageType.VIDEO -> "Video";
            default -> "Data";
        };
        return kind + "[stream=" + streamId + ", ts=" + timestamp + ", bytes="
                + content().readableBytes() + "]";
    }
}
