package io.sluice.engine.protocol.amf;

/** AMF undefined; AMF0 "unsupported" (0x0D) also decodes to this. */
public enum AmfUndefined implements AmfValue {
    INSTANCE
}
