package io.sluice.engine.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.sluice.engine.media.MediaPacket;
import io.sluice.engine.protocol.chunk.ChunkEncoder;
import io.sluice.engine.protocol.message.SetChunkSize;
import io.sluice.engine.stream.LiveStream;
import io.sluice.engine.stream.Publisher;
import io.sluice.engine.stream.StreamConfig;
import io.sluice.engine.stream.StreamKey;
import io.sluice.engine.stream.StreamRegistry;
import io.sluice.engine.stream.Subscriber;
import java.util.ArrayList;
import java.util.List;
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
 * The fan-out path without sockets: video frames published into a live stream and written to
 * {@code players} RTMP players (the real {@link RtmpPlayer} and {@link ChunkEncoder} on embedded
 * channels, whose "socket" only releases what it is given). One operation is {@code framesPerFlush}
 * frames to every player, then a flush; divide by {@code players * framesPerFlush} for the cost, and
 * with {@code -prof gc} the allocation, per player-message.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class FanOutBenchmark {
    private static final int FRAME = 2_500_000 / 8 / 30;
    private static final int OUT_CHUNK_SIZE = 60_000;

    @Param({"100", "1000"})
    int players;

    /** 1: per-message mode, a flush per frame; 4: a 50 ms merge window of a 30 fps stream with audio. */
    @Param({"1", "4"})
    int framesPerFlush;

    private EmbeddedChannel publisherChannel;
    private final List<EmbeddedChannel> playerChannels = new ArrayList<>();
    private LiveStream stream;
    private ByteBuf frame;
    private int timestamp;

    private final Publisher publisher = new Publisher() {
        @Override
        public long sessionId() {
            return 1;
        }

        @Override
        public void stopPublishing(String reason) {
        }
    };

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        StreamRegistry registry = new StreamRegistry(StreamConfig.DEFAULT);
        StreamKey key = new StreamKey("live", "bench");
        publisherChannel = new EmbeddedChannel();
        var attached = registry.publish(key, publisherChannel.eventLoop(), publisher, "bench");
        publisherChannel.runPendingTasks();
        stream = attached.get(1, TimeUnit.SECONDS);
        for (int i = 0; i < players; i++) {
            TrafficCounter traffic = new TrafficCounter();
            EmbeddedChannel ch = new EmbeddedChannel(traffic, new ChunkEncoder());
            ch.writeOutbound(new SetChunkSize(OUT_CHUNK_SIZE));
            drain(ch);
            RtmpPlayer player = new RtmpPlayer(i + 2, ch, traffic, 1, key, 10_000, OUT_CHUNK_SIZE, 16L << 20,
                    new Refusals(io.sluice.engine.spi.StreamEventListener.NONE));
            registry.subscribe(key, publisherChannel.eventLoop(), onStreamLoop(player));
            playerChannels.add(ch);
        }
        publisherChannel.runPendingTasks();
        frame = PooledByteBufAllocator.DEFAULT.directBuffer(FRAME).writeZero(FRAME);
        frame.setByte(0, 0x17).setByte(1, 1); // an AVC keyframe (NALU), so the GOP cache restarts on each
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        stream.terminate("benchmark over");
        publisherChannel.runPendingTasks();
        frame.release();
        playerChannels.forEach(EmbeddedChannel::finishAndReleaseAll);
        publisherChannel.finishAndReleaseAll();
    }

    @Benchmark
    public int frameToEveryPlayer() {
        for (int i = 0; i < framesPerFlush; i++) {
            timestamp += 33;
            stream.publish(publisher, MediaPacket.Kind.VIDEO, timestamp, frame);
        }
        stream.flush();
        int written = 0;
        for (int i = 0; i < playerChannels.size(); i++) {
            written += drain(playerChannels.get(i));
        }
        return written;
    }

    /**
     * The player called on the stream's loop: every embedded channel has a loop of its own, where real
     * players share a few; this measures the per-player work, which the per-loop hand-over adds to
     * only once per packet and loop.
     */
    private static Subscriber onStreamLoop(RtmpPlayer player) {
        return new Subscriber() {
            @Override
            public long id() {
                return player.id();
            }

            @Override
            public void deliver(MediaPacket packet) {
                player.deliver(packet);
            }

            @Override
            public void flush() {
                player.flush();
            }

            @Override
            public void onStreamEnd(boolean neverPublished) {
                player.onStreamEnd(neverPublished);
            }
        };
    }

    private static int drain(EmbeddedChannel ch) {
        int n = 0;
        Object o;
        while ((o = ch.readOutbound()) != null) {
            ReferenceCountUtil.release(o);
            n++;
        }
        return n;
    }
}
