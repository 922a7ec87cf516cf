package io.sluice.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.sluice.engine.client.RtmpClient;
import io.sluice.engine.protocol.amf.AmfEcmaArray;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes the synthetic stream in real time on the engine's {@link RtmpClient}: metadata and both
 * sequence headers, then video frames at the shape's rate (each stamped with the wall clock when it is
 * written) interleaved with AAC frames. Runs on the client's event loop, rescheduling itself for the
 * next due frame. Counts what it sent so a recording can be checked against it.
 */
public final class Publisher implements AutoCloseable {
    private final StreamShape shape;
    private final String url;
    private final AtomicLong videoSent = new AtomicLong();
    private final AtomicLong audioSent = new AtomicLong();
    private volatile RtmpClient client;
    private volatile ScheduledFuture<?> tick;
    private volatile boolean stopped;
    private int streamId;
    private long startNanos;
    private long videoFrame;
    private long audioFrame;

    public Publisher(StreamShape shape, String url) {
        this.shape = shape;
        this.url = url;
    }

    /** Connects, publishes, and starts pacing; completes once the server said Publish.Start. */
    public CompletableFuture<Publisher> start() {
        return RtmpClient.connect(url, RtmpClient.Options.DEFAULT.withChunkSize(60_000)
                        .withWriteBuffer(8 * 1024 * 1024, 16 * 1024 * 1024))
                .thenCompose(c -> {
                    client = c;
                    return c.publish();
                })
                .thenApply(id -> {
                    streamId = id;
                    client.executor().execute(this::begin);
                    return this;
                });
    }

    private void begin() {
        AmfEcmaArray metadata = AmfEcmaArray.builder().put("width", 1280.0).put("height", 720.0)
                .put("framerate", (double) shape.fps()).put("videocodecid", 7.0).put("audiocodecid", 10.0)
                .put("videodatarate", shape.videoBitsPerSecond() / 1000.0)
                .put("audiodatarate", shape.audioBitsPerSecond() / 1000.0).put("encoder", "sluice-load").build();
        client.sendMetadata(streamId, metadata);
        client.send(StreamShape.VIDEO, streamId, 0, Unpooled.wrappedBuffer(StreamShape.avcSequenceHeader()));
        client.send(StreamShape.AUDIO, streamId, 0, Unpooled.wrappedBuffer(StreamShape.aacSequenceHeader()));
        client.flush();
        startNanos = System.nanoTime();
        sendDue();
    }

    /** Sends every frame that is due, in timestamp order, then sleeps until the next one. */
    private void sendDue() {
        if (stopped) {
            return;
        }
        long elapsed = System.nanoTime() - startNanos;
        while (true) {
            long videoDue = shape.videoDueNanos(videoFrame);
            long audioDue = shape.audioDueNanos(audioFrame);
            long due = Math.min(videoDue, audioDue);
            if (due > elapsed) {
                client.flush();
                tick = client.executor().schedule(this::sendDue, due - elapsed, TimeUnit.NANOSECONDS);
                return;
            }
            if (videoDue <= audioDue) {
                sendVideo();
            } else {
                sendAudio();
            }
        }
    }

    private void sendVideo() {
        int size = shape.videoFrameSize(videoFrame);
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.heapBuffer(size);
        ByteBuffer body = ByteBuffer.wrap(buf.array(), buf.arrayOffset(), size);
        shape.writeVideo(body, videoFrame);
        buf.writerIndex(size);
        client.send(StreamShape.VIDEO, streamId, shape.videoTimestamp(videoFrame), buf);
        videoFrame++;
        videoSent.incrementAndGet();
    }

    private void sendAudio() {
        int size = shape.audioFrameSize();
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.heapBuffer(size);
        shape.writeAudio(ByteBuffer.wrap(buf.array(), buf.arrayOffset(), size));
        buf.writerIndex(size);
        client.send(StreamShape.AUDIO, streamId, shape.audioTimestamp(audioFrame), buf);
        audioFrame++;
        audioSent.incrementAndGet();
    }

    /** Video frames sent after the sequence header. */
    public long videoSent() {
        return videoSent.get();
    }

    /** Audio frames sent after the sequence header. */
    public long audioSent() {
        return audioSent.get();
    }

    public String url() {
        return url;
    }

    /** Stops pacing, ends the publish politely (so a recording is closed), and closes. */
    @Override
    public void close() {
        stopped = true;
        RtmpClient c = client;
        if (c == null) {
            return;
        }
        try {
            c.executor().submit(() -> {
                ScheduledFuture<?> t = tick;
                if (t != null) {
                    t.cancel(false);
                }
            }).get(5, TimeUnit.SECONDS);
            c.unpublish(streamId, c.url().stream()).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("publisher " + url + ": unpublish failed: " + e);
        }
        c.close();
    }
}
