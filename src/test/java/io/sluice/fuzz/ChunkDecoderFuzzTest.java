package io.sluice.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.sluice.engine.protocol.amf.AmfLimits;
import io.sluice.engine.protocol.chunk.ChunkDecoder;
import io.sluice.engine.protocol.chunk.ChunkLimits;
import io.sluice.engine.protocol.message.MediaMessage;
import io.sluice.testing.TrackingAllocator;

/**
 * The chunk decoder (RTMP 1.0 section 5.3) on arbitrary bytes after the handshake, split into
 * fuzzer-chosen reads: real-client captures are the seeds, so Set Chunk Size, Window Acknowledgement
 * Size, Abort and aggregates all occur. What must hold: only an {@code RtmpProtocolException} of the
 * decoder's own escapes; no message exceeds the limits and no buffer larger than they allow is
 * allocated; every buffer, input and output, is released. {@link ChunkInterleavingFuzzTest} checks
 * that well-formed chunk streams come out right.
 *
 * <p>Input: the client's bytes after C2; integers from the end choose the splits.
 */
class ChunkDecoderFuzzTest {

    static final ChunkLimits LIMITS = new ChunkLimits(64 * 1024, 64 * 1024, 8);
    static final AmfLimits AMF_LIMITS = new AmfLimits(8, 256, 4096);

    @FuzzTest(maxDuration = "15s")
    void chunkStream(FuzzedDataProvider data) {
        int[] splits = Splits.choose(data);
        byte[] stream = data.consumeRemainingAsBytes();
        // the cumulation grows to the next power of two above what is buffered
        TrackingAllocator alloc = new TrackingAllocator(Math.max(LIMITS.maxMessageSize(), 2L * stream.length + 64));
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast(new ChunkDecoder(LIMITS, AMF_LIMITS));
        try {
            for (int[] piece : Splits.pieces(splits, stream.length)) {
                FuzzAssertions.writeInbound(channel, alloc.copyOf(stream, piece[0], piece[1]));
                Object message;
                while ((message = channel.readInbound()) != null) {
                    try {
                        if (message instanceof MediaMessage media) {
                            assertThat(media.content().readableBytes()).isLessThanOrEqualTo(LIMITS.maxMessageSize());
                        }
                    } finally {
                        ReferenceCountUtil.release(message);
                    }
                }
            }
        } finally {
            channel.finishAndReleaseAll();
        }
        alloc.assertAllReleased();
    }
}
