package io.sluice.streamkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.sluice.engine.RtmpServer;
import io.sluice.engine.client.RtmpClient;
import io.sluice.engine.client.RtmpStatusException;
import io.sluice.engine.client.SyntheticStream;
import io.sluice.streamkey.StreamKeyDtos.CreateKeyRequest;
import io.sluice.streamkey.StreamKeyDtos.IssuedSecret;
import io.sluice.testing.SluiceSpringTest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The database goes away while the server runs: a publish that needs a stream key check is refused
 * (fail closed, with one clear log line and no secret in it), a stream already live goes on, and once
 * the database is back publishing works again without a restart.
 */
@SluiceSpringTest
@Import(StreamKeyStoreOutageTest.Outage.class)
@ExtendWith(OutputCaptureExtension.class)
@Timeout(90)
class StreamKeyStoreOutageTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** The application's DataSource behind a switch: while down, every new connection fails as a dead server's would. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Outage {
        @Bean
        static BeanPostProcessor switchableDataSource() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    return bean instanceof DataSource ds && !(bean instanceof Switch) ? new Switch(ds) : bean;
                }
            };
        }
    }

    static final class Switch extends DelegatingDataSource {
        static volatile boolean down;

        Switch(DataSource target) {
            super(target);
        }

        @Override
        public Connection getConnection() throws SQLException {
            check();
            return super.getConnection();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            check();
            return super.getConnection(username, password);
        }

        private static void check() throws SQLException {
            if (down) {
                throw new SQLTransientConnectionException("Connection refused: database unreachable (test outage)",
                        "08001");
            }
        }
    }

    @Autowired
    StreamKeyService keys;
    @Autowired
    RtmpServer rtmp;
    @TempDir
    Path dir;

    private final List<RtmpClient> clients = new ArrayList<>();

    @AfterEach
    void restore() {
        Switch.down = false;
        clients.forEach(RtmpClient::close);
    }

    private RtmpClient connect(String name) throws Exception {
        RtmpClient c = RtmpClient.connect("rtmp://127.0.0.1:" + rtmp.port() + "/live/" + name)
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        clients.add(c);
        return c;
    }

    private boolean live(String name) {
        return rtmp.streamSnapshots().stream().anyMatch(s -> s.name().equals(name) && s.live());
    }

    @Test
    void aPublishDuringAnOutageIsRefusedAndWorksAgainOnceTheDatabaseIsBack(CapturedOutput output) throws Exception {
        IssuedSecret before = keys.create(new CreateKeyRequest("Before outage", null, null, null, null, null, null,
                null));
        IssuedSecret during = keys.create(new CreateKeyRequest("During outage", null, null, null, null, null, null,
                null));
        RtmpClient earlier = connect(before.secret());
        int sid = earlier.publish().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        SyntheticStream.sendHeaders(earlier, sid, 0);
        SyntheticStream.sendFrames(earlier, sid, 0, 5, 30);

        Switch.down = true;

        long start = System.nanoTime();
        RtmpClient refused = connect(during.secret());
        try {
            refused.publish().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            fail("a publish was allowed while the stream keys could not be checked");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(RtmpStatusException.class);
            assertThat(e.getCause().getMessage()).contains("NetStream.Publish")
                    .contains("Stream key check failed").doesNotContain(during.secret());
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("refused at once, not after a hang")
                .isLessThan(WAIT);
        refused.closeFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(output.getAll()).contains("stream key store unavailable")
                .contains("publish refused (fail closed)")
                .contains("database unreachable")
                .doesNotContain(during.secret()).doesNotContain(before.secret());

        // the stream that was live before the outage is not touched by it
        SyntheticStream.sendFrames(earlier, sid, 165, 5, 30);
        assertThat(earlier.isActive()).isTrue();
        assertThat(live(before.key().publicName())).isTrue();

        Switch.down = false;

        RtmpClient again = connect(during.secret());
        int sid2 = again.publish().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        SyntheticStream.sendHeaders(again, sid2, 0);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!live(during.key().publicName())) {
            if (System.nanoTime() > deadline) {
                fail("the publish after the outage did not go live");
            }
            Thread.sleep(20);
        }
        assertThat(again.isActive()).isTrue();
    }
}
