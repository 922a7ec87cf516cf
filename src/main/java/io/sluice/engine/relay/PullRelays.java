package io.sluice.engine.relay;

import io.sluice.engine.client.ReconnectPolicy;
import io.sluice.engine.client.RtmpClient;
import io.sluice.engine.spi.SessionInfo;
import io.sluice.engine.spi.StreamEventListener;
import io.sluice.engine.stream.LiveStream;
import io.sluice.engine.stream.StreamKey;
import io.sluice.engine.stream.StreamRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The declared pull relays of one server: {@link Mode#ALWAYS} ones run from {@link #start()} to
 * {@link #close()}; {@link Mode#ON_DEMAND} ones start when a player asks for their stream and stop
 * once the stream has had no subscriber for their idle timeout.
 *
 * <p>On-demand uses the engine's existing notification: register this object as a
 * {@link StreamEventListener} ({@code RtmpServer.addStreamEventListener}); {@link #playStarted} is the
 * demand. Other kinds of viewers (HTTP-FLV) call {@link #demand(StreamKey)} before subscribing.
 * Thread-safe; the listener methods return at once.
 */
public final class PullRelays implements StreamEventListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PullRelays.class);
    private static final long IDLE_CHECK_MILLIS = 500;

    public enum Mode { ALWAYS, ON_DEMAND }

    /**
     * One declared pull.
     *
     * @param key         the local stream (app and name)
     * @param url         the remote stream, {@code rtmp[s]://host[:port]/app/name}
     * @param mode        always on, or started by the first player
     * @param idleTimeout on demand: how long the stream may have no subscriber before the pull stops
     * @param options     connection options (TLS trust for rtmps://)
     */
    public record Pull(StreamKey key, String url, Mode mode, Duration idleTimeout, RtmpClient.Options options) {
        public Pull {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(mode, "mode");
            idleTimeout = idleTimeout == null ? Duration.ofSeconds(10) : idleTimeout;
            options = options == null ? RtmpClient.Options.DEFAULT : options;
        }
    }

    /** A declared pull and, if it ran, its relay's status. */
    public record PullView(Pull pull, boolean running, RelayStatus status) {
    }

    private final StreamRegistry registry;
    private final ReconnectPolicy reconnect;
    private final Duration dataTimeout;
    private final Map<StreamKey, Pull> pulls = new LinkedHashMap<>();
    private final Map<StreamKey, PullRelay> relays = new LinkedHashMap<>();
    private final Map<StreamKey, Long> idleSince = new LinkedHashMap<>();
    private ScheduledFuture<?> idleCheck;
    private boolean started;

    /** @param dataTimeout a pull whose remote stream sends no media for this long reconnects */
    public PullRelays(StreamRegistry registry, List<Pull> declared, ReconnectPolicy reconnect, Duration dataTimeout) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.reconnect = Objects.requireNonNull(reconnect, "reconnect");
        this.dataTimeout = Objects.requireNonNull(dataTimeout, "dataTimeout");
        for (Pull p : declared) {
            if (pulls.putIfAbsent(p.key(), p) != null) {
                throw new IllegalArgumentException("two pulls declared for " + p.key());
            }
        }
    }

    /** Starts the always-on pulls and the idle check of the on-demand ones. */
    public synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        pulls.values().stream().filter(p -> p.mode() == Mode.ALWAYS).forEach(this::startRelay);
        idleCheck = RtmpClient.nextExecutor().scheduleAtFixedRate(this::checkIdle, IDLE_CHECK_MILLIS,
                IDLE_CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Stops every pull. */
    @Override
    public synchronized void close() {
        started = false;
        if (idleCheck != null) {
            idleCheck.cancel(false);
            idleCheck = null;
        }
        relays.values().forEach(PullRelay::stop);
    }

    /**
     * Someone wants to watch {@code key}: starts its on-demand pull if one is declared and not running.
     * Returns whether {@code key} is a declared pull.
     */
    public synchronized boolean demand(StreamKey key) {
        Pull pull = pulls.get(key);
        if (pull == null) {
            return false;
        }
        idleSince.remove(key);
        PullRelay relay = relays.get(key);
        if (started && (relay == null || !relay.isRunning())) {
            log.info("player for {}: starting its on-demand pull", key);
            startRelay(pull);
        }
        return true;
    }

    @Override
    public void playStarted(SessionInfo session) {
        if (session.app() != null && session.streamName() != null) {
            demand(new StreamKey(session.app(), session.streamName()));
        }
    }

    public synchronized List<PullView> list() {
        List<PullView> result = new ArrayList<>();
        for (Pull p : pulls.values()) {
            PullRelay relay = relays.get(p.key());
            result.add(new PullView(p, relay != null && relay.isRunning(), relay == null ? null : relay.status()));
        }
        return result;
    }

    public synchronized Optional<PullView> find(StreamKey key) {
        return list().stream().filter(v -> v.pull().key().equals(key)).findFirst();
    }

    private void startRelay(Pull pull) {
        PullRelay relay = new PullRelay(registry, pull.key(), pull.url(), pull.options(), reconnect, dataTimeout,
                "pull " + RelayState.mask(pull.url()));
        relays.put(pull.key(), relay);
        relay.start();
    }

    private synchronized void checkIdle() {
        long now = System.nanoTime();
        for (Pull pull : pulls.values()) {
            PullRelay relay = relays.get(pull.key());
            if (pull.mode() != Mode.ON_DEMAND || relay == null || !relay.isRunning()) {
                continue;
            }
            int subscribers = registry.find(pull.key()).map(LiveStream::snapshot).map(s -> s.subscribers()).orElse(0);
            if (subscribers > 0) {
                idleSince.remove(pull.key());
                continue;
            }
            long since = idleSince.computeIfAbsent(pull.key(), k -> now);
            if (now - since >= pull.idleTimeout().toNanos()) {
                log.info("no one watched {} for {}: stopping its on-demand pull", pull.key(), pull.idleTimeout());
                idleSince.remove(pull.key());
                relay.stop();
            }
        }
    }
}
