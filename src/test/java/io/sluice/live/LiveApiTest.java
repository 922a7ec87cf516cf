package io.sluice.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.engine.RtmpServer;
import io.sluice.engine.client.RtmpClient;
import io.sluice.engine.client.RtmpStatusException;
import io.sluice.testing.Ffmpeg;
import io.sluice.testing.SluiceSpringTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.TestPropertySource;

/** The live API end to end: real ffmpeg publishing, listed, kicked and banned over REST. */
@SluiceSpringTest
@TestPropertySource(properties = "sluice.keys.default-publish-policy=OPEN")
@Timeout(60)
class LiveApiTest {
    @Autowired
    TestRestTemplate rest;
    @Autowired
    RtmpServer rtmp;

    private TestRestTemplate admin() {
        return rest.withBasicAuth("admin", "admin-password");
    }

    private String token(String... scopes) {
        ResponseEntity<JsonNode> created = admin().postForEntity("/api/tokens",
                Map.of("name", "test " + String.join(",", scopes), "scopes", List.of(scopes)), JsonNode.class);
        assertThat(created.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        return created.getBody().get("token").asText();
    }

    private ResponseEntity<JsonNode> call(HttpMethod method, String path, String bearer) {
        HttpHeaders headers = new HttpHeaders();
        headers.setBearerAuth(bearer);
        return rest.exchange(path, method, new HttpEntity<>(headers), JsonNode.class);
    }

    @Test
    void anonymousCallsGet401ProblemsAndWrongScopesGet403() {
        ResponseEntity<JsonNode> anonymous = rest.getForEntity("/api/streams", JsonNode.class);
        assertThat(anonymous.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(anonymous.getHeaders().getContentType().toString()).isEqualTo("application/problem+json");
        assertThat(anonymous.getBody().get("status").asInt()).isEqualTo(401);

        assertThat(call(HttpMethod.GET, "/api/streams", "slc_not-a-token").getStatusCode())
                .isEqualTo(HttpStatus.UNAUTHORIZED);
        String reader = token("streams:read");
        assertThat(call(HttpMethod.GET, "/api/streams", reader).getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(call(HttpMethod.GET, "/api/sessions", reader).getStatusCode()).isEqualTo(HttpStatus.OK);
        ResponseEntity<JsonNode> forbidden = call(HttpMethod.DELETE, "/api/sessions/1", reader);
        assertThat(forbidden.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(forbidden.getBody().get("detail").asText()).contains("scope");
        assertThat(call(HttpMethod.GET, "/api/tokens", reader).getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(rest.withBasicAuth("admin", "wrong").getForEntity("/api/streams", JsonNode.class).getStatusCode())
                .isEqualTo(HttpStatus.UNAUTHORIZED);
    }

    @Test
    void revokedTokensStopWorking() {
        String token = token("streams:read");
        long id = admin().getForEntity("/api/tokens", JsonNode.class).getBody().get(0).get("id").asLong();
        assertThat(call(HttpMethod.GET, "/api/streams", token).getStatusCode()).isEqualTo(HttpStatus.OK);
        admin().delete("/api/tokens/" + id);
        assertThat(call(HttpMethod.GET, "/api/streams", token).getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    }

    @Test
    void invalidInputIsA400NamingTheField() {
        ResponseEntity<JsonNode> bad = admin().postForEntity("/api/tokens", Map.of("name", "", "scopes", List.of()),
                JsonNode.class);
        assertThat(bad.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(bad.getBody().get("detail").asText()).contains("name", "scopes");
        assertThat(bad.getBody().get("errors")).hasSize(2);
        ResponseEntity<JsonNode> unknownScope = admin().postForEntity("/api/tokens",
                Map.of("name", "x", "scopes", List.of("everything")), JsonNode.class);
        assertThat(unknownScope.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(unknownScope.getBody().get("detail").asText()).contains("unknown scope 'everything'");
        ResponseEntity<JsonNode> notJson = admin().exchange("/api/tokens", HttpMethod.POST,
                new HttpEntity<>("{not json", jsonHeaders()), JsonNode.class);
        assertThat(notJson.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(admin().getForEntity("/api/sessions/abc", JsonNode.class).getStatusCode())
                .isIn(HttpStatus.BAD_REQUEST, HttpStatus.METHOD_NOT_ALLOWED);
    }

    private static HttpHeaders jsonHeaders() {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(org.springframework.http.MediaType.APPLICATION_JSON);
        return headers;
    }

    @Test
    void ffmpegPublishIsListedWithItsStatsThenKickedAndBanned() throws Exception {
        String url = "rtmp://127.0.0.1:" + rtmp.port() + "/live/kickme";
        Process ffmpeg = Ffmpeg.publish(url, 30, Path.of("target", "live-api", "kickme.log"));
        try {
            String kicker = token("streams:read", "streams:kick");
            JsonNode stream = poll(() -> {
                JsonNode list = call(HttpMethod.GET, "/api/streams", kicker).getBody();
                for (JsonNode s : list) {
                    if (s.get("name").asText().equals("kickme") && s.get("width").asInt() > 0
                            && s.get("bitrateIn").asLong() > 0) {
                        return s;
                    }
                }
                return null;
            }, Duration.ofSeconds(15));
            assertThat(stream.get("app").asText()).isEqualTo("live");
            assertThat(stream.get("videoCodec").asText()).isEqualTo("H.264");
            assertThat(stream.get("audioCodec").asText()).isEqualTo("AAC");
            assertThat(stream.get("width").asInt()).isEqualTo(320);
            assertThat(stream.get("height").asInt()).isEqualTo(240);
            assertThat(stream.get("fps").asDouble()).isBetween(20.0, 40.0);
            long publisher = stream.get("publisherSessionId").asLong();

            JsonNode detail = call(HttpMethod.GET, "/api/streams/live/kickme", kicker).getBody();
            assertThat(detail.get("publisher").get("id").asLong()).isEqualTo(publisher);
            assertThat(detail.get("publisher").get("encoder").asText()).contains("FMLE");
            JsonNode sessions = call(HttpMethod.GET, "/api/sessions", kicker).getBody();
            assertThat(sessions.findValuesAsText("role")).contains("PUBLISHER");

            ResponseEntity<JsonNode> kicked = call(HttpMethod.DELETE,
                    "/api/streams/live/kickme?banSeconds=30", kicker);
            assertThat(kicked.getStatusCode()).isEqualTo(HttpStatus.OK);
            assertThat(kicked.getBody().get("publisherSessionId").asLong()).isEqualTo(publisher);
            assertThat(ffmpeg.waitFor(5, TimeUnit.SECONDS)).as("ffmpeg ends when kicked").isTrue();

            // the encoder's immediate reconnect is refused while the ban lasts
            RtmpClient again = RtmpClient.connect(url).get(5, TimeUnit.SECONDS);
            try {
                again.publish().get(5, TimeUnit.SECONDS);
                throw new AssertionError("publish during the ban was allowed");
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(RtmpStatusException.class);
                assertThat(((RtmpStatusException) e.getCause()).code()).isEqualTo("NetStream.Publish.Denied");
                assertThat(e.getCause().getMessage()).contains("banned");
            } finally {
                again.close();
            }
            assertThat(call(HttpMethod.DELETE, "/api/sessions/999999", kicker).getStatusCode())
                    .isEqualTo(HttpStatus.NOT_FOUND);
        } finally {
            ffmpeg.destroyForcibly();
        }
    }

    @Test
    void healthIsPublicPrometheusNeedsAdminAndShowsEngineFigures() {
        assertThat(rest.getForEntity("/actuator/health", String.class).getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(rest.getForEntity("/actuator/prometheus", String.class).getStatusCode())
                .isEqualTo(HttpStatus.UNAUTHORIZED);
        ResponseEntity<String> metrics = admin().getForEntity("/actuator/prometheus", String.class);
        assertThat(metrics.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(metrics.getBody()).contains("sluice_connections", "sluice_streams_live", "sluice_players",
                "sluice_netty_direct_used_bytes", "sluice_netty_direct_pinned_bytes");
    }

    @Test
    void theOpenApiDocumentDescribesEndpointsAndSecuritySchemes() {
        JsonNode doc = rest.getForEntity("/v3/api-docs", JsonNode.class).getBody();
        assertThat(doc.get("paths").has("/api/streams")).isTrue();
        assertThat(doc.get("paths").has("/api/sessions/{id}")).isTrue();
        assertThat(doc.get("paths").has("/api/tokens")).isTrue();
        assertThat(doc.get("components").get("securitySchemes").has("bearer")).isTrue();
        assertThat(doc.get("components").get("securitySchemes").has("basic")).isTrue();
        assertThat(rest.getForEntity("/swagger-ui/index.html", String.class).getStatusCode()).isEqualTo(HttpStatus.OK);
    }

    static <T> T poll(java.util.function.Supplier<T> probe, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("condition not met within " + timeout);
    }
}
