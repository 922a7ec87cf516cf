package io.sluice.engine.protocol.message;

/**
 * One RTMP message, decoded. Messages are immutable values: they never encode themselves; the chunk
 * codec turns them into bytes. Media payloads are reference-counted and shared, never copied.
 */
public sealed interface RtmpMessage
        permits SetChunkSize, Abort, Acknowledgement, WindowAckSize, SetPeerBandwidth, UserControl,
        MediaMessage, DataMessage, CommandMessage, UnknownMessage {

    int typeId();

    /** Message stream id; 0 for messages on the NetConnection. */
    default int streamId() {
        return 0;
    }

    /** Absolute timestamp in milliseconds (32-bit, wraps). */
    default int timestamp() {
        return 0;
    }
}
