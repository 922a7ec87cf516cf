package io.sluice.engine.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sluice.engine.media.MediaPacket;
import io.sluice.engine.protocol.amf.AmfLimits;
import io.sluice.engine.protocol.chunk.ChunkDecoder;
import io.sluice.engine.protocol.chunk.ChunkEncoder;
import io.sluice.engine.protocol.chunk.ChunkLimits;
import io.sluice.engine.protocol.message.MediaMessage;
import io.sluice.engine.protocol.message.RtmpMessage;
import io.sluice.engine.protocol.message.UserControl;
import io.sluice.engine.spi.StreamEventListener;
import io.sluice.engine.stream.LiveStream;
import io.sluice.engine.stream.StreamKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The player's write path: what it delivers between two flushes goes out as one gathered write. */
class RtmpPlayerTest {
    private static final int CHUNK_SIZE = 128; // the encoder's and the decoder's default
    private static final int STREAM_ID = 1;

    private final TrafficCounter traffic = new TrafficCounter();
    private final EmbeddedChannel channel = new EmbeddedChannel(traffic, new ChunkEncoder());
    private final RtmpPlayer player = player(channel);
    private final EmbeddedChannel otherChannel = new EmbeddedChannel(new TrafficCounter(), new ChunkEncoder());
    private final RtmpPlayer otherPlayer = player(otherChannel);
    private final List<MediaPacket> packets = new ArrayList<>();

    private static RtmpPlayer player(EmbeddedChannel channel) {
        return new RtmpPlayer(7, channel, channel.pipeline().get(TrafficCounter.class), STREAM_ID, new StreamKey("live", "test"), 10_000, CHUNK_SIZE, 16L << 20,
                new Refusals(StreamEventListener.NONE));
    }

    @AfterEach
    void releasePackets() {
        channel.finishAndReleaseAll();
        otherChannel.finishAndReleaseAll();
        packets.forEach(MediaPacket::release);
    }

    @Test
    void mediaDeliveredBetweenFlushesGoesOutAsOneWriteThatDecodesToTheSameMessages() {
        player.deliver(video(0, true, 300));
        player.deliver(audio(10, 20));
        player.deliver(video(33, false, 150));
        assertThat(channel.outboundMessages()).as("nothing is written before the flush").isEmpty();

        player.flush();

        assertThat(channel.outboundMessages()).hasSize(1);
        ByteBuf written = drain();
        assertThat(traffic.bytesOut()).as("counted in the session's traffic").isEqualTo(written.readableBytes());
        assertThat(decode(written)).containsExactly(
                "video@0:300", "audio@10:20", "video@33:150");
    }

    @Test
    void playersGivenTheSameBurstWriteOneSharedBuffer() {
        List<MediaPacket> burst = List.of(video(0, true, 300), audio(10, 20), video(33, false, 150));
        player.send(burst); // as a stream hands a burst to the players of a loop: one after the other
        otherPlayer.send(burst);

        ByteBuf mine = (ByteBuf) channel.outboundMessages().peek();
        ByteBuf theirs = (ByteBuf) otherChannel.outboundMessages().peek();
        assertThat(mine).isNotInstanceOf(CompositeByteBuf.class);
        assertThat(mine.memoryAddress()).as("the same bytes, copied together once").isEqualTo(theirs.memoryAddress());
        assertThat(decode(drain(otherChannel))).containsExactly("video@0:300", "audio@10:20", "video@33:150");
        assertThat(decode(drain())).containsExactly("video@0:300", "audio@10:20", "video@33:150");
    }

    @Test
    void aPlayerThatSkippedAPacketWritesACompositeOfTheSharedChunks() {
        otherPlayer.receive(false, false); // no audio
        for (MediaPacket p : List.of(video(0, true, 300), audio(10, 20), video(33, false, 150))) {
            player.deliver(p);
            otherPlayer.deliver(p);
        }
        player.flush();
        otherPlayer.flush();

        assertThat(otherChannel.outboundMessages()).singleElement().isInstanceOf(CompositeByteBuf.class);
        assertThat(decode(drain(otherChannel))).containsExactly("video@0:300", "video@33:150");
        assertThat(decode(drain())).containsExactly("video@0:300", "audio@10:20", "video@33:150");
    }

    @Test
    void aSingleMessageIsWrittenWithoutAComposite() {
        player.deliver(video(0, true, 300));
        player.flush();
        Object written = channel.outboundMessages().peek();
        assertThat(written).isInstanceOf(ByteBuf.class).isNotInstanceOf(CompositeByteBuf.class);
        assertThat(decode(drain())).containsExactly("video@0:300");
    }

    @Test
    void aLongBacklogIsSplitIntoWritesOfAtMost256Buffers() {
        player.deliver(video(0, true, 40));
        for (int i = 1; i < 300; i++) {
            player.deliver(audio(i, 10));
        }
        player.flush();

        List<Object> writes = new ArrayList<>(channel.outboundMessages());
        assertThat(writes).hasSize(2);
        assertThat(((CompositeByteBuf) writes.get(0)).numComponents()).isEqualTo(256);
        assertThat(((CompositeByteBuf) writes.get(1)).numComponents()).isEqualTo(44);
        List<String> decoded = decode(drain());
        assertThat(decoded).hasSize(300).startsWith("video@0:40", "audio@1:10").endsWith("audio@299:10");
    }

    @Test
    void aBurstLongerThanTheChunkCacheStillReachesEveryPlayerWhole() {
        List<MediaPacket> burst = new ArrayList<>();
        for (int i = 0; i < LiveStream.MAX_BURST_PACKETS + 8; i++) {
            burst.add(audio(i, 10 + i));
        }
        player.send(burst);
        otherPlayer.send(burst); // its first packets were pushed out of the cache: chunked again

        List<String> expected = burst.stream().map(p -> "audio@" + p.timestamp() + ":" + p.size()).toList();
        assertThat(decode(drain(otherChannel))).containsExactlyElementsOf(expected);
        assertThat(decode(drain())).containsExactlyElementsOf(expected);
    }

    @Test
    void mediaGoesOutBeforeTheNotificationThatFollowsIt() {
        player.deliver(video(0, true, 300));
        player.onUnpublish();
        player.flush();
        assertThat(decode(drain())).containsExactly("video@0:300", "user control STREAM_DRY");
    }

    @Test
    void aPlayerClosedBeforeItsFlushReleasesWhatItGathered() {
        MediaPacket packet = video(0, true, 300);
        player.deliver(packet);
        ByteBuf shared = ChunkCache.current().chunksOf(packet, CHUNK_SIZE, STREAM_ID, channel.alloc()).content();
        assertThat(shared.refCnt()).as("held by the cache and by the player's unflushed window").isEqualTo(2);

        channel.close();

        assertThat(shared.refCnt()).as("held by the cache only").isEqualTo(1);
        player.flush();
        assertThat(channel.outboundMessages()).isEmpty();
    }

    @Test
    void aRetiredPlayerReleasesWhatItGatheredAndTakesNoMore() {
        MediaPacket packet = video(0, true, 300);
        player.deliver(packet);
        ByteBuf shared = ChunkCache.current().chunksOf(packet, CHUNK_SIZE, STREAM_ID, channel.alloc()).content();
        assertThat(shared.refCnt()).isEqualTo(2);

        player.retire();
        assertThat(shared.refCnt()).as("held by the cache only").isEqualTo(1);
        player.deliver(packet);
        player.flush();
        assertThat(shared.refCnt()).isEqualTo(1);
        assertThat(channel.outboundMessages()).as("a delivery on its way is ignored").isEmpty();
        assertThat(channel.isActive()).as("the connection stays, it may play again").isTrue();
    }

    private MediaPacket video(int timestamp, boolean keyframe, int size) {
        ByteBuf payload = Unpooled.buffer(size).writeZero(size).setByte(0, keyframe ? 0x17 : 0x27).setByte(1, 1);
        return keep(new MediaPacket(MediaPacket.Kind.VIDEO, timestamp, payload, keyframe, false));
    }

    private MediaPacket audio(int timestamp, int size) {
        ByteBuf payload = Unpooled.buffer(size).writeZero(size).setByte(0, 0xaf).setByte(1, 1);
        return keep(new MediaPacket(MediaPacket.Kind.AUDIO, timestamp, payload, false, false));
    }

    private MediaPacket keep(MediaPacket packet) {
        packets.add(packet);
        return packet;
    }

    private ByteBuf drain() {
        return drain(channel);
    }

    /** Everything written so far, as one buffer of wire bytes (the written buffers released). */
    private static ByteBuf drain(EmbeddedChannel channel) {
        ByteBuf wire = Unpooled.buffer();
        Object o;
        while ((o = channel.readOutbound()) != null) {
            ByteBuf b = (ByteBuf) o;
            wire.writeBytes(b);
            b.release();
        }
        return wire;
    }

    private static List<String> decode(ByteBuf wire) {
        EmbeddedChannel decoder = new EmbeddedChannel(new ChunkDecoder(ChunkLimits.DEFAULT, AmfLimits.DEFAULT));
        decoder.writeInbound(wire);
        List<String> seen = new ArrayList<>();
        RtmpMessage m;
        while ((m = decoder.readInbound()) != null) {
            if (m instanceof MediaMessage media) {
                seen.add((media.typeId() == 9 ? "video@" : "audio@") + media.timestamp() + ":"
                        + media.content().readableBytes());
                media.release();
            } else if (m instanceof UserControl control) {
                seen.add("user control " + control.event());
            } else {
                seen.add(m.toString());
            }
        }
        decoder.finishAndReleaseAll();
        return seen;
    }
}
