package io.sluice.engine.protocol.message;

/** Window Acknowledgement Size (RTMP 1.0 section 5.4.4): acknowledge after this many bytes. */
public record WindowAckSize(int size) implements RtmpMessage {
    @Override
    public int typeId() {
        return MessageType.WINDOW_ACK_SIZE;
    }
}
