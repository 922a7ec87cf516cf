package io.sluice.engine.protocol.amf;

import static io.sluice.engine.protocol.amf.AmfTestSupport.buffer;
import static io.sluice.engine.protocol.amf.AmfTestSupport.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.function.BiFunction;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Malformed and hostile input must end in AmfException: never IOOBE, OOM or a stack overflow. */
class AmfHostileInputTest {

    private static final AmfLimits GENEROUS = new AmfLimits(32, Integer.MAX_VALUE, Integer.MAX_VALUE);

    @ParameterizedTest(name = "{0}")
    @MethodSource({"io.sluice.engine.protocol.amf.AmfGoldenVectors#amf0",
            "io.sluice.engine.protocol.amf.AmfGoldenVectors#amf0DecodeOnly"})
    void everyProperPrefixOfAnAmf0VectorFails(String name, String hex, AmfValue value) {
        assertEveryPrefixFails(hex(hex), Amf0::decode);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.sluice.engine.protocol.amf.AmfGoldenVectors#amf3")
    void everyProperPrefixOfAnAmf3VectorFails(String name, String hex, AmfValue value) {
        assertEveryPrefixFails(hex(hex), Amf3::decode);
    }

    @Test
    void everyProperPrefixOfTheOnMetaDataArrayFails() {
        byte[] wire = hex(AmfGoldenVectors.SET_DATA_FRAME_HEX);
        // Skip the two leading strings: the ECMA array is the third value.
        byte[] array = Arrays.copyOfRange(wire, 16 + 13, wire.length);
        assertThat(array[0]).isEqualTo((byte) 0x08);
        assertEveryPrefixFails(array, Amf0::decode);
    }

    private static void assertEveryPrefixFails(byte[] vector, BiFunction<ByteBuf, AmfLimits, AmfValue> decoder) {
        for (int length = 0; length < vector.length; length++) {
            ByteBuf in = buffer(Arrays.copyOf(vector, length));
            try {
                int prefix = length;
                assertThatThrownBy(() -> decoder.apply(in, AmfLimits.DEFAULT))
                        .as("prefix of %d bytes", prefix)
                        .isInstanceOf(AmfException.class)
                        .hasNoCause(); // thrown by an explicit check, not the IOOBE safety net
                assertThat(in.readerIndex()).as("reader index restored").isZero();
            } finally {
                in.release();
            }
        }
    }

    @Test
    void longStringDeclaring2Pow31BytesFailsOnTheLimit() {
        assertAmf0Fails("0c 80000000 6869", AmfLimits.DEFAULT)
                .hasMessageContaining("long string")
                .hasMessageContaining("2147483648")
                .hasMessageContaining("exceeds limit");
    }

    @Test
    void hugeLongStringFailsOnReadableBytesEvenWithoutALimit() {
        assertAmf0Fails("0c 7fffffff 6869", GENEROUS).hasMessageContaining("truncated");
        assertAmf0Fails("0f 7fffffff 3c", GENEROUS).hasMessageContaining("XML document");
    }

    @Test
    void shortStringLongerThanTheBufferFails() {
        assertAmf0Fails("02 ffff 6869", AmfLimits.DEFAULT)
                .hasMessageContaining("AMF0 string (marker 0x02) at index 0")
                .hasMessageContaining("truncated");
    }

    @Test
    void ecmaArrayDeclaring2Pow31EntriesWithThreeBytesFails() {
        assertAmf0Fails("08 80000000 000161", AmfLimits.DEFAULT).hasMessageContaining("truncated");
        assertAmf0Fails("08 80000000 000161", GENEROUS).hasMessageContaining("truncated");
    }

    @Test
    void strictArrayDeclaring2Pow31EntriesFails() {
        assertAmf0Fails("0a 80000000 05", AmfLimits.DEFAULT).hasMessageContaining("exceed limit 65536");
        assertAmf0Fails("0a 7fffffff 05", GENEROUS).hasMessageContaining("declared 2147483647 elements");
        assertAmf0Fails("0a ffffffff 05", GENEROUS).hasMessageContaining("4294967295 entries exceed limit");
    }

    @Test
    void amf3LengthsAndCountsAreCheckedBeforeAllocating() {
        assertAmf3Fails("06 ffffffff 61", AmfLimits.DEFAULT).hasMessageContaining("exceeds limit");
        assertAmf3Fails("06 ffffffff 61", GENEROUS).hasMessageContaining("truncated");
        assertAmf3Fails("0c ffffffff 61", GENEROUS).hasMessageContaining("ByteArray");
        assertAmf3Fails("09 ffffffff 01", AmfLimits.DEFAULT).hasMessageContaining("exceed limit");
        assertAmf3Fails("09 ffffffff 01", GENEROUS).hasMessageContaining("declared");
        assertAmf3Fails("0d ffffffff 00 00000001", GENEROUS).hasMessageContaining("declared");
        assertAmf3Fails("0f 8f01 00 3ff0000000000000", GENEROUS).hasMessageContaining("declared 960 elements");
        assertAmf3Fails("10 ffffffff 00 01 01", GENEROUS).hasMessageContaining("declared");
        assertAmf3Fails("11 ffffffff 00 01 01", GENEROUS).hasMessageContaining("declared");
        assertAmf3Fails("0a fffffff3 01", GENEROUS).hasMessageContaining("declared"); // 2^25-1 sealed members
    }

    @Test
    void deeplyNestedAmf0ObjectsFailOnDepth() {
        int depth = 10_000;
        StringBuilder hex = new StringBuilder();
        hex.append("03 0001 61".repeat(depth)).append("05").append("000009".repeat(depth));
        assertAmf0Fails(hex.toString(), AmfLimits.DEFAULT)
                .hasMessageContaining("depth")
                .hasMessageContaining("32");
    }

    @Test
    void deeplyNestedAmf0ArraysFailOnDepth() {
        assertAmf0Fails("0a 00000001".repeat(10_000) + "05", AmfLimits.DEFAULT).hasMessageContaining("depth");
        assertAmf0Fails("08 00000001 0001 61".repeat(10_000) + "05", AmfLimits.DEFAULT).hasMessageContaining("depth");
    }

    @Test
    void depthLimitIsExact() {
        String nested32 = "0a 00000001".repeat(32) + "05";
        String nested33 = "0a 00000001".repeat(33) + "05";
        AmfValue v = AmfTestSupport.decode0(nested32);
        assertThat(v).isInstanceOf(AmfStrictArray.class);
        assertAmf0Fails(nested33, AmfLimits.DEFAULT).hasMessageContaining("nesting depth exceeds limit 32");
    }

    @Test
    void deeplyNestedAmf3ValuesFailOnDepth() {
        assertAmf3Fails("09 03 01".repeat(10_000) + "01", AmfLimits.DEFAULT).hasMessageContaining("depth");
        assertAmf3Fails("0a 0b 01 03 61" + "0a 01 00".repeat(10_000) + "01", AmfLimits.DEFAULT)
                .hasMessageContaining("depth");
    }

    @Test
    void avmplusSwitchKeepsCountingDepth() {
        // 31 AMF0 arrays, then AMF3 arrays nested inside: the 33rd level fails wherever it is.
        assertAmf0Fails("0a 00000001".repeat(31) + "11" + "09 03 01".repeat(2) + "01", AmfLimits.DEFAULT)
                .hasMessageContaining("AMF3 array")
                .hasMessageContaining("depth");
    }

    @Test
    void unknownAndReservedMarkersFail() {
        assertAmf0Fails("12", AmfLimits.DEFAULT).hasMessageContaining("unknown type marker")
                .hasMessageContaining("0x12").hasMessageContaining("index 0");
        assertAmf0Fails("ff", AmfLimits.DEFAULT).hasMessageContaining("0xFF");
        assertAmf0Fails("04", AmfLimits.DEFAULT).hasMessageContaining("movieclip");
        assertAmf0Fails("0e", AmfLimits.DEFAULT).hasMessageContaining("recordset");
        assertAmf0Fails("09", AmfLimits.DEFAULT).hasMessageContaining("object end marker outside an object");
        assertAmf0Fails("03 0001 61 12 000009", AmfLimits.DEFAULT).hasMessageContaining("0x12")
                .hasMessageContaining("index 4");
        assertAmf3Fails("12", AmfLimits.DEFAULT).hasMessageContaining("AMF3").hasMessageContaining("0x12");
    }

    @Test
    void badReferencesFail() {
        assertAmf0Fails("07 0000", AmfLimits.DEFAULT).hasMessageContaining("index 0 out of range");
        assertAmf0Fails("0a 00000001 07 0000", AmfLimits.DEFAULT).hasMessageContaining("still being decoded");
        assertAmf0Fails("0a 00000002 03 000009 07 0002", AmfLimits.DEFAULT).hasMessageContaining("out of range");
        assertAmf3Fails("06 02", AmfLimits.DEFAULT).hasMessageContaining("string reference 1 out of range");
        assertAmf3Fails("0a 02", AmfLimits.DEFAULT).hasMessageContaining("object reference 1 out of range");
        assertAmf3Fails("0a 05", AmfLimits.DEFAULT).hasMessageContaining("traits reference 1 out of range");
        assertAmf3Fails("08 00", AmfLimits.DEFAULT).hasMessageContaining("object reference 0 out of range");
        assertAmf3Fails("09 00", AmfLimits.DEFAULT).hasMessageContaining("object reference 0 out of range");
    }

    /** Found by the AMF fuzz targets: references to references grow a tree exponentially from a few bytes. */
    @Test
    void referencesExpandOnlyUpToTheEntryLimit() {
        AmfLimits four = new AmfLimits(32, 4, 1024);
        // [pair, ref pair, ref pair] with pair = [null, null]: each reference adds 2 values, 4 in all
        AmfStrictArray pair = AmfStrictArray.of(AmfNull.INSTANCE, AmfNull.INSTANCE);
        ByteBuf ok = buffer(hex("0a 00000003 0a 00000002 05 05 07 0001 07 0001"));
        try {
            assertThat(Amf0.decode(ok, four)).isEqualTo(AmfStrictArray.of(pair, pair, pair));
        } finally {
            ok.release();
        }
        // a third reference: 6 > 4
        assertAmf0Fails("0a 00000004 0a 00000002 05 05 07 0001 07 0001 07 0001", four)
                .hasMessageContaining("references expand to more than 4 values");
        // AMF3: [pair, ref pair, ref pair, ref pair] as one dense array
        assertAmf3Fails("09 09 01 09 05 01 01 01 09 02 09 02 09 02", four)
                .hasMessageContaining("references expand to more than 4 values");
        // a Vector.<int> holds its elements without markers: each reference to this one adds 3 values
        assertAmf3Fails("09 07 01 0d 07 00 00000001 00000002 00000003 0d 02 0d 02", four)
                .hasMessageContaining("references expand to more than 4 values");
        // an AMF3 value inside AMF0 counts towards the same limit: the reference adds 4 values
        assertAmf0Fails("0a 00000002 0a 00000001 11 09 05 01 01 01 07 0001", new AmfLimits(32, 3, 1024))
                .hasMessageContaining("references expand to more than 3 values");
    }

    @Test
    void entryLimitApplies() {
        AmfLimits two = new AmfLimits(32, 2, 1024);
        assertAmf0Fails("03 0001 61 05 0001 62 05 0001 63 05 000009", two).hasMessageContaining("3 entries exceed limit 2");
        assertAmf0Fails("08 00000000 0001 61 05 0001 62 05 0001 63 05 000009", two).hasMessageContaining("exceed limit 2");
        assertAmf0Fails("0a 00000003 05 05 05", two).hasMessageContaining("exceed limit 2");
        assertAmf3Fails("0a 0b 01 03 61 01 03 62 01 03 63 01 01", two).hasMessageContaining("exceed limit 2");
        assertAmf3Fails("09 03 03 61 01 03 62 01 01 01", two).hasMessageContaining("exceed limit 2");
    }

    @Test
    void stringLimitApplies() {
        AmfLimits four = new AmfLimits(32, 100, 4);
        assertAmf0Fails("02 0005 68656c6c6f", four).hasMessageContaining("length 5 exceeds limit 4");
        assertAmf0Fails("03 0005 68656c6c6f 05 000009", four).hasMessageContaining("key length 5");
        assertAmf3Fails("06 0b 68656c6c6f", four).hasMessageContaining("length 5 exceeds limit 4");
    }

    @Test
    void decodeAllRestoresReaderIndexOnFailure() {
        ByteBuf in = buffer(hex("05 05 12"));
        try {
            assertThatThrownBy(() -> Amf0.decodeAll(in, AmfLimits.DEFAULT))
                    .isInstanceOf(AmfException.class)
                    .hasMessageContaining("index 2");
            assertThat(in.readerIndex()).isZero();
        } finally {
            in.release();
        }
    }

    @Test
    void amf3CommandFailureRestoresReaderIndexBeforeTheFormatByte() {
        ByteBuf in = buffer(hex("00 02 0005 61"));
        try {
            assertThatThrownBy(() -> Amf0.decodeAmf3Command(in, AmfLimits.DEFAULT)).isInstanceOf(AmfException.class);
            assertThat(in.readerIndex()).isZero();
        } finally {
            in.release();
        }
    }

    @Test
    void truncatedAmf3InsideAmf0ReportsAmf3() {
        assertAmf0Fails("11", AmfLimits.DEFAULT).hasMessageContaining("AMF3");
        assertAmf0Fails("11 04 ff", AmfLimits.DEFAULT).hasMessageContaining("AMF3 integer");
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertAmf0Fails(String hex, AmfLimits limits) {
        return assertFails(hex, limits, Amf0::decode);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertAmf3Fails(String hex, AmfLimits limits) {
        return assertFails(hex, limits, Amf3::decode);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertFails(
            String hex, AmfLimits limits, BiFunction<ByteBuf, AmfLimits, AmfValue> decoder) {
        ByteBuf in = buffer(hex(hex));
        try {
            return assertThatThrownBy(() -> decoder.apply(in, limits))
                    .isInstanceOf(AmfException.class)
                    .hasNoCause();
        } finally {
            in.release();
        }
    }
}
