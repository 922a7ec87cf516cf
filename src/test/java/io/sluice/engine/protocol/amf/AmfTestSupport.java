package io.sluice.engine.protocol.amf;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/** Buffers for the AMF tests: direct (so the paranoid leak detector watches them) and always released. */
final class AmfTestSupport {

    private AmfTestSupport() {
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("[\\s_]", ""));
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    static ByteBuf buffer(byte[] bytes) {
        return Unpooled.directBuffer(Math.max(1, bytes.length)).writeBytes(bytes);
    }

    static <T> T withBuffer(byte[] bytes, Function<ByteBuf, T> action) {
        ByteBuf in = buffer(bytes);
        try {
            return action.apply(in);
        } finally {
            in.release();
        }
    }

    /** Decodes one AMF0 value and checks that it used every byte. */
    static AmfValue decode0(byte[] bytes) {
        return withBuffer(bytes, in -> {
            AmfValue v = Amf0.decode(in, AmfLimits.DEFAULT);
            assertThat(in.readableBytes()).as("bytes left after the value").isZero();
            return v;
        });
    }

    static AmfValue decode0(String hex) {
        return decode0(hex(hex));
    }

    static List<AmfValue> decodeAll0(byte[] bytes) {
        return withBuffer(bytes, in -> Amf0.decodeAll(in, AmfLimits.DEFAULT));
    }

    /** Decodes one AMF3 value and checks that it used every byte. */
    static AmfValue decode3(byte[] bytes) {
        return withBuffer(bytes, in -> {
            AmfValue v = Amf3.decode(in, AmfLimits.DEFAULT);
            assertThat(in.readableBytes()).as("bytes left after the value").isZero();
            return v;
        });
    }

    static AmfValue decode3(String hex) {
        return decode3(hex(hex));
    }

    static byte[] encode0(AmfValue value) {
        ByteBuf out = Unpooled.directBuffer();
        try {
            Amf0.encode(out, value);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    static byte[] encodeAll0(List<? extends AmfValue> values) {
        ByteBuf out = Unpooled.directBuffer();
        try {
            Amf0.encodeAll(out, values);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    static AmfValue str(String s) {
        return AmfValue.of(s);
    }

    static AmfValue num(double d) {
        return AmfValue.of(d);
    }
}
