package io.sluice.engine.protocol.amf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * AMF0 codec (Adobe "Action Message Format -- AMF 0", December 2007). Reads and writes only the
 * buffer it is given: never retains or releases it. On a decode failure the reader index is put
 * back where it was; on an encode failure the writer index is.
 */
public final class Amf0 {

    // AMF0 spec 2.1 type markers.
    static final int NUMBER = 0x00;
    static final int BOOLEAN = 0x01;
    static final int STRING = 0x02;
    static final int OBJECT = 0x03;
    static final int MOVIECLIP = 0x04;
    static final int NULL = 0x05;
    static final int UNDEFINED = 0x06;
    static final int REFERENCE = 0x07;
    static final int ECMA_ARRAY = 0x08;
    static final int OBJECT_END = 0x09;
    static final int STRICT_ARRAY = 0x0A;
    static final int DATE = 0x0B;
    static final int LONG_STRING = 0x0C;
    static final int UNSUPPORTED = 0x0D;
    static final int RECORDSET = 0x0E;
    static final int XML_DOCUMENT = 0x0F;
    static final int TYPED_OBJECT = 0x10;
    static final int AVMPLUS_OBJECT = 0x11;

    private static final int MAX_SHORT_UTF8 = 0xFFFF;

    private Amf0() {
    }

    /** Decodes one value with its own reference table. */
    public static AmfValue decode(ByteBuf in, AmfLimits limits) {
        int start = in.readerIndex();
        try {
            return new Decoder(in, limits).value(0);
        } catch (RuntimeException e) {
            in.readerIndex(start);
            throw asAmfException(e, start);
        }
    }

    /**
     * Decodes values until the buffer is empty, e.g. the body of a type 20 command or type 18 data
     * message. References resolve across the whole message (one table per call).
     */
    public static List<AmfValue> decodeAll(ByteBuf in, AmfLimits limits) {
        int start = in.readerIndex();
        try {
            Decoder decoder = new Decoder(in, limits);
            List<AmfValue> values = new ArrayList<>();
            while (in.isReadable()) {
                values.add(decoder.value(0));
            }
            return values;
        } catch (RuntimeException e) {
            in.readerIndex(start);
            throw asAmfException(e, start);
        }
    }

    /**
     * Decodes the body of a type 17 (AMF3 command) or type 15 (AMF3 data) message: a 0x00 format byte,
     * then AMF0 values, any of which may switch to AMF3 with the avmplus marker (AMF0 spec 3.1).
     * The format byte is skipped when present.
     */
    public static List<AmfValue> decodeAmf3Command(ByteBuf in, AmfLimits limits) {
        int start = in.readerIndex();
        if (in.isReadable() && in.getUnsignedByte(start) == 0x00) {
            in.skipBytes(1);
        }
        try {
            return decodeAll(in, limits);
        } catch (AmfException e) {
            in.readerIndex(start);
            throw e;
        }
    }

    // Belt and braces: every read is checked first, but a slip must still surface as AmfException.
    private static AmfException asAmfException(RuntimeException e, int start) {
        if (e instanceof AmfException amf) {
            return amf;
        }
        if (e instanceof IndexOutOfBoundsException) {
            return new AmfException("AMF0 value starting at index " + start + " is truncated", e);
        }
        throw e;
    }

    public static void encode(ByteBuf out, AmfValue value) {
        Objects.requireNonNull(value, "value");
        int start = out.writerIndex();
        try {
            write(out, value);
        } catch (RuntimeException e) {
            out.writerIndex(start);
            throw e;
        }
    }

    public static void encodeAll(ByteBuf out, List<? extends AmfValue> values) {
        int start = out.writerIndex();
        try {
            for (AmfValue value : values) {
                write(out, Objects.requireNonNull(value, "value"));
            }
        } catch (RuntimeException e) {
            out.writerIndex(start);
            throw e;
        }
    }

    private static void write(ByteBuf out, AmfValue value) {
        if (value instanceof AmfNumber n) {
            out.writeByte(NUMBER).writeDouble(n.value());
        } else if (value instanceof AmfBoolean b) {
            out.writeByte(BOOLEAN).writeByte(b.value() ? 1 : 0);
        } else if (value instanceof AmfString s) {
            int length = ByteBufUtil.utf8Bytes(s.value());
            if (length > MAX_SHORT_UTF8) {
                // AMF0 spec 2.14: long string when the UTF-8 form does not fit a U16 length.
                out.writeByte(LONG_STRING).writeInt(length);
            } else {
                out.writeByte(STRING).writeShort(length);
            }
            writeUtf8(out, s.value(), length);
        } else if (value instanceof AmfNull) {
            out.writeByte(NULL);
        } else if (value instanceof AmfUndefined) {
            out.writeByte(UNDEFINED);
        } else if (value instanceof AmfObject o) {
            out.writeByte(OBJECT);
            writeEntries(out, o);
        } else if (value instanceof AmfEcmaArray a) {
            // AMF0 spec 2.10: U32 count, then the same entries as an object.
            out.writeByte(ECMA_ARRAY).writeInt(a.size());
            writeEntries(out, a);
        } else if (value instanceof AmfStrictArray a) {
            out.writeByte(STRICT_ARRAY).writeInt(a.size());
            for (AmfValue v : a.values()) {
                write(out, v);
            }
        } else if (value instanceof AmfDate d) {
            out.writeByte(DATE).writeDouble(d.epochMillis()).writeShort(d.timezoneMinutes());
        } else if (value instanceof AmfXmlDocument x) {
            int length = ByteBufUtil.utf8Bytes(x.xml());
            out.writeByte(XML_DOCUMENT).writeInt(length);
            writeUtf8(out, x.xml(), length);
        } else if (value instanceof AmfTypedObject t) {
            out.writeByte(TYPED_OBJECT);
            writeShortUtf8(out, t.className(), "class name");
            writeEntries(out, t.properties());
        } else if (value instanceof AmfByteArray b) {
            // AMF0 has no byte array: switch to AMF3 for this one value (AMF0 spec 3.1).
            out.writeByte(AVMPLUS_OBJECT);
            Amf3.writeByteArray(out, b);
        } else {
            throw new AssertionError("unhandled AMF value type " + value.getClass());
        }
    }

    private static void writeEntries(ByteBuf out, AmfEntries entries) {
        for (Map.Entry<String, AmfValue> e : entries.entries()) {
            writeShortUtf8(out, e.getKey(), "key");
            write(out, e.getValue());
        }
        // AMF0 spec 2.11: empty key then object-end marker.
        out.writeShort(0).writeByte(OBJECT_END);
    }

    private static void writeShortUtf8(ByteBuf out, String s, String what) {
        int length = ByteBufUtil.utf8Bytes(s);
        if (length > MAX_SHORT_UTF8) {
            throw new IllegalArgumentException("AMF0 " + what + " is " + length
                    + " UTF-8 bytes, more than 65535: " + s.substring(0, 32) + "...");
        }
        out.writeShort(length);
        writeUtf8(out, s, length);
    }

    private static void writeUtf8(ByteBuf out, String s, int expected) {
        int written = ByteBufUtil.writeUtf8(out, s);
        if (written != expected) {
            throw new IllegalStateException("UTF-8 length mismatch: counted " + expected + ", wrote " + written);
        }
    }

    /** One decode call sequence: its reader holds the AMF0 reference table (AMF0 spec 2.9). */
    private static final class Decoder extends AmfReader {

        Decoder(ByteBuf in, AmfLimits limits) {
            super(in, limits);
        }

        @Override
        String format() {
            return "AMF0";
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
                case NUMBER:
                    need(8, marker, at, "number");
                    return new AmfNumber(in.readDouble());
                case BOOLEAN:
                    need(1, marker, at, "boolean");
                    return AmfBoolean.of(in.readUnsignedByte() != 0);
                case STRING:
                    return new AmfString(shortUtf8(marker, at, "string"));
                case LONG_STRING:
                    need(4, marker, at, "long string length");
                    return new AmfString(utf8(in.readUnsignedInt(), marker, at, "long string"));
                case XML_DOCUMENT:
                    // AMF0 spec 2.17: encoded like a long string.
                    need(4, marker, at, "XML document length");
                    return new AmfXmlDocument(utf8(in.readUnsignedInt(), marker, at, "XML document"));
                case NULL:
                    return AmfNull.INSTANCE;
                case UNDEFINED:
                case UNSUPPORTED: // AMF0 spec 2.15: no value follows; undefined is the closest fit.
                    return AmfUndefined.INSTANCE;
                case DATE:
                    need(10, marker, at, "date");
                    return new AmfDate(in.readDouble(), in.readShort());
                case OBJECT: {
                    checkDepth(depth + 1, marker, at);
                    int slot = reserve();
                    AmfObject object = new AmfObject(entries(depth + 1, marker, at));
                    return fill(slot, object);
                }
                case TYPED_OBJECT: {
                    // AMF0 spec 2.18: class name, then object entries.
                    checkDepth(depth + 1, marker, at);
                    int slot = reserve();
                    String className = shortUtf8(marker, at, "class name");
                    AmfObject properties = new AmfObject(entries(depth + 1, marker, at));
                    return fill(slot, new AmfTypedObject(className, properties));
                }
                case ECMA_ARRAY: {
                    // AMF0 spec 2.10: the count is only a hint (encoders get it wrong); the end marker rules.
                    checkDepth(depth + 1, marker, at);
                    need(4, marker, at, "ECMA array count");
                    in.skipBytes(4);
                    int slot = reserve();
                    return fill(slot, new AmfEcmaArray(entries(depth + 1, marker, at)));
                }
                case STRICT_ARRAY: {
                    // AMF0 spec 2.12
                    checkDepth(depth + 1, marker, at);
                    need(4, marker, at, "strict array count");
                    long count = in.readUnsignedInt();
                    checkCount(count, 1, marker, at);
                    int slot = reserve();
                    List<AmfValue> values = new ArrayList<>((int) count);
                    for (long i = 0; i < count; i++) {
                        values.add(value(depth + 1));
                    }
                    return fill(slot, new AmfStrictArray(values));
                }
                case REFERENCE: {
                    // AMF0 spec 2.9: U16 index into the complex values decoded so far.
                    need(2, marker, at, "reference index");
                    return referenced(in.readUnsignedShort(), marker, at, "index");
                }
                case AVMPLUS_OBJECT:
                    // AMF0 spec 3.1: the next value is AMF3, with its own reference tables.
                    return new Amf3.Decoder(this).value(depth);
                case OBJECT_END:
                    throw fail(marker, at, "object end marker outside an object");
                case MOVIECLIP:
                case RECORDSET:
                    throw fail(marker, at, "reserved type is not supported");
                default:
                    throw fail(marker, at, "unknown type marker");
            }
        }

        /** Entries until the empty key + object-end marker (AMF0 spec 2.5, 2.11). */
        private List<Map.Entry<String, AmfValue>> entries(int childDepth, int marker, int at) {
            List<Map.Entry<String, AmfValue>> entries = new ArrayList<>();
            while (true) {
                String key = shortUtf8(marker, at, "key");
                if (key.isEmpty()) {
                    need(1, marker, at, "value or object end after empty key");
                    if (in.getUnsignedByte(in.readerIndex()) == OBJECT_END) {
                        in.skipBytes(1);
                        return entries;
                    }
                }
                checkEntries(entries.size() + 1L, marker, at);
                entries.add(Map.entry(key, value(childDepth)));
            }
        }

        private String shortUtf8(int marker, int at, String what) {
            need(2, marker, at, what + " length");
            return utf8(in.readUnsignedShort(), marker, at, what);
        }
    }

    static String name(int marker) {
        return switch (marker) {
            case NUMBER -> "number";
            case BOOLEAN -> "boolean";
            case STRING -> "string";
            case OBJECT -> "object";
            case MOVIECLIP -> "movieclip";
            case NULL -> "null";
            case UNDEFINED -> "undefined";
            case REFERENCE -> "reference";
            case ECMA_ARRAY -> "ECMA array";
            case OBJECT_END -> "object end";
            case STRICT_ARRAY -> "strict array";
            case DATE -> "date";
            case LONG_STRING -> "long string";
            case UNSUPPORTED -> "unsupported";
            case RECORDSET -> "recordset";
            case XML_DOCUMENT -> "XML document";
            case TYPED_OBJECT -> "typed object";
            case AVMPLUS_OBJECT -> "avmplus object";
            default -> "unknown type";
        };
    }
}
