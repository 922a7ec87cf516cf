package io.sluice.engine.client;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A {@link Reconnector.Attempt} over one {@link RtmpClient}: connect, then {@code begin} (publish or
 * play); up once {@code begin} completes, ended when the connection closes (with the reason the client
 * saw), when {@code begin} fails, or when the owner calls {@link #end(Throwable)}.
 */
public final class ClientAttempt implements Reconnector.Attempt {
    private static final Duration GOODBYE_TIMEOUT = Duration.ofSeconds(2);

    private final CompletableFuture<RtmpClient> connecting;
    private final CompletableFuture<RtmpClient> up = new CompletableFuture<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private volatile Function<RtmpClient, CompletableFuture<?>> goodbye = c -> CompletableFuture.completedFuture(null);
    private volatile RtmpClient client;

    private ClientAttempt(String url, RtmpClient.Options options, Function<RtmpClient, CompletableFuture<?>> begin) {
        CompletableFuture<RtmpClient> c;
        try {
            c = RtmpClient.connect(url, options);
        } catch (RuntimeException e) {
            c = CompletableFuture.failedFuture(e);
        }
        connecting = c;
        connecting.whenComplete((rtmp, error) -> {
            if (error != null) {
                ended.completeExceptionally(Reconnector.unwrap(error));
                return;
            }
            client = rtmp;
            rtmp.closeFuture().thenRun(() -> {
                Throwable why = rtmp.failure();
                ended.completeExceptionally(why != null ? why
                        : new IOException("connection closed by " + rtmp.url().host() + ":" + rtmp.url().port()));
            });
            if (ended.isDone()) {
                rtmp.closeAsync();
                return;
            }
            CompletableFuture<?> started;
            try {
                started = begin.apply(rtmp);
            } catch (RuntimeException e) {
                started = CompletableFuture.failedFuture(e);
            }
            started.whenComplete((ok, e) -> {
                if (e != null) {
                    ended.completeExceptionally(Reconnector.unwrap(e));
                    rtmp.closeAsync();
                } else {
                    up.complete(rtmp);
                }
            });
        });
        ended.whenComplete((ok, e) -> {
            if (!up.isDone()) {
                up.completeExceptionally(e != null ? e : new IOException("ended before it started"));
            }
        });
    }

    /** Connects to {@code url} and runs {@code begin} (e.g. {@code c -> c.publish()}) once connected. */
    public static ClientAttempt start(String url, RtmpClient.Options options,
                                      Function<RtmpClient, CompletableFuture<?>> begin) {
        return new ClientAttempt(url, options, begin);
    }

    /** What to send before closing on {@link #cancel()} when the attempt is up (e.g. unpublish). */
    public ClientAttempt onCancel(Function<RtmpClient, CompletableFuture<?>> goodbyeMessage) {
        goodbye = goodbyeMessage;
        return this;
    }

    /** The connected client, or null before. */
    public RtmpClient client() {
        return client;
    }

    @Override
    public CompletableFuture<RtmpClient> up() {
        return up;
    }

    @Override
    public CompletableFuture<Void> ended() {
        return ended;
    }

    /** Ends this attempt with {@code why} (e.g. the remote stream ended) and closes the connection. */
    public void end(Throwable why) {
        ended.completeExceptionally(why);
        cancel();
    }

    @Override
    public void cancel() {
        connecting.cancel(false);
        RtmpClient c = client;
        if (c == null) {
            ended.complete(null);
            return;
        }
        CompletableFuture<?> bye;
        try {
            bye = up.isDone() && !up.isCompletedExceptionally() && c.isActive() ? goodbye.apply(c)
                    : CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            bye = CompletableFuture.completedFuture(null);
        }
        bye.orTimeout(GOODBYE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((ok, e) -> c.closeAsync().thenRun(() -> ended.complete(null)));
    }
}
