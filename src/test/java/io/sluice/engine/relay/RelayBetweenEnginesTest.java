package io.sluice.engine.relay;

import static io.sluice.engine.relay.RelayFixture.WAIT;
import static io.sluice.engine.relay.RelayFixture.await;
import static io.sluice.engine.relay.RelayFixture.live;
import static io.sluice.engine.relay.RelayFixture.url;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.engine.RtmpServer;
import io.sluice.engine.client.ReconnectPolicy;
import io.sluice.engine.client.Recorder;
import io.sluice.engine.client.Recorder.Received;
import io.sluice.engine.client.RtmpClient;
import io.sluice.engine.relay.RelayFixture.LivePublisher;
import io.sluice.engine.spi.AccessDecision;
import io.sluice.engine.spi.AccessGate;
import io.sluice.engine.spi.AccessRequest;
import io.sluice.engine.spi.StreamEventListener;
import io.sluice.engine.stream.StreamKey;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two (or three) Sluice engines in one JVM relaying to each other: pushes (restream targets) and
 * pulls, always on and on demand, a target that refuses and then accepts, and slow targets that must
 * not disturb the source's players.
 */
@Timeout(60)
class RelayBetweenEnginesTest {
    private static final ReconnectPolicy FAST = new ReconnectPolicy(Duration.ofMillis(100), Duration.ofMillis(400),
            2.0, 0.1, Duration.ofSeconds(10));

    private final RelayFixture fx = new RelayFixture();

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private static List<Integer> videoFrameNumbers(Recorder recorder) {
        List<Integer> result = new ArrayList<>();
        for (Received r : recorder.media()) {
            if (r.isVideo() && r.payload().length >= 15) {
                result.add(LivePublisher.frameNumber(r.payload()));
            }
        }
        return result;
    }

    @Test
    void aPushCarriesTheStreamToAnotherEngineAndEndsWithIt() throws Exception {
        RtmpServer a = fx.server();
        RtmpServer b = fx.server();
        LivePublisher source = fx.publish(url(a, "src"), 0);
        await(WAIT, "source live", () -> live(a, "src"));

        PushRelay push = fx.add(new PushRelay(url(b, "copy"), RtmpClient.Options.DEFAULT, FAST, Duration.ofSeconds(5)));
        push.start(a.streams(), new StreamKey("live", "src"), RtmpClient.nextExecutor()).get(5, TimeUnit.SECONDS);
        await(WAIT, "push live", () -> push.status().state() == RelayStatus.State.LIVE);
        await(WAIT, "copy live on B", () -> live(b, "copy"));

        RtmpClient player = fx.connect(url(b, "copy"));
        Recorder recorder = new Recorder();
        player.play(recorder).get(5, TimeUnit.SECONDS);
        assertThat(recorder.awaitMedia(60, WAIT)).as("media through the push").isTrue();
        List<Received> all = recorder.all();
        assertThat(all).extracting(Received::name).contains("onMetaData");
        List<Integer> frames = videoFrameNumbers(recorder);
        assertThat(frames).isSortedAccordingTo(Integer::compare);
        assertThat(recorder.media().stream().filter(Received::isVideo).findFirst().orElseThrow().payload()[1])
                .as("the player's first video is the AVC sequence header").isEqualTo((byte) 0);

        RelayStatus status = push.status();
        assertThat(status.bytes()).isPositive();
        assertThat(status.reconnects()).isZero();
        assertThat(status.lagMillis()).isLessThan(1000);
        assertThat(status.url()).startsWith("rtmp://127.0.0.1:" + b.port() + "/live/").doesNotContain("copy");

        source.close();
        await(WAIT, "push stopped with its source", () -> push.status().state() == RelayStatus.State.STOPPED);
        assertThat(push.done()).isDone();
        assertThat(push.status().lastError()).isEqualTo("the source stream ended");
        await(WAIT, "copy ended on B", () -> !live(b, "copy"));
    }

    @Test
    void aPullMakesARemoteStreamALocalLiveStream() throws Exception {
        RtmpServer a = fx.server();
        RtmpServer b = fx.server();
        fx.publish(url(a, "origin"), 0);
        PullRelay pull = fx.add(new PullRelay(b.streams(), new StreamKey("live", "mirror"), url(a, "origin"),
                RtmpClient.Options.DEFAULT, FAST, Duration.ofSeconds(5), "pull test"));
        pull.start();
        await(WAIT, "mirror live on B", () -> live(b, "mirror"));
        assertThat(RelayFixture.snapshot(b, "mirror").orElseThrow().label()).isEqualTo("pull test");
        await(WAIT, "pull LIVE", () -> pull.status().state() == RelayStatus.State.LIVE);

        RtmpClient player = fx.connect(url(b, "mirror"));
        Recorder recorder = new Recorder();
        player.play(recorder).get(5, TimeUnit.SECONDS);
        assertThat(recorder.awaitMedia(60, WAIT)).isTrue();
        assertThat(recorder.all()).extracting(Received::name).contains("onMetaData");
        List<Integer> frames = videoFrameNumbers(recorder);
        assertThat(frames).hasSizeGreaterThan(20).isSortedAccordingTo(Integer::compare);
        for (int i = 1; i < frames.size(); i++) {
            assertThat(frames.get(i) - frames.get(i - 1)).as("no frame lost between %s", frames.get(i - 1)).isEqualTo(1);
        }
        assertThat(RelayFixture.snapshot(b, "mirror").orElseThrow().videoCodec()).isEqualTo("H.264");
        assertThat(pull.status().bytes()).isPositive();
    }

    @Test
    void anOnDemandPullStartsWithTheFirstPlayerAndStopsAfterTheLastLeaves() throws Exception {
        RtmpServer a = fx.server();
        RtmpServer b = fx.server();
        fx.publish(url(a, "origin"), 0);
        PullRelays relays = fx.add(new PullRelays(b.streams(), List.of(new PullRelays.Pull(
                new StreamKey("live", "ondemand"), url(a, "origin"), PullRelays.Mode.ON_DEMAND, Duration.ofMillis(800),
                null)), FAST, Duration.ofSeconds(5)));
        b.addStreamEventListener(relays);
        relays.start();
        Thread.sleep(300); // nothing may start without a player
        assertThat(relays.list().get(0).running()).isFalse();
        assertThat(live(b, "ondemand")).isFalse();

        RtmpClient player = fx.connect(url(b, "ondemand"));
        Recorder recorder = new Recorder();
        long asked = System.nanoTime();
        player.play(recorder).get(5, TimeUnit.SECONDS);
        assertThat(recorder.awaitMedia(10, WAIT)).as("the player gets media from the pull it started").isTrue();
        long firstMediaMillis = (System.nanoTime() - asked) / 1_000_000;
        assertThat(relays.list().get(0).running()).isTrue();
        System.out.printf("on-demand pull: play to first media %d ms%n", firstMediaMillis);

        player.close();
        await(WAIT, "pull stopped after the idle timeout", () -> !relays.list().get(0).running());
        assertThat(relays.list().get(0).status().state()).isEqualTo(RelayStatus.State.STOPPED);
        await(WAIT, "stream gone on B", () -> !live(b, "ondemand"));

        // a new player starts it again
        RtmpClient again = fx.connect(url(b, "ondemand"));
        Recorder second = new Recorder();
        again.play(second).get(5, TimeUnit.SECONDS);
        assertThat(second.awaitMedia(10, WAIT)).isTrue();
    }

    @Test
    void aTargetThatRefusesIsRetriedAndGoesLiveOnceItAccepts() throws Exception {
        AtomicInteger refusals = new AtomicInteger(3);
        AccessGate gate = r -> CompletableFuture.completedFuture(r.action() == AccessRequest.Action.PUBLISH
                && refusals.getAndDecrement() > 0
                ? AccessDecision.deny(AccessDecision.Reason.UNAUTHORIZED, "Not yet.") : AccessDecision.allow());
        RtmpServer a = fx.server();
        RtmpServer b = fx.server(c -> c, gate, StreamEventListener.NONE);
        fx.publish(url(a, "src"), 0);
        await(WAIT, "source live", () -> live(a, "src"));

        List<RelayStatus> seen = new CopyOnWriteArrayList<>();
        PushRelay push = fx.add(new PushRelay(url(b, "retried"), RtmpClient.Options.DEFAULT, FAST,
                Duration.ofSeconds(5)));
        push.start(a.streams(), new StreamKey("live", "src"), RtmpClient.nextExecutor()).get(5, TimeUnit.SECONDS);
        await(WAIT, "push live after the refusals", () -> {
            RelayStatus s = push.status();
            seen.add(s);
            return s.state() == RelayStatus.State.LIVE;
        });
        RelayStatus live = push.status();
        assertThat(live.reconnects()).isEqualTo(3);
        assertThat(live.lastError()).contains("NetStream.Publish.Unauthorized").contains("Not yet.");
        assertThat(seen).anySatisfy(s -> {
            assertThat(s.state()).isEqualTo(RelayStatus.State.RETRYING);
            assertThat(s.nextAttemptAt()).isNotNull();
            assertThat(s.lastError()).contains("Unauthorized");
        });
        RtmpClient player = fx.connect(url(b, "retried"));
        Recorder recorder = new Recorder();
        player.play(recorder).get(5, TimeUnit.SECONDS);
        assertThat(recorder.awaitMedia(20, WAIT)).isTrue();
    }

    @Test
    void aTargetThatIsDownIsRetriedWithBackoffUntilItComesUp() throws Exception {
        RtmpServer a = fx.server();
        fx.publish(url(a, "src"), 0);
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        PushRelay push = fx.add(new PushRelay("rtmp://127.0.0.1:" + port + "/live/later", RtmpClient.Options.DEFAULT,
                FAST, Duration.ofSeconds(5)));
        push.start(a.streams(), new StreamKey("live", "src"), RtmpClient.nextExecutor()).get(5, TimeUnit.SECONDS);
        await(WAIT, "a few refused attempts", () -> push.status().reconnects() >= 3);
        RelayStatus retrying = push.status();
        assertThat(retrying.lastError()).containsIgnoringCase("refused");

        RtmpServer b = fx.server(c -> c.withPort(port), AccessGate.ALLOW_ALL, StreamEventListener.NONE);
        await(WAIT, "push live once the target is up", () -> push.status().state() == RelayStatus.State.LIVE);
        await(WAIT, "stream on the target", () -> live(b, "later"));
    }

    @Test
    void aBlackholeTargetDoesNotDisturbTheSourcesPlayers() throws Exception {
        RtmpServer a = fx.server();
        ServerSocket blackhole = fx.add(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        Thread acceptor = new Thread(() -> {
            try {
                while (!blackhole.isClosed()) {
                    accepted.add(blackhole.accept()); // never read
                }
            } catch (Exception e) {
                // closed
            }
        }, "blackhole");
        acceptor.setDaemon(true);
        acceptor.start();
        fx.add(() -> accepted.forEach(s -> {
            try {
                s.close();
            } catch (Exception e) {
                // ignore
            }
        }));

        LivePublisher source = fx.publish(url(a, "src"), 4000);
        await(WAIT, "source live", () -> live(a, "src"));
        RtmpClient player = fx.connect(url(a, "src"));
        Recorder recorder = new Recorder();
        player.play(recorder).get(5, TimeUnit.SECONDS);

        PushRelay push = fx.add(new PushRelay("rtmp://127.0.0.1:" + blackhole.getLocalPort() + "/live/void",
                RtmpClient.Options.DEFAULT.withTimeout(Duration.ofMillis(700)), FAST, Duration.ofSeconds(2)));
        push.start(a.streams(), new StreamKey("live", "src"), RtmpClient.nextExecutor()).get(5, TimeUnit.SECONDS);

        int startFrame = source.frames();
        await(WAIT, "the blackhole timed out twice", () -> push.status().reconnects() >= 2);
        int endFrame = source.frames();
        assertThat(push.status().state()).isIn(RelayStatus.State.CONNECTING, RelayStatus.State.RETRYING);
        assertThat(push.status().lastError()).isNotNull();
        assertThat(accepted).hasSizeGreaterThanOrEqualTo(2);

        // the player got every frame the source sent meanwhile, in order
        await(WAIT, "player caught up", () -> videoFrameNumbers(recorder).contains(endFrame - 1));
        List<Integer> frames = videoFrameNumbers(recorder);
        List<Integer> window = frames.subList(frames.indexOf(startFrame), frames.indexOf(endFrame - 1) + 1);
        assertThat(window).hasSize(endFrame - startFrame);
        assertThat(a.sessions()).hasSize(2);
    }

    @Test
    void aTargetThatStopsReadingDropsToKeyframesWhileThePlayersGetEverything() throws Exception {
        RtmpServer a = fx.server();
        RtmpServer b = fx.server();
        StallProxy proxy = fx.add(new StallProxy(b.port()));
        LivePublisher source = fx.publish(url(a, "src"), 60_000); // ~1.8 MB/s of video
        await(WAIT, "source live", () -> live(a, "src"));
        RtmpClient player = fx.connect(url(a, "src"));
        Recorder recorder = new Recorder();
        player.play(recorder).get(5, TimeUnit.SECONDS);

        PushRelay push = fx.add(new PushRelay("rtmp://127.0.0.1:" + proxy.port() + "/live/slow",
                RtmpClient.Options.DEFAULT, FAST, Duration.ofSeconds(30)));
        push.start(a.streams(), new StreamKey("live", "src"), RtmpClient.nextExecutor()).get(5, TimeUnit.SECONDS);
        await(WAIT, "push live", () -> push.status().state() == RelayStatus.State.LIVE);

        proxy.stall(true);
        int stalledAt = source.frames();
        await(Duration.ofSeconds(20), "the push dropping", () -> push.status().droppedPackets() > 30);
        RelayStatus slow = push.status();
        assertThat(slow.state()).isEqualTo(RelayStatus.State.LIVE);
        assertThat(slow.lagMillis()).as("lag while stalled").isGreaterThan(0);
        int lastSent = source.frames() - 1;
        await(WAIT, "player has every frame", () -> videoFrameNumbers(recorder).contains(lastSent));
        List<Integer> frames = videoFrameNumbers(recorder);
        List<Integer> during = frames.subList(frames.indexOf(stalledAt), frames.indexOf(lastSent) + 1);
        assertThat(during).as("the source's player lost nothing while the target stalled")
                .hasSize(lastSent - stalledAt + 1);
        System.out.printf("stalled target: %d packets dropped, lag %d ms, player kept all %d frames%n",
                slow.droppedPackets(), slow.lagMillis(), during.size());

        proxy.stall(false);
        long dropped = push.status().droppedPackets();
        RtmpClient bPlayer = fx.connect(url(b, "slow"));
        Recorder onB = new Recorder();
        bPlayer.play(onB).get(5, TimeUnit.SECONDS);
        assertThat(onB.awaitMedia(30, WAIT)).as("the target recovers").isTrue();
        assertThat(push.status().reconnects()).isZero();
        assertThat(push.status().droppedPackets()).isGreaterThanOrEqualTo(dropped);
    }

    @Test
    void aTargetThatStaysStalledPastTheMaxLagIsCutAndRetriedWhileThePlayersGetEverything() throws Exception {
        RtmpServer a = fx.server();
        RtmpServer b = fx.server();
        StallProxy proxy = fx.add(new StallProxy(b.port()));
        LivePublisher source = fx.publish(url(a, "src"), 60_000);
        await(WAIT, "source live", () -> live(a, "src"));
        RtmpClient player = fx.connect(url(a, "src"));
        Recorder recorder = new Recorder();
        player.play(recorder).get(5, TimeUnit.SECONDS);

        Duration maxLag = Duration.ofSeconds(1);
        PushRelay push = fx.add(new PushRelay("rtmp://127.0.0.1:" + proxy.port() + "/live/stuck",
                RtmpClient.Options.DEFAULT.withTimeout(Duration.ofSeconds(2)), FAST, maxLag));
        push.start(a.streams(), new StreamKey("live", "src"), RtmpClient.nextExecutor()).get(5, TimeUnit.SECONDS);
        await(WAIT, "push live", () -> push.status().state() == RelayStatus.State.LIVE);

        proxy.stall(true); // the target accepts and never reads again
        int stalledAt = source.frames();
        await(Duration.ofSeconds(20), "the push cut for lagging", () -> push.status().reconnects() >= 1);
        assertThat(push.status().lastError()).contains("could not keep up for " + maxLag.toMillis() + " ms");
        int lastSent = source.frames() - 1;
        await(WAIT, "player has every frame", () -> videoFrameNumbers(recorder).contains(lastSent));
        List<Integer> frames = videoFrameNumbers(recorder);
        assertThat(frames.subList(frames.indexOf(stalledAt), frames.indexOf(lastSent) + 1))
                .as("the source's player lost nothing while the target stalled").hasSize(lastSent - stalledAt + 1);
        assertThat(live(a, "src")).as("the source publisher goes on").isTrue();
        assertThat(a.sessions()).extracting(s -> s.role()).contains(io.sluice.engine.spi.SessionInfo.Role.PUBLISHER);
    }

    /** A TCP proxy whose client-to-server direction can stop reading (a target that stalls). */
    static final class StallProxy implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket();
        private final int target;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private volatile boolean stalled;
        private final Object lock = new Object();
        private final AtomicLong forwarded = new AtomicLong();

        StallProxy(int target) throws Exception {
            this.target = target;
            listener.setReceiveBufferSize(64 * 1024); // small, so that a stall shows at once
            listener.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            Thread t = new Thread(this::acceptLoop, "stall-proxy");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        void stall(boolean on) {
            synchronized (lock) {
                stalled = on;
                lock.notifyAll();
            }
        }

        private void acceptLoop() {
            try {
                while (!listener.isClosed()) {
                    Socket client = listener.accept();
                    Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                    sockets.add(client);
                    sockets.add(server);
                    pump(client, server, true);
                    pump(server, client, false);
                }
            } catch (Exception e) {
                // closed
            }
        }

        private void pump(Socket from, Socket to, boolean stallable) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[16 * 1024];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    while (true) {
                        if (stallable) {
                            synchronized (lock) {
                                while (stalled) {
                                    lock.wait();
                                }
                            }
                        }
                        int n = in.read(buf);
                        if (n < 0) {
                            break;
                        }
                        out.write(buf, 0, n);
                        forwarded.addAndGet(n);
                    }
                } catch (Exception e) {
                    // closed
                }
            }, "stall-proxy-pump");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws Exception {
            stall(false);
            listener.close();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
