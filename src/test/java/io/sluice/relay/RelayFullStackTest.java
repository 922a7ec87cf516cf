package io.sluice.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.engine.RtmpServer;
import io.sluice.engine.RtmpServerConfig;
import io.sluice.engine.client.RtmpClient;
import io.sluice.engine.client.SyntheticStream;
import io.sluice.engine.stream.StreamConfig;
import io.sluice.engine.stream.StreamSnapshot;
import io.sluice.system.SluiceProperties;
import io.sluice.testing.SluiceSpringTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * The whole application with two more engines beside it: an origin its pull relays read from, and a
 * target its restream pushes go to. Everything through the REST API as the administrator.
 */
@SluiceSpringTest
@DirtiesContext // its pulls point at engines this class stops: do not keep it around
@TestPropertySource(properties = {"sluice.rtmp.reconnect-grace=500ms", "sluice.relays.reconnect-initial-delay=200ms",
        "sluice.relays.reconnect-max-delay=1s"})
@Timeout(60)
class RelayFullStackTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path certificate;
    private static RtmpServer origin;
    private static RtmpServer target;
    private static Source originSource;

    @Autowired
    RtmpServer rtmp;

    @Autowired
    TestRestTemplate http;

    @Autowired
    SluiceProperties sluice;

    @Autowired
    RestreamTargetRepository targets;

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @DynamicPropertySource
    static void relays(DynamicPropertyRegistry registry) throws Exception {
        startEngines();
        String originUrl = "rtmp://127.0.0.1:" + origin.port() + "/live/origin";
        registry.add("sluice.relays.pulls[0].name", () -> "mirror");
        registry.add("sluice.relays.pulls[0].url", () -> originUrl);
        registry.add("sluice.relays.pulls[0].mode", () -> "ALWAYS");
        registry.add("sluice.relays.pulls[1].name", () -> "lazy");
        registry.add("sluice.relays.pulls[1].url", () -> originUrl);
        registry.add("sluice.relays.pulls[1].idle-timeout", () -> "1s");
        certificate = selfSignedCertificate();
        if (certificate != null) {
            registry.add("sluice.rtmp.tls.enabled", () -> "true");
            registry.add("sluice.rtmp.tls.port", () -> "0");
            registry.add("sluice.rtmp.tls.certificate", () -> certificate.toString());
            registry.add("sluice.rtmp.tls.private-key", () -> certificate.resolveSibling("key.pem").toString());
        }
    }

    /** cert.pem and key.pem for localhost in a fresh folder, or null without openssl. */
    private static Path selfSignedCertificate() throws Exception {
        if (!new java.io.File("/usr/bin/openssl").canExecute()) {
            return null;
        }
        Path dir = Files.createTempDirectory("sluice-tls");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj",
                "/CN=localhost", "-days", "1", "-keyout", dir.resolve("key.pem").toString(), "-out",
                dir.resolve("cert.pem").toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? dir.resolve("cert.pem") : null;
    }

    private static synchronized void startEngines() throws Exception {
        if (origin != null) {
            return;
        }
        RtmpServerConfig config = RtmpServerConfig.defaults().withHost("127.0.0.1").withPort(0)
                .withStreams(new StreamConfig(8L << 20, 4096, Duration.ofMillis(500), Duration.ofSeconds(20),
                        StreamConfig.DuplicatePublishPolicy.REJECT));
        origin = new RtmpServer(config);
        origin.start();
        target = new RtmpServer(config);
        target.start();
        RtmpClient c = RtmpClient.connect("rtmp://127.0.0.1:" + origin.port() + "/live/origin").get(10, TimeUnit.SECONDS);
        originSource = new Source(c, c.publish().get(10, TimeUnit.SECONDS));
    }

    @AfterAll
    static void stopEngines() throws Exception {
        if (originSource != null) {
            originSource.close();
        }
        if (origin != null) {
            origin.stop(Duration.ofSeconds(2));
            target.stop(Duration.ofSeconds(2));
        }
        if (certificate != null) {
            try (var files = Files.list(certificate.getParent())) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(certificate.getParent());
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    private ResponseEntity<JsonNode> call(HttpMethod method, String path, String body) throws Exception {
        HttpHeaders headers = new HttpHeaders();
        headers.setBasicAuth("admin", "admin-password");
        headers.setContentType(MediaType.APPLICATION_JSON);
        ResponseEntity<String> r = http.exchange(path, method, new HttpEntity<>(body, headers), String.class);
        JsonNode json = r.getBody() == null || r.getBody().isEmpty() ? null : JSON.readTree(r.getBody());
        return ResponseEntity.status(r.getStatusCode()).body(json);
    }

    private JsonNode ok(HttpMethod method, String path, String body, HttpStatus expected) throws Exception {
        ResponseEntity<JsonNode> r = call(method, path, body);
        assertThat(r.getStatusCode()).as("%s %s → %s", method, path, r.getBody()).isEqualTo(expected);
        return r.getBody();
    }

    private static void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after %s waiting for %s", timeout, what);
            }
            Thread.sleep(50);
        }
    }

    /** Polls a JSON resource until {@code check} holds. */
    private JsonNode awaitJson(String path, String what, java.util.function.Predicate<JsonNode> check)
            throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            JsonNode node = ok(HttpMethod.GET, path, null, HttpStatus.OK);
            if (check.test(node)) {
                return node;
            }
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting for %s; last: %s", what, node);
            }
            Thread.sleep(100);
        }
    }

    private static boolean live(RtmpServer server, String name) {
        return server.streamSnapshots().stream().anyMatch(s -> s.name().equals(name) && s.live());
    }

    private String rtmpUrl(String name) {
        return "rtmp://127.0.0.1:" + rtmp.port() + "/live/" + name;
    }

    /** Plays {@code url} and waits for some media; returns how many media messages came. */
    private int playSome(String url, int messages) throws Exception {
        AtomicInteger media = new AtomicInteger();
        RtmpClient player = RtmpClient.connect(url).get(10, TimeUnit.SECONDS);
        cleanup.add(player);
        player.play(m -> {
            if (m instanceof io.sluice.engine.protocol.message.MediaMessage) {
                media.incrementAndGet();
            }
        }).get(10, TimeUnit.SECONDS);
        await(WAIT, messages + " media messages from " + url, () -> media.get() >= messages);
        return media.get();
    }

    /** A synthetic 30 fps H.264/AAC publisher. */
    static final class Source implements AutoCloseable {
        private final RtmpClient client;
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "test-source");
            t.setDaemon(true);
            return t;
        });
        private final AtomicLong frames = new AtomicLong();

        Source(RtmpClient client, int streamId) {
            this.client = client;
            SyntheticStream.sendHeaders(client, streamId, 0);
            timer.scheduleAtFixedRate(() -> {
                if (client.isActive()) {
                    int n = (int) frames.getAndIncrement();
                    client.send(SyntheticStream.VIDEO, streamId, n * 33, n % 30 == 0 ? SyntheticStream.avcKeyframe(n)
                            : SyntheticStream.avcInterFrame(n));
                    client.send(SyntheticStream.AUDIO, streamId, n * 33, SyntheticStream.aacFrame(n));
                    client.flush();
                }
            }, 0, 33, TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() throws Exception {
            timer.shutdownNow();
            timer.awaitTermination(2, TimeUnit.SECONDS);
            client.close();
        }
    }

    // ---- restream targets -----------------------------------------------------------------------

    @Test
    void targetsAreManagedOverRestAndPushedWhileTheKeyIsLive() throws Exception {
        JsonNode key = ok(HttpMethod.POST, "/api/keys", "{\"label\":\"Studio\",\"publicName\":\"studio\"}",
                HttpStatus.CREATED);
        long keyId = key.path("key").path("id").asLong();
        String secret = key.path("secret").asText();
        String targets = "/api/keys/" + keyId + "/targets";
        String targetServer = "rtmp://127.0.0.1:" + target.port() + "/live";

        JsonNode created = ok(HttpMethod.POST, targets, "{\"name\":\"Copy\",\"url\":\"" + targetServer
                + "\",\"streamKey\":\"restreamed-key-1\"}", HttpStatus.CREATED);
        long first = created.path("id").asLong();
        assertThat(created.path("streamKeyHint").asText()).isEqualTo("rest****");
        assertThat(created.toString()).doesNotContain("restreamed-key-1");
        assertThat(created.path("enabled").asBoolean()).isTrue();
        assertThat(created.path("tlsVerify").asBoolean()).isTrue();
        assertThat(created.path("status").path("state").asText()).isEqualTo("STOPPED");

        ResponseEntity<JsonNode> bad = call(HttpMethod.POST, targets, "{\"name\":\"Bad\",\"url\":\"http://x/live\"}");
        assertThat(bad.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(bad.getBody().path("errors").get(0).path("field").asText()).isEqualTo("url");
        for (String internal : new String[] {"rtmp://169.254.169.254/latest", "rtmp://[fe80::1]:1935/live",
                "rtmp://user:pw@127.0.0.1:" + target.port() + "/live"}) {
            ResponseEntity<JsonNode> refused = call(HttpMethod.POST, targets, "{\"name\":\"Internal\",\"url\":\""
                    + internal + "\",\"streamKey\":\"k\"}");
            assertThat(refused.getStatusCode()).as(internal).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(refused.getBody().path("errors").get(0).path("field").asText()).isEqualTo("url");
            assertThat(refused.getBody().path("detail").asText()).as(internal)
                    .containsAnyOf("link-local", "user info").doesNotContain("pw");
        }
        assertThat(call(HttpMethod.POST, targets, "{\"url\":\"" + targetServer + "\"}").getStatusCode())
                .isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(call(HttpMethod.POST, targets, "{\"name\":\"x\",\"url\":\"" + targetServer
                + "\",\"streamKey\":\"k\",\"trustedCertificate\":\"garbage\"}").getBody().path("errors").get(0)
                .path("field").asText()).isEqualTo("trustedCertificate");
        assertThat(call(HttpMethod.GET, "/api/keys/999999/targets", null).getStatusCode())
                .isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(http.getForEntity(targets, String.class).getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);

        // the key's publisher goes live: the target is pushed
        RtmpClient publisher = RtmpClient.connect(rtmpUrl(secret)).get(10, TimeUnit.SECONDS);
        Source source = new Source(publisher, publisher.publish().get(10, TimeUnit.SECONDS));
        cleanup.add(source);
        awaitJson(targets, "the first target LIVE", n -> n.get(0).path("status").path("state").asText().equals("LIVE"));
        await(WAIT, "the stream on the target server", () -> live(target, "restreamed-key-1"));
        playSome("rtmp://127.0.0.1:" + target.port() + "/live/restreamed-key-1", 30);
        JsonNode status = awaitJson(targets + "/" + first, "bytes counted",
                n -> n.path("status").path("bytes").asLong() > 0);
        assertThat(status.path("status").path("reconnects").asInt()).isZero();
        assertThat(status.path("status").has("lagMillis")).isTrue();

        // a target added while live starts at once
        JsonNode second = ok(HttpMethod.POST, targets, "{\"name\":\"Second\",\"url\":\"" + targetServer
                + "/restreamed-key-2\"}", HttpStatus.CREATED);
        long secondId = second.path("id").asLong();
        assertThat(second.path("url").asText()).endsWith("/live/rest****");
        awaitJson(targets + "/" + secondId, "the second target LIVE",
                n -> n.path("status").path("state").asText().equals("LIVE"));
        await(WAIT, "second stream on the target server", () -> live(target, "restreamed-key-2"));

        // disabling stops the push; deleting removes it
        ok(HttpMethod.PUT, targets + "/" + first, "{\"name\":\"Copy\",\"url\":\"" + targetServer
                + "\",\"enabled\":false}", HttpStatus.OK);
        awaitJson(targets + "/" + first, "disabled target STOPPED",
                n -> n.path("status").path("state").asText().equals("STOPPED") && !n.path("enabled").asBoolean());
        assertThat(ok(HttpMethod.GET, targets + "/" + first, null, HttpStatus.OK).path("streamKeyHint").asText())
                .as("a null streamKey keeps the current one").isEqualTo("rest****");
        await(WAIT, "first stream gone from the target server", () -> !live(target, "restreamed-key-1"));
        ok(HttpMethod.DELETE, targets + "/" + secondId, null, HttpStatus.NO_CONTENT);
        await(WAIT, "second stream gone from the target server", () -> !live(target, "restreamed-key-2"));
        assertThat(ok(HttpMethod.GET, targets, null, HttpStatus.OK)).hasSize(1);

        // the publisher stops: pushes end with the stream; deleting the key deletes its targets
        ok(HttpMethod.PUT, targets + "/" + first, "{\"name\":\"Copy\",\"url\":\"" + targetServer
                + "\",\"enabled\":true}", HttpStatus.OK);
        awaitJson(targets + "/" + first, "re-enabled target LIVE",
                n -> n.path("status").path("state").asText().equals("LIVE"));
        source.close();
        awaitJson(targets + "/" + first, "target STOPPED after the source ended",
                n -> n.path("status").path("state").asText().equals("STOPPED"));
        assertThat(targetsOf(keyId)).isEqualTo(1);
        ok(HttpMethod.DELETE, "/api/keys/" + keyId, null, HttpStatus.NO_CONTENT);
        assertThat(targetsOf(keyId)).as("ON DELETE CASCADE").isZero();
        assertThat(call(HttpMethod.GET, targets, null).getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    }

    private long targetsOf(long keyId) {
        return targets.findByStreamKeyIdOrderById(keyId).size();
    }

    // ---- pull relays ----------------------------------------------------------------------------

    @Test
    void pullRelaysAreListedAndServedToPlayers() throws Exception {
        JsonNode relays = awaitJson("/api/relays", "the always-on pull LIVE",
                n -> n.get(0).path("status").path("state").asText().equals("LIVE"));
        assertThat(relays).hasSize(2);
        assertThat(relays.get(0).path("name").asText()).isEqualTo("mirror");
        assertThat(relays.get(0).path("mode").asText()).isEqualTo("ALWAYS");
        assertThat(relays.get(0).path("url").asText()).doesNotContain("origin");
        assertThat(relays.get(1).path("mode").asText()).isEqualTo("ON_DEMAND");
        assertThat(relays.get(1).path("running").asBoolean()).isFalse();

        playSome(rtmpUrl("mirror"), 30);
        StreamSnapshot mirror = rtmp.streamSnapshots().stream().filter(s -> s.name().equals("mirror")).findFirst()
                .orElseThrow();
        assertThat(mirror.live()).isTrue();
        assertThat(ok(HttpMethod.GET, "/api/streams", null, HttpStatus.OK).toString()).contains("\"mirror\"");

        playSome(rtmpUrl("lazy"), 30);
        assertThat(ok(HttpMethod.GET, "/api/relays", null, HttpStatus.OK).get(1).path("running").asBoolean()).isTrue();
        cleanup.forEach(c -> {
            try {
                c.close();
            } catch (Exception e) {
                // ignore
            }
        });
        cleanup.clear();
        awaitJson("/api/relays", "the on-demand pull stopped after its idle timeout",
                n -> !n.get(1).path("running").asBoolean());
    }

    // ---- RTMPS ----------------------------------------------------------------------------------

    @Test
    void theRtmpsListenerComesFromTheSettings() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(certificate != null, "openssl not installed: skipping");
        assertThat(rtmp.tlsPort()).isPositive();
        RtmpClient player = RtmpClient.connect("rtmps://localhost:" + rtmp.tlsPort() + "/live/mirror",
                RtmpClient.Options.DEFAULT.withTls(io.sluice.engine.client.TlsOptions.trust(certificate)))
                .get(10, TimeUnit.SECONDS);
        cleanup.add(player);
        AtomicInteger media = new AtomicInteger();
        player.play(m -> media.incrementAndGet()).get(10, TimeUnit.SECONDS);
        await(WAIT, "media over rtmps", () -> media.get() >= 30);
    }

    // ---- file publish ---------------------------------------------------------------------------

    @Test
    void aServerSideFileIsPublishedAsALiveStream() throws Exception {
        String media = System.getProperty("sluice.media.dir");
        org.junit.jupiter.api.Assumptions.assumeTrue(media != null && Files.isReadable(Path.of(media, "av1-aac.flv")),
                "sample media missing: skipping");
        Path dataDir = sluice.dataDir();
        Files.createDirectories(dataDir.resolve("media"));
        Files.copy(Path.of(media, "av1-aac.flv"), dataDir.resolve("media/sample.flv"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String path = "/api/streams/live/filed/file-publish";

        JsonNode started = ok(HttpMethod.POST, path, "{\"path\":\"media/sample.flv\",\"loop\":true}", HttpStatus.ACCEPTED);
        assertThat(started.path("state").asText()).isEqualTo("PUBLISHING");
        assertThat(started.path("path").asText()).isEqualTo("media/sample.flv");
        await(WAIT, "live/filed live", () -> live(rtmp, "filed"));
        playSome(rtmpUrl("filed"), 30);
        assertThat(ok(HttpMethod.GET, "/api/streams", null, HttpStatus.OK).toString()).contains("\"filed\"");
        assertThat(call(HttpMethod.POST, path, "{\"path\":\"media/sample.flv\"}").getStatusCode())
                .isEqualTo(HttpStatus.CONFLICT);

        assertThat(call(HttpMethod.POST, "/api/streams/live/other/file-publish", "{\"path\":\"../../../etc/passwd\"}")
                .getBody().path("errors").get(0).path("field").asText()).isEqualTo("path");
        assertThat(call(HttpMethod.POST, "/api/streams/live/other/file-publish", "{\"path\":\"media/none.flv\"}")
                .getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        Files.writeString(dataDir.resolve("media/text.flv"), "not flv");
        assertThat(call(HttpMethod.POST, "/api/streams/live/other/file-publish", "{\"path\":\"media/text.flv\"}")
                .getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);

        JsonNode stopped = ok(HttpMethod.DELETE, path, null, HttpStatus.OK);
        assertThat(stopped.path("state").asText()).isEqualTo("STOPPED");
        assertThat(stopped.path("mediaMillis").asLong()).isPositive();
        await(WAIT, "live/filed over", () -> !live(rtmp, "filed"));
    }
}
