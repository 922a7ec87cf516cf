package io.sluice.engine.protocol.message;

/** Acknowledgement (RTMP 1.0 section 5.4.3): bytes received so far, as an unsigned 32-bit counter. */
public record Acknowledgement(long sequenceNumber) implements RtmpMessage {
    @Override
    public int typeId() {
        return MessageType.ACKNOWLEDGEMENT;
    }
}
