package io.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.engine.client.RtmpClient;
import io.sluice.engine.client.SyntheticStream;
import io.sluice.engine.protocol.chunk.ChunkLimits;
import io.netty.buffer.Unpooled;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Timeouts and limits close the offending connection only. */
@Timeout(30)
class LimitsAndTimeoutsTest {
    private RtmpServer server;

    @BeforeEach
    void start() {
        server = new RtmpServer(RtmpServerConfig.defaults().withHost("127.0.0.1").withPort(0)
                .withTimeouts(Duration.ofMillis(500), Duration.ofMillis(1500), Duration.ofMillis(700))
                .withLimits(new ChunkLimits(64 * 1024, 0xFFFFFF, 8), 4));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(Duration.ofSeconds(2));
    }

    private String url(String name) {
        return "rtmp://127.0.0.1:" + server.port() + "/live/" + name;
    }

    /** Milliseconds until the server closes the socket, reading (and discarding) what it sends. */
    private static long millisUntilClosed(Socket socket, Duration limit) throws Exception {
        long start = System.nanoTime();
        socket.setSoTimeout((int) limit.toMillis());
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[8192];
        try {
            while (in.read(buf) >= 0) {
                if (System.nanoTime() - start > limit.toNanos()) {
                    throw new AssertionError("still open after " + limit);
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("still open after " + limit);
        } catch (java.net.SocketException e) {
            // reset by the server: closed as well
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void aTruncatedHandshakeIsClosedAfterTheHandshakeTimeout() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(3);
            out.write(new byte[100]);
            out.flush();
            assertThat(millisUntilClosed(socket, Duration.ofSeconds(3))).isBetween(300L, 1500L);
        }
    }

    @Test
    void randomBytesAreClosedAtOnce() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            byte[] garbage = new byte[2000];
            new Random(42).nextBytes(garbage);
            garbage[0] = 0x47; // not version 3
            socket.getOutputStream().write(garbage);
            assertThat(millisUntilClosed(socket, Duration.ofSeconds(3))).isLessThan(500L);
        }
    }

    @Test
    void aConnectionThatNeverSendsConnectIsClosedAfterTheConnectTimeout() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(3);
            out.write(new byte[1536]); // C1
            out.flush();
            byte[] s0s1s2 = socket.getInputStream().readNBytes(1 + 1536 + 1536);
            assertThat(s0s1s2[0]).isEqualTo((byte) 3);
            out.write(new byte[1536]); // C2, then silence
            out.flush();
            assertThat(millisUntilClosed(socket, Duration.ofSeconds(4))).isBetween(500L, 2500L);
        }
    }

    @Test
    void aPublisherThatSendsNoMediaIsClosedAfterTheIdleTimeout() throws Exception {
        RtmpClient publisher = RtmpClient.connect(url("idle")).get(5, TimeUnit.SECONDS);
        publisher.publish().get(5, TimeUnit.SECONDS);
        long start = System.nanoTime();
        publisher.closeFuture().get(5, TimeUnit.SECONDS);
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(500L, 2500L);
    }

    @Test
    void aMessageOverTheLimitClosesOnlyItsConnection() throws Exception {
        RtmpClient good = RtmpClient.connect(url("good")).get(5, TimeUnit.SECONDS);
        int sid = good.publish().get(5, TimeUnit.SECONDS);
        RtmpClient bad = RtmpClient.connect(url("bad")).get(5, TimeUnit.SECONDS);
        int badSid = bad.publish().get(5, TimeUnit.SECONDS);
        bad.send(SyntheticStream.VIDEO, badSid, 0, Unpooled.wrappedBuffer(new byte[100 * 1024]));
        bad.flush();
        bad.closeFuture().get(5, TimeUnit.SECONDS);
        SyntheticStream.sendHeaders(good, sid, 0);
        SyntheticStream.sendFrames(good, sid, 0, 3, 30);
        assertThat(RtmpServerTest.waitUntil(() -> server.streamSnapshots().stream()
                .anyMatch(s -> s.name().equals("good") && s.live() && s.bytesIn() > 0), Duration.ofSeconds(5))).isTrue();
        assertThat(good.isActive()).isTrue();
        good.close();
    }

    @Test
    void connectionsOverTheLimitAreRefused() throws Exception {
        Socket[] open = new Socket[4];
        for (int i = 0; i < open.length; i++) {
            open[i] = new Socket("127.0.0.1", server.port());
        }
        assertThat(RtmpServerTest.waitUntil(() -> server.sessions().size() == 4, Duration.ofSeconds(5))).isTrue();
        try (Socket fifth = new Socket("127.0.0.1", server.port())) {
            assertThat(millisUntilClosed(fifth, Duration.ofSeconds(2))).isLessThan(1000L);
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
    }
}
