package io.sluice.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.engine.spi.AccessDecision;
import io.sluice.engine.spi.SessionInfo;
import io.sluice.webhook.CallbackReceiver.Reply;
import io.sluice.webhook.WebhookProperties.FailurePolicy;
import io.sluice.webhook.WebhookProperties.Format;
import io.sluice.webhook.WebhookProperties.HookSettings;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The notifications: asynchronous, retried with backoff, carrying what the gates saw. */
@Timeout(30)
class WebhookNotifierTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final CallbackReceiver receiver = CallbackReceiver.start();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final DeliveryLog deliveries = new DeliveryLog(50);
    private final WebhookSender sender = new WebhookSender(deliveries, meters);
    private final SessionMemory memory = new SessionMemory();
    private WebhookNotifier notifier;

    @AfterEach
    void stop() {
        if (notifier != null) {
            notifier.close();
        }
        sender.close();
        receiver.close();
    }

    private static HookSettings settings(String url, Format format, int retries, Duration backoff) {
        return new HookSettings(url, format, Duration.ofSeconds(2), FailurePolicy.DENY, "s3cret", retries, backoff);
    }

    private WebhookProperties properties(Map<Hook, HookSettings> hooks) {
        return new WebhookProperties(hooks, 50, 100);
    }

    private static SessionInfo session(long id, SessionInfo.Role role, String stream, String label) {
        return new SessionInfo(id, new InetSocketAddress("198.51.100.4", 61000), role, "live", stream,
                Instant.now().minusSeconds(30), 1000, 2000, "FMLE/3.0", "rtmp://example.com/live", label);
    }

    static void awaitCondition(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }

    @Test
    void failedNotificationsAreRetriedWithBackoffUntilDelivered() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        receiver.on("/done", r -> calls.incrementAndGet() <= 2 ? Reply.status(500) : Reply.ok());
        Duration backoff = Duration.ofMillis(100);
        notifier = new WebhookNotifier(properties(Map.of(Hook.ON_PUBLISH_DONE,
                settings(receiver.url("/done"), Format.JSON, 3, backoff))), sender, memory);

        long start = System.nanoTime();
        notifier.publishEnded(session(5, SessionInfo.Role.PUBLISHER, "cam", null));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("returns at once").isLessThan(100);

        CallbackReceiver.Received first = receiver.take(WAIT);
        CallbackReceiver.Received second = receiver.take(WAIT);
        CallbackReceiver.Received third = receiver.take(WAIT);
        awaitCondition(WAIT, "the delivery to be settled", () -> notifier.pending() == 0);
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(tookMs).as("100 ms, then 200 ms backoff").isGreaterThanOrEqualTo(300);
        assertThat(List.of(second, third)).allSatisfy(r -> {
            assertThat(r.body()).as("a retry sends the same body").isEqualTo(first.body());
            assertThat(r.header("X-Sluice-Event-Id")).isEqualTo(first.header("X-Sluice-Event-Id"));
            assertThat(r.header("X-Sluice-Signature")).isEqualTo(first.header("X-Sluice-Signature"));
        });
        List<Delivery> log = deliveries.recent(10);
        assertThat(log).extracting(Delivery::attempt).containsExactly(3, 2, 1);
        assertThat(log).extracting(Delivery::status).containsExactly(200, 500, 500);
        assertThat(log).extracting(Delivery::outcome).containsExactly("ok", "rejected", "rejected");
        assertThat(log).extracting(Delivery::hook).containsOnly("on_publish_done");
        assertThat(log).extracting(Delivery::eventId).containsOnly(first.header("X-Sluice-Event-Id"));
        assertThat(log.get(1).error()).isEqualTo("HTTP 500");
        assertThat(meters.get(WebhookSender.FAILURES_METRIC).tag("hook", "on_publish_done").counter().count())
                .isEqualTo(2.0);
        assertThat(receiver.poll(Duration.ofMillis(300))).as("no more attempts after success").isNull();
    }

    @Test
    void notificationsGiveUpAfterTheirRetries() throws Exception {
        receiver.on("/down", Reply.status(503));
        notifier = new WebhookNotifier(properties(Map.of(Hook.ON_DISCONNECT,
                settings(receiver.url("/down"), Format.NGINX, 1, Duration.ofMillis(50)))), sender, memory);

        notifier.disconnected(session(9, SessionInfo.Role.IDLE, null, null));

        receiver.take(WAIT);
        receiver.take(WAIT);
        awaitCondition(WAIT, "the delivery to be given up", () -> notifier.pending() == 0);
        assertThat(receiver.poll(Duration.ofMillis(300))).isNull();
        assertThat(deliveries.recent(10)).extracting(Delivery::attempt).containsExactly(2, 1);
    }

    @Test
    void anUnreachableReceiverIsRetriedToo() throws Exception {
        notifier = new WebhookNotifier(properties(Map.of(Hook.ON_PLAY_DONE,
                settings(CallbackReceiver.refusingUrl("/x"), Format.JSON, 2, Duration.ofMillis(20)))), sender, memory);

        notifier.playEnded(session(9, SessionInfo.Role.PLAYER, "cam", null));

        awaitCondition(WAIT, "three attempts", () -> deliveries.recent(10).size() == 3);
        awaitCondition(WAIT, "the delivery to be given up", () -> notifier.pending() == 0);
        assertThat(deliveries.recent(10)).extracting(Delivery::outcome).containsOnly("error");
    }

    @Test
    void doneNotificationsCarryWhatTheGateSawInNginxFormat() throws Exception {
        Map<Hook, HookSettings> hooks = new EnumMap<>(Hook.class);
        hooks.put(Hook.ON_PUBLISH_DONE, settings(receiver.url("/publish_done"), Format.NGINX, 0, Duration.ofSeconds(1)));
        hooks.put(Hook.ON_DISCONNECT, settings(receiver.url("/disconnect"), Format.NGINX, 0, Duration.ofSeconds(1)));
        WebhookProperties properties = properties(hooks);
        notifier = new WebhookNotifier(properties, sender, memory);
        WebhookGate gate = new WebhookGate(properties, sender, memory);
        // the stream key step renamed the secret key to its public name; no on_publish hook is configured
        gate.check(WebhookGateTest.publish("secret-key", "token=abc", Map.of("token", "abc")),
                AccessDecision.allowAs("studio", false, "Studio A")).toCompletableFuture().get(5, TimeUnit.SECONDS);

        notifier.publishEnded(session(7, SessionInfo.Role.PUBLISHER, "studio", "Studio A"));
        notifier.disconnected(session(7, SessionInfo.Role.IDLE, "studio", "Studio A"));

        Map<String, String> done = receiver.take(WAIT, r -> r.path().equals("/publish_done")).form();
        assertThat(done).containsEntry("call", "publish_done").containsEntry("app", "live")
                .containsEntry("name", "secret-key").containsEntry("token", "abc").containsEntry("clientid", "7")
                .containsEntry("addr", "198.51.100.4").containsEntry("swfurl", "http://swf.example/p.swf");
        Map<String, String> disconnect = receiver.take(WAIT, r -> r.path().equals("/disconnect")).form();
        assertThat(disconnect).containsEntry("call", "disconnect").containsEntry("clientid", "7")
                .doesNotContainKey("name");
        assertThat(memory.size()).as("forgotten on disconnect").isZero();
        awaitCondition(WAIT, "the deliveries to be settled", () -> notifier.pending() == 0);
    }

    @Test
    void recordDoneIsSentAsJsonWithTheRecordingFields() throws Exception {
        notifier = new WebhookNotifier(properties(Map.of(Hook.ON_RECORD_DONE,
                settings(receiver.url("/record"), Format.JSON, 3, Duration.ofSeconds(1)))), sender, memory);

        notifier.recordDone(new RecordDoneEvent(12, "live", "studio", "Studio A", "/data/recordings/studio-1.flv",
                61.5, 1_234_567L));

        CallbackReceiver.Received r = receiver.take(WAIT);
        JsonNode body = r.json();
        assertThat(body.get("action").asText()).isEqualTo("record_done");
        assertThat(body.get("sessionId").asLong()).isEqualTo(12);
        assertThat(body.get("stream").asText()).isEqualTo("studio");
        assertThat(body.get("keyLabel").asText()).isEqualTo("Studio A");
        assertThat(body.get("path").asText()).isEqualTo("/data/recordings/studio-1.flv");
        assertThat(body.get("durationSeconds").asDouble()).isEqualTo(61.5);
        assertThat(body.get("sizeBytes").asLong()).isEqualTo(1_234_567L);
        assertThat(r.header("X-Sluice-Signature")).isEqualTo("sha256=" + CallbackReceiver.hmacHex("s3cret", r.body()));
        assertThat(r.header("X-Sluice-Event")).isEqualTo("on_record_done");
        awaitCondition(WAIT, "the delivery to be settled", () -> notifier.pending() == 0);
    }

    @Test
    void recordDoneInNginxFormat() throws Exception {
        notifier = new WebhookNotifier(properties(Map.of(Hook.ON_RECORD_DONE,
                settings(receiver.url("/record"), Format.NGINX, 3, Duration.ofSeconds(1)))), sender, memory);

        notifier.recordDone(new RecordDoneEvent(12, "live", "studio", null, "/rec/studio.flv", 1, 2));

        assertThat(receiver.take(WAIT).form()).containsEntry("call", "record_done").containsEntry("name", "studio")
                .containsEntry("path", "/rec/studio.flv").containsEntry("app", "live");
        awaitCondition(WAIT, "the delivery to be settled", () -> notifier.pending() == 0);
    }

    @Test
    void unconfiguredNotificationsSendNothing() throws Exception {
        notifier = new WebhookNotifier(properties(Map.of()), sender, memory);

        notifier.publishEnded(session(1, SessionInfo.Role.PUBLISHER, "cam", null));
        notifier.playEnded(session(1, SessionInfo.Role.PLAYER, "cam", null));
        notifier.disconnected(session(1, SessionInfo.Role.IDLE, "cam", null));
        notifier.recordDone(new RecordDoneEvent(1, "live", "cam", null, "/x.flv", 1, 1));

        assertThat(receiver.poll(Duration.ofMillis(300))).isNull();
        assertThat(deliveries.recent(10)).isEmpty();
    }

    @Test
    void tooManyPendingNotificationsAreDroppedAndCounted() throws Exception {
        receiver.on("/slow", Reply.hang());
        HookSettings slow = new HookSettings(receiver.url("/slow"), Format.JSON, Duration.ofSeconds(3),
                FailurePolicy.DENY, null, 0, Duration.ofSeconds(1));
        notifier = new WebhookNotifier(new WebhookProperties(Map.of(Hook.ON_PLAY_DONE, slow), 50, 2), sender, memory);

        for (int i = 0; i < 3; i++) {
            notifier.playEnded(session(i, SessionInfo.Role.PLAYER, "cam", null));
        }

        assertThat(deliveries.recent(10)).singleElement().satisfies(d -> {
            assertThat(d.outcome()).isEqualTo("dropped");
            assertThat(d.status()).isNull();
        });
        assertThat(meters.get(WebhookSender.FAILURES_METRIC).tag("outcome", "dropped").counter().count())
                .isEqualTo(1.0);
        assertThat(notifier.pending()).isEqualTo(2);
        receiver.close(); // the two waiting calls fail now, and are not retried
        awaitCondition(WAIT, "the waiting calls to end", () -> notifier.pending() == 0);
    }

    @Test
    void backoffDoublesAndIsCapped() {
        assertThat(WebhookNotifier.backoff(Duration.ofSeconds(1), 1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(WebhookNotifier.backoff(Duration.ofSeconds(1), 2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(WebhookNotifier.backoff(Duration.ofSeconds(1), 3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(WebhookNotifier.backoff(Duration.ofSeconds(1), 20)).isEqualTo(Duration.ofMinutes(5));
        assertThat(WebhookNotifier.backoff(Duration.ofSeconds(1), 64)).isEqualTo(Duration.ofMinutes(5));
    }
}
