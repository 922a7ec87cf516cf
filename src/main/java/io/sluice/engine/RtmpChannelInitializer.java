package io.sluice.engine;

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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds each connection's pipeline; see {@link RtmpPipeline} for the order. On the RTMPS listener a
 * TLS handler ({@link #TLS}) comes first, made from the current certificate.
 */
final class RtmpChannelInitializer extends ChannelInitializer<SocketChannel> {
    private static final Logger log = LoggerFactory.getLogger(RtmpChannelInitializer.class);

    /** The name of the TLS handler, first in the pipeline of an RTMPS connection. */
    static final String TLS = "tls";

    private final SessionContext context;
    private final AtomicInteger open;
    private final Supplier<SslContext> tls;

    RtmpChannelInitializer(SessionContext context) {
        this(context, new AtomicInteger(), null);
    }

    /**
     * @param open connections open on all listeners (the limit counts them together)
     * @param tls  the current server TLS context, or null for plain RTMP
     */
    RtmpChannelInitializer(SessionContext context, AtomicInteger open, Supplier<SslContext> tls) {
        this.context = context;
        this.open = open;
        this.tls = tls;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        RtmpServerConfig config = context.config();
        if (open.incrementAndGet() > config.maxConnections()) {
            open.decrementAndGet();
            log.warn("refusing {}: {} connections open, the limit", ch.remoteAddress(), config.maxConnections());
            ch.close();
            return;
        }
        ch.closeFuture().addListener(f -> open.decrementAndGet());
        TrafficCounter traffic = new TrafficCounter();
        ChannelPipeline p = ch.pipeline();
        if (tls != null) {
            SslHandler ssl = tls.get().newHandler(ch.alloc());
            ssl.setHandshakeTimeoutMillis(config.handshakeTimeout().toMillis());
            p.addLast(TLS, ssl);
        }
        p.addLast(RtmpPipeline.TRAFFIC, traffic);
        p.addLast(RtmpPipeline.HANDSHAKE, new ServerHandshakeHandler(config.handshakeTimeout()));
        p.addLast(RtmpPipeline.CHUNK_ENCODER, new ChunkEncoder());
        p.addLast(RtmpPipeline.CHUNK_DECODER, new ChunkDecoder(config.chunkLimits(), config.amfLimits()));
        p.addLast(RtmpPipeline.SESSION, new RtmpSession(context, traffic));
        p.addLast(RtmpPipeline.ERRORS, ErrorHandler.INSTANCE);
    }
}
