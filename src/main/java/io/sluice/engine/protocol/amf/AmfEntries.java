package io.sluice.engine.protocol.amf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Ordered, immutable key/value entries shared by {@link AmfObject} and {@link AmfEcmaArray}.
 * Entries keep wire order (so metadata re-encodes byte-identically), duplicates included; lookups
 * return the last value for a key, as ActionScript assignment would.
 */
public abstract sealed class AmfEntries implements AmfValue permits AmfObject, AmfEcmaArray {

    /** Below this size a linear scan beats building a hash index. */
    private static final int INDEX_THRESHOLD = 8;

    private final List<Map.Entry<String, AmfValue>> entries;
    private final Map<String, AmfValue> index;

    AmfEntries(List<? extends Map.Entry<String, ? extends AmfValue>> source) {
        List<Map.Entry<String, AmfValue>> copy = new ArrayList<>(source.size());
        for (Map.Entry<String, ? extends AmfValue> e : source) {
            copy.add(Map.entry(e.getKey(), e.getValue()));
        }
        this.entries = Collections.unmodifiableList(copy);
        if (copy.size() > INDEX_THRESHOLD) {
            Map<String, AmfValue> map = new HashMap<>(copy.size() * 2);
            for (Map.Entry<String, AmfValue> e : copy) {
                map.put(e.getKey(), e.getValue());
            }
            this.index = map;
        } else {
            this.index = null;
        }
    }

    /** Entries in wire/insertion order; unmodifiable. */
    public final List<Map.Entry<String, AmfValue>> entries() {
        return entries;
    }

    public final int size() {
        return entries.size();
    }

    public final boolean isEmpty() {
        return entries.isEmpty();
    }

    public final boolean containsKey(String key) {
        return lookup(key) != null;
    }

    public final Optional<AmfValue> get(String key) {
        return Optional.ofNullable(lookup(key));
    }

    /** The string value, or null when absent or not a string. */
    public final String string(String key) {
        return lookup(key) instanceof AmfString s ? s.value() : null;
    }

    /** The number value, or null when absent or not a number. */
    public final Double number(String key) {
        return lookup(key) instanceof AmfNumber n ? n.value() : null;
    }

    /** The boolean value, or null when absent or not a boolean. */
    public final Boolean bool(String key) {
        return lookup(key) instanceof AmfBoolean b ? b.value() : null;
    }

    /** The anonymous-object value, or null when absent or not an {@link AmfObject}. */
    public final AmfObject object(String key) {
        return lookup(key) instanceof AmfObject o ? o : null;
    }

    /** A mutable copy in entry order; for a duplicated key the last value wins. */
    public final Map<String, AmfValue> asMap() {
        Map<String, AmfValue> map = new LinkedHashMap<>(Math.max(16, entries.size() * 2));
        for (Map.Entry<String, AmfValue> e : entries) {
            map.put(e.getKey(), e.getValue());
        }
        return map;
    }

    private AmfValue lookup(String key) {
        Objects.requireNonNull(key, "key");
        if (index != null) {
            return index.get(key);
        }
        for (int i = entries.size() - 1; i >= 0; i--) {
            Map.Entry<String, AmfValue> e = entries.get(i);
            if (e.getKey().equals(key)) {
                return e.getValue();
            }
        }
        return null;
    }

    @Override
    public final boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && entries.equals(((AmfEntries) o).entries);
    }

    @Override
    public final int hashCode() {
        return getClass().hashCode() * 31 + entries.hashCode();
    }

    @Override
    public final String toString() {
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append('{');
        for (int i = 0; i < entries.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            Map.Entry<String, AmfValue> e = entries.get(i);
            sb.append(e.getKey()).append('=').append(e.getValue());
        }
        return sb.append('}').toString();
    }

    /**
     * Fluent builder; {@code put} on an existing key replaces its value in place. A null String value
     * is stored as {@link AmfNull}.
     */
    public static final class Builder<T extends AmfEntries> {

        private final Function<List<Map.Entry<String, AmfValue>>, T> factory;
        private final List<Map.Entry<String, AmfValue>> entries = new ArrayList<>();
        private final Map<String, Integer> positions = new HashMap<>();

        Builder(Function<List<Map.Entry<String, AmfValue>>, T> factory) {
            this.factory = factory;
        }

        public Builder<T> put(String key, AmfValue value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            Integer at = positions.putIfAbsent(key, entries.size());
            if (at == null) {
                entries.add(Map.entry(key, value));
            } else {
                entries.set(at, Map.entry(key, value));
            }
            return this;
        }

        public Builder<T> put(String key, String value) {
            return put(key, AmfValue.of(value));
        }

        public Builder<T> put(String key, double value) {
            return put(key, new AmfNumber(value));
        }

        public Builder<T> put(String key, boolean value) {
            return put(key, AmfBoolean.of(value));
        }

        public Builder<T> putAll(AmfEntries other) {
            for (Map.Entry<String, AmfValue> e : other.entries()) {
                put(e.getKey(), e.getValue());
            }
            return this;
        }

        public T build() {
            return factory.apply(entries);
        }
    }
}
