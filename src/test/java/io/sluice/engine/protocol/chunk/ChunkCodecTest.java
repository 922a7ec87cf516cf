package io.sluice.engine.protocol.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.sluice.engine.protocol.RtmpProtocolException;
import io.sluice.engine.protocol.amf.AmfLimits;
import io.sluice.engine.protocol.message.Acknowledgement;
import io.sluice.engine.protocol.message.CommandMessage;
import io.sluice.engine.protocol.message.MediaMessage;
import io.sluice.engine.protocol.message.MessageType;
import io.sluice.engine.protocol.message.RtmpMessage;
import io.sluice.engine.protocol.message.SetChunkSize;
import io.sluice.engine.protocol.message.UserControl;
import io.sluice.engine.protocol.message.WindowAckSize;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Chunk stream (RTMP 1.0 section 5.3) golden vectors, decoded whole and one byte at a time. */
class ChunkCodecTest {

    private static EmbeddedChannel decoder() {
        return new EmbeddedChannel(new ChunkDecoder(ChunkLimits.DEFAULT, AmfLimits.DEFAULT));
    }

    private static EmbeddedChannel decoder(ChunkLimits limits) {
        return new EmbeddedChannel(new ChunkDecoder(limits, AmfLimits.DEFAULT));
    }

    private static List<RtmpMessage> decode(String hex, boolean byteAtATime) {
        EmbeddedChannel ch = decoder();
        byte[] bytes = ByteBufUtil.decodeHexDump(hex.replace(" ", ""));
        if (byteAtATime) {
            for (byte b : bytes) {
                ch.writeInbound(Unpooled.wrappedBuffer(new byte[]{b}));
            }
        } else {
            ch.writeInbound(Unpooled.wrappedBuffer(bytes));
        }
        List<RtmpMessage> out = new ArrayList<>();
        RtmpMessage m;
        while ((m = ch.readInbound()) != null) {
            out.add(m);
        }
        ch.finishAndReleaseAll();
        return out;
    }

    /** What a test remembers of a decoded message, so buffers can be released at once. */
    record Seen(int type, int streamId, int timestamp, String payloadHex) {
        static Seen of(RtmpMessage m) {
            String hex = m instanceof MediaMessage mm ? ByteBufUtil.hexDump(mm.content()) : m.toString();
            if (m instanceof MediaMessage mm) {
                mm.release();
            }
            return new Seen(m.typeId(), m.streamId(), m.timestamp(), hex);
        }
    }

    static Stream<Arguments> vectors() {
        return Stream.of(
                // fmt 0, csid 6, ts 1000, length 3, video, stream 1 (little endian)
                Arguments.of("fmt0 one-byte basic header",
                        "06 0003e8 000003 09 01000000 aabbcc",
                        List.of(new Seen(9, 1, 1000, "aabbcc"))),
                // fmt 0 then fmt 1 (delta 33, new length) then fmt 2 (delta 33) then fmt 3 (same delta, new message)
                Arguments.of("fmt0, fmt1, fmt2, fmt3 compression",
                        "06 000000 000001 09 01000000 11"
                                + " 46 000021 000002 09 2222"
                                + " 86 000021 3333"
                                + " c6 4444",
                        List.of(new Seen(9, 1, 0, "11"), new Seen(9, 1, 33, "2222"), new Seen(9, 1, 66, "3333"),
                                new Seen(9, 1, 99, "4444"))),
                // two-byte basic header: csid 64 + 0x10 = 80
                Arguments.of("two-byte basic header",
                        "00 10 000005 000001 08 01000000 af",
                        List.of(new Seen(8, 1, 5, "af"))),
                // three-byte basic header: csid 64 + 0x0102 little endian (0x02, 0x01) = 322; 65599 is the maximum
                Arguments.of("three-byte basic header",
                        "01 02 01 000005 000001 08 01000000 af"
                                + " 01 ff ff 000006 000001 08 01000000 b0",
                        List.of(new Seen(8, 1, 5, "af"), new Seen(8, 1, 6, "b0"))),
                // extended timestamp on fmt 0: 0x01000000
                Arguments.of("extended timestamp",
                        "06 ffffff 000002 09 01000000 01000000 abcd",
                        List.of(new Seen(9, 1, 0x01000000, "abcd"))),
                // a 200-byte message in 128-byte chunks with the extended timestamp repeated on the type 3 chunk
                Arguments.of("extended timestamp repeated on continuation",
                        "06 ffffff 0000c8 09 01000000 01000000 " + "11".repeat(128)
                                + " c6 01000000 " + "22".repeat(72),
                        List.of(new Seen(9, 1, 0x01000000, "11".repeat(128) + "22".repeat(72)))),
                // ... and not repeated (some clients)
                Arguments.of("extended timestamp not repeated on continuation",
                        "06 ffffff 0000c8 09 01000000 01000000 " + "11".repeat(128)
                                + " c6 " + "22".repeat(72),
                        List.of(new Seen(9, 1, 0x01000000, "11".repeat(128) + "22".repeat(72)))),
                // audio and video interleaved chunk by chunk
                Arguments.of("interleaved chunk streams",
                        "06 000010 0000c8 09 01000000 " + "aa".repeat(128)
                                + " 04 000011 000002 08 01000000 0102"
                                + " c6 " + "bb".repeat(72),
                        List.of(new Seen(8, 1, 17, "0102"), new Seen(9, 1, 16, "aa".repeat(128) + "bb".repeat(72)))),
                // aggregate message: two FLV tags, their timestamps offset from the aggregate's (100)
                Arguments.of("aggregate split into tags",
                        "05 000064 000021 16 01000000"
                                + " 08 000002 000000 00 000000 af01 0000000d"
                                + " 09 000001 000014 00 000000 17 0000000c",
                        List.of(new Seen(8, 1, 100, "af01"), new Seen(9, 1, 120, "17"))),
                // set chunk size applies to the next chunk
                Arguments.of("set chunk size",
                        "02 000000 000004 01 00000000 00000100 "
                                + "06 000000 000100 09 01000000 " + "cc".repeat(256),
                        List.of(new Seen(9, 1, 0, "cc".repeat(256)))),
                // abort drops the partial message
                Arguments.of("abort",
                        "06 000000 0000c8 09 01000000 " + "aa".repeat(128)
                                + " 02 000000 000004 02 00000000 00000006"
                                + " 06 000005 000001 09 01000000 dd",
                        List.of(new Seen(9, 1, 5, "dd"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void decodesWhole(String name, String hex, List<Seen> expected) {
        assertThat(decode(hex, false).stream().map(Seen::of).toList()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void decodesOneByteAtATime(String name, String hex, List<Seen> expected) {
        assertThat(decode(hex, true).stream().map(Seen::of).toList()).isEqualTo(expected);
    }

    @Test
    void protocolControlMessagesReachTheSessionDecoded() {
        List<RtmpMessage> out = decode("02 000000 00000a 04 00000000 0003 00000001 000005dc"
                + " 02 000000 000004 03 00000000 00001000", false);
        assertThat(out).containsExactly(UserControl.setBufferLength(1, 1500), new Acknowledgement(4096));
    }

    @Test
    void acknowledgesWhenThePeersWindowIsReached() {
        EmbeddedChannel ch = decoder();
        // window of 100 bytes; the handshake's 3073 bytes count towards the sequence number
        ch.writeInbound(Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("02000000000004050000000000000064")));
        assertThat((Object) ch.readOutbound()).isNull();
        ch.writeInbound(Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(
                "06000000000064090100000" + "0" + "ee".repeat(100))));
        assertThat((Object) ch.readOutbound()).isEqualTo(new Acknowledgement(3073 + 16 + 12 + 100));
        ch.finishAndReleaseAll();
    }

    @Test
    void encoderCompressesHeadersAndSharesPayloads() {
        EmbeddedChannel ch = new EmbeddedChannel(new ChunkEncoder());
        ByteBuf payload = Unpooled.wrappedBuffer(new byte[]{1, 2, 3});
        ch.writeOutbound(new MediaMessage(MessageType.VIDEO, 1, 0, payload.retainedDuplicate()));
        ch.writeOutbound(new MediaMessage(MessageType.VIDEO, 1, 33, payload.retainedDuplicate()));
        ch.writeOutbound(new MediaMessage(MessageType.VIDEO, 1, 66, Unpooled.wrappedBuffer(new byte[]{9})));
        ch.writeOutbound(new MediaMessage(MessageType.VIDEO, 1, 10, Unpooled.wrappedBuffer(new byte[]{8})));
        assertThat(drain(ch)).isEqualTo(hexString(
                "06 000000 000003 09 01000000 010203" // fmt 0
                        + " 86 000021 010203"              // fmt 2: same length and type
                        + " 46 000021 000001 09 09"        // fmt 1: new length
                        + " 06 00000a 000001 09 01000000 08")); // fmt 0: time went backwards
        assertThat(payload.refCnt()).isEqualTo(1);
        payload.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void encoderSplitsWithExtendedTimestampsAndChangesChunkSizeAfterAnnouncingIt() {
        EmbeddedChannel ch = new EmbeddedChannel(new ChunkEncoder());
        ch.writeOutbound(new MediaMessage(MessageType.AUDIO, 1, 0x01000000, Unpooled.wrappedBuffer(new byte[200])));
        ch.writeOutbound(new SetChunkSize(4096));
        ch.writeOutbound(new MediaMessage(MessageType.AUDIO, 1, 0x01000001, Unpooled.wrappedBuffer(new byte[200])));
        assertThat(drain(ch)).isEqualTo(hexString(
                "04 ffffff 0000c8 08 01000000 01000000 " + "00".repeat(128) + " c4 01000000 " + "00".repeat(72)
                        + " 02 000000 000004 01 00000000 00001000"
                        + " 84 000001 " + "00".repeat(200)));
        ch.finishAndReleaseAll();
    }

    @Test
    void sharedChunksAreTypeZeroWithContinuationsOnStreamsTheEncoderNeverUses() {
        EmbeddedChannel ch = new EmbeddedChannel(new ChunkEncoder());
        ch.writeOutbound(new SetChunkSize(128));
        drain(ch);
        ByteBuf payload = Unpooled.wrappedBuffer(new byte[200]);
        SharedChunks shared = SharedChunks.encode(MessageType.VIDEO, 1, 0x01000000, payload, 128,
                io.netty.buffer.ByteBufAllocator.DEFAULT);
        ch.writeOutbound(shared.bytes());
        ch.writeOutbound(new MediaMessage(MessageType.VIDEO, 1, 0x01000021, Unpooled.wrappedBuffer(new byte[200])));
        ch.writeOutbound(shared.bytes());
        shared.release();
        // shared: chunk stream 9, type 0 then type 3 repeating the extended timestamp; the encoder's own
        // video message starts its chunk stream 6 with a type 0 header of its own
        String once = "09 ffffff 0000c8 09 01000000 01000000 " + "00".repeat(128) + " c9 01000000 " + "00".repeat(72);
        String own = " 06 ffffff 0000c8 09 01000000 01000021 " + "00".repeat(128) + " c6 01000021 " + "00".repeat(72);
        String wire = drain(ch);
        assertThat(wire).isEqualTo(hexString(once + own + " " + once));
        assertThat(payload.refCnt()).as("the payload is the caller's").isEqualTo(1);
        payload.release();
        ch.finishAndReleaseAll();
        assertThat(decode(wire, true).stream().map(Seen::of).map(Seen::timestamp).toList())
                .containsExactly(0x01000000, 0x01000021, 0x01000000);
    }

    @Test
    void sharedChunksDecodeBack() {
        ByteBuf payload = Unpooled.wrappedBuffer(new byte[]{1, 2, 3});
        SharedChunks shared = SharedChunks.encode(MessageType.AUDIO, 1, 40, payload, 60_000,
                io.netty.buffer.ByteBufAllocator.DEFAULT);
        payload.release();
        assertThat(decode(ByteBufUtil.hexDump(shared.content()), true).stream().map(Seen::of).toList())
                .containsExactly(new Seen(8, 1, 40, "010203"));
        shared.release();
    }

    @Test
    void encodedMessagesDecodeBackThroughEveryBasicHeaderSize() {
        for (int csid : new int[]{2, 63, 64, 319, 320, 65599}) {
            ByteBuf buf = Unpooled.buffer();
            ChunkHeaders.writeBasicHeader(buf, 0, csid);
            buf.writeMedium(7).writeMedium(1).writeByte(MessageType.AUDIO).writeIntLE(1).writeByte(0x42);
            List<RtmpMessage> out = decode(ByteBufUtil.hexDump(buf), true);
            buf.release();
            assertThat(out.stream().map(Seen::of).toList()).as("csid %d", csid)
                    .containsExactly(new Seen(8, 1, 7, "42"));
        }
    }

    @Test
    void commandsRoundTrip() {
        EmbeddedChannel enc = new EmbeddedChannel(new ChunkEncoder());
        CommandMessage sent = io.sluice.engine.protocol.command.Responses.connectSuccess(1, 0);
        enc.writeOutbound(sent, new WindowAckSize(2_500_000));
        String bytes = drain(enc);
        enc.finishAndReleaseAll();
        assertThat(decode(bytes, true)).containsExactly(sent);
    }

    @Test
    void rejectsAMessageOverTheSizeLimitAndDiscardsWhatFollows() {
        EmbeddedChannel ch = decoder(new ChunkLimits(1000, 0xFFFFFF, 8));
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(
                "06000000" + "0003e9" + "09" + "01000000"))))
                .isInstanceOf(DecoderException.class).hasCauseInstanceOf(RtmpProtocolException.class)
                .hasMessageContaining("1001 bytes exceeds the limit of 1000");
        ch.writeInbound(Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("0600000000000109010000004242")));
        assertThat((Object) ch.readInbound()).isNull();
        ch.finishAndReleaseAll();
    }

    @Test
    void rejectsTooManyChunkStreams() {
        EmbeddedChannel ch = decoder(new ChunkLimits(1000, 0xFFFFFF, 3));
        StringBuilder hex = new StringBuilder();
        for (int csid = 3; csid < 7; csid++) {
            hex.append(String.format("%02x", csid)).append("000000 000001 08 01000000 af");
        }
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(hex(hex.toString()))))
                .hasRootCauseMessage("more than 3 chunk streams");
        ch.finishAndReleaseAll();
    }

    @Test
    void rejectsATypeThreeHeaderOnANewChunkStreamAndABadChunkSize() {
        EmbeddedChannel ch = decoder();
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(hex("c7 00"))))
                .hasRootCauseMessage("chunk stream 7 starts with a type 3 header");
        ch.finishAndReleaseAll();
        EmbeddedChannel ch2 = decoder();
        assertThatThrownBy(() -> ch2.writeInbound(Unpooled.wrappedBuffer(hex("02 000000 000004 01 00000000 00000000"))))
                .hasRootCauseMessage("peer chunk size 0 outside 1..16777215");
        ch2.finishAndReleaseAll();
    }

    /** Found by the command fuzz target: nested aggregates recursed once per 11-byte level, to a StackOverflowError. */
    @Test
    void rejectsAnAggregateInsideAnAggregate() {
        EmbeddedChannel ch = decoder();
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(hex("05 000064 000017 16 01000000"
                + " 16 00000c 000000 00 000000 08 000001 000000 00 000000 af"))))
                .hasRootCauseMessage("aggregate message inside an aggregate message");
        ch.finishAndReleaseAll();
    }

    private static byte[] hex(String s) {
        return ByteBufUtil.decodeHexDump(s.replace(" ", ""));
    }

    private static String hexString(String spaced) {
        return spaced.replace(" ", "");
    }

    private static String drain(EmbeddedChannel ch) {
        StringBuilder sb = new StringBuilder();
        Object o;
        while ((o = ch.readOutbound()) != null) {
            ByteBuf b = (ByteBuf) o;
            sb.append(ByteBufUtil.hexDump(b));
            b.release();
        }
        return sb.toString();
    }
}
