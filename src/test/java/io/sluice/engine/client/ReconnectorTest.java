package io.sluice.engine.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The backoff policy's numbers, and the reconnector's loop with attempts that fail, work and end. */
@Timeout(20)
class ReconnectorTest {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void tearDown() {
        scheduler.shutdownNow();
    }

    @Test
    void delaysGrowExponentiallyUpToTheCapWithBoundedJitter() {
        ReconnectPolicy p = new ReconnectPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30), 2.0, 0.2,
                Duration.ofSeconds(10));
        assertThat(p.delay(1, 0.5)).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.delay(2, 0.5)).isEqualTo(Duration.ofSeconds(2));
        assertThat(p.delay(5, 0.5)).isEqualTo(Duration.ofSeconds(16));
        assertThat(p.delay(6, 0.5)).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.delay(60, 0.5)).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.delay(1, 0.0)).isEqualTo(Duration.ofMillis(800));
        assertThat(p.delay(1, 0.999999)).isEqualTo(Duration.ofMillis(1200));
        assertThat(p.delay(60, 0.999999)).as("never above the cap").isEqualTo(Duration.ofSeconds(30));
        assertThatThrownBy(() -> new ReconnectPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 0,
                Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReconnectPolicy(Duration.ZERO, Duration.ofSeconds(1), 0.5, 0, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** An attempt the test completes by hand. */
    static final class Manual implements Reconnector.Attempt {
        final CompletableFuture<Void> up = new CompletableFuture<>();
        final CompletableFuture<Void> ended = new CompletableFuture<>();
        volatile boolean cancelled;

        @Override
        public CompletableFuture<Void> up() {
            return up;
        }

        @Override
        public CompletableFuture<Void> ended() {
            return ended;
        }

        @Override
        public void cancel() {
            cancelled = true;
            ended.complete(null);
        }
    }

    @Test
    void retriesFailuresWithBackoffReportsEachStateAndStopsCleanly() throws Exception {
        List<Manual> attempts = new CopyOnWriteArrayList<>();
        List<String> events = new CopyOnWriteArrayList<>();
        ReconnectPolicy policy = new ReconnectPolicy(Duration.ofMillis(50), Duration.ofMillis(200), 2.0, 0,
                Duration.ofSeconds(10));
        Reconnector r = new Reconnector(policy, scheduler, () -> {
            Manual m = new Manual();
            attempts.add(m);
            return m;
        }, new Reconnector.Listener() {
            @Override
            public void connecting(int attempt) {
                events.add("connecting " + attempt);
            }

            @Override
            public void up() {
                events.add("up");
            }

            @Override
            public void retrying(Throwable cause, Instant nextAttempt) {
                events.add("retrying: " + cause.getMessage());
            }

            @Override
            public void stopped() {
                events.add("stopped");
            }
        });
        r.start();
        assertThat(attempts).hasSize(1);
        long failedAt = System.nanoTime();
        attempts.get(0).ended.completeExceptionally(new IOException("refused"));
        await(() -> attempts.size() == 2);
        assertThat((System.nanoTime() - failedAt) / 1_000_000).as("first retry after ~50 ms").isGreaterThanOrEqualTo(45);
        attempts.get(1).ended.completeExceptionally(new IOException("refused again"));
        await(() -> attempts.size() == 3);
        attempts.get(2).up.complete(null);
        await(() -> events.contains("up"));
        attempts.get(2).ended.complete(null); // the peer ended it
        await(() -> attempts.size() == 4);
        assertThat(r.reconnects()).isEqualTo(3);
        r.stop();
        assertThat(attempts.get(3).cancelled).isTrue();
        assertThat(events).containsExactly("connecting 1", "retrying: refused", "connecting 2",
                "retrying: refused again", "connecting 3", "up", "retrying: the peer ended the stream",
                "connecting 4", "stopped");
        Thread.sleep(300); // stopped: no attempt after this
        assertThat(attempts).hasSize(4);
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("timed out").isNegative();
            Thread.sleep(5);
        }
    }
}
