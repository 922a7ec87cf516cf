package io.sluice.streamkey;

import io.sluice.access.AccessStep;
import io.sluice.engine.RtmpServer;
import io.sluice.engine.spi.AccessDecision;
import io.sluice.engine.spi.AccessDecision.Reason;
import io.sluice.engine.spi.AccessRequest;
import io.sluice.security.AddressThrottle;
import io.sluice.streamkey.LivePublishes.LivePublish;
import io.sluice.streamkey.StreamKeyProperties.PlayPolicy;
import io.sluice.streamkey.StreamKeyProperties.PublishPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongPredicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionException;
import org.springframework.stereotype.Component;

/**
 * Stream keys in the access chain. PUBLISH: the stream name is the secret; a valid key renames the
 * stream to its public name (players and the API never see the secret), asks for recording if the
 * key says so and labels the stream. PLAY: open, or a play token, per app. CONNECT: allowed.
 *
 * <p>Publish attempts refused for their key are throttled per address ({@link StreamKeyProperties.Throttle}):
 * slowed down, then refused at once without a look-up.
 *
 * <p>Called on an event loop: every look-up runs on {@link StreamKeyWorkers}, and delays on a timer.
 */
@Component
@Order(100)
class StreamKeyAccessStep implements AccessStep {
    private static final Logger log = LoggerFactory.getLogger(StreamKeyAccessStep.class);

    private final StreamKeyRepository keys;
    private final LivePublishes live;
    private final Executor executor;
    private final StreamKeyProperties properties;
    private final PlayTokens playTokens;
    private final LongPredicate sessionAlive;
    private final Clock clock;
    private final AddressThrottle badKeys;
    private final Function<Duration, Executor> delays;

    @Autowired
    StreamKeyAccessStep(StreamKeyRepository keys, LivePublishes live, StreamKeyWorkers workers,
                        StreamKeyProperties properties, PlayTokens playTokens, ObjectProvider<RtmpServer> server) {
        // the engine is built with this step in its gate: look it up lazily, not in the constructor
        this(keys, live, workers.executor(), properties, playTokens, id -> {
            RtmpServer s = server.getIfAvailable();
            return s == null || s.session(id).isPresent();
        }, Clock.systemUTC(), delay -> CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** @param delays an executor that runs its tasks after the given delay (slowed-down attempts) */
    StreamKeyAccessStep(StreamKeyRepository keys, LivePublishes live, Executor executor,
                        StreamKeyProperties properties, PlayTokens playTokens, LongPredicate sessionAlive,
                        Clock clock, Function<Duration, Executor> delays) {
        this.keys = keys;
        this.live = live;
        this.executor = executor;
        this.properties = properties;
        this.playTokens = playTokens;
        this.sessionAlive = sessionAlive;
        this.clock = clock;
        this.badKeys = new AddressThrottle(properties.throttle().policy(), clock);
        this.delays = delays;
    }

    @Override
    public CompletionStage<AccessDecision> check(AccessRequest request, AccessDecision soFar) {
        return switch (request.action()) {
            case CONNECT -> CompletableFuture.completedFuture(soFar);
            case PUBLISH -> throttled(request, () -> checkPublish(request, soFar));
            case PLAY -> properties.playPolicyOf(request.app()) == PlayPolicy.OPEN
                    ? CompletableFuture.completedFuture(soFar)
                    : async(request, () -> checkPlay(request, soFar));
        };
    }

    private CompletionStage<AccessDecision> async(AccessRequest request, Supplier<AccessDecision> check) {
        try {
            // Fail closed, always: allowing an unchecked publish would put it live under its name as sent,
            // which is the secret, for every player and the API to see.
            return CompletableFuture.supplyAsync(check, executor).exceptionally(e -> {
                Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                        ? e.getCause() : e;
                if (cause instanceof DataAccessException || cause instanceof TransactionException) {
                    log.warn("stream key store unavailable, {} refused (fail closed): session {} from {} to app "
                                    + "'{}': {}", request.action() == AccessRequest.Action.PUBLISH ? "publish" : "play",
                            request.sessionId(), request.remoteHost(), request.app(), rootMessage(cause));
                } else {
                    log.warn("stream key check for {} of session {} from {} failed: {}", request.action(),
                            request.sessionId(), request.remoteHost(), cause.toString());
                }
                return AccessDecision.deny(Reason.ERROR, "Stream key check failed.");
            });
        } catch (RejectedExecutionException e) {
            log.warn("stream key check for {} of session {} from {} refused: too many checks waiting",
                    request.action(), request.sessionId(), request.remoteHost());
            return CompletableFuture.completedFuture(AccessDecision.deny(Reason.BUSY, "Server busy, try again."));
        }
    }

    // ---- publish --------------------------------------------------------------------------------

    /**
     * A blocked address is refused here, before any look-up; a slowed-down one is answered after its
     * delay (on a timer thread, never the event loop).
     */
    private CompletionStage<AccessDecision> throttled(AccessRequest request, Supplier<AccessDecision> check) {
        AddressThrottle.Verdict verdict = badKeys.check(request.remoteHost());
        if (verdict.blocked()) {
            long seconds = (verdict.blockedFor().toMillis() + 999) / 1000;
            log.debug("publish refused: {} is blocked for another {} s after {} bad stream keys (session {})",
                    request.remoteHost(), seconds, verdict.failures(), request.sessionId());
            return CompletableFuture.completedFuture(AccessDecision.deny(Reason.THROTTLED,
                    "Too many bad stream keys from this address; try again in " + seconds + " s."));
        }
        if (verdict.delayed()) {
            return CompletableFuture.runAsync(() -> { }, delays.apply(verdict.delay()))
                    .thenCompose(ignored -> async(request, check));
        }
        return async(request, check);
    }

    /** Counts a publish refused for its key against the address; logs once when that blocks it. */
    private void badKey(AccessRequest request) {
        AddressThrottle.Verdict next = badKeys.failed(request.remoteHost());
        if (next.blocked()) {
            log.warn("stream keys: {} blocked for {} s after {} bad stream keys", request.remoteHost(),
                    next.blockedFor().toSeconds(), next.failures());
        } else if (next.delayed() && next.failures() == properties.throttle().freeFailures() + 1) {
            log.info("stream keys: publishes from {} slowed down by {} after {} bad stream keys", request.remoteHost(),
                    next.delay(), next.failures());
        }
    }

    private AccessDecision checkPublish(AccessRequest request, AccessDecision soFar) {
        String secret = request.streamName();
        String app = request.app();
        Instant now = clock.instant();
        String hash = KeySecrets.hash(secret);
        StreamKey key = null;
        List<StreamKey> found = keys.findBySecretHashOrPreviousSecretHash(hash);
        for (StreamKey k : found) {
            if (k.getApp().equals(app) && acceptsSecret(k, hash, now)) {
                key = k;
                break;
            }
        }
        if (key == null) {
            if (properties.publishPolicyOf(app) == PublishPolicy.OPEN) {
                if (keys.existsByAppAndPublicName(app, secret)) {
                    badKey(request);
                    return refuse(request, Reason.UNAUTHORIZED, "This stream name is reserved for a stream key.");
                }
                return soFar; // not a success that clears the address: any name passes here
            }
            badKey(request);
            return refuse(request, Reason.UNAUTHORIZED, "Unknown stream key.");
        }
        String refusal = key.refusal(now);
        if (refusal != null) {
            badKey(request);
            return refuse(request, Reason.UNAUTHORIZED, refusal);
        }
        badKeys.succeeded(request.remoteHost());
        LivePublish publish = new LivePublish(request.sessionId(), key.getId(), app, key.getPublicName(), hash);
        if (!live.tryAdd(publish, key.getMaxPublishers(), sessionAlive)) {
            return refuse(request, Reason.BUSY, "Stream key is already in use (at most " + key.getMaxPublishers()
                    + " publisher" + (key.getMaxPublishers() == 1 ? "" : "s") + ").");
        }
        long keyId = key.getId();
        String address = request.remoteHost();
        try {
            executor.execute(() -> keys.markUsed(keyId, now, truncate(address, 64)));
        } catch (RejectedExecutionException e) {
            log.debug("stream key {}: last use not recorded (workers busy)", keyId);
        }
        boolean previous = !KeySecrets.sameHash(key.getSecretHash(), hash);
        log.info("session {} from {} publishes with stream key {} ({}, '{}'{}) as {}/{}", request.sessionId(), address,
                keyId, key.getSecretPrefix(), key.getLabel(), previous ? ", its previous secret, valid until "
                        + key.getPreviousSecretExpiresAt() : "", app, key.getPublicName());
        return AccessDecision.allowAs(key.getPublicName(), key.isAutoRecord() || soFar.record(), key.getLabel());
    }

    private static boolean acceptsSecret(StreamKey key, String hash, Instant now) {
        return KeySecrets.sameHash(key.getSecretHash(), hash)
                || KeySecrets.sameHash(key.getPreviousSecretHash(), hash) && key.previousSecretValidAt(now);
    }

    private static AccessDecision refuse(AccessRequest request, Reason reason, String description) {
        log.info("publish refused: stream key {} to app '{}' from {} (session {}): {}",
                KeySecrets.mask(request.streamName()), request.app(), request.remoteHost(), request.sessionId(),
                description);
        return AccessDecision.deny(reason, description);
    }

    // ---- play -----------------------------------------------------------------------------------

    private AccessDecision checkPlay(AccessRequest request, AccessDecision soFar) {
        PlayTokens.Verdict verdict = playTokens.verify(request.app(), request.streamName(),
                request.queryParams().get("token"), clock.instant());
        if (verdict == PlayTokens.Verdict.VALID) {
            return soFar;
        }
        log.info("play refused: {}/{} from {} (session {}): {}", request.app(), request.streamName(),
                request.remoteHost(), request.sessionId(), verdict.description());
        return AccessDecision.deny(Reason.UNAUTHORIZED, verdict.description());
    }

    /** The innermost cause's message: the driver's words ("Connection refused"), not Spring's wrappers. */
    private static String rootMessage(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getClass().getSimpleName() + ": " + c.getMessage();
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
