package io.sluice.engine.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.engine.flv.FlvFormatException;
import io.sluice.engine.flv.FlvReader;
import io.sluice.engine.flv.FlvTag;
import io.sluice.engine.flv.FlvTags;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * Plays an FLV file tag by tag at real-time pace (as {@code ffmpeg -re} does), once or looped: each
 * tag goes to the sink when the wall clock reaches its timestamp. The first pass keeps the file's
 * timestamps; later passes continue the timeline: each starts one frame interval after the last tag of
 * the previous one. Runs on the caller's thread ({@link #run} blocks); {@link #stop()} from any thread.
 */
public final class FlvPacer {

    /** Where the tags go. Called on the pacing thread. */
    public interface Sink {
        /** One tag; {@code payload} is only lent (retain it to keep it). */
        void tag(int type, int timestamp, ByteBuf payload) throws IOException;

        /** Before the pacer waits: write out what was sent. */
        void flush() throws IOException;
    }

    private static final int DEFAULT_GAP_MS = 40;
    private static final long MAX_WAIT_NANOS = 100_000_000L; // wake up regularly to notice stop()

    private final Path file;
    private final boolean loop;
    private final boolean realTime;
    private volatile boolean stopped;
    private volatile Thread runner;

    private volatile long tags;
    private volatile long bytes;
    private volatile int loops;
    private volatile long mediaMillis;
    private long base;

    /** @param realTime false sends as fast as the sink takes it (tests, copying) */
    public FlvPacer(Path file, boolean loop, boolean realTime) {
        this.file = Objects.requireNonNull(file, "file");
        this.loop = loop;
        this.realTime = realTime;
    }

    /**
     * Sends the file (forever when looping, until {@link #stop()}); returns when done or stopped.
     *
     * @throws FlvFormatException on a damaged file, or one without any tag
     */
    public void run(Sink sink) throws IOException, InterruptedException {
        runner = Thread.currentThread();
        long startNanos = System.nanoTime();
        long offset = -1; // first pass: the file's own timestamps
        try {
            while (!stopped) {
                LoopResult result = playOnce(sink, startNanos, offset);
                if (stopped) {
                    break;
                }
                if (result.tags == 0) {
                    throw new FlvFormatException(file + " has no tags");
                }
                loops++;
                if (!loop) {
                    break;
                }
                offset = result.lastTimestamp + result.gap;
            }
            sink.flush();
        } finally {
            runner = null;
        }
    }

    private record LoopResult(long tags, long lastTimestamp, long gap) {
    }

    private LoopResult playOnce(Sink sink, long startNanos, long offset) throws IOException, InterruptedException {
        long count = 0;
        long first = -1;
        long last = Math.max(0, offset);
        long[] lastByType = {-1, -1, -1};
        long[] gapByType = {0, 0, 0};
        try (FlvReader reader = FlvReader.open(file, ByteBufAllocator.DEFAULT, FlvReader.DEFAULT_MAX_TAG_SIZE)) {
            FlvTag tag;
            while (!stopped && (tag = reader.next()) != null) {
                try {
                    long in = Integer.toUnsignedLong(tag.timestamp());
                    if (first < 0) {
                        first = in;
                        if (offset < 0) {
                            offset = in;
                            base = in;
                        }
                    }
                    long out = offset + Math.max(0, in - first);
                    int t = typeIndex(tag.type());
                    if (lastByType[t] >= 0 && in > lastByType[t]) {
                        gapByType[t] = in - lastByType[t];
                    }
                    lastByType[t] = in;
                    if (realTime) {
                        awaitDue(sink, startNanos + (out - base) * 1_000_000L);
                    }
                    if (stopped) {
                        break;
                    }
                    sink.tag(tag.type(), (int) out, tag.payload());
                    count++;
                    tags++;
                    bytes += tag.payload().readableBytes();
                    mediaMillis = out;
                    last = Math.max(last, out);
                } finally {
                    tag.release();
                }
            }
        }
        long gap = gapByType[1] > 0 ? gapByType[1] : gapByType[0] > 0 ? gapByType[0] : DEFAULT_GAP_MS;
        return new LoopResult(count, last, Math.min(Math.max(gap, 1), 1000));
    }

    private static int typeIndex(int type) {
        return type == FlvTags.TAG_VIDEO ? 1 : type == FlvTags.TAG_AUDIO ? 0 : 2;
    }

    private void awaitDue(Sink sink, long dueNanos) throws IOException, InterruptedException {
        if (dueNanos - System.nanoTime() <= 0) {
            return;
        }
        sink.flush();
        long left;
        while (!stopped && (left = dueNanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(this, Math.min(left, MAX_WAIT_NANOS));
            if (Thread.interrupted()) {
                throw new InterruptedException("FLV pacing interrupted");
            }
        }
    }

    /** Makes {@link #run} return soon. */
    public void stop() {
        stopped = true;
        Thread t = runner;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    public boolean stopped() {
        return stopped;
    }

    /** Tags sent so far. */
    public long tags() {
        return tags;
    }

    /** Payload bytes sent so far. */
    public long bytes() {
        return bytes;
    }

    /** Completed passes through the file. */
    public int loops() {
        return loops;
    }

    /** The (continuous) timestamp of the last tag sent, in ms. */
    public long mediaMillis() {
        return mediaMillis;
    }
}
