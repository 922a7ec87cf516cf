package io.sluice.engine.protocol.amf;

public record AmfBoolean(boolean value) implements AmfValue {

    public static final AmfBoolean TRUE = new AmfBoolean(true);
    public static final AmfBoolean FALSE = new AmfBoolean(false);

    public static AmfBoolean of(boolean value) {
        return value ? TRUE : FALSE;
    }
}
