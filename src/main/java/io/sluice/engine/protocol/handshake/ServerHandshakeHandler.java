package io.sluice.engine.protocol.handshake;

import java.time.Duration;
import java.util.Arrays;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
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
 * (or the channel became active), logs one WARN line and closes the channel. Errors and sharability:
 * see {@link HandshakeHandler}.
 */
public final class ServerHandshakeHandler extends HandshakeHandler {

    private static final Logger log = LoggerFactory.getLogger(ServerHandshakeHandler.class);

    /** The version we announce in a digest S1: 4.5.0.1. */
    static final byte[] DIGEST_VERSION = {4, 5, 0, 1};
    /** The version field of a plain S1. */
    private static final byte[] PLAIN_VERSION = {0, 0, 0, 0};

    private boolean c0c1Read;
    private boolean digest;
    /** What the client's C2 should match, kept for a DEBUG diagnostic only: our S1 (plain) or S1 digest. */
    private byte[] expectedC2;

    /**
     * @param timeout how long the client has to complete the handshake; must be positive
     */
    public ServerHandshakeHandler(Duration timeout) {
        super(timeout, "from");
    }

    @Override
    void active(ChannelHandlerContext ctx) {
        startTimer(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        // port scanners and health checks do this all day: not worth more than debug
        log.debug("connection from {} closed during the handshake (at {})", ctx.channel().remoteAddress(),
                isOver() ? "the end" : c0c1Read ? "C2" : "C0C1");
        super.channelInactive(ctx);
    }

    @Override
    void step(ChannelHandlerContext ctx, ByteBuf in) {
        if (!c0c1Read) {
            readC0C1(ctx, in);
        } else if (readAnswer(ctx, in, "C2", digest, c2 -> digest
                ? HandshakeDigest.validateResponse(c2, expectedC2, false)
                : Arrays.equals(c2, expectedC2))) {
            expectedC2 = null;
            complete(ctx, digest);
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
        c0c1Read = true;
    }
}
