package io.sluice.engine.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Keeps one connection going: opens it, and whenever an attempt fails or a working connection ends,
 * opens it again after the {@link ReconnectPolicy}'s delay, until {@link #stop()}. Used by push targets
 * and pull relays. Thread-safe; the listener is called with this object's lock held, so it only
 * records what it is told.
 */
public final class Reconnector {

    /**
     * One connection's life. {@code up} completes when it works (connected and publishing or
     * playing), {@code ended} when it is over (exceptionally with the reason, or normally when the
     * peer ended it). {@code cancel} closes it; it must make {@code ended} complete.
     */
    public interface Attempt {
        CompletableFuture<?> up();

        CompletableFuture<?> ended();

        void cancel();
    }

    /** What happens, for status displays. */
    public interface Listener {
        default void connecting(int attempt) {
        }

        default void up() {
        }

        /** The attempt failed or the connection ended; the next attempt is at {@code nextAttempt}. */
        default void retrying(Throwable cause, Instant nextAttempt) {
        }

        default void stopped() {
        }
    }

    private final ReconnectPolicy policy;
    private final ScheduledExecutorService scheduler;
    private final Supplier<Attempt> connector;
    private final Listener listener;
    private final Clock clock;

    private boolean running;
    private Attempt current;
    private ScheduledFuture<?> timer;
    private int failures;
    private int attempts;
    private long upSinceNanos;

    /**
     * @param connector starts one attempt; it must not throw (return an attempt whose futures failed)
     */
    public Reconnector(ReconnectPolicy policy, ScheduledExecutorService scheduler, Supplier<Attempt> connector,
                       Listener listener) {
        this(policy, scheduler, connector, listener, Clock.systemUTC());
    }

    Reconnector(ReconnectPolicy policy, ScheduledExecutorService scheduler, Supplier<Attempt> connector,
                Listener listener, Clock clock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.connector = Objects.requireNonNull(connector, "connector");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.clock = clock;
    }

    /** Starts the first attempt now. Idempotent. */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        attemptNow();
    }

    /** Ends the current connection and stops retrying. Idempotent. */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        Attempt a = current;
        current = null;
        if (a != null) {
            a.cancel();
        }
        listener.stopped();
    }

    public synchronized boolean isRunning() {
        return running;
    }

    /** Attempts after the first one. */
    public synchronized int reconnects() {
        return Math.max(0, attempts - 1);
    }

    /** Ends the current connection (e.g. it is too slow); the next attempt follows the policy. */
    public synchronized void restart(Throwable why) {
        Attempt a = current;
        if (a != null) {
            a.ended().completeExceptionally(why);
            a.cancel();
        }
    }

    private void attemptNow() {
        timer = null;
        if (!running) {
            return;
        }
        attempts++;
        listener.connecting(attempts);
        Attempt attempt;
        try {
            attempt = connector.get();
        } catch (RuntimeException e) {
            attempt = failed(e);
        }
        current = attempt;
        Attempt a = attempt;
        a.up().whenComplete((ok, error) -> onUp(a, error));
        a.ended().whenComplete((ok, error) -> onEnded(a, error));
    }

    private synchronized void onUp(Attempt a, Throwable error) {
        if (a != current || !running || error != null) {
            return; // failures before up are reported by ended
        }
        upSinceNanos = System.nanoTime();
        listener.up();
    }

    private synchronized void onEnded(Attempt a, Throwable error) {
        if (a != current || !running) {
            return;
        }
        current = null;
        a.cancel();
        boolean wasUp = a.up().isDone() && !a.up().isCompletedExceptionally();
        if (wasUp && System.nanoTime() - upSinceNanos >= policy.stableAfter().toNanos()) {
            failures = 0;
        }
        failures++;
        Throwable cause = error == null ? new IllegalStateException("the peer ended the stream") : unwrap(error);
        if (!a.up().isDone()) {
            a.up().completeExceptionally(cause);
        }
        Duration delay = policy.delay(failures, ThreadLocalRandom.current().nextDouble());
        listener.retrying(cause, Instant.now(clock).plus(delay));
        timer = scheduler.schedule(() -> {
            synchronized (Reconnector.this) {
                attemptNow();
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The cause inside CompletionException / ExecutionException wrappers. */
    public static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof java.util.concurrent.ExecutionException)
                && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static Attempt failed(Throwable e) {
        CompletableFuture<Void> f = CompletableFuture.failedFuture(e);
        return new Attempt() {
            @Override
            public CompletableFuture<?> up() {
                return f;
            }

            @Override
            public CompletableFuture<?> ended() {
                return f;
            }

            @Override
            public void cancel() {
            }
        };
    }
}
