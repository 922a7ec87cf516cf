package io.sluice.engine.realclient;

import static io.sluice.engine.realclient.RealClients.FPS;
import static io.sluice.engine.realclient.RealClients.HANDSHAKE_TIMEOUT;
import static io.sluice.engine.realclient.RealClients.assumeInstalled;
import static io.sluice.engine.realclient.RealClients.atLeast95Percent;
import static io.sluice.engine.realclient.RealClients.log;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.engine.spi.SessionInfo;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Raw sockets misbehave during a real publish + play: 2000 random bytes, a valid C0 followed by
 * random bytes (a C1 and a C2 that never completes), and a truncated handshake (C0 + 100 bytes of
 * C1, then silence). Each is disconnected within the handshake timeout + 1 s, and the real player
 * still gets its frames.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HandshakeAbuseTest {
    @RegisterExtension
    static final RealClients clients = new RealClients();

    private static final int SECONDS = 6;
    private static final int FRAMES = SECONDS * FPS;
    private static final Duration CLOSE_BOUND = HANDSHAKE_TIMEOUT.plusSeconds(1);

    /** How a raw connection ended, seen from the client side. */
    record Outcome(String how, long millis, int bytesRead) {
    }

    @Test
    void garbageAndTruncatedHandshakesAreDroppedWhileRealClientsPlay() {
        assumeInstalled("ffmpeg", "ffprobe");
        String stream = "abuse";
        Path out = clients.file("player.flv");
        ExternalTool player = clients.ffmpegPlayer(stream, out);
        ExternalTool publisher = clients.ffmpegPublisher("publisher", stream, SECONDS);

        Random random = new Random(20240601L);
        byte[] garbage = new byte[2000];
        random.nextBytes(garbage);
        garbage[0] = (byte) 0x7A; // not 3, whatever the seed gives: an unsupported C0
        byte[] c0ThenGarbage = new byte[2000];
        random.nextBytes(c0ThenGarbage);
        c0ThenGarbage[0] = 3; // a valid C0, a random C1, and 463 bytes of a C2 that never completes
        byte[] truncated = new byte[101];
        random.nextBytes(truncated);
        truncated[0] = 3; // C0 + the first 100 bytes of C1

        ExecutorService threads = Executors.newFixedThreadPool(3);
        Map<String, CompletableFuture<Outcome>> abusers = new LinkedHashMap<>();
        try {
            abusers.put("2000 random bytes", CompletableFuture.supplyAsync(() -> abuse(garbage), threads));
            abusers.put("C0 + 1999 random bytes", CompletableFuture.supplyAsync(() -> abuse(c0ThenGarbage), threads));
            abusers.put("C0 + 100 bytes of C1", CompletableFuture.supplyAsync(() -> abuse(truncated), threads));
            CompletableFuture.allOf(abusers.values().toArray(CompletableFuture[]::new)).orTimeout(15, TimeUnit.SECONDS)
                    .join();
        } finally {
            threads.shutdownNow();
        }

        for (Map.Entry<String, CompletableFuture<Outcome>> e : abusers.entrySet()) {
            Outcome o = e.getValue().join();
            log("abuser '%s': %s after %d ms (%d bytes read from the clients.server())", e.getKey(), o.how(), o.millis(),
                    o.bytesRead());
            assertThat(o.how()).as("abuser '%s' disconnected by the server", e.getKey()).isNotEqualTo("still open");
            assertThat(o.millis()).as("abuser '%s' disconnected within the handshake timeout + 1 s (ms)",
                    e.getKey()).isLessThanOrEqualTo(CLOSE_BOUND.toMillis());
        }
        // the clients.server() forgets a closed connection on its event loop, a moment after the client saw the close
        RealClients.awaitCondition(Duration.ofSeconds(1), "only the real clients left in " + clients.server().sessions(),
                () -> clients.server().sessions().stream().allMatch(
                        s -> s.role() == SessionInfo.Role.PLAYER || s.role() == SessionInfo.Role.PUBLISHER));

        assertThat(publisher.assertExitsWithin(Duration.ofSeconds(SECONDS + 15)))
                .as("publisher exit code: %s", publisher.tail(10)).isZero();
        assertThat(player.assertExitsWithin(RealClients.RECONNECT_GRACE.plusSeconds(3)))
                .as("player exit code: %s", player.tail(10)).isZero();
        RealClients.MediaInfo info = clients.probe(out);
        log("player next to the abusers: %s", info);
        assertThat(info.videoCodec()).isEqualTo("h264");
        assertThat(info.videoFrames()).isGreaterThanOrEqualTo(atLeast95Percent(FRAMES));
    }

    /** Sends {@code bytes}, then reads until the clients.server() closes (EOF or reset) or the bound passes. */
    private Outcome abuse(byte[] bytes) {
        long deadline = System.nanoTime() + CLOSE_BOUND.plusSeconds(2).toNanos();
        int read = 0;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", clients.server().port()), 2000);
            long start = System.nanoTime();
            try {
                socket.getOutputStream().write(bytes);
                socket.getOutputStream().flush();
            } catch (SocketException e) {
                return new Outcome("reset while sending (" + e.getMessage() + ")", millisSince(start), read);
            }
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[4096];
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return new Outcome("still open", millisSince(start), read);
                }
                socket.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                try {
                    int n = in.read(buf);
                    if (n < 0) {
                        return new Outcome("EOF", millisSince(start), read);
                    }
                    read += n;
                } catch (SocketTimeoutException e) {
                    return new Outcome("still open", millisSince(start), read);
                } catch (SocketException e) {
                    return new Outcome("reset (" + e.getMessage() + ")", millisSince(start), read);
                }
            }
        } catch (IOException e) {
            throw new AssertionError("abuser could not connect", e);
        }
    }

    private static long millisSince(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}
