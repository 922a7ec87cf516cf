package io.sluice.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sluice.engine.protocol.handshake.HandshakeCompleted;
import io.sluice.engine.protocol.handshake.HandshakeException;
import io.sluice.engine.protocol.handshake.ServerHandshakeHandler;
import io.sluice.testing.TrackingAllocator;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;

/**
 * The server side of the RTMP handshake (RTMP 1.0 section 5.2) on arbitrary bytes, split into
 * fuzzer-chosen reads. What must hold: a first byte other than 3 is a {@link HandshakeException} and
 * nothing else escapes; C0+C1 get exactly one S0+S1+S2 (S2 echoing C1 in a plain handshake); after C2
 * the handshake completes once, the handler leaves the pipeline and every byte after C2 reaches the
 * next handler unchanged; every buffer is released.
 *
 * <p>Input: the bytes a client sends; the fuzzer's integers (taken from the end) choose the splits.
 */
class HandshakeFuzzTest {

    private static final int C0_C1 = 1 + 1536;
    private static final int C0_C1_C2 = C0_C1 + 1536;

    @FuzzTest(maxDuration = "15s")
    void serverHandshake(FuzzedDataProvider data) {
        int[] splits = Splits.choose(data);
        byte[] stream = data.consumeRemainingAsBytes();
        // S0+S1+S2, or the cumulation, which grows to the next power of two above what is buffered
        TrackingAllocator alloc = new TrackingAllocator(Math.max(2 * C0_C1, 2L * stream.length + 64));
        Recorder recorder = new Recorder();
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast(new ServerHandshakeHandler(Duration.ofSeconds(5)), recorder);
        boolean failed = false;
        try {
            for (int[] piece : Splits.pieces(splits, stream.length)) {
                if (!FuzzAssertions.writeInbound(channel, alloc.copyOf(stream, piece[0], piece[1]))) {
                    failed = true;
                }
            }
            assertThat(failed).as("a handshake error, for a first byte other than 3")
                    .isEqualTo(stream.length > 0 && stream[0] != 3);

            ByteBuf response = channel.readOutbound();
            if (!failed && stream.length >= C0_C1) {
                assertThat(response).as("S0+S1+S2").isNotNull();
                byte[] s = new byte[response.readableBytes()];
                response.readBytes(s);
                response.release();
                assertThat(s.length).isEqualTo(1 + 2 * 1536);
                assertThat(s[0]).isEqualTo((byte) 3);
                boolean plain = s[5] == 0 && s[6] == 0 && s[7] == 0 && s[8] == 0;
                if (plain) {
                    assertThat(Arrays.copyOfRange(s, C0_C1, s.length)).as("S2 echoes C1")
                            .isEqualTo(Arrays.copyOfRange(stream, 1, C0_C1));
                }
                assertThat((Object) channel.readOutbound()).as("one response only").isNull();
            } else {
                if (response != null) {
                    response.release();
                }
                assertThat(response).as("no response before C0+C1").isNull();
            }

            boolean complete = !failed && stream.length >= C0_C1_C2;
            assertThat(recorder.completions).isEqualTo(complete ? 1 : 0);
            assertThat(channel.pipeline().get(ServerHandshakeHandler.class) == null).isEqualTo(complete);
            byte[] after = complete ? Arrays.copyOfRange(stream, C0_C1_C2, stream.length) : new byte[0];
            assertThat(recorder.bytes.toByteArray()).as("bytes after C2, passed on").isEqualTo(after);
        } finally {
            channel.finishAndReleaseAll();
        }
        alloc.assertAllReleased();
    }

    /** Records the completion events and the bytes passed on after the handshake, and releases them. */
    private static final class Recorder extends ChannelInboundHandlerAdapter {
        int completions;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                byte[] b = new byte[buf.readableBytes()];
                buf.readBytes(b);
                bytes.writeBytes(b);
            } finally {
                buf.release();
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof HandshakeCompleted) {
                completions++;
            }
        }
    }
}
