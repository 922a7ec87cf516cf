package io.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.sluice.engine.client.Recorder;
import io.sluice.engine.client.Recorder.Received;
import io.sluice.engine.client.RtmpClient;
import io.sluice.engine.client.SyntheticStream;
import io.sluice.engine.spi.AccessGate;
import io.sluice.engine.spi.SessionInfo;
import io.sluice.engine.spi.StreamEventListener;
import io.sluice.engine.stream.StreamConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Peers that vanish without a goodbye: in the middle of the handshake, in the middle of a chunk, with
 * a TCP reset (SO_LINGER 0). The server frees what the connection held (the LeakCheckExtension fails the
 * class on a leaked buffer), forgets the session, and everybody else on the stream goes on; a publisher
 * that vanishes mid-chunk leaves its players the reconnect grace, as any publisher that drops.
 */
@Timeout(60)
@ExtendWith(OutputCaptureExtension.class)
class VanishingPeersTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration GRACE = Duration.ofMillis(800);

    private RtmpServer server;
    private final List<RtmpClient> clients = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void start() {
        server = new RtmpServer(RtmpServerConfig.defaults().withHost("127.0.0.1").withPort(0)
                .withStreams(new StreamConfig(1 << 20, 1000, GRACE, Duration.ofSeconds(5),
                        StreamConfig.DuplicatePublishPolicy.REJECT)),
                AccessGate.ALLOW_ALL, StreamEventListener.NONE);
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        clients.forEach(RtmpClient::close);
        for (AutoCloseable c : closeables) {
            c.close();
        }
        server.stop(Duration.ofSeconds(2));
    }

    private RtmpClient connect(int port, String stream) throws Exception {
        RtmpClient c = RtmpClient.connect("rtmp://127.0.0.1:" + port + "/live/" + stream).get(5, TimeUnit.SECONDS);
        clients.add(c);
        return c;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("timed out waiting for %s", what).isNegative();
            Thread.sleep(10);
        }
    }

    private int subscribers(String stream) {
        return server.streamSnapshots().stream().filter(s -> s.name().equals(stream)).mapToInt(s -> s.subscribers())
                .sum();
    }

    private static long videoFrames(Recorder recorder) {
        return recorder.media().stream().filter(Received::isVideo).count();
    }

    private static List<Integer> keyframeNumbers(Recorder recorder) {
        // SyntheticStream puts the frame number in the last payload byte
        return recorder.media().stream().filter(Received::isVideo)
                .filter(r -> r.payload()[0] == 0x17 && r.payload()[1] == 1)
                .map(r -> r.payload()[r.payload().length - 1] & 0xff).toList();
    }

    /** A raw TCP connection that goes away with a reset, not a FIN. */
    private Socket raw() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", server.port()), 2000);
        s.setSoLinger(true, 0);
        return s;
    }

    /** C0 + C1 (zero version: the simple handshake), S0+S1+S2 read, C2 sent: a connection ready for chunks. */
    private Socket handshaken() throws IOException {
        Socket s = raw();
        OutputStream out = s.getOutputStream();
        byte[] c0c1 = new byte[1 + 1536];
        c0c1[0] = 3;
        out.write(c0c1);
        out.flush();
        InputStream in = s.getInputStream();
        s.setSoTimeout(5000);
        byte[] s0s1s2 = in.readNBytes(1 + 1536 + 1536);
        assertThat(s0s1s2).hasSize(1 + 1536 + 1536);
        out.write(Arrays.copyOfRange(s0s1s2, 1, 1 + 1536)); // C2 echoes S1
        out.flush();
        return s;
    }

    @Test
    void playersVanishingMidHandshakeAndMidChunkLeaveTheOthersUntouched(CapturedOutput output) throws Exception {
        RtmpClient publisher = connect(server.port(), "steady");
        int sid = publisher.publish().get(5, TimeUnit.SECONDS);
        SyntheticStream.sendHeaders(publisher, sid, 0);
        RtmpClient player = connect(server.port(), "steady");
        Recorder recorder = new Recorder();
        player.play(recorder).get(5, TimeUnit.SECONDS);
        CutProxy doomedLine = new CutProxy(server.port());
        closeables.add(doomedLine);
        RtmpClient doomed = connect(doomedLine.port(), "steady");
        doomed.play(new Recorder()).get(5, TimeUnit.SECONDS);
        await("two subscribers", () -> subscribers("steady") == 2);
        int ts = SyntheticStream.sendFrames(publisher, sid, 0, 30, 10);

        // half a C1, then a reset
        try (Socket s = raw()) {
            byte[] half = new byte[1 + 700];
            half[0] = 3;
            s.getOutputStream().write(half);
            s.getOutputStream().flush();
        }
        // a complete handshake, then half of a 200-byte command message (chunk header says 200), then a reset
        try (Socket s = handshaken()) {
            ByteBuffer chunk = ByteBuffer.allocate(12 + 60);
            chunk.put((byte) 0x03);                       // fmt 0, chunk stream 3
            chunk.put(new byte[] {0, 0, 0});              // timestamp
            chunk.put(new byte[] {0, 0, (byte) 200});     // message length 200
            chunk.put((byte) 20);                         // AMF0 command
            chunk.put(new byte[] {0, 0, 0, 0});           // message stream 0
            chunk.put(new byte[60]);                      // 60 of the 128 bytes of the first chunk
            s.getOutputStream().write(chunk.array());
            s.getOutputStream().flush();
        }
        // a player in the middle of receiving goes away with a reset (a crashed process, a pulled cable)
        doomedLine.resetNow();
        SyntheticStream.sendFrames(publisher, sid, ts, 5, 10);
        ts += 5 * 33;

        await("the vanished peers forgotten", () -> server.sessions().size() == 2);
        assertThat(server.sessions()).extracting(SessionInfo::role)
                .containsExactlyInAnyOrder(SessionInfo.Role.PUBLISHER, SessionInfo.Role.PLAYER);
        await("one subscriber left", () -> subscribers("steady") == 1);

        SyntheticStream.sendFrames(publisher, sid, ts, 30, 10);
        await("every frame at the remaining player", () -> videoFrames(recorder) == 1 + 30 + 5 + 30);
        assertThat(keyframeNumbers(recorder)).as("no frame lost, in order").containsExactly(0, 10, 20, 0, 0, 10, 20);
        assertThat(player.isActive()).isTrue();
        assertThat(publisher.isActive()).isTrue();
        assertThat(output.getAll()).as("the reset player's session end is logged")
                .containsPattern("session \\d+ \\(/127\\.0\\.0\\.1:\\d+\\) disconnected");
    }

    @Test
    void aPublisherVanishingMidChunkLeavesItsPlayersTheGraceThenEndsTheStream(CapturedOutput output)
            throws Exception {
        CutProxy proxy = new CutProxy(server.port());
        closeables.add(proxy);
        RtmpClient publisher = connect(proxy.port(), "cut");
        int sid = publisher.publish().get(5, TimeUnit.SECONDS);
        SyntheticStream.sendHeaders(publisher, sid, 0);
        RtmpClient player = connect(server.port(), "cut");
        Recorder recorder = new Recorder();
        player.play(recorder).get(5, TimeUnit.SECONDS);
        await("the player subscribed", () -> subscribers("cut") == 1);
        int ts = SyntheticStream.sendFrames(publisher, sid, 0, 10, 10);
        await("the first frames at the player", () -> videoFrames(recorder) == 11);

        proxy.cutAfterHalfOfTheNextRead();
        byte[] big = new byte[20_000]; // several 4096-byte chunks: half of it ends inside a chunk
        big[0] = 0x27;
        big[1] = 1;
        publisher.send(SyntheticStream.VIDEO, sid, ts, Unpooled.wrappedBuffer(big));
        publisher.flush();
        assertThat(proxy.cut.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the proxy cut the publisher").isTrue();
        long cutAt = System.nanoTime();

        assertThat(recorder.await(r -> r.stream().anyMatch(x -> x.name().equals("STREAM_DRY")), WAIT))
                .as("the player is told the stream ran dry").isTrue();
        player.closeFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        long afterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cutAt);
        assertThat(afterMillis).as("the player waited for the grace (%s) before being let go", GRACE)
                .isGreaterThanOrEqualTo(GRACE.toMillis() - 100);
        assertThat(recorder.all()).extracting(Received::name).containsSubsequence("STREAM_DRY", "STREAM_EOF");
        assertThat(recorder.media().stream().filter(Received::isVideo).map(Received::payload))
                .as("the half-received frame never reached the player").noneMatch(p -> p.length == big.length);
        await("the stream and its sessions gone", () -> server.streamSnapshots().isEmpty()
                && server.sessions().isEmpty());
        assertThat(output.getAll()).contains("stopped publishing live/cut");
    }

    /**
     * A TCP proxy from a client to the server that, once told, forwards only the first half of the next
     * bytes the client sends and then resets both connections: a publisher that vanishes mid-chunk.
     */
    static final class CutProxy implements AutoCloseable {
        private final ServerSocket listener;
        private final int target;
        private final List<Socket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();
        private volatile boolean armed;
        final CountDownLatch cut = new CountDownLatch(1);

        CutProxy(int target) throws IOException {
            this.target = target;
            this.listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
            Thread t = new Thread(this::accept, "cut-proxy");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        void cutAfterHalfOfTheNextRead() {
            armed = true;
        }

        /** Resets both connections now. */
        void resetNow() throws IOException {
            for (Socket s : sockets) {
                s.setSoLinger(true, 0);
                s.close();
            }
        }

        private void accept() {
            try {
                Socket client = listener.accept();
                Socket upstream = new Socket("127.0.0.1", target);
                sockets.add(client);
                sockets.add(upstream);
                pump(upstream, client, false);
                pump(client, upstream, true);
            } catch (IOException e) {
                // closed
            }
        }

        private void pump(Socket from, Socket to, boolean cuttable) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[64 * 1024];
                try {
                    InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream();
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        if (cuttable && armed && n > 1) {
                            out.write(buf, 0, n / 2);
                            out.flush();
                            to.setSoLinger(true, 0);
                            from.setSoLinger(true, 0);
                            to.close();
                            from.close();
                            cut.countDown();
                            return;
                        }
                        out.write(buf, 0, n);
                        out.flush();
                    }
                } catch (IOException e) {
                    // one side went away
                }
            }, "cut-proxy-pump");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws IOException {
            listener.close();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
