package io.sluice.engine.protocol.amf;

import java.util.Arrays;
import java.util.List;

/** AMF0 strict array, AMF3 dense array or vector. Immutable. */
public record AmfStrictArray(List<AmfValue> values) implements AmfValue {

    public static final AmfStrictArray EMPTY = new AmfStrictArray(List.of());

    public AmfStrictArray {
        values = List.copyOf(values);
    }

    public static AmfStrictArray of(AmfValue... values) {
        return new AmfStrictArray(Arrays.asList(values));
    }

    public int size() {
        return values.size();
    }

    public AmfValue get(int index) {
        return values.get(index);
    }
}
