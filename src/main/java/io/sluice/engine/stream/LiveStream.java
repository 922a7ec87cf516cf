package io.sluice.engine.stream;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.EventExecutor;
import io.sluice.engine.media.AudioTag;
import io.sluice.engine.media.MediaPacket;
import io.sluice.engine.media.TimestampNormalizer;
import io.sluice.engine.media.VideoTag;
import io.sluice.engine.media.MetadataSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live stream: one publisher, any number of subscribers. Confined to a single executor: every
 * change of membership and every packet is handled there, so no state here is shared between
 * threads except the volatile figures behind {@link #snapshot()}.
 *
 * <p>Each packet's payload is shared by all subscribers; only a reference is taken per subscriber.
 * Packets are handed out in bursts (what the publisher wrote between two flushes, or a merge
 * window's worth): each subscriber takes a whole burst at once ({@link Subscriber#send}).
 */
public final class LiveStream {
    private static final Logger log = LoggerFactory.getLogger(LiveStream.class);
    /** What a merge window holds when it is flushed before it closes; see {@link #flush()}. */
    static final int FULL_WINDOW_BYTES = 64 * 1024;
    /**
     * The most packets a burst holds: one that reaches it goes out at once, whatever the window. It
     * bounds what subscribers keep per burst ({@code ChunkCache} keeps the chunks of this many).
     */
    public static final int MAX_BURST_PACKETS = 32;

    private final StreamKey key;
    private final EventExecutor executor;
    private final StreamRegistry registry;
    private final StreamConfig config;
    /** What each packet goes to: subscribers called on this executor, and one group per other loop. */
    private final List<Subscriber> subscribers = new ArrayList<>();
    private final Map<EventExecutor, LoopGroup> groups = new HashMap<>();
    private final Map<Subscriber, LoopGroup> grouped = new HashMap<>();
    private final Map<Subscriber, ScheduledFuture<?>> waitingForPublisher = new HashMap<>();
    private final GopCache gop;
    private final TimestampNormalizer timestamps = new TimestampNormalizer();
    private final RateMeter inRate = new RateMeter();
    private MediaPacket metadata;
    private MediaPacket videoHeader;
    private MediaPacket audioHeader;
    private Publisher publisher;
    private ScheduledFuture<?> graceTimer;
    private final long mergeWindowNanos;
    /** The send at the end of the merge window, when one is due. */
    private ScheduledFuture<?> windowTimer;
    /** Packets not yet handed to subscribers, each retained; see {@link #flushSubscribers()}. */
    private final List<MediaPacket> burst = new ArrayList<>();
    /** Bytes published since subscribers were last flushed. */
    private long unflushedBytes;
    private boolean closed;

    private volatile long publisherSessionId;
    private volatile Instant publishedAt;
    private volatile String label;
    private volatile String videoCodec;
    private volatile String audioCodec;
    private volatile int width;
    private volatile int height;
    private volatile double metadataFrameRate;
    private volatile long bytesIn;
    private volatile int subscriberCount;

    LiveStream(StreamKey key, EventExecutor executor, StreamRegistry registry, StreamConfig config) {
        this.key = key;
        this.executor = executor;
        this.registry = registry;
        this.config = config;
        this.gop = new GopCache(config.gopCacheMaxBytes(), config.gopCacheMaxPackets());
        this.mergeWindowNanos = config.mergeWindow(key.app()).toNanos();
    }

    public StreamKey key() {
        return key;
    }

    public EventExecutor executor() {
        return executor;
    }

    // ---- publisher side -------------------------------------------------------------------------

    /**
     * Makes {@code p} the publisher. Completes with false if this stream closed meanwhile (the caller
     * asks the registry again), exceptionally with {@link AlreadyPublishingException} under REJECT.
     */
    CompletableFuture<Boolean> attach(Publisher p, String streamLabel) {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        executor.execute(() -> {
            if (closed) {
                result.complete(false);
                return;
            }
            sendBurst(); // a replaced publisher's last packets, before players hear of the new one
            if (publisher != null) {
                if (config.duplicatePublish() == StreamConfig.DuplicatePublishPolicy.REJECT) {
                    result.completeExceptionally(new AlreadyPublishingException(key));
                    return;
                }
                Publisher old = publisher;
                publisher = null;
                log.info("stream {}: publisher session {} replaced by session {}", key, old.sessionId(), p.sessionId());
                old.stopPublishing("replaced by a new publisher");
            }
            boolean republish = graceTimer != null;
            if (graceTimer != null) {
                graceTimer.cancel(false);
                graceTimer = null;
            }
            publisher = p;
            publisherSessionId = p.sessionId();
            publishedAt = Instant.now();
            label = streamLabel;
            timestamps.restart();
            resetCaches();
            waitingForPublisher.values().forEach(t -> t.cancel(false));
            waitingForPublisher.clear();
            for (Subscriber s : List.copyOf(subscribers)) {
                s.onPublish(republish);
            }
            result.complete(true);
        });
        return result;
    }

    /** The publisher left; subscribers wait out the reconnect grace window. Thread-safe. */
    public void detach(Publisher p) {
        runOnExecutor(() -> {
            if (publisher != p) {
                return;
            }
            publisher = null;
            publisherSessionId = 0;
            inRate.reset();
            if (subscribers.isEmpty()) {
                close();
                return;
            }
            sendBurst();
            for (Subscriber s : List.copyOf(subscribers)) {
                s.onUnpublish();
                s.flush();
            }
            graceTimer = executor.schedule(this::graceExpired, config.reconnectGrace().toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    private void graceExpired() {
        graceTimer = null;
        if (publisher != null || closed) {
            return;
        }
        log.debug("stream {}: no republish within {}, ending {} subscriber(s)", key, config.reconnectGrace(),
                subscribers.size());
        for (Subscriber s : List.copyOf(subscribers)) {
            s.onStreamEnd(false);
        }
        clearSubscribers();
        close();
    }

    /**
     * A packet from publisher {@code from}, with the publisher's own timestamp. The caller keeps its
     * reference to {@code payload}. Thread-safe; cheapest on the stream's executor.
     */
    public void publish(Publisher from, MediaPacket.Kind kind, int timestamp, ByteBuf payload) {
        publish(from, kind, timestamp, payload, false);
    }

    /**
     * onMetaData from the publisher: {@code payload} is the AMF0 data message as players get it; it is
     * kept for late joiners.
     */
    public void publishMetadata(Publisher from, int timestamp, ByteBuf payload, MetadataSummary summary) {
        width = summary.width();
        height = summary.height();
        metadataFrameRate = summary.frameRate();
        publish(from, MediaPacket.Kind.DATA, timestamp, payload, true);
    }

    private void publish(Publisher from, MediaPacket.Kind kind, int timestamp, ByteBuf payload, boolean isMetadata) {
        if (executor.inEventLoop()) {
            onPacket(from, kind, timestamp, payload, isMetadata);
        } else {
            payload.retain();
            executor.execute(() -> {
                try {
                    onPacket(from, kind, timestamp, payload, isMetadata);
                } finally {
                    payload.release();
                }
            });
        }
    }

    /**
     * The end of a burst from the publisher: subscribers are sent what was published, at once or,
     * with a merge window, when the window that the first unsent burst opened closes. Thread-safe.
     *
     * <p>A window that already holds {@link #FULL_WINDOW_BYTES} goes out at once: merging saves the
     * cost of a write per message, which a write that large has already paid off, so waiting out the
     * window would only add latency (to a keyframe, mostly). The window still closes when it was due,
     * so what follows a keyframe waits for the rest of that window, not for a new one.
     */
    public void flush() {
        runOnExecutor(() -> {
            if (mergeWindowNanos == 0 || unflushedBytes >= FULL_WINDOW_BYTES) {
                flushSubscribers();
            } else if (windowTimer == null) {
                windowTimer = executor.schedule(() -> {
                    windowTimer = null;
                    flushSubscribers();
                }, mergeWindowNanos, TimeUnit.NANOSECONDS);
            }
        });
    }

    /** Hands the burst to every subscriber, each of which writes it out (and whatever else it queued). */
    private void flushSubscribers() {
        unflushedBytes = 0;
        List<MediaPacket> sent = List.copyOf(burst); // a group's loop reads it later
        burst.clear();
        try {
            for (int i = 0; i < subscribers.size(); i++) {
                Subscriber s = subscribers.get(i);
                try {
                    s.send(sent);
                } catch (RuntimeException e) {
                    dropFaulty(s, e);
                }
            }
        } finally {
            sent.forEach(MediaPacket::release);
        }
    }

    /** Sends what the publisher wrote so far, if anything: before news that must come after it. */
    private void sendBurst() {
        if (!burst.isEmpty()) {
            if (windowTimer != null) { // the window is sent now: nothing is left for its end
                windowTimer.cancel(false);
                windowTimer = null;
            }
            flushSubscribers();
        }
    }

    /**
     * A subscriber that throws is removed and told the stream ended; the others never notice. A group
     * throws when its loop no longer takes tasks: its members are gone with it.
     */
    private void dropFaulty(Subscriber s, RuntimeException e) {
        log.warn("stream {}: dropping subscriber {} after an error", key, s.id(), e);
        executor.execute(() -> {
            if (s instanceof LoopGroup group) {
                grouped.values().removeIf(g -> g == group);
                groups.remove(group.loop());
                subscribers.remove(group);
                updateCount();
            } else if (subscribers.remove(s)) {
                updateCount();
                try {
                    s.onStreamEnd(false);
                } catch (RuntimeException ignored) {
                    // it is gone either way
                }
            }
        });
    }

    private void onPacket(Publisher from, MediaPacket.Kind kind, int timestamp, ByteBuf payload, boolean isMetadata) {
        if (from != publisher || closed) {
            return; // a replaced publisher's last packets
        }
        // onMetaData goes out at time 0: ffmpeg's FLV reader takes script data at any other time for a
        // subtitle stream
        int normalized = isMetadata ? 0 : timestamps.normalize(kind, timestamp);
        MediaPacket packet = classify(kind, normalized, payload.retain());
        burst.add(packet); // the burst's reference
        bytesIn += packet.size();
        unflushedBytes += packet.size();
        inRate.record(System.currentTimeMillis(), packet.size(), packet.isVideo() && !packet.sequenceHeader());
        if (isMetadata) {
            metadata = replace(metadata, packet);
        } else if (packet.sequenceHeader()) {
            if (packet.isVideo()) {
                videoHeader = replace(videoHeader, packet);
            } else {
                audioHeader = replace(audioHeader, packet);
            }
        }
        gop.add(packet);
        if (burst.size() >= MAX_BURST_PACKETS) {
            flushSubscribers();
        }
    }

    private MediaPacket classify(MediaPacket.Kind kind, int timestamp, ByteBuf payload) {
        if (kind == MediaPacket.Kind.VIDEO) {
            VideoTag tag = VideoTag.parse(payload);
            if (tag.sequenceHeader()) {
                videoCodec = tag.codec().displayName();
            }
            return new MediaPacket(kind, timestamp, payload, tag.keyframe(), tag.sequenceHeader());
        }
        if (kind == MediaPacket.Kind.AUDIO) {
            AudioTag tag = AudioTag.parse(payload);
            if (audioCodec == null || tag.sequenceHeader()) {
                audioCodec = tag.codec().displayName();
            }
            return new MediaPacket(kind, timestamp, payload, false, tag.sequenceHeader());
        }
        return new MediaPacket(kind, timestamp, payload, false, false);
    }

    private static MediaPacket replace(MediaPacket old, MediaPacket current) {
        if (old != null) {
            old.release();
        }
        return current.retain();
    }

    // ---- subscriber side ------------------------------------------------------------------------

    /**
     * Adds a subscriber. A late joiner gets metadata, the sequence headers and the cached GOP at once;
     * before the first publish it waits up to {@link StreamConfig#playWait()}. Completes with false if
     * the stream closed meanwhile (ask the registry again).
     */
    CompletableFuture<Boolean> subscribe(Subscriber s) {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        executor.execute(() -> {
            if (closed) {
                result.complete(false);
                return;
            }
            sendBurst(); // the joiner gets those packets with the cached GOP, not again with the burst
            LoopGroup group = addSubscriber(s);
            result.complete(true);
            if (publisher != null) {
                List<MediaPacket> cached = cachedPackets();
                if (group != null) {
                    group.join(s, cached);
                } else {
                    deliverAll(s, cached);
                    s.flush();
                }
                return;
            }
            if (group != null) {
                group.join(s, List.of());
            }
            if (graceTimer == null) {
                waitingForPublisher.put(s, executor.schedule(() -> {
                    waitingForPublisher.remove(s);
                    if (removeSubscriber(s, true)) {
                        closeIfUnused();
                    }
                }, config.playWait().toMillis(), TimeUnit.MILLISECONDS));
            }
        });
        return result;
    }

    /** Adds {@code s} to the fan-out; returns its group when it is called on a loop of its own. */
    private LoopGroup addSubscriber(Subscriber s) {
        EventExecutor home = s.executor();
        LoopGroup group = null;
        if (home == null || home == executor) {
            subscribers.add(s);
        } else {
            group = groups.computeIfAbsent(home, loop -> new LoopGroup(loop, this::unsubscribe));
            if (group.size++ == 0) {
                subscribers.add(group);
            }
            grouped.put(s, group);
        }
        updateCount();
        return group;
    }

    /**
     * Takes {@code s} out of the fan-out; {@code end} non-null tells it its stream ended (on its own
     * loop). False if it was not subscribed.
     */
    private boolean removeSubscriber(Subscriber s, Boolean end) {
        LoopGroup group = grouped.remove(s);
        if (group != null) {
            group.leave(s, end);
            if (--group.size == 0) {
                subscribers.remove(group);
                groups.remove(group.loop());
            }
        } else if (subscribers.remove(s)) {
            if (end != null) {
                s.onStreamEnd(end);
            }
        } else {
            return false;
        }
        updateCount();
        return true;
    }

    private void clearSubscribers() {
        subscribers.clear();
        groups.clear();
        grouped.clear();
        updateCount();
    }

    private void updateCount() {
        subscriberCount = subscribers.size() - groups.size() + grouped.size();
    }

    /**
     * What a late joiner gets first, each packet retained for it: metadata, then the sequence headers
     * stamped with the GOP's start (so a player's timeline does not jump), then the cached GOP.
     */
    private List<MediaPacket> cachedPackets() {
        List<MediaPacket> cached = new ArrayList<>(gop.size() + 3);
        int start = gop.firstTimestamp(timestamps.lastTimestamp());
        if (metadata != null) {
            cached.add(metadata.retain());
        }
        for (MediaPacket header : new MediaPacket[]{videoHeader, audioHeader}) {
            if (header != null) {
                cached.add(new MediaPacket(header.kind(), start, header.content().retainedDuplicate(), false, true));
            }
        }
        gop.forEach(p -> cached.add(p.retain()));
        return cached;
    }

    private static void deliverAll(Subscriber s, List<MediaPacket> packets) {
        try {
            packets.forEach(s::deliver);
        } finally {
            packets.forEach(MediaPacket::release);
        }
    }

    /**
     * Removes a subscriber. Thread-safe; always deferred to a task of its own, so a subscriber may
     * unsubscribe itself from inside a delivery.
     */
    public void unsubscribe(Subscriber s) {
        executor.execute(() -> {
            ScheduledFuture<?> wait = waitingForPublisher.remove(s);
            if (wait != null) {
                wait.cancel(false);
            }
            if (removeSubscriber(s, null)) {
                closeIfUnused();
            }
        });
    }

    private void closeIfUnused() {
        if (publisher == null && subscribers.isEmpty()) {
            if (graceTimer != null) {
                graceTimer.cancel(false);
                graceTimer = null;
            }
            close();
        }
    }

    /** Ends the stream for everyone: the publisher is stopped and subscribers are ended. Thread-safe. */
    public void terminate(String reason) {
        runOnExecutor(() -> {
            sendBurst();
            if (publisher != null) {
                Publisher p = publisher;
                publisher = null;
                p.stopPublishing(reason);
            }
            for (Subscriber s : List.copyOf(subscribers)) {
                s.onStreamEnd(false);
            }
            clearSubscribers();
            close();
        });
    }

    private void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (graceTimer != null) {
            graceTimer.cancel(false);
            graceTimer = null;
        }
        if (windowTimer != null) {
            windowTimer.cancel(false);
            windowTimer = null;
        }
        waitingForPublisher.values().forEach(t -> t.cancel(false));
        waitingForPublisher.clear();
        burst.forEach(MediaPacket::release);
        burst.clear();
        resetCaches();
        registry.remove(this);
    }

    private void resetCaches() {
        gop.reset();
        for (MediaPacket p : new MediaPacket[]{metadata, videoHeader, audioHeader}) {
            if (p != null) {
                p.release();
            }
        }
        metadata = null;
        videoHeader = null;
        audioHeader = null;
        videoCodec = null;
        audioCodec = null;
    }

    private void runOnExecutor(Runnable task) {
        if (executor.inEventLoop()) {
            task.run();
        } else {
            executor.execute(task);
        }
    }

    public StreamSnapshot snapshot() {
        long sessionId = publisherSessionId;
        double fps = inRate.framesPerSecond();
        return new StreamSnapshot(key.app(), key.name(), sessionId != 0, sessionId, label, publishedAt,
                videoCodec, audioCodec, width, height, fps > 0 ? fps : metadataFrameRate, bytesIn,
                inRate.bitsPerSecond(), subscriberCount);
    }
}
