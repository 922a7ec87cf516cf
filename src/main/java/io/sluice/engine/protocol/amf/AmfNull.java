package io.sluice.engine.protocol.amf;

public enum AmfNull implements AmfValue {
    INSTANCE
}
