package io.sluice.engine.protocol.handshake;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import io.sluice.engine.protocol.handshake.HandshakeDigest.Found;
import io.sluice.engine.protocol.handshake.HandshakeDigest.Scheme;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server side of the RTMP handshake; the first handler of an accepted connection's pipeline.
 *
 * <ol>
 *   <li>Reads C0 (must be 3; anything else, RTMPE's 6/8/9 included, is a {@link HandshakeException})
 *       and C1 (1536 bytes).</li>
 *   <li>If C1's version field (bytes 4..7) is non-zero and C1 carries a valid Flash Player digest
 *       (scheme 1 tried first, then scheme 0), answers with the digest handshake: S1 with version
 *       4.5.0.1 and a Flash Media Server digest in the client's scheme, S2 = 1504 random bytes
 *       signed with HMAC(HMAC(FMS key, client digest), ...). Otherwise answers with the plain RTMP
 *       1.0 handshake: S1 = time, zeros, random; S2 = C1 echoed. S0, S1 and S2 go out in one write.</li>
 *   <li>Reads C2 (1536 bytes) without rejecting one that does not match: clients are lax.</li>
 *   <li>Fires {@link HandshakeCompleted} and removes itself; whatever the client sent after C2 then
 *       reaches the next handler (ByteToMessageDecoder forwards its leftover bytes on removal).</li>
 * </ol>
 *
 * <p>If the handshake is not over {@code timeout} after the handler was added to an active channel
 * (or the channel became active), logs one WARN line and closes the channel. After a protocol error
 * all further input is discarded; the pipeline's exception handler is expected to close the channel.
 *
 * <p>Not sharable: one instance per connection.
 */
public final class ServerHandshakeHandler extends ByteToMessageDecoder {

    private static final Logger log = LoggerFactory.getLogger(ServerHandshakeHandler.class);

    /** The version we announce in a digest S1: 4.5.0.1. */
    static final byte[] DIGEST_VERSION = {4, 5, 0, 1};
    /** The version field of a plain S1. */
    private static final byte[] PLAIN_VERSION = {0, 0, 0, 0};

    private enum State { C0C1, C2, DONE }

    private final Duration timeout;
    private State state = State.C0C1;
    private boolean digest;
    /** What the client's C2 should match, kept for a DEBUG diagnostic only: our S1 (plain) or S1 digest. */
    private byte[] expectedC2;
    private ScheduledFuture<?> timeoutTask;

    /**
     * @param timeout how long the client has to complete the handshake; must be positive
     */
    public ServerHandshakeHandler(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("handshake timeout must be positive: " + timeout);
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            startTimer(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        startTimer(ctx);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancelTimer();
        // port scanners and health checks do this all day: not worth more than debug
        log.debug("connection from {} closed during the handshake (at {})", ctx.channel().remoteAddress(), state);
        super.channelInactive(ctx);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        cancelTimer();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        // ByteToMessageDecoder calls decode again as long as we consume bytes, so one call handles one step.
        switch (state) {
            case C0C1 -> readC0C1(ctx, in);
            case C2 -> readC2(ctx, in);
            case DONE -> in.skipBytes(in.readableBytes());
        }
    }

    private void readC0C1(ChannelHandlerContext ctx, ByteBuf in) {
        if (!in.isReadable()) {
            return;
        }
        int version = in.getUnsignedByte(in.readerIndex());
        if (version != HandshakeDigest.RTMP_VERSION) {
            throw fail(HandshakeException.unsupportedVersion("C0", version));
        }
        if (in.readableBytes() < 1 + HandshakeDigest.PACKET_SIZE) {
            return;
        }
        in.skipBytes(1);
        byte[] c1 = new byte[HandshakeDigest.PACKET_SIZE];
        in.readBytes(c1);

        Found clientDigest = HandshakeDigest.hasVersion(c1) ? HandshakeDigest.find(c1, Scheme.SCHEME_1, false) : null;
        byte[] s1;
        byte[] s2;
        if (clientDigest != null) {
            digest = true;
            s1 = HandshakeDigest.firstRoundPacket(DIGEST_VERSION);
            expectedC2 = HandshakeDigest.imprint(s1, clientDigest.scheme(), true);
            s2 = HandshakeDigest.response(clientDigest.digest(), true);
        } else {
            s1 = HandshakeDigest.firstRoundPacket(PLAIN_VERSION);
            expectedC2 = s1;
            s2 = c1;
        }
        if (log.isDebugEnabled()) {
            log.debug("RTMP handshake from {}: client version {}.{}.{}.{}, {}", ctx.channel().remoteAddress(),
                    c1[4] & 0xFF, c1[5] & 0xFF, c1[6] & 0xFF, c1[7] & 0xFF,
                    clientDigest != null ? "digest in " + clientDigest.scheme() : "plain");
        }

        ByteBuf response = ctx.alloc().buffer(1 + 2 * HandshakeDigest.PACKET_SIZE);
        response.writeByte(HandshakeDigest.RTMP_VERSION).writeBytes(s1).writeBytes(s2);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        state = State.C2;
    }

    private void readC2(ChannelHandlerContext ctx, ByteBuf in) {
        if (in.readableBytes() < HandshakeDigest.PACKET_SIZE) {
            return;
        }
        byte[] c2 = new byte[HandshakeDigest.PACKET_SIZE];
        in.readBytes(c2);
        if (log.isDebugEnabled()) {
            boolean matches = digest
                    ? HandshakeDigest.validateResponse(c2, expectedC2, false)
                    : Arrays.equals(c2, expectedC2);
            if (!matches) {
                log.debug("RTMP handshake from {}: C2 does not match our S1 ({} handshake); accepting it anyway",
                        ctx.channel().remoteAddress(), digest ? "digest" : "plain");
            }
        }
        state = State.DONE;
        expectedC2 = null;
        cancelTimer();
        ctx.fireUserEventTriggered(new HandshakeCompleted(digest));
        if (!ctx.isRemoved()) {
            // Hands whatever follows C2 in the cumulation to the next handler.
            ctx.pipeline().remove(this);
        }
    }

    /** Enters DONE, so that further input is discarded, and returns {@code e} for the caller to throw. */
    private HandshakeException fail(HandshakeException e) {
        state = State.DONE;
        expectedC2 = null;
        cancelTimer();
        return e;
    }

    private void startTimer(ChannelHandlerContext ctx) {
        if (timeoutTask == null && state != State.DONE) {
            timeoutTask = ctx.executor().schedule(() -> onTimeout(ctx), timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void onTimeout(ChannelHandlerContext ctx) {
        if (state == State.DONE) {
            return;
        }
        state = State.DONE;
        log.warn("RTMP handshake timed out after {} ms from {}", timeout.toMillis(), ctx.channel().remoteAddress());
        ctx.channel().close();
    }

    private void cancelTimer() {
        if (timeoutTask != null) {
            timeoutTask.cancel(false);
        }
    }
}
