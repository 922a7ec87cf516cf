package io.sluice.engine.flv;

import io.netty.buffer.ByteBuf;
import io.sluice.engine.media.MediaPacket;
import io.sluice.engine.media.VideoResolution;
import io.sluice.engine.protocol.amf.AmfValue;
import io.sluice.engine.stream.Subscriber;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a live stream to FLV files: a {@link Subscriber} like any player.
 *
 * <p><b>Threads.</b> On the stream's event loop {@link #deliver} only filters, retains the packet and
 * queues it; everything else (files, segmenting, the index) happens on the writer {@link Executor},
 * one task at a time per recorder. The queue is bounded in bytes: when the writer falls that far
 * behind (a slow or stuck disk), the recording ends FAILED instead of holding memory or slowing
 * anyone; the stream and its players carry on.
 *
 * <p><b>Files.</b> Each file is an FLV header, an onMetaData tag sized for the final keyframe index
 * (see {@link FlvRecorderIndex}), the sequence headers, then the stream's tags, timestamps rebased so
 * the file starts at 0. A file starts on a video keyframe (on an audio frame when there is no video),
 * and a new file starts at the first keyframe past the maximum duration or size, with the metadata
 * and sequence headers again. A file is written as {@code name.part}; when it ends its onMetaData
 * is rewritten in place (duration, filesize, keyframes) and it is renamed to {@code name}. Tags are
 * written unbuffered, so the file is a valid FLV up to its last complete tag at any time, and forced to
 * disk at least every {@link Options#syncIntervalMillis()} while data comes in; {@link FlvRecorderRepair}
 * finishes a file left behind by a crash.
 *
 * <p>A recording covers one publish: it ends when the publisher leaves ({@link #onUnpublish}), when the
 * stream ends, or on {@link #stop()}.
 */
public final class FlvRecorder implements Subscriber {
    private static final Logger log = LoggerFactory.getLogger(FlvRecorder.class);

    /** Bookkeeping per queued packet, counted against the queue limit on top of its bytes. */
    private static final int PACKET_OVERHEAD = 64;
    /** Packets handled per writer task before letting other recorders' tasks run. */
    private static final int BATCH = 256;

    /** What goes into the files. */
    public enum Mode {
        /** Audio, video and data. */
        ALL(true, true),
        VIDEO(true, false),
        AUDIO(false, true),
        /** Video keyframes only (a time-lapse of the stream), as nginx-rtmp's {@code record keyframes}. */
        KEYFRAMES(true, false);

        private final boolean video;
        private final boolean audio;

        Mode(boolean video, boolean audio) {
            this.video = video;
            this.audio = audio;
        }

        public boolean video() {
            return video;
        }

        public boolean audio() {
            return audio;
        }
    }

    /**
     * @param maxSegmentMillis   start a new file at the first keyframe this long after the file's start; 0: never
     * @param maxSegmentBytes    start a new file at the first keyframe once the file is this big; 0: never
     * @param maxQueuedBytes     how far the writer may fall behind before the recording fails
     * @param syncIntervalMillis force written data to disk at least this often while data comes in
     * @param indexCapacity      keyframes the onMetaData index has room for (more are thinned); 0: no index
     */
    public record Options(Mode mode, long maxSegmentMillis, long maxSegmentBytes, long maxQueuedBytes,
                          long syncIntervalMillis, int indexCapacity) {

        /** 3600 keyframes: 65 KB reserved per file; an hour of 1-second GOPs before the index is thinned. */
        public static final int DEFAULT_INDEX_CAPACITY = 3600;

        public Options {
            Objects.requireNonNull(mode, "mode");
            if (maxSegmentMillis < 0 || maxSegmentBytes < 0 || maxQueuedBytes <= 0 || syncIntervalMillis < 0
                    || indexCapacity < 0) {
                throw new IllegalArgumentException("bad recorder options: " + mode + ", " + maxSegmentMillis + " ms, "
                        + maxSegmentBytes + " B, queue " + maxQueuedBytes + " B, sync " + syncIntervalMillis
                        + " ms, index " + indexCapacity);
            }
        }

        public static Options of(Mode mode) {
            return new Options(mode, 0, 0, 64L << 20, 1000, DEFAULT_INDEX_CAPACITY);
        }

        public Options withSegments(long maxMillis, long maxBytes) {
            return new Options(mode, maxMillis, maxBytes, maxQueuedBytes, syncIntervalMillis, indexCapacity);
        }

        public Options withMaxQueuedBytes(long bytes) {
            return new Options(mode, maxSegmentMillis, maxSegmentBytes, bytes, syncIntervalMillis, indexCapacity);
        }
    }

    /**
     * What happens to a recording. Called on the writer thread, in order, one at a time; may block
     * briefly (a database write), which delays only this recording's writes.
     */
    public interface Listener {

        /**
         * A file is about to start with the frame at the stream's timestamp {@code firstTimestamp}:
         * where should it go? The recorder writes {@code path + ".part"} and renames it when done. An
         * exception ends the recording FAILED.
         */
        Path segmentStarting(int index, long firstTimestamp) throws IOException;

        /** A file is finished (renamed from .part); {@link FlvRecorderSegment#failure()} if the recording failed in it. */
        void segmentCompleted(FlvRecorderSegment segment);

        /** The recording is over: {@code failure} is null when it ended normally, else why it failed. */
        void ended(String failure);
    }

    /** The writer's instructions besides packets: stop, or fail with a reason. */
    private record Control(String failure) {
    }

    private static final Control STOP = new Control(null);

    private final long id;
    private final Options options;
    private final FlvRecorderStorage storage;
    private final Listener listener;
    private final Executor executor;
    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CompletableFuture<String> done = new CompletableFuture<>();
    private volatile boolean terminated;

    // writer thread only
    private List<Map.Entry<String, AmfValue>> streamMetadata = List.of();
    private MediaPacket videoHeader;
    private MediaPacket audioHeader;
    private boolean videoSeen;
    private boolean audioSeen;
    private Segment segment;
    private int nextIndex;

    public FlvRecorder(long id, Options options, FlvRecorderStorage storage, Listener listener, Executor writer) {
        this.id = id;
        this.options = Objects.requireNonNull(options, "options");
        this.storage = Objects.requireNonNull(storage, "storage");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.executor = Objects.requireNonNull(writer, "writer");
    }

    @Override
    public long id() {
        return id;
    }

    public Options options() {
        return options;
    }

    /**
     * Completes when the recording is over and its last file finished, with null or the failure
     * reason (as given to {@link Listener#ended}).
     */
    public CompletableFuture<String> done() {
        return done;
    }

    /** Bytes waiting for the writer. */
    public long queuedBytes() {
        return queuedBytes.get();
    }

    /** Ends the recording: the current file is finished. Thread-safe; idempotent. */
    public void stop() {
        control(STOP);
    }

    /** Ends the recording FAILED with {@code reason}; the current file is finished. Thread-safe. */
    public void fail(String reason) {
        control(new Control(Objects.requireNonNull(reason, "reason")));
    }

    // ---- event loop -----------------------------------------------------------------------------

    @Override
    public void deliver(MediaPacket packet) {
        if (stopping.get() || !wanted(packet)) {
            return;
        }
        long cost = cost(packet);
        if (queuedBytes.addAndGet(cost) > options.maxQueuedBytes()) {
            queuedBytes.addAndGet(-cost);
            control(new Control("the recording fell behind: more than " + size(options.maxQueuedBytes())
                    + " waiting to be written (disk too slow or stuck?)"));
            return;
        }
        queue.offer(packet.retain());
        if (terminated) {
            releaseQueued(); // raced with the end of the recording
            return;
        }
        schedule();
    }

    private static String size(long bytes) {
        return bytes >= 1 << 20 ? (bytes >> 20) + " MB" : bytes >= 1 << 10 ? (bytes >> 10) + " KB" : bytes + " bytes";
    }

    private boolean wanted(MediaPacket packet) {
        return switch (packet.kind()) {
            case DATA -> true;
            case AUDIO -> options.mode().audio();
            case VIDEO -> options.mode().video()
                    && (options.mode() != Mode.KEYFRAMES || packet.keyframe() || packet.sequenceHeader());
        };
    }

    private static long cost(MediaPacket packet) {
        return packet.size() + PACKET_OVERHEAD;
    }

    /** A publisher appeared while subscribed: the publish this recording was for has ended. */
    @Override
    public void onPublish(boolean republish) {
        stop();
    }

    @Override
    public void onUnpublish() {
        stop();
    }

    @Override
    public void onStreamEnd(boolean neverPublished) {
        stop();
    }

    private void control(Control c) {
        if (stopping.compareAndSet(false, true)) {
            queue.offer(c);
            schedule();
        }
    }

    private void schedule() {
        if (!scheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(this::drain);
        } catch (RejectedExecutionException e) {
            // The writer pool is gone (shutdown): nothing can be written or finished any more. The
            // listener is not told: to it the recording looks cut by a crash, and is repaired as one.
            log.warn("recorder {}: the writer pool is shut down; the recording is left unfinished", id);
            stopping.set(true);
            terminated = true;
            releaseQueued();
            releaseHeaders();
            scheduled.set(false);
            done.complete("the recording writer was shut down");
        }
    }

    private void releaseQueued() {
        for (Object item; (item = queue.poll()) != null; ) {
            if (item instanceof MediaPacket p) {
                queuedBytes.addAndGet(-cost(p));
                p.release();
            }
        }
    }

    // ---- writer thread --------------------------------------------------------------------------

    private void drain() {
        try {
            for (int i = 0; i < BATCH; i++) {
                Object item = queue.poll();
                if (item == null) {
                    break;
                }
                handle(item);
            }
            if (!terminated && segment != null) {
                segment.syncIfDue();
            }
        } catch (IOException | RuntimeException e) {
            if (!terminated) {
                if (e instanceof IOException) {
                    log.warn("recorder {}: {}", id, describe(e));
                } else {
                    log.warn("recorder {}: {}", id, describe(e), e);
                }
                abort(describe(e));
            }
        } finally {
            scheduled.set(false);
            if (!queue.isEmpty()) {
                schedule();
            }
        }
    }

    private void handle(Object item) throws IOException {
        if (item instanceof MediaPacket p) {
            queuedBytes.addAndGet(-cost(p));
            try {
                if (!terminated) {
                    onPacket(p);
                }
            } finally {
                p.release();
            }
        } else if (item instanceof Control c && !terminated) {
            if (c.failure() == null) {
                if (segment != null) {
                    finishSegment();
                }
                end(null);
            } else {
                abort(c.failure());
            }
        }
    }

    private void onPacket(MediaPacket p) throws IOException {
        if (p.kind() == MediaPacket.Kind.DATA) {
            List<Map.Entry<String, AmfValue>> metadata = FlvRecorderIndex.parseOnMetaData(p.content());
            if (metadata != null) {
                streamMetadata = metadata; // for the next file; a file keeps the metadata it started with
            } else if (segment != null) {
                segment.write(FlvTags.TAG_SCRIPT, segment.rebase(p.timestamp()), p.content());
            }
            return;
        }
        boolean video = p.isVideo();
        int type = p.kind().tagType();
        if (video) {
            videoSeen = true;
        } else {
            audioSeen = true;
        }
        if (p.sequenceHeader()) {
            if (video) {
                videoHeader = replace(videoHeader, p);
            } else {
                audioHeader = replace(audioHeader, p);
            }
            if (segment != null) {
                segment.write(type, segment.rebase(p.timestamp()), p.content()); // a codec change mid-file
            }
            return;
        }
        boolean videoLed = options.mode().video() && videoSeen;
        boolean boundary = videoLed ? video && p.keyframe() : !video;
        long ts = Integer.toUnsignedLong(p.timestamp());
        if (segment == null) {
            if (!boundary) {
                return; // wait for a keyframe
            }
            startSegment(ts);
        } else if (boundary && segment.full(ts)) {
            finishSegment();
            startSegment(ts);
        }
        segment.write(type, segment.rebase(p.timestamp()), p.content());
    }

    private static MediaPacket replace(MediaPacket old, MediaPacket current) {
        if (old != null) {
            old.release();
        }
        return current.retain();
    }

    private void startSegment(long firstTimestamp) throws IOException {
        int index = nextIndex++;
        Path path = listener.segmentStarting(index, firstTimestamp);
        Path part = partPath(path);
        FlvRecorderStorage.Output out = storage.create(part);
        Segment s = new Segment(index, path, part, out, firstTimestamp);
        segment = s;
        boolean video = options.mode().video() && videoSeen;
        boolean audio = options.mode().audio() && audioSeen;
        s.writer.writeHeader(audio, video);
        VideoResolution resolution = video && videoHeader != null
                ? VideoResolution.fromSequenceHeader(videoHeader.content()).orElse(null) : null;
        s.base = FlvRecorderIndex.baseEntries(streamMetadata, audio, video, options.mode() == Mode.KEYFRAMES,
                resolution);
        ByteBuf placeholder = FlvRecorderIndex.encode(s.base, options.indexCapacity(), 0, 0, new long[0],
                new long[0], 0);
        try {
            s.metadataOffset = s.writer.position() + FlvTags.TAG_HEADER_SIZE;
            s.metadataSize = placeholder.readableBytes();
            s.write(FlvTags.TAG_SCRIPT, 0, placeholder);
        } finally {
            placeholder.release();
        }
        if (video && videoHeader != null) {
            s.write(FlvTags.TAG_VIDEO, 0, videoHeader.content());
        }
        if (audio && audioHeader != null) {
            s.write(FlvTags.TAG_AUDIO, 0, audioHeader.content());
        }
        log.debug("recorder {}: file {} started at stream time {} ms", id, part, firstTimestamp);
    }

    /** Finishes the current file normally; on an error the file is left as it is (valid up to its last tag). */
    private void finishSegment() throws IOException {
        Segment s = segment;
        segment = null;
        FlvRecorderSegment done;
        try {
            done = s.finish(null);
        } catch (IOException | RuntimeException e) {
            s.closeQuietly();
            throw e;
        }
        listener.segmentCompleted(done);
    }

    /** Ends FAILED: the current file is cut after its last complete tag and finished if the disk lets us. */
    private void abort(String reason) {
        Segment s = segment;
        segment = null;
        if (s != null) {
            FlvRecorderSegment salvaged = null;
            try {
                salvaged = s.finish(reason);
            } catch (IOException | RuntimeException e) {
                log.warn("recorder {}: could not finish {} after the failure: {}", id, s.part, describe(e));
                s.closeQuietly();
            }
            if (salvaged != null) {
                try {
                    listener.segmentCompleted(salvaged);
                } catch (RuntimeException e) {
                    log.warn("recorder {}: listener failed", id, e);
                }
            }
        }
        end(reason);
    }

    private void end(String failure) {
        terminated = true;
        stopping.set(true);
        releaseQueued();
        releaseHeaders();
        finish(failure);
    }

    private void finish(String failure) {
        try {
            listener.ended(failure);
        } catch (RuntimeException e) {
            log.warn("recorder {}: listener failed", id, e);
        } finally {
            done.complete(failure);
        }
    }

    private void releaseHeaders() {
        if (videoHeader != null) {
            videoHeader.release();
            videoHeader = null;
        }
        if (audioHeader != null) {
            audioHeader.release();
            audioHeader = null;
        }
    }

    static Path partPath(Path path) {
        return path.resolveSibling(path.getFileName() + ".part");
    }

    /** "write failed: No space left on device", "write failed: AccessDeniedException: /x/y.flv.part", ... */
    static String describe(Throwable e) {
        String message = e.getMessage() == null || e.getMessage().isBlank() ? null : e.getMessage();
        String detail = e.getClass() == IOException.class && message != null ? message
                : message == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + message;
        return (e instanceof IOException ? "write failed: " : "recorder error: ") + detail;
    }

    /** One file being written. */
    private final class Segment {
        final int index;
        final Path path;
        final Path part;
        final FlvRecorderStorage.Output out;
        final FlvWriter writer;
        final long firstTimestamp;
        final FlvRecorderIndex.Tracker tracker = new FlvRecorderIndex.Tracker();
        List<Map.Entry<String, AmfValue>> base = List.of();
        long metadataOffset;
        int metadataSize;
        /** End of the last tag written completely: where to cut after a failed write. */
        long lastGood;
        boolean dirty;
        long lastSync = System.nanoTime();

        Segment(int index, Path path, Path part, FlvRecorderStorage.Output out, long firstTimestamp) {
            this.index = index;
            this.path = path;
            this.part = part;
            this.out = out;
            this.writer = new FlvWriter(out);
            this.firstTimestamp = firstTimestamp;
        }

        int rebase(int streamTimestamp) {
            return (int) Math.max(0, Integer.toUnsignedLong(streamTimestamp) - firstTimestamp);
        }

        boolean full(long streamTimestamp) {
            return options.maxSegmentMillis() > 0 && streamTimestamp - firstTimestamp >= options.maxSegmentMillis()
                    || options.maxSegmentBytes() > 0 && lastGood >= options.maxSegmentBytes();
        }

        void write(int type, int timestamp, ByteBuf payload) throws IOException {
            long position = lastGood;
            writer.writeTag(type, timestamp, payload);
            lastGood = writer.position();
            dirty = true;
            tracker.add(type, timestamp, position, payload);
        }

        void syncIfDue() throws IOException {
            if (dirty && System.nanoTime() - lastSync >= TimeUnit.MILLISECONDS.toNanos(options.syncIntervalMillis())) {
                out.force();
                dirty = false;
                lastSync = System.nanoTime();
            }
        }

        /**
         * Cuts after the last complete tag if a write failed, writes the final onMetaData, renames.
         * Null if the recording failed before the file had a frame: the file is deleted.
         */
        FlvRecorderSegment finish(String failure) throws IOException {
            if (failure != null && tracker.frames() == 0) {
                closeQuietly();
                storage.delete(part);
                return null;
            }
            if (failure != null) {
                out.truncate(lastGood); // a failed write may have left part of a tag
            }
            ByteBuf body = tracker.encode(base, options.indexCapacity(), lastGood);
            try {
                if (body.readableBytes() != metadataSize) {
                    throw new IllegalStateException("onMetaData changed size: " + metadataSize + " -> "
                            + body.readableBytes());
                }
                out.writeAt(body.nioBuffer(), metadataOffset);
            } finally {
                body.release();
            }
            out.force();
            out.close();
            storage.move(part, path);
            log.debug("recorder {}: file {} finished: {} bytes, {} ms, {} keyframes", id, path, lastGood,
                    tracker.durationMillis(), tracker.keyframes());
            return tracker.summary(index, path, lastGood, firstTimestamp, true, failure);
        }

        void closeQuietly() {
            try {
                out.close();
            } catch (IOException | RuntimeException e) {
                log.debug("recorder {}: closing {}: {}", id, part, e.toString());
            }
        }
    }
}
