package io.sluice.streamkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.sluice.engine.RtmpServer;
import io.sluice.engine.client.RtmpClient;
import io.sluice.engine.client.RtmpStatusException;
import io.sluice.engine.spi.SessionInfo;
import io.sluice.engine.stream.StreamSnapshot;
import io.sluice.streamkey.StreamKeyDtos.CreateKeyRequest;
import io.sluice.streamkey.StreamKeyDtos.IssuedSecret;
import io.sluice.streamkey.StreamKeyDtos.KeyView;
import io.sluice.streamkey.StreamKeyDtos.UpdateKeyRequest;
import io.sluice.testing.SluiceSpringTest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.TestPropertySource;

/**
 * The whole application: stream keys decide real publishes (the engine's client for exact status
 * codes, ffmpeg as the real-client proof). Keys are made through the service; one test goes through
 * the REST API as the administrator.
 */
@SluiceSpringTest
@TestPropertySource(properties = "sluice.keys.play-policy.secure=TOKEN")
@ExtendWith(OutputCaptureExtension.class)
class StreamKeyFullStackTest {
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10);

    @Autowired
    StreamKeyService keys;

    @Autowired
    RtmpServer rtmp;

    @Autowired
    TestRestTemplate http;

    @TempDir
    Path dir;

    private final List<RtmpClient> clients = new ArrayList<>();
    private final List<Ffmpeg> processes = new ArrayList<>();

    @AfterEach
    void cleanUp() throws InterruptedException {
        clients.forEach(RtmpClient::close);
        for (Ffmpeg f : processes) {
            f.close();
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    private String url(String app, String name) {
        return "rtmp://127.0.0.1:" + rtmp.port() + "/" + app + "/" + name;
    }

    private IssuedSecret newKey(String label) {
        return keys.create(new CreateKeyRequest(label, null, null, null, null, null, null, null));
    }

    private RtmpClient connect(String url) throws Exception {
        RtmpClient c = RtmpClient.connect(url).get(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        clients.add(c);
        return c;
    }

    /** Publishes with the engine's client; fails the test if the server refuses. */
    private RtmpClient publish(String app, String secret) throws Exception {
        RtmpClient c = connect(url(app, secret));
        c.publish().get(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        return c;
    }

    /** Publishes with the engine's client and returns the refusal (fails if none comes). */
    private RtmpStatusException publishRefused(String app, String secret) throws Exception {
        RtmpClient c = connect(url(app, secret));
        try {
            c.publish().get(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(RtmpStatusException.class);
            return (RtmpStatusException) e.getCause();
        }
        return fail("publishing with %s… was allowed", secret.substring(0, 4));
    }

    private Optional<StreamSnapshot> snapshot(String app, String name) {
        return rtmp.streamSnapshots().stream().filter(s -> s.app().equals(app) && s.name().equals(name)).findFirst();
    }

    private boolean live(String app, String name) {
        return snapshot(app, name).map(StreamSnapshot::live).orElse(false);
    }

    private static void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after %s waiting for %s", timeout, what);
            }
            Thread.sleep(20);
        }
    }

    private static void awaitClosed(RtmpClient client, Duration timeout) throws Exception {
        try {
            client.closeFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            fail("the server did not end the publish within %s", timeout);
        }
    }

    private Ffmpeg ffmpegPublish(String name, String url, int seconds) {
        Ffmpeg f = Ffmpeg.publish(dir, name, url, seconds);
        processes.add(f);
        return f;
    }

    /** ffmpeg is refused: it exits non-zero within 10 s and says why. */
    private void assertFfmpegRefused(String name, String secret, String why) throws Exception {
        Ffmpeg f = ffmpegPublish(name, url("live", secret), 20);
        Integer exit = f.awaitExit(Duration.ofSeconds(10));
        assertThat(exit).as("ffmpeg (%s) still running; output:%n%s", name, f.output()).isNotNull();
        assertThat(exit).as("ffmpeg exit code; output:%n%s", f.output()).isNotZero();
        assertThat(f.output()).contains(why);
    }

    // ---- publishing -----------------------------------------------------------------------------

    @Test
    void ffmpegPublishesUnderThePublicNameAndIsCutWithinFiveSecondsOfDisablingTheKey(CapturedOutput output)
            throws Exception {
        Ffmpeg.assumeInstalled();
        IssuedSecret key = newKey("Ffmpeg camera");
        String publicName = key.key().publicName();
        assertThat(publicName).isEqualTo("ffmpeg-camera");
        Ffmpeg ffmpeg = ffmpegPublish("publish", url("live", key.secret()), 20);

        await(Duration.ofSeconds(15), "live/" + publicName + " live; ffmpeg: " + ffmpeg.output(),
                () -> live("live", publicName));
        StreamSnapshot s = snapshot("live", publicName).orElseThrow();
        assertThat(s.label()).isEqualTo("Ffmpeg camera");
        assertThat(rtmp.streamSnapshots().toString()).doesNotContain(key.secret());
        assertThat(rtmp.sessions().toString()).doesNotContain(key.secret());
        assertThat(rtmp.sessions()).filteredOn(i -> i.role() == SessionInfo.Role.PUBLISHER)
                .extracting(SessionInfo::streamName).contains(publicName);
        await(Duration.ofSeconds(5), "the key's last use recorded", () -> keys.get(key.key().id()).lastUsedAt() != null);
        KeyView used = keys.get(key.key().id());
        assertThat(used.lastUsedAddress()).isEqualTo("127.0.0.1");
        assertThat(used.livePublishers()).isEqualTo(1);

        long disabledAt = System.nanoTime();
        keys.setEnabled(key.key().id(), false);
        Integer exit = ffmpeg.awaitExit(Duration.ofSeconds(5));
        assertThat(exit).as("ffmpeg still publishing 5 s after the key was disabled; output:%n%s", ffmpeg.output())
                .isNotNull();
        assertThat(Duration.ofNanos(System.nanoTime() - disabledAt)).isLessThan(Duration.ofSeconds(5));
        await(Duration.ofSeconds(5), "the stream to end", () -> !live("live", publicName));
        assertThat(output.getAll()).contains("stream key disabled").doesNotContain(key.secret());
    }

    @Test
    void ffmpegIsRefusedForUnknownDisabledAndExpiredKeys(CapturedOutput output) throws Exception {
        Ffmpeg.assumeInstalled();
        IssuedSecret disabled = newKey("Ffmpeg disabled");
        keys.setEnabled(disabled.key().id(), false);
        IssuedSecret expired = newKey("Ffmpeg expired");
        keys.update(expired.key().id(), new UpdateKeyRequest("Ffmpeg expired", null, true, null,
                Instant.now().minusSeconds(60), false, 1));
        String unknown = KeySecrets.newSecret();

        assertFfmpegRefused("unknown", unknown, "Unknown stream key.");
        assertFfmpegRefused("disabled", disabled.secret(), "Stream key is disabled.");
        assertFfmpegRefused("expired", expired.secret(), "Stream key is not valid after");
        assertThat(rtmp.streamSnapshots()).noneMatch(s -> s.name().equals(unknown)
                || s.name().equals(disabled.secret()) || s.name().equals(expired.secret()));
        assertThat(output.getAll()).contains("publish refused: stream key " + unknown.substring(0, 4) + "…")
                .doesNotContain(unknown).doesNotContain(disabled.secret()).doesNotContain(expired.secret());
    }

    @Test
    void theEngineClientGetsExactStatusCodes() throws Exception {
        assertThat(publishRefused("live", KeySecrets.newSecret()))
                .returns("NetStream.Publish.Unauthorized", RtmpStatusException::code)
                .hasMessageContaining("Unknown stream key.");

        IssuedSecret disabled = newKey("Client disabled");
        keys.setEnabled(disabled.key().id(), false);
        assertThat(publishRefused("live", disabled.secret()))
                .returns("NetStream.Publish.Unauthorized", RtmpStatusException::code)
                .hasMessageContaining("Stream key is disabled.");

        IssuedSecret future = newKey("Client future");
        Instant from = Instant.now().plusSeconds(3600);
        keys.update(future.key().id(), new UpdateKeyRequest("Client future", null, true, from, null, false, 1));
        assertThat(publishRefused("live", future.secret()))
                .returns("NetStream.Publish.Unauthorized", RtmpStatusException::code)
                .hasMessageContaining("Stream key is not valid until");

        IssuedSecret other = newKey("Client other app");
        assertThat(publishRefused("studio", other.secret()))
                .returns("NetStream.Publish.Unauthorized", RtmpStatusException::code);

        IssuedSecret busy = newKey("Client busy");
        publish("live", busy.secret());
        await(Duration.ofSeconds(5), "the first publish live", () -> live("live", busy.key().publicName()));
        assertThat(publishRefused("live", busy.secret()))
                .returns("NetStream.Publish.BadName", RtmpStatusException::code)
                .hasMessageContaining("Stream key is already in use (at most 1 publisher).");
    }

    @Test
    void deletingAKeyEndsItsLivePublishWithinFiveSeconds() throws Exception {
        IssuedSecret key = newKey("Client deleted");
        RtmpClient publisher = publish("live", key.secret());
        await(Duration.ofSeconds(5), "live", () -> live("live", key.key().publicName()));
        keys.delete(key.key().id());
        awaitClosed(publisher, Duration.ofSeconds(5));
        assertThat(publishRefused("live", key.secret()).code()).isEqualTo("NetStream.Publish.Unauthorized");
    }

    @Test
    void theOldSecretWorksDuringTheGracePeriodAndNotAfter(CapturedOutput output) throws Exception {
        Ffmpeg.assumeInstalled();
        IssuedSecret key = newKey("Rotated");
        String publicName = key.key().publicName();
        Duration grace = Duration.ofSeconds(4);
        IssuedSecret rotated = keys.rotate(key.key().id(), grace);
        long rotatedAt = System.nanoTime();
        assertThat(rotated.secret()).isNotEqualTo(key.secret());

        // within the grace period ffmpeg publishes with the old secret ...
        Ffmpeg old = ffmpegPublish("old-secret", url("live", key.secret()), 20);
        await(Duration.ofSeconds(4), "the old secret's publish live; ffmpeg: " + old.output(),
                () -> live("live", publicName));
        // ... until the grace period ends: then it is cut within seconds
        Integer exit = old.awaitExit(grace.plusSeconds(5));
        assertThat(exit).as("ffmpeg with the old secret still publishing; output:%n%s", old.output()).isNotNull();
        assertThat(Duration.ofNanos(System.nanoTime() - rotatedAt)).isGreaterThanOrEqualTo(grace);
        assertThat(output.getAll()).contains("ending the publish of live/" + publicName).contains("stream key rotated")
                .contains("its previous secret, valid until");

        // after it, the old secret is unknown; the new one works
        assertThat(publishRefused("live", key.secret()))
                .returns("NetStream.Publish.Unauthorized", RtmpStatusException::code)
                .hasMessageContaining("Unknown stream key.");
        assertFfmpegRefused("old-secret-after-grace", key.secret(), "Unknown stream key.");
        await(Duration.ofSeconds(10), "the old publish to be gone", () -> !live("live", publicName));
        publish("live", rotated.secret());
        await(Duration.ofSeconds(5), "the new secret's publish live", () -> live("live", publicName));
        assertThat(output.getAll()).doesNotContain(key.secret()).doesNotContain(rotated.secret());
    }

    // ---- play tokens ----------------------------------------------------------------------------

    @Test
    void playersOfATokenAppNeedAValidToken() throws Exception {
        IssuedSecret key = keys.create(new CreateKeyRequest("Secure", "secure", "vip", null, null, null, null, null));
        publish("secure", key.secret());
        await(Duration.ofSeconds(5), "secure/vip live", () -> live("secure", "vip"));

        RtmpClient noToken = connect(url("secure", "vip"));
        try {
            noToken.play(m -> { }).get(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            fail("played without a token");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(RtmpStatusException.class)
                    .hasMessageContaining("A play token is required");
            assertThat(((RtmpStatusException) e.getCause()).code()).isEqualTo("NetStream.Play.Failed");
        }

        String token = keys.issuePlayToken(key.key().id(), Duration.ofSeconds(60)).token();
        RtmpClient withToken = connect(url("secure", "vip?token=" + token));
        withToken.play(m -> { }).get(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        // an open app needs none
        IssuedSecret open = newKey("Open play");
        publish("live", open.secret());
        RtmpClient player = connect(url("live", open.key().publicName()));
        player.play(m -> { }).get(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    // ---- REST ---------------------------------------------------------------------------------

    @Test
    @SuppressWarnings("unchecked")
    void theRestApiCreatesAKeyWhosePublishUrlWorks() throws Exception {
        HttpHeaders headers = new HttpHeaders();
        headers.setBasicAuth("admin", "admin-password");
        headers.setContentType(MediaType.APPLICATION_JSON);
        ResponseEntity<Map> created = http.exchange("/api/keys", HttpMethod.POST,
                new HttpEntity<>("{\"label\":\"Over REST\",\"autoRecord\":false}", headers), Map.class);
        assertThat(created.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        Map<String, Object> body = created.getBody();
        String secret = (String) body.get("secret");
        Map<String, Object> obs = (Map<String, Object>) body.get("obs");
        assertThat(obs.get("serverUrl")).isEqualTo("rtmp://localhost:" + rtmp.port() + "/live");
        assertThat(obs.get("streamKey")).isEqualTo(secret);
        String publishUrl = ((String) body.get("publishUrl")).replace("localhost", "127.0.0.1");
        RtmpClient c = connect(publishUrl);
        c.publish().get(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        await(Duration.ofSeconds(5), "live/over-rest live", () -> live("live", "over-rest"));

        ResponseEntity<String> listed = http.exchange("/api/keys?label=over+rest", HttpMethod.GET,
                new HttpEntity<>(headers), String.class);
        assertThat(listed.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(listed.getBody()).contains("\"publicName\":\"over-rest\"").doesNotContain(secret);
        ResponseEntity<String> anonymous = http.getForEntity("/api/keys", String.class);
        assertThat(anonymous.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        ResponseEntity<String> apiDocs = http.getForEntity("/v3/api-docs", String.class);
        assertThat(apiDocs.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(apiDocs.getBody()).contains("\"/api/keys/{id}/rotate\"").contains("Stream keys");
    }
}
