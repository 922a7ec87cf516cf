package io.sluice.streamkey;

import io.sluice.engine.RtmpServer;
import io.sluice.streamkey.LivePublishes.LivePublish;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Re-checks every second the publishes allowed with a stream key, like nginx-rtmp's {@code on_update}:
 * a key that was deleted, disabled, left its validity window or was rotated past its grace period
 * ends its live publish (the engine closes the connection). Runs on the scheduler thread.
 */
@Component
class LivePublishEnforcer {
    private static final Logger log = LoggerFactory.getLogger(LivePublishEnforcer.class);

    private final LivePublishes live;
    private final StreamKeyRepository keys;
    private final RtmpServer server;
    private final Clock clock;

    @Autowired
    LivePublishEnforcer(LivePublishes live, StreamKeyRepository keys, RtmpServer server) {
        this(live, keys, server, Clock.systemUTC());
    }

    LivePublishEnforcer(LivePublishes live, StreamKeyRepository keys, RtmpServer server, Clock clock) {
        this.live = live;
        this.keys = keys;
        this.server = server;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = 1000, initialDelay = 1000)
    void recheck() {
        List<LivePublish> publishes = live.all();
        if (publishes.isEmpty()) {
            return;
        }
        Map<Long, StreamKey> byId;
        try {
            byId = keys.findAllById(publishes.stream().map(LivePublish::keyId).distinct().toList()).stream()
                    .collect(Collectors.toMap(StreamKey::getId, Function.identity()));
        } catch (RuntimeException e) {
            // the database is unreachable: leave live streams alone rather than cut them all
            log.warn("stream key re-check skipped: {}", e.toString());
            return;
        }
        Instant now = clock.instant();
        for (LivePublish p : publishes) {
            if (server.session(p.sessionId()).isEmpty()) {
                live.forgetSession(p.sessionId());
                continue;
            }
            String reason = reasonToEnd(byId.get(p.keyId()), p, now);
            if (reason != null) {
                log.info("ending the publish of {}/{} (session {}): {}", p.app(), p.publicName(), p.sessionId(), reason);
                live.remove(p);
                server.kick(p.sessionId(), reason);
            }
        }
    }

    /** Why a live publish must end now, or null if it may go on. */
    static String reasonToEnd(StreamKey key, LivePublish publish, Instant now) {
        if (key == null) {
            return "stream key deleted";
        }
        if (!key.isEnabled()) {
            return "stream key disabled";
        }
        if (key.refusal(now) != null) {
            return "stream key outside its validity window";
        }
        if (!key.acceptsSecretHash(publish.secretHash(), now)) {
            return "stream key rotated";
        }
        return null;
    }
}
