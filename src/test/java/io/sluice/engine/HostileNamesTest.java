package io.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.engine.client.RtmpClient;
import io.sluice.engine.client.RtmpStatusException;
import io.sluice.engine.spi.AccessDecision;
import io.sluice.engine.spi.AccessGate;
import io.sluice.engine.spi.AccessRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Names that could reach outside a directory never become streams: neither as sent by a client, nor as
 * an access check's new name for the stream.
 */
@Timeout(30)
class HostileNamesTest {
    private final List<RtmpClient> clients = new ArrayList<>();
    private RtmpServer server;

    @AfterEach
    void stop() {
        clients.forEach(RtmpClient::close);
        server.stop(Duration.ofSeconds(2));
    }

    private void start(AccessGate gate) {
        server = new RtmpServer(RtmpServerConfig.defaults().withHost("127.0.0.1").withPort(0), gate,
                io.sluice.engine.spi.StreamEventListener.NONE);
        server.start();
    }

    private RtmpClient connect() throws Exception {
        RtmpClient client = RtmpClient.connect("rtmp://127.0.0.1:" + server.port() + "/live/x").get(5, TimeUnit.SECONDS);
        clients.add(client);
        return client;
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "../../etc/passwd", "a/b", "a\\b", "x\u0000y", ".hidden", "caf\u00e9"})
    void aHostileNameIsRefusedAndTheConnectionClosed(String name) throws Exception {
        start(AccessGate.ALLOW_ALL);
        RtmpClient publisher = connect();
        assertThatThrownBy(() -> publisher.publish(name).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(RtmpStatusException.class)
                .extracting(e -> ((RtmpStatusException) e).code()).isEqualTo("NetStream.Publish.BadName");
        publisher.closeFuture().get(5, TimeUnit.SECONDS);
        assertThat(server.streamSnapshots()).isEmpty();
    }

    @Test
    void anAccessCheckCannotRenameAStreamToAHostileName() throws Exception {
        start(request -> CompletableFuture.completedFuture(request.action() == AccessRequest.Action.CONNECT
                ? AccessDecision.allow() : AccessDecision.allowAs("../../outside", false, null)));
        RtmpClient publisher = connect();
        assertThatThrownBy(() -> publisher.publish("fine").get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(RtmpStatusException.class).hasMessageContaining("Invalid stream name.");
        RtmpClient player = connect();
        assertThatThrownBy(() -> player.play("fine", m -> { }).get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(RtmpStatusException.class).hasMessageContaining("Invalid stream name.");
        assertThat(server.streamSnapshots()).isEmpty();
    }
}
