package io.sluice.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Makes one call to a hook, never blocking the caller: the request is built and sent on the sender's
 * own threads with the JDK client's {@code sendAsync}, bounded by the hook's timeout, and at most
 * {@value #MAX_REPLY_BYTES} bytes of the reply are read. Every attempt goes to the delivery log and the
 * metrics. The returned stage always completes normally, with the attempt's outcome.
 */
@Component
class WebhookSender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);

    static final int MAX_REPLY_BYTES = 64 * 1024;
    static final String EVENT_ID_HEADER = "X-Sluice-Event-Id";
    static final String EVENT_HEADER = "X-Sluice-Event";
    static final String SIGNATURE_HEADER = "X-Sluice-Signature";
    static final String LATENCY_METRIC = "sluice.webhook.latency";
    static final String FAILURES_METRIC = "sluice.webhook.failures";
    private static final int THREADS = 4;

    /** How an attempt ended. */
    enum Outcome {
        /** 2xx (with a valid reply, for JSON gates). */
        OK,
        /** 3xx with a usable Location (nginx-format gates): rename. */
        REDIRECT,
        /** Any other HTTP status. */
        REJECTED,
        /** No complete answer within the timeout. */
        TIMEOUT,
        /** Could not connect, or the connection failed. */
        ERROR,
        /** 2xx/3xx whose reply cannot be understood. */
        INVALID_REPLY,
        /** A notification not sent: too many were waiting. */
        DROPPED;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One attempt's result.
     *
     * @param status the HTTP status, or null without an answer
     * @param rename the stream name from a 3xx Location (nginx format) or null
     * @param reply  a JSON gate's parsed reply, or null
     */
    record Attempt(Outcome outcome, Integer status, String error, String rename, WebhookReply reply, long latencyMs) {

        /** Whether the hook's policy applies (no usable answer). */
        boolean failed() {
            return outcome == Outcome.TIMEOUT || outcome == Outcome.ERROR || outcome == Outcome.INVALID_REPLY
                    || outcome == Outcome.DROPPED;
        }

        static Attempt of(Outcome outcome, Integer status, String error) {
            return new Attempt(outcome, status, error, null, null, 0);
        }

        Attempt withLatency(long millis) {
            return new Attempt(outcome, status, error, rename, reply, millis);
        }
    }

    private final DeliveryLog deliveries;
    private final MeterRegistry meters;
    private final ExecutorService executor;
    /** The executor, or the calling thread once it is shut down: a stage always completes. */
    private final java.util.concurrent.Executor completions;
    private final HttpClient client;

    WebhookSender(DeliveryLog deliveries, MeterRegistry meters) {
        this.deliveries = deliveries;
        this.meters = meters;
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "webhook-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.completions = task -> {
            try {
                executor.execute(task);
            } catch (RejectedExecutionException e) {
                task.run();
            }
        };
        this.client = HttpClient.newBuilder()
                .executor(executor)
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Calls the hook once; {@code attempt} is 1 for the first try. */
    CompletableFuture<Attempt> send(HookEvent event, WebhookProperties.HookSettings settings, int attempt) {
        CompletableFuture<Attempt> result = new CompletableFuture<>();
        long start = System.nanoTime();
        try {
            // building the request may resolve names: never on the caller's (event loop) thread
            executor.execute(() -> call(event, settings, attempt, start, result));
        } catch (RejectedExecutionException e) {
            finish(event, settings, attempt, start, result, Attempt.of(Outcome.ERROR, null, "shutting down"));
        }
        return result;
    }

    /** Records a notification that was not sent because too many were waiting. */
    void dropped(HookEvent event, WebhookProperties.HookSettings settings) {
        finish(event, settings, 1, System.nanoTime(), new CompletableFuture<>(),
                Attempt.of(Outcome.DROPPED, null, "not sent: too many notifications waiting"));
    }

    private void call(HookEvent event, WebhookProperties.HookSettings settings, int attempt, long start,
                      CompletableFuture<Attempt> result) {
        CompletableFuture<HttpResponse<BoundedBody.Reply>> http;
        try {
            WebhookBodies.Body body = WebhookBodies.encode(event, settings.format());
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(settings.url()))
                    .timeout(settings.timeout())
                    .header("Content-Type", body.contentType())
                    .header("User-Agent", "Sluice-Webhook/1")
                    .header(EVENT_ID_HEADER, event.eventId())
                    .header(EVENT_HEADER, event.hook().hookName())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()));
            if (settings.signed()) {
                request.header(SIGNATURE_HEADER, WebhookBodies.signature(settings.secret(), body.bytes()));
            }
            if (settings.format() == WebhookProperties.Format.JSON) {
                request.header("Accept", WebhookBodies.JSON);
            }
            http = client.sendAsync(request.build(), BoundedBody.handler(MAX_REPLY_BYTES));
        } catch (RuntimeException e) {
            finish(event, settings, attempt, start, result,
                    Attempt.of(Outcome.ERROR, null, "cannot send: " + describe(e)));
            return;
        }
        // the JDK completes sendAsync's stage on a thread of its own: continue on ours
        http.copy().orTimeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS).whenCompleteAsync((response, error) -> {
            if (error != null) {
                http.cancel(true);
            }
            Attempt outcome;
            try {
                outcome = error != null ? failure(error, settings) : interpret(event.hook(), settings, response);
            } catch (RuntimeException e) {
                outcome = Attempt.of(Outcome.INVALID_REPLY, response == null ? null : response.statusCode(),
                        "cannot read reply: " + describe(e));
            }
            finish(event, settings, attempt, start, result, outcome);
        }, completions);
    }

    static Attempt interpret(Hook hook, WebhookProperties.HookSettings settings,
                             HttpResponse<BoundedBody.Reply> response) {
        int status = response.statusCode();
        boolean json = settings.format() == WebhookProperties.Format.JSON;
        if (status >= 200 && status < 300) {
            if (!hook.gate() || !json) {
                return Attempt.of(Outcome.OK, status, null);
            }
            BoundedBody.Reply body = response.body();
            if (body.truncated()) {
                return Attempt.of(Outcome.INVALID_REPLY, status, "reply larger than " + (MAX_REPLY_BYTES / 1024)
                        + " KiB");
            }
            String contentType = response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
            if (body.blank() || !(contentType.isEmpty() || contentType.contains("json"))) {
                return Attempt.of(Outcome.OK, status, null);
            }
            WebhookReply reply;
            try {
                reply = WebhookBodies.parseReply(body.bytes());
            } catch (WebhookBodies.InvalidReplyException e) {
                return Attempt.of(Outcome.INVALID_REPLY, status, e.getMessage());
            }
            if (reply.streamName() != null && hook != Hook.ON_CONNECT && !StreamNameRule.valid(reply.streamName())) {
                return Attempt.of(Outcome.INVALID_REPLY, status, "reply streamName is not a valid stream name");
            }
            return new Attempt(Outcome.OK, status, null, null, reply, 0);
        }
        if (status >= 300 && status < 400 && hook.gate() && !json) {
            String name = StreamNameRule.fromLocation(response.headers().firstValue("Location").orElse(null));
            if (hook == Hook.ON_CONNECT) {
                return Attempt.of(Outcome.REJECTED, status, "HTTP " + status + " (a connect cannot be redirected)");
            }
            if (name == null || !StreamNameRule.valid(name)) {
                return Attempt.of(Outcome.INVALID_REPLY, status, "HTTP " + status
                        + " without a Location that is a valid stream name");
            }
            return new Attempt(Outcome.REDIRECT, status, null, name, null, 0);
        }
        return Attempt.of(Outcome.REJECTED, status, "HTTP " + status);
    }

    private static Attempt failure(Throwable error, WebhookProperties.HookSettings settings) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof TimeoutException || cause instanceof HttpTimeoutException) {
            return Attempt.of(Outcome.TIMEOUT, null, "timed out after " + settings.timeout().toMillis() + " ms");
        }
        if (cause instanceof ConnectException) {
            return Attempt.of(Outcome.ERROR, null, "cannot connect: " + describe(cause));
        }
        if (cause instanceof IOException) {
            return Attempt.of(Outcome.ERROR, null, "I/O error: " + describe(cause));
        }
        return Attempt.of(Outcome.ERROR, null, describe(cause));
    }

    private void finish(HookEvent event, WebhookProperties.HookSettings settings, int attempt, long start,
                        CompletableFuture<Attempt> result, Attempt outcome) {
        long latencyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        Attempt done = outcome.withLatency(latencyMs);
        Hook hook = event.hook();
        try {
            String url = Urls.redact(settings.url());
            deliveries.add(new Delivery(event.eventId(), hook.action(), hook.hookName(), url, done.status(), latencyMs,
                    done.error(), attempt, Instant.now(), done.outcome().tag()));
            Timer.builder(LATENCY_METRIC).description("Webhook call latency")
                    .tag("hook", hook.hookName()).tag("outcome", done.outcome().tag())
                    .register(meters).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            if (isFailure(hook, done)) {
                Counter.builder(FAILURES_METRIC).description("Webhook calls that failed")
                        .tag("hook", hook.hookName()).tag("outcome", done.outcome().tag())
                        .register(meters).increment();
                if (hook.gate() && done.failed()) {
                    // the gate logs it once, with what its failure policy made of it
                    log.debug("{} for session {} to {} failed: {}", hook.hookName(), event.sessionId(), url,
                            done.error());
                } else {
                    log.warn("{} for session {} to {} failed (attempt {}): {}", hook.hookName(), event.sessionId(),
                            url, attempt, done.error());
                }
            } else {
                log.debug("{} for session {} to {}: {} {} in {} ms (attempt {})", hook.hookName(), event.sessionId(),
                        url, done.outcome().tag(), done.status(), latencyMs, attempt);
            }
        } catch (RuntimeException e) {
            log.warn("recording the {} delivery failed", hook.hookName(), e);
        } finally {
            result.complete(done);
        }
    }

    /** A failure for the metrics: no usable answer; for notifications also any status but 2xx; 5xx for gates. */
    static boolean isFailure(Hook hook, Attempt attempt) {
        if (attempt.failed()) {
            return true;
        }
        if (!hook.gate()) {
            return attempt.outcome() != Outcome.OK;
        }
        return attempt.status() != null && attempt.status() >= 500;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        String text = message == null || message.isBlank() ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + message;
        // a broken callback server's bytes end up in these messages: no control characters into the log
        text = text.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    @Override
    @PreDestroy
    public void close() {
        executor.shutdownNow();
    }
}
