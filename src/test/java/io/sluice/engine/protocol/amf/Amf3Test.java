package io.sluice.engine.protocol.amf;

import static io.sluice.engine.protocol.amf.AmfTestSupport.decode3;
import static io.sluice.engine.protocol.amf.AmfTestSupport.hex;
import static io.sluice.engine.protocol.amf.AmfTestSupport.num;
import static io.sluice.engine.protocol.amf.AmfTestSupport.withBuffer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class Amf3Test {

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.sluice.engine.protocol.amf.AmfGoldenVectors#amf3")
    void decodesGoldenVector(String name, String hex, AmfValue value) {
        assertThat(decode3(hex)).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152, 0x0FFFFFFF, 0x10000000, 0x1FFFFFFF})
    void u29WriterAndIntegerReaderAgree(int u29) {
        ByteBuf out = Unpooled.directBuffer();
        try {
            out.writeByte(Amf3.INTEGER);
            Amf3.writeU29(out, u29);
            int expected = (u29 << 3) >> 3;
            assertThat(decode3(ByteBufUtil.getBytes(out))).isEqualTo(num(expected));
        } finally {
            out.release();
        }
    }

    @Test
    void u29WriterRejectsOutOfRange() {
        ByteBuf out = Unpooled.directBuffer();
        try {
            assertThatThrownBy(() -> Amf3.writeU29(out, 0x20000000)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Amf3.writeU29(out, -1)).isInstanceOf(IllegalArgumentException.class);
        } finally {
            out.release();
        }
    }

    @Test
    void typedObjectMembersKeepTraitOrder() {
        // Traits: class "P", sealed "b" then "a"; the object lists them in that order.
        AmfValue v = decode3("0a 23 03 50 03 62 03 61 04 02 04 01");
        assertThat(v).isInstanceOf(AmfTypedObject.class);
        AmfTypedObject t = (AmfTypedObject) v;
        assertThat(t.className()).isEqualTo("P");
        assertThat(t.properties().entries()).extracting(java.util.Map.Entry::getKey).containsExactly("b", "a");
        assertThat(t.properties().number("a")).isEqualTo(1.0);
    }

    @Test
    void traitsAndStringsAreSharedAcrossOneDecodeCall() {
        // Dynamic anonymous traits are defined once, then referenced; the key "a" is a string reference.
        AmfValue v = decode3("09 05 01 0a 0b 01 03 61 04 01 01 0a 01 00 04 02 01");
        assertThat(v).isEqualTo(AmfStrictArray.of(AmfObject.of("a", num(1)), AmfObject.of("a", num(2))));
    }

    @Test
    void referenceTablesAreFreshForEachDecodeCall() {
        // Same buffer, two calls: the second string reference must not see the first call's table.
        withBuffer(hex("06 03 61  06 00"), in -> {
            assertThat(Amf3.decode(in, AmfLimits.DEFAULT)).isEqualTo(AmfValue.of("a"));
            assertThatThrownBy(() -> Amf3.decode(in, AmfLimits.DEFAULT))
                    .isInstanceOf(AmfException.class)
                    .hasMessageContaining("string reference 0 out of range");
            return null;
        });
    }

    @Test
    void externalizableObjectsAreRejectedWithTheClassName() {
        assertThatThrownBy(() -> decode3("0a 07 1f 666c65782e6d657373616765732e41 00"))
                .isInstanceOf(AmfException.class)
                .hasMessageContaining("externalizable")
                .hasMessageContaining("flex.messages.A");
    }

    @Test
    void dictionaryWithNonStringKeyIsRejected() {
        assertThatThrownBy(() -> decode3("11 03 00 04 01 06 03 76"))
                .isInstanceOf(AmfException.class)
                .hasMessageContaining("only string keys");
    }

    @Test
    void cyclicObjectReferenceIsRejected() {
        // An object whose member refers to itself (object table index 0).
        assertThatThrownBy(() -> decode3("0a 0b 01 03 61 0a 00 01"))
                .isInstanceOf(AmfException.class)
                .hasMessageContaining("still being decoded");
    }
}
