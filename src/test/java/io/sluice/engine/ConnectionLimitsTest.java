package io.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.sluice.engine.client.Recorder;
import io.sluice.engine.client.RtmpClient;
import io.sluice.engine.client.SyntheticStream;
import io.sluice.engine.protocol.amf.AmfNull;
import io.sluice.engine.protocol.amf.AmfValue;
import io.sluice.engine.protocol.chunk.ChunkLimits;
import io.sluice.engine.protocol.message.CommandMessage;
import io.sluice.engine.protocol.message.DataMessage;
import io.sluice.engine.protocol.message.SetChunkSize;
import io.sluice.engine.protocol.message.UserControl;
import io.sluice.engine.spi.AccessGate;
import io.sluice.engine.spi.Refusal;
import io.sluice.engine.spi.StreamEventListener;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every {@link ConnectionLimits} limit refuses the offending peer with one refusal event, and nobody
 * else notices: a player that was already watching keeps receiving frames, and a well-behaved client
 * still connects and publishes.
 */
@Timeout(60)
class ConnectionLimitsTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    /** A second loopback address (Linux routes all of 127/8 to lo), so one "attacker" address can be limited. */
    private static final String OTHER_ADDRESS = "127.0.0.2";

    private record Refused(Refusal reason, InetSocketAddress remote) {
    }

    private final List<Refused> refusals = new CopyOnWriteArrayList<>();
    private final List<RtmpClient> clients = new ArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();
    private RtmpServer server;

    @AfterEach
    void tearDown() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        clients.forEach(RtmpClient::close);
        if (server != null) {
            server.stop(Duration.ofSeconds(2));
        }
    }

    private void start(UnaryOperator<ConnectionLimits> limits) {
        start(limits, c -> c);
    }

    private void start(UnaryOperator<ConnectionLimits> limits, UnaryOperator<RtmpServerConfig> tweak) {
        RtmpServerConfig config = RtmpServerConfig.defaults().withHost("127.0.0.1").withPort(0)
                // long enough that a connection closed within WAIT was refused, not timed out
                .withTimeouts(Duration.ofSeconds(20), Duration.ofSeconds(20), Duration.ofSeconds(20));
        config = tweak.apply(config.withConnectionLimits(limits.apply(config.connectionLimits())));
        server = new RtmpServer(config, AccessGate.ALLOW_ALL, new StreamEventListener() {
            @Override
            public void refused(Refusal reason, InetSocketAddress remote) {
                refusals.add(new Refused(reason, remote));
            }
        });
        server.start();
    }

    private RtmpClient connect(String stream) throws Exception {
        RtmpClient client = RtmpClient.connect("rtmp://127.0.0.1:" + server.port() + "/live/" + stream)
                .get(5, TimeUnit.SECONDS);
        clients.add(client);
        return client;
    }

    /** A publisher and a player of it, with frames flowing: the bystanders a refusal must not touch. */
    private final class Feed {
        final RtmpClient publisher;
        final RtmpClient player;
        final Recorder recorder = new Recorder();
        final int streamId;
        int ts;

        Feed(String name) throws Exception {
            publisher = connect(name);
            streamId = publisher.publish().get(5, TimeUnit.SECONDS);
            SyntheticStream.sendHeaders(publisher, streamId, 0);
            player = connect(name);
            player.play(recorder).get(5, TimeUnit.SECONDS);
            assertThat(RtmpServerTest.waitUntil(() -> server.streamSnapshots().stream()
                    .anyMatch(s -> s.name().equals(name) && s.subscribers() == 1), WAIT)).isTrue();
            assertStillFlowing();
        }

        void assertStillFlowing() throws InterruptedException {
            int before = recorder.media().size();
            ts = SyntheticStream.sendFrames(publisher, streamId, ts, 5, 5); // starts with a keyframe
            assertThat(recorder.awaitMedia(before + 10, WAIT)).as("the player receives frames").isTrue();
            assertThat(publisher.isActive()).isTrue();
            assertThat(player.isActive()).isTrue();
        }
    }

    private Socket rawSocket(String localAddress) throws Exception {
        Socket socket = new Socket("127.0.0.1", server.port(), InetAddress.getByName(localAddress), 0);
        sockets.add(socket);
        return socket;
    }

    private void awaitSessions(int count) throws InterruptedException {
        assertThat(RtmpServerTest.waitUntil(() -> server.sessions().size() == count, WAIT))
                .as("%d sessions (now %d)", count, server.sessions().size()).isTrue();
    }

    /** True if the server closes the socket within {@link #WAIT} (it is never written to). */
    private static boolean closedByServer(Socket socket) throws Exception {
        socket.setSoTimeout((int) WAIT.toMillis());
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[8192];
        try {
            while (in.read(buf) >= 0) {
                // discard what the server sent before closing
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset by the server
        }
    }

    /** The simple handshake (C1 and C2 all zeros), as LimitsAndTimeoutsTest does it. */
    private static void handshake(Socket socket) throws Exception {
        OutputStream out = socket.getOutputStream();
        out.write(3);
        out.write(new byte[1536]);
        out.flush();
        socket.setSoTimeout((int) WAIT.toMillis());
        assertThat(socket.getInputStream().readNBytes(1 + 1536 + 1536)).hasSize(1 + 1536 + 1536);
        out.write(new byte[1536]);
        out.flush();
    }

    private void assertRefused(Refusal reason, String address) throws InterruptedException {
        assertThat(RtmpServerTest.waitUntil(() -> refusals.stream().anyMatch(r -> r.reason() == reason), WAIT))
                .as("refused for %s; refusals: %s", reason, refusals).isTrue();
        assertThat(refusals).as("exactly one refusal").hasSize(1);
        assertThat(refusals.get(0).remote().getAddress().getHostAddress()).isEqualTo(address);
    }

    @Test
    void connectionsOverTheTotalAreClosedAtOnce() throws Exception {
        start(l -> l.withMaxConnections(4, 100));
        Feed feed = new Feed("total");
        rawSocket("127.0.0.1");
        rawSocket("127.0.0.1");
        awaitSessions(4);

        assertThat(closedByServer(rawSocket("127.0.0.1"))).isTrue();
        assertRefused(Refusal.CONNECTIONS, "127.0.0.1");
        feed.assertStillFlowing();

        sockets.get(0).close(); // a place frees up
        awaitSessions(3);
        connect("total-after").publish().get(5, TimeUnit.SECONDS);
    }

    @Test
    void oneAddressOverItsLimitIsRefusedWhileOthersConnect() throws Exception {
        start(l -> l.withMaxConnections(100, 3));
        Feed feed = new Feed("per-address");
        for (int i = 0; i < 3; i++) {
            rawSocket(OTHER_ADDRESS);
        }
        awaitSessions(2 + 3);

        assertThat(closedByServer(rawSocket(OTHER_ADDRESS))).isTrue();
        assertRefused(Refusal.CONNECTIONS_PER_ADDRESS, OTHER_ADDRESS);
        feed.assertStillFlowing();
        // 127.0.0.1 already has two connections open; three is its limit too
        connect("per-address-other").publish().get(5, TimeUnit.SECONDS);
        assertThat(refusals).hasSize(1);

        sockets.get(0).close(); // the address's count goes down with its connections
        awaitSessions(2 + 1 + 2);
        handshake(rawSocket(OTHER_ADDRESS));
        awaitSessions(2 + 1 + 3);
        assertThat(refusals).hasSize(1);
    }

    @Test
    void handshakesOverTheLimitAreClosedAtOnceAndFinishedOnesDoNotCount() throws Exception {
        start(l -> l.withMaxHandshakes(3));
        Feed feed = new Feed("handshakes"); // two connections, their handshakes long done
        List<Socket> stalled = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            stalled.add(rawSocket(OTHER_ADDRESS));
        }
        awaitSessions(2 + 3);

        assertThat(closedByServer(rawSocket(OTHER_ADDRESS))).isTrue();
        assertRefused(Refusal.HANDSHAKES, OTHER_ADDRESS);
        feed.assertStillFlowing();

        handshake(stalled.get(0)); // finished: it no longer counts, once the server has read C2
        assertThat(RtmpServerTest.waitUntil(() -> server.handshakesInProgress() == 2, WAIT))
                .as("handshakes in progress after one finished").isTrue();
        stalled.add(rawSocket(OTHER_ADDRESS));
        awaitSessions(2 + 3 + 1);
        stalled.get(1).close(); // gave up: it no longer counts either
        awaitSessions(2 + 2 + 1);
        connect("handshakes-after").publish().get(5, TimeUnit.SECONDS);
        assertThat(refusals).hasSize(1);
    }

    @Test
    void aConnectionFloodingCommandsIsClosedAndNobodyElseIs() throws Exception {
        start(l -> l.withCommandRate(10, 20));
        Feed feed = new Feed("flood"); // publish is five commands, play three: within the burst
        RtmpClient flooder = connect("flood-er");
        for (int i = 0; i < 200; i++) {
            flooder.sendMessage(new CommandMessage(0, "getStreamLength", 100 + i, AmfNull.INSTANCE,
                    List.of(AmfValue.of("flood"))));
        }
        flooder.flush();
        flooder.closeFuture().get(5, TimeUnit.SECONDS);

        assertRefused(Refusal.COMMAND_RATE, "127.0.0.1");
        feed.assertStillFlowing();
        connect("flood-after").publish().get(5, TimeUnit.SECONDS);
        assertThat(refusals).hasSize(1);
    }

    @Test
    void pingRequestsCountAsCommandsForTheyAreAnsweredToo() throws Exception {
        start(l -> l.withCommandRate(10, 20));
        Feed feed = new Feed("pings");
        RtmpClient flooder = connect("pings-er");
        for (int i = 0; i < 200; i++) {
            flooder.sendMessage(UserControl.pingRequest(i));
        }
        flooder.flush();
        flooder.closeFuture().get(5, TimeUnit.SECONDS);

        assertRefused(Refusal.COMMAND_RATE, "127.0.0.1");
        feed.assertStillFlowing();
    }

    @Test
    void streamsOverTheLimitAreAnsweredWithAnErrorAndTheConnectionStays() throws Exception {
        start(l -> l.withMaxStreamsPerConnection(2));
        RtmpClient client = connect("streams");
        client.createStream().get(5, TimeUnit.SECONDS);
        client.createStream().get(5, TimeUnit.SECONDS);
        assertThatThrownBy(() -> client.createStream().get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class);
        assertRefused(Refusal.STREAMS_PER_CONNECTION, "127.0.0.1");
        assertThat(client.isActive()).isTrue();
    }

    @Test
    void chunkLimitsAreReportedAsRefusals() throws Exception {
        start(l -> l, c -> c.withLimits(new ChunkLimits(64 * 1024, 1024 * 1024, 8), c.connectionLimits()));
        Feed feed = new Feed("chunks");

        RtmpClient bigMessage = connect("chunks-message");
        int sid = bigMessage.publish().get(5, TimeUnit.SECONDS);
        bigMessage.send(SyntheticStream.VIDEO, sid, 0, Unpooled.wrappedBuffer(new byte[100 * 1024]));
        bigMessage.flush();
        bigMessage.closeFuture().get(5, TimeUnit.SECONDS);
        assertRefused(Refusal.MESSAGE_SIZE, "127.0.0.1");

        RtmpClient bigChunks = connect("chunks-size");
        bigChunks.sendMessage(new SetChunkSize(2 * 1024 * 1024));
        bigChunks.flush();
        bigChunks.closeFuture().get(5, TimeUnit.SECONDS);
        assertThat(RtmpServerTest.waitUntil(() -> refusals.size() == 2, WAIT)).isTrue();
        assertThat(refusals.get(1).reason()).isEqualTo(Refusal.CHUNK_SIZE);

        feed.assertStillFlowing();
    }

    @Test
    void aPlayerThatDoesNotReadCannotQueueWithoutBound() throws Exception {
        // media stops at 1 MB queued; data messages always go, up to the 3 MB cap
        start(l -> l.withMaxPendingBytes(3 * 1024 * 1024),
                c -> c.withPlayerBackpressure(Duration.ofSeconds(30), 512 * 1024, 1024 * 1024));
        Feed feed = new Feed("pending");
        RtmpClient stuck = connect("pending");
        stuck.play(m -> { }).get(5, TimeUnit.SECONDS);
        assertThat(RtmpServerTest.waitUntil(() -> server.streamSnapshots().stream()
                .anyMatch(s -> s.name().equals("pending") && s.subscribers() == 2), WAIT)).isTrue();
        stuck.setReading(false);

        // up to 40 MB of data messages: far more than the socket buffers and the cap together
        String text = "x".repeat(400_000);
        for (int i = 0; i < 100 && refusals.isEmpty(); i++) {
            feed.publisher.sendMessage(new DataMessage(feed.streamId, feed.ts, List.of(AmfValue.of("onTextData"),
                    AmfValue.of(text))));
            feed.publisher.flush();
            long sent = i + 1;
            assertThat(feed.recorder.await(r -> r.stream().filter(x -> x.name().equals("onTextData")).count()
                    >= sent, WAIT)).as("the reading player got data message %d", sent).isTrue();
        }
        assertThat(RtmpServerTest.waitUntil(() -> server.streamSnapshots().stream()
                .anyMatch(s -> s.name().equals("pending") && s.subscribers() == 1), WAIT)).isTrue();
        assertThat(refusals).extracting(Refused::reason).containsExactly(Refusal.PENDING_BYTES);
        stuck.setReading(true); // reads what was queued, then sees the close
        stuck.closeFuture().get(10, TimeUnit.SECONDS);
        feed.assertStillFlowing();
    }
}
