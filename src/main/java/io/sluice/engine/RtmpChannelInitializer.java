package io.sluice.engine;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.sluice.engine.protocol.chunk.ChunkDecoder;
import io.sluice.engine.protocol.chunk.ChunkEncoder;
import io.sluice.engine.protocol.handshake.ServerHandshakeHandler;
import io.sluice.engine.session.ErrorHandler;
import io.sluice.engine.session.RtmpSession;
import io.sluice.engine.session.SessionContext;
import io.sluice.engine.session.TrafficCounter;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds each connection's pipeline; see {@link RtmpPipeline} for the order. */
final class RtmpChannelInitializer extends ChannelInitializer<SocketChannel> {
    private static final Logger log = LoggerFactory.getLogger(RtmpChannelInitializer.class);

    private final SessionContext context;
    private final AtomicInteger open = new AtomicInteger();

    RtmpChannelInitializer(SessionContext context) {
        this.context = context;
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
        p.addLast(RtmpPipeline.TRAFFIC, traffic);
        p.addLast(RtmpPipeline.HANDSHAKE, new ServerHandshakeHandler(config.handshakeTimeout()));
        p.addLast(RtmpPipeline.CHUNK_ENCODER, new ChunkEncoder());
        p.addLast(RtmpPipeline.CHUNK_DECODER, new ChunkDecoder(config.chunkLimits(), config.amfLimits()));
        p.addLast(RtmpPipeline.SESSION, new RtmpSession(context, traffic));
        p.addLast(RtmpPipeline.ERRORS, ErrorHandler.INSTANCE);
    }
}
