package io.sluice.engine.protocol.message;

/** Set Chunk Size (RTMP 1.0 section 5.4.1): the sender's chunk payload size from now on. */
public record SetChunkSize(int size) implements RtmpMessage {
    @Override
    public int typeId() {
        return MessageType.SET_CHUNK_SIZE;
    }
}
