package io.sluice.engine.protocol.amf;

/** AMF0 number / AMF3 integer or double: all numbers are IEEE doubles in the model. */
public record AmfNumber(double value) implements AmfValue {
}
