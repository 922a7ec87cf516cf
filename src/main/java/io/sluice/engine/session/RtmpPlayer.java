package io.sluice.engine.session;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import io.sluice.engine.media.MediaPacket;
import io.sluice.engine.protocol.command.Responses;
import io.sluice.engine.protocol.command.StatusCode;
import io.sluice.engine.protocol.message.UserControl;
import io.sluice.engine.spi.Refusal;
import io.sluice.engine.stream.SlowSubscriberPolicy;
import io.sluice.engine.stream.StreamKey;
import io.sluice.engine.stream.Subscriber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An RTMP player as a subscriber of a live stream. Called on its channel's event loop; writes go to
 * the channel without copying the payload, entering its pipeline past the handlers that only
 * the session's own messages need. A player whose channel stops being writable drops
 * media until the next keyframe, and is disconnected when it stays unwritable past the allowed lag;
 * the publisher and the other players never wait for it. Media delivered between two flushes goes
 * out in one write ({@link UnflushedMedia}).
 */
final class RtmpPlayer implements Subscriber {
    private static final Logger log = LoggerFactory.getLogger(RtmpPlayer.class);

    private final long sessionId;
    private final Channel channel;
    /** Where media enters the channel's pipeline; see {@link TrafficCounter#writeChunks}. */
    private final TrafficCounter wire;
    private final int messageStreamId;
    private final StreamKey key;
    private final long maxLagMillis;
    private final int chunkSize;
    private final long maxPendingBytes;
    private final Refusals refusals;
    private volatile boolean receiveAudio = true;
    private volatile boolean receiveVideo = true;
    private volatile boolean paused;
    private final SlowSubscriberPolicy policy;
    private boolean dirty;
    private boolean overLimit;
    private final UnflushedMedia unflushed = new UnflushedMedia();
    /** A player can leave between a delivery and the flush that would have written it. */
    private final GenericFutureListener<Future<? super Void>> releaseOnClose = closed -> unflushed.discard();
    private boolean retired;

    /** @param chunkSize the chunk size this connection announced to the player (Set Chunk Size) */
    RtmpPlayer(long sessionId, Channel channel, TrafficCounter wire, int messageStreamId, StreamKey key,
               long maxLagMillis, int chunkSize, long maxPendingBytes, Refusals refusals) {
        this.sessionId = sessionId;
        this.chunkSize = chunkSize;
        this.channel = channel;
        this.wire = wire;
        this.messageStreamId = messageStreamId;
        this.key = key;
        this.maxLagMillis = maxLagMillis;
        this.maxPendingBytes = maxPendingBytes;
        this.refusals = refusals;
        this.policy = new SlowSubscriberPolicy(maxLagMillis);
        channel.closeFuture().addListener(releaseOnClose);
    }

    @Override
    public long id() {
        return sessionId;
    }

    @Override
    public EventExecutor executor() {
        return channel.eventLoop();
    }

    int messageStreamId() {
        return messageStreamId;
    }

    @Override
    public void onPublish(boolean republish) {
        if (overPendingLimit()) {
            return;
        }
        writeUnflushed();
        channel.write(UserControl.streamBegin(messageStreamId));
        channel.write(Responses.onStatus(messageStreamId, StatusCode.PLAY_PUBLISH_NOTIFY, key + " is now published."));
        dirty = true;
    }

    @Override
    public void deliver(MediaPacket packet) {
        if (retired || !channel.isActive() || overPendingLimit()) {
            return;
        }
        boolean media = packet.kind() != MediaPacket.Kind.DATA && !packet.sequenceHeader();
        if (media && (paused || packet.isAudio() && !receiveAudio || packet.isVideo() && !receiveVideo)) {
            return;
        }
        switch (policy.decide(packet, channel.isWritable(), System.nanoTime())) {
            case SEND -> gather(packet);
            case DROP -> {
                if (policy.dropped() == 1 || policy.dropped() % 1000 == 0) {
                    log.debug("player {} of {} is slow: {} packets dropped so far", sessionId, key, policy.dropped());
                }
            }
            case DISCONNECT -> {
                log.info("player {} of {} lagged more than {} ms: disconnecting", sessionId, key, maxLagMillis);
                channel.close();
            }
        }
    }

    /**
     * Media stops at the high water mark, but metadata, sequence headers and notifications always go:
     * a publisher that floods those must not make a player that does not read queue without bound.
     */
    private boolean overPendingLimit() {
        if (overLimit) {
            return true; // closing: the close may still be on its way to the channel's event loop
        }
        long pending = PendingBytes.of(channel) + unflushed.bytes();
        if (pending <= maxPendingBytes) {
            return false;
        }
        overLimit = true;
        refusals.refuse(Refusal.PENDING_BYTES, channel.remoteAddress(), "player " + sessionId + " of " + key + ": "
                + pending + " bytes queued, more than " + maxPendingBytes);
        channel.close();
        return true;
    }

    /** The packet's chunks, made once for the players of this event loop (see {@link ChunkCache}). */
    private void gather(MediaPacket packet) {
        ChunkCache cache = ChunkCache.current();
        unflushed.add(cache.chunksOf(packet, chunkSize, messageStreamId, channel.alloc()).content(), cache.sequence());
    }

    private void writeUnflushed() {
        if (unflushed.writeTo(wire, channel.alloc(), ChunkCache.current())) {
            dirty = true;
        }
    }

    @Override
    public void flush() {
        writeUnflushed();
        if (dirty) {
            dirty = false;
            wire.flush();
        }
    }

    /**
     * The publisher left and may come back within the grace window: only Stream Dry (RTMP 1.0 section
     * 7.1.7, "no data for a while"). UnpublishNotify and Stream EOF wait for the end of the window,
     * because ffmpeg, librtmp and GStreamer's rtmp2src stop playing on either of them, and a player
     * that stopped cannot ride out the publisher's reconnect.
     */
    @Override
    public void onUnpublish() {
        writeUnflushed();
        channel.write(UserControl.streamDry(messageStreamId));
        dirty = true;
    }

    @Override
    public void onStreamEnd(boolean neverPublished) {
        writeUnflushed();
        if (neverPublished) {
            channel.write(Responses.onStatus(messageStreamId, StatusCode.PLAY_STREAM_NOT_FOUND,
                    "No publisher of " + key + " arrived in time."));
        } else {
            channel.write(Responses.onStatus(messageStreamId, StatusCode.PLAY_UNPUBLISH_NOTIFY,
                    key + " is now unpublished."));
            channel.write(Responses.onStatus(messageStreamId, StatusCode.PLAY_STOP, key + " has ended."));
        }
        // Closing is what makes ffmpeg, ffplay and rtmpdump exit instead of waiting forever.
        channel.writeAndFlush(UserControl.streamEof(messageStreamId)).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * The session let go of this player (the net stream ended; the connection may play again): what it
     * gathered is released and deliveries already on their way are ignored. Its close listener goes
     * too, or a connection that plays and stops over and over would pile them up. On the event loop.
     */
    void retire() {
        retired = true;
        unflushed.discard();
        channel.closeFuture().removeListener(releaseOnClose);
    }

    void pause(boolean pause) {
        if (!pause) {
            policy.requireKeyframe(); // resume on a frame the decoder can start from
        }
        paused = pause;
    }

    void receive(boolean video, boolean enabled) {
        if (video) {
            if (enabled) {
                policy.requireKeyframe();
            }
            receiveVideo = enabled;
        } else {
            receiveAudio = enabled;
        }
    }

    long droppedPackets() {
        return policy.dropped();
    }
}
