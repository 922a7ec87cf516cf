package io.sluice.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import io.sluice.engine.protocol.RtmpProtocolException;
import io.sluice.engine.protocol.command.Command;
import io.sluice.engine.protocol.message.CommandMessage;
import io.sluice.engine.protocol.message.MessageCodec;
import io.sluice.engine.protocol.message.MessageType;
import io.sluice.engine.protocol.message.RtmpMessage;
import io.sluice.testing.TrackingAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * The message decoder (RTMP 1.0 sections 5.4, 6.2, 7.1) and the command parser (7.2) on an arbitrary
 * payload of a fuzzer-chosen message type, aggregates included. What must hold: only an
 * {@link RtmpProtocolException} escapes the decoder; {@link Command#parse} types every command message
 * without throwing; the decoded messages hold no reference to the payload once released.
 *
 * <p>Input: the payload; the last byte picks the message type from {@link #TYPES}.
 */
class CommandFuzzTest {

    static final int[] TYPES = {MessageType.COMMAND_AMF0, MessageType.COMMAND_AMF3, MessageType.DATA_AMF0,
            MessageType.DATA_AMF3, MessageType.AGGREGATE, MessageType.USER_CONTROL, MessageType.SET_CHUNK_SIZE,
            MessageType.ABORT, MessageType.ACKNOWLEDGEMENT, MessageType.WINDOW_ACK_SIZE,
            MessageType.SET_PEER_BANDWIDTH, MessageType.AUDIO, MessageType.VIDEO, MessageType.SHARED_OBJECT_AMF0};

    @FuzzTest(maxDuration = "15s")
    void commandMessage(FuzzedDataProvider data) {
        int type = data.pickValue(TYPES);
        byte[] bytes = data.consumeRemainingAsBytes();
        TrackingAllocator alloc = new TrackingAllocator(ChunkDecoderFuzzTest.LIMITS.maxMessageSize());
        ByteBuf payload = alloc.copyOf(bytes, 0, bytes.length);
        List<RtmpMessage> messages = new ArrayList<>();
        try {
            MessageCodec.decode(type, 1, 0, payload, ChunkDecoderFuzzTest.AMF_LIMITS, messages::add);
            for (RtmpMessage m : messages) {
                if (m instanceof CommandMessage command) {
                    // compared as bits: a peer may send NaN as transaction id, and responses echo it
                    assertThat(Double.doubleToRawLongBits(Command.parse(command).transactionId()))
                            .isEqualTo(Double.doubleToRawLongBits(command.transactionId()));
                }
            }
        } catch (RuntimeException e) {
            FuzzAssertions.assertOnly(RtmpProtocolException.class, e);
        } finally {
            messages.forEach(ReferenceCountUtil::release);
            payload.release();
        }
        alloc.assertAllReleased();
    }
}
