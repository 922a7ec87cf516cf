package io.sluice.engine.protocol.amf;

import static io.sluice.engine.protocol.amf.AmfTestSupport.num;
import static io.sluice.engine.protocol.amf.AmfTestSupport.str;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Hand-checked byte vectors shared by the codec tests, the truncation tests and the fuzz seeds. */
public final class AmfGoldenVectors {

    private AmfGoldenVectors() {
    }

    static final String CONNECT_OBJECT_HEX = "03"
            + "0003 617070 02 0004 6c697665"                                        // app: "live"
            + "0004 74797065 02 000a 6e6f6e70726976617465"                          // type: "nonprivate"
            + "0008 666c617368566572 02 001f 464d4c452f332e302028636f6d70617469626c653b20464d53632f312e3029"
            + "0005 746355726c 02 001a 72746d703a2f2f6c6f63616c686f73743a313933352f6c697665"
            + "000009";

    /** connect as ffmpeg sends it when publishing: name, transaction id 1, command object. */
    public static final String CONNECT_COMMAND_HEX = "02 0007 636f6e6e656374" + "00 3ff0000000000000" + CONNECT_OBJECT_HEX;

    static final AmfObject CONNECT_OBJECT = AmfObject.builder()
            .put("app", "live")
            .put("type", "nonprivate")
            .put("flashVer", "FMLE/3.0 (compatible; FMSc/1.0)")
            .put("tcUrl", "rtmp://localhost:1935/live")
            .build();

    /** @setDataFrame + onMetaData ECMA array, as ffmpeg writes it for an H.264/AAC publish. */
    public static final String SET_DATA_FRAME_HEX = "02000d40736574446174614672616d65"
            + "02000a6f6e4d65746144617461"
            + "08 0000000d"
            + "00086475726174696f6e 00 0000000000000000"
            + "00057769647468 00 4094000000000000"
            + "0006686569676874 00 4086800000000000"
            + "000d766964656f6461746172617465 00 40a3880000000000"
            + "00096672616d6572617465 00 403e000000000000"
            + "000c766964656f636f6465636964 00 401c000000000000"
            + "000d617564696f6461746172617465 00 4060000000000000"
            + "000f617564696f73616d706c6572617465 00 40e7700000000000"
            + "000f617564696f73616d706c6573697a65 00 4030000000000000"
            + "000673746572656f 01 01"
            + "000c617564696f636f6465636964 00 4024000000000000"
            + "0007656e636f646572 02 000c 4c61766636312e372e313030"
            + "000866696c6573697a65 00 0000000000000000"
            + "000009";

    /** AMF0 vectors that both decode to the value and are what the encoder writes for it. */
    public static Stream<Arguments> amf0() {
        return Stream.of(
                arguments("number 1.0", "00 3ff0000000000000", num(1.0)),
                arguments("number -0.5", "00 bfe0000000000000", num(-0.5)),
                arguments("number 1935", "00 409e3c0000000000", num(1935)),
                arguments("boolean true", "01 01", AmfBoolean.TRUE),
                arguments("boolean false", "01 00", AmfBoolean.FALSE),
                arguments("empty string", "02 0000", str("")),
                arguments("string", "02 0002 6869", str("hi")),
                arguments("string UTF-8", "02 0006 c3a9e282ac21", str("\u00e9\u20ac!")),
                arguments("null", "05", AmfNull.INSTANCE),
                arguments("undefined", "06", AmfUndefined.INSTANCE),
                arguments("empty object", "03 000009", AmfObject.EMPTY),
                arguments("object", "03 0001 61 00 3ff0000000000000 000009", AmfObject.of("a", num(1))),
                arguments("nested object", "03 0001 6f 03 0001 62 01 01 000009 0001 6e 05 000009",
                        AmfObject.of("o", AmfObject.of("b", AmfBoolean.TRUE), "n", AmfNull.INSTANCE)),
                arguments("empty ECMA array", "08 00000000 000009", AmfEcmaArray.EMPTY),
                arguments("ECMA array", "08 00000002 0001 6b 02 0001 76 0001 6e 00 4000000000000000 000009",
                        AmfEcmaArray.builder().put("k", "v").put("n", 2.0).build()),
                arguments("empty strict array", "0a 00000000", AmfStrictArray.EMPTY),
                arguments("strict array", "0a 00000003 00 3ff0000000000000 02 0001 61 06",
                        AmfStrictArray.of(num(1), str("a"), AmfUndefined.INSTANCE)),
                arguments("date", "0b 4271f71fb0450000 0000", new AmfDate(1_234_567_890_000.0, (short) 0)),
                arguments("date with time zone", "0b 3ff0000000000000 ffc4", new AmfDate(1.0, (short) -60)),
                arguments("XML document", "0f 00000004 3c612f3e", new AmfXmlDocument("<a/>")),
                arguments("typed object", "10 0002 5074 0001 78 00 3ff0000000000000 000009",
                        new AmfTypedObject("Pt", AmfObject.of("x", num(1)))),
                arguments("byte array via avmplus", "11 0c 07 010203", new AmfByteArray(new byte[] {1, 2, 3})),
                arguments("ffmpeg connect object", CONNECT_OBJECT_HEX, CONNECT_OBJECT));
    }

    /** AMF0 vectors the decoder accepts but the encoder would write differently. */
    public static Stream<Arguments> amf0DecodeOnly() {
        return Stream.of(
                arguments("long string holding a short one", "0c 00000002 6869", str("hi")),
                arguments("unsupported marker", "0d", AmfUndefined.INSTANCE),
                arguments("boolean with non-1 true byte", "01 7f", AmfBoolean.TRUE),
                arguments("reference to an earlier object", "0a 00000002 03 000009 07 0001",
                        AmfStrictArray.of(AmfObject.EMPTY, AmfObject.EMPTY)),
                arguments("reference to an ECMA array", "03 0001 61 08 00000000 0001 6b 05 000009 0001 62 07 0001 000009",
                        AmfObject.of("a", AmfEcmaArray.builder().put("k", AmfNull.INSTANCE).build(),
                                "b", AmfEcmaArray.builder().put("k", AmfNull.INSTANCE).build())),
                arguments("ECMA array count is only a hint", "08 00000007 0001 6b 05 000009",
                        AmfEcmaArray.builder().put("k", AmfNull.INSTANCE).build()),
                arguments("empty key that is not the end", "03 0000 05 000009", AmfObject.of("", AmfNull.INSTANCE)),
                arguments("avmplus integer", "11 04 7f", num(127)),
                arguments("avmplus string", "11 06 05 6869", str("hi")),
                arguments("invalid UTF-8 is decoded leniently", "02 0002 ff61", str("\ufffda")));
    }

    /** AMF3 vectors: bytes decode to the value. */
    public static Stream<Arguments> amf3() {
        return Stream.of(
                arguments("undefined", "00", AmfUndefined.INSTANCE),
                arguments("null", "01", AmfNull.INSTANCE),
                arguments("false", "02", AmfBoolean.FALSE),
                arguments("true", "03", AmfBoolean.TRUE),
                arguments("integer 0", "04 00", num(0)),
                arguments("integer 127", "04 7f", num(127)),
                arguments("integer 128", "04 8100", num(128)),
                arguments("integer 16383", "04 ff7f", num(16383)),
                arguments("integer 16384", "04 818000", num(16384)),
                arguments("integer 2097151", "04 ffff7f", num(2_097_151)),
                arguments("integer 2097152", "04 80c08000", num(2_097_152)),
                arguments("integer 2^28-1 (largest)", "04 bfffffff", num(268_435_455)),
                arguments("integer U29 0x1FFFFFFF is -1", "04 ffffffff", num(-1)),
                arguments("integer -2^28 (smallest)", "04 c0808000", num(-268_435_456)),
                arguments("integer -2", "04 fffffffe", num(-2)),
                arguments("double", "05 3ff0000000000000", num(1.0)),
                arguments("empty string", "06 01", str("")),
                arguments("string", "06 05 6869", str("hi")),
                arguments("string references; empty string never referenced",
                        "09 09 01 06 07 616263 06 00 06 01 06 01",
                        AmfStrictArray.of(str("abc"), str("abc"), str(""), str(""))),
                arguments("key string referenced by a value", "0a 0b 01 07 616263 06 00 01",
                        AmfObject.of("abc", str("abc"))),
                arguments("XMLDocument", "07 09 3c612f3e", new AmfXmlDocument("<a/>")),
                arguments("XML", "0b 09 3c612f3e", new AmfXmlDocument("<a/>")),
                arguments("date", "08 01 3ff0000000000000", new AmfDate(1.0, (short) 0)),
                arguments("dense array", "09 07 01 04 01 04 02 04 03", AmfStrictArray.of(num(1), num(2), num(3))),
                arguments("empty array", "09 01 01", AmfStrictArray.EMPTY),
                arguments("mixed array", "09 03 03 6b 06 03 76 01 04 05",
                        AmfEcmaArray.builder().put("0", 5.0).put("k", "v").build()),
                arguments("anonymous dynamic object", "0a 0b 01 03 61 04 01 01", AmfObject.of("a", num(1))),
                arguments("sealed and dynamic members", "0a 1b 01 03 78 04 01 03 79 04 02 01",
                        AmfObject.of("x", num(1), "y", num(2))),
                arguments("typed sealed object", "0a 13 05 5074 03 78 04 01",
                        new AmfTypedObject("Pt", AmfObject.of("x", num(1)))),
                arguments("traits reference", "09 05 01 0a 13 05 5074 03 78 04 01 0a 01 04 02",
                        AmfStrictArray.of(new AmfTypedObject("Pt", AmfObject.of("x", num(1))),
                                new AmfTypedObject("Pt", AmfObject.of("x", num(2))))),
                arguments("object reference", "09 05 01 0a 0b 01 03 61 04 01 01 0a 02",
                        AmfStrictArray.of(AmfObject.of("a", num(1)), AmfObject.of("a", num(1)))),
                arguments("ByteArray", "0c 07 010203", new AmfByteArray(new byte[] {1, 2, 3})),
                arguments("ByteArray reference", "09 05 01 0c 03 ff 0c 02",
                        AmfStrictArray.of(new AmfByteArray(new byte[] {-1}), new AmfByteArray(new byte[] {-1}))),
                arguments("Vector.<int>", "0d 05 00 00000001 ffffffff", AmfStrictArray.of(num(1), num(-1))),
                arguments("Vector.<uint>", "0e 03 01 ffffffff", AmfStrictArray.of(num(4_294_967_295.0))),
                arguments("Vector.<Number>", "0f 03 00 3ff0000000000000", AmfStrictArray.of(num(1.0))),
                arguments("Vector.<Object>", "10 05 00 01 06 03 61 01", AmfStrictArray.of(str("a"), AmfNull.INSTANCE)),
                arguments("Dictionary with string keys", "11 03 00 06 03 6b 06 03 76",
                        AmfEcmaArray.builder().put("k", "v").build()));
    }
}
