package io.sluice.engine.relay;

import io.netty.util.concurrent.EventExecutor;
import io.sluice.engine.client.ClientAttempt;
import io.sluice.engine.client.DataFrames;
import io.sluice.engine.client.ReconnectPolicy;
import io.sluice.engine.client.Reconnector;
import io.sluice.engine.client.RtmpClient;
import io.sluice.engine.client.RtmpUrl;
import io.sluice.engine.media.MediaPacket;
import io.sluice.engine.stream.LiveStream;
import io.sluice.engine.stream.SlowSubscriberPolicy;
import io.sluice.engine.stream.StreamKey;
import io.sluice.engine.stream.StreamRegistry;
import io.sluice.engine.stream.Subscriber;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes a live stream to another RTMP server (restreaming): a {@link Subscriber} of the local stream
 * that publishes every packet through an {@link RtmpClient}, reconnecting with backoff when the target
 * refuses or drops the connection.
 *
 * <p>A target never slows the source: packets are handed to the connection without waiting, and when
 * its write buffer is full the target drops media until the next keyframe like a slow player
 * ({@link SlowSubscriberPolicy}); a target that stays full for longer than {@code maxLag} is
 * disconnected and reconnected. After each (re)connection the target first gets the stream's metadata
 * and sequence headers, then media from the next keyframe.
 *
 * <p>{@link #deliver} and the other subscriber methods run on the stream's executor; the connection's
 * callbacks on the client's event loop; {@link #start}, {@link #stop} and {@link #status} on any thread.
 */
public final class PushRelay implements Subscriber {
    private static final Logger log = LoggerFactory.getLogger(PushRelay.class);

    private final long id = RelayState.nextId();
    private final String url;
    private final String streamName;
    private final RtmpClient.Options options;
    private final long maxLagMillis;
    private final RelayState state;
    private final Reconnector reconnector;

    private volatile LiveStream live;
    private volatile boolean stopped;
    private volatile long lastDeliveredTs;
    private volatile long lastWrittenTs;
    private volatile SlowSubscriberPolicy policy;
    private volatile long droppedBefore;
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    // confined to the stream's executor
    private RtmpClient client;
    private int streamId;
    private boolean dirty;
    private MediaPacket metadata;
    private MediaPacket videoHeader;
    private MediaPacket audioHeader;

    /**
     * @param url     the target, {@code rtmp[s]://host[:port]/app/streamKey}
     * @param maxLag  how long the target may stay unable to take more before it is reconnected
     */
    public PushRelay(String url, RtmpClient.Options options, ReconnectPolicy reconnect, Duration maxLag) {
        this.url = url;
        this.streamName = RtmpUrl.parse(url).stream();
        this.options = Objects.requireNonNull(options, "options");
        this.maxLagMillis = maxLag.toMillis();
        this.policy = new SlowSubscriberPolicy(maxLagMillis);
        this.state = new RelayState(url);
        this.reconnector = new Reconnector(reconnect, RtmpClient.nextExecutor(), this::connect, state);
    }

    /**
     * Subscribes to {@code source} and starts pushing. {@code loop} is used only if the stream does not
     * exist (it then waits for its publisher like a player).
     */
    public CompletableFuture<Void> start(StreamRegistry registry, StreamKey source, EventExecutor loop) {
        return registry.subscribe(source, loop, this).handle((stream, error) -> {
            if (error != null) {
                state.stoppedBecause("could not subscribe to " + source + ": " + RelayState.describe(error));
                done.complete(null);
                return null;
            }
            live = stream;
            if (stopped) {
                stream.unsubscribe(this);
                return null;
            }
            log.info("pushing {} to {}", source, RelayState.mask(url));
            reconnector.start();
            return null;
        });
    }

    /** Stops pushing: unpublishes at the target, closes the connection and leaves the stream. */
    public void stop() {
        stop(null);
    }

    private void stop(String why) {
        if (stopped) {
            return;
        }
        stopped = true;
        reconnector.stop();
        if (why != null) {
            state.stoppedBecause(why);
        } else {
            state.stopped();
        }
        LiveStream stream = live;
        if (stream != null) {
            stream.unsubscribe(this);
            stream.executor().execute(this::releaseCaches);
        }
        done.complete(null);
    }

    /** Completes once the push stopped (asked to, or because the source ended). */
    public CompletableFuture<Void> done() {
        return done;
    }

    public RelayStatus status() {
        return state.snapshot(Math.max(0, lastDeliveredTs - lastWrittenTs), droppedBefore + policy.dropped());
    }

    public String url() {
        return url;
    }

    // ---- the connection -------------------------------------------------------------------------

    private Reconnector.Attempt connect() {
        AtomicInteger publishedOn = new AtomicInteger(1);
        ClientAttempt attempt = ClientAttempt.start(url, options, c -> c.publish(streamName)
                .thenAccept(sid -> {
                    publishedOn.set(sid);
                    onPublishing(c, sid);
                }));
        attempt.onCancel(c -> c.unpublish(publishedOn.get(), streamName));
        return attempt;
    }

    private void onPublishing(RtmpClient c, int sid) {
        LiveStream stream = live;
        if (stream == null || stopped) {
            return;
        }
        c.closeFuture().thenRun(() -> stream.executor().execute(() -> {
            if (client == c) {
                client = null;
            }
        }));
        stream.executor().execute(() -> {
            if (stopped || !c.isActive()) {
                return;
            }
            log.info("push to {} is live", RelayState.mask(url));
            droppedBefore += policy.dropped();
            policy = new SlowSubscriberPolicy(maxLagMillis);
            policy.requireKeyframe();
            client = c;
            streamId = sid;
            lastWrittenTs = lastDeliveredTs;
            for (MediaPacket header : new MediaPacket[]{metadata, videoHeader, audioHeader}) {
                if (header != null) {
                    write(c, header);
                }
            }
            flush();
        });
    }

    // ---- the stream -----------------------------------------------------------------------------

    @Override
    public long id() {
        return id;
    }

    @Override
    public void deliver(MediaPacket packet) {
        if (stopped) {
            return;
        }
        boolean media = packet.kind() != MediaPacket.Kind.DATA && !packet.sequenceHeader();
        if (media) {
            lastDeliveredTs = Integer.toUnsignedLong(packet.timestamp());
        } else {
            cache(packet);
        }
        RtmpClient c = client;
        if (c == null) {
            return;
        }
        if (!c.isActive()) {
            client = null;
            return;
        }
        switch (policy.decide(packet, c.isWritable(), System.nanoTime())) {
            case SEND -> write(c, packet);
            case DROP -> {
                long dropped = policy.dropped();
                if (dropped == 1 || dropped % 1000 == 0) {
                    log.debug("push to {} is slow: {} packets dropped so far", RelayState.mask(url), dropped);
                }
            }
            case DISCONNECT -> {
                client = null;
                log.info("push to {} lagged more than {} ms: reconnecting", RelayState.mask(url), maxLagMillis);
                reconnector.restart(new IOException("the target could not keep up for " + maxLagMillis + " ms"));
            }
        }
    }

    private void cache(MediaPacket packet) {
        if (packet.kind() == MediaPacket.Kind.DATA) {
            if (DataFrames.isMetadata(packet.content())) {
                metadata = replace(metadata, packet);
            }
        } else if (packet.isVideo()) {
            videoHeader = replace(videoHeader, packet);
        } else {
            audioHeader = replace(audioHeader, packet);
        }
    }

    private static MediaPacket replace(MediaPacket old, MediaPacket current) {
        if (old != null) {
            old.release();
        }
        return current.retain();
    }

    private void releaseCaches() {
        for (MediaPacket p : new MediaPacket[]{metadata, videoHeader, audioHeader}) {
            if (p != null) {
                p.release();
            }
        }
        metadata = null;
        videoHeader = null;
        audioHeader = null;
        client = null;
    }

    private void write(RtmpClient c, MediaPacket packet) {
        int ts = packet.timestamp();
        int size = packet.size();
        if (packet.kind() == MediaPacket.Kind.DATA) {
            c.sendDataFrame(streamId, ts, packet.content().retain());
            state.bytes.addAndGet(size);
        } else {
            c.send(packet.kind().tagType(), streamId, ts, packet.content().retain(), () -> {
                state.bytes.addAndGet(size);
                if (!packet.sequenceHeader()) {
                    lastWrittenTs = Integer.toUnsignedLong(ts);
                }
            });
        }
        dirty = true;
    }

    @Override
    public void flush() {
        RtmpClient c = client;
        if (dirty && c != null) {
            dirty = false;
            c.flush();
        }
    }

    @Override
    public void onStreamEnd(boolean neverPublished) {
        log.info("source of the push to {} ended: stopping it", RelayState.mask(url));
        stop(neverPublished ? "the source never went live" : "the source stream ended");
    }
}
