package io.sluice.engine.protocol.amf;

import java.util.List;
import java.util.Map;

/** Anonymous object (AMF0 spec 2.5, AMF3 dynamic object without a class name). Immutable. */
public final class AmfObject extends AmfEntries {

    public static final AmfObject EMPTY = new AmfObject(List.of());

    AmfObject(List<? extends Map.Entry<String, ? extends AmfValue>> entries) {
        super(entries);
    }

    public static Builder<AmfObject> builder() {
        return new Builder<>(AmfObject::new);
    }

    public static AmfObject of() {
        return EMPTY;
    }

    public static AmfObject of(String k1, AmfValue v1) {
        return builder().put(k1, v1).build();
    }

    public static AmfObject of(String k1, AmfValue v1, String k2, AmfValue v2) {
        return builder().put(k1, v1).put(k2, v2).build();
    }

    public static AmfObject of(String k1, AmfValue v1, String k2, AmfValue v2, String k3, AmfValue v3) {
        return builder().put(k1, v1).put(k2, v2).put(k3, v3).build();
    }

    /** Entries in the map's iteration order. */
    public static AmfObject of(Map<String, ? extends AmfValue> map) {
        return new AmfObject(List.copyOf(map.entrySet()));
    }

    /** Entries exactly as given, duplicates kept. */
    public static AmfObject ofEntries(List<? extends Map.Entry<String, ? extends AmfValue>> entries) {
        return new AmfObject(entries);
    }
}
