package io.sluice.engine.session;

/**
 * A token bucket: up to {@code burst} events at once, then {@code perSecond} on average. Not
 * thread-safe: one per connection, used on its event loop.
 */
final class TokenBucket {
    private final double tokensPerNano;
    private final double capacity;
    private double tokens;
    private long lastNanos;

    TokenBucket(int perSecond, int burst, long nowNanos) {
        this.tokensPerNano = perSecond / 1e9;
        this.capacity = burst;
        this.tokens = burst;
        this.lastNanos = nowNanos;
    }

    /** Takes one token if there is one; false if the rate was exceeded. */
    boolean tryTake(long nowNanos) {
        tokens = Math.min(capacity, tokens + (nowNanos - lastNanos) * tokensPerNano);
        lastNanos = nowNanos;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
