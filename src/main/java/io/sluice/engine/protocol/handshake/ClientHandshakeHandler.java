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
 * Client side of the RTMP handshake (for pulling from or pushing to another RTMP server); the
 * first handler of an outgoing connection's pipeline.
 *
 * <ol>
 *   <li>As soon as the channel is active, writes C0 (3) and C1. Plain mode: C1 = time, zeros,
 *       random. Digest mode: version 128.0.7.2 and a Flash Player digest in <b>scheme 0</b> (bytes
 *       8..771), the layout librtmp and FFmpeg use for unencrypted RTMP.</li>
 *   <li>Reads S0 (must be 3) and S1, then writes C2. Digest mode with a server S1 that has a non-zero
 *       version and a valid Flash Media Server digest (scheme 0 tried first, then scheme 1): C2 =
 *       1504 random bytes signed with HMAC(HMAC(Flash Player key, server digest), ...). Otherwise,
 *       as FFmpeg does, logs at DEBUG and falls back to the plain answer: C2 = S1 echoed.</li>
 *   <li>Reads S2 (1536 bytes); one that does not match is logged at DEBUG and accepted.</li>
 *   <li>Fires {@link HandshakeCompleted} ({@code digest} is true only if the server's S1 digest was
 *       valid and we answered it) and removes itself; whatever the server sent after S2 then reaches
 *       the next handler.</li>
 * </ol>
 *
 * <p>Timeout, errors and sharability as for {@link ServerHandshakeHandler} (see {@link HandshakeHandler});
 * the timer starts when C0 and C1 are written.
 */
public final class ClientHandshakeHandler extends HandshakeHandler {

    private static final Logger log = LoggerFactory.getLogger(ClientHandshakeHandler.class);

    /** The version we announce in a digest C1: 128.0.7.2. */
    static final byte[] DIGEST_VERSION = {(byte) 0x80, 0, 7, 2};
    /** Where we put our C1 digest. */
    static final Scheme CLIENT_SCHEME = Scheme.SCHEME_0;
    private static final byte[] PLAIN_VERSION = {0, 0, 0, 0};

    private final boolean digestRequested;
    private boolean s0s1Read;
    /** Our C1, once sent. */
    private byte[] c1;
    /** Our C1 digest (digest mode only). */
    private byte[] c1Digest;
    /** Whether the server answered our digest with a valid one of its own. */
    private boolean digest;

    /**
     * @param timeout how long the server has to complete the handshake; must be positive
     * @param digest  whether to offer the digest (Flash Player 9+) handshake rather than the plain one
     */
    public ClientHandshakeHandler(Duration timeout, boolean digest) {
        super(timeout, "with");
        this.digestRequested = digest;
    }

    @Override
    void active(ChannelHandlerContext ctx) {
        if (c1 != null || isOver()) {
            return;
        }
        if (digestRequested) {
            c1 = HandshakeDigest.firstRoundPacket(DIGEST_VERSION);
            c1Digest = HandshakeDigest.imprint(c1, CLIENT_SCHEME, false);
        } else {
            c1 = HandshakeDigest.firstRoundPacket(PLAIN_VERSION);
        }
        ByteBuf c0c1 = ctx.alloc().buffer(1 + HandshakeDigest.PACKET_SIZE);
        c0c1.writeByte(HandshakeDigest.RTMP_VERSION).writeBytes(c1);
        ctx.writeAndFlush(c0c1).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        startTimer(ctx);
    }

    @Override
    void step(ChannelHandlerContext ctx, ByteBuf in) {
        if (!s0s1Read) {
            readS0S1(ctx, in);
        } else if (readAnswer(ctx, in, "S2", digest, s2 -> digest
                ? HandshakeDigest.validateResponse(s2, c1Digest, true)
                : Arrays.equals(s2, c1))) {
            c1 = null;
            c1Digest = null;
            complete(ctx, digest);
        }
    }

    private void readS0S1(ChannelHandlerContext ctx, ByteBuf in) {
        if (!in.isReadable()) {
            return;
        }
        int version = in.getUnsignedByte(in.readerIndex());
        if (version != HandshakeDigest.RTMP_VERSION) {
            throw fail(HandshakeException.unsupportedVersion("S0", version));
        }
        if (c1 == null) {
            // Cannot happen on a real connection: we write C0+C1 before the channel can read.
            throw fail(new HandshakeException("the server sent " + in.readableBytes() + " bytes before our C0+C1"));
        }
        if (in.readableBytes() < 1 + HandshakeDigest.PACKET_SIZE) {
            return;
        }
        in.skipBytes(1);
        byte[] s1 = new byte[HandshakeDigest.PACKET_SIZE];
        in.readBytes(s1);

        byte[] c2 = s1;
        if (digestRequested) {
            Found serverDigest = HandshakeDigest.hasVersion(s1) ? HandshakeDigest.find(s1, CLIENT_SCHEME, true) : null;
            if (serverDigest != null) {
                digest = true;
                c2 = HandshakeDigest.response(serverDigest.digest(), false);
            } else if (log.isDebugEnabled()) {
                log.debug("RTMP handshake with {}: server version {}.{}.{}.{}, {}; answering with a plain C2",
                        ctx.channel().remoteAddress(), s1[4] & 0xFF, s1[5] & 0xFF, s1[6] & 0xFF, s1[7] & 0xFF,
                        HandshakeDigest.hasVersion(s1) ? "no valid digest in S1" : "plain S1");
            }
        }
        ctx.writeAndFlush(ctx.alloc().buffer(HandshakeDigest.PACKET_SIZE).writeBytes(c2))
                .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        s0s1Read = true;
    }
}
