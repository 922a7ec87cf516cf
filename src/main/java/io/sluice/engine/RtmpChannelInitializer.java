package io.sluice.engine;

import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.sluice.engine.protocol.chunk.ChunkDecoder;
import io.sluice.engine.protocol.chunk.ChunkEncoder;
import io.sluice.engine.protocol.handshake.ServerHandshakeHandler;
import io.sluice.engine.session.ErrorHandler;
import io.sluice.engine.session.RtmpSession;
import io.sluice.engine.session.SessionContext;
import io.sluice.engine.session.TrafficCounter;
import java.util.function.Supplier;

/**
 * Builds each connection's pipeline; see {@link RtmpPipeline} for the order. On the RTMPS listener a
 * TLS handler ({@link #TLS}) comes first, made from the current certificate.
 */
final class RtmpChannelInitializer extends ChannelInitializer<SocketChannel> {
    /** The name of the TLS handler, first in the pipeline of an RTMPS connection. */
    static final String TLS = "tls";

    private final SessionContext context;
    private final ConnectionAdmission admission;
    private final ErrorHandler errors;
    private final Supplier<SslContext> tls;

    /**
     * @param admission counts the connections of all listeners together
     * @param tls       the current server TLS context, or null for plain RTMP
     */
    RtmpChannelInitializer(SessionContext context, ConnectionAdmission admission, Supplier<SslContext> tls) {
        this.context = context;
        this.admission = admission;
        this.errors = new ErrorHandler(context.refusals());
        this.tls = tls;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        RtmpServerConfig config = context.config();
        ChannelInboundHandlerAdapter handshakeTracker = admission.admit(ch);
        if (handshakeTracker == null) {
            return;
        }
        TrafficCounter traffic = new TrafficCounter();
        ChannelPipeline p = ch.pipeline();
        if (tls != null) {
            SslHandler ssl = tls.get().newHandler(ch.alloc());
            ssl.setHandshakeTimeoutMillis(config.handshakeTimeout().toMillis());
            p.addLast(TLS, ssl);
        }
        p.addLast(RtmpPipeline.TRAFFIC, traffic);
        p.addLast(RtmpPipeline.HANDSHAKE, new ServerHandshakeHandler(config.handshakeTimeout()));
        p.addLast(RtmpPipeline.HANDSHAKE_LIMIT, handshakeTracker);
        p.addLast(RtmpPipeline.CHUNK_ENCODER, new ChunkEncoder());
        p.addLast(RtmpPipeline.CHUNK_DECODER, new ChunkDecoder(config.chunkLimits(), config.amfLimits()));
        p.addLast(RtmpPipeline.SESSION, new RtmpSession(context, traffic));
        p.addLast(RtmpPipeline.ERRORS, errors);
    }
}
