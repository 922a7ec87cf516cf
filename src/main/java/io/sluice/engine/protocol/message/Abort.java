package io.sluice.engine.protocol.message;

/** Abort Message (RTMP 1.0 section 5.4.2): discard the partly received message on a chunk stream. */
public record Abort(int chunkStreamId) implements RtmpMessage {
    @Override
    public int typeId() {
        return MessageType.ABORT;
    }
}
