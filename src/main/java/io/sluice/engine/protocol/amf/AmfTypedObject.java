package io.sluice.engine.protocol.amf;

import java.util.Objects;

/** An object with a registered class name (AMF0 typed object, AMF3 object with a class name). */
public record AmfTypedObject(String className, AmfObject properties) implements AmfValue {

    public AmfTypedObject {
        Objects.requireNonNull(className, "className");
        Objects.requireNonNull(properties, "properties");
    }
}
