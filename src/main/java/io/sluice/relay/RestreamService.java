package io.sluice.relay;

import io.sluice.engine.RtmpServer;
import io.sluice.engine.client.RtmpClient;
import io.sluice.engine.client.RtmpUrl;
import io.sluice.engine.client.TlsOptions;
import io.sluice.engine.relay.PushRelay;
import io.sluice.engine.spi.SessionInfo;
import io.sluice.engine.spi.StreamEventListener;
import io.sluice.engine.stream.StreamKey;
import io.sluice.relay.RelayDtos.RelayView;
import io.sluice.relay.RelayDtos.TargetRequest;
import io.sluice.relay.RelayDtos.TargetView;
import io.sluice.streamkey.LivePublishes;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Restream targets: stored per stream key, pushed while the key's publisher is live. When a publish
 * with a key starts (the engine's {@code publishStarted}), each enabled target of the key gets a
 * {@link PushRelay}; pushes end with the stream (after the engine's reconnect grace, so an encoder's
 * quick reconnect does not interrupt them). Adding, changing or removing a target while the key is
 * live takes effect at once. Database work triggered by engine events runs on a thread of its own.
 */
@Service
public class RestreamService {
    private static final Logger log = LoggerFactory.getLogger(RestreamService.class);

    private final RestreamTargetRepository targets;
    private final RtmpServer server;
    private final LivePublishes livePublishes;
    private final RelayProperties properties;
    private final Clock clock;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "restream");
        t.setDaemon(true);
        return t;
    });
    /** Session id → stream key id, for the publishes with a key. */
    private final Map<Long, Long> sessionKeys = new ConcurrentHashMap<>();
    /** Stream key id → its live stream. */
    private final Map<Long, StreamKey> liveKeys = new ConcurrentHashMap<>();
    /** Target id → its push (running or ended: the last status stays visible). */
    private final Map<Long, PushRelay> pushes = new ConcurrentHashMap<>();

    RestreamService(RestreamTargetRepository targets, RtmpServer server, LivePublishes livePublishes,
                    RelayProperties properties) {
        this.targets = targets;
        this.server = server;
        this.livePublishes = livePublishes;
        this.properties = properties;
        this.clock = Clock.systemUTC();
        server.addStreamEventListener(new Listener());
    }

    // ---- REST -----------------------------------------------------------------------------------

    public List<TargetView> list(long keyId) {
        requireKey(keyId);
        return targets.findByStreamKeyIdOrderById(keyId).stream().map(this::view).toList();
    }

    public TargetView get(long keyId, long targetId) {
        return view(find(keyId, targetId));
    }

    public TargetView create(long keyId, TargetRequest body) {
        requireKey(keyId);
        RestreamTarget target = new RestreamTarget(keyId, Instant.now(clock));
        apply(target, body, null);
        target = targets.save(target);
        log.info("restream target {} ({}) added to stream key {}", target.getId(), target.getName(), keyId);
        restart(target);
        return view(target);
    }

    public TargetView update(long keyId, long targetId, TargetRequest body) {
        RestreamTarget target = find(keyId, targetId);
        apply(target, body, target.getTargetKey());
        target = targets.save(target);
        restart(target);
        return view(target);
    }

    public void delete(long keyId, long targetId) {
        RestreamTarget target = find(keyId, targetId);
        targets.delete(target);
        PushRelay push = pushes.remove(targetId);
        if (push != null) {
            push.stop();
        }
    }

    private void requireKey(long keyId) {
        if (targets.countStreamKeys(keyId) == 0) {
            throw RelayProblem.notFound("No stream key with id " + keyId + ".");
        }
    }

    private RestreamTarget find(long keyId, long targetId) {
        requireKey(keyId);
        return targets.findByIdAndStreamKeyId(targetId, keyId).orElseThrow(() -> RelayProblem.notFound(
                "Stream key " + keyId + " has no restream target " + targetId + "."));
    }

    /** Validates and copies the request; a null stream key keeps {@code currentKey}. */
    private void apply(RestreamTarget target, TargetRequest body, String currentKey) {
        String url = body.url().trim();
        String key = body.streamKey() == null ? currentKey : body.streamKey().trim();
        String publishUrl = RestreamTarget.publishUrl(url, key);
        String refusal = properties.refusal(publishUrl);
        if (refusal != null) {
            throw RelayProblem.invalid("url", "must be rtmp:// or rtmps://host[:port]/app with a stream key to an "
                    + "allowed host (here: " + refusal.replace(publishUrl, "the URL") + ")");
        }
        String pem = body.trustedCertificate() == null || body.trustedCertificate().isBlank() ? null
                : body.trustedCertificate().trim();
        if (pem != null) {
            try {
                TlsOptions.trustPem(pem).clientContext();
            } catch (Exception e) {
                throw RelayProblem.invalid("trustedCertificate", "is not a PEM certificate");
            }
        }
        target.update(body.name().trim(), url, key == null || key.isEmpty() ? null : key,
                body.enabled() == null || body.enabled(), body.tlsVerify() == null || body.tlsVerify(), pem,
                Instant.now(clock));
    }

    private TargetView view(RestreamTarget t) {
        PushRelay push = pushes.get(t.getId());
        return new TargetView(t.getId(), t.getStreamKeyId(), t.getName(), displayUrl(t), hint(t.getTargetKey()),
                t.isEnabled(), t.isTlsVerify(), t.getTrustedCertificate() != null, t.getCreatedAt(), t.getUpdatedAt(),
                push == null ? RelayView.IDLE : RelayView.of(push.status()));
    }

    /** The URL as configured; a stream key inside it (no separate streamKey) is masked. */
    private static String displayUrl(RestreamTarget t) {
        if (t.getTargetKey() != null) {
            return t.getUrl();
        }
        try {
            RtmpUrl u = RtmpUrl.parse(t.getUrl());
            return u.tcUrl() + "/" + hint(u.stream());
        } catch (IllegalArgumentException e) {
            return t.getUrl();
        }
    }

    private static String hint(String secret) {
        if (secret == null) {
            return null;
        }
        return secret.length() <= 6 ? "****" : secret.substring(0, 4) + "****";
    }

    // ---- pushes ---------------------------------------------------------------------------------

    /** After a change: the target's push stops, and starts again if it is enabled and its key is live. */
    private void restart(RestreamTarget target) {
        PushRelay old = pushes.get(target.getId());
        if (old != null) {
            old.stop();
        }
        StreamKey live = liveKeys.get(target.getStreamKeyId());
        if (target.isEnabled() && live != null) {
            ensureRunning(target, live);
        }
    }

    private void startTargets(long keyId) {
        StreamKey live = liveKeys.get(keyId);
        if (live == null) {
            return; // ended meanwhile
        }
        for (RestreamTarget t : targets.findByStreamKeyIdAndEnabledTrueOrderById(keyId)) {
            ensureRunning(t, live);
        }
    }

    private synchronized void ensureRunning(RestreamTarget target, StreamKey source) {
        PushRelay current = pushes.get(target.getId());
        if (current != null && !current.done().isDone()) {
            return;
        }
        // saved under an earlier, looser sluice.relays.allowed-hosts: the current policy decides
        String refusal = properties.refusal(target.publishUrl());
        if (refusal != null) {
            log.warn("restream target {} ('{}') of stream key {} not started: {}", target.getId(), target.getName(),
                    target.getStreamKeyId(), refusal.replace(target.publishUrl(), "its URL"));
            return;
        }
        PushRelay push = new PushRelay(target.publishUrl(), RtmpClient.Options.DEFAULT.withTls(tls(target)),
                properties.reconnectPolicy(), properties.pushMaxLag());
        pushes.put(target.getId(), push);
        push.start(server.streams(), source, RtmpClient.nextExecutor());
    }

    private static TlsOptions tls(RestreamTarget target) {
        if (!target.isTlsVerify()) {
            return TlsOptions.INSECURE;
        }
        return target.getTrustedCertificate() != null ? TlsOptions.trustPem(target.getTrustedCertificate())
                : TlsOptions.SYSTEM;
    }

    @PreDestroy
    void shutdown() {
        worker.shutdownNow();
        pushes.values().forEach(PushRelay::stop);
    }

    /** Engine events: map operations only, the database work goes to the worker. */
    private final class Listener implements StreamEventListener {
        @Override
        public void publishStarted(SessionInfo session) {
            OptionalLong keyId = livePublishes.keyIdOf(session.id());
            if (keyId.isEmpty() || session.app() == null || session.streamName() == null) {
                return;
            }
            long id = keyId.getAsLong();
            sessionKeys.put(session.id(), id);
            liveKeys.put(id, new StreamKey(session.app(), session.streamName()));
            worker.execute(() -> {
                try {
                    startTargets(id);
                } catch (RuntimeException e) {
                    log.warn("could not start the restream targets of stream key {}", id, e);
                }
            });
        }

        @Override
        public void publishEnded(SessionInfo session) {
            ended(session);
        }

        @Override
        public void disconnected(SessionInfo session) {
            ended(session);
        }

        private void ended(SessionInfo session) {
            Long keyId = sessionKeys.remove(session.id());
            if (keyId != null) {
                liveKeys.remove(keyId);
            }
        }
    }
}
