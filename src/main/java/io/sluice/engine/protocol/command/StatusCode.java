package io.sluice.engine.protocol.command;

/** The onStatus / _result / _error info codes the engine sends (RTMP 1.0 section 7.2). */
public enum StatusCode {
    CONNECT_SUCCESS("NetConnection.Connect.Success", Level.STATUS),
    CONNECT_REJECTED("NetConnection.Connect.Rejected", Level.ERROR),
    CONNECT_CLOSED("NetConnection.Connect.Closed", Level.STATUS),
    CALL_FAILED("NetConnection.Call.Failed", Level.ERROR),
    PUBLISH_START("NetStream.Publish.Start", Level.STATUS),
    PUBLISH_BAD_NAME("NetStream.Publish.BadName", Level.ERROR),
    PUBLISH_UNAUTHORIZED("NetStream.Publish.Unauthorized", Level.ERROR),
    PUBLISH_DENIED("NetStream.Publish.Denied", Level.ERROR),
    UNPUBLISH_SUCCESS("NetStream.Unpublish.Success", Level.STATUS),
    PLAY_RESET("NetStream.Play.Reset", Level.STATUS),
    PLAY_START("NetStream.Play.Start", Level.STATUS),
    PLAY_STOP("NetStream.Play.Stop", Level.STATUS),
    PLAY_FAILED("NetStream.Play.Failed", Level.ERROR),
    PLAY_STREAM_NOT_FOUND("NetStream.Play.StreamNotFound", Level.ERROR),
    PLAY_PUBLISH_NOTIFY("NetStream.Play.PublishNotify", Level.STATUS),
    PLAY_UNPUBLISH_NOTIFY("NetStream.Play.UnpublishNotify", Level.STATUS),
    PAUSE_NOTIFY("NetStream.Pause.Notify", Level.STATUS),
    UNPAUSE_NOTIFY("NetStream.Unpause.Notify", Level.STATUS),
    DATA_START("NetStream.Data.Start", Level.STATUS),
    RECORD_START("NetStream.Record.Start", Level.STATUS);

    public enum Level {
        STATUS("status"), WARNING("warning"), ERROR("error");

        private final String wire;

        Level(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    private final String code;
    private final Level level;

    StatusCode(String code, Level level) {
        this.code = code;
        this.level = level;
    }

    public String code() {
        return code;
    }

    public Level level() {
        return level;
    }

    public static StatusCode fromCode(String code) {
        for (StatusCode s : values()) {
            if (s.code.equals(code)) {
                return s;
            }
        }
        return null;
    }
}
