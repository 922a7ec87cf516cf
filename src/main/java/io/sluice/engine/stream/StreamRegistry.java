package io.sluice.engine.stream;

import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * All live streams by app and name. A stream is created by its first publisher or player, on that
 * connection's event loop, and removes itself when it has neither.
 */
public final class StreamRegistry {
    private final ConcurrentHashMap<StreamKey, LiveStream> streams = new ConcurrentHashMap<>();
    private final StreamConfig config;

    public StreamRegistry(StreamConfig config) {
        this.config = config;
    }

    public StreamConfig config() {
        return config;
    }

    /** Makes {@code publisher} the publisher of {@code key}; see {@link LiveStream#attach}. */
    public CompletableFuture<LiveStream> publish(StreamKey key, EventExecutor loop, Publisher publisher, String label) {
        LiveStream stream = streams.computeIfAbsent(key, k -> new LiveStream(k, loop, this, config));
        return stream.attach(publisher, label)
                .thenCompose(ok -> ok ? CompletableFuture.completedFuture(stream) : publish(key, loop, publisher, label));
    }

    /** Adds {@code subscriber} to {@code key}, creating the stream to wait for its publisher. */
    public CompletableFuture<LiveStream> subscribe(StreamKey key, EventExecutor loop, Subscriber subscriber) {
        LiveStream stream = streams.computeIfAbsent(key, k -> new LiveStream(k, loop, this, config));
        return stream.subscribe(subscriber)
                .thenCompose(ok -> ok ? CompletableFuture.completedFuture(stream) : subscribe(key, loop, subscriber));
    }

    public Optional<LiveStream> find(StreamKey key) {
        return Optional.ofNullable(streams.get(key));
    }

    public List<StreamSnapshot> snapshots() {
        List<StreamSnapshot> result = new ArrayList<>();
        for (LiveStream s : streams.values()) {
            result.add(s.snapshot());
        }
        return result;
    }

    /** Ends every stream (server shutdown): publishers stopped, subscribers (HTTP viewers too) ended. */
    public void terminateAll(String reason) {
        streams.values().forEach(s -> s.terminate(reason));
    }

    void remove(LiveStream stream) {
        streams.remove(stream.key(), stream);
    }
}
