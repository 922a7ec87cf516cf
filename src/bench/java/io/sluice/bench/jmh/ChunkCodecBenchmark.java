package io.sluice.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sluice.engine.protocol.amf.AmfLimits;
import io.sluice.engine.protocol.chunk.ChunkDecoder;
import io.sluice.engine.protocol.chunk.ChunkEncoder;
import io.sluice.engine.protocol.chunk.ChunkLimits;
import io.sluice.engine.protocol.chunk.SharedChunks;
import io.sluice.engine.protocol.message.MediaMessage;
import io.sluice.engine.protocol.message.MessageType;
import io.sluice.engine.protocol.message.SetChunkSize;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The chunk codec on one 2.5 Mbit/s video frame (10.4 KB): decoding it from the wire, and writing it
 * to one player either chunked per connection (the encoder's general path) or as {@link SharedChunks}
 * made once per packet (the fan-out path). One operation is one message; {@code -prof gc} gives the
 * bytes allocated per message.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class ChunkCodecBenchmark {

    /** 4096: what OBS and ffmpeg send with; 60000: what Sluice sends to players. */
    @Param({"4096", "60000"})
    int chunkSize;

    private static final int FRAME = 2_500_000 / 8 / 30;
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private ByteBuf payload;
    private ByteBuf wire;
    private EmbeddedChannel decoder;
    private EmbeddedChannel encoder;
    private SharedChunks shared;
    private int timestamp;

    @Setup(Level.Trial)
    public void setUp() {
        payload = alloc.directBuffer(FRAME).writeZero(FRAME).setByte(0, 0x27).setByte(1, 1);
        EmbeddedChannel chunker = new EmbeddedChannel(new ChunkEncoder());
        chunker.writeOutbound(new SetChunkSize(chunkSize));
        releaseOutbound(chunker);
        // a frame as a peer sends it: the first with a type 0 header, the next (measured) with a type 2
        // delta of 33 ms, as ffmpeg does
        ByteBuf first = encode(chunker, 0);
        wire = encode(chunker, 33);
        chunker.finishAndReleaseAll();
        decoder = new EmbeddedChannel(new ChunkDecoder(ChunkLimits.DEFAULT, AmfLimits.DEFAULT));
        decoder.writeInbound(alloc.buffer().writeBytes(new byte[]{2, 0, 0, 0, 0, 0, 4, 1, 0, 0, 0, 0})
                .writeInt(chunkSize));
        decoder.writeInbound(first);
        releaseInbound(decoder);
        encoder = new EmbeddedChannel(new ChunkEncoder());
        encoder.writeOutbound(new SetChunkSize(chunkSize));
        releaseOutbound(encoder);
        shared = SharedChunks.encode(MessageType.VIDEO, 1, 0, payload, chunkSize, alloc);
    }

    private ByteBuf encode(EmbeddedChannel chunker, int ts) {
        chunker.writeOutbound(new MediaMessage(MessageType.VIDEO, 1, ts, payload.retainedDuplicate()));
        ByteBuf bytes = alloc.directBuffer();
        ByteBuf out;
        while ((out = chunker.readOutbound()) != null) {
            bytes.writeBytes(out);
            out.release();
        }
        return bytes;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        shared.release();
        payload.release();
        wire.release();
        decoder.finishAndReleaseAll();
        encoder.finishAndReleaseAll();
    }

    @Benchmark
    public int decodeFrame() {
        decoder.writeInbound(wire.retainedDuplicate());
        releaseOutbound(decoder); // acknowledgements
        return releaseInbound(decoder);
    }

    @Benchmark
    public int encodePerConnection() {
        timestamp += 33;
        encoder.writeOutbound(new MediaMessage(MessageType.VIDEO, 1, timestamp, payload.retainedDuplicate()));
        return releaseOutbound(encoder);
    }

    @Benchmark
    public int writeSharedChunks() {
        encoder.writeOutbound(shared.bytes());
        return releaseOutbound(encoder);
    }

    /** Chunking once per packet: the cost a stream pays per packet (not per player) for sharing. */
    @Benchmark
    public int chunkOnce() {
        SharedChunks chunks = SharedChunks.encode(MessageType.VIDEO, 1, 0, payload, chunkSize, alloc);
        int size = chunks.content().readableBytes();
        chunks.release();
        return size;
    }

    static int releaseOutbound(EmbeddedChannel ch) {
        int n = 0;
        Object o;
        while ((o = ch.readOutbound()) != null) {
            io.netty.util.ReferenceCountUtil.release(o);
            n++;
        }
        return n;
    }

    static int releaseInbound(EmbeddedChannel ch) {
        int n = 0;
        Object o;
        while ((o = ch.readInbound()) != null) {
            io.netty.util.ReferenceCountUtil.release(o);
            n++;
        }
        return n;
    }
}
