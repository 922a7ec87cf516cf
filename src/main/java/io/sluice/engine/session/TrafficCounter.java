package io.sluice.engine.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Counts a connection's bytes on the wire, both ways, for session statistics; and is where a
 * player's media, already cut into chunks, enters the pipeline ({@link #writeChunks}).
 */
public final class TrafficCounter extends ChannelDuplexHandler {
    private volatile long bytesIn;
    private volatile long bytesOut;
    private ChannelHandlerContext ctx;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            bytesIn += buf.readableBytes();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf) {
            bytesOut += buf.readableBytes();
        } else if (msg instanceof ByteBufHolder holder) {
            bytesOut += holder.content().readableBytes();
        }
        ctx.write(msg, promise);
    }

    /**
     * Counts and writes (does not flush) bytes that are already RTMP chunks, from this handler's
     * place in the pipeline: the handlers between here and the tail have nothing to do with them, and
     * a player's media is nearly all a server writes, so the walk past them is skipped (it was the
     * largest cost in Java on the fan-out path; see docs/PERFORMANCE.md). Writes made through the
     * channel and these go out in the order they were made. On the event loop.
     */
    void writeChunks(ByteBuf chunks) {
        bytesOut += chunks.readableBytes();
        ctx.write(chunks, ctx.voidPromise());
    }

    /** Flushes everything written so far, from this handler's place: nothing above it flushes. */
    void flush() {
        ctx.flush();
    }

    public long bytesIn() {
        return bytesIn;
    }

    public long bytesOut() {
        return bytesOut;
    }
}
