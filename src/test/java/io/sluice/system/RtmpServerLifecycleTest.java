package io.sluice.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.SluiceApplication;
import io.sluice.engine.RtmpServerException;
import io.sluice.engine.client.RtmpClient;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** The engine runs inside the application and fails it clearly when its port is taken. */
@io.sluice.testing.SluiceSpringTest
class RtmpServerLifecycleTest {

    @Autowired
    RtmpServerLifecycle lifecycle;

    @Test
    void theEngineAcceptsRtmpOnTheBoundPort() throws Exception {
        assertThat(lifecycle.isRunning()).isTrue();
        RtmpClient client = RtmpClient.connect("rtmp://127.0.0.1:" + lifecycle.port() + "/live/x").get(5, TimeUnit.SECONDS);
        client.close();
    }

    @Test
    void aPortInUseFailsStartupWithOneClearMessage() throws Exception {
        long acceptThreadsBefore = acceptThreads();
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            SpringApplication app = new SpringApplication(SluiceApplication.class);
            assertThatThrownBy(() -> {
                ConfigurableApplicationContext context = app.run("--server.port=0", "--sluice.rtmp.host=127.0.0.1",
                        "--sluice.rtmp.port=" + taken.getLocalPort(), "--sluice.data-dir=./target/test-data/port-in-use");
                context.close();
            }).satisfies(e -> assertThat(rootRtmpError(e)).hasMessage("RTMP port 127.0.0.1:" + taken.getLocalPort()
                            + " is already in use (set sluice.rtmp.port to another port)"));
        }
        // nothing of the failed engine keeps running: its event loop threads are gone
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (acceptThreads() > acceptThreadsBefore && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(acceptThreads()).isLessThanOrEqualTo(acceptThreadsBefore);
    }

    private static long acceptThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("rtmp-accept") && t.isAlive()).count();
    }

    private static Throwable rootRtmpError(Throwable e) {
        while (e != null && !(e instanceof RtmpServerException)) {
            e = e.getCause();
        }
        return e;
    }
}
