package io.sluice.engine.flv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class FlvWriterTest {

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void header() throws Exception {
        TestChannels.Sink sink = new TestChannels.Sink(Integer.MAX_VALUE);
        try (FlvWriter writer = new FlvWriter(sink)) {
            writer.writeHeader(true, true);
            assertThat(writer.position()).isEqualTo(13);
        }
        assertThat(sink.bytes()).isEqualTo(hex("464c5601 05 00000009 00000000"));
        assertThat(sink.open).isFalse();

        TestChannels.Sink videoOnly = new TestChannels.Sink(Integer.MAX_VALUE);
        new FlvWriter(videoOnly).writeHeader(false, true);
        assertThat(videoOnly.bytes()[4]).isEqualTo((byte) 0x01);
        TestChannels.Sink audioOnly = new TestChannels.Sink(Integer.MAX_VALUE);
        new FlvWriter(audioOnly).writeHeader(true, false);
        assertThat(audioOnly.bytes()[4]).isEqualTo((byte) 0x04);
    }

    @Test
    void tagLayoutWithExtendedTimestampInOneGatheringWrite() throws Exception {
        TestChannels.Sink sink = new TestChannels.Sink(Integer.MAX_VALUE);
        FlvWriter writer = new FlvWriter(sink, 13);
        ByteBuf payload = Unpooled.wrappedBuffer(hex("99 AA BB"));
        try {
            payload.readerIndex(1); // only the readable bytes are written
            writer.writeTag(FlvTags.TAG_VIDEO, 0x01020304, payload);
            assertThat(payload.readerIndex()).isEqualTo(1);
            assertThat(payload.refCnt()).isEqualTo(1);
        } finally {
            payload.release();
        }
        assertThat(sink.bytes()).isEqualTo(hex("09 000002 020304 01 000000 AABB 0000000D"));
        assertThat(sink.calls).isEqualTo(1);
        assertThat(writer.position()).isEqualTo(13 + 17);
    }

    @Test
    void compositeAndDirectPayloadsThroughShortWrites() throws Exception {
        TestChannels.Sink sink = new TestChannels.Sink(3);
        FlvWriter writer = new FlvWriter(sink);
        CompositeByteBuf composite = Unpooled.compositeBuffer();
        composite.addComponent(true, Unpooled.wrappedBuffer(hex("0102")));
        composite.addComponent(true, Unpooled.directBuffer(4).writeBytes(hex("03040506")));
        try {
            writer.writeTag(FlvTags.TAG_AUDIO, 0xFFFFFFFF, composite);
            writer.writeTag(FlvTags.TAG_SCRIPT, 5, Unpooled.EMPTY_BUFFER);
            assertThat(composite.readableBytes()).isEqualTo(6);
        } finally {
            composite.release();
        }
        assertThat(sink.bytes()).isEqualTo(hex(
                "08 000006 ffffff ff 000000 010203040506 00000011"
                        + "12 000000 000005 00 000000 0000000B"));
        assertThat(writer.position()).isEqualTo(36);
    }

    @Test
    void nonGatheringChannel() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FlvWriter writer = new FlvWriter(Channels.newChannel(out));
        ByteBuf payload = Unpooled.wrappedBuffer(hex("AF01"));
        try {
            writer.writeHeader(true, false);
            writer.writeTag(new FlvTag(FlvTags.TAG_AUDIO, 23, payload));
            assertThat(payload.refCnt()).isEqualTo(1);
        } finally {
            payload.release();
        }
        assertThat(out.toByteArray()).isEqualTo(hex("464c5601 04 00000009 00000000 08 000002 000017 00 000000 AF01 0000000D"));
    }

    @Test
    void rejectsWhatFlvCannotHold() {
        FlvWriter writer = new FlvWriter(new TestChannels.Sink(Integer.MAX_VALUE));
        ByteBuf small = Unpooled.wrappedBuffer(new byte[1]);
        ByteBuf huge = Unpooled.wrappedBuffer(new byte[FlvTags.MAX_DATA_SIZE + 1]);
        try {
            assertThatThrownBy(() -> writer.writeTag(20, 0, small)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> writer.writeTag(FlvTags.TAG_VIDEO, 0, huge))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(writer.position()).isZero();
        } finally {
            small.release();
            huge.release();
        }
    }
}
