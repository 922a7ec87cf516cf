package io.sluice.webhook;

import io.sluice.engine.spi.AccessRequest;
import io.sluice.engine.spi.SessionInfo;
import io.sluice.engine.spi.StreamEventListener;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The notifications: {@code on_publish_done}, {@code on_play_done}, {@code on_disconnect} from the
 * engine's events and {@code on_record_done} from the recording feature ({@link #recordDone}). Every
 * method returns at once; delivery happens on the sender's threads, retried with exponential backoff
 * on a non-2xx answer or an error (the retries keep the event id and body). Nothing here is on the
 * media path.
 */
@Component
public class WebhookNotifier implements StreamEventListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookNotifier.class);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(2);

    private final WebhookProperties properties;
    private final WebhookSender sender;
    private final SessionMemory memory;
    private final ScheduledExecutorService retries;
    private final AtomicInteger pending = new AtomicInteger();
    private final Object drained = new Object();

    WebhookNotifier(WebhookProperties properties, WebhookSender sender, SessionMemory memory) {
        this.properties = properties;
        this.sender = sender;
        this.memory = memory;
        this.retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "webhook-retry");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void publishEnded(SessionInfo session) {
        onSession(Hook.ON_PUBLISH_DONE, AccessRequest.Action.PUBLISH, session);
    }

    @Override
    public void playEnded(SessionInfo session) {
        onSession(Hook.ON_PLAY_DONE, AccessRequest.Action.PLAY, session);
    }

    @Override
    public void disconnected(SessionInfo session) {
        try {
            onSession(Hook.ON_DISCONNECT, AccessRequest.Action.CONNECT, session);
        } finally {
            memory.forget(session.id());
        }
    }

    /** Sends {@code on_record_done} for a finished recording (if configured); returns at once. */
    public void recordDone(RecordDoneEvent event) {
        WebhookProperties.HookSettings settings = properties.hooks().get(Hook.ON_RECORD_DONE);
        if (settings == null || event == null) {
            return;
        }
        try {
            SessionMemory.Remembered remembered = memory.find(event.sessionId(), AccessRequest.Action.PUBLISH,
                    event.stream());
            submit(HookEvent.forRecording(event, remembered), settings);
        } catch (RuntimeException e) {
            log.warn("on_record_done for session {} not sent", event.sessionId(), e);
        }
    }

    private void onSession(Hook hook, AccessRequest.Action action, SessionInfo session) {
        WebhookProperties.HookSettings settings = properties.hooks().get(hook);
        if (settings == null) {
            return;
        }
        try {
            SessionMemory.Remembered remembered = memory.find(session.id(), action,
                    action == AccessRequest.Action.CONNECT ? null : session.streamName());
            submit(HookEvent.forSession(hook, session, remembered), settings);
        } catch (RuntimeException e) {
            log.warn("{} for session {} not sent", hook.hookName(), session.id(), e);
        }
    }

    private void submit(HookEvent event, WebhookProperties.HookSettings settings) {
        if (pending.incrementAndGet() > properties.maxPendingNotifications()) {
            done();
            log.warn("{} for session {} dropped: {} notifications are already waiting", event.hook().hookName(),
                    event.sessionId(), properties.maxPendingNotifications());
            sender.dropped(event, settings);
            return;
        }
        deliver(event, settings, 1);
    }

    private void deliver(HookEvent event, WebhookProperties.HookSettings settings, int attempt) {
        sender.send(event, settings, attempt).whenComplete((result, error) -> {
            if (result != null && result.outcome() == WebhookSender.Outcome.OK) {
                done();
                return;
            }
            if (attempt > settings.retries()) {
                log.warn("{} for session {} not delivered after {} attempts", event.hook().hookName(),
                        event.sessionId(), attempt);
                done();
                return;
            }
            Duration delay = backoff(settings.backoff(), attempt);
            try {
                retries.schedule(() -> deliver(event, settings, attempt + 1), delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                done(); // shutting down
            }
        });
    }

    /** The delay after failed attempt {@code attempt}: backoff, doubling, at most five minutes. */
    static Duration backoff(Duration first, int attempt) {
        int doublings = Math.min(attempt - 1, 30);
        long millis = first.toMillis() << doublings;
        return millis <= 0 || millis > MAX_BACKOFF.toMillis() ? MAX_BACKOFF : Duration.ofMillis(millis);
    }

    private void done() {
        if (pending.decrementAndGet() <= 0) {
            synchronized (drained) {
                drained.notifyAll();
            }
        }
    }

    /** Notifications not yet delivered or given up (including those waiting for a retry). */
    int pending() {
        return Math.max(0, pending.get());
    }

    /** Gives notifications in flight (e.g. the disconnects of the engine's shutdown) a short grace. */
    @Override
    @PreDestroy
    public void close() {
        long deadline = System.nanoTime() + SHUTDOWN_GRACE.toNanos();
        synchronized (drained) {
            long left;
            while (pending.get() > 0 && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(drained, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        retries.shutdownNow();
    }
}
