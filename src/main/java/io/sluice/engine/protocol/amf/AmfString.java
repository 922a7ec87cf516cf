package io.sluice.engine.protocol.amf;

import java.util.Objects;

/** A string; AMF0 short or long string is chosen by the encoder from the UTF-8 length. */
public record AmfString(String value) implements AmfValue {

    public AmfString {
        Objects.requireNonNull(value, "value");
    }
}
