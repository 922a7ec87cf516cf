package io.sluice.engine.protocol.amf;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * AMF3 decoder (Adobe "AMF 3 Specification", January 2013). Only decoding is offered: Sluice never
 * needs to send AMF3. Reads only the buffer it is given; on failure the reader index is put back.
 */
public final class Amf3 {

    // AMF3 spec 3.1 type markers.
    static final int UNDEFINED = 0x00;
    static final int NULL = 0x01;
    static final int FALSE = 0x02;
    static final int TRUE = 0x03;
    static final int INTEGER = 0x04;
    static final int DOUBLE = 0x05;
    static final int STRING = 0x06;
    static final int XML_DOCUMENT = 0x07;
    static final int DATE = 0x08;
    static final int ARRAY = 0x09;
    static final int OBJECT = 0x0A;
    static final int XML = 0x0B;
    static final int BYTE_ARRAY = 0x0C;
    static final int VECTOR_INT = 0x0D;
    static final int VECTOR_UINT = 0x0E;
    static final int VECTOR_DOUBLE = 0x0F;
    static final int VECTOR_OBJECT = 0x10;
    static final int DICTIONARY = 0x11;

    /** Largest value a U29 can carry (AMF3 spec 1.3.1). */
    static final int U29_MAX = 0x1FFFFFFF;

    private Amf3() {
    }

    /** Decodes one AMF3 value with fresh string, object and traits reference tables. */
    public static AmfValue decode(ByteBuf in, AmfLimits limits) {
        int start = in.readerIndex();
        try {
            return new Decoder(in, limits).value(0);
        } catch (AmfException e) {
            in.readerIndex(start);
            throw e;
        } catch (IndexOutOfBoundsException e) {
            // Belt and braces: every read is checked first.
            in.readerIndex(start);
            throw new AmfException("AMF3 value starting at index " + start + " is truncated", e);
        }
    }

    /** Writes a ByteArray value (marker included): the one AMF3 type the AMF0 encoder needs. */
    static void writeByteArray(ByteBuf out, AmfByteArray value) {
        byte[] bytes = value.unsafeBytes();
        if (bytes.length > (U29_MAX >> 1)) {
            throw new IllegalArgumentException("AMF3 ByteArray too long: " + bytes.length + " bytes");
        }
        out.writeByte(BYTE_ARRAY);
        writeU29(out, (bytes.length << 1) | 1);
        out.writeBytes(bytes);
    }

    /** AMF3 spec 1.3.1: 7 bits per byte for the first three bytes, 8 in the fourth. */
    static void writeU29(ByteBuf out, int value) {
        if (value < 0 || value > U29_MAX) {
            throw new IllegalArgumentException("not a U29: " + value);
        }
        if (value < 0x80) {
            out.writeByte(value);
        } else if (value < 0x4000) {
            out.writeByte(0x80 | (value >> 7)).writeByte(value & 0x7F);
        } else if (value < 0x200000) {
            out.writeByte(0x80 | (value >> 14)).writeByte(0x80 | ((value >> 7) & 0x7F)).writeByte(value & 0x7F);
        } else {
            out.writeByte(0x80 | (value >> 22)).writeByte(0x80 | ((value >> 15) & 0x7F))
                    .writeByte(0x80 | ((value >> 8) & 0x7F)).writeByte(value & 0xFF);
        }
    }

    /** Class name, dynamic flag and sealed member names of an AMF3 object (AMF3 spec 3.12). */
    private record Traits(String className, boolean dynamic, List<String> sealedNames) {
    }

    /** One decode call: holds the string and traits reference tables; its reader the object table. */
    static final class Decoder extends AmfReader {

        private final List<String> strings = new ArrayList<>();
        private final List<Traits> traits = new ArrayList<>();

        Decoder(ByteBuf in, AmfLimits limits) {
            super(in, limits);
        }

        /** For a value inside AMF0 (avmplus marker): own tables, the AMF0 decode call's limits. */
        Decoder(AmfReader outer) {
            super(outer);
        }

        @Override
        String format() {
            return "AMF3";
        }

        @Override
        String markerName(int marker) {
            return name(marker);
        }

        /** Decodes one value enclosed by {@code depth} containers. */
        AmfValue value(int depth) {
            int at = in.readerIndex();
            int marker = marker();
            switch (marker) {
                case UNDEFINED:
                    return AmfUndefined.INSTANCE;
                case NULL:
                    return AmfNull.INSTANCE;
                case FALSE:
                    return AmfBoolean.FALSE;
                case TRUE:
                    return AmfBoolean.TRUE;
                case INTEGER:
                    // AMF3 spec 3.6: 29-bit two's complement.
                    return new AmfNumber((u29(marker, at) << 3) >> 3);
                case DOUBLE:
                    need(8, marker, at, "double");
                    return new AmfNumber(in.readDouble());
                case STRING:
                    return new AmfString(string(marker, at));
                case XML_DOCUMENT:
                case XML:
                    return xml(marker, at);
                case DATE:
                    return date(marker, at);
                case ARRAY:
                    return array(depth, marker, at);
                case OBJECT:
                    return object(depth, marker, at);
                case BYTE_ARRAY:
                    return byteArray(marker, at);
                case VECTOR_INT:
                case VECTOR_UINT:
                case VECTOR_DOUBLE:
                case VECTOR_OBJECT:
                    return vector(depth, marker, at);
                case DICTIONARY:
                    return dictionary(depth, marker, at);
                default:
                    throw fail(marker, at, "unknown type marker");
            }
        }

        /** AMF3 spec 1.3.1 */
        private int u29(int marker, int at) {
            int result = 0;
            for (int i = 0; i < 3; i++) {
                need(1, marker, at, "U29");
                int b = in.readUnsignedByte();
                if ((b & 0x80) == 0) {
                    return (result << 7) | b;
                }
                result = (result << 7) | (b & 0x7F);
            }
            need(1, marker, at, "U29");
            return (result << 8) | in.readUnsignedByte();
        }

        /** UTF-8-vr (AMF3 spec 1.3.2): inline with a length, or a string-table reference; "" is never referenced. */
        private String string(int marker, int at) {
            int header = u29(marker, at);
            if ((header & 1) == 0) {
                int index = header >>> 1;
                if (index >= strings.size()) {
                    throw fail(marker, at, "string reference " + index + " out of range: "
                            + strings.size() + " strings so far");
                }
                return strings.get(index);
            }
            int length = header >>> 1;
            if (length == 0) {
                return "";
            }
            String s = utf8(length, marker, at, "string");
            strings.add(s);
            return s;
        }

        /** Resolves a header whose low bit is 0: an index into the object table (AMF3 spec 3.1). */
        private AmfValue reference(int header, int marker, int at) {
            return referenced(header >>> 1, marker, at, "object reference");
        }

        /** AMF3 spec 3.9 and 3.13: both become an {@link AmfXmlDocument}. */
        private AmfValue xml(int marker, int at) {
            int header = u29(marker, at);
            if ((header & 1) == 0) {
                return reference(header, marker, at);
            }
            return fill(reserve(), new AmfXmlDocument(utf8(header >>> 1, marker, at, "XML")));
        }

        /** AMF3 spec 3.10: milliseconds since the epoch, UTC. */
        private AmfValue date(int marker, int at) {
            int header = u29(marker, at);
            if ((header & 1) == 0) {
                return reference(header, marker, at);
            }
            need(8, marker, at, "date");
            return fill(reserve(), new AmfDate(in.readDouble(), (short) 0));
        }

        /** AMF3 spec 3.14 */
        private AmfValue byteArray(int marker, int at) {
            int header = u29(marker, at);
            if ((header & 1) == 0) {
                return reference(header, marker, at);
            }
            return fill(reserve(), new AmfByteArray(bytes(header >>> 1, marker, at, "ByteArray")));
        }

        /**
         * AMF3 spec 3.11: associative part (key/value pairs up to an empty key), then the dense part.
         * Dense only becomes a strict array; otherwise an ECMA array with dense values keyed "0", "1", ...
         * ahead of the named keys, as ActionScript enumerates them.
         */
        private AmfValue array(int depth, int marker, int at) {
            int header = u29(marker, at);
            if ((header & 1) == 0) {
                return reference(header, marker, at);
            }
            checkDepth(depth + 1, marker, at);
            int denseCount = header >>> 1;
            checkCount(denseCount, 1, marker, at);
            int slot = reserve();
            List<Map.Entry<String, AmfValue>> named = new ArrayList<>();
            while (true) {
                String key = string(marker, at);
                if (key.isEmpty()) {
                    break;
                }
                checkEntries(denseCount + named.size() + 1L, marker, at);
                named.add(Map.entry(key, value(depth + 1)));
            }
            List<AmfValue> dense = new ArrayList<>(denseCount);
            for (int i = 0; i < denseCount; i++) {
                dense.add(value(depth + 1));
            }
            if (named.isEmpty()) {
                return fill(slot, new AmfStrictArray(dense));
            }
            List<Map.Entry<String, AmfValue>> all = new ArrayList<>(dense.size() + named.size());
            for (int i = 0; i < dense.size(); i++) {
                all.add(Map.entry(Integer.toString(i), dense.get(i)));
            }
            all.addAll(named);
            return fill(slot, new AmfEcmaArray(all));
        }

        /**
         * AMF3 spec 3.12: traits inline or by reference, sealed member values in trait order, then
         * dynamic members up to an empty key. Externalizable classes need class-specific code: rejected.
         */
        private AmfValue object(int depth, int marker, int at) {
            int header = u29(marker, at);
            if ((header & 1) == 0) {
                return reference(header, marker, at);
            }
            checkDepth(depth + 1, marker, at);
            Traits t;
            if ((header & 2) == 0) {
                int index = header >>> 2;
                if (index >= traits.size()) {
                    throw fail(marker, at, "traits reference " + index + " out of range: "
                            + traits.size() + " traits so far");
                }
                t = traits.get(index);
            } else if ((header & 4) != 0) {
                String className = string(marker, at);
                throw fail(marker, at, "externalizable class '" + className
                        + "' is not supported (its body format is private to the class)");
            } else {
                boolean dynamic = (header & 8) != 0;
                int sealedCount = header >>> 4;
                checkCount(sealedCount, 1, marker, at);
                String className = string(marker, at);
                List<String> names = new ArrayList<>(sealedCount);
                for (int i = 0; i < sealedCount; i++) {
                    names.add(string(marker, at));
                }
                t = new Traits(className, dynamic, List.copyOf(names));
                traits.add(t);
            }
            int slot = reserve();
            List<Map.Entry<String, AmfValue>> members = new ArrayList<>(t.sealedNames().size());
            for (String name : t.sealedNames()) {
                members.add(Map.entry(name, value(depth + 1)));
            }
            if (t.dynamic()) {
                while (true) {
                    String key = string(marker, at);
                    if (key.isEmpty()) {
                        break;
                    }
                    checkEntries(members.size() + 1L, marker, at);
                    members.add(Map.entry(key, value(depth + 1)));
                }
            }
            AmfObject properties = new AmfObject(members);
            return fill(slot, t.className().isEmpty() ? properties : new AmfTypedObject(t.className(), properties));
        }

        /** AMF3 spec 3.15: a fixed-length flag, then (for objects) a type name, then the elements. */
        private AmfValue vector(int depth, int marker, int at) {
            int header = u29(marker, at);
            if ((header & 1) == 0) {
                return reference(header, marker, at);
            }
            checkDepth(depth + 1, marker, at);
            int count = header >>> 1;
            need(1, marker, at, "fixed-length flag");
            in.skipBytes(1);
            int slot = reserve();
            List<AmfValue> values;
            switch (marker) {
                case VECTOR_INT -> {
                    checkCount(count, 4, marker, at);
                    countValues(count);
                    values = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        values.add(new AmfNumber(in.readInt()));
                    }
                }
                case VECTOR_UINT -> {
                    checkCount(count, 4, marker, at);
                    countValues(count);
                    values = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        values.add(new AmfNumber(in.readUnsignedInt()));
                    }
                }
                case VECTOR_DOUBLE -> {
                    checkCount(count, 8, marker, at);
                    countValues(count);
                    values = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        values.add(new AmfNumber(in.readDouble()));
                    }
                }
                default -> {
                    string(marker, at); // element type name: the model has no place for it
                    checkCount(count, 1, marker, at);
                    values = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        values.add(value(depth + 1));
                    }
                }
            }
            return fill(slot, new AmfStrictArray(values));
        }

        /** AMF3 spec 3.16: weak-keys flag, then key/value pairs. Only string keys fit the model. */
        private AmfValue dictionary(int depth, int marker, int at) {
            int header = u29(marker, at);
            if ((header & 1) == 0) {
                return reference(header, marker, at);
            }
            checkDepth(depth + 1, marker, at);
            int count = header >>> 1;
            need(1, marker, at, "weak-keys flag");
            in.skipBytes(1);
            checkCount(count, 2, marker, at);
            int slot = reserve();
            List<Map.Entry<String, AmfValue>> entries = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int keyAt = in.readerIndex();
                AmfValue key = value(depth + 1);
                if (!(key instanceof AmfString s)) {
                    throw fail(marker, at, "dictionary key at index " + keyAt + " is "
                            + key.getClass().getSimpleName() + "; only string keys are supported");
                }
                entries.add(Map.entry(s.value(), value(depth + 1)));
            }
            return fill(slot, new AmfEcmaArray(entries));
        }
    }

    static String name(int marker) {
        return switch (marker) {
            case UNDEFINED -> "undefined";
            case NULL -> "null";
            case FALSE -> "false";
            case TRUE -> "true";
            case INTEGER -> "integer";
            case DOUBLE -> "double";
            case STRING -> "string";
            case XML_DOCUMENT -> "XMLDocument";
            case DATE -> "date";
            case ARRAY -> "array";
            case OBJECT -> "object";
            case XML -> "XML";
            case BYTE_ARRAY -> "ByteArray";
            case VECTOR_INT -> "Vector.<int>";
            case VECTOR_UINT -> "Vector.<uint>";
            case VECTOR_DOUBLE -> "Vector.<Number>";
            case VECTOR_OBJECT -> "Vector.<Object>";
            case DICTIONARY -> "Dictionary";
            default -> "unknown type";
        };
    }
}
