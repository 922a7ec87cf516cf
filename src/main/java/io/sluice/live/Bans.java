package io.sluice.live;

import io.sluice.access.AccessStep;
import io.sluice.engine.spi.AccessDecision;
import io.sluice.engine.spi.AccessRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Streams kicked with a ban: publishes to them are refused until the ban ends, so an encoder's
 * automatic reconnect does not bring the stream straight back. Runs after the stream key step, so it
 * sees the public name a key publishes under.
 */
@Component
@Order(150)
class Bans implements AccessStep {
    private final ConcurrentHashMap<String, Instant> bannedUntil = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();

    void ban(String app, String name, Duration duration) {
        bannedUntil.put(app + "/" + name, clock.instant().plus(duration));
    }

    @Override
    public CompletionStage<AccessDecision> check(AccessRequest request, AccessDecision soFar) {
        if (request.action() != AccessRequest.Action.PUBLISH) {
            return CompletableFuture.completedFuture(soFar);
        }
        String name = soFar.streamName() != null ? soFar.streamName() : request.streamName();
        String key = request.app() + "/" + name;
        Instant until = bannedUntil.get(key);
        if (until == null) {
            return CompletableFuture.completedFuture(soFar);
        }
        long seconds = Duration.between(clock.instant(), until).toSeconds();
        if (seconds < 0) {
            bannedUntil.remove(key, until);
            return CompletableFuture.completedFuture(soFar);
        }
        return CompletableFuture.completedFuture(AccessDecision.deny(AccessDecision.Reason.BANNED,
                "Stream " + key + " is banned for another " + (seconds + 1) + " s."));
    }
}
