package io.sluice.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.engine.RtmpServer;
import io.sluice.engine.client.RtmpClient;
import io.sluice.engine.client.RtmpStatusException;
import io.sluice.streamkey.StreamKeyDtos.CreateKeyRequest;
import io.sluice.streamkey.StreamKeyService;
import io.sluice.testing.Poll;
import io.sluice.testing.SluiceSpringTest;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Limits in the whole application: a refusal shows as {@code sluice_rtmp_refused_total{reason}}, and
 * publishes with bad stream keys get an address blocked, counted as {@code sluice_access_total{reason="throttled"}}.
 */
@SluiceSpringTest
@TestPropertySource(properties = {
        "sluice.rtmp.max-connections-per-address=2",
        "sluice.keys.throttle.free-failures=0",
        "sluice.keys.throttle.delay=0s",
        "sluice.keys.throttle.block-after=1",
        "sluice.keys.throttle.block-for=10m"})
class LimitsFullStackTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Autowired
    RtmpServer rtmp;

    @Autowired
    MeterRegistry metrics;

    @Autowired
    StreamKeyService keys;

    @Autowired
    TestRestTemplate http;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private static boolean waitUntil(BooleanSupplier condition) throws InterruptedException {
        return Poll.until(condition, WAIT);
    }

    private String prometheus() {
        return http.withBasicAuth("admin", "admin-password").getForObject("/actuator/prometheus", String.class);
    }

    @Test
    void aRefusedConnectionIsCountedByReason() throws Exception {
        assertThat(prometheus()).contains("sluice_rtmp_refused_total{reason=\"connections_per_address\"} 0.0")
                .contains("sluice_rtmp_refused_total{reason=\"command_rate\"} 0.0");
        InetAddress other = InetAddress.getByName("127.0.0.2"); // the RTMP clients of the other test use 127.0.0.1
        int before = rtmp.sessions().size();
        for (int i = 0; i < 2; i++) {
            Socket s = new Socket("127.0.0.1", rtmp.port(), other, 0);
            open.add(s);
        }
        assertThat(waitUntil(() -> rtmp.sessions().size() == before + 2)).isTrue();
        try (Socket refused = new Socket("127.0.0.1", rtmp.port(), other, 0)) {
            refused.setSoTimeout((int) WAIT.toMillis());
            InputStream in = refused.getInputStream();
            try {
                assertThat(in.read()).as("closed by the server").isEqualTo(-1);
            } catch (SocketException reset) {
                // closed by the server as well
            }
        }
        assertThat(waitUntil(() -> metrics.counter("sluice.rtmp.refused", "reason", "connections_per_address")
                .count() == 1)).isTrue();
        assertThat(prometheus()).contains("sluice_rtmp_refused_total{reason=\"connections_per_address\"} 1.0");
    }

    @Test
    void anAddressThatTriedBadKeysIsBlockedEvenWithAGoodOne() throws Exception {
        String secret = keys.create(new CreateKeyRequest("Throttled camera", null, null, null, null, null, null, null))
                .secret();
        assertThat(publishRefused("not-a-key-1").code()).isEqualTo("NetStream.Publish.Unauthorized");
        assertThat(publishRefused("not-a-key-2").code()).isEqualTo("NetStream.Publish.Unauthorized");
        RtmpStatusException blocked = publishRefused(secret);
        assertThat(blocked.code()).isEqualTo("NetStream.Publish.Denied");
        assertThat(blocked.getMessage()).contains("Too many bad stream keys from this address");
        assertThat(metrics.counter("sluice.access", "action", "publish", "outcome", "refused", "reason", "throttled")
                .count()).isEqualTo(1.0);
        assertThat(prometheus()).contains("reason=\"throttled\"");
    }

    private RtmpStatusException publishRefused(String name) throws Exception {
        RtmpClient client = RtmpClient.connect("rtmp://127.0.0.1:" + rtmp.port() + "/live/" + name)
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        open.add(client);
        try {
            client.publish().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(RtmpStatusException.class);
            return (RtmpStatusException) e.getCause();
        }
        throw new AssertionError("publishing " + name.substring(0, 4) + "… was allowed");
    }
}
