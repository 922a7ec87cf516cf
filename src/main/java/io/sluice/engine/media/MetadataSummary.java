package io.sluice.engine.media;

import io.sluice.engine.protocol.amf.AmfNumber;
import io.sluice.engine.protocol.amf.AmfValue;
import java.util.Map;

/** The onMetaData fields the stream listing shows. */
public record MetadataSummary(int width, int height, double frameRate) {

    public static MetadataSummary of(Map<String, AmfValue> properties) {
        return new MetadataSummary((int) number(properties, "width"), (int) number(properties, "height"),
                number(properties, "framerate"));
    }

    private static double number(Map<String, AmfValue> properties, String key) {
        return properties.get(key) instanceof AmfNumber n ? n.value() : 0;
    }
}
