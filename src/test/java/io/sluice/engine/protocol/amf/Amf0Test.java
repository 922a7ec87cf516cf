package io.sluice.engine.protocol.amf;

import static io.sluice.engine.protocol.amf.AmfTestSupport.decode0;
import static io.sluice.engine.protocol.amf.AmfTestSupport.decodeAll0;
import static io.sluice.engine.protocol.amf.AmfTestSupport.encode0;
import static io.sluice.engine.protocol.amf.AmfTestSupport.encodeAll0;
import static io.sluice.engine.protocol.amf.AmfTestSupport.hex;
import static io.sluice.engine.protocol.amf.AmfTestSupport.num;
import static io.sluice.engine.protocol.amf.AmfTestSupport.str;
import static io.sluice.engine.protocol.amf.AmfTestSupport.withBuffer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class Amf0Test {

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.sluice.engine.protocol.amf.AmfGoldenVectors#amf0")
    void encodesGoldenVector(String name, String hex, AmfValue value) {
        assertThat(hex(encode0(value))).isEqualTo(hex(hex(hex)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.sluice.engine.protocol.amf.AmfGoldenVectors#amf0")
    void decodesGoldenVector(String name, String hex, AmfValue value) {
        assertThat(decode0(hex)).isEqualTo(value);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.sluice.engine.protocol.amf.AmfGoldenVectors#amf0DecodeOnly")
    void decodesTolerantVector(String name, String hex, AmfValue value) {
        assertThat(decode0(hex)).isEqualTo(value);
    }

    @Test
    void decodesFfmpegConnectCommand() {
        List<AmfValue> values = decodeAll0(hex(AmfGoldenVectors.CONNECT_COMMAND_HEX));

        assertThat(values).hasSize(3);
        assertThat(values.get(0)).isEqualTo(str("connect"));
        assertThat(values.get(1)).isEqualTo(num(1.0));
        AmfObject command = (AmfObject) values.get(2);
        assertThat(command.string("app")).isEqualTo("live");
        assertThat(command.string("flashVer")).isEqualTo("FMLE/3.0 (compatible; FMSc/1.0)");
        assertThat(command.string("tcUrl")).isEqualTo("rtmp://localhost:1935/live");
        assertThat(command.string("type")).isEqualTo("nonprivate");
        assertThat(command.entries()).extracting(Map.Entry::getKey)
                .containsExactly("app", "type", "flashVer", "tcUrl");
    }

    @Test
    void encodesConnectCommandLikeFfmpeg() {
        byte[] encoded = encodeAll0(List.of(str("connect"), num(1), AmfGoldenVectors.CONNECT_OBJECT));
        assertThat(hex(encoded)).isEqualTo(hex(hex(AmfGoldenVectors.CONNECT_COMMAND_HEX)));
    }

    @Test
    void onMetaDataRoundTripsByteIdentically() {
        byte[] wire = hex(AmfGoldenVectors.SET_DATA_FRAME_HEX);
        List<AmfValue> values = decodeAll0(wire);

        assertThat(values).hasSize(3);
        AmfEcmaArray metadata = (AmfEcmaArray) values.get(2);
        assertThat(metadata.entries()).extracting(Map.Entry::getKey).containsExactly(
                "duration", "width", "height", "videodatarate", "framerate", "videocodecid", "audiodatarate",
                "audiosamplerate", "audiosamplesize", "stereo", "audiocodecid", "encoder", "filesize");
        assertThat(metadata.number("width")).isEqualTo(1280.0);
        assertThat(metadata.bool("stereo")).isTrue();
        assertThat(metadata.string("encoder")).isEqualTo("Lavf61.7.100");
        assertThat(hex(encodeAll0(values))).isEqualTo(hex(wire));
    }

    @Test
    void decodeAllOfEmptyBufferIsEmpty() {
        assertThat(decodeAll0(new byte[0])).isEmpty();
    }

    @Test
    void referencesResolveAcrossValuesOfOneMessage() {
        // Second value refers to the object that was the first value: one table per message.
        List<AmfValue> values = decodeAll0(hex("03 0001 61 05 000009  07 0000"));
        assertThat(values).containsExactly(AmfObject.of("a", AmfNull.INSTANCE), AmfObject.of("a", AmfNull.INSTANCE));
    }

    @Test
    void typedObjectsTakeAReferenceSlot() {
        AmfValue v = decode0("0a 00000002 10 0001 54 000009 07 0001");
        AmfTypedObject t = new AmfTypedObject("T", AmfObject.EMPTY);
        assertThat(v).isEqualTo(AmfStrictArray.of(t, t));
    }

    @Test
    void decodeConsumesExactlyOneValue() {
        withBuffer(hex("05 06 02 0001 61"), in -> {
            assertThat(Amf0.decode(in, AmfLimits.DEFAULT)).isEqualTo(AmfNull.INSTANCE);
            assertThat(in.readerIndex()).isEqualTo(1);
            assertThat(Amf0.decode(in, AmfLimits.DEFAULT)).isEqualTo(AmfUndefined.INSTANCE);
            assertThat(Amf0.decode(in, AmfLimits.DEFAULT)).isEqualTo(str("a"));
            return null;
        });
    }

    @Test
    void encoderSwitchesToLongStringAbove65535Bytes() {
        String fits = "x".repeat(65_535);
        byte[] shortForm = encode0(str(fits));
        assertThat(shortForm).hasSize(3 + 65_535);
        assertThat(hex(shortForm).substring(0, 6)).isEqualTo("02ffff");
        assertThat(decode0(shortForm)).isEqualTo(str(fits));

        String tooLong = "x".repeat(65_536);
        byte[] longForm = encode0(str(tooLong));
        assertThat(longForm).hasSize(5 + 65_536);
        assertThat(hex(longForm).substring(0, 10)).isEqualTo("0c00010000");
        assertThat(decode0(longForm)).isEqualTo(str(tooLong));

        // The switch is on UTF-8 bytes, not chars: 32768 two-byte chars need the long form.
        String wide = "\u00e9".repeat(32_768);
        assertThat(hex(encode0(str(wide))).substring(0, 10)).isEqualTo("0c00010000");
    }

    @Test
    void encodeRejectsKeyLongerThan65535BytesAndRestoresWriterIndex() {
        AmfObject bad = AmfObject.of("k", num(1), "x".repeat(65_536), num(2));
        ByteBuf out = Unpooled.directBuffer();
        try {
            out.writeByte(0x42);
            assertThatThrownBy(() -> Amf0.encode(out, bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("65535");
            assertThat(out.writerIndex()).isEqualTo(1);
        } finally {
            out.release();
        }
    }

    @Test
    void decodesAmf3CommandWithLeadingFormatByte() {
        // Type 17: 0x00 format byte, AMF0 "connect", 1.0, then an avmplus-object switching to AMF3.
        byte[] body = hex("00 02 0007 636f6e6e656374 00 3ff0000000000000 11 0a 0b 01 03 61 06 03 62 01");
        List<AmfValue> values = withBuffer(body, in -> Amf0.decodeAmf3Command(in, AmfLimits.DEFAULT));
        assertThat(values).containsExactly(str("connect"), num(1), AmfObject.of("a", str("b")));
    }

    @Test
    void decodesAmf3CommandWithAmf3ValuesInsideAnAmf0Object() {
        byte[] body = hex("00 02 0001 66 03 0001 61 11 04 ff7f 0001 62 11 06 03 7a 000009");
        List<AmfValue> values = withBuffer(body, in -> Amf0.decodeAmf3Command(in, AmfLimits.DEFAULT));
        assertThat(values).containsExactly(str("f"), AmfObject.of("a", num(16383), "b", str("z")));
    }

    @Test
    void amf3CommandWithoutFormatByteStillDecodes() {
        byte[] body = hex("02 0001 66 05");
        List<AmfValue> values = withBuffer(body, in -> Amf0.decodeAmf3Command(in, AmfLimits.DEFAULT));
        assertThat(values).containsExactly(str("f"), AmfNull.INSTANCE);
    }

    @Test
    void encodeAllWritesValuesBackToBack() {
        assertThat(hex(encodeAll0(List.of(str("a"), AmfNull.INSTANCE, AmfBoolean.TRUE))))
                .isEqualTo("020001610501" + "01");
    }
}
