package io.sluice.engine.protocol.amf;

import java.util.List;
import java.util.Map;

/** Associative array (AMF0 spec 2.10, AMF3 array with an associative part), e.g. onMetaData. Immutable. */
public final class AmfEcmaArray extends AmfEntries {

    public static final AmfEcmaArray EMPTY = new AmfEcmaArray(List.of());

    AmfEcmaArray(List<? extends Map.Entry<String, ? extends AmfValue>> entries) {
        super(entries);
    }

    public static Builder<AmfEcmaArray> builder() {
        return new Builder<>(AmfEcmaArray::new);
    }

    /** Entries in the map's iteration order. */
    public static AmfEcmaArray of(Map<String, ? extends AmfValue> map) {
        return new AmfEcmaArray(List.copyOf(map.entrySet()));
    }

    /** Entries exactly as given, duplicates kept. */
    public static AmfEcmaArray ofEntries(List<? extends Map.Entry<String, ? extends AmfValue>> entries) {
        return new AmfEcmaArray(entries);
    }
}
