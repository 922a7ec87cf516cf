package io.sluice.engine.protocol.message;

/**
 * User Control Message (RTMP 1.0 sections 6.2 and 7.1.7). {@code value} is the stream id for the
 * stream events and SetBufferLength, and the timestamp for ping events; {@code extra} is the buffer
 * length in milliseconds for SetBufferLength.
 */
public record UserControl(Event event, int value, int extra) implements RtmpMessage {

    public enum Event {
        STREAM_BEGIN(0), STREAM_EOF(1), STREAM_DRY(2), SET_BUFFER_LENGTH(3), STREAM_IS_RECORDED(4),
        PING_REQUEST(6), PING_RESPONSE(7), UNKNOWN(-1);

        private final int code;

        Event(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        public static Event of(int code) {
            for (Event e : values()) {
                if (e.code == code) {
                    return e;
                }
            }
            return UNKNOWN;
        }
    }

    public static UserControl streamBegin(int streamId) {
        return new UserControl(Event.STREAM_BEGIN, streamId, 0);
    }

    public static UserControl streamEof(int streamId) {
        return new UserControl(Event.STREAM_EOF, streamId, 0);
    }

    public static UserControl streamDry(int streamId) {
        return new UserControl(Event.STREAM_DRY, streamId, 0);
    }

    public static UserControl streamIsRecorded(int streamId) {
        return new UserControl(Event.STREAM_IS_RECORDED, streamId, 0);
    }

    public static UserControl setBufferLength(int streamId, int millis) {
        return new UserControl(Event.SET_BUFFER_LENGTH, streamId, millis);
    }

    public static UserControl pingRequest(int timestamp) {
        return new UserControl(Event.PING_REQUEST, timestamp, 0);
    }

    public static UserControl pingResponse(int timestamp) {
        return new UserControl(Event.PING_RESPONSE, timestamp, 0);
    }

    @Override
    public int typeId() {
        return MessageType.USER_CONTROL;
    }
}
