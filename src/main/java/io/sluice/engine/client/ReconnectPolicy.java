package io.sluice.engine.client;

import java.time.Duration;
import java.util.Objects;

/**
 * Exponential backoff between connection attempts: the first retry after {@code initialDelay}, each
 * further one {@code multiplier} times later, at most {@code maxDelay}, each delay varied by up to
 * {@code jitter} (0.2 = ±20 %) so that many relays failing together do not retry in step. A connection
 * that stayed up for {@code stableAfter} resets the count.
 */
public record ReconnectPolicy(Duration initialDelay, Duration maxDelay, double multiplier, double jitter,
                              Duration stableAfter) {

    public static final ReconnectPolicy DEFAULT = new ReconnectPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30),
            2.0, 0.2, Duration.ofSeconds(10));

    public ReconnectPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(stableAfter, "stableAfter");
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("need 0 <= initialDelay <= maxDelay: " + initialDelay + ", " + maxDelay);
        }
        if (multiplier < 1) {
            throw new IllegalArgumentException("multiplier must be at least 1: " + multiplier);
        }
        if (jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("jitter must be in [0, 1): " + jitter);
        }
    }

    public static ReconnectPolicy of(Duration initialDelay, Duration maxDelay) {
        return new ReconnectPolicy(initialDelay, maxDelay, DEFAULT.multiplier, DEFAULT.jitter, DEFAULT.stableAfter);
    }

    /**
     * The delay before the next attempt after {@code failures} consecutive failures (1 or more);
     * {@code random} is uniform in [0, 1).
     */
    public Duration delay(int failures, double random) {
        double base = initialDelay.toMillis() * Math.pow(multiplier, Math.max(0, failures - 1));
        double capped = Math.min(base, maxDelay.toMillis());
        double varied = capped * (1 + jitter * (2 * random - 1));
        return Duration.ofMillis(Math.round(Math.min(Math.max(0, varied), maxDelay.toMillis())));
    }
}
