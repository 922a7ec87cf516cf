package io.sluice.engine.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.engine.client.ClientAttempt;
import io.sluice.engine.client.ReconnectPolicy;
import io.sluice.engine.client.Reconnector;
import io.sluice.engine.client.RtmpClient;
import io.sluice.engine.client.RtmpUrl;
import io.sluice.engine.client.StatusEvent;
import io.sluice.engine.media.MediaPacket;
import io.sluice.engine.media.MetadataSummary;
import io.sluice.engine.protocol.amf.Amf0;
import io.sluice.engine.protocol.amf.AmfEcmaArray;
import io.sluice.engine.protocol.amf.AmfObject;
import io.sluice.engine.protocol.amf.AmfString;
import io.sluice.engine.protocol.amf.AmfValue;
import io.sluice.engine.protocol.command.StatusCode;
import io.sluice.engine.protocol.message.DataMessage;
import io.sluice.engine.protocol.message.MediaMessage;
import io.sluice.engine.protocol.message.MessageType;
import io.sluice.engine.protocol.message.RtmpMessage;
import io.sluice.engine.protocol.message.UserControl;
import io.sluice.engine.stream.LiveStream;
import io.sluice.engine.stream.Publisher;
import io.sluice.engine.stream.StreamKey;
import io.sluice.engine.stream.StreamRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls a remote stream ({@code rtmp[s]://host/app/name}) and publishes it into the local
 * {@link StreamRegistry} under {@code key}: for players, recordings and the API it is a live stream
 * like any other. Reconnects with backoff when the connection fails, is refused or stays silent for
 * {@code dataTimeout}; while the remote stream is away, local players wait out the stream's reconnect
 * grace.
 *
 * <p>Each connection is its own {@link Publisher} of the local stream, so packets of an old
 * connection can never mix with a new one's. Everything of a connection runs on its event loop.
 */
public final class PullRelay {
    private static final Logger log = LoggerFactory.getLogger(PullRelay.class);
    /** Packets kept while the local stream is being attached (a few ms); beyond, the oldest go. */
    private static final int MAX_PENDING = 4096;

    private final long id = RelayState.nextId();
    private final StreamRegistry registry;
    private final StreamKey key;
    private final String url;
    private final String remoteStream;
    private final RtmpClient.Options options;
    private final Duration dataTimeout;
    private final String label;
    private final RelayState state;
    private final Reconnector reconnector;

    /**
     * @param dataTimeout a connection that brings no media for this long is closed and retried
     * @param label       the local stream's label (shown in the API)
     */
    public PullRelay(StreamRegistry registry, StreamKey key, String url, RtmpClient.Options options,
                     ReconnectPolicy reconnect, Duration dataTimeout, String label) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.key = Objects.requireNonNull(key, "key");
        this.url = url;
        this.remoteStream = RtmpUrl.parse(url).stream();
        this.options = Objects.requireNonNull(options, "options");
        this.dataTimeout = dataTimeout;
        this.label = label;
        this.state = new RelayState(url);
        this.reconnector = new Reconnector(reconnect, RtmpClient.nextExecutor(), this::connect, state);
    }

    public StreamKey key() {
        return key;
    }

    public void start() {
        log.info("pulling {} into {}", RelayState.mask(url), key);
        reconnector.start();
    }

    /** Closes the connection and stops retrying; local players wait out the stream's grace. */
    public void stop() {
        reconnector.stop();
    }

    public boolean isRunning() {
        return reconnector.isRunning();
    }

    public RelayStatus status() {
        return state.snapshot(0, 0);
    }

    private Reconnector.Attempt connect() {
        Session session = new Session();
        ClientAttempt attempt = ClientAttempt.start(url, options, session::begin);
        session.attempt = attempt;
        attempt.ended().whenComplete((ok, error) -> session.end());
        return attempt;
    }

    private record Pending(MediaPacket.Kind kind, int timestamp, ByteBuf payload, MetadataSummary metadata) {
    }

    /** One connection: the local stream's publisher while it lasts. */
    private final class Session implements Publisher {
        volatile ClientAttempt attempt;
        private volatile RtmpClient client;
        private final List<Pending> pending = new ArrayList<>();
        private LiveStream live;
        private boolean attaching;
        private boolean ended;
        private boolean dirty;
        private long lastDataNanos;
        private ScheduledFuture<?> idleCheck;

        CompletableFuture<?> begin(RtmpClient c) {
            client = c;
            c.onReadComplete(this::flush).onStatus(this::onStatus);
            lastDataNanos = System.nanoTime();
            long period = Math.max(100, Math.min(1000, dataTimeout.toMillis() / 4));
            idleCheck = c.executor().scheduleAtFixedRate(this::checkIdle, period, period, TimeUnit.MILLISECONDS);
            return c.play(remoteStream, this::onMessage);
        }

        @Override
        public long sessionId() {
            return id;
        }

        /** The local stream ends this publisher (replaced, kicked): this connection ends, and is retried. */
        @Override
        public void stopPublishing(String reason) {
            ClientAttempt a = attempt;
            if (a != null) {
                a.end(new IOException("stopped locally: " + reason));
            }
        }

        private void onMessage(RtmpMessage m) {
            if (ended) {
                return;
            }
            if (m instanceof MediaMessage mm) {
                MediaPacket.Kind kind = switch (mm.typeId()) {
                    case MessageType.AUDIO -> MediaPacket.Kind.AUDIO;
                    case MessageType.VIDEO -> MediaPacket.Kind.VIDEO;
                    default -> MediaPacket.Kind.DATA;
                };
                forward(kind, mm.timestamp(), mm.content(), null);
            } else if (m instanceof DataMessage dm) {
                onData(dm);
            } else if (m instanceof UserControl uc && uc.event() == UserControl.Event.STREAM_EOF) {
                remoteUnpublished();
            }
        }

        private void onData(DataMessage m) {
            List<AmfValue> values = m.values();
            String name = m.name();
            if (name.equals("@setDataFrame")) {
                values = values.subList(1, values.size());
                name = !values.isEmpty() && values.get(0) instanceof AmfString s ? s.value() : "";
            }
            if (name.startsWith("|") || name.equals("onStatus") || name.equals("@clearDataFrame")) {
                return; // |RtmpSampleAccess and friends are for the player, not the stream
            }
            ByteBuf payload = ByteBufAllocator.DEFAULT.buffer(256);
            try {
                Amf0.encodeAll(payload, values);
                MetadataSummary summary = null;
                if (name.equals("onMetaData")) {
                    AmfValue properties = values.size() > 1 ? values.get(1) : null;
                    Map<String, AmfValue> map = properties instanceof AmfEcmaArray e ? e.asMap()
                            : properties instanceof AmfObject o ? o.asMap() : Map.of();
                    summary = MetadataSummary.of(map);
                }
                forward(MediaPacket.Kind.DATA, m.timestamp(), payload, summary);
            } finally {
                payload.release();
            }
        }

        private void onStatus(StatusEvent event) {
            String code = event.code() == null ? "" : event.code();
            if (code.equals(StatusCode.PLAY_UNPUBLISH_NOTIFY.code())) {
                remoteUnpublished();
            } else if (code.equals(StatusCode.PLAY_STOP.code()) || "error".equals(event.level())) {
                ClientAttempt a = attempt;
                if (a != null && a.up().isDone()) {
                    a.end(new IOException("the remote server sent " + code
                            + (event.description() == null || event.description().isEmpty() ? ""
                            : ": " + event.description())));
                }
            }
        }

        private void checkIdle() {
            if (!ended && System.nanoTime() - lastDataNanos > dataTimeout.toNanos()) {
                ClientAttempt a = attempt;
                if (a != null) {
                    a.end(new IOException("no media from the remote stream for " + dataTimeout.toSeconds() + " s"));
                }
            }
        }

        private void forward(MediaPacket.Kind kind, int timestamp, ByteBuf payload, MetadataSummary metadata) {
            lastDataNanos = System.nanoTime();
            state.bytes.addAndGet(payload.readableBytes());
            if (live != null) {
                publish(live, kind, timestamp, payload, metadata);
                dirty = true;
                return;
            }
            if (pending.size() >= MAX_PENDING) {
                pending.remove(0).payload().release();
            }
            pending.add(new Pending(kind, timestamp, payload.retain(), metadata));
            if (!attaching) {
                attaching = true;
                RtmpClient c = client;
                registry.publish(key, c.executor(), this, label).whenComplete((stream, error) ->
                        c.executor().execute(() -> attached(stream, error)));
            }
        }

        private void publish(LiveStream stream, MediaPacket.Kind kind, int timestamp, ByteBuf payload,
                             MetadataSummary metadata) {
            if (metadata != null) {
                stream.publishMetadata(this, timestamp, payload, metadata);
            } else {
                stream.publish(this, kind, timestamp, payload);
            }
        }

        private void attached(LiveStream stream, Throwable error) {
            attaching = false;
            if (error != null) {
                releasePending();
                ClientAttempt a = attempt;
                Throwable cause = Reconnector.unwrap(error);
                log.info("pull {} into {}: cannot publish locally: {}", RelayState.mask(url), key, cause.toString());
                if (a != null) {
                    a.end(new IOException("cannot publish " + key + " locally: " + cause.getMessage(), cause));
                }
                return;
            }
            if (ended) {
                releasePending();
                stream.detach(this);
                return;
            }
            live = stream;
            log.info("pull {} into {} is live", RelayState.mask(url), key);
            for (Pending p : pending) {
                try {
                    publish(stream, p.kind(), p.timestamp(), p.payload(), p.metadata());
                } finally {
                    p.payload().release();
                }
            }
            pending.clear();
            stream.flush();
        }

        private void remoteUnpublished() {
            releasePending();
            if (live != null) {
                log.info("pull {} into {}: the remote stream was unpublished", RelayState.mask(url), key);
                live.detach(this);
                live = null;
            }
        }

        private void flush() {
            if (dirty && live != null) {
                dirty = false;
                live.flush();
            }
        }

        /** The connection is over: leave the local stream (its players wait out the grace). */
        void end() {
            RtmpClient c = client;
            if (c == null) {
                return;
            }
            if (!c.executor().inEventLoop()) {
                c.executor().execute(this::end);
                return;
            }
            if (ended) {
                return;
            }
            ended = true;
            if (idleCheck != null) {
                idleCheck.cancel(false);
            }
            releasePending();
            if (live != null) {
                live.detach(this);
                live = null;
            }
        }

        private void releasePending() {
            pending.forEach(p -> p.payload().release());
            pending.clear();
        }
    }
}
