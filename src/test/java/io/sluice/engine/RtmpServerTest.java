package io.sluice.engine;

import static io.sluice.engine.client.SyntheticStream.AUDIO;
import static io.sluice.engine.client.SyntheticStream.VIDEO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.engine.client.Recorder;
import io.sluice.engine.client.Recorder.Received;
import io.sluice.engine.client.RtmpClient;
import io.sluice.engine.client.RtmpStatusException;
import io.sluice.engine.client.StatusEvent;
import io.sluice.engine.client.SyntheticStream;
import io.sluice.engine.protocol.amf.AmfNull;
import io.sluice.engine.spi.AccessDecision;
import io.sluice.engine.spi.AccessGate;
import io.sluice.engine.spi.AccessRequest;
import io.sluice.engine.stream.StreamConfig;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The engine against its own client: exact statuses, ordering and timestamps. */
@Timeout(30)
class RtmpServerTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final List<RtmpServer> servers = new ArrayList<>();
    private final List<RtmpClient> clients = new ArrayList<>();
    private final List<AccessRequest> gateRequests = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() {
        clients.forEach(RtmpClient::close);
        servers.forEach(s -> s.stop(Duration.ofSeconds(2)));
    }

    private RtmpServer start(Function<RtmpServerConfig, RtmpServerConfig> tweak, AccessGate gate) {
        RtmpServerConfig config = tweak.apply(RtmpServerConfig.defaults().withHost("127.0.0.1").withPort(0)
                .withStreams(new StreamConfig(1 << 20, 1000, Duration.ofMillis(800), Duration.ofSeconds(5),
                        StreamConfig.DuplicatePublishPolicy.REJECT)));
        RtmpServer server = new RtmpServer(config, request -> {
            gateRequests.add(request);
            return gate.check(request);
        }, io.sluice.engine.spi.StreamEventListener.NONE);
        server.start();
        servers.add(server);
        return server;
    }

    private RtmpServer start() {
        return start(c -> c, AccessGate.ALLOW_ALL);
    }

    private RtmpClient connect(RtmpServer server, String stream) throws Exception {
        RtmpClient client = RtmpClient.connect("rtmp://127.0.0.1:" + server.port() + "/live/" + stream)
                .get(5, TimeUnit.SECONDS);
        clients.add(client);
        return client;
    }

    private static List<String> codes(RtmpClient client, int count) throws InterruptedException {
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StatusEvent e = client.nextStatus(WAIT);
            if (e == null) {
                break;
            }
            codes.add(e.code());
        }
        return codes;
    }

    @Test
    void lateJoinerGetsMetadataThenSequenceHeadersThenTheGopFromTheLastKeyframe() throws Exception {
        RtmpServer server = start();
        RtmpClient publisher = connect(server, "late");
        int sid = publisher.publish().get(5, TimeUnit.SECONDS);
        SyntheticStream.sendHeaders(publisher, sid, 0);
        int ts = SyntheticStream.sendFrames(publisher, sid, 0, 45, 30); // keyframes at frames 0 and 30
        awaitLive(server, "late", 90);

        RtmpClient player = connect(server, "late");
        Recorder recorder = new Recorder();
        player.play(recorder).get(5, TimeUnit.SECONDS);
        assertThat(codes(player, 3)).containsExactly("NetStream.Play.Reset", "NetStream.Play.Start",
                "NetStream.Data.Start");
        assertThat(recorder.awaitMedia(2 + 30, WAIT)).isTrue();

        List<Received> all = recorder.all().stream().filter(r -> !r.name().equals("|RtmpSampleAccess")
                && !r.name().equals("STREAM_BEGIN")).toList();
        assertThat(all.get(0).name()).isEqualTo("onMetaData");
        assertThat(all.get(0).timestamp()).isZero();
        assertThat(all.get(1).isVideo()).isTrue();
        assertThat(all.get(1).payload()[1]).as("AVC sequence header").isEqualTo((byte) 0);
        assertThat(all.get(2).isAudio()).isTrue();
        assertThat(all.get(2).payload()[1]).as("AAC sequence header").isEqualTo((byte) 0);
        Received keyframe = all.get(3);
        assertThat(keyframe.isVideo()).isTrue();
        assertThat(keyframe.firstByte()).isEqualTo(0x17);
        assertThat(keyframe.payload()[10]).as("the second keyframe, frame 30").isEqualTo((byte) 30);
        assertThat(keyframe.timestamp()).isEqualTo(30 * 33);
        assertThat(all.get(1).timestamp()).as("headers stamped at the GOP start").isEqualTo(30 * 33);
        // the cached GOP: frames 30..44 with their audio, in order
        List<Received> gop = all.subList(3, all.size());
        assertThat(gop).hasSizeGreaterThanOrEqualTo(30);
        for (int i = 0; i < 15; i++) {
            assertThat(gop.get(2 * i).payload()[10]).isEqualTo((byte) (30 + i));
            assertThat(gop.get(2 * i).timestamp()).isEqualTo((30 + i) * 33);
        }

        // live frames follow the cache
        SyntheticStream.sendFrames(publisher, sid, ts, 5, 30);
        assertThat(recorder.awaitMedia(2 + 30 + 10, WAIT)).isTrue();
        assertThat(recorder.media().get(recorder.media().size() - 2).timestamp()).isEqualTo(49 * 33);
    }

    @Test
    void publishStatusesComeFromTheEnumAndPublishStartWaitsForTheGate() throws Exception {
        CompletableFuture<AccessDecision> decision = new CompletableFuture<>();
        RtmpServer server = start(c -> c, r -> r.action() == AccessRequest.Action.PUBLISH ? decision
                : CompletableFuture.completedFuture(AccessDecision.allow()));
        RtmpClient publisher = connect(server, "gated?token=abc&x=1");
        CompletableFuture<Integer> started = publisher.publish();
        assertThat(codes(publisher, 1)).containsExactly("NetStream.Publish.Start"); // onFCPublish
        Thread.sleep(300); // nothing may arrive while the gate has not answered
        assertThat(publisher.statuses()).isEmpty();
        assertThat(started).isNotDone();
        decision.complete(AccessDecision.allowAs("public-name", false, "my key"));
        started.get(5, TimeUnit.SECONDS);
        assertThat(codes(publisher, 1)).containsExactly("NetStream.Publish.Start");

        AccessRequest publish = gateRequests.stream().filter(r -> r.action() == AccessRequest.Action.PUBLISH)
                .findFirst().orElseThrow();
        assertThat(publish.streamName()).isEqualTo("gated");
        assertThat(publish.query()).isEqualTo("token=abc&x=1");
        assertThat(publish.queryParams()).containsEntry("token", "abc").containsEntry("x", "1");
        assertThat(publish.app()).isEqualTo("live");
        assertThat(publish.tcUrl()).isEqualTo("rtmp://127.0.0.1:" + server.port() + "/live");
        assertThat(publish.publishType()).isEqualTo("live");
        SyntheticStream.sendHeaders(publisher, 1, 0);
        awaitLive(server, "public-name", 0);
        assertThat(server.streamSnapshots()).extracting(s -> s.name() + "/" + s.label())
                .containsExactly("public-name/my key");
    }

    @Test
    void refusedPublishGetsTheReasonAndIsDisconnected() throws Exception {
        RtmpServer server = start(c -> c, r -> CompletableFuture.completedFuture(
                r.action() == AccessRequest.Action.PUBLISH
                        ? AccessDecision.deny(AccessDecision.Reason.UNAUTHORIZED, "Unknown stream key.")
                        : AccessDecision.allow()));
        RtmpClient publisher = connect(server, "nope");
        assertThatThrownBy(() -> publisher.publish().get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(RtmpStatusException.class)
                .hasMessageContaining("NetStream.Publish.Unauthorized: Unknown stream key.");
        publisher.closeFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void rejectedConnectGetsConnectRejected() throws Exception {
        RtmpServer server = start(c -> c, r -> CompletableFuture.completedFuture(
                AccessDecision.deny(AccessDecision.Reason.BANNED, "You are banned.")));
        assertThatThrownBy(() -> RtmpClient.connect("rtmp://127.0.0.1:" + server.port() + "/live/x")
                .get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(RtmpStatusException.class)
                .hasMessageContaining("NetConnection.Connect.Rejected: You are banned.");
    }

    @Test
    void aSecondPublisherOnALiveNameGetsBadNameAndTheFirstCarriesOn() throws Exception {
        RtmpServer server = start();
        RtmpClient first = connect(server, "dup");
        int sid = first.publish().get(5, TimeUnit.SECONDS);
        RtmpClient second = connect(server, "dup");
        assertThatThrownBy(() -> second.publish().get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(RtmpStatusException.class)
                .hasMessageContaining("NetStream.Publish.BadName");
        second.closeFuture().get(5, TimeUnit.SECONDS);
        SyntheticStream.sendHeaders(first, sid, 0);
        SyntheticStream.sendFrames(first, sid, 0, 3, 30);
        awaitLive(server, "dup", 3);
        assertThat(first.isActive()).isTrue();
    }

    @Test
    void replacePolicyHandsTheNameToTheNewPublisher() throws Exception {
        RtmpServer server = start(c -> c.withStreams(new StreamConfig(1 << 20, 1000, Duration.ofMillis(800),
                Duration.ofSeconds(5), StreamConfig.DuplicatePublishPolicy.REPLACE)), AccessGate.ALLOW_ALL);
        RtmpClient first = connect(server, "rep");
        first.publish().get(5, TimeUnit.SECONDS);
        RtmpClient second = connect(server, "rep");
        second.publish().get(5, TimeUnit.SECONDS);
        first.closeFuture().get(5, TimeUnit.SECONDS);
        assertThat(second.isActive()).isTrue();
    }

    @Test
    void unknownCommandsAreAnsweredWithError() throws Exception {
        RtmpServer server = start();
        RtmpClient client = connect(server, "x");
        assertThatThrownBy(() -> client.call("noSuchCommand", AmfNull.INSTANCE).get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(RtmpStatusException.class)
                .hasMessageContaining("NetConnection.Call.Failed: Unknown command 'noSuchCommand'.");
        assertThat(client.call("getStreamLength", AmfNull.INSTANCE).get(5, TimeUnit.SECONDS).name())
                .isEqualTo("_result");
        assertThat(client.call("_checkbw", AmfNull.INSTANCE).get(5, TimeUnit.SECONDS).name()).isEqualTo("_result");
    }

    @Test
    void playersSeeContinuousMonotonicTimestampsAcrossClockJumpsAndAReconnect() throws Exception {
        RtmpServer server = start();
        RtmpClient player = connect(server, "jumpy");
        Recorder recorder = new Recorder();
        player.play(recorder).get(5, TimeUnit.SECONDS); // before the publisher: waits for it
        awaitSubscribers(server, "jumpy", 1);

        RtmpClient publisher = connect(server, "jumpy");
        int sid = publisher.publish().get(5, TimeUnit.SECONDS);
        SyntheticStream.sendHeaders(publisher, sid, 5000);
        int ts = SyntheticStream.sendFrames(publisher, sid, 5000, 10, 30);
        SyntheticStream.sendFrames(publisher, sid, 1000, 10, 30);          // clock jumps backwards
        SyntheticStream.sendFrames(publisher, sid, 900_000, 10, 30);       // and far forwards
        assertThat(recorder.awaitMedia(2 + 60, WAIT)).isTrue();
        publisher.close();
        assertThat(recorder.await(r -> r.stream().anyMatch(x -> x.name().equals("STREAM_DRY")), WAIT)).isTrue();

        RtmpClient again = connect(server, "jumpy"); // reconnect within the grace window
        int sid2 = again.publish().get(5, TimeUnit.SECONDS);
        SyntheticStream.sendHeaders(again, sid2, 0);
        SyntheticStream.sendFrames(again, sid2, 0, 10, 30);
        assertThat(recorder.awaitMedia(4 + 80, WAIT)).isTrue();

        List<Received> video = recorder.media().stream().filter(r -> r.isVideo() && r.payload()[1] == 1).toList();
        assertThat(video).hasSize(40);
        assertThat(video.get(0).timestamp()).isZero();
        for (int i = 1; i < video.size(); i++) {
            int step = video.get(i).timestamp() - video.get(i - 1).timestamp();
            assertThat(step).as("video step %d", i).isBetween(0, 33);
        }
        assertThat(video.get(39).timestamp()).as("continuous, no gap").isLessThan(40 * 33);
        assertThat(recorder.all()).extracting(Received::name).contains("STREAM_BEGIN", "STREAM_DRY")
                .doesNotContain("STREAM_EOF");
        assertThat(codes(player, 6)).contains("NetStream.Play.PublishNotify")
                .doesNotContain("NetStream.Play.UnpublishNotify");
        assertThat(player.isActive()).isTrue();
    }

    @Test
    void playersAreDisconnectedWhenNoRepublishComesWithinTheGraceWindow() throws Exception {
        RtmpServer server = start();
        RtmpClient publisher = connect(server, "gone");
        int sid = publisher.publish().get(5, TimeUnit.SECONDS);
        SyntheticStream.sendHeaders(publisher, sid, 0);
        SyntheticStream.sendFrames(publisher, sid, 0, 5, 30);
        RtmpClient player = connect(server, "gone");
        Recorder recorder = new Recorder();
        player.play(recorder).get(5, TimeUnit.SECONDS);
        assertThat(codes(player, 3)).contains("NetStream.Play.Start");
        // Play.Start goes out before the subscription lands: leave only once the player is subscribed
        assertThat(waitUntil(() -> server.streamSnapshots().stream().anyMatch(s -> s.name().equals("gone")
                && s.subscribers() == 1), WAIT)).isTrue();
        long left = System.nanoTime();
        publisher.close();
        player.closeFuture().get(5, TimeUnit.SECONDS);
        long afterMillis = (System.nanoTime() - left) / 1_000_000;
        assertThat(afterMillis).as("grace is 800 ms").isBetween(700L, 3000L);
        assertThat(codes(player, 3)).containsExactly("NetStream.Play.UnpublishNotify", "NetStream.Play.Stop");
        assertThat(recorder.all()).extracting(Received::name).containsSubsequence("STREAM_DRY", "STREAM_EOF");
        assertThat(server.streamSnapshots()).isEmpty();
    }

    @Test
    void aPlayerOfAStreamThatNeverComesGetsStreamNotFound() throws Exception {
        RtmpServer server = start(c -> c.withStreams(new StreamConfig(1 << 20, 1000, Duration.ofMillis(800),
                Duration.ofMillis(500), StreamConfig.DuplicatePublishPolicy.REJECT)), AccessGate.ALLOW_ALL);
        RtmpClient player = connect(server, "never");
        player.play(new Recorder()).get(5, TimeUnit.SECONDS);
        assertThat(codes(player, 4)).contains("NetStream.Play.StreamNotFound");
        player.closeFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void aPlayerThatStopsReadingIsDroppedWhileThePublisherAndOthersCarryOn() throws Exception {
        // 8 MB of slack before a player counts as slow: a healthy player on a busy machine may fall a few
        // MB behind a 20 MB/s burst without being slow; the stuck one falls 30 MB behind
        RtmpServer server = start(c -> c.withPlayerBackpressure(Duration.ofMillis(500), 4 * 1024 * 1024,
                8 * 1024 * 1024), AccessGate.ALLOW_ALL);
        RtmpClient publisher = connect(server, "slow");
        int sid = publisher.publish().get(5, TimeUnit.SECONDS);
        SyntheticStream.sendHeaders(publisher, sid, 0);
        RtmpClient stuck = connect(server, "slow");
        stuck.play(new Recorder()).get(5, TimeUnit.SECONDS);
        stuck.setReading(false);
        RtmpClient healthy = connect(server, "slow");
        Recorder recorder = new Recorder();
        healthy.play(recorder).get(5, TimeUnit.SECONDS);
        awaitSubscribers(server, "slow", 2);

        // 30 MB through the stream while one player reads nothing: more than loopback socket buffers hold
        int ts = 0;
        byte[] big = new byte[20_000];
        big[0] = 0x27;
        big[1] = 1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        int sent = 0;
        while (sent < 1500 && System.nanoTime() < deadline) {
            byte[] frame = big.clone();
            if (sent % 30 == 0) {
                frame[0] = 0x17;
            }
            publisher.send(VIDEO, sid, ts, Unpooled.wrappedBuffer(frame));
            publisher.flush();
            ts += 33;
            sent++;
            if (sent % 50 == 0) {
                Thread.sleep(50);
            }
        }
        assertThat(sent).isEqualTo(1500);
        boolean all = recorder.awaitMedia(2 + 1500, Duration.ofSeconds(10));
        assertThat(all).as("the healthy player got every frame, got %d", recorder.media().size()).isTrue();
        // the stuck player is disconnected once it lagged past 500 ms
        assertThat(waitUntil(() -> server.sessions().size() == 2, Duration.ofSeconds(10))).isTrue();
        assertThat(publisher.isActive()).isTrue();
    }

    @Test
    void pauseStopsMediaAndUnpauseResumesOnAKeyframe() throws Exception {
        RtmpServer server = start();
        RtmpClient publisher = connect(server, "pausing");
        int sid = publisher.publish().get(5, TimeUnit.SECONDS);
        SyntheticStream.sendHeaders(publisher, sid, 0);
        RtmpClient player = connect(server, "pausing");
        Recorder recorder = new Recorder();
        int psid = player.play(recorder).get(5, TimeUnit.SECONDS);
        assertThat(waitUntil(() -> server.streamSnapshots().stream().anyMatch(s -> s.name().equals("pausing")
                && s.subscribers() == 1), WAIT)).isTrue();
        int ts = SyntheticStream.sendFrames(publisher, sid, 0, 10, 5);
        assertThat(recorder.awaitMedia(2 + 20, WAIT)).isTrue();
        player.sendMessage(new io.sluice.engine.protocol.message.CommandMessage(psid, "pause", 0, AmfNull.INSTANCE,
                List.of(io.sluice.engine.protocol.amf.AmfValue.of(true), io.sluice.engine.protocol.amf.AmfValue.of(0.0))));
        player.flush();
        assertThat(waitForCode(player, "NetStream.Pause.Notify")).isTrue();
        long bytesBefore = bytesIn(server, "pausing");
        ts = SyntheticStream.sendFrames(publisher, sid, ts, 10, 5);
        // the paused frames must have reached the stream before the unpause can overtake them
        assertThat(waitUntil(() -> bytesIn(server, "pausing") >= bytesBefore + 10 * (11 + 4), WAIT)).isTrue();
        Thread.sleep(100); // and been handed to the player on the stream's executor
        player.sendMessage(new io.sluice.engine.protocol.message.CommandMessage(psid, "pause", 0, AmfNull.INSTANCE,
                List.of(io.sluice.engine.protocol.amf.AmfValue.of(false), io.sluice.engine.protocol.amf.AmfValue.of(0.0))));
        player.flush();
        assertThat(waitForCode(player, "NetStream.Unpause.Notify")).isTrue();
        int before = recorder.media().size();
        assertThat(before).isEqualTo(22);
        SyntheticStream.sendFrames(publisher, sid, ts, 3, 100); // first frame of this batch is a keyframe
        assertThat(recorder.awaitMedia(22 + 6, WAIT)).isTrue();
        assertThat(recorder.media().get(22).firstByte()).isEqualTo(0x17);
    }

    /** Play.Start goes out before the subscription lands; tests that count frames wait for it. */
    private static void awaitSubscribers(RtmpServer server, String name, int count) throws InterruptedException {
        assertThat(waitUntil(() -> server.streamSnapshots().stream().anyMatch(s -> s.name().equals(name)
                && s.subscribers() == count), WAIT)).as("%d subscriber(s) of %s", count, name).isTrue();
    }

    private static long bytesIn(RtmpServer server, String name) {
        return server.streamSnapshots().stream().filter(s -> s.name().equals(name)).mapToLong(s -> s.bytesIn())
                .sum();
    }

    private static boolean waitForCode(RtmpClient client, String code) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            StatusEvent e = client.nextStatus(Duration.ofMillis(200));
            if (e != null && code.equals(e.code())) {
                return true;
            }
        }
        return false;
    }

    private static void awaitLive(RtmpServer server, String name, int packets) throws InterruptedException {
        assertThat(waitUntil(() -> server.streamSnapshots().stream().anyMatch(s -> s.name().equals(name) && s.live()),
                WAIT)).as("stream %s live", name).isTrue();
        Thread.sleep(packets == 0 ? 0 : 100); // let the stream's executor take in what was sent
    }

    static boolean waitUntil(java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
        return io.sluice.testing.Poll.until(condition, timeout);
    }
}
