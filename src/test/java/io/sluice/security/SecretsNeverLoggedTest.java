package io.sluice.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.engine.RtmpServer;
import io.sluice.engine.client.Recorder;
import io.sluice.engine.client.RtmpClient;
import io.sluice.engine.client.SyntheticStream;
import io.sluice.streamkey.StreamKeyDtos.CreateKeyRequest;
import io.sluice.streamkey.StreamKeyDtos.IssuedSecret;
import io.sluice.streamkey.StreamKeyService;
import io.sluice.testing.SluiceSpringTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
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
 * Every secret in one run, with Sluice logging at DEBUG: a stream key (good and bad), an API token
 * (good and bad), a play token, a callback secret and a token in a callback URL. None appears whole
 * in the log; what is logged about them is masked.
 */
@SluiceSpringTest
@TestPropertySource(properties = {
        "logging.level.io.sluice=DEBUG",
        "sluice.keys.play-policy.live=TOKEN",
        // nothing listens on port 9: the call fails and the ALLOW policy lets the publish through
        "sluice.webhooks.hooks.on-publish.url=http://127.0.0.1:9/hook?token=" + SecretsNeverLoggedTest.HOOK_TOKEN,
        "sluice.webhooks.hooks.on-publish.failure-policy=ALLOW",
        "sluice.webhooks.hooks.on-publish.timeout=2s",
        "sluice.webhooks.hooks.on-publish.secret=" + SecretsNeverLoggedTest.HOOK_SECRET})
@ExtendWith(OutputCaptureExtension.class)
@Timeout(90)
class SecretsNeverLoggedTest {
    static final String HOOK_TOKEN = "hookUrlToken7Qx9";
    static final String HOOK_SECRET = "hookSigningSecret4Lm2";
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Autowired
    StreamKeyService keys;
    @Autowired
    ApiTokens apiTokens;
    @Autowired
    RtmpServer rtmp;
    @Autowired
    TestRestTemplate http;

    private final List<RtmpClient> clients = new ArrayList<>();

    @AfterEach
    void close() {
        clients.forEach(RtmpClient::close);
    }

    private RtmpClient connect(String path) throws Exception {
        RtmpClient c = RtmpClient.connect("rtmp://127.0.0.1:" + rtmp.port() + path).get(WAIT.toSeconds(),
                TimeUnit.SECONDS);
        clients.add(c);
        return c;
    }

    private ResponseEntity<JsonNode> api(HttpMethod method, String path, String token, String body) {
        HttpHeaders h = new HttpHeaders();
        h.setBearerAuth(token);
        h.setContentType(MediaType.APPLICATION_JSON);
        return http.exchange(path, method, new HttpEntity<>(body, h), JsonNode.class);
    }

    @Test
    void noSecretIsEverLoggedWhole(CapturedOutput output) throws Exception {
        String apiToken = apiTokens.create("log test", List.of(Scope.values())).token();
        String wrongApiToken = ApiTokens.PREFIX + "NotARealTokenButLooksLikeOne1234";
        IssuedSecret key = keys.create(new CreateKeyRequest("Log test", null, "logtest", null, null, null, null,
                null));
        String wrongKey = "WrongKeyWrongKeyWrongKey12345678";

        // API: a good and a bad token
        assertThat(api(HttpMethod.GET, "/api/streams", apiToken, null).getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(api(HttpMethod.GET, "/api/streams", wrongApiToken, null).getStatusCode())
                .isEqualTo(HttpStatus.UNAUTHORIZED);
        String playToken = api(HttpMethod.POST, "/api/keys/" + key.key().id() + "/play-token", apiToken, "{}")
                .getBody().path("token").asText();
        assertThat(playToken).isNotBlank();

        // RTMP: a good key (with a query), a bad key, a player with its token and one with a bad token
        RtmpClient publisher = connect("/live/" + key.secret() + "?client=test");
        int sid = publisher.publish().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        SyntheticStream.sendHeaders(publisher, sid, 0);
        SyntheticStream.sendFrames(publisher, sid, 0, 5, 30);
        RtmpClient refused = connect("/live/" + wrongKey);
        assertThat(refused.publish()).failsWithin(WAIT).withThrowableOfType(ExecutionException.class);
        RtmpClient player = connect("/live/logtest?token=" + playToken);
        Recorder recorder = new Recorder();
        player.play(recorder).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        SyntheticStream.sendFrames(publisher, sid, 165, 5, 30);
        assertThat(recorder.awaitMedia(3, WAIT)).isTrue();
        RtmpClient badPlayer = connect("/live/logtest?token=" + playToken.substring(0, playToken.length() - 4) + "AAAA");
        badPlayer.play(new Recorder());
        badPlayer.closeFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        publisher.close();

        String log = output.getAll();
        // the log did record these events, masked
        assertThat(log).contains("publishes with stream key " + key.key().id())
                .contains("publish refused: stream key " + wrongKey.substring(0, 4) + "…")
                .contains("play refused")
                .contains("on_publish callback to http://127.0.0.1:9/hook?[redacted]");
        for (String secret : List.of(apiToken, wrongApiToken, key.secret(), wrongKey, playToken, HOOK_TOKEN,
                HOOK_SECRET)) {
            assertThat(log).as("the log holds a secret whole").doesNotContain(secret);
        }
    }
}
