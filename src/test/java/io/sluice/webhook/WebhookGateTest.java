package io.sluice.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.engine.spi.AccessDecision;
import io.sluice.engine.spi.AccessRequest;
import io.sluice.webhook.CallbackReceiver.Reply;
import io.sluice.webhook.WebhookProperties.FailurePolicy;
import io.sluice.webhook.WebhookProperties.Format;
import io.sluice.webhook.WebhookProperties.HookSettings;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The gates as an access step, against a real HTTP receiver; no engine. */
@Timeout(30)
class WebhookGateTest {
    private static final String SECRET = "hook-secret-\u00e9";
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final CallbackReceiver receiver = CallbackReceiver.start();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final DeliveryLog deliveries = new DeliveryLog(50);
    private final WebhookSender sender = new WebhookSender(deliveries, meters);
    private final SessionMemory memory = new SessionMemory();

    @AfterEach
    void stop() {
        sender.close();
        receiver.close();
    }

    static AccessRequest publish(String name, String query, Map<String, String> params) {
        return new AccessRequest(AccessRequest.Action.PUBLISH, 7, new InetSocketAddress("192.0.2.10", 50123), "live",
                name, query, params, "rtmp://example.com/live", "FMLE/3.0 (compatible; test)", "http://swf.example/p.swf",
                "http://page.example/", "live");
    }

    static AccessRequest play(String name) {
        return new AccessRequest(AccessRequest.Action.PLAY, 8, new InetSocketAddress("192.0.2.11", 50124), "live",
                name, "", Map.of(), "rtmp://example.com/live", "LNX 9,0,124,2", "", "", "");
    }

    static HookSettings hook(String url, Format format) {
        return new HookSettings(url, format, Duration.ofSeconds(2), FailurePolicy.DENY, SECRET, 3, Duration.ofSeconds(1));
    }

    static HookSettings hook(String url, Format format, Duration timeout, FailurePolicy policy) {
        return new HookSettings(url, format, timeout, policy, null, 3, Duration.ofSeconds(1));
    }

    private WebhookGate gate(Hook hook, HookSettings settings) {
        return new WebhookGate(new WebhookProperties(Map.of(hook, settings), 50, 100), sender, memory);
    }

    private static AccessDecision await(java.util.concurrent.CompletionStage<AccessDecision> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    // ---- nginx format ---------------------------------------------------------------------------

    @Test
    void nginxFormatSendsNginxRtmpFieldsAndTheClientsQueryAnd2xxAllows() throws Exception {
        receiver.on("/publish", Reply.status(204));
        WebhookGate gate = gate(Hook.ON_PUBLISH, hook(receiver.url("/publish"), Format.NGINX));

        AccessDecision soFar = AccessDecision.allowAs("public-name", true, "studio key");
        AccessDecision decision = await(gate.check(publish("secret-key", "token=a%20b&call=evil&x=1",
                Map.of("token", "a b", "call", "evil", "x", "1")), soFar));

        assertThat(decision).isEqualTo(soFar);
        CallbackReceiver.Received r = receiver.take(WAIT);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
        Map<String, String> form = r.form();
        assertThat(form).containsEntry("call", "publish")
                .containsEntry("app", "live")
                .containsEntry("name", "secret-key") // nginx-rtmp: the name as the client sent it
                .containsEntry("type", "live")
                .containsEntry("addr", "192.0.2.10")
                .containsEntry("clientid", "7")
                .containsEntry("tcurl", "rtmp://example.com/live")
                .containsEntry("flashver", "FMLE/3.0 (compatible; test)")
                .containsEntry("swfurl", "http://swf.example/p.swf")
                .containsEntry("pageurl", "http://page.example/")
                .containsEntry("token", "a b")
                .containsEntry("x", "1");
        assertThat(form.get("call")).as("a client cannot override the fields").isEqualTo("publish");
        assertThat(r.header("X-Sluice-Signature")).isEqualTo("sha256=" + CallbackReceiver.hmacHex(SECRET, r.body()));
        assertThat(UUID.fromString(r.header("X-Sluice-Event-Id"))).isNotNull();
        assertThat(r.header("X-Sluice-Event")).isEqualTo("on_publish");
    }

    @Test
    void nginxFormatDeniesAnythingElse() throws Exception {
        receiver.on("/publish", Reply.status(403));
        WebhookGate gate = gate(Hook.ON_PUBLISH, hook(receiver.url("/publish"), Format.NGINX));

        AccessDecision decision = await(gate.check(publish("cam", "", Map.of()), AccessDecision.allow()));

        assertThat(decision.allowed()).isFalse();
        assertThat(decision.reason()).isEqualTo(AccessDecision.Reason.UNAUTHORIZED);
        assertThat(decision.description()).isEqualTo("Refused by on_publish callback: HTTP 403");
        assertThat(deliveries.recent(10)).singleElement().satisfies(d -> {
            assertThat(d.status()).isEqualTo(403);
            assertThat(d.hook()).isEqualTo("on_publish");
            assertThat(d.event()).isEqualTo("publish");
            assertThat(d.outcome()).isEqualTo("rejected");
            assertThat(d.attempt()).isEqualTo(1);
        });
    }

    @Test
    void nginxRedirectRenamesTheStreamToTheLocationOrItsLastPathSegment() throws Exception {
        receiver.on("/plain", Reply.redirect("renamed"));
        receiver.on("/url", Reply.redirect("http://auth.example/streams/alice?x=1"));
        AccessDecision soFar = AccessDecision.allowAs("public", true, "label");

        AccessDecision plain = await(gate(Hook.ON_PUBLISH, hook(receiver.url("/plain"), Format.NGINX))
                .check(publish("cam", "", Map.of()), soFar));
        AccessDecision url = await(gate(Hook.ON_PLAY, hook(receiver.url("/url"), Format.NGINX))
                .check(play("cam"), AccessDecision.allow()));

        assertThat(plain).isEqualTo(AccessDecision.allowAs("renamed", true, "label"));
        assertThat(url.allowed()).isTrue();
        assertThat(url.streamName()).isEqualTo("alice");
    }

    @Test
    void aRedirectToAnInvalidNameIsAnUnusableReplyAndAppliesThePolicy() throws Exception {
        receiver.on("/bad", Reply.redirect("/live/.hidden"));
        receiver.on("/none", Reply.status(302));
        HookSettings bad = hook(receiver.url("/bad"), Format.NGINX, Duration.ofSeconds(2), FailurePolicy.DENY);
        HookSettings none = hook(receiver.url("/none"), Format.NGINX, Duration.ofSeconds(2), FailurePolicy.ALLOW);

        AccessDecision denied = await(gate(Hook.ON_PUBLISH, bad).check(publish("cam", "", Map.of()),
                AccessDecision.allow()));
        AccessDecision allowed = await(gate(Hook.ON_PUBLISH, none).check(publish("cam", "", Map.of()),
                AccessDecision.allow()));

        assertThat(denied.allowed()).isFalse();
        assertThat(denied.description()).isEqualTo("Refused by on_publish callback: callback failed (invalid reply)");
        assertThat(allowed).isEqualTo(AccessDecision.allow());
    }

    // ---- JSON format ----------------------------------------------------------------------------

    @Test
    void jsonFormatSendsTheDocumentedBodySignedWithTheSharedSecret() throws Exception {
        WebhookGate gate = gate(Hook.ON_PUBLISH, hook(receiver.url("/json"), Format.JSON));
        Instant before = Instant.now();

        AccessDecision soFar = AccessDecision.allowAs("public-name", false, "studio key");
        AccessDecision decision = await(gate.check(publish("secret-key", "token=abc", Map.of("token", "abc")), soFar));

        assertThat(decision).isEqualTo(soFar);
        CallbackReceiver.Received r = receiver.take(WAIT);
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        String signature = r.header("X-Sluice-Signature");
        assertThat(signature).isEqualTo("sha256=" + CallbackReceiver.hmacHex(SECRET, r.body()));
        assertThat(signature).isNotEqualTo("sha256=" + CallbackReceiver.hmacHex("other", r.body()));
        JsonNode body = r.json();
        assertThat(body.get("eventId").asText()).isEqualTo(r.header("X-Sluice-Event-Id"));
        assertThat(UUID.fromString(body.get("eventId").asText())).isNotNull();
        assertThat(body.get("action").asText()).isEqualTo("publish");
        assertThat(body.get("sessionId").asLong()).isEqualTo(7);
        assertThat(body.get("clientAddress").asText()).isEqualTo("192.0.2.10");
        assertThat(body.get("app").asText()).isEqualTo("live");
        assertThat(body.get("stream").asText()).as("the public name, not the key").isEqualTo("public-name");
        assertThat(r.text()).doesNotContain("secret-key");
        assertThat(body.get("query").asText()).isEqualTo("token=abc");
        assertThat(body.get("queryParams").get("token").asText()).isEqualTo("abc");
        assertThat(body.get("tcUrl").asText()).isEqualTo("rtmp://example.com/live");
        assertThat(body.get("flashVer").asText()).isEqualTo("FMLE/3.0 (compatible; test)");
        assertThat(body.get("keyLabel").asText()).isEqualTo("studio key");
        assertThat(Instant.parse(body.get("timestamp").asText())).isBetween(before.minusSeconds(1), Instant.now());
        assertThat(body.has("path")).as("record_done fields only for record_done").isFalse();
    }

    @Test
    void jsonStreamIsTheNameAsSentWhenNoPublicNameIsKnownAndUnsignedWithoutSecret() throws Exception {
        WebhookGate gate = gate(Hook.ON_PLAY, hook(receiver.url("/json"), Format.JSON, Duration.ofSeconds(2),
                FailurePolicy.DENY));

        assertThat(await(gate.check(play("cam"), AccessDecision.allow())).allowed()).isTrue();

        CallbackReceiver.Received r = receiver.take(WAIT);
        assertThat(r.json().get("stream").asText()).isEqualTo("cam");
        assertThat(r.json().get("action").asText()).isEqualTo("play");
        assertThat(r.json().get("keyLabel")).isNull();
        assertThat(r.header("X-Sluice-Signature")).isNull();
    }

    @Test
    void jsonReplyRefinesTheDecision() throws Exception {
        receiver.on("/deny", Reply.json("{\"allow\": false, \"reason\": \"bad token\"}"));
        receiver.on("/rename", Reply.json("{\"allow\": true, \"streamName\": \"alice\", \"record\": true, \"extra\": 1}"));
        receiver.on("/plain-deny", Reply.json("{\"allow\": false}"));
        receiver.on("/text", Reply.body("text/plain", "OK".getBytes(StandardCharsets.UTF_8)));
        AccessDecision soFar = AccessDecision.allowAs("public", false, "label");

        AccessDecision denied = await(gate(Hook.ON_PUBLISH, hook(receiver.url("/deny"), Format.JSON))
                .check(publish("cam", "", Map.of()), soFar));
        AccessDecision renamed = await(gate(Hook.ON_PUBLISH, hook(receiver.url("/rename"), Format.JSON))
                .check(publish("cam", "", Map.of()), soFar));
        AccessDecision plainDeny = await(gate(Hook.ON_PLAY, hook(receiver.url("/plain-deny"), Format.JSON))
                .check(play("cam"), AccessDecision.allow()));
        AccessDecision text = await(gate(Hook.ON_PUBLISH, hook(receiver.url("/text"), Format.JSON))
                .check(publish("cam", "", Map.of()), soFar));

        assertThat(denied).isEqualTo(AccessDecision.deny(AccessDecision.Reason.UNAUTHORIZED,
                "Refused by on_publish callback: bad token"));
        assertThat(renamed).isEqualTo(AccessDecision.allowAs("alice", true, "label"));
        assertThat(plainDeny.description()).isEqualTo("Refused by on_play callback: HTTP 200 with allow=false");
        assertThat(text).as("a non-JSON 2xx reply allows as is").isEqualTo(soFar);
    }

    @Test
    void jsonFormatDeniesNon2xxIncludingRedirects() throws Exception {
        receiver.on("/redirect", Reply.redirect("other"));
        receiver.on("/error", Reply.status(500));

        AccessDecision redirect = await(gate(Hook.ON_PUBLISH, hook(receiver.url("/redirect"), Format.JSON))
                .check(publish("cam", "", Map.of()), AccessDecision.allow()));
        AccessDecision error = await(gate(Hook.ON_PUBLISH, hook(receiver.url("/error"), Format.JSON))
                .check(publish("cam", "", Map.of()), AccessDecision.allow()));

        assertThat(redirect.description()).isEqualTo("Refused by on_publish callback: HTTP 302");
        assertThat(error.description()).isEqualTo("Refused by on_publish callback: HTTP 500");
        assertThat(meters.get(WebhookSender.FAILURES_METRIC).tag("hook", "on_publish").tag("outcome", "rejected")
                .counter().count()).as("a 5xx gate answer counts as a failure, a 3xx not").isEqualTo(1.0);
    }

    @Test
    void garbageJsonAppliesTheFailurePolicy() throws Exception {
        receiver.on("/garbage", Reply.json("{\"allow\": tru"));
        receiver.on("/wrong-type", Reply.json("{\"allow\": \"no\"}"));
        receiver.on("/array", Reply.json("[1, 2]"));

        for (String path : new String[] {"/garbage", "/wrong-type", "/array"}) {
            AccessDecision deny = await(gate(Hook.ON_PUBLISH, hook(receiver.url(path), Format.JSON,
                    Duration.ofSeconds(2), FailurePolicy.DENY)).check(publish("cam", "", Map.of()), AccessDecision.allow()));
            AccessDecision allow = await(gate(Hook.ON_PUBLISH, hook(receiver.url(path), Format.JSON,
                    Duration.ofSeconds(2), FailurePolicy.ALLOW)).check(publish("cam", "", Map.of()), AccessDecision.allow()));
            assertThat(deny.allowed()).as(path).isFalse();
            assertThat(deny.description()).isEqualTo("Refused by on_publish callback: callback failed (invalid reply)");
            assertThat(allow).as(path).isEqualTo(AccessDecision.allow());
        }
        assertThat(deliveries.recent(1).get(0).outcome()).isEqualTo("invalid_reply");
        assertThat(deliveries.recent(1).get(0).error()).contains("not a JSON object");
        assertThat(meters.get(WebhookSender.FAILURES_METRIC).tag("outcome", "invalid_reply").counter().count())
                .isEqualTo(6.0);
    }

    @Test
    void aReplyOver64KibIsNotReadAndAppliesThePolicy() throws Exception {
        byte[] huge = new byte[WebhookSender.MAX_REPLY_BYTES + 1000];
        java.util.Arrays.fill(huge, (byte) ' ');
        huge[0] = '{';
        huge[huge.length - 1] = '}';
        receiver.on("/huge", Reply.body("application/json", huge));

        AccessDecision decision = await(gate(Hook.ON_PUBLISH, hook(receiver.url("/huge"), Format.JSON))
                .check(publish("cam", "", Map.of()), AccessDecision.allow()));

        assertThat(decision.allowed()).isFalse();
        assertThat(deliveries.recent(1).get(0).error()).isEqualTo("reply larger than 64 KiB");
    }

    // ---- failures -------------------------------------------------------------------------------

    @Test
    void aSlowCallbackTimesOutAndThePolicyAppliesWithinTheTimeout() throws Exception {
        receiver.on("/slow", Reply.hang());
        Duration timeout = Duration.ofMillis(400);
        WebhookGate deny = gate(Hook.ON_PUBLISH, hook(receiver.url("/slow"), Format.JSON, timeout, FailurePolicy.DENY));
        WebhookGate allow = gate(Hook.ON_PUBLISH, hook(receiver.url("/slow"), Format.NGINX, timeout,
                FailurePolicy.ALLOW));

        long start = System.nanoTime();
        CompletableFuture<AccessDecision> denied = deny.check(publish("cam", "", Map.of()), AccessDecision.allow())
                .toCompletableFuture();
        long returnedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(returnedAfterMs).as("the caller (an event loop) is never blocked").isLessThan(200);
        assertThat(denied).isNotDone();
        AccessDecision decision = denied.get(5, TimeUnit.SECONDS);
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        AccessDecision allowed = await(allow.check(publish("cam", "", Map.of()), AccessDecision.allow()));

        assertThat(decision).isEqualTo(AccessDecision.deny(AccessDecision.Reason.UNAUTHORIZED,
                "Refused by on_publish callback: callback failed (timeout)"));
        assertThat(tookMs).isBetween(timeout.toMillis() - 50, timeout.toMillis() + 1500);
        assertThat(allowed).isEqualTo(AccessDecision.allow());
        assertThat(deliveries.recent(10)).hasSize(2).allSatisfy(d -> {
            assertThat(d.outcome()).isEqualTo("timeout");
            assertThat(d.status()).isNull();
            assertThat(d.error()).isEqualTo("timed out after 400 ms");
        });
        assertThat(meters.get(WebhookSender.LATENCY_METRIC).tag("hook", "on_publish").tag("outcome", "timeout")
                .timer().count()).isEqualTo(2);
    }

    @Test
    void anUnreachableCallbackAppliesThePolicy() throws Exception {
        String nobody = CallbackReceiver.refusingUrl("/gone");

        AccessDecision denied = await(gate(Hook.ON_CONNECT, hook(nobody, Format.NGINX, Duration.ofSeconds(3),
                FailurePolicy.DENY)).check(connect(), AccessDecision.allow()));
        AccessDecision allowed = await(gate(Hook.ON_CONNECT, hook(nobody, Format.JSON, Duration.ofSeconds(3),
                FailurePolicy.ALLOW)).check(connect(), AccessDecision.allow()));

        assertThat(denied).isEqualTo(AccessDecision.deny(AccessDecision.Reason.UNAUTHORIZED,
                "Refused by on_connect callback: callback failed (error)"));
        assertThat(allowed).isEqualTo(AccessDecision.allow());
        assertThat(deliveries.recent(1).get(0).error()).startsWith("cannot connect");
        assertThat(meters.get(WebhookSender.FAILURES_METRIC).tag("hook", "on_connect").tag("outcome", "error")
                .counter().count()).isEqualTo(2.0);
    }

    private static AccessRequest connect() {
        return new AccessRequest(AccessRequest.Action.CONNECT, 3, new InetSocketAddress("192.0.2.12", 40000), "live",
                "", "auth=1", Map.of("auth", "1"), "rtmp://example.com/live?auth=1", "OBS", "", "", "");
    }

    @Test
    void connectGateSendsNoNameAndCannotRename() throws Exception {
        receiver.on("/connect", Reply.json("{\"streamName\": \"x\"}"));
        WebhookGate gate = gate(Hook.ON_CONNECT, hook(receiver.url("/connect"), Format.NGINX));

        assertThat(await(gate.check(connect(), AccessDecision.allow()))).isEqualTo(AccessDecision.allow());
        Map<String, String> form = receiver.take(WAIT).form();
        assertThat(form).containsEntry("call", "connect").containsEntry("auth", "1").doesNotContainKey("name");

        AccessDecision json = await(gate(Hook.ON_CONNECT, hook(receiver.url("/connect"), Format.JSON))
                .check(connect(), AccessDecision.allow()));
        assertThat(json).isEqualTo(AccessDecision.allow());
        assertThat(receiver.take(WAIT).json().get("stream").asText()).isEmpty();
    }

    @Test
    void unconfiguredGatesPassTheDecisionThroughWithoutACall() throws Exception {
        WebhookGate gate = gate(Hook.ON_PLAY, hook(receiver.url("/play"), Format.JSON));
        AccessDecision soFar = AccessDecision.allowAs("x", true, "y");

        assertThat(gate.check(publish("cam", "", Map.of()), soFar).toCompletableFuture().getNow(null)).isSameAs(soFar);
        assertThat(receiver.poll(Duration.ofMillis(200))).isNull();
        assertThat(deliveries.recent(10)).isEmpty();
    }

    @Test
    void reasonsFromTheCallbackAreBoundedAndPrintable() throws Exception {
        receiver.on("/deny", Reply.json("{\"allow\": false, \"reason\": \"line1\\nline2" + "x".repeat(500) + "\"}"));

        AccessDecision denied = await(gate(Hook.ON_PUBLISH, hook(receiver.url("/deny"), Format.JSON))
                .check(publish("cam", "", Map.of()), AccessDecision.allow()));

        assertThat(denied.description()).startsWith("Refused by on_publish callback: line1line2xxx")
                .doesNotContain("\n").hasSizeLessThan(260);
    }
}
