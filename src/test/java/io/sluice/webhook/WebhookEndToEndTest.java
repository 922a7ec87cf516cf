package io.sluice.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.engine.RtmpServer;
import io.sluice.engine.client.RtmpClient;
import io.sluice.engine.client.RtmpStatusException;
import io.sluice.engine.spi.SessionInfo;
import io.sluice.testing.SluiceSpringTest;
import io.sluice.webhook.CallbackReceiver.Received;
import io.sluice.webhook.CallbackReceiver.Reply;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole application: the engine asks {@code on_publish} (nginx format) before answering the
 * client, and reports {@code on_publish_done} (JSON) after it left.
 */
@SluiceSpringTest
@Timeout(90)
class WebhookEndToEndTest {
    private static final String SECRET = "e2e-secret";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final CallbackReceiver RECEIVER = CallbackReceiver.start();

    static {
        RECEIVER.on("/publish", r -> {
            String name = r.form().get("name");
            if (name.startsWith("denied")) {
                return Reply.status(403);
            }
            if (name.startsWith("renamed")) {
                return Reply.redirect("http://auth.example.com/streams/newname");
            }
            return Reply.ok();
        });
    }

    @DynamicPropertySource
    static void hooks(DynamicPropertyRegistry registry) {
        registry.add("sluice.webhooks.hooks.on-publish.url", () -> RECEIVER.url("/publish"));
        registry.add("sluice.webhooks.hooks.on-publish.format", () -> "NGINX");
        registry.add("sluice.webhooks.hooks.on-publish.timeout", () -> "3s");
        registry.add("sluice.webhooks.hooks.on-publish.secret", () -> SECRET);
        registry.add("sluice.webhooks.hooks.on-publish-done.url", () -> RECEIVER.url("/publish_done"));
        registry.add("sluice.webhooks.hooks.on-publish-done.backoff", () -> "100ms");
        // any name may be published: these tests are about the callbacks, not stream keys
        registry.add("sluice.keys.default-publish-policy", () -> "OPEN");
    }

    @AfterAll
    static void stopReceiver() {
        RECEIVER.close();
    }

    @Autowired
    RtmpServer rtmp;
    @Autowired
    TestRestTemplate rest;

    private String url(String stream) {
        return "rtmp://127.0.0.1:" + rtmp.port() + "/live/" + stream;
    }

    private static Received publishCall(String name) throws InterruptedException {
        return RECEIVER.take(WAIT, r -> r.path().equals("/publish") && name.equals(r.form().get("name")));
    }

    private static JsonNode publishDone(String stream) throws InterruptedException {
        return RECEIVER.take(WAIT, r -> r.path().equals("/publish_done")
                && stream.equals(r.json().get("stream").asText())).json();
    }

    @Test
    void onPublishAllowsAndOnPublishDoneArrivesAfterTheClientCloses() throws Exception {
        RtmpClient client = RtmpClient.connect(url("allowed?token=t1")).get(5, TimeUnit.SECONDS);
        try {
            client.publish().get(5, TimeUnit.SECONDS);
            Received call = publishCall("allowed");
            assertThat(call.form()).containsEntry("call", "publish").containsEntry("app", "live")
                    .containsEntry("type", "live").containsEntry("token", "t1").containsEntry("addr", "127.0.0.1");
            assertThat(call.header("X-Sluice-Signature"))
                    .isEqualTo("sha256=" + CallbackReceiver.hmacHex(SECRET, call.body()));
            assertThat(RECEIVER.noneWithin(Duration.ofMillis(300), r -> r.path().equals("/publish_done")
                    && r.json().get("stream").asText().equals("allowed"))).as("no publish_done while publishing").isTrue();
        } finally {
            client.close();
        }

        JsonNode done = publishDone("allowed");
        assertThat(done.get("action").asText()).isEqualTo("publish_done");
        assertThat(done.get("app").asText()).isEqualTo("live");
        assertThat(done.get("query").asText()).isEqualTo("token=t1");
        assertThat(done.get("queryParams").get("token").asText()).isEqualTo("t1");
        assertThat(done.get("clientAddress").asText()).isEqualTo("127.0.0.1");
    }

    @Test
    void onPublishDenies() throws Exception {
        try (RtmpClient client = RtmpClient.connect(url("denied")).get(5, TimeUnit.SECONDS)) {
            assertThatThrownBy(() -> client.publish().get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(RtmpStatusException.class)
                    .satisfies(e -> {
                        assertThat(((RtmpStatusException) e).code()).isEqualTo("NetStream.Publish.Unauthorized");
                        assertThat(e.getMessage()).contains("Refused by on_publish callback: HTTP 403");
                    });
            publishCall("denied");
        }
        assertThat(rtmp.sessions()).noneMatch(s -> "denied".equals(s.streamName()));
    }

    @Test
    void onPublishRenamesWithARedirect() throws Exception {
        RtmpClient client = RtmpClient.connect(url("renamed")).get(5, TimeUnit.SECONDS);
        try {
            client.publish().get(5, TimeUnit.SECONDS);
            publishCall("renamed");
            List<SessionInfo> publishers = rtmp.sessions().stream()
                    .filter(s -> s.role() == SessionInfo.Role.PUBLISHER).toList();
            assertThat(publishers).extracting(SessionInfo::streamName).contains("newname").doesNotContain("renamed");
        } finally {
            client.close();
        }
        assertThat(publishDone("newname").get("action").asText()).isEqualTo("publish_done");
    }

    @Test
    void theDeliveryLogShowsTheCallsOverRest() throws Exception {
        try (RtmpClient client = RtmpClient.connect(url("denied-for-log")).get(5, TimeUnit.SECONDS)) {
            assertThatThrownBy(() -> client.publish().get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        }
        TestRestTemplate admin = rest.withBasicAuth("admin", "admin-password");

        ResponseEntity<JsonNode> deliveries = admin.getForEntity("/api/webhooks/deliveries?limit=50", JsonNode.class);
        ResponseEntity<JsonNode> hooks = admin.getForEntity("/api/webhooks", JsonNode.class);

        assertThat(deliveries.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(deliveries.getBody().findValuesAsText("status")).contains("403");
        assertThat(deliveries.getBody().get(0).get("hook").asText()).isIn("on_publish", "on_publish_done");
        assertThat(hooks.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(hooks.getBody().findValuesAsText("hook")).containsExactly("on_publish", "on_publish_done");
        assertThat(hooks.getBody().toString()).doesNotContain(SECRET);
        assertThat(rest.getForEntity("/api/webhooks", JsonNode.class).getStatusCode())
                .isEqualTo(HttpStatus.UNAUTHORIZED);
    }

    @Test
    void theOpenApiDocumentDescribesTheApiAndTheCallbackBody() {
        ResponseEntity<JsonNode> api = rest.getForEntity("/v3/api-docs", JsonNode.class);

        assertThat(api.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(api.getBody().get("paths").has("/api/webhooks")).isTrue();
        assertThat(api.getBody().get("paths").has("/api/webhooks/deliveries")).isTrue();
        JsonNode schemas = api.getBody().get("components").get("schemas");
        assertThat(schemas.get("WebhookPayload").get("properties").has("keyLabel")).isTrue();
        assertThat(schemas.get("WebhookReply").get("properties").has("streamName")).isTrue();
    }

    @Test
    void ffmpegRefusedByOnPublishExitsNonZero(@TempDir Path dir) throws Exception {
        assumeTrue(new File("/usr/bin/ffmpeg").canExecute(), "ffmpeg not installed: skipping");
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-hide_banner", "-nostdin", "-re", "-f", "lavfi",
                "-i", "testsrc2=size=320x240:rate=30", "-c:v", "libx264", "-preset", "ultrafast", "-g", "30",
                "-t", "3", "-f", "flv", url("denied-ffmpeg"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("ffmpeg.log").toFile()).start();
        try {
            assertThat(ffmpeg.waitFor(20, TimeUnit.SECONDS)).as("ffmpeg exits").isTrue();
            assertThat(ffmpeg.exitValue()).as("ffmpeg's exit code").isNotZero();
            assertThat(publishCall("denied-ffmpeg").form().get("flashver")).isNotEmpty();
        } finally {
            ffmpeg.destroyForcibly();
        }
    }
}
