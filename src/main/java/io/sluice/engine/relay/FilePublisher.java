package io.sluice.engine.relay;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.EventExecutor;
import io.sluice.engine.client.DataFrames;
import io.sluice.engine.client.Reconnector;
import io.sluice.engine.flv.FlvTags;
import io.sluice.engine.media.MediaPacket;
import io.sluice.engine.media.MetadataSummary;
import io.sluice.engine.protocol.amf.Amf0;
import io.sluice.engine.protocol.amf.AmfEcmaArray;
import io.sluice.engine.protocol.amf.AmfLimits;
import io.sluice.engine.protocol.amf.AmfObject;
import io.sluice.engine.protocol.amf.AmfValue;
import io.sluice.engine.stream.LiveStream;
import io.sluice.engine.stream.Publisher;
import io.sluice.engine.stream.StreamKey;
import io.sluice.engine.stream.StreamRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes an FLV file into the local {@link StreamRegistry} as a live stream, at real-time pace, once
 * or looped ({@link FlvPacer}). Players, recordings and the API see a live stream like any other. The
 * pacing runs on a thread of its own (the file is read with blocking I/O); the stream gets each tag
 * through {@link LiveStream#publish}, which never blocks.
 */
public final class FilePublisher implements Publisher {
    private static final Logger log = LoggerFactory.getLogger(FilePublisher.class);

    public enum State { STARTING, PUBLISHING, FINISHED, STOPPED, FAILED }

    /** What a file publish is doing. */
    public record Status(StreamKey key, Path file, boolean loop, State state, Instant startedAt, long mediaMillis,
                         int loops, long bytes, String error) {
    }

    private final long id = RelayState.nextId();
    private final StreamRegistry registry;
    private final StreamKey key;
    private final Path file;
    private final boolean loop;
    private final String label;
    private final FlvPacer pacer;
    private final CompletableFuture<Status> done = new CompletableFuture<>();
    private volatile LiveStream live;
    private volatile State state = State.STARTING;
    private volatile Instant startedAt;
    private volatile String error;

    public FilePublisher(StreamRegistry registry, StreamKey key, Path file, boolean loop, String label) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.key = Objects.requireNonNull(key, "key");
        this.file = Objects.requireNonNull(file, "file");
        this.loop = loop;
        this.label = label;
        this.pacer = new FlvPacer(file, loop, true);
    }

    /**
     * Becomes the stream's publisher (fails with {@code AlreadyPublishingException} if it is live and
     * duplicates are rejected), then plays the file on a new thread. Completes once publishing.
     * {@code loop} is the executor of the stream if it has to be created (e.g. {@code
     * RtmpClient.nextExecutor()}).
     */
    public CompletableFuture<Void> start(EventExecutor loop) {
        return registry.publish(key, loop, this, label).thenAccept(stream -> {
            live = stream;
            startedAt = Instant.now();
            state = State.PUBLISHING;
            Thread t = new Thread(this::run, "file-publish " + key);
            t.setDaemon(true);
            t.start();
        }).whenComplete((ok, e) -> {
            if (e != null) {
                error = RelayState.describe(Reconnector.unwrap(e));
                state = State.FAILED;
                done.complete(status());
            }
        });
    }

    private void run() {
        LiveStream stream = live;
        try {
            pacer.run(new FlvPacer.Sink() {
                @Override
                public void tag(int type, int timestamp, ByteBuf payload) {
                    publish(stream, type, timestamp, payload);
                }

                @Override
                public void flush() {
                    stream.flush();
                }
            });
            state = pacer.stopped() ? State.STOPPED : State.FINISHED;
            log.info("file publish of {} as {} {}", file.getFileName(), key, state == State.FINISHED ? "finished" : "stopped");
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            error = RelayState.describe(e);
            state = State.FAILED;
            log.warn("file publish of {} as {} failed: {}", file, key, error);
        } finally {
            stream.detach(this);
            done.complete(status());
        }
    }

    private void publish(LiveStream stream, int type, int timestamp, ByteBuf payload) {
        switch (type) {
            case FlvTags.TAG_AUDIO -> stream.publish(this, MediaPacket.Kind.AUDIO, timestamp, payload);
            case FlvTags.TAG_VIDEO -> stream.publish(this, MediaPacket.Kind.VIDEO, timestamp, payload);
            default -> {
                if (DataFrames.isMetadata(payload)) {
                    stream.publishMetadata(this, timestamp, payload, summary(payload));
                } else {
                    stream.publish(this, MediaPacket.Kind.DATA, timestamp, payload);
                }
            }
        }
    }

    static MetadataSummary summary(ByteBuf payload) {
        try {
            List<AmfValue> values = Amf0.decodeAll(payload.duplicate(), AmfLimits.DEFAULT);
            AmfValue properties = values.size() > 1 ? values.get(1) : null;
            Map<String, AmfValue> map = properties instanceof AmfEcmaArray e ? e.asMap()
                    : properties instanceof AmfObject o ? o.asMap() : Map.of();
            return MetadataSummary.of(map);
        } catch (RuntimeException e) {
            return new MetadataSummary(0, 0, 0);
        }
    }

    /** Stops the publish; the stream's players wait out its reconnect grace. */
    public void stop() {
        pacer.stop();
    }

    @Override
    public long sessionId() {
        return id;
    }

    /** The stream ends this publish (kicked, or replaced by another publisher). */
    @Override
    public void stopPublishing(String reason) {
        log.info("file publish of {} as {} ended: {}", file.getFileName(), key, reason);
        pacer.stop();
    }

    /** Completes with the final status when the file ended, was stopped or failed. */
    public CompletableFuture<Status> done() {
        return done;
    }

    public Status status() {
        return new Status(key, file, loop, state, startedAt, pacer.mediaMillis(), pacer.loops(), pacer.bytes(), error);
    }
}
