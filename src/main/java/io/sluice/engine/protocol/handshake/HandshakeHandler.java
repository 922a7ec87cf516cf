package io.sluice.engine.protocol.handshake;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both sides of the RTMP handshake (RTMP 1.0 section 5.2) do alike: a deadline for the whole
 * handshake, one step per call as bytes arrive, the peer's second-round packet (C2 from a client, S2
 * from a server: its answer to our first packet), and the end: {@link HandshakeCompleted}, then the
 * handler leaves the pipeline and whatever followed reaches the next handler (ByteToMessageDecoder
 * forwards its leftover bytes on removal). After a protocol error or the deadline, input is
 * discarded; the pipeline's exception handler is expected to close the channel after an error.
 *
 * <p>Not sharable: one instance per connection.
 */
abstract class HandshakeHandler extends ByteToMessageDecoder {
    private static final Logger log = LoggerFactory.getLogger(HandshakeHandler.class);

    private final Duration timeout;
    /** "from" (we are the server) or "with" (we are the client), for log lines about the peer. */
    private final String peerWord;
    private ScheduledFuture<?> timeoutTask;
    /** Completed, failed or timed out: input is discarded from then on. */
    private boolean over;

    /**
     * @param timeout how long the peer has to complete the handshake; must be positive
     */
    HandshakeHandler(Duration timeout, String peerWord) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("handshake timeout must be positive: " + timeout);
        }
        this.peerWord = peerWord;
    }

    /**
     * The channel is active, or was when the handler was added; called once or twice, so it acts
     * once: the server starts the deadline, the client writes C0 and C1 (which starts it).
     */
    abstract void active(ChannelHandlerContext ctx);

    /** Consumes what the current step needs, if it is all there; called again as long as it consumes. */
    abstract void step(ChannelHandlerContext ctx, ByteBuf in);

    @Override
    public final void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            active(ctx);
        }
    }

    @Override
    public final void channelActive(ChannelHandlerContext ctx) throws Exception {
        active(ctx);
        super.channelActive(ctx);
    }

    @Override
    protected final void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (over) {
            in.skipBytes(in.readableBytes());
        } else {
            step(ctx, in);
        }
    }

    /** Starts the deadline, once. */
    final void startTimer(ChannelHandlerContext ctx) {
        if (timeoutTask == null && !over) {
            timeoutTask = ctx.executor().schedule(() -> onTimeout(ctx), timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    final boolean isOver() {
        return over;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancelTimer();
        super.channelInactive(ctx);
    }

    @Override
    protected final void handlerRemoved0(ChannelHandlerContext ctx) {
        cancelTimer();
    }

    /**
     * Reads the peer's answer to our first packet ({@code name}: C2 or S2) once all 1536 bytes are
     * there; false until then. One that does not match (as {@code matches} tells) is logged at DEBUG
     * and accepted: clients and servers are lax here, and none of them checks.
     */
    final boolean readAnswer(ChannelHandlerContext ctx, ByteBuf in, String name, boolean digest,
                             Predicate<byte[]> matches) {
        if (in.readableBytes() < HandshakeDigest.PACKET_SIZE) {
            return false;
        }
        byte[] answer = new byte[HandshakeDigest.PACKET_SIZE];
        in.readBytes(answer);
        if (log.isDebugEnabled() && !matches.test(answer)) {
            log.debug("RTMP handshake {} {}: {} does not match what we sent ({} handshake); accepting it anyway",
                    peerWord, ctx.channel().remoteAddress(), name, digest ? "digest" : "plain");
        }
        return true;
    }

    /** The handshake is over: tells the next handlers, then leaves the pipeline. */
    final void complete(ChannelHandlerContext ctx, boolean digest) {
        over = true;
        cancelTimer();
        ctx.fireUserEventTriggered(new HandshakeCompleted(digest));
        if (!ctx.isRemoved()) {
            ctx.pipeline().remove(this);
        }
    }

    /** Ends the handshake, so that further input is discarded, and returns {@code e} for the caller to throw. */
    final HandshakeException fail(HandshakeException e) {
        over = true;
        cancelTimer();
        return e;
    }

    private void onTimeout(ChannelHandlerContext ctx) {
        if (over) {
            return;
        }
        over = true;
        log.warn("RTMP handshake timed out after {} ms {} {}", timeout.toMillis(), peerWord, ctx.channel().remoteAddress());
        ctx.channel().close();
    }

    private void cancelTimer() {
        if (timeoutTask != null) {
            timeoutTask.cancel(false);
        }
    }
}
